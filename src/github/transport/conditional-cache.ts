import { GhsqlError } from '../../errors.js';
import type { BuiltRows, CachedEntry, ResponseCache } from '../response-cache.js';
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
    const cached = method === 'GET' && cache ? lookUp(cache, key, request.rowsShape) : undefined;
    if (cached && !request.revalidate && clock.now() - cached.entry.storedAt < ttlMs) {
      trace({ method, target, status: 200, ms: 0, source: 'cache' });
      return cachedAnswer({ status: 200, headers: new Headers(cached.entry.link ? { link: cached.entry.link } : {}), target, url: key }, cached);
    }
    const writesBefore = writes;
    const unchangedSince = () => writes === writesBefore;
    const answer = await next(cached ? { ...request, headers: { ...request.headers, 'if-none-match': cached.entry.etag } } : request);
    if (method !== 'GET') {
      writes++;
      cache?.forgetAll();
    }
    const { response, body } = answer;
    if (response.status === 304) {
      if (!cached) throw new GhsqlError('BAD_RESPONSE', `GitHub answered ${method} ${answer.target} with 304 Not Modified, but nothing was cached to revalidate.`);
      const revalidated = new Headers(response.headers);
      if (cached.entry.link) revalidated.set('link', cached.entry.link);
      const remember = (built?: BuiltRows) => {
        if (!unchangedSince()) return;
        cache?.touch(key, clock.now());
        if (built) cache?.putRows(key, cached.entry.etag, built);
      };
      return cachedAnswer({ status: 200, headers: revalidated, target: answer.target, url: key, remember }, cached);
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

/** What the cache holds for a URL: the entry, and either the rows kept for the caller's shape or the body. */
interface Found {
  entry: CachedEntry;
  cache: ResponseCache;
  builtRows?: BuiltRows;
  body?: string;
}

/**
 * A GET's entry. Its body (200 KB for a page) is read only when no rows are kept for the caller's
 * shape; an entry whose body has just vanished (another process shares the file) is a miss.
 */
function lookUp(cache: ResponseCache, key: string, rowsShape: string | undefined): Found | undefined {
  const entry = cache.get(key);
  if (!entry) return undefined;
  const builtRows = rowsShape === undefined ? undefined : cache.getRows(key, rowsShape, entry.etag);
  if (builtRows) return { entry, cache, builtRows };
  const body = cache.body(key, entry.etag);
  return body === undefined ? undefined : { entry, cache, body };
}

/** An answer from what the cache found: with its kept rows and the body read only if asked for, or with the body. */
function cachedAnswer(answer: Omit<ApiResponse, 'body'>, { entry, cache, builtRows, body }: Found): ApiResponse {
  if (body !== undefined) return { ...answer, body };
  let read: string | undefined;
  return Object.defineProperty({ ...answer, builtRows }, 'body', {
    enumerable: true,
    get: () => {
      read ??= cache.body(answer.url, entry.etag);
      if (read === undefined) {
        throw new GhsqlError('LIST_CHANGED', `the cached answer to GET ${answer.target} was replaced while it was read (by another ghsql sharing the cache). Run the query again.`);
      }
      return read;
    },
  }) as ApiResponse;
}
