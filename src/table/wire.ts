import type { SerializedError } from '../errors.js';
import type { ClientOptions } from '../github/client-options.js';
import type { Wire } from '../rpc/protocol.js';
import type { Action, Method } from './types.js';

/**
 * What crosses between the SQL thread and the worker for ghsql's tables: plain data, cloned by
 * postMessage. The SQL thread builds plans and action calls (sql/), the worker runs them (worker/).
 */

/** A row in native column order (table/columns.ts): INTEGER cells are BigInts, JSON cells String objects until unwrapped. */
export type Row = unknown[];

/** What the worker needs to run one query against GitHub. */
export interface QueryPlan {
  table: string;
  /** The method itself, so the worker can send the request before it loads the resource. */
  method: Method;
  /** Values sent: the route's path values and query values, as text. */
  params: Record<string, string>;
  /** The resource computes its rows from the whole list (Resource.expand): read every page first. */
  expand?: true;
  /** DefinedTable.rowShape: which rows kept in the response cache are this table's. */
  rowShape: string;
}

/** One action invocation, checked on the SQL thread (sql/actions.ts) and run in the worker (worker/action-runner.ts). */
export interface ActionCall {
  table: string;
  action: Action;
  args: Record<string, string>;
  /** The resource has a guard for this action (Resource.guards), which the worker loads and runs first. */
  guarded: boolean;
  /** Which statement made the call: guards keep what they read for one, and a dry run its plan. */
  statement: number;
  /**
   * Do every read and check the real call would (the guard, on fresh data, as if the statement's
   * earlier would-be deletes were done), and send nothing.
   */
  dryRun: boolean;
}

/**
 * What an action came to. `done`: GitHub did it (or, in a dry run, every check passed). `refused`: a
 * refusal about this one target (a guard's PROTECTED, one of GitHub's refusals the action lists),
 * which the statement may take as the row's outcome (keep-going) or as its error. `gone`: a delete
 * whose target is already gone (404).
 */
export type ActionResult =
  | { kind: 'done'; outcome: string }
  /** `reason`: why, without the action and target `error`'s message starts with. */
  | { kind: 'refused' | 'gone'; reason: string; error: SerializedError };

/** The bridge's messages for ghsql's tables: streams of rows for plans, an outcome text for an action. */
export interface TableWire extends Wire {
  stream: QueryPlan;
  row: Row;
  call: ActionCall;
  result: ActionResult;
}

/** How the worker thread is started (worker/main.ts reads it from workerData). */
export interface WorkerConfig {
  client: ClientOptions;
  /** URL of the module whose `resources` this registration serves. */
  resourceModule: string;
  /** Send a trace event for every HTTP exchange (for --trace and progress lines). */
  trace: boolean;
  /** For the demo: the file that keeps the stand-in's state across runs (RegisterOptions.demoStateFile). */
  demoStateFile?: string;
}

/** A plan's identity, for the memo and prefetched streams: the table, the method by position, and the values sent. */
export function planKey(table: string, endpoint: number, params: Readonly<Record<string, string>>, expand: boolean): string {
  return `${table}\u0000${endpoint}\u0000${expand ? 1 : 0}\u0000${JSON.stringify(params)}`;
}
