// What each kind of token is told, through the CLI, when GitHub refuses it: the stand-in answers as
// GitHub does for each kind (a ghs_ installation token, a github_pat_ fine-grained one, a ghp_
// classic one missing a scope), and the message says what to do, naming the kind and where the token
// came from, never the token.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { runCli, tempHome, type TempHome } from './helpers.js';

// Made-up values in each kind's prefix, too short to look like a real token to a secret scanner.
const WORKFLOW = 'ghs_workflow-token-of-the-test';
const FINE_GRAINED = 'github_pat_fine-grained-of-the-test';
const READ_ONLY = 'ghp_read-only-of-the-test';

let standIn: StandIn;
let home: TempHome;
beforeAll(async () => {
  standIn = await startStandIn({
    tokens: {
      // The workflow's repository has Admin on edge-proxy, Read on api-types, nothing on the rest.
      [WORKFLOW]: { scopes: [], packageRoles: { 'acme-corp/container/platform/edge-proxy': 'admin', 'acme-corp/npm/api-types': 'read' } },
      [FINE_GRAINED]: { scopes: [] },
      [READ_ONLY]: { scopes: ['read:packages'], organizations: { 'acme-corp': 'admin' } },
    },
  });
  home = tempHome();
});
afterAll(async () => {
  await standIn.close();
  home.remove();
});
beforeEach(() => standIn.clearRequests());

function ghsql(token: string, args: string[], variable: 'GITHUB_TOKEN' | 'GH_TOKEN' = 'GITHUB_TOKEN', extraEnv: NodeJS.ProcessEnv = {}) {
  // A runner's GITHUB_ACTOR must not leak into the tests that go without one.
  const env: NodeJS.ProcessEnv = { ...home.env, [variable]: token };
  delete env['GITHUB_ACTOR'];
  Object.assign(env, extraEnv);
  return runCli(['--api-url', standIn.url, '--registry-url', standIn.registryUrl, '--no-cache', ...args], { env });
}

const WORKFLOW_KIND = 'is the workflow token, or another GitHub App installation token (ghs_).';
const DELETE_OLDEST_API_TYPES =
  "WITH chosen AS MATERIALIZED (SELECT id FROM org_package_versions WHERE org = 'acme-corp' AND package_type = 'npm' AND package_name = 'api-types' ORDER BY created_at LIMIT 1) " +
  "SELECT delete_package_version_for_org('acme-corp', 'npm', 'api-types', id) FROM chosen";
const CLASSIC = 'a classic personal access token with read:packages (and delete:packages to delete, write:packages to restore)';

describe('the workflow token (ghs_)', () => {
  it('cannot list packages: told to name them, or to use a classic token', async () => {
    const { code, stdout, stderr } = await ghsql(WORKFLOW, ["SELECT name FROM org_packages WHERE org = 'acme-corp' AND package_type = 'container'"]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      `GitHub refused GET /orgs/acme-corp/packages?package_type=container&per_page=100 (403: Resource not accessible by integration). The token in GITHUB_TOKEN ${WORKFLOW_KIND} The workflow token cannot list packages: name them (package_name IN (…)) or use ${CLASSIC}.`,
    );
    expect(stderr).not.toContain(WORKFLOW);
  });

  it('has no user: the auth_user_ tables are refused, and it is told to name the owner; the message names the variable it came from', async () => {
    const { code, stderr } = await ghsql(WORKFLOW, ["SELECT name FROM auth_user_package_versions WHERE package_type = 'container' AND package_name = 'acme/app'"], 'GH_TOKEN');
    expect(code).toBe(1);
    expect(stderr).toMatch(/\(403: Resource not accessible by integration\)\. The token in GH_TOKEN is the workflow token/);
    expect(stderr).toContain('has no user of its own, so GET /user and the /user/… (auth_user_…) tables are refused to it: read the org_… or user_… tables with the owner named');
  });

  it('reads a named package and its image graph, logging in to the registry as GITHUB_ACTOR, with no GET /user', async () => {
    const sql = "SELECT count(*) AS links FROM org_container_links WHERE org = 'acme-corp' AND package_name = 'platform/edge-proxy'";
    const { code, stdout, stderr } = await ghsql(WORKFLOW, ['--format', 'csv', '--no-headers', sql], 'GITHUB_TOKEN', { GITHUB_ACTOR: 'octo-actor' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(Number(stdout.trim())).toBeGreaterThan(0);
    const realm = (await standIn.registryRequests()).filter((entry) => entry.path === '/token');
    expect(realm.length).toBeGreaterThan(0);
    expect(realm.every((entry) => entry.login === 'octo-actor' && entry.status === 200)).toBe(true);
    expect((await standIn.requests()).map((entry) => entry.path)).not.toContain('/user');
  });

  const MANIFESTS = "SELECT count(*) FROM org_container_manifests WHERE org = 'acme-corp' AND package_name = 'platform/edge-proxy'";

  it('logs in to the registry as the package owner without GITHUB_ACTOR', async () => {
    expect((await ghsql(WORKFLOW, [MANIFESTS])).code).toBe(0);
    expect((await standIn.registryRequests()).find((entry) => entry.path === '/token')?.login).toBe('acme-corp');
  });

  it('logs in to the registry as --registry-user when given, before GITHUB_ACTOR', async () => {
    expect((await ghsql(WORKFLOW, ['--registry-user', 'github-actions[bot]', MANIFESTS], 'GITHUB_TOKEN', { GITHUB_ACTOR: 'octo-actor' })).code).toBe(0);
    expect((await standIn.registryRequests()).find((entry) => entry.path === '/token')?.login).toBe('github-actions[bot]');
  });

  it('refuses a --registry-user that basic auth cannot carry', async () => {
    const bad = await ghsql(WORKFLOW, ['--registry-user', 'octo:cat', MANIFESTS]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/the registry user name \(registryUser, --registry-user or GITHUB_ACTOR\) must be a GitHub login such as octocat/);
  });

  it('is told to grant the Admin role when a delete is refused (Read role)', async () => {
    const sql = DELETE_OLDEST_API_TYPES;
    const { code, stderr } = await ghsql(WORKFLOW, ['--allow-writes', '--write-interval', '0', sql]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/GitHub refused DELETE \/orgs\/acme-corp\/packages\/npm\/api-types\/versions\/\d+ \(403: Resource not accessible by integration\)\./);
    expect(stderr).toContain("Grant this repository the Admin role in the package's Manage Actions access (the package's settings on GitHub), and give the job `permissions: packages: write`.");
  });

  it('is told to give its repository access to a package it cannot see (GitHub answers 404)', async () => {
    const { code, stderr } = await ghsql(WORKFLOW, ['--allow-writes', "SELECT delete_package_for_org('acme-corp', 'npm', 'feature-toggles')"]);
    expect(code).toBe(1);
    expect(stderr).toContain("error: delete_package_for_org: acme-corp/npm/feature-toggles: it does not exist, or it is not yours. The package is missing");
    expect(stderr).toContain("The package is missing, or this repository has no access to it: add the repository in the package's Manage Actions access with the Admin role.");
  });

  it('is told, not answered with no rows, when it reads a package it cannot see (GitHub answers 404 for a missing one too)', async () => {
    for (const sql of [
      "SELECT count(*) FROM org_package_versions WHERE org = 'acme-corp' AND package_type = 'npm' AND package_name = 'feature-toggles'",
      "SELECT name FROM org_packages WHERE org = 'acme-corp' AND package_type = 'npm' AND package_name = 'feature-toggles'",
    ]) {
      const { code, stdout, stderr } = await ghsql(WORKFLOW, [sql]);
      expect(code, sql).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/GitHub answered 404 to GET \/orgs\/acme-corp\/packages\/npm\/feature-toggles\S*\. The package is missing, or this repository has no access to it: add the repository in the package's Manage Actions access/);
      expect(stderr).toContain('so ghsql does not read it as no rows');
    }
  });
});

describe('a fine-grained token (github_pat_)', () => {
  it('is told that fine-grained tokens cannot use the packages API', async () => {
    const { code, stderr } = await ghsql(FINE_GRAINED, ["SELECT id FROM org_package_versions WHERE org = 'acme-corp' AND package_type = 'npm' AND package_name = 'api-types'"]);
    expect(code).toBe(1);
    expect(stderr).toContain('(403: Resource not accessible by personal access token.');
    expect(stderr).toContain(`The token in GITHUB_TOKEN is a fine-grained personal access token (github_pat_). Fine-grained tokens cannot use the packages API: use ${CLASSIC}.`);
    expect(stderr).not.toContain(FINE_GRAINED);
  });
});

describe('a classic token (ghp_)', () => {
  it('is told the scope it lacks, by name, and the scopes it has', async () => {
    const sql = DELETE_OLDEST_API_TYPES;
    const { code, stderr } = await ghsql(READ_ONLY, ['--allow-writes', '--write-interval', '0', sql]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/the token lacks the delete:packages scope that DELETE \/orgs\/acme-corp\/packages\/npm\/api-types\/versions\/\d+ needs \(GitHub: .*; it has read:packages\)\. Add delete:packages to the token/);
    expect(stderr).not.toContain(READ_ONLY);
  });
});
