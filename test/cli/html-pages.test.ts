import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphDot, graphHtml, graphMermaid, type GraphEdge, type GraphNode, type ImageGraph } from '../../dist/index.js';
import { digestOf, imageGraphPlan } from '../../dist/stand-in/images-data.js';
import { demoPackages } from '../../dist/stand-in/packages-data.js';
import { drawInBrowser, type DrawnPackage } from './browser.js';
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
  });

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
  });
});
