import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dist = (path: string) => JSON.stringify(new URL(`../../dist/${path}`, import.meta.url).href);

// Runs in a child process of its own, so that its threads, handles and memory are only its own.
const script = `
  import Database from 'better-sqlite3';
  import { readFileSync } from 'node:fs';
  import { setTimeout as delay } from 'node:timers/promises';
  import { register } from ${dist('index.js')};
  import { startStandIn } from ${dist('stand-in/thread.js')};

  const standIn = await startStandIn();
  const threads = () => Number(/^Threads:\\s+(\\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
  const handles = () => process.getActiveResourcesInfo().filter((kind) => kind !== 'Timeout').length;
  const cycle = () => {
    const db = new Database(':memory:');
    register(db, { token: standIn.token, apiUrl: standIn.url, cache: false });
    db.prepare("SELECT count(*) FROM auth_user_packages WHERE package_type = 'npm'").get();
    db.close(); // ghsql's close() is never called: the worker must end with the database
  };
  const settle = async () => { await delay(200); globalThis.gc(); await delay(50); };
  for (let i = 0; i < 10; i++) cycle();
  await settle();
  const before = { threads: threads(), handles: handles(), heap: process.memoryUsage().heapUsed };
  for (let i = 0; i < 200; i++) {
    cycle();
    if (i % 20 === 19) await delay(20); // lets terminated workers finish
  }
  const db = new Database(':memory:');
  register(db, { token: standIn.token, apiUrl: standIn.url, cache: false });
  const statement = db.prepare("SELECT count(*) AS n FROM auth_user_packages WHERE package_type = ? AND package_name = ?");
  for (let i = 0; i < 1000; i++) {
    statement.get(i % 2 ? 'npm' : 'container', 'name-' + (i % 50));
    if (i % 100 === 99) await delay(0); // a new synchronous run: the statement memo starts afresh
  }
  db.close();
  await settle();
  const after = { threads: threads(), handles: handles(), heap: process.memoryUsage().heapUsed };
  await standIn.close();
  console.log(JSON.stringify({ before, after }));
`;

describe('resources over a long run', () => {
  it('200 register/close cycles and 1,000 statements leave no thread, handle or memory behind', async () => {
    const { stdout } = await run(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      timeout: 120_000,
    });
    const { before, after } = JSON.parse(stdout) as Record<'before' | 'after', { threads: number; handles: number; heap: number }>;
    expect(after.threads).toBeLessThanOrEqual(before.threads);
    expect(after.handles).toBeLessThanOrEqual(before.handles);
    // Heap after a full collection: well under the 60+ MB that 200 leaked registrations held.
    expect(after.heap - before.heap).toBeLessThan(16 * 1024 * 1024);
  }, 150_000);
});
