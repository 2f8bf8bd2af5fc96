// A write statement is one plan: its actions run only for the rows it returns, a dry run does every
// check the real run does, and refusals about one target can be the row's outcome (keep-going).
// Each case of issue 18 through the library, the CLI's argument and a -f file.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoPackages, generatedPackages } from '../../dist/stand-in/packages-data.js';
import { digestOf, imageGraphPlan } from '../../dist/stand-in/images-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { runCli, tempHome, type TempHome } from '../cli/helpers.js';
import { nextTurn, openSession, type Session } from '../support/ghsql.js';

type Row = Record<string, unknown>;

let standIn: StandIn;
let home: TempHome;
const sessions: Session[] = [];
beforeEach(async () => {
  // An npm package with 18 versions beside the stand-in's image graphs (acme/app).
  const [npm] = generatedPackages(1, 'npm', 900, 18);
  standIn = await startStandIn({ packages: [...demoPackages(), { ...npm!, name: 'eighteen', visibility: 'private' }] });
  home = tempHome();
});
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
  await standIn.close();
  home.remove();
});

const open = (options: Parameters<typeof openSession>[1] = {}) => {
  const session = openSession(standIn, { writeIntervalMs: 0, ...options });
  sessions.push(session);
  return session;
};
const cli = (args: string[]) =>
  runCli(['--api-url', standIn.url, '--registry-url', standIn.registryUrl, '--no-cache', ...args], { env: { ...home.env, GITHUB_TOKEN: standIn.token } });
const deletes = async () => (await standIn.requests()).filter((entry) => entry.method === 'DELETE');

const TWO_OLDEST_UNSAFE =
  "SELECT id, delete_package_version_for_authenticated_user('npm', 'eighteen', id) AS outcome FROM auth_user_package_versions WHERE package_type = 'npm' AND package_name = 'eighteen' ORDER BY created_at LIMIT 2";
const TWO_OLDEST =
  "WITH chosen AS MATERIALIZED (SELECT id FROM auth_user_package_versions WHERE package_type = 'npm' AND package_name = 'eighteen' ORDER BY created_at LIMIT 2) " +
  "SELECT id, delete_package_version_for_authenticated_user('npm', 'eighteen', id) AS outcome FROM chosen";
const REFUSED_BEFORE_ANY_CALL = /^delete_package_version_for_authenticated_user would run for rows this statement does not return, or in another order: .*WITH chosen AS MATERIALIZED/;

describe('"delete the 2 oldest"', () => {
  it('is refused before any call when the sort and limit are around the action: library, dry-run too', async () => {
    for (const options of [{ allowWrites: true }, { dryRun: true }]) {
      const session = open(options);
      expect(() => session.db.prepare(TWO_OLDEST_UNSAFE).all()).toThrow(REFUSED_BEFORE_ANY_CALL);
      expect(session.db.prepare('SELECT count(*) AS n FROM ghsql_actions').get()).toEqual({ n: 0 });
    }
    expect(await deletes()).toEqual([]);
  });

  it('is refused by the CLI, from the argument and from a -f file, exit 1 and nothing sent', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ghsql-')), 'prune.sql');
    writeFileSync(file, `-- the two oldest\n${TWO_OLDEST_UNSAFE};\n`);
    for (const args of [['--allow-writes', TWO_OLDEST_UNSAFE], ['--allow-writes', '-f', file], ['--dry-run', TWO_OLDEST_UNSAFE]]) {
      const { code, stderr, stdout } = await cli(args);
      expect(code, args.join(' ')).toBe(1);
      expect(stderr).toMatch(/would run for rows this statement does not return/);
      expect(stdout).toBe('');
    }
    expect(await deletes()).toEqual([]);
  });

  it('deletes exactly the two oldest when the rows are chosen first', async () => {
    const session = open({ allowWrites: true });
    const oldest = session.db
      .prepare("SELECT id FROM auth_user_package_versions WHERE package_type = 'npm' AND package_name = 'eighteen' ORDER BY created_at LIMIT 2")
      .all() as Row[];
    await nextTurn();
    const rows = session.db.prepare(TWO_OLDEST).all() as Row[];
    expect(rows).toEqual(oldest.map(({ id }) => ({ id, outcome: 'deleted' })));
    expect((await deletes()).map((entry) => entry.path)).toEqual(oldest.map(({ id }) => `/user/packages/npm/eighteen/versions/${String(id)}`));
  });
});

describe('a dry run is the plan of the real run', () => {
  it("predicts GitHub's last-version refusal, counting the statement's earlier would-be deletes, and the real run meets it", async () => {
    const all = "SELECT id, delete_package_version_for_authenticated_user('npm', 'eighteen', id) AS outcome FROM auth_user_package_versions WHERE package_type = 'npm' AND package_name = 'eighteen'";
    const planned = open({ dryRun: true }).db.prepare(all).all() as Row[];
    const lastVersion = /GitHub refuses: it is the last version of its package, which GitHub does not delete; delete the package instead\.$/;
    expect(planned.slice(0, 17).map((row) => row['outcome'])).toEqual(Array(17).fill('would delete'));
    expect(planned[17]!['outcome']).toMatch(new RegExp(`^would refuse: ${lastVersion.source}`));
    expect(await deletes()).toEqual([]);
    const done = open({ allowWrites: true, keepGoing: true }).db.prepare(all).all() as Row[];
    expect(done.map((row) => row['id'])).toEqual(planned.map((row) => row['id']));
    expect(done.map((row) => String(row['outcome']))).toEqual(planned.map((row) => String(row['outcome']).replace(/^would delete$/, 'deleted').replace(/^would refuse: /, 'refused: ')));
  });
});

/** Version ids of acme/app's image graph by the stand-in's labels. */
function imageIds(session: Session): Map<string, number> {
  const [pkg] = session.db.prepare("SELECT id FROM auth_user_packages WHERE package_type = 'container' AND package_name = 'acme/app'").all() as Row[];
  const rows = session.db.prepare("SELECT id, name FROM auth_user_package_versions WHERE package_type = 'container' AND package_name = 'acme/app'").all() as Row[];
  const byDigest = new Map(rows.map((row) => [row['name'], row['id'] as number]));
  return new Map(
    imageGraphPlan(pkg!['id'] as number).flatMap((planned) => {
      const id = byDigest.get(digestOf(planned.manifest.body));
      return id === undefined ? [] : [[planned.label, id] as [string, number]];
    }),
  );
}

describe('a bulk delete that meets a refusal', () => {
  /** The orphan (deletable), then a platform child of a tagged image (refused), then the 1.0 image's children after their index. */
  function plan(): { ids: number[]; sql: string } {
    const reader = open();
    const labels = imageIds(reader);
    const ids = ['orphan', '1.4 linux/arm64', '1.0 index', '1.0 linux/amd64'].map((label) => labels.get(label)!);
    const values = ids.map((id, order) => `(${order}, ${id})`).join(', ');
    return {
      ids,
      sql: `WITH chosen(ord, id) AS MATERIALIZED (SELECT * FROM (VALUES ${values}) ORDER BY 1) SELECT id, delete_package_version_for_authenticated_user('container', 'acme/app', id) AS outcome FROM chosen`,
    };
  }

  it('dry-run runs the guard and answers per call, and the real run with --keep-going does what it said', async () => {
    const { ids, sql } = plan();
    const dry = await cli(['--dry-run', '--format', 'json', sql]);
    expect(dry.code).toBe(0);
    const planned = JSON.parse(dry.stdout) as Row[];
    expect(planned.map((row) => row['outcome'])).toEqual(['would delete', expect.stringMatching(/^would refuse: refused, nothing was sent: it is the linux\/arm64 child of acme\/app:1\.4/), 'would delete', 'would delete']);
    expect(dry.stderr).toMatch(/dry run: 3 would delete, 1 would be refused \(not checked by a dry run: GitHub's 5,000-download rule and the token's scopes\)/);
    expect(await deletes()).toEqual([]);

    const real = await cli(['--allow-writes', '--keep-going', '--format', 'json', sql]);
    expect(real.code).toBe(3);
    const done = JSON.parse(real.stdout) as Row[];
    // The plan was the run: each "would" became what it said.
    expect(done.map((row) => row['outcome'])).toEqual(planned.map((row) => String(row['outcome']).replace(/^would delete$/, 'deleted').replace(/^would refuse: /, 'refused: ')));
    expect(real.stderr).toMatch(/actions: 3 deleted, 1 refused\n/);
    expect((await deletes()).map((entry) => entry.path)).toEqual([ids[0], ids[2], ids[3]].map((id) => `/user/packages/container/acme%2Fapp/versions/${id}`));
  });

  it('without --keep-going stops at the first refusal, and still prints the rows done before it', async () => {
    const { ids, sql } = plan();
    const { code, stdout, stderr } = await cli(['--allow-writes', '--format', 'csv', sql]);
    expect(code).toBe(1);
    expect(stdout).toBe(`id,outcome\r\n${ids[0]},deleted\r\n`);
    expect(stderr).toMatch(/refused, nothing was sent: it is the linux\/arm64 child of acme\/app:1\.4/);
    expect(await deletes()).toHaveLength(1);
  });

  it('keepGoing in the library: a refusal is the row, a version already gone is "already gone"', async () => {
    const session = open({ allowWrites: true, keepGoing: true });
    const labels = imageIds(session);
    const orphan = labels.get('orphan')!;
    const child = labels.get('1.4 linux/arm64')!;
    await nextTurn();
    const statement = session.db.prepare("SELECT delete_package_version_for_authenticated_user('container', 'acme/app', ?) AS outcome");
    expect(statement.get(orphan)).toEqual({ outcome: 'deleted' });
    expect(statement.get(orphan)).toEqual({ outcome: 'already gone' });
    expect(statement.get(child)).toEqual({ outcome: expect.stringMatching(/^refused: refused, nothing was sent: it is the linux\/arm64 child/) });
    // Not about one target: still an error.
    expect(() => statement.get('x')).toThrow(/must be a whole number/);
  });
});
