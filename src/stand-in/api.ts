// The stand-in's API layer: finds the operation for a request (operations.ts), the scopes it needs,
// and its answer. Transport concerns (auth, rate limits, caching, faults) are in server.ts.

import type { ApiContext, ApiResponse, Operation } from './api-types.js';
import { OPERATIONS, type OperationKey } from './operations.js';
import { REPOSITORY_SCOPED_TYPES } from './packages-data.js';
import { PATH_PARAMETER_PARSERS, type PathParams } from './path-parameters.js';
import { RouteTemplates } from './route-template.js';

export { errorBody, REST_DOCS_URL } from './api-responses.js';
export type { ApiContext, ApiResponse } from './api-types.js';

export interface Route {
  key: OperationKey;
  operation: Operation;
  params: PathParams;
  /** As received, still percent-encoded. */
  rawPath: string;
}

const ROUTES = new RouteTemplates(Object.keys(OPERATIONS) as OperationKey[], PATH_PARAMETER_PARSERS);

/** The route for a method and a raw (percent-encoded) path, or undefined for GitHub's plain 404. */
export function resolveRoute(method: string, rawPath: string): Route | undefined {
  const match = ROUTES.match(method, rawPath);
  if (!match) return undefined;
  // The parsers in PATH_PARAMETER_PARSERS give each PathParams field its type.
  return { key: match.key, operation: OPERATIONS[match.key], params: match.params as PathParams, rawPath };
}

export function documentationUrl(route: Route): string {
  return route.operation.documentationUrl;
}

/** Writes to repository-scoped registries (maven, docker) also need `repo`. */
export function requiredScopes(route: Route): string[] {
  const { scopes } = route.operation;
  const writes = scopes.some((scope) => scope !== 'read:packages');
  const type = route.params.package_type;
  return writes && type !== undefined && REPOSITORY_SCOPED_TYPES.has(type) ? [...scopes, 'repo'] : [...scopes];
}

export function answer(route: Route, query: URLSearchParams, rawQuery: string, context: ApiContext): ApiResponse {
  const { operation, params, rawPath } = route;
  return operation.handle({ operation, params, rawPath, query, rawQuery, context });
}
