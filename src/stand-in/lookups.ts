// Finding what a request's path names (owner, package, version), or the 404 GitHub answers instead.
// What the token's user may not see answers 404 too, as on GitHub; what they see but may not change, 403.

import type { Account } from './accounts.js';
import { notFound } from './api-responses.js';
import type { ApiResponse, OperationRequest } from './api-types.js';
import type { StoredPackage } from './packages-data.js';
import { required } from './path-parameters.js';
import { adminRefusal, isVisible } from './permissions.js';
import type { PackageVersions } from './version-store.js';
import type { StoredVersion } from './versions-data.js';

export function isResponse(value: object): value is ApiResponse {
  return 'status' in value;
}

/** The account whose packages the path names: {org}, {username}, or the token's user for /user/…. */
export function pathOwner({ params, operation, context }: OperationRequest): Account | ApiResponse {
  const owner =
    params.org !== undefined ? context.data.organization(params.org) : params.username !== undefined ? context.data.user(params.username) : context.data.viewer;
  return owner ?? notFound('Not Found', operation.documentationUrl);
}

export interface PackageTarget {
  owner: Account;
  pkg: StoredPackage;
}

/** The active package the path names, if the token's user may see it. */
export function activePackage(request: OperationRequest): PackageTarget | ApiResponse {
  const owner = pathOwner(request);
  if (isResponse(owner)) return owner;
  const pkg = owner.packages.findActive(required(request.params, 'package_type'), required(request.params, 'package_name'));
  return pkg && isVisible(owner, pkg, request.context) ? { owner, pkg } : packageNotFound(request);
}

/** As activePackage, for a delete: the token's user must also administer it. */
export function changeablePackage(request: OperationRequest): PackageTarget | ApiResponse {
  const target = activePackage(request);
  return isResponse(target) ? target : (adminRefusal(target.owner, target.pkg, request) ?? target);
}

export interface VersionTarget extends PackageTarget {
  versions: PackageVersions;
  version: StoredVersion;
}

/** The version the path names, in either state, of the active package it names. */
export function packageVersion(request: OperationRequest): VersionTarget | ApiResponse {
  return versionOf(request, activePackage(request));
}

/** As packageVersion, for a delete or restore: the token's user must also administer the package. */
export function changeableVersion(request: OperationRequest): VersionTarget | ApiResponse {
  return versionOf(request, changeablePackage(request));
}

function versionOf(request: OperationRequest, target: PackageTarget | ApiResponse): VersionTarget | ApiResponse {
  if (isResponse(target)) return target;
  const versions = target.owner.versions.of(target.pkg);
  const version = versions.find(required(request.params, 'package_version_id'));
  return version ? { ...target, versions, version } : versionNotFound(request);
}

export function packageNotFound({ operation }: OperationRequest): ApiResponse {
  return notFound('Package not found.', operation.documentationUrl);
}

export function versionNotFound({ operation }: OperationRequest): ApiResponse {
  return notFound('Package version not found.', operation.documentationUrl);
}
