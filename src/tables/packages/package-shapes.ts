import type { z as zod } from 'zod';
import type { Column, Item } from '../../table/types.js';
import { PACKAGE_TYPES } from './package-facts.js';

// The shapes GitHub's packages service answers with, the same for every owner (the authenticated
// user, an organization, any user): GitHub's `package` and `package-version` schemas.

/** Columns of a packages table, in the order of GitHub's `package` schema, before the owner column. */
export const PACKAGE_COLUMNS: Column[] = [
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
];

// owner and repository are kept whole, as JSON text; the schema checks the fields people query.
export const packageSchema = (z: typeof zod) =>
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
    });

/** Container tags are at metadata.container.tags, docker ones at metadata.docker.tag; `[]` when none. */
export function tagsOf(item: Item): string[] {
  const metadata = item['metadata'] as { container?: { tags?: string[] }; docker?: { tag?: string[]; tags?: string[] } } | undefined;
  return metadata?.container?.tags ?? metadata?.docker?.tag ?? metadata?.docker?.tags ?? [];
}

/** Columns of a versions table, in the order of GitHub's `package-version` schema, then tags and the parameters. */
export const VERSION_COLUMNS: Column[] = [
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
];

/** `state` on a table whose list takes a state filter: the value sent, else read from deleted_at. */
export const stateColumn = (sentByList: boolean): Column => ({
  name: 'state',
  type: 'TEXT',
  from: sentByList ? { parameter: 'state', otherwise: { derive: stateOf } } : { derive: stateOf },
  description: sentByList
    ? "active (the default) or deleted: state = 'deleted' lists the versions you can restore."
    : 'active, or deleted (from deleted_at; this owner\'s list has no state filter).',
});

const stateOf = (item: Item) => (item['deleted_at'] ? 'deleted' : 'active');

export const versionSchema = (z: typeof zod) =>
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
    });
