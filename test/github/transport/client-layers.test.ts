import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_OPTIONS, GitHubClient, validateClientOptions, type ClientHooks, type ClientOptions } from '../../../dist/github/client.js';
import { IN_MEMORY, ResponseCache } from '../../../dist/github/response-cache.js';
import { API, FakeClock, failing, recorder, REGISTRY_SERVICE, rejection, reply, scriptedFetch } from './support.js';

const TOKEN = 'test-token-not-real';
const GHES = 'https://ghe.example.com/api/v3';
const DELETE = { route: 'DELETE /user/packages/{package_type}/{package_name}', params: { package_type: 'npm', package_name: 'a' } };
const LIST = { route: 'GET /user/packages', params: { package_type: 'npm' } };

let caches: ResponseCache[] = [];
afterEach(() => {
  for (const cache of caches) cache.close();
  caches = [];
});

/** A GitHubClient on an injected fetch and clock: no server, no thread, no real waiting. */
function client(replies: Parameters<typeof scriptedFetch>, options: Partial<ClientOptions> = {}, hooks: Omit<ClientHooks, 'fetch' | 'clock'> = {}, cacheOn = false) {
  const { fetch, sent } = scriptedFetch(...replies);
  const clock = new FakeClock();
  const { trace, events } = recorder();
  const cache = cacheOn ? new ResponseCache(IN_MEMORY, TOKEN) : undefined;
  if (cache) caches.push(cache);
  const made = new GitHubClient({ ...DEFAULT_CLIENT_OPTIONS, baseUrl: API, token: TOKEN, ...options }, trace, cache, { fetch, clock, random: () => 0.5, ...hooks });
  return { client: made, sent, clock, events };
}

describe('GitHubClient, composed of its layers', () => {
  it('sends through the fetch it is given, with the token, the user agent and the API version', async () => {
    const { client: github, sent } = client([reply(200, {}, '[]')]);
    expect((await github.send(LIST)).body).toBe('[]');
    expect(sent).toEqual([
      {
        url: 'https://api.github.com/user/packages?package_type=npm',
        method: 'GET',
        headers: expect.objectContaining({ authorization: `token ${TOKEN}`, 'user-agent': 'ghsql', 'x-github-api-version': '2022-11-28' }),
        redirect: 'manual',
      },
    ]);
  });

  it('spaces a write, retries its 503, waits out its rate limit, and traces each attempt once', async () => {
    const { client: github, sent, clock, events } = client([reply(204), reply(503), reply(429, { 'retry-after': '2' }), reply(204)], { retryBaseMs: 100, writeIntervalMs: 1_000 });
    await github.send(DELETE);
    expect((await github.send(DELETE)).status).toBe(204);
    expect(sent).toHaveLength(4);
    expect(clock.sleeps).toEqual([1_000, 100, 2_000]); // spacing, back-off, rate limit
    expect(events.map((event) => `${event.status} ${event.retry ?? '-'}`)).toEqual(['204 -', '503 retrying', '429 rate limited, waiting 2 s', '204 -']);
  });

  it('lets an onRateLimit hook decline a wait', async () => {
    const { client: github, clock } = client([reply(403, { 'retry-after': '30' }), reply(200)], {}, { onRateLimit: ({ wait }) => wait.ms < 10_000 });
    const error = await rejection(github.send(LIST));
    expect(error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(error.message).toContain('the onRateLimit hook declined to wait');
    expect(clock.sleeps).toEqual([]);
  });

  it('answers a repeat from the cache within the TTL, on the clock it is given', async () => {
    const { client: github, sent, clock, events } = client([reply(200, { etag: '"e"' }, '[1]'), reply(304)], { cacheTtlMs: 60_000 }, {}, true);
    (await github.send(LIST)).remember!();
    clock.time += 59_999;
    expect((await github.send(LIST)).body).toBe('[1]');
    clock.time += 1;
    expect((await github.send(LIST)).body).toBe('[1]');
    expect(sent.map((request) => request.headers['if-none-match'])).toEqual([undefined, '"e"']);
    expect(events.map((event) => event.source)).toEqual(['network', 'cache', 'revalidated']);
  });

  it('removes the token from what it traces and throws, whatever the server echoed', async () => {
    const { client: github, events } = client([reply(302, { location: `/user/packages?t=${TOKEN}` }), reply(500, {}, `echo ${TOKEN}`)], { maxRetries: 0 });
    const error = await rejection(github.send(LIST));
    expect(error.message).not.toContain(TOKEN);
    expect(JSON.stringify(events)).not.toContain(TOKEN);
    expect(events.map((event) => event.target)).toEqual(['/user/packages?package_type=npm', '/user/packages?t=[REDACTED]']);
  });

  it('goes outside the API with the same layers, but without the API token', async () => {
    const { client: github, sent } = client([failing('ECONNRESET'), reply(200, { 'docker-content-digest': 'sha256:0' }, '{}')], { maxRetries: 1 });
    const answer = await github.fetchOutside({ url: new URL('https://ghcr.io/v2/o/p/manifests/sha256:0'), service: REGISTRY_SERVICE, headers: { authorization: 'Bearer registry' }, accept: [] });
    expect(answer).toMatchObject({ status: 200, body: '{}', target: 'ghcr.io/v2/o/p/manifests/sha256:0' });
    expect(sent.map((request) => request.headers['authorization'])).toEqual(['Bearer registry', 'Bearer registry']);
  });

  describe('speaks of the token by where it came from', () => {
    it('a refused token from GITHUB_TOKEN', async () => {
      const { client: github } = client([reply(401, {}, '{"message":"Bad credentials"}')], { tokenSource: 'GITHUB_TOKEN' });
      expect((await rejection(github.send(LIST))).message).toBe(
        'GitHub rejected the token (401 Bad credentials) for GET /user/packages?package_type=npm. It came from GITHUB_TOKEN: set it to a valid classic personal access token with the read:packages scope.',
      );
    });

    it('a refused token from gh, for a GitHub Enterprise Server', async () => {
      const { client: github } = client([reply(401, {}, '{"message":"Bad credentials"}')], { baseUrl: GHES, tokenSource: 'gh auth token' });
      expect((await rejection(github.send(LIST))).message).toBe(
        'GitHub rejected the token (401 Bad credentials) for GET /api/v3/user/packages?package_type=npm. It came from `gh auth token --hostname ghe.example.com`: log in again with `gh auth login --hostname ghe.example.com --scopes read:packages`, or set GH_ENTERPRISE_TOKEN or GITHUB_ENTERPRISE_TOKEN to a valid classic personal access token with the read:packages scope.',
      );
    });

    it("no token for a GitHub Enterprise Server: its own variables, and gh's login for its host", async () => {
      const { client: github, sent } = client([reply(200)], { baseUrl: GHES, token: undefined });
      const error = await rejection(github.send(LIST));
      expect(error).toMatchObject({ code: 'AUTH' });
      expect(error.message).toBe(
        'no GitHub token: set GH_ENTERPRISE_TOKEN or GITHUB_ENTERPRISE_TOKEN to a classic personal access token with read:packages (or log in with `gh auth login --hostname ghe.example.com`), or try register(db, { demo: true }).',
      );
      expect(sent).toEqual([]);
    });

    it('a token that cannot be one: the variable it came from', () => {
      const options = { ...DEFAULT_CLIENT_OPTIONS, baseUrl: GHES, token: 'two words' };
      expect(() => validateClientOptions({ ...options, tokenSource: 'GH_ENTERPRISE_TOKEN' })).toThrow(/a token is one line of visible ASCII with no spaces\. Check GH_ENTERPRISE_TOKEN\.$/);
      expect(() => validateClientOptions(options)).toThrow(/Check GH_ENTERPRISE_TOKEN, GITHUB_ENTERPRISE_TOKEN or the token option\.$/);
      expect(() => validateClientOptions({ ...options, baseUrl: API })).toThrow(/Check GITHUB_TOKEN, GH_TOKEN or the token option\.$/);
    });
  });
});
