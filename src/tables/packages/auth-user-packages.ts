import { packagesTable } from './package-tables.js';

/** GitHub's packages of the authenticated user: `/user/packages`. */
export const authUserPackages = packagesTable({
  table: 'auth_user_packages',
  description: "Packages (npm, container, maven, rubygems, nuget, docker) in the authenticated user's namespace.",
  get: ['packages/get-package-for-authenticated-user', 'GET /user/packages/{package_type}/{package_name}'],
  list: ['packages/list-packages-for-authenticated-user', 'GET /user/packages'],
  delete: ['packages/delete-package-for-authenticated-user', 'DELETE /user/packages/{package_type}/{package_name}'],
  restore: ['packages/restore-package-for-authenticated-user', 'POST /user/packages/{package_type}/{package_name}/restore'],
});
