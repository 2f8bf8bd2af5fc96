import type Database from 'better-sqlite3';
import { SyncBridge } from './bridge/sync-bridge.js';
import { definedOnly } from './defined-only.js';
import { registerActions, type ActionRecord } from './engine/actions.js';
import { checkResource } from './engine/check-resource.js';
import { OuterRowReadAhead } from './engine/outer-row-read-ahead.js';
import { StatementMemo } from './engine/statement-memo.js';
import { registerTable } from './engine/virtual-table.js';
import { GhsqlError } from './errors.js';
import { apiUrlFromEnvironment, registryUrlFromEnvironment, tokenFromEnvironment } from './github/auth.js';
import type { WorkerConfig } from './bridge/worker.js';
import { DEFAULT_CLIENT_OPTIONS, validateClientOptions, type ClientOptions } from './github/client.js';
import { defaultCacheDir } from './github/response-cache.js';
import type { TraceEvent } from './github/trace.js';
import type { Resource } from './engine/resource.js';
import { resources } from './resources/index.js';

export { GhsqlError, type GhsqlErrorCode } from './errors.js';
export type { ActionRecord } from './engine/actions.js';
export type { Resource } from './engine/resource.js';
export { formatTraceEvent, formatTraceSummary, summarize, type TraceEvent, type TraceSummary } from './github/trace.js';

export interface RegisterOptions {
  /** GitHub token (classic PAT with read:packages). Default: GITHUB_TOKEN, GH_TOKEN, then `gh auth token`. */
  token?: string;
  /** API base URL, for GitHub Enterprise Server or the stand-in. Default: GITHUB_API_URL or https://api.github.com. */
  apiUrl?: string;
  /**
   * Container registry base URL, where the *_container_* tables and the version delete's guard read
   * manifests. Default: GHSQL_REGISTRY_URL, else https://ghcr.io for api.github.com and
   * https://containers.HOST for https://HOST/api/v3.
   */
  registryUrl?: string;
  /** Pages loaded ahead of the reader (default 4; 1 = strictly one at a time). */
  concurrency?: number;
  /** Per-request timeout in ms (default 30,000). */
  timeoutMs?: number;
  /** Retries of 5xx, resets and timeouts (default 4). */
  maxRetries?: number;
  /** First retry delay in ms, doubling (default 250). */
  retryBaseMs?: number;
  /** Longest wait for a rate limit in ms before failing (default 60,000). */
  maxWaitMs?: number;
  /** Spacing between writes in ms (default 1,000, as GitHub asks). */
  writeIntervalMs?: number;
  /** Enables the actions (delete/restore SQL functions). Off by default: they change GitHub. */
  allowWrites?: boolean;
  /** Actions check their arguments and report what they would do, without any request. */
  dryRun?: boolean;
  /** Called for each action performed (also recorded in the ghsql_actions table). */
  onAction?: (record: ActionRecord) => void;
  /**
   * Keep GET responses with their ETags so repeats are revalidated (a 304 costs no rate limit).
   * Default true; the file is $XDG_CACHE_HOME/ghsql (or ~/.cache/ghsql), or `cacheDir`.
   */
  cache?: boolean;
  cacheDir?: string;
  /** Seconds a cached response is reused without any request (default 0: always revalidate). */
  cacheTtlSeconds?: number;
  /** Called for each HTTP exchange, as it happens. */
  onTrace?: (event: TraceEvent) => void;
  /** Called as each page of rows reaches SQLite (for progress lines). */
  onBatch?: (rows: number) => void;
}

export interface Registration {
  /** Stops the worker thread. Queries on the database fail after this. */
  close(): Promise<void>;
}

const registered = new WeakMap<Database.Database, Registration>();
/** Resource lists already checked: a description is checked once per process, not per registration. */
const checked = new WeakSet<readonly Resource[]>();

/** Resources to register, and the module (by URL) that exports them as `resources` for the worker thread. */
export interface ResourceSet {
  resources: readonly Resource[];
  module: string;
}

const GHSQL_RESOURCES: ResourceSet = { resources, module: new URL('./resources/index.js', import.meta.url).href };

/**
 * Registers ghsql's tables (auth_user_packages, auth_user_package_versions…) and actions on a
 * better-sqlite3 database. HTTP runs in a worker thread started on the first query; it does not keep
 * the process alive, and it ends when the database is closed.
 */
export function register(db: Database.Database, options: RegisterOptions = {}): Registration {
  return registerResources(db, GHSQL_RESOURCES, options);
}

/** register() for resources of your own: tables over other REST endpoints, or a test's synthetic one. */
export function registerResources(db: Database.Database, set: ResourceSet, options: RegisterOptions = {}): Registration {
  if (registered.has(db)) throw new GhsqlError('INVALID_ARGUMENT', 'ghsql is already registered on this database.');
  const baseUrl = options.apiUrl ?? apiUrlFromEnvironment();
  const clientOptions: ClientOptions = {
    ...DEFAULT_CLIENT_OPTIONS,
    ...definedOnly({
      concurrency: options.concurrency,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
      retryBaseMs: options.retryBaseMs,
      maxWaitMs: options.maxWaitMs,
      writeIntervalMs: options.writeIntervalMs,
    }),
    baseUrl,
    registryUrl: options.registryUrl ?? registryUrlFromEnvironment(baseUrl),
    token: options.token ?? tokenFromEnvironment(baseUrl),
    cacheDir: options.cache === false ? undefined : (options.cacheDir ?? defaultCacheDir()),
    cacheTtlMs: (options.cacheTtlSeconds ?? 0) * 1000,
  };
  validateClientOptions(clientOptions);
  const workerConfig: WorkerConfig = { client: clientOptions, resourceModule: set.module, trace: options.onTrace !== undefined };
  const bridge = new SyncBridge(new URL('./bridge/worker.js', import.meta.url), workerConfig, {
    onTrace: options.onTrace,
    onBatch: options.onBatch,
  });
  if (!checked.has(set.resources)) set.resources.forEach(checkResource);
  checked.add(set.resources);
  const memo = new StatementMemo();
  const readAhead = new OuterRowReadAhead(clientOptions.concurrency, clientOptions.concurrency);
  for (const resource of set.resources) registerTable(db, resource, bridge, memo, readAhead);
  registerActions(db, set.resources, bridge, memo, {
    allowWrites: options.allowWrites ?? false,
    dryRun: options.dryRun ?? false,
    onAction: options.onAction,
  });
  const registration: Registration = { close: () => bridge.close() };
  registered.set(db, registration);
  endWithDatabase(db, bridge);
  return registration;
}

/**
 * The worker thread ends when its database is closed: a script that closes the database but never
 * calls close() must not leak a thread per registration. better-sqlite3 has no close event, so the
 * database's own close() is wrapped, on this instance only.
 */
function endWithDatabase(db: Database.Database, bridge: SyncBridge): void {
  const closeDatabase = db.close;
  db.close = function closeDatabaseAndGhsql(this: Database.Database) {
    void bridge.close();
    return closeDatabase.call(this);
  };
}
