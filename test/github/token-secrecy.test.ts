import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { register, type TraceEvent } from '../../dist/index.js';
import { DEFAULT_CLIENT_OPTIONS, GitHubClient } from '../../dist/github/client.js';
import { generatedPackages } from '../../dist/stand-in/packages-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { cacheFiles, causeChain, clientFor, closedPort, LIST, readAll, rejection, runCliOnce, syncRejection, tempCacheDir } from './helpers.js';

/**
 * Recognisable in any text it leaks into; 40 characters, as GitHub's classic tokens are. Joined at run
 * time so that secret scanners do not take this fake for a real token in the source.
 */
const TOKEN = ['ghp', 'LeakCanary0123456789abcdefghijklmnop'].join('_');
const FULL_GRANT = { scopes: ['read:packages', 'write:packages', 'delete:packages', 'repo'] };

const leaks = (text: string | undefined) => text !== undefined && (text.includes(TOKEN) || text.includes(encodeURIComponent(TOKEN)));

/** The error, each cause below it, the trace and every byte of the cache directory: no token anywhere. */
function expectNoToken(error: unknown, traces: TraceEvent[], cacheDir: string | undefined): void {
  expect(error).toBeInstanceOf(Error);
  for (const link of causeChain(error)) {
    const { message, stack } = link as Error;
    for (const text of [message, stack, String(link), JSON.stringify(link)]) expect(leaks(text)).toBe(false);
  }
  expect(leaks(JSON.stringify(traces))).toBe(false);
  for (const bytes of cacheDir ? cacheFiles(cacheDir) : []) expect(bytes.includes(TOKEN)).toBe(false);
}

describe('the token', () => {
  /** Grants TOKEN everything. */
  let granted: StandIn;
  /** Knows TOKEN, with the repo scope only. */
  let repoOnly: StandIn;
  /** Another host, which does not know TOKEN: redirects point here. */
  let elsewhere: StandIn;

  beforeAll(async () => {
    [granted, repoOnly, elsewhere] = await Promise.all([
      startStandIn({ tokens: { [TOKEN]: FULL_GRANT }, packages: generatedPackages(250, 'container', 1) }),
      startStandIn({ tokens: { [TOKEN]: { scopes: ['repo'] } } }),
      startStandIn(),
    ]);
  });
  afterAll(() => Promise.all([granted, repoOnly, elsewhere].map((standIn) => standIn.close())));
  beforeEach(async () => {
    await granted.configure({
      latencyMs: 0,
      faultRate: 0,
      redirect: null,
      selfLinkingPages: false,
      secondaryLimitRequests: 0,
      secondaryRetryAfterHeader: null,
      rateLimit: { limit: 5000, remaining: 5000, resetSeconds: 3600 },
    });
    await elsewhere.clearRequests();
  });

  describe('is refused, without being shown, when it is not one line of visible ASCII', () => {
    const shapes: Array<[string, string, RegExp]> = [
      ['a second line (GITHUB_TOKEN="$(cat file)")', `${TOKEN}\nSECONDLINE-xyz`, /contains a line break at character 41 of 55.*a second line/],
      ['a trailing carriage return', `${TOKEN}\r`, /contains a line break at character 41 of 41/],
      ['a space', `token ${TOKEN}`, /contains a space at character 6 of 46/],
      ['a tab', `${TOKEN}\tx`, /contains a tab at character 41/],
      ['a control character', `${TOKEN}\u0000`, /contains a control character at character 41/],
      ['non-ASCII text', `${TOKEN}é`, /contains a character outside ASCII at character 41/],
    ];

    it.each(shapes)('%s: by the client, before any request', async (_, token, message) => {
      const error = syncRejection(() => new GitHubClient({ ...DEFAULT_CLIENT_OPTIONS, baseUrl: granted.url, token }));
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('SECONDLINE-xyz');
      expectNoToken(error, [], undefined);
    });

    it('by register(), before any thread or request', async () => {
      await granted.clearRequests();
      const error = syncRejection(() => register(new Database(':memory:'), { token: `${TOKEN}\nSECONDLINE-xyz`, apiUrl: granted.url, cache: false }));
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(error.message).toMatch(/GitHub token contains a line break/);
      expectNoToken(error, [], undefined);
      expect(await granted.requests()).toEqual([]);
    });

    it('by the CLI, on stderr, with --trace', async () => {
      const run = await runCliOnce(['--trace', '--api-url', granted.url, "SELECT count(*) FROM auth_user_packages WHERE package_type = 'container'"], {
        GITHUB_TOKEN: `${TOKEN}\nSECONDLINE-xyz`,
      });
      expect(run.code).toBe(1);
      expect(run.output).toMatch(/GitHub token contains a line break/);
      expect(leaks(run.output)).toBe(false);
      expect(run.output).not.toContain('SECONDLINE-xyz');
    });
  });

  describe('appears in no error GitHub or the network can cause', () => {
    type Case = [string, (cacheDir: string) => Promise<{ error: unknown; traces: TraceEvent[]; code: string }>];
    const viaClient =
      (standIn: () => { url: string; token: string }, run: (client: GitHubClient) => Promise<unknown>, code: string, options = {}) =>
      async (cacheDir: string) => {
        const { client, traces, close } = clientFor(standIn(), { cacheDir, maxRetries: 1, ...options });
        try {
          return { error: await rejection(run(client)), traces, code };
        } finally {
          close();
        }
      };
    const list = (client: GitHubClient) => readAll(client);
    const cases: Case[] = [
      ['401, a token GitHub does not know', viaClient(() => ({ url: elsewhere.url, token: TOKEN }), list, 'AUTH')],
      ['403, a token without read:packages', viaClient(() => ({ url: repoOnly.url, token: TOKEN }), list, 'FORBIDDEN')],
      [
        'connection refused, after retrying',
        async (cacheDir) => viaClient(() => ({ url: `http://127.0.0.1:${port}`, token: TOKEN }), list, 'NETWORK')(cacheDir),
      ],
      [
        'a timeout, after retrying',
        async (cacheDir) => {
          await granted.configure({ latencyMs: 300 });
          return viaClient(() => ({ url: granted.url, token: TOKEN }), list, 'NETWORK', { timeoutMs: 40 })(cacheDir);
        },
      ],
      [
        'a 503 that lasts',
        async (cacheDir) => {
          await granted.configure({ faultRate: 1, faultKinds: ['503'] });
          return viaClient(() => ({ url: granted.url, token: TOKEN }), list, 'HTTP')(cacheDir);
        },
      ],
      [
        'an exhausted rate limit',
        async (cacheDir) => {
          await granted.configure({ rateLimit: { limit: 10, remaining: 0, resetSeconds: 3600 } });
          return viaClient(() => ({ url: granted.url, token: TOKEN }), list, 'RATE_LIMITED', { maxWaitMs: 0 })(cacheDir);
        },
      ],
      [
        'a secondary limit with a retry-after that is not a number',
        async (cacheDir) => {
          await granted.configure({ secondaryLimitRequests: 5, secondaryRetryAfterHeader: `soon ${TOKEN}` });
          return viaClient(() => ({ url: granted.url, token: TOKEN }), list, 'RATE_LIMITED', { maxWaitMs: 1_000 })(cacheDir);
        },
      ],
      [
        'a write redirected to another host',
        async (cacheDir) => {
          await granted.configure({ redirect: { status: 307, location: `${elsewhere.url}/user/packages/container/x?t=${TOKEN}` } });
          const remove = (client: GitHubClient) => client.send({ route: 'DELETE /user/packages/{package_type}/{package_name}', params: { package_type: 'container', package_name: 'x' } });
          return viaClient(() => ({ url: granted.url, token: TOKEN }), remove, 'REDIRECT')(cacheDir);
        },
      ],
      [
        'a read redirected to another host',
        async (cacheDir) => {
          await granted.configure({ redirect: { status: 302, location: `${elsewhere.url}/user/packages?package_type=container` } });
          return viaClient(() => ({ url: granted.url, token: TOKEN }), list, 'REDIRECT')(cacheDir);
        },
      ],
      [
        'next-page links that go round in a circle',
        async (cacheDir) => {
          await granted.configure({ selfLinkingPages: true });
          return viaClient(() => ({ url: granted.url, token: TOKEN }), list, 'BAD_RESPONSE')(cacheDir);
        },
      ],
      [
        'a path value of ".."',
        viaClient(
          () => ({ url: granted.url, token: TOKEN }),
          (client) => client.send({ route: 'DELETE /user/packages/{package_type}/{package_name}', params: { package_type: 'npm', package_name: '..' } }),
          'INVALID_ARGUMENT',
        ),
      ],
      [
        'a local fault (a method fetch refuses)',
        viaClient(() => ({ url: granted.url, token: TOKEN }), (client) => client.send({ route: 'GE\tT /user/packages' }), 'INTERNAL'),
      ],
      [
        'an API URL that is not a URL',
        async () => ({ error: syncRejection(() => clientFor({ url: `api.github.com/${TOKEN}`, token: TOKEN })), traces: [], code: 'INVALID_ARGUMENT' }),
      ],
      [
        'an API URL with the token as its password',
        async () => ({ error: syncRejection(() => clientFor({ url: `https://me:${TOKEN}@api.github.com`, token: TOKEN })), traces: [], code: 'INVALID_ARGUMENT' }),
      ],
    ];
    let port: number;
    beforeAll(async () => {
      port = await closedPort();
    });

    it.each(cases)('%s', async (_, run) => {
      const cacheDir = tempCacheDir();
      const { error, traces, code } = await run(cacheDir);
      expect(error).toMatchObject({ code });
      expectNoToken(error, traces, cacheDir);
    });

    it('nor sends it to the other host', async () => {
      await granted.configure({ redirect: { status: 302, location: `${elsewhere.url}/user/packages?package_type=container` } });
      const { client } = clientFor({ url: granted.url, token: TOKEN });
      await rejection(readAll(client));
      expect(await elsewhere.requests()).toEqual([]);
    });

    it('nor in the cache file after a good read, nor in the trace of one', async () => {
      const cacheDir = tempCacheDir();
      const { client, traces, close } = clientFor({ url: granted.url, token: TOKEN }, { cacheDir, cacheTtlMs: 60_000 });
      expect((await readAll(client)).map((page) => page.status)).toEqual([200, 200, 200]);
      close();
      expect(leaks(JSON.stringify(traces))).toBe(false);
      for (const bytes of cacheFiles(cacheDir)) expect(bytes.includes(TOKEN)).toBe(false);
    });

    it('nor in what the CLI prints for a rejected token, with --trace, nor in its cache', async () => {
      const run = await runCliOnce(['--trace', '--api-url', elsewhere.url, "SELECT count(*) FROM auth_user_packages WHERE package_type = 'npm'"], { GITHUB_TOKEN: TOKEN });
      expect(run.code).toBe(1);
      expect(run.output).toMatch(/GitHub rejected the token \(401 Bad credentials\)/);
      expect(leaks(run.output)).toBe(false);
      for (const bytes of run.cache) expect(bytes.includes(TOKEN)).toBe(false);
    });
  });

  it('used over a stand-in list, reads it (the client under test works at all)', async () => {
    const { client } = clientFor({ url: granted.url, token: TOKEN });
    const pages = await readAll(client, LIST);
    expect(pages.flatMap((page) => JSON.parse(page.body) as unknown[])).toHaveLength(250);
  });
});
