import type Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GhsqlError, messageOf } from '../errors.js';

/** The better-sqlite3 major versions whose native `table()` binding ghsql has been checked against. */
export const SUPPORTED_BETTER_SQLITE3 = { major: 12, range: '12.x' };

type RowGenerator = (...parameters: unknown[]) => Iterator<unknown[]>;
type Definition = [sql: string, rows: RowGenerator, parameters: readonly string[], safeIntegers: number, directOnly: boolean];

interface NativeDatabase {
  table(factory: () => Definition, name: string, eponymous: boolean): void;
}

/** Database classes whose binding passed the probe (or the reason it did not). */
const probed = new WeakMap<object, GhsqlError | true>();

/**
 * Registers an eponymous virtual table through better-sqlite3's native `table()` binding, the one its
 * public `db.table()` wraps. Going one level down buys two things the wrapper cannot do: declared
 * column types (INTEGER, TEXT, a primary key), and parameter columns that show each row's own value
 * (so a row's package_name is what GitHub answered, and checked). The tuple is undocumented and the
 * C++ side casts it unchecked, so the binding is probed once per Database class before any use.
 * Arguments arrive with safe integers, so an INTEGER 12 and a REAL 12.0 stay apart (sql-values.ts).
 */
export function defineNativeTable(db: Database.Database, name: string, declaration: string, parameters: readonly string[], rows: RowGenerator): void {
  const verdict = probed.get(db.constructor) ?? probeBinding(db);
  probed.set(db.constructor, verdict);
  if (verdict !== true) throw verdict;
  nativeHandle(db)!.table(() => [declaration, rows, parameters, 1, false], name, true);
}

function unsupported(reason: string): GhsqlError {
  return new GhsqlError(
    'INVALID_ARGUMENT',
    `ghsql needs better-sqlite3 ${SUPPORTED_BETTER_SQLITE3.range}, and the database given to register() ${reason}. Install better-sqlite3@${SUPPORTED_BETTER_SQLITE3.major} in your project.`,
  );
}

function probeBinding(db: Database.Database): GhsqlError | true {
  const version = installedVersion(db.constructor);
  if (version !== undefined && Number(version.split('.')[0]) !== SUPPORTED_BETTER_SQLITE3.major) return unsupported(`comes from better-sqlite3 ${version}`);
  if (!nativeHandle(db)) return unsupported('does not expose the native table binding');
  // A throwaway database of the same class: a typed INTEGER column, and a parameter column that shows
  // the row's own value rather than the bound one.
  const DatabaseClass = db.constructor as new (file: string) => Database.Database;
  const scratch = new DatabaseClass(':memory:');
  try {
    nativeHandle(scratch)!.table(
      () => ['CREATE TABLE x(p TEXT HIDDEN, n INTEGER, PRIMARY KEY (n)) WITHOUT ROWID', function* (p: unknown) { yield [`${typeof p}:${String(p)}!`, 7n]; }, ['p'], 1, false],
      'ghsql_probe',
      true,
    );
    const row = scratch.prepare("SELECT typeof(n) AS type, p FROM ghsql_probe WHERE p = 'a'").get() as { type: string; p: string } | undefined;
    if (row?.type !== 'integer' || row.p !== 'string:a!') return unsupported('behaves differently from it (the virtual-table probe failed)');
    return true;
  } catch (error) {
    return unsupported(`failed the virtual-table probe (${messageOf(error)})`);
  } finally {
    scratch.close();
  }
}

/** The version in the package.json of the module that exported this Database class, if it was loaded by require. */
function installedVersion(databaseClass: unknown): string | undefined {
  const require = createRequire(import.meta.url);
  for (const loaded of Object.values(require.cache)) {
    if (!loaded || loaded.exports !== databaseClass) continue;
    for (let dir = dirname(loaded.filename); dir !== dirname(dir); dir = dirname(dir)) {
      try {
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (manifest.name === 'better-sqlite3') return manifest.version;
      } catch {
        // no package.json at this level: keep walking up
      }
    }
  }
  return undefined;
}

function nativeHandle(db: Database.Database): NativeDatabase | undefined {
  for (const symbol of Object.getOwnPropertySymbols(db)) {
    const candidate = (db as unknown as Record<symbol, unknown>)[symbol];
    if (candidate && typeof (candidate as Partial<NativeDatabase>).table === 'function') return candidate as NativeDatabase;
  }
  return undefined;
}
