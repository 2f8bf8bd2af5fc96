// Finding what a request's path names (owner, package, version), or the 404 GitHub answers instead.

import type { Account } from './accounts.js';
import { notFound } from './api-responses.js';
import type { ApiResponse, OperationRequest } from './api-types.js';
import type { StoredPackage } from './packages-data.js';
import { required } from './path-parameters.js';
import type { PackageVersions } from './version-store.js';
import type { StoredVersion } from './versions-data.js';

export function isResponse(value: object): value is ApiResponse {
  return 'status' in value;
}

/** The account whose packages the path names. */
export function pathOwner({ context }: OperationRequest): Account | ApiResponse {
  return context.data.viewer;
}

export interface PackageTarget {
  owner: Account;
  pkg: StoredPackage;
}

/** The active package the path names. */
export function activePackage(request: OperationRequest): PackageTarget | ApiResponse {
  const owner = pathOwner(request);
  if (isResponse(owner)) return owner;
  const pkg = owner.packages.findActive(required(request.params, 'package_type'), required(request.params, 'package_name'));
  return pkg ? { owner, pkg } : packageNotFound(request);
}

export interface VersionTarget extends PackageTarget {
  versions: PackageVersions;
  version: StoredVersion;
}

/** The version the path names, of the active package it names, in either state. */
export function packageVersion(request: OperationRequest): VersionTarget | ApiResponse {
  const target = activePackage(request);
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
