import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generatedPackages } from '../../dist/stand-in/packages-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { nextTurn, openSession, type Session } from '../support/ghsql.js';
import { cacheFiles, clientFor, LIST, readAll, tempCacheDir, type TestClient } from './helpers.js';

const PAGES = 3;
const ROWS = PAGES * 100 - 30;

/** The cache file's rows, read as another process would. */
function storedRows(cacheDir: string): Array<{ identity: string; url: string; etag: string; stored_at: number }> {
  const db = new Database(join(cacheDir, 'responses.sqlite'), { readonly: true });
  try {
    return db.prepare<[], { identity: string; url: string; etag: string; stored_at: number }>('SELECT identity, url, etag, stored_at FROM responses ORDER BY url').all();
  } finally {
    db.close();
  }
}

describe('the response cache', () => {
  let standIn: StandIn;
  let cacheDir: string;
  let clients: TestClient[] = [];
  const client = (options: Parameters<typeof clientFor>[1] = {}, target: Parameters<typeof clientFor>[0] = standIn) => {
    const made = clientFor(target, { cacheDir, ...options });
    clients.push(made);
    return made;
  };
  beforeAll(async () => {
    standIn = await startStandIn({
      packages: generatedPackages(ROWS, 'container', 1),
      tokens: { 'first-account-token': { scopes: ['read:packages', 'delete:packages', 'write:packages'] }, 'second-account-token': { scopes: ['read:packages'] } },
    });
  });
  afterAll(() => standIn.close());
  beforeEach(async () => {
    cacheDir = tempCacheDir();
    await standIn.clearRequests();
  });
  afterEach(() => {
    for (const made of clients) made.close();
    clients = [];
  });

  describe('stores an answer only when the caller remember()s it, once it has validated it', () => {
    it('without remember(), nothing is stored and a repeat asks GitHub again', async () => {
      const { client: reader } = client({ cacheTtlMs: 60_000 });
      const pages = await readAll(reader, LIST, undefined, false);
      expect(pages.every((page) => typeof page.remember === 'function')).toBe(true);
      expect(storedRows(cacheDir)).toEqual([]);
      await readAll(reader, LIST, undefined, false);
      expect(await standIn.requests()).toHaveLength(2 * PAGES);
    });

    it('with remember(), a repeat within the TTL makes no request, and after it each page is revalidated (304)', async () => {
      const warm = client({ cacheTtlMs: 60_000 });
      const first = await readAll(warm.client);
      expect(storedRows(cacheDir)).toHaveLength(PAGES);
      await standIn.clearRequests();
      const again = await readAll(warm.client);
      expect(again.map((page) => page.body)).toEqual(first.map((page) => page.body));
      expect(await standIn.requests()).toHaveLength(0);
      expect(warm.traces.slice(PAGES).map((event) => event.source)).toEqual(Array(PAGES).fill('cache'));
      expect(again.every((page) => page.remember === undefined)).toBe(true); // nothing new to store

      // Another client with TTL 0 shares the file: every page is revalidated, and GitHub answers 304.
      const stale = client({ cacheTtlMs: 0 });
      const revalidated = await readAll(stale.client);
      expect(revalidated.map((page) => page.body)).toEqual(first.map((page) => page.body));
      expect((await standIn.requests()).map((entry) => [entry.status, entry.conditional])).toEqual(Array(PAGES).fill([304, true]));
    });

    it('a 304 keeps its entry fresh only when remember()ed', async () => {
      await readAll(client({ cacheTtlMs: 60_000 }).client);
      const storedAt = () => storedRows(cacheDir).find((row) => !/[?&]page=/.test(row.url))!.stored_at;
      const before = storedAt();
      const stale = client({ cacheTtlMs: 0 }).client;
      await new Promise((resolve) => setTimeout(resolve, 5)); // so that a new stored_at differs
      const unremembered = await stale.send(LIST);
      expect(unremembered.remember).toBeTypeOf('function');
      expect(storedAt()).toBe(before);
      (await stale.send(LIST)).remember!();
      expect(storedAt()).toBeGreaterThan(before);
      expect((await standIn.requests()).slice(PAGES).map((entry) => entry.status)).toEqual([304, 304]);
    });

    it('remember() after a write by the same client stores nothing: the answer may be stale', async () => {
      const { client: writer } = client({ cacheTtlMs: 60_000 }, { url: standIn.url, token: 'first-account-token' });
      const [first, second] = (JSON.parse((await writer.send(LIST)).body) as Array<{ name: string }>).map((item) => item.name);
      const answer = await writer.send({ route: 'GET /user/packages/{package_type}/{package_name}', params: { package_type: 'container', package_name: second } });
      expect(answer.remember).toBeTypeOf('function');
      const params = { package_type: 'container', package_name: first };
      await writer.send({ route: 'DELETE /user/packages/{package_type}/{package_name}', params });
      answer.remember!();
      expect(storedRows(cacheDir)).toEqual([]);
      await writer.send({ route: 'POST /user/packages/{package_type}/{package_name}/restore', params });
    });

    it('from SQL: an answer that fails validation is not stored, so it is not replayed', async () => {
      const [good, broken] = generatedPackages(2, 'npm', 1);
      const breaking = await startStandIn({ packages: [good!, { ...broken!, version_count: 'many' as unknown as number }] });
      let session: Session | undefined;
      try {
        session = openSession(breaking, { cache: true, cacheDir, cacheTtlSeconds: 60 });
        const query = "SELECT * FROM auth_user_packages WHERE package_type = 'npm'";
        expect(() => session!.db.prepare(query).all()).toThrow(/does not match the expected schema/);
        expect(storedRows(cacheDir)).toEqual([]);
        expect(new Database(join(cacheDir, 'responses.sqlite'), { readonly: true }).prepare('SELECT count(*) AS kept FROM response_rows').get()).toEqual({ kept: 0 });
        expect(() => session!.db.prepare(query).all()).toThrow(/does not match the expected schema/);
        expect(await breaking.requests()).toHaveLength(2); // asked again, not served from the cache
      } finally {
        await session?.close();
        await breaking.close();
      }
    });
  });

  describe('keeps the rows a list page became beside its ETag', () => {
    const query = "SELECT * FROM auth_user_packages WHERE package_type = 'container' ORDER BY id";
    const keptRows = (dir: string) => {
      const db = new Database(join(dir, 'responses.sqlite'));
      try {
        return db.prepare<[], { url: string; etag: string }>('SELECT url, etag FROM response_rows ORDER BY url').all();
      } finally {
        db.close();
      }
    };
    const tamper = (sql: string) => {
      const db = new Database(join(cacheDir, 'responses.sqlite'));
      db.prepare(sql).run();
      db.close();
    };
    let session: Session | undefined;
    afterEach(async () => {
      await session?.close();
      session = undefined;
    });

    it('so a page revalidated by a 304 is answered from them: the body is not parsed again', async () => {
      session = openSession(standIn, { cache: true, cacheDir, cacheTtlSeconds: 0 });
      const cold = session.db.prepare(query).all();
      expect(cold).toHaveLength(ROWS);
      expect(keptRows(cacheDir).map((row) => row.etag)).toEqual(storedRows(cacheDir).map((row) => row.etag));
      // Were the body parsed again, these pages would have no rows.
      tamper("UPDATE responses SET body = '[]'");
      await standIn.clearRequests();
      await nextTurn(); // a new statement: not answered by the last one's memo
      expect(session.db.prepare(query).all()).toEqual(cold);
      expect((await standIn.requests()).map((entry) => [entry.status, entry.conditional])).toEqual(Array(PAGES).fill([304, true]));
    });

    it('and not for another body: rows kept for another ETag are built again from the body', async () => {
      session = openSession(standIn, { cache: true, cacheDir, cacheTtlSeconds: 0 });
      const cold = session.db.prepare(query).all();
      tamper("UPDATE response_rows SET etag = 'W/\"another\"'");
      await standIn.clearRequests();
      await nextTurn(); // a new statement: not answered by the last one's memo
      expect(session.db.prepare(query).all()).toEqual(cold);
      expect((await standIn.requests()).map((entry) => entry.status)).toEqual(Array(PAGES).fill(304));
      expect(keptRows(cacheDir).map((row) => row.etag)).toEqual(storedRows(cacheDir).map((row) => row.etag));
    });
  });

  it('keeps accounts apart and never stores the token', async () => {
    await readAll(client({ cacheTtlMs: 60_000 }, { url: standIn.url, token: 'first-account-token' }).client);
    await standIn.clearRequests();
    // Same file, same URLs, another account: nothing is shared, so every page is requested again.
    const second = client({ cacheTtlMs: 60_000 }, { url: standIn.url, token: 'second-account-token' });
    await readAll(second.client);
    expect(second.traces.map((event) => event.source)).toEqual(Array(PAGES).fill('network'));
    expect(await standIn.requests()).toHaveLength(PAGES);
    expect(new Set(storedRows(cacheDir).map((row) => row.identity)).size).toBe(2);
    for (const bytes of cacheFiles(cacheDir)) {
      expect(bytes.includes('first-account-token')).toBe(false);
      expect(bytes.includes('second-account-token')).toBe(false);
    }
    expect(statSync(join(cacheDir, 'responses.sqlite')).mode & 0o777).toBe(0o600);
  });

  it('treats a damaged entry (an ETag that is no header value) as a miss, not as a reason to fail', async () => {
    const { client: reader, traces } = client({ cacheTtlMs: 0 });
    await readAll(reader);
    const db = new Database(join(cacheDir, 'responses.sqlite'));
    db.prepare("UPDATE responses SET etag = 'W/\"abc\"' || char(10) || 'x'").run();
    db.close();
    await standIn.clearRequests();
    expect(await readAll(reader)).toHaveLength(PAGES);
    expect((await standIn.requests()).map((entry) => [entry.status, entry.conditional])).toEqual(Array(PAGES).fill([200, false]));
    expect(traces.every((event) => event.retry === undefined)).toBe(true);
  });
});
