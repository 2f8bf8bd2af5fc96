import { containerLinksTable } from './container-tables.js';
import { USER_OWNER } from '../packages/package-facts.js';

/** What each version of a user's container package needs: platform children, attestations, referrers, cosign signatures. */
export const userContainerLinks = containerLinksTable({
  table: 'user_container_links',
  description: "What each image of a user's container package needs (children, attestations, referrers, signatures), from the registry's manifests; version_id NULL means missing.",
  owner: USER_OWNER,
  list: ['packages/get-all-package-versions-for-package-owned-by-user', 'GET /users/{username}/packages/{package_type}/{package_name}/versions'],
});
