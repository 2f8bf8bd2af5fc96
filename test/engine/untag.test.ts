// remove_container_tag_for_*: one tag goes, the version and its other tags stay. ghcr.io has no tag
// delete, so a stand-in manifest is pushed under the tag (the stand-in registry takes the blob upload
// and the manifest PUT, and its API then lists the new version) and that version is deleted.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STAND_IN_DIGEST, STAND_IN_MANIFEST } from '../../dist/tables/containers/untag.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import type { RegisterOptions } from '../../dist/index.js';
import { nextTurn, openSession, type Session } from '../support/ghsql.js';

type Row = Record<string, unknown>;

const EDGE_PROXY = "org = 'acme-corp' AND package_type = 'container' AND package_name = 'platform/edge-proxy'";
/** The demo's multi-arch image tagged 1.4 and latest. */
const RELEASE_ID = 59034640017;

let standIn: StandIn;
let session: Session;
beforeEach(async () => {
  standIn = await startStandIn();
});
afterEach(async () => {
  await session.close();
  await standIn.close();
});

const open = (options: RegisterOptions) => (session = openSession(standIn, { writeIntervalMs: 0, ...options }));
const sql = (text: string, ...values: unknown[]) => session.db.prepare(text).all(...values) as Row[];
const untag = (tag: string, packageName = 'platform/edge-proxy') =>
  session.db.prepare('SELECT remove_container_tag_for_org(?, ?, ?) AS outcome').get('acme-corp', packageName, tag) as Row;
const versions = () => sql(`SELECT id, name, tags FROM org_package_versions WHERE ${EDGE_PROXY}`).map((row) => ({ id: Number(row['id']), name: row['name'], tags: JSON.parse(String(row['tags'])) as string[] }));
const tagsOf = (id: number) => versions().find((version) => version.id === id)?.tags;
const writes = async () => [...(await standIn.requests()).filter((entry) => entry.method !== 'GET').map((entry) => `${entry.method} ${entry.path}`), ...(await standIn.registryRequests()).filter((entry) => entry.method === 'PUT').map((entry) => `${entry.method} ${entry.path}`)];

/** What an untag pushes, landed under `tag` as if its call had stopped right after the push. */
const pushStandIn = (tag: string) =>
  standIn.configure({
    imagePushes: [{ owner: 'acme-corp', packageName: 'platform/edge-proxy', manifests: [{ mediaType: STAND_IN_MANIFEST.mediaType, body: STAND_IN_MANIFEST.bytes.toString('utf8') }], tags: [tag], afterDeletes: 0 }],
  });

describe('remove_container_tag_for_org', () => {
  it('removes one tag and keeps the version with its other tags; the stand-in version it made is gone', async () => {
    open({ allowWrites: true });
    const before = versions();
    expect(tagsOf(RELEASE_ID)).toEqual(['1.4', 'latest']);
    expect(untag('latest')).toEqual({ outcome: 'untagged' });
    expect(tagsOf(RELEASE_ID)).toEqual(['1.4']);
    expect(versions().map((version) => version.id)).toEqual(before.map((version) => version.id));
    expect(versions().some((version) => version.name === STAND_IN_DIGEST)).toBe(false);
    // The registry got the empty config blob and the stand-in under the tag; the API one DELETE, of the stand-in.
    const registry = (await standIn.registryRequests()).map((entry) => `${entry.method} ${entry.path} ${entry.status}`);
    expect(registry).toEqual(expect.arrayContaining([expect.stringMatching(/^PUT \/v2\/acme-corp\/platform\/edge-proxy\/blobs\/uploads\/\w+ 201$/), 'PUT /v2/acme-corp/platform/edge-proxy/manifests/latest 201']));
    const deletes = (await standIn.requests()).filter((entry) => entry.method === 'DELETE');
    expect(deletes).toHaveLength(1);
    expect(deletes[0]!.path).not.toContain(String(RELEASE_ID));
  });

  it('refuses the only tag of a version: that is a delete, and it names the delete to use', async () => {
    open({ allowWrites: true });
    expect(() => untag('1.3')).toThrow(
      /refused, nothing was sent: "1\.3" is the only tag of version 59034640008 \(sha256:[0-9a-f]{64}\), so removing it is deleting the version; do that with delete_package_version_for_org\('acme-corp', 'container', 'platform\/edge-proxy', 59034640008\)/,
    );
    expect(await writes()).toEqual([]);
  });

  it('refuses a package of another type, and a tag no version has', async () => {
    open({ allowWrites: true });
    expect(() => untag('latest', 'ui-kit')).toThrow(/ui-kit is a package of type npm, not container; only container images have tags to remove/);
    expect(() => untag('9.9')).toThrow(/no active version of platform\/edge-proxy has the tag "9\.9"/);
    expect(await writes()).toEqual([]);
  });

  it('with keep-going, a refusal is the row\'s outcome', () => {
    open({ allowWrites: true, keepGoing: true });
    expect(untag('1.3')['outcome']).toMatch(/^refused: refused, nothing was sent: "1\.3" is the only tag/);
  });

  it('a dry run checks everything and answers would untag, sending nothing', async () => {
    open({ dryRun: true });
    expect(untag('latest')).toEqual({ outcome: 'would untag' });
    expect(() => untag('1.3')).not.toThrow();
    expect(untag('1.3')['outcome']).toMatch(/^would refuse: refused, nothing was sent: "1\.3" is the only tag/);
    expect(tagsOf(RELEASE_ID)).toEqual(['1.4', 'latest']);
    expect(await writes()).toEqual([]);
  });

  it('is off without allowWrites', () => {
    open({});
    expect(() => untag('latest')).toThrow(/remove_container_tag_for_org changes your packages on GitHub, so it is off by default/);
  });

  it('finishes an untag that was stopped after its push: the stand-in version left behind is deleted by the next call', async () => {
    // As if an earlier call pushed the stand-in under latest and was stopped before its delete.
    await pushStandIn('latest');
    open({ allowWrites: true });
    const leftOver = versions().find((version) => version.name === STAND_IN_DIGEST);
    expect(leftOver?.tags).toEqual(['latest']);
    expect(tagsOf(RELEASE_ID)).toEqual(['1.4']);
    expect(untag('latest')).toEqual({ outcome: 'untagged' });
    expect(versions().some((version) => version.name === STAND_IN_DIGEST)).toBe(false);
    // A stand-in left under another tag goes with the next call too, whatever that call comes to.
    await pushStandIn('old');
    await nextTurn(); // reads of an earlier statement are not reused
    expect(versions().find((version) => version.name === STAND_IN_DIGEST)?.tags).toEqual(['old']);
    expect(() => untag('9.9')).toThrow(/no active version of platform\/edge-proxy has the tag "9\.9"/);
    expect(versions().some((version) => version.name === STAND_IN_DIGEST)).toBe(false);
  });

  it('keeps the image guard: after an untag, the still-tagged image keeps its platform children', () => {
    open({ allowWrites: true, keepGoing: true });
    expect(untag('latest')).toEqual({ outcome: 'untagged' });
    const outcomes = sql(`SELECT id, delete_package_version_for_org(org, package_type, package_name, id) AS outcome FROM org_package_versions WHERE ${EDGE_PROXY} AND tags = '[]'`);
    expect(outcomes.some((row) => /^refused: .*1\.4/.test(String(row['outcome'])))).toBe(true);
    expect(tagsOf(RELEASE_ID)).toEqual(['1.4']);
  });
});
