import { request as octokitRequest } from '@octokit/request';
import { GhsqlError } from '../errors.js';
import { clockTime, errorFromResponse } from './github-errors.js';

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
}

export const DEFAULT_CLIENT_OPTIONS: Omit<ClientOptions, 'baseUrl'> = {
  concurrency: 4,
  timeoutMs: 30_000,
  maxRetries: 4,
  retryBaseMs: 250,
  maxWaitMs: 60_000,
  writeIntervalMs: 1_000,
};

export interface ApiRequest {
  /** A documented route, `GET /user/packages/{package_type}/{package_name}`, or a method and absolute URL. */
  route: string;
  params?: Record<string, string | number | undefined>;
  /** Statuses returned to the caller instead of thrown (e.g. 404 on a get that means "no row"). */
  accept?: number[];
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
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });

function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
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

  constructor(readonly options: ClientOptions) {
    const base = new URL(options.baseUrl);
    if (options.token && base.protocol !== 'https:' && !isLoopback(base)) {
      throw new GhsqlError(
        'INVALID_ARGUMENT',
        `refusing to send the GitHub token over plain HTTP to ${base.host}: use an https:// API URL.`,
      );
    }
    this.origin = base.origin;
    this.endpoint = octokitRequest.endpoint.defaults({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      headers: { 'user-agent': 'ghsql', 'x-github-api-version': '2022-11-28' },
    });
  }

  /** Sends one request, retrying and waiting as needed; returns 2xx responses and those in `accept`. */
  async send(apiRequest: ApiRequest, signal?: AbortSignal): Promise<ApiResponse> {
    const endpoint = this.endpoint(apiRequest.route, apiRequest.params ?? {});
    const { method, url } = endpoint;
    const headers: Record<string, string> = Object.fromEntries(
      Object.entries(endpoint.headers).map(([name, value]) => [name, String(value)]),
    );
    const target = url.startsWith(this.origin) ? url.slice(this.origin.length).replace(/\?$/, '') : url;
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
    headers['authorization'] = `token ${this.options.token}`;
    if (method !== 'GET') await this.spaceWrites(signal);

    let rateLimitWaits = 0;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      let body: string;
      try {
        const timeout = AbortSignal.timeout(this.options.timeoutMs);
        response = await fetch(url.replace(/\?$/, ''), {
          method,
          headers,
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        body = await response.text();
      } catch (error) {
        if (signal?.aborted) throw error;
        if (attempt < this.options.maxRetries) {
          await this.backoff(attempt, signal);
          continue;
        }
        throw new GhsqlError('NETWORK', `${method} ${target} failed after ${attempt + 1} attempts: ${describeNetworkError(error)}`);
      }
      const { status } = response;
      if (status < 300 || apiRequest.accept?.includes(status)) return { status, headers: response.headers, body, target };
      if (RETRYABLE_STATUSES.has(status) && attempt < this.options.maxRetries) {
        await this.backoff(attempt, signal);
        continue;
      }
      const wait = status === 403 || status === 429 ? rateLimitWaitMs(response.headers, body, rateLimitWaits) : undefined;
      if (wait !== undefined) {
        if (wait > this.options.maxWaitMs || rateLimitWaits >= MAX_RATE_LIMIT_WAITS) {
          throw rateLimitError(response.headers, method, target, wait);
        }
        rateLimitWaits++;
        await sleep(wait, signal);
        attempt--; // a rate-limit wait is not a failed attempt
        continue;
      }
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
