import type { Resource } from '../engine/resource.js';
import { authUserPackages } from './auth-user-packages.js';

/** Every table ghsql registers. */
export const resources: readonly Resource[] = [authUserPackages];

export function findResource(table: string): Resource {
  const resource = resources.find((candidate) => candidate.table === table);
  if (!resource) throw new Error(`ghsql has no resource named ${table}`);
  return resource;
}
