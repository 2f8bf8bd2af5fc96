import { GhsqlError } from '../../errors.js';
import { backoffMs, canRetry, type RetryPolicy } from '../retry-policy.js';
import type { TransportFailure } from '../transport-errors.js';
import type { Clock } from './clock.js';
import { isAnswer, settingToCheck, type Answered, type Attempt, type HttpRequest, type Send } from './exchange.js';
import { attemptEvent, type Trace } from './tracing.js';
import { plural } from '../../text.js';

export interface RetryOptions {
  policy: RetryPolicy;
  clock: Clock;
  /** For the back-off's jitter; tests pass a constant. */
  random: () => number;
  trace: Trace;
  /** Completes "allow more time with …". */
  timeoutOption: string;
}

/**
 * Tries again what the retry policy says a retry can fix (retry-policy.ts: transient 5xx, a reset,
 * a refused connection, a timeout), backing off with jitter between attempts. A failure it will not
 * retry ends the request with a NETWORK (or INTERNAL) error; any answer goes up, to refusals.ts.
 */
export function retrying(next: Send<Attempt>, { policy, clock, random, trace, timeoutOption }: RetryOptions): Send<Answered> {
  return async (request) => {
    for (let attempts = 1; ; attempts++) {
      const attempt = await next(request);
      if ('failure' in attempt) {
        if (!canRetry(policy, { failure: attempt.failure.kind }, attempts)) {
          trace(attemptEvent(request, attempt));
          throw failureError(request, attempt.failure, attempts, timeoutOption);
        }
        trace({ ...attemptEvent(request, attempt), retry: `${attempt.failure.reason}, retrying` });
      } else {
        const { status } = attempt.response;
        if (isAnswer(status, request.accept) || !canRetry(policy, { status }, attempts)) return attempt;
        trace({ ...attemptEvent(request, attempt), retry: 'retrying' });
      }
      await clock.sleep(backoffMs(policy, attempts, random), request.signal);
    }
  };
}

function failureError({ method, target, url, destination }: HttpRequest, { kind, reason: sentence }: TransportFailure, attempts: number, timeoutOption: string): GhsqlError {
  const reason = sentence.replace(/\.$/, '');
  const check = settingToCheck(destination.service, url.origin);
  const tries = `after ${plural(attempts, 'attempt')}`;
  switch (kind) {
    case 'local':
      return new GhsqlError(
        'INTERNAL',
        `${method} ${target} could not be completed: ${reason}. That is a fault on this side, not the network's, so it was not retried.`,
      );
    case 'unreachable':
      return new GhsqlError('NETWORK', `${method} ${target} failed: ${reason}. Check ${check} and the network.`);
    default:
      return new GhsqlError('NETWORK', `${method} ${target} failed ${tries}: ${reason}. Check the network and ${check}, or allow more time with ${timeoutOption}.`);
  }
}
