import Database from 'better-sqlite3';
import { GhsqlError, type GhsqlErrorCode } from '../../dist/index.js';
import { nextTurn } from './ghsql.js';
import { describePairs, PAIRS_TABLES, TABLE, type GeneratedQuery, type Pair } from './query-generator.js';

export const PLAIN = 'plain';
const GHSQL = 'auth_user_packages';

type Rows = unknown[][];
type Outcome = { rows: Rows } | { error: unknown };

function run(db: Database.Database, sql: string): Outcome {
  try {
    return { rows: db.prepare(sql).raw().all() as Rows };
  } catch (error) {
    return { error };
  }
}

/** Each row as JSON (blobs as {type: 'Buffer', data}), in order or sorted. */
function canonical(rows: Rows, ordered: boolean): string[] {
  const texts = rows.map((row) => JSON.stringify(row));
  return ordered ? texts : texts.sort();
}

/**
 * What a refusal is called in the statistics, or undefined when the error is not one the promise
 * allows. With `mustName`, only a GhsqlError that names that column is one.
 */
function refusal(error: unknown, alsoAccepted: readonly GhsqlErrorCode[], mustName?: string): string | undefined {
  if (mustName !== undefined) {
    if (error instanceof GhsqlError && (error.code === 'MISSING_PARAMETER' || error.code === 'INVALID_ARGUMENT') && new RegExp(`\\b${mustName}\\b`).test(error.message)) return error.code;
    if (error instanceof Database.SqliteError && error.message === `virtual table parameter "${mustName}" can only be constrained by the '=' operator`) return "only '='";
    return undefined;
  }
  if (error instanceof GhsqlError && (error.code === 'MISSING_PARAMETER' || error.code === 'INVALID_ARGUMENT' || alsoAccepted.includes(error.code))) return error.code;
  if (error instanceof Database.SqliteError && /^virtual table parameter "(package_type|package_name)" can only be constrained by the '=' operator$/.test(error.message)) {
    return "only '='";
  }
  // Documented limit: a parameter compared with a column known only inside the same scan (README).
  if (error instanceof Database.SqliteError && error.message === 'no query solution') return 'no query solution';
  return undefined;
}

const describeError = (error: unknown) =>
  error instanceof GhsqlError ? `GhsqlError ${error.code}: ${error.message}` : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
const clip = (text: string) => (text.length > 240 ? `${text.slice(0, 240)}…` : text);

/** Rows of `a` not matched by a row of `b` (multiset difference of canonical texts). */
function minus(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const row of b) left.set(row, (left.get(row) ?? 0) + 1);
  return a.filter((row) => {
    const count = left.get(row) ?? 0;
    if (count === 0) return true;
    left.set(row, count - 1);
    return false;
  });
}

export interface Statistics {
  runs: number;
  /** Runs whose rows were compared (ghsql answered). */
  compared: number;
  /** Compared runs with at least one row. */
  nonEmpty: number;
  routed: number;
  refusals: Record<string, number>;
  shapes: Record<string, number>;
}

export interface DifferentialOptions {
  /** GhsqlError codes also accepted as "the error says why" (runs with a misbehaving stand-in). */
  alsoAccepted?: readonly GhsqlErrorCode[];
  /** ghsql's table and the plain table TABLE stands for; default auth_user_packages and PLAIN. */
  tables?: { ghsql: string; plain: string };
  /** Accept only refusals (MISSING_PARAMETER, INVALID_ARGUMENT) whose message names this column. */
  refusalMustName?: string;
}

/**
 * Runs generated queries on ghsql's table and on the plain table in the same database, and checks
 * that the rows are the same, or that ghsql refused with an error that says why. Each query runs
 * twice on ghsql in one synchronous run (the second is answered from the per-statement memo), then
 * the event loop turns.
 */
export class Differential {
  readonly statistics: Statistics = { runs: 0, compared: 0, nonEmpty: 0, routed: 0, refusals: {}, shapes: {} };
  constructor(
    private readonly db: Database.Database,
    private readonly options: DifferentialOptions = {},
  ) {}

  /** Creates the ordinary tables joins read (see PAIRS_TABLES). */
  static createPairsTables(db: Database.Database): void {
    for (const [table, columns] of Object.entries(PAIRS_TABLES)) db.exec(`CREATE TABLE ${table} ${columns}`);
  }

  private fillPairs(pairs: readonly Pair[]): void {
    const values = pairs.map((pair) => `(${pair.type}, ${pair.name})`).join(', ');
    for (const table of Object.keys(PAIRS_TABLES)) this.db.exec(`DELETE FROM ${table}${values ? `; INSERT INTO ${table} (type, name) VALUES ${values}` : ''}`);
  }

  async check(query: GeneratedQuery): Promise<void> {
    this.fillPairs(query.pairs);
    const { ghsql, plain } = this.tables;
    const ghsqlSql = query.template.replaceAll(TABLE, ghsql);
    const expected = run(this.db, query.template.replaceAll(TABLE, plain));
    const full = query.limitOf && run(this.db, query.limitOf.template.replaceAll(TABLE, plain));
    const first = run(this.db, ghsqlSql);
    const repeat = run(this.db, ghsqlSql); // the same synchronous run: answered from the memo
    await nextTurn();

    const stats = this.statistics;
    stats.runs++;
    stats.shapes[query.shape] = (stats.shapes[query.shape] ?? 0) + 1;
    if (query.routed) stats.routed++;
    for (const [attempt, actual] of [
      ['', first],
      [' (repeated in the same synchronous run, answered from the memo)', repeat],
    ] as const) {
      const problem = this.problem(query, actual, expected, full);
      if (problem === undefined) continue;
      const sqlite = 'error' in expected ? describeError(expected.error) : `${expected.rows.length} rows${expected.rows.length > 0 ? `, e.g. ${clip(JSON.stringify(expected.rows[0]))}` : ''}`;
      throw new Error(
        `ghsql and SQLite disagree${attempt} on\n  ${ghsqlSql}\n` +
          (query.shape === 'join' ? `with the pairs tables (${Object.keys(PAIRS_TABLES).join(', ')}) holding ${describePairs(query.pairs)}\n` : '') +
          `${problem}\nSQLite (the same query on the ${plain} table): ${sqlite}`,
      );
    }
    if ('error' in first) {
      const kind = 'error' in expected ? 'SQLite refuses too' : this.refusal(first.error)!;
      stats.refusals[kind] = (stats.refusals[kind] ?? 0) + 1;
    } else {
      stats.compared++;
      if (first.rows.length > 0) stats.nonEmpty++;
    }
  }

  private get tables(): { ghsql: string; plain: string } {
    return this.options.tables ?? { ghsql: GHSQL, plain: PLAIN };
  }

  private refusal(error: unknown): string | undefined {
    return refusal(error, this.options.alsoAccepted ?? [], this.options.refusalMustName);
  }

  /** What is wrong with ghsql's outcome, or undefined when it is what SQL says (or a refusal that says why). */
  private problem(query: GeneratedQuery, actual: Outcome, expected: Outcome, full: Outcome | undefined): string | undefined {
    if ('error' in expected) {
      // SQL says the query fails (e.g. json_extract of a text SQLite propagated from `owner = '…'`):
      // ghsql fails too, with the same error or a refusal.
      if ('error' in actual && (describeError(actual.error) === describeError(expected.error) || this.refusal(actual.error) !== undefined)) return undefined;
      return 'error' in actual ? `ghsql: ${describeError(actual.error)}` : `ghsql: ${actual.rows.length} rows`;
    }
    if ('error' in actual) return this.badError(actual.error);
    if (query.limitOf && full && 'rows' in full) {
      // No ORDER BY: any `limit` of the query's rows after `offset` of them.
      const { limit, offset } = query.limitOf;
      const count = Math.min(limit, Math.max(full.rows.length - offset, 0));
      const extra = minus(canonical(actual.rows, false), canonical(full.rows, false));
      if (actual.rows.length === count && extra.length === 0) return undefined;
      return `ghsql: ${actual.rows.length} rows (SQL says ${count} of the query's ${full.rows.length} without LIMIT)${extra.length > 0 ? `; not among them: ${extra.slice(0, 5).map(clip).join(' | ')}` : ''}`;
    }
    if (query.limitOf) return actual.rows.length === expected.rows.length ? undefined : `ghsql: ${actual.rows.length} rows`;
    return this.badRows(query.ordered, actual.rows, expected.rows);
  }

  private badError(error: unknown): string | undefined {
    if (this.refusal(error) !== undefined) return undefined;
    return `ghsql: ${describeError(error)}`;
  }

  private badRows(ordered: boolean, actual: Rows, expected: Rows): string | undefined {
    const a = canonical(actual, ordered);
    const e = canonical(expected, ordered);
    if (a.length === e.length && a.every((row, index) => row === e[index])) return undefined;
    if (ordered && minus(a, e).length === 0 && minus(e, a).length === 0) return `ghsql: the same ${a.length} rows in another order: ${a.slice(0, 5).map(clip).join(' | ')}`;
    const onlyGhsql = minus(a, e);
    const onlySqlite = minus(e, a);
    return (
      `ghsql: ${a.length} rows` +
      (onlyGhsql.length > 0 ? `\n  only in ghsql (${onlyGhsql.length}): ${onlyGhsql.slice(0, 5).map(clip).join(' | ')}` : '') +
      (onlySqlite.length > 0 ? `\n  only in SQLite (${onlySqlite.length}): ${onlySqlite.slice(0, 5).map(clip).join(' | ')}` : '')
    );
  }
}
