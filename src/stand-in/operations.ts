// Every GitHub operation the stand-in serves, keyed by the method and path template exactly as
// GitHub's OpenAPI description writes them. A new endpoint is one entry here (and its handler).

import type { Operation } from './api-types.js';
import { deletePackage, getPackage, listPackages, restorePackage } from './package-operations.js';
import { deleteVersion, getVersion, listVersions, restoreVersion } from './version-operations.js';

const DOCS = 'https://docs.github.com/rest/packages/packages';

const READ = ['read:packages'];
const DELETE = ['read:packages', 'delete:packages'];
const RESTORE = ['read:packages', 'write:packages'];

export const OPERATIONS = {
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
} satisfies Record<string, Operation>;

export type OperationKey = keyof typeof OPERATIONS;
