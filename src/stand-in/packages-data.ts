// The stand-in's data model: what GitHub knows about a package, including what the API never shows
// (downloads, deletion), plus the deterministic demo catalogue and a bulk generator for benchmarks.

import { activeVersionsOf, IMAGE_GRAPH_VERSIONS, type ImageGraphName } from './images-data.js';

export type PackageType = 'npm' | 'maven' | 'rubygems' | 'docker' | 'nuget' | 'container';

export const PACKAGE_TYPES: readonly PackageType[] = ['npm', 'maven', 'rubygems', 'docker', 'nuget', 'container'];

export function isPackageType(value: string): value is PackageType {
  return (PACKAGE_TYPES as readonly string[]).includes(value);
}

/**
 * Registries that on github.com only support repository-scoped permissions (Maven/Gradle and the
 * legacy Docker registry): writing to them also needs the `repo` scope, and there the `internal`
 * visibility filter is a synonym of `private`.
 */
export const REPOSITORY_SCOPED_TYPES: ReadonlySet<PackageType> = new Set<PackageType>(['maven', 'docker']);

/** Plain data (dates as ISO strings) so that it crosses threads by structured clone. */
export interface StoredPackage {
  id: number;
  name: string;
  package_type: PackageType;
  visibility: 'public' | 'private';
  version_count: number;
  created_at: string;
  updated_at: string;
  /** Repository name under the owner, or null: the API response then omits `repository`. */
  repository: string | null;
  /**
   * Not exposed by the API. Generated versions share these downloads out (versions-data.ts), and the
   * 5,000-downloads delete rule looks at the versions; ignored for a package given its versions.
   */
  downloads: number;
  /** Soft-deleted packages are hidden from list/get and restorable for 30 days. */
  deleted_at: string | null;
  /** Not exposed as such: listed by the docker/conflicts endpoints (a Docker migration conflict). */
  docker_migration_conflict?: boolean;
  /** A container whose versions are one of the image graphs of images-data.ts (IMAGE_GRAPHS). */
  image_graph?: ImageGraphName;
  /** Not exposed as such: an npm package whose versions include pre-releases (2.0.0-beta.1, 2.0.0-rc.1). */
  prereleases?: boolean;
}

const DAY_MS = 86_400_000;

/** GitHub's timestamps have second precision: 2020-05-19T22:19:11Z. */
export function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19) + 'Z';
}

/** A demo package described by its ages in days rather than by dates, so that it stays as old on every run. */
export interface CatalogueEntry {
  type: PackageType;
  name: string;
  visibility: 'public' | 'private';
  versions: number;
  repo: string | null;
  createdDaysAgo: number;
  updatedDaysAgo: number;
  downloads: number;
  deletedDaysAgo?: number;
  dockerConflict?: boolean;
  /** Versions from that image graph (images-data.ts); `versions` is then activeVersionsOf() it. */
  imageGraph?: ImageGraphName;
  prereleases?: boolean;
}

// One account's packages across all six registries. Situations the demo must show:
// container names with '/', several containers with more than 50 versions (acme/api-server was
// pushed to minutes ago, so its newest untagged versions are minutes old), packages with and
// without a repository, some not updated for over a year, one public package downloaded more than
// 5,000 times (cannot be deleted), acme/legacy-gateway deleted 2 days ago (restorable), old-cli
// deleted 40 days ago (too late to restore), logger deleted then re-created (namespace reused), and
// acme/app, whose versions are multi-arch, signed and broken images, and acme/storefront, a release
// history with every kind of tag, ghost and partial images and orphaned signatures (images-data.ts);
// checkout-sdk has npm pre-releases.
const DEMO_CATALOGUE: readonly CatalogueEntry[] = [
  { type: 'container', name: 'acme/api-server', visibility: 'public', versions: 184, repo: 'api-server', createdDaysAgo: 1040, updatedDaysAgo: 0.003, downloads: 48_210 },
  { type: 'container', name: 'acme/worker', visibility: 'private', versions: 97, repo: 'api-server', createdDaysAgo: 980, updatedDaysAgo: 1.5, downloads: 3_120 },
  { type: 'container', name: 'acme/web-frontend', visibility: 'private', versions: 63, repo: 'web-frontend', createdDaysAgo: 720, updatedDaysAgo: 3, downloads: 1_450 },
  { type: 'container', name: 'acme/migrations', visibility: 'private', versions: 12, repo: 'api-server', createdDaysAgo: 610, updatedDaysAgo: 45, downloads: 210 },
  { type: 'container', name: 'acme/batch-jobs', visibility: 'private', versions: 52, repo: 'data-pipeline', createdDaysAgo: 560, updatedDaysAgo: 1, downloads: 2_040 },
  { type: 'container', name: 'acme/docs-site', visibility: 'public', versions: 29, repo: 'web-frontend', createdDaysAgo: 400, updatedDaysAgo: 4, downloads: 530 },
  { type: 'container', name: 'acme/legacy-gateway', visibility: 'private', versions: 41, repo: 'api-server', createdDaysAgo: 1000, updatedDaysAgo: 70, downloads: 700, deletedDaysAgo: 2 },
  { type: 'container', name: 'base-images/node-runtime', visibility: 'public', versions: 58, repo: 'infra', createdDaysAgo: 900, updatedDaysAgo: 9, downloads: 4_870 },
  { type: 'container', name: 'base-images/python-runtime', visibility: 'public', versions: 21, repo: 'infra', createdDaysAgo: 890, updatedDaysAgo: 400, downloads: 960 },
  { type: 'container', name: 'ci-runner', visibility: 'private', versions: 7, repo: null, createdDaysAgo: 530, updatedDaysAgo: 380, downloads: 88 },
  { type: 'container', name: 'devcontainer', visibility: 'public', versions: 3, repo: null, createdDaysAgo: 1050, updatedDaysAgo: 760, downloads: 35 },
  { type: 'container', name: 'tools/db-snapshot', visibility: 'private', versions: 5, repo: null, createdDaysAgo: 300, updatedDaysAgo: 120, downloads: 14 },
  { type: 'container', name: 'sandbox/experiment', visibility: 'private', versions: 1, repo: null, createdDaysAgo: 60, updatedDaysAgo: 60, downloads: 3 },
  { type: 'container', name: 'acme/app', visibility: 'private', versions: IMAGE_GRAPH_VERSIONS, repo: 'app', createdDaysAgo: 400, updatedDaysAgo: 100, downloads: 466, imageGraph: 'app' },
  { type: 'container', name: 'acme/storefront', visibility: 'private', versions: activeVersionsOf('releases'), repo: 'web-frontend', createdDaysAgo: 430, updatedDaysAgo: 0.2, downloads: 1_280, imageGraph: 'releases' },

  { type: 'npm', name: 'design-system', visibility: 'public', versions: 38, repo: 'design-system', createdDaysAgo: 820, updatedDaysAgo: 6, downloads: 2_950 },
  { type: 'npm', name: 'icons', visibility: 'public', versions: 26, repo: 'design-system', createdDaysAgo: 810, updatedDaysAgo: 100, downloads: 3_900 },
  { type: 'npm', name: 'api-client', visibility: 'private', versions: 54, repo: 'api-server', createdDaysAgo: 760, updatedDaysAgo: 2, downloads: 1_870 },
  { type: 'npm', name: 'eslint-config', visibility: 'public', versions: 12, repo: null, createdDaysAgo: 1060, updatedDaysAgo: 700, downloads: 4_100 },
  { type: 'npm', name: 'utils', visibility: 'private', versions: 21, repo: 'web-frontend', createdDaysAgo: 650, updatedDaysAgo: 200, downloads: 640 },
  { type: 'npm', name: 'feature-flags', visibility: 'private', versions: 9, repo: 'web-frontend', createdDaysAgo: 240, updatedDaysAgo: 30, downloads: 95 },
  { type: 'npm', name: 'analytics-sdk', visibility: 'public', versions: 17, repo: 'mobile-sdk', createdDaysAgo: 500, updatedDaysAgo: 15, downloads: 3_200 },
  { type: 'npm', name: 'prettier-config', visibility: 'public', versions: 4, repo: null, createdDaysAgo: 420, updatedDaysAgo: 420, downloads: 260 },
  { type: 'npm', name: 'old-cli', visibility: 'public', versions: 6, repo: null, createdDaysAgo: 1000, updatedDaysAgo: 600, downloads: 140, deletedDaysAgo: 40 },
  { type: 'npm', name: 'logger', visibility: 'private', versions: 23, repo: 'api-server', createdDaysAgo: 700, updatedDaysAgo: 60, downloads: 900, deletedDaysAgo: 12 },
  { type: 'npm', name: 'checkout-sdk', visibility: 'private', versions: 24, repo: 'web-frontend', createdDaysAgo: 300, updatedDaysAgo: 2, downloads: 410, prereleases: true },
  { type: 'npm', name: 'logger', visibility: 'private', versions: 2, repo: 'api-server', createdDaysAgo: 9, updatedDaysAgo: 9, downloads: 11 },

  { type: 'maven', name: 'com.acme.billing.billing-client', visibility: 'private', versions: 31, repo: 'billing-service', createdDaysAgo: 870, updatedDaysAgo: 20, downloads: 1_100 },
  { type: 'maven', name: 'com.acme.billing.invoice-model', visibility: 'private', versions: 15, repo: 'billing-service', createdDaysAgo: 600, updatedDaysAgo: 500, downloads: 430 },
  { type: 'maven', name: 'com.acme.commons.commons-core', visibility: 'private', versions: 44, repo: 'java-commons', createdDaysAgo: 1000, updatedDaysAgo: 90, downloads: 2_300 },
  { type: 'maven', name: 'com.acme.gradle.build-plugin', visibility: 'public', versions: 6, repo: 'java-commons', createdDaysAgo: 950, updatedDaysAgo: 900, downloads: 310 },
  { type: 'maven', name: 'com.acme.data.pipeline-sdk', visibility: 'private', versions: 8, repo: 'data-pipeline', createdDaysAgo: 200, updatedDaysAgo: 12, downloads: 75 },

  { type: 'rubygems', name: 'acme-toolkit', visibility: 'private', versions: 14, repo: 'ruby-toolkit', createdDaysAgo: 780, updatedDaysAgo: 50, downloads: 520 },
  { type: 'rubygems', name: 'octo-auth', visibility: 'public', versions: 8, repo: 'ruby-toolkit', createdDaysAgo: 690, updatedDaysAgo: 410, downloads: 1_300 },
  { type: 'rubygems', name: 'rails-healthcheck', visibility: 'private', versions: 3, repo: null, createdDaysAgo: 1020, updatedDaysAgo: 800, downloads: 42 },
  { type: 'rubygems', name: 'jekyll-acme-theme', visibility: 'public', versions: 5, repo: 'web-frontend', createdDaysAgo: 1000, updatedDaysAgo: 700, downloads: 880 },

  // The legacy Docker registry (docker.pkg.github.com) was migrated to ghcr.io: nothing recent here.
  { type: 'docker', name: 'api-server', visibility: 'private', versions: 45, repo: 'api-server', createdDaysAgo: 1080, updatedDaysAgo: 720, downloads: 890 },
  { type: 'docker', name: 'nginx-proxy', visibility: 'private', versions: 12, repo: 'infra', createdDaysAgo: 1070, updatedDaysAgo: 990, downloads: 150, dockerConflict: true },
  { type: 'docker', name: 'build-env', visibility: 'public', versions: 9, repo: 'infra', createdDaysAgo: 1090, updatedDaysAgo: 1000, downloads: 2_600 },

  { type: 'nuget', name: 'Acme.Billing.Client', visibility: 'private', versions: 22, repo: 'dotnet-libs', createdDaysAgo: 700, updatedDaysAgo: 25, downloads: 640 },
  { type: 'nuget', name: 'Acme.Logging', visibility: 'public', versions: 11, repo: 'dotnet-libs', createdDaysAgo: 840, updatedDaysAgo: 380, downloads: 1_900 },
  { type: 'nuget', name: 'Acme.Legacy.Interop', visibility: 'private', versions: 4, repo: 'dotnet-libs', createdDaysAgo: 1000, updatedDaysAgo: 980, downloads: 33 },
  { type: 'nuget', name: 'Acme.Telemetry', visibility: 'private', versions: 6, repo: null, createdDaysAgo: 150, updatedDaysAgo: 7, downloads: 19 },
];

/** The demo account's packages, dated relative to now so that age-based reports find something. */
export function demoPackages(): StoredPackage[] {
  return cataloguePackages(DEMO_CATALOGUE, 3_400_000, 38_117);
}

/** Packages dated relative to now, with ids from `firstId` in steps of `idStep` in creation order. */
export function cataloguePackages(catalogue: readonly CatalogueEntry[], firstId: number, idStep: number): StoredPackage[] {
  const now = Date.now();
  const dated = catalogue.map((entry, position) => {
    // Spread the times of day so that packages made the same day still differ.
    const timeOfDayMs = ((position * 7_919) % 1_440) * 60_000;
    const created = now - entry.createdDaysAgo * DAY_MS - timeOfDayMs;
    const updated = Math.max(created, now - entry.updatedDaysAgo * DAY_MS - timeOfDayMs / 3);
    return { entry, created, updated };
  });
  // GitHub hands out ids in creation order, so the oldest package has the smallest id.
  dated.sort((a, b) => a.created - b.created);
  return dated.map(({ entry, created, updated }, rank) => ({
    id: firstId + rank * idStep,
    name: entry.name,
    package_type: entry.type,
    visibility: entry.visibility,
    version_count: entry.versions,
    created_at: isoSeconds(created),
    updated_at: isoSeconds(updated),
    repository: entry.repo,
    downloads: entry.downloads,
    deleted_at: entry.deletedDaysAgo === undefined ? null : isoSeconds(now - entry.deletedDaysAgo * DAY_MS),
    ...(entry.dockerConflict ? { docker_migration_conflict: true } : {}),
    ...(entry.imageGraph ? { image_graph: entry.imageGraph } : {}),
    ...(entry.prereleases ? { prereleases: true } : {}),
  }));
}

const THREE_YEARS_MS = 3 * 365 * DAY_MS;

/**
 * `count` active packages of one type with consecutive ids from `firstId`, created over the last
 * three years in id order, about a quarter linked to one of 25 repositories. Each has 1 to 120
 * versions, or `versionsEach` (e.g. 40 containers × 300 versions for a benchmark).
 */
export function generatedPackages(count: number, packageType: PackageType, firstId = 1, versionsEach?: number): StoredPackage[] {
  const now = Date.now();
  const packages = new Array<StoredPackage>(count);
  for (let index = 0; index < count; index++) {
    const id = firstId + index;
    const created = now - THREE_YEARS_MS * (1 - index / count);
    // Most packages were updated later, every fifth one never.
    const updated = id % 5 === 0 ? created : created + (now - created) * ((id % 7) / 7);
    packages[index] = {
      id,
      name: `${packageType}-package-${String(id).padStart(6, '0')}`,
      package_type: packageType,
      visibility: id % 3 === 0 ? 'public' : 'private',
      version_count: versionsEach ?? 1 + ((id * 7_919) % 120),
      created_at: isoSeconds(created),
      updated_at: isoSeconds(updated),
      repository: id % 4 === 0 ? `repo-${id % 25}` : null,
      downloads: (id * 104_729) % 9_000,
      deleted_at: null,
    };
  }
  return packages;
}
