import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphDot, graphHtml, graphMermaid, type GraphEdge, type GraphNode, type ImageGraph } from '../../dist/index.js';
import { digestOf, imageGraphPlan } from '../../dist/stand-in/images-data.js';
import { demoPackages } from '../../dist/stand-in/packages-data.js';
import { BROWSER_TEST_TIMEOUT, drawInBrowser, type DrawnPackage } from './browser.js';
import { runCli, tempHome, type TempHome } from './helpers.js';

// The pages ghsql writes (--format html, .export x.html, .graph), drawn by a real browser: what it
// drew is checked against the demo's tables, the demo's hand-built image set, and a dry run.

type Row = Record<string, unknown>;

/** The demo's acme/app versions' digests by the labels of images-data.ts. */
const APP = new Map(imageGraphPlan(demoPackages().find((pkg) => pkg.name === 'acme/app')!.id).map((planned) => [planned.label, digestOf(planned.manifest.body)]));
const app = (label: string) => APP.get(label)!;

let home: TempHome;
beforeAll(() => {
  home = tempHome();
});
afterAll(() => home.remove());

/** Runs the CLI on the demo with a script on stdin; returns its ndjson rows (each with its `q`) and the page after them. */
async function demo(script: string, flags: string[] = []): Promise<{ rows: Row[]; page: string }> {
  const result = await runCli(['--demo', '--format', 'ndjson', ...flags], { env: home.env, input: script });
  expect(result.stderr).not.toMatch(/error/i);
  expect(result.code).toBe(0);
  const start = result.stdout.indexOf('<!DOCTYPE html>');
  const data = start < 0 ? result.stdout : result.stdout.slice(0, start);
  return { rows: data.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Row), page: start < 0 ? '' : result.stdout.slice(start) };
}

const GRAPH_FACTS = `
SELECT 'version' AS q, id, name, tags FROM auth_user_container_manifests WHERE package_name = 'acme/app';
SELECT DISTINCT 'link' AS q, via, digest, link, version_id FROM auth_user_container_links WHERE package_name = 'acme/app';
`;

/** Checks what any drawing must be: one node per digest, inside the SVG, none overlapping, each edge from its node's right side to the other's left. */
function expectSoundDrawing(drawn: DrawnPackage): void {
  const byDigest = new Map(drawn.nodes.map((node) => [node.digest, node]));
  expect(byDigest.size).toBe(drawn.nodes.length); // a shared child is drawn once
  const sorted = [...drawn.nodes].sort((a, b) => a.x - b.x);
  for (const [i, a] of sorted.entries()) {
    expect(a.x).toBeGreaterThanOrEqual(0);
    expect(a.y).toBeGreaterThanOrEqual(0);
    expect(a.x + a.width).toBeLessThanOrEqual(drawn.svgWidth);
    expect(a.y + a.height).toBeLessThanOrEqual(drawn.svgHeight);
    for (const b of sorted.slice(i + 1)) {
      if (b.x >= a.x + a.width) break;
      const apart = b.y >= a.y + a.height || a.y >= b.y + b.height;
      expect(apart, `${a.digest} and ${b.digest} overlap`).toBe(true);
    }
  }
  for (const edge of drawn.edges) {
    const from = byDigest.get(edge.from)!;
    const to = byDigest.get(edge.to)!;
    expect(edge.start[0]).toBeCloseTo(from.x + from.width, 0);
    expect(edge.start[1]).toBeCloseTo(from.y + from.height / 2, 0);
    expect(edge.end[0]).toBeCloseTo(to.x, 0);
    expect(edge.end[1]).toBeCloseTo(to.y + to.height / 2, 0);
  }
}

describe('.graph draws the image graph', () => {
  it('one node per version and per missing digest, one edge per link: multi-arch, cosign-signed and broken images', async () => {
    const { rows, page } = await demo(`${GRAPH_FACTS}\n.graph acme/app\n`);
    const versions = rows.filter((row) => row['q'] === 'version');
    const links = rows.filter((row) => row['q'] === 'link');
    const drawing = await drawInBrowser(page);
    expect(drawing.fetches).toBe(0);
    expect(page.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:\/\//);
    expect(drawing.packages.map((pkg) => pkg.name)).toEqual(['acme/app']);
    const [drawn] = drawing.packages as [DrawnPackage];
    expectSoundDrawing(drawn);

    const drawnVersions = drawn.nodes.filter((node) => !node.missing);
    expect(drawnVersions.map((node) => node.id).sort()).toEqual(versions.map((row) => String(row['id'])).sort());
    const missing = drawn.nodes.filter((node) => node.missing).map((node) => node.digest);
    expect(missing).toEqual([...new Set(links.filter((row) => row['version_id'] === null).map((row) => row['digest']))]);
    const edgeKey = (from: unknown, to: unknown, link: unknown) => `${String(from)} ${String(to)} ${String(link)}`;
    expect(drawn.edges.map((edge) => edgeKey(edge.from, edge.to, edge.link)).sort()).toEqual(links.map((row) => edgeKey(row['via'], row['digest'], row['link'])).sort());

    // The demo's shapes, from how the stand-in built them (images-data.ts), not from the tables.
    expect(missing).toEqual([app('1.1 linux/arm64/v8')]);
    const has = (from: string, to: string, link: string) => drawn.edges.some((edge) => edge.from === app(from) && edge.to === app(to) && edge.link === link);
    for (const platform of ['linux/amd64', 'linux/arm64', 'linux/arm/v7']) {
      expect(has('1.4', `1.4 ${platform}`, 'child')).toBe(true);
      expect(has('1.4', `1.4 ${platform} attestation`, 'attestation')).toBe(true);
    }
    expect(has('1.4', '1.4 sbom', 'referrer')).toBe(true);
    expect(has('1.3', '1.3 signature', 'cosign-signature')).toBe(true);
    expect(has('1.3', '1.3 attestation', 'cosign-attestation')).toBe(true);
    expect(has('1.1', '1.1 linux/arm64/v8', 'child')).toBe(true);
    expect(has('1.0 index', '1.0 linux/amd64', 'child')).toBe(true);
    // Tags: one box per version with an image tag (cosign's sha256-….sig tags are links, not boxes).
    expect(drawn.tags).toBe(versions.filter((row) => (row['tags'] as string[]).some((tag) => !/^sha256-/.test(tag))).length);
    expect(drawn.tagEdges).toBe(drawn.tags);
  }, BROWSER_TEST_TIMEOUT);

  it('marks a dry run: delete, refused and why, kept and why, and sums what the deletes free', async () => {
    // .graph --plan reads the last results: the plan is the statement just before it.
    const planned = await demo(
      `SELECT 'version' AS q, id, tags, size FROM auth_user_container_manifests WHERE package_name = 'acme/app';
SELECT 'plan' AS q, package_name AS package, id, delete_package_version_for_authenticated_user('container', package_name, id) AS outcome
FROM auth_user_container_manifests WHERE package_name = 'acme/app' AND json_array_length(tags) = 0;
.graph --plan
`,
      ['--dry-run', '--keep-going'],
    );
    const plan = planned.rows.filter((row) => row['q'] === 'plan');
    const versions = planned.rows.filter((row) => row['q'] === 'version');
    expect(plan.some((row) => String(row['outcome']).startsWith('would refuse: '))).toBe(true);
    expect(plan.some((row) => row['outcome'] === 'would delete')).toBe(true);

    const drawing = await drawInBrowser(planned.page);
    const [drawn] = drawing.packages as [DrawnPackage];
    expectSoundDrawing(drawn);
    const outcomes = new Map(plan.map((row) => [String(row['id']), String(row['outcome'])]));
    for (const node of drawn.nodes.filter((each) => !each.missing)) {
      const outcome = outcomes.get(node.id!);
      if (outcome === undefined) {
        expect(node.mark, node.digest).toBe('keep');
        expect(node.why).toMatch(/^(tagged|needed by|not in the plan)/);
      } else if (outcome.startsWith('would refuse: ')) {
        expect(node.mark).toBe('refused');
        expect(outcome).toContain(node.why);
      } else {
        expect(node.mark).toBe('delete');
        expect(node.why).toBe(outcome);
      }
    }
    expect(drawn.nodes.filter((node) => node.mark === 'delete').length).toBe(plan.filter((row) => row['outcome'] === 'would delete').length);
    // Bytes freed: without a bytes column, the manifests of the deleted versions.
    const deleted = new Set(plan.filter((row) => row['outcome'] === 'would delete').map((row) => String(row['id'])));
    const freed = versions.filter((row) => deleted.has(String(row['id']))).reduce((sum, row) => sum + Number(row['size']), 0);
    expect(planned.page).toContain(`<th data-bytes="${freed}">`);
  }, BROWSER_TEST_TIMEOUT);
});

describe('--format html and .export x.html', () => {
  it('write a page with the table, bars for a label and numbers, lines over a time', async () => {
    const sql = "SELECT name, version_count FROM auth_user_packages WHERE package_type = 'container' ORDER BY name";
    const [page, counts] = await Promise.all([
      runCli(['--demo', '--format', 'html', sql], { env: home.env }),
      runCli(['--demo', '--format', 'ndjson', sql], { env: home.env }),
    ]);
    expect(page.code).toBe(0);
    const rows = counts.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Row);
    const drawing = await drawInBrowser(page.stdout);
    expect(drawing.fetches).toBe(0);
    expect(drawing.tableRows.map((cells) => cells.slice(0, 2))).toEqual(rows.map((row) => [row['name'], String(row['version_count'])]));
    expect(drawing.bars).toBe(Math.min(rows.length, 60));
    expect(drawing.lines).toBe(0);

    const file = join(home.dir, 'pushes.html');
    const exported = await runCli(['--demo'], {
      env: home.env,
      input: `SELECT substr(created_at, 1, 7) AS month, count(*) AS versions FROM auth_user_package_versions WHERE package_type = 'container' AND package_name = 'acme/api-server' GROUP BY month ORDER BY month;\n.export ${file}\n`,
    });
    expect(exported.stderr).toContain(`to ${file} as an HTML page`);
    const timeline = await drawInBrowser(readFileSync(file, 'utf8'));
    expect(timeline.lines).toBe(1);
    expect(timeline.bars).toBe(0);
    expect(timeline.tableRows.length).toBeGreaterThan(1);
  }, BROWSER_TEST_TIMEOUT);
});

/** A package of `indexes` multi-arch images, each an index with two platform children and a cosign signature; every tenth tagged. */
function bigGraph(indexes: number): ImageGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
  let next = 1;
  for (let i = 0; i < indexes; i++) {
    const index = digest(next);
    const tagged = i % 10 === 0;
    nodes.push({ digest: index, id: next++, kind: 'index', tags: tagged ? [`1.${i}`] : [], platform: null, size: 1800, neededBy: [], mark: { state: tagged ? 'keep' : 'delete', why: tagged ? `tagged 1.${i}` : 'would delete', bytes: null } });
    for (const [kind, platform, link] of [['image', 'linux/amd64', 'child'], ['image', 'linux/arm64', 'child'], ['signature', null, 'cosign-signature']] as const) {
      nodes.push({ digest: digest(next), id: next, kind, tags: [], platform, size: 406, neededBy: [], mark: { state: tagged ? 'keep' : 'delete', why: 'x', bytes: 3_000_000 } });
      edges.push({ from: index, to: digest(next++), link, platform });
    }
  }
  return { owner: 'the authenticated user', planned: true, packages: [{ name: 'acme/big', nodes, edges }] };
}

describe('a package of 1,000 versions', () => {
  it('is laid out quickly, into a page of modest size that stays as wide as a screen', async () => {
    const graph = bigGraph(250);
    expect(graph.packages[0]!.nodes.length).toBe(1000);
    const started = performance.now();
    const page = graphHtml(graph);
    const took = performance.now() - started;
    // A few tens of ms on a quiet laptop; the bound leaves room for a busy 2-core box.
    expect(took).toBeLessThan(3000);
    expect(Buffer.byteLength(page)).toBeLessThan(1_500_000);

    const drawing = await drawInBrowser(page);
    const [drawn] = drawing.packages as [DrawnPackage];
    expect(drawn.nodes.length).toBe(1000);
    expect(drawn.edges.length).toBe(750);
    expectSoundDrawing(drawn);
    // Parts are packed in shelves: the page grows down, not sideways.
    expect(drawn.svgWidth).toBeLessThanOrEqual(1400);
    expect(page).toContain(`<th data-bytes="${225 * 3 * 3_000_000 + 225 * 1800}">`);
  }, BROWSER_TEST_TIMEOUT);
});

describe('Mermaid and DOT', () => {
  it('say the same graph as text: a node per version and missing digest, an edge per link, the marks', () => {
    const graph = bigGraph(3);
    graph.packages[0]!.nodes.push({ digest: 'sha256:missing', id: null, kind: 'missing', tags: [], platform: 'linux/s390x', size: null, neededBy: [] });
    graph.packages[0]!.edges.push({ from: graph.packages[0]!.nodes[0]!.digest, to: 'sha256:missing', link: 'child', platform: 'linux/s390x' });
    const mermaid = graphMermaid(graph);
    expect(mermaid).toMatch(/^flowchart LR\n/);
    expect(mermaid.match(/^ {4}p0n\d+\["/gm)).toHaveLength(13);
    expect(mermaid.match(/ --> \|| -\.-> \|/g) ?? mermaid.match(/ (-->|-\.->)\|/g)).toHaveLength(10);
    expect(mermaid).toContain('-.->|"linux/s390x"|');
    expect(mermaid).toMatch(/class p0n0,p0n1,p0n2,p0n3 keep/);
    const dot = graphDot(graph);
    expect(dot.match(/^ {4}p0n\d+ \[label=/gm)).toHaveLength(13);
    expect(dot.match(/^ {4}p0n\d+ -> p0n\d+ \[label=/gm)).toHaveLength(10);
    expect(dot.match(/^ {4}p0n\d+t -> /gm)).toHaveLength(1);
    expect(dot).toContain('style=dashed, color="#cf222e"');
  });
});
