import { containerBlobsTable } from './container-tables.js';

/** The config, layers and index children of each version of the authenticated user's container package, with their sizes, from the container registry. */
export const authUserContainerBlobs = containerBlobsTable({
  table: 'auth_user_container_blobs',
  description: "The config, layers (with sizes) and index children named by each version of the authenticated user's container package, from the registry's manifests: bytes per package, and what a delete frees.",
  list: ['packages/get-all-package-versions-for-package-owned-by-authenticated-user', 'GET /user/packages/{package_type}/{package_name}/versions'],
});
