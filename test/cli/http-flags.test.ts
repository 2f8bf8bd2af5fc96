import { describe, expect, it } from 'vitest';
import { runCli, useHomeAndStandIn } from './helpers.js';

const fixture = useHomeAndStandIn();

/** The CLI against this file's stand-in, with its token in the environment as a user would set it. */
const ghsql = (args: string[]) => runCli(['--api-url', fixture.standIn.url, ...args], { env: { ...fixture.home.env, GITHUB_TOKEN: fixture.standIn.token } });
const NPM_AND_CONTAINERS = "SELECT count(*) AS packages FROM auth_user_packages WHERE package_type IN ('npm', 'container')";
const NUGET = "SELECT count(*) AS packages FROM auth_user_packages WHERE package_type = 'nuget'";

describe('--trace', () => {
  it('prints each request and a summary after the statement, never the token', async () => {
    const { code, stdout, stderr } = await ghsql(['--trace', '--no-cache', NPM_AND_CONTAINERS]);
    expect(code).toBe(0);
    expect(stdout).toContain('│       24 │');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^GET \/user\/packages\?package_type=npm&per_page=100 200 \d+ ms$/),
        expect.stringMatching(/^GET \/user\/packages\?package_type=container&per_page=100 200 \d+ ms$/),
      ]),
    );
    expect(lines[2]).toMatch(/^2 requests, 0 not modified \(304\), 0 cache hits, rate limit left \d+$/);
    expect(stdout + stderr).not.toContain(fixture.standIn.token);
  });
});

describe('the response cache', () => {
  it('reuses answers for --cache-ttl seconds, revalidates after, and --no-cache skips it', async () => {
    await fixture.standIn.clearRequests();
    const first = await ghsql(['--trace', NUGET]);
    expect(first.stderr).toMatch(/\n1 request, 0 not modified \(304\), 0 cache hits/);

    const fresh = await ghsql(['--trace', NUGET]);
    expect(fresh.stderr).toMatch(/\(cache hit\)\n0 requests, 0 not modified \(304\), 1 cache hit\n$/);
    expect(await fixture.standIn.requests()).toHaveLength(1);

    const revalidated = await ghsql(['--trace', '--cache-ttl', '0', NUGET]);
    expect(revalidated.stderr).toMatch(/ 304 \d+ ms \(304, cached body\)\n1 request, 1 not modified \(304\), 0 cache hits/);
    expect(revalidated.stdout).toBe(first.stdout);

    const uncached = await ghsql(['--trace', '--no-cache', NUGET]);
    expect(uncached.stderr).toMatch(/\n1 request, 0 not modified \(304\), 0 cache hits/);
    expect((await fixture.standIn.requests()).map((request) => request.conditional)).toEqual([false, true, false]);
  });
});

describe('--max-wait', () => {
  it('fails at once when the rate limit resets later than the longest wait', async () => {
    await fixture.standIn.configure({ rateLimit: { limit: 5000, remaining: 0, resetSeconds: 600 } });
    try {
      const { code, stderr } = await ghsql(['--max-wait', '0', '--no-cache', NUGET]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^error: GitHub's rate limit is exhausted until .*allow a longer wait with --max-wait\.\n$/);
    } finally {
      await fixture.standIn.configure({ rateLimit: { limit: 5000, remaining: 5000, resetSeconds: 3600 } });
    }
  });
});

describe('numbers in flags', () => {
  it('are checked before anything runs', async () => {
    expect((await ghsql(['--concurrency', '0', NUGET])).stderr).toBe('error: --concurrency takes a whole number of at least 1, not "0".\n');
    expect((await ghsql(['--timeout', '1.5', NUGET])).stderr).toBe('error: --timeout takes a whole number of at least 1, not "1.5".\n');
    expect((await ghsql(['--concurrency', '1', '--timeout', '5', '--max-wait', '1', '--no-cache', NUGET])).code).toBe(0);
  });
});

describe('--allow-writes and --dry-run', () => {
  const DELETE_UTILS = "SELECT delete_package_for_authenticated_user('npm', 'utils') AS outcome";
  const RESTORE_UTILS = "SELECT restore_package_for_authenticated_user('npm', 'utils') AS outcome";
  const writes = async () => (await fixture.standIn.requests()).filter((request) => request.method !== 'GET');

  it('refuses actions by default, previews them with --dry-run, performs them with --allow-writes', async () => {
    await fixture.standIn.clearRequests();
    const refused = await ghsql([DELETE_UTILS]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('enable it with --allow-writes, or preview with --dry-run.');

    const preview = await ghsql(['--dry-run', '--format', 'csv', DELETE_UTILS]);
    expect(preview).toMatchObject({ code: 0, stdout: 'outcome\r\nwould delete\r\n', stderr: "delete_package_for_authenticated_user(npm, utils): would delete\ndry run: 1 would delete (not checked by a dry run: GitHub's 5,000-download rule and the token's scopes)\n" });
    expect(await writes()).toEqual([]);

    const deleted = await ghsql(['--allow-writes', '--format', 'csv', DELETE_UTILS]);
    expect(deleted).toMatchObject({ code: 0, stdout: 'outcome\r\ndeleted\r\n' });
    const restored = await ghsql(['--allow-writes', '--format', 'csv', RESTORE_UTILS]);
    expect(restored).toMatchObject({ code: 0, stdout: 'outcome\r\nrestored\r\n' });
    expect((await writes()).map((request) => `${request.method} ${request.path}`)).toEqual(['DELETE /user/packages/npm/utils', 'POST /user/packages/npm/utils/restore']);
  });
});
