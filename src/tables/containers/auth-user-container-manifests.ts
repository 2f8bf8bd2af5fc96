import { containerManifestsTable } from './container-tables.js';

/** The manifests of the authenticated user's container package's versions, from the container registry, with the kept images that need each. */
export const authUserContainerManifests = containerManifestsTable({
  table: 'auth_user_container_manifests',
  description: "Each version of the authenticated user's container package with its manifest from the registry: kind, platform, subject, and the kept images that need it.",
  list: ['packages/get-all-package-versions-for-package-owned-by-authenticated-user', 'GET /user/packages/{package_type}/{package_name}/versions'],
});
