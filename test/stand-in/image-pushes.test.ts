// The switches tests of the container delete guard use: image pushes that land at once or between two
// writes (a re-push moves a tag, a push to a new package creates it), and version lists that misanswer.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestOf, ociImage, ociIndex, type StoredManifest } from '../../dist/stand-in/images-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { call, versionPath, versionsPath, type VersionBody } from './helpers.js';

let standIn: StandIn;
beforeEach(async () => {
  standIn = await startStandIn();
});
afterEach(() => standIn.close());

const NAME = 'pushed/app';
const push = (manifests: StoredManifest[], tags: string[], afterDeletes = 0) => ({ owner: 'octo-demo', packageName: NAME, manifests, tags, afterDeletes });
/** The package's active versions: digest → tags. */
async function listed(): Promise<Map<string, string[]>> {
  const answer = await call(standIn, versionsPath('container', NAME, 'per_page=100'));
  return new Map((answer.body as VersionBody[]).map((version) => [version.name, version.metadata.container!.tags]));
}
const idOf = async (manifest: StoredManifest) =>
  ((await call(standIn, versionsPath('container', NAME, 'per_page=100'))).body as VersionBody[]).find((version) => version.name === digestOf(manifest.body))!.id;

describe('image pushes', () => {
  const amd64 = ociImage('pushes: amd64');
  const arm64 = ociImage('pushes: arm64');
  const index = ociIndex([
    { manifest: amd64, platform: 'linux/amd64' },
    { manifest: arm64, platform: 'linux/arm64' },
  ]);

  it('land at once, in order: a new package, one version per manifest, a tag moved off the version that had it', async () => {
    await standIn.configure({ imagePushes: [push([amd64, arm64, index], ['1.0', 'latest']), push([amd64], ['latest'])] });
    expect(await listed()).toEqual(
      new Map([
        [digestOf(index.body), ['1.0']],
        [digestOf(arm64.body), []],
        [digestOf(amd64.body), ['latest']],
      ]),
    );
  });

  it('wait for their DELETEs: a push lands once that many DELETEs have succeeded, a failed one does not count', async () => {
    const later = ociImage('pushes: later');
    await standIn.configure({ imagePushes: [push([amd64, arm64, index], ['1.0']), push([later], ['2.0'], 2)] });
    expect((await call(standIn, versionPath('container', NAME, await idOf(amd64)), { method: 'DELETE' })).status).toBe(204);
    expect((await call(standIn, versionPath('container', NAME, 1), { method: 'DELETE' })).status).toBe(404);
    expect((await listed()).has(digestOf(later.body))).toBe(false);
    expect((await call(standIn, versionPath('container', NAME, await idOf(arm64)), { method: 'DELETE' })).status).toBe(204);
    expect((await listed()).get(digestOf(later.body))).toEqual(['2.0']);
  });

  it('refuses a push to an account that does not exist, or without manifests, changing nothing', async () => {
    await expect(standIn.configure({ imagePushes: [push([amd64], []), { ...push([], []), afterDeletes: 3 }] })).rejects.toThrow(/the image push to octo-demo\/pushed\/app has no manifests/);
    await expect(standIn.configure({ imagePushes: [{ ...push([amd64], []), owner: 'nobody-here' }] })).rejects.toThrow(/there is no such account/);
    expect((await call(standIn, versionsPath('container', NAME))).status).toBe(404);
  });
});

describe('versionListMisanswer', () => {
  it('answers version lists with a 404, a 500, ids that are strings, or items without metadata', async () => {
    const path = versionsPath('container', 'acme/app', 'per_page=100');
    await standIn.configure({ versionListMisanswer: 'not-found' });
    expect((await call(standIn, path)).status).toBe(404);
    await standIn.configure({ versionListMisanswer: 'server-error' });
    expect((await call(standIn, path)).status).toBe(500);
    await standIn.configure({ versionListMisanswer: 'invalid' });
    expect(((await call(standIn, path)).body as Array<{ id: unknown }>).every((version) => typeof version.id === 'string')).toBe(true);
    await standIn.configure({ versionListMisanswer: 'no-metadata' });
    expect(((await call(standIn, path)).body as VersionBody[]).some((version) => version.metadata !== undefined)).toBe(false);
    await standIn.configure({ versionListMisanswer: null });
    expect(((await call(standIn, path)).body as VersionBody[]).every((version) => typeof version.id === 'number' && version.metadata.container !== undefined)).toBe(true);
  });
});
