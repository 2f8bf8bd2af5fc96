// What the misbehaviour switches (DataSwitches in api-types.ts) change, for adversarial tests of
// clients: answers about the wrong item, and lists that shift while they are being read.

import type { Account } from './accounts.js';
import type { ApiContext, VersionListMisanswer } from './api-types.js';
import type { PackageTarget, VersionTarget } from './lookups.js';
import { isoSeconds, type PackageType, type StoredPackage } from './packages-data.js';
import { isVisible } from './permissions.js';
import type { VersionState } from './version-store.js';
import { versionDigest } from './versions-data.js';

/** answerOtherPackage: the owner's next package the token may see, by id, wrapping round. */
export function otherPackage({ owner, pkg }: PackageTarget, context: ApiContext): StoredPackage {
  const visible = owner.packages.allActive().filter((each) => isVisible(owner, each, context));
  return visible.find((each) => each.id > pkg.id) ?? visible[0] ?? pkg;
}

/** answerOtherPackage: the next older version (wrapping round), else the next package's newest. */
export function otherVersion(target: VersionTarget, context: ApiContext): Pick<VersionTarget, 'pkg' | 'version'> {
  const siblings = target.versions.list('active');
  if (siblings.length > 1) {
    const next = siblings[(siblings.indexOf(target.version) + 1) % siblings.length];
    if (next) return { pkg: target.pkg, version: next };
  }
  const pkg = otherPackage(target, context);
  const newest = target.owner.versions.of(pkg).list('active')[0];
  return newest ? { pkg, version: newest } : target;
}

/**
 * shiftDuringList, package lists (id order): a new package of that type and visibility with an id
 * below every other, so that it is first. With the generated ids from 1 it may be 0 or negative.
 */
export function insertPackageFirst(owner: Account, type: PackageType, visibility: 'public' | 'private', now: number): void {
  const id = owner.packages.lowestId() - 1;
  let name = `shifted-package-${Math.abs(id)}`;
  while (owner.packages.findActive(type, name)) name += '-again';
  const at = isoSeconds(now);
  owner.packages.add({ id, name, package_type: type, visibility, version_count: 1, created_at: at, updated_at: at, repository: null, downloads: 0, deleted_at: null });
}

/** shiftDuringList, version lists (newest first): a version of that state created now. */
export function insertVersionFirst({ owner, pkg }: PackageTarget, state: VersionState, now: number): void {
  const versions = owner.versions.of(pkg);
  const id = versions.freeId();
  const at = isoSeconds(now);
  const image = pkg.package_type === 'container' || pkg.package_type === 'docker';
  versions.add({
    id,
    package_id: pkg.id,
    name: image ? versionDigest(pkg.id, id) : `0.0.0-shifted.${id}`,
    created_at: at,
    updated_at: at,
    deleted_at: state === 'deleted' ? at : null,
    downloads: 0,
    tags: [],
  });
}

/** deleteDuringList, package lists: the list's first package is deleted. */
export function deleteFirstPackage(owner: Account, listed: readonly StoredPackage[], now: number): void {
  const first = listed[0];
  if (first) owner.packages.markDeleted(first, isoSeconds(now));
}

/** deleteDuringList, lists of active versions (newest first): the newest is deleted. */
export function deleteFirstVersion({ owner, pkg }: PackageTarget, now: number): void {
  const versions = owner.versions.of(pkg);
  const newest = versions.list('active')[0];
  if (newest) versions.markDeleted(newest, isoSeconds(now));
}

/** versionListMisanswer, for the answers that are a list: the items of `body` changed as it says. */
export function misanswered(kind: Exclude<VersionListMisanswer, 'not-found' | 'server-error'>, body: Buffer): Buffer {
  const items = JSON.parse(body.toString('utf8')) as Array<Record<string, unknown>>;
  const changed = items.map(({ metadata, ...rest }) => (kind === 'invalid' ? { ...rest, metadata, id: String(rest['id']) } : rest));
  return Buffer.from(JSON.stringify(changed));
}
