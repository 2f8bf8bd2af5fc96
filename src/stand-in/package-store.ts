// Indexes the stand-in's packages so that a list page is a slice of a presorted array and a lookup
// is a map access, however many packages there are. Rules (who may delete what) live in the
// *-operations.ts handlers.

import { PACKAGE_TYPES, type PackageType, type StoredPackage } from './packages-data.js';

export type DeletedPackage = StoredPackage & { deleted_at: string };

function isDeleted(pkg: StoredPackage): pkg is DeletedPackage {
  return pkg.deleted_at !== null;
}

interface TypeIndex {
  /** Active packages by ascending id: the list order. One array per visibility filter. */
  readonly active: Record<'all' | 'public' | 'private', StoredPackage[]>;
  readonly activeByName: Map<string, StoredPackage>;
  readonly deletedByName: Map<string, DeletedPackage[]>;
}

export class PackageStore {
  private readonly indexes = new Map<PackageType, TypeIndex>();
  private smallestId = Number.POSITIVE_INFINITY;
  private largestId = Number.NEGATIVE_INFINITY;

  /** Copies the packages: deleting and restoring must not change the caller's objects. */
  constructor(packages: readonly StoredPackage[]) {
    for (const type of PACKAGE_TYPES) {
      this.indexes.set(type, { active: { all: [], public: [], private: [] }, activeByName: new Map(), deletedByName: new Map() });
    }
    const byId = packages.map((pkg) => ({ ...pkg })).sort((a, b) => a.id - b.id);
    this.smallestId = byId[0]?.id ?? 1;
    this.largestId = byId[byId.length - 1]?.id ?? 0;
    for (const pkg of byId) {
      const index = this.index(pkg.package_type);
      if (isDeleted(pkg)) {
        this.addDeleted(index, pkg);
      } else if (index.activeByName.has(pkg.name)) {
        throw new Error(`Two active ${pkg.package_type} packages are named ${JSON.stringify(pkg.name)}.`);
      } else {
        // Input is sorted by id, so appending keeps every list sorted.
        index.active.all.push(pkg);
        index.active[pkg.visibility].push(pkg);
        index.activeByName.set(pkg.name, pkg);
      }
    }
  }

  /** Active packages of a type in id order, optionally of one visibility. Do not modify. */
  list(type: PackageType, visibility: 'public' | 'private' | undefined): readonly StoredPackage[] {
    return this.index(type).active[visibility ?? 'all'];
  }

  /** Active packages of every type in id order. A new array. */
  allActive(): StoredPackage[] {
    return [...this.indexes.values()].flatMap((index) => index.active.all).sort((a, b) => a.id - b.id);
  }

  /** The smallest id of any package, active or deleted. */
  lowestId(): number {
    return this.smallestId;
  }

  /** The largest id of any package, active or deleted. */
  highestId(): number {
    return this.largestId;
  }

  /** Adds a new active package; the caller makes sure that its id and name are free. */
  add(pkg: StoredPackage): void {
    this.smallestId = Math.min(this.smallestId, pkg.id);
    this.largestId = Math.max(this.largestId, pkg.id);
    this.activate(this.index(pkg.package_type), pkg);
  }

  findActive(type: PackageType, name: string): StoredPackage | undefined {
    return this.index(type).activeByName.get(name);
  }

  /** The most recently deleted package of that type and name, if any. */
  findLatestDeleted(type: PackageType, name: string): DeletedPackage | undefined {
    const deleted = this.index(type).deletedByName.get(name);
    return deleted?.reduce((latest, pkg) => (Date.parse(pkg.deleted_at) > Date.parse(latest.deleted_at) ? pkg : latest));
  }

  markDeleted(pkg: StoredPackage, deletedAt: string): void {
    const index = this.index(pkg.package_type);
    removeById(index.active.all, pkg);
    removeById(index.active[pkg.visibility], pkg);
    index.activeByName.delete(pkg.name);
    this.addDeleted(index, Object.assign(pkg, { deleted_at: deletedAt }));
  }

  /** The caller makes sure that no active package has the same name. */
  markRestored(pkg: DeletedPackage): void {
    const index = this.index(pkg.package_type);
    const siblings = index.deletedByName.get(pkg.name) ?? [];
    siblings.splice(siblings.indexOf(pkg), 1);
    if (siblings.length === 0) index.deletedByName.delete(pkg.name);
    const restored: StoredPackage = pkg;
    restored.deleted_at = null;
    this.activate(index, restored);
  }

  private activate(index: TypeIndex, pkg: StoredPackage): void {
    insertById(index.active.all, pkg);
    insertById(index.active[pkg.visibility], pkg);
    index.activeByName.set(pkg.name, pkg);
  }

  private addDeleted(index: TypeIndex, pkg: DeletedPackage): void {
    const siblings = index.deletedByName.get(pkg.name);
    if (siblings) siblings.push(pkg);
    else index.deletedByName.set(pkg.name, [pkg]);
  }

  private index(type: PackageType): TypeIndex {
    // Every type gets an index in the constructor.
    return this.indexes.get(type)!;
  }
}

/** First position whose id is >= id (binary search over an id-sorted array). */
function lowerBoundById(sorted: readonly StoredPackage[], id: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]!.id < id) low = middle + 1;
    else high = middle;
  }
  return low;
}

function insertById(sorted: StoredPackage[], pkg: StoredPackage): void {
  sorted.splice(lowerBoundById(sorted, pkg.id), 0, pkg);
}

function removeById(sorted: StoredPackage[], pkg: StoredPackage): void {
  const position = lowerBoundById(sorted, pkg.id);
  if (sorted[position] === pkg) sorted.splice(position, 1);
}
