import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { registerResources, type Resource } from '../../dist/index.js';

// Rows kept beside a cached page's ETag are served on a 304 without parsing, validating or building
// the page again. They must be the rows this query would build from that answer: the server here
// names a later page by its own Link (shelf names are case-insensitive and every link names the shelf
// in lower case, as GitHub links /orgs/Name/… to /organizations/ID/…), so two queries share page URLs.

const strict = new URL('./synthetic/resource.mjs', import.meta.url);
const lenient = new URL('./synthetic/lenient-resource.mjs', import.meta.url);
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startApi(workerData: { untitled?: boolean } = {}): Promise<string> {
  const api = new Worker(new URL('./synthetic/canonical-links-api.mjs', import.meta.url), { workerData });
  cleanups.push(() => api.terminate().then(() => undefined));
  return ((await new Promise<{ url: string }>((resolve) => api.once('message', resolve))).url);
}

function newCacheDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ghsql-kept-rows-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Counts a shelf's books in a registration of its own (a process of its own, as far as the cache can tell). */
async function count(module: URL, apiUrl: string, cacheDir: string | undefined, shelf: string): Promise<number> {
  const { resources } = (await import(module.href)) as { resources: Resource[] };
  const db = new Database(':memory:');
  const registration = registerResources(db, { resources, module: module.href }, { apiUrl, token: 'synthetic', ...(cacheDir ? { cacheDir, cacheTtlSeconds: 0 } : { cache: false }) });
  try {
    return (db.prepare('SELECT count(*) AS n FROM shelf_books WHERE shelf = ?').get(shelf) as { n: number }).n;
  } finally {
    await registration.close();
    db.close();
  }
}

describe('rows kept beside an ETag', () => {
  it('are never served to a query that sent other values: a shelf named in another case reads every book', async () => {
    const apiUrl = await startApi();
    const cacheDir = newCacheDir();
    expect(await count(strict, apiUrl, cacheDir, 'A')).toBe(7);
    // Pages 2 and 3 are now kept under the Link's URLs (…/shelves/a/books?…), with rows whose shelf is 'A'.
    expect(await count(strict, apiUrl, cacheDir, 'a')).toBe(7);
    expect(await count(strict, apiUrl, cacheDir, 'A')).toBe(7);
  });

  it('are never served to a description whose schema refuses the answer they were built from', async () => {
    const apiUrl = await startApi({ untitled: true }); // book 1 has a null title
    const cacheDir = newCacheDir();
    await expect(count(strict, apiUrl, undefined, 'a')).rejects.toThrow(/title/);
    expect(await count(lenient, apiUrl, cacheDir, 'a')).toBe(7); // keeps its rows beside the ETags
    await expect(count(strict, apiUrl, cacheDir, 'a')).rejects.toThrow(/title/);
  });
});
