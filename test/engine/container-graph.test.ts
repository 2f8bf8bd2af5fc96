// The image-graph tables over the stand-in's image graph (images-data.ts): what each tagged image
// needs, the safe set, broken images, for every owner; manifests checked and fetched once.

import { rmSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { digestOf, imageGraphPlan, releasesPlan } from '../../dist/stand-in/images-data.js';
import { tempCacheDir } from '../github/helpers.js';
import { nextTurn, openSession, useStandInSession } from '../support/ghsql.js';

type Row = Record<string, unknown>;
type Descriptor = { digest: string; size: number; mediaType: string };

const fixture = useStandInSession();
const { sql } = fixture;

/** The digest and manifest size of each version of the image graph of the package with this id, by label. */
function planOf(packageId: number): Map<string, { digest: string; size: number }> {
  return new Map(imageGraphPlan(packageId).map((planned) => [planned.label, { digest: digestOf(planned.manifest.body), size: Buffer.byteLength(planned.manifest.body) }]));
}

const packageId = (table: string, where: string) => (sql(`SELECT id FROM ${table} WHERE package_type = 'container' AND ${where}`)[0] as { id: number }).id;

describe('the image graph of acme/app', () => {
  let plan: Map<string, { digest: string; size: number }>;
  beforeAll(() => {
    plan = planOf(packageId('auth_user_packages', "package_name = 'acme/app'"));
  });
  const label = (value: unknown) => [...plan].find(([, each]) => each.digest === value)?.[0] ?? `unknown ${String(value)}`;

  it('links each tagged image to every version it needs, with the kind of link and the platform', () => {
    const rows = sql("SELECT image, link, platform, digest, version_id IS NOT NULL AS present, why FROM auth_user_container_links WHERE package_name = 'acme/app' AND json_array_length(image_tags) > 0");
    expect(rows.map((row) => [row['image'], row['link'], row['platform'], label(row['digest']), row['present']]).sort()).toEqual(
      [
        ['acme/app:1.1', 'child', 'linux/amd64', '1.1 linux/amd64', 1],
        ['acme/app:1.1', 'child', 'linux/arm64/v8', '1.1 linux/arm64/v8', 0],
        ['acme/app:1.3', 'cosign-attestation', null, '1.3 attestation', 1],
        ['acme/app:1.3', 'cosign-signature', null, '1.3 signature', 1],
        ['acme/app:1.4', 'attestation', 'linux/amd64', '1.4 linux/amd64 attestation', 1],
        ['acme/app:1.4', 'attestation', 'linux/arm/v7', '1.4 linux/arm/v7 attestation', 1],
        ['acme/app:1.4', 'attestation', 'linux/arm64', '1.4 linux/arm64 attestation', 1],
        ['acme/app:1.4', 'child', 'linux/amd64', '1.4 linux/amd64', 1],
        ['acme/app:1.4', 'child', 'linux/arm/v7', '1.4 linux/arm/v7', 1],
        ['acme/app:1.4', 'child', 'linux/arm64', '1.4 linux/arm64', 1],
        ['acme/app:1.4', 'referrer', null, '1.4 sbom', 1],
      ].sort(),
    );
    expect(rows.find((row) => row['platform'] === 'linux/arm64' && row['link'] === 'child')!['why']).toBe('linux/arm64 child of acme/app:1.4');
  });

  it('gives the safe set: the untagged versions no present image needs, and nothing else', () => {
    const safe = sql("SELECT name FROM auth_user_container_manifests WHERE package_name = 'acme/app' AND json_array_length(tags) = 0 AND needed_by = '[]'");
    expect(safe.map((row) => label(row['name'])).sort()).toEqual(['1.0 index', 'orphan']);
    // The untagged index keeps its children, naming itself by digest: they are safe once it is gone.
    const children = sql("SELECT name, needed_by FROM auth_user_container_manifests WHERE package_name = 'acme/app' AND needed_by LIKE '%acme/app@%'");
    expect(children.map((row) => [label(row['name']), JSON.parse(row['needed_by'] as string)]).sort()).toEqual([
      ['1.0 linux/amd64', [`acme/app@${plan.get('1.0 index')!.digest}`]],
      ['1.0 linux/arm64', [`acme/app@${plan.get('1.0 index')!.digest}`]],
    ]);
  });

  it('finds the broken image: an index naming a digest no version has', () => {
    expect(sql("SELECT DISTINCT image FROM auth_user_container_links WHERE package_name = 'acme/app' AND version_id IS NULL")).toEqual([{ image: 'acme/app:1.1' }]);
  });

  it('reads what each manifest says: media type, kind, platform, subject, annotations and size', () => {
    const rows = sql("SELECT name, kind, media_type, platform, artifact_type, subject, size, annotations, needed_by FROM auth_user_container_manifests WHERE package_name = 'acme/app'");
    const byLabel = new Map(rows.map((row) => [label(row['name']), row]));
    expect(byLabel.get('1.4')).toMatchObject({ kind: 'index', media_type: 'application/vnd.oci.image.index.v1+json', needed_by: '[]' });
    expect(byLabel.get('1.1')).toMatchObject({ kind: 'index', media_type: 'application/vnd.docker.distribution.manifest.list.v2+json' });
    expect(byLabel.get('1.2')).toMatchObject({ kind: 'image', media_type: 'application/vnd.docker.distribution.manifest.v2+json' });
    expect(byLabel.get('1.4 linux/arm/v7')).toMatchObject({ kind: 'image', platform: 'linux/arm/v7', needed_by: '["acme/app:1.4"]' });
    expect(byLabel.get('1.4 linux/arm64 attestation')).toMatchObject({ kind: 'attestation', platform: null });
    expect(byLabel.get('1.4 sbom')).toMatchObject({ kind: 'referrer', artifact_type: 'application/spdx+json', subject: plan.get('1.4')!.digest });
    expect(JSON.parse(byLabel.get('1.4 sbom')!['annotations'] as string)).toEqual({ 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' });
    expect(byLabel.get('1.3 signature')).toMatchObject({ kind: 'signature', needed_by: '["acme/app:1.3"]' });
    expect(byLabel.get('1.3 attestation')).toMatchObject({ kind: 'attestation' });
    for (const row of rows) expect(row['size']).toBe(plan.get(label(row['name']))!.size);
  });

  it('joins with the packages list: one graph per package, for every container package', () => {
    const rows = sql(
      "SELECT p.name, count(l.digest) AS links FROM auth_user_packages p LEFT JOIN auth_user_container_links l ON l.package_name = p.name WHERE p.package_type = 'container' AND p.name IN ('acme/app', 'ci-runner') GROUP BY p.name ORDER BY p.name",
    );
    // Generated versions are single-platform images: they need nothing.
    expect(rows).toEqual([
      { name: 'acme/app', links: 13 },
      { name: 'ci-runner', links: 0 },
    ]);
  });

  it("lists each version's config and layers with their sizes, and an index's children by reference", () => {
    const pushed = imageGraphPlan(packageId('auth_user_packages', "package_name = 'acme/app'")).filter((planned) => planned.deletedDaysAgo === undefined);
    const expected = pushed.flatMap((planned) => {
      const body = JSON.parse(planned.manifest.body) as { config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[] };
      const row = (role: string, position: number, blob: Descriptor) => [planned.label, role, position, blob.digest, blob.size, blob.mediaType];
      return [
        ...(body.config ? [row('config', 0, body.config)] : []),
        ...(body.layers ?? []).map((layer, position) => row('layer', position, layer)),
        ...(body.manifests ?? []).map((child, position) => row('child', position, child)),
      ];
    });
    const rows = sql("SELECT name, role, position, digest, size, media_type FROM auth_user_container_blobs WHERE package_name = 'acme/app'");
    expect(rows.map((row) => [label(row['name']), row['role'], row['position'], row['digest'], row['size'], row['media_type']]).sort()).toEqual(expected.sort());
    // A child names its platform; bytes per package count each blob once.
    expect(sql("SELECT DISTINCT platform FROM auth_user_container_blobs WHERE package_name = 'acme/app' AND role = 'child' AND platform IS NOT NULL ORDER BY 1").map((row) => row['platform'])).toEqual([
      'linux/amd64',
      'linux/arm/v7',
      'linux/arm64',
      'linux/arm64/v8',
    ]);
  });

  it("tells image tags from cosign's digest tags, in the versions and manifests tables", () => {
    const signature = plan.get('1.3 signature')!.digest;
    const versions = sql(`SELECT tags, image_tags FROM auth_user_package_versions WHERE package_type = 'container' AND package_name = 'acme/app' AND name = '${signature}'`);
    expect(versions).toEqual([{ tags: `["${plan.get('1.3')!.digest.replace(':', '-')}.sig"]`, image_tags: '[]' }]);
    const tagged = (table: string) =>
      sql(`SELECT count(*) AS n FROM ${table} WHERE package_name = 'acme/app' AND json_array_length(image_tags) > 0${table.endsWith('versions') ? " AND package_type = 'container'" : ''}`);
    // 1.1, 1.2, 1.3 and 1.4; not the signature and attestation of 1.3.
    expect(tagged('auth_user_package_versions')).toEqual([{ n: 4 }]);
    expect(tagged('auth_user_container_manifests')).toEqual([{ n: 4 }]);
  });

  it('has no rows for a package that does not exist, and needs package_name', () => {
    expect(sql("SELECT * FROM auth_user_container_links WHERE package_name = 'no-such-image'")).toEqual([]);
    expect(() => sql('SELECT * FROM auth_user_container_links')).toThrow(/auth_user_container_links needs package_name in the WHERE clause/);
  });
});

describe("the demo's release history, acme/storefront", () => {
  let labels: Map<string, string>;
  beforeAll(() => {
    labels = new Map(releasesPlan(packageId('auth_user_packages', "package_name = 'acme/storefront'")).map((planned) => [digestOf(planned.manifest.body), planned.label]));
  });
  const where = "package_name = 'acme/storefront'";

  it('has a ghost image (every child gone), a partial one, and orphaned cosign signatures in the safe set', () => {
    const missing = sql(`SELECT image, count(*) AS children, sum(version_id IS NULL) AS gone FROM auth_user_container_links WHERE ${where} AND link = 'child' GROUP BY image ORDER BY image`);
    expect(missing).toEqual([
      { image: 'acme/storefront:1.8.0', children: 2, gone: 2 },
      { image: 'acme/storefront:1.9.0', children: 2, gone: 1 },
    ]);
    const safe = sql(`SELECT name, kind FROM auth_user_container_manifests WHERE ${where} AND json_array_length(image_tags) = 0 AND needed_by = '[]'`);
    expect(safe.map((row) => [labels.get(row['name'] as string), row['kind']]).sort()).toEqual([
      ['1.7.0 attestation', 'attestation'],
      ['1.7.0 signature', 'signature'],
      ['new build 1', 'image'],
      ['new build 2', 'image'],
      ['old build 1', 'image'],
      ['old build 2', 'image'],
      ['untagged build', 'image'],
    ]);
  });

  it('has release, release-candidate, pull-request and dev tags, and builds that share their base layers', () => {
    const tags = sql(`SELECT tag.value AS tag FROM auth_user_package_versions v, json_each(v.image_tags) AS tag WHERE v.package_type = 'container' AND v.${where} ORDER BY 1`);
    expect(tags.map((row) => row['tag'])).toEqual(['1.8.0', '1.9.0', '2.0.0', '2.0.0-rc.1', '2.0.0-rc.2', '2.1.0', 'dev', 'latest', 'pr-118', 'pr-123', 'v2.0', 'v2.1']);
    const [shared] = sql(`SELECT count(*) AS layers FROM (SELECT digest FROM auth_user_container_blobs WHERE ${where} AND role = 'layer' GROUP BY digest HAVING count(*) > 1)`);
    expect(shared).toEqual({ layers: 2 });
  });
});

describe('for every owner the versions tables cover', () => {
  it('an organization and another user have the same graph for their image-graph packages', () => {
    const org = sql("SELECT image, link, platform FROM org_container_links WHERE org = 'acme-corp' AND package_name = 'platform/edge-proxy' AND json_array_length(image_tags) > 0 ORDER BY 1, 2, 3");
    const user = sql("SELECT image, link, platform FROM user_container_links WHERE username = 'hubot-two' AND package_name = 'hubot/chat-image' AND json_array_length(image_tags) > 0 ORDER BY 1, 2, 3");
    const own = sql("SELECT image, link, platform FROM auth_user_container_links WHERE package_name = 'acme/app' AND json_array_length(image_tags) > 0 ORDER BY 1, 2, 3");
    const renamed = (rows: Row[], name: string) => rows.map((row) => ({ ...row, image: String(row['image']).replace(name, 'acme/app') }));
    expect(renamed(org, 'platform/edge-proxy')).toEqual(own);
    expect(renamed(user, 'hubot/chat-image')).toEqual(own);
    const safe = sql("SELECT count(*) AS n FROM org_container_manifests WHERE org = 'acme-corp' AND package_name = 'platform/edge-proxy' AND json_array_length(tags) = 0 AND needed_by = '[]'");
    expect(safe).toEqual([{ n: 2 }]);
  });

  it('reads the registry as each owner: org/… and user/… repositories, the token user for /user/…', async () => {
    const fresh = openSession(fixture.standIn);
    try {
      for (const query of [
        "SELECT count(*) FROM org_container_manifests WHERE org = 'acme-corp' AND package_name = 'platform/edge-proxy'",
        "SELECT count(*) FROM user_container_manifests WHERE username = 'hubot-two' AND package_name = 'hubot/chat-image'",
        "SELECT count(*) FROM auth_user_container_manifests WHERE package_name = 'acme/app'",
      ]) {
        fresh.db.prepare(query).get();
      }
      const repositories = (await fixture.standIn.registryRequests()).flatMap((entry) => (entry.path === '/token' ? [entry.query['scope']] : []));
      expect(repositories).toEqual(['repository:acme-corp/platform/edge-proxy:pull', 'repository:hubot-two/hubot/chat-image:pull', 'repository:octo-demo/acme/app:pull']);
    } finally {
      await fresh.close();
    }
  });
});

describe('manifests', () => {
  it('that do not match their digest fail the statement: no rows, and nothing cached', async () => {
    const fresh = openSession(fixture.standIn);
    try {
      await fixture.standIn.configure({ manifestMismatch: 'body' });
      expect(() => fresh.db.prepare("SELECT * FROM auth_user_container_manifests WHERE package_name = 'acme/app'").all()).toThrow(/whose sha256 is sha256:[0-9a-f]{64}, not the digest asked for; it is not that manifest, so it is not used/);
      await fixture.standIn.configure({ manifestMismatch: null });
      await nextTurn();
      expect(fresh.db.prepare("SELECT count(*) AS n FROM auth_user_container_manifests WHERE package_name = 'acme/app'").get()).toEqual({ n: 18 });
    } finally {
      await fixture.standIn.configure({ manifestMismatch: null });
      await fresh.close();
    }
  });

  it('are fetched once: a second run on the same cache file asks the registry for none it has', async () => {
    const cacheDir = tempCacheDir();
    const query = "SELECT count(*) AS n FROM auth_user_container_links WHERE package_name = 'acme/app'";
    try {
      const first = openSession(fixture.standIn, { cache: true, cacheDir });
      expect(first.db.prepare(query).get()).toEqual({ n: 13 });
      await first.close();
      const fetched = (await fixture.standIn.registryRequests()).filter((entry) => entry.path.includes('/manifests/') && entry.status === 200);
      expect(fetched).toHaveLength(18);
      expect(new Set(fetched.map((entry) => entry.path)).size).toBe(18);

      await fixture.standIn.clearRequests();
      const second = openSession(fixture.standIn, { cache: true, cacheDir });
      expect(second.db.prepare(query).get()).toEqual({ n: 13 });
      await second.close();
      expect(await fixture.standIn.registryRequests()).toEqual([]);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
