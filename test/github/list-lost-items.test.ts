// A list that loses an item while it is read (something before it deleted, so an item moves onto a
// page already read): what ghsql detects, and the one case a streamed read cannot see (README).

import { describe, expect, it } from 'vitest';
import { ListCount, PageDemand, readPages } from '../../dist/github/pagination.js';
import { generatedPackages } from '../../dist/stand-in/packages-data.js';
import { useStandInSession } from '../support/ghsql.js';
import { clientFor, LIST, rejection, tempCacheDir } from './helpers.js';

// Container packages of 250 active versions (pages of 100, 100 and 50), one for each test; and 201
// npm packages (pages of 100, 100 and 1).
const packages = [...generatedPackages(4, 'container', 1, 250).map((pkg) => ({ ...pkg, downloads: 0 })), ...generatedPackages(201, 'npm', 10).map((pkg) => ({ ...pkg, downloads: 0 }))];
// With the response cache on, as in the CLI by default: a page asked again and unchanged is a 304.
const context = useStandInSession({ packages, accounts: [] }, { cache: true, cacheDir: tempCacheDir() });
const named = (id: number) => `package_name = 'container-package-${String(id).padStart(6, '0')}'`;
const headers = () => ({ authorization: `token ${context.standIn.token}` });

async function withDeleteDuringList<T>(body: () => T | Promise<T>): Promise<T> {
  await context.standIn.configure({ deleteDuringList: true });
  try {
    return await body();
  } finally {
    await context.standIn.configure({ deleteDuringList: false });
  }
}

describe('a list that loses an item while it is read', () => {
  it('the stand-in (deleteDuringList) deletes the first item once page 1 is served: the item that began page 2 is on page 1 now', async () => {
    const url = `${context.standIn.url}/user/packages/container/container-package-000001/versions?per_page=100`;
    const ids = async (page: number) => ((await (await fetch(`${url}&page=${page}`, { headers: headers() })).json()) as Array<{ id: number }>).map((item) => item.id);
    const before = [...(await ids(1)), ...(await ids(2))];
    const firstPage = await withDeleteDuringList(() => ids(1));
    expect(firstPage).toEqual(before.slice(0, 100));
    const page1After = await ids(1);
    expect(page1After).toEqual(before.slice(1, 101)); // the first is gone; page 2's first moved up
    expect((await ids(2))[0]).toBe(before[101]);
  });

  it('a whole-list read (graph tables, delete guards) asks each page but the last again, and fails with LIST_CHANGED', async () => {
    const thrown = await withDeleteDuringList(() => {
      try {
        context.sql(`SELECT count(*) FROM auth_user_container_manifests WHERE ${named(2)}`);
      } catch (caught) {
        return caught as Error & { code?: string };
      }
      throw new Error('expected LIST_CHANGED');
    });
    expect(thrown).toMatchObject({ code: 'LIST_CHANGED' });
    expect(thrown.message).toMatch(
      /^GitHub's list \(\/user\/packages\/container\/container-package-000002\/versions\?per_page=100(&page=1)?\) changed while it was read: that page ended with the item \d+ and now ends with the item \d+, so something before it was deleted or added meanwhile and an item may have moved between pages unseen\. Run the query again\.$/,
    );
  });

  it('an unchanged list passes the check: each page asked again is a 304, which costs no rate limit', async () => {
    expect(context.sql(`SELECT count(*) AS n FROM auth_user_container_manifests WHERE ${named(3)}`)).toEqual([{ n: 250 }]);
    const listed = (await context.requests()).filter((entry) => entry.path.includes('/versions'));
    // Pages 1 and 2 asked again, each a 304. (A busy box may add a 200: a request retried after a
    // timeout, or a page read ahead by the previous statement's last turn; neither is the second look.)
    expect(listed.filter((entry) => entry.status === 304)).toHaveLength(2);
    expect(listed.filter((entry) => entry.status !== 200 && entry.status !== 304)).toEqual([]);
    expect(listed.slice(-2).map((entry) => entry.status)).toEqual([304, 304]);
  });

  it('a streamed SELECT does not ask again, so it misses the item when the page count stays the same (the limit the README states)', async () => {
    const select = `SELECT id FROM auth_user_package_versions WHERE package_type = 'container' AND ${named(4)}`;
    const read = (await withDeleteDuringList(() => context.sql(select))).map((row) => row['id']);
    await new Promise((resolve) => setTimeout(resolve, 5)); // a new statement: not answered from its memo
    const remaining = context.sql(select).map((row) => row['id']);
    // 250 rows read, one of them deleted meanwhile; of the 249 that remain, one was never seen.
    expect(read).toHaveLength(250 - 1);
    expect(remaining.filter((id) => !read.includes(id))).toHaveLength(1);
  });

  it('a list whose last page comes back empty (the last item deleted before it was read) is LIST_CHANGED, not a short list', async () => {
    const { client } = clientFor(context.standIn);
    const demand = new PageDemand(2);
    const npm = { ...LIST, params: { ...LIST.params, package_type: 'npm' } };
    const pages = readPages(client, npm, demand, new AbortController().signal);
    const count = new ListCount();
    const read = async () => {
      const page = await pages.next();
      if (!page.done) count.add(page.value, (JSON.parse(page.value.body) as unknown[]).length);
      return page.done;
    };
    expect(await read()).toBe(false);
    expect(await read()).toBe(false); // pages 1 and 2 of 3 read
    const [first] = (await (await fetch(`${context.standIn.url}/user/packages?package_type=npm&per_page=1`, { headers: headers() })).json()) as Array<{ name: string }>;
    expect((await fetch(`${context.standIn.url}/user/packages/npm/${first!.name}`, { method: 'DELETE', headers: headers() })).status).toBe(204);
    demand.raise(10);
    expect(await read()).toBe(false); // page 3, now empty, and the last page by its Link header
    expect(await read()).toBe(true);
    const error = await rejection(Promise.resolve().then(() => count.end()));
    expect(error).toMatchObject({ code: 'LIST_CHANGED' });
    expect(error.message).toBe(
      'the list /user/packages?package_type=npm&per_page=100 lost items while it was read: its first page said 3 pages of 100, so at least 201 items, but it ended after 200. Something was deleted meanwhile, and an item may have moved onto a page already read. Run the query again.',
    );
  });
});
