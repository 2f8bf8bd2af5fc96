import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { misplacedAction, type Instruction } from '../../dist/sql/action-placement.js';

// The rule is proved against SQLite itself: a recording function stands in for an action, and for
// every statement the rule accepts, the calls SQLite made are exactly the rows it returned, in order.

const ACTIONS = new Set(['act']);

function database() {
  const db = new Database(':memory:');
  const calls: number[] = [];
  db.function('act', { directOnly: true, varargs: true, deterministic: false }, (id: unknown) => {
    calls.push(Number(id));
    return `done:${String(id)}`;
  });
  db.exec(`CREATE TABLE t(id INTEGER PRIMARY KEY, grp INTEGER, created INTEGER, name TEXT);
    CREATE TABLE u(id INTEGER PRIMARY KEY, t_id INTEGER, keep INTEGER);`);
  const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?)');
  for (let id = 1; id <= 12; id++) insert.run(id, id % 3, (id * 7) % 12, `n${id % 4}`);
  const link = db.prepare('INSERT INTO u VALUES (?, ?, ?)');
  for (let id = 1; id <= 8; id++) link.run(id, (id * 5) % 12 + 1, id % 2);
  return { db, calls };
}

function verdict(db: Database.Database, sql: string) {
  return misplacedAction(db.prepare(`EXPLAIN ${sql}`).all() as Instruction[], ACTIONS);
}

describe('where a statement calls an action (EXPLAIN)', () => {
  const refused = [
    ['ORDER BY … LIMIT around the call ("delete the 2 oldest")', 'SELECT act(id) FROM t ORDER BY created LIMIT 2'],
    ['ORDER BY alone (the calls would run in another order than the rows)', 'SELECT act(id) FROM t ORDER BY created'],
    ['ORDER BY … LIMIT … OFFSET', 'SELECT act(id) FROM t ORDER BY created LIMIT 2 OFFSET 3'],
    ['DISTINCT', 'SELECT DISTINCT act(id) FROM t'],
    ['DISTINCT over another column', 'SELECT DISTINCT grp, act(id) FROM t'],
    ['UNION', 'SELECT act(id) FROM t UNION SELECT name FROM t'],
    ['the call in WHERE', "SELECT id FROM t WHERE act(id) = 'done:1'"],
    ['a subquery in FROM, ordered outside', 'SELECT r FROM (SELECT act(id) AS r, created FROM t) ORDER BY created LIMIT 2'],
    ['INSERT … SELECT', 'INSERT INTO u(t_id) SELECT act(id) FROM t'],
    ['a scalar subquery', 'SELECT (SELECT act(t.id)) FROM t'],
    ['GROUP BY on the call', 'SELECT act(id), count(*) FROM t GROUP BY 1'],
  ];
  it.each(refused)('refuses %s', (_, sql) => {
    const { db, calls } = database();
    expect(verdict(db, sql)).toMatchObject({ action: 'act' });
    expect(calls).toEqual([]); // EXPLAIN calls nothing
  });

  const allowed = [
    ['a plain SELECT', 'SELECT act(id) FROM t'],
    ['LIMIT without ORDER BY', 'SELECT act(id) FROM t LIMIT 2'],
    ['LIMIT and OFFSET without ORDER BY', 'SELECT act(id) FROM t LIMIT 2 OFFSET 3'],
    ['WHERE on other columns', 'SELECT act(id) FROM t WHERE grp = 1 AND created > 3'],
    ['the chosen rows in a MATERIALIZED CTE', 'WITH chosen AS MATERIALIZED (SELECT id FROM t ORDER BY created LIMIT 2) SELECT act(id) FROM chosen'],
    ['a join', 'SELECT act(t.id) FROM t JOIN u ON u.t_id = t.id WHERE u.keep = 0'],
    ['CASE around the call', "SELECT CASE WHEN grp = 1 THEN act(id) ELSE 'kept' END FROM t"],
    ['an aggregate over the calls', 'SELECT count(act(id)) FROM t'],
    ['UNION ALL', 'SELECT act(id) FROM t UNION ALL SELECT name FROM t'],
    ['a window beside the call', 'SELECT act(id), row_number() OVER (ORDER BY created) FROM t'],
    ['UPDATE of a table of the user', 'UPDATE t SET name = act(id) WHERE grp = 2'],
  ];
  it.each(allowed)('allows %s', (_, sql) => {
    const { db } = database();
    expect(verdict(db, sql)).toBeUndefined();
  });

  // Statement shapes around one call; the property: accepted ⇒ SQLite called the action exactly for
  // the returned rows, in their order.
  const statement = fc
    .record({
      distinct: fc.boolean(),
      where: fc.constantFrom('', 'WHERE grp = 1', 'WHERE created > 4', "WHERE act(id) <> 'x'", 'WHERE id IN (SELECT t_id FROM u WHERE keep = 1)'),
      column: fc.constantFrom('act(id)', "CASE WHEN grp = 0 THEN act(id) END", "coalesce(act(id), '')", 'act(id) || name'),
      extra: fc.constantFrom('', ', name', ', row_number() OVER (ORDER BY created)'),
      order: fc.constantFrom('', 'ORDER BY created', 'ORDER BY created DESC', 'ORDER BY name, id'),
      limit: fc.constantFrom('', 'LIMIT 3', 'LIMIT 3 OFFSET 2', 'LIMIT 0'),
      wrap: fc.constantFrom('plain', 'cte', 'subquery', 'materialized'),
    })
    .map(({ distinct, where, column, extra, order, limit, wrap }) => {
      const inner = `SELECT ${distinct ? 'DISTINCT ' : ''}${column} AS r${extra} FROM t ${where} ${order} ${limit}`;
      if (wrap === 'plain') return inner;
      if (wrap === 'subquery') return `SELECT r FROM (${inner}) ${limit ? '' : 'LIMIT 5'}`;
      // The call outside, over chosen rows.
      const chosen = `SELECT id, grp, name, created FROM t ${where.replace("act(id) <> 'x'", 'grp >= 0')} ${order} ${limit}`;
      return `WITH chosen AS ${wrap === 'materialized' ? 'MATERIALIZED ' : ''}(${chosen}) SELECT ${distinct ? 'DISTINCT ' : ''}${column} AS r${extra} FROM chosen`;
    });

  it('accepts a statement only when the calls are the returned rows, in order (fast-check against SQLite)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(statement, (sql) => {
        const { db, calls } = database();
        if (verdict(db, sql) !== undefined) return;
        accepted++;
        const rows = db.prepare(sql).all() as Array<{ r: string | null }>;
        const returned = rows.flatMap(({ r }) => (typeof r === 'string' && r.startsWith('done:') ? [Number(r.slice(5).replace(/n\d$/, ''))] : []));
        expect(calls).toEqual(returned);
      }),
      { numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(20); // the rule is not "refuse everything"
  });
});
