import type { DefinedTable } from '../table/define.js';
import type { Row } from '../table/wire.js';
import { routeQuery, type RoutedQuery } from './routing.js';

/** Where a running table call is: the batch it is yielding from, and the row SQLite has now. */
export interface Cursor {
  batch: Row[];
  index: number;
}

/**
 * SQLite runs the inner table of a join once per outer row, one at a time, so a join of 40 packages
 * with their versions would wait for 40 lists in a row. When the outer rows are ghsql's own, the
 * next outer rows are known: this predicts the inner calls they will make, so the worker can start
 * them early (SyncBridge.prefetch).
 *
 * An inner call's bound values are matched to the columns of the open call whose current row holds
 * them all (`v.package_name = p.name` binds p's current name); the same columns of the rows that
 * follow in its batch give the next calls. A wrong guess costs a request, never a row: a prefetched
 * stream is only used by a call with exactly its plan.
 */
export class OuterRowReadAhead {
  private readonly open = new Set<Cursor>();

  /** `rowsAhead` calls are started, each with up to `pagesEach` pages loaded before it is claimed. */
  constructor(
    private readonly rowsAhead: number,
    readonly pagesEach: number,
  ) {}

  track(cursor: Cursor): () => void {
    this.open.add(cursor);
    return () => this.open.delete(cursor);
  }

  /** The plans of the next `rowsAhead` inner calls, after a call with these values has read all its rows. */
  predict(table: DefinedTable, values: readonly unknown[], self: Cursor): RoutedQuery[] {
    const bound = values.flatMap((value, index) => (value === undefined ? [] : [{ index, text: String(value) }]));
    if (bound.length === 0) return [];
    // The most recently opened outer call first: the innermost loop of the join that is still open.
    for (const outer of [...this.open].reverse()) {
      if (outer === self) continue;
      const current = outer.batch[outer.index];
      if (!current) continue;
      const sources = bound.map(({ text }) => current.findIndex((cell) => cell !== null && String(cell) === text));
      if (sources.includes(-1)) continue;
      const plans: RoutedQuery[] = [];
      for (const row of outer.batch.slice(outer.index + 1, outer.index + 1 + this.rowsAhead)) {
        const next = [...values];
        bound.forEach(({ index }, position) => {
          next[index] = row[sources[position]!];
        });
        try {
          const routed = routeQuery(table, next);
          if (routed.planned) plans.push(routed);
        } catch {
          // a guess the table would refuse is no guess
        }
      }
      return plans;
    }
    return [];
  }
}
