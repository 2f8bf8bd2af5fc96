import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedPackages } from '../../dist/stand-in/packages-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { clientFor, readAll, tempCacheDir } from './helpers.js';

const FIRST = 'first-account-token';
const SECOND = 'second-account-token';
const ITEMS = 250;
const READER = fileURLToPath(new URL('./processes/cache-reader.mjs', import.meta.url));
const DELETER = fileURLToPath(new URL('./processes/cache-deleter.mjs', import.meta.url));

interface ReaderReport {
  sources: { network: number; revalidated: number; cache: number };
  /** Items seen, by whether they came from the first account's marked entries. */
  names: { marked?: number; plain?: number };
  problems: string[];
  warnings: string[];
}

/** Runs a child process to its end; resolves with its stdout (rejects on a non-zero exit). */
function run(args: string[], input?: (stdin: NodeJS.WritableStream) => Promise<void>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${args[0]} exited with ${code}`))));
    if (input) void input(child.stdin);
    else child.stdin.end();
  });
}

describe('two processes sharing one cache file with two tokens, while a third deletes its rows', () => {
  let standIn: StandIn;
  let cacheDir: string;
  const read = async (token: string, iterations: number) =>
    JSON.parse(await run([READER, standIn.url, token, cacheDir, String(iterations), String(ITEMS)])) as ReaderReport;

  beforeAll(async () => {
    const grant = { scopes: ['read:packages'] };
    standIn = await startStandIn({ packages: generatedPackages(ITEMS, 'container', 1), tokens: { [FIRST]: grant, [SECOND]: grant } });
    cacheDir = tempCacheDir();
    // The first account's entries, marked so that rows read from them can be told apart: the same
    // URLs as the second account's, so only the cache's per-account keys keep them apart.
    const { client, close } = clientFor({ url: standIn.url, token: FIRST }, { cacheDir, cacheTtlMs: 60_000 });
    await readAll(client);
    close();
    const db = new Database(join(cacheDir, 'responses.sqlite'));
    db.prepare(`UPDATE responses SET body = replace(body, '"name":"', '"name":"only-for-first:')`).run();
    db.close();
  });
  afterAll(() => standIn.close());

  it('each account reads only its own entries', async () => {
    const second = await read(SECOND, 1);
    expect(second).toMatchObject({ problems: [], names: { plain: ITEMS }, sources: { cache: 0, network: 3 } });
    expect(second.names.marked).toBeUndefined();
    const first = await read(FIRST, 1);
    expect(first).toMatchObject({ problems: [], names: { marked: ITEMS }, sources: { cache: 3, network: 0 } });
  });

  it('and both keep working, never mixing rows, while entries vanish under them', async () => {
    let deleterDone: Promise<string> | undefined;
    const readers = new Promise<[ReaderReport, ReaderReport]>((resolve, reject) => {
      deleterDone = run([DELETER, join(cacheDir, 'responses.sqlite')], async (stdin) => {
        try {
          resolve(await Promise.all([read(FIRST, 40), read(SECOND, 40)]));
        } catch (error) {
          reject(error);
        } finally {
          stdin.end(); // the deleter stops when its input ends
        }
      });
    });
    const [first, second] = await readers;
    const deleter = JSON.parse(await deleterDone!) as { ticks: number; deleted: number };
    expect(first.problems).toEqual([]);
    expect(second.problems).toEqual([]);
    expect(second.names.marked).toBeUndefined();
    expect(second.names.plain).toBe(40 * ITEMS);
    expect((first.names.marked ?? 0) + (first.names.plain ?? 0)).toBe(40 * ITEMS);
    expect(deleter.deleted).toBeGreaterThan(0);
    const db = new Database(join(cacheDir, 'responses.sqlite'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
