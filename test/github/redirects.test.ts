import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generatedPackages } from '../../dist/stand-in/packages-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { openSession, type Session } from '../support/ghsql.js';
import { clientFor, LIST, readAll, rejection } from './helpers.js';

const DELETE = { route: 'DELETE /user/packages/{package_type}/{package_name}', params: { package_type: 'container', package_name: 'package-1' } };
const RESTORE = { route: 'POST /user/packages/{package_type}/{package_name}/restore', params: { package_type: 'container', package_name: 'package-1' } };

describe('redirects', () => {
  /** The API the client is configured for. */
  let api: StandIn;
  /** Another host, with other packages, that would answer a write with 204 and a read with its rows. */
  let elsewhere: StandIn;
  let sessions: Session[] = [];
  const open = (options: Parameters<typeof openSession>[1] = {}) => {
    const session = openSession(api, options);
    sessions.push(session);
    return session;
  };

  beforeAll(async () => {
    [api, elsewhere] = await Promise.all([
      startStandIn({ packages: generatedPackages(150, 'container', 1) }),
      startStandIn({ packages: generatedPackages(7, 'container', 9) }),
    ]);
  });
  afterAll(() => Promise.all([api.close(), elsewhere.close()]));
  beforeEach(async () => {
    await api.configure({ redirect: null });
    await Promise.all([api.clearRequests(), elsewhere.clearRequests()]);
  });
  afterEach(async () => {
    await Promise.all(sessions.map((session) => session.close()));
    sessions = [];
  });

  describe('of a write are never followed', () => {
    it.each([
      ['DELETE', 302, DELETE],
      ['POST restore', 307, RESTORE],
      ['DELETE', 308, DELETE],
    ])('%s answered %i to another host: an error saying so, and the other host hears nothing', async (_, status, request) => {
      await api.configure({ redirect: { status, location: `${elsewhere.url}/user/packages/container/package-1` } });
      const { client } = clientFor(api);
      const error = await rejection(client.send(request));
      expect(error).toMatchObject({ code: 'REDIRECT', status });
      expect(error.message).toMatch(new RegExp(`with a redirect \\(${status} to http://127\\.0\\.0\\.1:\\d+/user/packages/container/package-1\\); ghsql never follows a redirect for a write`));
      expect(await elsewhere.requests()).toEqual([]);
    });

    it('even to the same host', async () => {
      await api.configure({ redirect: { status: 302, location: '/user/packages/container/package-2', requests: 1 } });
      const { client } = clientFor(api);
      expect(await rejection(client.send(DELETE))).toMatchObject({ code: 'REDIRECT' });
      expect((await api.requests()).map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual(['DELETE /user/packages/container/package-1 302']);
    });

    it('from SQL: the action fails instead of reporting "deleted"', async () => {
      await api.configure({ redirect: { status: 302, location: `${elsewhere.url}/user/packages/container/package-1` } });
      const session = open({ allowWrites: true, writeIntervalMs: 0 });
      expect(() => session.db.prepare("SELECT delete_package_for_authenticated_user('container', 'package-1')").get()).toThrow(/never follows a redirect for a write/);
      expect(await elsewhere.requests()).toEqual([]);
    });
  });

  describe('of a read', () => {
    it('to another host are refused, so neither the token nor the query goes there', async () => {
      await api.configure({ redirect: { status: 302, location: `${elsewhere.url}/user/packages?package_type=container` } });
      const { client } = clientFor(api);
      const error = await rejection(readAll(client));
      expect(error).toMatchObject({ code: 'REDIRECT', status: 302 });
      expect(error.message).toMatch(/redirected GET \/user\/packages\?package_type=container&per_page=100 to another host \(http:\/\/127\.0\.0\.1:\d+\/user\/packages\)/);
      expect(await elsewhere.requests()).toEqual([]);
    });

    it("to another host never return that host's rows to SQL", async () => {
      await api.configure({ redirect: { status: 301, location: `${elsewhere.url}/user/packages?package_type=container` } });
      const session = open();
      expect(() => session.db.prepare("SELECT name FROM auth_user_packages WHERE package_type = 'container'").all()).toThrow(/to another host/);
      expect(await elsewhere.requests()).toEqual([]);
    });

    it('within the same origin are followed, and the trace shows each request sent', async () => {
      // The same list, its query in another order: a redirect GitHub might send after a move.
      await api.configure({ redirect: { status: 301, location: '/user/packages?per_page=100&package_type=container', requests: 1 } });
      const { client, traces } = clientFor(api);
      const pages = await readAll(client);
      expect(pages.flatMap((page) => JSON.parse(page.body) as unknown[])).toHaveLength(150);
      expect(traces.map((event) => `${event.target} ${event.status}`)).toEqual([
        '/user/packages?package_type=container&per_page=100 301',
        '/user/packages?per_page=100&package_type=container 200',
        '/user/packages?per_page=100&package_type=container&page=2 200',
      ]);
    });

    it('that never end stop after five, with an error', async () => {
      await api.configure({ redirect: { status: 302, location: '/user/packages?package_type=container&per_page=100' } });
      const { client } = clientFor(api);
      const error = await rejection(client.send(LIST));
      expect(error).toMatchObject({ code: 'REDIRECT' });
      expect(error.message).toMatch(/redirected GET \S+ more than 5 times/);
      expect(await api.requests()).toHaveLength(6);
    });

    it('without a Location are a bad response', async () => {
      await api.configure({ redirect: { status: 302, location: '' } });
      const { client } = clientFor(api);
      const error = await rejection(client.send(LIST));
      expect(error).toMatchObject({ code: 'BAD_RESPONSE' });
      expect(error.message).toMatch(/with 302 but no usable Location/);
      expect(await api.requests()).toHaveLength(1);
    });
  });
});
