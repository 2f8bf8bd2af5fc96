import type Database from 'better-sqlite3';
import type { SyncBridge } from '../bridge/sync-bridge.js';
import { jsonCellUnwrapper, tableDeclaration } from './columns.js';
import { defineNativeTable } from './native-table.js';
import { quoteIdentifier } from './sql-identifier.js';
import type { Resource } from './resource.js';
import { OuterRowReadAhead, type Cursor } from './outer-row-read-ahead.js';
import { coveringList, routeQuery, type QueryPlan, type RowCheck } from './routing.js';
import type { StatementMemo } from './statement-memo.js';

/**
 * The native table has the resource's own name: the temp view shadows it for plain queries, and
 * `main.auth_user_packages('container')` reaches it as a table-valued function.
 */
export const nativeTableName = (resource: Resource) => resource.table;

type Row = unknown[];

/** Whether a row holds every bound value (as text: INTEGER cells are BigInts). */
const holdsBoundValues = (row: Row, checks: readonly RowCheck[]) => checks.every(([column, text]) => row[column] !== null && String(row[column]) === text);

/**
 * Registers a resource as a table: a native eponymous virtual table whose first columns are the
 * parameters (what better-sqlite3 passes to the row generator), and a temp view of the same name
 * with the resource's column order. SQLite flattens the view, so `WHERE package_type = 'npm'` on the
 * view reaches the virtual table as a parameter; `IN (...)` and joins call it once per value.
 */
export function registerTable(db: Database.Database, resource: Resource, bridge: SyncBridge, memo: StatementMemo, readAhead: OuterRowReadAhead): void {
  const unwrap = jsonCellUnwrapper(resource);
  const load = function* (plan: QueryPlan) {
    for (const batch of bridge.stream(plan)) yield unwrap(batch);
  };
  const parameters = resource.parameters.map((parameter) => parameter.column);
  defineNativeTable(db, nativeTableName(resource), tableDeclaration(resource), parameters, function* rows(...values: unknown[]) {
    const routed = routeQuery(resource, values);
    if (!routed.plan) return;
    const cursor: Cursor = { batch: [], index: 0 };
    const untrack = readAhead.track(cursor);
    try {
      for (const batch of memo.batches(routed.plan, load, coveringList(resource, routed))) {
        cursor.batch = batch;
        for (cursor.index = 0; cursor.index < batch.length; cursor.index++) {
          if (holdsBoundValues(batch[cursor.index]!, routed.checks)) yield batch[cursor.index]!;
        }
      }
      cursor.batch = [];
      // Read to its end, so SQLite moves on to the next outer row: start the next ones' requests now
      // (only now: a LIMIT met inside this call's rows costs no extra request).
      for (const next of readAhead.predict(resource, values, cursor)) {
        if (!memo.answers(next.plan!, coveringList(resource, next))) bridge.prefetch(next.plan, readAhead.pagesEach);
      }
    } finally {
      untrack();
    }
  });

  const select = resource.columns.map((column) => quoteIdentifier(column.name)).join(', ');
  db.exec(`CREATE TEMP VIEW ${quoteIdentifier(resource.table)} AS SELECT ${select} FROM main.${quoteIdentifier(nativeTableName(resource))}`);
}
