// The stand-in's container registry must answer as ghcr.io does (token auth by challenge, manifests
// by digest whose sha256 is the digest), consistently with the versions the API lists.

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IMAGE_GRAPH_VERSIONS, imageGraphPlan, MEDIA } from '../../dist/stand-in/images-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { call } from './helpers.js';

const ACCEPT = [MEDIA.ociIndex, MEDIA.ociManifest, MEDIA.dockerList, MEDIA.dockerManifest].join(', ');

interface Version {
  id: number;
  name: string;
  metadata: { container: { tags: string[] } };
}

let standIn: StandIn;
beforeAll(async () => {
  standIn = await startStandIn();
});
afterAll(() => standIn.close());
beforeEach(() => standIn.clearRequests());

const basic = (login: string, token: string) => `Basic ${Buffer.from(`${login}:${token}`).toString('base64')}`;

/** A bearer token for `repository` from the stand-in's realm. */
async function bearer(repository: string, authorization = basic('octo-demo', standIn.token)): Promise<Response> {
  return fetch(`${standIn.registryUrl}/token?service=registry&scope=repository:${repository}:pull`, { headers: { authorization } });
}

async function manifest(repository: string, digest: string, token?: string, accept = ACCEPT): Promise<Response> {
  return fetch(`${standIn.registryUrl}/v2/${repository}/manifests/${digest}`, { headers: { accept, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
}

async function tokenFor(repository: string): Promise<string> {
  const answer = await bearer(repository);
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { token: string }).token;
}

async function versions(path: string): Promise<Version[]> {
  return (await call(standIn, `${path}/versions?per_page=100`)).body as Version[];
}

const sha256 = (bytes: ArrayBuffer) => `sha256:${createHash('sha256').update(Buffer.from(bytes)).digest('hex')}`;

describe('the stand-in container registry', () => {
  it('runs beside the API, on a host of its own, and GET /user names the token user', async () => {
    expect(new URL(standIn.registryUrl).host).not.toBe(new URL(standIn.url).host);
    const user = await call(standIn, '/user');
    expect(user.status).toBe(200);
    expect((user.body as { login: string }).login).toBe('octo-demo');
  });

  it('challenges a manifest GET without a token, naming its realm on its own host and the repository', async () => {
    const answer = await manifest('octo-demo/acme/app', `sha256:${'0'.repeat(64)}`);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe(
      `Bearer realm="${standIn.registryUrl}/token",service="${new URL(standIn.registryUrl).host}",scope="repository:octo-demo/acme/app:pull"`,
    );
  });

  it('serves every active version of the image graph, its sha256 and Docker-Content-Digest being the digest', async () => {
    const listed = await versions('/user/packages/container/acme%2Fapp');
    expect(listed).toHaveLength(IMAGE_GRAPH_VERSIONS);
    const token = await tokenFor('octo-demo/acme/app');
    const types = new Set<string>();
    for (const version of listed) {
      const answer = await manifest('octo-demo/acme/app', version.name, token);
      expect(answer.status, version.name).toBe(200);
      expect(answer.headers.get('docker-content-digest')).toBe(version.name);
      expect(sha256(await answer.arrayBuffer())).toBe(version.name);
      types.add(answer.headers.get('content-type') ?? '');
    }
    expect([...types].sort()).toEqual([MEDIA.dockerList, MEDIA.dockerManifest, MEDIA.ociIndex, MEDIA.ociManifest].sort());
    // A generated version's manifest too.
    const [generated] = await versions('/user/packages/container/acme%2Fapi-server');
    const answer = await manifest('octo-demo/acme/api-server', generated!.name, await tokenFor('octo-demo/acme/api-server'));
    expect(sha256(await answer.arrayBuffer())).toBe(generated!.name);
  });

  it('has a graph whose links name versions: children, buildx attestations, a referrer, cosign tags and one deleted child', async () => {
    const listed = await versions('/user/packages/container/acme%2Fapp');
    const active = new Set(listed.map((version) => version.name));
    const plan = imageGraphPlan(0);
    expect(plan.filter((planned) => planned.deletedDaysAgo === undefined)).toHaveLength(IMAGE_GRAPH_VERSIONS);
    const token = await tokenFor('octo-demo/acme/app');
    const bodies = await Promise.all(listed.map(async (version) => ({ version, body: (await (await manifest('octo-demo/acme/app', version.name, token)).json()) as Record<string, unknown> })));
    const entries = bodies.flatMap(({ body }) => (body['manifests'] as Array<{ digest: string; annotations?: Record<string, string> }> | undefined) ?? []);
    expect(entries).toHaveLength(2 + 2 + 6);
    expect(entries.filter((entry) => !active.has(entry.digest))).toHaveLength(1);
    expect(entries.filter((entry) => entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest')).toHaveLength(3);
    const subjects = bodies.flatMap(({ body }) => ((body['subject'] as { digest: string } | undefined) ? [(body['subject'] as { digest: string }).digest] : []));
    expect(subjects).toEqual([listed.find((version) => version.metadata.container.tags.includes('1.4'))!.name]);
    const signed = listed.find((version) => version.metadata.container.tags.includes('1.3'))!.name.replace('sha256:', 'sha256-');
    expect(listed.flatMap((version) => version.metadata.container.tags).filter((tag) => tag.startsWith('sha256-')).sort()).toEqual([`${signed}.att`, `${signed}.sig`]);
  });

  it('gives a token for any user name with a classic token that reads packages, as ghcr.io does, and for nothing else', async () => {
    expect((await bearer('octo-demo/acme/app', basic('someone-else', standIn.token))).status).toBe(200);
    expect((await bearer('octo-demo/acme/app', basic('', standIn.token))).status).toBe(401);
    expect((await bearer('octo-demo/acme/app', basic('octo-demo', 'not-a-token'))).status).toBe(401);
    expect((await bearer('octo-demo/acme/app', `Bearer ${standIn.token}`)).status).toBe(401);
    const log = await standIn.registryRequests();
    expect(log.map((entry) => [entry.authorization, entry.login ?? null, entry.status])).toEqual([
      ['basic', 'someone-else', 200],
      ['basic', '', 401],
      ['basic', 'octo-demo', 401],
      ['bearer', null, 401],
    ]);
  });

  it('challenges a token of another repository, hides what the user may not see, and refuses DELETE', async () => {
    const [version] = await versions('/user/packages/container/acme%2Fapp');
    expect((await manifest('octo-demo/acme/app', version!.name, await tokenFor('octo-demo/acme/worker'))).status).toBe(401);
    const hidden = await manifest('hubot-two/hubot/scripts-runner', version!.name, await tokenFor('hubot-two/hubot/scripts-runner'));
    expect(hidden.status).toBe(404);
    expect(((await hidden.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('NAME_UNKNOWN');
    const token = await tokenFor('octo-demo/acme/app');
    const deleted = await fetch(`${standIn.registryUrl}/v2/octo-demo/acme/app/manifests/${version!.name}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(deleted.status).toBe(405);
  });

  it('answers a manifest only in a media type the Accept header lists', async () => {
    const listed = await versions('/user/packages/container/acme%2Fapp');
    const index = listed.find((version) => version.metadata.container.tags.includes('1.4'))!;
    const token = await tokenFor('octo-demo/acme/app');
    expect((await manifest('octo-demo/acme/app', index.name, token, MEDIA.ociManifest)).status).toBe(404);
    expect((await manifest('octo-demo/acme/app', index.name, token, MEDIA.ociIndex)).status).toBe(200);
  });

  it('misbehaves on request: a body or a Docker-Content-Digest that is not the digest, and 429 with Retry-After', async () => {
    const [version] = await versions('/user/packages/container/acme%2Fapp');
    const token = await tokenFor('octo-demo/acme/app');
    try {
      await standIn.configure({ manifestMismatch: 'body' });
      const body = await manifest('octo-demo/acme/app', version!.name, token);
      expect(body.headers.get('docker-content-digest')).toBe(version!.name);
      expect(sha256(await body.arrayBuffer())).not.toBe(version!.name);
      await standIn.configure({ manifestMismatch: 'header' });
      const header = await manifest('octo-demo/acme/app', version!.name, token);
      expect(header.headers.get('docker-content-digest')).not.toBe(version!.name);
      expect(sha256(await header.arrayBuffer())).toBe(version!.name);
      await standIn.configure({ manifestMismatch: null, registryTooManyRequests: 1, registryRetryAfterSeconds: 7 });
      const limited = await manifest('octo-demo/acme/app', version!.name, token);
      expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
      expect((await manifest('octo-demo/acme/app', version!.name, token)).status).toBe(200);
    } finally {
      await standIn.configure({ manifestMismatch: null, registryTooManyRequests: 0, registryRetryAfterSeconds: 1 });
    }
  });
});
