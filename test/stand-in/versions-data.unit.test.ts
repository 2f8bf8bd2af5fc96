// Generated versions must be consistent with their package, the same on every start, and show the
// situations cleanup reports care about.

import { describe, expect, it } from 'vitest';
import { demoPackages, generatedPackages } from '../../dist/stand-in/packages-data.js';
import { generatedVersions, type StoredVersion } from '../../dist/stand-in/versions-data.js';

const withoutDates = (versions: StoredVersion[]) => versions.map(({ created_at, updated_at, deleted_at, ...rest }) => ({ ...rest, deleted: deleted_at !== null }));

describe('generated versions', () => {
  const packages = demoPackages();

  it('are the same on every start, apart from the dates', () => {
    for (const pkg of packages) expect(withoutDates(generatedVersions(pkg))).toEqual(withoutDates(generatedVersions(pkg)));
  });

  it('are version_count active ones plus one to three deleted, ids growing with creation, dates within the package', () => {
    for (const pkg of packages) {
      const versions = generatedVersions(pkg);
      const active = versions.filter((version) => version.deleted_at === null);
      expect(active, pkg.name).toHaveLength(pkg.version_count);
      expect(versions.length - active.length).toBeGreaterThanOrEqual(1);
      expect(versions.length - active.length).toBeLessThanOrEqual(3);
      const byId = [...versions].sort((a, b) => a.id - b.id);
      expect(byId.map((version) => version.created_at)).toEqual(byId.map((version) => version.created_at).sort());
      expect(active.map((version) => version.created_at).sort().at(-1)).toBe(pkg.updated_at);
      for (const version of versions) {
        expect(version.package_id).toBe(pkg.id);
        expect(version.created_at >= pkg.created_at).toBe(true);
        if (version.deleted_at !== null) expect(version.deleted_at >= version.created_at).toBe(true);
      }
    }
  });

  it('have ids unique across all packages', () => {
    const ids = packages.flatMap((pkg) => generatedVersions(pkg).map((version) => version.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('share out the package downloads; a version has more than 5,000 exactly when the package has', () => {
    for (const pkg of [...packages, ...generatedPackages(300, 'npm')]) {
      const versions = generatedVersions(pkg);
      expect(versions.reduce((sum, version) => sum + version.downloads, 0)).toBe(pkg.downloads);
      expect(Math.max(...versions.map((version) => version.downloads)) > 5_000, pkg.name).toBe(pkg.downloads > 5_000);
    }
  });

  it('name container and docker versions by digest and others by version number, tagging only images', () => {
    for (const pkg of packages) {
      const image = pkg.package_type === 'container' || pkg.package_type === 'docker';
      for (const version of generatedVersions(pkg)) {
        expect(version.name).toMatch(image ? /^sha256:[0-9a-f]{64}$/ : /^\d+\.\d+\.\d+(-(beta|rc)\.\d)?$/);
        if (!image) expect(version.tags).toEqual([]);
      }
    }
  });

  it('scale to 40 container packages × 300 versions for the benchmark', () => {
    const versions = generatedPackages(40, 'container', 1, 300).flatMap((pkg) => generatedVersions(pkg));
    expect(versions.filter((version) => version.deleted_at === null)).toHaveLength(12_000);
    expect(new Set(versions.map((version) => version.id)).size).toBe(versions.length);
  });

  it('cope with a package that has no versions', () => {
    const [empty] = generatedPackages(1, 'npm', 7, 0);
    expect(generatedVersions(empty!).filter((version) => version.deleted_at === null)).toEqual([]);
  });
});
