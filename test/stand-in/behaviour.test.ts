// The stand-in's GitHub behaviour beyond the schema: scopes, delete/restore rules, rate limits,
// faults, encoded names, the request log and the latency switch.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedPackages, type StoredPackage } from '../../dist/stand-in/packages-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { call, header, linkRelations, listPath, packagePath, type ErrorBody, type PackageBody } from './helpers.js';

const FULL_SCOPES = ['read:packages', 'write:packages', 'delete:packages', 'repo'];

function errorMessage(body: unknown): string {
  return (body as ErrorBody).message;
}

function names(body: unknown): string[] {
  return (body as PackageBody[]).map((pkg) => pkg.name);
}

describe('scopes and token kinds', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn({
      tokens: {
        'full-access': { scopes: FULL_SCOPES },
        'read-only': { scopes: ['read:packages'] },
        'delete-without-repo': { scopes: ['read:packages', 'delete:packages'] },
        'write-only': { scopes: ['write:packages'] },
        'fine-grained-pat': { scopes: [], kind: 'fine-grained' },
        'app-installation': { scopes: [], kind: 'app' },
        // Kinds by prefix, as GitHub tells them. Made-up values, far from a real token's length.
        ghs_workflow: { scopes: [], packageRoles: { 'acme-corp/container/platform/edge-proxy': 'admin', 'acme-corp/npm/api-types': 'read' } },
        github_pat_fine: { scopes: [] },
      },
    });
  });
  afterAll(() => standIn.close());

  it('uses the first given token as the stand-in token', () => {
    expect(standIn.token).toBe('full-access');
  });

  it('reads with read:packages and reports granted and accepted scopes', async () => {
    const answer = await call(standIn, listPath('package_type=npm'), { token: 'read-only' });
    expect(answer.status).toBe(200);
    expect(header(answer, 'x-oauth-scopes')).toBe('read:packages');
    expect(header(answer, 'x-accepted-oauth-scopes')).toBe('read:packages');
    const full = await call(standIn, listPath('package_type=npm'));
    expect(header(full, 'x-oauth-scopes')).toBe(FULL_SCOPES.join(', '));
  });

  it('refuses a delete without delete:packages, naming the missing scope', async () => {
    const answer = await call(standIn, packagePath('npm', 'utils'), { method: 'DELETE', token: 'read-only' });
    expect(answer.status).toBe(403);
    expect(header(answer, 'x-accepted-oauth-scopes')).toBe('read:packages, delete:packages');
    expect(errorMessage(answer.body)).toContain("missing 'delete:packages'");
    expect((await call(standIn, packagePath('npm', 'utils'))).status).toBe(200);
  });

  it('also requires repo to write to repository-scoped registries (maven, docker)', async () => {
    const maven = await call(standIn, packagePath('maven', 'com.acme.billing.invoice-model'), { method: 'DELETE', token: 'delete-without-repo' });
    expect(maven.status).toBe(403);
    expect(header(maven, 'x-accepted-oauth-scopes')).toBe('read:packages, delete:packages, repo');
    expect(errorMessage(maven.body)).toContain("missing 'repo'");

    const npm = await call(standIn, packagePath('npm', 'feature-flags'), { method: 'DELETE', token: 'delete-without-repo' });
    expect(npm.status).toBe(204);
    expect(header(npm, 'x-accepted-oauth-scopes')).toBe('read:packages, delete:packages');
  });

  it('treats write:packages as including read:packages, as GitHub does', async () => {
    expect((await call(standIn, listPath('package_type=npm'), { token: 'write-only' })).status).toBe(200);
    const restore = await call(standIn, `${packagePath('container', 'acme/legacy-gateway')}/restore`, { method: 'POST', token: 'write-only' });
    expect(restore.status).toBe(204);
    expect(header(restore, 'x-accepted-oauth-scopes')).toBe('read:packages, write:packages');
  });

  it('refuses fine-grained tokens the packages API, but not GET /user, and sends them no X-OAuth-Scopes', async () => {
    for (const token of ['fine-grained-pat', 'github_pat_fine']) {
      const fineGrained = await call(standIn, listPath('package_type=npm'), { token });
      expect(fineGrained.status).toBe(403);
      expect(errorMessage(fineGrained.body)).toMatch(/^Resource not accessible by personal access token\. .*\(classic\)/);
      expect(fineGrained.headers.get('x-oauth-scopes')).toBeNull();
      expect((await call(standIn, '/user', { token })).status).toBe(200);
    }
  });

  it('refuses an installation token (ghs_) GET /user, every /user route and the package lists, as "Resource not accessible by integration"', async () => {
    for (const token of ['app-installation', 'ghs_workflow']) {
      for (const path of ['/user', listPath('package_type=npm'), packagePath('npm', 'utils'), '/orgs/acme-corp/packages?package_type=container', '/users/hubot-two/packages?package_type=npm', '/orgs/acme-corp/docker/conflicts']) {
        const answer = await call(standIn, path, { token });
        expect(answer.status, path).toBe(403);
        expect(errorMessage(answer.body)).toBe('Resource not accessible by integration');
        expect(answer.headers.get('x-oauth-scopes')).toBeNull();
      }
    }
  });

  it("lets an installation token reach the packages its repository has a role in: any role reads, admin deletes", async () => {
    const org = '/orgs/acme-corp/packages';
    expect((await call(standIn, `${org}/container/platform%2Fedge-proxy`, { token: 'ghs_workflow' })).status).toBe(200);
    const versions = await call(standIn, `${org}/container/platform%2Fedge-proxy/versions`, { token: 'ghs_workflow' });
    expect(versions.status).toBe(200);
    const oldest = (versions.body as Array<{ id: number }>).at(-1)!;
    expect((await call(standIn, `${org}/container/platform%2Fedge-proxy/versions/${oldest.id}`, { method: 'DELETE', token: 'ghs_workflow' })).status).toBe(204);
    // Read role: readable, not deletable.
    expect((await call(standIn, `${org}/npm/api-types`, { token: 'ghs_workflow' })).status).toBe(200);
    const refused = await call(standIn, `${org}/npm/api-types`, { method: 'DELETE', token: 'ghs_workflow' });
    expect(refused.status).toBe(403);
    expect(errorMessage(refused.body)).toBe('Resource not accessible by integration');
    // No role: a private package is not found, as for a user who may not see it.
    expect((await call(standIn, `${org}/container/platform%2Fedge-proxy`, { token: 'app-installation' })).status).toBe(404);
  });

  it('accepts the Bearer scheme as well as token', async () => {
    const response = await fetch(`${standIn.url}${listPath('package_type=npm')}`, { headers: { authorization: 'Bearer read-only' } });
    expect(response.status).toBe(200);
  });
});

describe('delete and restore rules', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(() => standIn.close());

  it('refuses to delete a public package downloaded more than 5,000 times', async () => {
    const answer = await call(standIn, packagePath('container', 'acme/api-server'), { method: 'DELETE' });
    expect(answer.status).toBe(400);
    expect(errorMessage(answer.body)).toMatch(/^Public packages that have been downloaded more than 5,000 times cannot be deleted\./);
    expect((await call(standIn, packagePath('container', 'acme/api-server'))).status).toBe(200);
  });

  it('hides a deleted package until it is restored within 30 days, back in id order', async () => {
    const listed = async () => names((await call(standIn, listPath('package_type=container&per_page=100'))).body);
    const path = packagePath('container', 'acme/legacy-gateway');
    expect(await listed()).not.toContain('acme/legacy-gateway');
    expect((await call(standIn, path)).status).toBe(404);

    expect((await call(standIn, `${path}/restore`, { method: 'POST' })).status).toBe(204);
    expect((await call(standIn, path)).status).toBe(200);
    const ids = ((await call(standIn, listPath('package_type=container&per_page=100'))).body as PackageBody[]).map((pkg) => pkg.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(await listed()).toContain('acme/legacy-gateway');
  });

  it('refuses to restore a package deleted more than 30 days ago', async () => {
    const answer = await call(standIn, `${packagePath('npm', 'old-cli')}/restore`, { method: 'POST' });
    expect(answer.status).toBe(400);
    expect(errorMessage(answer.body)).toContain('more than 30 days ago');
  });

  it('refuses to restore a package whose namespace an active package reuses', async () => {
    const answer = await call(standIn, `${packagePath('npm', 'logger')}/restore`, { method: 'POST' });
    expect(answer.status).toBe(400);
    expect(errorMessage(answer.body)).toContain('namespace has been reused');
    expect(((await call(standIn, packagePath('npm', 'logger'))).body as PackageBody).name).toBe('logger');
  });

  it('answers 404 to restoring a package that was never deleted or never existed', async () => {
    expect((await call(standIn, `${packagePath('npm', 'design-system')}/restore`, { method: 'POST' })).status).toBe(404);
    expect((await call(standIn, `${packagePath('npm', 'never-existed')}/restore`, { method: 'POST' })).status).toBe(404);
  });

  it('deletes, then restores a package deleted moments ago', async () => {
    const path = packagePath('nuget', 'Acme.Telemetry');
    expect((await call(standIn, path, { method: 'DELETE' })).status).toBe(204);
    expect((await call(standIn, path, { method: 'DELETE' })).status).toBe(404);
    expect((await call(standIn, `${path}/restore?token=package-token-123`, { method: 'POST' })).status).toBe(204);
    expect((await call(standIn, path)).status).toBe(200);
  });
});

describe('listing', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(() => standIn.close());

  it('requires a valid package_type, naming the six types', async () => {
    for (const query of ['', 'package_type=pypi']) {
      const answer = await call(standIn, listPath(query));
      expect(answer.status).toBe(400);
      expect(errorMessage(answer.body)).toContain('npm, maven, rubygems, docker, nuget, container');
    }
  });

  it('filters by visibility; internal means private where permissions are repository-scoped', async () => {
    const list = async (query: string) => names((await call(standIn, listPath(`${query}&per_page=100`))).body);
    const all = await list('package_type=container');
    const publicOnes = await list('package_type=container&visibility=public');
    const privateOnes = await list('package_type=container&visibility=private');
    expect(publicOnes.length).toBeGreaterThan(0);
    expect(privateOnes.length).toBeGreaterThan(0);
    expect([...publicOnes, ...privateOnes].sort()).toEqual([...all].sort());
    expect(await list('package_type=container&visibility=internal')).toEqual([]);
    expect(await list('package_type=maven&visibility=internal')).toEqual(await list('package_type=maven&visibility=private'));
    expect((await call(standIn, listPath('package_type=npm&visibility=secret'))).status).toBe(400);
  });

  it('defaults per_page to 30 and clamps it to 100', async () => {
    const many = await startStandIn({ packages: generatedPackages(250, 'npm') });
    try {
      expect(((await call(many, listPath('package_type=npm'))).body as unknown[]).length).toBe(30);
      expect(((await call(many, listPath('package_type=npm&per_page=0'))).body as unknown[]).length).toBe(30);
      const clamped = await call(many, listPath('package_type=npm&per_page=1000'));
      expect((clamped.body as unknown[]).length).toBe(100);
      expect(linkRelations(clamped.headers.get('link')).find(([rel]) => rel === 'last')?.[1]).toMatch(/per_page=1000&page=3$/);
    } finally {
      await many.close();
    }
  });

  it('answers GitHub 404 to routes it does not know', async () => {
    for (const [method, path] of [
      ['GET', '/user/packages/npm/design-system/tags'],
      ['GET', '/user/packages/npm/design-system/versions/latest'],
      ['GET', '/user/packages/pypi/requests'],
      ['PUT', '/user/packages'],
      ['GET', '/user/packages/container/acme/api-server'],
    ] as const) {
      const answer = await call(standIn, path, { method });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body).toEqual({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
    }
  });

  it('serves 100,000 packages, and lifts the 10,000 cap when told to', async () => {
    const big = await startStandIn({ packages: generatedPackages(100_000, 'container'), listCap: false });
    try {
      const lastPage = await call(big, listPath('package_type=container&per_page=100&page=1000'));
      expect(lastPage.status).toBe(200);
      const ids = (lastPage.body as PackageBody[]).map((pkg) => pkg.id);
      expect(ids).toEqual(Array.from({ length: 100 }, (_, index) => 99_901 + index));
      expect(linkRelations(lastPage.headers.get('link')).map(([rel]) => rel)).toEqual(['prev', 'first']);

      await big.configure({ listCap: true });
      const atTheCap = await call(big, listPath('package_type=container&per_page=100&page=100'));
      expect(atTheCap.status).toBe(200);
      // The links still count every package, so following rel="next" runs into the cap's 400.
      const next = linkRelations(atTheCap.headers.get('link')).find(([rel]) => rel === 'next')?.[1] ?? '';
      expect(next).toBe(`${big.url}/user/packages?package_type=container&per_page=100&page=101`);
      const beyond = await call(big, next.slice(big.url.length));
      expect(beyond.status).toBe(400);
      expect(errorMessage(beyond.body)).toContain('cannot be greater than 10000');
    } finally {
      await big.close();
    }
  });
});

describe('rate limits', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(() => standIn.close());

  it('counts requests down, then answers 403 with remaining 0 until the reset', async () => {
    await standIn.configure({ rateLimit: { limit: 3, remaining: 3, resetSeconds: 3600 } });
    const remaining: string[] = [];
    for (let request = 0; request < 3; request++) {
      remaining.push(header(await call(standIn, listPath('package_type=npm')), 'x-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await call(standIn, listPath('package_type=npm'));
    expect(limited.status).toBe(403);
    expect(limited.body).toMatchObject({ documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' });
    expect(errorMessage(limited.body)).toMatch(/^API rate limit exceeded for user ID \d+\./);
    expect(header(limited, 'x-ratelimit-remaining')).toBe('0');
    expect(header(limited, 'x-ratelimit-used')).toBe('3');
    const secondsToReset = Number(header(limited, 'x-ratelimit-reset')) - Date.now() / 1000;
    expect(secondsToReset).toBeGreaterThan(3500);
    expect(secondsToReset).toBeLessThanOrEqual(3601);
  });

  it('refills to the limit once the reset time has passed', async () => {
    await standIn.configure({ rateLimit: { limit: 3, remaining: 0, resetSeconds: 1 } });
    const limited = await call(standIn, listPath('package_type=npm'));
    expect(limited.status).toBe(403);
    const resetAtMs = Number(header(limited, 'x-ratelimit-reset')) * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, resetAtMs - Date.now()) + 20));
    const refilled = await call(standIn, listPath('package_type=npm'));
    expect(refilled.status).toBe(200);
    expect(header(refilled, 'x-ratelimit-remaining')).toBe('2');
  });

  it('answers a secondary rate limit with retry-after, without spending the primary limit', async () => {
    await standIn.configure({
      rateLimit: { limit: 100, remaining: 100, resetSeconds: 3600 },
      secondaryLimitRequests: 2,
      secondaryRetryAfterSeconds: 7,
    });
    for (let request = 0; request < 2; request++) {
      const limited = await call(standIn, listPath('package_type=npm'));
      expect(limited.status).toBe(403);
      expect(header(limited, 'retry-after')).toBe('7');
      expect(header(limited, 'x-ratelimit-remaining')).toBe('100');
      expect(errorMessage(limited.body)).toMatch(/^You have exceeded a secondary rate limit\./);
    }
    const served = await call(standIn, listPath('package_type=npm'));
    expect(served.status).toBe(200);
    expect(served.headers.get('retry-after')).toBeNull();
    expect(header(served, 'x-ratelimit-remaining')).toBe('99');
  });
});

describe('faults and latency', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(() => standIn.close());

  const get = () => fetch(`${standIn.url}${listPath('package_type=npm')}`, { headers: { authorization: `token ${standIn.token}` } });

  it('resets the connection without an answer', async () => {
    await standIn.configure({ faultRate: 1, faultKinds: ['reset'] });
    await standIn.clearRequests();
    await expect(get()).rejects.toThrow();
    expect((await standIn.requests()).map((entry) => entry.status)).toEqual([0]);
    await standIn.configure({ faultRate: 0 });
  });

  it('fails with a server error', async () => {
    await standIn.configure({ faultRate: 1, faultKinds: ['500'] });
    const response = await get();
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
    await standIn.configure({ faultRate: 0 });
    expect((await get()).status).toBe(200);
  });

  it('draws faults from the seed, so the same seed fails the same requests', async () => {
    const statusesWithSeed = async (seed: number) => {
      await standIn.configure({ faultRate: 0.5, faultKinds: ['502', '503'], seed });
      const statuses: number[] = [];
      for (let request = 0; request < 20; request++) statuses.push((await get()).status);
      return statuses;
    };
    const first = await statusesWithSeed(42);
    expect(await statusesWithSeed(42)).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 502, 503]));
    await standIn.configure({ faultRate: 0 });
  });

  it('delays every answer, faults included, by the latency', async () => {
    await standIn.configure({ latencyMs: 200 });
    try {
      for (const faultRate of [0, 1]) {
        await standIn.configure({ faultRate, faultKinds: ['503'] });
        const started = performance.now();
        await get();
        // libuv timers count whole milliseconds from a clock that may lag by under 1 ms.
        expect(performance.now() - started).toBeGreaterThanOrEqual(199);
      }
    } finally {
      await standIn.configure({ latencyMs: 0, faultRate: 0 });
    }
  });
});

describe('package names and the request log', () => {
  const unusualNames: Array<[StoredPackage['package_type'], string]> = [
    ['container', 'acme/api-server'],
    ['npm', '@scope/name'],
    ['npm', '100%-coverage'],
    ['nuget', 'name with spaces'],
    ['rubygems', 'ünïcödé-包'],
    ['maven', 'a+b&c=d?e#f'],
  ];
  let standIn: StandIn;
  beforeAll(async () => {
    const packages = unusualNames.map(([type, name], index) => ({ ...generatedPackages(1, type, index + 1)[0]!, name }));
    standIn = await startStandIn({ packages });
  });
  afterAll(() => standIn.close());

  it('round-trips percent-encoded names through get', async () => {
    for (const [type, name] of unusualNames) {
      const answer = await call(standIn, packagePath(type, name));
      expect(answer.status, name).toBe(200);
      const body = answer.body as PackageBody;
      expect(body.name).toBe(name);
      expect(body.url).toBe(`${standIn.url}/users/octo-demo/packages/${type}/${encodeURIComponent(name)}`);
    }
  });

  it('logs requests with the raw path, query, status, conditional flag and how many were being answered, never the token', async () => {
    await standIn.clearRequests();
    const got = await call(standIn, packagePath('container', 'acme/api-server'));
    await call(standIn, packagePath('container', 'acme/api-server'), { headers: { 'if-none-match': header(got, 'etag') } });
    await call(standIn, listPath('package_type=npm&per_page=2'));
    await call(standIn, `${packagePath('npm', 'missing')}/restore?token=package-token`, { method: 'POST' });
    await call(standIn, listPath('package_type=npm'), { token: null });

    const log = await standIn.requests();
    expect(log).toEqual([
      { method: 'GET', path: '/user/packages/container/acme%2Fapi-server', query: {}, status: 200, conditional: false, inFlight: 1 },
      { method: 'GET', path: '/user/packages/container/acme%2Fapi-server', query: {}, status: 304, conditional: true, inFlight: 1 },
      { method: 'GET', path: '/user/packages', query: { package_type: 'npm', per_page: '2' }, status: 200, conditional: false, inFlight: 1 },
      { method: 'POST', path: '/user/packages/npm/missing/restore', query: { token: 'package-token' }, status: 404, conditional: false, inFlight: 1 },
      { method: 'GET', path: '/user/packages', query: { package_type: 'npm' }, status: 401, conditional: false, inFlight: 1 },
    ]);
    expect(JSON.stringify(log)).not.toContain(standIn.token);

    await standIn.clearRequests();
    expect(await standIn.requests()).toEqual([]);
  });

  it('serves the demo token and demo data by default', async () => {
    const demo = await startStandIn();
    try {
      expect(demo.token).toBe('ghsql-demo-token');
      expect(demo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await call(demo, listPath('package_type=container'))).status).toBe(200);
    } finally {
      await demo.close();
    }
  });
});
