import { versionsTable } from './package-tables.js';

/** GitHub's versions of one of the authenticated user's packages. */
export const authUserPackageVersions = versionsTable({
  table: 'auth_user_package_versions',
  description: "Versions of a package in the authenticated user's namespace (for containers, one per image digest).",
  get: ['packages/get-package-version-for-authenticated-user', 'GET /user/packages/{package_type}/{package_name}/versions/{package_version_id}'],
  list: ['packages/get-all-package-versions-for-package-owned-by-authenticated-user', 'GET /user/packages/{package_type}/{package_name}/versions'],
  delete: ['packages/delete-package-version-for-authenticated-user', 'DELETE /user/packages/{package_type}/{package_name}/versions/{package_version_id}'],
  restore: ['packages/restore-package-version-for-authenticated-user', 'POST /user/packages/{package_type}/{package_name}/versions/{package_version_id}/restore'],
  listTakesState: true,
});
