// Container manifests as the registry stores them: the exact bytes whose sha256 is a version's name.
// Generated container versions are single-platform OCI images (generatedManifest); a package marked
// `image_graph` gets a hand-built set instead: the shapes cleanup tools break (imageGraphPlan: a
// multi-arch image with buildx attestations, cosign signatures, an OCI referrer, a broken index), or
// a team's release history with every kind of tag (releasesPlan).

import { createHash } from 'node:crypto';

/** A manifest as pushed: its media type and the JSON text, byte for byte. */
export interface StoredManifest {
  mediaType: string;
  body: string;
}

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  inToto: 'application/vnd.in-toto+json',
  cosignSignature: 'application/vnd.dev.cosign.simplesigning.v1+json',
  dsse: 'application/vnd.dsse.envelope.v1+json',
  spdx: 'application/spdx+json',
} as const;

export function digestOf(body: string): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

/** A stable blob digest for a seed: config and layer blobs the registry would hold. */
const blob = (seed: string) => digestOf(`blob:${seed}`);

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string; variant?: string };
  annotations?: Record<string, string>;
  artifactType?: string;
}

const describe = (manifest: StoredManifest, extra: Partial<Descriptor> = {}): Descriptor => ({
  mediaType: manifest.mediaType,
  digest: digestOf(manifest.body),
  size: Buffer.byteLength(manifest.body),
  ...extra,
});

/** An OCI image manifest with one layer; compact JSON, as buildx pushes it. */
export function ociImage(seed: string, extra: object = {}): StoredManifest {
  const body = {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: { mediaType: MEDIA.ociConfig, digest: blob(`config:${seed}`), size: 1_469 },
    layers: [{ mediaType: MEDIA.ociLayer, digest: blob(`layer:${seed}`), size: 3_208_942 }],
    ...extra,
  };
  return { mediaType: MEDIA.ociManifest, body: JSON.stringify(body) };
}

/** A Docker v2 manifest, indented by three spaces as `docker push` writes it: the bytes are hashed, not the JSON. */
function dockerImage(seed: string): StoredManifest {
  const body = {
    schemaVersion: 2,
    mediaType: MEDIA.dockerManifest,
    config: { mediaType: MEDIA.dockerConfig, size: 1_512, digest: blob(`config:${seed}`) },
    layers: [{ mediaType: MEDIA.dockerLayer, size: 2_811_478, digest: blob(`layer:${seed}`) }],
  };
  return { mediaType: MEDIA.dockerManifest, body: JSON.stringify(body, null, 3) };
}

function index(mediaType: typeof MEDIA.ociIndex | typeof MEDIA.dockerList, manifests: Descriptor[]): StoredManifest {
  const body = { schemaVersion: 2, mediaType, manifests };
  // Docker's tools write manifest lists indented, buildx writes OCI indexes compact.
  return { mediaType, body: mediaType === MEDIA.dockerList ? JSON.stringify(body, null, 3) : JSON.stringify(body) };
}

/** buildx's attestation manifest for one platform image: an in-toto SBOM and provenance, no platform of its own. */
export function buildxAttestation(seed: string): StoredManifest {
  const layer = (kind: string) => ({
    mediaType: MEDIA.inToto,
    digest: blob(`${kind}:${seed}`),
    size: 8_412,
    annotations: { 'in-toto.io/predicate-type': kind === 'sbom' ? 'https://spdx.dev/Document' : 'https://slsa.dev/provenance/v0.2' },
  });
  return ociImage(`attestation:${seed}`, { layers: [layer('sbom'), layer('provenance')] });
}

/** cosign's signature (`.sig`) or attestation (`.att`) manifest for the image it signs. */
export function cosignManifest(kind: 'sig' | 'att', seed: string): StoredManifest {
  const layer =
    kind === 'sig'
      ? { mediaType: MEDIA.cosignSignature, digest: blob(`sig:${seed}`), size: 252, annotations: { 'dev.cosignproject.cosign/signature': 'MEUCIQDx…' } }
      : { mediaType: MEDIA.dsse, digest: blob(`att:${seed}`), size: 9_221, annotations: { predicateType: 'https://slsa.dev/provenance/v1' } };
  return ociImage(`cosign-${kind}:${seed}`, { layers: [layer] });
}

/** The tag cosign gives a signature (`sig`) or attestation (`att`) of `image`: sha256-<hex>.sig. */
export function cosignTag(image: StoredManifest, kind: 'sig' | 'att'): string {
  return `${digestOf(image.body).replace(':', '-')}.${kind}`;
}

/** An OCI 1.1 referrer: an SBOM whose `subject` names the image it describes. */
export function sbomReferrer(seed: string, image: StoredManifest): StoredManifest {
  const subject = describe(image);
  const body = {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    artifactType: MEDIA.spdx,
    config: { mediaType: MEDIA.ociEmpty, digest: digestOf('{}'), size: 2 },
    layers: [{ mediaType: MEDIA.spdx, digest: blob(`spdx:${seed}`), size: 48_112 }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: { 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' },
  };
  return { mediaType: MEDIA.ociManifest, body: JSON.stringify(body) };
}

/** The manifest of the `sequence`-th generated version of a package: a single-platform OCI image. */
export function generatedManifest(packageId: number, sequence: number): StoredManifest {
  return ociImage(`${packageId}:${sequence}`);
}

const platform = (os: string, architecture: string, variant?: string) => ({ os, architecture, ...(variant ? { variant } : {}) });

/** An entry of ociIndex(): a platform image ('linux/arm/v7'), or buildx's attestation of one. */
export type IndexEntry = { manifest: StoredManifest; platform: string } | { manifest: StoredManifest; attests: StoredManifest };

/** An OCI index as buildx pushes it: platform images, then their attestations. */
export function ociIndex(entries: readonly IndexEntry[]): StoredManifest {
  return index(
    MEDIA.ociIndex,
    entries.map((entry) => {
      if ('attests' in entry) return describe(entry.manifest, attestationOf(describe(entry.attests)));
      const [os = '', architecture = '', variant] = entry.platform.split('/');
      return describe(entry.manifest, { platform: platform(os, architecture, variant) });
    }),
  );
}
const attestationOf = (child: Descriptor): Partial<Descriptor> => ({
  platform: { architecture: 'unknown', os: 'unknown' },
  annotations: { 'vnd.docker.reference.digest': child.digest, 'vnd.docker.reference.type': 'attestation-manifest' },
});

/** One version of the set: its manifest, tags and push; deleted ones are gone from the registry too. */
export interface Planned {
  /** What it is, for tests and for reading the plan: '1.4 linux/arm64', 'orphan'. */
  label: string;
  manifest: StoredManifest;
  tags?: string[];
  /** Days before the newest push (1.4's), which is at the package's updated_at. */
  daysBeforeNewest: number;
  deletedDaysAgo?: number;
}

/**
 * The image graph of one package, oldest push first (ids follow). Digests differ per package, as
 * every blob is seeded with the package id. Of its 18 active versions, the tagged images need:
 * - 1.4, latest: an OCI index of linux/amd64, linux/arm64 and linux/arm/v7 with a buildx attestation
 *   for each, and an SBOM referrer whose subject is the index;
 * - 1.3: a single-platform OCI image signed with cosign (`sha256-<hex>.sig` and `.att`);
 * - 1.2: a single-platform Docker v2 image;
 * - 1.1: a Docker manifest list whose linux/arm64 child was deleted: a broken image.
 * No tagged image needs the orphaned untagged build nor the untagged index 1.0 left behind when its
 * tag was reused, with its two children: those four are the safe set.
 */
export function imageGraphPlan(packageId: number): Planned[] {
  const seed = (name: string) => `${packageId}:${name}`;
  // The untagged leftovers of an earlier 1.0, and an orphaned build.
  const oldAmd64 = ociImage(seed('1.0-amd64'));
  const oldArm64 = ociImage(seed('1.0-arm64'));
  const oldIndex = ociIndex([
    { manifest: oldAmd64, platform: 'linux/amd64' },
    { manifest: oldArm64, platform: 'linux/arm64' },
  ]);
  const orphan = ociImage(seed('orphan'));
  // 1.1, broken: its arm64 child is deleted.
  const brokenAmd64 = dockerImage(seed('1.1-amd64'));
  const brokenArm64 = dockerImage(seed('1.1-arm64'));
  const broken = index(MEDIA.dockerList, [describe(brokenAmd64, { platform: platform('linux', 'amd64') }), describe(brokenArm64, { platform: platform('linux', 'arm64', 'v8') })]);
  // 1.2 single-platform Docker; 1.3 single-platform OCI, signed with cosign.
  const single = dockerImage(seed('1.2'));
  const signed = ociImage(seed('1.3'));
  // 1.4, multi-arch with attestations and an SBOM referrer.
  const children = [
    { manifest: ociImage(seed('1.4-amd64')), platform: 'linux/amd64' },
    { manifest: ociImage(seed('1.4-arm64')), platform: 'linux/arm64' },
    { manifest: ociImage(seed('1.4-armv7')), platform: 'linux/arm/v7' },
  ];
  const attestations = children.map((child) => ({ manifest: buildxAttestation(seed(`1.4-${child.platform.split('/').slice(1).join('')}`)), attests: child.manifest, child }));
  const multiArch = ociIndex([...children, ...attestations]);
  const sbom = sbomReferrer(seed('1.4'), multiArch);

  return [
    { label: '1.0 linux/amd64', manifest: oldAmd64, daysBeforeNewest: 290 },
    { label: '1.0 linux/arm64', manifest: oldArm64, daysBeforeNewest: 290 },
    { label: '1.0 index', manifest: oldIndex, daysBeforeNewest: 290 },
    { label: '1.1 linux/amd64', manifest: brokenAmd64, daysBeforeNewest: 200 },
    { label: '1.1 linux/arm64/v8', manifest: brokenArm64, daysBeforeNewest: 200, deletedDaysAgo: 20 },
    { label: '1.1', manifest: broken, tags: ['1.1'], daysBeforeNewest: 200 },
    { label: 'orphan', manifest: orphan, daysBeforeNewest: 150 },
    { label: '1.2', manifest: single, tags: ['1.2'], daysBeforeNewest: 100 },
    { label: '1.3', manifest: signed, tags: ['1.3'], daysBeforeNewest: 50 },
    { label: '1.3 signature', manifest: cosignManifest('sig', seed('1.3')), tags: [cosignTag(signed, 'sig')], daysBeforeNewest: 50 },
    { label: '1.3 attestation', manifest: cosignManifest('att', seed('1.3')), tags: [cosignTag(signed, 'att')], daysBeforeNewest: 50 },
    ...children.map((child) => ({ label: `1.4 ${child.platform}`, manifest: child.manifest, daysBeforeNewest: 0 })),
    ...attestations.map((attestation) => ({ label: `1.4 ${attestation.child.platform} attestation`, manifest: attestation.manifest, daysBeforeNewest: 0 })),
    { label: '1.4', manifest: multiArch, tags: ['1.4', 'latest'], daysBeforeNewest: 0 },
    { label: '1.4 sbom', manifest: sbom, daysBeforeNewest: 0 },
  ];
}

/** A layer's size from its seed: between 0.5 and 12 MB, as application layers are. */
const layerSize = (seed: string) => 500_000 + (parseInt(digestOf(seed).slice(7, 15), 16) % 11_500_000);

/** Layers every build of releasesPlan() shares: a Debian slim base and a language runtime. */
const SHARED_LAYERS = [
  { mediaType: MEDIA.ociLayer, digest: blob('layer:debian-slim'), size: 29_124_615 },
  { mediaType: MEDIA.ociLayer, digest: blob('layer:node-runtime'), size: 41_802_330 },
];

/** A build as CI pushes it: the shared base layers, then its own application layer and config, each with its own size. */
function build(seed: string): StoredManifest {
  return ociImage(seed, {
    config: { mediaType: MEDIA.ociConfig, digest: blob(`config:${seed}`), size: 1_200 + (layerSize(`config:${seed}`) % 4_000) },
    layers: [...SHARED_LAYERS, { mediaType: MEDIA.ociLayer, digest: blob(`layer:${seed}`), size: layerSize(seed) }],
  });
}

/**
 * A package as a team's CI leaves it, for trying every cleanup rule: releases (1.8.0 … 2.1.0, `latest`),
 * release candidates (2.0.0-rc.1, -rc.2), pull-request builds (pr-118 three months old, pr-123
 * recent), `dev`, old and new untagged builds; a ghost image (1.8.0: an index whose children were
 * deleted so long ago that GitHub no longer lists them) and a partial one (1.9.0: its linux/arm64
 * child deleted); cosign signatures of 2.0.0 and
 * 2.1.0, and an orphaned signature and attestation whose image (1.7.0) was deleted. Every build
 * shares two base layers (70.9 MB) and has its own application layer, so deleting a build frees only
 * its own layer and config.
 */
export function releasesPlan(packageId: number): Planned[] {
  const seed = (name: string) => `${packageId}:releases:${name}`;
  const multiArch = (name: string) => {
    const children = [
      { manifest: build(seed(`${name}-amd64`)), platform: 'linux/amd64' },
      { manifest: build(seed(`${name}-arm64`)), platform: 'linux/arm64' },
    ];
    return { children, index: ociIndex(children) };
  };
  const ghost = multiArch('1.8.0');
  const partial = multiArch('1.9.0');
  const gone = build(seed('1.7.0'));
  const v200 = build(seed('2.0.0'));
  const v210 = build(seed('2.1.0'));
  const signatures = (image: StoredManifest, label: string, daysBeforeNewest: number, deletedDaysAgo?: number): Planned[] =>
    (['sig', 'att'] as const).map((kind) => ({
      label: `${label} ${kind === 'sig' ? 'signature' : 'attestation'}`,
      manifest: cosignManifest(kind, seed(label)),
      tags: [cosignTag(image, kind)],
      daysBeforeNewest,
      ...(deletedDaysAgo === undefined ? {} : { deletedDaysAgo }),
    }));
  return [
    { label: 'old build 1', manifest: build(seed('old-1')), daysBeforeNewest: 420 },
    { label: 'old build 2', manifest: build(seed('old-2')), daysBeforeNewest: 400 },
    { label: '1.7.0', manifest: gone, tags: ['1.7.0'], daysBeforeNewest: 300, deletedDaysAgo: 40 },
    ...signatures(gone, '1.7.0', 300),
    { label: '1.8.0', manifest: ghost.index, tags: ['1.8.0'], daysBeforeNewest: 250 },
    { label: '1.9.0 linux/amd64', manifest: partial.children[0]!.manifest, daysBeforeNewest: 200 },
    { label: '1.9.0 linux/arm64', manifest: partial.children[1]!.manifest, daysBeforeNewest: 200, deletedDaysAgo: 25 },
    { label: '1.9.0', manifest: partial.index, tags: ['1.9.0'], daysBeforeNewest: 200 },
    { label: '2.0.0-rc.1', manifest: build(seed('2.0.0-rc.1')), tags: ['2.0.0-rc.1'], daysBeforeNewest: 160 },
    { label: '2.0.0-rc.2', manifest: build(seed('2.0.0-rc.2')), tags: ['2.0.0-rc.2'], daysBeforeNewest: 150 },
    { label: 'untagged build', manifest: build(seed('untagged-140')), daysBeforeNewest: 140 },
    { label: '2.0.0', manifest: v200, tags: ['2.0.0', 'v2.0'], daysBeforeNewest: 120 },
    ...signatures(v200, '2.0.0', 120),
    { label: 'pr-118', manifest: build(seed('pr-118')), tags: ['pr-118'], daysBeforeNewest: 95 },
    { label: '2.1.0', manifest: v210, tags: ['2.1.0', 'v2.1', 'latest'], daysBeforeNewest: 10 },
    ...signatures(v210, '2.1.0', 10),
    { label: 'pr-123', manifest: build(seed('pr-123')), tags: ['pr-123'], daysBeforeNewest: 3 },
    { label: 'dev', manifest: build(seed('dev')), tags: ['dev'], daysBeforeNewest: 1 },
    { label: 'new build 1', manifest: build(seed('new-1')), daysBeforeNewest: 0.5 },
    { label: 'new build 2', manifest: build(seed('new-2')), daysBeforeNewest: 0 },
  ];
}

/** The hand-built image graphs, by the name a package's `image_graph` gives. */
export const IMAGE_GRAPHS = { app: imageGraphPlan, releases: releasesPlan } as const;
export type ImageGraphName = keyof typeof IMAGE_GRAPHS;

/** Active versions of an image graph: what a catalogue entry with it has as version_count. */
export const activeVersionsOf = (name: ImageGraphName) => IMAGE_GRAPHS[name](0).filter((planned) => planned.deletedDaysAgo === undefined).length;

/** Active versions in imageGraphPlan(). */
export const IMAGE_GRAPH_VERSIONS = activeVersionsOf('app');
