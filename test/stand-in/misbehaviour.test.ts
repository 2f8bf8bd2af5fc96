// The misbehaviour switches, for adversarial tests of clients: lists that ignore their filters, gets
// that answer about another item, and lists that shift between pages.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { call, listPath, packagePath, versionPath, versionsPath, type Answer, type PackageBody, type VersionBody } from './helpers.js';

const packages = (answer: Answer) => answer.body as Array<PackageBody & { version_count: number }>;
const versions = (answer: Answer) => answer.body as VersionBody[];

describe('misbehaviour switches', () => {
  let standIn: StandIn;
  beforeEach(async () => {
    standIn = await startStandIn();
  });
  afterEach(() => standIn.close());

  it('are off by default', async () => {
    const npm = packages(await call(standIn, listPath('package_type=npm&visibility=public&per_page=100')));
    expect(new Set(npm.map((pkg) => `${pkg.package_type} ${pkg.visibility}`))).toEqual(new Set(['npm public']));
    expect((await call(standIn, packagePath('npm', 'icons'))).body).toMatchObject({ name: 'icons' });
  });

  it('ignoreQueryFilters: package lists answer every type and visibility, version lists both states', async () => {
    await standIn.configure({ ignoreQueryFilters: true });
    const all = packages(await call(standIn, listPath('package_type=npm&visibility=public&per_page=100')));
    expect(new Set(all.map((pkg) => pkg.package_type)).size).toBe(6);
    expect(new Set(all.map((pkg) => pkg.visibility))).toEqual(new Set(['public', 'private']));
    expect(all.map((pkg) => pkg.id)).toEqual([...all.map((pkg) => pkg.id)].sort((a, b) => a - b));
    expect((await call(standIn, listPath(''))).status).toBe(200);

    const mixed = versions(await call(standIn, versionsPath('npm', 'eslint-config', 'state=active&per_page=100')));
    expect(mixed.some((version) => version.deleted_at !== undefined)).toBe(true);
    expect(mixed.some((version) => version.deleted_at === undefined)).toBe(true);
    expect((await call(standIn, versionsPath('npm', 'eslint-config', 'state=bogus'))).status).toBe(200);

    await standIn.configure({ ignoreQueryFilters: false });
    expect((await call(standIn, listPath(''))).status).toBe(400);
  });

  it('answerOtherPackage: a package get answers the next package, a version get another version', async () => {
    await standIn.configure({ answerOtherPackage: true });
    const asked = packages(await call(standIn, listPath('package_type=npm&per_page=100'))).find((pkg) => pkg.name === 'icons')!;
    const answered = (await call(standIn, packagePath('npm', 'icons'))).body as PackageBody;
    expect(answered.name).not.toBe('icons');
    expect(answered.id).toBeGreaterThan(asked.id);

    const [newest, older] = versions(await call(standIn, versionsPath('npm', 'icons')));
    expect(((await call(standIn, versionPath('npm', 'icons', newest!.id))).body as VersionBody).id).toBe(older!.id);

    // One version only: the answer is about another package altogether.
    const [only] = versions(await call(standIn, versionsPath('container', 'sandbox/experiment')));
    const elsewhere = (await call(standIn, versionPath('container', 'sandbox/experiment', only!.id))).body as VersionBody;
    expect(elsewhere.id).not.toBe(only!.id);
    expect(elsewhere.url).not.toContain('sandbox%2Fexperiment');

    // What does not exist still does not.
    expect((await call(standIn, packagePath('npm', 'no-such-package'))).status).toBe(404);
  });

  it('shiftDuringList: after page 1 of packages, a new one goes first, so page 2 repeats page 1 last item', async () => {
    await standIn.configure({ shiftDuringList: true });
    const first = packages(await call(standIn, listPath('package_type=container&per_page=5')));
    const second = packages(await call(standIn, listPath('package_type=container&per_page=5&page=2')));
    expect(second[0]?.id).toBe(first[4]?.id);
    const again = packages(await call(standIn, listPath('package_type=container&per_page=5')));
    expect(again[0]?.id).toBeLessThan(first[0]!.id);
    expect(again[0]?.name).toMatch(/^shifted-package-/);
    expect(again[1]?.id).toBe(first[0]?.id);
  });

  it('shiftDuringList: after page 1 of versions, a new version goes first and version_count counts it', async () => {
    await standIn.configure({ shiftDuringList: true });
    const countBefore = ((await call(standIn, packagePath('container', 'acme/worker'))).body as { version_count: number }).version_count;
    const first = versions(await call(standIn, versionsPath('container', 'acme/worker', 'per_page=10')));
    const second = versions(await call(standIn, versionsPath('container', 'acme/worker', 'per_page=10&page=2')));
    expect(second[0]?.id).toBe(first[9]?.id);
    const countAfter = ((await call(standIn, packagePath('container', 'acme/worker'))).body as { version_count: number }).version_count;
    expect(countAfter).toBe(countBefore + 1);
    const newest = versions(await call(standIn, versionsPath('container', 'acme/worker', 'per_page=1&page=2')));
    expect(newest[0]?.id).toBe(first[0]?.id);

    const deletedFirst = versions(await call(standIn, versionsPath('container', 'acme/worker', 'state=deleted&per_page=1')));
    const deletedSecond = versions(await call(standIn, versionsPath('container', 'acme/worker', 'state=deleted&per_page=1&page=2')));
    expect(deletedSecond[0]?.id).toBe(deletedFirst[0]?.id);
  });
});
