import Database from 'better-sqlite3';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runCli, startCli, useHomeAndStandIn } from './helpers.js';
import { readWithPython as readFile } from '../support/read-with-python.js';

/**
 * ghsql_audit through the CLI, one process per run as cron would: what one run records in its --db
 * file is there for the next, whatever became of the first.
 */
const fixture = useHomeAndStandIn();

const cliArguments = (args: string[]) => ['--api-url', fixture.standIn.url, '--no-cache', ...args];
const cliOptions = () => ({ env: { ...fixture.home.env, GITHUB_TOKEN: fixture.standIn.token } });
const ghsql = (args: string[]) => runCli(cliArguments(args), cliOptions());
const databaseFile = (name: string) => join(fixture.home.dir, name);

/** The file as Python's own SQLite reads it once ghsql is gone. */
const readWithPython = (file: string, query = 'SELECT action, package_name, outcome FROM ghsql_audit ORDER BY id') => readFile(file, query);

describe('ghsql_audit in the --db file', () => {
  it("undoes a night's deletes with one statement over it, in a second process", async () => {
    const file = databaseFile('night.db');
    const versions = "FROM org_package_versions WHERE org = 'acme-corp' AND package_type = 'npm' AND package_name = 'api-types'";
    const activeIds = async () => (await ghsql(['--format', 'csv', '--no-headers', `SELECT id ${versions}`])).stdout.trim().split(/\r?\n/);
    const ids = (await activeIds()).slice(0, 3);
    expect(ids).toHaveLength(3);

    const night = await ghsql(['--db', file, '--allow-writes', '--format', 'csv', `SELECT delete_package_version_for_org(org, package_type, package_name, id) AS outcome ${versions} AND package_version_id IN (${ids.join(', ')})`]);
    expect(night).toMatchObject({ code: 0, stdout: 'outcome\r\ndeleted\r\ndeleted\r\ndeleted\r\n' });
    expect(await activeIds()).not.toContain(ids[0]);

    await fixture.standIn.clearRequests();
    const undo = await ghsql([
      '--db',
      file,
      '--allow-writes',
      '--format',
      'csv',
      "SELECT restore_package_version_for_org(owner, package_type, package_name, package_version_id) AS outcome FROM ghsql_audit WHERE action = 'delete_package_version_for_org' AND outcome = 'deleted' AND datetime(time) >= datetime('now', '-1 day')",
    ]);
    expect(undo).toMatchObject({ code: 0, stdout: 'outcome\r\nrestored\r\nrestored\r\nrestored\r\n' });
    const restores = (await fixture.standIn.requests()).filter((request) => request.method === 'POST');
    expect(restores.map((request) => [request.path, request.status]).sort()).toEqual(ids.map((id) => [`/orgs/acme-corp/packages/npm/api-types/versions/${id}/restore`, 204]).sort());
    expect(await activeIds()).toEqual(expect.arrayContaining(ids));
    expect(readWithPython(file)).toEqual({
      journalMode: 'delete',
      integrity: 'ok',
      rows: [
        ...ids.map(() => ({ action: 'delete_package_version_for_org', package_name: 'api-types', outcome: 'deleted' })),
        ...ids.map(() => ({ action: 'restore_package_version_for_org', package_name: 'api-types', outcome: 'restored' })),
      ],
    });
  });

  it('keeps a failing delete for the next process to read', async () => {
    const file = databaseFile('failing.db');
    const failed = await ghsql(['--db', file, '--allow-writes', "SELECT delete_package_for_authenticated_user('npm', 'never-existed')"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('error: delete_package_for_authenticated_user: npm/never-existed: it does not exist, or it is not yours');
    const next = await ghsql(['--db', file, '--format', 'csv', 'SELECT action, package_name, http_status, dry_run, outcome FROM ghsql_audit']);
    expect(next.stdout).toBe(
      'action,package_name,http_status,dry_run,outcome\r\n' +
        'delete_package_for_authenticated_user,never-existed,404,0,"failed: delete_package_for_authenticated_user: npm/never-existed: it does not exist, or it is not yours"\r\n',
    );
  });

  it('keeps the row pending when the process is killed with its request under way; the file stays readable', async () => {
    const file = databaseFile('killed.db');
    // The request waits at the stand-in until long after the kill.
    await fixture.standIn.configure({ latencyMs: 20_000 });
    try {
      const running = startCli(cliArguments(['--db', file, '--allow-writes', "SELECT delete_package_for_authenticated_user('npm', 'feature-flags')"]), cliOptions());
      let outcomes: unknown[] = [];
      for (const deadline = Date.now() + 20_000; outcomes.length === 0 && Date.now() < deadline; await sleep(50)) outcomes = pendingOutcomes(file);
      expect(outcomes).toEqual(['pending']);
      running.child.kill('SIGKILL');
      expect(await running.result).toMatchObject({ signal: 'SIGKILL' });
    } finally {
      await fixture.standIn.configure({ latencyMs: 0 });
    }
    // Killed, ghsql could not put the file back in its journal mode: it stays WAL, as README says.
    expect(readWithPython(file)).toEqual({
      journalMode: 'wal',
      integrity: 'ok',
      rows: [{ action: 'delete_package_for_authenticated_user', package_name: 'feature-flags', outcome: 'pending' }],
    });
  });

  it('says where the audit is, in the help and in .schema', async () => {
    const help = await runCli(['--help'], { env: fixture.home.env });
    expect(help.stdout).toContain('ghsql_audit (with --db FILE: every action, kept in FILE)');
    const schema = await runCli(['--demo', '--dry-run', '--db', databaseFile('schema.db'), '.schema ghsql_audit'], { env: fixture.home.env });
    expect(schema).toMatchObject({ code: 0, stderr: '' });
    expect(schema.stdout).toMatch(/^CREATE TABLE ghsql_audit \(\n {2}id INTEGER PRIMARY KEY,\n {2}time TEXT NOT NULL, +-- ISO 8601 UTC/);
    expect(schema.stdout).toContain('restorable_until TEXT         -- for a delete GitHub carried out: time + 30 days');
  });
});

/** The outcomes in the file's ghsql_audit so far; none while the file or the table is not there yet. */
function pendingOutcomes(file: string): unknown[] {
  try {
    const reader = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return reader.prepare('SELECT outcome FROM ghsql_audit').pluck().all();
    } finally {
      reader.close();
    }
  } catch {
    return [];
  }
}
