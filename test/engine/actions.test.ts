import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActionRecord } from '../../dist/index.js';
import { generatedPackages, type StoredPackage } from '../../dist/stand-in/packages-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { nextTurn, openSession, type Session } from '../support/ghsql.js';

const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 19) + 'Z';

function packages(): StoredPackage[] {
  const base = generatedPackages(10, 'container', 1).map((stored, index): StoredPackage => ({
    ...stored,
    name: `bulk-${index + 1}`,
    version_count: 60 + index,
    visibility: 'private',
    downloads: 10,
  }));
  // The 6th cannot be deleted: public and downloaded more than 5,000 times.
  base[5] = { ...base[5]!, visibility: 'public', downloads: 9_000 };
  return [
    ...base,
    { ...generatedPackages(1, 'npm', 100)[0]!, name: 'deleted-yesterday', deleted_at: daysAgo(1) },
    { ...generatedPackages(1, 'npm', 101)[0]!, name: 'deleted-long-ago', deleted_at: daysAgo(40) },
    { ...generatedPackages(1, 'npm', 102)[0]!, name: 'reused', deleted_at: daysAgo(3) },
    { ...generatedPackages(1, 'npm', 103)[0]!, name: 'reused' },
    { ...generatedPackages(1, 'npm', 104)[0]!, name: 'small-one', version_count: 3 },
  ];
}

describe('delete and restore actions', () => {
  let standIn: StandIn;
  let sessions: Session[] = [];
  const open = (options: Parameters<typeof openSession>[1] = {}) => {
    const session = openSession(standIn, { writeIntervalMs: 0, ...options });
    sessions.push(session);
    return session;
  };
  const actions = (session: Session) => session.db.prepare("SELECT action, json_extract(target, '$.package_type') AS package_type, json_extract(target, '$.package_name') AS package_name, outcome FROM ghsql_actions").all();

  beforeEach(async () => {
    standIn = await startStandIn({ packages: packages() });
  });
  afterEach(async () => {
    await Promise.all(sessions.map((session) => session.close()));
    sessions = [];
    await standIn.close();
  });

  it('are refused unless writes are enabled, saying how, with no request', async () => {
    const session = open();
    expect(() => session.db.prepare("SELECT delete_package_for_authenticated_user('npm', 'small-one')").get()).toThrow(
      /off by default; enable it with register\(db, \{ allowWrites: true \}\), or preview with register\(db, \{ dryRun: true \}\)\./,
    );
    expect(await standIn.requests()).toEqual([]);
  });

  it('delete a package: it leaves the list and its get is empty', async () => {
    const session = open({ allowWrites: true });
    expect(session.db.prepare("SELECT delete_package_for_authenticated_user('npm', 'small-one') AS outcome").get()).toEqual({ outcome: 'deleted' });
    await nextTurn();
    expect(session.db.prepare("SELECT * FROM auth_user_packages WHERE package_type = 'npm' AND package_name = 'small-one'").all()).toEqual([]);
    expect(session.db.prepare("SELECT name FROM auth_user_packages WHERE package_type = 'npm' AND name = 'small-one'").all()).toEqual([]);
    const deletes = (await standIn.requests()).filter((entry) => entry.method === 'DELETE');
    expect(deletes.map((entry) => [entry.path, entry.status])).toEqual([['/user/packages/npm/small-one', 204]]);
  });

  it('reads after a delete in the same synchronous run see the change', () => {
    const session = open({ allowWrites: true });
    const count = session.db.prepare("SELECT count(*) AS n FROM auth_user_packages WHERE package_type = 'npm'");
    const before = (count.get() as { n: number }).n;
    session.db.prepare("SELECT delete_package_for_authenticated_user('npm', 'small-one')").get();
    expect((count.get() as { n: number }).n).toBe(before - 1);
  });

  it('restore a package deleted yesterday, passing the token parameter through', async () => {
    const session = open({ allowWrites: true });
    expect(session.db.prepare("SELECT restore_package_for_authenticated_user('npm', 'deleted-yesterday', 'pkg-token') AS outcome").get()).toEqual({
      outcome: 'restored',
    });
    await nextTurn();
    expect(session.db.prepare("SELECT name FROM auth_user_packages WHERE package_type = 'npm' AND package_name = 'deleted-yesterday'").all()).toHaveLength(1);
    const restore = (await standIn.requests()).find((entry) => entry.method === 'POST')!;
    expect(restore.path).toBe('/user/packages/npm/deleted-yesterday/restore');
    expect(restore.query).toEqual({ token: 'pkg-token' });
  });

  it.each([
    ["restore_package_for_authenticated_user('npm', 'deleted-long-ago')", /npm\/deleted-long-ago: .*more than 30 days ago/],
    ["restore_package_for_authenticated_user('npm', 'reused')", /npm\/reused: .*namespace has been reused/],
    ["restore_package_for_authenticated_user('npm', 'never-existed')", /npm\/never-existed: it does not exist, or it is not yours/],
    ["delete_package_for_authenticated_user('npm', 'never-existed')", /delete_package_for_authenticated_user: npm\/never-existed: it does not exist, or it is not yours/],
    ["delete_package_for_authenticated_user('container', 'bulk-6')", /container\/bulk-6: .*downloaded more than 5,000 times/],
  ])('turn GitHub refusals into errors naming the package: %s', (call, message) => {
    const session = open({ allowWrites: true });
    expect(() => session.db.prepare(`SELECT ${call}`).get()).toThrow(message);
  });

  it.each([
    ["delete_package_for_authenticated_user('npm')", /takes 2 arguments, not 1/],
    ["delete_package_for_authenticated_user('npm', 'a', 'b')", /takes 2 arguments, not 3/],
    ["restore_package_for_authenticated_user('npm', 'a', 'b', 'c')", /takes 2 to 3 arguments, not 4/],
    ["delete_package_for_authenticated_user('npm', NULL)", /package_name is NULL/],
    ["delete_package_for_authenticated_user('', 'a')", /package_type is empty/],
    ["delete_package_for_authenticated_user('pypi', 'a')", /package_type "pypi" is not valid; use one of npm, maven, rubygems, docker, nuget, container/],
  ])('refuse bad input before any request: %s', async (call, message) => {
    const session = open({ allowWrites: true });
    expect(() => session.db.prepare(`SELECT ${call}`).get()).toThrow(message);
    expect(await standIn.requests()).toEqual([]);
  });

  it('name the missing scope when the token lacks delete:packages', async () => {
    await standIn.close();
    standIn = await startStandIn({ packages: packages(), tokens: { 'read-only-token': { scopes: ['read:packages'] } } });
    const session = open({ allowWrites: true });
    expect(() => session.db.prepare("SELECT delete_package_for_authenticated_user('npm', 'small-one')").get()).toThrow(
      /the token lacks the delete:packages scope/,
    );
  });

  it('cannot be hidden in a view or trigger', () => {
    const session = open({ allowWrites: true });
    session.db.exec("CREATE VIEW sneaky AS SELECT delete_package_for_authenticated_user('npm', 'small-one')");
    expect(() => session.db.prepare('SELECT * FROM sneaky').all()).toThrow(/unsafe use of delete_package_for_authenticated_user/);
    session.db.exec(`CREATE TABLE audit(name TEXT);
      CREATE TRIGGER cleanup AFTER INSERT ON audit BEGIN SELECT delete_package_for_authenticated_user('npm', NEW.name); END`);
    expect(() => session.db.prepare("INSERT INTO audit VALUES ('small-one')").run()).toThrow(/unsafe use of delete_package_for_authenticated_user/);
  });

  it('cannot be hidden in a TEMP view or TEMP trigger, or run by db.exec', async () => {
    const session = open({ allowWrites: true });
    session.db.exec("CREATE TEMP VIEW sneaky AS SELECT delete_package_for_authenticated_user('npm', 'small-one') AS outcome");
    expect(() => session.db.prepare('SELECT * FROM sneaky').all()).toThrow(/from a TEMP view or TEMP trigger/);
    session.db.exec(`CREATE TEMP TABLE audit(name TEXT);
      CREATE TEMP TRIGGER cleanup AFTER INSERT ON audit BEGIN SELECT delete_package_for_authenticated_user('npm', NEW.name); END`);
    expect(() => session.db.prepare("INSERT INTO audit VALUES ('small-one')").run()).toThrow(/from a TEMP view or TEMP trigger/);
    expect(() => session.db.exec("SELECT delete_package_for_authenticated_user('npm', 'small-one')")).toThrow(/or from db\.exec/);
    expect((await standIn.requests()).filter((entry) => entry.method === 'DELETE')).toEqual([]);
  });

  it('dry-run checks arguments and reports, with no request', async () => {
    const session = open({ allowWrites: true, dryRun: true });
    const rows = session.db
      .prepare(
        "WITH chosen AS MATERIALIZED (SELECT package_type, name FROM auth_user_packages WHERE package_type = 'container' AND version_count > 64 ORDER BY name) SELECT name, delete_package_for_authenticated_user(package_type, name) AS outcome FROM chosen",
      )
      .all();
    expect(rows).toEqual(['bulk-10', 'bulk-6', 'bulk-7', 'bulk-8', 'bulk-9'].map((name) => ({ name, outcome: 'would delete' })));
    expect((await standIn.requests()).filter((entry) => entry.method !== 'GET')).toEqual([]);
    expect(actions(session)).toHaveLength(5);
  });

  it('bulk delete across several pages deletes every match, and a read right after sees none', async () => {
    await standIn.close();
    standIn = await startStandIn({ packages: generatedPackages(250, 'container', 1).map((stored) => ({ ...stored, downloads: 0 })) });
    const session = open({ allowWrites: true });
    const privateCount = "SELECT count(*) AS n FROM auth_user_packages WHERE package_type = 'container' AND visibility = 'private'";
    const before = (session.db.prepare(privateCount).get() as { n: number }).n;
    expect(before).toBeGreaterThan(100); // more than one page of matches
    await nextTurn();
    const deleted = session.db
      .prepare("SELECT delete_package_for_authenticated_user(package_type, name) AS outcome FROM auth_user_packages WHERE package_type = 'container' AND visibility = 'private'")
      .all();
    expect(deleted).toHaveLength(before);
    // Same synchronous run: the list read by the delete statement must not be reused.
    expect(session.db.prepare(privateCount).get()).toEqual({ n: 0 });
    expect((await standIn.requests()).filter((entry) => entry.method === 'DELETE' && entry.status === 204)).toHaveLength(before);
  });

  it('bulk delete stops at the first refusal: five deleted and recorded, the rest untouched', async () => {
    const seen: ActionRecord[] = [];
    const session = open({ allowWrites: true, writeIntervalMs: 1_000, onAction: (record) => seen.push(record) });
    expect(() =>
      session.db
        .prepare(
          "WITH chosen AS MATERIALIZED (SELECT package_type, name FROM auth_user_packages WHERE package_type = 'container' AND version_count > 50 ORDER BY id) SELECT name, delete_package_for_authenticated_user(package_type, name) FROM chosen",
        )
        .all(),
    ).toThrow(/container\/bulk-6: .*5,000/);
    expect(actions(session)).toEqual([
      ...[1, 2, 3, 4, 5].map((n) => ({ action: 'delete_package_for_authenticated_user', package_type: 'container', package_name: `bulk-${n}`, outcome: 'deleted' })),
      { action: 'delete_package_for_authenticated_user', package_type: 'container', package_name: 'bulk-6', outcome: expect.stringMatching(/^failed: .*5,000/) },
    ]);
    expect(seen).toHaveLength(6);
    const deletes = (await standIn.requests()).filter((entry) => entry.method === 'DELETE');
    expect(deletes.map((entry) => entry.path)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `/user/packages/container/bulk-${n}`));
    // Spaced at least a second apart, as GitHub asks (times are taken when each call returns).
    const times = seen.map((record) => Date.parse(record.time));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(800);
    await nextTurn();
    const left = session.db.prepare("SELECT name FROM auth_user_packages WHERE package_type = 'container' ORDER BY id").all();
    expect(left.map((row) => (row as { name: string }).name)).toEqual(['bulk-6', 'bulk-7', 'bulk-8', 'bulk-9', 'bulk-10']);
  }, 30_000);
});
