import { GhsqlError } from '../errors.js';
import type { Method, Resource } from './resource.js';

/** What the worker needs to run one query against GitHub; plain data, so it crosses threads. */
export interface QueryPlan {
  table: string;
  /** The method itself (not an index), so the worker can send the request before it loads the resource. */
  method: Method;
  /** Path and query values for the route. */
  params: Record<string, string>;
  /** Bound parameters the chosen method cannot send: checked on each item instead. */
  filters: Array<[field: string, value: string]>;
}

/**
 * Chooses the API method for the parameter values a query bound (`=`/`IN` in WHERE, a join, or
 * table-valued-function arguments) and checks them, before any request. `values` is in the order of
 * resource.parameters; undefined means unbound.
 */
export function planQuery(resource: Resource, values: readonly unknown[]): QueryPlan {
  const bound = new Map<string, string>();
  resource.parameters.forEach((parameter, index) => {
    const value = values[index];
    if (value === undefined) return;
    const text = String(value);
    if (parameter.values && !parameter.values.includes(text)) {
      throw new GhsqlError(
        'INVALID_ARGUMENT',
        `${resource.table}: ${parameter.column} ${JSON.stringify(text)} is not valid; use one of ${parameter.values.join(', ')}.`,
      );
    }
    bound.set(parameter.column, text);
  });

  const chosen = resource.methods.find((candidate) => candidate.requires.every((name) => bound.has(name)));
  if (!chosen) throw missingParameterError(resource, bound);
  const sent = new Set([...chosen.requires, ...(chosen.query ?? [])]);
  const params: Record<string, string> = {};
  const filters: QueryPlan['filters'] = [];
  for (const [name, value] of bound) {
    if (sent.has(name)) params[name] = value;
    else filters.push([resource.columns.find((column) => column.name === name)?.field ?? name, value]);
  }
  return { table: resource.table, method: chosen, params, filters };
}

function missingParameterError(resource: Resource, bound: Map<string, string>): GhsqlError {
  // The method needing the fewest parameters is the one to suggest.
  const simplest = [...resource.methods].sort((a, b) => a.requires.length - b.requires.length)[0]!;
  const missing = simplest.requires.filter((name) => !bound.has(name));
  const example = simplest.requires
    .map((name) => {
      const parameter = resource.parameters.find((candidate) => candidate.column === name)!;
      return `${name} = '${bound.get(name) ?? parameter.example}'`;
    })
    .join(' AND ');
  const choices = missing
    .map((name) => resource.parameters.find((candidate) => candidate.column === name)?.values)
    .filter((values) => values !== undefined)
    .map((values) => ` (one of ${values.join(', ')})`)
    .join('');
  return new GhsqlError(
    'MISSING_PARAMETER',
    `${resource.table} needs ${missing.join(' and ')} in the WHERE clause${choices}, e.g. SELECT * FROM ${resource.table} WHERE ${example}`,
  );
}

/** A list that contains a get's answer: its rows whose `column` holds `value`, and that pass `filters`. */
export interface CoveringList {
  plan: QueryPlan;
  /** Native column index (see columns.ts) of the get's key, e.g. package_name. */
  column: number;
  value: string;
  filters: Array<[column: number, value: string]>;
}

/**
 * For a get (package_type + package_name), the list of the same type that contains its answer. A join
 * that asks for many names of one type can then read the list once instead of one get per name.
 */
export function coveringList(resource: Resource, plan: QueryPlan, columnIndex: (field: string) => number): CoveringList | undefined {
  if (plan.method.paginated) return undefined;
  const list = resource.methods.find((candidate) => candidate.paginated && candidate.requires.every((name) => name in plan.params));
  if (!list) return undefined;
  const listRequires = list.requires;
  const keys = Object.keys(plan.params).filter((name) => !listRequires.includes(name));
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  const params = Object.fromEntries(listRequires.map((name) => [name, plan.params[name]!]));
  return {
    plan: { table: plan.table, method: list, params, filters: [] },
    column: columnIndex(resource.columns.find((column) => column.name === key)?.field ?? key),
    value: plan.params[key]!,
    filters: plan.filters.map(([field, value]) => [columnIndex(field), value]),
  };
}
