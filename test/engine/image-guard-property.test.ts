// Property: whatever the image graph, whatever versions a plan deletes and in what order, and whatever
// another client pushes or re-tags between two of ghsql's writes, the container delete guard lets
// through exactly the versions that no present image keeps at that moment, so no image ends broken
// (a manifest naming a digest no version has), unless 'break-images' was passed. The oracle is a
// model of the rules written here apart from the graph code: every image keeps what its index names;
// a tagged one also keeps its referrers and cosign signatures, and all they reach.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildxAttestation, cosignManifest, cosignTag, digestOf, ociImage, ociIndex, sbomReferrer, type StoredManifest } from '../../dist/stand-in/images-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { nextTurn, openSession, type Session } from '../support/ghsql.js';

type Row = Record<string, unknown>;

const OWNER = 'octo-demo';
const TAGS = ['a', 'b', 'latest'] as const;
const PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'];
const COSIGN_TAG = /^sha256-([0-9a-f]{64})\.(sig|att|sbom)$/;

interface ImageSpec {
  /** 0: a single-platform image; else an index of that many platform images. */
  platforms: number;
  /** An index's buildx attestations, one per platform image. */
  attested: boolean;
  tag: (typeof TAGS)[number] | null;
  /** A cosign signature, tagged sha256-<hex>.sig. */
  signed: boolean;
  /** An OCI referrer (an SBOM) whose subject is the image. */
  described: boolean;
}

const imageSpec = fc.record({
  platforms: fc.integer({ min: 0, max: 3 }),
  attested: fc.boolean(),
  tag: fc.option(fc.constantFrom(...TAGS), { nil: null }),
  signed: fc.boolean(),
  described: fc.boolean(),
});

/** What another client does once `afterDeletes` DELETEs have succeeded; 0: once the list was read (and cached). */
const changeSpec = fc.record({
  afterDeletes: fc.integer({ min: 0, max: 3 }),
  what: fc.oneof(
    // Moves a tag onto one of the images (re-pushing what it needs, if deleted meanwhile).
    fc.record({ kind: fc.constant('retag' as const), image: fc.nat(), tag: fc.constantFrom(...TAGS) }),
    // Pushes a new index that also names one of the images (re-pushing it, if deleted meanwhile).
    fc.record({ kind: fc.constant('push' as const), image: imageSpec, reuses: fc.nat() }),
  ),
});

const scenario = fc.record({
  images: fc.array(imageSpec, { minLength: 1, maxLength: 4 }),
  changes: fc.array(changeSpec, { maxLength: 3 }),
  /** Versions to delete, as indexes into the versions there at first (modulo their count), in this order. */
  plan: fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
  breakImages: fc.constantFrom(false, false, false, true),
});

interface Push {
  manifests: StoredManifest[];
  tags: string[];
}

/** An image as pushed: its parts, then itself (tagged), then its signature and referrer. */
interface Built {
  root: StoredManifest;
  /** What pushing the image itself pushes: an image it names (whole), its platform images and attestations, then the root. */
  whole: StoredManifest[];
  pushes: Push[];
}

function build(spec: ImageSpec, seed: string, reused?: Built): Built {
  const children = PLATFORMS.slice(0, spec.platforms).map((platform) => ({ manifest: ociImage(`${seed} ${platform}`), platform }));
  if (reused) children.push({ manifest: reused.root, platform: 'linux/s390x' });
  const attestations = spec.attested ? children.map((child) => ({ manifest: buildxAttestation(`${seed} ${child.platform}`), attests: child.manifest })) : [];
  const root = children.length === 0 ? ociImage(seed) : ociIndex([...children, ...attestations]);
  const whole = [...(reused?.whole ?? []), ...children.map((child) => child.manifest).filter((manifest) => manifest !== reused?.root), ...attestations.map((attestation) => attestation.manifest), root];
  const pushes: Push[] = [{ manifests: whole, tags: spec.tag ? [spec.tag] : [] }];
  if (spec.signed) pushes.push({ manifests: [cosignManifest('sig', seed)], tags: [cosignTag(root, 'sig')] });
  if (spec.described) pushes.push({ manifests: [sbomReferrer(seed, root)], tags: [] });
  return { root, whole, pushes };
}

/** The model: the active versions of a package, by digest, with their tags. */
type State = Map<string, string[]>;

/** What the graph rules read of a manifest: the digests an index names, a referrer's subject. */
interface Facts {
  names: string[];
  subject?: string;
}

const facts = new Map<string, Facts>();
function learn(manifest: StoredManifest): void {
  const json = JSON.parse(manifest.body) as { manifests?: Array<{ digest: string }>; subject?: { digest: string } };
  facts.set(digestOf(manifest.body), { names: (json.manifests ?? []).map((entry) => entry.digest), ...(json.subject ? { subject: json.subject.digest } : {}) });
}

/** A push as the registry takes it: each manifest not there becomes a version; its tags move to the last. */
function applyPush(state: State, push: Push): void {
  for (const manifest of push.manifests) if (!state.has(digestOf(manifest.body))) state.set(digestOf(manifest.body), []);
  const last = digestOf(push.manifests[push.manifests.length - 1]!.body);
  for (const [digest, tags] of state) state.set(digest, digest === last ? [...new Set([...tags, ...push.tags])] : tags.filter((tag) => !push.tags.includes(tag)));
}

/** The versions `root` keeps: what its index names, transitively; tagged, also its referrers and signatures, and what they reach. */
function keptBy(state: State, root: string): Set<string> {
  const tagged = state.get(root)!.some((tag) => !COSIGN_TAG.test(tag));
  const reached = new Set([root]);
  for (const queue = [root]; queue.length > 0; ) {
    const from = queue.shift()!;
    const next = [...(facts.get(from)?.names ?? [])];
    if (tagged) {
      for (const [digest, tags] of state) {
        if (facts.get(digest)?.subject === from || tags.some((tag) => `sha256:${COSIGN_TAG.exec(tag)?.[1]}` === from)) next.push(digest);
      }
    }
    for (const digest of next) {
      if (state.has(digest) && !reached.has(digest)) {
        reached.add(digest);
        queue.push(digest);
      }
    }
  }
  reached.delete(root);
  return reached;
}

const isKept = (state: State, digest: string) => [...state.keys()].some((root) => root !== digest && keptBy(state, root).has(digest));

let standIn: StandIn;
let session: Session;
beforeAll(async () => {
  standIn = await startStandIn({ packages: [], accounts: [] });
  // The CLI's cache: a list read a moment ago is fresh for a minute, and the guard must not trust it.
  session = openSession(standIn, { allowWrites: true, writeIntervalMs: 0, cache: true, cacheDir: ':memory:', cacheTtlSeconds: 60 });
});
afterAll(async () => {
  await session.close();
  await standIn.close();
});

const sql = (text: string, ...values: unknown[]) => session.db.prepare(text).all(...values) as Row[];

/** The package's active versions as the API lists them: digest → tags, and id → digest. */
function versionsOf(packageName: string): { state: State; digests: Map<number, string> } {
  const rows = sql("SELECT id, name, tags FROM auth_user_package_versions WHERE package_type = 'container' AND package_name = ? ORDER BY id", packageName);
  return {
    state: new Map(rows.map((row) => [row['name'] as string, JSON.parse(row['tags'] as string) as string[]])),
    digests: new Map(rows.map((row) => [row['id'] as number, row['name'] as string])),
  };
}

/**
 * Deletes the ids in this order, one statement for the lot; a refusal stops a statement, so the rest
 * go in the next one. Returns each call's outcome, in order, from ghsql_actions.
 */
function deleteAll(packageName: string, ids: number[], breakImages: boolean): Array<{ id: number; outcome: string }> {
  const logged = () => sql('SELECT target, outcome FROM ghsql_actions');
  const before = logged().length;
  for (let remaining = ids; remaining.length > 0; ) {
    const made = logged().length;
    try {
      sql(
        `WITH plan(id) AS MATERIALIZED (VALUES ${remaining.map(() => '(?)').join(', ')})
         SELECT delete_package_version_for_authenticated_user('container', ?, id${breakImages ? ", 'break-images'" : ''}) FROM plan`,
        ...remaining,
        packageName,
      );
      remaining = [];
    } catch {
      remaining = remaining.slice(logged().length - made);
    }
  }
  return logged()
    .slice(before)
    .map((row) => ({ id: Number((JSON.parse(row['target'] as string) as Record<string, string>)['package_version_id']), outcome: row['outcome'] as string }));
}

let runs = 0;

describe('the container delete guard, on random image graphs with pushes between writes', () => {
  it('deletes exactly what no present image keeps at that moment, so no image ends broken', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ images, changes, plan, breakImages }) => {
        const packageName = `prop/run-${++runs}`;
        // Never in a plan: GitHub refuses to delete a package's last version.
        const base = ociImage(`${packageName} base`);
        const built = images.map((spec, index) => build(spec, `${packageName} image ${index}`));
        const first = [{ manifests: [base], tags: [] }, ...built.flatMap((image) => image.pushes)];
        const later = changes.map(({ afterDeletes, what }, index) => ({
          afterDeletes,
          pushes:
            what.kind === 'retag'
              ? [{ manifests: built[what.image % built.length]!.whole, tags: [what.tag] }]
              : build(what.image, `${packageName} change ${index}`, built[what.reuses % built.length]).pushes,
        }));
        for (const push of [...first, ...later.flatMap((change) => change.pushes)]) push.manifests.forEach(learn);

        const onRegistry = (push: Push, afterDeletes: number) => ({ owner: OWNER, packageName, ...push, afterDeletes });
        await standIn.configure({ imagePushes: first.map((push) => onRegistry(push, 0)) });
        await nextTurn();
        // Read (and cached) now: the guard must see what lands later all the same.
        const { state, digests } = versionsOf(packageName);
        const expected: State = new Map();
        for (const push of first) applyPush(expected, push);
        expect(state).toEqual(expected);
        await standIn.configure({ imagePushes: later.flatMap((change) => change.pushes.map((push) => onRegistry(push, change.afterDeletes))) });
        for (const change of later) if (change.afterDeletes === 0) change.pushes.forEach((push) => applyPush(state, push));

        const ids = [...digests.keys()].filter((id) => digests.get(id) !== digestOf(base.body));
        const order = [...new Set(plan.map((pick) => ids[pick % ids.length]!))];
        let deletes = 0;
        for (const { id, outcome } of deleteAll(packageName, order, breakImages)) {
          const digest = digests.get(id)!;
          if (outcome === 'deleted') {
            if (!breakImages) expect(isKept(state, digest), `deleted ${id} (${digest}), which an image kept`).toBe(false);
            state.delete(digest);
            deletes += 1;
            for (const change of later) if (change.afterDeletes === deletes) change.pushes.forEach((push) => applyPush(state, push));
          } else {
            expect(breakImages, outcome).toBe(false);
            expect(outcome).toMatch(/: refused, nothing was sent: it is the /);
            expect(isKept(state, digest), `refused ${id} (${digest}), which no image kept`).toBe(true);
          }
        }
        if (breakImages) expect(deletes).toBe(order.length);

        await nextTurn();
        // The model followed the stand-in, and (through SQL) no present image names a digest no version has.
        expect(versionsOf(packageName).state).toEqual(state);
        if (!breakImages) expect(sql("SELECT image, link, digest FROM auth_user_container_links WHERE package_name = ? AND version_id IS NULL", packageName)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  }, 180_000);
});
