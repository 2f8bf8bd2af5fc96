import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { GhsqlError, register } from '../../dist/index.js';

describe("better-sqlite3's native table binding", () => {
  it('is probed, and a database without it is refused naming the supported range, before anything is registered', () => {
    // A Database whose native handle is missing, as a build that changed its internals would be.
    const db = new Database(':memory:');
    const handle = Object.getOwnPropertySymbols(db).find((symbol) => typeof (db as unknown as Record<symbol, { table?: unknown }>)[symbol]?.table === 'function')!;
    const Hidden = class extends Database {};
    const stripped = Object.create(Hidden.prototype) as Database.Database;
    for (const symbol of Object.getOwnPropertySymbols(db)) if (symbol !== handle) Object.defineProperty(stripped, symbol, { value: (db as unknown as Record<symbol, unknown>)[symbol] });
    const attempt = () => register(stripped, { token: 'x', apiUrl: 'http://127.0.0.1:9', cache: false });
    expect(attempt).toThrow(GhsqlError);
    expect(attempt).toThrow(/ghsql needs better-sqlite3 12\.x, and the database given to register\(\) does not expose the native table binding/);
    db.close();
  });

  it('passes on the better-sqlite3 ghsql is tested with, giving typed columns and rows with their own parameter values', () => {
    const db = new Database(':memory:');
    register(db, { token: 'x', apiUrl: 'http://127.0.0.1:9', cache: false });
    const types = db.prepare("SELECT name, type FROM pragma_table_info('auth_user_package_versions') WHERE name IN ('id', 'package_version_id', 'tags')").all();
    expect(types).toEqual([
      { name: 'id', type: 'INTEGER' },
      { name: 'tags', type: 'TEXT' },
      { name: 'package_version_id', type: 'INTEGER' },
    ]);
    db.close();
  });
});
