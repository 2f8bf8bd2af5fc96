// Who sees and who may change an account's packages: the token's user owns their own, organizations
// follow the token's memberships, and other users' packages are read-only and public only.

import type { Account } from './accounts.js';
import { forbidden } from './api-responses.js';
import type { ApiContext, ApiResponse, OperationRequest, OrganizationRole } from './api-types.js';
import type { StoredPackage } from './packages-data.js';

/** What visibility depends on: the data and the token's memberships (the registry has no more). */
type Viewing = Pick<ApiContext, 'data' | 'access'>;

function organizationRole(owner: Account, context: Viewing): OrganizationRole | undefined {
  if (owner.type !== 'Organization') return undefined;
  const login = owner.login.toLowerCase();
  const entry = Object.entries(context.access.organizations ?? {}).find(([name]) => name.toLowerCase() === login);
  return entry?.[1];
}

/** Whether the token's user sees the owner's private packages, not only its public ones. */
export function seesPrivatePackages(owner: Account, context: Viewing): boolean {
  return owner === context.data.viewer || organizationRole(owner, context) !== undefined;
}

export function isVisible(owner: Account, pkg: StoredPackage, context: Viewing): boolean {
  return pkg.visibility === 'public' || seesPrivatePackages(owner, context);
}

/**
 * The 403 for a delete or restore the token's user may not make, or undefined when allowed. The
 * messages are the operations' own documented requirement: GitHub's exact wording is not documented.
 */
export function adminRefusal(owner: Account, { operation, context }: OperationRequest): ApiResponse | undefined {
  if (owner === context.data.viewer) return undefined;
  if (owner.type === 'Organization') {
    if (organizationRole(owner, context) === 'admin') return undefined;
    return forbidden('The authenticated user must have admin permissions in the organization to use this endpoint.', operation.documentationUrl);
  }
  return forbidden('The authenticated user must have admin permissions to the package to use this endpoint.', operation.documentationUrl);
}
