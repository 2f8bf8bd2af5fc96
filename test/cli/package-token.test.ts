import { describe, expect, it } from 'vitest';
import { runCli, useHomeAndStandIn } from './helpers.js';

/**
 * restore_package_for_authenticated_user's third argument is a package token, a secret sent to
 * GitHub as a query value. It must reach GitHub, and appear in no output: not as the column name
 * (SQLite names a column by its expression's text), not in traces, the action log or errors.
 */
const fixture = useHomeAndStandIn();

const TOKEN = 'PACKAGE-TOKEN-5f3a';
const RESTORE = `restore_package_for_authenticated_user('npm', 'utils', '${TOKEN}')`;
const github = (args: string[], input?: string) =>
  runCli(['--api-url', fixture.standIn.url, '--no-cache', ...args], { env: { ...fixture.home.env, GITHUB_TOKEN: fixture.standIn.token }, input });
const demo = (args: string[]) => runCli(['--demo', ...args], { env: fixture.home.env });

describe('a package token given to the restore action', () => {
  it('is sent to GitHub, but shown nowhere: column name, trace, action lines, ghsql_actions', async () => {
    await fixture.standIn.clearRequests();
    const script = `SELECT delete_package_for_authenticated_user('npm', 'utils');\nSELECT ${RESTORE};\nSELECT * FROM ghsql_actions;\n`;
    const { code, stdout, stderr } = await github(['--allow-writes', '--trace'], script);
    expect(code).toBe(0);
    expect(stdout).toContain(`restore_package_for_authenticated_user('npm', 'utils', '[REDACTED]')`);
    expect(stdout).toContain('restored');
    expect(stderr).toMatch(/^POST \/user\/packages\/npm\/utils\/restore\?token=\[REDACTED\] 204 \d+ ms$/m);
    expect(stdout + stderr).not.toContain(TOKEN);
    const restore = (await fixture.standIn.requests()).find((request) => request.path.endsWith('/restore'));
    expect(restore?.query).toEqual({ token: TOKEN });
  });

  it.each(['table', 'json', 'ndjson', 'csv', 'markdown', 'line'])('is redacted in the column names of %s output', async (format) => {
    const { code, stdout } = await demo(['--dry-run', '--format', format, `SELECT ${RESTORE}`]);
    expect(code).toBe(0);
    expect(stdout).toContain("'[REDACTED]')");
    expect(stdout).not.toContain(TOKEN);
  });

  it('is scrubbed from errors that quote the statement', async () => {
    const broken = [
      `SELECT restore_package_for_authenticated_user('npm', 'utils' '${TOKEN}')`, // near "'…'": syntax error
      `SELECT restore_package_for_authenticated_user('npm', 'utils', '${TOKEN}`, // unrecognized token
    ];
    for (const sql of broken) {
      const { code, stderr } = await demo(['--dry-run', sql]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^error: .*\[REDACTED\]/);
      expect(stderr).not.toContain(TOKEN);
    }
    const fromStdin = await runCli(['--demo', '--dry-run'], { env: fixture.home.env, input: `SELECT 1;\n${broken[0]};\n` });
    expect(fromStdin.stderr).toBe(`error: stdin line 2: near "'[REDACTED]'": syntax error\n`);
  });
});
