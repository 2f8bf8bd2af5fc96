// Who sees and who may change an account's packages: the token's user owns their own, organizations
// follow the token's memberships, and other users' packages are read-only and public only. An app
// (installation) token has no user: it reaches the packages its repository was given a role in.

import type { Account } from './accounts.js';
import { forbidden } from './api-responses.js';
import type { AccountAccess, ApiContext, ApiResponse, OperationRequest, OrganizationRole, PackageRole } from './api-types.js';
import type { StoredPackage } from './packages-data.js';

/** What visibility depends on: the data and the token's memberships (the registry has no more). */
type Viewing = Pick<ApiContext, 'data' | 'access'>;

function organizationRole(owner: Account, context: Viewing): OrganizationRole | undefined {
  if (owner.type !== 'Organization') return undefined;
  const login = owner.login.toLowerCase();
  const entry = Object.entries(context.access.organizations ?? {}).find(([name]) => name.toLowerCase() === login);
  return entry?.[1];
}

/** An app token's repository's role in the package's Manage Actions access. */
function packageRole(owner: Account, pkg: StoredPackage, access: AccountAccess): PackageRole | undefined {
  const key = `${owner.login}/${pkg.package_type}/${pkg.name}`.toLowerCase();
  return Object.entries(access.packageRoles ?? {}).find(([name]) => name.toLowerCase() === key)?.[1];
}

/** Whether the token's user sees the owner's private packages, not only its public ones (an app token has no user). */
export function seesPrivatePackages(owner: Account, context: Viewing): boolean {
  if (context.access.kind === 'app') return false;
  return owner === context.data.viewer || organizationRole(owner, context) !== undefined;
}

export function isVisible(owner: Account, pkg: StoredPackage, context: Viewing): boolean {
  if (context.access.kind === 'app' && packageRole(owner, pkg, context.access) !== undefined) return true;
  return pkg.visibility === 'public' || seesPrivatePackages(owner, context);
}

/**
 * The 403 for a delete or restore the token's user may not make, or undefined when allowed. The
 * messages are the operations' own documented requirement: GitHub's exact wording is not documented.
 */
export function adminRefusal(owner: Account, pkg: StoredPackage, { operation, context }: OperationRequest): ApiResponse | undefined {
  if (context.access.kind === 'app') {
    return packageRole(owner, pkg, context.access) === 'admin' ? undefined : forbidden(INTEGRATION_REFUSAL, operation.documentationUrl);
  }
  if (owner === context.data.viewer) return undefined;
  if (owner.type === 'Organization') {
    if (organizationRole(owner, context) === 'admin') return undefined;
    return forbidden('The authenticated user must have admin permissions in the organization to use this endpoint.', operation.documentationUrl);
  }
  return forbidden('The authenticated user must have admin permissions to the package to use this endpoint.', operation.documentationUrl);
}

/** GitHub's 403 to an app (installation) token where it may not go. */
export const INTEGRATION_REFUSAL = 'Resource not accessible by integration';

/**
 * The 403 an app token gets before any endpoint's own checks: it has no user, so every /user route
 * is refused, and it may not list an account's packages, only reach named ones.
 */
export function integrationRefusal(routeKey: string, documentationUrl: string): ApiResponse | undefined {
  const path = routeKey.slice(routeKey.indexOf(' ') + 1);
  const listing = /^\/(?:orgs\/\{org\}|users\/\{username\})\/(?:packages|docker\/conflicts)$/.test(path);
  return path === '/user' || path.startsWith('/user/') || listing ? forbidden(INTEGRATION_REFUSAL, documentationUrl) : undefined;
}
