import { classifyTransportError } from '../transport-errors.js';
import type { Attempt, Fetch, Send } from './exchange.js';

/** What response.text() does: UTF-8, a byte-order mark dropped. */
const UTF8 = new TextDecoder();

/**
 * The bottom layer: one fetch and its whole body within `timeoutMs`, or what went wrong. Never
 * follows a redirect (redirects.ts decides) and never throws for the network: a failure is returned,
 * for retries.ts to judge. Only the caller's abort is thrown, as its reason.
 */
export function fetchAttempt(fetch: Fetch, timeoutMs: number): Send<Attempt> {
  return async ({ method, url, headers, body, signal }) => {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(url, { method, headers, ...(body ? { body } : {}), redirect: 'manual', signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      const bytes = Buffer.from(await response.arrayBuffer());
      return { response, body: UTF8.decode(bytes), bytes, ms: ms() };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      return { failure: classifyTransportError(error), ms: ms() };
    }
  };
}
