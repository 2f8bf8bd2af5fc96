import { containerBlobsTable } from './container-tables.js';
import { USER_OWNER } from '../packages/package-facts.js';

/** The config, layers and index children of each version of a user's container package, with their sizes, from the container registry. */
export const userContainerBlobs = containerBlobsTable({
  table: 'user_container_blobs',
  description: "The config, layers (with sizes) and index children named by each version of a user's container package, from the registry's manifests: bytes per package, and what a delete frees.",
  owner: USER_OWNER,
  list: ['packages/get-all-package-versions-for-package-owned-by-user', 'GET /users/{username}/packages/{package_type}/{package_name}/versions'],
});
