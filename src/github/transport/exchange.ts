import type { BuiltRows } from '../response-cache.js';
import type { TransportFailure } from '../transport-errors.js';

/**
 * What the transport layers pass one another. Each layer is a function that takes the next one and
 * returns a function of the same shape (as @octokit/request's hooks and plugins wrap `request`):
 * fetch-attempt.ts at the bottom, then rate-limit waits, retries, refusals, redirects, write
 * spacing and the conditional cache; client.ts composes them.
 */

/**
 * Which of GitHub's services answers: the API, the container registry or the registry's token
 * service. The caller says so (it knows whom it asks); messages name it, and the setting to check.
 */
export interface Service {
  /** Who answered, as a message's subject: "GitHub", "the container registry at ghcr.io". */
  name: string;
  /** Its rate limit, as a message names it: "GitHub's rate limit", "the rate limit of the container registry at ghcr.io". */
  rateLimit: string;
  /** The setting that points at it: "the API URL", "the registry URL". */
  setting: string;
  /** How that setting is given, when messages should say so: "--registry-url". */
  option?: string;
  /** The most of a body ghsql reads from it: reading stops there, and the answer is refused. */
  maxBodyBytes: number;
  /** What its bodies are, for the message when one is too long: "an API answer", "a manifest". */
  body: string;
}

/** What a message asks the reader to check: "the API URL (https://api.github.com)", "the registry URL (https://ghcr.io, set with --registry-url)". */
export function settingToCheck({ setting, option }: Service, origin: string): string {
  return `${setting} (${origin}${option ? `, set with ${option}` : ''})`;
}

/** Where a request is going: GitHub's API, or another of its services (the container registry, its token realm). */
export interface Destination {
  /** The only origin a redirect may lead to, so the token and the query go nowhere else. */
  origin: string;
  service: Service;
  /** What traces and messages show for a URL of it (path and query, secret values hidden). */
  show(url: URL): string;
}

export interface HttpRequest {
  method: string;
  url: URL;
  /** `destination.show(url)`, computed once. */
  target: string;
  headers: Readonly<Record<string, string>>;
  /** What a write sends (a registry push); none for the API's requests. */
  body?: Uint8Array;
  /** Statuses that are answers, not refusals (beyond 2xx, 304 and the redirects). */
  accept: readonly number[];
  destination: Destination;
  signal?: AbortSignal;
  /** Never answer from the cache within its TTL: always ask (If-None-Match when cached), so a change is seen. */
  revalidate?: boolean;
  /** See ApiRequest.rowsShape. */
  rowsShape?: string;
}

/** What a server sent: the body as text, and as the bytes received (a manifest's digest is of its bytes). */
export interface Answered {
  response: Response;
  body: string;
  bytes: Buffer;
  /** How long the attempt took, for the trace. */
  ms: number;
}

/** No answer came: fetch threw. */
export interface Failed {
  failure: TransportFailure;
  ms: number;
}

/** One try at one URL. */
export type Attempt = Answered | Failed;

/** The answer to a request once retries, waits and refusals are dealt with: what the last URL asked answered. */
export interface Answer {
  response: Response;
  body: string;
  bytes: Buffer;
  /** The request's target; after redirects, the last one's. */
  target: string;
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
   * `built`: the rows the validated body became, stored with it (see builtRows).
   */
  remember?: (built?: BuiltRows) => void;
  /**
   * On an answer from the cache (fresh, or revalidated by a 304) to a request with a rowsShape: the
   * rows built from this very body for that shape, when a remember() stored them. The body is then
   * not read from the cache unless asked for.
   */
  builtRows?: BuiltRows;
}

export type Send<T> = (request: HttpRequest) => Promise<T>;

/** The signature of fetch the layers need; globalThis.fetch is one, and so is a test's function that answers. */
export type Fetch = (url: URL, init: RequestInit) => Promise<Response>;

/** Statuses whose answer is a Location to go to instead. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Whether a status ends the request as an answer: success, 304, a redirect (redirects.ts decides) or one the caller accepts. */
export function isAnswer(status: number, accept: readonly number[]): boolean {
  return status < 300 || status === 304 || REDIRECT_STATUSES.has(status) || accept.includes(status);
}
