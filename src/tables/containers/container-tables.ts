import type { Column, ExpandContext, Item, Method, Resource } from '../../table/types.js';
import { containerGraph, readGraphVersions, registryOwner } from '../oci/image-graph.js';
import { LIST_CAP } from '../packages/package-facts.js';
import { ownerParts, type Operation, type TableSpec } from '../packages/package-tables.js';
import { versionSchema } from '../packages/package-shapes.js';

// The image-graph tables, the same for each owner as the versions tables are: built from the
// owner's versions list (the API), whose every active container version's manifest is read from
// the container registry (container-graph.ts). Rows come once the whole graph is known.

interface GraphTableSpec extends TableSpec {
  /** The owner's versions list, as GitHub's description names it. */
  list: Operation;
}

const PACKAGE_NAME = { column: 'package_name', example: 'acme/app', description: 'The name of the container package.' };
const packageNameColumn: Column = { name: 'package_name', type: 'TEXT', from: { parameter: 'package_name' }, description: 'The container package. Required in WHERE.' };

/** The versions list, for container packages only. */
const versionsList = ([operationId, route]: Operation): Method => ({
  operationId,
  route,
  fixed: { package_type: 'container' },
  paginated: { maxItems: LIST_CAP, beyondMaxItems: 'Delete old versions first.' },
  notFoundIsEmpty: true,
});

/** The expand of a graph table: the package's graph, then the rows `pick` takes from it. */
const fromGraph =
  (ownerParameter: string | undefined, pick: (graph: ReturnType<typeof containerGraph>) => object[]) =>
  async (items: Item[], context: ExpandContext): Promise<Item[]> => {
    const packageName = context.params['package_name']!;
    const versions = await readGraphVersions(await registryOwner(ownerParameter, context.params, context), packageName, items, context);
    return pick(containerGraph(packageName, versions)) as Item[];
  };

/** A graph table: the columns of its rows, then the package and owner; rows are `pick` of the package's graph. */
function graphTable(spec: GraphTableSpec, columns: Column[], key: string[], pick: (graph: ReturnType<typeof containerGraph>) => object[]): Resource {
  const owner = ownerParts(spec.owner);
  return {
    table: spec.table,
    description: spec.description,
    columns: [...columns, packageNameColumn, ...owner.columns],
    key,
    parameters: [...owner.parameters, PACKAGE_NAME],
    methods: [versionsList(spec.list)],
    schema: versionSchema,
    expand: fromGraph(spec.owner?.name, pick),
    actions: [],
  };
}

/** One row per active version of a container package, with what its manifest says and which present images need it. */
export function containerManifestsTable(spec: GraphTableSpec): Resource {
  return graphTable(
    spec,
    [
      { name: 'id', type: 'INTEGER', description: 'The version id (as in the versions table).' },
      { name: 'name', type: 'TEXT', description: 'The manifest digest (sha256:…), the version name.' },
      { name: 'tags', type: 'JSON', description: 'The version tags (JSON array, [] when none).' },
      { name: 'kind', type: 'TEXT', description: 'index, image, attestation, signature, sbom or referrer.' },
      { name: 'media_type', type: 'TEXT', description: 'The manifest media type: OCI index or manifest, Docker manifest list or v2.' },
      { name: 'platform', type: 'TEXT', description: 'os/architecture[/variant] when an index lists it as a platform child, else NULL.' },
      { name: 'artifact_type', type: 'TEXT', description: "The manifest's artifactType (an OCI artifact, e.g. application/spdx+json), else NULL." },
      { name: 'subject', type: 'TEXT', description: 'The digest an OCI referrer (signature, SBOM, attestation) is about, else NULL.' },
      { name: 'size', type: 'INTEGER', description: 'The manifest size in bytes.' },
      { name: 'annotations', type: 'JSON', description: "The manifest's annotations (JSON object)." },
      {
        name: 'needed_by',
        type: 'JSON',
        description:
          "The present images that need it: a tagged one (acme/app:1.4) for all it reaches, an untagged one (acme/app@sha256:…) for its platform children and attestations; [] when none. json_array_length(tags) = 0 AND needed_by = '[]' is the safe set; deleting an untagged index frees what it needed.",
      },
      { name: 'created_at', type: 'TEXT', description: 'When the version was pushed (ISO 8601).' },
      { name: 'manifest', type: 'JSON', description: 'The whole manifest (JSON), as the registry holds it.' },
    ],
    ['id'],
    (graph) => graph.nodes,
  );
}

/** One row per (image, version it needs): children, attestations, referrers and cosign signatures, transitively. */
export function containerLinksTable(spec: GraphTableSpec): Resource {
  return graphTable(
    spec,
    [
      { name: 'image', type: 'TEXT', description: 'The version that needs another, by its first tag (acme/app:1.4), else by digest (acme/app@sha256:…).' },
      { name: 'image_id', type: 'INTEGER', description: 'Its version id.' },
      { name: 'image_digest', type: 'TEXT', description: 'Its digest.' },
      { name: 'image_tags', type: 'JSON', description: "Its tags (JSON array): json_array_length(image_tags) > 0 for tagged images." },
      { name: 'link', type: 'TEXT', description: 'child, attestation (buildx), referrer (OCI subject), cosign-signature, cosign-attestation or cosign-sbom.' },
      { name: 'platform', type: 'TEXT', description: 'The platform of a child, or of the child an attestation is about; else NULL.' },
      { name: 'digest', type: 'TEXT', description: 'The digest needed.' },
      { name: 'version_id', type: 'INTEGER', description: 'The version with that digest; NULL when none is active: the image is broken.' },
      { name: 'depth', type: 'INTEGER', description: '1 for what the image names itself, 2 for what those name, …' },
      { name: 'via', type: 'TEXT', description: 'The digest that names it: the image, or a version the image needs.' },
      { name: 'why', type: 'TEXT', description: 'The link in words: linux/arm64 child of acme/app:1.4.' },
    ],
    ['image_id', 'via', 'digest', 'link'],
    (graph) => graph.links,
  );
}
