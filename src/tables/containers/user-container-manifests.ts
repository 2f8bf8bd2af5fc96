import { containerManifestsTable } from './container-tables.js';
import { USER_OWNER } from '../packages/package-facts.js';

/** The manifests of a user's container package's versions, from the container registry, with the kept images that need each. */
export const userContainerManifests = containerManifestsTable({
  table: 'user_container_manifests',
  description: "Each version of a user's container package with its manifest from the registry: kind, platform, subject, and the kept images that need it.",
  owner: USER_OWNER,
  list: ['packages/get-all-package-versions-for-package-owned-by-user', 'GET /users/{username}/packages/{package_type}/{package_name}/versions'],
});
