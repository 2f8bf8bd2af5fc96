import { ORG_OWNER } from './package-facts.js';
import { versionsTable } from './package-tables.js';

/** Versions of an organization's package. */
export const orgPackageVersions = versionsTable({
  table: 'org_package_versions',
  description: "Versions of an organization's package (for containers, one per image digest).",
  owner: ORG_OWNER,
  get: ['packages/get-package-version-for-organization', 'GET /orgs/{org}/packages/{package_type}/{package_name}/versions/{package_version_id}'],
  list: ['packages/get-all-package-versions-for-package-owned-by-org', 'GET /orgs/{org}/packages/{package_type}/{package_name}/versions'],
  delete: ['packages/delete-package-version-for-org', 'DELETE /orgs/{org}/packages/{package_type}/{package_name}/versions/{package_version_id}'],
  restore: ['packages/restore-package-version-for-org', 'POST /orgs/{org}/packages/{package_type}/{package_name}/versions/{package_version_id}/restore'],
  listTakesState: true,
});
