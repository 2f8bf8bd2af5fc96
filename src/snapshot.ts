import type Database from 'better-sqlite3';
import { quoteIdentifier } from './table/sql-identifier.js';
import { GhsqlError } from './errors.js';

export interface SnapshotResult {
  table: string;
  /** Rows appended. */
  rows: number;
  /** The taken_at value of every one of them. */
  takenAt: string;
  /** The table did not exist and was created. */
  created: boolean;
  /** Columns the query has that the table lacked, added to it (earlier rows have NULL there). */
  addedColumns: string[];
}

export const TAKEN_AT = 'taken_at';

/**
 * Keeps history: appends the rows of `select` to `table` in the database's own file (main), each
 * with a `taken_at` column, the time of this snapshot in ISO 8601 UTC, as GitHub writes its times
 * (so `taken_at > updated_at` compares as expected). The first run creates the table with the
 * query's columns and their declared types; a later run that selects a column the table lacks adds
 * it. Run it again and again (cron, a notebook cell): the rows of every run stay, side by side.
 *
 * The rows go from SQLite to SQLite (INSERT … SELECT), so values keep their storage class: a count
 * is an INTEGER, not a REAL. It all happens in one transaction: a failure (or an interrupt) adds nothing.
 */
export function snapshot(db: Database.Database, table: string, select: string, options: { takenAt?: Date } = {}): SnapshotResult {
  if (typeof table !== 'string' || table.trim() === '') throw new GhsqlError('INVALID_ARGUMENT', 'a snapshot needs the name of the table to keep it in.');
  const query = select.trim().replace(/;+\s*$/, '');
  const statement = db.prepare(query);
  if (!statement.reader) throw new GhsqlError('INVALID_ARGUMENT', `a snapshot keeps the rows of a SELECT, and ${JSON.stringify(query.slice(0, 40))} returns none.`);
  const columns = statement.columns();
  const seen = new Set<string>([TAKEN_AT]);
  for (const { name } of columns) {
    if (seen.has(name.toLowerCase())) {
      throw new GhsqlError(
        'INVALID_ARGUMENT',
        name.toLowerCase() === TAKEN_AT
          ? `the snapshot adds ${TAKEN_AT} itself; name the query's ${name} column otherwise (… AS ${name}_at_source).`
          : `the query has two columns named ${name}; give them names of their own with AS.`,
      );
    }
    seen.add(name.toLowerCase());
  }
  const takenAt = (options.takenAt ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const target = `main.${quoteIdentifier(table)}`;
  const typed = (name: string, type: string | null) => `${quoteIdentifier(name)}${type ? ` ${type}` : ''}`;

  return db.transaction((): SnapshotResult => {
    const existing = (db.pragma(`main.table_info(${quoteIdentifier(table)})`) as Array<{ name: string }>).map((column) => column.name.toLowerCase());
    const created = existing.length === 0;
    if (created) {
      db.exec(`CREATE TABLE ${target} (${[`${quoteIdentifier(TAKEN_AT)} TEXT NOT NULL`, ...columns.map((column) => typed(column.name, column.type))].join(', ')})`);
    } else if (!existing.includes(TAKEN_AT)) {
      throw new GhsqlError('INVALID_ARGUMENT', `the table ${table} exists and is no snapshot (it has no ${TAKEN_AT} column); keep the snapshot in a table of another name.`);
    }
    const addedColumns = created ? [] : columns.filter((column) => !existing.includes(column.name.toLowerCase())).map((column) => column.name);
    for (const name of addedColumns) db.exec(`ALTER TABLE ${target} ADD COLUMN ${typed(name, columns.find((column) => column.name === name)!.type)}`);
    const names = [TAKEN_AT, ...columns.map((column) => column.name)].map(quoteIdentifier).join(', ');
    // takenAt is ISO text made here, never user input, so it can be a literal. The newline ends a
    // `-- comment` the query may end with, which would otherwise swallow the closing parenthesis.
    const { changes } = db.prepare(`INSERT INTO ${target} (${names}) SELECT '${takenAt}', * FROM (${query}\n)`).run();
    return { table, rows: changes, takenAt, created, addedColumns };
  })();
}
