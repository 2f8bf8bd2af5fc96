// The library's whole surface: what a script, a notebook or ghsql's own CLI may use. Everything else
// in src/ is internal and may change; the CLI imports nothing but this file.

export { register, registerResources, type RegisterOptions, type Registration, type ResourceSet } from './sql/register.js';
export { tables, type DefinedTable } from './tables/defined.js';
export { clearInterrupt, interrupt, interruptPending } from './rpc/interrupt.js';
export type { Progress } from './rpc/sync-client.js';
export { GhsqlError, messageOf, type GhsqlErrorCode } from './errors.js';
export { plural } from './text.js';
export { redactor } from './github/redact.js';
export type { ActionRecord } from './sql/actions.js';
export type { Resource } from './table/types.js';
export { quoteIdentifier } from './table/sql-identifier.js';
export { formatTraceEvent, formatTraceSummary, summarize, type TraceEvent, type TraceSummary } from './github/trace.js';
export { html, htmlPage, type HtmlOptions, type HtmlPageOptions, type ResultTable } from './html.js';
export { graphDot, graphHtml, graphMermaid, readImageGraph, type GraphEdge, type GraphNode, type ImageGraph, type ImageGraphOptions, type Mark, type PackageGraph } from './graph-page/index.js';
export { snapshot, type SnapshotResult } from './snapshot.js';
export type { Wording } from './wording.js';
