import type { Resource } from '../engine/resource.js';
import { authUserContainerLinks } from './auth-user-container-links.js';
import { authUserContainerManifests } from './auth-user-container-manifests.js';
import { authUserPackageVersions } from './auth-user-package-versions.js';
import { authUserPackages } from './auth-user-packages.js';
import { authUserDockerConflicts, orgDockerConflicts, userDockerConflicts } from './docker-conflicts.js';
import { orgContainerLinks } from './org-container-links.js';
import { orgContainerManifests } from './org-container-manifests.js';
import { orgPackageVersions } from './org-package-versions.js';
import { orgPackages } from './org-packages.js';
import { userContainerLinks } from './user-container-links.js';
import { userContainerManifests } from './user-container-manifests.js';
import { userPackageVersions } from './user-package-versions.js';
import { userPackages } from './user-packages.js';

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
  orgContainerManifests,
  orgContainerLinks,
  userContainerManifests,
  userContainerLinks,
];
