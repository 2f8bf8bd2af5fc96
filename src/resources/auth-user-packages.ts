import type { Resource } from '../engine/resource.js';
import { DELETE_SCOPES, DOWNLOADS_REFUSAL, LIST_CAP, packageTypeParameter, READ_SCOPES, RESTORE_SCOPES } from './package-facts.js';
import { PACKAGE_COLUMNS, packageSchema } from './package-shapes.js';

/** GitHub's packages of the authenticated user: `/user/packages`. */
export const authUserPackages: Resource = {
  table: 'auth_user_packages',
  description: "Packages (npm, container, maven, rubygems, nuget, docker) in the authenticated user's namespace.",
  columns: PACKAGE_COLUMNS,
  key: ['id'],
  parameters: [packageTypeParameter, { column: 'package_name', example: 'hello-world', description: 'The name of the package.' }],
  methods: [
    {
      operationId: 'packages/get-package-for-authenticated-user',
      route: 'GET /user/packages/{package_type}/{package_name}',
      notFoundIsEmpty: true,
      scopes: READ_SCOPES,
    },
    {
      operationId: 'packages/list-packages-for-authenticated-user',
      route: 'GET /user/packages',
      query: { required: ['package_type'] },
      paginated: { maxItems: LIST_CAP, beyondMaxItems: 'Narrow the query with package_name, or ask GitHub Support for an export.' },
      scopes: READ_SCOPES,
    },
  ],
  schema: packageSchema,
  actions: [
    {
      name: 'delete_package_for_authenticated_user',
      description: 'Deletes a package you own. Public packages with a version downloaded over 5,000 times cannot be deleted.',
      route: 'DELETE /user/packages/{package_type}/{package_name}',
      outcome: 'deleted',
      dryRunOutcome: 'would delete',
      scopes: DELETE_SCOPES,
      refusals: [DOWNLOADS_REFUSAL],
    },
    {
      name: 'restore_package_for_authenticated_user',
      description: 'Restores a package deleted in the last 30 days, unless its name has been reused since.',
      route: 'POST /user/packages/{package_type}/{package_name}/restore',
      query: [{ name: 'token', secret: true }],
      outcome: 'restored',
      dryRunOutcome: 'would restore',
      scopes: RESTORE_SCOPES,
    },
  ],
};
