import { describe, expect, it } from 'vitest';
import { fetchAttempt } from '../../../dist/github/transport/fetch-attempt.js';
import type { Fetch } from '../../../dist/github/transport/exchange.js';
import { failing, rejection, reply, request, scriptedFetch } from './support.js';

describe('one fetch attempt', () => {
  it('sends the method and headers, never lets fetch follow a redirect, and reads the whole body', async () => {
    const { fetch, sent } = scriptedFetch(() => new Response(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), { status: 200 }));
    const attempt = await fetchAttempt(fetch, 1_000)(request({ method: 'DELETE', headers: { authorization: 'token x' } }));
    expect(sent).toEqual([{ url: 'https://api.github.com/user/packages', method: 'DELETE', headers: { authorization: 'token x' }, redirect: 'manual' }]);
    expect('response' in attempt && attempt.body).toBe('{}'); // as response.text(): the byte-order mark dropped
    expect('response' in attempt && [...attempt.bytes]).toEqual([0xef, 0xbb, 0xbf, 0x7b, 0x7d]); // as received
  });

  it('returns a redirect as an answer', async () => {
    const attempt = await fetchAttempt(scriptedFetch(reply(302, { location: '/elsewhere' })).fetch, 1_000)(request());
    expect('response' in attempt && attempt.response.headers.get('location')).toBe('/elsewhere');
  });

  it('returns what fetch threw as a classified failure, for the retry layer to judge', async () => {
    const attempt = await fetchAttempt(scriptedFetch(failing('ECONNRESET')).fetch, 1_000)(request());
    expect(attempt).toMatchObject({ failure: { kind: 'reset', reason: 'the connection was reset (ECONNRESET happened)' } });
  });

  it('gives up on an answer that takes longer than timeoutMs: a timeout failure', async () => {
    // Answers only when aborted, so the outcome does not depend on how fast the machine is.
    const never: Fetch = (_, init) => new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    expect(await fetchAttempt(never, 5)(request())).toMatchObject({ failure: { kind: 'timeout', reason: 'timed out' } });
  });

  it("throws the caller's abort, not a failure to retry", async () => {
    const controller = new AbortController();
    const aborting: Fetch = (_, init) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        controller.abort(new Error('statement interrupted'));
      });
    expect((await rejection(fetchAttempt(aborting, 60_000)(request({ signal: controller.signal })))).message).toBe('statement interrupted');
  });
});
