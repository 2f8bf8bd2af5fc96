import type { QueryPlan } from './routing.js';

const MAX_MEMO_ROWS = 50_000;

/**
 * SQLite runs a virtual table once per value of an `IN (...)` list or per row of a join, so a join
 * with ten rows naming the same package would ask GitHub ten times. The memo keeps each completed
 * result until the current synchronous run of statements ends (the next turn of the event loop), so
 * every distinct request is made once per statement. Actions clear it: reads after a delete see it.
 */
export class StatementMemo {
  private readonly results = new Map<string, unknown[][]>();
  private size = 0;
  private clearScheduled = false;

  *rows(plan: QueryPlan, load: () => Iterable<unknown[][]>): Generator<unknown[]> {
    const key = JSON.stringify(plan);
    const remembered = this.results.get(key);
    if (remembered) {
      yield* remembered;
      return;
    }
    let collected: unknown[][] | undefined = [];
    for (const batch of load()) {
      if (collected && collected.length + batch.length + this.size <= MAX_MEMO_ROWS) collected.push(...batch);
      else collected = undefined; // too big to keep: a repeat is fetched again, not truncated
      yield* batch;
    }
    if (collected) this.remember(key, collected);
  }

  clear(): void {
    this.results.clear();
    this.size = 0;
  }

  private remember(key: string, rows: unknown[][]): void {
    this.results.set(key, rows);
    this.size += rows.length;
    if (this.clearScheduled) return;
    this.clearScheduled = true;
    setImmediate(() => {
      this.clearScheduled = false;
      this.clear();
    }).unref();
  }
}
