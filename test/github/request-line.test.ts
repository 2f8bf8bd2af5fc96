import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubClient } from '../../dist/github/client.js';
import { generatedPackages } from '../../dist/stand-in/packages-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { openSession, type Session } from '../support/ghsql.js';
import { clientFor, rejection } from './helpers.js';

const DELETE = 'DELETE /user/packages/{package_type}/{package_name}';
const RESTORE = 'POST /user/packages/{package_type}/{package_name}/restore';
const GET = 'GET /user/packages/{package_type}/{package_name}';

describe('path values', () => {
  let standIn: StandIn;
  let client: GitHubClient;
  let sessions: Session[] = [];
  beforeAll(async () => {
    standIn = await startStandIn({ packages: generatedPackages(3, 'npm', 1) });
    client = clientFor(standIn).client;
  });
  afterAll(() => standIn.close());
  beforeEach(() => standIn.clearRequests());
  afterEach(async () => {
    await Promise.all(sessions.map((session) => session.close()));
    sessions = [];
  });

  describe('that would leave their segment are refused before any request, naming the parameter', () => {
    const cases: Array<[string, string, Record<string, string | undefined>, string]> = [
      ['DELETE with package_name ".."', DELETE, { package_type: 'npm', package_name: '..' }, 'package_name cannot be ".."'],
      ['DELETE with package_name "."', DELETE, { package_type: 'npm', package_name: '.' }, 'package_name cannot be "."'],
      ['DELETE with package_name ""', DELETE, { package_type: 'npm', package_name: '' }, 'package_name cannot be ""'],
      ['DELETE without package_name', DELETE, { package_type: 'npm' }, 'package_name cannot be missing'],
      ['POST restore with package_type ".."', RESTORE, { package_type: '..', package_name: 'x' }, 'package_type cannot be ".."'],
      ['GET with package_name ".."', GET, { package_type: 'npm', package_name: '..' }, 'package_name cannot be ".."'],
    ];
    it.each(cases)('%s', async (_, route, params, message) => {
      const error = await rejection(client.send({ route, params }));
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(error.message).toContain(message);
      expect(error.message).toContain(route);
      expect(await standIn.requests()).toEqual([]);
    });

    it('from SQL too: an action on ".." is refused, and a get of "." is no row, before any request', async () => {
      const session = openSession(standIn, { allowWrites: true, writeIntervalMs: 0 });
      sessions.push(session);
      expect(() => session.db.prepare("SELECT delete_package_for_authenticated_user('npm', '..')").get()).toThrow(/package_name "\.\." is not a name GitHub can have/);
      // No package is named "." (SQL says no row), and the request would go to another URL.
      expect(session.db.prepare("SELECT * FROM auth_user_packages WHERE package_type = 'npm' AND package_name = '.'").all()).toEqual([]);
      expect(await standIn.requests()).toEqual([]);
    });
  });

  it('that only look like dots stay one segment, percent-encoded as needed', async () => {
    for (const name of ['...', '.hidden', 'a..b', '%2e%2e', 'a/..']) {
      const answer = await client.send({ route: GET, params: { package_type: 'npm', package_name: name }, accept: [404] });
      expect(answer.status).toBe(404);
    }
    expect((await standIn.requests()).map((entry) => entry.path)).toEqual([
      '/user/packages/npm/...',
      '/user/packages/npm/.hidden',
      '/user/packages/npm/a..b',
      '/user/packages/npm/%252e%252e',
      '/user/packages/npm/a%2F..',
    ]);
  });
});

describe('the request line in errors and the trace', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn({ packages: generatedPackages(3, 'npm', 1) });
  });
  afterAll(() => standIn.close());

  it('is the one sent, after URL normalisation', async () => {
    const { client, traces } = clientFor(standIn);
    // A URL from elsewhere (a Link header, say) with dot segments: fetch sends it normalised.
    const error = await rejection(client.send({ route: `GET ${standIn.url}/user/packages/container/../npm/./missing` }));
    const [sent] = await standIn.requests();
    expect(sent!.path).toBe('/user/packages/npm/missing');
    expect(error.message).toMatch(/^GET \/user\/packages\/npm\/missing: not found/);
    expect(traces.map((event) => `${event.method} ${event.target} ${event.status}`)).toEqual(['GET /user/packages/npm/missing 404']);
  });
});
