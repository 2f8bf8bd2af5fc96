import type { ClientOptions } from './client-options.js';
import type { TransportFailureKind } from './transport-errors.js';

/**
 * What a retry can fix and how long to keep trying, as a value (octokit/plugin-retry's
 * `doNotRetry` idea, turned around to a short allow-list): transport/retries.ts only asks it.
 */
export interface RetryPolicy {
  /** Statuses worth another attempt. */
  readonly statuses: ReadonlySet<number>;
  /** Transport failures worth another attempt. */
  readonly failures: ReadonlySet<TransportFailureKind>;
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** The first back-off; it doubles with each retry, with jitter. */
  readonly baseMs: number;
  /** No back-off is longer than this. */
  readonly capMs: number;
}

/**
 * GitHub's transient server errors. 501 and 505 say the request itself is not supported, and 4xx
 * answers are about the request or the token: the same request would get the same answer.
 */
export const RETRYABLE_STATUSES: readonly number[] = [500, 502, 503, 504];
/** A broken or refused connection and a timeout may not happen twice; a local fault always would. */
export const RETRYABLE_FAILURES: readonly TransportFailureKind[] = ['reset', 'refused', 'timeout'];
export const BACKOFF_CAP_MS = 60_000;

export function retryPolicy(options: Pick<ClientOptions, 'maxRetries' | 'retryBaseMs'>): RetryPolicy {
  return {
    statuses: new Set(RETRYABLE_STATUSES),
    failures: new Set(RETRYABLE_FAILURES),
    attempts: options.maxRetries + 1,
    baseMs: options.retryBaseMs,
    capMs: BACKOFF_CAP_MS,
  };
}

export type Outcome = { status: number } | { failure: TransportFailureKind };

/** Whether another attempt may follow `attemptsMade` attempts that ended in `outcome`. */
export function canRetry(policy: RetryPolicy, outcome: Outcome, attemptsMade: number): boolean {
  if (attemptsMade >= policy.attempts) return false;
  return 'status' in outcome ? policy.statuses.has(outcome.status) : policy.failures.has(outcome.failure);
}

/** The wait before the next attempt: base × 2^(retry − 1), ±50 % jitter so clients do not retry in step, capped. */
export function backoffMs(policy: RetryPolicy, attemptsMade: number, random: () => number = Math.random): number {
  const base = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.min(policy.capMs, Math.round(base / 2 + random() * base));
}
