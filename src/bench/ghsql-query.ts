import Database from 'better-sqlite3';
import { register } from '../index.js';
import type { PackageType } from '../stand-in/packages-data.js';
import type { ApiTarget } from './page-loops.js';

export interface GhsqlSetup {
  api: ApiTarget;
  /** Omitted: cache off, so each run asks the stand-in. */
  cache?: { dir: string; ttlSeconds: number };
  /** Runs on the fresh database before the timed query (e.g. to create the join's own table). */
  prepare?: (db: Database.Database) => void;
}

/**
 * Runs one query the way a user's program would: a fresh database and registration, closed after.
 * The time covers preparing and running the query, including the start of ghsql's worker thread,
 * which begins on first use.
 */
export async function queryWithGhsql(setup: GhsqlSetup, sql: string): Promise<{ ms: number; rows: unknown[][] }> {
  const db = new Database(':memory:');
  const registration = register(db, {
    token: setup.api.token,
    apiUrl: setup.api.url,
    cache: setup.cache !== undefined,
    cacheDir: setup.cache?.dir,
    cacheTtlSeconds: setup.cache?.ttlSeconds,
  });
  try {
    setup.prepare?.(db);
    const started = performance.now();
    const rows = db.prepare(sql).raw().all() as unknown[][];
    return { ms: performance.now() - started, rows };
  } finally {
    await registration.close();
    db.close();
  }
}

export const countSql = (packageType: PackageType) => `SELECT count(*) FROM auth_user_packages WHERE package_type = '${packageType}'`;
