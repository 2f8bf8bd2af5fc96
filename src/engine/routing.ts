import { GhsqlError } from '../errors.js';
import { nativeColumns } from './columns.js';
import { pathParameters, requiredParameters, sentParameters, type Method, type Resource } from './resource.js';
import { comparableText } from './sql-values.js';

/** What the worker needs to run one query against GitHub; plain data, so it crosses threads. */
export interface QueryPlan {
  table: string;
  /** The method itself (not an index), so the worker can send the request before it loads the resource. */
  method: Method;
  /** Values sent: the route's path values and query values, as text. */
  params: Record<string, string>;
  /** The resource computes its rows from the whole list (Resource.expand): read every page first. */
  expand?: true;
}

/** Native column index and the text its value must have: every bound parameter, checked on every row. */
export type RowCheck = [column: number, text: string];

export interface RoutedQuery {
  /** Undefined when SQL says no row can match (a blob, `''`, `'..'`): no request is made. */
  plan?: QueryPlan;
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
export function routeQuery(resource: Resource, values: readonly unknown[]): RoutedQuery {
  const columns = nativeColumns(resource);
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
  const method = resource.methods.find((candidate) => requiredParameters(candidate).every((name) => bound.has(name)));
  if (!method) throw missingParameterError(resource, bound);
  const params = sentValues(method, bound);
  if (pathParameters(method.route).some((name) => NOT_A_PATH_SEGMENT.has(params[name] ?? ''))) {
    return { checks, bound };
  }
  return { plan: { table: resource.table, method, params, ...(resource.expand ? { expand: true as const } : {}) }, checks, bound };
}

/** What a method sends for the bound values: its fixed values, and each parameter it sends that is bound. */
function sentValues(method: Method, bound: ReadonlyMap<string, string>): Record<string, string> {
  return { ...method.fixed, ...Object.fromEntries(sentParameters(method).flatMap((name) => (bound.has(name) ? [[name, bound.get(name)!]] : []))) };
}

function missingParameterError(resource: Resource, bound: Map<string, string>): GhsqlError {
  // The method needing the fewest parameters is the one to suggest.
  const simplest = [...resource.methods].sort((a, b) => requiredParameters(a).length - requiredParameters(b).length)[0]!;
  const required = requiredParameters(simplest);
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
export interface CoveringList {
  plan: QueryPlan;
  /** Native column index (see columns.ts) of the get's key, e.g. package_name. */
  column: number;
  value: string;
}

/**
 * For a get (package_type + package_name), the list that contains its answer, sent with the same
 * values. A join that asks for many names of one type can then read the list once instead of one get
 * per name. Only when exactly one path value of the get is not sent by the list: that is the key.
 */
export function coveringList(resource: Resource, routed: RoutedQuery): CoveringList | undefined {
  const { plan, bound } = routed;
  if (!plan || plan.method.paginated) return undefined;
  for (const list of resource.methods) {
    if (!list.paginated || !requiredParameters(list).every((name) => bound.has(name))) continue;
    const listSends = new Set([...sentParameters(list), ...Object.keys(list.fixed ?? {})]);
    const keys = pathParameters(plan.method.route).filter((name) => !listSends.has(name) && !(name in (plan.method.fixed ?? {})));
    if (keys.length !== 1) continue;
    const key = keys[0]!;
    const params = sentValues(list, bound);
    return {
      plan: { table: plan.table, method: list, params, ...(plan.expand ? { expand: true as const } : {}) },
      column: resource.parameters.findIndex((parameter) => parameter.column === key),
      value: bound.get(key)!,
    };
  }
  return undefined;
}
