import Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerResources, type Registration, type Resource } from '../../dist/index.js';
import { nextTurn } from '../support/ghsql.js';

const resourceModule = new URL('./synthetic/resource.mjs', import.meta.url);

/** The engine through a table that is not GitHub's: INTEGER key, query-only parameter, nested field. */
describe('the engine, through a synthetic resource', () => {
  let api: Worker;
  let db: Database.Database;
  let registration: Registration;
  const sql = (text: string, ...params: unknown[]) => db.prepare(text).all(...params) as Array<Record<string, unknown>>;
  const requests = () =>
    new Promise<string[]>((resolve) => {
      api.once('message', (message: { log: string[] }) => resolve(message.log));
      api.postMessage('log');
    });

  beforeAll(async () => {
    api = new Worker(new URL('./synthetic/api.mjs', import.meta.url));
    const { url } = await new Promise<{ url: string }>((resolve) => api.once('message', resolve));
    const { resources } = (await import(resourceModule.href)) as { resources: Resource[] };
    db = new Database(':memory:');
    registration = registerResources(db, { resources, module: resourceModule.href }, { apiUrl: url, token: 'synthetic', cache: false });
  });
  afterAll(async () => {
    await registration.close();
    db.close();
    await api.terminate();
  });
  beforeEach(async () => {
    await nextTurn();
    await requests();
  });

  it('reads a nested field, the parameter the request was made for, and an INTEGER key', async () => {
    const rows = sql("SELECT id, typeof(id) AS type, author, shelf, book_id, edition FROM shelf_books WHERE shelf = 'a' ORDER BY id LIMIT 2");
    expect(rows).toEqual([
      { id: 1, type: 'integer', author: 'Author 1', shelf: 'a', book_id: 1, edition: 'first' },
      { id: 2, type: 'integer', author: 'Author 2', shelf: 'a', book_id: 2, edition: 'later' },
    ]);
    expect(sql("SELECT count(*) AS n FROM shelf_books WHERE shelf = 'a'")).toEqual([{ n: 12 }]);
  });

  it('sends a query-only parameter on the list, and checks it on a get that cannot send it', async () => {
    expect(sql("SELECT id FROM shelf_books WHERE shelf = 'a' AND edition = 'first' ORDER BY id").map((row) => row['id'])).toEqual([1, 3, 5, 7, 9, 11]);
    expect((await requests())[0]).toBe('GET /shelves/a/books?edition=first&per_page=100');
    // The get has no edition: the row's edition comes from the item, and decides.
    expect(sql("SELECT id, edition FROM shelf_books WHERE shelf = 'a' AND book_id = 3 AND edition = 'first'")).toEqual([{ id: 3, edition: 'first' }]);
    expect(sql("SELECT id FROM shelf_books WHERE shelf = 'a' AND book_id = 4 AND edition = 'first'")).toEqual([]);
    expect(await requests()).toEqual(['GET /shelves/a/books/3', 'GET /shelves/a/books/4']);
  });

  it('answers the 6th and later gets of one list by INTEGER key (they used to return no row); a key the list lacks gets its get', async () => {
    db.exec('CREATE TEMP TABLE wanted(id INTEGER); INSERT INTO wanted VALUES (1),(2),(3),(4),(5),(6),(7),(8),(9),(10),(11),(12),(13)');
    const rows = sql("SELECT w.id, b.title FROM wanted w JOIN shelf_books b ON b.shelf = 'a' AND b.book_id = w.id ORDER BY w.id");
    expect(rows.map((row) => row['id'])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const log = await requests();
    expect(log.filter((line) => /books\/\d+$/.test(line))).toEqual([...[1, 2, 3, 4, 5].map((id) => `GET /shelves/a/books/${id}`), 'GET /shelves/a/books/13']);
  });

  it('asks no get for a key the list lacks when the list holds every answer a get can give', async () => {
    db.exec('CREATE TEMP TABLE asked(id INTEGER); INSERT INTO asked VALUES (1),(2),(3),(4),(5),(6),(13),(7),(12)');
    const joined = "SELECT w.id, b.title FROM asked w JOIN complete_shelf_books b ON b.shelf = 'a' AND b.book_id = w.id ORDER BY w.id";
    const rows = sql(joined);
    expect(rows.map((row) => row['id'])).toEqual([1, 2, 3, 4, 5, 6, 7, 12]);
    const log = await requests();
    expect(log.filter((line) => /books\/\d+$/.test(line))).toEqual([1, 2, 3, 4, 5].map((id) => `GET /shelves/a/books/${id}`));
    expect(log).toContain('GET /shelves/a/books?per_page=100');
    // The same rows as gets alone give: a key the list lacks has no row either way.
    await nextTurn();
    expect(sql("SELECT id, title FROM complete_shelf_books WHERE shelf = 'a' AND book_id = 13")).toEqual([]);
    expect(rows).toEqual(sql(joined.replace('complete_shelf_books', 'shelf_books')));
  });

  it('compares bound values as SQL does: text for an INTEGER key, numbers for text, never a blob', async () => {
    expect(sql("SELECT id FROM shelf_books WHERE shelf = 'a' AND book_id = '5'")).toEqual([{ id: 5 }]);
    expect(sql("SELECT id FROM shelf_books WHERE shelf = 'a' AND book_id = 5.0")).toEqual([{ id: 5 }]);
    expect(sql("SELECT id FROM shelf_books WHERE shelf = 'a' AND book_id = 5.5")).toEqual([]);
    expect(sql("SELECT id FROM shelf_books WHERE shelf = 'a' AND book_id = 'five'")).toEqual([]);
    expect(sql("SELECT id FROM shelf_books WHERE shelf = x'61' AND book_id = 5")).toEqual([]);
    // One request: the same get again in this synchronous run is answered from the statement memo.
    expect(await requests()).toEqual(['GET /shelves/a/books/5']);
  });

  it('never sends a path value that would leave its segment', async () => {
    for (const shelf of ['', '.', '..']) expect(sql('SELECT id FROM shelf_books WHERE shelf = ?', shelf)).toEqual([]);
    expect(await requests()).toEqual([]);
  });
});
