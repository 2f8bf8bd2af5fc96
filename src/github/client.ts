import { endpoint as octokitEndpoint } from '@octokit/endpoint';
import { GhsqlError } from '../errors.js';
import { LIBRARY_WORDING, type Wording } from '../wording.js';
import { missingTokenHelp, refusedTokenHelp, sourceName, tokenAdvice } from './token-host.js';
import { tokenKind } from './token-kind.js';
import { validateClientOptions, writeIntervalFor, type ClientOptions } from './client-options.js';
import { SecretScrubber } from './redact.js';
import { checkPathValues, targetOf } from './request-target.js';
import type { ResponseCache } from './response-cache.js';
import { retryPolicy } from './retry-policy.js';
import type { TraceEvent } from './trace.js';
import { SYSTEM_CLOCK, type Clock } from './transport/clock.js';
import { conditionalCache } from './transport/conditional-cache.js';
import type { Answer, ApiResponse, Destination, Fetch, Send, Service } from './transport/exchange.js';
import { fetchAttempt } from './transport/fetch-attempt.js';
import { waitingOutRateLimits, type OnRateLimit } from './transport/rate-limit-waits.js';
import { followingRedirects } from './transport/redirects.js';
import { throwingRefusals } from './transport/refusals.js';
import { retrying } from './transport/retries.js';
import { redactedTrace, type Trace } from './transport/tracing.js';
import { spacingWrites } from './transport/write-spacing.js';

export { DEFAULT_CLIENT_OPTIONS, validateClientOptions, type ClientOptions } from './client-options.js';
export type { ApiResponse, Fetch, Service } from './transport/exchange.js';
export type { Clock } from './transport/clock.js';
export type { OnRateLimit, RateLimitNotice } from './transport/rate-limit-waits.js';

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
  /** The caller builds rows of this shape (DefinedTable.rowShape): an answer from the cache comes with those kept beside it, if any. */
  rowsShape?: string;
}

/** Secret request values shorter than this are not scrubbed from messages (a real package token is far longer). */
const MIN_SCRUBBED_SECRET_LENGTH = 4;

/**
 * The API's answers: a page of 100 package versions is well under 1 MiB, even with many tags each;
 * 32 MiB leaves room for anything GitHub sends, and stops a server that never ends its answer.
 */
const MAX_API_BODY_BYTES = 32 * 1024 * 1024;

const API_SERVICE: Service = { name: 'GitHub', rateLimit: "GitHub's rate limit", setting: 'the API URL', maxBodyBytes: MAX_API_BODY_BYTES, body: 'an API answer' };

/** A request outside the API (the container registry, its token realm), with the caller's headers only. */
export interface OutsideRequest {
  /** Default GET; a push sends HEAD, POST and PUT. */
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT';
  url: URL;
  /** Which service answers it, for messages and the longest body read. */
  service: Service;
  body?: Uint8Array;
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

/**
 * What the client runs on instead of the globals, and the rate-limit hook. Not part of ClientOptions,
 * which cross to the worker thread as data: these are functions, given where the client is made.
 */
export interface ClientHooks {
  /** Sends the requests; default globalThis.fetch. Always called with `redirect: 'manual'`: redirects are the client's to follow. */
  fetch?: Fetch;
  /** Time and waiting, for rate limits, back-off, write spacing and the cache's TTL; default the system's. */
  clock?: Clock;
  /** The back-off's jitter, from 0 to 1; default Math.random. */
  random?: () => number;
  /** Told of each rate-limit wait before it starts; returning false fails the request instead. */
  onRateLimit?: OnRateLimit;
  /**
   * The secrets removed from whatever the client throws or traces; the token and each request's
   * secret values are added to it. Given by the worker, which scrubs everything it sends with the same.
   */
  secrets?: SecretScrubber;
}

/**
 * The one module that talks to GitHub: builds URLs from documented routes (@octokit/endpoint's
 * templates, which percent-encode path segments), authenticates, and sends each request down a stack
 * of layers (transport/, top first): the conditional cache, write spacing, redirects, refusals,
 * retries, rate-limit waits, fetch. It throws GhsqlError with a message a user can act on, and
 * nothing it throws or traces contains the token.
 */
export class GitHubClient {
  readonly options: ClientOptions;
  private readonly endpoint: typeof octokitEndpoint;
  private readonly origin: string;
  private readonly secrets: SecretScrubber;
  private readonly redact: (text: string) => string;
  private readonly wording: Wording;
  /** One request to any of GitHub's services, redirects followed. */
  private readonly exchange: Send<Answer>;
  /** One request to the API, through the cache and write spacing. */
  private readonly api: Send<ApiResponse>;

  constructor(
    options: ClientOptions,
    onTrace: (event: TraceEvent) => void = () => undefined,
    /** GET responses with their ETags (see response-cache.ts); none when the cache is off. */
    cache?: ResponseCache,
    hooks: ClientHooks = {},
  ) {
    this.options = validateClientOptions(options);
    this.origin = new URL(options.baseUrl).origin;
    this.wording = options.wording ?? LIBRARY_WORDING;
    this.secrets = hooks.secrets ?? new SecretScrubber();
    if (options.token) this.secrets.add(options.token);
    this.redact = this.secrets.scrub;
    this.endpoint = octokitEndpoint.defaults({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      headers: { 'user-agent': 'ghsql', 'x-github-api-version': '2022-11-28' },
    });
    const trace: Trace = redactedTrace(onTrace, this.redact);
    const clock = hooks.clock ?? SYSTEM_CLOCK;
    const attempt = fetchAttempt(hooks.fetch ?? globalThis.fetch, options.timeoutMs);
    const waited = waitingOutRateLimits(attempt, { maxWaitMs: options.maxWaitMs, clock, trace, maxWaitOption: this.wording.maxWait, onRateLimit: hooks.onRateLimit });
    const retried = retrying(waited, { policy: retryPolicy(options), clock, random: hooks.random ?? Math.random, trace, timeoutOption: this.wording.timeout });
    const advice = tokenAdvice(options.baseUrl, options.tokenSource);
    const tokenHelp = refusedTokenHelp(advice);
    const token = { kind: tokenKind(options.token), ...(options.tokenSource ? { from: sourceName({ ...advice, source: options.tokenSource }) } : {}) };
    this.exchange = followingRedirects(throwingRefusals(retried, { trace, redact: this.redact, tokenHelp, token }));
    this.api = conditionalCache(spacingWrites(this.exchange, writeIntervalFor(options), clock), { cache, ttlMs: options.cacheTtlMs, clock, trace });
  }

  /**
   * Sends one request, retrying and waiting as needed; returns 2xx responses and those in `accept`.
   * GETs go through the cache: a fresh entry answers without a request, a stale one is revalidated
   * with If-None-Match (a 304 costs no rate limit); a new answer is stored only by its remember().
   */
  async send(apiRequest: ApiRequest, signal?: AbortSignal): Promise<ApiResponse> {
    for (const name of apiRequest.secretParams ?? []) {
      const value = String(apiRequest.params?.[name] ?? '');
      // A server may echo the URL, so the value is scrubbed from then on; one this short would shred every message.
      if (value.length >= MIN_SCRUBBED_SECRET_LENGTH) this.secrets.add(value);
    }
    try {
      return await this.sendChecked(apiRequest, signal);
    } catch (error) {
      if (signal?.aborted) throw error; // cancelled: nobody reads it
      throw this.scrubbed(error);
    }
  }

  /**
   * A request to another of GitHub's services (the container registry and its token realm) with the
   * same retries, rate-limit waits, trace and same-origin redirects as the API. No API token is
   * added: the caller gives every header, and decides where a credential may go (registry-client.ts).
   */
  async fetchOutside(request: OutsideRequest, signal?: AbortSignal): Promise<OutsideResponse> {
    try {
      const destination: Destination = { origin: request.url.origin, service: request.service, show: (url) => `${url.host}${targetOf(url, [])}` };
      const headers = { 'user-agent': 'ghsql', ...request.headers };
      const { response, body, bytes, target } = await this.exchange({
        method: request.method ?? 'GET',
        url: request.url,
        ...(request.body ? { body: request.body } : {}),
        target: destination.show(request.url),
        headers,
        accept: request.accept,
        destination,
        signal,
      });
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
    const secrets = apiRequest.secretParams ?? [];
    // Parsed as fetch will parse it, so that messages, the trace and the cache name what is really sent.
    const url = new URL(endpoint.url.replace(/\?$/, ''));
    if (url.origin !== this.origin) {
      // A Link header pointing elsewhere must not receive the token.
      throw new GhsqlError('BAD_RESPONSE', `GitHub sent a pagination link to another host (${url.host}); not following it.`);
    }
    if (!this.options.token) {
      throw new GhsqlError('AUTH', `no GitHub token: ${missingTokenHelp(tokenAdvice(this.options.baseUrl))}, or try ${this.wording.demo}.`);
    }
    const headers: Record<string, string> = Object.fromEntries(
      Object.entries(endpoint.headers).map(([name, value]) => [name, String(value)]),
    );
    headers['authorization'] = `token ${this.options.token}`;
    const destination: Destination = { origin: this.origin, service: API_SERVICE, show: (shown) => targetOf(shown, secrets) };
    return this.api({
      method: endpoint.method,
      url,
      target: destination.show(url),
      headers,
      accept: apiRequest.accept ?? [],
      ...(apiRequest.revalidate ? { revalidate: true } : {}),
      ...(apiRequest.rowsShape ? { rowsShape: apiRequest.rowsShape } : {}),
      destination,
      signal,
    });
  }
}
