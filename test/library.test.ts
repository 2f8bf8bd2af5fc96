import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GhsqlError, html, register, snapshot, type Progress, type RegisterOptions } from '../dist/index.js';
import { generatedPackages } from '../dist/stand-in/packages-data.js';
import { startStandIn, type StandIn } from '../dist/stand-in/thread.js';

const run = promisify(execFile);
const indexUrl = new URL('../dist/index.js', import.meta.url).href;

/** The README's plain-script example, against the stand-in. */
const script = (closeAtEnd: boolean) => `
  import Database from 'better-sqlite3';
  import { register } from ${JSON.stringify(indexUrl)};
  const db = new Database(':memory:');
  const ghsql = register(db, { token: process.env.GITHUB_TOKEN, apiUrl: process.env.GITHUB_API_URL, cache: false });
  db.exec("CREATE TABLE retiring(type TEXT, name TEXT); INSERT INTO retiring VALUES ('container', 'acme/worker')");
  const rows = db.prepare(\`SELECT r.name, p.visibility FROM retiring r
    JOIN auth_user_packages p ON p.package_type = r.type AND p.package_name = r.name\`).all();
  console.log(JSON.stringify(rows));
  ${closeAtEnd ? 'await ghsql.close();' : ''}
`;

describe('register(db) as a library', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(() => standIn.close());

  it.each([true, false])('runs the README script, which exits by itself (close() at the end: %s)', async (closeAtEnd) => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script(closeAtEnd)], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, GITHUB_TOKEN: standIn.token, GITHUB_API_URL: standIn.url },
      timeout: 20_000,
    });
    expect(JSON.parse(stdout)).toEqual([{ name: 'acme/worker', visibility: 'private' }]);
  });

  it('refuses to register twice on one database, and fails queries after close()', async () => {
    const db = new Database(':memory:');
    const ghsql = register(db, { token: standIn.token, apiUrl: standIn.url, cache: false });
    expect(() => register(db)).toThrow(GhsqlError);
    expect(() => register(db)).toThrow(/already registered on this database: keep using the registration the first register\(\) returned/);
    // The first registration is untouched by the refusal.
    expect(db.prepare("SELECT count(*) AS n FROM auth_user_packages WHERE package_type = 'npm'").get()).toEqual({ n: 10 });
    await ghsql.close();
    expect(() => db.prepare("SELECT * FROM auth_user_packages WHERE package_type = 'npm'").all()).toThrow(/closed/);
    db.close();
  });
});

/** TCP ports this process listens on (Linux): where a stand-in thread of ours would be. */
function listeningPorts(): number[] {
  const sockets = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const link = readlinkSync(`/proc/self/fd/${fd}`);
      if (link.startsWith('socket:[')) sockets.add(link.slice('socket:['.length, -1));
    } catch {
      // closed meanwhile
    }
  }
  return readFileSync('/proc/self/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === '0A' && sockets.has(fields[9]!))
    .map((fields) => parseInt(fields[1]!.split(':')[1]!, 16));
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('register(db, { demo: true })', () => {
  it('answers every table with no token, from a stand-in that starts with the first query and stops with close()', async () => {
    const before = listeningPorts();
    const db = new Database(':memory:');
    const ghsql = register(db, { demo: true });
    expect(listeningPorts()).toEqual(before); // nothing started yet
    const count = (sql: string) => (db.prepare(`SELECT count(*) AS n FROM ${sql}`).get() as { n: number }).n;
    expect(count("auth_user_packages WHERE package_type = 'container'")).toBeGreaterThan(0);
    expect(count("auth_user_package_versions WHERE package_type = 'npm' AND package_name = 'eslint-config'")).toBeGreaterThan(0);
    expect(count("org_packages WHERE org = 'acme-corp' AND package_type = 'container'")).toBeGreaterThan(0);
    expect(count("org_package_versions WHERE org = 'acme-corp' AND package_type = 'container' AND package_name = (SELECT name FROM org_packages WHERE org = 'acme-corp' AND package_type = 'container' LIMIT 1)")).toBeGreaterThan(0);
    expect(count("user_packages WHERE username = 'hubot-two' AND package_type = 'container'")).toBeGreaterThan(0);
    expect(count("user_package_versions WHERE username = 'hubot-two' AND package_type = 'container' AND package_name = (SELECT name FROM user_packages WHERE username = 'hubot-two' AND package_type = 'container' LIMIT 1)")).toBeGreaterThan(0);
    for (const table of ['auth_user_docker_conflicts', "org_docker_conflicts WHERE org = 'acme-corp'", "user_docker_conflicts WHERE username = 'hubot-two'"]) expect(count(table)).toBeGreaterThanOrEqual(0);
    // The API and its container registry.
    expect(listeningPorts().filter((port) => !before.includes(port)).length).toBeGreaterThan(0);
    await ghsql.close();
    expect(listeningPorts()).toEqual(before);
    db.close();
  });

  it('stops the stand-in with db.close() too', async () => {
    const before = listeningPorts();
    const db = new Database(':memory:');
    register(db, { demo: true });
    db.prepare("SELECT count(*) FROM auth_user_packages WHERE package_type = 'npm'").get();
    expect(listeningPorts().length).toBeGreaterThan(before.length);
    db.close();
    await until(() => listeningPorts().length === before.length);
  });

  it('takes neither a token nor an API URL, and never reads GITHUB_TOKEN', () => {
    expect(() => register(new Database(':memory:'), { demo: true, token: 'ghp_x' })).toThrow(/demo: true runs against the built-in stand-in with its own token, so token does not apply/);
    expect(() => register(new Database(':memory:'), { demo: true, apiUrl: 'https://api.github.com' })).toThrow(/so apiUrl does not apply/);
    expect(() => register(new Database(':memory:'), { demo: true, registryUrl: 'https://ghcr.io' })).toThrow(/so registryUrl does not apply/);
  });
});

describe('library messages', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(() => standIn.close());

  it("name register()'s options, not the CLI's flags", async () => {
    const db = new Database(':memory:');
    const ghsql = register(db, { apiUrl: standIn.url, token: '', cache: false });
    expect(() => db.prepare("SELECT * FROM auth_user_packages WHERE package_type = 'npm'").all()).toThrow(/or try register\(db, \{ demo: true \}\)\.$/);
    await ghsql.close();

    await standIn.configure({ latencyMs: 2_000 });
    try {
      const slow = new Database(':memory:');
      register(slow, { apiUrl: standIn.url, token: standIn.token, cache: false, timeoutMs: 50, maxRetries: 0 });
      expect(() => slow.prepare("SELECT * FROM auth_user_packages WHERE package_type = 'npm'").all()).toThrow(/allow more time with the timeoutMs option\.$/);
      slow.close();
    } finally {
      await standIn.configure({ latencyMs: 0 });
    }
  });
});

describe('stopping a statement', () => {
  let standIn: StandIn;
  const opened: Database.Database[] = [];
  beforeAll(async () => {
    standIn = await startStandIn({ packages: generatedPackages(450, 'npm') });
  });
  afterEach(async () => {
    for (const db of opened.splice(0)) db.close();
    await standIn.configure({ latencyMs: 0, rateLimit: { limit: 5000, remaining: 5000, resetSeconds: 3600 } });
  });
  afterAll(() => standIn.close());

  const COUNT = "SELECT count(*) AS n FROM auth_user_packages WHERE package_type = 'npm'";
  const open = (options: RegisterOptions = {}) => {
    const db = new Database(':memory:');
    opened.push(db);
    return { db, ghsql: register(db, { apiUrl: standIn.url, token: standIn.token, cache: false, ...options }) };
  };
  const failure = (work: () => unknown): GhsqlError => {
    try {
      work();
    } catch (error) {
      if (error instanceof GhsqlError) return error;
      throw error;
    }
    throw new Error('expected the statement to fail');
  };

  it('cuts a rate-limit wait short when onProgress calls interrupt(), and the next statement runs', async () => {
    await standIn.configure({ rateLimit: { limit: 5000, remaining: 0, resetSeconds: 3600 } });
    const seen: Progress[] = [];
    // onProgress runs on the SQL thread while the statement waits: it may stop the statement.
    const { db, ghsql } = open({
      maxWaitMs: 7_200_000,
      onProgress: (progress) => {
        seen.push(progress);
        if (progress.waitingUntil) ghsql.interrupt();
      },
    });
    const error = failure(() => db.prepare(COUNT).get());
    expect(error.code).toBe('INTERRUPTED');
    expect(error.message).toBe('interrupted by interrupt(): the statement was stopped and its requests to GitHub cancelled.');
    const waiting = seen.find((progress) => progress.waitingUntil);
    expect(waiting?.waitingUntil?.getTime()).toBeGreaterThan(Date.now() + 3_000_000);

    await standIn.configure({ rateLimit: { limit: 5000, remaining: 5000, resetSeconds: 3600 } });
    expect(db.prepare(COUNT).get()).toEqual({ n: 450 });
  });

  it('is done from another thread with the interrupt handle', async () => {
    await standIn.configure({ latencyMs: 600_000 });
    // The helper thread waits until the statement is waiting for GitHub (onProgress hears from it
    // every quarter second then), and interrupts it.
    const started = new Int32Array(new SharedArrayBuffer(4));
    const { db, ghsql } = open({
      onProgress: () => {
        Atomics.store(started, 0, 1);
        Atomics.notify(started, 0);
      },
    });
    const helper = new Worker(
      `const { workerData } = require('node:worker_threads');
       const { interrupt } = require(${JSON.stringify(fileURLToPath(new URL('../dist/index.js', import.meta.url)))});
       Atomics.wait(workerData.started, 0, 0);
       interrupt(workerData.handle);`,
      { eval: true, workerData: { handle: ghsql.interruptHandle, started } },
    );
    const error = failure(() => db.prepare(COUNT).get());
    expect(error.code).toBe('INTERRUPTED');
    await helper.terminate();
    await standIn.configure({ latencyMs: 0 });
    expect(db.prepare(COUNT).get()).toEqual({ n: 450 });
  });

  it('is done from a timer between the rows of an iterate() with awaits', async () => {
    const { db, ghsql } = open({ concurrency: 1 });
    let rows = 0;
    const iterate = async () => {
      for (const _ of db.prepare("SELECT name FROM auth_user_packages WHERE package_type = 'npm'").iterate()) {
        rows++;
        if (rows === 1) {
          await standIn.configure({ latencyMs: 600_000 }); // the later pages would take ten minutes
          setTimeout(() => ghsql.interrupt(), 10);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    await expect(iterate()).rejects.toMatchObject({ code: 'INTERRUPTED' });
    expect(rows).toBeLessThan(450);
  });

  it('does nothing with no statement running', () => {
    const { db, ghsql } = open();
    ghsql.interrupt();
    expect(db.prepare(COUNT).get()).toEqual({ n: 450 });
  });

  it('ends a statement past statementTimeoutMs, and leaves the registration usable', async () => {
    await standIn.configure({ latencyMs: 600_000 });
    // Headroom: the second query (5 pages at no latency) must fit in the limit on a busy 2-core box.
    const { db } = open({ statementTimeoutMs: 5_000 });
    const started = performance.now();
    const error = failure(() => db.prepare(COUNT).get());
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/^the statement took longer than statementTimeoutMs \(5,000 ms\) allows; it was stopped and its requests to GitHub cancelled\./);
    expect(performance.now() - started).toBeLessThan(60_000);
    await standIn.configure({ latencyMs: 0 });
    expect(db.prepare(COUNT).get()).toEqual({ n: 450 });
    expect(() => open({ statementTimeoutMs: 0 })).toThrow(/statementTimeoutMs must be a whole number from 1 to/);
  });

  it('reports progress with the total from rel="last"', () => {
    const seen: Progress[] = [];
    const { db } = open({ onProgress: (progress) => seen.push(progress) });
    db.prepare(COUNT).get();
    const pages = seen.filter((progress) => progress.pages > 0);
    expect(pages[0]).toEqual({ pages: 1, pagesTotal: 5, rows: 100, rateLimit: { remaining: expect.any(Number), resetsAt: expect.any(Date) } });
    expect(pages.at(-1)).toMatchObject({ pages: 5, pagesTotal: 5, rows: 450 });
    // The budget as GitHub's latest answer gave it: less by the four pages read since (in any order).
    const [first, last] = [pages[0]!.rateLimit!.remaining, pages.at(-1)!.rateLimit!.remaining];
    expect(last).toBeLessThan(first);
    expect(last).toBeGreaterThanOrEqual(first - 4);
  });
});

describe('snapshot(db, table, select)', () => {
  it('creates the table on first use, then appends, with taken_at and the types of the values', () => {
    const db = new Database(':memory:');
    db.exec("CREATE TABLE packages(name TEXT, versions INTEGER); INSERT INTO packages VALUES ('a', 3), ('b', 5)");
    const first = snapshot(db, 'sizes', 'SELECT name, versions, count(*) OVER () AS total FROM packages;', { takenAt: new Date('2026-01-01T10:00:00.123Z') });
    expect(first).toEqual({ table: 'sizes', rows: 2, takenAt: '2026-01-01T10:00:00Z', created: true, addedColumns: [] });
    db.exec("UPDATE packages SET versions = 4 WHERE name = 'a'");
    const second = snapshot(db, 'sizes', 'SELECT name, versions, count(*) OVER () AS total, 1.5 AS ratio FROM packages -- a comment at the end', { takenAt: new Date('2026-01-02T10:00:00Z') });
    expect(second).toMatchObject({ rows: 2, created: false, addedColumns: ['ratio'] });
    expect(db.prepare('SELECT taken_at, name, versions, typeof(total) AS total, ratio FROM sizes ORDER BY taken_at, name').all()).toEqual([
      { taken_at: '2026-01-01T10:00:00Z', name: 'a', versions: 3, total: 'integer', ratio: null },
      { taken_at: '2026-01-01T10:00:00Z', name: 'b', versions: 5, total: 'integer', ratio: null },
      { taken_at: '2026-01-02T10:00:00Z', name: 'a', versions: 4, total: 'integer', ratio: 1.5 },
      { taken_at: '2026-01-02T10:00:00Z', name: 'b', versions: 5, total: 'integer', ratio: 1.5 },
    ]);
  });

  it('refuses a table that is no snapshot, a query that is no SELECT, and column names it cannot keep apart', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE mine(x)');
    expect(() => snapshot(db, 'mine', 'SELECT 1 AS x')).toThrow(/the table mine exists and is no snapshot \(it has no taken_at column\)/);
    expect(() => snapshot(db, 's', 'DELETE FROM mine')).toThrow(/keeps the rows of a SELECT/);
    expect(() => snapshot(db, 's', 'SELECT 1 AS a, 2 AS A')).toThrow(/two columns named A; give them names of their own with AS/);
    expect(() => snapshot(db, 's', 'SELECT 1 AS taken_at')).toThrow(/the snapshot adds taken_at itself/);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 's'").get()).toEqual({ n: 0 });
  });
});

describe('html(rows)', () => {
  it('escapes values, shows NULL, right-aligns numbers and draws bars for a last numeric column', () => {
    const page = html([
      { name: '<script>alert(1)</script>', owner: null, versions: 10 },
      { name: 'b & "c"', owner: 'octo', versions: 5n },
    ]);
    expect(page).toContain('<td style="text-align:left">&#60;script&#62;alert(1)&#60;/script&#62;</td>');
    expect(page).toContain('b &#38; &#34;c&#34;');
    expect(page).toContain('<span style="opacity:.5">NULL</span>');
    expect(page).toContain('<th style="text-align:right">versions</th>');
    expect(page).toContain('width:100%');
    expect(page).toContain('width:50%');
    expect(html([{ name: 'x', type: 'npm' }])).not.toContain('width:');
    expect(html([])).toBe('<p><em>(0 rows)</em></p>');
    expect(html(Array.from({ length: 5 }, (_, i) => ({ i })), { limit: 2 })).toContain('… 3 more rows (5 in all)');
    expect(() => html([[1, 2]])).toThrow(/takes rows as objects/);
  });
});
