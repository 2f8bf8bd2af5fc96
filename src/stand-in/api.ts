// The /user/packages endpoints: routing, the scopes each needs, and GitHub's rules for listing,
// deleting and restoring. Transport concerns (auth, rate limits, caching, faults) are in server.ts.

import type { PackageStore } from './package-store.js';
import {
  PACKAGE_TYPES,
  REPOSITORY_SCOPED_TYPES,
  isPackageType,
  isoSeconds,
  type PackageType,
  type StoredPackage,
} from './packages-data.js';
import type { PackageRenderer } from './representations.js';

export const REST_DOCS_URL = 'https://docs.github.com/rest';

export type Route =
  | { operation: 'list' }
  | { operation: 'get' | 'delete' | 'restore'; packageType: PackageType; packageName: string };

type PackageRoute = Exclude<Route, { operation: 'list' }>;

export interface ApiResponse {
  status: number;
  /** JSON text, or a value to serialise; absent for 204. */
  body?: Buffer | object;
  headers?: Record<string, string>;
}

export interface ApiContext {
  store: PackageStore;
  renderer: PackageRenderer;
  apiBaseUrl: string;
  /** Enforce GitHub's page × per_page <= 10,000 rule. */
  listCap: boolean;
  now: number;
}

const OPERATIONS = {
  list: {
    documentationUrl: 'https://docs.github.com/rest/packages/packages#list-packages-for-the-authenticated-users-namespace',
    scopes: ['read:packages'],
    writes: false,
  },
  get: {
    documentationUrl: 'https://docs.github.com/rest/packages/packages#get-a-package-for-the-authenticated-user',
    scopes: ['read:packages'],
    writes: false,
  },
  delete: {
    documentationUrl: 'https://docs.github.com/rest/packages/packages#delete-a-package-for-the-authenticated-user',
    scopes: ['read:packages', 'delete:packages'],
    writes: true,
  },
  restore: {
    documentationUrl: 'https://docs.github.com/rest/packages/packages#restore-a-package-for-the-authenticated-user',
    scopes: ['read:packages', 'write:packages'],
    writes: true,
  },
} as const;

const LIST_CAP = 10_000;
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;
const VISIBILITY_FILTERS = ['public', 'private', 'internal'];
const DELETE_DOWNLOADS_LIMIT = 5_000;
const RESTORE_WINDOW_MS = 30 * 86_400_000;

export function errorBody(message: string, documentationUrl: string, status: number) {
  return { message, documentation_url: documentationUrl, status: String(status) };
}

/** The route for a method and a raw (percent-encoded) path, or undefined for GitHub's plain 404. */
export function resolveRoute(method: string, rawPath: string): Route | undefined {
  const [empty, user, packages, rawType, rawName, action, ...extra] = rawPath.split('/');
  if (empty !== '' || user !== 'user' || packages !== 'packages' || extra.length > 0) return undefined;
  if (rawType === undefined) return method === 'GET' ? { operation: 'list' } : undefined;
  if (!isPackageType(rawType) || !rawName) return undefined;
  const packageName = decodeSegment(rawName);
  if (packageName === undefined) return undefined;
  const target = { packageType: rawType, packageName };
  if (action === undefined) {
    if (method === 'GET') return { operation: 'get', ...target };
    if (method === 'DELETE') return { operation: 'delete', ...target };
  } else if (action === 'restore' && method === 'POST') {
    return { operation: 'restore', ...target };
  }
  return undefined;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // malformed percent-encoding names no package
  }
}

export function documentationUrl(route: Route): string {
  return OPERATIONS[route.operation].documentationUrl;
}

/** Writes to repository-scoped registries (maven, docker) also need `repo`. */
export function requiredScopes(route: Route): string[] {
  const operation = OPERATIONS[route.operation];
  const needsRepo = operation.writes && route.operation !== 'list' && REPOSITORY_SCOPED_TYPES.has(route.packageType);
  return needsRepo ? [...operation.scopes, 'repo'] : [...operation.scopes];
}

export function answer(route: Route, query: URLSearchParams, rawQuery: string, context: ApiContext): ApiResponse {
  switch (route.operation) {
    case 'list':
      return listPackages(query, rawQuery, context);
    case 'get': {
      const pkg = context.store.findActive(route.packageType, route.packageName);
      return pkg ? { status: 200, body: context.renderer.packageJson(pkg) } : packageNotFound(route);
    }
    case 'delete':
      return deletePackage(route, context);
    case 'restore':
      return restorePackage(route, context);
  }
}

function listPackages(query: URLSearchParams, rawQuery: string, context: ApiContext): ApiResponse {
  const docs = OPERATIONS.list.documentationUrl;
  const packageType = query.get('package_type') ?? '';
  if (!isPackageType(packageType)) {
    // GitHub does not document this answer; a 400 naming the accepted values is the helpful choice.
    return badRequest(`The package_type parameter is required and must be one of: ${PACKAGE_TYPES.join(', ')}.`, docs);
  }
  const visibility = query.get('visibility');
  if (visibility !== null && !VISIBILITY_FILTERS.includes(visibility)) {
    return badRequest(`The visibility parameter must be one of: ${VISIBILITY_FILTERS.join(', ')}.`, docs);
  }
  // Values that are not positive integers fall back to the defaults rather than fail the request.
  const perPage = Math.min(positiveInteger(query.get('per_page')) ?? DEFAULT_PER_PAGE, MAX_PER_PAGE);
  const page = positiveInteger(query.get('page')) ?? 1;
  if (context.listCap && page * perPage > LIST_CAP) {
    return badRequest('The value of `per_page` multiplied by `page` cannot be greater than 10000.', docs);
  }

  const matching = filterByVisibility(context.store, packageType, visibility);
  const start = (page - 1) * perPage;
  const body = context.renderer.packageListJson(matching.slice(start, start + perPage));
  // Counted from all matching packages, cap or not: following rel="next" past 10,000 packages
  // meets the 400, which is how a client learns that the list was cut short.
  const lastPage = Math.max(1, Math.ceil(matching.length / perPage));
  const link = linkHeader(`${context.apiBaseUrl}/user/packages`, rawQuery, page, lastPage);
  return { status: 200, body, headers: link === undefined ? {} : { link } };
}

function filterByVisibility(store: PackageStore, type: PackageType, visibility: string | null): readonly StoredPackage[] {
  if (visibility === 'internal') {
    // Per the parameter's description, `internal` means `private` where permissions are
    // repository-scoped; elsewhere it selects internal packages, and the stand-in has none.
    return REPOSITORY_SCOPED_TYPES.has(type) ? store.list(type, 'private') : [];
  }
  return store.list(type, visibility === 'public' || visibility === 'private' ? visibility : undefined);
}

function positiveInteger(text: string | null): number | undefined {
  if (text === null || !/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value > 0 ? value : undefined;
}

/**
 * GitHub's format: the request's query with `page` moved to the end, links in the order
 * prev, next, last, first; no header when everything fits on one page.
 */
function linkHeader(endpointUrl: string, rawQuery: string, page: number, lastPage: number): string | undefined {
  const kept = rawQuery.split('&').filter((parameter) => parameter !== '' && parameter.split('=')[0] !== 'page');
  const pageUrl = (target: number) => `<${endpointUrl}?${[...kept, `page=${target}`].join('&')}>`;
  const links: string[] = [];
  if (page > 1) links.push(`${pageUrl(page - 1)}; rel="prev"`);
  if (page < lastPage) links.push(`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(lastPage)}; rel="last"`);
  if (page > 1) links.push(`${pageUrl(1)}; rel="first"`);
  return links.length > 0 ? links.join(', ') : undefined;
}

function deletePackage(route: PackageRoute, context: ApiContext): ApiResponse {
  const pkg = context.store.findActive(route.packageType, route.packageName);
  if (!pkg) return packageNotFound(route);
  if (pkg.visibility === 'public' && pkg.downloads > DELETE_DOWNLOADS_LIMIT) {
    // The refusal is documented but its status is not; 400 as the reference notes say.
    return badRequest(
      'Public packages that have been downloaded more than 5,000 times cannot be deleted. Contact GitHub Support for further assistance.',
      OPERATIONS.delete.documentationUrl,
    );
  }
  context.store.markDeleted(pkg, isoSeconds(context.now));
  return { status: 204 };
}

function restorePackage(route: PackageRoute, context: ApiContext): ApiResponse {
  // The optional `token` query parameter ("package token") is undocumented; it is accepted and ignored.
  const { packageType, packageName } = route;
  const deleted = context.store.findLatestDeleted(packageType, packageName);
  if (!deleted) return packageNotFound(route);
  const docs = OPERATIONS.restore.documentationUrl;
  // Both refusals are documented conditions without a documented status: 400, like delete's.
  if (context.now - Date.parse(deleted.deleted_at) > RESTORE_WINDOW_MS) {
    return badRequest('This package was deleted more than 30 days ago and can no longer be restored.', docs);
  }
  if (context.store.findActive(packageType, packageName)) {
    return badRequest(
      `This package cannot be restored because its namespace has been reused: an active ${packageType} package named "${packageName}" exists. Delete that package first, then restore this one.`,
      docs,
    );
  }
  context.store.markRestored(deleted);
  return { status: 204 };
}

function packageNotFound(route: Route): ApiResponse {
  return { status: 404, body: errorBody('Package not found.', documentationUrl(route), 404) };
}

function badRequest(message: string, documentationUrl: string): ApiResponse {
  return { status: 400, body: errorBody(message, documentationUrl, 400) };
}
