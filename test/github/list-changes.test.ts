import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageDemand, readPages } from '../../dist/github/pagination.js';
import { generatedPackages } from '../../dist/stand-in/packages-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { openSession } from '../support/ghsql.js';
import { clientFor, LIST, rejection } from './helpers.js';

/** A list that changes while it is read is an error that says so, never a short or doubled list. */
describe('a list that changes while it is read', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn({ packages: generatedPackages(250, 'container', 1).map((pkg) => ({ ...pkg, downloads: 0 })), accounts: [] });
  });
  afterAll(() => standIn.close());

  it('shrinking (something deleted after page 1): LIST_CHANGED, as an item may have moved onto page 1', async () => {
    const { client } = clientFor(standIn);
    const demand = new PageDemand(1);
    const pages = readPages(client, LIST, demand, new AbortController().signal);
    expect((await pages.next()).done).toBe(false); // page 1 of 3
    // Another client deletes 60 packages: the list is now 2 pages long.
    for (let id = 1; id <= 60; id++) {
      const name = `container-package-${String(id).padStart(6, '0')}`;
      const response = await fetch(`${standIn.url}/user/packages/container/${name}`, { method: 'DELETE', headers: { authorization: `token ${standIn.token}` } });
      expect(response.status).toBe(204);
    }
    demand.raise(10);
    const error = await rejection((async () => {
      for (let page = await pages.next(); !page.done; page = await pages.next());
    })());
    expect(error).toMatchObject({ code: 'LIST_CHANGED' });
    expect(error.message).toMatch(/shrank while it was read \(its last page was 3, now 2\)/);
  });

  it('growing at the front (shiftDuringList): the row seen twice is LIST_CHANGED from SQL', async () => {
    await standIn.configure({ shiftDuringList: true });
    const session = openSession(standIn);
    try {
      expect(() => session.db.prepare("SELECT count(*) FROM auth_user_packages WHERE package_type = 'container'").get()).toThrow(
        /gave the row with key \d+ twice: it changed while it was read/,
      );
    } finally {
      await standIn.configure({ shiftDuringList: false });
      await session.close();
    }
  });
});
