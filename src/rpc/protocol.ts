import { deserialize } from 'node:v8';
import type { MessagePort } from 'node:worker_threads';
import { GhsqlError, type SerializedError } from '../errors.js';
import type { TraceEvent } from '../github/trace.js';

/**
 * What the two sides exchange, named by the user of the bridge (table/wire.ts for ghsql's tables): the
 * bridge itself knows no tables, only that a stream yields batches of rows and a call one result.
 */
export interface Wire {
  /** What a stream is asked with (a query plan). */
  stream: unknown;
  /** One row of a stream's batches. */
  row: unknown;
  /** What a call is asked with (an action), and what it answers. */
  call: unknown;
  result: unknown;
}

/** Messages between the SQL thread (synchronous) and the worker that does the HTTP (asynchronous). */
export type ToWorker<W extends Wire> =
  /** `pages`: how many pages to load before the reader asks (a prefetch loads ahead; default 1). */
  | { kind: 'stream'; id: number; payload: W['stream']; pages?: number }
  /** The reader has consumed `consumed` batches and wants more. */
  | { kind: 'more'; id: number; consumed: number }
  | { kind: 'cancel'; id: number }
  | { kind: 'call'; id: number; payload: W['call'] };

export type FromWorker<W extends Wire> =
  /** `pages`, on a list's first batch: how many pages the list has (GitHub's rel="last"), for progress. */
  | { kind: 'batch'; id: number; rows: Array<W['row']> | PackedRows; pages?: number }
  | { kind: 'end'; id: number }
  | { kind: 'result'; id: number; value: W['result'] }
  | { kind: 'error'; id: number; error: SerializedError }
  /** Not an answer: handled as it arrives, so --trace prints while a query runs. */
  | { kind: 'trace'; id: 0; event: TraceEvent }
  /** The worker hit an unexpected error; every waiting call fails with it. */
  | { kind: 'fatal'; id: 0; error: SerializedError };

/** One page of rows; `pages` as in the batch message. */
export interface StreamBatch<Row> {
  rows: Row[] | PackedRows;
  pages?: number;
}

/**
 * Rows already v8.serialize'd (a page's rows kept in the response cache): cloned as bytes, and
 * deserialized by the SQL thread, which is what a structured clone of the rows costs it anyway.
 */
export interface PackedRows {
  packed: Uint8Array;
  count: number;
}

/** A batch as the SQL thread reads it: its rows unpacked. */
export type ReadBatch<Row> = StreamBatch<Row> & { rows: Row[] };

/** How many rows a batch holds. */
export const rowCount = (rows: unknown[] | PackedRows) => (Array.isArray(rows) ? rows.length : rows.count);

/** A batch's rows, unpacked if they came packed; rows that do not unpack to `count` arrays are a damaged cache entry. */
export function unpackRows<Row>(rows: Row[] | PackedRows): Row[] {
  if (Array.isArray(rows)) return rows;
  let unpacked: unknown;
  try {
    unpacked = deserialize(rows.packed);
  } catch {
    unpacked = undefined;
  }
  if (!Array.isArray(unpacked) || unpacked.length !== rows.count || !unpacked.every(Array.isArray)) {
    throw new GhsqlError('INTERNAL', 'rows kept in the response cache do not unpack (the cache file is damaged): delete the cache directory, or run without the cache, and try again.');
  }
  return unpacked as Row[];
}

/** What the worker serves (worker/main.ts supplies it). */
export interface WorkerHandlers<W extends Wire> {
  /** `more(n)` is called when the reader wants batches beyond the first n. */
  stream(payload: W['stream'], signal: AbortSignal, onMore: (listener: (consumed: number) => void) => void, pages: number): AsyncIterable<StreamBatch<W['row']>>;
  call(payload: W['call'], signal: AbortSignal): Promise<W['result']>;
}

/** What the worker's entry point is started with: the port it answers on, the cells it wakes the SQL thread by, and its configuration. */
export interface WorkerStart<Config> {
  port: MessagePort;
  posted: Int32Array;
  config: Config;
}
