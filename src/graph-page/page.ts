import { escapeHtml, htmlDocument } from '../page/document.js';
import { formatBytes } from '../page/values.js';
import { layoutPackage, MARGIN, NODE_HEIGHT, NODE_WIDTH, TAG_WIDTH, type Box, type PackageLayout } from './layout.js';
import type { GraphNode, ImageGraph, PackageGraph } from './model.js';
import { edgeLabel, graphTitle, nodeLines, planSums, shortDigest, summaryText } from './words.js';

// The image graph as one self-contained HTML page: per package an inline SVG (no script, no
// font or stylesheet fetched), a legend, and with a plan its sums and the refusals in words.
// Every drawn element carries its facts as data- attributes (id, digest, kind, mark, link), so a
// test, or a reader's devtools, can check the drawing against the tables.

/** Characters that fit a node's line at 12px. */
const LINE_CHARACTERS = 33;

const STYLE = `
.graph { overflow: auto; border: 1px solid var(--line); border-radius: 6px; margin: .4em 0 1em; max-height: 85vh; }
.node rect { stroke: #8c959f; stroke-width: 1; }
.node.index rect { fill: #dbe9f6; } .node.image rect { fill: #eef6ee; }
.node.attestation rect, .node.sbom rect { fill: #f1ebfa; } .node.signature rect { fill: #fff4d6; }
.node.referrer rect { fill: #e3f2f2; }
.node.missing rect { fill: #fde8e8; stroke: #cf222e; stroke-dasharray: 5 3; stroke-width: 1.5; }
.node[data-mark=keep] rect { stroke: #1a7f37; stroke-width: 2.5; }
.node[data-mark=delete] rect { stroke: #cf222e; stroke-width: 2.5; stroke-dasharray: 7 3; }
.node[data-mark=delete] text { fill: #82071e; }
.node[data-mark=refused] rect { stroke: #bf8700; stroke-width: 3.5; }
.node text.what { font-weight: 600; }
.tag rect { fill: #1f2328; } .tag text { fill: #fff; font-weight: 600; }
.edge { fill: none; stroke: #6e7781; stroke-width: 1.3; }
.edge.attestation, .edge.cosign-attestation, .edge.cosign-sbom { stroke: #8250df; }
.edge.referrer, .edge.cosign-signature { stroke: #0a7e7e; stroke-dasharray: 4 2; }
.edge.broken { stroke: #cf222e; stroke-width: 2; stroke-dasharray: 5 3; }
.tag-edge { fill: none; stroke: #1f2328; stroke-width: 1.3; }
.legend span { display: inline-block; margin-right: 1.2em; }
.swatch { display: inline-block; width: 1.1em; height: .8em; border: 1px solid #8c959f; vertical-align: -1px; margin-right: .3em; }
.sums td:nth-child(n+2) { text-align: right; }
`;

const LEGEND = `<p class="legend muted">
<span><i class="swatch" style="background:#1f2328"></i>tags</span>
<span><i class="swatch" style="background:#dbe9f6"></i>index</span>
<span><i class="swatch" style="background:#eef6ee"></i>image</span>
<span><i class="swatch" style="background:#f1ebfa"></i>attestation, SBOM</span>
<span><i class="swatch" style="background:#fff4d6"></i>signature</span>
<span><i class="swatch" style="background:#e3f2f2"></i>referrer</span>
<span><i class="swatch" style="background:#fde8e8;border:1px dashed #cf222e"></i>missing: a broken link</span>
</p>`;

const PLAN_LEGEND = `<p class="legend muted">
<span><i class="swatch" style="border:2px solid #1a7f37"></i>keep</span>
<span><i class="swatch" style="border:2px dashed #cf222e"></i>delete</span>
<span><i class="swatch" style="border:3px solid #bf8700"></i>refused</span>
</p>`;

/**
 * The image graph (readImageGraph) as a self-contained HTML page: tags, then the images, then what
 * they need, one node per version and per missing digest, one edge per link; with a plan, each
 * version marked keep, delete or refused and why, and the bytes the deletes free.
 */
export function graphHtml(graph: ImageGraph): string {
  const title = graphTitle(graph);
  const sections = graph.packages.map((pkg) => packageSection(pkg, graph.planned));
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="muted">Container packages of ${escapeHtml(graph.owner)}: ${escapeHtml(summaryText(graph.packages, graph.planned))}.</p>`,
    LEGEND,
    graph.planned ? PLAN_LEGEND + planTable(graph.packages) : '',
    ...sections,
  ];
  return htmlDocument(title, body.join('\n'), STYLE);
}

function packageSection(pkg: PackageGraph, planned: boolean): string {
  const layout = layoutPackage(pkg);
  const refusals = pkg.nodes.filter((node) => node.mark?.state === 'refused');
  const refused = refusals.length === 0 ? '' : `<details><summary>Refused (${refusals.length})</summary><ul>${refusals.map((node) => `<li><code>${escapeHtml(shortDigest(node.digest))}</code> (${node.id}): ${escapeHtml(node.mark!.why)}</li>`).join('')}</ul></details>`;
  return [
    `<section class="package" data-package="${escapeHtml(pkg.name)}">`,
    `<h2>${escapeHtml(pkg.name)}</h2>`,
    `<p class="muted">${escapeHtml(summaryText([pkg], planned))}</p>`,
    refused,
    `<div class="graph">${svg(pkg, layout)}</div>`,
    '</section>',
  ].join('\n');
}

function planTable(packages: readonly PackageGraph[]): string {
  const rows = packages.map((pkg) => {
    const sums = planSums([pkg]);
    return `<tr><td>${escapeHtml(pkg.name)}</td><td>${sums.delete}</td><td>${sums.refused}</td><td>${sums.keep}</td><td data-bytes="${sums.bytes}">${formatBytes(sums.bytes)}</td></tr>`;
  });
  const total = planSums(packages);
  const note = total.bytesFromPlan ? '' : '<p class="muted">Bytes freed count the manifests only: give the plan a bytes column (the sizes of the blobs only deleted versions hold) to count layers.</p>';
  return `<table class="sums"><thead><tr><th>package</th><th>delete</th><th>refused</th><th>keep</th><th>bytes freed</th></tr></thead><tbody>${rows.join('')}<tr><th>all</th><th>${total.delete}</th><th>${total.refused}</th><th>${total.keep}</th><th data-bytes="${total.bytes}">${formatBytes(total.bytes)}</th></tr></tbody></table>${note}`;
}

function svg(pkg: PackageGraph, layout: PackageLayout): string {
  const byDigest = new Map(pkg.nodes.map((node) => [node.digest, node]));
  const edges: string[] = [];
  for (const [digest, tagBox] of layout.tags) edges.push(`<path class="tag-edge" data-to="${escapeHtml(digest)}" d="${curve(right(tagBox, TAG_WIDTH), left(layout.nodes.get(digest)!))}"/>`);
  for (const edge of pkg.edges) {
    const from = layout.nodes.get(edge.from);
    const to = layout.nodes.get(edge.to);
    if (!from || !to) continue;
    const broken = byDigest.get(edge.to)?.id === null;
    const title = `${edgeLabel(edge)}: ${shortDigest(edge.from)} → ${shortDigest(edge.to)}${broken ? ' (missing)' : ''}`;
    edges.push(
      `<path class="edge ${escapeHtml(edge.link)}${broken ? ' broken' : ''}" data-from="${escapeHtml(edge.from)}" data-to="${escapeHtml(edge.to)}" data-link="${escapeHtml(edge.link)}" d="${curve(right(from, NODE_WIDTH), left(to))}"><title>${escapeHtml(title)}</title></path>`,
    );
  }
  const tags = [...layout.tags].map(([digest, box]) => tagBox(byDigest.get(digest)!, box));
  const nodes = pkg.nodes.map((node) => nodeBox(node, layout.nodes.get(node.digest)!));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width + MARGIN}" height="${layout.height}" role="img" aria-label="${escapeHtml(`image graph of ${pkg.name}`)}"><defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#6e7781"/></marker></defs><g class="edges" marker-end="url(#arrow)">${edges.join('')}</g>${tags.join('')}${nodes.join('')}</svg>`;
}

const right = (box: Box, width: number) => ({ x: box.x + width, y: box.y + NODE_HEIGHT / 2 });
const left = (box: Box) => ({ x: box.x, y: box.y + NODE_HEIGHT / 2 });

/** A gentle S from one box's right side to another's left: edges read left to right, as the layers do. */
function curve(from: { x: number; y: number }, to: { x: number; y: number }): string {
  const bend = Math.max(24, Math.abs(to.x - from.x) / 2);
  return `M${from.x},${from.y} C${from.x + bend},${from.y} ${to.x - bend},${to.y} ${to.x},${to.y}`;
}

function nodeBox(node: GraphNode, box: Box): string {
  const lines = nodeLines(node);
  const classes = node.id === null ? 'node missing' : `node version ${node.kind}`;
  const data = [
    node.id === null ? '' : ` data-id="${node.id}"`,
    ` data-digest="${escapeHtml(node.digest)}" data-kind="${escapeHtml(node.kind)}"`,
    node.mark ? ` data-mark="${node.mark.state}" data-why="${escapeHtml(node.mark.why)}"` : '',
  ].join('');
  const title = [node.digest, node.id === null ? '' : `version ${node.id}`, node.tags.length ? `tags ${node.tags.join(', ')}` : '', node.neededBy.length ? `needed by ${node.neededBy.join(', ')}` : '', ...lines.slice(2)].filter(Boolean).join('\n');
  const text = lines.map((line, i) => `<text${i === 0 ? ' class="what"' : ''} x="8" y="${16 + i * 16}">${escapeHtml(fit(line))}</text>`).join('');
  return `<g class="${classes}"${data} transform="translate(${box.x},${box.y})"><title>${escapeHtml(title)}</title><rect width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="6"/>${text}</g>`;
}

function tagBox(node: GraphNode, box: Box): string {
  const tags = node.tags.join(', ');
  return `<g class="tag" data-digest="${escapeHtml(node.digest)}" transform="translate(${box.x},${box.y + NODE_HEIGHT / 2 - 12})"><title>${escapeHtml(tags)}</title><rect width="${TAG_WIDTH}" height="24" rx="12"/><text x="${TAG_WIDTH / 2}" y="16" text-anchor="middle">${escapeHtml(fit(tags, 17))}</text></g>`;
}

function fit(text: string, characters = LINE_CHARACTERS): string {
  return text.length > characters ? `${text.slice(0, characters - 1)}…` : text;
}
