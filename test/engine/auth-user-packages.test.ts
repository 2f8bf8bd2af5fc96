import { describe, expect, it } from 'vitest';
import { generatedPackages, type StoredPackage } from '../../dist/stand-in/packages-data.js';
import { useStandInSession } from '../support/ghsql.js';

const COLUMNS = ['id', 'name', 'repository', 'updated_at', 'url', 'visibility', 'version_count', 'package_type', 'owner', 'created_at', 'html_url', 'package_name'];
const ODD_NAMES = ['team/api-server', '@scope/pkg', '100%-done', 'with space', 'ünïcødé-名前'];

function named(name: string, id: number, overrides: Partial<StoredPackage> = {}): StoredPackage {
  return { ...generatedPackages(1, 'npm', id)[0]!, name, ...overrides };
}

describe('auth_user_packages', () => {
  const context = useStandInSession({
    packages: [
      ...generatedPackages(250, 'container', 1), // 3 pages of 100
      ...ODD_NAMES.map((name, i) => named(name, 1000 + i)),
      named('left-pad', 2000, { visibility: 'public', repository: null }),
      named('private-one', 2001, { visibility: 'private', repository: 'private-one' }),
      named('rubygem', 3000, { package_type: 'rubygems' }),
    ],
    accounts: [],
  });
  const { sql, requests } = context;

  describe('columns', () => {
    it('are the resource fields in order, plus package_name, with declared types', () => {
      const info = sql('PRAGMA table_info(auth_user_packages)');
      expect(info.map((column) => column['name'])).toEqual(COLUMNS);
      expect(info.find((column) => column['name'] === 'id')!['type']).toBe('INTEGER');
      expect(info.find((column) => column['name'] === 'version_count')!['type']).toBe('INTEGER');
      const [row] = sql("SELECT * FROM auth_user_packages WHERE package_type = 'npm' AND package_name = 'left-pad'");
      expect(Object.keys(row!)).toEqual(COLUMNS);
      expect(row).toMatchObject({ id: 2000, name: 'left-pad', package_type: 'npm', package_name: 'left-pad', visibility: 'public', repository: null });
      expect(typeof row!['version_count']).toBe('number');
      const [types] = sql("SELECT typeof(id) AS id, typeof(version_count) AS versions, version_count / 1000 AS whole FROM auth_user_packages WHERE package_type = 'npm' AND package_name = 'left-pad'");
      expect(types).toEqual({ id: 'integer', versions: 'integer', whole: 0 });
    });

    it('keep owner and repository as JSON text', () => {
      const [row] = sql(`SELECT json_extract(owner, '$.login') AS login, json_extract(repository, '$.name') AS repo, json_valid(owner) AS valid
        FROM auth_user_packages WHERE package_type = 'npm' AND package_name = 'private-one'`);
      expect(row).toEqual({ login: expect.any(String), repo: 'private-one', valid: 1 });
      expect((row!['login'] as string).length).toBeGreaterThan(0);
    });
  });

  describe('routing', () => {
    it('lists every page of a type, with per_page=100', async () => {
      const [row] = sql("SELECT count(*) AS n, count(DISTINCT id) AS ids FROM auth_user_packages WHERE package_type = 'container'");
      expect(row).toEqual({ n: 250, ids: 250 });
      // Pages 2 and 3 are read ahead together, so the log may have them in either order.
      const log = await requests();
      expect(log.map((entry) => [entry.path, entry.query['page'] ?? '1', entry.query['per_page']]).sort()).toEqual([
        ['/user/packages', '1', '100'],
        ['/user/packages', '2', '100'],
        ['/user/packages', '3', '100'],
      ]);
      expect(log.every((entry) => entry.query['package_type'] === 'container')).toBe(true);
    });

    it('gets one package with one request when package_name is bound', async () => {
      const rows = sql("SELECT name FROM auth_user_packages WHERE package_type = 'npm' AND package_name = 'left-pad'");
      expect(rows).toEqual([{ name: 'left-pad' }]);
      expect((await requests()).map((entry) => entry.path)).toEqual(['/user/packages/npm/left-pad']);
    });

    it('treats a 404 on get as no row', async () => {
      expect(sql("SELECT * FROM auth_user_packages WHERE package_type = 'npm' AND package_name = 'no-such-package'")).toEqual([]);
      expect((await requests()).map((entry) => entry.status)).toEqual([404]);
    });

    it('runs one list per value of IN', async () => {
      const rows = sql("SELECT package_type, count(*) AS n FROM auth_user_packages WHERE package_type IN ('npm', 'rubygems') GROUP BY 1 ORDER BY 1");
      expect(rows).toEqual([
        { package_type: 'npm', n: ODD_NAMES.length + 2 },
        { package_type: 'rubygems', n: 1 },
      ]);
      const types = (await requests()).map((entry) => entry.query['package_type']).sort();
      expect(types).toEqual(['npm', 'rubygems']);
    });

    it('filters visibility itself, with any operator (it is a plain column, not sent to GitHub)', async () => {
      const all = sql("SELECT name, visibility FROM auth_user_packages WHERE package_type = 'npm' ORDER BY name") as Array<{ name: string; visibility: string }>;
      const log = await requests();
      expect(log).toHaveLength(1);
      expect(log[0]!.query).toEqual({ package_type: 'npm', per_page: '100' });
      const names = (where: string) => sql(`SELECT name FROM auth_user_packages WHERE package_type = 'npm' AND ${where} ORDER BY name`).map((row) => row['name']);
      const publicOnes = all.filter((row) => row.visibility === 'public').map((row) => row.name);
      expect(publicOnes).toContain('left-pad');
      expect(names("visibility = 'public'")).toEqual(publicOnes);
      expect(names("visibility <> 'public'")).toEqual(all.filter((row) => row.visibility !== 'public').map((row) => row.name));
      expect(names("visibility LIKE 'pu%'")).toEqual(publicOnes);
      expect(names('visibility IS NOT NULL')).toEqual(all.map((row) => row.name));
      expect(names("visibility = 'secret'")).toEqual([]);
    });

    it('filters a get by visibility too', () => {
      expect(sql("SELECT name FROM auth_user_packages WHERE package_type = 'npm' AND package_name = 'left-pad' AND visibility = 'private'")).toEqual([]);
      expect(sql("SELECT name FROM auth_user_packages WHERE package_type = 'npm' AND package_name = 'left-pad' AND visibility = 'public'")).toEqual([{ name: 'left-pad' }]);
    });

    it('accepts table-valued-function arguments on the native table (main.)', async () => {
      expect(sql("SELECT name, package_type FROM main.auth_user_packages('npm', 'left-pad')")).toEqual([{ name: 'left-pad', package_type: 'npm' }]);
      expect(sql("SELECT count(*) AS n FROM main.auth_user_packages('container')")).toEqual([{ n: 250 }]);
      expect((await requests()).map((entry) => entry.path)).toEqual(['/user/packages/npm/left-pad', '/user/packages', '/user/packages', '/user/packages']);
    });

    it('joins with an ordinary table: one get per distinct (type, name)', async () => {
      context.session.db.exec(`CREATE TEMP TABLE retiring(type TEXT, name TEXT);
        INSERT INTO retiring VALUES ('npm', 'left-pad'), ('npm', 'private-one'), ('npm', 'left-pad'), ('npm', 'gone'), ('rubygems', 'rubygem')`);
      const rows = sql(`SELECT r.name, p.id, p.visibility FROM retiring r
        JOIN auth_user_packages p ON p.package_type = r.type AND p.package_name = r.name ORDER BY r.name, p.id`);
      expect(rows.map((row) => row['name'])).toEqual(['left-pad', 'left-pad', 'private-one', 'rubygem']);
      const paths = (await requests()).map((entry) => entry.path).sort();
      expect(paths).toEqual(['/user/packages/npm/gone', '/user/packages/npm/left-pad', '/user/packages/npm/private-one', '/user/packages/rubygems/rubygem']);
    });

    it('joins on the type alone: one list per distinct type', async () => {
      context.session.db.exec(`CREATE TEMP TABLE wanted(type TEXT); INSERT INTO wanted VALUES ('rubygems'), ('rubygems'), ('rubygems')`);
      const rows = sql('SELECT p.name FROM wanted w JOIN auth_user_packages p ON p.package_type = w.type');
      expect(rows).toHaveLength(3);
      expect(await requests()).toHaveLength(1);
    });

    it('answers a join of many names of one type from one list instead of a get per name', async () => {
      context.session.db.exec('CREATE TEMP TABLE many(type TEXT, name TEXT)');
      const insert = context.session.db.prepare('INSERT INTO many VALUES (?, ?)');
      const names = Array.from({ length: 40 }, (_, i) => `container-package-${String(i * 5 + 1).padStart(6, '0')}`);
      for (const name of [...names, 'not-a-package', names[0]!]) insert.run('container', name);
      const rows = sql(`SELECT m.name, p.id, p.visibility FROM many m
        JOIN auth_user_packages p ON p.package_type = m.type AND p.package_name = m.name AND p.visibility = 'private'`);
      const expected = [...names, names[0]!].map((name) => ({ name, id: Number(name.slice(-6)), visibility: 'private' }));
      expect(rows).toEqual(expected.filter((row) => row.id % 3 !== 0)); // generatedPackages: every third is public
      const log = await requests();
      // 5 gets, then the list; not-a-package is not in it, and the list holds every package a get can see: no row, no get.
      expect(log.filter((entry) => entry.path.startsWith('/user/packages/container/'))).toHaveLength(5);
      expect(log.filter((entry) => entry.path === '/user/packages/container/not-a-package')).toHaveLength(0);
      expect(log.filter((entry) => entry.path === '/user/packages')).toHaveLength(3);
    });

    it.each(ODD_NAMES)('encodes the path segment of %j', async (name) => {
      const rows = sql("SELECT name, package_name FROM auth_user_packages WHERE package_type = 'npm' AND package_name = ?", name);
      expect(rows).toEqual([{ name, package_name: name }]);
      const [entry] = await requests();
      expect(entry!.path).toBe(`/user/packages/npm/${encodeURIComponent(name)}`);
      expect(entry!.status).toBe(200);
    });

    it('costs exactly one request for LIMIT 5 on a multi-page list', async () => {
      expect(sql("SELECT id FROM auth_user_packages WHERE package_type = 'container' LIMIT 5")).toHaveLength(5);
      await new Promise((resolve) => setTimeout(resolve, 200)); // room for any stray read-ahead to show up
      expect(await requests()).toHaveLength(1);
    });
  });

  describe('errors a user can cause, each before any request', () => {
    const refused = async (text: string, message: RegExp) => {
      expect(() => sql(text)).toThrow(message);
      expect(await requests()).toEqual([]);
    };

    it('without package_type: names the column, shows an example', () =>
      refused(
        'SELECT * FROM auth_user_packages',
        /auth_user_packages needs package_type in the WHERE clause \(one of npm, maven, rubygems, docker, nuget, container\), e\.g\. SELECT \* FROM auth_user_packages WHERE package_type = 'container'/,
      ));

    it('with only package_name: still asks for package_type', () =>
      refused("SELECT * FROM auth_user_packages WHERE package_name = 'left-pad'", /needs package_type/));

    it('with an unknown type: lists the six valid ones', () =>
      refused(
        "SELECT * FROM auth_user_packages WHERE package_type = 'pypi'",
        /package_type "pypi" is not valid; use one of npm, maven, rubygems, docker, nuget, container/,
      ));

    it.each([
      "package_type > 'a'",
      "package_type LIKE 'n%'",
      "package_type = 'npm' AND package_name LIKE 'left%'",
      "package_type <> 'npm'",
    ])('with another operator than = or IN on a parameter column: %s', (where) =>
      refused(`SELECT * FROM auth_user_packages WHERE ${where}`, /can only be constrained by the '=' operator/));

    it('allows any operator on other columns', () => {
      const rows = sql("SELECT name FROM auth_user_packages WHERE package_type = 'npm' AND name LIKE 'left%' AND version_count >= 0");
      expect(rows).toEqual([{ name: 'left-pad' }]);
    });
  });
});
