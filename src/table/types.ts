import type { z } from 'zod';
import type { RegistryClient } from '../github/registry/registry-client.js';

/**
 * A GitHub table as data: its columns and where each value comes from, the parameters that route a
 * query, the API methods behind it and the actions it offers as SQL functions. The engine turns this
 * into a SQLite virtual table (virtual-table.ts) and SQL functions (actions.ts); check-resource.ts
 * refuses a description with a mistake at registration. A new table is one new file in
 * src/resources/ that exports one of these.
 *
 * Everything but the functions (`schema`, `derive`, `expand`, `guards`) is plain data: methods and
 * actions cross to the worker thread by structured clone. The functions run where they are needed,
 * from the resource module the worker imports.
 */
export interface Resource {
  /** The SQL name users query. */
  table: string;
  description: string;
  /** The columns of `SELECT *`, in order. */
  columns: Column[];
  /** The columns that identify a row (its PRIMARY KEY): unique within one list GitHub returns. */
  key: string[];
  /** Columns a query binds with `=` or `IN` to choose and fill an API method. */
  parameters: Parameter[];
  /** API methods, most specific first: a query runs the first whose required parameters it binds. */
  methods: Method[];
  /**
   * The schema of one item GitHub returns, built with the zod it is given (so that only the worker,
   * which validates, loads zod). It checks; rows are built from the item as received, so unchecked
   * fields of JSON columns survive.
   */
  schema: (zod: typeof z) => z.ZodType<Item>;
  /**
   * For a table whose rows are computed from a whole list rather than one row per item: runs in the
   * worker once the method's list has been read to its end (every page, each validated by `schema`),
   * and returns the table's items, reading more through the context (the container registry). Its
   * rows then reach SQLite in one batch.
   */
  expand?: (items: Item[], context: ExpandContext) => Promise<Item[]>;
  actions: Action[];
  /** Checks run in the worker before an action's request, by action name (see ActionGuard). */
  guards?: Record<string, ActionGuard>;
  /** What carries out, in the worker, each action that is several requests (Action.arguments), by action name. */
  performers?: Record<string, ActionPerformer>;
}

/** What worker-side functions may read besides the method's own answer. */
export interface ReadContext {
  /** The container registry: manifests by digest, and the token user's login. */
  registry: Pick<RegistryClient, 'manifest' | 'login'>;
  /** How many requests to have in flight at once (--concurrency). */
  concurrency: number;
  signal: AbortSignal;
}

export interface ExpandContext extends ReadContext {
  /** The values the request was made with (path and query values, fixed ones included). */
  params: Readonly<Record<string, string>>;
}

export interface GuardContext extends ReadContext {
  /** Every item of one of this resource's paginated methods for these values: all pages, validated by `schema`. */
  list(method: Method, params: Readonly<Record<string, string>>): Promise<Item[]>;
  /**
   * Kept for one statement (a synchronous run of the SQL thread): what the statement's guards know of
   * its earlier actions (the versions it deleted). It is emptied after any action that succeeds
   * without a guard's `after`.
   */
  statement: Map<string, unknown>;
}

/**
 * Refuses an action by throwing a GhsqlError whose message says why and what to do (nothing is sent);
 * otherwise it may return `after`, run once the action succeeded, to bring what the guard keeps in
 * `statement` up to date.
 */
export type ActionGuard = (args: Readonly<Record<string, string>>, context: GuardContext) => Promise<void | (() => void)>;

/**
 * Carries out an action that is no single request of GitHub's API (removing a tag: a registry push,
 * then a delete), after its guard. Returns the outcome (in a dry run, what it would do, having read
 * and checked everything but sent no write); refuses by throwing a GhsqlError as a guard does.
 */
export type ActionPerformer = (args: Readonly<Record<string, string>>, context: PerformContext) => Promise<string>;

export interface PerformContext extends GuardContext {
  /** The registry, with pushes (a performer may write to it). */
  registry: Pick<RegistryClient, 'manifest' | 'login' | 'pushManifest'>;
  dryRun: boolean;
  /** Sends one write to GitHub's API (spaced, retried and traced as an action's request is). */
  send(route: string, params: Readonly<Record<string, string>>): Promise<void>;
}

export type Item = Record<string, unknown>;

export type ColumnType = 'INTEGER' | 'TEXT' | 'JSON';

export interface Column {
  name: string;
  type: ColumnType;
  description: string;
  /** Where the value comes from; default: the item field of the column's name. */
  from?: ValueSource;
}

/**
 * - `field`: a dotted path in the item (`metadata.container.tags`).
 * - `parameter`: the value the request was made for (a path or query value the method sent), else
 *   `otherwise` (for a parameter the method cannot send, such as `state` on a get).
 * - `derive`: computed from the item.
 */
export type ValueSource =
  | { field: string }
  | { parameter: string; otherwise?: ValueSource }
  | { derive: (item: Item) => unknown };

export interface Parameter {
  /** The column it binds: `WHERE package_type = 'npm'` binds the parameter package_type. */
  column: string;
  description: string;
  /** Allowed values; anything else is refused before any request. */
  values?: readonly string[];
  /** A value for the example WHERE clause in error messages. */
  example: string;
  /**
   * What GitHub assumes when the parameter is not sent (`state`: active). A statement that decides on
   * the column without binding it (`NOT state = 'active'`, `lower(state) = …`) is refused: its rows
   * would silently be the default's.
   */
  default?: string;
}

export interface Method {
  /** GitHub's operationId, e.g. `packages/get-package-for-authenticated-user`. */
  operationId: string;
  /** GitHub's route, verbatim; its `{x}` path segments are filled from the parameters of that name. */
  route: string;
  /** Query-string values: `required` must be bound for this method to be chosen, `optional` are sent when bound. */
  query?: { required?: string[]; optional?: string[] };
  /** Route placeholders the table always fills with these values (a container-only table's package_type): no parameters. */
  fixed?: Record<string, string>;
  /** Follows pages (`Link: rel="next"`); the response is an array of items. */
  paginated?: { maxItems?: number; beyondMaxItems?: string };
  /**
   * This list, sent with the values a get of the same table binds, holds every item that get can
   * answer: a key it lacks has no row. A join asking for many keys then reads the list and asks no
   * get for a key the list lacks. Not so for a list that filters what its get does not (the versions
   * list shows active versions only; a get finds a deleted one too).
   */
  holdsEveryGetAnswer?: true;
  /** One answer that is an array of items (a list without pages); otherwise an unpaginated answer is one item. */
  array?: boolean;
  /**
   * One answer that is an object whose `field` holds an item per key (GET /rate_limit's
   * `resources`): each entry is an item, with its key in the item field `key`.
   */
  entriesOf?: { field: string; key: string };
  /** The answer changes without anything ghsql did (GET /rate_limit): always revalidated, never answered from the cache's TTL. */
  alwaysRevalidate?: boolean;
  /** A 404 means "no such row": an empty result, not an error. */
  notFoundIsEmpty?: boolean;
  /** Otherwise, what a 404 means here, for the error (e.g. no such organization, or the token cannot see it). */
  notFoundMeans?: string;
}

export interface Action {
  /** The SQL function name (GitHub's operationId with `-` as `_`). */
  name: string;
  description: string;
  /**
   * GitHub's route, for an action that is one request: the function's first arguments are its `{x}`
   * placeholders, in order. Without it, the action is several requests (`arguments` then).
   */
  route?: string;
  /**
   * For an action without a route, carried out by the resource's performer of its name
   * (Resource.performers): its required arguments, in order.
   */
  arguments?: string[];
  /** Optional arguments after the path ones, sent as query values. */
  query?: ActionArgument[];
  /** What the function returns on success, and in dry-run mode. */
  outcome: string;
  dryRunOutcome: string;
  /** GitHub's refusals (400) with what to do instead, matched against its message. */
  refusals?: Refusal[];
  /**
   * GitHub refuses to delete the last item of this list (a package's last version). A dry run reads
   * the list (every page) with the action's path values and predicts that refusal, counting the
   * statement's earlier would-be deletes as done. `id` is the item field that is the action's last
   * path value; `refusal` the `when` of the refusal it predicts.
   */
  lastItemOf?: { list: Method; id: string; refusal: string };
}

export interface ActionArgument {
  name: string;
  /** Never shown: not in traces, errors, history, headers or ghsql_actions. */
  secret?: boolean;
  /** Read by the action's guard and never sent (an override); other optional arguments are query values. */
  local?: boolean;
  /** The values it may have; anything else is refused before any request. */
  values?: readonly string[];
}

export interface Refusal {
  /** GitHub's status for it; default 400. */
  status?: number;
  /** A fragment of GitHub's message, lower case. */
  when: string;
  explain: string;
}

const PLACEHOLDER = /\{([^}]+)\}/g;

/** The `{x}` names of a route, in order. */
export function pathParameters(route: string): string[] {
  return [...route.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}

/** The parameters a query must bind for the method: its path placeholders (but fixed ones) and required query values. */
export function requiredParameters(method: Method): string[] {
  return [...pathParameters(method.route).filter((name) => !(name in (method.fixed ?? {}))), ...(method.query?.required ?? [])];
}

/** Every parameter the method sends when bound (fixed values are sent too, but are no parameters). */
export function sentParameters(method: Method): string[] {
  return [...requiredParameters(method), ...(method.query?.optional ?? [])];
}

/** An action's required arguments: its route's placeholders, or its own `arguments`. */
export function requiredArguments(action: Action): string[] {
  return action.route === undefined ? (action.arguments ?? []) : pathParameters(action.route);
}

/** An action's SQL arguments: the required ones, then its optional query arguments. */
export function actionArguments(action: Action): Array<ActionArgument & { optional: boolean }> {
  return [
    ...requiredArguments(action).map((name) => ({ name, optional: false })),
    ...(action.query ?? []).map((argument) => ({ ...argument, optional: true })),
  ];
}
