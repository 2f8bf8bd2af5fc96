import { containerLinksTable } from './container-tables.js';

/** What each version of the authenticated user's container package needs: platform children, attestations, referrers, cosign signatures. */
export const authUserContainerLinks = containerLinksTable({
  table: 'auth_user_container_links',
  description: "What each image of the authenticated user's container package needs (children, attestations, referrers, signatures), from the registry's manifests; version_id NULL means missing.",
  list: ['packages/get-all-package-versions-for-package-owned-by-authenticated-user', 'GET /user/packages/{package_type}/{package_name}/versions'],
});
