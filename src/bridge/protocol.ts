import type { SerializedError } from '../errors.js';
import type { TraceEvent } from '../github/trace.js';

/** Messages between the SQL thread (synchronous) and the worker that does the HTTP (asynchronous). */
export type ToWorker =
  /** `pages`: how many pages to load before the reader asks (a prefetch loads ahead; default 1). */
  | { kind: 'stream'; id: number; payload: unknown; pages?: number }
  /** The reader has consumed `consumed` batches and wants more. */
  | { kind: 'more'; id: number; consumed: number }
  | { kind: 'cancel'; id: number }
  | { kind: 'call'; id: number; payload: unknown };

export type FromWorker =
  | { kind: 'batch'; id: number; rows: unknown[][] }
  | { kind: 'end'; id: number }
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'error'; id: number; error: SerializedError }
  /** Not an answer: handled as it arrives, so --trace prints while a query runs. */
  | { kind: 'trace'; id: 0; event: TraceEvent }
  /** The worker hit an unexpected error; every waiting call fails with it. */
  | { kind: 'fatal'; id: 0; error: SerializedError };

/** What the worker serves; the engine supplies it (bridge/worker.ts). */
export interface WorkerHandlers {
  /** `more(n)` is called when the reader wants batches beyond the first n. */
  stream(payload: unknown, signal: AbortSignal, onMore: (listener: (consumed: number) => void) => void, pages: number): AsyncIterable<unknown[][]>;
  call(payload: unknown, signal: AbortSignal): Promise<unknown>;
}
