import { rateLimitError, rateLimitWait, type GaveUp, type RateLimitWait } from '../rate-limit.js';
import type { Clock } from './clock.js';
import { isAnswer, type Attempt, type HttpRequest, type Send } from './exchange.js';
import { attemptEvent, type Trace } from './tracing.js';

/** Rate-limit waits for one request before giving up, however short each one. */
export const MAX_RATE_LIMIT_WAITS = 10;

/** What the onRateLimit hook is told before the client waits out a rate limit. */
export interface RateLimitNotice {
  method: string;
  target: string;
  /** 403 or 429. */
  status: number;
  /** How long the client would wait, and until when. */
  wait: RateLimitWait;
  /** Waits already made for this request. */
  waitsBefore: number;
}

/**
 * Told of each rate-limit wait the client is about to make (one within maxWaitMs and the cap):
 * return true to wait, false to fail the request at once with RATE_LIMITED (octokit's
 * plugin-throttling lets its onRateLimit decide the same way).
 */
export type OnRateLimit = (notice: RateLimitNotice) => boolean;

export interface RateLimitOptions {
  maxWaitMs: number;
  clock: Clock;
  trace: Trace;
  /** Completes "allow a longer wait with …". */
  maxWaitOption: string;
  onRateLimit?: OnRateLimit;
}

/**
 * Waits out rate limits (a 403 or 429 that rateLimitWait() reads as one) and asks again; a wait
 * longer than maxWaitMs, the eleventh, or one the hook declines fails with RATE_LIMITED, saying
 * which. A wait is not a failed attempt: it sits below retries.ts, which counts only what comes back up.
 */
export function waitingOutRateLimits(next: Send<Attempt>, { maxWaitMs, clock, trace, maxWaitOption, onRateLimit }: RateLimitOptions): Send<Attempt> {
  // Counted per request across its retries (retries.ts passes the same request down again); a
  // redirect's next URL is a new request and starts again.
  const waitsOf = new WeakMap<HttpRequest, { waits: number; waitedMs: number }>();
  return async (request) => {
    for (;;) {
      const attempt = await next(request);
      if ('failure' in attempt) return attempt;
      const { status, headers } = attempt.response;
      if (isAnswer(status, request.accept)) return attempt;
      const { waits: waitsBefore, waitedMs } = waitsOf.get(request) ?? { waits: 0, waitedMs: 0 };
      const wait = rateLimitWait(status, headers, attempt.body, waitsBefore, clock.now());
      if (!wait) return attempt;
      const event = attemptEvent(request, attempt);
      const gaveUp: GaveUp | undefined =
        wait.ms > maxWaitMs
          ? { reason: 'too long' }
          : waitsBefore >= MAX_RATE_LIMIT_WAITS
            ? { reason: 'too many', waits: waitsBefore, waitedMs }
            : onRateLimit !== undefined && !onRateLimit({ method: request.method, target: request.target, status, wait, waitsBefore })
              ? { reason: 'declined' }
              : undefined;
      if (gaveUp) {
        trace(event);
        throw rateLimitError({ service: request.destination.service, method: request.method, target: request.target, wait, now: clock.now(), maxWaitOption, gaveUp });
      }
      const why = wait.problem ? `rate limited (${wait.problem})` : 'rate limited';
      trace({ ...event, retry: `${why}, waiting ${Math.ceil(wait.ms / 1000)} s`, waitUntil: clock.now() + wait.ms });
      waitsOf.set(request, { waits: waitsBefore + 1, waitedMs: waitedMs + wait.ms });
      await clock.sleep(wait.ms, request.signal);
    }
  };
}
