import { GhsqlError } from '../errors.js';
import { clockTime } from './github-errors.js';
import { quotedWhole } from './redact.js';
import type { Service } from './transport/exchange.js';
import { plural } from '../text.js';

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

/** Why the client did not wait out a rate limit. */
export type GaveUp =
  /** The wait is longer than maxWaitMs. */
  | { reason: 'too long' }
  /** The caller's onRateLimit hook declined to wait. */
  | { reason: 'declined' }
  /** The request was rate-limited after `waits` waits (the most for one request), `waitedMs` in all. */
  | { reason: 'too many'; waits: number; waitedMs: number };

export interface RateLimitRefusal {
  /** Whose limit it is: GitHub's, or the container registry's. */
  service: Pick<Service, 'name' | 'rateLimit'>;
  method: string;
  target: string;
  wait: RateLimitWait;
  now: number;
  /** Completes "allow a longer wait with …". */
  maxWaitOption: string;
  gaveUp: GaveUp;
}

/** The error for a rate limit the client does not wait out, saying why it did not. */
export function rateLimitError({ service, method, target, wait, now, maxWaitOption, gaveUp }: RateLimitRefusal): GhsqlError {
  const when = Number.isFinite(wait.until) && wait.until - now <= DAY_MS ? `until ${clockTime(Math.ceil(wait.until / 1000))}` : 'for more than a day';
  const problem = wait.problem ? ` (${wait.problem}.)` : '';
  const request = `${method} ${target}`;
  switch (gaveUp.reason) {
    case 'too long':
      return new GhsqlError('RATE_LIMITED', `${service.rateLimit} is exhausted ${when} (${request}); that is longer than the maximum wait.${problem} Try again then, or allow a longer wait with ${maxWaitOption}.`, 429);
    case 'declined':
      return new GhsqlError('RATE_LIMITED', `${service.rateLimit} is exhausted ${when} (${request}); the onRateLimit hook declined to wait.${problem} Try again then.`, 429);
    case 'too many': {
      const waited = `${plural(gaveUp.waits, 'time')} (${Math.ceil(gaveUp.waitedMs / 1000)} s in all)`;
      return new GhsqlError(
        'RATE_LIMITED',
        `${service.name} rate-limited ${request} ${gaveUp.waits + 1} times in a row; ghsql waited ${waited}, the most it waits for one request, and gave up. The last answer asked it to wait ${when}.${problem} Try again then.`,
        429,
      );
    }
  }
}
