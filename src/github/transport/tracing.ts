import type { TraceEvent } from '../trace.js';
import { rateLimitRemaining, rateLimitReset } from '../rate-limit.js';
import type { Attempt, HttpRequest } from './exchange.js';

export type Trace = (event: TraceEvent) => void;

/**
 * The trace event of one attempt, as the layer that decides what follows it emits it: once, with
 * `retry` set when another attempt follows (a retry, a rate-limit wait).
 */
export function attemptEvent({ method, target }: HttpRequest, attempt: Attempt): TraceEvent {
  if ('failure' in attempt) return { method, target, status: 0, ms: attempt.ms, source: 'network' };
  const { status, headers } = attempt.response;
  const remaining = rateLimitRemaining(headers);
  const reset = rateLimitReset(headers);
  return {
    method,
    target,
    status,
    ms: attempt.ms,
    source: status === 304 ? 'revalidated' : 'network',
    ...(remaining === undefined ? {} : { rateLimitRemaining: remaining }),
    ...(reset === undefined ? {} : { rateLimitReset: reset }),
  };
}

/** The trace as the caller receives it: the token removed from whatever came from elsewhere (a Link URL, a header). */
export function redactedTrace(onTrace: Trace, redact: (text: string) => string): Trace {
  return (event) => onTrace(redactedEvent(event, redact));
}

/** The event with secrets removed from its texts. */
export function redactedEvent(event: TraceEvent, redact: (text: string) => string): TraceEvent {
  return { ...event, target: redact(event.target), ...(event.retry ? { retry: redact(event.retry) } : {}) };
}
