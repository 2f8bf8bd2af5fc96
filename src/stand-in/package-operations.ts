// GitHub's rules for listing, getting, deleting and restoring packages.

import type { Account } from './accounts.js';
import { badRequest } from './api-responses.js';
import type { ApiResponse, OperationRequest } from './api-types.js';
import { activePackage, changeablePackage, isResponse, packageNotFound, pathOwner } from './lookups.js';
import { deleteFirstPackage, insertPackageFirst, otherPackage } from './misbehaviour.js';
import { PACKAGE_TYPES, REPOSITORY_SCOPED_TYPES, isPackageType, isoSeconds, type PackageType, type StoredPackage } from './packages-data.js';
import { linkHeaders, listPage, pageRequest } from './pagination.js';
import { required } from './path-parameters.js';
import { adminRefusal, isVisible, seesPrivatePackages } from './permissions.js';

const LIST_CAP = 10_000;
const VISIBILITY_FILTERS = ['public', 'private', 'internal'];
export const DELETE_DOWNLOADS_LIMIT = 5_000;
export const RESTORE_WINDOW_MS = 30 * 86_400_000;

export function listPackages(request: OperationRequest): ApiResponse {
  const { operation, query, rawQuery, rawPath, context } = request;
  const owner = pathOwner(request);
  if (isResponse(owner)) return owner;
  const docs = operation.documentationUrl;
  const { ignoreQueryFilters, listCap, shiftDuringList, deleteDuringList } = context.switches;
  const packageType = query.get('package_type') ?? '';
  const visibility = query.get('visibility');
  if (!ignoreQueryFilters && !isPackageType(packageType)) {
    // GitHub does not document this answer; a 400 naming the accepted values is the helpful choice.
    return badRequest(`The package_type parameter is required and must be one of: ${PACKAGE_TYPES.join(', ')}.`, docs);
  }
  if (!ignoreQueryFilters && visibility !== null && !VISIBILITY_FILTERS.includes(visibility)) {
    return badRequest(`The visibility parameter must be one of: ${VISIBILITY_FILTERS.join(', ')}.`, docs);
  }
  const pageAsked = pageRequest(query);
  if (listCap && pageAsked.page * pageAsked.perPage > LIST_CAP) {
    return badRequest('The value of `per_page` multiplied by `page` cannot be greater than 10000.', docs);
  }
  const seesPrivate = seesPrivatePackages(owner, context);
  const type = isPackageType(packageType) ? packageType : 'container';
  const matching = ignoreQueryFilters
    ? owner.packages.allActive().filter((pkg) => isVisible(owner, pkg, context))
    : filterByVisibility(owner, type, visibility, seesPrivate);
  // Links count all matching packages, cap or not: following rel="next" past 10,000 packages
  // meets the 400, which is how a client learns that the list was cut short.
  const page = listPage(matching, pageAsked, `${context.apiBaseUrl}${rawPath}`, rawQuery);
  const response = { status: 200, body: owner.renderer.packageListJson(page.items), headers: linkHeaders(page) };
  const shifted = shiftDuringList && pageAsked.page === 1 ? shiftedVisibility(ignoreQueryFilters ? null : visibility, type, seesPrivate) : undefined;
  if (shifted) insertPackageFirst(owner, type, shifted, context.now);
  if (deleteDuringList && pageAsked.page === 1) deleteFirstPackage(owner, matching, context.now);
  return response;
}

/** shiftDuringList: the visibility of a package that belongs to the list, or undefined for an always-empty one. */
function shiftedVisibility(visibility: string | null, type: PackageType, seesPrivate: boolean): 'public' | 'private' | undefined {
  if (visibility === 'internal' && !REPOSITORY_SCOPED_TYPES.has(type)) return undefined;
  return visibility === 'public' || !seesPrivate ? 'public' : 'private';
}

/** The type's packages of the visibility asked; only public ones for a user who may not see private ones. */
function filterByVisibility(owner: Account, type: PackageType, visibility: string | null, seesPrivate: boolean): readonly StoredPackage[] {
  // Per the parameter's description, `internal` means `private` where permissions are
  // repository-scoped; elsewhere it selects internal packages, and the stand-in has none.
  if (visibility === 'internal' && !REPOSITORY_SCOPED_TYPES.has(type)) return [];
  const asked = visibility === 'internal' ? 'private' : visibility === 'public' || visibility === 'private' ? visibility : undefined;
  if (seesPrivate) return owner.packages.list(type, asked);
  return asked === 'private' ? [] : owner.packages.list(type, 'public');
}

export function getPackage(request: OperationRequest): ApiResponse {
  const target = activePackage(request);
  if (isResponse(target)) return target;
  const pkg = request.context.switches.answerOtherPackage ? otherPackage(target, request.context) : target.pkg;
  return { status: 200, body: target.owner.renderer.packageJson(pkg) };
}

export function deletePackage(request: OperationRequest): ApiResponse {
  const target = changeablePackage(request);
  if (isResponse(target)) return target;
  const { owner, pkg } = target;
  const downloadedMost = Math.max(0, ...owner.versions.of(pkg).list('all').map((version) => version.downloads));
  if (pkg.visibility === 'public' && downloadedMost > DELETE_DOWNLOADS_LIMIT) {
    // The refusal is documented ("if any version of the package has more than 5,000 downloads")
    // but its status is not; 400 as the reference notes say.
    return badRequest(
      'Public packages that have been downloaded more than 5,000 times cannot be deleted. Contact GitHub Support for further assistance.',
      request.operation.documentationUrl,
    );
  }
  owner.packages.markDeleted(pkg, isoSeconds(request.context.now));
  return { status: 204 };
}

export function restorePackage(request: OperationRequest): ApiResponse {
  // The optional `token` query parameter ("package token") is undocumented; it is accepted and ignored.
  const owner = pathOwner(request);
  if (isResponse(owner)) return owner;
  const packageType = required(request.params, 'package_type');
  const packageName = required(request.params, 'package_name');
  const docs = request.operation.documentationUrl;
  const deleted = owner.packages.findLatestDeleted(packageType, packageName);
  if (!deleted || !isVisible(owner, deleted, request.context)) return packageNotFound(request);
  const refusal = adminRefusal(owner, deleted, request);
  if (refusal) return refusal;
  // Both refusals are documented conditions without a documented status: 400, like delete's.
  if (request.context.now - Date.parse(deleted.deleted_at) > RESTORE_WINDOW_MS) {
    return badRequest('This package was deleted more than 30 days ago and can no longer be restored.', docs);
  }
  if (owner.packages.findActive(packageType, packageName)) {
    return badRequest(
      `This package cannot be restored because its namespace has been reused: an active ${packageType} package named "${packageName}" exists. Delete that package first, then restore this one.`,
      docs,
    );
  }
  owner.packages.markRestored(deleted);
  return { status: 204 };
}

/** Packages that conflicted in the Docker migration, that the token's user may see; GitHub documents no paging here. */
export function listDockerConflicts(request: OperationRequest): ApiResponse {
  const owner = pathOwner(request);
  if (isResponse(owner)) return owner;
  const conflicting = owner.packages.allActive().filter((pkg) => pkg.docker_migration_conflict === true && isVisible(owner, pkg, request.context));
  return { status: 200, body: owner.renderer.packageListJson(conflicting) };
}
