import { GhsqlError } from '../errors.js';
import type { DefinedTable, Endpoint } from '../table/define.js';
import { planKey, type QueryPlan } from '../table/wire.js';
import { comparableText } from './sql-values.js';

/** A plan with its identity (planKey), by which the memo and prefetched streams know it. */
export interface KeyedPlan {
  plan: QueryPlan;
  key: string;
}

/** Native column index and the text its value must have: every bound parameter, checked on every row. */
export type RowCheck = [column: number, text: string];

export interface RoutedQuery {
  /** Undefined when SQL says no row can match (a blob, `''`, `'..'`): no request is made. */
  planned?: KeyedPlan & { endpoint: Endpoint };
  /**
   * better-sqlite3 tells SQLite not to re-check parameter constraints, so ghsql checks each row:
   * a server that ignored a filter or answered another package cannot put a wrong row in a result.
   */
  checks: RowCheck[];
  /** The bound values by parameter, as text. */
  bound: Map<string, string>;
}

/** Path values that would leave their segment once a URL is normalised; no GitHub name is one. */
const NOT_A_PATH_SEGMENT = new Set(['', '.', '..']);

/**
 * Chooses the API method for the parameter values a query bound (`=`/`IN` in WHERE, a join, or
 * table-valued-function arguments) and checks them, before any request. `values` is in the order of
 * resource.parameters; undefined means unbound. Values compare as SQL compares them with the column
 * (sql-values.ts).
 */
export function routeQuery(table: DefinedTable, values: readonly unknown[]): RoutedQuery {
  const { resource, nativeColumns: columns } = table;
  const bound = new Map<string, string>();
  const checks: RowCheck[] = [];
  let matchesNothing = false;
  resource.parameters.forEach((parameter, index) => {
    const value = values[index];
    if (value === undefined) return;
    const column = columns[index]!;
    if (column.type !== 'INTEGER' && (typeof value === 'number' || typeof value === 'bigint')) {
      // SQL would compare text with a number by the affinity of the number's source (a literal, an
      // INTEGER column, an untyped column), which the table is not told: say so rather than guess.
      throw new GhsqlError(
        'INVALID_ARGUMENT',
        `${resource.table}: ${parameter.column} is text, compared here with the number ${String(value)}, and SQL's answer would depend on where that number comes from. Compare it with text: ${parameter.column} = '${String(value)}', or CAST(… AS TEXT).`,
      );
    }
    const text = comparableText(column.type === 'INTEGER' ? 'INTEGER' : 'TEXT', value);
    if (text === undefined) {
      matchesNothing = true;
      return;
    }
    if (parameter.values && !parameter.values.includes(text)) {
      throw new GhsqlError(
        'INVALID_ARGUMENT',
        `${resource.table}: ${parameter.column} ${JSON.stringify(text)} is not valid; use one of ${parameter.values.join(', ')}.`,
      );
    }
    bound.set(parameter.column, text);
    checks.push([index, text]);
  });

  // A value no row can hold (a blob) answers nothing, whatever else is bound.
  if (matchesNothing) return { checks, bound };
  const endpoint = table.endpoints.find((candidate) => candidate.required.every((name) => bound.has(name)));
  if (!endpoint) throw missingParameterError(table, bound);
  const params = sentValues(endpoint, bound);
  if (endpoint.path.some((name) => NOT_A_PATH_SEGMENT.has(params[name] ?? ''))) {
    return { checks, bound };
  }
  return { planned: { ...plan(table, endpoint, params), endpoint }, checks, bound };
}

function plan(table: DefinedTable, endpoint: Endpoint, params: Record<string, string>): KeyedPlan {
  const expand = table.resource.expand !== undefined;
  return {
    plan: { table: table.name, method: endpoint.method, params, rowShape: table.rowShape, ...(expand ? { expand: true as const } : {}) },
    key: planKey(table.name, endpoint.index, params, expand),
  };
}

/** What a method sends for the bound values: its fixed values, and each parameter it sends that is bound. */
function sentValues(endpoint: Endpoint, bound: ReadonlyMap<string, string>): Record<string, string> {
  return { ...endpoint.method.fixed, ...Object.fromEntries(endpoint.sent.flatMap((name) => (bound.has(name) ? [[name, bound.get(name)!]] : []))) };
}

function missingParameterError({ resource, endpoints }: DefinedTable, bound: Map<string, string>): GhsqlError {
  // The method needing the fewest parameters is the one to suggest.
  const simplest = [...endpoints].sort((a, b) => a.required.length - b.required.length)[0]!;
  const required = simplest.required;
  const missing = required.filter((name) => !bound.has(name));
  const example = required
    .map((name) => `${name} = '${bound.get(name) ?? resource.parameters.find((candidate) => candidate.column === name)!.example}'`)
    .join(' AND ');
  const choices = missing
    .map((name) => resource.parameters.find((candidate) => candidate.column === name)?.values)
    .filter((values) => values !== undefined)
    .map((values) => ` (one of ${values.join(', ')})`)
    .join('');
  return new GhsqlError(
    'MISSING_PARAMETER',
    `${resource.table} needs ${missing.join(' and ')} in the WHERE clause${choices}, e.g. SELECT * FROM ${resource.table} WHERE ${example}. ` +
      `(Inside OR, SQLite may not pass it on: write ${missing[0]} IN (…) AND (…), or a UNION.)`,
  );
}

/** A list that contains a get's answer: its rows whose `column` holds `value`. */
export interface CoveringList extends KeyedPlan {
  /** Native column index (see table/define.ts) of the get's key, e.g. package_name. */
  column: number;
  value: string;
}

/**
 * For a get (package_type + package_name), the list that contains its answer, sent with the same
 * values. A join that asks for many names of one type can then read the list once instead of one get
 * per name. Only when exactly one path value of the get is not sent by the list: that is the key.
 */
export function coveringList(table: DefinedTable, routed: RoutedQuery): CoveringList | undefined {
  const { planned, bound } = routed;
  const covering = planned?.endpoint.coveringLists.find(({ list }) => list.required.every((name) => bound.has(name)));
  if (!covering) return undefined;
  return { ...plan(table, covering.list, sentValues(covering.list, bound)), column: covering.keyIndex, value: bound.get(covering.key)! };
}
