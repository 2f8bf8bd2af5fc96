import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs `work` and returns its result with the wall time it took. */
export async function timed<T>(work: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** "50" when every run made the same number of requests, "50–52" when they differ. */
export function countRange(counts: readonly number[]): string {
  const low = Math.min(...counts);
  const high = Math.max(...counts);
  return low === high ? String(low) : `${low}–${high}`;
}

export function check(condition: boolean, message: string): asserts condition {
  // A benchmark that returns wrong rows measures nothing: stop rather than print its numbers.
  if (!condition) throw new Error(`bench: ${message}`);
}
