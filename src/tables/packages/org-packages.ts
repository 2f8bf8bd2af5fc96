import { ORG_OWNER } from './package-facts.js';
import { packagesTable } from './package-tables.js';

/** An organization's packages: `/orgs/{org}/packages`. */
export const orgPackages = packagesTable({
  table: 'org_packages',
  description: "Packages of an organization that the token's user can read.",
  owner: ORG_OWNER,
  get: ['packages/get-package-for-organization', 'GET /orgs/{org}/packages/{package_type}/{package_name}'],
  list: ['packages/list-packages-for-organization', 'GET /orgs/{org}/packages'],
  delete: ['packages/delete-package-for-org', 'DELETE /orgs/{org}/packages/{package_type}/{package_name}'],
  restore: ['packages/restore-package-for-org', 'POST /orgs/{org}/packages/{package_type}/{package_name}/restore'],
});
