import { USER_OWNER } from './package-facts.js';
import { packagesTable } from './package-tables.js';

/** Another user's packages that the token may see: `/users/{username}/packages`. */
export const userPackages = packagesTable({
  table: 'user_packages',
  description: "A user's packages that the token may see (public ones, or private ones it has access to).",
  owner: USER_OWNER,
  get: ['packages/get-package-for-user', 'GET /users/{username}/packages/{package_type}/{package_name}'],
  list: ['packages/list-packages-for-user', 'GET /users/{username}/packages'],
  delete: ['packages/delete-package-for-user', 'DELETE /users/{username}/packages/{package_type}/{package_name}'],
  restore: ['packages/restore-package-for-user', 'POST /users/{username}/packages/{package_type}/{package_name}/restore'],
});
