// Package versions over HTTP: lists and their Link headers, the state filter, gets and their 404s,
// delete and restore rules, scopes, and version_count kept equal to the active versions.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPackages, generatedPackages, type StoredPackage } from '../../dist/stand-in/packages-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import type { StoredVersion } from '../../dist/stand-in/versions-data.js';
import { call, header, linkRelations, packagePath, versionPath, versionsPath, type Answer, type ErrorBody, type PackageBody, type VersionBody } from './helpers.js';

const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 19) + 'Z';

const versionsOf = (answer: Answer) => answer.body as VersionBody[];
const message = (answer: Answer) => (answer.body as ErrorBody).message;

/** A version of `pkg`, created `createdDaysAgo` days ago. */
function version(pkg: StoredPackage, id: number, name: string, createdDaysAgo: number, overrides: Partial<StoredVersion> = {}): StoredVersion {
  const created = daysAgo(createdDaysAgo);
  return { id, package_id: pkg.id, name, created_at: created, updated_at: created, deleted_at: null, downloads: 10, tags: [], ...overrides };
}

async function allVersions(standIn: StandIn, type: string, name: string, state = 'active'): Promise<VersionBody[]> {
  const versions: VersionBody[] = [];
  let next: string | undefined = versionsPath(type, name, `state=${state}&per_page=100`);
  while (next !== undefined) {
    const answer = await call(standIn, next);
    expect(answer.status).toBe(200);
    versions.push(...versionsOf(answer));
    next = linkRelations(answer.headers.get('link')).find(([rel]) => rel === 'next')?.[1].slice(standIn.url.length);
  }
  return versions;
}

async function versionCount(standIn: StandIn, type: string, name: string): Promise<number> {
  return ((await call(standIn, packagePath(type, name))).body as PackageBody & { version_count: number }).version_count;
}

describe('listing versions of the demo packages', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(() => standIn.close());

  it('pages 30 at a time by default, newest first, with Link headers shaped like the package list', async () => {
    const first = await call(standIn, versionsPath('container', 'acme/api-server'));
    expect(versionsOf(first)).toHaveLength(30);
    const url = (query: string) => `${standIn.url}/user/packages/container/acme%2Fapi-server/versions?${query}`;
    expect(linkRelations(first.headers.get('link'))).toEqual([
      ['next', url('page=2')],
      ['last', url('page=7')],
    ]);
    const middle = await call(standIn, versionsPath('container', 'acme/api-server', 'per_page=50&page=2'));
    expect(header(middle, 'link')).toBe(
      `<${url('per_page=50&page=1')}>; rel="prev", <${url('per_page=50&page=3')}>; rel="next", <${url('per_page=50&page=4')}>; rel="last", <${url('per_page=50&page=1')}>; rel="first"`,
    );
    const clamped = await call(standIn, versionsPath('container', 'acme/api-server', 'per_page=1000'));
    expect(versionsOf(clamped)).toHaveLength(100);

    const all = await allVersions(standIn, 'container', 'acme/api-server');
    const created = all.map((each) => each.created_at);
    expect(created).toEqual([...created].sort().reverse());
    expect(new Set(all.map((each) => each.id)).size).toBe(all.length);
  });

  it('sends no Link header when one page holds every version', async () => {
    const answer = await call(standIn, versionsPath('npm', 'eslint-config'));
    expect(versionsOf(answer)).toHaveLength(12);
    expect(answer.headers.get('link')).toBeNull();
  });

  it('has exactly version_count active versions for every package, and ids unique across packages', async () => {
    const ids = new Set<number>();
    for (const pkg of demoPackages().filter((each) => each.deleted_at === null)) {
      const versions = await allVersions(standIn, pkg.package_type, pkg.name);
      expect(versions, `${pkg.package_type}/${pkg.name}`).toHaveLength(pkg.version_count);
      const deleted = await allVersions(standIn, pkg.package_type, pkg.name, 'deleted');
      expect(deleted.length).toBeGreaterThan(0);
      for (const each of [...versions, ...deleted]) {
        expect(ids.has(each.id)).toBe(false);
        ids.add(each.id);
      }
    }
  });

  it('lists deleted versions with state=deleted, each with its deleted_at, some restorable and some not', async () => {
    const deleted = await allVersions(standIn, 'container', 'acme/api-server', 'deleted');
    const ages = deleted.map((each) => (Date.now() - Date.parse(each.deleted_at ?? '')) / DAY_MS);
    expect(ages.some((age) => age < 30)).toBe(true);
    expect(ages.some((age) => age > 30)).toBe(true);
    const active = await allVersions(standIn, 'container', 'acme/api-server');
    expect(active.every((each) => each.deleted_at === undefined)).toBe(true);
    expect(deleted.map((each) => each.id).filter((id) => active.some((other) => other.id === id))).toEqual([]);
  });

  it('answers 400 for a state other than active or deleted, and 404 for a missing or deleted package', async () => {
    const bad = await call(standIn, versionsPath('npm', 'eslint-config', 'state=all'));
    expect(bad.status).toBe(400);
    expect(message(bad)).toBe('The state parameter must be one of: active, deleted.');
    for (const [type, name] of [['npm', 'no-such-package'], ['npm', 'old-cli'], ['maven', 'eslint-config']]) {
      const missing = await call(standIn, versionsPath(type!, name!));
      expect(missing.status, `${type}/${name}`).toBe(404);
      expect(message(missing)).toBe('Package not found.');
    }
  });
});

describe('what the demo versions look like', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(() => standIn.close());

  it('containers: digests for names, tagged releases among many untagged builds, minutes to years old', async () => {
    const versions = await allVersions(standIn, 'container', 'acme/api-server');
    const minutesOld = (each: VersionBody) => (Date.now() - Date.parse(each.created_at)) / 60_000;
    for (const each of versions) {
      expect(each.name).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(each.metadata.package_type).toBe('container');
    }
    const tags = versions.flatMap((each) => each.metadata.container?.tags ?? []);
    expect(tags).toEqual(expect.arrayContaining(['latest', 'v1', 'v2', 'v3', '2.2.4', '3.0.0']));
    const untagged = versions.filter((each) => each.metadata.container?.tags.length === 0);
    expect(untagged.length).toBeGreaterThan(versions.length / 2);
    expect(untagged.some((each) => minutesOld(each) > 90 * 24 * 60)).toBe(true);
    expect(untagged.some((each) => minutesOld(each) < 60)).toBe(true);
    expect(versions[0]?.url).toBe(`${standIn.url}/users/octo-demo/packages/container/acme%2Fapi-server/versions/${versions[0]?.id}`);
    expect(versions[0]?.package_html_url).toBe('https://github.com/users/octo-demo/packages/container/package/acme%2Fapi-server');
    expect(versions[0]?.html_url).toBe(`https://github.com/users/octo-demo/packages/container/acme%2Fapi-server/${versions[0]?.id}`);
  });

  it('docker images carry their tags in metadata.docker; other registries have version numbers', async () => {
    const docker = versionsOf(await call(standIn, versionsPath('docker', 'build-env')));
    expect(docker[0]?.metadata).toEqual({ package_type: 'docker', docker: { tag: ['1.1.1', 'v1', 'latest'], tags: ['1.1.1', 'v1', 'latest'] } });
    const npm = versionsOf(await call(standIn, versionsPath('npm', 'design-system')));
    expect(npm.slice(0, 3).map((each) => each.name)).toEqual(['3.1.2', '3.1.1', '3.1.0']);
    expect(npm[0]?.metadata).toEqual({ package_type: 'npm' });
    const linked = 'https://github.com/octo-demo/design-system/packages/';
    expect(npm[0]?.package_html_url).toMatch(new RegExp(`^${linked}\\d+$`));
    expect(npm[0]?.html_url).toBe(`${npm[0]?.package_html_url}?version=3.1.2`);
  });
});

describe('getting one version', () => {
  let standIn: StandIn;
  let apiServer: VersionBody[];
  beforeAll(async () => {
    standIn = await startStandIn();
    apiServer = await allVersions(standIn, 'container', 'acme/api-server');
  });
  afterAll(() => standIn.close());

  it('answers the version as the list shows it', async () => {
    const listed = apiServer[3]!;
    const answer = await call(standIn, versionPath('container', 'acme/api-server', listed.id));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(listed);
  });

  it('answers 404 for an unknown id, a version of another package, a deleted version, or a missing package', async () => {
    const otherPackages = versionsOf(await call(standIn, versionsPath('container', 'acme/worker')));
    const deleted = await allVersions(standIn, 'container', 'acme/api-server', 'deleted');
    for (const id of [1, otherPackages[0]!.id, deleted[0]!.id]) {
      const answer = await call(standIn, versionPath('container', 'acme/api-server', id));
      expect(answer.status, String(id)).toBe(404);
      expect(message(answer)).toBe('Package version not found.');
    }
    const noPackage = await call(standIn, versionPath('container', 'acme/nothing', apiServer[0]!.id));
    expect(message(noPackage)).toBe('Package not found.');
  });
});

describe('deleting and restoring versions', () => {
  const privatePkg = { ...generatedPackages(1, 'npm', 10)[0]!, name: 'private-lib', visibility: 'private' as const };
  const publicPkg = { ...generatedPackages(1, 'container', 20)[0]!, name: 'public-image', visibility: 'public' as const };
  const single = { ...generatedPackages(1, 'npm', 30)[0]!, name: 'single' };
  const maven = { ...generatedPackages(1, 'maven', 40)[0]!, name: 'com.acme.lib' };
  const versions: StoredVersion[] = [
    version(privatePkg, 101, '1.0.0', 100, { downloads: 9_000 }),
    version(privatePkg, 102, '1.1.0', 50),
    version(privatePkg, 103, '1.2.0', 10),
    version(privatePkg, 104, '1.2.0-rc.1', 12, { deleted_at: daysAgo(29) }),
    version(privatePkg, 105, '0.9.0', 200, { deleted_at: daysAgo(31) }),
    version(privatePkg, 106, '1.1.0', 60, { deleted_at: daysAgo(5) }),
    version(publicPkg, 201, 'sha256:' + 'a'.repeat(64), 30, { downloads: 5_001, tags: ['latest'] }),
    version(publicPkg, 202, 'sha256:' + 'b'.repeat(64), 20, { downloads: 5_000 }),
    version(publicPkg, 203, 'sha256:' + 'c'.repeat(64), 10),
    version(single, 301, '1.0.0', 5),
    version(single, 302, '0.1.0', 9, { deleted_at: daysAgo(1) }),
    version(maven, 401, '1.0.0', 5),
    version(maven, 402, '1.0.1', 4),
  ];
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn({
      packages: [privatePkg, publicPkg, single, maven],
      versions,
      tokens: {
        full: { scopes: ['read:packages', 'write:packages', 'delete:packages', 'repo'] },
        'read-only': { scopes: ['read:packages'] },
        'no-repo': { scopes: ['read:packages', 'write:packages', 'delete:packages'] },
      },
    });
  });
  afterAll(() => standIn.close());

  it('serves the given versions exactly, and counts the active ones as version_count', async () => {
    expect(versionsOf(await call(standIn, versionsPath('npm', 'private-lib'))).map((each) => each.id)).toEqual([103, 102, 101]);
    expect(versionsOf(await call(standIn, versionsPath('npm', 'private-lib', 'state=deleted'))).map((each) => each.id)).toEqual([104, 106, 105]);
    expect(await versionCount(standIn, 'npm', 'private-lib')).toBe(3);
    expect(await versionCount(standIn, 'npm', 'single')).toBe(1);
  });

  it('deletes a version: 204, it moves to state=deleted, version_count drops; a second delete is 404', async () => {
    const deleted = await call(standIn, versionPath('npm', 'private-lib', 102), { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(versionsOf(await call(standIn, versionsPath('npm', 'private-lib'))).map((each) => each.id)).toEqual([103, 101]);
    const inDeleted = versionsOf(await call(standIn, versionsPath('npm', 'private-lib', 'state=deleted'))).find((each) => each.id === 102);
    expect(Date.now() - Date.parse(inDeleted?.deleted_at ?? '')).toBeLessThan(60_000);
    expect(await versionCount(standIn, 'npm', 'private-lib')).toBe(2);
    expect((await call(standIn, versionPath('npm', 'private-lib', 102), { method: 'DELETE' })).status).toBe(404);
    expect((await call(standIn, versionPath('npm', 'private-lib', 102))).status).toBe(404);
  });

  it('restores a version deleted within 30 days: 204, back in the list, version_count rises', async () => {
    expect((await call(standIn, `${versionPath('npm', 'private-lib', 104)}/restore`, { method: 'POST' })).status).toBe(204);
    expect((await call(standIn, versionPath('npm', 'private-lib', 104))).status).toBe(200);
    expect(versionsOf(await call(standIn, versionsPath('npm', 'private-lib'))).map((each) => each.id)).toEqual([103, 104, 101]);
    expect(await versionCount(standIn, 'npm', 'private-lib')).toBe(3);
  });

  it('refuses to restore a version deleted more than 30 days ago, or whose version number is taken again', async () => {
    const expired = await call(standIn, `${versionPath('npm', 'private-lib', 105)}/restore`, { method: 'POST' });
    expect(expired.status).toBe(400);
    expect(message(expired)).toBe('This package version was deleted more than 30 days ago and can no longer be restored.');
    // 102 (1.1.0) was deleted above; 106 is another 1.1.0, so restoring 102 first makes 106's name taken.
    expect((await call(standIn, `${versionPath('npm', 'private-lib', 102)}/restore`, { method: 'POST' })).status).toBe(204);
    const reused = await call(standIn, `${versionPath('npm', 'private-lib', 106)}/restore`, { method: 'POST' });
    expect(reused.status).toBe(400);
    expect(message(reused)).toContain('an active version named "1.1.0" exists');
  });

  it('answers 404 to restoring an active version or an unknown one', async () => {
    for (const id of [103, 999]) {
      const answer = await call(standIn, `${versionPath('npm', 'private-lib', id)}/restore`, { method: 'POST' });
      expect(answer.status, String(id)).toBe(404);
      expect(message(answer)).toBe('Package version not found.');
    }
  });

  it("refuses to delete a package's last active version: the package must be deleted instead", async () => {
    const refused = await call(standIn, versionPath('npm', 'single', 301), { method: 'DELETE' });
    expect(refused.status).toBe(400);
    expect(message(refused)).toBe('You cannot delete the last version of a package. You must delete the package instead.');
    expect(await versionCount(standIn, 'npm', 'single')).toBe(1);
  });

  it('refuses to delete a version of a public package downloaded more than 5,000 times', async () => {
    const refused = await call(standIn, versionPath('container', 'public-image', 201), { method: 'DELETE' });
    expect(refused.status).toBe(400);
    expect(message(refused)).toMatch(/^Public package versions that have been downloaded more than 5,000 times cannot be deleted\./);
    expect((await call(standIn, versionPath('container', 'public-image', 202), { method: 'DELETE' })).status).toBe(204);
    // Private: the download count does not matter.
    expect((await call(standIn, versionPath('npm', 'private-lib', 101), { method: 'DELETE' })).status).toBe(204);
  });

  it('refuses to delete a public package any of whose versions was downloaded more than 5,000 times', async () => {
    const refused = await call(standIn, packagePath('container', 'public-image'), { method: 'DELETE' });
    expect(refused.status).toBe(400);
    expect(message(refused)).toMatch(/^Public packages that have been downloaded more than 5,000 times cannot be deleted\./);
  });

  it('needs delete:packages to delete and write:packages to restore, plus repo for maven', async () => {
    const readOnlyDelete = await call(standIn, versionPath('maven', 'com.acme.lib', 401), { method: 'DELETE', token: 'read-only' });
    expect(readOnlyDelete.status).toBe(403);
    expect(header(readOnlyDelete, 'x-accepted-oauth-scopes')).toBe('read:packages, delete:packages, repo');
    const noRepo = await call(standIn, versionPath('maven', 'com.acme.lib', 401), { method: 'DELETE', token: 'no-repo' });
    expect(noRepo.status).toBe(403);
    expect(message(noRepo)).toContain("missing 'repo'");

    const restore = await call(standIn, `${versionPath('npm', 'private-lib', 101)}/restore`, { method: 'POST', token: 'read-only' });
    expect(restore.status).toBe(403);
    expect(header(restore, 'x-accepted-oauth-scopes')).toBe('read:packages, write:packages');
    expect((await call(standIn, `${versionPath('npm', 'private-lib', 101)}/restore`, { method: 'POST', token: 'no-repo' })).status).toBe(204);

    const read = await call(standIn, versionsPath('maven', 'com.acme.lib'), { token: 'read-only' });
    expect(read.status).toBe(200);
    expect(header(read, 'x-accepted-oauth-scopes')).toBe('read:packages');
    expect((await call(standIn, versionPath('maven', 'com.acme.lib', 401), { method: 'DELETE', token: 'full' })).status).toBe(204);
  });
});

describe('the demo rules on versions', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(() => standIn.close());

  it("acme/api-server's latest release cannot be deleted, an untagged build can", async () => {
    const versions = await allVersions(standIn, 'container', 'acme/api-server');
    const latest = versions.find((each) => each.metadata.container?.tags.includes('latest'))!;
    const untagged = versions.find((each) => each.metadata.container?.tags.length === 0)!;
    expect((await call(standIn, versionPath('container', 'acme/api-server', latest.id), { method: 'DELETE' })).status).toBe(400);
    expect((await call(standIn, versionPath('container', 'acme/api-server', untagged.id), { method: 'DELETE' })).status).toBe(204);
    expect(await versionCount(standIn, 'container', 'acme/api-server')).toBe(183);
  });

  it('sandbox/experiment has one version, which cannot be deleted', async () => {
    const [only] = versionsOf(await call(standIn, versionsPath('container', 'sandbox/experiment')));
    const refused = await call(standIn, versionPath('container', 'sandbox/experiment', only!.id), { method: 'DELETE' });
    expect(refused.status).toBe(400);
    expect(message(refused)).toContain('last version');
  });

  it('restores a demo version deleted days ago, and refuses one deleted weeks ago', async () => {
    const deleted = await allVersions(standIn, 'npm', 'design-system', 'deleted');
    const age = (each: VersionBody) => (Date.now() - Date.parse(each.deleted_at ?? '')) / DAY_MS;
    const recent = deleted.find((each) => age(each) < 30);
    const old = deleted.find((each) => age(each) > 30);
    expect((await call(standIn, `${versionPath('npm', 'design-system', recent!.id)}/restore`, { method: 'POST' })).status).toBe(204);
    expect((await call(standIn, `${versionPath('npm', 'design-system', old!.id)}/restore`, { method: 'POST' })).status).toBe(400);
    expect(await versionCount(standIn, 'npm', 'design-system')).toBe(39);
  });
});
