import { parseArgs } from 'node:util';
import { graphDot, graphHtml, graphMermaid, messageOf, readImageGraph, type ImageGraph } from '../index.js';
import type { Session } from './session.js';

export const GRAPH_USAGE = '.graph [--plan] [--org NAME | --user NAME] [--format html|mermaid|dot] [PACKAGE…]';

const RENDERERS: Record<string, (graph: ImageGraph) => string> = { html: graphHtml, mermaid: graphMermaid, dot: graphDot };

/**
 * `.graph`: draws container packages' image graphs where results go (stdout, or .output FILE): an
 * HTML page by default, or Mermaid or DOT text. With --plan, the last query's rows are the plan: a
 * dry run of a delete (its id or digest, and outcome, columns) or any query of version ids; each
 * version is marked keep, delete or refused, and the packages default to those the plan names.
 */
export function runGraph(session: Session, args: string[]): void {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { plan: { type: 'boolean', default: false }, org: { type: 'string' }, user: { type: 'string' }, format: { type: 'string', default: 'html' } },
    });
  } catch (error) {
    throw new Error(`${messageOf(error)}; usage: ${GRAPH_USAGE}`);
  }
  const { values, positionals } = parsed;
  const render = RENDERERS[values.format];
  if (!render) throw new Error(`.graph --format ${values.format} is not a format; use html, mermaid or dot.`);
  if (values.plan && !session.lastResult) {
    throw new Error('.graph --plan marks the last query\'s rows as the plan, and none has run yet; run the plan first (a delete statement with --dry-run, or a SELECT of version ids).');
  }
  const plan = values.plan ? { columns: session.lastResult!.columns.map((column) => column.name), rows: session.lastResult!.rows } : undefined;
  const graph = readImageGraph(session.db, { packages: positionals, org: values.org, username: values.user, plan });
  session.print(render(graph));
}
