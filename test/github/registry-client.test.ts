// The registry client against the stand-in's registry: auth by challenge, where the GitHub token may
// go, manifests checked against their digest, and each digest fetched at most once.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseBearerChallenge } from '../../dist/github/registry/bearer-challenge.js';
import { registryUrlFromEnvironment } from '../../dist/github/auth.js';
import { validateClientOptions, DEFAULT_CLIENT_OPTIONS } from '../../dist/github/client.js';
import { RegistryClient } from '../../dist/github/registry/registry-client.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { clientFor, rejection, tempCacheDir, type TestClient } from './helpers.js';

interface Version {
  name: string;
  metadata: { container: { tags: string[] } };
}

let standIn: StandIn;
let digests: string[];
beforeAll(async () => {
  standIn = await startStandIn();
  const { client, close } = clientFor(standIn);
  const answer = await client.send({ route: 'GET /user/packages/container/acme%2Fapp/versions?per_page=100' });
  digests = (JSON.parse(answer.body) as Version[]).map((version) => version.name);
  close();
});
afterAll(() => standIn.close());
beforeEach(() => standIn.clearRequests());

const clients: TestClient[] = [];
afterEach(() => {
  for (const made of clients.splice(0)) made.close();
});

function registryFor(options: Parameters<typeof clientFor>[1] = {}) {
  const made = clientFor(standIn, { registryUrl: standIn.registryUrl, ...options });
  clients.push(made);
  return { ...made, registry: new RegistryClient(made.client, made.cache, (event) => made.traces.push(event)) };
}

const manifestGets = async () => (await standIn.registryRequests()).filter((entry) => entry.path.includes('/manifests/'));

describe('the registry client', () => {
  it("answers the challenge: a token from the realm for the repository's owner and the GitHub token, then the manifest with it", async () => {
    const { registry } = registryFor();
    const manifest = await registry.manifest('octo-demo', 'acme/app', digests[0]!);
    expect(manifest?.digest).toBe(digests[0]);
    const log = await standIn.registryRequests();
    expect(log.map((entry) => [entry.path, entry.authorization, entry.status])).toEqual([
      [`/v2/octo-demo/acme/app/manifests/${digests[0]}`, 'none', 401],
      ['/token', 'basic', 200],
      [`/v2/octo-demo/acme/app/manifests/${digests[0]}`, 'bearer', 200],
    ]);
    expect(log[1]).toMatchObject({ login: 'octo-demo', githubToken: true, query: { scope: 'repository:octo-demo/acme/app:pull' } });
    // The registry itself never sees the GitHub token.
    expect(log.filter((entry) => entry.path !== '/token').every((entry) => !entry.githubToken)).toBe(true);
    // No GET /user: the workflow token is refused it, and ghcr.io takes any user name.
    expect(await standIn.requests()).toEqual([]);
  });

  it('gives the realm registryUser as the user name when set (GITHUB_ACTOR in a workflow), and refuses one basic auth cannot carry', async () => {
    const { registry } = registryFor({ registryUser: 'github-actions[bot]' });
    await registry.manifest('octo-demo', 'acme/app', digests[0]!);
    expect((await standIn.registryRequests()).find((entry) => entry.path === '/token')).toMatchObject({ login: 'github-actions[bot]', status: 200 });
    for (const bad of ['octo:cat', 'two words', '']) {
      expect(() => validateClientOptions({ ...DEFAULT_CLIENT_OPTIONS, baseUrl: standIn.url, registryUser: bad })).toThrow(/the registry user name \(registryUser, --registry-user or GITHUB_ACTOR\) must be a GitHub login/);
    }
  });

  it('asks the realm once for a repository, even for manifests requested together', async () => {
    const { registry } = registryFor();
    const manifests = await Promise.all(digests.map((digest) => registry.manifest('octo-demo', 'acme/app', digest)));
    expect(manifests.map((manifest) => manifest?.digest)).toEqual(digests);
    const log = await standIn.registryRequests();
    expect(log.filter((entry) => entry.path === '/token')).toHaveLength(1);
    expect(log.filter((entry) => entry.status === 401)).toHaveLength(1);
  });

  it('fetches a digest once: again in the same run is a cache hit, and so is a second run on the same cache file', async () => {
    const cacheDir = tempCacheDir();
    try {
      const first = registryFor({ cacheDir });
      await Promise.all([first.registry.manifest('octo-demo', 'acme/app', digests[0]!), first.registry.manifest('octo-demo', 'acme/app', digests[0]!)]);
      await first.registry.manifest('octo-demo', 'acme/app', digests[0]!);
      expect((await manifestGets()).filter((entry) => entry.status === 200)).toHaveLength(1);
      expect(first.traces.filter((event) => event.source === 'cache')).toHaveLength(2);

      await standIn.clearRequests();
      const second = registryFor({ cacheDir });
      for (const digest of digests.slice(0, 3)) await second.registry.manifest('octo-demo', 'acme/app', digest);
      // Only the two it did not have.
      expect((await manifestGets()).filter((entry) => entry.status === 200).map((entry) => entry.path.split('/').at(-1))).toEqual(digests.slice(1, 3));
      // A write (which drops the API's cached answers) leaves manifests: they cannot change.
      second.cache!.forgetAll();
      await standIn.clearRequests();
      await second.registry.manifest('octo-demo', 'acme/app', digests[0]!);
      await registryFor({ cacheDir }).registry.manifest('octo-demo', 'acme/app', digests[1]!);
      expect(await manifestGets()).toEqual([]);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('refuses a manifest whose body or Docker-Content-Digest is not the digest, and caches neither', async () => {
    const cacheDir = tempCacheDir();
    try {
      const { registry } = registryFor({ cacheDir });
      for (const mismatch of ['body', 'header'] as const) {
        await standIn.configure({ manifestMismatch: mismatch });
        const error = await rejection(registry.manifest('octo-demo', 'acme/app', digests[0]!));
        expect(error.code).toBe('BAD_RESPONSE');
        expect(error.message).toMatch(mismatch === 'body' ? /whose sha256 is sha256:[0-9a-f]{64}, not the digest asked for/ : /Docker-Content-Digest "sha256:[0-9a-f]{64}", not the digest asked for/);
      }
      await standIn.configure({ manifestMismatch: null });
      await standIn.clearRequests();
      expect((await registry.manifest('octo-demo', 'acme/app', digests[0]!))?.digest).toBe(digests[0]);
      expect(await manifestGets()).toHaveLength(1);
    } finally {
      await standIn.configure({ manifestMismatch: null });
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  describe('sends the GitHub token to no realm but one on the registry host', () => {
    let foreign: Server;
    const received: IncomingMessage[] = [];
    beforeAll(async () => {
      foreign = createServer((request, response) => {
        received.push(request);
        response.end('{"token":"stolen"}');
      });
      await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => foreign.close(() => resolve())));

    it.each([
      ['another port of this machine', () => `http://127.0.0.1:${(foreign.address() as { port: number }).port}/token`],
      ['another host', () => 'https://token-collector.example/token'],
    ])('not to %s', async (_, realm) => {
      await standIn.configure({ registryRealm: realm() });
      try {
        const { registry } = registryFor();
        const error = await rejection(registry.manifest('octo-demo', 'acme/app', digests[0]!));
        expect(error.code).toBe('AUTH');
        expect(error.message).toMatch(/which is not the registry's own host over HTTPS; ghsql sends the GitHub token only to the API and to the registry, so it did not/);
        expect(received).toEqual([]);
        expect((await standIn.registryRequests()).some((entry) => entry.githubToken)).toBe(false);
      } finally {
        await standIn.configure({ registryRealm: null });
      }
    });
  });

  it('waits out a 429 with Retry-After, as for the API', async () => {
    await standIn.configure({ registryTooManyRequests: 2, registryRetryAfterSeconds: 0 });
    const { registry, traces } = registryFor();
    expect((await registry.manifest('octo-demo', 'acme/app', digests[0]!))?.digest).toBe(digests[0]);
    expect(traces.filter((event) => event.status === 429).map((event) => event.retry)).toEqual(['rate limited, waiting 0 s', 'rate limited, waiting 0 s']);
    expect(traces.find((event) => event.source === 'network' && event.status === 200 && event.target.includes('/manifests/'))?.target).toBe(
      `${new URL(standIn.registryUrl).host}/v2/octo-demo/acme/app/manifests/${digests[0]}`,
    );
  });

  it('answers undefined for a digest the registry does not have, and says how to give a registry URL when none is known', async () => {
    const { registry } = registryFor();
    expect(await registry.manifest('octo-demo', 'acme/app', `sha256:${'0'.repeat(64)}`)).toBeUndefined();
    const { client, close } = clientFor(standIn);
    try {
      const error = await rejection(new RegistryClient(client, undefined).manifest('octo-demo', 'acme/app', digests[0]!));
      expect(error.message).toMatch(/no container registry is known for the API URL http:\/\/127\.0\.0\.1:\d+: give it with register\(db, \{ registryUrl \}\) or GHSQL_REGISTRY_URL/);
    } finally {
      close();
    }
  });
});

describe('the registry URL', () => {
  it('defaults to ghcr.io for github.com and containers.HOST for GitHub Enterprise Server; GHSQL_REGISTRY_URL first', () => {
    expect(registryUrlFromEnvironment('https://api.github.com', {})).toBe('https://ghcr.io');
    expect(registryUrlFromEnvironment('https://ghe.example.com/api/v3', {})).toBe('https://containers.ghe.example.com');
    expect(registryUrlFromEnvironment('https://ghe.example.com/api/v3/', {})).toBe('https://containers.ghe.example.com');
    expect(registryUrlFromEnvironment('http://127.0.0.1:8080', {})).toBeUndefined();
    expect(registryUrlFromEnvironment('https://api.github.com', { GHSQL_REGISTRY_URL: 'https://mirror.example' })).toBe('https://mirror.example');
  });

  it('is checked as the API URL is: HTTPS, or plain HTTP only to this machine, no credentials or query', () => {
    const options = (registryUrl: string) => ({ ...DEFAULT_CLIENT_OPTIONS, baseUrl: 'https://api.github.com', token: 'secret-token', registryUrl });
    expect(() => validateClientOptions(options('http://registry.example'))).toThrow(/refusing to send the GitHub token over plain HTTP to registry\.example: use an https:\/\/ registry URL/);
    expect(() => validateClientOptions(options('https://user:pw@ghcr.io'))).toThrow(/the registry URL must not contain a user name or password/);
    expect(() => validateClientOptions(options('https://ghcr.io/?x=1'))).toThrow(/the registry URL must not have a query/);
    expect(() => validateClientOptions(options('ghcr.io'))).toThrow(/the registry URL "ghcr.io" is not a URL/);
    expect(() => validateClientOptions(options('http://127.0.0.1:5000'))).not.toThrow();
  });
});

describe('a Bearer challenge', () => {
  it('gives realm, service and scope, quoted or not, with escapes', () => {
    expect(parseBearerChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/n:pull"')).toEqual({
      realm: 'https://ghcr.io/token',
      service: 'ghcr.io',
      scope: 'repository:o/n:pull',
    });
    expect(parseBearerChallenge('bearer  realm=https://r.example/t , scope="a\\"b"')).toEqual({ realm: 'https://r.example/t', scope: 'a"b' });
    expect(parseBearerChallenge('Bearer realm="https://a/t", Basic realm="x"')).toEqual({ realm: 'https://a/t' });
  });

  it('is none without Bearer or without a realm', () => {
    expect(parseBearerChallenge(null)).toBeUndefined();
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
    expect(parseBearerChallenge('Bearer service="ghcr.io"')).toBeUndefined();
  });
});
