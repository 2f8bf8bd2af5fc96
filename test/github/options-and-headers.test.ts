import Database from 'better-sqlite3';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { register } from '../../dist/index.js';
import { DEFAULT_CLIENT_OPTIONS, validateClientOptions, type ClientOptions } from '../../dist/github/client.js';
import { parseRetryAfter, rateLimitWait } from '../../dist/github/rate-limit.js';
import { sleep } from '../../dist/github/sleep.js';
import { generatedPackages } from '../../dist/stand-in/packages-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { clientFor, LIST, readAll, rejection, syncRejection } from './helpers.js';

const BASE: ClientOptions = { ...DEFAULT_CLIENT_OPTIONS, baseUrl: 'https://api.github.com', token: 'ghp_x' };
const TIMER_LIMIT = 2 ** 31 - 1;

describe('client options', () => {
  const refused: Array<[keyof ClientOptions, unknown, RegExp]> = [
    ['concurrency', 0, /^concurrency must be a whole number from 1 to 100 \(pages\), not 0\.$/],
    ['concurrency', 101, /^concurrency must be a whole number from 1 to 100/],
    ['concurrency', 2.5, /^concurrency must be a whole number/],
    ['timeoutMs', TIMER_LIMIT + 1, /^timeoutMs must be a whole number from 1 to 2,147,483,647 \(ms\), not 2147483648\.$/],
    ['timeoutMs', 0, /^timeoutMs must be a whole number from 1 to/],
    ['timeoutMs', Number.NaN, /^timeoutMs must be .*, not NaN\.$/],
    ['maxRetries', -1, /^maxRetries must be a whole number from 0 to 20 \(retries\), not -1\.$/],
    ['maxRetries', Number.POSITIVE_INFINITY, /^maxRetries must be .*, not Infinity\.$/],
    ['retryBaseMs', 60_001, /^retryBaseMs must be a whole number from 0 to 60,000 \(ms\)/],
    ['maxWaitMs', TIMER_LIMIT + 1, /^maxWaitMs must be a whole number from 0 to 2,147,483,647 \(ms\)/],
    ['maxWaitMs', '60000', /^maxWaitMs must be .*, not "60000"\.$/],
    ['writeIntervalMs', -1, /^writeIntervalMs must be a whole number from 0 to 2,147,483,647 \(ms\)/],
    ['cacheTtlMs', -1000, /^cacheTtlMs must be a whole number from 0 to 31,536,000,000 \(ms\), not -1000\.$/],
    ['cacheDir', '', /^cacheDir must be a directory path/],
    ['baseUrl', 'ftp://example.com', /^the API URL must start with https:\/\//],
    ['baseUrl', 'https://api.github.com/?x=1', /^the API URL must not have a query/],
  ];
  it.each(refused)('%s = %j is refused, naming the option and its range', (name, value, message) => {
    const error = syncRejection(() => validateClientOptions({ ...BASE, [name]: value }));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(error.message).toMatch(message);
  });

  it('at their limits are accepted', () => {
    const limits = { concurrency: 100, timeoutMs: TIMER_LIMIT, maxRetries: 20, retryBaseMs: 60_000, maxWaitMs: TIMER_LIMIT, writeIntervalMs: 0, cacheTtlMs: 0 };
    expect(validateClientOptions({ ...BASE, ...limits })).toMatchObject(limits);
  });

  it('are checked by register(), before any thread starts', () => {
    const error = syncRejection(() => register(new Database(':memory:'), { token: 'x', apiUrl: 'http://127.0.0.1:9', timeoutMs: 3_000_000_000, cache: false }));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(error.message).toMatch(/^timeoutMs must be a whole number from 1 to 2,147,483,647/);
  });

  describe('against the stand-in', () => {
    let standIn: StandIn;
    beforeAll(async () => {
      standIn = await startStandIn({ packages: generatedPackages(150, 'npm', 1) });
    });
    afterAll(() => standIn.close());

    it('a timeout at the timer limit does not time out every request', async () => {
      const { client } = clientFor(standIn, { timeoutMs: TIMER_LIMIT });
      expect(await readAll(client, { route: 'GET /user/packages', params: { package_type: 'npm', per_page: 100 } })).toHaveLength(2);
    });
  });
});

describe('a wait longer than the timer limit', () => {
  it('is waited out, not ended after 1 ms', async () => {
    const controller = new AbortController();
    const outcome = await Promise.race([
      sleep(2 ** 32, controller.signal).then(
        () => 'ended',
        () => 'aborted',
      ),
      delay(50).then(() => 'still waiting'),
    ]);
    expect(outcome).toBe('still waiting');
    controller.abort();
  });
});

describe('Retry-After', () => {
  const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
  it.each([
    ['7', { ms: 7_000 }],
    [' 0 ', { ms: 0 }],
    ['Wed, 15 Jan 2025 12:00:30 GMT', { ms: 30_000 }],
    ['Wednesday, 15-Jan-25 12:00:30 GMT', { ms: 30_000 }],
    ['Wed, 15 Jan 2025 11:00:00 GMT', { ms: 0 }],
    ['99999999999999', { ms: 99_999_999_999_999_000 }],
    ['-5', { problem: 'retry-after "-5" is not a whole, non-negative number of seconds' }],
    ['1.5', { problem: 'retry-after "1.5" is not a whole, non-negative number of seconds' }],
    ['soon', { problem: 'retry-after "soon" is neither a number of seconds nor an HTTP date' }],
    ['', { problem: 'retry-after "" is neither a number of seconds nor an HTTP date' }],
  ])('%j → %j', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toEqual(expected);
  });

  it('that cannot be read falls back to GitHub\'s "at least a minute", saying why', () => {
    const headers = new Headers({ 'retry-after': 'soon', 'x-ratelimit-remaining': '10' });
    expect(rateLimitWait(403, headers, '', 0, NOW)).toEqual({
      ms: 60_000,
      until: NOW + 60_000,
      problem: 'retry-after "soon" is neither a number of seconds nor an HTTP date, so ghsql waits 60 s',
    });
  });

  it('is not needed when the primary limit gives its reset; a reset that is not a time is named', () => {
    const reset = new Headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 10) });
    expect(rateLimitWait(403, reset, '', 0, NOW)).toEqual({ ms: 10_500, until: NOW + 10_000 });
    const broken = new Headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': 'tomorrow' });
    expect(rateLimitWait(403, broken, '', 1, NOW)).toMatchObject({ ms: 120_000, problem: 'x-ratelimit-reset "tomorrow" is not a time in epoch seconds, so ghsql waits 120 s' });
  });

  it('a 403 with no sign of a rate limit is not one; a 429 always is', () => {
    expect(rateLimitWait(403, new Headers(), '{"message":"Forbidden"}', 0, NOW)).toBeUndefined();
    expect(rateLimitWait(429, new Headers(), '', 0, NOW)).toMatchObject({ ms: 60_000 });
  });

  describe('from the stand-in', () => {
    let standIn: StandIn;
    beforeAll(async () => {
      standIn = await startStandIn({ packages: generatedPackages(50, 'container', 1) });
    });
    afterAll(() => standIn.close());
    beforeEach(async () => {
      await standIn.configure({ secondaryLimitRequests: 0, secondaryRetryAfterHeader: null });
      await standIn.clearRequests();
    });

    it('as an HTTP date is waited for, then the request succeeds', async () => {
      await standIn.configure({ secondaryLimitRequests: 1, secondaryRetryAfterHeader: new Date(Date.now() + 1_000).toUTCString() });
      const { client, traces } = clientFor(standIn, { maxWaitMs: 10_000 });
      expect((await client.send(LIST)).status).toBe(200);
      expect(traces[0]).toMatchObject({ status: 403, retry: expect.stringMatching(/^rate limited, waiting [0-2] s$/) });
    });

    it('in the past means no wait at all', async () => {
      await standIn.configure({ secondaryLimitRequests: 1, secondaryRetryAfterHeader: 'Thu, 01 Jan 2004 00:00:00 GMT' });
      const { client, traces } = clientFor(standIn, { maxWaitMs: 10_000 });
      expect((await client.send(LIST)).status).toBe(200);
      expect(traces[0]).toMatchObject({ status: 403, retry: 'rate limited, waiting 0 s' });
    });

    it.each([['-5'], ['soon'], ['1e3']])('%j: GitHub\'s minute is assumed, and the error says what was wrong', async (value) => {
      await standIn.configure({ secondaryLimitRequests: 1, secondaryRetryAfterHeader: value });
      const { client } = clientFor(standIn, { maxWaitMs: 1_000 });
      const error = await rejection(client.send(LIST));
      expect(error).toMatchObject({ code: 'RATE_LIMITED' });
      expect(error.message).toContain(`(retry-after ${JSON.stringify(value)} is `);
      expect(error.message).toMatch(/so ghsql waits 60 s\.\)/);
    });

    it('that is huge fails at once, with a readable message', async () => {
      await standIn.configure({ secondaryLimitRequests: 1, secondaryRetryAfterHeader: '99999999999999999999' });
      const { client } = clientFor(standIn, { maxWaitMs: TIMER_LIMIT });
      const error = await rejection(client.send(LIST));
      expect(error).toMatchObject({ code: 'RATE_LIMITED' });
      expect(error.message).toMatch(/^GitHub's rate limit is exhausted for more than a day \(GET \/user\/packages/);
      expect(error.message).not.toMatch(/Invalid Date|NaN/);
      expect(await standIn.requests()).toHaveLength(1);
    });
  });
});
