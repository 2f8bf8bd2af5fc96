// The version deletes refuse a container version a present image needs (any image its platform
// children and attestations, a tagged one its referrers and signatures too), naming the image and the
// link, and send no DELETE; the override and the parent-first rule let a whole image go. The guard
// decides from the versions list as GitHub has it at each delete, and refuses when it cannot read it.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cosignManifest, cosignTag, digestOf, imageGraphPlan, ociImage, ociIndex, type StoredManifest } from '../../dist/stand-in/images-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { nextTurn, openSession, type Session } from '../support/ghsql.js';

type Row = Record<string, unknown>;

let standIn: StandIn;
let session: Session;
beforeEach(async () => {
  standIn = await startStandIn();
  session = openSession(standIn, { allowWrites: true, writeIntervalMs: 0 });
});
afterEach(async () => {
  await session.close();
  await standIn.close();
});

const sql = (text: string, ...values: unknown[]) => session.db.prepare(text).all(...values) as Row[];
const deletes = async () => (await standIn.requests()).filter((entry) => entry.method === 'DELETE');

/** Version ids of an image-graph package by the plan's labels. */
function versionIds(table: string, ownerWhere: string, packageName: string): Map<string, number> {
  const rows = sql(`SELECT id, name FROM ${table} WHERE ${ownerWhere} package_type = 'container' AND package_name = ?`, packageName);
  const byDigest = new Map(rows.map((row) => [row['name'], row['id'] as number]));
  return new Map(planOf(table, ownerWhere, packageName).flatMap((planned) => {
    const id = byDigest.get(digestOf(planned.manifest.body));
    return id === undefined ? [] : [[planned.label, id] as [string, number]];
  }));
}

function planOf(table: string, ownerWhere: string, packageName: string) {
  const [pkg] = sql(`SELECT id FROM ${table.replace('_versions', 's')} WHERE ${ownerWhere} package_type = 'container' AND package_name = ?`, packageName);
  return imageGraphPlan(pkg!['id'] as number);
}

/** The manifest of acme/app's version with that label. */
const appManifest = (label: string) => planOf('auth_user_package_versions', '', 'acme/app').find((planned) => planned.label === label)!.manifest;

/** Another client pushes to acme/app: at once, or once `afterDeletes` more DELETEs have succeeded. */
const push = (manifests: StoredManifest[], tags: string[], afterDeletes = 0) =>
  standIn.configure({ imagePushes: [{ owner: 'octo-demo', packageName: 'acme/app', manifests, tags, afterDeletes }] });

/** Deletes acme/app's versions in this order in one statement. */
const deleteInOrder = (ids: number[]) =>
  sql(
    `WITH doomed(id) AS MATERIALIZED (VALUES ${ids.map(() => '(?)').join(', ')}) SELECT id, delete_package_version_for_authenticated_user('container', 'acme/app', id) AS outcome FROM doomed`,
    ...ids,
  );

const versionLists = async () => (await standIn.requests()).filter((entry) => entry.method === 'GET' && entry.path.endsWith('/versions'));

const deleteOwn = (id: number, ...more: string[]) =>
  session.db.prepare(`SELECT delete_package_version_for_authenticated_user('container', 'acme/app', ?${more.map(() => ', ?').join('')}) AS outcome`).get(id, ...more);

describe('the container version delete', () => {
  it('refuses a platform child, a buildx attestation, an OCI referrer and a cosign signature of a kept image, sending no DELETE', async () => {
    const ids = versionIds('auth_user_package_versions', '', 'acme/app');
    const refusals: Array<[string, RegExp]> = [
      ['1.4 linux/arm64', /it is the linux\/arm64 child of acme\/app:1\.4, so deleting it would break acme\/app:1\.4/],
      ['1.4 linux/arm/v7 attestation', /it is the linux\/arm\/v7 attestation of acme\/app:1\.4/],
      ['1.4 sbom', /it is the referrer \(application\/spdx\+json\) of acme\/app:1\.4/],
      ['1.3 signature', /it is the cosign signature of acme\/app:1\.3/],
      ['1.3 attestation', /it is the cosign attestation of acme\/app:1\.3/],
      ['1.1 linux/amd64', /it is the linux\/amd64 child of acme\/app:1\.1/],
    ];
    for (const [label, reason] of refusals) {
      const id = ids.get(label)!;
      let error: (Error & { code?: string }) | undefined;
      try {
        deleteOwn(id);
      } catch (caught) {
        error = caught as Error & { code?: string };
      }
      expect(error?.code, label).toBe('PROTECTED');
      expect(error?.message).toMatch(new RegExp(`^delete_package_version_for_authenticated_user: container/acme/app/${id}: refused, nothing was sent: `));
      expect(error?.message).toMatch(reason);
      expect(error?.message).toMatch(/Or pass 'break-images' as the last argument to delete it anyway\.$/);
    }
    expect(await deletes()).toEqual([]);
    const outcomes = sql('SELECT outcome FROM ghsql_actions').map((row) => row['outcome'] as string);
    expect(outcomes).toHaveLength(refusals.length);
    for (const outcome of outcomes) expect(outcome).toMatch(/^failed: .*refused, nothing was sent/);
  });

  it('deletes the orphan and the safe set, which then holds what the deleted index needed, reading the list for each delete and each manifest once', async () => {
    const ids = versionIds('auth_user_package_versions', '', 'acme/app');
    expect(deleteOwn(ids.get('orphan')!)).toEqual({ outcome: 'deleted' });
    await nextTurn();
    await standIn.clearRequests();
    const deleteSafeSet = () =>
      sql(
        "WITH safe AS MATERIALIZED (SELECT id FROM auth_user_container_manifests WHERE package_name = 'acme/app' AND json_array_length(tags) = 0 AND needed_by = '[]' ORDER BY id) " +
          "SELECT id, delete_package_version_for_authenticated_user('container', 'acme/app', id) AS outcome FROM safe",
      );
    expect(deleteSafeSet()).toEqual([{ id: ids.get('1.0 index'), outcome: 'deleted' }]);
    await nextTurn();
    expect(deleteSafeSet()).toEqual(['1.0 linux/amd64', '1.0 linux/arm64'].map((label) => ({ id: ids.get(label), outcome: 'deleted' })));
    const log = await standIn.requests();
    expect(log.filter((entry) => entry.method === 'DELETE').map((entry) => entry.status)).toEqual([204, 204, 204]);
    // One list for each table read, one for each delete: something may have been pushed meanwhile.
    expect(log.filter((entry) => entry.method === 'GET' && entry.path.endsWith('/versions'))).toHaveLength(5);
    // Manifests were fetched once, by the table; the guard had them.
    const manifests = (await standIn.registryRequests()).filter((entry) => entry.path.includes('/manifests/') && entry.status === 200);
    expect(new Set(manifests.map((entry) => entry.path)).size).toBe(manifests.length);
  });

  it('deletes a needed version with the override, and refuses an override it does not know before any request', async () => {
    const ids = versionIds('auth_user_package_versions', '', 'acme/app');
    await standIn.clearRequests();
    expect(() => deleteOwn(ids.get('1.4 linux/arm64')!, 'yes')).toThrow(/override "yes" is not valid; use one of break-images/);
    expect(await standIn.requests()).toEqual([]);
    expect(deleteOwn(ids.get('1.4 linux/arm64')!, 'break-images')).toEqual({ outcome: 'deleted' });
    // The override is the guard's, never sent: the DELETE has no query.
    expect((await deletes()).map((entry) => [entry.path, entry.query, entry.status])).toEqual([[`/user/packages/container/acme%2Fapp/versions/${ids.get('1.4 linux/arm64')}`, {}, 204]]);
    await nextTurn();
    expect(sql("SELECT image, platform FROM auth_user_container_links WHERE package_name = 'acme/app' AND version_id IS NULL ORDER BY image")).toEqual([
      { image: 'acme/app:1.1', platform: 'linux/arm64/v8' },
      { image: 'acme/app:1.4', platform: 'linux/arm64' },
    ]);
  });

  it('lets a whole image go parent first, in one statement; children first stops at the first, deleting nothing', async () => {
    const ids = versionIds('auth_user_package_versions', '', 'acme/app');
    // The order is the materialized list's: an outer ORDER BY sorts after the calls are made.
    const image = (order: string) =>
      `WITH doomed AS MATERIALIZED (
         SELECT image_id AS id, 0 AS depth FROM auth_user_container_links WHERE package_name = 'acme/app' AND image = 'acme/app:1.3'
         UNION SELECT version_id, depth FROM auth_user_container_links WHERE package_name = 'acme/app' AND image = 'acme/app:1.3' AND version_id IS NOT NULL
         ORDER BY ${order})
       SELECT id, delete_package_version_for_authenticated_user('container', 'acme/app', id) AS outcome FROM doomed`;
    expect(() => sql(image('depth DESC, id'))).toThrow(/container\/acme\/app\/\d+: refused, nothing was sent: it is the cosign (signature|attestation) of acme\/app:1\.3/);
    expect(await deletes()).toEqual([]);
    await nextTurn();
    expect(sql(image('depth, id'))).toEqual(['1.3', '1.3 signature', '1.3 attestation'].map((label) => ({ id: ids.get(label), outcome: 'deleted' })));
    expect((await deletes()).map((entry) => entry.status)).toEqual([204, 204, 204]);
  });

  it('keeps what an untagged image needs too (a deployment pinned by digest): its platform children and attestations, not its signatures', async () => {
    const ids = versionIds('auth_user_package_versions', '', 'acme/app');
    const index = digestOf(appManifest('1.0 index').body);
    expect(() => deleteOwn(ids.get('1.0 linux/amd64')!)).toThrow(
      new RegExp(`refused, nothing was sent: it is the linux/amd64 child of acme/app@${index}, so deleting it would break acme/app@${index}\\. Delete that image first \\(version ${ids.get('1.0 index')}\\)`),
    );
    const build = ociImage('pinned by digest: linux/amd64');
    const attestation = ociImage('pinned by digest: its attestation');
    const signature = cosignManifest('sig', 'pinned by digest');
    const pinned = ociIndex([
      { manifest: build, platform: 'linux/amd64' },
      { manifest: attestation, attests: build },
    ]);
    await push([build, attestation, pinned], []);
    await push([signature], [cosignTag(pinned, 'sig')]);
    await nextTurn();
    const idOf = (manifest: StoredManifest) =>
      sql("SELECT id FROM auth_user_package_versions WHERE package_type = 'container' AND package_name = 'acme/app' AND name = ?", digestOf(manifest.body))[0]!['id'] as number;
    expect(() => deleteOwn(idOf(attestation))).toThrow(new RegExp(`refused, nothing was sent: it is the linux/amd64 attestation of acme/app@${digestOf(pinned.body)}`));
    expect(deleteOwn(idOf(signature))).toEqual({ outcome: 'deleted' });
    await nextTurn();
    // The image first, then what it needed, in one statement: each delete sees the ones before it.
    expect(deleteInOrder([ids.get('1.0 index')!, ids.get('1.0 linux/amd64')!, ids.get('1.0 linux/arm64')!]).map((row) => row['outcome'])).toEqual(['deleted', 'deleted', 'deleted']);
  });

  it('refuses for an organization and for another user too, naming their image', async () => {
    const org = versionIds('org_package_versions', "org = 'acme-corp' AND", 'platform/edge-proxy');
    expect(() => sql("SELECT delete_package_version_for_org('acme-corp', 'container', 'platform/edge-proxy', ?)", org.get('1.4 linux/amd64'))).toThrow(
      /delete_package_version_for_org: acme-corp\/container\/platform\/edge-proxy\/\d+: refused, nothing was sent: it is the linux\/amd64 child of platform\/edge-proxy:1\.4/,
    );
    const user = versionIds('user_package_versions', "username = 'hubot-two' AND", 'hubot/chat-image');
    expect(() => sql("SELECT delete_package_version_for_user('hubot-two', 'container', 'hubot/chat-image', ?)", user.get('1.3 signature'))).toThrow(
      /delete_package_version_for_user: hubot-two\/container\/hubot\/chat-image\/\d+: refused, nothing was sent: it is the cosign signature of hubot\/chat-image:1\.3/,
    );
    expect(await deletes()).toEqual([]);
    expect(sql("SELECT delete_package_version_for_org('acme-corp', 'container', 'platform/edge-proxy', ?) AS outcome", org.get('orphan'))).toEqual([{ outcome: 'deleted' }]);
  });

  it('refuses when it cannot tell (a manifest that does not match its digest), unless overridden', async () => {
    const ids = versionIds('auth_user_package_versions', '', 'acme/app');
    await standIn.configure({ manifestMismatch: 'header' });
    expect(() => deleteOwn(ids.get('orphan')!)).toThrow(/cannot tell whether an image needs it, so it was not deleted: the registry answered GET .* with Docker-Content-Digest/);
    expect(await deletes()).toEqual([]);
    expect(deleteOwn(ids.get('orphan')!, 'break-images')).toEqual({ outcome: 'deleted' });
  });

  it('refuses when the manifests nest deeper than ghsql follows, saying so as a guard, unless overridden', async () => {
    const ids = versionIds('auth_user_package_versions', '', 'acme/app');
    const chain = [ociImage('at the bottom of 20 indexes')];
    for (let level = 1; level <= 20; level++) chain.push(ociIndex([{ manifest: chain.at(-1)!, platform: 'linux/amd64' }]));
    await push(chain, ['deep']);
    await standIn.clearRequests();
    expect(() => deleteOwn(ids.get('orphan')!)).toThrow(
      /cannot tell whether an image needs it, so it was not deleted: acme\/app's manifests nest deeper than ghsql follows: .* To delete it without this check, pass 'break-images' as the last argument\./,
    );
    expect(await deletes()).toEqual([]);
    expect(deleteOwn(ids.get('orphan')!, 'break-images')).toEqual({ outcome: 'deleted' });
  });

  it('leaves other package types alone: no registry request', async () => {
    const [version] = sql("SELECT id FROM auth_user_package_versions WHERE package_type = 'npm' AND package_name = 'design-system' LIMIT 1");
    await standIn.clearRequests();
    expect(sql("SELECT delete_package_version_for_authenticated_user('npm', 'design-system', ?) AS outcome", version!['id'])).toEqual([{ outcome: 'deleted' }]);
    expect(await standIn.registryRequests()).toEqual([]);
    expect((await standIn.requests()).map((entry) => entry.method)).toEqual(['DELETE']);
  });
});

describe('the guard decides from what GitHub has at each delete', () => {
  it('revalidates a versions list the cache holds, however fresh: an image pushed since keeps what it needs', async () => {
    const ids = versionIds('auth_user_package_versions', '', 'acme/app');
    const cached = openSession(standIn, { allowWrites: true, writeIntervalMs: 0, cache: true, cacheDir: ':memory:', cacheTtlSeconds: 60 });
    const deleteCached = (id: number) => cached.db.prepare("SELECT delete_package_version_for_authenticated_user('container', 'acme/app', ?) AS outcome").get(id);
    try {
      cached.db.prepare("SELECT count(*) FROM auth_user_container_manifests WHERE package_name = 'acme/app'").get();
      await nextTurn();
      await standIn.clearRequests();
      expect(() => deleteCached(ids.get('1.4 linux/arm64')!)).toThrow(/refused, nothing was sent: it is the linux\/arm64 child of acme\/app:1\.4/);
      // Unchanged: GitHub answers 304, which costs no rate limit.
      expect((await versionLists()).map((entry) => [entry.conditional, entry.status])).toEqual([[true, 304]]);
      await nextTurn();
      await push([appManifest('orphan'), ociIndex([{ manifest: appManifest('orphan'), platform: 'linux/amd64' }])], ['2.0']);
      await standIn.clearRequests();
      expect(() => deleteCached(ids.get('orphan')!)).toThrow(/refused, nothing was sent: it is the linux\/amd64 child of acme\/app:2\.0, so deleting it would break acme\/app:2\.0/);
      expect((await versionLists()).map((entry) => [entry.conditional, entry.status])).toEqual([[true, 200]]);
      expect(await deletes()).toEqual([]);
    } finally {
      await cached.close();
    }
  });

  it('reads the list again for every delete of a statement: a push between two deletes keeps what it needs', async () => {
    const ids = versionIds('auth_user_package_versions', '', 'acme/app');
    const orphan = appManifest('orphan');
    const arm64 = ociImage('pushed meanwhile: linux/arm64');
    const latest = ociIndex([
      { manifest: orphan, platform: 'linux/amd64' },
      { manifest: arm64, platform: 'linux/arm64' },
    ]);
    await push([orphan, arm64, latest], ['latest'], 1);
    await standIn.clearRequests();
    expect(() => deleteInOrder([ids.get('1.0 index')!, ids.get('orphan')!])).toThrow(
      new RegExp(`container/acme/app/${ids.get('orphan')}: refused, nothing was sent: it is the linux/amd64 child of acme/app:latest`),
    );
    expect((await deletes()).map((entry) => entry.path)).toEqual([`/user/packages/container/acme%2Fapp/versions/${ids.get('1.0 index')}`]);
    expect(await versionLists()).toHaveLength(2);
  });

  it('reads the list again for every delete of a statement: a tag moved between two deletes keeps what the image needs', async () => {
    const ids = versionIds('auth_user_package_versions', '', 'acme/app');
    const build = ociImage('an untagged build, signed');
    const signature = cosignManifest('sig', 'an untagged build, signed');
    await push([build], []);
    await push([signature], [cosignTag(build, 'sig')]);
    await nextTurn();
    const [signatureVersion] = sql("SELECT id FROM auth_user_package_versions WHERE package_type = 'container' AND package_name = 'acme/app' AND name = ?", digestOf(signature.body));
    await nextTurn();
    await push([build], ['latest'], 1);
    await standIn.clearRequests();
    expect(() => deleteInOrder([ids.get('orphan')!, signatureVersion!['id'] as number])).toThrow(/refused, nothing was sent: it is the cosign signature of acme\/app:latest/);
    expect(await deletes()).toHaveLength(1);
  });

  it('refuses when it cannot read the versions list (404, a fault, an answer that fails validation or lacks the tags), saying why', async () => {
    const ids = versionIds('auth_user_package_versions', '', 'acme/app');
    const cases = [
      ['not-found', /GitHub's list of acme\/app's active versions does not include it: the version may not exist, or the token may not see the package's versions \(reading them needs read:packages\)\. If it exists, try again in a minute\./],
      ['server-error', /GET \/user\/packages\/container\/acme%2Fapp\/versions\?per_page=100 failed with 500: Server Error\. /],
      ['invalid', /does not match the expected schema at item 0, field id/],
      ['no-metadata', /gives version \d+ without its tags \(metadata\.container\.tags\)/],
    ] as const;
    for (const [misanswer, why] of cases) {
      await standIn.configure({ versionListMisanswer: misanswer });
      let error: Error | undefined;
      try {
        deleteOwn(ids.get('1.3 signature')!);
      } catch (caught) {
        error = caught as Error;
      }
      expect(error?.message, misanswer).toMatch(/^delete_package_version_for_authenticated_user: container\/acme\/app\/\d+: cannot tell whether an image needs it, so it was not deleted: /);
      expect(error?.message, misanswer).toMatch(why);
      expect(error?.message, misanswer).toMatch(/To delete it without this check, pass 'break-images' as the last argument\.$/);
      await nextTurn();
    }
    expect(await deletes()).toEqual([]);
  });
});
