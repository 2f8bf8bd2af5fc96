import { GhsqlError } from '../errors.js';
import { clockTime } from './github-errors.js';
import { quotedWhole } from './redact.js';

/** A rate-limited answer, read from its headers: how long to wait before trying again. */
export interface RateLimitWait {
  ms: number;
  /** Epoch ms at which the limit lifts (Infinity when a header asked for more than a date can hold). */
  until: number;
  /** What a header said that could not be used, and what was assumed instead. */
  problem?: string;
}

/** The waits GitHub asks for when it does not say how long: at least a minute, doubling. */
const UNKNOWN_WAIT_MS = 60_000;
const DAY_MS = 24 * 3600_000;

/** Short enough to read in a message; a classic token (40 characters) cannot hide in one. */
const shown = (value: string) => quotedWhole(value, 32);

/** Retry-After (RFC 9110 §10.2.3): whole seconds, or an HTTP date. */
export function parseRetryAfter(value: string, now: number): { ms: number } | { problem: string } {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return { ms: Number(trimmed) * 1000 };
  if (/^[-+]\d+(\.\d+)?$/.test(trimmed) || /^\d*\.\d+$/.test(trimmed)) {
    return { problem: `retry-after ${shown(value)} is not a whole, non-negative number of seconds` };
  }
  // Date.parse accepts almost anything; an HTTP date always names its weekday or month.
  const date = /[A-Za-z]{3}/.test(trimmed) ? Date.parse(trimmed) : NaN;
  if (Number.isFinite(date)) return { ms: Math.max(0, date - now) };
  return { problem: `retry-after ${shown(value)} is neither a number of seconds nor an HTTP date` };
}

/** x-ratelimit-remaining as a count, or undefined when absent or not a count. */
export function rateLimitRemaining(headers: Headers): number | undefined {
  const remaining = headers.get('x-ratelimit-remaining')?.trim();
  return remaining !== undefined && /^\d+$/.test(remaining) ? Number(remaining) : undefined;
}

/** x-ratelimit-reset as epoch ms, or undefined when absent or not a count of seconds. */
export function rateLimitReset(headers: Headers): number | undefined {
  const reset = headers.get('x-ratelimit-reset')?.trim();
  return reset !== undefined && /^\d+$/.test(reset) ? Number(reset) * 1000 : undefined;
}

/**
 * How long to wait before retrying a 403 or 429, or undefined when it is not a rate limit. GitHub's
 * rules: honour retry-after; else, when no requests remain, wait for x-ratelimit-reset; else wait at
 * least a minute, doubling. A header that cannot be read is named in `problem` and the next rule used.
 */
export function rateLimitWait(status: number, headers: Headers, body: string, previousWaits: number, now: number): RateLimitWait | undefined {
  if (status !== 403 && status !== 429) return undefined;
  const problems: string[] = [];
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const parsed = parseRetryAfter(retryAfter, now);
    if ('ms' in parsed) return { ms: parsed.ms, until: now + parsed.ms };
    problems.push(parsed.problem);
  }
  const exhausted = rateLimitRemaining(headers) === 0;
  if (exhausted) {
    const until = rateLimitReset(headers);
    if (until !== undefined) {
      // Half a second more: the reset is rounded to the second, and clocks differ a little.
      return { ms: Math.max(0, until - now) + 500, until, ...(problems.length ? { problem: problems.join('; ') } : {}) };
    }
    problems.push(`x-ratelimit-reset ${shown(headers.get('x-ratelimit-reset')?.trim() ?? '')} is not a time in epoch seconds`);
  }
  if (retryAfter === null && !exhausted && status !== 429 && !/secondary rate limit/i.test(body)) return undefined;
  const ms = UNKNOWN_WAIT_MS * 2 ** Math.min(previousWaits, 20);
  const problem = problems.length ? `${problems.join('; ')}, so ghsql waits ${Math.round(ms / 1000)} s` : undefined;
  return { ms, until: now + ms, ...(problem ? { problem } : {}) };
}

/** The limit will not lift within the longest wait allowed, or the caller's onRateLimit hook declined to wait. */
export function rateLimitError(wait: RateLimitWait, method: string, target: string, now: number, maxWaitOption: string, declined = false): GhsqlError {
  const when = Number.isFinite(wait.until) && wait.until - now <= DAY_MS ? `until ${clockTime(Math.ceil(wait.until / 1000))}` : 'for more than a day';
  const problem = wait.problem ? ` (${wait.problem}.)` : '';
  const why = declined ? 'the onRateLimit hook declined to wait' : 'that is longer than the maximum wait';
  const then = declined ? 'Try again then.' : `Try again then, or allow a longer wait with ${maxWaitOption}.`;
  return new GhsqlError('RATE_LIMITED', `GitHub's rate limit is exhausted ${when} (${method} ${target}); ${why}.${problem} ${then}`, 429);
}
