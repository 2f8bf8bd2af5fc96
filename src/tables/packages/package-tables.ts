import type { Action, Column, Method, Parameter, Refusal, Resource } from '../../table/types.js';
import { BREAK_IMAGES, keepImagesWhole, OVERRIDE_ARGUMENT } from '../containers/container-guard.js';
import { VERSION_IMAGE_TAGS_COLUMN } from '../containers/image-tags.js';
import { removeContainerTag, untagAction } from '../containers/untag.js';
import { DOWNLOADS_REFUSAL, LIST_CAP, packageTypeParameter } from './package-facts.js';
import { PACKAGE_COLUMNS, packageSchema, stateColumn, VERSION_COLUMNS, versionSchema } from './package-shapes.js';

// The packages service has the same tables for each owner (the authenticated user, an organization,
// any user): these build them from what differs, which each table's file gives verbatim from
// GitHub's description: its operations (operationId and route) and its owner parameter.

/** GitHub's operationId and route, as its OpenAPI description gives them. */
export type Operation = readonly [operationId: string, route: string];

export interface Owner {
  /** The parameter and column name: `org` or `username`. */
  name: string;
  /** What GitHub's 404 on the owner's list means. */
  notFoundMeans: string;
  example: string;
  description: string;
  /** What deleting needs beyond a token's delete:packages scope, for the action's description. */
  deleteNeeds?: string;
}

export interface TableSpec {
  table: string;
  description: string;
  owner?: Owner;
}

/** An action's SQL name: GitHub's operationId with `-` as `_` (packages/delete-package-for-org → delete_package_for_org). */
export const sqlName = ([operationId]: Operation) => operationId.replace(/^packages\//, '').replace(/-/g, '_');

export const ownerParts = (owner: Owner | undefined): { parameters: Parameter[]; columns: Column[] } =>
  owner
    ? {
        parameters: [{ column: owner.name, example: owner.example, description: owner.description }],
        columns: [{ name: owner.name, type: 'TEXT', from: { parameter: owner.name }, description: `${owner.description} Required in WHERE.` }],
      }
    : { parameters: [], columns: [] };

const deleteAction = (operation: Operation, what: string, owner: Owner | undefined, refusals: Refusal[], query?: Action['query']): Action => ({
  name: sqlName(operation),
  description: `Deletes ${what}.${owner?.deleteNeeds ? ` ${owner.deleteNeeds}` : ''}`,
  route: operation[1],
  ...(query ? { query } : {}),
  outcome: 'deleted',
  dryRunOutcome: 'would delete',
  refusals: owner?.deleteNeeds ? [...refusals, { status: 403, when: 'admin permissions', explain: owner.deleteNeeds.replace(/^Needs/, 'it needs').replace(/^For/, 'for') }] : refusals,
});

const restoreAction = (operation: Operation, what: string, query: Action['query']): Action => ({
  name: sqlName(operation),
  description: `Restores ${what}.`,
  route: operation[1],
  ...(query ? { query } : {}),
  outcome: 'restored',
  dryRunOutcome: 'would restore',
});

export function packagesTable(spec: TableSpec & { get: Operation; list: Operation; delete: Operation; restore: Operation }): Resource {
  const owner = ownerParts(spec.owner);
  return {
    table: spec.table,
    description: spec.description,
    columns: [...PACKAGE_COLUMNS, ...owner.columns],
    key: ['id'],
    parameters: [...owner.parameters, packageTypeParameter, { column: 'package_name', example: 'hello-world', description: 'The name of the package.' }],
    methods: [
      { operationId: spec.get[0], route: spec.get[1], notFoundIsEmpty: true },
      {
        operationId: spec.list[0],
        route: spec.list[1],
        query: { required: ['package_type'] },
        paginated: { maxItems: LIST_CAP, beyondMaxItems: 'Narrow the query with package_name, or ask GitHub Support for an export.' },
        // The owner's packages of a type, unfiltered: those the get can see (reference: a user's own, an organization's the token can read, another user's it may see).
        holdsEveryGetAnswer: true,
        ...(spec.owner ? { notFoundMeans: spec.owner.notFoundMeans } : {}),
      },
    ],
    schema: packageSchema,
    actions: [
      deleteAction(spec.delete, 'a package. Public packages with a version downloaded over 5,000 times cannot be deleted', spec.owner, [DOWNLOADS_REFUSAL]),
      restoreAction(spec.restore, 'a package deleted in the last 30 days, unless its name has been reused since', [{ name: 'token', secret: true }]),
    ],
  };
}

/** GitHub's refusal to delete a package's last version, by a fragment of its message. */
const LAST_VERSION = 'last version';

export function versionsTable(
  spec: TableSpec & { get: Operation; list: Operation; delete: Operation; restore: Operation; listTakesState: boolean },
): Resource {
  const owner = ownerParts(spec.owner);
  const list: Method = {
    operationId: spec.list[0],
    route: spec.list[1],
    ...(spec.listTakesState ? { query: { optional: ['state'] } } : {}),
    paginated: { maxItems: LIST_CAP, beyondMaxItems: 'Delete old versions, or narrow the query with package_version_id.' },
    // A package that does not exist has no versions: an empty list, as a get's 404 is no row.
    notFoundIsEmpty: true,
  };
  const remove = deleteAction(
    spec.delete,
    `a version of a package. GitHub refuses the last version of a package, and public versions downloaded over 5,000 times. A container version that a tagged image needs (a platform child, an attestation, a referrer or a cosign signature) is refused, naming the image and the link, unless the last argument is '${BREAK_IMAGES}'; delete the tagged image first`,
    spec.owner,
    [
      {
        when: LAST_VERSION,
        explain: 'it is the last version of its package, which GitHub does not delete; delete the package instead.',
      },
      DOWNLOADS_REFUSAL,
    ],
    [OVERRIDE_ARGUMENT],
  );
  // The active versions: the list without state.
  const activeVersions: Method = { ...list, query: {} };
  remove.lastItemOf = { list: activeVersions, id: 'id', refusal: LAST_VERSION };
  // remove_container_tag_for_org beside delete_package_version_for_org: the same owner suffix.
  const untag = untagAction(`remove_container_tag_${remove.name.replace(/^delete_package_version_/, '')}`, spec.owner?.name, remove.name);
  return {
    table: spec.table,
    description: spec.description,
    // image_tags beside tags.
    columns: [...VERSION_COLUMNS.flatMap((column) => (column.name === 'tags' ? [column, VERSION_IMAGE_TAGS_COLUMN] : [column])), stateColumn(spec.listTakesState), ...owner.columns],
    key: ['id'],
    parameters: [
      ...owner.parameters,
      packageTypeParameter,
      { column: 'package_name', example: 'acme/api-server', description: 'The name of the package.' },
      { column: 'package_version_id', example: '123456', description: 'The id of the version.' },
      ...(spec.listTakesState ? [{ column: 'state', values: ['active', 'deleted'], default: 'active', example: 'deleted', description: 'Lists active (default) or deleted versions.' }] : []),
    ],
    methods: [{ operationId: spec.get[0], route: spec.get[1], notFoundIsEmpty: true }, list],
    schema: versionSchema,
    actions: [remove, restoreAction(spec.restore, 'a version deleted in the last 30 days', undefined), untag],
    guards: { [remove.name]: keepImagesWhole(activeVersions, spec.owner?.name) },
    performers: { [untag.name]: removeContainerTag(activeVersions, spec.delete[1], spec.owner?.name, remove.name) },
  };
}

/** Packages that conflict with the Docker registry's migration to the container registry. */
export function conflictsTable(spec: TableSpec & { list: Operation }): Resource {
  const owner = ownerParts(spec.owner);
  return {
    table: spec.table,
    description: spec.description,
    // No get behind this list, so package_name is no parameter here.
    columns: [...PACKAGE_COLUMNS.filter((column) => column.name !== 'package_name'), ...owner.columns],
    key: ['id'],
    parameters: owner.parameters,
    methods: [{ operationId: spec.list[0], route: spec.list[1], array: true }],
    schema: packageSchema,
    actions: [],
  };
}
