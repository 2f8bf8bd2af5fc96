import type { Resource } from '../engine/resource.js';
import { DELETE_SCOPES, DOWNLOADS_REFUSAL, LIST_CAP, PACKAGE_TYPES, packageTypeParameter, READ_SCOPES, RESTORE_SCOPES } from './package-facts.js';

/** GitHub's packages of the authenticated user: `/user/packages`. */
export const authUserPackages: Resource = {
  table: 'auth_user_packages',
  description: "Packages (npm, container, maven, rubygems, nuget, docker) in the authenticated user's namespace.",
  columns: [
    { name: 'id', type: 'INTEGER', description: 'Unique identifier of the package.' },
    { name: 'name', type: 'TEXT', description: 'The name of the package.' },
    { name: 'repository', type: 'JSON', description: 'The repository the package belongs to (JSON), NULL when it has none.' },
    { name: 'updated_at', type: 'TEXT', description: 'When the package was last updated (ISO 8601).' },
    { name: 'url', type: 'TEXT', description: 'API URL of the package.' },
    { name: 'visibility', type: 'TEXT', description: 'public or private.' },
    { name: 'version_count', type: 'INTEGER', description: 'The number of versions of the package.' },
    { name: 'package_type', type: 'TEXT', description: 'npm, maven, rubygems, docker, nuget or container. Required in WHERE.' },
    { name: 'owner', type: 'JSON', description: "The package's owner (JSON): json_extract(owner, '$.login')." },
    { name: 'created_at', type: 'TEXT', description: 'When the package was created (ISO 8601).' },
    { name: 'html_url', type: 'TEXT', description: 'Web page of the package.' },
    { name: 'package_name', type: 'TEXT', from: { field: 'name' }, description: 'Same as name; binding it (= or IN) fetches just that package.' },
  ],
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
  // owner and repository are kept whole, as JSON text; the schema checks the fields people query.
  schema: (z) =>
    z.object({
      id: z.number().int(),
      name: z.string(),
      package_type: z.enum(PACKAGE_TYPES),
      url: z.string(),
      html_url: z.string(),
      version_count: z.number().int(),
      visibility: z.enum(['private', 'public']),
      owner: z.object({ login: z.string(), id: z.number().int(), type: z.string() }).nullish(),
      repository: z.object({ id: z.number().int(), name: z.string(), full_name: z.string(), private: z.boolean() }).nullish(),
      created_at: z.string(),
      updated_at: z.string(),
    }),
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
