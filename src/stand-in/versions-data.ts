// Package versions: what GitHub knows about one (including downloads, which the API never shows) and
// the deterministic versions the stand-in makes for a package that was given none.

import { digestOf, generatedManifest, IMAGE_GRAPHS, type ImageGraphName, type StoredManifest } from './images-data.js';
import { isoSeconds, type StoredPackage } from './packages-data.js';

/** Plain data (dates as ISO strings) so that it crosses threads by structured clone. */
export interface StoredVersion {
  /** Unique among all versions. */
  id: number;
  /** The StoredPackage.id of the package it belongs to. */
  package_id: number;
  /** A manifest digest (sha256:…) for container and docker images, else a version number. */
  name: string;
  created_at: string;
  updated_at: string;
  /** Deleted versions are listed with state=deleted and restorable for 30 days. */
  deleted_at: string | null;
  /** Not exposed by the API; decides the 5,000-downloads delete rule. */
  downloads: number;
  /** Container and docker tags; empty for untagged images and for other registries. */
  tags: string[];
  license?: string;
  description?: string;
  /** A container version's manifest, when it is not generatedManifest() of its sequence (images-data.ts). */
  manifest?: StoredManifest;
}

/**
 * Generated version ids are the package id times this plus a sequence number: unique across
 * packages, increasing with creation within one, and computable without seeing other packages.
 */
export const VERSION_ID_BLOCK = 10_000;

export function generatedVersionId(packageId: number, sequence: number): number {
  if (sequence >= VERSION_ID_BLOCK) throw new Error(`Package ${packageId} would have more than ${VERSION_ID_BLOCK} versions.`);
  return packageId * VERSION_ID_BLOCK + sequence;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const DELETE_DOWNLOADS_LIMIT = 5_000;

/** Days before now when each deleted version was deleted: inside and outside the 30-day restore window. */
const DELETED_DAYS_AGO = [3, 45, 12];

/** A version number for the n-th release (0-based): 1.0.0 … 1.2.4, 2.0.0 … */
export function releaseNumber(n: number): string {
  return `${1 + Math.floor(n / 15)}.${Math.floor((n % 15) / 5)}.${n % 5}`;
}

/**
 * The n-th version (0-based) of a package with pre-releases: each release after its beta and its
 * release candidate (1.0.0-beta.1, 1.0.0-rc.1, 1.0.0, 1.0.1-beta.1 …).
 */
export function prereleaseNumber(n: number): string {
  const release = releaseNumber(Math.floor(n / 3));
  return [`${release}-beta.1`, `${release}-rc.1`, release][n % 3]!;
}

/** The digest of the n-th version of a package: that of its generated manifest, which the registry serves. */
export function versionDigest(packageId: number, sequence: number): string {
  return digestOf(generatedManifest(packageId, sequence).body);
}

interface Slot {
  time: number;
  /** Position among active versions, newest first; undefined for a deleted version. */
  activeRank?: number;
  /** Which deleted version, in DELETED_DAYS_AGO order. */
  deletedIndex?: number;
}

/**
 * The versions the stand-in serves for `pkg` when it was given none: exactly `version_count`
 * active ones, the newest created at the package's updated_at and the oldest at its created_at
 * (denser towards now), plus one to three deleted ones. Deterministic apart from the dates, which
 * follow `now` as the demo packages' do.
 *
 * Containers: the two newest versions are untagged builds, then every sixth is a tagged release
 * (1.0.0 …); the newest release also carries `latest`, the newest of each major `v<major>`; the rest
 * are untagged. Docker images are tagged with their version number, every fourth one untagged.
 * Other registries: version numbers, with deleted ones named as release candidates (1.2.0-rc.1).
 * Image names are the digests of generatedManifest(), single-platform images; a package marked
 * `image_graph` gets that hand-built image graph instead (imageGraphVersions()). A package marked
 * `prereleases` has a beta and a release candidate before each release.
 *
 * Downloads add up to the package's `downloads`. When that exceeds 5,000 the newest release holds
 * more than 5,000 of them, so that the package delete rule ("any version downloaded more than
 * 5,000 times") refuses exactly the packages whose total is over 5,000.
 */
export function generatedVersions(pkg: StoredPackage, now = Date.now()): StoredVersion[] {
  if (pkg.image_graph) return imageGraphVersions(pkg, pkg.image_graph, now);
  const slots = chronology(pkg, now);
  const releases = releaseRanks(pkg);
  const versions: StoredVersion[] = [];
  let releasesSoFar = 0;
  let activeSoFar = 0;
  for (const [sequence, slot] of slots.entries()) {
    const createdAt = isoSeconds(slot.time);
    const base = { id: generatedVersionId(pkg.id, sequence), package_id: pkg.id, created_at: createdAt, updated_at: createdAt, downloads: 0 };
    const extras = pkg.visibility === 'public' && !isImage(pkg) ? { license: 'MIT' } : {};
    if (slot.activeRank === undefined) {
      const deletedAt = Math.min(now, Math.max(slot.time + MINUTE_MS, now - (DELETED_DAYS_AGO[slot.deletedIndex ?? 0] ?? 3) * DAY_MS));
      // Cleanups delete untagged images; elsewhere a withdrawn release candidate.
      const name = isImage(pkg) ? versionDigest(pkg.id, sequence) : `${releaseNumber(activeSoFar)}-rc.${(slot.deletedIndex ?? 0) + 1}`;
      versions.push({ ...base, ...extras, name, deleted_at: isoSeconds(deletedAt), tags: [] });
      continue;
    }
    const release = releases.get(slot.activeRank);
    let name = pkg.prereleases ? prereleaseNumber(activeSoFar) : releaseNumber(activeSoFar);
    let tags: string[] = [];
    if (isImage(pkg)) {
      name = versionDigest(pkg.id, sequence);
      if (release) tags = imageTags(releaseNumber(releasesSoFar), release);
      if (release) releasesSoFar += 1;
    }
    activeSoFar += 1;
    versions.push({ ...base, ...extras, name, deleted_at: null, tags });
  }
  spreadDownloads(versions, pkg.downloads, hottestIndex(versions, slots));
  return versions;
}

function isImage(pkg: StoredPackage): boolean {
  return pkg.package_type === 'container' || pkg.package_type === 'docker';
}

/** Active and deleted versions in creation order, oldest first. */
function chronology(pkg: StoredPackage, now: number): Slot[] {
  const created = Date.parse(pkg.created_at);
  const span = Math.max(0, Date.parse(pkg.updated_at) - created);
  const active = pkg.version_count;
  // Quadratic: most versions are recent, the newest only minutes apart on a busy package.
  const age = (fraction: number) => span * fraction * fraction;
  const slots: Slot[] = [];
  for (let rank = 0; rank < active; rank++) {
    slots.push({ time: created + span - age(active > 1 ? rank / (active - 1) : 0), activeRank: rank });
  }
  const deletedCount = 1 + (Math.abs(pkg.id) % DELETED_DAYS_AGO.length);
  for (let index = 0; index < deletedCount; index++) {
    // Between active versions, never later than now.
    slots.push({ time: Math.min(now, created + span - age((index + 0.5) / (deletedCount + 0.5))), deletedIndex: index });
  }
  // Oldest first; at equal times the older rank (larger) first, so that ids follow creation.
  return slots.sort((a, b) => a.time - b.time || (b.activeRank ?? -1) - (a.activeRank ?? -1));
}

interface ReleaseMarks {
  latest: boolean;
  /** The newest release of its major version. */
  newestOfMajor: boolean;
}

/** Which active ranks (newest first) of an image are tagged releases, and which of them carry moving tags. */
function releaseRanks(pkg: StoredPackage): Map<number, ReleaseMarks> {
  const ranks: number[] = [];
  for (let rank = 0; rank < pkg.version_count; rank++) {
    const tagged = pkg.package_type === 'docker' ? rank === 0 || rank % 4 !== 3 : pkg.version_count < 3 ? rank === 0 : rank >= 2 && (rank - 2) % 6 === 0;
    if (tagged) ranks.push(rank);
  }
  // Release numbers count from the oldest release: the one at position p (newest first) is number total - 1 - p.
  const majorAt = (position: number) => releaseNumber(ranks.length - 1 - position).split('.')[0];
  return new Map(ranks.map((rank, position) => [rank, { latest: position === 0, newestOfMajor: position === 0 || majorAt(position - 1) !== majorAt(position) }]));
}

function imageTags(version: string, marks: ReleaseMarks): string[] {
  const tags = [version];
  if (marks.newestOfMajor) tags.push(`v${version.split('.')[0]}`);
  if (marks.latest) tags.push('latest');
  return tags;
}

/** The version that draws the most downloads: the one tagged latest, else the newest active one, else the first. */
function hottestIndex(versions: readonly StoredVersion[], slots: readonly Slot[]): number {
  const latest = versions.findIndex((version) => version.tags.includes('latest'));
  if (latest !== -1) return latest;
  return Math.max(0, slots.findIndex((slot) => slot.activeRank === 0));
}

function spreadDownloads(versions: StoredVersion[], total: number, hottest: number): void {
  if (versions.length === 0) return;
  const hot = versions.length === 1 ? total : total > DELETE_DOWNLOADS_LIMIT ? Math.max(DELETE_DOWNLOADS_LIMIT + 1, Math.floor(total * 0.4)) : Math.ceil(total / versions.length);
  versions[hottest]!.downloads = Math.min(hot, total);
  const rest = total - versions[hottest]!.downloads;
  const others = versions.filter((_, index) => index !== hottest);
  others.forEach((version, index) => {
    version.downloads = Math.floor(rest / others.length) + (index < rest % others.length ? 1 : 0);
  });
}

/**
 * The package's image graph (IMAGE_GRAPHS) as its versions: ids in push order, the newest push at the package's
 * updated_at, a second apart within a push; downloads shared out as for generated versions.
 */
function imageGraphVersions(pkg: StoredPackage, graph: ImageGraphName, now: number): StoredVersion[] {
  const plan = IMAGE_GRAPHS[graph](pkg.id);
  const newest = Date.parse(pkg.updated_at);
  const versions = plan.map((planned, sequence): StoredVersion => {
    const createdAt = isoSeconds(newest - planned.daysBeforeNewest * DAY_MS - (plan.length - 1 - sequence) * 1000);
    return {
      id: generatedVersionId(pkg.id, sequence),
      package_id: pkg.id,
      name: digestOf(planned.manifest.body),
      created_at: createdAt,
      updated_at: createdAt,
      deleted_at: planned.deletedDaysAgo === undefined ? null : isoSeconds(now - planned.deletedDaysAgo * DAY_MS),
      downloads: 0,
      tags: planned.tags ?? [],
      manifest: planned.manifest,
    };
  });
  spreadDownloads(versions, pkg.downloads, Math.max(0, versions.findIndex((version) => version.tags.includes('latest'))));
  return versions;
}
