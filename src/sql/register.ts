import type Database from 'better-sqlite3';
import { SyncBridge, type Progress } from '../rpc/sync-client.js';
import { defineTables } from '../table/define.js';
import type { TableWire, WorkerConfig } from '../table/wire.js';
import { definedOnly } from '../defined-only.js';
import { registerActions } from './actions.js';
import { Audit, type ActionRecord } from './audit.js';
import { OuterRowReadAhead } from './read-ahead.js';
import { StatementMemo } from './statement-memo.js';
import { registerRegexp } from './regexp.js';
import { Statements } from './statement.js';
import { registerTable } from './virtual-table.js';
import { GhsqlError } from '../errors.js';
import { apiUrlFromEnvironment, findToken, registryUrlFromEnvironment } from '../github/auth.js';
import { DEFAULT_CLIENT_OPTIONS, TIMER_LIMIT_MS, validateClientOptions, type ClientOptions } from '../github/client-options.js';
import { defaultCacheDir, IN_MEMORY } from '../github/response-cache.js';
import type { TraceEvent } from '../github/trace.js';
import type { Resource } from '../table/types.js';
import { resources } from '../tables/index.js';
import { DEMO_TOKEN } from '../stand-in/demo-token.js';
import { LIBRARY_WORDING, type Wording } from '../wording.js';


export interface RegisterOptions {
  /**
   * Run against ghsql's built-in GitHub stand-in (a server on 127.0.0.1 with made-up packages, in a
   * thread of its own) instead of GitHub: every table works with no token. It starts with the first
   * query and stops with close(), db.close() or the process. Not with `token` or `apiUrl`.
   */
  demo?: boolean;
  /**
   * With `demo`: a file that keeps the stand-in's changes (deletes, restores, pushes), so that the
   * next demo with the same file starts where this one ended. Default: none, each demo starts afresh.
   */
  demoStateFile?: string;
  /**
   * GitHub token (classic PAT with read:packages). Default for github.com: GITHUB_TOKEN, GH_TOKEN; for
   * another host (GitHub Enterprise Server): GH_ENTERPRISE_TOKEN, GITHUB_ENTERPRISE_TOKEN; then
   * `gh auth token --hostname HOST`.
   */
  token?: string;
  /** API base URL, for GitHub Enterprise Server or the stand-in. Default: GITHUB_API_URL or https://api.github.com. */
  apiUrl?: string;
  /**
   * Container registry base URL, where the *_container_* tables and the version delete's guard read
   * manifests. Default: GHSQL_REGISTRY_URL, else https://ghcr.io for api.github.com and
   * https://containers.HOST for https://HOST/api/v3.
   */
  registryUrl?: string;
  /**
   * The user name given with the token to the container registry's token realm (ghcr.io accepts any
   * one). Default: GITHUB_ACTOR (set in GitHub Actions), else the owner of the package being read;
   * never a GET /user, which the workflow token is refused.
   */
  registryUser?: string;
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
  /** Spacing between writes in ms (default 1,000, as GitHub asks; none for the demo and other servers on this machine). */
  writeIntervalMs?: number;
  /** Enables the actions (delete/restore SQL functions). Off by default: they change GitHub. */
  allowWrites?: boolean;
  /**
   * Actions do every read and check the real run would (arguments, the image guard on fresh data)
   * and answer `would delete` or `would refuse: …`, sending no write.
   */
  dryRun?: boolean;
  /**
   * A refusal about one target (a kept image needs it, the last version of a package, GitHub's
   * 5,000-download rule) becomes that row's outcome, `refused: …`, and the statement goes on; a delete
   * of a version already gone is `already gone`. Faults not about one target (auth, scopes, network,
   * rate limit, interrupt, timeout) still stop it. Default false: the first refusal stops the statement.
   */
  keepGoing?: boolean;
  /**
   * Called as each action ends, with what came of it. Every action is also recorded in the
   * ghsql_actions table (this registration's, in memory) and, when the database is a file, in its
   * table ghsql_audit, before its request and after: see README, "An audit that lasts".
   */
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
  /**
   * Called on the SQL thread as pages arrive ({ pages, pagesTotal, rows }), when a request starts
   * waiting out GitHub's rate limit ({ waitingUntil }), and every quarter second while a statement waits.
   */
  onProgress?: (progress: Progress) => void;
  /**
   * The longest a statement may take, in ms, from its first request to GitHub; past it the statement
   * fails with GhsqlError('TIMEOUT') and its requests are cancelled. Statements run back to back in
   * one synchronous stretch (one notebook cell) count as one. Default: no limit.
   */
  statementTimeoutMs?: number;
  /** How messages name the settings that would help; a tool wrapping ghsql passes its own (the CLI its flags). */
  wording?: Partial<Wording>;
}

export interface Registration {
  /** Stops the worker thread. Queries on the database fail after this. */
  close(): Promise<void>;
  /**
   * Stops the statement running on this database: it fails with GhsqlError('INTERRUPTED') at its next
   * wait for GitHub (at once when it is waiting, a rate-limit wait included) and its requests are
   * cancelled; the database and the registration stay usable. The SQL thread is blocked while a
   * statement waits, so call it from a callback ghsql calls meanwhile (onProgress), from a timer
   * between the rows of an iterate() with awaits, or from another thread with interruptHandle.
   * With no statement running it does nothing.
   */
  interrupt(): void;
  /**
   * The same from another thread: post this SharedArrayBuffer to a worker (postMessage, workerData)
   * and call `interrupt(handle)` (exported by ghsql) there.
   */
  readonly interruptHandle: SharedArrayBuffer;
  /**
   * Marks where a new statement begins, for a caller that runs statements back to back in one
   * synchronous stretch (a shell reading a script): each then gets its own deadline and progress
   * counts. Without it, such statements count as one.
   */
  beginStatement(): void;
}

const registered = new WeakMap<Database.Database, Registration>();

/** Resources to register, and the module (by URL) that exports them as `resources` for the worker thread. */
export interface ResourceSet {
  resources: readonly Resource[];
  module: string;
}

const GHSQL_RESOURCES: ResourceSet = { resources, module: new URL('../tables/index.js', import.meta.url).href };

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
  if (registered.has(db)) {
    throw new GhsqlError(
      'INVALID_ARGUMENT',
      'ghsql is already registered on this database: keep using the registration the first register() returned (a notebook cell run again can reuse its variable), or register on a new Database.',
    );
  }
  const wording: Wording = { ...LIBRARY_WORDING, ...definedOnly(options.wording ?? {}) };
  const notForDemo = (['apiUrl', 'registryUrl', 'registryUser', 'token'] as const).find((name) => options[name] !== undefined);
  if (options.demo && notForDemo) {
    throw new GhsqlError('INVALID_ARGUMENT', `demo: true runs against the built-in stand-in with its own token, so ${notForDemo} does not apply; give one of them.`);
  }
  if (options.demoStateFile !== undefined && !options.demo) {
    throw new GhsqlError('INVALID_ARGUMENT', 'demoStateFile keeps the state of the built-in stand-in, so it needs demo: true; leave it out against GitHub.');
  }
  checkStatementTimeout(options.statementTimeoutMs);
  const allowWrites = options.allowWrites ?? false;
  const dryRun = options.dryRun ?? false;
  // The demo's URL (a random port) is known only once its server listens, in the worker: this one
  // stands in for it until then, and passes the check that a token goes to loopback only.
  const baseUrl = options.demo ? 'http://127.0.0.1' : (options.apiUrl ?? apiUrlFromEnvironment());
  // Where the token came from, so that a refusal of it can say which to fix.
  const found = options.demo || options.token !== undefined ? undefined : findToken(baseUrl);
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
    registryUrl: options.demo ? undefined : (options.registryUrl ?? registryUrlFromEnvironment(baseUrl)),
    ...definedOnly({ registryUser: options.demo ? undefined : (options.registryUser ?? (process.env['GITHUB_ACTOR'] || undefined)) }),
    // The demo never reads GITHUB_TOKEN or runs gh: its answers are made up, and a real token has no business there.
    token: options.demo ? DEMO_TOKEN : (options.token ?? found?.token),
    ...(found ? { tokenSource: found.source } : {}),
    // The demo's answers are worth nothing after it ends and must not mix with the user's cache: they
    // stay in memory, so no way out (an error, a signal) can leave a directory behind.
    cacheDir: options.cache === false ? undefined : options.demo ? IN_MEMORY : (options.cacheDir ?? defaultCacheDir()),
    cacheTtlMs: (options.cacheTtlSeconds ?? 0) * 1000,
    wording,
  };
  validateClientOptions(clientOptions);
  const tables = defineTables(set.resources);
  // First of what touches the database, so that a file that cannot keep the audit leaves it as it was.
  const audit = Audit.open(db, { durable: allowWrites || dryRun, onAction: options.onAction });
  const workerConfig: WorkerConfig = {
    client: clientOptions,
    resourceModule: set.module,
    // Progress needs the trace's rate-limit waits.
    trace: options.onTrace !== undefined || options.onProgress !== undefined,
    ...(options.demoStateFile === undefined ? {} : { demoStateFile: options.demoStateFile }),
  };
  const workerUrl = new URL(options.demo ? '../worker/demo-main.js' : '../worker/main.js', import.meta.url);
  const bridge = new SyncBridge<TableWire>(workerUrl, workerConfig, {
    onTrace: options.onTrace,
    onBatch: options.onBatch,
    onProgress: options.onProgress,
    statementTimeoutMs: options.statementTimeoutMs,
    wording,
  });
  const memo = new StatementMemo();
  const statements = new Statements();
  const readAhead = new OuterRowReadAhead(clientOptions.concurrency, clientOptions.concurrency);
  try {
    for (const table of tables) registerTable(db, table, bridge, memo, readAhead, statements);
    registerActions(db, tables, bridge, memo, statements, { allowWrites, dryRun, keepGoing: options.keepGoing ?? false, audit, wording });
    audit.registerActionLog(db);
    registerRegexp(db);
  } catch (error) {
    audit.close(); // a binding ghsql cannot use: the file goes back to its journal mode
    throw error;
  }
  statements.checkStatements(
    db,
    tables.flatMap((table) => table.actions.map(({ action }) => action.name)),
    tables.flatMap(({ name, resource, parameterIndex }) =>
      resource.parameters.flatMap((parameter) => (parameter.default === undefined ? [] : [{ table: name, column: parameter.column, index: parameterIndex.get(parameter.column)! }])),
    ),
  );
  const registration: Registration = {
    close: () => bridge.close(),
    interrupt: () => bridge.interrupt(),
    interruptHandle: bridge.interruptHandle,
    beginStatement: () => {
      statements.begin();
      bridge.beginStatement();
    },
  };
  registered.set(db, registration);
  endWithDatabase(db, bridge, audit);
  return registration;
}

function checkStatementTimeout(ms: unknown): void {
  if (ms === undefined) return;
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 1 || ms > TIMER_LIMIT_MS) {
    throw new GhsqlError('INVALID_ARGUMENT', `statementTimeoutMs must be a whole number from 1 to ${TIMER_LIMIT_MS.toLocaleString('en-US')} (ms), not ${String(ms)}.`);
  }
}

/**
 * The worker thread ends when its database is closed: a script that closes the database but never
 * calls close() must not leak a thread per registration. better-sqlite3 has no close event, so the
 * database's own close() is wrapped, on this instance only. The audit's connection closes first,
 * while the database can still be put back in its journal mode.
 */
function endWithDatabase(db: Database.Database, bridge: SyncBridge<TableWire>, audit: Audit): void {
  const closeDatabase = db.close;
  db.close = function closeDatabaseAndGhsql(this: Database.Database) {
    audit.close();
    void bridge.close();
    return closeDatabase.call(this);
  };
}
