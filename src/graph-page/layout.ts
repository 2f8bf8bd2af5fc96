import type { GraphNode, PackageGraph } from './model.js';

// A layered layout, left to right: an image's tags, then the image, then what it names, then what
// those name. An image graph is a forest of shallow trees (an index, its platform children and
// attestations, a signature) with few shared children, so a tidy tree per connected part is drawn
// without crossings, in linear time: each node sits in the column of its depth, a leaf takes the
// next free row and a parent is centred on the children it reached first; a shared child is drawn
// once, under its first parent, and its other edges reach across. The parts are then packed into
// shelves no wider than the page, so 1,000 versions make a long page, not an endless one.

export const NODE_WIDTH = 230;
export const NODE_HEIGHT = 58;
export const TAG_WIDTH = 130;
const COLUMN_GAP = 56;
const ROW_GAP = 14;
const PART_GAP = 28;
const PAGE_WIDTH = 1200;
export const MARGIN = 8;

export interface Box {
  x: number;
  y: number;
}

export interface PackageLayout {
  width: number;
  height: number;
  /** Top left corner of each node's box, by digest. */
  nodes: Map<string, Box>;
  /** Top left corner of the tag box of each tagged version, by its digest. */
  tags: Map<string, Box>;
}

const ROW = NODE_HEIGHT + ROW_GAP;
const COLUMN = NODE_WIDTH + COLUMN_GAP;
const TAG_COLUMN = TAG_WIDTH + COLUMN_GAP;

/** A connected part, laid out from its own origin. */
interface Part {
  width: number;
  height: number;
  nodes: Map<string, Box>;
  tags: Map<string, Box>;
}

export function layoutPackage(graph: PackageGraph): PackageLayout {
  const byDigest = new Map(graph.nodes.map((node) => [node.digest, node]));
  const children = new Map<string, string[]>();
  const hasParent = new Set<string>();
  // Platform children first, then what is about them: attestations, referrers, signatures.
  const edges = [...graph.edges].sort((a, b) => linkOrder(a.link) - linkOrder(b.link));
  for (const edge of edges) {
    if (!byDigest.has(edge.from) || !byDigest.has(edge.to)) continue;
    const list = children.get(edge.from) ?? [];
    list.push(edge.to);
    children.set(edge.from, list);
    hasParent.add(edge.to);
  }
  // Tagged images first, newest first (the nodes come newest first), then untagged ones; then
  // anything in a cycle, which has no root, from its first node.
  const roots = graph.nodes.filter((node) => !hasParent.has(node.digest)).sort((a, b) => Number(b.tags.length > 0) - Number(a.tags.length > 0));
  const placed = new Set<string>();
  const parts: Part[] = [];
  for (const start of [...roots, ...graph.nodes]) {
    if (!placed.has(start.digest)) parts.push(layoutPart(start, byDigest, children, placed));
  }
  return pack(parts);
}

const LINK_ORDER = ['child', 'attestation', 'referrer'];
const linkOrder = (link: string) => (LINK_ORDER.includes(link) ? LINK_ORDER.indexOf(link) : LINK_ORDER.length);

/** The tidy tree of everything `root` reaches that no earlier part took. */
function layoutPart(root: GraphNode, byDigest: Map<string, GraphNode>, children: Map<string, string[]>, placed: Set<string>): Part {
  const column = new Map<string, number>();
  const row = new Map<string, number>();
  let nextRow = 0;
  const visit = (digest: string, depth: number): void => {
    placed.add(digest);
    column.set(digest, depth);
    const owned: string[] = [];
    for (const child of children.get(digest) ?? []) {
      if (placed.has(child)) continue;
      visit(child, depth + 1);
      owned.push(child);
    }
    row.set(digest, owned.length === 0 ? nextRow++ : (row.get(owned[0]!)! + row.get(owned[owned.length - 1]!)!) / 2);
  };
  visit(root.digest, 0);
  const tagged = [...column.keys()].filter((digest) => byDigest.get(digest)!.tags.length > 0);
  const left = tagged.length > 0 ? TAG_COLUMN : 0;
  const nodes = new Map<string, Box>();
  for (const [digest, depth] of column) nodes.set(digest, { x: left + depth * COLUMN, y: row.get(digest)! * ROW });
  // A tag box sits left of its image, in the image's column minus one: for a root, the tag column.
  const tags = new Map<string, Box>(tagged.map((digest) => [digest, { x: nodes.get(digest)!.x - TAG_COLUMN, y: nodes.get(digest)!.y }]));
  const columns = Math.max(...column.values()) + 1;
  return { width: left + columns * COLUMN - COLUMN_GAP, height: nextRow * ROW - ROW_GAP, nodes, tags };
}

/** Parts side by side in shelves as wide as the page (or the widest part). */
function pack(parts: readonly Part[]): PackageLayout {
  const width = Math.max(PAGE_WIDTH, ...parts.map((part) => part.width));
  const nodes = new Map<string, Box>();
  const tags = new Map<string, Box>();
  let x = 0;
  let y = 0;
  let shelfHeight = 0;
  let usedWidth = 0;
  for (const part of parts) {
    if (x > 0 && x + part.width > width) {
      x = 0;
      y += shelfHeight + PART_GAP;
      shelfHeight = 0;
    }
    const shift = (box: Box): Box => ({ x: MARGIN + x + box.x, y: MARGIN + y + box.y });
    for (const [digest, box] of part.nodes) nodes.set(digest, shift(box));
    for (const [digest, box] of part.tags) tags.set(digest, shift(box));
    x += part.width + PART_GAP;
    usedWidth = Math.max(usedWidth, x - PART_GAP);
    shelfHeight = Math.max(shelfHeight, part.height);
  }
  return { width: usedWidth + 2 * MARGIN, height: y + shelfHeight + 2 * MARGIN, nodes, tags };
}
