import type { z } from 'zod';

/**
 * A GitHub table as data: its columns and where each value comes from, the parameters that route a
 * query, the API methods behind it and the actions it offers as SQL functions. The engine turns this
 * into a SQLite virtual table (virtual-table.ts) and SQL functions (actions.ts); check-resource.ts
 * refuses a description with a mistake at registration. A new table is one new file in
 * src/resources/ that exports one of these.
 *
 * Everything but `schema` and `derive` functions is plain data: methods and actions cross to the
 * worker thread by structured clone.
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
  actions: Action[];
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
}

export interface Method {
  /** GitHub's operationId, e.g. `packages/get-package-for-authenticated-user`. */
  operationId: string;
  /** GitHub's route, verbatim; its `{x}` path segments are filled from the parameters of that name. */
  route: string;
  /** Query-string values: `required` must be bound for this method to be chosen, `optional` are sent when bound. */
  query?: { required?: string[]; optional?: string[] };
  /** Follows pages (`Link: rel="next"`); the response is an array of items. */
  paginated?: { maxItems?: number; beyondMaxItems?: string };
  /** One answer that is an array of items (a list without pages); otherwise an unpaginated answer is one item. */
  array?: boolean;
  /** A 404 means "no such row": an empty result, not an error. */
  notFoundIsEmpty?: boolean;
  /** Otherwise, what a 404 means here, for the error (e.g. no such organization, or the token cannot see it). */
  notFoundMeans?: string;
  /** Scopes a classic token needs to call it, for error messages. */
  scopes: string[];
}

export interface Action {
  /** The SQL function name (GitHub's operationId with `-` as `_`). */
  name: string;
  description: string;
  /** GitHub's route; the function's first arguments are its `{x}` placeholders, in order. */
  route: string;
  /** Optional arguments after the path ones, sent as query values. */
  query?: ActionArgument[];
  /** What the function returns on success, and in dry-run mode. */
  outcome: string;
  dryRunOutcome: string;
  /** Scopes GitHub asks for; named in the error when a request is refused for lack of them. */
  scopes: string[];
  /** GitHub's refusals (400) with what to do instead, matched against its message. */
  refusals?: Refusal[];
}

export interface ActionArgument {
  name: string;
  /** Never shown: not in traces, errors, history, headers or ghsql_actions. */
  secret?: boolean;
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

/** The parameters a query must bind for the method: its path placeholders and required query values. */
export function requiredParameters(method: Method): string[] {
  return [...pathParameters(method.route), ...(method.query?.required ?? [])];
}

/** Every parameter the method sends when bound. */
export function sentParameters(method: Method): string[] {
  return [...requiredParameters(method), ...(method.query?.optional ?? [])];
}

/** An action's SQL arguments: the route's placeholders, then its optional query arguments. */
export function actionArguments(action: Action): Array<ActionArgument & { optional: boolean }> {
  return [
    ...pathParameters(action.route).map((name) => ({ name, optional: false })),
    ...(action.query ?? []).map((argument) => ({ ...argument, optional: true })),
  ];
}
