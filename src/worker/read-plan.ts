import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { deserialize, serialize } from 'node:v8';
import type { z } from 'zod';
import type { PackedRows, StreamBatch } from '../rpc/protocol.js';
import { GhsqlError } from '../errors.js';
import type { ApiRequest, ApiResponse, GitHubClient } from '../github/client.js';
import { pageNumberOf, parseLinkHeader } from '../github/link-header.js';
import { ListCount, PageDemand, readPages } from '../github/pagination.js';
import { refusalAdvice, tokenKind } from '../github/token-kind.js';
import { rowBuilder } from '../table/columns.js';
import { defineTable } from '../table/define.js';
import { quickListCheck } from '../table/quick-check.js';
import type { BuiltRows } from '../github/response-cache.js';
import { pathParameters, type Item, type Method, type ReadContext, type Resource } from '../table/types.js';
import type { QueryPlan, Row } from '../table/wire.js';

const PER_PAGE = 100; // GitHub's maximum: the fewest requests for a full list

/** ghsql's version: another release may build other rows from the same answer. */
const GHSQL_VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/**
 * Which rows kept beside a page's ETag are this plan's: besides the table's shape (its columns, key
 * and schema), the rows hold the values sent (columns taken from parameters), and a later page's
 * URL is GitHub's Link, which may name the list otherwise than the query did (/organizations/ID/…):
 * two plans may share a page's URL, never its rows.
 */
function keptRowsShape(plan: QueryPlan): string {
  const sent = Object.entries(plan.params).sort(); // one order for the same values, however they were added
  return createHash('sha256').update(JSON.stringify([GHSQL_VERSION, plan.rowShape, sent])).digest('hex').slice(0, 32);
}

/**
 * The most pages to read of a method's list: every page its cap allows, plus one, so that GitHub's
 * own answer past the cap is what the user sees. Without a cap, only a repeated page stops a list.
 */
const pageBound = (method: Method) => (method.paginated?.maxItems ? Math.floor(method.paginated.maxItems / PER_PAGE) + 1 : Number.MAX_SAFE_INTEGER);

export interface RowConverter {
  /**
   * The items of an answer, checked against the resource's schema: by its quick check
   * (table/quick-check.ts), and by zod when there is none or it refuses (zod then says where the
   * answer does not match, as a BAD_RESPONSE error). zod costs 80–95 ms to load: only then is it.
   */
  checkItems(body: unknown, response: ApiResponse): Promise<Item[]>;
  /** Starts loading zod when the schema has no quick check (every answer will need it). */
  prepareCheck(): void;
  toRow: ReturnType<typeof rowBuilder>;
  /** Native indexes of the key columns: a key seen twice in one list means the list moved. */
  key: readonly number[];
  resource: Resource;
  /** Native index of each parameter's column (parameters come first, in their order). */
  parameterIndex: ReadonlyMap<string, number>;
}

/** ReadContext without the signal, which each call brings. */
export type WorkerContext = Omit<ReadContext, 'signal'>;
/**
 * Each resource's schema and row builder, from the module that exports the registered resources
 * (`resources`: ghsql's own, or a test's). The resources cost 10 ms of start-up, so the worker loads
 * them while its first request is on the wire rather than before sending it (prepare); zod, 80–95 ms,
 * only when an answer needs it (RowConverter.checkItems).
 */
export class RowConverters {
  private readonly converters = new Map<string, Promise<RowConverter>>();

  constructor(private readonly resourceModule: string) {}

  /** Starts loading what a read of `table` will need, while its first request is on the wire. */
  prepare(table: string): void {
    void this.for(table).then((converter) => converter.prepareCheck());
  }

  for(table: string): Promise<RowConverter> {
    let converter = this.converters.get(table);
    if (!converter) {
      converter = this.load(table);
      this.converters.set(table, converter);
    }
    return converter;
  }

  private async load(table: string): Promise<RowConverter> {
    const { resources } = (await import(this.resourceModule)) as { resources: readonly Resource[] };
    const resource = resources.find((candidate) => candidate.table === table);
    if (!resource) throw new GhsqlError('INTERNAL', `ghsql's worker has no resource named ${table}`);
    const defined = defineTable(resource);
    const quick = quickListCheck(resource);
    let schema: Promise<z.ZodType<Item[]>> | undefined;
    const zodSchema = () => (schema ??= import('zod').then(({ z }) => z.array(resource.schema(z))));
    return {
      checkItems: async (body, response) => (quick?.(body) ? body : parseItems(await zodSchema(), body, response)),
      prepareCheck: () => {
        if (!quick) void zodSchema();
      },
      toRow: rowBuilder(defined),
      key: defined.keyIndexes,
      resource,
      parameterIndex: defined.parameterIndex,
    };
  }
}

/**
 * Every item of a paginated method's list (all pages, each validated), or none when it answers 404
 * and may. Every page is asked of GitHub, never taken from the cache within its TTL: a whole list is
 * what decides which container versions may be deleted (a delete's guard, the graph tables'
 * needed_by), and a copy a minute old misses an image pushed since. An unchanged page is a 304,
 * which costs no rate limit.
 *
 * A missed item would call its children safe to delete, so the list is checked as a streamed read
 * is (a row seen twice, fewer pages or items than the first page promised) and, once read, each
 * page but the last is asked again (a 304 when unchanged): one whose last item differs means items
 * were deleted or added before it meanwhile, and one may have moved past the reader unseen.
 */
export async function readWholeList(client: GitHubClient, converters: RowConverters, table: string, method: Method, params: Readonly<Record<string, string>>, signal: AbortSignal): Promise<Item[]> {
  const first = { route: method.route, params: { ...params, per_page: PER_PAGE }, accept: method.notFoundIsEmpty ? [404] : [] };
  const asking = sendingWith(client, { revalidate: true });
  const items: Item[] = [];
  const pageEnds: PageEnd[] = [];
  const count = new ListCount();
  // Read to the end whatever the reader has asked for: the whole list is what the caller needs.
  for await (const page of readPages(asking, first, new PageDemand(Number.MAX_SAFE_INTEGER), signal, pageBound(method))) {
    if (page.status === 404) return noRowsFor(client, table, page);
    const converter = await converters.for(table);
    const pageItems = await converter.checkItems(parseJson(page), page);
    page.remember?.();
    count.add(page, pageItems.length);
    items.push(...pageItems);
    if (pageItems.length > 0) pageEnds.push({ url: page.url, last: identityOf(converter, pageItems.at(-1)!, params) });
  }
  count.end();
  await checkPageEnds(asking, await converters.for(table), pageEnds.slice(0, -1), params, signal);
  return items;
}

/**
 * What a 404 from a method that may answer it (notFoundIsEmpty) means: no such package, so no rows.
 * To the workflow token (ghs_) GitHub answers 404 as well for a package its repository has no access
 * to, and nothing tells the two apart: no rows would be a silently empty answer (a scheduled cleanup
 * that finds nothing to do, run after run), so for it the 404 is an error that says what to do.
 */
function noRowsFor(client: GitHubClient, table: string, response: ApiResponse): [] {
  const kind = tokenKind(client.options.token);
  if (kind !== 'installation') return [];
  const advice = refusalAdvice({ method: 'GET', target: response.target, status: 404, kind });
  const said = [`${table}: GitHub answered 404 to GET ${response.target}.`, advice, '(To the workflow token GitHub gives that answer for a package it cannot see too, so ghsql does not read it as no rows.)'];
  throw new GhsqlError('NOT_FOUND', said.filter((part) => part !== undefined).join(' '), 404);
}

/** A page read, and the identity of its last item. */
interface PageEnd {
  url: string;
  last: unknown;
}

/** Asks each page again (a few at a time) and fails with LIST_CHANGED if it now ends with another item. */
async function checkPageEnds(client: GitHubClient, converter: RowConverter, pageEnds: readonly PageEnd[], params: Readonly<Record<string, string>>, signal: AbortSignal): Promise<void> {
  let next = 0;
  const checkOne = async (): Promise<void> => {
    for (let end = pageEnds[next++]; end; end = pageEnds[next++]) {
      const page = await client.send({ route: `GET ${end.url}` }, signal);
      const now = await converter.checkItems(parseJson(page), page);
      page.remember?.();
      const last = now.length > 0 ? identityOf(converter, now.at(-1)!, params) : undefined;
      if (last === end.last) continue;
      throw new GhsqlError(
        'LIST_CHANGED',
        `GitHub's list (${page.target}) changed while it was read: that page ended with the item ${describeIdentity(end.last)} and now ends with ${last === undefined ? 'nothing' : `the item ${describeIdentity(last)}`}, so something before it was deleted or added meanwhile and an item may have moved between pages unseen. Run the query again.`,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(client.options.concurrency, pageEnds.length) }, checkOne));
}

/** A row's identity: one key column (an id, a BigInt) is its own, so no string per row for 100,000 rows. */
function rowIdentity(row: readonly unknown[], key: readonly number[]): unknown {
  return key.length === 1 ? row[key[0]!] : key.map((index) => String(row[index])).join('\u0000');
}

function identityOf(converter: RowConverter, item: Item, params: Readonly<Record<string, string>>): unknown {
  return rowIdentity(converter.toRow(item, params), converter.key);
}

const describeIdentity = (identity: unknown) => String(identity).replaceAll('\u0000', ', ');

/** The client, with every request it sends carrying `extra` (revalidating, a rows shape): readPages asks for the later pages itself. */
function sendingWith(client: GitHubClient, extra: Pick<ApiRequest, 'revalidate' | 'rowsShape'>): GitHubClient {
  // Object.create answers `any`: the view is the client itself (its prototype) but for send.
  return Object.create(client, {
    send: { value: (request: ApiRequest, signal?: AbortSignal) => client.send({ ...request, ...extra }, signal) },
  }) as GitHubClient;
}

/**
 * Runs a query plan in the worker: the requests, schema validation and conversion to rows. Yields
 * one batch of rows per page, so rows reach SQLite while later pages are still loading; the first
 * says how many pages there will be, for progress displays.
 */
export async function* executePlan(
  client: GitHubClient,
  converters: RowConverters,
  plan: QueryPlan,
  demand: PageDemand,
  signal: AbortSignal,
  context: WorkerContext,
): AsyncGenerator<StreamBatch<Row>> {
  const { method } = plan;
  const seen = new Set<unknown>();
  const checkFirstSeen = (identity: unknown, keyColumns: number, source: string) => {
    if (seen.has(identity)) {
      throw new GhsqlError(
        'LIST_CHANGED',
        `${plan.table}: GitHub's list (${source}) gave the row with ${keyColumns === 1 ? 'key' : 'keys'} ${describeIdentity(identity)} twice: it changed while it was read (something was added or deleted meanwhile). Run the query again.`,
      );
    }
    seen.add(identity);
  };
  const toRows = async (items: Item[], source: string) => {
    const { toRow, key } = await converters.for(plan.table);
    const rows = items.map((item) => toRow(item, plan.params));
    for (const row of rows) checkFirstSeen(rowIdentity(row, key), key.length, source);
    return rows;
  };
  const rowsOf = async (response: ApiResponse, body: unknown) => toRows(await (await converters.for(plan.table)).checkItems(body, response), response.target);
  /**
   * A list page's rows: when the cache answered it (fresh, or a 304) with the rows built from this
   * very body, those, packed as they were kept, with only the duplicate check redone; else parsed,
   * validated and built, and kept with the page once they have validated.
   */
  const pageRows = async (response: ApiResponse): Promise<Row[] | PackedRows> => {
    const converter = await converters.for(plan.table);
    const built = response.builtRows;
    const keys = built && unpackedKeys(built);
    if (built && keys) {
      for (const identity of keys) checkFirstSeen(identity, converter.key.length, response.target);
      response.remember?.();
      return { packed: built.packed, count: keys.length };
    }
    const rows = await rowsOf(response, parseJson(response));
    // Packed only when the cache is on: remember() is there only then.
    if (response.remember) response.remember(builtRows(rows, rowsShape, converter.key));
    return rows;
  };
  const accept = method.notFoundIsEmpty ? [404] : [];

  if (plan.expand && method.paginated) {
    const items = await readWholeList(client, converters, plan.table, method, plan.params, signal);
    const { resource } = await converters.for(plan.table);
    // One batch for the whole graph: progress counts it as one page.
    yield { rows: await toRows(await resource.expand!(items, { ...context, params: plan.params, signal }), method.route), pages: 1 };
    return;
  }

  if (!method.paginated) {
    const response = client.send({ route: method.route, params: plan.params, accept, ...(method.alwaysRevalidate ? { revalidate: true } : {}) }, signal);
    converters.prepare(plan.table);
    const answer = await response;
    if (answer.status === 404) return void noRowsFor(client, plan.table, answer);
    const body = parseJson(answer);
    if (method.array || method.entriesOf) {
      const rows = await rowsOf(answer, method.entriesOf ? entriesOf(body, method.entriesOf, answer) : body);
      answer.remember?.(); // only an answer that validated is cached
      yield { rows, pages: 1 };
      return;
    }
    const rows = await rowsOf(answer, [body]);
    checkAnswersItsPath(plan, rows[0]!, (await converters.for(plan.table)).parameterIndex, answer);
    answer.remember?.(); // only an answer that validated is cached
    yield { rows, pages: 1 };
    return;
  }
  // Only a list's pages keep rows (pageRows, below): a get does not hash its plan.
  const rowsShape = keptRowsShape(plan);
  const first = { route: method.route, params: { ...plan.params, per_page: PER_PAGE }, accept };
  const pages = readPages(sendingWith(client, { rowsShape }), first, demand, signal, pageBound(plan.method));
  const firstPage = pages.next(); // sends the first request now...
  converters.prepare(plan.table); // ...and loads the schema while it is on the wire
  try {
    let firstBatch = true;
    const count = new ListCount();
    for (let page = await firstPage; !page.done; page = await pages.next()) {
      if (page.value.status === 404) return void noRowsFor(client, plan.table, page.value);
      const rows = await pageRows(page.value);
      count.add(page.value, 'packed' in rows ? rows.count : rows.length);
      const total = firstBatch ? listPages(page.value) : undefined;
      firstBatch = false;
      yield total === undefined ? { rows } : { rows, pages: total };
    }
    count.end();
  } catch (error) {
    if (error instanceof GhsqlError && error.code === 'NOT_FOUND' && method.notFoundMeans) {
      throw new GhsqlError('NOT_FOUND', `${plan.table}: ${error.message} ${method.notFoundMeans}`, error.status);
    }
    if (error instanceof GhsqlError && error.code === 'LIST_LIMIT' && method.paginated.maxItems) {
      throw new GhsqlError(
        'LIST_LIMIT',
        `${plan.table}: GitHub lists at most ${method.paginated.maxItems.toLocaleString('en-US')} items of one list, so it cannot return the rest. ${method.paginated.beyondMaxItems ?? ''}`.trim(),
        error.status,
      );
    }
    throw error;
  }
}

/** Rows to keep beside their page in the cache: packed once here, so that a revalidated page is sent as it is. */
function builtRows(rows: Row[], shape: string, key: readonly number[]): BuiltRows {
  return { shape, packed: serialize(rows), keys: serialize(rows.map((row) => rowIdentity(row, key))) };
}

/** The key identities kept with cached rows; undefined when they do not unpack (a damaged entry is a miss). */
function unpackedKeys(built: BuiltRows): unknown[] | undefined {
  try {
    const keys: unknown = deserialize(built.keys);
    return Array.isArray(keys) ? keys : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A get answers the item its path names: one whose values differ (beyond letter case, which GitHub may
 * normalise) is a broken answer, an error rather than a row that would silently be left out.
 */
function checkAnswersItsPath(plan: QueryPlan, row: unknown[], parameterIndex: ReadonlyMap<string, number>, response: ApiResponse): void {
  for (const name of pathParameters(plan.method.route)) {
    const cell = row[parameterIndex.get(name)!];
    if (cell !== null && cell !== undefined && String(cell).toLowerCase() !== plan.params[name]!.toLowerCase()) {
      throw new GhsqlError(
        'BAD_RESPONSE',
        `${plan.table}: GitHub's answer to GET ${response.target} is for ${name} ${JSON.stringify(String(cell))}, not ${JSON.stringify(plan.params[name])}; not returning it as that row.`,
      );
    }
  }
}

/** A list's page count from its first page: rel="last" names it, no rel="next" means one page; otherwise unknown. */
function listPages(firstPage: ApiResponse): number | undefined {
  const links = parseLinkHeader(firstPage.headers.get('link'));
  if (!links['next']) return 1;
  const last = links['last'] ? pageNumberOf(links['last']) : undefined;
  return last !== undefined && Number.isInteger(last) && last >= 1 ? last : undefined;
}

function parseJson(response: ApiResponse): unknown {
  try {
    return JSON.parse(response.body);
  } catch {
    throw new GhsqlError('BAD_RESPONSE', `GitHub's answer to GET ${response.target} is not JSON: ${response.body.slice(0, 100)}`);
  }
}

/** The items of an answer that keeps them by key (`{ resources: { core: {…}, search: {…} } }`), each with its key. */
function entriesOf(body: unknown, { field, key }: { field: string; key: string }, response: ApiResponse): Item[] {
  const holder = typeof body === 'object' && body !== null ? (body as Item)[field] : undefined;
  if (typeof holder !== 'object' || holder === null || Array.isArray(holder)) {
    throw new GhsqlError('BAD_RESPONSE', `GitHub's answer to GET ${response.target} has no object \`${field}\`.`);
  }
  return Object.entries(holder).map(([name, value]) => ({ ...(typeof value === 'object' && value !== null ? value : { value }), [key]: name }));
}

function parseItems(schema: z.ZodType<Item[]>, body: unknown, response: ApiResponse): Item[] {
  const result = schema.safeParse(body);
  // Rows are built from what GitHub sent (zod's output would drop the fields it does not check).
  if (result.success) return body as Item[];
  const issue = result.error.issues[0]!;
  const [index, ...field] = issue.path;
  const where = typeof index === 'number' ? `item ${index}${field.length ? `, field ${field.join('.')}` : ''}` : 'the response';
  throw new GhsqlError('BAD_RESPONSE', `GitHub's answer to GET ${response.target} does not match the expected schema at ${where}: ${issue.message}`);
}
