import { request as octokitRequest } from '@octokit/request';
import { GhsqlError } from '../errors.js';
import { clockTime, errorFromResponse } from './github-errors.js';
import type { ResponseCache } from './response-cache.js';
import type { TraceEvent } from './trace.js';

export interface ClientOptions {
  /** API base URL: https://api.github.com, a GitHub Enterprise Server `/api/v3` URL, or the stand-in. */
  baseUrl: string;
  token?: string;
  /** Pages fetched ahead of the reader when the last page is known; 1 reads strictly one page at a time. */
  concurrency: number;
  timeoutMs: number;
  maxRetries: number;
  /** First retry delay; doubles each attempt, with jitter. */
  retryBaseMs: number;
  /** Longest a request waits for a rate limit to reset before failing. */
  maxWaitMs: number;
  /** GitHub asks for writes at least a second apart. */
  writeIntervalMs: number;
  /** Where GET responses and their ETags are kept (the worker opens it); undefined turns the cache off. */
  cacheDir?: string;
  /** How long a cached response is reused without asking GitHub; after it, it is revalidated. */
  cacheTtlMs: number;
}

export const DEFAULT_CLIENT_OPTIONS: Omit<ClientOptions, 'baseUrl'> = {
  concurrency: 4,
  timeoutMs: 30_000,
  maxRetries: 4,
  retryBaseMs: 250,
  maxWaitMs: 60_000,
  writeIntervalMs: 1_000,
  cacheTtlMs: 0,
};

export interface ApiRequest {
  /** A documented route, `GET /user/packages/{package_type}/{package_name}`, or a method and absolute URL. */
  route: string;
  params?: Record<string, string | number | undefined>;
  /** Statuses returned to the caller instead of thrown (e.g. 404 on a get that means "no row"). */
  accept?: number[];
  /** Query values never shown in traces or errors. */
  secretParams?: string[];
}

function redactQuery(target: string, secretParams: readonly string[]): string {
  return secretParams.reduce((redacted, name) => redacted.replace(new RegExp(`([?&]${name}=)[^&]*`), '$1[REDACTED]'), target);
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: string;
  /** What was requested, for messages: method and path with query. */
  target: string;
}

const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);
const MAX_RATE_LIMIT_WAITS = 10;
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

/** The API base URL, checked: a token only ever goes over HTTPS, or to this machine. */
export function checkBaseUrl(baseUrl: string, token: string | undefined): URL {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new GhsqlError('INVALID_ARGUMENT', `the API URL ${JSON.stringify(baseUrl)} is not a URL; give one like https://api.github.com or https://HOST/api/v3.`);
  }
  if (token && base.protocol !== 'https:' && !isLoopback(base)) {
    throw new GhsqlError('INVALID_ARGUMENT', `refusing to send the GitHub token over plain HTTP to ${base.host}: use an https:// API URL.`);
  }
  return base;
}

/**
 * The one module that talks to GitHub: builds URLs from documented routes (@octokit/request's endpoint
 * templates, which percent-encode path segments), authenticates, retries transient failures, waits out
 * rate limits and spaces writes. It throws GhsqlError with a message a user can act on.
 */
export class GitHubClient {
  private readonly endpoint: typeof octokitRequest.endpoint;
  private readonly origin: string;
  private nextWriteAt = 0;

  constructor(
    readonly options: ClientOptions,
    private readonly onTrace: (event: TraceEvent) => void = () => undefined,
    /** GET responses with their ETags (see response-cache.ts); none when the cache is off. */
    private readonly cache?: ResponseCache,
  ) {
    const base = checkBaseUrl(options.baseUrl, options.token);
    this.origin = base.origin;
    this.endpoint = octokitRequest.endpoint.defaults({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      headers: { 'user-agent': 'ghsql', 'x-github-api-version': '2022-11-28' },
    });
  }

  /**
   * Sends one request, retrying and waiting as needed; returns 2xx responses and those in `accept`.
   * GETs go through the cache: a fresh entry answers without a request, a stale one is revalidated
   * with If-None-Match (a 304 costs no rate limit).
   */
  async send(apiRequest: ApiRequest, signal?: AbortSignal): Promise<ApiResponse> {
    const endpoint = this.endpoint(apiRequest.route, apiRequest.params ?? {});
    const method = endpoint.method;
    const url = endpoint.url.replace(/\?$/, '');
    // Secret query values (a restore's package token) are never shown in traces or errors.
    const target = redactQuery(url.startsWith(this.origin) ? url.slice(this.origin.length) : url, apiRequest.secretParams ?? []);
    if (new URL(url).origin !== this.origin) {
      // A Link header pointing elsewhere must not receive the token.
      throw new GhsqlError('BAD_RESPONSE', `GitHub sent a pagination link to another host (${new URL(url).host}); not following it.`);
    }
    if (!this.options.token) {
      throw new GhsqlError(
        'AUTH',
        'no GitHub token: set GITHUB_TOKEN or GH_TOKEN to a classic personal access token with read:packages (or log in with `gh auth login`), or try ghsql --demo.',
      );
    }
    const headers: Record<string, string> = Object.fromEntries(
      Object.entries(endpoint.headers).map(([name, value]) => [name, String(value)]),
    );
    headers['authorization'] = `token ${this.options.token}`;

    const cached = method === 'GET' ? this.cache?.get(url) : undefined;
    if (cached && Date.now() - cached.storedAt < this.options.cacheTtlMs) {
      this.onTrace({ method, target, status: 200, ms: 0, source: 'cache' });
      return { status: 200, headers: new Headers(cached.link ? { link: cached.link } : {}), body: cached.body, target };
    }
    if (cached) headers['if-none-match'] = cached.etag;
    if (method !== 'GET') await this.spaceWrites(signal);

    const { response, body } = await this.exchange(method, url, target, headers, apiRequest.accept ?? [], signal);
    if (response.status === 304 && cached) {
      this.cache?.touch(url, Date.now());
      const revalidated = new Headers(response.headers);
      if (cached.link) revalidated.set('link', cached.link);
      return { status: 200, headers: revalidated, body: cached.body, target };
    }
    const etag = response.headers.get('etag');
    if (method === 'GET' && response.status === 200 && etag) {
      this.cache?.put(url, { etag, body, link: response.headers.get('link'), storedAt: Date.now() });
    }
    if (method !== 'GET') this.cache?.forgetAll();
    return { status: response.status, headers: response.headers, body, target };
  }

  /** One request until it succeeds: retries transient failures, waits out rate limits. */
  private async exchange(
    method: string,
    url: string,
    target: string,
    headers: Record<string, string>,
    accept: number[],
    signal: AbortSignal | undefined,
  ): Promise<{ response: Response; body: string }> {
    let rateLimitWaits = 0;
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      let response: Response;
      let body: string;
      try {
        const timeout = AbortSignal.timeout(this.options.timeoutMs);
        response = await fetch(url, { method, headers, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
        body = await response.text();
      } catch (error) {
        if (signal?.aborted) throw error;
        const reason = describeNetworkError(error);
        if (attempt < this.options.maxRetries) {
          this.onTrace({ method, target, status: 0, ms: elapsed(), source: 'network', retry: `${reason}, retrying` });
          await this.backoff(attempt, signal);
          continue;
        }
        throw new GhsqlError(
          'NETWORK',
          `${method} ${target} failed after ${attempt + 1} attempts: ${reason}. Check the network and the API URL (${this.origin}), or allow more time with --timeout.`,
        );
      }
      const { status } = response;
      const remaining = response.headers.get('x-ratelimit-remaining');
      const event: TraceEvent = {
        method,
        target,
        status,
        ms: elapsed(),
        source: status === 304 ? 'revalidated' : 'network',
        ...(remaining === null ? {} : { rateLimitRemaining: Number(remaining) }),
      };
      if (status < 300 || status === 304 || accept.includes(status)) {
        this.onTrace(event);
        return { response, body };
      }
      if (RETRYABLE_STATUSES.has(status) && attempt < this.options.maxRetries) {
        this.onTrace({ ...event, retry: 'retrying' });
        await this.backoff(attempt, signal);
        continue;
      }
      const wait = status === 403 || status === 429 ? rateLimitWaitMs(response.headers, body, rateLimitWaits) : undefined;
      if (wait !== undefined && wait <= this.options.maxWaitMs && rateLimitWaits < MAX_RATE_LIMIT_WAITS) {
        this.onTrace({ ...event, retry: `rate limited, waiting ${Math.ceil(wait / 1000)} s` });
        rateLimitWaits++;
        await sleep(wait, signal);
        attempt--; // a rate-limit wait is not a failed attempt
        continue;
      }
      this.onTrace(event);
      if (wait !== undefined) throw rateLimitError(response.headers, method, target, wait);
      throw errorFromResponse({ method, target, status, headers: response.headers, body });
    }
  }

  private async backoff(attempt: number, signal?: AbortSignal): Promise<void> {
    const base = this.options.retryBaseMs * 2 ** attempt;
    await sleep(base / 2 + Math.random() * base, signal);
  }

  private async spaceWrites(signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextWriteAt);
    this.nextWriteAt = at + this.options.writeIntervalMs;
    if (at > now) await sleep(at - now, signal);
  }
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timed out';
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? cause.message : error.message;
  }
  return String(error);
}

/**
 * How long to wait before retrying a 403/429, or undefined when it is not a rate limit.
 * Primary limit: remaining 0 → until x-ratelimit-reset. Secondary: retry-after, else a minute, doubling.
 */
function rateLimitWaitMs(headers: Headers, body: string, previousWaits: number): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) return Number(retryAfter) * 1000;
  if (headers.get('x-ratelimit-remaining') === '0') {
    return Math.max(0, Number(headers.get('x-ratelimit-reset')) * 1000 - Date.now()) + 500;
  }
  if (/secondary rate limit/i.test(body)) return 60_000 * 2 ** previousWaits;
  return undefined;
}

function rateLimitError(headers: Headers, method: string, target: string, waitMs: number): GhsqlError {
  const reset = Number(headers.get('x-ratelimit-reset'));
  const until = headers.get('x-ratelimit-remaining') === '0' && reset > 0
    ? clockTime(reset)
    : clockTime(Math.ceil((Date.now() + waitMs) / 1000));
  return new GhsqlError(
    'RATE_LIMITED',
    `GitHub's rate limit is exhausted until ${until} (${method} ${target}); that is longer than the maximum wait. Try again then, or allow a longer wait with --max-wait.`,
    429,
  );
}
