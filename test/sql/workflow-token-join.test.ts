import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { nextTurn, openSession, type Session } from '../support/ghsql.js';

// The workflow token (ghs_) cannot list packages (GitHub answers 403), so it must name them. A
// statement naming more than 5 packages of one type makes the statement memo read the type's list
// instead of more gets (GETS_BEFORE_LISTING): the list's 403 must fall back to the gets, not fail
// the statement with advice to do what it did ("name them (package_name IN (…))").
const WORKFLOW = 'ghs_workflow-token-of-the-review';
const NAMES = ['data/etl-runner', 'data/notebook-base', 'web/storefront', 'web/admin-console', 'ci/runner-image', 'ci/lint-tools'];
let standIn: StandIn;
let session: Session;

beforeAll(async () => {
  standIn = await startStandIn({
    tokens: { [WORKFLOW]: { scopes: [], packageRoles: Object.fromEntries(NAMES.map((name) => [`acme-corp/container/${name}`, 'read'])) } },
  });
  session = openSession(standIn, { token: WORKFLOW });
});
afterAll(async () => {
  await session.close();
  await standIn.close();
});

it('the workflow token reads 5 named packages, and 6', async () => {
  const read = (names: string[]) =>
    session.db
      .prepare(`SELECT name FROM org_packages WHERE org = 'acme-corp' AND package_type = 'container' AND package_name IN (${names.map(() => '?').join(', ')}) ORDER BY name`)
      .all(...names)
      .map((row) => (row as { name: string }).name);
  expect(read(NAMES.slice(0, 5))).toEqual([...NAMES.slice(0, 5)].sort());
  await nextTurn(); // a new run of statements: the memo starts afresh
  expect(read(NAMES)).toEqual([...NAMES].sort());
});
