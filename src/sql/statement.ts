import type Database from 'better-sqlite3';
import { atEndOfTurn } from '../end-of-turn.js';
import { GhsqlError } from '../errors.js';
import { misplacedAction, type Instruction } from './action-placement.js';
import { testsColumn } from './column-tests.js';

/**
 * The statement running on the SQL thread. SQLite does not say where statements begin, so one
 * begins at the first use after the event loop turned (a notebook cell's statements run back to back
 * count as one), or where a caller that knows says so (begin(): the CLI, before each statement of a
 * script). Everything that needs "this statement" asks here: the actions (their number, which the
 * worker's guards and a dry run's plan are kept by) and the check of where a statement calls them.
 */
export class Statements {
  private current: number | undefined;
  private count = 0;
  /** What ghsql learnt of the checked statements executing now, innermost last (see checkStatements). */
  private readonly running: StatementFacts[] = [];

  /** The running statement's number, beginning one if none is running. */
  id(): number {
    if (this.current === undefined) {
      this.current = ++this.count;
      this.endAtTurn();
    }
    return this.current;
  }

  /** Begins a new statement now. */
  begin(): void {
    this.current = ++this.count;
    this.endAtTurn();
  }

  private readonly endAtTurn = atEndOfTurn(() => {
    this.current = undefined;
  });

  /** Whether the action being called runs inside a statement whose placement of actions was checked. */
  get inCheckedStatement(): boolean {
    return this.running.at(-1)?.actionsChecked === true;
  }

  /** Whether the running statement decides on this table's column (column-tests.ts), as its program showed when it was prepared. */
  decidesOn(table: string, column: string): boolean {
    return this.running.at(-1)?.decidesOn.has(`${table}.${column}`) === true;
  }

  /**
   * Makes `db.prepare` read the program (EXPLAIN) of a statement that names an action or a defaulted
   * parameter's table, before it runs: it refuses an action placed where it would run for rows the
   * statement does not return (action-placement.ts), and notes which defaulted parameters the
   * statement decides on (column-tests.ts). An action called outside such a statement (a TEMP view or
   * trigger, db.exec) is refused.
   */
  checkStatements(db: Database.Database, actionNames: readonly string[], defaulted: readonly DefaultedParameter[]): void {
    const names = new Set(actionNames.map((name) => name.toLowerCase()));
    const namesAction = wordsPattern(actionNames);
    const named = defaulted.map((parameter) => ({ parameter, table: wordsPattern([parameter.table])!, column: wordsPattern([parameter.column])! }));
    const prepare = db.prepare;
    const statements = this;
    db.prepare = function prepareChecked(this: Database.Database, source: string) {
      const statement = prepare.call(this, source);
      if (typeof source !== 'string' || /^\s*EXPLAIN\b/i.test(withoutLeadingComments(source))) return statement;
      const callsAction = namesAction?.test(source) === true;
      const candidates = named.filter(({ table, column }) => table.test(source) && column.test(source)).map(({ parameter }) => parameter);
      if (!callsAction && candidates.length === 0) return statement;
      const explain = prepare.call(this, `EXPLAIN ${source}`) as Database.Statement<unknown[]>;
      const program = explain.all(...nullBindings(source)) as Instruction[]; // EXPLAIN's columns: addr, opcode, p1, p2, p3, p4…
      const misplaced = callsAction ? misplacedAction(program, names) : undefined;
      if (misplaced) {
        throw new GhsqlError(
          'INVALID_ARGUMENT',
          `${misplaced.action} would run for rows this statement does not return, or in another order: ${misplaced.reason}. ` +
            'An action may change GitHub only for the rows a statement returns. Choose the rows first, then act on them in the outer SELECT: ' +
            `WITH chosen AS MATERIALIZED (SELECT … ORDER BY … LIMIT …) SELECT ${misplaced.action}(…) FROM chosen;`,
        );
      }
      const decidesOn = new Set(candidates.filter(({ index }) => testsColumn(program, index)).map(({ table, column }) => `${table}.${column}`));
      return statements.markChecked(statement, { actionsChecked: callsAction, decidesOn });
    } as typeof db.prepare;
  }

  /** Makes the statement's facts the running ones during its execution (run, get, all, and an iterator's steps). */
  private markChecked<S extends Database.Statement>(statement: S, facts: StatementFacts): S {
    const during = <T>(work: () => T): T => {
      this.running.push(facts);
      try {
        return work();
      } finally {
        this.running.pop();
      }
    };
    for (const method of ['run', 'get', 'all'] as const) {
      const original = statement[method] as (...args: unknown[]) => unknown;
      Object.defineProperty(statement, method, { value: (...args: unknown[]) => during(() => original.apply(statement, args)), configurable: true, writable: true });
    }
    const iterate = statement.iterate as (...args: unknown[]) => IterableIterator<unknown>;
    Object.defineProperty(statement, 'iterate', {
      value: (...args: unknown[]) => {
        const rows = during(() => iterate.apply(statement, args));
        const step = {
          next: () => during(() => rows.next()),
          return: (value?: unknown) => during(() => rows.return?.(value) ?? { done: true as const, value: undefined }),
          [Symbol.iterator]: () => step,
        };
        return step;
      },
      configurable: true,
      writable: true,
    });
    return statement;
  }
}

/** A parameter GitHub gives a default when it is not sent (Parameter.default), and its native column index. */
export interface DefaultedParameter {
  table: string;
  column: string;
  index: number;
}

interface StatementFacts {
  /** It names an action, and where it calls it was checked. */
  actionsChecked: boolean;
  /** `table.column` of the defaulted parameters it decides on. */
  decidesOn: ReadonlySet<string>;
}

/** A case-insensitive pattern for any of these names as a whole word; undefined for none. */
function wordsPattern(words: readonly string[]): RegExp | undefined {
  return words.length === 0 ? undefined : new RegExp(`(?<![\\w$])(${words.map((word) => word.replace(/[^A-Za-z0-9_]/g, '')).join('|')})(?![\\w$])`, 'i');
}

/**
 * NULL for each parameter of the statement (`?`, `?3`, `:name`, `@name`, `$name`): EXPLAIN needs every
 * parameter bound, and the program does not depend on the values.
 */
function nullBindings(source: string): unknown[] {
  const code = source.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  const named: Record<string, null> = {};
  let positional = 0;
  for (const [, number, name] of code.matchAll(/\?(\d*)|[:@$]([A-Za-z_]\w*)/g)) {
    if (name !== undefined) named[name] = null;
    else positional = number ? Math.max(positional, Number(number)) : positional + 1;
  }
  return [...Array<null>(positional).fill(null), ...(Object.keys(named).length > 0 ? [named] : [])];
}

/** The text after any leading comments, where the statement's first keyword is. */
function withoutLeadingComments(source: string): string {
  return source.replace(/^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
}
