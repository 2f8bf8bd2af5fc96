// One account's package versions. A package's versions are made the first time they are asked for
// (generatedVersions), so that 100,000 generated packages cost nothing until a client reads versions.
// Every change keeps the package's version_count equal to its number of active versions.

import type { StoredPackage } from './packages-data.js';
import { generatedVersions, VERSION_ID_BLOCK, type StoredVersion } from './versions-data.js';

export type VersionState = 'active' | 'deleted';

export type DeletedVersion = StoredVersion & { deleted_at: string };

export function isDeletedVersion(version: StoredVersion): version is DeletedVersion {
  return version.deleted_at !== null;
}

/** Newest first; at equal times the larger id, which the later version has. */
function newestFirst(a: StoredVersion, b: StoredVersion): number {
  return a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id;
}

export class VersionStore {
  private readonly given = new Map<number, StoredVersion[]>();
  private readonly byPackage = new Map<number, PackageVersions>();

  /**
   * `versions` are the explicitly given ones, for any of the account's packages; a package with
   * none given gets generated ones. Dates of generated versions follow `now`.
   */
  constructor(
    versions: readonly StoredVersion[],
    private readonly now: number,
  ) {
    const ids = new Set<number>();
    for (const version of versions) {
      if (ids.has(version.id)) throw new Error(`Two package versions have the id ${version.id}.`);
      ids.add(version.id);
      const siblings = this.given.get(version.package_id);
      // Copies: deleting and restoring must not change the caller's objects.
      if (siblings) siblings.push({ ...version });
      else this.given.set(version.package_id, [{ ...version }]);
    }
  }

  /** A new package starts with no versions rather than generated ones. */
  startEmpty(packageId: number): void {
    this.given.set(packageId, []);
  }

  /** Package ids that were given versions explicitly. */
  packagesWithGivenVersions(): IterableIterator<number> {
    return this.given.keys();
  }

  /** For a package given versions, their active count: its version_count. Undefined for the others. */
  givenActiveCount(packageId: number): number | undefined {
    return this.given.get(packageId)?.filter((version) => !isDeletedVersion(version)).length;
  }

  /** `pkg` must be the store's own object: its version_count follows deletions and restores. */
  of(pkg: StoredPackage): PackageVersions {
    let versions = this.byPackage.get(pkg.id);
    if (!versions) {
      versions = new PackageVersions(pkg, this.given.get(pkg.id) ?? generatedVersions(pkg, this.now));
      this.byPackage.set(pkg.id, versions);
    }
    return versions;
  }
}

export class PackageVersions {
  /** Newest first, as GitHub lists them. */
  private readonly active: StoredVersion[] = [];
  private readonly deleted: DeletedVersion[] = [];
  private readonly byId = new Map<number, StoredVersion>();

  constructor(
    private readonly pkg: StoredPackage,
    versions: readonly StoredVersion[],
  ) {
    for (const version of versions) {
      this.byId.set(version.id, version);
      if (isDeletedVersion(version)) this.deleted.push(version);
      else this.active.push(version);
    }
    this.active.sort(newestFirst);
    this.deleted.sort(newestFirst);
    pkg.version_count = this.active.length;
  }

  list(state: VersionState | 'all'): readonly StoredVersion[] {
    if (state === 'active') return this.active;
    if (state === 'deleted') return this.deleted;
    return [...this.active, ...this.deleted].sort(newestFirst);
  }

  find(id: number): StoredVersion | undefined {
    return this.byId.get(id);
  }

  /** The active version of this package with that name, if any. */
  findActiveNamed(name: string): StoredVersion | undefined {
    return this.active.find((version) => version.name === name);
  }

  /** Adds a new version, active or deleted; its id must be free (see freeId). */
  add(version: StoredVersion): void {
    this.byId.set(version.id, version);
    if (isDeletedVersion(version)) insertSorted(this.deleted, version);
    else insertSorted(this.active, version);
    this.pkg.version_count = this.active.length;
  }

  /** One more than the package's largest version id: inside its block of generated ids (versions-data.ts). */
  freeId(): number {
    return Math.max(this.pkg.id * VERSION_ID_BLOCK - 1, ...this.byId.keys()) + 1;
  }

  markDeleted(version: StoredVersion, deletedAt: string): void {
    this.active.splice(this.active.indexOf(version), 1);
    insertSorted(this.deleted, Object.assign(version, { deleted_at: deletedAt }));
    this.pkg.version_count = this.active.length;
  }

  markRestored(version: DeletedVersion): void {
    this.deleted.splice(this.deleted.indexOf(version), 1);
    const restored: StoredVersion = version;
    restored.deleted_at = null;
    insertSorted(this.active, restored);
    this.pkg.version_count = this.active.length;
  }
}

function insertSorted<Version extends StoredVersion>(sorted: Version[], version: Version): void {
  const position = sorted.findIndex((other) => newestFirst(version, other) < 0);
  sorted.splice(position === -1 ? sorted.length : position, 0, version);
}
