import type { Item, Resource } from '../engine/resource.js';
import { DELETE_SCOPES, DOWNLOADS_REFUSAL, LIST_CAP, packageTypeParameter, READ_SCOPES, RESTORE_SCOPES } from './package-facts.js';

/** Container tags are at metadata.container.tags, docker ones at metadata.docker.tag; `[]` when none. */
function tagsOf(item: Item): string[] {
  const metadata = item['metadata'] as { container?: { tags?: string[] }; docker?: { tag?: string[]; tags?: string[] } } | undefined;
  return metadata?.container?.tags ?? metadata?.docker?.tag ?? metadata?.docker?.tags ?? [];
}

/** GitHub's versions of one of the authenticated user's packages: `/user/packages/{type}/{name}/versions`. */
export const authUserPackageVersions: Resource = {
  table: 'auth_user_package_versions',
  description: "Versions of a package in the authenticated user's namespace (for containers, one per image digest).",
  columns: [
    { name: 'id', type: 'INTEGER', description: 'Unique identifier of the version.' },
    { name: 'name', type: 'TEXT', description: 'The name of the version; for containers, the manifest digest (sha256:…).' },
    { name: 'url', type: 'TEXT', description: 'API URL of the version.' },
    { name: 'package_html_url', type: 'TEXT', description: 'Web page of the package.' },
    { name: 'html_url', type: 'TEXT', description: 'Web page of the version.' },
    { name: 'license', type: 'TEXT', description: 'The license, when GitHub knows it.' },
    { name: 'description', type: 'TEXT', description: 'The description, when there is one.' },
    { name: 'created_at', type: 'TEXT', description: 'When the version was published (ISO 8601).' },
    { name: 'updated_at', type: 'TEXT', description: 'When the version was last updated (ISO 8601).' },
    { name: 'deleted_at', type: 'TEXT', description: 'When the version was deleted (ISO 8601), NULL when it is active.' },
    { name: 'metadata', type: 'JSON', description: "Type-specific metadata (JSON): json_extract(metadata, '$.container.tags')." },
    { name: 'tags', type: 'JSON', from: { derive: tagsOf }, description: "The container or docker tags (JSON array, [] when none): json_each(tags) gives one row per tag." },
    { name: 'package_type', type: 'TEXT', from: { parameter: 'package_type' }, description: 'npm, maven, rubygems, docker, nuget or container. Required in WHERE.' },
    { name: 'package_name', type: 'TEXT', from: { parameter: 'package_name' }, description: 'The name of the package. Required in WHERE.' },
    { name: 'package_version_id', type: 'INTEGER', from: { field: 'id' }, description: 'Same as id; binding it (= or IN) fetches just that version.' },
    {
      name: 'state',
      type: 'TEXT',
      from: { parameter: 'state', otherwise: { derive: (item) => (item['deleted_at'] ? 'deleted' : 'active') } },
      description: "active (the default) or deleted: state = 'deleted' lists the versions you can restore.",
    },
  ],
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
  schema: (z) =>
    z.object({
      id: z.number().int(),
      name: z.string(),
      url: z.string(),
      package_html_url: z.string(),
      html_url: z.string().nullish(),
      license: z.string().nullish(),
      description: z.string().nullish(),
      created_at: z.string(),
      updated_at: z.string(),
      deleted_at: z.string().nullish(),
      metadata: z
        .object({
          package_type: z.string(),
          container: z.object({ tags: z.array(z.string()) }).optional(),
          docker: z.object({ tag: z.array(z.string()).optional() }).optional(),
        })
        .optional(),
    }),
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
