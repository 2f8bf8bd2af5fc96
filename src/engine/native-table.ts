import type Database from 'better-sqlite3';

type RowGenerator = (...parameters: unknown[]) => Iterator<unknown[]>;

interface NativeDatabase {
  table(factory: () => [sql: string, rows: RowGenerator, parameters: string[], safeIntegers: number, directOnly: boolean], name: string, eponymous: boolean): void;
}

/**
 * Registers an eponymous virtual table through better-sqlite3's native `table()` binding, the one its
 * public `db.table()` wraps. Going one level down buys two things the wrapper cannot do: declared
 * column types (INTEGER, TEXT), and parameter columns that show each row's own value (so
 * `visibility` can be both pushed down to GitHub and displayed). The binding's shape is checked here,
 * and the test suite covers it, so a better-sqlite3 upgrade that changes it fails loudly, not silently.
 */
export function defineNativeTable(
  db: Database.Database,
  name: string,
  declaration: string,
  parameters: string[],
  rows: RowGenerator,
): void {
  nativeHandle(db).table(() => [declaration, rows, parameters, 2 /* the database's safeIntegers default */, false], name, true);
}

function nativeHandle(db: Database.Database): NativeDatabase {
  for (const symbol of Object.getOwnPropertySymbols(db)) {
    const candidate = (db as unknown as Record<symbol, unknown>)[symbol];
    if (candidate && typeof (candidate as Partial<NativeDatabase>).table === 'function') return candidate as NativeDatabase;
  }
  throw new Error('ghsql: this better-sqlite3 version does not expose its native table binding; ghsql supports better-sqlite3 12.x.');
}
