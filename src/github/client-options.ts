import { GhsqlError } from '../errors.js';
import type { Wording } from '../wording.js';
import { tokenAdvice, tokenToCheck, type TokenSource } from './token-host.js';
import { isLoopback } from './loopback.js';
import { redactor } from './redact.js';

export interface ClientOptions {
  /** API base URL: https://api.github.com, a GitHub Enterprise Server `/api/v3` URL, or the stand-in. */
  baseUrl: string;
  /**
   * The container registry's base URL (https://ghcr.io, https://containers.HOST); undefined when none
   * is known for the API URL, and then the tables that read manifests say how to give one.
   */
  registryUrl?: string;
  /**
   * The user name the registry's token realm is given with the token (basic auth); ghcr.io accepts
   * any. Undefined: the owner of the repository being read, so that no GET /user is needed (the
   * workflow token is refused it).
   */
  registryUser?: string;
  token?: string;
  /** Where `token` was found (auth.ts findToken), so that messages about it say what to fix; undefined when it was given. */
  tokenSource?: TokenSource;
  /** Pages fetched ahead of the reader when the last page is known; 1 reads strictly one page at a time. */
  concurrency: number;
  timeoutMs: number;
  maxRetries: number;
  /** First retry delay; doubles each attempt, with jitter. */
  retryBaseMs: number;
  /** Longest a request waits for a rate limit to reset before failing. */
  maxWaitMs: number;
  /**
   * Least time between two writes. Default (undefined): a second against GitHub, which asks for
   * that; none against this machine (the stand-in, the demo), which asks for nothing.
   */
  writeIntervalMs?: number;
  /** Where GET responses and their ETags are kept (the worker opens it); undefined turns the cache off. */
  cacheDir?: string;
  /** How long a cached response is reused without asking GitHub; after it, it is revalidated. */
  cacheTtlMs: number;
  /** How messages name the settings that would help (the CLI's flags); default: the library's options. */
  wording?: Wording;
}

export const DEFAULT_CLIENT_OPTIONS: Omit<ClientOptions, 'baseUrl'> = {
  concurrency: 4,
  timeoutMs: 30_000,
  maxRetries: 4,
  retryBaseMs: 250,
  maxWaitMs: 60_000,
  cacheTtlMs: 0,
};

/** GitHub asks for writes at least a second apart. */
const GITHUB_WRITE_INTERVAL_MS = 1_000;

/** The spacing of writes: the option when given, else GitHub's second, or none for a server on this machine. */
export function writeIntervalFor(options: Pick<ClientOptions, 'baseUrl' | 'writeIntervalMs'>): number {
  return options.writeIntervalMs ?? (isLoopback(new URL(options.baseUrl)) ? 0 : GITHUB_WRITE_INTERVAL_MS);
}

/** setTimeout's longest delay: beyond it Node fires after 1 ms, and AbortSignal.timeout overflows the same way. */
export const TIMER_LIMIT_MS = 2 ** 31 - 1;

type NumericOption = 'concurrency' | 'timeoutMs' | 'maxRetries' | 'retryBaseMs' | 'maxWaitMs' | 'writeIntervalMs' | 'cacheTtlMs';

/** Options with a default that depends on others (writeIntervalFor). */
const OPTIONAL: ReadonlySet<NumericOption> = new Set(['writeIntervalMs']);

/** Whole numbers only, each with the reason for its bounds. */
const RANGES: Record<NumericOption, { min: number; max: number; unit: string }> = {
  // GitHub's secondary limits allow at most 100 concurrent requests.
  concurrency: { min: 1, max: 100, unit: 'pages' },
  // Used as a timer, so within the timer limit; 0 would fail every request.
  timeoutMs: { min: 1, max: TIMER_LIMIT_MS, unit: 'ms' },
  // Each retry waits longer (up to a minute): 20 is already minutes of retrying.
  maxRetries: { min: 0, max: 20, unit: 'retries' },
  // The back-off is capped at a minute (retry-policy.ts), so a larger first delay would mean nothing.
  retryBaseMs: { min: 0, max: 60_000, unit: 'ms' },
  maxWaitMs: { min: 0, max: TIMER_LIMIT_MS, unit: 'ms' },
  writeIntervalMs: { min: 0, max: TIMER_LIMIT_MS, unit: 'ms' },
  // Compared with timestamps, never used as a timer; a year is longer than any answer stays useful.
  cacheTtlMs: { min: 0, max: 365 * 24 * 3600_000, unit: 'ms' },
};

/**
 * Checks every client option once, where the client is configured (register(), and the worker's
 * client): a message names the option, the allowed range and what was given (never the token).
 * Returns the options unchanged.
 */
export function validateClientOptions(options: ClientOptions): ClientOptions {
  for (const [name, range] of Object.entries(RANGES) as Array<[NumericOption, (typeof RANGES)[NumericOption]]>) {
    const value: unknown = options[name];
    if (value === undefined && OPTIONAL.has(name)) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
      throw new GhsqlError(
        'INVALID_ARGUMENT',
        `${name} must be a whole number from ${range.min} to ${range.max.toLocaleString('en-US')} (${range.unit}), not ${describeValue(value)}.`,
      );
    }
  }
  if (options.cacheDir !== undefined && (typeof options.cacheDir !== 'string' || options.cacheDir === '')) {
    throw new GhsqlError('INVALID_ARGUMENT', `cacheDir must be a directory path, not ${describeValue(options.cacheDir)}.`);
  }
  checkToken(options.token, tokenToCheck(tokenAdvice(options.baseUrl, options.tokenSource)));
  if (options.registryUser !== undefined) checkRegistryUser(options.registryUser);
  checkBaseUrl(options.baseUrl, options.token);
  if (options.registryUrl !== undefined) checkBaseUrl(options.registryUrl, options.token, REGISTRY);
  return options;
}

/** A basic-auth user name: visible ASCII without ':', which would end it. GitHub logins, bots' `name[bot]` included, are. */
function checkRegistryUser(user: unknown): void {
  if (typeof user !== 'string' || !/^[\x21-\x39\x3b-\x7e]{1,100}$/.test(user)) {
    throw new GhsqlError(
      'INVALID_ARGUMENT',
      `the registry user name (registryUser, --registry-user or GITHUB_ACTOR) must be a GitHub login such as octocat: visible characters without ':' or spaces, not ${describeValue(user)}.`,
    );
  }
}

function describeValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
}

/** Which base URL a message is about, and what one looks like. */
interface BaseUrlKind {
  name: string;
  examples: string;
  example: string;
}

const API: BaseUrlKind = { name: 'API URL', examples: 'https://api.github.com or https://HOST/api/v3', example: 'https://HOST/api/v3' };
const REGISTRY: BaseUrlKind = { name: 'registry URL', examples: 'https://ghcr.io or https://containers.HOST', example: 'https://containers.HOST' };

/** A base URL (the API's, or the registry's), checked: a token only ever goes over HTTPS, or to this machine. */
export function checkBaseUrl(baseUrl: string, token: string | undefined, kind: BaseUrlKind = API): URL {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    // Redacted: someone may have pasted the token into the wrong setting.
    const shown = JSON.stringify(redactor(token)(String(baseUrl)));
    throw new GhsqlError('INVALID_ARGUMENT', `the ${kind.name} ${shown} is not a URL; give one like ${kind.examples}.`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new GhsqlError('INVALID_ARGUMENT', `the ${kind.name} must start with https://, not ${base.protocol}//.`);
  }
  if (base.username !== '' || base.password !== '') {
    // Not echoed: what sits before the @ is usually a credential.
    throw new GhsqlError('INVALID_ARGUMENT', `the ${kind.name} must not contain a user name or password (user@host); give the token as the token.`);
  }
  if (base.search !== '' || base.hash !== '') {
    throw new GhsqlError('INVALID_ARGUMENT', `the ${kind.name} must not have a query or fragment (${base.host}${base.pathname}…); give just the base, e.g. ${kind.example}.`);
  }
  if (token && base.protocol !== 'https:' && !isLoopback(base)) {
    throw new GhsqlError('INVALID_ARGUMENT', `refusing to send the GitHub token over plain HTTP to ${base.host}: use an https:// ${kind.name}.`);
  }
  return base;
}

/**
 * A token is one word of visible ASCII. Anything else would be refused by fetch with an error that
 * quotes the whole header, token included, so it is caught here with a message that says what is
 * wrong and where, never what the token is. An empty or missing token is reported when a request
 * needs one (send()), with how to get one. `where` completes "Check …": where the token came from.
 */
export function checkToken(token: string | undefined, where: string): void {
  if (token === undefined || token === '') return;
  if (typeof token !== 'string') throw new GhsqlError('INVALID_ARGUMENT', `the GitHub token must be a string, not ${typeof token}.`);
  for (let index = 0; index < token.length; index++) {
    const code = token.charCodeAt(index);
    if (code > 0x20 && code < 0x7f) continue;
    const what =
      code === 0x0a || code === 0x0d
        ? 'a line break'
        : code === 0x20
          ? 'a space'
          : code === 0x09
            ? 'a tab'
            : code < 0x20 || code === 0x7f
              ? 'a control character'
              : 'a character outside ASCII';
    const hint = what === 'a line break' ? ' If it was read from a file, the file holds more than the token (a second line?).' : '';
    throw new GhsqlError(
      'INVALID_ARGUMENT',
      `the GitHub token contains ${what} at character ${index + 1} of ${token.length}; a token is one line of visible ASCII with no spaces.${hint} Check ${where}.`,
    );
  }
}
