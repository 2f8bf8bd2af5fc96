import { request as octokitRequest } from '@octokit/request';
import { GhsqlError } from '../errors.js';
import { LIBRARY_WORDING, type Wording } from '../wording.js';
import { validateClientOptions, type ClientOptions } from './client-options.js';
import { errorFromResponse } from './github-errors.js';
import { rateLimitError, rateLimitRemaining, rateLimitWait } from './rate-limit.js';
import { redactor } from './redact.js';
import { checkPathValues, targetOf } from './request-target.js';
import type { ResponseCache } from './response-cache.js';
import { backoffMs, canRetry, retryPolicy, type RetryPolicy } from './retry-policy.js';
import { sleep } from './sleep.js';
import type { TraceEvent } from './trace.js';
import { classifyTransportError, type TransportFailure } from './transport-errors.js';

export { DEFAULT_CLIENT_OPTIONS, validateClientOptions, type ClientOptions } from './client-options.js';

export interface ApiRequest {
  /** A documented route, `GET /user/packages/{package_type}/{package_name}`, or a method and absolute URL. */
  route: string;
  params?: Record<string, string | number | undefined>;
  /** Statuses returned to the caller instead of thrown (e.g. 404 on a get that means "no row"). */
  accept?: number[];
  /** Query values never shown in traces or errors. */
  secretParams?: string[];
  /** Never answer from the cache within its TTL: always ask GitHub (If-None-Match when cached), so a change is seen. */
  revalidate?: boolean;
}


export interface ApiResponse {
  status: number;
  headers: Headers;
  body: string;
  /** What was sent, for messages: method and path with query, as normalised (after redirects, the last one). */
  target: string;
  /** The absolute URL asked for, normalised: the cache key, and what pagination compares to find loops. */
  url: string;
  /**
   * Present when the answer can be cached (a GET answered 200 with an ETag, or a 304 that revalidated
   * a cached body, with the cache on). Call it once the body has passed validation: only then is it
   * stored (or its cached copy kept fresh), so an answer that fails validation is never replayed.
   * Calling it twice is harmless; after a write by this client it does nothing, as the answer may be stale.
   */
  remember?: () => void;
}

/** Statuses whose answer is a Location to go to instead. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Same-origin redirects followed in a row before giving up; fetch allows 20, GitHub never needs more than one. */
const MAX_REDIRECTS = 5;
const MAX_RATE_LIMIT_WAITS = 10;

/** The body as text, and as the bytes received (a manifest's digest is of its bytes). */
type Exchanged = { response: Response; body: string; bytes: Buffer };

/** A GET outside the API (the container registry, its token realm), with the caller's headers only. */
export interface OutsideRequest {
  url: URL;
  headers: Record<string, string>;
  /** Statuses returned instead of thrown (401 carries the registry's challenge). */
  accept: number[];
}

export interface OutsideResponse {
  status: number;
  headers: Headers;
  body: string;
  bytes: Buffer;
  /** Host, path and query, for messages. */
  target: string;
}

/** What response.text() does: UTF-8, a byte-order mark dropped. */
const UTF8 = new TextDecoder();

/**
 * The one module that talks to GitHub: builds URLs from documented routes (@octokit/request's endpoint
 * templates, which percent-encode path segments), authenticates, retries what a retry can fix, waits out
 * rate limits, spaces writes and follows only safe redirects. It throws GhsqlError with a message a user
 * can act on, and nothing it throws or traces contains the token.
 */
export class GitHubClient {
  readonly options: ClientOptions;
  private readonly endpoint: typeof octokitRequest.endpoint;
  private readonly origin: string;
  private readonly retry: RetryPolicy;
  private readonly redact: (text: string) => string;
  private readonly trace: (event: TraceEvent) => void;
  private readonly wording: Wording;
  private nextWriteAt = 0;
  /** Counts writes, so that remember() of an answer fetched before a write does not store it. */
  private writes = 0;

  constructor(
    options: ClientOptions,
    onTrace: (event: TraceEvent) => void = () => undefined,
    /** GET responses with their ETags (see response-cache.ts); none when the cache is off. */
    private readonly cache?: ResponseCache,
  ) {
    this.options = validateClientOptions(options);
    this.origin = new URL(options.baseUrl).origin;
    this.retry = retryPolicy(options);
    this.wording = options.wording ?? LIBRARY_WORDING;
    this.redact = redactor(options.token);
    this.trace = (event) => onTrace({ ...event, target: this.redact(event.target), ...(event.retry ? { retry: this.redact(event.retry) } : {}) });
    this.endpoint = octokitRequest.endpoint.defaults({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      headers: { 'user-agent': 'ghsql', 'x-github-api-version': '2022-11-28' },
    });
  }

  /**
   * Sends one request, retrying and waiting as needed; returns 2xx responses and those in `accept`.
   * GETs go through the cache: a fresh entry answers without a request, a stale one is revalidated
   * with If-None-Match (a 304 costs no rate limit); a new answer is stored only by its remember().
   */
  async send(apiRequest: ApiRequest, signal?: AbortSignal): Promise<ApiResponse> {
    try {
      return await this.sendChecked(apiRequest, signal);
    } catch (error) {
      if (signal?.aborted) throw error; // cancelled: nobody reads it
      throw this.scrubbed(error);
    }
  }

  /**
   * A GET to another of GitHub's services (the container registry and its token realm) with the
   * same retries, rate-limit waits, trace and same-origin redirects as the API. No API token is
   * added: the caller gives every header, and decides where a credential may go (registry-client.ts).
   */
  async fetchOutside(request: OutsideRequest, signal?: AbortSignal): Promise<OutsideResponse> {
    try {
      const headers = { 'user-agent': 'ghsql', ...request.headers };
      const { response, body, bytes, target } = await this.follow('GET', request.url, headers, request.accept, [], signal, request.url.origin);
      return { status: response.status, headers: response.headers, body, bytes, target };
    } catch (error) {
      if (signal?.aborted) throw error;
      throw this.scrubbed(error);
    }
  }

  /** Every error leaves as a GhsqlError with the token removed; anything not already one is a fault here. */
  private scrubbed(error: unknown): GhsqlError {
    if (error instanceof GhsqlError) {
      const message = this.redact(error.message);
      return message === error.message ? error : new GhsqlError(error.code, message, error.status);
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new GhsqlError('INTERNAL', `ghsql's HTTP client failed: ${this.redact(message)}. This is a bug; please report it.`);
  }

  private async sendChecked(apiRequest: ApiRequest, signal?: AbortSignal): Promise<ApiResponse> {
    const params = apiRequest.params ?? {};
    checkPathValues(apiRequest.route, params);
    const endpoint = this.endpoint(apiRequest.route, params);
    const method = endpoint.method;
    const secrets = apiRequest.secretParams ?? [];
    // Parsed as fetch will parse it, so that messages, the trace and the cache name what is really sent.
    const url = new URL(endpoint.url.replace(/\?$/, ''));
    if (url.origin !== this.origin) {
      // A Link header pointing elsewhere must not receive the token.
      throw new GhsqlError('BAD_RESPONSE', `GitHub sent a pagination link to another host (${url.host}); not following it.`);
    }
    if (!this.options.token) {
      throw new GhsqlError(
        'AUTH',
        `no GitHub token: set GITHUB_TOKEN or GH_TOKEN to a classic personal access token with read:packages (or log in with \`gh auth login\`), or try ${this.wording.demo}.`,
      );
    }
    const headers: Record<string, string> = Object.fromEntries(
      Object.entries(endpoint.headers).map(([name, value]) => [name, String(value)]),
    );
    headers['authorization'] = `token ${this.options.token}`;

    const key = url.href;
    const cached = method === 'GET' ? this.cache?.get(key) : undefined;
    if (cached && !apiRequest.revalidate && Date.now() - cached.storedAt < this.options.cacheTtlMs) {
      this.trace({ method, target: targetOf(url, secrets), status: 200, ms: 0, source: 'cache' });
      return { status: 200, headers: new Headers(cached.link ? { link: cached.link } : {}), body: cached.body, target: targetOf(url, secrets), url: key };
    }
    if (cached) headers['if-none-match'] = cached.etag;
    if (method !== 'GET') await this.spaceWrites(signal);

    const writesBefore = this.writes;
    const unchangedSince = () => this.writes === writesBefore;
    const { response, body, target } = await this.follow(method, url, headers, apiRequest.accept ?? [], secrets, signal);
    if (method !== 'GET') {
      this.writes++;
      this.cache?.forgetAll();
    }
    if (response.status === 304) {
      if (!cached) throw new GhsqlError('BAD_RESPONSE', `GitHub answered ${method} ${target} with 304 Not Modified, but nothing was cached to revalidate.`);
      const revalidated = new Headers(response.headers);
      if (cached.link) revalidated.set('link', cached.link);
      const remember = () => {
        if (unchangedSince()) this.cache?.touch(key, Date.now());
      };
      return { status: 200, headers: revalidated, body: cached.body, target, url: key, remember };
    }
    const etag = response.headers.get('etag');
    const cacheable = this.cache !== undefined && method === 'GET' && response.status === 200 && etag !== null;
    const link = response.headers.get('link');
    const remember = cacheable
      ? () => {
          if (unchangedSince()) this.cache?.put(key, { etag, body, link, storedAt: Date.now() });
        }
      : undefined;
    return { status: response.status, headers: response.headers, body, target, url: key, ...(remember ? { remember } : {}) };
  }

  /**
   * Follows redirects a read can safely follow: to the same origin (so the token goes nowhere else),
   * a few in a row. A write is never redirected: re-sending it elsewhere, or reporting the other
   * server's 204 as done, would both be wrong. `origin` is the API's, or the service's outside it;
   * outside the API, targets name the host too.
   */
  private async follow(
    method: string,
    first: URL,
    headers: Record<string, string>,
    accept: number[],
    secrets: readonly string[],
    signal: AbortSignal | undefined,
    origin: string = this.origin,
  ): Promise<Exchanged & { target: string }> {
    const shown = (url: URL) => (origin === this.origin ? targetOf(url, secrets) : `${url.host}${targetOf(url, secrets)}`);
    let url = first;
    for (let redirects = 0; ; redirects++) {
      const target = shown(url);
      const exchanged = await this.exchange(method, url, target, headers, accept, signal);
      const { status } = exchanged.response;
      if (!REDIRECT_STATUSES.has(status) || accept.includes(status)) return { ...exchanged, target };
      const location = exchanged.response.headers.get('location');
      let next: URL | undefined;
      try {
        // An empty Location would resolve to the URL itself: as unusable as none.
        next = location === null || location.trim() === '' ? undefined : new URL(location, url);
      } catch {
        next = undefined;
      }
      // Another host's URL is shown without its query, which may carry anything.
      const where = next ? (next.origin === origin ? shown(next) : `${next.origin}${next.pathname}`) : location === null ? 'no Location header' : JSON.stringify(location);
      if (method !== 'GET') {
        throw new GhsqlError(
          'REDIRECT',
          `GitHub answered ${method} ${target} with a redirect (${status} to ${where}); ghsql never follows a redirect for a write, so it was not sent there. Check the API URL (${this.origin}).`,
          status,
        );
      }
      if (!next) throw new GhsqlError('BAD_RESPONSE', `GitHub answered ${method} ${target} with ${status} but no usable Location (${where}).`, status);
      if (next.origin !== origin) {
        throw new GhsqlError(
          'REDIRECT',
          `GitHub redirected ${method} ${target} to another host (${where}); not following it, so the token and the query stay with ${origin}. Check the ${origin === this.origin ? 'API' : 'registry'} URL.`,
          status,
        );
      }
      if (redirects >= MAX_REDIRECTS) {
        throw new GhsqlError('REDIRECT', `${method} ${first.pathname}${first.search} was redirected more than ${MAX_REDIRECTS} times (last to ${where}); stopping.`, status);
      }
      url = next;
    }
  }

  /** One URL until it gets an answer worth returning: the retry policy decides, rate limits are waited out. */
  private async exchange(
    method: string,
    url: URL,
    target: string,
    headers: Record<string, string>,
    accept: number[],
    signal: AbortSignal | undefined,
  ): Promise<Exchanged> {
    let attempts = 0;
    let rateLimitWaits = 0;
    for (;;) {
      attempts++;
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const result = await this.attempt(method, url, headers, signal);
      if ('failure' in result) {
        const { failure } = result;
        if (canRetry(this.retry, { failure: failure.kind }, attempts)) {
          this.trace({ method, target, status: 0, ms: elapsed(), source: 'network', retry: `${failure.reason}, retrying` });
          await sleep(backoffMs(this.retry, attempts), signal);
          continue;
        }
        this.trace({ method, target, status: 0, ms: elapsed(), source: 'network' });
        throw this.failureError(method, target, failure, attempts, url.origin);
      }
      const { status, headers: answered } = result.response;
      const remaining = rateLimitRemaining(answered);
      const event: TraceEvent = {
        method,
        target,
        status,
        ms: elapsed(),
        source: status === 304 ? 'revalidated' : 'network',
        ...(remaining === undefined ? {} : { rateLimitRemaining: remaining }),
      };
      if (status < 300 || status === 304 || REDIRECT_STATUSES.has(status) || accept.includes(status)) {
        this.trace(event);
        return result;
      }
      if (canRetry(this.retry, { status }, attempts)) {
        this.trace({ ...event, retry: 'retrying' });
        await sleep(backoffMs(this.retry, attempts), signal);
        continue;
      }
      const wait = rateLimitWait(status, answered, result.body, rateLimitWaits, Date.now());
      if (wait && wait.ms <= this.options.maxWaitMs && rateLimitWaits < MAX_RATE_LIMIT_WAITS) {
        const why = wait.problem ? `rate limited (${wait.problem})` : 'rate limited';
        this.trace({ ...event, retry: `${why}, waiting ${Math.ceil(wait.ms / 1000)} s`, waitUntil: Date.now() + wait.ms });
        rateLimitWaits++;
        attempts--; // a rate-limit wait is not a failed attempt
        await sleep(wait.ms, signal);
        continue;
      }
      this.trace(event);
      if (wait) throw rateLimitError(wait, method, target, Date.now(), this.wording.maxWait);
      // Redacted before errorFromResponse quotes the start of it, so a cut cannot leave part of the token.
      throw errorFromResponse({ method, target, status, headers: answered, body: this.redact(result.body) });
    }
  }

  /** One fetch and its body, or what went wrong; redirects come back as answers (follow() decides). */
  private async attempt(method: string, url: URL, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<Exchanged | { failure: TransportFailure }> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const response = await fetch(url, { method, headers, redirect: 'manual', signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      const bytes = Buffer.from(await response.arrayBuffer());
      return { response, body: UTF8.decode(bytes), bytes };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      return { failure: classifyTransportError(error) };
    }
  }

  private failureError(method: string, target: string, { kind, reason: sentence }: TransportFailure, attempts: number, origin: string): GhsqlError {
    const reason = sentence.replace(/\.$/, '');
    const check = `the ${origin === this.origin ? 'API' : 'registry'} URL (${origin})`;
    const tries = `after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
    switch (kind) {
      case 'local':
        return new GhsqlError(
          'INTERNAL',
          `${method} ${target} could not be completed: ${reason}. That is a fault on this side, not the network's, so it was not retried.`,
        );
      case 'unreachable':
        return new GhsqlError('NETWORK', `${method} ${target} failed: ${reason}. Check ${check} and the network.`);
      default:
        return new GhsqlError(
          'NETWORK',
          `${method} ${target} failed ${tries}: ${reason}. Check the network and ${check}, or allow more time with ${this.wording.timeout}.`,
        );
    }
  }

  private async spaceWrites(signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextWriteAt);
    this.nextWriteAt = at + this.options.writeIntervalMs;
    if (at > now) await sleep(at - now, signal);
  }
}
