import { z } from 'zod';
import { GhsqlError } from '../errors.js';
import type { ApiResponse, GitHubClient } from '../github/client.js';
import { PageDemand, readPages } from '../github/pagination.js';
import { findResource } from '../resources/index.js';
import { rowBuilder } from './columns.js';
import type { Resource } from './resource.js';
import type { QueryPlan } from './routing.js';

const PER_PAGE = 100; // GitHub's maximum: the fewest requests for a full list

interface PreparedResource {
  resource: Resource;
  items: z.ZodType<Array<Record<string, unknown>>>;
  toRow: ReturnType<typeof rowBuilder>;
}
const prepared = new Map<string, PreparedResource>();

function prepare(table: string): PreparedResource {
  let entry = prepared.get(table);
  if (!entry) {
    const resource = findResource(table);
    entry = { resource, items: z.array(resource.item), toRow: rowBuilder(resource) };
    prepared.set(table, entry);
  }
  return entry;
}

/**
 * Runs a query plan in the worker: the requests, schema validation and conversion to rows. Yields
 * one batch of rows per page, so rows reach SQLite while later pages are still loading.
 */
export async function* executePlan(
  client: GitHubClient,
  plan: QueryPlan,
  demand: PageDemand,
  signal: AbortSignal,
): AsyncGenerator<unknown[][]> {
  const { resource, items, toRow } = prepare(plan.table);
  const method = resource.methods[plan.method]!;
  const keep = (item: Record<string, unknown>) => plan.filters.every(([field, value]) => String(item[field]) === value);
  const rowsOf = (response: ApiResponse, body: unknown) => parseItems(items, body, response).filter(keep).map(toRow);

  if (!method.paginated) {
    const response = await client.send({ route: method.route, params: plan.params, accept: method.notFoundIsEmpty ? [404] : [] }, signal);
    if (response.status === 404) return;
    yield rowsOf(response, [parseJson(response)]);
    return;
  }
  const first = { route: method.route, params: { ...plan.params, per_page: PER_PAGE } };
  for await (const page of readPages(client, first, demand, signal)) {
    yield rowsOf(page, parseJson(page));
  }
}

function parseJson(response: ApiResponse): unknown {
  try {
    return JSON.parse(response.body);
  } catch {
    throw new GhsqlError('BAD_RESPONSE', `GitHub's answer to GET ${response.target} is not JSON: ${response.body.slice(0, 100)}`);
  }
}

function parseItems(
  schema: PreparedResource['items'],
  body: unknown,
  response: ApiResponse,
): Array<Record<string, unknown>> {
  const result = schema.safeParse(body);
  // Rows are built from what GitHub sent (zod's output would drop the fields it does not check).
  if (result.success) return body as Array<Record<string, unknown>>;
  const issue = result.error.issues[0]!;
  const [index, ...field] = issue.path;
  const where = typeof index === 'number' ? `item ${index}${field.length ? `, field ${field.join('.')}` : ''}` : 'the response';
  throw new GhsqlError(
    'BAD_RESPONSE',
    `GitHub's answer to GET ${response.target} does not match the expected schema at ${where}: ${issue.message}`,
  );
}
