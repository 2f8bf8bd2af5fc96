import type { Column, ExpandContext, Item, Method, Resource } from '../../table/types.js';
import { containerGraph, imageTags, readGraphVersions, registryOwner, type GraphVersion } from '../oci/image-graph.js';
import { IMAGE_TAGS_COLUMN } from './image-tags.js';
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

/** What a graph table's rows are made from: the package's versions, each with its manifest. */
type Pick = (packageName: string, versions: GraphVersion[]) => object[];

/** The expand of a graph table: the package's versions with their manifests, then the rows `pick` makes of them. */
const fromGraph =
  (ownerParameter: string | undefined, pick: Pick) =>
  async (items: Item[], context: ExpandContext): Promise<Item[]> => {
    const packageName = context.params['package_name']!;
    const versions = await readGraphVersions(await registryOwner(ownerParameter, context.params, context), packageName, items, context);
    return pick(packageName, versions) as Item[];
  };

/** A graph table: the columns of its rows, then the package and owner; rows are `pick` of the package's versions. */
function graphTable(spec: GraphTableSpec, columns: Column[], key: string[], pick: Pick): Resource {
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
      IMAGE_TAGS_COLUMN,
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
    (packageName, versions) => containerGraph(packageName, versions).nodes,
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
      { ...IMAGE_TAGS_COLUMN, description: "The image's tags but cosign's sha256-<hex>.sig/.att/.sbom (JSON array): json_array_length(image_tags) > 0 for tagged images." },
      { name: 'link', type: 'TEXT', description: 'child, attestation (buildx), referrer (OCI subject), cosign-signature, cosign-attestation or cosign-sbom.' },
      { name: 'platform', type: 'TEXT', description: 'The platform of a child, or of the child an attestation is about; else NULL.' },
      { name: 'digest', type: 'TEXT', description: 'The digest needed.' },
      { name: 'version_id', type: 'INTEGER', description: 'The version with that digest; NULL when none is active: the image is broken.' },
      { name: 'depth', type: 'INTEGER', description: '1 for what the image names itself, 2 for what those name, …' },
      { name: 'via', type: 'TEXT', description: 'The digest that names it: the image, or a version the image needs.' },
      { name: 'why', type: 'TEXT', description: 'The link in words: linux/arm64 child of acme/app:1.4.' },
    ],
    ['image_id', 'via', 'digest', 'link'],
    (packageName, versions) => containerGraph(packageName, versions).links,
  );
}

/**
 * One row per descriptor in each active version's manifest: its config and layers (the blobs it
 * stores, with their sizes) and an index's children. Blobs are shared between versions, so bytes
 * are summed over DISTINCT digests.
 */
export function containerBlobsTable(spec: GraphTableSpec): Resource {
  return graphTable(
    spec,
    [
      { name: 'id', type: 'INTEGER', description: 'The version id (as in the versions table) whose manifest names it.' },
      { name: 'name', type: 'TEXT', description: "That version's manifest digest (sha256:…)." },
      IMAGE_TAGS_COLUMN,
      { name: 'role', type: 'TEXT', description: "config or layer (a blob the registry stores), or child (an index's platform image or attestation: another version, by reference)." },
      { name: 'position', type: 'INTEGER', description: 'Its place among the layers or the children (from 0); 0 for the config.' },
      { name: 'digest', type: 'TEXT', description: 'The blob or child manifest digest (sha256:…).' },
      { name: 'size', type: 'INTEGER', description: 'Its size in bytes, as the descriptor gives it; NULL when it gives none.' },
      { name: 'media_type', type: 'TEXT', description: 'Its media type, as the descriptor gives it.' },
      { name: 'platform', type: 'TEXT', description: "A child's os/architecture[/variant], else NULL." },
    ],
    ['id', 'role', 'position'],
    (_packageName, versions) =>
      versions.flatMap((version) =>
        version.manifest.blobs.map((blob) => ({
          id: version.id,
          name: version.name,
          image_tags: imageTags(version.tags),
          role: blob.role,
          position: blob.position,
          digest: blob.digest,
          size: blob.size,
          media_type: blob.mediaType,
          platform: blob.platform,
        })),
      ),
  );
}
