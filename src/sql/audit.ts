import type Database from 'better-sqlite3';
import { GhsqlError, type GhsqlErrorCode, messageOf } from '../errors.js';
import type { DefinedAction } from '../table/define.js';

/** What an action did, or is doing: a row of ghsql_actions, and what onAction is told. */
export interface ActionRecord {
  time: string;
  action: string;
  /** The action's path arguments by name (package_type, package_name, …); secrets are never kept. */
  target: Record<string, string>;
  outcome: string;
}

/** The columns of ghsql_actions, the same whatever the resources. */
export const ACTION_LOG_COLUMNS = ['time', 'action', 'target', 'outcome'] as const;

/** The table of a file database that keeps every action for good. */
export const AUDIT_TABLE = 'ghsql_audit';

/** What an attempt is recorded as until its answer comes, and stays as when the process dies first. */
export const PENDING = 'pending';

/**
 * Errors after which the request may have reached GitHub and been carried out: the statement was
 * stopped (Ctrl-C, interrupt()) or ran past its deadline while the request was under way, or the
 * connection failed (and a retried request may have got through before it did).
 */
const ANSWER_MAY_BE_LOST: ReadonlySet<GhsqlErrorCode> = new Set(['INTERRUPTED', 'TIMEOUT', 'NETWORK']);

/** GitHub keeps a deleted package or version restorable this long. */
const RESTORABLE_MS = 30 * 86_400_000;

/** The arguments that name a package's owner; an action without one acts for the authenticated user. */
const OWNER_ARGUMENTS = ['org', 'username'];

/**
 * How long a record waits for the file while another connection writes to it. Another ghsql or a
 * script commits in milliseconds; a statement that writes to the file itself holds it until it ends.
 */
const BUSY_TIMEOUT_MS = 5_000;

// SQLite keeps this text as it is, so `.schema ghsql_audit` shows the comments.
const CREATE_AUDIT_TABLE = `CREATE TABLE IF NOT EXISTS ${AUDIT_TABLE} (
  id INTEGER PRIMARY KEY,
  time TEXT NOT NULL,           -- ISO 8601 UTC: when the request was about to go (pending), then when its answer came
  action TEXT NOT NULL,         -- the SQL function, e.g. delete_package_version_for_org
  owner TEXT,                   -- the organization or user; NULL for the authenticated user's own packages
  package_type TEXT,
  package_name TEXT,
  package_version_id INTEGER,   -- NULL for a whole package
  digest TEXT,                  -- a container version's digest at the delete; NULL: ghsql does not pass it on yet
  tags TEXT,                    -- its tags then (JSON array); NULL: likewise
  arguments TEXT NOT NULL,      -- every argument given, as JSON; secret ones (a restore token) never
  http_status INTEGER,          -- GitHub's status when it answered with an error; NULL for a success or no answer
  outcome TEXT NOT NULL,        -- pending, deleted, restored, would delete, would restore, failed: ..., unknown: ...
  dry_run INTEGER NOT NULL,     -- 1: a dry run, nothing was sent
  restorable_until TEXT         -- for a delete GitHub carried out: time + 30 days
)`;

/** One attempt under way: end() it with what came of it. */
export interface AuditEntry {
  /** Records the outcome; throws if the file could not take it (the message names the outcome). */
  end(result: { outcome: string } | { error: unknown }): void;
}

/**
 * The record of every action a registration attempts. Each attempt is recorded before its request
 * (begin) and completed after it (end). This session's attempts are shown by `ghsql_actions`; with a
 * file database they are also rows of ghsql_audit in that file, written at once through a
 * connection of their own, so that they outlast an error, Ctrl-C and the process.
 */
export class Audit {
  private readonly log: ActionRecord[] = [];

  private constructor(
    private readonly file: AuditFile | undefined,
    private readonly onAction: ((record: ActionRecord) => void) | undefined,
  ) {}

  /**
   * Opens ghsql_audit in `db`'s file when `durable` and `db` is a file (see AuditFile). Call it where
   * `db` runs no statement (at registration).
   */
  static open(db: Database.Database, options: { durable: boolean; onAction?: (record: ActionRecord) => void }): Audit {
    const path = options.durable ? databaseFile(db) : undefined;
    return new Audit(path === undefined ? undefined : new AuditFile(db, path), options.onAction);
  }

  /** Shows this registration's attempts as the table ghsql_actions of `db`. */
  registerActionLog(db: Database.Database): void {
    const { log } = this;
    db.table('ghsql_actions', {
      columns: [...ACTION_LOG_COLUMNS],
      *rows() {
        for (const entry of log) yield [entry.time, entry.action, JSON.stringify(entry.target), entry.outcome];
      },
    });
  }

  /**
   * Records an attempt as pending, before its request; throws (and nothing must be sent) when the
   * file cannot take it. `args` are the checked arguments by name; secret ones are left out.
   */
  begin(defined: DefinedAction, args: Readonly<Record<string, string>>, mode: { dryRun: boolean }): AuditEntry {
    const { action } = defined;
    const kept = defined.arguments.filter((argument) => !argument.secret && args[argument.name] !== undefined);
    const record: ActionRecord = {
      time: new Date().toISOString(),
      action: action.name,
      target: Object.fromEntries(kept.filter((argument) => !argument.optional).map(({ name }) => [name, args[name]!])),
      outcome: PENDING,
    };
    const { file } = this;
    const id = file?.pending({
      time: record.time,
      action: action.name,
      owner: OWNER_ARGUMENTS.map((name) => args[name]).find((value) => value !== undefined) ?? null,
      package_type: args['package_type'] ?? null,
      package_name: args['package_name'] ?? null,
      // Text: the column's INTEGER affinity stores a whole number as one.
      package_version_id: args['package_version_id'] ?? null,
      arguments: JSON.stringify(Object.fromEntries(kept.map(({ name }) => [name, args[name]!]))),
      outcome: PENDING,
      dry_run: mode.dryRun ? 1 : 0,
    });
    this.log.push(record);
    return {
      end: (result) => {
        // When it happened: writes are spaced, so the call may have waited before its request.
        const time = new Date();
        record.time = time.toISOString();
        record.outcome = 'outcome' in result ? result.outcome : outcomeOfError(result.error);
        this.onAction?.(record);
        if (file === undefined || id === undefined) return;
        const carriedOutDelete = 'outcome' in result && !mode.dryRun && action.route?.startsWith('DELETE ') === true;
        file.complete(id, {
          time: record.time,
          outcome: record.outcome,
          http_status: 'error' in result && result.error instanceof GhsqlError ? (result.error.status ?? null) : null,
          restorable_until: carriedOutDelete ? new Date(time.getTime() + RESTORABLE_MS).toISOString() : null,
        });
      },
    };
  }

  /** Closes the file's connection and puts the file back in its journal mode (with the database: register.ts). */
  close(): void {
    this.file?.close();
  }
}

/** `failed: …` when the request was not carried out, `unknown: …` when it may have been. */
function outcomeOfError(error: unknown): string {
  const message = messageOf(error);
  return `${error instanceof GhsqlError && ANSWER_MAY_BE_LOST.has(error.code) ? 'unknown' : 'failed'}: ${message}`;
}

/** The main database's file, or undefined for an in-memory or temporary database (SQLite gives ''). */
function databaseFile(db: Database.Database): string | undefined {
  const file = db.prepare("SELECT file FROM pragma_database_list WHERE name = 'main'").pluck().get() as string | undefined;
  return file ? file : undefined;
}

interface PendingRow {
  time: string;
  action: string;
  owner: string | null;
  package_type: string | null;
  package_name: string | null;
  package_version_id: string | null;
  arguments: string;
  outcome: string;
  dry_run: 0 | 1;
}

interface Completion {
  time: string;
  outcome: string;
  http_status: number | null;
  restorable_until: string | null;
}

/**
 * ghsql_audit in the user's database file. An action is a SQL function that runs in the middle of
 * the user's statement, when that connection cannot write, so the rows go through a second
 * connection to the same file, each committed at once (synchronous = FULL: a row survives a power
 * cut too). That needs the file in WAL mode, where a writer does not wait for readers (the user's
 * statement reads while its actions are recorded); it is switched at registration and put back when
 * the database is closed. A file left in WAL (the process killed, or another connection had it open
 * at the close) reads as usual with any SQLite.
 */
class AuditFile {
  private readonly connection: Database.Database;
  private readonly insert: Database.Statement<PendingRow>;
  private readonly update: Database.Statement<Completion & { id: number | bigint }>;
  /** The journal mode to put back, when ghsql changed it. */
  private journalModeToRestore: string | undefined;
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {
    const cannot = (reason: string, remedy = 'Open a writable database on a local disk (its WAL mode needs shared memory)') =>
      new GhsqlError(
        'INVALID_ARGUMENT',
        `ghsql records every action in the table ${AUDIT_TABLE} of ${path} before sending it, and cannot write there: ${reason}. ` +
          `${remedy}, or use an in-memory database (the CLI without --db), where the record lasts as long as the process.`,
      );
    if (db.readonly) throw cannot('the database is open read-only');
    try {
      const mode = String(db.pragma('journal_mode', { simple: true }));
      if (mode !== 'wal') {
        if (db.pragma('journal_mode = WAL', { simple: true }) !== 'wal') throw new Error(`its journal mode stays ${mode}`);
        this.journalModeToRestore = mode;
      }
    } catch (error) {
      throw cannot(`it could not be put in WAL mode (${messageOf(error)})`);
    }
    // The same better-sqlite3 as the user's database: the class register() was handed.
    const Connection = db.constructor as typeof Database;
    try {
      this.connection = new Connection(path, { timeout: BUSY_TIMEOUT_MS, fileMustExist: true });
    } catch (error) {
      this.restoreJournalMode();
      throw cannot(messageOf(error));
    }
    try {
      this.connection.pragma('synchronous = FULL');
      this.connection.exec(CREATE_AUDIT_TABLE);
      this.insert = this.connection.prepare(
        `INSERT INTO ${AUDIT_TABLE} (time, action, owner, package_type, package_name, package_version_id, arguments, outcome, dry_run)
         VALUES (@time, @action, @owner, @package_type, @package_name, @package_version_id, @arguments, @outcome, @dry_run)`,
      );
      this.update = this.connection.prepare(
        `UPDATE ${AUDIT_TABLE} SET time = @time, outcome = @outcome, http_status = @http_status, restorable_until = @restorable_until WHERE id = @id`,
      );
    } catch (error) {
      this.close();
      // A table of that name without ghsql's columns is the user's own.
      if (!/no such column|has no column/.test(messageOf(error))) throw cannot(messageOf(error));
      throw cannot(`it has a table ${AUDIT_TABLE} that is not ghsql's (${messageOf(error)})`, 'Rename that table');
    }
  }

  /** Inserts the attempt's row and returns its id; throws when the file cannot take it (nothing may be sent then). */
  pending(row: PendingRow): number | bigint {
    try {
      return this.insert.run(row).lastInsertRowid;
    } catch (error) {
      throw new GhsqlError('INTERNAL', `${row.action}: nothing was sent, because its record could not be written to ${AUDIT_TABLE} in ${this.path}: ${this.explain(error)}`);
    }
  }

  complete(id: number | bigint, completion: Completion): void {
    try {
      this.update.run({ ...completion, id });
    } catch (error) {
      throw new GhsqlError(
        'INTERNAL',
        `the outcome of an action (${completion.outcome}) could not be written to ${AUDIT_TABLE} in ${this.path}, where its row ${id} stays 'pending': ${this.explain(error)} ` +
          'The statement was stopped so that no action goes unrecorded.',
      );
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.close();
    this.restoreJournalMode();
  }

  private restoreJournalMode(): void {
    const mode = this.journalModeToRestore;
    if (mode === undefined || !this.db.open) return;
    this.journalModeToRestore = undefined;
    try {
      this.db.pragma(`journal_mode = ${mode}`);
    } catch {
      // Another connection has the file open (SQLITE_BUSY), or a statement of the user's is still
      // being read: the file stays in WAL, which every SQLite reads (README, "An audit that lasts").
    }
  }

  private explain(error: unknown): string {
    if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') return `${messageOf(error)}.`;
    return (
      `the file stayed locked for ${BUSY_TIMEOUT_MS / 1000} s. A statement that itself writes to the database (INSERT … SELECT, CREATE TABLE … AS SELECT, ` +
      '.snapshot, or one inside a transaction that wrote) holds that lock until it ends: call actions from a plain SELECT, whose rows the audit keeps anyway. ' +
      'Otherwise another program is writing to the file; try again when it is done.'
    );
  }
}
