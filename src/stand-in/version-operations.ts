// GitHub's rules for listing, getting, deleting and restoring package versions.

import { badRequest } from './api-responses.js';
import type { ApiResponse, OperationRequest } from './api-types.js';
import { activePackage, changeableVersion, isResponse, packageNotFound, packageVersion, versionNotFound } from './lookups.js';
import { deleteFirstVersion, insertVersionFirst, misanswered, otherVersion } from './misbehaviour.js';
import { DELETE_DOWNLOADS_LIMIT, RESTORE_WINDOW_MS } from './package-operations.js';
import { isoSeconds } from './packages-data.js';
import { linkHeaders, listPage, pageRequest } from './pagination.js';
import { versionJson, versionListJson } from './version-representation.js';
import { isDeletedVersion, type VersionState } from './version-store.js';

const STATES: readonly VersionState[] = ['active', 'deleted'];

function isVersionState(text: string): text is VersionState {
  return (STATES as readonly string[]).includes(text);
}

/** Newest first; `state` is active (the default) or deleted. No 10,000 cap: GitHub documents one for package lists only. */
export function listVersions(request: OperationRequest): ApiResponse {
  const { query, rawQuery, rawPath, context } = request;
  const target = activePackage(request);
  if (isResponse(target)) return target;
  const { ignoreQueryFilters, shiftDuringList, deleteDuringList } = context.switches;
  const state = query.get('state') ?? 'active';
  if (!ignoreQueryFilters && !isVersionState(state)) {
    // The documented values are active and deleted; like package_type, anything else is a 400 naming them.
    return badRequest(`The state parameter must be one of: ${STATES.join(', ')}.`, request.operation.documentationUrl);
  }
  if (context.switches.versionListMisanswer === 'not-found') return packageNotFound(request);
  if (context.switches.versionListMisanswer === 'server-error') return { status: 500, body: { message: 'Server Error' } };
  const { owner, pkg } = target;
  const listed = ignoreQueryFilters ? 'all' : state === 'deleted' ? 'deleted' : 'active';
  const pageAsked = pageRequest(query);
  const page = listPage(owner.versions.of(pkg).list(listed), pageAsked, `${context.apiBaseUrl}${rawPath}`, rawQuery);
  const body = versionListJson(owner.renderer, pkg, page.items);
  const { versionListMisanswer } = context.switches;
  const response = { status: 200, body: versionListMisanswer ? misanswered(versionListMisanswer, body) : body, headers: linkHeaders(page) };
  if (shiftDuringList && pageAsked.page === 1) insertVersionFirst(target, listed === 'deleted' ? 'deleted' : 'active', context.now);
  if (deleteDuringList && pageAsked.page === 1 && listed === 'active') deleteFirstVersion(target, context.now);
  return response;
}

/** A deleted version answers 404, as a deleted package does: get shows what the default list shows. */
export function getVersion(request: OperationRequest): ApiResponse {
  const target = packageVersion(request);
  if (isResponse(target)) return target;
  if (target.version.deleted_at !== null) return versionNotFound(request);
  const { pkg, version } = request.context.switches.answerOtherPackage ? otherVersion(target, request.context) : target;
  return { status: 200, body: versionJson(target.owner.renderer, pkg, version) };
}

export function deleteVersion(request: OperationRequest): ApiResponse {
  const target = changeableVersion(request);
  if (isResponse(target)) return target;
  const { pkg, versions, version } = target;
  if (version.deleted_at !== null) return versionNotFound(request);
  const docs = request.operation.documentationUrl;
  // Both refusals are documented without a status; 400, as for packages. GitHub's own message for the first.
  if (versions.list('active').length === 1) {
    return badRequest('You cannot delete the last version of a package. You must delete the package instead.', docs);
  }
  if (pkg.visibility === 'public' && version.downloads > DELETE_DOWNLOADS_LIMIT) {
    return badRequest(
      'Public package versions that have been downloaded more than 5,000 times cannot be deleted. Contact GitHub Support for further assistance.',
      docs,
    );
  }
  versions.markDeleted(version, isoSeconds(request.context.now));
  return { status: 204 };
}

/** Restoring a version that is not deleted answers 404, as restoring a package that is not deleted does. */
export function restoreVersion(request: OperationRequest): ApiResponse {
  const target = changeableVersion(request);
  if (isResponse(target)) return target;
  const { versions, version } = target;
  if (!isDeletedVersion(version)) return versionNotFound(request);
  const docs = request.operation.documentationUrl;
  if (request.context.now - Date.parse(version.deleted_at) > RESTORE_WINDOW_MS) {
    return badRequest('This package version was deleted more than 30 days ago and can no longer be restored.', docs);
  }
  if (versions.findActiveNamed(version.name)) {
    return badRequest(
      `This package version cannot be restored because its version has been reused: an active version named "${version.name}" exists. Delete that version first, then restore this one.`,
      docs,
    );
  }
  versions.markRestored(version);
  return { status: 204 };
}
