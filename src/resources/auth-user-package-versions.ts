import type { Resource } from '../engine/resource.js';
import { DELETE_SCOPES, DOWNLOADS_REFUSAL, LIST_CAP, packageTypeParameter, READ_SCOPES, RESTORE_SCOPES } from './package-facts.js';
import { VERSION_COLUMNS, versionSchema } from './package-shapes.js';

/** GitHub's versions of one of the authenticated user's packages: `/user/packages/{type}/{name}/versions`. */
export const authUserPackageVersions: Resource = {
  table: 'auth_user_package_versions',
  description: "Versions of a package in the authenticated user's namespace (for containers, one per image digest).",
  columns: VERSION_COLUMNS,
  key: ['id'],
  parameters: [
    packageTypeParameter,
    { column: 'package_name', example: 'acme/api-server', description: 'The name of the package.' },
    { column: 'package_version_id', example: '123456', description: 'The id of the version.' },
    { column: 'state', values: ['active', 'deleted'], example: 'deleted', description: 'Lists active (default) or deleted versions.' },
  ],
  methods: [
    {
      operationId: 'packages/get-package-version-for-authenticated-user',
      route: 'GET /user/packages/{package_type}/{package_name}/versions/{package_version_id}',
      notFoundIsEmpty: true,
      scopes: READ_SCOPES,
    },
    {
      operationId: 'packages/get-all-package-versions-for-package-owned-by-authenticated-user',
      route: 'GET /user/packages/{package_type}/{package_name}/versions',
      query: { optional: ['state'] },
      paginated: { maxItems: LIST_CAP, beyondMaxItems: 'Delete old versions, or narrow the query with package_version_id.' },
      // A package that does not exist has no versions: an empty list, as a get's 404 is no row.
      notFoundIsEmpty: true,
      scopes: READ_SCOPES,
    },
  ],
  schema: versionSchema,
  actions: [
    {
      name: 'delete_package_version_for_authenticated_user',
      description: 'Deletes a version of a package you own. GitHub refuses the last version of a package, and public versions downloaded over 5,000 times.',
      route: 'DELETE /user/packages/{package_type}/{package_name}/versions/{package_version_id}',
      outcome: 'deleted',
      dryRunOutcome: 'would delete',
      scopes: DELETE_SCOPES,
      refusals: [
        {
          when: 'last version',
          explain: 'it is the last version of its package, which GitHub does not delete; delete the package instead (delete_package_for_authenticated_user).',
        },
        DOWNLOADS_REFUSAL,
      ],
    },
    {
      name: 'restore_package_version_for_authenticated_user',
      description: 'Restores a version deleted in the last 30 days.',
      route: 'POST /user/packages/{package_type}/{package_name}/versions/{package_version_id}/restore',
      outcome: 'restored',
      dryRunOutcome: 'would restore',
      scopes: RESTORE_SCOPES,
    },
  ],
};
