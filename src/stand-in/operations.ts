// Every GitHub operation the stand-in serves, keyed by the method and path template exactly as
// GitHub's OpenAPI description writes them. A new endpoint is one entry here (and its handler, if
// no existing one fits): the owner-specific twins share handlers, which read the owner from the
// {org} or {username} parameter, or take the token's user for /user/….

import { getAuthenticatedUser } from './account-operations.js';
import type { Operation } from './api-types.js';
import { deletePackage, getPackage, listDockerConflicts, listPackages, restorePackage } from './package-operations.js';
import { deleteVersion, getVersion, listVersions, restoreVersion } from './version-operations.js';

const DOCS = 'https://docs.github.com/rest/packages/packages';

const READ = ['read:packages'];
const DELETE = ['read:packages', 'delete:packages'];
const RESTORE = ['read:packages', 'write:packages'];

export const OPERATIONS = {
  // Outside the packages service: ghsql asks it for the login the container registry's token realm wants.
  'GET /user': {
    operationId: 'users/get-authenticated',
    documentationUrl: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
    scopes: [],
    handle: getAuthenticatedUser,
  },
  'GET /user/docker/conflicts': {
    operationId: 'packages/list-docker-migration-conflicting-packages-for-authenticated-user',
    documentationUrl: `${DOCS}#get-list-of-conflicting-packages-during-docker-migration-for-authenticated-user`,
    scopes: READ,
    handle: listDockerConflicts,
  },
  'GET /user/packages': {
    operationId: 'packages/list-packages-for-authenticated-user',
    documentationUrl: `${DOCS}#list-packages-for-the-authenticated-users-namespace`,
    scopes: READ,
    handle: listPackages,
  },
  'GET /user/packages/{package_type}/{package_name}': {
    operationId: 'packages/get-package-for-authenticated-user',
    documentationUrl: `${DOCS}#get-a-package-for-the-authenticated-user`,
    scopes: READ,
    handle: getPackage,
  },
  'DELETE /user/packages/{package_type}/{package_name}': {
    operationId: 'packages/delete-package-for-authenticated-user',
    documentationUrl: `${DOCS}#delete-a-package-for-the-authenticated-user`,
    scopes: DELETE,
    handle: deletePackage,
  },
  'POST /user/packages/{package_type}/{package_name}/restore': {
    operationId: 'packages/restore-package-for-authenticated-user',
    documentationUrl: `${DOCS}#restore-a-package-for-the-authenticated-user`,
    scopes: RESTORE,
    handle: restorePackage,
  },
  'GET /user/packages/{package_type}/{package_name}/versions': {
    operationId: 'packages/get-all-package-versions-for-package-owned-by-authenticated-user',
    documentationUrl: `${DOCS}#list-package-versions-for-a-package-owned-by-the-authenticated-user`,
    scopes: READ,
    handle: listVersions,
  },
  'GET /user/packages/{package_type}/{package_name}/versions/{package_version_id}': {
    operationId: 'packages/get-package-version-for-authenticated-user',
    documentationUrl: `${DOCS}#get-a-package-version-for-the-authenticated-user`,
    scopes: READ,
    handle: getVersion,
  },
  'DELETE /user/packages/{package_type}/{package_name}/versions/{package_version_id}': {
    operationId: 'packages/delete-package-version-for-authenticated-user',
    documentationUrl: `${DOCS}#delete-a-package-version-for-the-authenticated-user`,
    scopes: DELETE,
    handle: deleteVersion,
  },
  'POST /user/packages/{package_type}/{package_name}/versions/{package_version_id}/restore': {
    operationId: 'packages/restore-package-version-for-authenticated-user',
    documentationUrl: `${DOCS}#restore-a-package-version-for-the-authenticated-user`,
    scopes: RESTORE,
    handle: restoreVersion,
  },

  'GET /orgs/{org}/docker/conflicts': {
    operationId: 'packages/list-docker-migration-conflicting-packages-for-organization',
    documentationUrl: `${DOCS}#get-list-of-conflicting-packages-during-docker-migration-for-organization`,
    scopes: READ,
    handle: listDockerConflicts,
  },
  'GET /orgs/{org}/packages': {
    operationId: 'packages/list-packages-for-organization',
    documentationUrl: `${DOCS}#list-packages-for-an-organization`,
    scopes: READ,
    handle: listPackages,
  },
  'GET /orgs/{org}/packages/{package_type}/{package_name}': {
    operationId: 'packages/get-package-for-organization',
    documentationUrl: `${DOCS}#get-a-package-for-an-organization`,
    scopes: READ,
    handle: getPackage,
  },
  'DELETE /orgs/{org}/packages/{package_type}/{package_name}': {
    operationId: 'packages/delete-package-for-org',
    documentationUrl: `${DOCS}#delete-a-package-for-an-organization`,
    scopes: DELETE,
    handle: deletePackage,
  },
  'POST /orgs/{org}/packages/{package_type}/{package_name}/restore': {
    operationId: 'packages/restore-package-for-org',
    documentationUrl: `${DOCS}#restore-a-package-for-an-organization`,
    scopes: RESTORE,
    handle: restorePackage,
  },
  'GET /orgs/{org}/packages/{package_type}/{package_name}/versions': {
    operationId: 'packages/get-all-package-versions-for-package-owned-by-org',
    documentationUrl: `${DOCS}#list-package-versions-for-a-package-owned-by-an-organization`,
    scopes: READ,
    handle: listVersions,
  },
  'GET /orgs/{org}/packages/{package_type}/{package_name}/versions/{package_version_id}': {
    operationId: 'packages/get-package-version-for-organization',
    documentationUrl: `${DOCS}#get-a-package-version-for-an-organization`,
    scopes: READ,
    handle: getVersion,
  },
  'DELETE /orgs/{org}/packages/{package_type}/{package_name}/versions/{package_version_id}': {
    operationId: 'packages/delete-package-version-for-org',
    documentationUrl: `${DOCS}#delete-package-version-for-an-organization`,
    scopes: DELETE,
    handle: deleteVersion,
  },
  'POST /orgs/{org}/packages/{package_type}/{package_name}/versions/{package_version_id}/restore': {
    operationId: 'packages/restore-package-version-for-org',
    documentationUrl: `${DOCS}#restore-package-version-for-an-organization`,
    scopes: RESTORE,
    handle: restoreVersion,
  },

  'GET /users/{username}/docker/conflicts': {
    operationId: 'packages/list-docker-migration-conflicting-packages-for-user',
    documentationUrl: `${DOCS}#get-list-of-conflicting-packages-during-docker-migration-for-user`,
    scopes: READ,
    handle: listDockerConflicts,
  },
  'GET /users/{username}/packages': {
    operationId: 'packages/list-packages-for-user',
    documentationUrl: `${DOCS}#list-packages-for-a-user`,
    scopes: READ,
    handle: listPackages,
  },
  'GET /users/{username}/packages/{package_type}/{package_name}': {
    operationId: 'packages/get-package-for-user',
    documentationUrl: `${DOCS}#get-a-package-for-a-user`,
    scopes: READ,
    handle: getPackage,
  },
  'DELETE /users/{username}/packages/{package_type}/{package_name}': {
    operationId: 'packages/delete-package-for-user',
    documentationUrl: `${DOCS}#delete-a-package-for-a-user`,
    scopes: DELETE,
    handle: deletePackage,
  },
  'POST /users/{username}/packages/{package_type}/{package_name}/restore': {
    operationId: 'packages/restore-package-for-user',
    documentationUrl: `${DOCS}#restore-a-package-for-a-user`,
    scopes: RESTORE,
    handle: restorePackage,
  },
  'GET /users/{username}/packages/{package_type}/{package_name}/versions': {
    operationId: 'packages/get-all-package-versions-for-package-owned-by-user',
    documentationUrl: `${DOCS}#list-package-versions-for-a-package-owned-by-a-user`,
    scopes: READ,
    handle: listVersions,
  },
  'GET /users/{username}/packages/{package_type}/{package_name}/versions/{package_version_id}': {
    operationId: 'packages/get-package-version-for-user',
    documentationUrl: `${DOCS}#get-a-package-version-for-a-user`,
    scopes: READ,
    handle: getVersion,
  },
  'DELETE /users/{username}/packages/{package_type}/{package_name}/versions/{package_version_id}': {
    operationId: 'packages/delete-package-version-for-user',
    documentationUrl: `${DOCS}#delete-package-version-for-a-user`,
    scopes: DELETE,
    handle: deleteVersion,
  },
  'POST /users/{username}/packages/{package_type}/{package_name}/versions/{package_version_id}/restore': {
    operationId: 'packages/restore-package-version-for-user',
    documentationUrl: `${DOCS}#restore-package-version-for-a-user`,
    scopes: RESTORE,
    handle: restoreVersion,
  },
} satisfies Record<string, Operation>;

export type OperationKey = keyof typeof OPERATIONS;
