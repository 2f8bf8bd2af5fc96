import { afterEach, describe, expect, it } from 'vitest';
import { IN_MEMORY, ResponseCache } from '../../../dist/github/response-cache.js';
import { conditionalCache } from '../../../dist/github/transport/conditional-cache.js';
import type { Answer, HttpRequest } from '../../../dist/github/transport/exchange.js';
import { FakeClock, NOW, recorder, rejection, reply, request } from './support.js';

const TTL = 60_000;
const PAGE = '[{"id":1}]';
const WITH_ETAG = reply(200, { etag: 'W/"v1"', link: '<https://api.github.com/user/packages?page=2>; rel="next"' }, PAGE);

let caches: ResponseCache[] = [];
afterEach(() => {
  for (const cache of caches) cache.close();
  caches = [];
});

/** conditionalCache() over a next layer that answers from a script and records the headers it was sent. */
function cached(replies: Array<() => Response>, { cacheOn = true, ttlMs = TTL } = {}) {
  const cache = cacheOn ? new ResponseCache(IN_MEMORY, 'token-of-this-test') : undefined;
  if (cache) caches.push(cache);
  const clock = new FakeClock();
  const { trace, events } = recorder();
  const asked: HttpRequest[] = [];
  const send = conditionalCache(
    async (hop) => {
      asked.push(hop);
      const response = replies[Math.min(asked.length, replies.length) - 1]!();
      return { response, body: await response.text(), bytes: Buffer.alloc(0), target: hop.target } satisfies Answer;
    },
    { cache, ttlMs, clock, trace },
  );
  return { send, cache, clock, events, asked };
}

const KEY = 'https://api.github.com/user/packages';

describe('the conditional cache layer', () => {
  it('stores a 200 with an ETag only when remember()ed, and then answers from it within the TTL, asking nothing', async () => {
    const { send, cache, clock, events, asked } = cached([WITH_ETAG]);
    const first = await send(request());
    expect(first).toMatchObject({ status: 200, body: PAGE, url: KEY, target: '/user/packages' });
    expect(cache!.get(KEY)).toBeUndefined();
    first.remember!();
    expect(cache!.get(KEY)).toEqual({ etag: 'W/"v1"', link: '<https://api.github.com/user/packages?page=2>; rel="next"', storedAt: NOW });
    expect(cache!.body(KEY, 'W/"v1"')).toBe(PAGE);
    clock.time += TTL - 1;
    const again = await send(request());
    expect(again).toMatchObject({ status: 200, body: PAGE, url: KEY });
    expect(again.headers.get('link')).toBe('<https://api.github.com/user/packages?page=2>; rel="next"');
    expect(again.remember).toBeUndefined();
    expect(asked).toHaveLength(1);
    expect(events).toEqual([{ method: 'GET', target: '/user/packages', status: 200, ms: 0, source: 'cache' }]);
  });

  it('after the TTL asks with If-None-Match; a 304 answers with the stored body and Link, and remember() keeps it fresh', async () => {
    const { send, cache, clock, asked } = cached([WITH_ETAG, reply(304, { etag: 'W/"v1"' })]);
    (await send(request())).remember!();
    clock.time += TTL;
    const revalidated = await send(request());
    expect(asked[1]!.headers).toEqual({ 'if-none-match': 'W/"v1"' });
    expect(asked[0]!.headers).toEqual({});
    expect(revalidated).toMatchObject({ status: 200, body: PAGE, url: KEY });
    expect(revalidated.headers.get('link')).toContain('page=2');
    expect(cache!.get(KEY)!.storedAt).toBe(NOW);
    revalidated.remember!();
    expect(cache!.get(KEY)!.storedAt).toBe(NOW + TTL);
  });

  it('with a TTL of 0, revalidates every time', async () => {
    const { send, asked } = cached([WITH_ETAG, reply(304)], { ttlMs: 0 });
    (await send(request())).remember!();
    await send(request());
    await send(request());
    expect(asked.map((hop) => hop.headers['if-none-match'])).toEqual([undefined, 'W/"v1"', 'W/"v1"']);
  });

  it('a changed answer replaces the stored one when remember()ed', async () => {
    const { send, cache, clock } = cached([WITH_ETAG, reply(200, { etag: 'W/"v2"' }, '[]')]);
    (await send(request())).remember!();
    clock.time += TTL;
    const changed = await send(request());
    expect(changed.body).toBe('[]');
    changed.remember!();
    expect(cache!.get(KEY)).toMatchObject({ etag: 'W/"v2"', link: null });
    expect(cache!.body(KEY, 'W/"v2"')).toBe('[]');
    expect(cache!.body(KEY, 'W/"v1"')).toBeUndefined();
  });

  it('offers no remember() for what cannot be cached: no ETag, not a 200, not a GET, or the cache off', async () => {
    expect((await cached([reply(200, {}, PAGE)]).send(request())).remember).toBeUndefined();
    expect((await cached([reply(404, { etag: 'W/"x"' })]).send(request({ accept: [404] }))).remember).toBeUndefined();
    expect((await cached([reply(200, { etag: 'W/"x"' })]).send(request({ method: 'POST' }))).remember).toBeUndefined();
    expect((await cached([WITH_ETAG], { cacheOn: false }).send(request())).remember).toBeUndefined();
  });

  it('a write forgets every stored answer, and remember() of an answer fetched before it stores nothing', async () => {
    const { send, cache, asked } = cached([WITH_ETAG, WITH_ETAG, reply(204), WITH_ETAG]);
    (await send(request())).remember!();
    const before = await send(request({ path: '/user/packages/npm/a' }));
    await send(request({ method: 'DELETE', path: '/user/packages/npm/b' }));
    expect(cache!.get(KEY)).toBeUndefined();
    before.remember!();
    expect(cache!.get('https://api.github.com/user/packages/npm/a')).toBeUndefined();
    (await send(request())).remember!(); // fetched after the write: stored
    expect(cache!.get(KEY)).toBeDefined();
    expect(asked.map((hop) => hop.method)).toEqual(['GET', 'GET', 'DELETE', 'GET']);
  });

  it('calls a 304 to a request that was not conditional a bad response', async () => {
    for (const cacheOn of [true, false]) {
      const error = await rejection(cached([reply(304)], { cacheOn }).send(request()));
      expect(error).toMatchObject({ code: 'BAD_RESPONSE' });
      expect(error.message).toBe('GitHub answered GET /user/packages with 304 Not Modified, but nothing was cached to revalidate.');
    }
  });
});
