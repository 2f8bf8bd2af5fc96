import { sleep } from '../sleep.js';

/**
 * The time as the layers see it: epoch milliseconds, and a wait that an abort ends. Tests pass a
 * clock whose sleep only moves its time forward, so waits of minutes take no time and are exact.
 */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = { now: () => Date.now(), sleep };
