import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { nextTurn, openSession, type Session } from '../support/ghsql.js';

/** Hand-picked cases of "the rows are the ones SQL says"; the property test generates the rest. */
describe('SQL semantics on the demo data', () => {
  let standIn: StandIn;
  let session: Session;
  const sql = (text: string, ...params: unknown[]) => session.db.prepare(text).all(...params) as Array<Record<string, unknown>>;
  const names = (where: string) => sql(`SELECT name FROM auth_user_packages WHERE ${where} ORDER BY name`).map((row) => row['name']);

  beforeAll(async () => {
    standIn = await startStandIn();
    session = openSession(standIn);
  });
  afterAll(async () => {
    await session.close();
    await standIn.close();
  });
  beforeEach(nextTurn);

  it('OR between routed branches gives the union (rows were dropped as duplicates by rowid)', () => {
    const npm = names("package_type = 'npm' AND package_name IN ('design-system', 'icons')");
    const container = names("package_type = 'container' AND package_name IN ('acme/worker', 'ci-runner')");
    expect(npm).toHaveLength(2);
    expect(container).toHaveLength(2);
    const both = names(
      "(package_type = 'npm' AND package_name IN ('design-system', 'icons')) OR (package_type = 'container' AND package_name IN ('acme/worker', 'ci-runner'))",
    );
    expect(both).toEqual([...npm, ...container].sort());
  });

  it('OR of branches that filter other columns: the union when the type is given once, or an error that says how', () => {
    const npmPublic = names("package_type = 'npm' AND visibility = 'public'");
    const containerPrivate = names("package_type = 'container' AND visibility = 'private'");
    const union = [...npmPublic, ...containerPrivate].sort();
    expect(
      names("package_type IN ('npm', 'container') AND ((package_type = 'npm' AND visibility = 'public') OR (package_type = 'container' AND visibility = 'private'))"),
    ).toEqual(union);
    let rows: unknown[] | undefined;
    try {
      rows = names("(package_type = 'npm' AND visibility = 'public') OR (package_type = 'container' AND visibility = 'private')");
    } catch (error) {
      expect((error as Error).message).toMatch(/needs package_type in the WHERE clause.*Inside OR, SQLite may not pass it on: write package_type IN \(…\) AND \(…\), or a UNION/);
    }
    if (rows) expect(rows).toEqual(union);
  });

  it('NOT, subqueries and UNION over ghsql rows', () => {
    const all = names("package_type = 'npm'");
    expect(names("package_type = 'npm' AND NOT (visibility = 'public')")).toEqual(names("package_type = 'npm' AND visibility = 'private'"));
    expect(names("package_type = 'npm' AND name IN (SELECT name FROM auth_user_packages WHERE package_type = 'npm' AND version_count > 20)")).toEqual(
      names("package_type = 'npm' AND version_count > 20"),
    );
    const union = sql(
      "SELECT name FROM auth_user_packages WHERE package_type = 'npm' AND visibility = 'public' UNION SELECT name FROM auth_user_packages WHERE package_type = 'npm' AND visibility = 'private' ORDER BY 1",
    ).map((row) => row['name']);
    expect(union).toEqual(all);
  });

  it('a blob or NULL bound to package_type matches nothing, as in SQL', async () => {
    await standIn.clearRequests();
    expect(names("package_type = x'6e706d'")).toEqual([]);
    expect(names('package_type = NULL')).toEqual([]);
    expect(await standIn.requests()).toEqual([]);
  });

  it('a number bound to a text parameter is refused, saying why (SQL would compare by where the number came from)', () => {
    expect(() => names('package_type = 12')).toThrow(/package_type is text, compared here with the number 12, .* Compare it with text: package_type = '12'/);
  });
});
