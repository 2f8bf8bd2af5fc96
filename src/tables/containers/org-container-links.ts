import { containerLinksTable } from './container-tables.js';
import { ORG_OWNER } from '../packages/package-facts.js';

/** What each version of an organization's container package needs: platform children, attestations, referrers, cosign signatures. */
export const orgContainerLinks = containerLinksTable({
  table: 'org_container_links',
  description: "What each image of an organization's container package needs (children, attestations, referrers, signatures), from the registry's manifests; version_id NULL means missing.",
  owner: ORG_OWNER,
  list: ['packages/get-all-package-versions-for-package-owned-by-org', 'GET /orgs/{org}/packages/{package_type}/{package_name}/versions'],
});
