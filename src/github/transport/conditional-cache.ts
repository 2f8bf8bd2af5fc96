import { GhsqlError } from '../../errors.js';
import type { BuiltRows, ResponseCache } from '../response-cache.js';
import type { Clock } from './clock.js';
import type { Answer, ApiResponse, Send } from './exchange.js';
import type { Trace } from './tracing.js';

export interface ConditionalCacheOptions {
  /** GET answers with their ETags (response-cache.ts); undefined when the cache is off. */
  cache: ResponseCache | undefined;
  /** How long a stored answer is used without asking; after it, it is revalidated. */
  ttlMs: number;
  clock: Clock;
  trace: Trace;
}

/**
 * The top layer of an API request. A GET with a fresh entry is answered without a request; a stale
 * one is asked with If-None-Match, and a 304 answers with the stored body (and costs no rate limit).
 * A new answer is stored only by its remember(), once the caller has validated it. A write makes
 * every stored answer suspect: they are forgotten, and remember() of any answer fetched before it
 * does nothing.
 */
export function conditionalCache(next: Send<Answer>, { cache, ttlMs, clock, trace }: ConditionalCacheOptions): Send<ApiResponse> {
  let writes = 0;
  return async (request) => {
    const { method, target } = request;
    const key = request.url.href;
    const cached = method === 'GET' ? cache?.get(key) : undefined;
    const builtRows = cached && cache ? (shape: string) => cache.getRows(key, shape, cached.etag) : undefined;
    if (cached && !request.revalidate && clock.now() - cached.storedAt < ttlMs) {
      trace({ method, target, status: 200, ms: 0, source: 'cache' });
      return { status: 200, headers: new Headers(cached.link ? { link: cached.link } : {}), body: cached.body, target, url: key, builtRows };
    }
    const writesBefore = writes;
    const unchangedSince = () => writes === writesBefore;
    const answer = await next(cached ? { ...request, headers: { ...request.headers, 'if-none-match': cached.etag } } : request);
    if (method !== 'GET') {
      writes++;
      cache?.forgetAll();
    }
    const { response, body } = answer;
    if (response.status === 304) {
      if (!cached) throw new GhsqlError('BAD_RESPONSE', `GitHub answered ${method} ${answer.target} with 304 Not Modified, but nothing was cached to revalidate.`);
      const revalidated = new Headers(response.headers);
      if (cached.link) revalidated.set('link', cached.link);
      const remember = (built?: BuiltRows) => {
        if (!unchangedSince()) return;
        cache?.touch(key, clock.now());
        if (built) cache?.putRows(key, cached.etag, built);
      };
      return { status: 200, headers: revalidated, body: cached.body, target: answer.target, url: key, remember, builtRows };
    }
    const etag = response.headers.get('etag');
    const link = response.headers.get('link');
    const remember =
      cache !== undefined && method === 'GET' && response.status === 200 && etag !== null
        ? (built?: BuiltRows) => {
            if (!unchangedSince()) return;
            cache.put(key, { etag, body, link, storedAt: clock.now() });
            if (built) cache.putRows(key, etag, built);
          }
        : undefined;
    return { status: response.status, headers: response.headers, body, target: answer.target, url: key, ...(remember ? { remember } : {}) };
  };
}
