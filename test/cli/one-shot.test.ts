import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome, type TempHome } from './helpers.js';

let home: TempHome;
beforeAll(() => {
  home = tempHome();
});
afterAll(() => home.remove());

const ghsql = (args: string[], input?: string) => runCli(args, { env: home.env, input });
const ONE_NPM_PACKAGE = "SELECT name, version_count, owner, repository FROM auth_user_packages WHERE package_type = 'npm' AND package_name = 'eslint-config'";

describe('ghsql "SQL"', () => {
  it('prints an aligned table, numbers to the right and NULL spelled out, without colour off a terminal', async () => {
    const { code, stdout, stderr } = await ghsql(['--demo', "SELECT 1 AS one, NULL AS missing, 'x' AS text"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(
      ['┌─────┬─────────┬──────┐', '│ one │ missing │ text │', '├─────┼─────────┼──────┤', '│   1 │ NULL    │ x    │', '└─────┴─────────┴──────┘', '(1 row)', ''].join('\n'),
    );
  });

  it('runs several statements and a dot-command on a line of its own', async () => {
    const { code, stdout } = await ghsql(['--demo', "CREATE TABLE t(x); INSERT INTO t VALUES (1), (2);\n.mode csv\nSELECT sum(x) AS total FROM t"]);
    expect(code).toBe(0);
    expect(stdout).toBe('total\r\n3\r\n');
  });

  it('nests JSON columns as objects in --json and ndjson output', async () => {
    const json = await ghsql(['--demo', '--json', ONE_NPM_PACKAGE]);
    expect(json.code).toBe(0);
    const [row] = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(row).toMatchObject({ name: 'eslint-config', version_count: 12, owner: { login: 'octo-demo', type: 'User' }, repository: null });

    const ndjson = await ghsql(['--demo', '--format', 'ndjson', `${ONE_NPM_PACKAGE} UNION ALL ${ONE_NPM_PACKAGE}`]);
    const lines = ndjson.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({ owner: { login: 'octo-demo' } });
  });

  it('prints csv, markdown and line formats', async () => {
    const sql = `SELECT 'a,"b"' AS quoted, 2 AS n, NULL AS missing, 'p|q' AS pipe`;
    expect((await ghsql(['--demo', '--format', 'csv', sql])).stdout).toBe('quoted,n,missing,pipe\r\n"a,""b""",2,,p|q\r\n');
    expect((await ghsql(['--demo', '--format', 'csv', '--no-headers', sql])).stdout).toBe('"a,""b""",2,,p|q\r\n');
    expect((await ghsql(['--demo', '--format', 'markdown', sql])).stdout).toBe(
      ['| quoted |   n | missing | pipe |', '| ------ | --: | ------- | ---- |', '| a,"b"  |   2 |         | p\\|q |', ''].join('\n'),
    );
    expect((await ghsql(['--demo', '--format', 'line', sql])).stdout).toBe(' quoted = a,"b"\n      n = 2\nmissing = NULL\n   pipe = p|q\n');
  });

  it('leaves out the header row with --no-headers', async () => {
    const { stdout } = await ghsql(['--demo', '--no-headers', 'SELECT 7 AS n']);
    expect(stdout).toBe('┌───┐\n│ 7 │\n└───┘\n(1 row)\n');
  });

  it('writes nothing to stderr off a terminal: no progress line', async () => {
    const { code, stderr } = await ghsql(['--demo', "SELECT count(*) FROM auth_user_packages WHERE package_type = 'container'"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});

describe('errors', () => {
  it('go to stderr as "error: …" with exit code 1', async () => {
    const { code, stdout, stderr } = await ghsql(['--demo', 'SELECT * FROM no_such_table']);
    expect({ code, stdout, stderr }).toEqual({ code: 1, stdout: '', stderr: 'error: no such table: no_such_table\n' });
  });

  it('explain that parameters take = or IN', async () => {
    const { code, stderr } = await ghsql(['--demo', "SELECT name FROM auth_user_packages WHERE package_type LIKE 'n%'"]);
    expect(code).toBe(1);
    expect(stderr).toBe("error: package_type is sent to GitHub, so it can only be compared with = or IN, e.g. WHERE package_type IN ('a', 'b'); other columns take any operator.\n");
  });

  it('say which parameter a query is missing', async () => {
    const { code, stderr } = await ghsql(['--demo', 'SELECT name FROM auth_user_packages']);
    expect(code).toBe(1);
    expect(stderr).toContain("error: auth_user_packages needs package_type in the WHERE clause (one of npm, maven, rubygems, docker, nuget, container), e.g. SELECT * FROM auth_user_packages WHERE package_type = 'container'");
  });

  it('say a dot-command needs a line of its own', async () => {
    const { code, stdout, stderr } = await ghsql(['--demo', 'SELECT 1 AS a; .mode csv']);
    expect(code).toBe(1);
    expect(stdout).toContain('│ a │');
    expect(stderr).toBe('error: .mode is a dot-command: put it on a line of its own, after the statement\'s ";".\n');
  });

  it('refuse bad flags with what to do', async () => {
    expect((await ghsql(['--format', 'xml', 'SELECT 1'])).stderr).toBe('error: --format xml is not a format; use one of table, json, ndjson, csv, markdown, line, bar, html.\n');
    expect((await ghsql(['-f', 'x.sql', 'SELECT 1'])).stderr).toBe('error: give either statements as an argument or -f FILE, not both.\n');
    expect((await ghsql(['--cache-ttl', 'soon', 'SELECT 1'])).stderr).toBe('error: --cache-ttl takes a whole number of at least 0, not "soon".\n');
    const unknown = await ghsql(['--colour']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: Unknown option '--colour'.*; ghsql --help lists the options\.\n$/);
  });

  it('--version and --help', async () => {
    expect((await ghsql(['--version'])).stdout).toMatch(/^ghsql \d+\.\d+\.\d+\n$/);
    const help = await ghsql(['--help']);
    // Every table and action, from the resources: the next table appears here without an edit.
    const { resources } = await import('../../dist/tables/index.js');
    for (const resource of resources) {
      expect(help.stdout).toContain(`  ${resource.table}`);
      for (const action of resource.actions) expect(help.stdout).toContain(`  ${action.name}(`);
    }
    for (const flag of ['--db FILE', '-f, --file FILE', '--format MODE', '--trace', '--no-cache', '--cache-ttl SECONDS', '--max-wait', '--concurrency', '--timeout', '--allow-writes', '--dry-run']) {
      expect(help.stdout).toContain(flag);
    }
  });
});
