import { describe, expect, it } from 'vitest';
import { fetchAttempt } from '../../../dist/github/transport/fetch-attempt.js';
import { MAX_RATE_LIMIT_WAITS, waitingOutRateLimits, type OnRateLimit, type RateLimitNotice } from '../../../dist/github/transport/rate-limit-waits.js';
import { failing, FakeClock, NOW, recorder, registryDestination, rejection, reply, request, scriptedFetch } from './support.js';

/** waitingOutRateLimits() over one fetch per attempt, on a clock that starts at NOW. */
function waiting(replies: Parameters<typeof scriptedFetch>, { maxWaitMs = 60_000, onRateLimit }: { maxWaitMs?: number; onRateLimit?: OnRateLimit } = {}) {
  const { fetch, sent } = scriptedFetch(...replies);
  const clock = new FakeClock();
  const { trace, events } = recorder();
  const send = waitingOutRateLimits(fetchAttempt(fetch, 10_000), { maxWaitMs, clock, trace, maxWaitOption: 'the maxWaitMs option', ...(onRateLimit ? { onRateLimit } : {}) });
  return { send, sent, clock, events };
}

const status = async (attempt: Promise<unknown>) => ((await attempt) as { response: Response }).response.status;
/** The clock time a message names for an epoch ms, as rate-limit.ts writes it (local time). */
const hhmm = (ms: number) => new Date(Math.ceil(ms / 1000) * 1000).toTimeString().slice(0, 5);

const EXHAUSTED_FOR = (seconds: number) => reply(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + seconds) }, '{"message":"API rate limit exceeded"}');
const SECONDARY = reply(403, {}, '{"message":"You have exceeded a secondary rate limit."}');

describe('the rate-limit layer', () => {
  it('waits for the reset of an exhausted primary limit (half a second more), then asks again', async () => {
    const { send, sent, clock, events } = waiting([EXHAUSTED_FOR(10), reply(200)]);
    expect(await status(send(request()))).toBe(200);
    expect(sent).toHaveLength(2);
    expect(clock.sleeps).toEqual([10_500]);
    expect(events).toEqual([{ method: 'GET', target: '/user/packages', status: 403, ms: expect.any(Number), source: 'network', rateLimitRemaining: 0, rateLimitReset: NOW + 10_000, retry: 'rate limited, waiting 11 s', waitUntil: NOW + 10_500 }]);
  });

  it('honours retry-after on a secondary limit', async () => {
    const { send, clock, events } = waiting([reply(403, { 'retry-after': '7' }), reply(200)]);
    expect(await status(send(request()))).toBe(200);
    expect(clock.sleeps).toEqual([7_000]);
    expect(events[0]).toMatchObject({ retry: 'rate limited, waiting 7 s', waitUntil: NOW + 7_000 });
  });

  it('waits a minute for a secondary limit that gives no time, doubling each time', async () => {
    const { send, clock } = waiting([SECONDARY, SECONDARY, reply(429), reply(200)], { maxWaitMs: 600_000 });
    expect(await status(send(request()))).toBe(200);
    expect(clock.sleeps).toEqual([60_000, 120_000, 240_000]);
  });

  it('names a header it could not read in the trace, and what it assumed', async () => {
    const { send, events } = waiting([reply(403, { 'retry-after': 'soon' }), reply(200)]);
    await send(request());
    expect(events[0]!.retry).toBe('rate limited (retry-after "soon" is neither a number of seconds nor an HTTP date, so ghsql waits 60 s), waiting 60 s');
  });

  it(`gives up after ${MAX_RATE_LIMIT_WAITS} waits, however short, saying so (not that a wait was too long)`, async () => {
    const { send, sent, clock, events } = waiting([reply(429, { 'retry-after': '1' })]);
    const error = await rejection(send(request()));
    expect(MAX_RATE_LIMIT_WAITS).toBe(10);
    expect(sent).toHaveLength(11);
    expect(clock.sleeps).toEqual(Array(10).fill(1_000));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(error.message).toBe(
      `GitHub rate-limited GET /user/packages 11 times in a row; ghsql waited 10 times (10 s in all), the most it waits for one request, and gave up. The last answer asked it to wait until ${hhmm(NOW + 11_000)}. Try again then.`,
    );
    expect(error.message).not.toContain('maximum wait');
    expect(events.at(-1)).toMatchObject({ status: 429 });
    expect(events.at(-1)!.retry).toBeUndefined();
  });

  it("names the container registry's rate limit, not GitHub's, for a request to the registry", async () => {
    const { send } = waiting([reply(429, { 'retry-after': '3600' })]);
    const error = await rejection(send(request({ destination: registryDestination(), path: '/v2/o/p/manifests/sha256:1' })));
    expect(error.message).toBe(
      `the rate limit of the container registry at ghcr.io is exhausted until ${hhmm(NOW + 3600_000)} (GET ghcr.io/v2/o/p/manifests/sha256:1); that is longer than the maximum wait. Try again then, or allow a longer wait with the maxWaitMs option.`,
    );
  });

  it('fails at once when the wait is longer than maxWaitMs, saying until when', async () => {
    const { send, sent, clock, events } = waiting([EXHAUSTED_FOR(3600), reply(200)], { maxWaitMs: 60_000 });
    const error = await rejection(send(request()));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(error.message).toBe(
      `GitHub's rate limit is exhausted until ${hhmm(NOW + 3600_000)} (GET /user/packages); that is longer than the maximum wait. Try again then, or allow a longer wait with the maxWaitMs option.`,
    );
    expect(sent).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    expect(events).toHaveLength(1);
  });

  it('waits exactly maxWaitMs, but not a millisecond more', async () => {
    const exact = waiting([reply(403, { 'retry-after': '60' }), reply(200)], { maxWaitMs: 60_000 });
    expect(await status(exact.send(request()))).toBe(200);
    expect(exact.clock.sleeps).toEqual([60_000]);
    const over = waiting([reply(403, { 'retry-after': '60' }), reply(200)], { maxWaitMs: 59_999 });
    expect(await rejection(over.send(request()))).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('quotes what it could not read in the error, too', async () => {
    const { send } = waiting([reply(403, { 'retry-after': '-5' })], { maxWaitMs: 1_000 });
    expect((await rejection(send(request()))).message).toContain('(retry-after "-5" is not a whole, non-negative number of seconds, so ghsql waits 60 s.) Try again then');
  });

  it('counts waits per request across calls (a retry sends the same request again); a new request starts afresh', async () => {
    const { send, clock } = waiting([reply(429), reply(200), reply(429), reply(200), reply(429), reply(200)], { maxWaitMs: 600_000 });
    const retried = request();
    await send(retried);
    await send(retried);
    await send(request());
    expect(clock.sleeps).toEqual([60_000, 120_000, 60_000]);
  });

  it('passes up, untraced, a 403 that is no rate limit, an accepted status, and a failure', async () => {
    const forbidden = waiting([reply(403, {}, '{"message":"Forbidden"}')]);
    expect(await status(forbidden.send(request()))).toBe(403);
    const accepted = waiting([reply(429)]);
    expect(await status(accepted.send(request({ accept: [429] })))).toBe(429);
    const failed = waiting([failing('ECONNRESET')]);
    expect(await failed.send(request())).toMatchObject({ failure: { kind: 'reset' } });
    for (const { events, clock } of [forbidden, accepted, failed]) {
      expect(events).toEqual([]);
      expect(clock.sleeps).toEqual([]);
    }
  });

  describe('with an onRateLimit hook', () => {
    it('tells the hook the wait before it starts, and waits when it says so', async () => {
      const notices: RateLimitNotice[] = [];
      const { send, clock } = waiting([reply(403, { 'retry-after': '7' }), reply(429, { 'retry-after': '2' }), reply(200)], {
        onRateLimit: (notice) => notices.push(notice) > 0,
      });
      expect(await status(send(request()))).toBe(200);
      expect(notices).toEqual([
        { method: 'GET', target: '/user/packages', status: 403, wait: { ms: 7_000, until: NOW + 7_000 }, waitsBefore: 0 },
        { method: 'GET', target: '/user/packages', status: 429, wait: { ms: 2_000, until: NOW + 9_000 }, waitsBefore: 1 },
      ]);
      expect(clock.sleeps).toEqual([7_000, 2_000]);
    });

    it('fails at once when the hook declines, saying so', async () => {
      const { send, sent, clock, events } = waiting([reply(403, { 'retry-after': '7' }), reply(200)], { onRateLimit: () => false });
      const error = await rejection(send(request()));
      expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
      expect(error.message).toBe(`GitHub's rate limit is exhausted until ${hhmm(NOW + 7_000)} (GET /user/packages); the onRateLimit hook declined to wait. Try again then.`);
      expect(sent).toHaveLength(1);
      expect(clock.sleeps).toEqual([]);
      expect(events.map((event) => event.retry)).toEqual([undefined]);
    });

    it('is not asked about a wait the client would not make anyway', async () => {
      let asked = 0;
      const { send } = waiting([EXHAUSTED_FOR(3600)], { maxWaitMs: 1_000, onRateLimit: () => ++asked > 0 });
      expect((await rejection(send(request()))).message).toContain('that is longer than the maximum wait');
      expect(asked).toBe(0);
    });
  });
});
