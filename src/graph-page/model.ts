import type Database from 'better-sqlite3';
import { asTable, type ResultTable } from '../page/values.js';
import { quoteIdentifier } from '../table/sql-identifier.js';

// The image graph of container packages as a picture reads it: a node per active version and one
// per digest an image names that no version has (a broken link), an edge per link between them,
// and, given a plan, what becomes of each version and why. Read through SQL from the
// *_container_manifests and *_container_links tables on a database ghsql is registered on.

export type Mark = 'keep' | 'delete' | 'refused';

export interface GraphNode {
  /** The digest: unique in its package. */
  digest: string;
  /** The version id; null for a missing digest (a broken link's end). */
  id: number | null;
  /** index, image, attestation, signature, sbom, referrer, or missing. */
  kind: string;
  /** Tags that name an image (not cosign's sha256-….sig). */
  tags: string[];
  platform: string | null;
  /** The manifest's size in bytes; null for a missing digest. */
  size: number | null;
  /** The present images that keep it. */
  neededBy: string[];
  /** With a plan: what becomes of it, and why in words. */
  mark?: { state: Mark; why: string; bytes: number | null };
}

export interface GraphEdge {
  from: string;
  to: string;
  /** child, attestation, referrer, cosign-signature, cosign-attestation, cosign-sbom. */
  link: string;
  platform: string | null;
}

export interface PackageGraph {
  name: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface ImageGraph {
  /** Whose packages: the authenticated user, org:NAME or user:NAME. */
  owner: string;
  packages: PackageGraph[];
  /** A plan was given: every version node has a mark. */
  planned: boolean;
}

export interface ImageGraphOptions {
  /** The container packages to draw; default: those the plan's rows name (a package or package_name column). */
  packages?: readonly string[];
  /** An organization's packages (org_container_* tables); default the authenticated user's. */
  org?: string;
  /** Another user's packages (user_container_* tables). */
  username?: string;
  /**
   * Rows of a plan, as all() returns them or as columns and rows: each names a version by `id` (or
   * `version_id`) or by `digest`, and may say its `outcome` (a dry run's "would delete", "would
   * refuse: …") and the `bytes` deleting it frees. A version in no row is kept.
   */
  plan?: readonly unknown[] | ResultTable;
}

/** Reads the graphs of the packages (and marks the plan) through SQL on `db`. */
export function readImageGraph(db: Database.Database, options: ImageGraphOptions): ImageGraph {
  if (options.org !== undefined && options.username !== undefined) throw new Error('give org or username, not both: a graph is of one owner\'s packages.');
  const plan = options.plan === undefined ? undefined : planRows(options.plan);
  const names = options.packages?.length ? [...options.packages] : [...new Set(plan?.flatMap((row) => (row.package === undefined ? [] : [row.package])) ?? [])];
  if (names.length === 0) {
    throw new Error('name the container packages to draw (e.g. acme/app), or give a plan whose rows have a package column.');
  }
  const [prefix, ownerColumn, owner] =
    options.org !== undefined ? ['org', 'org', options.org] : options.username !== undefined ? ['user', 'username', options.username] : ['auth_user', undefined, undefined];
  const where = `package_name = ?${ownerColumn ? ` AND ${quoteIdentifier(ownerColumn)} = ?` : ''}`;
  const manifests = db.prepare(`SELECT id, name, image_tags, kind, platform, size, needed_by FROM ${prefix}_container_manifests WHERE ${where} ORDER BY id DESC`);
  const links = db.prepare(`SELECT DISTINCT via, digest, link, platform, version_id FROM ${prefix}_container_links WHERE ${where} ORDER BY depth, via, link, platform, digest`);
  const packages = names.map((name) => {
    const args = owner === undefined ? [name] : [name, owner];
    const nodes = (manifests.all(...args) as ManifestRow[]).map(
      (row): GraphNode => ({
        digest: row.name,
        id: Number(row.id),
        kind: row.kind,
        tags: JSON.parse(row.image_tags) as string[],
        platform: row.platform,
        size: row.size === null ? null : Number(row.size),
        neededBy: JSON.parse(row.needed_by) as string[],
      }),
    );
    if (nodes.length === 0) {
      const list = ownerColumn ? `${prefix}_packages WHERE ${ownerColumn} = '${owner}' AND` : 'auth_user_packages WHERE';
      throw new Error(`${name} has no container versions to draw: check the name (SELECT name FROM ${list} package_type = 'container' lists them).`);
    }
    const present = new Set(nodes.map((node) => node.digest));
    const edges: GraphEdge[] = [];
    for (const row of links.all(...args) as LinkRow[]) {
      if (!present.has(row.digest)) {
        present.add(row.digest);
        nodes.push({ digest: row.digest, id: null, kind: 'missing', tags: [], platform: row.platform, size: null, neededBy: [] });
      }
      edges.push({ from: row.via, to: row.digest, link: row.link, platform: row.platform });
    }
    const graph: PackageGraph = { name, nodes, edges };
    if (plan) markPlan(graph, plan);
    return graph;
  });
  return { owner: options.org !== undefined ? `org:${options.org}` : options.username !== undefined ? `user:${options.username}` : 'the authenticated user', packages, planned: plan !== undefined };
}

interface ManifestRow {
  id: number | bigint;
  name: string;
  image_tags: string;
  kind: string;
  platform: string | null;
  size: number | bigint | null;
  needed_by: string;
}

interface LinkRow {
  via: string;
  digest: string;
  link: string;
  platform: string | null;
}

/** A plan row as read: which version, what became of it, and what deleting it frees. */
interface PlanRow {
  id?: number;
  digest?: string;
  package?: string;
  outcome?: string;
  bytes?: number;
}

/** The plan's rows by the columns they have; a plan that names no version is an error, not an empty picture. */
function planRows(plan: readonly unknown[] | ResultTable): PlanRow[] {
  const table = Array.isArray(plan) ? asTable(plan, 'a plan') : (plan as ResultTable);
  const find = (...names: string[]) => table.columns.findIndex((column) => names.includes(column.toLowerCase()));
  const [id, digest, packageName, outcome, bytes] = [find('id', 'version_id'), find('digest'), find('package', 'package_name'), find('outcome'), find('bytes')];
  if (id < 0 && digest < 0) {
    throw new Error(`a plan names versions by an id (or version_id) or digest column; its columns are ${table.columns.join(', ') || 'none'}. Select one, e.g. SELECT package, id, outcome FROM ….`);
  }
  const text = (row: readonly unknown[], index: number) => (index >= 0 && row[index] !== null && row[index] !== undefined ? String(row[index]) : undefined);
  const count = (row: readonly unknown[], index: number) => (index >= 0 && row[index] !== null && row[index] !== undefined ? Number(row[index]) : undefined);
  return table.rows.map((row) => ({ id: count(row, id), digest: text(row, digest), package: text(row, packageName), outcome: text(row, outcome), bytes: count(row, bytes) }));
}

/** Each version of the package gets its mark: the plan's row for it, else kept, with the reason a reader looks for. */
function markPlan(graph: PackageGraph, plan: readonly PlanRow[]): void {
  const rows = plan.filter((row) => row.package === undefined || row.package === graph.name);
  const byId = new Map(rows.flatMap((row) => (row.id === undefined ? [] : [[row.id, row] as const])));
  const byDigest = new Map(rows.flatMap((row) => (row.digest === undefined ? [] : [[row.digest, row] as const])));
  for (const node of graph.nodes) {
    if (node.id === null) continue;
    const row = byId.get(node.id) ?? byDigest.get(node.digest);
    node.mark = row ? planned(row) : { state: 'keep', why: keptBecause(node), bytes: null };
  }
}

function planned(row: PlanRow): NonNullable<GraphNode['mark']> {
  const bytes = row.bytes ?? null;
  if (row.outcome === undefined) return { state: 'delete', why: 'chosen by the plan', bytes };
  // The reason, without the outcome's own word said again ("would refuse: refused, nothing was sent: …").
  const refusal = /^(?:would refuse|refused|failed|unknown): (?:refused[^:]*: )?([\s\S]*)$/.exec(row.outcome);
  if (refusal) return { state: 'refused', why: refusal[1]!, bytes };
  return { state: 'delete', why: row.outcome, bytes };
}

function keptBecause(node: GraphNode): string {
  if (node.tags.length > 0) return `tagged ${node.tags.join(', ')}`;
  if (node.neededBy.length > 0) return `needed by ${node.neededBy.join(', ')}`;
  return 'not in the plan';
}
