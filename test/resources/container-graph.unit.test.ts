// The graph computed from manifests, on shapes the demo does not have: nested indexes, referrers of
// a child, an index naming a digest twice, a tagged child of another tagged image, manifests that
// break the OCI spec, and indexes nested thousands deep.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { containerGraph, MAX_GRAPH_DEPTH, manifestFacts, type GraphVersion } from '../../dist/tables/oci/image-graph.js';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

let nextId = 1;
/** A version whose manifest is `body`; its name is the sha256 of the bytes, as on the registry. */
function version(body: object, tags: string[] = []): GraphVersion {
  const bytes = Buffer.from(JSON.stringify(body));
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  return { id: nextId++, name: digest, tags, created_at: '2026-01-01T00:00:00Z', manifest: manifestFacts({ digest, mediaType: OCI_MANIFEST, bytes }) };
}

const image = (seed: string, extra: object = {}) => version({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { digest: seed }, ...extra });
/** cosign's signature, attestation or SBOM manifest: an OCI image whose one layer is the payload. */
const COSIGN_PAYLOAD = { sig: 'application/vnd.dev.cosign.simplesigning.v1+json', att: 'application/vnd.dsse.envelope.v1+json', sbom: 'text/spdx+json' };
const cosign = (seed: string, kind: keyof typeof COSIGN_PAYLOAD) => image(seed, { layers: [{ mediaType: COSIGN_PAYLOAD[kind], digest: `sha256:${'c'.repeat(64)}`, size: 1 }] });
const entry = (child: GraphVersion, platform?: object) => ({ mediaType: child.manifest.mediaType, digest: child.name, size: child.manifest.size, ...(platform ? { platform } : {}) });
const index = (entries: object[], tags: string[] = []) => version({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: entries }, tags);

describe('the container graph', () => {
  it('follows nested indexes and referrers of children, saying how each is reached', () => {
    const arm = image('arm');
    const inner = index([entry(arm, { os: 'linux', architecture: 'arm64' })]);
    const outer = index([entry(inner), entry(inner)], ['2.0']);
    const sbom = image('sbom', { artifactType: 'application/spdx+json', subject: { mediaType: OCI_MANIFEST, digest: arm.name, size: 1 } });
    const { links, nodes } = containerGraph('o/app', [arm, inner, outer, sbom]);
    const fromOuter = links.filter((link) => link.image === 'o/app:2.0');
    // The inner index is named twice by the outer one: one link.
    expect(fromOuter.map((link) => [link.link, link.depth, link.why])).toEqual([
      ['child', 1, 'child of o/app:2.0'],
      ['child', 2, 'linux/arm64 child of child of o/app:2.0'],
      ['referrer', 3, 'referrer (application/spdx+json) of linux/arm64 child of child of o/app:2.0'],
    ]);
    expect(nodes.find((node) => node.id === sbom.id)).toMatchObject({ kind: 'referrer', needed_by: ['o/app:2.0'] });
    // An untagged index is a root too: it keeps its platform child (named by digest), not the child's referrer.
    expect(links.filter((link) => link.image_id === inner.id)).toHaveLength(2);
    expect(nodes.find((node) => node.id === arm.id)!.needed_by).toEqual(['o/app:2.0', `o/app@${inner.name}`]);
  });

  it('keeps what an untagged image is pulled with (children and attestations, transitively), not its referrers and signatures', () => {
    const arm = image('arm');
    const attestation = image('attestation of arm');
    const inner = index([
      entry(arm, { os: 'linux', architecture: 'arm64' }),
      { ...entry(attestation, { os: 'unknown', architecture: 'unknown' }), annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': arm.name } },
    ]);
    const outer = index([entry(inner)]);
    const sbom = image('sbom', { subject: { mediaType: OCI_INDEX, digest: outer.name, size: 1 } });
    const signature = { ...image('signature'), tags: [`sha256-${outer.name.slice('sha256:'.length)}.sig`] };
    const { keeping, nodes } = containerGraph('o/app', [arm, attestation, inner, outer, sbom, signature]);
    const pinned = `o/app@${outer.name}`;
    expect(keeping.filter((link) => link.image === pinned).map((link) => [link.link, link.version_id])).toEqual([
      ['child', inner.id],
      ['child', arm.id],
      ['attestation', attestation.id],
    ]);
    expect(nodes.find((node) => node.id === attestation.id)!.needed_by).toEqual([pinned, `o/app@${inner.name}`].sort());
    for (const free of [sbom, signature]) expect(nodes.find((node) => node.id === free.id)!.needed_by).toEqual([]);
    // Tagged, it keeps its referrer and its signature too.
    const tagged = containerGraph('o/app', [arm, attestation, inner, { ...outer, tags: ['3.0'] }, sbom, signature]);
    for (const kept of [sbom, signature]) expect(tagged.nodes.find((node) => node.id === kept.id)!.needed_by).toEqual(['o/app:3.0']);
  });

  it('counts a tagged child as needed by the tagged index that lists it', () => {
    const amd = image('amd', {});
    const tagged = { ...amd, tags: ['2.0-amd64'] };
    const multi = index([entry(tagged, { os: 'linux', architecture: 'amd64' })], ['2.0']);
    const { nodes, links } = containerGraph('o/app', [tagged, multi]);
    expect(nodes.find((node) => node.id === tagged.id)!.needed_by).toEqual(['o/app:2.0']);
    expect(links.map((link) => link.image)).toEqual(['o/app:2.0']);
  });

  it('ties a cosign signature to its image by tag, and not to another', () => {
    const signed = image('signed', {});
    const hex = signed.name.slice('sha256:'.length);
    const signature = cosign('sig', 'sig');
    const tagged = { ...signed, tags: ['1.0'] };
    const stray = { ...cosign('stray', 'sig'), tags: [`sha256-${'0'.repeat(64)}.sig`] };
    const { links, nodes } = containerGraph('o/app', [tagged, { ...signature, tags: [`sha256-${hex}.sig`] }, stray]);
    expect(links.map((link) => [link.image, link.link])).toEqual([['o/app:1.0', 'cosign-signature']]);
    expect(nodes.find((node) => node.id === stray.id)).toMatchObject({ kind: 'signature', needed_by: [] });
  });

  it('tells a signature, attestation or SBOM by what its manifest carries, not by a tag', () => {
    const signed = image('signed');
    const hex = signed.name.slice('sha256:'.length);
    // A tagged image that also carries a cosign-form tag is an image; an untagged signature is a signature.
    const lookalike = { ...image('lookalike'), tags: ['2.0', `sha256-${hex}.sig`] };
    const [signature, attestation, sbom] = [cosign('s', 'sig'), cosign('a', 'att'), cosign('b', 'sbom')];
    const { nodes } = containerGraph('o/app', [{ ...signed, tags: ['1.0'] }, lookalike, signature, attestation, sbom]);
    const kind = (version: GraphVersion) => nodes.find((node) => node.id === version.id)!.kind;
    expect([lookalike, signature, attestation, sbom].map(kind)).toEqual(['image', 'signature', 'attestation', 'sbom']);
  });

  it("tells an index from an image by the body's shape when the body names no mediaType, whatever the Content-Type says", () => {
    const facts = (body: object, contentType: string) => {
      const bytes = Buffer.from(JSON.stringify(body));
      return manifestFacts({ digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, mediaType: contentType, bytes });
    };
    const arm = image('arm');
    const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
    expect(facts({ schemaVersion: 2, manifests: [entry(arm)] }, OCI_MANIFEST).mediaType).toBe(OCI_INDEX);
    expect(facts({ schemaVersion: 2, manifests: [entry(arm)] }, DOCKER_LIST).mediaType).toBe(DOCKER_LIST);
    expect(facts({ schemaVersion: 2, config: { mediaType: 'application/vnd.oci.image.config.v1+json' }, layers: [] }, OCI_INDEX).mediaType).toBe(OCI_MANIFEST);
    expect(facts({ schemaVersion: 2 }, 'application/octet-stream').mediaType).toBe('application/octet-stream');
    const shapeless = { id: 99, name: arm.name, tags: ['3.0'], created_at: '2026-01-01T00:00:00Z', manifest: facts({ schemaVersion: 2, manifests: [entry(arm)] }, OCI_MANIFEST) };
    const { nodes } = containerGraph('o/app', [arm, shapeless]);
    expect(nodes.find((node) => node.id === 99)).toMatchObject({ kind: 'index', media_type: OCI_INDEX });
  });

  it('refuses a manifest that breaks the OCI spec, naming the field', () => {
    const facts = (body: unknown) => () => manifestFacts({ digest: `sha256:${'a'.repeat(64)}`, mediaType: OCI_INDEX, bytes: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) });
    expect(facts('not json')).toThrow(/does not match the OCI image spec at the body: it is not JSON/);
    expect(facts({ manifests: [{ digest: 'sha256:short' }] })).toThrow(/at manifests\.0\.digest: not a sha256 digest/);
    expect(facts({ manifests: [{ digest: `sha256:${'b'.repeat(64)}`, platform: { os: 'linux' } }] })).toThrow(/at manifests\.0\.platform: not an os and architecture/);
    expect(facts({ subject: 'sha256:x' })).toThrow(/at subject: not an object/);
    expect(facts({ annotations: { a: 1 } })).toThrow(/at annotations: not an object of strings/);
  });

  describe('of indexes nested deep', () => {
    /** `levels` indexes, each naming the one below it, over one image; the top one first. */
    const chain = (levels: number, seed: string): GraphVersion[] => {
      const versions = [image(seed)];
      for (let level = 1; level <= levels; level++) versions.push(index([entry(versions.at(-1)!)]));
      return versions.reverse();
    };

    it(`follows ${MAX_GRAPH_DEPTH} levels, with a link per (image, version below it) and no more`, () => {
      const chains = Array.from({ length: 100 }, (_, at) => chain(MAX_GRAPH_DEPTH, `chain ${at}`));
      const { links, keeping } = containerGraph('o/app', chains.flat());
      // Each version of a chain needs every one below it: n(n+1)/2 links for n+1 versions.
      const perChain = ((MAX_GRAPH_DEPTH + 1) * MAX_GRAPH_DEPTH) / 2;
      expect(links).toHaveLength(100 * perChain);
      expect(keeping).toHaveLength(100 * perChain);
      expect(Math.max(...links.map((link) => link.depth))).toBe(MAX_GRAPH_DEPTH);
      // A link's `why` grows with its depth, not with the graph.
      expect(Math.max(...links.map((link) => link.why.length))).toBeLessThan(30 * MAX_GRAPH_DEPTH);
    });

    it('refuses a chain deeper than that at once, saying what it found and the limit', () => {
      const versions = chain(2_000, 'deep');
      const started = performance.now();
      let message = '';
      try {
        containerGraph('o/app', versions);
      } catch (error) {
        message = (error as Error).message;
        expect(error).toMatchObject({ code: 'BAD_RESPONSE' });
      }
      // Quadratic work took 12.8 s for 500 levels; the bound stops this in milliseconds (generous for a busy machine).
      expect(performance.now() - started).toBeLessThan(10_000);
      const top = versions[0]!;
      const deepest = versions[MAX_GRAPH_DEPTH + 1]!;
      expect(message).toBe(
        `o/app's manifests nest deeper than ghsql follows: o/app@${top.name} reaches version ${deepest.id} (${deepest.name}) only through ${MAX_GRAPH_DEPTH + 1} links ` +
          `(${'child of '.repeat(MAX_GRAPH_DEPTH + 1)}o/app@${top.name}), and ghsql follows at most ${MAX_GRAPH_DEPTH} (an image, its platform images, their attestations and signatures are 3 or 4). ` +
          `It gives no graph rather than part of one, so it cannot check a delete in o/app either; look at that index with docker buildx imagetools inspect.`,
      );
    });
  });
});
