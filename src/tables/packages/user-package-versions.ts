import { USER_OWNER } from './package-facts.js';
import { versionsTable } from './package-tables.js';

/** Versions of a user's package; GitHub's list here takes no state filter. */
export const userPackageVersions = versionsTable({
  table: 'user_package_versions',
  description: "Versions of a user's package that the token may see.",
  owner: USER_OWNER,
  get: ['packages/get-package-version-for-user', 'GET /users/{username}/packages/{package_type}/{package_name}/versions/{package_version_id}'],
  list: ['packages/get-all-package-versions-for-package-owned-by-user', 'GET /users/{username}/packages/{package_type}/{package_name}/versions'],
  delete: ['packages/delete-package-version-for-user', 'DELETE /users/{username}/packages/{package_type}/{package_name}/versions/{package_version_id}'],
  restore: ['packages/restore-package-version-for-user', 'POST /users/{username}/packages/{package_type}/{package_name}/versions/{package_version_id}/restore'],
  listTakesState: false,
});
