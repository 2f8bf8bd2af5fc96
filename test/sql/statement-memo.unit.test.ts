import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { GhsqlError } from '../../dist/errors.js';
import { StatementMemo } from '../../dist/sql/statement-memo.js';
import type { CoveringList, KeyedPlan } from '../../dist/sql/routing.js';
import type { Method } from '../../dist/table/types.js';
import type { ReadBatch } from '../../dist/rpc/protocol.js';
import type { Row } from '../../dist/table/wire.js';

// The memo answers a join's many gets of one type from that type's list: after 5 gets it reads the
// list, and a name the list lacks gets its own get unless the list holds every answer a get can give.
// Here with plain plans and a load that records what it was asked, so each request is counted.

const LISTED = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const get: Method = { operationId: 'shelves/get', route: 'GET /things/{name}' };

function setUp(holdsEveryGetAnswer: boolean, listing: () => Iterable<ReadBatch<Row>> = () => [{ rows: LISTED.slice(0, 4).map((name) => [name]), pages: 2 }, { rows: LISTED.slice(4).map((name) => [name]) }]) {
  const list: Method = { operationId: 'shelves/list', route: 'GET /things', paginated: {}, ...(holdsEveryGetAnswer ? { holdsEveryGetAnswer: true as const } : {}) };
  const asked: string[] = [];
  const load = (planned: KeyedPlan): Iterable<ReadBatch<Row>> => {
    asked.push(planned.key);
    if (planned.key === 'list') return listing();
    const name = planned.key.slice('get '.length);
    return LISTED.includes(name) ? [{ rows: [[name]] }] : [];
  };
  const plans = (name: string): [KeyedPlan, CoveringList] => [
    { key: `get ${name}`, plan: { table: 'things', method: get, params: { name }, rowShape: 'shape' } },
    { key: 'list', plan: { table: 'things', method: list, params: {}, rowShape: 'shape' }, column: 0, value: name },
  ];
  const memo = new StatementMemo();
  const rows = (name: string) => [...memo.batches(...withLoad(plans(name)))].flat();
  const withLoad = ([planned, covering]: [KeyedPlan, CoveringList]) => [planned, load, covering] as const;
  return { memo, asked, rows, answers: (name: string) => memo.answers(...plans(name)) };
}

describe('the statement memo, answering gets from a list', () => {
  it('reads the list after 5 gets, and asks no get for a name a list that holds every answer lacks', () => {
    const { asked, rows, answers } = setUp(true);
    for (const name of ['a', 'b', 'c', 'd', 'e']) expect(rows(name)).toEqual([[name]]);
    expect(asked).toEqual(['get a', 'get b', 'get c', 'get d', 'get e']);
    expect(rows('f')).toEqual([['f']]);
    expect(rows('missing')).toEqual([]);
    expect(rows('g')).toEqual([['g']]);
    expect(asked.slice(5)).toEqual(['list']);
    // Read-ahead asks first: neither a listed name nor a missing one would cost a request.
    expect(answers('missing-too')).toBe(true);
    expect(answers('a')).toBe(true);
  });

  it('asks the get for a name the list lacks when the list may not hold every answer', () => {
    const { asked, rows, answers } = setUp(false);
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) rows(name);
    expect(rows('missing')).toEqual([]);
    expect(asked.slice(5)).toEqual(['list', 'get missing']);
    expect(answers('f')).toBe(true);
    expect(answers('missing-too')).toBe(false);
  });
});

// A scan of a long list must stream: its rows die young instead of being held by the memo until it
// gives up on them (it keeps 10,000 rows in all). The first batch of a list says how many pages it has.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const pageOf = (page: number) => Array.from({ length: 100 }, (_, index): Row => [`${page}-${index}`]);
const listPlan = (key: string): KeyedPlan => ({ key, plan: { table: 'things', method: { operationId: 'shelves/list', route: 'GET /things', paginated: {} }, params: {}, rowShape: 'shape' } });
function* pagesOfList(pages: number): Generator<ReadBatch<Row>> {
  for (let page = 0; page < pages; page++) yield page === 0 ? { rows: pageOf(page), pages } : { rows: pageOf(page) };
}

describe('the statement memo, when the list fails', () => {
  it('falls back to the gets when GitHub refuses the list (a workflow token may get a package it names, not list them)', () => {
    const { asked, rows } = setUp(true, () => {
      throw new GhsqlError('FORBIDDEN', 'GitHub refused the list (403)');
    });
    for (const name of LISTED) expect(rows(name)).toEqual([[name]]);
    expect(asked).toEqual(['get a', 'get b', 'get c', 'get d', 'get e', 'list', 'get f', 'get g']);
  });

  it('fails with the list when the gets would fail too (a stop, a deadline, a rate limit)', () => {
    const { rows } = setUp(true, () => {
      throw new GhsqlError('INTERRUPTED', 'stopped');
    });
    for (const name of LISTED.slice(0, 5)) rows(name);
    expect(() => rows('f')).toThrow('stopped');
  });
});

describe('the statement memo, reading a long list', () => {
  it('holds no row of a list whose first page says it is longer than the memo keeps', async () => {
    const memo = new StatementMemo();
    const batches = memo.batches(listPlan('long'), () => pagesOfList(120));
    const firstRow = new WeakRef(batches.next().value![0]!);
    for (let page = 1; page <= 50; page++) expect(batches.next().done).toBe(false);
    await new Promise((resolve) => setImmediate(resolve)); // a WeakRef holds its target until the job ends
    collectGarbage();
    expect(firstRow.deref()).toBeUndefined();
    expect([...batches].length).toBe(69);
    expect(memo.answers(listPlan('long'))).toBe(false); // a repeat is fetched again, never truncated
  });

  it('keeps a list that fits, so a repeat within the statement costs no request', () => {
    const memo = new StatementMemo();
    const rows = [...memo.batches(listPlan('short'), () => pagesOfList(100))].flat();
    expect(rows.length).toBe(10_000);
    expect(memo.answers(listPlan('short'))).toBe(true);
    const asked: string[] = [];
    const again = [...memo.batches(listPlan('short'), (planned) => (asked.push(planned.key), pagesOfList(100)))].flat();
    expect(again).toEqual(rows);
    expect(asked).toEqual([]);
  });

  it('answers gets one by one when their list says it is longer than the memo keeps, without reading past its first page', () => {
    const memo = new StatementMemo();
    const get: Method = { operationId: 'shelves/get', route: 'GET /things/{name}' };
    const covering = (name: string): CoveringList => ({ ...listPlan('list'), column: 0, value: name });
    const asked: string[] = [];
    let pagesRead = 0;
    function* countedPages(): Generator<ReadBatch<Row>> {
      for (const batch of pagesOfList(120)) {
        pagesRead++;
        yield batch;
      }
    }
    const load = (planned: KeyedPlan): Iterable<ReadBatch<Row>> => {
      asked.push(planned.key);
      return planned.key === 'list' ? countedPages() : [{ rows: [[planned.key]] }];
    };
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) {
      const rows = [...memo.batches({ key: name, plan: { table: 'things', method: get, params: { name }, rowShape: 'shape' } }, load, covering(name))].flat();
      expect(rows).toEqual([[name]]);
    }
    expect(pagesRead).toBe(1);
    expect(asked.filter((key) => key !== 'list')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });
});
