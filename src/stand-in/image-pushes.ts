// Pushes to container packages as another client (CI, a colleague) makes them while ghsql works: at
// once, or between two of ghsql's writes. A switch rather than a command, so that every controller of
// a stand-in (the thread, a benchmark's process) can set it with configure().

import type { Account, StandInData } from './accounts.js';
import { digestOf, type StoredManifest } from './images-data.js';
import { isoSeconds, type StoredPackage } from './packages-data.js';
import type { PackageVersions } from './version-store.js';
import type { StoredVersion } from './versions-data.js';

/**
 * One push, as `docker buildx build --push` or `crane tag` makes it: manifests in push order (an
 * index after the manifests it names), the last one getting the tags. A manifest that an active
 * version already has is not pushed again, so re-pushing an image with a new tag is a tag move.
 */
export interface ImagePush {
  /** The package owner's login. */
  owner: string;
  /** A container package of that owner; a push to one that does not exist creates it, as on ghcr.io. */
  packageName: string;
  manifests: StoredManifest[];
  /** Tags of the last manifest; each is taken off the version that had it (a tag names one version). */
  tags: string[];
  /** How many more DELETEs must succeed (any DELETE the API answers 204) before it lands; 0: at once. */
  afterDeletes: number;
}

export interface PushSwitches {
  /** Pushes still to land; setting it lands those due at once. */
  imagePushes: ImagePush[];
}

export const DEFAULT_PUSH_SWITCHES: PushSwitches = { imagePushes: [] };

/**
 * Lands the pushes that are due, in order, and returns the others. A push to an owner that does not
 * exist, or one without manifests, is refused whether it is due or not.
 */
export function landDuePushes(data: StandInData, pushes: readonly ImagePush[], now: number): ImagePush[] {
  // Every push is checked before any lands: a bad one changes nothing.
  const owners = pushes.map((push) => pushOwner(data, push));
  pushes.forEach((push, index) => {
    if (push.afterDeletes === 0) land(pushTarget(owners[index]!, push.packageName, now), push, now);
  });
  return pushes.filter((push) => push.afterDeletes > 0);
}

/** A DELETE succeeded: every waiting push is one nearer (new objects: the caller's stay as given). */
export function countDelete(pushes: readonly ImagePush[]): ImagePush[] {
  return pushes.map((push) => ({ ...push, afterDeletes: push.afterDeletes - 1 }));
}

interface PushTarget {
  pkg: StoredPackage;
  versions: PackageVersions;
}

function pushOwner(data: StandInData, push: ImagePush): Account {
  const where = `the image push to ${push.owner}/${push.packageName}`;
  if (!Number.isInteger(push.afterDeletes) || push.afterDeletes < 0) throw new Error(`${where}: afterDeletes must be a whole number, not ${push.afterDeletes}.`);
  if (push.manifests.length === 0) throw new Error(`${where} has no manifests.`);
  const owner = data.account(push.owner);
  if (!owner) throw new Error(`${where}: there is no such account.`);
  return owner;
}

/** The active container package of that name, made (private, with no versions) if there is none. */
function pushTarget(owner: Account, name: string, now: number): PushTarget {
  let pkg = owner.packages.findActive('container', name);
  if (!pkg) {
    const at = isoSeconds(now);
    const made: StoredPackage = { id: owner.packages.highestId() + 1, name, package_type: 'container', visibility: 'private', version_count: 0, created_at: at, updated_at: at, repository: null, downloads: 0, deleted_at: null };
    owner.versions.startEmpty(made.id);
    owner.packages.add(made);
    pkg = made;
  }
  return { pkg, versions: owner.versions.of(pkg) };
}

function land({ pkg, versions }: PushTarget, push: ImagePush, now: number): void {
  const at = isoSeconds(now);
  const pushed = push.manifests.map((manifest) => {
    const name = digestOf(manifest.body);
    const present = versions.findActiveNamed(name);
    if (present) return present;
    const version: StoredVersion = { id: versions.freeId(), package_id: pkg.id, name, created_at: at, updated_at: at, deleted_at: null, downloads: 0, tags: [], manifest };
    versions.add(version);
    return version;
  });
  const tagged = pushed[pushed.length - 1]!; // pushOwner refuses a push without manifests
  for (const version of versions.list('active')) {
    if (version !== tagged) version.tags = version.tags.filter((tag) => !push.tags.includes(tag));
  }
  tagged.tags = [...new Set([...tagged.tags, ...push.tags])];
  pkg.updated_at = at;
}
