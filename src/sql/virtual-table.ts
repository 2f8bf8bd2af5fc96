import type Database from 'better-sqlite3';
import type { SyncBridge } from '../rpc/sync-client.js';
import { jsonCellUnwrapper, tableDeclaration } from '../table/columns.js';
import type { DefinedTable } from '../table/define.js';
import type { Parameter } from '../table/types.js';
import { quoteIdentifier } from '../table/sql-identifier.js';
import type { Row, TableWire } from '../table/wire.js';
import { defineNativeTable } from './native-table.js';
import type { Cursor, OuterRowReadAhead } from './read-ahead.js';
import { coveringList, routeQuery, type KeyedPlan, type RowCheck } from './routing.js';
import type { StatementMemo } from './statement-memo.js';
import type { Statements } from './statement.js';
import { GhsqlError } from '../errors.js';

/** Whether a row holds every bound value (as text: INTEGER cells are BigInts). */
const holdsBoundValues = (row: Row, checks: readonly RowCheck[]) => checks.every(([column, text]) => row[column] !== null && String(row[column]) === text);

/**
 * Registers a table: a native eponymous virtual table of the table's own name whose first columns
 * are the parameters (what better-sqlite3 passes to the row generator), and a temp view of the same
 * name with the resource's column order. SQLite flattens the view, so `WHERE package_type = 'npm'` on
 * the view reaches the virtual table as a parameter; `IN (...)` and joins call it once per value;
 * `main.auth_user_packages('container')` reaches the native table as a table-valued function.
 */
export function registerTable(
  db: Database.Database,
  table: DefinedTable,
  bridge: SyncBridge<TableWire>,
  memo: StatementMemo,
  readAhead: OuterRowReadAhead,
  statements: Statements,
): void {
  const defaulted = table.resource.parameters.flatMap((parameter, index) => (parameter.default === undefined ? [] : [{ parameter, index }]));
  const unwrap = jsonCellUnwrapper(table);
  const load = function* ({ plan, key }: KeyedPlan) {
    for (const batch of bridge.stream(plan, key)) yield { ...batch, rows: unwrap(batch.rows) };
  };
  defineNativeTable(db, table.name, tableDeclaration(table), table.parameterNames, function* rows(...values: unknown[]) {
    for (const { parameter, index } of defaulted) {
      if (values[index] === undefined && statements.decidesOn(table.name, parameter.column)) throw silentDefault(table.name, parameter);
    }
    const routed = routeQuery(table, values);
    if (!routed.planned) return;
    const cursor: Cursor = { batch: [], index: 0 };
    const untrack = readAhead.track(cursor);
    try {
      for (const batch of memo.batches(routed.planned, load, coveringList(table, routed))) {
        cursor.batch = batch;
        for (cursor.index = 0; cursor.index < batch.length; cursor.index++) {
          if (holdsBoundValues(batch[cursor.index]!, routed.checks)) yield batch[cursor.index]!;
        }
      }
      cursor.batch = [];
      // Read to its end, so SQLite moves on to the next outer row: start the next ones' requests now
      // (only now: a LIMIT met inside this call's rows costs no extra request).
      for (const next of readAhead.predict(table, values, cursor)) {
        if (!memo.answers(next.planned!, coveringList(table, next))) bridge.prefetch(next.planned!.plan, next.planned!.key, readAhead.pagesEach);
      }
    } finally {
      untrack();
    }
  });

  const select = table.resource.columns.map((column) => quoteIdentifier(column.name)).join(', ');
  db.exec(`CREATE TEMP VIEW ${quoteIdentifier(table.name)} AS SELECT ${select} FROM main.${quoteIdentifier(table.name)}`);
}

/** A statement decides on a defaulted parameter it does not bind: GitHub would answer for the default only. */
function silentDefault(table: string, { column, default: assumed, values }: Parameter): GhsqlError {
  const others = (values ?? []).filter((value) => value !== assumed);
  return new GhsqlError(
    'INVALID_ARGUMENT',
    `${table}: the statement decides on ${column} (in WHERE, ON, HAVING or a CTE) in a way that cannot be sent to GitHub (only ${column} = '…' or IN (…) can), and without it GitHub lists ${assumed} ones only, so the answer would silently leave the others out. ` +
      `Name the ${column} you mean: ${column} = '${others[0] ?? assumed}'${others.length > 0 ? `, or ${column} IN (${[assumed, ...others].map((value) => `'${value}'`).join(', ')}) for all` : ''}.`,
  );
}
