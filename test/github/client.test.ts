import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GhsqlError, type TraceEvent } from '../../dist/index.js';
import { tokenFromEnvironment } from '../../dist/github/auth.js';
import { generatedPackages } from '../../dist/stand-in/packages-data.js';
import { DEMO_TOKEN } from '../../dist/stand-in/server.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { nextTurn, openSession, type Session } from '../support/ghsql.js';

const FULL_LIST = "SELECT id, name, version_count FROM auth_user_packages WHERE package_type = 'container' ORDER BY id";
const PAGES = 5;

describe('GitHub client', () => {
  let standIn: StandIn;
  let sessions: Session[] = [];
  const open = (options: Parameters<typeof openSession>[1] = {}) => {
    const session = openSession(standIn, options);
    sessions.push(session);
    return session;
  };
  const list = (session: Session) => session.db.prepare(FULL_LIST).all();

  beforeAll(async () => {
    standIn = await startStandIn({ packages: generatedPackages(PAGES * 100 - 30, 'container', 1) });
  });
  afterAll(() => standIn.close());
  beforeEach(async () => {
    await nextTurn();
    await standIn.configure({ faultRate: 0, latencyMs: 0, secondaryLimitRequests: 0, rateLimit: { limit: 5000, remaining: 5000, resetSeconds: 3600 } });
    await standIn.clearRequests();
  });
  afterEach(async () => {
    await Promise.all(sessions.map((session) => session.close()));
    sessions = [];
  });

  describe('faults', () => {
    it('gives the same result with 20% injected 500s and connection resets as a clean run', async () => {
      const clean = list(open());
      await standIn.configure({ faultRate: 0.2, faultKinds: ['500', '502', 'reset'], seed: 7 });
      const faulty = open({ maxRetries: 8, retryBaseMs: 5 });
      for (let run = 0; run < 3; run++) {
        await nextTurn();
        expect(list(faulty)).toEqual(clean);
      }
      const statuses = (await standIn.requests()).map((entry) => entry.status);
      expect(statuses.some((status) => status !== 200)).toBe(true); // faults did happen
    });

    it('fails the whole statement, never a partial result, when a page keeps failing', async () => {
      await standIn.configure({ faultRate: 1, faultKinds: ['503'] });
      const session = open({ maxRetries: 2, retryBaseMs: 5 });
      expect(() => list(session)).toThrow(/GET \/user\/packages\?package_type=container&per_page=100 failed with 503/);
      expect(await standIn.requests()).toHaveLength(3);
    });

    it('times out a slow request, retries, then says it timed out', async () => {
      await standIn.configure({ latencyMs: 400 });
      const session = open({ timeoutMs: 50, maxRetries: 1, retryBaseMs: 5 });
      expect(() => list(session)).toThrow(/failed after 2 attempts: timed out/);
    });
  });

  describe('rate limits', () => {
    it('waits for the reset of an exhausted primary limit, then succeeds', async () => {
      await standIn.configure({ rateLimit: { limit: 2, remaining: 0, resetSeconds: 1 } });
      const session = open({ maxWaitMs: 10_000 });
      expect(list(session)).toHaveLength(PAGES * 100 - 30);
      const statuses = (await standIn.requests()).map((entry) => entry.status);
      expect(statuses[0]).toBe(403);
      expect(statuses.filter((status) => status === 200)).toHaveLength(PAGES);
    });

    it('fails with the reset time when the wait would be longer than the maximum', async () => {
      await standIn.configure({ rateLimit: { limit: 10, remaining: 0, resetSeconds: 3600 } });
      const session = open({ maxWaitMs: 1_000 });
      let error: unknown;
      try {
        list(session);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(GhsqlError);
      expect((error as GhsqlError).code).toBe('RATE_LIMITED');
      const resetAt = new Date(Date.now() + 3600_000).toTimeString().slice(0, 5);
      expect((error as Error).message).toMatch(new RegExp(`rate limit is exhausted until (${resetAt}|\\d\\d:\\d\\d).*allow a longer wait with the maxWaitMs option\\.`));
      expect(await standIn.requests()).toHaveLength(1);
    });

    it('honours retry-after on a secondary limit', async () => {
      await standIn.configure({ secondaryLimitRequests: 1, secondaryRetryAfterSeconds: 1 });
      const traces: TraceEvent[] = [];
      const session = open({ onTrace: (event) => traces.push(event) });
      const started = Date.now();
      expect(list(session)).toHaveLength(PAGES * 100 - 30);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
      expect(traces[0]).toMatchObject({ status: 403, retry: 'rate limited, waiting 1 s' });
    });
  });

  describe('auth', () => {
    it('says how to get a token when there is none, before any request', async () => {
      const session = open({ token: '' });
      expect(() => list(session)).toThrow(/no GitHub token: set GITHUB_TOKEN or GH_TOKEN/);
      expect(await standIn.requests()).toHaveLength(0);
    });

    it('calls a rejected token rejected, without showing it', () => {
      const secret = 'not-a-valid-token-1234';
      const session = open({ token: secret });
      let message = '';
      try {
        list(session);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/GitHub rejected the token \(401 Bad credentials\)/);
      expect(message).not.toContain(secret);
    });

    it('names the missing scope', async () => {
      const limited = await startStandIn({ tokens: { 'repo-only-token': { scopes: ['repo'] } } });
      const db = openSession(limited);
      sessions.push(db);
      expect(() => db.db.prepare("SELECT * FROM auth_user_packages WHERE package_type = 'npm'").all()).toThrow(
        /the token lacks the read:packages scope/,
      );
      await limited.close();
    });

    it('refuses to send a token over plain HTTP to a host other than loopback', () => {
      expect(() => open({ apiUrl: 'http://github.example.com/api/v3' })).toThrow(/refusing to send the GitHub token over plain HTTP to github.example.com/);
      expect(() => open({ apiUrl: 'github.example.com' })).toThrow(/is not a URL/);
    });

    it('takes GITHUB_TOKEN, then GH_TOKEN, then `gh auth token`', () => {
      const bin = mkdtempSync(join(tmpdir(), 'ghsql-gh-'));
      // A fake gh that answers with the host it was asked about.
      writeFileSync(join(bin, 'gh'), '#!/bin/sh\n[ "$1 $2 $3" = "auth token --hostname" ] && echo "token-for-$4"\n');
      chmodSync(join(bin, 'gh'), 0o755);
      const github = 'https://api.github.com';
      expect(tokenFromEnvironment(github, { GITHUB_TOKEN: 'a', GH_TOKEN: 'b', PATH: bin })).toBe('a');
      expect(tokenFromEnvironment(github, { GH_TOKEN: 'b', PATH: bin })).toBe('b');
      expect(tokenFromEnvironment(github, { PATH: bin })).toBe('token-for-github.com');
      expect(tokenFromEnvironment('https://ghe.example.com/api/v3', { PATH: bin })).toBe('token-for-ghe.example.com');
      expect(tokenFromEnvironment(github, { PATH: '/nonexistent' })).toBeUndefined();
    });
  });

  describe('trace', () => {
    it('reports each request with status and timing, and no token', async () => {
      const traces: TraceEvent[] = [];
      list(open({ onTrace: (event) => traces.push(event) }));
      expect(traces).toHaveLength(PAGES);
      expect(traces[0]).toMatchObject({ method: 'GET', target: '/user/packages?package_type=container&per_page=100', status: 200, source: 'network' });
      expect(typeof traces[0]!.ms).toBe('number');
      expect(traces[0]!.rateLimitRemaining).toBeGreaterThan(0);
      expect(JSON.stringify(traces)).not.toContain(DEMO_TOKEN);
    });
  });

  describe('GitHub Enterprise Server', () => {
    it('works under any base URL, /api/v3 included, pages and all', async () => {
      const enterprise = await startStandIn({ basePath: '/api/v3', packages: generatedPackages(150, 'npm', 1) });
      const session = openSession(enterprise);
      sessions.push(session);
      expect(enterprise.url).toMatch(/\/api\/v3$/);
      expect(session.db.prepare("SELECT count(*) AS n FROM auth_user_packages WHERE package_type = 'npm'").get()).toEqual({ n: 150 });
      const paths = (await enterprise.requests()).map((entry) => `${entry.path}?page=${entry.query['page'] ?? 1}`);
      expect(paths).toEqual(['/api/v3/user/packages?page=1', '/api/v3/user/packages?page=2']);
      await enterprise.close();
    });
  });

  describe("GitHub's 10,000-package listing cap", () => {
    it('is reported as such, never as a silently truncated result', async () => {
      const big = await startStandIn({ packages: generatedPackages(10_050, 'npm', 1) });
      const session = openSession(big);
      sessions.push(session);
      let error: unknown;
      try {
        session.db.prepare("SELECT count(*) FROM auth_user_packages WHERE package_type = 'npm'").get();
      } catch (caught) {
        error = caught;
      }
      expect((error as GhsqlError).code).toBe('LIST_LIMIT');
      expect((error as Error).message).toMatch(/auth_user_packages: GitHub lists at most 10,000 items of one list, so it cannot return the rest/);
      await big.close();
    });
  });

  describe('read-ahead', () => {
    it('returns pages in order with concurrency 1 and with concurrency 8', async () => {
      const serial = list(open({ concurrency: 1 }));
      await nextTurn();
      const parallel = list(open({ concurrency: 8 }));
      expect(parallel).toEqual(serial);
      expect(serial.map((row) => (row as { id: number }).id)).toEqual([...Array(PAGES * 100 - 30).keys()].map((i) => i + 1));
    });

    it('keeps at most `concurrency` requests on the wire, and does keep that many', async () => {
      const serial = list(open({ concurrency: 1 }));
      await nextTurn();
      await standIn.configure({ latencyMs: 100 }); // pages sent together are all still being answered when the last arrives
      await standIn.clearRequests();
      expect(list(open({ concurrency: 2 }))).toEqual(serial);
      const inFlight = (await standIn.requests()).map((entry) => entry.inFlight);
      expect(inFlight).toHaveLength(PAGES);
      expect(Math.max(...inFlight)).toBe(2);
    });
  });
});
