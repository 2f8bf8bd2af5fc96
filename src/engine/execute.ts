import type { z } from 'zod';
import { GhsqlError } from '../errors.js';
import type { ApiResponse, GitHubClient } from '../github/client.js';
import { PageDemand, readPages } from '../github/pagination.js';
import { rowBuilder } from './columns.js';
import type { QueryPlan } from './routing.js';

const PER_PAGE = 100; // GitHub's maximum: the fewest requests for a full list

interface RowConverter {
  items: z.ZodType<Array<Record<string, unknown>>>;
  toRow: ReturnType<typeof rowBuilder>;
}
const converters = new Map<string, Promise<RowConverter>>();

/**
 * Loads a resource's schema and row builder. The resources pull in zod, 50 ms of start-up, so the
 * worker loads them while its first request is on the wire rather than before sending it.
 */
function converterFor(table: string): Promise<RowConverter> {
  let converter = converters.get(table);
  if (!converter) {
    converter = import('../resources/index.js').then(({ findResource }) => {
      const resource = findResource(table);
      return { items: resource.item.array(), toRow: rowBuilder(resource) };
    });
    converters.set(table, converter);
  }
  return converter;
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
  const { method } = plan;
  const keep = (item: Record<string, unknown>) => plan.filters.every(([field, value]) => String(item[field]) === value);
  const rowsOf = async (response: ApiResponse, body: unknown) => {
    const { items, toRow } = await converterFor(plan.table);
    return parseItems(items, body, response).filter(keep).map(toRow);
  };

  if (!method.paginated) {
    const response = client.send({ route: method.route, params: plan.params, accept: method.notFoundIsEmpty ? [404] : [] }, signal);
    void converterFor(plan.table);
    const answer = await response;
    if (answer.status === 404) return;
    yield await rowsOf(answer, [parseJson(answer)]);
    return;
  }
  const first = { route: method.route, params: { ...plan.params, per_page: PER_PAGE } };
  const pages = readPages(client, first, demand, signal);
  const firstPage = pages.next(); // sends the first request now...
  void converterFor(plan.table); // ...and loads the schema while it is on the wire
  for (let page = await firstPage; !page.done; page = await pages.next()) {
    yield await rowsOf(page.value, parseJson(page.value));
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
  schema: RowConverter['items'],
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
