import { atEndOfTurn } from '../end-of-turn.js';
import { GhsqlError, type GhsqlErrorCode } from '../errors.js';
import type { ReadBatch } from '../rpc/protocol.js';
import type { Row } from '../table/wire.js';
import type { CoveringList, KeyedPlan } from './routing.js';

/** Rows kept in all: any one list GitHub can return (it lists at most 10,000 packages of a type). */
const MAX_MEMO_ROWS = 10_000;
/**
 * After this many gets answerable by one list in one statement, read the list instead: a join of
 * 200 names of two types costs 5 gets of each and their lists' pages, where the cheapest plan (the
 * lists alone) cannot know it is cheapest before it has seen how many names there are.
 */
const GETS_BEFORE_LISTING = 5;

/**
 * Failures of a list that its gets may not share: the list is the memo's idea, the gets are what the
 * statement asked for, so these fall back to them (the workflow token may get a package it names but
 * not list its type: 403). A stop, a deadline, a rate limit or a network failure would fail the gets too.
 */
const GETS_MAY_ANSWER: ReadonlySet<GhsqlErrorCode> = new Set<GhsqlErrorCode>(['FORBIDDEN', 'NOT_FOUND', 'LIST_LIMIT', 'LIST_CHANGED', 'BAD_RESPONSE', 'HTTP', 'REDIRECT']);

/**
 * Whether a list holds more than `room` rows, as its first batch already shows: it says how many
 * pages there are, and every page but the last is full.
 */
const longerThan = ({ rows, pages }: ReadBatch<Row>, room: number) => pages !== undefined && (pages - 1) * rows.length >= room;

/** The list holds more rows than the memo keeps: answer the gets one by one instead. */
class TooBigToIndex extends Error {}
type Load = (planned: KeyedPlan) => Iterable<ReadBatch<Row>>;

/**
 * SQLite runs a virtual table once per value of an `IN (...)` list or per row of a join. Within one
 * synchronous run of statements (until the event loop next turns) the memo:
 * - answers a repeated request from its completed result, so each distinct request is made once;
 * - answers a join's many gets of one type from a single list of that type, once more than
 *   GETS_BEFORE_LISTING of them were asked (a 200-name join costs 5 gets and a few pages, not 200
 *   gets). A name the list lacks falls back to the get, unless the list holds every answer the get
 *   can give (Method.holdsEveryGetAnswer: then it has no row); so does every name when GitHub
 *   refuses the list (GETS_MAY_ANSWER), or when it is longer than the memo keeps.
 * Actions clear it, so reads after a delete see the change.
 */
export class StatementMemo {
  private readonly results = new Map<string, Row[]>();
  private readonly getsByList = new Map<string, number>();
  /** Per covering list: rows by the text of their key value; null when listing failed or was too big. */
  private readonly listIndexes = new Map<string, Map<string, Row[]> | null>();
  private size = 0;
  /** Bumped by clear(): a result loaded across a clear (an action ran meanwhile) is not kept. */
  private generation = 0;

  /** Whether this plan would be answered without a request: a repeat, or a get its list already answers. */
  answers(planned: KeyedPlan, covering?: CoveringList): boolean {
    if (this.results.has(planned.key)) return true;
    if (!covering) return false;
    const index = this.listIndexes.get(covering.key);
    return !!index && (index.has(covering.value) || covering.plan.method.holdsEveryGetAnswer === true);
  }

  /** The plan's rows, in batches (a page each when they come from GitHub). */
  *batches(planned: KeyedPlan, load: Load, covering?: CoveringList): Generator<Row[]> {
    const { key } = planned;
    const remembered = this.results.get(key);
    if (remembered) {
      yield remembered;
      return;
    }
    // A name the list does not have may still exist (the list only shows active versions): the get
    // decides, unless the list holds every answer the get can give.
    if (covering) {
      const index = this.listIndex(covering, load);
      const matches = index?.get(covering.value);
      if (matches) {
        yield matches;
        return;
      }
      if (index && covering.plan.method.holdsEveryGetAnswer) return;
    }
    const limit = MAX_MEMO_ROWS - this.size;
    const generation = this.generation;
    let collected: Row[] | undefined = [];
    for (const read of load(planned)) {
      const batch = read.rows;
      // Too big to keep, as soon as that is known: a repeat is fetched again, not truncated, and a
      // long list's rows stream through instead of being held until the memo gives up on them.
      if (collected && collected.length + batch.length <= limit && !longerThan(read, limit)) collected.push(...batch);
      else collected = undefined;
      yield batch;
    }
    if (collected && generation === this.generation) this.remember(key, collected);
  }

  clear(): void {
    this.generation++;
    this.results.clear();
    this.getsByList.clear();
    this.listIndexes.clear();
    this.size = 0;
  }

  private listIndex(covering: CoveringList, load: Load): Map<string, Row[]> | undefined {
    const { key } = covering;
    const known = this.listIndexes.get(key);
    if (known !== undefined) return known ?? undefined;
    const gets = (this.getsByList.get(key) ?? 0) + 1;
    this.getsByList.set(key, gets);
    this.scheduleClear();
    if (gets <= GETS_BEFORE_LISTING) return undefined;
    const index = new Map<string, Row[]>();
    const generation = this.generation;
    let rows = 0;
    try {
      for (const read of load(covering)) {
        const batch = read.rows;
        if (longerThan(read, MAX_MEMO_ROWS - this.size)) throw new TooBigToIndex();
        rows += batch.length;
        if (rows + this.size > MAX_MEMO_ROWS) throw new TooBigToIndex();
        for (const row of batch) {
          // Text, as the get's bound value is: an INTEGER key arrives as a BigInt.
          const value = String(row[covering.column]);
          const existing = index.get(value);
          if (existing) existing.push(row);
          else index.set(value, [row]);
        }
      }
    } catch (error) {
      if (!(error instanceof TooBigToIndex || (error instanceof GhsqlError && GETS_MAY_ANSWER.has(error.code)))) throw error;
      this.listIndexes.set(key, null);
      return undefined;
    }
    if (generation !== this.generation) return index; // answer this get from it, keep nothing
    this.size += rows;
    this.listIndexes.set(key, index);
    return index;
  }

  private remember(key: string, rows: Row[]): void {
    this.results.set(key, rows);
    this.size += rows.length;
    this.scheduleClear();
  }

  private readonly scheduleClear = atEndOfTurn(() => this.clear());
}
