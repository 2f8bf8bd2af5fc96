import type { Clock } from './clock.js';
import type { Send } from './exchange.js';

/**
 * Keeps writes (anything but GET) at least `intervalMs` apart, as GitHub asks of a client: each
 * write takes the next free slot when it is sent, so concurrent writes queue in order.
 */
export function spacingWrites<T>(next: Send<T>, intervalMs: number, clock: Clock): Send<T> {
  let nextWriteAt = 0;
  return async (request) => {
    if (request.method !== 'GET') {
      const now = clock.now();
      const at = Math.max(now, nextWriteAt);
      nextWriteAt = at + intervalMs;
      if (at > now) await clock.sleep(at - now, request.signal);
    }
    return next(request);
  };
}
