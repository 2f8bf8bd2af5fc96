import Database from 'better-sqlite3';
import { register, registerResources, type ResourceSet } from '../dist/index.js';
import { resources as uncappedResources } from './uncapped-resources.js';
import type { PackageType } from '../dist/stand-in/packages-data.js';
import type { ApiTarget } from './page-loops.js';

export interface GhsqlSetup {
  api: ApiTarget;
  /** Omitted: cache off, so each run asks the stand-in. */
  cache?: { dir: string; ttlSeconds: number };
  /** Runs on the fresh database before the timed query (e.g. to create the join's own table). */
  prepare?: (db: Database.Database) => void;
  /** Lists past GitHub's 10,000-item cap (the stand-in lifts it for throughput scenarios). */
  uncapped?: boolean;
  /** The stand-in's container registry, for the image-graph tables. */
  registryUrl?: string;
  /** ghsql's --concurrency; default its own (4). */
  concurrency?: number;
}

const UNCAPPED: ResourceSet = { resources: uncappedResources, module: new URL('./uncapped-resources.js', import.meta.url).href };

/**
 * Runs one query the way a user's program would: a fresh database and registration, closed after.
 * The time covers preparing and running the query, including the start of ghsql's worker thread,
 * which begins on first use.
 */
export async function queryWithGhsql(setup: GhsqlSetup, sql: string): Promise<{ ms: number; rows: unknown[][] }> {
  const db = new Database(':memory:');
  const options = {
    token: setup.api.token,
    apiUrl: setup.api.url,
    cache: setup.cache !== undefined,
    cacheDir: setup.cache?.dir,
    cacheTtlSeconds: setup.cache?.ttlSeconds,
    registryUrl: setup.registryUrl,
    concurrency: setup.concurrency,
  };
  const registration = setup.uncapped ? registerResources(db, UNCAPPED, options) : register(db, options);
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
