import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedPackages } from '../../dist/stand-in/packages-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { runCli, tempHome, type TempHome } from './helpers.js';

/**
 * Package names and other data (GitHub's, a database's) may hold control characters. On a terminal
 * they would colour, move or clear the screen, so text output and stderr show them escaped; the
 * data formats (json, ndjson, csv) keep them exact.
 */
let home: TempHome;
let standIn: StandIn;
const HOSTILE_NAME = 'evil\x1b[2J\x1b]0;pwned\x07name';
beforeAll(async () => {
  home = tempHome();
  const [hostile, plain] = generatedPackages(2, 'npm');
  // Public and downloaded often: GitHub refuses to delete it, so its name appears in an error too.
  standIn = await startStandIn({ packages: [{ ...hostile!, name: HOSTILE_NAME, visibility: 'public', downloads: 9_000 }, plain!] });
});
afterAll(async () => {
  await standIn.close();
  home.remove();
});

const demo = (args: string[]) => runCli(['--demo', ...args], { env: home.env });
const github = (args: string[]) => runCli(['--api-url', standIn.url, '--no-cache', ...args], { env: { ...home.env, GITHUB_TOKEN: standIn.token } });

/** Every character a terminal would act on, but newline. */
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const VALUES =
  "SELECT char(27) || '[31mred' AS colour, 'bell' || char(7) AS bell, 'back' || char(8) || 'space' AS backspace, " +
  "'over' || char(13) || 'write' AS cr, char(155) || '2J' AS c1, 'left' || char(8238) || 'right' AS bidi";
const SHOWN = ['\\x1b[31mred', 'bell\\x07', 'back\\x08space', 'over\\rwrite', '\\x9b2J', 'left\\u202eright'];
const EXACT = { colour: '\x1b[31mred', bell: 'bell\x07', backspace: 'back\x08space', cr: 'over\rwrite', c1: '\x9b2J', bidi: 'left\u202eright' };

describe('control characters in results', () => {
  it.each(['table', 'line', 'markdown'])('are shown escaped in %s output, values and column names', async (format) => {
    const { code, stdout } = await demo(['--format', format, `${VALUES}, 1 AS "a\x1b[2Jb"`]);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(RAW_CONTROL);
    for (const shown of [...SHOWN, 'a\\x1b[2Jb']) expect(stdout).toContain(shown);
  });

  it('are kept exact in json, ndjson and csv', async () => {
    const json = await demo(['--json', VALUES]);
    expect(JSON.parse(json.stdout)).toEqual([EXACT]);
    const ndjson = await demo(['--format', 'ndjson', VALUES]);
    expect(JSON.parse(ndjson.stdout)).toEqual(EXACT);
    const csv = await demo(['--format', 'csv', '--no-headers', VALUES]);
    expect(csv.stdout).toBe(`${Object.values(EXACT).map((value) => (value.includes('\r') ? `"${value}"` : value)).join(',')}\r\n`);
  });

  it('in package names from GitHub are shown escaped, and kept in json', async () => {
    const sql = "SELECT name FROM auth_user_packages WHERE package_type = 'npm' ORDER BY id";
    const table = await github([sql]);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(RAW_CONTROL);
    expect(table.stdout).toContain('evil\\x1b[2J\\x1b]0;pwned\\x07name');
    const json = await github(['--json', sql]);
    expect((JSON.parse(json.stdout) as Array<{ name: string }>)[0]!.name).toBe(HOSTILE_NAME);
  });

  it('in your own tables are shown escaped by .tables and .schema', async () => {
    const { stdout } = await demo(['CREATE TABLE "t\x1b[2J"(x);\n.tables\n.schema']);
    expect(stdout).not.toMatch(RAW_CONTROL);
    expect(stdout).toContain('t\\x1b[2J');
  });
});

describe('control characters on stderr', () => {
  it('are shown escaped in errors', async () => {
    const missing = await demo(['SELECT * FROM "x\x1b]0;title\x07"']);
    expect(missing.stderr).toBe('error: no such table: x\\x1b]0;title\\x07\n');
    const usage = await demo(['--format', '\x1b[31m', 'SELECT 1']);
    expect(usage.stderr).toMatch(/^error: --format \\x1b\[31m is not a format/);
    expect(usage.stderr).not.toMatch(RAW_CONTROL);
  });

  it('are shown escaped in action lines', async () => {
    const { code, stderr } = await demo(['--dry-run', "SELECT delete_package_for_authenticated_user('npm', 'x' || char(27) || '[2J')"]);
    expect(code).toBe(0);
    expect(stderr).toBe("delete_package_for_authenticated_user(npm, x\\x1b[2J): would delete\ndry run: 1 would delete (not checked by a dry run: GitHub's 5,000-download rule and the token's scopes)\n");
  });

  it('in package names from GitHub are shown escaped in action lines and refusals', async () => {
    const { code, stderr } = await github(['--allow-writes', "WITH chosen AS MATERIALIZED (SELECT package_type, name FROM auth_user_packages WHERE package_type = 'npm' ORDER BY id) SELECT delete_package_for_authenticated_user(package_type, name) FROM chosen"]);
    expect(code).toBe(1);
    expect(stderr).not.toMatch(RAW_CONTROL);
    expect(stderr).toContain('delete_package_for_authenticated_user(npm, evil\\x1b[2J\\x1b]0;pwned\\x07name): failed:');
    expect(stderr).toContain('error: delete_package_for_authenticated_user: npm/evil\\x1b[2J\\x1b]0;pwned\\x07name:');
  });
});
