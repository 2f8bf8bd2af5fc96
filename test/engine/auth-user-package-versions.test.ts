import { describe, expect, it } from 'vitest';
import { digestOf, generatedManifest } from '../../dist/stand-in/images-data.js';
import { generatedPackages, type StoredPackage } from '../../dist/stand-in/packages-data.js';
import type { StoredVersion } from '../../dist/stand-in/versions-data.js';
import { nextTurn, useStandInSession } from '../support/ghsql.js';

const COLUMNS = ['id', 'name', 'url', 'package_html_url', 'html_url', 'license', 'description', 'created_at', 'updated_at', 'deleted_at', 'metadata', 'tags', 'image_tags', 'package_type', 'package_name', 'package_version_id', 'state'];
const DAY_MS = 86_400_000;
const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 19) + 'Z';
// Real manifests: the registry holds one for every container version, and a delete's guard reads them.
const manifest = (n: number) => generatedManifest(0, n);
const digest = (n: number) => digestOf(manifest(n).body);

// app: 250 versions (3 pages), the newest 3 tagged; one deleted 2 days ago, one 40 days ago.
const app: StoredPackage = { ...generatedPackages(1, 'container', 7)[0]!, name: 'team/app', version_count: 250, visibility: 'private' };
const popular: StoredPackage = { ...generatedPackages(1, 'container', 8)[0]!, name: 'popular', version_count: 2, visibility: 'public', downloads: 90_000 };
const single: StoredPackage = { ...generatedPackages(1, 'container', 9)[0]!, name: 'single', version_count: 1 };
const npm: StoredPackage = { ...generatedPackages(1, 'npm', 10)[0]!, name: 'lib', version_count: 2 };

function version(pkg: StoredPackage, id: number, overrides: Partial<StoredVersion> = {}): StoredVersion {
  return { id, package_id: pkg.id, name: digest(id), manifest: manifest(id), created_at: iso(1000 - id % 1000), updated_at: iso(1000 - id % 1000), deleted_at: null, downloads: 10, tags: [], ...overrides };
}

const versions: StoredVersion[] = [
  ...Array.from({ length: 250 }, (_, i) => version(app, 1000 + i, i >= 247 ? { tags: [`v1.${i - 247}`, ...(i === 249 ? ['latest'] : [])] } : {})),
  version(app, 2000, { deleted_at: iso(2) }),
  version(app, 2001, { deleted_at: iso(40) }),
  version(popular, 3000, { downloads: 9_000 }),
  version(popular, 3001),
  version(single, 4000),
  version(npm, 5000, { name: '1.0.0' }),
  version(npm, 5001, { name: '1.1.0' }),
];

describe('auth_user_package_versions', () => {
  const { sql, requests } = useStandInSession({ packages: [app, popular, single, npm], versions, accounts: [] }, { allowWrites: true, writeIntervalMs: 0 });

  it("has GitHub's package-version columns in order, then tags and the parameters, each showing its value", () => {
    const [row] = sql("SELECT * FROM auth_user_package_versions WHERE package_type = 'container' AND package_name = 'team/app' AND package_version_id = 1249");
    expect(Object.keys(row!)).toEqual(COLUMNS);
    expect(row).toMatchObject({ id: 1249, name: digest(1249), package_type: 'container', package_name: 'team/app', package_version_id: 1249, state: 'active', deleted_at: null });
    expect(JSON.parse(row!['tags'] as string)).toEqual(['v1.2', 'latest']);
    expect(JSON.parse(row!['image_tags'] as string)).toEqual(['v1.2', 'latest']);
    expect(JSON.parse(row!['metadata'] as string)).toMatchObject({ package_type: 'container', container: { tags: ['v1.2', 'latest'] } });
    const [types] = sql("SELECT typeof(id) AS id, typeof(package_version_id) AS pvid FROM auth_user_package_versions WHERE package_type = 'container' AND package_name = 'team/app' AND package_version_id = 1249");
    expect(types).toEqual({ id: 'integer', pvid: 'integer' });
  });

  it('lists every page of a package, tags as rows through json_each, [] when none', async () => {
    const [counts] = sql(`SELECT count(*) AS n, count(DISTINCT id) AS ids, sum(json_array_length(tags) = 0) AS untagged
      FROM auth_user_package_versions WHERE package_type = 'container' AND package_name = 'team/app'`);
    expect(counts).toEqual({ n: 250, ids: 250, untagged: 247 });
    const log = await requests();
    expect(log.map((entry) => entry.query['page'] ?? '1').sort()).toEqual(['1', '2', '3']);
    expect(log.every((entry) => entry.path === '/user/packages/container/team%2Fapp/versions')).toBe(true);
    const tags = sql(`SELECT tag.value AS tag FROM auth_user_package_versions v, json_each(v.tags) AS tag
      WHERE v.package_type = 'container' AND v.package_name = 'team/app' ORDER BY tag`);
    expect(tags.map((row) => row['tag'])).toEqual(['latest', 'v1.0', 'v1.1', 'v1.2']);
    expect(sql("SELECT tags FROM auth_user_package_versions WHERE package_type = 'npm' AND package_name = 'lib'")).toEqual([{ tags: '[]' }, { tags: '[]' }]);
  });

  it("state = 'deleted' lists what can be restored, sent as a query value; a get checks it on the row", async () => {
    const deleted = sql("SELECT id, state, deleted_at IS NOT NULL AS has_deleted_at FROM auth_user_package_versions WHERE package_type = 'container' AND package_name = 'team/app' AND state = 'deleted' ORDER BY id");
    expect(deleted).toEqual([
      { id: 2000, state: 'deleted', has_deleted_at: 1 },
      { id: 2001, state: 'deleted', has_deleted_at: 1 },
    ]);
    expect((await requests())[0]!.query).toMatchObject({ state: 'deleted' });
    expect(sql("SELECT id FROM auth_user_package_versions WHERE package_type = 'container' AND package_name = 'team/app' AND package_version_id = 1249 AND state = 'deleted'")).toEqual([]);
    expect(sql("SELECT id FROM auth_user_package_versions WHERE package_type = 'container' AND package_name = 'team/app' AND package_version_id = 1249 AND state = 'active'")).toEqual([{ id: 1249 }]);
  });

  it('a get by version id is one request; a 404 (no such version, or no such package) is no row', async () => {
    expect(sql("SELECT id FROM auth_user_package_versions WHERE package_type = 'container' AND package_name = 'team/app' AND package_version_id = '1000'")).toEqual([{ id: 1000 }]);
    expect(sql("SELECT id FROM auth_user_package_versions WHERE package_type = 'container' AND package_name = 'team/app' AND package_version_id = 999999")).toEqual([]);
    expect(sql("SELECT id FROM auth_user_package_versions WHERE package_type = 'container' AND package_name = 'no-such-package'")).toEqual([]);
    expect((await requests()).map((entry) => [entry.path, entry.status])).toEqual([
      ['/user/packages/container/team%2Fapp/versions/1000', 200],
      ['/user/packages/container/team%2Fapp/versions/999999', 404],
      ['/user/packages/container/no-such-package/versions', 404],
    ]);
  });

  it('needs package_type and package_name, and says so before any request', async () => {
    expect(() => sql("SELECT * FROM auth_user_package_versions WHERE package_type = 'container'")).toThrow(
      /auth_user_package_versions needs package_name in the WHERE clause, e\.g\. SELECT \* FROM auth_user_package_versions WHERE package_type = 'container' AND package_name = 'acme\/api-server'/,
    );
    expect(() => sql("SELECT * FROM auth_user_package_versions WHERE package_name = 'x'")).toThrow(/needs package_type/);
    expect(() => sql("SELECT * FROM auth_user_package_versions WHERE package_type = 'container' AND package_name = 'team/app' AND state = 'gone'")).toThrow(/state "gone" is not valid; use one of active, deleted/);
    expect(await requests()).toEqual([]);
  });

  it('one statement lists every version of every container package, reading the next packages ahead', async () => {
    const rows = sql(`SELECT p.name AS package, count(*) AS versions FROM auth_user_packages p
      JOIN auth_user_package_versions v ON v.package_type = p.package_type AND v.package_name = p.name
      WHERE p.package_type = 'container' GROUP BY p.name ORDER BY p.name`);
    expect(rows).toEqual([
      { package: 'popular', versions: 2 },
      { package: 'single', versions: 1 },
      { package: 'team/app', versions: 250 },
    ]);
    // The list of packages, then each package's versions once: the read-ahead never asks twice.
    const paths = (await requests()).map((entry) => `${entry.path}?page=${entry.query['page'] ?? '1'}`);
    expect(paths.filter((path) => path.includes('/versions')).sort()).toEqual(
      ['popular', 'single', 'team%2Fapp', 'team%2Fapp', 'team%2Fapp'].map((name, i) => `/user/packages/container/${name}/versions?page=${name === 'team%2Fapp' ? i - 1 : 1}`).sort(),
    );
  });

  it('a LIMIT met inside the first package costs no request for the next packages', async () => {
    sql(`SELECT v.id FROM auth_user_packages p
      JOIN auth_user_package_versions v ON v.package_type = p.package_type AND v.package_name = p.name
      WHERE p.package_type = 'container' AND p.name = 'team/app' LIMIT 3`);
    await new Promise((resolve) => setTimeout(resolve, 200)); // room for any stray read-ahead to show up
    expect((await requests()).filter((entry) => entry.path.includes('/versions'))).toHaveLength(1);
  });

  describe('actions', () => {
    it('delete a version and restore it', async () => {
      expect(sql("SELECT delete_package_version_for_authenticated_user('container', 'team/app', 1000) AS outcome")).toEqual([{ outcome: 'deleted' }]);
      await nextTurn();
      expect(sql("SELECT id FROM auth_user_package_versions WHERE package_type = 'container' AND package_name = 'team/app' AND state = 'deleted' AND id = 1000")).toEqual([{ id: 1000 }]);
      expect(sql("SELECT restore_package_version_for_authenticated_user('container', 'team/app', '1000') AS outcome")).toEqual([{ outcome: 'restored' }]);
      const log = (await requests()).filter((entry) => entry.method !== 'GET').map((entry) => `${entry.method} ${entry.path} ${entry.status}`);
      expect(log).toEqual(['DELETE /user/packages/container/team%2Fapp/versions/1000 204', 'POST /user/packages/container/team%2Fapp/versions/1000/restore 204']);
      const [logged] = sql("SELECT action, json_extract(target, '$.package_version_id') AS id, outcome FROM ghsql_actions WHERE action LIKE 'restore%'");
      expect(logged).toEqual({ action: 'restore_package_version_for_authenticated_user', id: '1000', outcome: 'restored' });
    });

    it('say which refusal it is, and what to do instead', () => {
      expect(() => sql("SELECT delete_package_version_for_authenticated_user('container', 'single', 4000)")).toThrow(
        /delete_package_version_for_authenticated_user: container\/single\/4000: GitHub refuses: it is the last version of its package, which GitHub does not delete; delete the package instead/,
      );
      expect(() => sql("SELECT delete_package_version_for_authenticated_user('container', 'popular', 3000)")).toThrow(/GitHub refuses: it is public and has a version downloaded more than 5,000 times/);
      expect(() => sql("SELECT restore_package_version_for_authenticated_user('container', 'team/app', 2001)")).toThrow(/30 days/);
    });

    it('check their arguments before any request', async () => {
      for (const [call, message] of [
        ["('container', 'team/app', 'abc')", /package_version_id must be a whole number, not "abc"/],
        ["('container', 'team/app', 1.5)", /package_version_id must be a whole number/],
        ["('container', 'team/app', NULL)", /package_version_id is NULL/],
        ["('container', '..', 1000)", /package_name "\.\." is not a name GitHub can have/],
        ["('container', 'team/app')", /takes 3 to 4 arguments, not 2/],
      ] as const) {
        expect(() => sql(`SELECT delete_package_version_for_authenticated_user${call}`)).toThrow(message);
      }
      expect(await requests()).toEqual([]);
    });
  });
});
