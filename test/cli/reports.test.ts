import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestOf, imageGraphPlan, releasesPlan } from '../../dist/stand-in/images-data.js';
import { demoPackages } from '../../dist/stand-in/packages-data.js';
import { ROOT, runCli, tempHome, type TempHome } from './helpers.js';

type Row = Record<string, unknown>;

const REPORTS = join(ROOT, 'sql');
const ARCHIVED = ['octo-demo/infra', 'octo-demo/dotnet-libs'];

/** The demo's image-graph package acme/app: its versions' digests by the plan's labels (images-data.ts). */
const APP_PLAN = imageGraphPlan(demoPackages().find((pkg) => pkg.name === 'acme/app')!.id);
const APP = new Map(APP_PLAN.map((planned) => [planned.label, digestOf(planned.manifest.body)]));
/** What the prune report deletes of acme/app: nothing a present image needs. */
const APP_PRUNED = ['1.0 index', '1.0 linux/amd64', '1.0 linux/arm64', 'orphan'];

/** The config and layer bytes of acme/app's active versions with these labels (all when none), each blob once, from the manifests pushed. */
function appBytes(only?: (label: string) => boolean): Map<string, number> {
  const blobs = new Map<string, number>();
  for (const planned of APP_PLAN) {
    if (planned.deletedDaysAgo !== undefined || (only && !only(planned.label))) continue;
    const manifest = JSON.parse(planned.manifest.body) as { config?: { digest: string; size: number }; layers?: Array<{ digest: string; size: number }> };
    for (const blob of [...(manifest.config ? [manifest.config] : []), ...(manifest.layers ?? [])]) blobs.set(blob.digest, blob.size);
  }
  return blobs;
}
const total = (blobs: Map<string, number>) => [...blobs.values()].reduce((sum, size) => sum + size, 0);
const labelOf = (digest: unknown) => [...APP].find(([, each]) => each === digest)?.[0];
/** The demo's release history acme/storefront, by label. */
const STOREFRONT = new Map(releasesPlan(demoPackages().find((pkg) => pkg.name === 'acme/storefront')!.id).map((planned) => [digestOf(planned.manifest.body), planned.label]));

/** What each report must find in the demo account; a new report gets the common checks only. */
/** The -p values a report's header says to give. */
const PARAMS: Record<string, string[]> = {
  'prune-org-container-versions.sql': ['-p', 'org', 'acme-corp', '-p', 'package', 'platform/edge-proxy', '-p', 'keep', '2', '-p', 'older_than_days', '30'],
};

const EXPECTATIONS: Record<string, (rows: Row[]) => void> = {
  'packages-by-visibility-and-type.sql': (rows) => {
    expect(new Set(rows.map((row) => row['package_type']))).toEqual(new Set(['npm', 'maven', 'rubygems', 'docker', 'nuget', 'container']));
    for (const row of rows) expect(row['packages']).toBeGreaterThan(0);
  },
  'private-packages-with-many-versions.sql': (rows) => {
    expect(rows.map((row) => row['name'])).toContain('acme/worker');
    for (const row of rows) expect(row['version_count']).toBeGreaterThan(50);
  },
  'packages-not-updated-in-a-year.sql': (rows) => {
    expect(rows.map((row) => row['name'])).toContain('devcontainer');
    for (const row of rows) expect(row['days_since_update']).toBeGreaterThanOrEqual(365);
  },
  'packages-without-repository.sql': (rows) => {
    expect(rows.map((row) => row['name'])).toContain('ci-runner');
  },
  'prune-org-container-versions.sql': (rows) => {
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatchObject({ package: 'platform/edge-proxy', outcome: 'would delete' });
  },
  'prune-container-versions.sql': (rows) => {
    const ninetyDaysAgo = new Date(Date.now() - 90 * 86_400_000).toISOString();
    expect(new Set(rows.map((row) => row['outcome']))).toEqual(new Set(['would delete']));
    for (const row of rows) expect(row['created_at'] as string < ninetyDaysAgo).toBe(true);
    expect(rows.map((row) => row['package'])).toContain('acme/api-server');
    // Of acme/app, only what no tagged image needs: never a platform child, attestation or signature.
    const app = rows.filter((row) => row['package'] === 'acme/app').map((row) => labelOf(row['digest']));
    expect(app.sort()).toEqual(APP_PRUNED);
    // Old untagged builds and the signatures of a deleted image; no tagged image, however old, nor a young build.
    const storefront = rows.filter((row) => row['package'] === 'acme/storefront').map((row) => STOREFRONT.get(row['digest'] as string));
    expect(storefront.sort()).toEqual(['1.7.0 attestation', '1.7.0 signature', 'old build 1', 'old build 2', 'untagged build']);
  },
  'container-bytes.sql': (rows) => {
    const kept = appBytes((label) => !APP_PRUNED.includes(label));
    const freed = [...appBytes((label) => APP_PRUNED.includes(label))].filter(([digest]) => !kept.has(digest));
    expect(freed.length).toBeGreaterThan(0);
    expect(rows.find((row) => row['package'] === 'acme/app')).toMatchObject({
      versions: APP_PLAN.filter((planned) => planned.deletedDaysAgo === undefined).length,
      bytes: total(appBytes()),
      plan_deletes: APP_PRUNED.length,
      plan_frees: total(new Map(freed)),
    });
    const packages = rows.filter((row) => row['package'] !== 'all packages');
    const sum = (column: string) => packages.reduce((so, row) => so + (row[column] as number), 0);
    expect(rows.at(-1)).toMatchObject({ package: 'all packages', versions: sum('versions'), bytes: sum('bytes'), plan_deletes: sum('plan_deletes'), plan_frees: sum('plan_frees') });
  },
  'container-image-graph.sql': (rows) => {
    const app = rows.filter((row) => row['package'] === 'acme/app');
    expect(app.filter((row) => row['image'] === 'acme/app:1.4').map((row) => row['needs'])).toEqual([
      'attestation linux/amd64',
      'attestation linux/arm/v7',
      'attestation linux/arm64',
      'child linux/amd64',
      'child linux/arm/v7',
      'child linux/arm64',
      'referrer',
    ]);
    expect(app.filter((row) => row['image'] === 'acme/app:1.3').map((row) => row['needs'])).toEqual(['cosign-attestation', 'cosign-signature']);
    expect(app.find((row) => row['version'] === 'MISSING: broken image')).toMatchObject({ image: 'acme/app:1.1', needs: 'child linux/arm64/v8', digest: APP.get('1.1 linux/arm64/v8') });
    // The untagged 1.0 index and the orphan; the index's two children join once it is deleted.
    expect(app.at(-1)).toMatchObject({ image: null, needs: 'safe to delete: 2 untagged versions' });
  },
  'org-container-packages.sql': (rows) => {
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row['listed_versions']).toBe(row['version_count']);
    expect(rows.some((row) => String(row['tags']).includes('latest'))).toBe(true);
  },
  'packages-of-archived-repositories.sql': (rows) => {
    expect(rows.map((row) => row['name'])).toContain('base-images/python-runtime');
    for (const row of rows) expect(ARCHIVED).toContain(row['repository']);
  },
};

let home: TempHome;
let database: string;
beforeAll(() => {
  home = tempHome();
  // The user's own table that reports may join with, as the archived-repositories report describes.
  database = join(home.dir, 'mine.db');
  const db = new Database(database);
  db.exec('CREATE TABLE repos(full_name TEXT PRIMARY KEY, archived INTEGER)');
  const insert = db.prepare('INSERT INTO repos VALUES (?, ?)');
  for (const name of ['api-server', 'infra', 'dotnet-libs', 'web-frontend']) insert.run(`octo-demo/${name}`, ARCHIVED.includes(`octo-demo/${name}`) ? 1 : 0);
  db.close();
});
afterAll(() => home.remove());

describe('the ready reports in sql/', () => {
  const files = readdirSync(REPORTS).filter((name) => name.endsWith('.sql'));

  it('are all checked here', () => {
    expect(files.sort()).toEqual(Object.keys(EXPECTATIONS).sort());
  });

  it.each(files)('%s runs against the stand-in and finds rows', async (name) => {
    // A report that acts (deletes) runs as its header says to run it first: in dry-run.
    const acts = readFileSync(join(REPORTS, name), 'utf8').includes('--dry-run');
    const params = PARAMS[name] ?? [];
    const { code, stdout, stderr } = await runCli(['--demo', '--db', database, '--json', ...params, ...(acts ? ['--dry-run'] : []), '-f', join(REPORTS, name)], { env: home.env });
    expect({ code, stderr: acts ? stderr.split('\n').filter((line) => line !== '' && !line.endsWith(': would delete') && !/^dry run: \d+ would delete \(/.test(line)) : stderr }).toEqual({ code: 0, stderr: acts ? [] : '' });
    const rows = JSON.parse(stdout) as Row[];
    expect(rows.length).toBeGreaterThan(0);
    EXPECTATIONS[name]?.(rows);
  });

  it("container-bytes.sql counts the versions of prune-container-versions.sql's plan, package by package", async () => {
    const run = async (name: string, dryRun: boolean) => {
      const { code, stdout } = await runCli(['--demo', '--json', ...(dryRun ? ['--dry-run'] : []), '-f', join(REPORTS, name)], { env: home.env });
      expect(code).toBe(0);
      return JSON.parse(stdout) as Row[];
    };
    const planned = new Map<unknown, number>();
    for (const row of await run('prune-container-versions.sql', true)) planned.set(row['package'], (planned.get(row['package']) ?? 0) + 1);
    const counted = (await run('container-bytes.sql', false)).filter((row) => row['package'] !== 'all packages' && (row['plan_deletes'] as number) > 0);
    expect(new Map(counted.map((row) => [row['package'], row['plan_deletes']]))).toEqual(planned);
  });
});
