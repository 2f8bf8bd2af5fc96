// GitHub's rules for listing, getting, deleting and restoring packages.

import { badRequest, notFound } from './api-responses.js';
import type { ApiResponse, OperationRequest } from './api-types.js';
import type { PackageStore } from './package-store.js';
import { PACKAGE_TYPES, REPOSITORY_SCOPED_TYPES, isPackageType, isoSeconds, type PackageType, type StoredPackage } from './packages-data.js';
import { linkHeaders, listPage, pageRequest } from './pagination.js';
import { required } from './path-parameters.js';

const LIST_CAP = 10_000;
const VISIBILITY_FILTERS = ['public', 'private', 'internal'];
const DELETE_DOWNLOADS_LIMIT = 5_000;
const RESTORE_WINDOW_MS = 30 * 86_400_000;

export function listPackages({ operation, query, rawQuery, rawPath, context }: OperationRequest): ApiResponse {
  const docs = operation.documentationUrl;
  const packageType = query.get('package_type') ?? '';
  if (!isPackageType(packageType)) {
    // GitHub does not document this answer; a 400 naming the accepted values is the helpful choice.
    return badRequest(`The package_type parameter is required and must be one of: ${PACKAGE_TYPES.join(', ')}.`, docs);
  }
  const visibility = query.get('visibility');
  if (visibility !== null && !VISIBILITY_FILTERS.includes(visibility)) {
    return badRequest(`The visibility parameter must be one of: ${VISIBILITY_FILTERS.join(', ')}.`, docs);
  }
  const request = pageRequest(query);
  if (context.listCap && request.page * request.perPage > LIST_CAP) {
    return badRequest('The value of `per_page` multiplied by `page` cannot be greater than 10000.', docs);
  }
  // Links count all matching packages, cap or not: following rel="next" past 10,000 packages
  // meets the 400, which is how a client learns that the list was cut short.
  const page = listPage(filterByVisibility(context.store, packageType, visibility), request, `${context.apiBaseUrl}${rawPath}`, rawQuery);
  return { status: 200, body: context.renderer.packageListJson(page.items), headers: linkHeaders(page) };
}

function filterByVisibility(store: PackageStore, type: PackageType, visibility: string | null): readonly StoredPackage[] {
  if (visibility === 'internal') {
    // Per the parameter's description, `internal` means `private` where permissions are
    // repository-scoped; elsewhere it selects internal packages, and the stand-in has none.
    return REPOSITORY_SCOPED_TYPES.has(type) ? store.list(type, 'private') : [];
  }
  return store.list(type, visibility === 'public' || visibility === 'private' ? visibility : undefined);
}

export function getPackage({ operation, params, context }: OperationRequest): ApiResponse {
  const pkg = context.store.findActive(required(params, 'package_type'), required(params, 'package_name'));
  return pkg ? { status: 200, body: context.renderer.packageJson(pkg) } : packageNotFound(operation.documentationUrl);
}

export function deletePackage({ operation, params, context }: OperationRequest): ApiResponse {
  const pkg = context.store.findActive(required(params, 'package_type'), required(params, 'package_name'));
  if (!pkg) return packageNotFound(operation.documentationUrl);
  if (pkg.visibility === 'public' && pkg.downloads > DELETE_DOWNLOADS_LIMIT) {
    // The refusal is documented but its status is not; 400 as the reference notes say.
    return badRequest(
      'Public packages that have been downloaded more than 5,000 times cannot be deleted. Contact GitHub Support for further assistance.',
      operation.documentationUrl,
    );
  }
  context.store.markDeleted(pkg, isoSeconds(context.now));
  return { status: 204 };
}

export function restorePackage({ operation, params, context }: OperationRequest): ApiResponse {
  // The optional `token` query parameter ("package token") is undocumented; it is accepted and ignored.
  const packageType = required(params, 'package_type');
  const packageName = required(params, 'package_name');
  const docs = operation.documentationUrl;
  const deleted = context.store.findLatestDeleted(packageType, packageName);
  if (!deleted) return packageNotFound(docs);
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

function packageNotFound(documentationUrl: string): ApiResponse {
  return notFound('Package not found.', documentationUrl);
}
