import { containerBlobsTable } from './container-tables.js';
import { ORG_OWNER } from '../packages/package-facts.js';

/** The config, layers and index children of each version of an organization's container package, with their sizes, from the container registry. */
export const orgContainerBlobs = containerBlobsTable({
  table: 'org_container_blobs',
  description: "The config, layers (with sizes) and index children named by each version of an organization's container package, from the registry's manifests: bytes per package, and what a delete frees.",
  owner: ORG_OWNER,
  list: ['packages/get-all-package-versions-for-package-owned-by-org', 'GET /orgs/{org}/packages/{package_type}/{package_name}/versions'],
});
