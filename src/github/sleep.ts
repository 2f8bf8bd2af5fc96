import { TIMER_LIMIT_MS } from './client-options.js';

/**
 * Waits `ms`, rejecting with the signal's reason when it aborts. A wait longer than setTimeout's
 * limit (about 24.8 days) is waited out in steps: one timer that long would fire after 1 ms.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const wait = (left: number) => {
      timer = setTimeout(() => {
        if (left > TIMER_LIMIT_MS) return wait(left - TIMER_LIMIT_MS);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.min(Math.max(0, left), TIMER_LIMIT_MS));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    wait(ms);
  });
}
