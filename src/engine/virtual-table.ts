import type Database from 'better-sqlite3';
import type { SyncBridge } from '../bridge/sync-bridge.js';
import { jsonCellUnwrapper, nativeColumns } from './columns.js';
import { defineNativeTable } from './native-table.js';
import { quoteIdentifier } from './sql-identifier.js';
import type { Column, Resource } from './resource.js';
import { coveringList, planQuery, type QueryPlan } from './routing.js';
import type { StatementMemo } from './statement-memo.js';

/**
 * The native table has the resource's own name: the temp view shadows it for plain queries, and
 * `main.auth_user_packages('container')` reaches it as a table-valued function.
 */
export const nativeTableName = (resource: Resource) => resource.table;

/**
 * Registers a resource as a table: a native eponymous virtual table whose first columns are the
 * parameters (what better-sqlite3 passes to the row generator), and a temp view of the same name
 * with the resource's column order. SQLite flattens the view, so `WHERE package_type = 'npm'` on the view
 * reaches the virtual table as a parameter; `IN (...)` and joins call it once per value.
 */
export function registerTable(db: Database.Database, resource: Resource, bridge: SyncBridge, memo: StatementMemo): void {
  const columns = nativeColumns(resource);
  const parameters = resource.parameters.map((parameter) => parameter.column);
  // Parameters are HIDDEN so that table-valued-function arguments fill them; the view shows them.
  const declare = (column: Column) =>
    `${quoteIdentifier(column.name)} ${column.type === 'INTEGER' ? 'INTEGER' : 'TEXT'}${parameters.includes(column.name) ? ' HIDDEN' : ''}`;
  const declaration = `CREATE TABLE x(${columns.map(declare).join(', ')})`;

  const columnIndex = (field: string) => columns.findIndex((column) => (column.field ?? column.name) === field);
  const unwrap = jsonCellUnwrapper(resource);
  const load = function* (plan: QueryPlan) {
    for (const batch of bridge.stream(plan)) yield unwrap(batch);
  };
  defineNativeTable(db, nativeTableName(resource), declaration, parameters, function* rows(...values: unknown[]) {
    const plan = planQuery(resource, values);
    yield* memo.rows(plan, load, coveringList(resource, plan, columnIndex));
  });

  const select = resource.columns.map((column) => quoteIdentifier(column.name)).join(', ');
  db.exec(`CREATE TEMP VIEW ${quoteIdentifier(resource.table)} AS SELECT ${select} FROM main.${quoteIdentifier(nativeTableName(resource))}`);
}
