import type Database from 'better-sqlite3';
import type { SyncBridge } from '../bridge/sync-bridge.js';
import { nativeColumns } from './columns.js';
import { defineNativeTable } from './native-table.js';
import type { Resource } from './resource.js';
import { planQuery } from './routing.js';
import type { StatementMemo } from './statement-memo.js';

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** The name of the native table behind the view users query. */
export const nativeTableName = (resource: Resource) => `_ghsql_${resource.table}`;

/**
 * Registers a resource as a table: a native eponymous virtual table whose first columns are the
 * parameters (what better-sqlite3 passes to the row generator), and a temp view with the resource's
 * own name and column order. SQLite flattens the view, so `WHERE package_type = 'npm'` on the view
 * reaches the virtual table as a parameter; `IN (...)` and joins call it once per value.
 */
export function registerTable(db: Database.Database, resource: Resource, bridge: SyncBridge, memo: StatementMemo): void {
  const columns = nativeColumns(resource);
  const declaration = `CREATE TABLE x(${columns.map((column) => `${quote(column.name)} ${column.type === 'INTEGER' ? 'INTEGER' : 'TEXT'}`).join(', ')})`;
  const parameters = resource.parameters.map((parameter) => parameter.column);

  defineNativeTable(db, nativeTableName(resource), declaration, parameters, function* rows(...values: unknown[]) {
    const plan = planQuery(resource, values);
    yield* memo.rows(plan, () => bridge.stream(plan));
  });

  const select = resource.columns.map((column) => quote(column.name)).join(', ');
  db.exec(`CREATE TEMP VIEW ${quote(resource.table)} AS SELECT ${select} FROM main.${quote(nativeTableName(resource))}`);
}
