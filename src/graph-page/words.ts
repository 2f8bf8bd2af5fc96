import { formatBytes } from '../page/values.js';
import type { GraphNode, ImageGraph, PackageGraph } from './model.js';

// What a node and a package say in words: the same in the SVG page, Mermaid and DOT.

/** A digest as people compare them: sha256: and the first 12 hex digits. */
export function shortDigest(digest: string): string {
  return digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, '$1…');
}

/** The node's lines: what it is, which digest and how big, and (with a plan) its mark. */
export function nodeLines(node: GraphNode): string[] {
  if (node.id === null) return [`missing${node.platform ? ` ${node.platform}` : ''}`, shortDigest(node.digest), 'no version has this digest'];
  const what = [node.kind, node.platform].filter(Boolean).join(' ');
  const lines = [what, `${shortDigest(node.digest)}${node.size === null ? '' : ` · ${formatBytes(node.size)}`}`];
  if (node.mark) lines.push(`${node.mark.state}: ${node.mark.why}`);
  return lines;
}

/** A link as an edge's label: a child by its platform, anything else by its kind. */
export function edgeLabel(edge: { link: string; platform: string | null }): string {
  return edge.link === 'child' && edge.platform ? edge.platform : edge.link;
}

export interface PlanSums {
  delete: number;
  refused: number;
  keep: number;
  /** Bytes the deletes free: the plan's bytes column, else the manifests' sizes. */
  bytes: number;
  /** The plan gave bytes for every deleted version (else `bytes` counts manifests only). */
  bytesFromPlan: boolean;
}

export function planSums(packages: readonly PackageGraph[]): PlanSums {
  const sums: PlanSums = { delete: 0, refused: 0, keep: 0, bytes: 0, bytesFromPlan: true };
  for (const node of packages.flatMap((graph) => graph.nodes)) {
    if (!node.mark) continue;
    sums[node.mark.state]++;
    if (node.mark.state !== 'delete') continue;
    sums.bytes += node.mark.bytes ?? node.size ?? 0;
    if (node.mark.bytes === null) sums.bytesFromPlan = false;
  }
  return sums;
}

/** One line for a package or the whole graph: its versions and links, and what the plan does. */
export function summaryText(packages: readonly PackageGraph[], planned: boolean): string {
  const nodes = packages.flatMap((graph) => graph.nodes);
  const versions = nodes.filter((node) => node.id !== null).length;
  const missing = nodes.length - versions;
  const links = packages.reduce((sum, graph) => sum + graph.edges.length, 0);
  const parts = [`${count(versions, 'version')}, ${count(links, 'link')}`];
  if (missing > 0) parts.push(`${count(missing, 'broken link')} (a digest no version has)`);
  if (planned) {
    const sums = planSums(packages);
    const freed = sums.delete === 0 ? '' : `, freeing ${formatBytes(sums.bytes)}${sums.bytesFromPlan ? '' : ' of manifests (the plan has no bytes column)'}`;
    parts.push(`plan: ${sums.delete} to delete${freed}, ${sums.refused} refused, ${sums.keep} kept`);
  }
  return parts.join('; ');
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** The whole graph's title. */
export function graphTitle(graph: ImageGraph): string {
  const names = graph.packages.map((p) => p.name);
  const shown = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  return `${graph.planned ? 'Plan for ' : 'Images of '}${shown}`;
}
