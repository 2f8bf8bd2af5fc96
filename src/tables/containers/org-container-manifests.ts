import { containerManifestsTable } from './container-tables.js';
import { ORG_OWNER } from '../packages/package-facts.js';

/** The manifests of an organization's container package's versions, from the container registry, with the kept images that need each. */
export const orgContainerManifests = containerManifestsTable({
  table: 'org_container_manifests',
  description: "Each version of an organization's container package with its manifest from the registry: kind, platform, subject, and the kept images that need it.",
  owner: ORG_OWNER,
  list: ['packages/get-all-package-versions-for-package-owned-by-org', 'GET /orgs/{org}/packages/{package_type}/{package_name}/versions'],
});
