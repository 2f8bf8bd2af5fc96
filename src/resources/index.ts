import type { Resource } from '../engine/resource.js';
import { authUserPackageVersions } from './auth-user-package-versions.js';
import { authUserPackages } from './auth-user-packages.js';

/** Every table ghsql registers. */
export const resources: readonly Resource[] = [authUserPackages, authUserPackageVersions];

export function findResource(table: string): Resource {
  const resource = resources.find((candidate) => candidate.table === table);
  if (!resource) throw new Error(`ghsql has no resource named ${table}`);
  return resource;
}
