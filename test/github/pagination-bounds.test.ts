import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseLinkHeader } from '../../dist/github/link-header.js';
import { maxPagesFor } from '../../dist/github/pagination.js';
import { generatedPackages } from '../../dist/stand-in/packages-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { openSession, type Session } from '../support/ghsql.js';
import { clientFor, LIST, readAll, rejection } from './helpers.js';

describe('pagination', () => {
  let standIn: StandIn;
  let sessions: Session[] = [];
  beforeAll(async () => {
    standIn = await startStandIn({ packages: generatedPackages(250, 'container', 1) });
  });
  afterAll(() => standIn.close());
  beforeEach(async () => {
    await standIn.configure({ selfLinkingPages: false });
    await standIn.clearRequests();
  });
  afterEach(async () => {
    await Promise.all(sessions.map((session) => session.close()));
    sessions = [];
  });

  describe('a next link back to a page already read', () => {
    it('is an error, and that page is not requested again', async () => {
      await standIn.configure({ selfLinkingPages: true });
      const { client } = clientFor(standIn);
      const error = await rejection(readAll(client));
      expect(error).toMatchObject({ code: 'BAD_RESPONSE' });
      expect(error.message).toBe(
        "GitHub's next-page link for /user/packages?package_type=container&per_page=100 leads back to a page already read " +
          '(/user/packages?package_type=container&per_page=100); stopping rather than reading the same pages forever.',
      );
      expect(await standIn.requests()).toHaveLength(1);
    });

    it('fails the SQL statement rather than returning the first page alone', async () => {
      await standIn.configure({ selfLinkingPages: true });
      const session = openSession(standIn);
      sessions.push(session);
      expect(() => session.db.prepare("SELECT id FROM auth_user_packages WHERE package_type = 'container'").all()).toThrow(/leads back to a page already read/);
    });
  });

  it('a next link that is not a URL is an error, not the end of the list', () => {
    expect(() => parseLinkHeader('<https://api.github.com/user/packages?page=2>; rel="next", <//[::x]/>; rel="last"')).toThrow(
      /^GitHub's Link header has a rel="last" link that is not a URL: "\/\/\[::x\]\/"\.$/,
    );
    expect(parseLinkHeader('<https://api.github.com/user/packages?page=2>; rel="next"')).toEqual({ next: 'https://api.github.com/user/packages?page=2' });
  });

  describe("readPages' bound", () => {
    it('stops a list longer than the bound with an error, requesting no page past it', async () => {
      const { client } = clientFor(standIn, { concurrency: 8 });
      const error = await rejection(readAll(client, LIST, 2));
      expect(error).toMatchObject({ code: 'BAD_RESPONSE' });
      expect(error.message).toMatch(/^the list \/user\/packages\?package_type=container&per_page=100 goes on past 2 pages/);
      expect((await standIn.requests()).map((entry) => entry.query['page'] ?? '1')).toEqual(['1', '2']);
    });

    it('reads a list that fits it', async () => {
      const { client } = clientFor(standIn);
      expect(await readAll(client, LIST, 3)).toHaveLength(3);
    });

    it('comes from the 10,000-item cap: every page GitHub serves, plus one to hear it say so', () => {
      expect(maxPagesFor(100)).toBe(101);
      expect(maxPagesFor(30)).toBe(334);
      expect(maxPagesFor(1)).toBe(10_001);
    });

    it('must be a whole number of at least 1', async () => {
      const { client } = clientFor(standIn);
      for (const bound of [0, 1.5, Number.NaN]) {
        const error = await rejection(readAll(client, LIST, bound));
        expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
        expect(error.message).toMatch(/maxPages must be a whole number of at least 1/);
      }
      expect(await standIn.requests()).toEqual([]);
    });
  });
});
