import type Database from 'better-sqlite3';
import { atEndOfTurn } from '../end-of-turn.js';
import { GhsqlError } from '../errors.js';
import { misplacedAction, type Instruction } from './action-placement.js';

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
  /** Depth of checked statements executing now (see checkActionPlacement). */
  private checkedRunning = 0;

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
    return this.checkedRunning > 0;
  }

  /**
   * Makes `db.prepare` check, before any call, where a statement that names an action calls it
   * (action-placement.ts), and marks such a statement's execution as checked: an action called
   * outside one (db.exec, which runs statements ghsql cannot see one by one) is refused.
   */
  checkActionPlacement(db: Database.Database, actionNames: readonly string[]): void {
    if (actionNames.length === 0) return;
    const names = new Set(actionNames.map((name) => name.toLowerCase()));
    const mentions = new RegExp(actionNames.map((name) => name.replace(/[^a-z0-9_]/gi, '')).join('|'), 'i');
    const prepare = db.prepare;
    const statements = this;
    db.prepare = function prepareChecked(this: Database.Database, source: string) {
      const statement = prepare.call(this, source);
      if (typeof source !== 'string' || !mentions.test(source) || /^\s*EXPLAIN\b/i.test(withoutLeadingComments(source))) return statement;
      const explain = prepare.call(this, `EXPLAIN ${source}`) as Database.Statement<unknown[]>;
      const program = explain.all(...nullBindings(source)) as Instruction[]; // EXPLAIN's columns: addr, opcode, p1, p2, p3, p4…
      const misplaced = misplacedAction(program, names);
      if (misplaced) {
        throw new GhsqlError(
          'INVALID_ARGUMENT',
          `${misplaced.action} would run for rows this statement does not return, or in another order: ${misplaced.reason}. ` +
            'An action may change GitHub only for the rows a statement returns. Choose the rows first, then act on them in the outer SELECT: ' +
            `WITH chosen AS MATERIALIZED (SELECT … ORDER BY … LIMIT …) SELECT ${misplaced.action}(…) FROM chosen;`,
        );
      }
      return statements.markChecked(statement);
    } as typeof db.prepare;
  }

  /** Counts the statement's execution (run, get, all, and an iterator's steps) as checked. */
  private markChecked<S extends Database.Statement>(statement: S): S {
    const during = <T>(work: () => T): T => {
      this.checkedRunning++;
      try {
        return work();
      } finally {
        this.checkedRunning--;
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
