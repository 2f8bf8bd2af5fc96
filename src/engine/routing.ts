import { GhsqlError } from '../errors.js';
import type { Resource } from './resource.js';

/** What the worker needs to run one query against GitHub; plain data, so it crosses threads. */
export interface QueryPlan {
  table: string;
  /** Index into resource.methods. */
  method: number;
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

  const method = resource.methods.findIndex((candidate) => candidate.requires.every((name) => bound.has(name)));
  if (method < 0) throw missingParameterError(resource, bound);
  const chosen = resource.methods[method]!;
  const sent = new Set([...chosen.requires, ...(chosen.query ?? [])]);
  const params: Record<string, string> = {};
  const filters: QueryPlan['filters'] = [];
  for (const [name, value] of bound) {
    if (sent.has(name)) params[name] = value;
    else filters.push([resource.columns.find((column) => column.name === name)?.field ?? name, value]);
  }
  return { table: resource.table, method, params, filters };
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
