import type { GraphNode, ImageGraph, PackageGraph } from './model.js';
import { edgeLabel, nodeLines, summaryText } from './words.js';

// The image graph as text for Markdown and issues: Mermaid (GitHub draws a ```mermaid block) and
// Graphviz DOT. Both say what the page says: a node per version and per missing digest, tags, an
// edge per link, and with a plan the marks, as classes (Mermaid) or colours (DOT).

const FILL: Record<string, string> = { index: '#dbe9f6', image: '#eef6ee', attestation: '#f1ebfa', sbom: '#f1ebfa', signature: '#fff4d6', referrer: '#e3f2f2', missing: '#fde8e8' };
const MARK_STROKE = { keep: '#1a7f37', delete: '#cf222e', refused: '#bf8700' } as const;

/** Node names the text formats can use: p<package>n<node>, whatever the digest. */
function nodeNames(graph: ImageGraph): Array<Map<string, string>> {
  return graph.packages.map((pkg, p) => new Map(pkg.nodes.map((node, n) => [node.digest, `p${p}n${n}`])));
}

/** Text inside a quoted Mermaid label: its entity codes, as HTML's would be read as markup. */
function escapeMermaid(text: string): string {
  return text.replace(/["<>#]/g, (char) => `#${char.charCodeAt(0)};`);
}

/** The digests a link names that no version has. */
function missingDigests(pkg: PackageGraph): Set<string> {
  return new Set(pkg.nodes.filter((node) => node.id === null).map((node) => node.digest));
}

/** A Mermaid flowchart, left to right, a subgraph per package. */
export function graphMermaid(graph: ImageGraph): string {
  const names = nodeNames(graph);
  const quote = (text: string) => `"${escapeMermaid(text)}"`;
  const lines = ['flowchart LR', `  %% ${summaryText(graph.packages, graph.planned)}`];
  const classes = new Map<string, string[]>();
  graph.packages.forEach((pkg, p) => {
    const name = (digest: string) => names[p]!.get(digest)!;
    lines.push(`  subgraph p${p}[${quote(pkg.name)}]`);
    for (const node of pkg.nodes) {
      lines.push(`    ${name(node.digest)}["${nodeLines(node).map(escapeMermaid).join('<br/>')}"]`);
      if (node.tags.length > 0) lines.push(`    ${name(node.digest)}t([${quote(node.tags.join(', '))}]) --> ${name(node.digest)}`);
      // A kind's fill, then a mark's stroke over it.
      for (const group of [node.id === null ? 'missing' : node.kind, ...(node.mark ? [node.mark.state] : [])]) classes.set(group, [...(classes.get(group) ?? []), name(node.digest)]);
    }
    const missing = missingDigests(pkg);
    for (const edge of pkg.edges) lines.push(`    ${name(edge.from)} ${missing.has(edge.to) ? '-.->' : '-->'}|${quote(edgeLabel(edge))}| ${name(edge.to)}`);
    lines.push('  end');
  });
  for (const [group, members] of classes) {
    const style = group in MARK_STROKE ? `stroke:${MARK_STROKE[group as keyof typeof MARK_STROKE]},stroke-width:3px` : `fill:${FILL[group] ?? '#ffffff'},stroke:${group === 'missing' ? '#cf222e,stroke-dasharray:5 3' : '#8c959f'}`;
    lines.push(`  classDef ${group} ${style}`, `  class ${members.join(',')} ${group}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A Graphviz digraph, left to right, a cluster per package. */
export function graphDot(graph: ImageGraph): string {
  const names = nodeNames(graph);
  const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  const lines = ['digraph images {', '  rankdir=LR;', '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];'];
  lines.push(`  // ${summaryText(graph.packages, graph.planned)}`);
  graph.packages.forEach((pkg, p) => {
    const name = (digest: string) => names[p]!.get(digest)!;
    const missing = missingDigests(pkg);
    lines.push(`  subgraph cluster_${p} {`, `    label=${quote(pkg.name)};`);
    for (const node of pkg.nodes) {
      lines.push(`    ${name(node.digest)} [label=${quote(nodeLines(node).join('\n'))}, ${dotStyle(node)}];`);
      if (node.tags.length > 0) lines.push(`    ${name(node.digest)}t [label=${quote(node.tags.join(', '))}, shape=cds, fillcolor="#1f2328", fontcolor=white];`, `    ${name(node.digest)}t -> ${name(node.digest)};`);
    }
    for (const edge of pkg.edges) lines.push(`    ${name(edge.from)} -> ${name(edge.to)} [label=${quote(edgeLabel(edge))}${missing.has(edge.to) ? ', style=dashed, color="#cf222e"' : ''}];`);
    lines.push('  }');
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function dotStyle(node: GraphNode): string {
  const fill = `fillcolor="${FILL[node.id === null ? 'missing' : node.kind] ?? '#ffffff'}"`;
  if (node.id === null) return `${fill}, style="rounded,filled,dashed", color="#cf222e"`;
  if (!node.mark) return fill;
  return `${fill}, color="${MARK_STROKE[node.mark.state]}", penwidth=3${node.mark.state === 'delete' ? ', style="rounded,filled,dashed"' : ''}`;
}
