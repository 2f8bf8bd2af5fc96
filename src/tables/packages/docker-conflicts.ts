import { ORG_OWNER, USER_OWNER } from './package-facts.js';
import { conflictsTable } from './package-tables.js';

// Packages that conflict with the Docker registry's migration to the container registry, for each owner.

export const authUserDockerConflicts = conflictsTable({
  table: 'auth_user_docker_conflicts',
  description: "The authenticated user's packages that conflict with a Docker migration.",
  list: ['packages/list-docker-migration-conflicting-packages-for-authenticated-user', 'GET /user/docker/conflicts'],
});

export const orgDockerConflicts = conflictsTable({
  table: 'org_docker_conflicts',
  description: "An organization's packages that conflict with a Docker migration.",
  owner: ORG_OWNER,
  list: ['packages/list-docker-migration-conflicting-packages-for-organization', 'GET /orgs/{org}/docker/conflicts'],
});

export const userDockerConflicts = conflictsTable({
  table: 'user_docker_conflicts',
  description: "A user's packages that conflict with a Docker migration.",
  owner: USER_OWNER,
  list: ['packages/list-docker-migration-conflicting-packages-for-user', 'GET /users/{username}/docker/conflicts'],
});
