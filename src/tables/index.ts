import type { Resource } from '../table/types.js';
import { authUserContainerBlobs } from './containers/auth-user-container-blobs.js';
import { rateLimit } from './account/rate-limit.js';
import { authUserContainerLinks } from './containers/auth-user-container-links.js';
import { authUserContainerManifests } from './containers/auth-user-container-manifests.js';
import { authUserPackageVersions } from './packages/auth-user-package-versions.js';
import { authUserPackages } from './packages/auth-user-packages.js';
import { authUserDockerConflicts, orgDockerConflicts, userDockerConflicts } from './packages/docker-conflicts.js';
import { orgContainerBlobs } from './containers/org-container-blobs.js';
import { orgContainerLinks } from './containers/org-container-links.js';
import { orgContainerManifests } from './containers/org-container-manifests.js';
import { orgPackageVersions } from './packages/org-package-versions.js';
import { orgPackages } from './packages/org-packages.js';
import { userContainerBlobs } from './containers/user-container-blobs.js';
import { userContainerLinks } from './containers/user-container-links.js';
import { userContainerManifests } from './containers/user-container-manifests.js';
import { userPackageVersions } from './packages/user-package-versions.js';
import { userPackages } from './packages/user-packages.js';

/** Every table ghsql registers. */
export const resources: readonly Resource[] = [
  authUserPackages,
  authUserPackageVersions,
  orgPackages,
  orgPackageVersions,
  userPackages,
  userPackageVersions,
  authUserDockerConflicts,
  orgDockerConflicts,
  userDockerConflicts,
  authUserContainerManifests,
  authUserContainerLinks,
  authUserContainerBlobs,
  orgContainerManifests,
  orgContainerLinks,
  orgContainerBlobs,
  userContainerManifests,
  userContainerLinks,
  userContainerBlobs,
  rateLimit,
];
