// ghsql_rate_limit: GitHub's GET /rate_limit as rows, one per budget; reading it costs nothing and
// is never answered from the cache, so a cleanup sees what it has left now.

import { describe, expect, it } from 'vitest';
import { nextTurn, openSession, useStandInSession } from '../support/ghsql.js';

const context = useStandInSession({ rateLimit: { limit: 100, remaining: 40, resetSeconds: 600 } });
const core = () => context.sql("SELECT quota, used, remaining, resets_at FROM ghsql_rate_limit WHERE resource = 'core'")[0];

describe('ghsql_rate_limit', () => {
  it("shows the core budget as GitHub keeps it, and GitHub's other budgets", () => {
    const before = Date.now();
    const row = core()!;
    expect(row).toMatchObject({ quota: 100, used: 60, remaining: 40 });
    const resetsAt = Date.parse(String(row.resets_at));
    expect(resetsAt).toBeGreaterThan(before + 590_000);
    expect(resetsAt).toBeLessThan(Date.now() + 601_000);
    expect(context.sql('SELECT resource FROM ghsql_rate_limit ORDER BY resource').map((r) => r.resource)).toEqual(['code_search', 'core', 'graphql', 'search']);
  });

  it('costs nothing, and is read afresh even with a cache that would answer other GETs', async () => {
    const { standIn } = context;
    const cached = openSession(standIn, { cache: true });
    try {
      const read = () => (cached.db.prepare("SELECT remaining FROM ghsql_rate_limit WHERE resource = 'core'").get() as { remaining: number }).remaining;
      const first = read();
      await nextTurn();
      expect(read()).toBe(first); // reading the budget spent none of it
      cached.db.prepare("SELECT count(*) FROM auth_user_packages WHERE package_type = 'npm'").all();
      await nextTurn();
      expect(read()).toBe(first - 1); // one list request since, seen at once
    } finally {
      await cached.close();
    }
  });

  it('answers when the budget is spent, saying when it refills', async () => {
    await context.standIn.configure({ rateLimit: { limit: 100, remaining: 0, resetSeconds: 600 } });
    expect(core()).toMatchObject({ quota: 100, used: 100, remaining: 0 });
  });
});
