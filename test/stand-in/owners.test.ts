// Packages of other owners over HTTP: the acme-corp organization (the demo token is its admin) and
// the user hubot-two, whose private packages nobody else sees; plus the docker/conflicts lists.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedPackages } from '../../dist/stand-in/packages-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { call, header, linkRelations, listPath, ownerListPath, ownerPackagePath, type Answer, type ErrorBody, type PackageBody, type VersionBody } from './helpers.js';

const ORG = 'orgs/acme-corp';
const HUBOT = 'users/hubot-two';
const FULL_SCOPES = ['read:packages', 'write:packages', 'delete:packages', 'repo'];
const ADMIN_REFUSAL = 'The authenticated user must have admin permissions in the organization to use this endpoint.';

const names = (answer: Answer) => (answer.body as PackageBody[]).map((pkg) => pkg.name);
const message = (answer: Answer) => (answer.body as ErrorBody).message;
const restorePath = (owner: string, type: string, name: string) => `${ownerPackagePath(owner, type, name)}/restore`;

describe('an organization', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn({
      tokens: {
        admin: { scopes: FULL_SCOPES, organizations: { 'acme-corp': 'admin' } },
        member: { scopes: FULL_SCOPES, organizations: { 'acme-corp': 'member' } },
        outsider: { scopes: FULL_SCOPES },
        'admin-without-repo': { scopes: ['read:packages', 'delete:packages'], organizations: { 'acme-corp': 'admin' } },
      },
    });
  });
  afterAll(() => standIn.close());

  it('lists its packages page by page, as the organization owns them', async () => {
    const first = await call(standIn, ownerListPath(ORG, 'package_type=container&per_page=4'));
    expect(first.status).toBe(200);
    const body = first.body as Array<PackageBody & { owner: { login: string; type: string } }>;
    expect(body[0]?.owner).toMatchObject({ login: 'acme-corp', type: 'Organization' });
    expect(body[0]?.url).toBe(`${standIn.url}/orgs/acme-corp/packages/container/${encodeURIComponent(body[0]!.name)}`);
    expect(body[0]?.html_url).toBe(`https://github.com/orgs/acme-corp/packages/container/package/${encodeURIComponent(body[0]!.name)}`);
    expect(linkRelations(first.headers.get('link'))).toEqual([
      ['next', `${standIn.url}/orgs/acme-corp/packages?package_type=container&per_page=4&page=2`],
      ['last', `${standIn.url}/orgs/acme-corp/packages?package_type=container&per_page=4&page=3`],
    ]);
    const all = names(await call(standIn, ownerListPath(ORG, 'package_type=container&per_page=100')));
    expect(all).toContain('platform/api-gateway');
    expect(all).toContain('platform/auth-service'); // private: the token is an admin
    expect(all).not.toContain('experiments/gpu-bench'); // deleted
  });

  it('takes the organization name in any case, and answers 404 for an unknown organization or a user', async () => {
    expect((await call(standIn, ownerListPath('orgs/ACME-Corp', 'package_type=npm'))).status).toBe(200);
    for (const owner of ['orgs/no-such-org', 'orgs/hubot-two']) {
      const answer = await call(standIn, ownerListPath(owner, 'package_type=npm'));
      expect(answer.status, owner).toBe(404);
      expect(message(answer)).toBe('Not Found');
    }
    expect((await call(standIn, ownerPackagePath('orgs/no-such-org', 'npm', 'ui-kit'))).status).toBe(404);
  });

  it('shows its private packages to members, not to outsiders', async () => {
    const list = async (token: string, query = '') => names(await call(standIn, ownerListPath(ORG, `package_type=npm&per_page=100${query}`), { token }));
    expect(await list('member')).toEqual(await list('admin'));
    expect(await list('outsider')).toEqual(['eslint-config-acme', 'ui-kit']);
    expect(await list('outsider', '&visibility=private')).toEqual([]);
    expect((await call(standIn, ownerPackagePath(ORG, 'npm', 'api-types'), { token: 'outsider' })).status).toBe(404);
    expect((await call(standIn, `${ownerPackagePath(ORG, 'npm', 'api-types')}/versions`, { token: 'outsider' })).status).toBe(404);
    expect((await call(standIn, `${ownerPackagePath(ORG, 'npm', 'ui-kit')}/versions`, { token: 'outsider' })).status).toBe(200);
  });

  it('lets admins only delete and restore, with a 403 for members and for outsiders on public packages', async () => {
    for (const token of ['member', 'outsider']) {
      const refused = await call(standIn, ownerPackagePath(ORG, 'npm', 'eslint-config-acme'), { method: 'DELETE', token });
      expect(refused.status, token).toBe(403);
      expect(message(refused)).toBe(ADMIN_REFUSAL);
    }
    const hidden = await call(standIn, ownerPackagePath(ORG, 'npm', 'feature-toggles'), { method: 'DELETE', token: 'outsider' });
    expect(hidden.status).toBe(404);
    const restore = await call(standIn, restorePath(ORG, 'container', 'experiments/gpu-bench'), { method: 'POST', token: 'member' });
    expect(restore.status).toBe(403);

    expect((await call(standIn, ownerPackagePath(ORG, 'npm', 'feature-toggles'), { method: 'DELETE', token: 'admin' })).status).toBe(204);
    expect((await call(standIn, ownerPackagePath(ORG, 'npm', 'feature-toggles'))).status).toBe(404);
    expect((await call(standIn, restorePath(ORG, 'npm', 'feature-toggles'), { method: 'POST', token: 'admin' })).status).toBe(204);
  });

  it('applies the package rules: 5,000 downloads, the 30-day window, reused namespaces, repo for maven and docker', async () => {
    const popular = await call(standIn, ownerPackagePath(ORG, 'container', 'platform/api-gateway'), { method: 'DELETE' });
    expect(popular.status).toBe(400);
    expect(message(popular)).toContain('5,000');
    expect((await call(standIn, ownerPackagePath(ORG, 'container', 'ci/runner-image'), { method: 'DELETE' })).status).toBe(204); // private
    expect((await call(standIn, restorePath(ORG, 'container', 'experiments/gpu-bench'), { method: 'POST' })).status).toBe(204);
    expect(message(await call(standIn, restorePath(ORG, 'container', 'legacy/monolith'), { method: 'POST' }))).toContain('more than 30 days ago');
    expect(message(await call(standIn, restorePath(ORG, 'npm', 'analytics'), { method: 'POST' }))).toContain('namespace has been reused');
    const withoutRepo = await call(standIn, ownerPackagePath(ORG, 'docker', 'nginx-edge'), { method: 'DELETE', token: 'admin-without-repo' });
    expect(withoutRepo.status).toBe(403);
    expect(header(withoutRepo, 'x-accepted-oauth-scopes')).toBe('read:packages, delete:packages, repo');
  });

  it('serves the versions of its packages, with their own URLs, and their delete and restore', async () => {
    const listed = await call(standIn, `${ownerPackagePath(ORG, 'npm', 'api-types')}/versions?per_page=2`);
    const versions = listed.body as VersionBody[];
    expect(versions).toHaveLength(2);
    expect(versions[0]?.url).toBe(`${standIn.url}/orgs/acme-corp/packages/npm/api-types/versions/${versions[0]?.id}`);
    expect(versions[0]?.html_url).toBe(`https://github.com/acme-corp/platform/packages/${versions[0]?.package_html_url.split('/').pop()}?version=${versions[0]?.name}`);
    expect(linkRelations(listed.headers.get('link'))[0]).toEqual(['next', `${standIn.url}/orgs/acme-corp/packages/npm/api-types/versions?per_page=2&page=2`]);

    const path = `${ownerPackagePath(ORG, 'npm', 'api-types')}/versions/${versions[1]!.id}`;
    expect((await call(standIn, path)).body).toEqual(versions[1]);
    expect((await call(standIn, path, { method: 'DELETE', token: 'member' })).status).toBe(403);
    expect((await call(standIn, path, { method: 'DELETE', token: 'admin' })).status).toBe(204);
    expect((await call(standIn, `${path}/restore`, { method: 'POST', token: 'member' })).status).toBe(403);
    expect((await call(standIn, `${path}/restore`, { method: 'POST', token: 'admin' })).status).toBe(204);
  });
});

describe('another user', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(() => standIn.close());

  it('shows only their public packages, and 404 for the private ones and their versions', async () => {
    expect(names(await call(standIn, ownerListPath(HUBOT, 'package_type=container')))).toEqual(['hubot', 'hubot/chat-image']);
    expect(names(await call(standIn, ownerListPath(HUBOT, 'package_type=container&visibility=private')))).toEqual([]);
    expect((await call(standIn, ownerPackagePath(HUBOT, 'container', 'hubot'))).status).toBe(200);
    for (const path of [ownerPackagePath(HUBOT, 'container', 'hubot/scripts-runner'), `${ownerPackagePath(HUBOT, 'npm', 'hubot-secrets')}/versions`]) {
      const hidden = await call(standIn, path);
      expect(hidden.status, path).toBe(404);
      expect(message(hidden)).toBe('Package not found.');
    }
    const versions = (await call(standIn, `${ownerPackagePath(HUBOT, 'container', 'hubot')}/versions`)).body as VersionBody[];
    expect(versions[0]?.url).toBe(`${standIn.url}/users/hubot-two/packages/container/hubot/versions/${versions[0]?.id}`);
  });

  it("cannot have their packages deleted or restored by someone else: 403, or 404 when private", async () => {
    const refused = await call(standIn, ownerPackagePath(HUBOT, 'npm', 'hubot-brain'), { method: 'DELETE' });
    expect(refused.status).toBe(403);
    expect(message(refused)).toBe('The authenticated user must have admin permissions to the package to use this endpoint.');
    const [newest] = (await call(standIn, `${ownerPackagePath(HUBOT, 'npm', 'hubot-brain')}/versions`)).body as VersionBody[];
    expect((await call(standIn, `${ownerPackagePath(HUBOT, 'npm', 'hubot-brain')}/versions/${newest!.id}`, { method: 'DELETE' })).status).toBe(403);
    expect((await call(standIn, ownerPackagePath(HUBOT, 'npm', 'hubot-secrets'), { method: 'DELETE' })).status).toBe(404);
  });

  it('answers 404 for an unknown user or an organization; the token user sees their own private packages there', async () => {
    for (const owner of ['users/nobody-here', 'users/acme-corp']) {
      expect((await call(standIn, ownerListPath(owner, 'package_type=npm'))).status, owner).toBe(404);
    }
    const own = names(await call(standIn, ownerListPath('users/octo-demo', 'package_type=npm&per_page=100')));
    expect(own).toEqual(names(await call(standIn, listPath('package_type=npm&per_page=100'))));
    expect(own).toContain('api-client'); // private
  });
});

describe('docker migration conflicts', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn({ tokens: { admin: { scopes: ['read:packages'], organizations: { 'acme-corp': 'admin' } }, outsider: { scopes: ['read:packages'] } } });
  });
  afterAll(() => standIn.close());

  it('lists the conflicting packages each owner shows the token user', async () => {
    expect(names(await call(standIn, '/user/docker/conflicts'))).toEqual(['nginx-proxy']);
    expect(names(await call(standIn, `/${ORG}/docker/conflicts`))).toEqual(['monolith', 'build-cache']);
    expect(names(await call(standIn, `/${ORG}/docker/conflicts`, { token: 'outsider' }))).toEqual(['build-cache']);
    expect(names(await call(standIn, `/${HUBOT}/docker/conflicts`))).toEqual(['hubot-legacy']);
    expect((await call(standIn, '/orgs/no-such-org/docker/conflicts')).status).toBe(404);
    expect(header(await call(standIn, '/user/docker/conflicts'), 'x-accepted-oauth-scopes')).toBe('read:packages');
  });
});

describe('accounts given as options', () => {
  it('replace the demo accounts, and data that does not fit together fails at start, saying why', async () => {
    const [shown, hidden] = generatedPackages(2, 'npm', 7).map((pkg, index) => ({ ...pkg, visibility: index === 0 ? ('public' as const) : ('private' as const) }));
    const created = shown!.created_at;
    const standIn = await startStandIn({
      accounts: [{ login: 'tiny-org', type: 'Organization', packages: [shown!, hidden!], versions: [{ id: 70, package_id: 7, name: '0.1.0', created_at: created, updated_at: created, deleted_at: null, downloads: 0, tags: [] }] }],
    });
    try {
      expect((await call(standIn, ownerListPath(ORG, 'package_type=npm'))).status).toBe(404);
      // The demo token administers acme-corp only: it sees tiny-org's public packages alone.
      expect(names(await call(standIn, ownerListPath('orgs/tiny-org', 'package_type=npm')))).toEqual([shown!.name]);
      expect(((await call(standIn, `${ownerPackagePath('orgs/tiny-org', 'npm', shown!.name)}/versions`)).body as VersionBody[]).map((version) => version.id)).toEqual([70]);
    } finally {
      await standIn.close();
    }
    await expect(startStandIn({ versions: [{ id: 1, package_id: 424242, name: '1.0.0', created_at: created, updated_at: created, deleted_at: null, downloads: 0, tags: [] }] })).rejects.toThrow(
      /Versions were given for package id 424242, which octo-demo does not have\./,
    );
  });
});
