import { GhsqlError } from '../../errors.js';
import type { Manifest } from '../../github/registry/registry-client.js';
import type { Item, ReadContext } from '../../table/types.js';
import { tagsOf } from '../packages/package-shapes.js';

// A container package's versions as a graph, from their manifests: an image index names its
// platform children and buildx attestations by digest, an OCI referrer names its image in `subject`,
// and cosign names a signature `sha256-<image hex>.sig` (.att, .sbom). Every present image keeps what
// it cannot be pulled without: its platform children and attestations, transitively, even untagged
// (a deployment may pin it by digest); a tagged image also keeps its referrers and signatures and
// everything they reach. A version no present image keeps is safe to delete.

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const INDEX_TYPES = new Set([OCI_INDEX, 'application/vnd.docker.distribution.manifest.list.v2+json']);
const IMAGE_TYPES = new Set([OCI_MANIFEST, 'application/vnd.docker.distribution.manifest.v2+json']);
/**
 * What a layer (or the artifact type) of a signature, attestation or SBOM is: cosign's simple signing
 * payload or a sigstore bundle, a DSSE envelope or in-toto statement, an SBOM document (cosign's SBOM spec).
 */
const PAYLOADS: ReadonlyArray<[RegExp, Payload]> = [
  [/^application\/vnd\.dev\.(cosign\.simplesigning|cosign\.artifact\.sig|sigstore\.bundle)\b/, 'signature'],
  [/^application\/vnd\.(dsse\.envelope|in-toto)\b/, 'attestation'],
  [/^(text\/spdx|application\/spdx|application\/vnd\.cyclonedx|application\/vnd\.syft)\b/, 'sbom'],
];
const COSIGN_TAG = /^sha256-([0-9a-f]{64})\.(sig|att|sbom)$/;
const COSIGN_LINKS = { sig: 'cosign-signature', att: 'cosign-attestation', sbom: 'cosign-sbom' } as const;

export type LinkKind = 'child' | 'attestation' | 'referrer' | (typeof COSIGN_LINKS)[keyof typeof COSIGN_LINKS];
export type ManifestKind = 'index' | 'image' | 'attestation' | 'signature' | 'sbom' | 'referrer';
/** What a manifest carries when it is not an image to run. */
type Payload = Extract<ManifestKind, 'signature' | 'attestation' | 'sbom'>;

/** One entry of an image index. */
interface Entry {
  digest: string;
  /** os/architecture[/variant]; undefined for buildx's unknown/unknown. */
  platform?: string;
  /** buildx's vnd.docker.reference.digest: the child an attestation is about. */
  attests?: string;
}

/** What the graph reads from a manifest. */
export interface ManifestFacts {
  mediaType: string;
  size: number;
  artifactType?: string;
  subject?: string;
  annotations: Record<string, string>;
  entries: Entry[];
  /** A signature, attestation or SBOM, when its layers or artifact type say so (not its tags, which anyone can set). */
  payload?: Payload;
  /** The manifest as JSON, for the `manifest` column. */
  json: Item;
  /** What it names by descriptor: its config and layers (the bytes it stores), an index's children. */
  blobs: BlobReference[];
}

/** A descriptor of a manifest: the `{container}_blobs` tables' rows. */
export interface BlobReference {
  /** config and layer are blobs; child is a manifest an index names (another version). */
  role: 'config' | 'layer' | 'child';
  /** Its place among the manifest's layers or children; 0 for the config. */
  position: number;
  digest: string;
  /** null when the descriptor gives none: sizes only count bytes, so they are not checked as strictly as what the graph needs. */
  size: number | null;
  mediaType: string | null;
  /** A child's os/architecture[/variant]; null otherwise and for buildx's unknown/unknown. */
  platform: string | null;
}

export interface GraphVersion {
  id: number;
  name: string;
  tags: string[];
  created_at: string;
  manifest: ManifestFacts;
}

/** One version a root needs, and how: `via` is the version that names it (the root, or one the root needs). */
export interface Link {
  image: string;
  image_id: number;
  image_digest: string;
  /** The image's tags but cosign's (see Node.image_tags). */
  image_tags: string[];
  via: string;
  link: LinkKind;
  platform: string | null;
  digest: string;
  /** null when no active version has the digest: the root is a broken image. */
  version_id: number | null;
  depth: number;
  why: string;
}

export interface Node {
  id: number;
  name: string;
  tags: string[];
  /** The tags but cosign's sha256-<hex>.sig/.att/.sbom: a signature's own tag does not make it a tagged image. */
  image_tags: string[];
  created_at: string;
  kind: ManifestKind;
  media_type: string;
  platform: string | null;
  artifact_type: string | null;
  subject: string | null;
  size: number;
  annotations: Record<string, string>;
  manifest: Item;
  /** The present images that keep it (ContainerGraph.keeping): not safe to delete while one of them is. */
  needed_by: string[];
}

export interface ContainerGraph {
  nodes: Node[];
  links: Link[];
  /**
   * The links that keep their version while their image is present: every link of a tagged image,
   * and of an untagged one those of its platform children and attestations (what it reaches through
   * `child` and `attestation` links alone).
   */
  keeping: Link[];
}

/**
 * How many links deep the graph follows from an image. Real images need 3 or 4 (an index, its
 * platform images, their attestations, signatures of those); nothing stops a registry from nesting
 * indexes thousands deep, and every image of such a chain would need every version below it.
 */
export const MAX_GRAPH_DEPTH = 16;

/** The links an image cannot be pulled without. */
const PULLED_WITH = new Set<LinkKind>(['child', 'attestation']);

/** Tags that name an image: not cosign's, which name the image they sign. */
export const imageTags = (tags: readonly string[]) => tags.filter((tag) => !COSIGN_TAG.test(tag));

/** How a message and the `image` column name a version: by its first image tag, else by digest. */
export function imageReference(packageName: string, version: Pick<GraphVersion, 'name' | 'tags'>): string {
  const [tag] = imageTags(version.tags);
  return tag === undefined ? `${packageName}@${version.name}` : `${packageName}:${tag}`;
}

/** The graph of one package's active versions, each with its manifest. */
export function containerGraph(packageName: string, versions: readonly GraphVersion[]): ContainerGraph {
  const byDigest = new Map(versions.map((version) => [version.name, version]));
  const referrers = groupBy(versions.filter((version) => version.manifest.subject), (version) => version.manifest.subject!);
  const cosigned = new Map<string, Array<{ version: GraphVersion; link: LinkKind }>>();
  for (const version of versions) {
    for (const tag of version.tags) {
      const match = COSIGN_TAG.exec(tag);
      if (match) push(cosigned, `sha256:${match[1]}`, { version, link: COSIGN_LINKS[match[2] as keyof typeof COSIGN_LINKS] });
    }
  }

  /** The versions that `from` names, one step away: worked out once per version, however many images reach it. */
  const steps = new Map<string, Step[]>();
  const named = (from: GraphVersion): Step[] => {
    const known = steps.get(from.name);
    if (known) return known;
    const platforms = new Map(from.manifest.entries.map((entry) => [entry.digest, entry.platform]));
    const found: Step[] = [
      ...from.manifest.entries.map((entry) =>
        entry.attests === undefined
          ? { digest: entry.digest, link: 'child' as const, platform: entry.platform ?? null }
          : { digest: entry.digest, link: 'attestation' as const, platform: platforms.get(entry.attests) ?? null },
      ),
      ...(referrers.get(from.name) ?? []).map((version) => ({ digest: version.name, link: 'referrer' as const, platform: null })),
      ...(cosigned.get(from.name) ?? []).map(({ version, link }) => ({ digest: version.name, link, platform: null })),
    ];
    steps.set(from.name, found);
    return found;
  };

  const links: Link[] = [];
  const keeping: Link[] = [];
  for (const root of versions) {
    const rootLinks: Link[] = [];
    const image = imageReference(packageName, root);
    const why = new Map<string, string>([[root.name, image]]);
    const seen = new Set<string>();
    // Breadth first, each version once: a link's depth is the fewest links from the root.
    const queue: Array<{ version: GraphVersion; depth: number }> = [{ version: root, depth: 0 }];
    for (let at = 0; at < queue.length; at++) {
      const next = queue[at]!;
      for (const step of named(next.version)) {
        const key = `${next.version.name} ${step.digest} ${step.link}`;
        if (seen.has(key) || step.digest === root.name) continue;
        seen.add(key);
        const reached = byDigest.get(step.digest);
        const text = `${describeLink(step.link, step.platform, reached)} of ${why.get(next.version.name)!}`;
        if (next.depth + 1 > MAX_GRAPH_DEPTH) throw tooDeep(packageName, image, step.digest, reached, next.depth + 1, text);
        rootLinks.push({
          image,
          image_id: root.id,
          image_digest: root.name,
          image_tags: imageTags(root.tags),
          via: next.version.name,
          link: step.link,
          platform: step.platform,
          digest: step.digest,
          version_id: reached?.id ?? null,
          depth: next.depth + 1,
          why: text,
        });
        if (reached && !why.has(reached.name)) {
          why.set(reached.name, text);
          queue.push({ version: reached, depth: next.depth + 1 });
        }
      }
    }
    links.push(...rootLinks);
    keeping.push(...(imageTags(root.tags).length > 0 ? rootLinks : pulledWith(root.name, rootLinks)));
  }

  const neededBy = new Map<number, Set<string>>();
  for (const link of keeping) {
    if (link.version_id === null) continue;
    if (!neededBy.has(link.version_id)) neededBy.set(link.version_id, new Set());
    neededBy.get(link.version_id)!.add(link.image);
  }
  const attestations = new Set(links.filter((link) => link.link === 'attestation').map((link) => link.version_id));
  const platformOf = new Map(links.filter((link) => link.link === 'child' && link.platform).map((link) => [link.digest, link.platform]));
  const nodes = versions.map((version): Node => {
    const { manifest } = version;
    return {
      id: version.id,
      name: version.name,
      tags: version.tags,
      image_tags: imageTags(version.tags),
      created_at: version.created_at,
      kind: kindOf(version, attestations.has(version.id)),
      media_type: manifest.mediaType,
      platform: platformOf.get(version.name) ?? null,
      artifact_type: manifest.artifactType ?? null,
      subject: manifest.subject ?? null,
      size: manifest.size,
      annotations: manifest.annotations,
      manifest: manifest.json,
      needed_by: [...(neededBy.get(version.id) ?? [])].sort(),
    };
  });
  return { nodes, links, keeping };
}

/** One link a version's manifest (or a referrer's subject, or a cosign tag) makes to another version. */
interface Step {
  digest: string;
  link: LinkKind;
  platform: string | null;
}

function tooDeep(packageName: string, image: string, digest: string, reached: GraphVersion | undefined, depth: number, why: string): GhsqlError {
  const version = reached ? `version ${reached.id} (${digest})` : digest;
  return new GhsqlError(
    'BAD_RESPONSE',
    `${packageName}'s manifests nest deeper than ghsql follows: ${image} reaches ${version} only through ${depth} links (${why}), and ghsql follows at most ${MAX_GRAPH_DEPTH} (an image, its platform images, their attestations and signatures are 3 or 4). ` +
      `It gives no graph rather than part of one, so it cannot check a delete in ${packageName} either; look at that index with docker buildx imagetools inspect.`,
  );
}

/** Of one root's links, those it reaches through child and attestation links alone. */
function pulledWith(root: string, rootLinks: readonly Link[]): Link[] {
  const pulled = rootLinks.filter((link) => PULLED_WITH.has(link.link));
  const from = groupBy(pulled, (link) => link.via);
  const reached = new Set([root]);
  // Each version once: a link may come before the link that reaches its `via` this way.
  for (const pending = [root]; pending.length > 0; ) {
    for (const link of from.get(pending.pop()!) ?? []) {
      if (!reached.has(link.digest)) {
        reached.add(link.digest);
        pending.push(link.digest);
      }
    }
  }
  return pulled.filter((link) => reached.has(link.via));
}

function describeLink(link: LinkKind, platform: string | null, reached: GraphVersion | undefined): string {
  switch (link) {
    case 'child':
      return `${platform ? `${platform} ` : ''}child`;
    case 'attestation':
      return `${platform ? `${platform} ` : ''}attestation`;
    case 'referrer':
      return `referrer${reached?.manifest.artifactType ? ` (${reached.manifest.artifactType})` : ''}`;
    default:
      return link.replace('-', ' ').replace('sbom', 'SBOM');
  }
}

/** What a version is, by its manifest and how an index lists it; a cosign-form tag names what it signs, not what it is. */
function kindOf(version: GraphVersion, listedAsAttestation: boolean): ManifestKind {
  if (INDEX_TYPES.has(version.manifest.mediaType)) return 'index';
  if (listedAsAttestation) return 'attestation';
  if (version.manifest.subject) return 'referrer';
  return version.manifest.payload ?? 'image';
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function groupBy<V>(values: readonly V[], key: (value: V) => string): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const value of values) push(groups, key(value), value);
  return groups;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** What the graph needs of a manifest, checked: a field that is not what the OCI spec says fails, naming it. */
export function manifestFacts(manifest: Manifest): ManifestFacts {
  const fail = (field: string, what: string): never => {
    throw new GhsqlError('BAD_RESPONSE', `the registry's manifest ${manifest.digest} does not match the OCI image spec at ${field}: ${what}.`);
  };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(manifest.bytes));
  } catch {
    fail('the body', 'it is not JSON');
  }
  if (!isObject(json)) return fail('the body', 'it is not a JSON object');
  const mediaType = optionalString(json, 'mediaType', fail) ?? mediaTypeOfShape(json, manifest.mediaType);
  const annotations = stringRecord(json['annotations'], 'annotations', fail);
  const subject = json['subject'] === undefined ? undefined : isObject(json['subject']) ? digestAt(json['subject'], 'subject.digest', fail) : fail('subject', 'not an object');
  const rawEntries = json['manifests'];
  if (rawEntries !== undefined && !Array.isArray(rawEntries)) fail('manifests', 'not an array');
  const entries = ((rawEntries as unknown[] | undefined) ?? []).map((entry, index): Entry => {
    const at = `manifests.${index}`;
    if (!isObject(entry)) return fail(at, 'not an object');
    const digest = digestAt(entry, `${at}.digest`, fail);
    const entryAnnotations = stringRecord(entry['annotations'], `${at}.annotations`, fail);
    const attests = entryAnnotations['vnd.docker.reference.type'] === 'attestation-manifest' ? entryAnnotations['vnd.docker.reference.digest'] : undefined;
    return { digest, ...platformOf(entry['platform'], `${at}.platform`, fail), ...(attests ? { attests } : {}) };
  });
  const artifactType = optionalString(json, 'artifactType', fail);
  const payload = payloadOf(json, artifactType);
  return { mediaType, size: manifest.bytes.length, ...(artifactType ? { artifactType } : {}), ...(subject ? { subject } : {}), annotations, entries, ...(payload ? { payload } : {}), json, blobs: blobReferences(json, entries) };
}

/**
 * The media type of a body that names none (the OCI spec makes it optional), by its shape: a
 * `manifests` array is an index, `config` and `layers` an image. The Content-Type is kept when it
 * names that kind (OCI's or Docker's), as a proxy may send another, or none.
 */
function mediaTypeOfShape(json: Item, contentType: string): string {
  if (Array.isArray(json['manifests'])) return INDEX_TYPES.has(contentType) ? contentType : OCI_INDEX;
  if (isObject(json['config']) && Array.isArray(json['layers'])) return IMAGE_TYPES.has(contentType) ? contentType : OCI_MANIFEST;
  return contentType;
}

/** What the artifact type, config media type or a layer's media type says the manifest carries, if one of PAYLOADS. */
function payloadOf(json: Item, artifactType: string | undefined): Payload | undefined {
  const config = json['config'];
  const layers = Array.isArray(json['layers']) ? (json['layers'] as unknown[]) : [];
  const types = [artifactType, isObject(config) ? config['mediaType'] : undefined, ...layers.map((layer) => (isObject(layer) ? layer['mediaType'] : undefined))];
  for (const type of types) {
    if (typeof type !== 'string') continue;
    const found = PAYLOADS.find(([pattern]) => pattern.test(type));
    if (found) return found[1];
  }
  return undefined;
}

/**
 * The config, layers and children a manifest names, each with the size and media type its
 * descriptor gives. A layer or config without a string digest is skipped; children are the entries
 * the graph already checked.
 */
function blobReferences(json: Item, entries: readonly Entry[]): BlobReference[] {
  const described = (role: BlobReference['role'], position: number, value: unknown, platform: string | null): BlobReference[] => {
    if (!isObject(value) || typeof value['digest'] !== 'string') return [];
    const size = value['size'];
    const mediaType = value['mediaType'];
    return [
      {
        role,
        position,
        digest: value['digest'],
        size: typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : null,
        mediaType: typeof mediaType === 'string' ? mediaType : null,
        platform,
      },
    ];
  };
  const layers = Array.isArray(json['layers']) ? (json['layers'] as unknown[]) : [];
  const children = (json['manifests'] as unknown[] | undefined) ?? [];
  return [
    ...described('config', 0, json['config'], null),
    ...layers.flatMap((layer, position) => described('layer', position, layer, null)),
    ...children.flatMap((child, position) => described('child', position, child, entries[position]?.platform ?? null)),
  ];
}

type Fail = (field: string, what: string) => never;

function isObject(value: unknown): value is Item {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(object: Item, field: string, fail: Fail): string | undefined {
  const value = object[field];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : fail(field, 'not a string');
}

function digestAt(object: Item, field: string, fail: Fail): string {
  const value = object['digest'];
  return typeof value === 'string' && DIGEST.test(value) ? value : fail(field, 'not a sha256 digest');
}

function stringRecord(value: unknown, field: string, fail: Fail): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value) || Object.values(value).some((entry) => typeof entry !== 'string')) return fail(field, 'not an object of strings');
  return value as Record<string, string>;
}

function platformOf(value: unknown, field: string, fail: Fail): { platform?: string } {
  if (value === undefined) return {};
  if (!isObject(value) || typeof value['os'] !== 'string' || typeof value['architecture'] !== 'string') return fail(field, 'not an os and architecture');
  const { os, architecture, variant } = value as { os: string; architecture: string; variant?: unknown };
  if (os === 'unknown' && architecture === 'unknown') return {};
  return { platform: [os, architecture, ...(typeof variant === 'string' && variant !== '' ? [variant] : [])].join('/') };
}

/**
 * A package's versions (the API's list items) with their manifests from the registry, a few at a
 * time. A version listed twice, or without its tags, or that the registry has no manifest for fails
 * the read: a graph missing an index would call its children safe to delete.
 */
export function readGraphVersions(owner: string, packageName: string, items: readonly Item[], context: ReadContext): Promise<GraphVersion[]> {
  const listed = new Set<unknown>();
  for (const item of items) {
    if (listed.has(item['id'])) {
      throw new GhsqlError('LIST_CHANGED', `GitHub's list of ${owner}/${packageName}'s versions gave version ${String(item['id'])} twice: it changed while it was read. Run the statement again.`);
    }
    listed.add(item['id']);
    if (!Array.isArray((item['metadata'] as { container?: { tags?: unknown } } | undefined)?.container?.tags)) {
      throw new GhsqlError(
        'BAD_RESPONSE',
        `GitHub's list of ${owner}/${packageName}'s versions gives version ${String(item['id'])} without its tags (metadata.container.tags); without them ghsql cannot tell which images are tagged, so it gives no graph. Try again in a minute.`,
      );
    }
  }
  return inParallel(items, context.concurrency, async (item): Promise<GraphVersion> => {
    const name = String(item['name']);
    const manifest = await context.registry.manifest(owner, packageName, name, context.signal);
    if (!manifest) {
      throw new GhsqlError(
        'BAD_RESPONSE',
        `the registry has no manifest for ${owner}/${packageName} version ${String(item['id'])} (${name}), which the API lists; without it ghsql cannot tell what that version needs, so it gives no graph. Try again in a minute.`,
      );
    }
    return { id: Number(item['id']), name, tags: tagsOf(item), created_at: String(item['created_at']), manifest: manifestFacts(manifest) };
  });
}

/** `work` for each value, at most `limit` at once; results in the values' order. */
async function inParallel<V, R>(values: readonly V[], limit: number, work: (value: V) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(values.length);
  let next = 0;
  const worker = async () => {
    while (next < values.length) {
      const index = next++;
      results[index] = await work(values[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, values.length) }, worker));
  return results;
}

/**
 * Whose repository a container package is on the registry: the {org} or {username} of the table,
 * else (the /user/… tables) the token user's login.
 */
export function registryOwner(ownerParameter: string | undefined, values: Readonly<Record<string, string>>, context: ReadContext): Promise<string> {
  const named = ownerParameter === undefined ? undefined : values[ownerParameter];
  return named === undefined ? context.registry.login(context.signal) : Promise.resolve(named);
}
