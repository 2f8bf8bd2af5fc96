// The other accounts of the demo: an organization the demo user administers, and a second user
// whose private packages the demo user cannot see.

import type { AccountData } from './accounts.js';
import { activeVersionsOf, IMAGE_GRAPH_VERSIONS } from './images-data.js';
import { cataloguePackages, type CatalogueEntry } from './packages-data.js';

export const DEMO_ORGANIZATION = 'acme-corp';
export const DEMO_OTHER_USER = 'hubot-two';
/** The second organization, of which the demo user is not a member: its public packages only. */
export const DEMO_SECOND_ORGANIZATION = 'beta-labs';
/** The user .schema's examples name (username = 'octocat'). */
export const DEMO_EXAMPLE_USER = 'octocat';

// Situations: a public container downloaded far more than 5,000 times (platform/api-gateway) and a
// private one over 5,000 (ci/runner-image, deletable), containers pushed minutes ago, a restorable
// deletion (experiments/gpu-bench), an expired one (legacy/monolith), a reused namespace
// (analytics), two docker images that conflicted in the Docker migration, platform/edge-proxy,
// whose versions are multi-arch, signed and broken images, and acme/app, a release history with
// every kind of tag (images-data.ts; the package .schema's examples of the org_container_* tables name).
const ORGANIZATION_CATALOGUE: readonly CatalogueEntry[] = [
  { type: 'container', name: 'platform/api-gateway', visibility: 'public', versions: 240, repo: 'platform', createdDaysAgo: 900, updatedDaysAgo: 0.01, downloads: 61_500 },
  { type: 'container', name: 'platform/auth-service', visibility: 'private', versions: 130, repo: 'platform', createdDaysAgo: 880, updatedDaysAgo: 0.5, downloads: 4_400 },
  { type: 'container', name: 'platform/billing-worker', visibility: 'private', versions: 75, repo: 'billing', createdDaysAgo: 700, updatedDaysAgo: 2, downloads: 2_100 },
  { type: 'container', name: 'data/etl-runner', visibility: 'private', versions: 58, repo: 'data-platform', createdDaysAgo: 640, updatedDaysAgo: 1, downloads: 1_900 },
  { type: 'container', name: 'data/notebook-base', visibility: 'private', versions: 22, repo: 'data-platform', createdDaysAgo: 500, updatedDaysAgo: 35, downloads: 330 },
  { type: 'container', name: 'web/storefront', visibility: 'public', versions: 96, repo: 'storefront', createdDaysAgo: 800, updatedDaysAgo: 0.2, downloads: 4_200 },
  { type: 'container', name: 'web/admin-console', visibility: 'private', versions: 41, repo: 'storefront', createdDaysAgo: 600, updatedDaysAgo: 8, downloads: 620 },
  { type: 'container', name: 'ci/runner-image', visibility: 'private', versions: 33, repo: null, createdDaysAgo: 950, updatedDaysAgo: 14, downloads: 5_900 },
  { type: 'container', name: 'ci/lint-tools', visibility: 'public', versions: 12, repo: null, createdDaysAgo: 400, updatedDaysAgo: 200, downloads: 310 },
  { type: 'container', name: 'experiments/gpu-bench', visibility: 'private', versions: 4, repo: null, createdDaysAgo: 90, updatedDaysAgo: 88, downloads: 6, deletedDaysAgo: 5 },
  { type: 'container', name: 'legacy/monolith', visibility: 'private', versions: 150, repo: 'monolith', createdDaysAgo: 1080, updatedDaysAgo: 420, downloads: 3_300, deletedDaysAgo: 60 },
  { type: 'container', name: 'platform/edge-proxy', visibility: 'private', versions: IMAGE_GRAPH_VERSIONS, repo: 'platform', createdDaysAgo: 400, updatedDaysAgo: 100, downloads: 466, imageGraph: 'app' },
  { type: 'container', name: 'acme/app', visibility: 'private', versions: activeVersionsOf('releases'), repo: 'app', createdDaysAgo: 430, updatedDaysAgo: 0.3, downloads: 950, imageGraph: 'releases' },

  { type: 'npm', name: 'ui-kit', visibility: 'public', versions: 64, repo: 'storefront', createdDaysAgo: 850, updatedDaysAgo: 3, downloads: 4_950 },
  { type: 'npm', name: 'api-types', visibility: 'private', versions: 120, repo: 'platform', createdDaysAgo: 820, updatedDaysAgo: 1, downloads: 2_700 },
  { type: 'npm', name: 'eslint-config-acme', visibility: 'public', versions: 15, repo: null, createdDaysAgo: 1000, updatedDaysAgo: 500, downloads: 1_100 },
  { type: 'npm', name: 'feature-toggles', visibility: 'private', versions: 18, repo: 'platform', createdDaysAgo: 300, updatedDaysAgo: 20, downloads: 240 },
  { type: 'npm', name: 'analytics', visibility: 'private', versions: 9, repo: 'storefront', createdDaysAgo: 200, updatedDaysAgo: 150, downloads: 80, deletedDaysAgo: 10 },
  { type: 'npm', name: 'analytics', visibility: 'private', versions: 2, repo: 'storefront', createdDaysAgo: 5, updatedDaysAgo: 5, downloads: 4 },

  { type: 'maven', name: 'com.acme.platform.client', visibility: 'private', versions: 48, repo: 'platform', createdDaysAgo: 900, updatedDaysAgo: 6, downloads: 1_500 },
  { type: 'maven', name: 'com.acme.billing.model', visibility: 'private', versions: 27, repo: 'billing', createdDaysAgo: 700, updatedDaysAgo: 90, downloads: 420 },
  { type: 'maven', name: 'com.acme.gradle.conventions', visibility: 'public', versions: 9, repo: 'build-tools', createdDaysAgo: 600, updatedDaysAgo: 300, downloads: 2_200 },

  { type: 'rubygems', name: 'acme-ops', visibility: 'private', versions: 11, repo: 'ops-tools', createdDaysAgo: 720, updatedDaysAgo: 240, downloads: 150 },
  { type: 'rubygems', name: 'acme-status', visibility: 'public', versions: 6, repo: 'ops-tools', createdDaysAgo: 650, updatedDaysAgo: 640, downloads: 90 },

  { type: 'nuget', name: 'AcmeCorp.Platform.Sdk', visibility: 'private', versions: 35, repo: 'dotnet-sdk', createdDaysAgo: 780, updatedDaysAgo: 12, downloads: 900 },
  { type: 'nuget', name: 'AcmeCorp.Diagnostics', visibility: 'public', versions: 14, repo: 'dotnet-sdk', createdDaysAgo: 600, updatedDaysAgo: 400, downloads: 1_300 },

  { type: 'docker', name: 'monolith', visibility: 'private', versions: 80, repo: 'monolith', createdDaysAgo: 1090, updatedDaysAgo: 1000, downloads: 1_200, dockerConflict: true },
  { type: 'docker', name: 'build-cache', visibility: 'public', versions: 20, repo: 'build-tools', createdDaysAgo: 1085, updatedDaysAgo: 995, downloads: 700, dockerConflict: true },
  { type: 'docker', name: 'nginx-edge', visibility: 'private', versions: 7, repo: 'platform', createdDaysAgo: 1070, updatedDaysAgo: 1060, downloads: 60 },
];

// Public and private packages; the demo user sees only the public ones, so of the two docker
// conflicts only hubot-legacy. hubot/chat-image is an image graph (images-data.ts).
const OTHER_USER_CATALOGUE: readonly CatalogueEntry[] = [
  { type: 'container', name: 'hubot', visibility: 'public', versions: 45, repo: 'hubot', createdDaysAgo: 700, updatedDaysAgo: 1, downloads: 7_800 },
  { type: 'container', name: 'hubot/scripts-runner', visibility: 'private', versions: 12, repo: 'hubot-scripts', createdDaysAgo: 300, updatedDaysAgo: 10, downloads: 40 },
  { type: 'container', name: 'hubot/chat-image', visibility: 'public', versions: IMAGE_GRAPH_VERSIONS, repo: 'hubot', createdDaysAgo: 400, updatedDaysAgo: 100, downloads: 466, imageGraph: 'app' },
  { type: 'npm', name: 'hubot-brain', visibility: 'public', versions: 22, repo: 'hubot', createdDaysAgo: 900, updatedDaysAgo: 30, downloads: 2_000 },
  { type: 'npm', name: 'hubot-secrets', visibility: 'private', versions: 5, repo: null, createdDaysAgo: 200, updatedDaysAgo: 100, downloads: 15 },
  { type: 'rubygems', name: 'lita-adapter', visibility: 'public', versions: 8, repo: null, createdDaysAgo: 1000, updatedDaysAgo: 800, downloads: 400 },
  { type: 'docker', name: 'hubot-legacy', visibility: 'public', versions: 10, repo: 'hubot', createdDaysAgo: 1080, updatedDaysAgo: 1000, downloads: 150, dockerConflict: true },
  { type: 'docker', name: 'hubot-private-legacy', visibility: 'private', versions: 4, repo: null, createdDaysAgo: 1075, updatedDaysAgo: 1010, downloads: 20, dockerConflict: true },
  { type: 'nuget', name: 'Hubot.Client', visibility: 'private', versions: 3, repo: 'hubot-dotnet', createdDaysAgo: 150, updatedDaysAgo: 40, downloads: 9 },
];

// A second organization for joins across owners: public packages, which the demo user can read.
const SECOND_ORGANIZATION_CATALOGUE: readonly CatalogueEntry[] = [
  { type: 'container', name: 'beta/inference-server', visibility: 'public', versions: 36, repo: 'inference', createdDaysAgo: 500, updatedDaysAgo: 2, downloads: 2_300 },
  { type: 'container', name: 'beta/notebook', visibility: 'public', versions: 14, repo: 'notebooks', createdDaysAgo: 300, updatedDaysAgo: 40, downloads: 180 },
  { type: 'container', name: 'beta/internal-tools', visibility: 'private', versions: 9, repo: null, createdDaysAgo: 200, updatedDaysAgo: 20, downloads: 12 },
  { type: 'npm', name: 'beta-sdk', visibility: 'public', versions: 18, repo: 'sdk', createdDaysAgo: 400, updatedDaysAgo: 9, downloads: 640, prereleases: true },
];

// The user of .schema's examples: acme/app, a release history (images-data.ts), public.
const EXAMPLE_USER_CATALOGUE: readonly CatalogueEntry[] = [
  { type: 'container', name: 'acme/app', visibility: 'public', versions: activeVersionsOf('releases'), repo: 'app', createdDaysAgo: 430, updatedDaysAgo: 1, downloads: 300, imageGraph: 'releases' },
];

/** acme-corp, hubot-two, beta-labs and octocat; package ids in ranges of their own, so version ids never collide. */
export function demoAccounts(): AccountData[] {
  return [
    { login: DEMO_ORGANIZATION, type: 'Organization', packages: cataloguePackages(ORGANIZATION_CATALOGUE, 5_200_000, 29_311) },
    { login: DEMO_OTHER_USER, type: 'User', packages: cataloguePackages(OTHER_USER_CATALOGUE, 6_100_000, 17_093) },
    { login: DEMO_SECOND_ORGANIZATION, type: 'Organization', packages: cataloguePackages(SECOND_ORGANIZATION_CATALOGUE, 7_300_000, 13_007) },
    { login: DEMO_EXAMPLE_USER, type: 'User', packages: cataloguePackages(EXAMPLE_USER_CATALOGUE, 7_600_000, 11_003) },
  ];
}
