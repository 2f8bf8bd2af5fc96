import { describe, expect, it } from 'vitest';
import { StatementMemo } from '../../dist/sql/statement-memo.js';
import type { CoveringList, KeyedPlan } from '../../dist/sql/routing.js';
import type { Method } from '../../dist/table/types.js';
import type { Row } from '../../dist/table/wire.js';

// The memo answers a join's many gets of one type from that type's list: after 5 gets it reads the
// list, and a name the list lacks gets its own get unless the list holds every answer a get can give.
// Here with plain plans and a load that records what it was asked, so each request is counted.

const LISTED = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const get: Method = { operationId: 'shelves/get', route: 'GET /things/{name}' };

function setUp(holdsEveryGetAnswer: boolean) {
  const list: Method = { operationId: 'shelves/list', route: 'GET /things', paginated: {}, ...(holdsEveryGetAnswer ? { holdsEveryGetAnswer: true as const } : {}) };
  const asked: string[] = [];
  const load = (planned: KeyedPlan): Iterable<Row[]> => {
    asked.push(planned.key);
    if (planned.key === 'list') return [LISTED.slice(0, 4).map((name) => [name]), LISTED.slice(4).map((name) => [name])];
    const name = planned.key.slice('get '.length);
    return LISTED.includes(name) ? [[[name]]] : [];
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
