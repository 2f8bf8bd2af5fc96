import Database from 'better-sqlite3';
import { fstatSync, readFileSync } from 'node:fs';
import { formatTraceEvent, formatTraceSummary, messageOf, plural, register, type RegisterOptions, type Registration, snapshot, summarize, type TraceEvent } from '../index.js';
import { ActionTally } from './action-tally.js';
import { runDotCommand } from './dot-commands.js';
import { explainError } from './explain-error.js';
import { GitHubActionsReport } from './github-actions.js';
import { formatResult, type FormatName, type ResultSet } from './formats/index.js';
import { resultColumns } from './formats/result.js';
import { CLI_WORDING, type Params } from './options.js';
import { ScriptReader, type ScriptItem } from './script.js';
import { redactSecrets, scrubSecrets } from './secrets.js';
import { StatusLine, type ProgressMode } from './status-line.js';
import { StoredViewWatch } from './stored-views.js';
import { asError, escapeControls, stderrWriter, StdoutError, stdoutSink, styleFor, type Display, type Sink, type Style } from './terminal.js';

/** What the dot-commands change, and the flags that mirror them set. */
export interface Settings {
  format: FormatName;
  headers: boolean;
  timer: boolean;
  trace: boolean;
}

export interface SessionOptions {
  /** The user's SQLite file (--db); an in-memory database when undefined. */
  database?: string;
  client: Omit<RegisterOptions, 'onTrace' | 'onBatch' | 'onProgress' | 'onAction' | 'wording'>;
  settings: Settings;
  /** -p NAME VALUE: bound in every statement that uses :NAME. */
  params?: Params;
  /** --color, --width, --progress. */
  display: Display & { progress: ProgressMode };
}

/** `.quit` stops the script or shell it was read from. */
export type Outcome = 'continue' | 'quit';

/** An error in a file or stdin, with where it happened. */
class ScriptError extends Error {
  constructor(source: string, line: number, cause: unknown) {
    super(`${source} line ${line}: ${explainError(cause)}`);
  }
}

const MAX_READ_DEPTH = 16;

/**
 * One database with ghsql registered on it, and the settings of the shell or script using it. Every
 * way in (a statement argument, -f, stdin, the shell, .read) runs through here.
 */
export class Session {
  readonly db: Database.Database;
  readonly settings: Settings;
  /** The last statement's rows, for .export. */
  lastResult: ResultSet | undefined;
  readonly display: Display;
  private output: Sink;
  private readonly stderr = stderrWriter();
  private readonly stderrStyle: Style;
  private readonly status: StatusLine;
  private readonly registration: Registration;
  private readonly storedViews: StoredViewWatch | undefined;
  private traceEvents: TraceEvent[] = [];
  private readonly params: Params;
  /** In GitHub Actions: the job summary, outputs and annotations of this run. */
  private readonly actionsReport: GitHubActionsReport | undefined;
  /** What the actions of the running statement came to, and whether any was refused. */
  readonly actions = new ActionTally();
  private readDepth = 0;

  constructor(options: SessionOptions) {
    this.settings = { ...options.settings };
    this.params = options.params ?? {};
    this.display = { color: options.display.color, width: options.display.width };
    this.output = stdoutSink(this.display);
    this.stderrStyle = styleFor(this.stderr, options.display.color);
    this.status = new StatusLine(this.stderr, this.stderrStyle, options.display.progress);
    // The runner reads workflow commands from the log, stdout; when stdout is a file of results
    // (`> rows.json`) they go to stderr instead, so as not to corrupt it.
    const annotateOnStdout = !fstatSync(1).isFile();
    this.actionsReport = GitHubActionsReport.fromEnvironment(process.env, (line) => (annotateOnStdout ? this.output.write(`${line}\n`) : this.status.message(line)));
    this.db = openDatabase(options.database);
    // The worker always reports trace events (a message per request), so `.trace on` works at any time.
    this.registration = register(this.db, {
      ...options.client,
      wording: CLI_WORDING,
      onTrace: (event) => this.traced(event),
      onProgress: (progress) => this.status.progress(progress),
      onAction: (record) => {
        this.actions.add(record.outcome);
        this.actionsReport?.action(record);
        this.status.message(`${record.action}(${Object.values(record.target).join(', ')}): ${record.outcome}`);
      },
    });
    this.storedViews = options.database === undefined ? undefined : new StoredViewWatch(this.db, options.database);
  }

  /** For the shell's Ctrl-C (ctrl-c.ts): stops the running statement from another thread. */
  get interruptHandle(): SharedArrayBuffer {
    return this.registration.interruptHandle;
  }

  /** `.snapshot TABLE AS SELECT …`: appends the rows, with taken_at, to a table of the database. */
  snapshot(table: string, select: string): void {
    this.beginStatement();
    try {
      const { rows, takenAt, created, addedColumns } = snapshot(this.db, table, select);
      const where = this.storedViews ? '' : ' (in memory: give --db FILE to keep it)';
      const changes = [created ? 'table created' : '', addedColumns.length ? `columns added: ${addedColumns.join(', ')}` : ''].filter(Boolean).join('; ');
      this.info(`snapshot ${table}: ${plural(rows, 'row')} taken at ${takenAt}${changes ? ` (${changes})` : ''}${where}`);
    } finally {
      this.status.finish();
    }
  }

  /** Runs a statement or dot-command; throws what went wrong. */
  execute(item: ScriptItem): Outcome {
    if (item.kind === 'dot') return runDotCommand(this, item.text);
    this.runSql(item.text);
    return 'continue';
  }

  /** Runs statements and dot-commands from text, stopping at the first error (located when `source` names a file). */
  runScript(text: string, source?: string): Outcome {
    const reader = new ScriptReader();
    for (const line of text.split(/\r?\n/)) {
      for (const item of reader.push(line)) if (this.runItem(item, source) === 'quit') return 'quit';
    }
    for (const item of reader.finish()) if (this.runItem(item, source) === 'quit') return 'quit';
    return 'continue';
  }

  /** Runs a .sql file (-f, .read). */
  runFile(path: string): Outcome {
    if (this.readDepth >= MAX_READ_DEPTH) throw new Error(`.read is nested ${MAX_READ_DEPTH} deep at ${path}; does a file read itself?`);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}; check the file name.`);
    }
    this.readDepth++;
    try {
      return this.runScript(text, path);
    } finally {
      this.readDepth--;
    }
  }

  /** Sends results to a file (.output FILE) or back to stdout. */
  setOutput(sink: Sink): void {
    this.output.close();
    this.output = sink;
  }

  /** Writes a dot-command's text (.tables, .schema) to where results go; names in it may come from a database file. */
  print(text: string): void {
    this.output.write(escapeControls(text));
  }

  /** A note for the user on stderr (never mixed into results). */
  info(text: string): void {
    this.status.message(text, this.stderrStyle.dim);
  }

  /** Something the user should act on, though nothing failed. */
  warn(text: string): void {
    this.status.message(`warning: ${text}`);
  }

  reportError(error: unknown): void {
    this.status.message(explainError(error), asError(this.stderrStyle));
    this.actionsReport?.failed(explainError(error));
  }

  async close(): Promise<void> {
    this.actionsReport?.finish();
    this.output.close();
    this.db.close();
    await this.registration.close();
  }

  private runItem(item: ScriptItem, source: string | undefined): Outcome {
    try {
      return this.execute(item);
    } catch (error) {
      // The innermost file (.read inside -f) is the one to name; a failing stdout is no line's fault.
      if (source === undefined || error instanceof ScriptError || error instanceof StdoutError) throw error;
      throw new ScriptError(source, item.line, error);
    }
  }

  /** Runs a statement; an error quoting it (a syntax error near a token) has its secret arguments scrubbed. */
  private runSql(sql: string): void {
    try {
      this.runStatement(sql);
    } catch (error) {
      const { secrets } = redactSecrets(sql);
      if (secrets.length === 0 || error instanceof StdoutError) throw error;
      throw new Error(scrubSecrets(explainError(error), secrets), { cause: error });
    }
  }

  /** Statements run back to back here (a script) each get their own progress counts. */
  private beginStatement(): void {
    this.registration.beginStatement();
  }

  private runStatement(sql: string): void {
    const started = performance.now();
    this.traceEvents = [];
    this.actions.reset();
    this.beginStatement();
    // Rows returned before an error (the first refusal of a bulk delete) are still shown.
    let partial: ResultSet | undefined;
    try {
      if (sql.startsWith('.')) throw new Error(`${sql.split(/\s/)[0]} is a dot-command: put it on a line of its own, after the statement's ";".`);
      const statement = this.db.prepare(sql);
      if (!statement.reader) {
        statement.run(this.params);
        for (const warning of this.storedViews?.check(sql) ?? []) this.warn(warning);
        return;
      }
      // Integers as BigInt: an INTEGER stays one in .export (a JS number would be bound as REAL).
      statement.raw(true).safeIntegers(true);
      const result: ResultSet = { columns: resultColumns(statement.columns()), rows: [] };
      partial = result;
      for (const row of statement.iterate(this.params) as IterableIterator<unknown[]>) result.rows.push(row);
      partial = undefined;
      this.status.finish();
      this.lastResult = result;
      this.actionsReport?.result(result);
      this.writeResult(result);
    } finally {
      this.status.finish();
      if (partial && partial.rows.length > 0) {
        this.writeResult(partial);
        this.actionsReport?.result(partial);
      }
      const actions = this.actions.summary();
      if (actions) this.info(actions);
      if (this.settings.trace) this.info(formatTraceSummary(summarize(this.traceEvents)));
      if (this.settings.timer) this.info(`Run Time: ${((performance.now() - started) / 1000).toFixed(3)} s`);
    }
  }

  private writeResult(result: ResultSet): void {
    const { width, style } = this.output;
    this.output.write(formatResult(this.settings.format, result, { headers: this.settings.headers, width, style }));
  }

  private traced(event: TraceEvent): void {
    if (!this.settings.trace) return;
    this.traceEvents.push(event);
    this.info(formatTraceEvent(event));
  }
}

function openDatabase(file: string | undefined): Database.Database {
  if (file === undefined) return new Database(':memory:');
  const problem = (error: unknown) =>
    new Error(`cannot open --db ${file}: ${messageOf(error)}; give a SQLite database file, or a new file name to create one.`);
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw problem(error);
  }
  try {
    // Reading the schema now turns a file that is not SQLite into a clear error, not a puzzling later one.
    db.prepare('SELECT count(*) FROM main.sqlite_schema').get();
    return db;
  } catch (error) {
    db.close();
    throw problem(error);
  }
}
