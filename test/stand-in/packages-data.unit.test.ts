// The demo account must show every situation ghsql's reports and rules care about.

import { describe, expect, it } from 'vitest';
import { demoAccounts } from '../../dist/stand-in/accounts-data.js';
import { demoPackages, generatedPackages, PACKAGE_TYPES } from '../../dist/stand-in/packages-data.js';

const DAY_MS = 86_400_000;
const ageInDays = (iso: string) => (Date.now() - Date.parse(iso)) / DAY_MS;

describe('demo packages', () => {
  const packages = demoPackages();
  const active = packages.filter((pkg) => pkg.deleted_at === null);

  it('are about forty, with unique ids, across all six types', () => {
    expect(packages.length).toBeGreaterThanOrEqual(35);
    expect(packages.length).toBeLessThanOrEqual(45);
    expect(new Set(packages.map((pkg) => pkg.id)).size).toBe(packages.length);
    expect(new Set(active.map((pkg) => pkg.package_type))).toEqual(new Set(PACKAGE_TYPES));
  });

  it('are deterministic apart from the dates, which follow the clock', () => {
    const withoutDates = (list: typeof packages) => list.map(({ created_at, updated_at, deleted_at, ...rest }) => rest);
    expect(withoutDates(demoPackages())).toEqual(withoutDates(packages));
    expect(structuredClone(packages)).toEqual(packages);
  });

  it('include container names with a slash and containers with more than 50 versions', () => {
    const containers = active.filter((pkg) => pkg.package_type === 'container');
    expect(containers.some((pkg) => pkg.name.includes('/'))).toBe(true);
    expect(containers.filter((pkg) => pkg.version_count > 50).length).toBeGreaterThanOrEqual(3);
  });

  it('mix visibility and repository links, and hold one public package with more than 5,000 downloads', () => {
    expect(new Set(active.map((pkg) => pkg.visibility))).toEqual(new Set(['public', 'private']));
    expect(active.some((pkg) => pkg.repository === null)).toBe(true);
    expect(active.some((pkg) => pkg.repository !== null)).toBe(true);
    expect(active.filter((pkg) => pkg.visibility === 'public' && pkg.downloads > 5_000)).toHaveLength(1);
  });

  it('spread over three years, some not updated for more than a year, ids in creation order', () => {
    const ages = packages.map((pkg) => ageInDays(pkg.created_at));
    expect(Math.max(...ages)).toBeGreaterThan(900);
    expect(Math.max(...ages)).toBeLessThan(3.1 * 365);
    expect(active.filter((pkg) => ageInDays(pkg.updated_at) > 365).length).toBeGreaterThanOrEqual(5);
    expect(active.filter((pkg) => ageInDays(pkg.updated_at) < 7).length).toBeGreaterThanOrEqual(3);
    for (const pkg of packages) expect(Date.parse(pkg.updated_at)).toBeGreaterThanOrEqual(Date.parse(pkg.created_at));
    const byId = [...packages].sort((a, b) => a.id - b.id);
    expect(byId.map((pkg) => pkg.created_at)).toEqual(byId.map((pkg) => pkg.created_at).sort());
  });

  it('have a restorable deletion, an expired one, and one whose name was reused', () => {
    const deleted = packages.filter((pkg) => pkg.deleted_at !== null);
    const deletedDaysAgo = deleted.map((pkg) => Math.round(ageInDays(pkg.deleted_at ?? '')));
    expect(deletedDaysAgo).toContain(2);
    expect(deletedDaysAgo).toContain(40);
    const reused = deleted.filter((gone) => active.some((pkg) => pkg.package_type === gone.package_type && pkg.name === gone.name));
    expect(reused).toHaveLength(1);
    expect(ageInDays(reused[0]?.deleted_at ?? '')).toBeLessThan(30);
  });
});

describe('generated packages', () => {
  it('have consecutive ids from firstId, unique names, and one type', () => {
    const packages = generatedPackages(1_000, 'maven', 501);
    expect(packages.map((pkg) => pkg.id)).toEqual(Array.from({ length: 1_000 }, (_, index) => 501 + index));
    expect(new Set(packages.map((pkg) => pkg.name)).size).toBe(1_000);
    expect(new Set(packages.map((pkg) => pkg.package_type))).toEqual(new Set(['maven']));
    expect(packages.every((pkg) => pkg.deleted_at === null)).toBe(true);
  });

  it('scale to 100,000', () => {
    const packages = generatedPackages(100_000, 'container');
    expect(packages).toHaveLength(100_000);
    expect(packages.at(-1)?.name).toBe('container-package-100000');
  });
});

describe('demo accounts', () => {
  const [organization, otherUser] = demoAccounts();

  it('are the organization acme-corp and the user hubot-two', () => {
    expect([organization?.login, organization?.type, otherUser?.login, otherUser?.type]).toEqual(['acme-corp', 'Organization', 'hubot-two', 'User']);
  });

  it('give acme-corp a few dozen packages over several types, with a restorable, an expired and a reused deletion', () => {
    const packages = organization?.packages ?? [];
    expect(packages.length).toBeGreaterThanOrEqual(24);
    expect(new Set(packages.map((pkg) => pkg.package_type))).toEqual(new Set(PACKAGE_TYPES));
    const deletedDaysAgo = packages.filter((pkg) => pkg.deleted_at !== null).map((pkg) => Math.round(ageInDays(pkg.deleted_at ?? '')));
    expect(deletedDaysAgo.some((days) => days < 30)).toBe(true);
    expect(deletedDaysAgo.some((days) => days > 30)).toBe(true);
    expect(packages.filter((pkg) => pkg.docker_migration_conflict).length).toBeGreaterThan(0);
  });

  it('give hubot-two public and private packages', () => {
    expect(new Set(otherUser?.packages.map((pkg) => pkg.visibility))).toEqual(new Set(['public', 'private']));
  });

  it('keep package ids unique across all accounts, so that version ids are too', () => {
    const ids = [...demoPackages(), ...(organization?.packages ?? []), ...(otherUser?.packages ?? [])].map((pkg) => pkg.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
