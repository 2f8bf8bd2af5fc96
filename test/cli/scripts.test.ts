import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome, type TempHome } from './helpers.js';

let home: TempHome;
let work: string;
beforeAll(() => {
  home = tempHome();
  work = join(home.dir, 'work');
  mkdirSync(work);
});
afterAll(() => home.remove());

const ghsql = (args: string[], input?: string) => runCli(args, { env: home.env, input, cwd: work });
const file = (name: string, text: string) => {
  writeFileSync(join(work, name), text);
  return name;
};
const CONTAINERS = "FROM auth_user_packages WHERE package_type = 'container'";

describe('statements from files and stdin', () => {
  it('-f runs a file and names the line of the first error, running nothing after it', async () => {
    file('broken.sql', "SELECT 'first' AS step;\n-- a comment; with a semicolon\n\nSELECT *\n  FROM missing_table;\nSELECT 'never' AS step;\n");
    const { code, stdout, stderr } = await ghsql(['--demo', '--format', 'csv', '-f', 'broken.sql']);
    expect(code).toBe(1);
    expect(stdout).toBe('step\r\nfirst\r\n');
    expect(stderr).toBe('error: broken.sql line 4: no such table: missing_table\n');
  });

  it('reads statements from stdin when it is not a terminal', async () => {
    const { code, stdout } = await ghsql(['--demo', '--format', 'csv', '--no-headers'], "SELECT 'a;b';\nSELECT 2\n");
    expect(code).toBe(0);
    expect(stdout).toBe('a;b\r\n2\r\n');
    const failing = await ghsql(['--demo'], 'SELECT 1;\nSELECT nope();\n');
    expect(failing.stderr).toBe('error: stdin line 2: no such function: nope\n');
  });

  it('keeps a CREATE TRIGGER body with its semicolons together', async () => {
    const script = [
      'CREATE TABLE log(note TEXT);',
      'CREATE TABLE item(name TEXT);',
      'CREATE TRIGGER logged AFTER INSERT ON item BEGIN',
      "  INSERT INTO log VALUES ('added ' || new.name);",
      'END;',
      "INSERT INTO item VALUES ('x');",
      'SELECT note FROM log;',
    ].join('\n');
    const { code, stdout, stderr } = await ghsql(['--demo', '--format', 'csv', '--no-headers'], script);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe('added x\r\n');
  });

  it('.read runs another file; .output sends results to a file; .quit stops', async () => {
    file('inner.sql', "SELECT 'from inner' AS source;\n");
    const script = file('outer.sql', ".mode csv\n.output results.csv\n.read inner.sql\n.output\nSELECT 'on stdout' AS source;\n.quit\nSELECT 'after quit';\n");
    const { code, stdout } = await ghsql(['--demo', '-f', script]);
    expect(code).toBe(0);
    expect(stdout).toBe('source\r\non stdout\r\n');
    expect(readFileSync(join(work, 'results.csv'), 'utf8')).toBe('source\r\nfrom inner\r\n');
  });

  it('says which file is missing', async () => {
    const { code, stderr } = await ghsql(['--demo', '-f', 'nowhere.sql']);
    expect(code).toBe(1);
    expect(stderr).toBe('error: cannot read nowhere.sql: ENOENT; check the file name.\n');
  });
});

describe('--db: your own SQLite file', () => {
  it('saves a snapshot that other tools can read, and joins it with your tables', async () => {
    const snapshot = await ghsql(['--demo', '--db', 'mine.db', `CREATE TABLE snapshot AS SELECT name, visibility, version_count, repository ${CONTAINERS}`]);
    expect(snapshot).toMatchObject({ code: 0, stderr: '' });

    const db = new Database(join(work, 'mine.db'));
    try {
      const rows = db.prepare('SELECT name, version_count FROM snapshot ORDER BY version_count DESC').all() as Array<{ name: string; version_count: number }>;
      expect(rows.length).toBeGreaterThan(10);
      expect(rows[0]).toEqual({ name: 'acme/api-server', version_count: 184 });
      db.exec("CREATE TABLE owners(name TEXT, team TEXT); INSERT INTO owners VALUES ('acme/api-server', 'platform'), ('acme/worker', 'data')");
    } finally {
      db.close();
    }

    const joined = await ghsql(['--demo', '--db', 'mine.db', '--format', 'csv', `SELECT o.team, p.name, p.version_count FROM owners o JOIN auth_user_packages p ON p.name = o.name WHERE p.package_type = 'container' ORDER BY o.team`]);
    expect(joined.stdout).toBe('team,name,version_count\r\ndata,acme/worker,97\r\nplatform,acme/api-server,184\r\n');

    const tables = await ghsql(['--demo', '--db', 'mine.db', '.tables']);
    expect(tables.stdout).toBe('auth_user_packages\nauth_user_package_versions\norg_packages\norg_package_versions\nuser_packages\nuser_package_versions\nauth_user_docker_conflicts\norg_docker_conflicts\nuser_docker_conflicts\nauth_user_container_manifests\nauth_user_container_links\nauth_user_container_blobs\norg_container_manifests\norg_container_links\norg_container_blobs\nuser_container_manifests\nuser_container_links\nuser_container_blobs\nghsql_rate_limit\nghsql_actions\nowners\nsnapshot\n');
    const schema = await ghsql(['--demo', '--db', 'mine.db', '.schema owners']);
    expect(schema.stdout).toBe('CREATE TABLE owners(name TEXT, team TEXT);\n');
  });

  it('keeps TEMP views for the session, and says what to do when a stored view names temp objects', async () => {
    const temporary = await ghsql(['--demo', '--db', 'views.db', '--format', 'csv', `CREATE TEMP VIEW big AS SELECT name ${CONTAINERS} AND version_count > 90;\nSELECT name FROM big ORDER BY name`]);
    expect(temporary.stdout).toBe('name\r\nacme/api-server\r\nacme/worker\r\n');

    const stored = await ghsql(['--demo', '--db', 'views.db', `CREATE VIEW names AS SELECT name FROM temp.auth_user_packages WHERE package_type = 'npm'`]);
    expect(stored.code).toBe(1);
    expect(stored.stderr).toBe(
      'error: view names would be stored in the database file, so it cannot use temporary objects such as temp.auth_user_packages: drop the "temp." prefix, make it temporary too (CREATE TEMP VIEW …), or save the rows with CREATE TABLE name AS SELECT ….\n',
    );
    const db = new Database(join(work, 'views.db'));
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'view'").pluck().get()).toBe(0);
    db.close();
  });

  it('says what is wrong with a file that is not a database', async () => {
    file('notes.txt', 'not a database, just text that is long enough to have a header\n'.repeat(10));
    const { code, stderr } = await ghsql(['--demo', '--db', 'notes.txt', 'SELECT 1']);
    expect(code).toBe(1);
    expect(stderr).toBe('error: cannot open --db notes.txt: file is not a database; give a SQLite database file, or a new file name to create one.\n');
  });
});

describe('.export', () => {
  it('writes the last results to a SQLite table or a text file for notebooks', async () => {
    const script = file(
      'export.sql',
      [`SELECT name, version_count, owner ${CONTAINERS} ORDER BY name;`, '.export packages.sqlite containers', '.export packages.csv', '.export packages.json'].join('\n'),
    );
    const { code, stderr } = await ghsql(['--demo', '-f', script]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/exported 14 rows to packages.sqlite, table containers\nexported 14 rows to packages.csv as csv\nexported 14 rows to packages.json as json\n/);

    const db = new Database(join(work, 'packages.sqlite'));
    const first = db.prepare("SELECT name, version_count, owner ->> '$.login' AS login FROM containers ORDER BY name LIMIT 1").get();
    expect(first).toEqual({ name: 'acme/api-server', version_count: 184, login: 'octo-demo' });
    db.close();
    expect(readFileSync(join(work, 'packages.csv'), 'utf8').split('\r\n')[0]).toBe('name,version_count,owner');
    expect(JSON.parse(readFileSync(join(work, 'packages.json'), 'utf8'))[0].owner.login).toBe('octo-demo');
  });

  it('needs results, and a file type it knows', async () => {
    expect((await ghsql(['--demo', '.export early.sqlite'])).stderr).toBe('error: .export saves the rows of the last query, and none has run yet; run a SELECT first.\n');
    expect((await ghsql(['--demo', 'SELECT 1;\n.export out.xlsx'])).stderr).toBe(
      'error: .export writes .sqlite, .sqlite3, .db, .csv, .json, .ndjson, .jsonl, .md, .txt, .html, .htm files; name the file with one of these extensions.\n',
    );
  });
});
