import type { z } from 'zod';

/**
 * A GitHub table as data: its columns, the parameters that route a query, the API methods behind it
 * and the actions it offers as SQL functions. The engine (virtual-table.ts, execute.ts) turns this into
 * a SQLite virtual table; a new table is one new file in src/resources/ that exports one of these.
 */
export interface Resource {
  /** The SQL name users query. */
  table: string;
  description: string;
  /** The columns of `SELECT *`, in order. */
  columns: Column[];
  /** Values a query must (or may) bind with `=` or `IN` to route it to an API method. */
  parameters: Parameter[];
  /** API methods, most specific first: a query runs the first whose required parameters it binds. */
  methods: Method[];
  /**
   * Schema of one item GitHub returns; a response that breaks it is an error naming the field. It
   * checks; rows are built from the item as received, so unchecked fields of JSON columns survive.
   */
  item: z.ZodType<Record<string, unknown>>;
  actions: Action[];
}

export type ColumnType = 'INTEGER' | 'TEXT' | 'JSON';

export interface Column {
  name: string;
  type: ColumnType;
  description: string;
  /** The item field the value comes from, when it is not the column's own name. */
  field?: string;
}

export interface Parameter {
  /** Same name as the column that shows it: `WHERE package_type = 'npm'` binds this parameter. */
  column: string;
  description: string;
  /** Allowed values; anything else is refused before any request. */
  values?: readonly string[];
  /** A value for the example WHERE clause in error messages. */
  example: string;
}

export interface Method {
  name: string;
  /** GitHub's route, verbatim from its documentation; `{x}` path segments are filled from parameters. */
  route: string;
  /** Parameters the query must bind for this method to be chosen. */
  requires: string[];
  /** Further parameters sent as query-string values when bound. */
  query?: string[];
  /** Follows pages (`Link: rel="next"`); the response is an array of items. */
  paginated?: boolean;
  /** A 404 means "no such row": an empty result, not an error. */
  notFoundIsEmpty?: boolean;
}

export interface Action {
  /** The SQL function name. */
  name: string;
  description: string;
  route: string;
  /** Positional SQL arguments; the first `required` of them must be given. */
  args: ActionArgument[];
  required: number;
  /** What the function returns on success, and in dry-run mode. */
  outcome: string;
  dryRunOutcome: string;
  /** Scopes GitHub asks for; named in the error when a request is refused for lack of them. */
  scopes: string[];
}

export interface ActionArgument {
  name: string;
  /** Sent in the path (`{name}` in the route) unless `in: 'query'`. */
  in?: 'query';
  /** Checked against the parameter of the same name, if the resource has one. */
  parameter?: string;
  secret?: boolean; // a credential (a package token): the CLI keeps it out of history, column names and errors
}
