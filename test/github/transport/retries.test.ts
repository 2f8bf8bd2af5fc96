import { describe, expect, it } from 'vitest';
import { retryPolicy } from '../../../dist/github/retry-policy.js';
import { fetchAttempt } from '../../../dist/github/transport/fetch-attempt.js';
import { waitingOutRateLimits } from '../../../dist/github/transport/rate-limit-waits.js';
import { retrying } from '../../../dist/github/transport/retries.js';
import { failing, FakeClock, recorder, rejection, reply, request, scriptedFetch } from './support.js';

/** retrying() over one fetch per attempt; jitter fixed at the middle, so each back-off is exact. */
function retried(replies: Parameters<typeof scriptedFetch>, { maxRetries = 4, retryBaseMs = 100, random = (): number => 0.5 } = {}) {
  const { fetch, sent } = scriptedFetch(...replies);
  const clock = new FakeClock();
  const { trace, events } = recorder();
  const send = retrying(fetchAttempt(fetch, 10_000), { policy: retryPolicy({ maxRetries, retryBaseMs }), clock, random, trace, timeoutOption: 'the timeoutMs option' });
  return { send, sent, clock, events };
}

describe('the retry layer', () => {
  it.each([500, 502, 503, 504])('retries %i, then returns the answer that follows', async (status) => {
    const { send, sent, clock, events } = retried([reply(status), reply(200, {}, '[]')]);
    const answer = await send(request());
    expect(answer.response.status).toBe(200);
    expect(answer.body).toBe('[]');
    expect(sent).toHaveLength(2);
    expect(clock.sleeps).toEqual([100]);
    expect(events.map((event) => [event.status, event.retry])).toEqual([[status, 'retrying']]);
  });

  it.each([400, 401, 403, 404, 422, 501, 505])('passes %i up at once: the same request would get it again', async (status) => {
    const { send, sent, clock, events } = retried([reply(status), reply(200)]);
    expect((await send(request())).response.status).toBe(status);
    expect(sent).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    expect(events).toEqual([]); // the answer is traced by the layer that ends the request
  });

  it('makes maxRetries + 1 attempts in all, then passes the last answer up', async () => {
    const { send, sent, clock } = retried([reply(503)], { maxRetries: 3 });
    expect((await send(request())).response.status).toBe(503);
    expect(sent).toHaveLength(4);
    expect(clock.sleeps).toEqual([100, 200, 400]);
  });

  it('with maxRetries 0, tries once', async () => {
    const { send, sent } = retried([reply(503)], { maxRetries: 0 });
    expect((await send(request())).response.status).toBe(503);
    expect(sent).toHaveLength(1);
  });

  it('does not retry a status the caller accepts', async () => {
    const { send, sent } = retried([reply(503), reply(200)]);
    expect((await send(request({ accept: [503] }))).response.status).toBe(503);
    expect(sent).toHaveLength(1);
  });

  it('backs off between half and one and a half times base × 2^(retry − 1), never past a minute', async () => {
    const low = retried([reply(500)], { maxRetries: 3, random: () => 0 });
    await low.send(request());
    expect(low.clock.sleeps).toEqual([50, 100, 200]);
    const high = retried([reply(500)], { maxRetries: 3, random: () => 0.999 });
    await high.send(request());
    expect(high.clock.sleeps).toEqual([150, 300, 600]);
    const capped = retried([reply(500)], { maxRetries: 8, retryBaseMs: 60_000, random: () => 0.999 });
    await capped.send(request());
    expect(capped.clock.sleeps).toEqual(Array(8).fill(60_000));
  });

  describe('when fetch throws', () => {
    it.each([
      ['a reset', 'ECONNRESET', /failed after 3 attempts: the connection was reset \(ECONNRESET happened\)\. Check the network and the API URL \(https:\/\/api\.github\.com\), or allow more time with the timeoutMs option\.$/],
      ['a refused connection', 'ECONNREFUSED', /failed after 3 attempts: the connection was refused/],
      ['a timeout', 'UND_ERR_CONNECT_TIMEOUT', /failed after 3 attempts: UND_ERR_CONNECT_TIMEOUT happened\./],
    ])('retries %s as often as allowed, then fails as NETWORK', async (_, code, message) => {
      const { send, sent, clock, events } = retried([failing(code)], { maxRetries: 2 });
      const error = await rejection(send(request()));
      expect(error).toMatchObject({ code: 'NETWORK' });
      expect(error.message).toMatch(/^GET \/user\/packages failed after 3 attempts/);
      expect(error.message).toMatch(message);
      expect(sent).toHaveLength(3);
      expect(clock.sleeps).toEqual([100, 200]);
      expect(events.map((event) => [event.status, event.retry])).toEqual([
        [0, expect.stringMatching(/, retrying$/)],
        [0, expect.stringMatching(/, retrying$/)],
        [0, undefined],
      ]);
    });

    it('recovers when the network does', async () => {
      const { send, sent } = retried([failing('ECONNRESET'), reply(200)]);
      expect((await send(request())).response.status).toBe(200);
      expect(sent).toHaveLength(2);
    });

    it('does not retry an unreachable host: NETWORK at once, naming the URL to check', async () => {
      const { send, sent } = retried([failing('ENOTFOUND')]);
      const error = await rejection(send(request()));
      expect(error).toMatchObject({ code: 'NETWORK' });
      expect(error.message).toBe('GET /user/packages failed: ENOTFOUND happened. Check the API URL (https://api.github.com) and the network.');
      expect(sent).toHaveLength(1);
    });

    it('does not retry a fault on this side: INTERNAL', async () => {
      const { send, sent } = retried([
        () => {
          throw new TypeError("Cannot read properties of undefined (reading 'x')");
        },
      ]);
      const error = await rejection(send(request()));
      expect(error).toMatchObject({ code: 'INTERNAL' });
      expect(error.message).toMatch(/could not be completed: TypeError: Cannot read properties.*so it was not retried\.$/);
      expect(sent).toHaveLength(1);
    });
  });

  it('does not count a rate-limit wait below it as a failed attempt', async () => {
    const { fetch, sent } = scriptedFetch(reply(503), reply(429, { 'retry-after': '1' }), reply(503), reply(503), reply(200));
    const clock = new FakeClock();
    const { trace } = recorder();
    const waited = waitingOutRateLimits(fetchAttempt(fetch, 10_000), { maxWaitMs: 60_000, clock, trace, maxWaitOption: 'the maxWaitMs option' });
    const send = retrying(waited, { policy: retryPolicy({ maxRetries: 2, retryBaseMs: 100 }), clock, random: () => 0.5, trace, timeoutOption: 'the timeoutMs option' });
    // Three attempts allowed: 503, (429 waited out) 503, 503; the 200 is never asked for.
    expect((await send(request())).response.status).toBe(503);
    expect(sent).toHaveLength(4);
    expect(clock.sleeps).toEqual([100, 1_000, 200]);
  });
});
