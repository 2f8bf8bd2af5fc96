// Pushes to container packages as another client (CI, a colleague) makes them while ghsql works: at
// once, or between two of ghsql's writes. A switch rather than a command, so that every controller of
// a stand-in (the thread, a benchmark's process) can set it with configure().

import type { StandInData } from './accounts.js';
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
  /** An active container package of that owner. */
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
 * Lands the pushes that are due, in order, and returns the others. A push to an owner or package that
 * does not exist, or one without manifests, is refused whether it is due or not.
 */
export function landDuePushes(data: StandInData, pushes: readonly ImagePush[], now: number): ImagePush[] {
  const waiting: ImagePush[] = [];
  for (const push of pushes) {
    const target = pushTarget(data, push);
    if (push.afterDeletes > 0) waiting.push(push);
    else land(target, push, now);
  }
  return waiting;
}

/** A DELETE succeeded: every waiting push is one nearer (new objects: the caller's stay as given). */
export function countDelete(pushes: readonly ImagePush[]): ImagePush[] {
  return pushes.map((push) => ({ ...push, afterDeletes: push.afterDeletes - 1 }));
}

interface PushTarget {
  pkg: StoredPackage;
  versions: PackageVersions;
}

function pushTarget(data: StandInData, push: ImagePush): PushTarget {
  const where = `the image push to ${push.owner}/${push.packageName}`;
  if (!Number.isInteger(push.afterDeletes) || push.afterDeletes < 0) throw new Error(`${where}: afterDeletes must be a whole number, not ${push.afterDeletes}.`);
  if (push.manifests.length === 0) throw new Error(`${where} has no manifests.`);
  const owner = data.account(push.owner);
  const pkg = owner?.packages.findActive('container', push.packageName);
  if (!owner || !pkg) throw new Error(`${where}: there is no such active container package.`);
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
  const tagged = pushed[pushed.length - 1]!; // pushTarget refuses a push without manifests
  for (const version of versions.list('active')) {
    if (version !== tagged) version.tags = version.tags.filter((tag) => !push.tags.includes(tag));
  }
  tagged.tags = [...new Set([...tagged.tags, ...push.tags])];
  pkg.updated_at = at;
}
