import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome, type TempHome } from './helpers.js';

/** History kept in the user's file, read back by another program (python3's sqlite3, as pandas would). */
const run = promisify(execFile);
let home: TempHome;
beforeAll(() => {
  home = tempHome();
});
afterAll(() => home.remove());

const ghsql = (args: string[], input?: string) => runCli(args, { env: home.env, input });
/** Rows of a query on `file` as Python's sqlite3 returns them, with the Python type of each value. */
async function python(file: string, sql: string): Promise<unknown[]> {
  const script = 'import json, sqlite3, sys\nrows = sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchall()\nprint(json.dumps([[[v, type(v).__name__] for v in row] for row in rows]))';
  const { stdout } = await run('python3', ['-c', script, file, sql]);
  return JSON.parse(stdout) as unknown[];
}

const SNAPSHOT = ".snapshot container_sizes AS SELECT name, version_count, count(*) OVER () AS packages FROM auth_user_packages WHERE package_type = 'container' ORDER BY name";

describe('.snapshot TABLE AS SELECT …', () => {
  it('creates the table on first use and appends on every run, each run with its taken_at', async () => {
    const file = join(home.dir, 'history.db');
    const first = await ghsql(['--demo', '--db', file, SNAPSHOT]);
    expect(first.code).toBe(0);
    const taken = /^snapshot container_sizes: (\d+) rows taken at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(table created\)\n$/.exec(first.stderr);
    expect(taken).not.toBeNull();
    const containers = Number(taken![1]);
    // A later run, in a script, with a column the table did not have.
    const second = await ghsql(['--demo', '--db', file], `${SNAPSHOT.replace('AS packages', 'AS packages, visibility')}\n`);
    expect(second.stderr).toMatch(new RegExp(`^snapshot container_sizes: ${containers} rows taken at \\S+ \\(columns added: visibility\\)\n$`));

    const runs = await python(file, 'SELECT count(DISTINCT taken_at), count(*), count(visibility) FROM container_sizes');
    // Two runs a second apart or less may share a taken_at: the rows are what must be there.
    expect(runs).toEqual([[[expect.any(Number), 'int'], [2 * containers, 'int'], [containers, 'int']]]);
    const [row] = await python(file, 'SELECT version_count, packages FROM container_sizes LIMIT 1');
    expect(row).toEqual([[expect.any(Number), 'int'], [containers, 'int']]);
  });

  it('says the snapshot is lost without --db, and how it is typed', async () => {
    const { code, stderr } = await ghsql(['--demo', SNAPSHOT]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/\(table created\) \(in memory: give --db FILE to keep it\)\n$/);
    expect((await ghsql(['--demo', '.snapshot nothing'])).stderr).toMatch(/^error: usage: \.snapshot TABLE AS SELECT …/);
  });
});

describe('.export FILE.sqlite', () => {
  it('keeps integers INTEGER (count(*) was a REAL 7.0) and declares the type an expression has', async () => {
    const file = join(home.dir, 'export.sqlite');
    const { code } = await ghsql(['--demo'], `SELECT package_type, count(*) AS packages, avg(version_count) AS mean FROM auth_user_packages WHERE package_type = 'npm' GROUP BY package_type;\n.export ${file} by_type\n`);
    expect(code).toBe(0);
    const [row] = await python(file, 'SELECT package_type, packages, mean FROM by_type');
    expect(row).toEqual([['npm', 'str'], [10, 'int'], [expect.any(Number), 'float']]);
    expect(await python(file, "SELECT name, type FROM pragma_table_info('by_type')")).toEqual([
      [['package_type', 'str'], ['TEXT', 'str']],
      [['packages', 'str'], ['INTEGER', 'str']],
      [['mean', 'str'], ['REAL', 'str']],
    ]);
  });
});

describe('a view stored in --db that reads ghsql tables', () => {
  it('is warned about, with what to do instead; a TEMP view or one over the file’s own tables is not', async () => {
    const file = join(home.dir, 'views.db');
    const stored = await ghsql(['--demo', '--db', file, "CREATE VIEW npm_names AS SELECT name FROM auth_user_packages WHERE package_type = 'npm'"]);
    expect(stored.code).toBe(0);
    expect(stored.stderr).toBe(
      `warning: view npm_names is stored in ${file} and reads auth_user_packages, which exists only while ghsql runs: sqlite3, pandas or Datasette reading it from the file fail with "no such table: main.auth_user_packages". Make it a CREATE TEMP VIEW (this session only), or keep the rows with .snapshot TABLE AS SELECT ….\n`,
    );
    // What the warning says happens, happens.
    await expect(python(file, 'SELECT * FROM npm_names')).rejects.toThrow(/no such table: main.auth_user_packages/);

    const quiet = await ghsql(['--demo', '--db', file], "CREATE TEMP VIEW t AS SELECT name FROM auth_user_packages WHERE package_type = 'npm';\nCREATE TABLE mine(x);\nCREATE VIEW mine_view AS SELECT x FROM mine;\n");
    expect({ code: quiet.code, stderr: quiet.stderr }).toEqual({ code: 0, stderr: '' });
  });
});
