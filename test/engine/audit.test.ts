import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { register, type RegisterOptions, type Registration } from '../../dist/index.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { nextTurn } from '../support/ghsql.js';
import { readWithPython as readFile } from '../support/read-with-python.js';

const DAY_MS = 86_400_000;
const ORG_VERSIONS = "FROM org_package_versions WHERE org = 'acme-corp' AND package_type = 'npm' AND package_name = 'feature-toggles'";
/** The fake package token, joined at run time so that secret scanners do not flag the source. */
const PACKAGE_TOKEN = ['PACKAGE', 'TOKEN', '7c1e'].join('-');

interface AuditRow {
  id: number;
  time: string;
  action: string;
  owner: string | null;
  package_type: string | null;
  package_name: string | null;
  package_version_id: number | null;
  digest: string | null;
  tags: string | null;
  arguments: string;
  http_status: number | null;
  outcome: string;
  dry_run: number;
  restorable_until: string | null;
}

/** The file as Python's own SQLite reads it once ghsql is gone. */
const readWithPython = (file: string, query = 'SELECT action, outcome, dry_run FROM ghsql_audit ORDER BY id') => readFile(file, query);

describe('the audit of actions', () => {
  let standIn: StandIn;
  let dir: string;
  let opened: Array<{ db: Database.Database; registration: Registration }> = [];

  beforeEach(async () => {
    standIn = await startStandIn();
    dir = mkdtempSync(join(tmpdir(), 'ghsql-audit-'));
  });
  afterEach(async () => {
    for (const { db, registration } of opened) {
      await registration.close();
      db.close();
    }
    opened = [];
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const path = (file = 'audit.db') => join(dir, file);
  const open = (options: RegisterOptions, file = path()) => {
    const db = new Database(file);
    const registration = register(db, { token: standIn.token, apiUrl: standIn.url, registryUrl: standIn.registryUrl, cache: false, retryBaseMs: 20, writeIntervalMs: 0, ...options });
    opened.push({ db, registration });
    return { db, registration };
  };
  /** The audit as a fresh connection reads it, as another program would. */
  const auditRows = (file = path()): AuditRow[] => {
    const reader = new Database(file, { readonly: true });
    try {
      return reader.prepare('SELECT * FROM ghsql_audit ORDER BY id').all() as AuditRow[];
    } finally {
      reader.close();
    }
  };

  it('records each delete before its request, while the statement over a ghsql table runs, and completes it after', async () => {
    // Outcomes of the file's rows, read by another connection whenever the statement waits for GitHub.
    const seen: string[] = [];
    let observer: Database.Database | undefined;
    const { db } = open({
      allowWrites: true,
      onProgress: () => observer && seen.push(JSON.stringify(observer.prepare('SELECT package_version_id, outcome FROM ghsql_audit ORDER BY id').raw().all())),
    });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const ids = db.prepare(`SELECT id ${ORG_VERSIONS} ORDER BY id DESC LIMIT 2`).pluck().all() as number[];
    await nextTurn();
    observer = new Database(path(), { readonly: true });
    // Far slower than the 250 ms between progress calls, so each request is seen under way.
    await standIn.configure({ latencyMs: 1_500 });
    const started = Date.now();
    // One list (id is no parameter, so it filters the list's rows), then a delete per match.
    const outcomes = db.prepare(`SELECT delete_package_version_for_org(org, package_type, package_name, id) AS outcome ${ORG_VERSIONS} AND id IN (?, ?)`).pluck().all(...ids);
    expect(outcomes).toEqual(['deleted', 'deleted']);
    observer.close();

    const rows = auditRows();
    const [first, second] = rows.map((row) => row.package_version_id);
    expect(new Set([first, second])).toEqual(new Set(ids));
    expect(seen).toContain(JSON.stringify([[first, 'pending']]));
    expect(seen).toContain(JSON.stringify([[first, 'deleted'], [second, 'pending']]));
    expect(rows).toEqual(
      [first, second].map((id, index) => ({
        id: index + 1,
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        action: 'delete_package_version_for_org',
        owner: 'acme-corp',
        package_type: 'npm',
        package_name: 'feature-toggles',
        package_version_id: id,
        digest: null,
        tags: null,
        arguments: JSON.stringify({ org: 'acme-corp', package_type: 'npm', package_name: 'feature-toggles', package_version_id: String(id) }),
        http_status: null,
        outcome: 'deleted',
        dry_run: 0,
        restorable_until: expect.any(String),
      })),
    );
    for (const row of rows) {
      expect(Date.parse(row.time)).toBeGreaterThanOrEqual(started - 1000);
      expect(Date.parse(row.restorable_until!) - Date.parse(row.time)).toBe(30 * DAY_MS);
    }
    // ghsql_actions keeps its columns and shows the same.
    expect(db.prepare('SELECT * FROM ghsql_actions').all()).toEqual(
      rows.map((row) => ({ time: row.time, action: row.action, target: row.arguments, outcome: 'deleted' })),
    );

    // Closing puts the file back in its journal mode; another SQLite reads it as usual.
    db.close();
    expect(readWithPython(path())).toEqual({
      journalMode: 'delete',
      integrity: 'ok',
      rows: [
        { action: 'delete_package_version_for_org', outcome: 'deleted', dry_run: 0 },
        { action: 'delete_package_version_for_org', outcome: 'deleted', dry_run: 0 },
      ],
    });
  });

  it('keeps a failing delete, with GitHub status, and the deletes before it; the ones after are never attempted', async () => {
    const { db } = open({ allowWrites: true });
    expect(() => db.prepare("SELECT delete_package_for_authenticated_user('npm', column1) FROM (VALUES ('utils'), ('never-existed'), ('feature-flags'))").all()).toThrow(
      /npm\/never-existed: it does not exist, or it is not yours/,
    );
    expect(auditRows().map(({ package_name, outcome, http_status, restorable_until }) => ({ package_name, outcome, http_status, restorable_until }))).toEqual([
      { package_name: 'utils', outcome: 'deleted', http_status: null, restorable_until: expect.any(String) },
      { package_name: 'never-existed', outcome: expect.stringMatching(/^failed: delete_package_for_authenticated_user: npm\/never-existed: it does not exist/), http_status: 404, restorable_until: null },
    ]);
  });

  it('marks dry runs, and keeps no secret argument, in the table or anywhere in the file', async () => {
    const dry = open({ dryRun: true }, path('dry.db'));
    expect(dry.db.prepare("SELECT delete_package_for_authenticated_user('npm', 'utils')").pluck().get()).toBe('would delete');
    expect(dry.db.prepare(`SELECT restore_package_for_authenticated_user('container', 'acme/legacy-gateway', '${PACKAGE_TOKEN}')`).pluck().get()).toBe('would restore');
    const wet = open({ allowWrites: true }, path('wet.db'));
    expect(wet.db.prepare(`SELECT restore_package_for_authenticated_user('container', 'acme/legacy-gateway', '${PACKAGE_TOKEN}')`).pluck().get()).toBe('restored');
    await nextTurn();
    expect((await standIn.requests()).filter((request) => request.method !== 'GET').map((request) => [request.method, request.query])).toEqual([['POST', { token: PACKAGE_TOKEN }]]);

    expect(auditRows(path('dry.db')).map(({ action, arguments: args, outcome, dry_run, restorable_until }) => ({ action, args, outcome, dry_run, restorable_until }))).toEqual([
      { action: 'delete_package_for_authenticated_user', args: '{"package_type":"npm","package_name":"utils"}', outcome: 'would delete', dry_run: 1, restorable_until: null },
      { action: 'restore_package_for_authenticated_user', args: '{"package_type":"container","package_name":"acme/legacy-gateway"}', outcome: 'would restore', dry_run: 1, restorable_until: null },
    ]);
    expect(auditRows(path('wet.db')).map(({ outcome, arguments: args, restorable_until }) => ({ outcome, args, restorable_until }))).toEqual([
      { outcome: 'restored', args: '{"package_type":"container","package_name":"acme/legacy-gateway"}', restorable_until: null },
    ]);
    for (const { db } of opened) db.close();
    for (const file of ['dry.db', 'wet.db']) expect(readFileSync(path(file)).includes(PACKAGE_TOKEN)).toBe(false);
  });

  it('records unknown when the statement times out while its request is under way, which GitHub carries out', async () => {
    const { db } = open({ allowWrites: true, statementTimeoutMs: 3_000 });
    db.prepare("SELECT count(*) FROM auth_user_packages WHERE package_type = 'npm'").get(); // starts the worker
    await nextTurn();
    await standIn.configure({ latencyMs: 8_000 });
    expect(() => db.prepare("SELECT delete_package_for_authenticated_user('npm', 'utils')").get()).toThrow(
      expect.objectContaining({ code: 'TIMEOUT', message: expect.stringMatching(/may have reached GitHub/) }),
    );
    const [row] = auditRows();
    expect(row).toMatchObject({ package_name: 'utils', outcome: expect.stringMatching(/^unknown: the statement took longer than statementTimeoutMs/), http_status: null, restorable_until: null });
    expect(db.prepare('SELECT outcome FROM ghsql_actions').pluck().get()).toBe(row!.outcome);
    // GitHub did it: the answer was only lost.
    let deletes: unknown[] = [];
    for (const deadline = Date.now() + 20_000; deletes.length === 0 && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 200))) {
      deletes = (await standIn.requests()).filter((request) => request.method === 'DELETE' && request.status === 204);
    }
    expect(deletes).toHaveLength(1);
  });

  it('records unknown when the statement is interrupted while its request is under way', async () => {
    let registration: Registration | undefined;
    const { db, registration: registered } = open({ allowWrites: true, onProgress: () => registration?.interrupt() });
    await standIn.configure({ latencyMs: 3_000 });
    registration = registered;
    expect(() => db.prepare("SELECT delete_package_for_authenticated_user('npm', 'utils')").get()).toThrow(expect.objectContaining({ code: 'INTERRUPTED' }));
    expect(auditRows().map((row) => row.outcome)).toEqual([expect.stringMatching(/^unknown: interrupted by interrupt\(\)/)]);
  });

  it('sends nothing when the record cannot be written: a statement that itself writes to the file holds it', async () => {
    const { db } = open({ allowWrites: true });
    db.exec('CREATE TABLE done(outcome TEXT)');
    // (CREATE TABLE … AS SELECT is refused before this: its SELECT runs the call in a subquery.)
    expect(() => db.prepare("INSERT INTO done VALUES (delete_package_for_authenticated_user('npm', 'utils'))").run()).toThrow(
      /delete_package_for_authenticated_user: nothing was sent, because its record could not be written to ghsql_audit in .*audit\.db: the file stayed locked for 5 s\. A statement that itself writes to the database \(INSERT … SELECT/,
    );
    expect(auditRows()).toEqual([]);
    expect(await standIn.requests()).toEqual([]);
  });

  it('stays in memory for an in-memory database, and leaves a file alone when actions are off', () => {
    const memory = new Database(':memory:');
    const registration = register(memory, { token: standIn.token, apiUrl: standIn.url, cache: false, dryRun: true });
    opened.push({ db: memory, registration });
    expect(memory.prepare("SELECT delete_package_for_authenticated_user('npm', 'utils')").pluck().get()).toBe('would delete');
    expect(memory.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'ghsql_audit'").pluck().get()).toBe(0);
    expect(memory.prepare('SELECT outcome FROM ghsql_actions').pluck().all()).toEqual(['would delete']);

    const { db } = open({});
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'ghsql_audit'").pluck().get()).toBe(0);
  });

  it('refuses at registration a file that cannot keep the audit, and leaves it as it was', () => {
    const file = path('mine.db');
    new Database(file).exec('CREATE TABLE ghsql_audit (note TEXT)').close();
    const refusal = (options: Database.Options = {}) => {
      const db = new Database(file, options);
      try {
        register(db, { token: standIn.token, apiUrl: standIn.url, cache: false, allowWrites: true });
        return undefined;
      } catch (error) {
        return error;
      } finally {
        db.close();
      }
    };
    expect(refusal()).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/ghsql_audit of .*mine\.db .*it has a table ghsql_audit that is not ghsql's .*\. Rename that table, or use an in-memory database/),
    });
    expect(refusal({ readonly: true })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/cannot write there: the database is open read-only\. Open a writable database/),
    });
    expect(readWithPython(file, 'SELECT * FROM ghsql_audit')).toEqual({ journalMode: 'delete', integrity: 'ok', rows: [] });
  });
});
