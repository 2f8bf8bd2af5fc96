import { z } from 'zod';
import type { Resource } from '../engine/resource.js';

/** Facts from GitHub's OpenAPI description of `/user/packages*` (see shared/reference). */
export const PACKAGE_TYPES = ['npm', 'maven', 'rubygems', 'docker', 'nuget', 'container'] as const;
const VISIBILITY_FILTERS = ['public', 'private', 'internal'] as const;

// owner and repository are kept whole, as JSON text (the engine stores what GitHub sent, once it
// validates); the schema checks the fields people query (login, full_name).
const owner = z.object({ login: z.string(), id: z.number().int(), type: z.string() });
const repository = z.object({ id: z.number().int(), name: z.string(), full_name: z.string(), private: z.boolean() });

export const packageSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  package_type: z.enum(PACKAGE_TYPES),
  url: z.string(),
  html_url: z.string(),
  version_count: z.number().int(),
  visibility: z.enum(['private', 'public']),
  owner: owner.nullish(),
  repository: repository.nullish(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const authUserPackages: Resource = {
  table: 'auth_user_packages',
  description: "Packages (npm, container, maven, rubygems, nuget, docker) in the authenticated user's namespace.",
  columns: [
    { name: 'id', type: 'INTEGER', description: 'Unique identifier of the package.' },
    { name: 'name', type: 'TEXT', description: 'The name of the package.' },
    { name: 'repository', type: 'JSON', description: 'The repository the package belongs to (JSON), NULL when it has none.' },
    { name: 'updated_at', type: 'TEXT', description: 'When the package was last updated (ISO 8601).' },
    { name: 'url', type: 'TEXT', description: 'API URL of the package.' },
    { name: 'visibility', type: 'TEXT', description: "public or private; `visibility = 'private'` is sent to GitHub as a filter." },
    { name: 'version_count', type: 'INTEGER', description: 'The number of versions of the package.' },
    { name: 'package_type', type: 'TEXT', description: 'npm, maven, rubygems, docker, nuget or container. Required in WHERE.' },
    { name: 'owner', type: 'JSON', description: "The package's owner (JSON): json_extract(owner, '$.login')." },
    { name: 'created_at', type: 'TEXT', description: 'When the package was created (ISO 8601).' },
    { name: 'html_url', type: 'TEXT', description: 'Web page of the package.' },
    { name: 'package_name', type: 'TEXT', field: 'name', description: 'Same as name; binding it (= or IN) fetches just that package.' },
  ],
  parameters: [
    { column: 'package_type', values: PACKAGE_TYPES, example: 'container', description: 'The type of package.' },
    { column: 'package_name', example: 'hello-world', description: 'The name of the package.' },
    { column: 'visibility', values: VISIBILITY_FILTERS, example: 'private', description: 'Lists only packages of this visibility.' },
  ],
  methods: [
    {
      name: 'get package for authenticated user',
      route: 'GET /user/packages/{package_type}/{package_name}',
      requires: ['package_type', 'package_name'],
      notFoundIsEmpty: true,
    },
    {
      name: 'list packages for authenticated user',
      route: 'GET /user/packages',
      requires: ['package_type'],
      query: ['visibility'],
      paginated: true,
    },
  ],
  item: packageSchema,
  actions: [
    {
      name: 'delete_package_for_authenticated_user',
      description: 'Deletes a package you own. Public packages with a version downloaded over 5,000 times cannot be deleted.',
      route: 'DELETE /user/packages/{package_type}/{package_name}',
      args: [
        { name: 'package_type', parameter: 'package_type' },
        { name: 'package_name', parameter: 'package_name' },
      ],
      required: 2,
      outcome: 'deleted',
      dryRunOutcome: 'would delete',
      scopes: ['read:packages', 'delete:packages'],
    },
    {
      name: 'restore_package_for_authenticated_user',
      description: 'Restores a package deleted in the last 30 days, unless its name has been reused since.',
      route: 'POST /user/packages/{package_type}/{package_name}/restore',
      args: [
        { name: 'package_type', parameter: 'package_type' },
        { name: 'package_name', parameter: 'package_name' },
        { name: 'token', in: 'query', secret: true },
      ],
      required: 2,
      outcome: 'restored',
      dryRunOutcome: 'would restore',
      scopes: ['read:packages', 'write:packages'],
    },
  ],
};
