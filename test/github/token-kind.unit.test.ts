// Telling tokens apart by their prefix, and what each kind is advised when the packages API refuses it.

import { describe, expect, it } from 'vitest';
import { errorFromResponse } from '../../dist/github/github-errors.js';
import { grantedScopes, missingScopes, refusalAdvice, scopesNeeded, tokenKind, tokenKindName } from '../../dist/github/token-kind.js';

describe('tokenKind', () => {
  it.each([
    ['ghp_abc', 'classic'],
    ['github_pat_11ABC_def', 'fine-grained'],
    ['ghs_abc', 'installation'],
    ['gho_abc', 'oauth'],
    ['ghu_abc', 'app-user'],
    ['ghsql-demo-token', 'unknown'],
    ['', 'unknown'],
    [undefined, 'unknown'],
  ] as const)('%s is %s', (token, kind) => {
    expect(tokenKind(token)).toBe(kind);
  });

  it('names a kind by its prefix, never by a value', () => {
    expect(tokenKindName('installation')).toMatch(/workflow token.*\(ghs_\)/);
    expect(tokenKindName('fine-grained')).toMatch(/\(github_pat_\)$/);
  });
});

describe('scopes', () => {
  it('reads X-OAuth-Scopes only when GitHub sends it', () => {
    expect(grantedScopes(new Headers({ 'x-oauth-scopes': 'repo, read:packages' }))).toEqual(['repo', 'read:packages']);
    expect(grantedScopes(new Headers({ 'x-oauth-scopes': '' }))).toEqual([]);
    expect(grantedScopes(new Headers())).toBeUndefined();
  });

  it("knows what each packages request needs, per GitHub's permissions page", () => {
    expect(scopesNeeded({ method: 'GET', target: '/orgs/acme/packages?package_type=container' })).toEqual(['read:packages']);
    expect(scopesNeeded({ method: 'DELETE', target: '/orgs/acme/packages/container/app/versions/1' })).toEqual(['read:packages', 'delete:packages']);
    expect(scopesNeeded({ method: 'POST', target: '/user/packages/npm/a/restore' })).toEqual(['read:packages', 'write:packages']);
    expect(scopesNeeded({ method: 'DELETE', target: '/user/packages/maven/com.a/versions/1' })).toEqual(['read:packages', 'delete:packages', 'repo']);
    expect(scopesNeeded({ method: 'GET', target: '/user' })).toEqual([]);
  });

  it('counts write:packages as read:packages', () => {
    expect(missingScopes(['read:packages', 'delete:packages'], ['write:packages'])).toEqual(['delete:packages']);
    expect(missingScopes(['read:packages'], ['write:packages'])).toEqual([]);
  });
});

describe('refusalAdvice', () => {
  const refused = (kind: Parameters<typeof refusalAdvice>[0]['kind'], method: string, target: string, status = 403) => refusalAdvice({ kind, method, target, status });

  it('tells the workflow token to name packages, to name the owner, or to grant the Admin role', () => {
    expect(refused('installation', 'GET', '/orgs/acme/packages?package_type=container')).toMatch(/^The workflow token cannot list packages: name them \(package_name IN \(…\)\) or use a classic personal access token with read:packages/);
    expect(refused('installation', 'GET', '/user')).toMatch(/no user of its own, so GET \/user and the \/user\/… \(auth_user_…\) tables are refused to it: read the org_… or user_… tables/);
    expect(refused('installation', 'DELETE', '/orgs/acme/packages/container/app/versions/1')).toMatch(/^Grant this repository the Admin role in the package's Manage Actions access/);
    expect(refused('installation', 'GET', '/orgs/acme/packages/container/app/versions', 404)).toMatch(/no access to it: add the repository in the package's Manage Actions access/);
  });

  it('tells fine-grained and GitHub App user tokens to use a classic token', () => {
    expect(refused('fine-grained', 'GET', '/orgs/acme/packages/container/app')).toMatch(/^Fine-grained tokens cannot use the packages API: use a classic personal access token with read:packages \(and delete:packages to delete/);
    expect(refused('app-user', 'GET', '/orgs/acme/packages/container/app')).toMatch(/^GitHub App user tokens cannot use the packages API/);
  });

  it("adds nothing to GitHub's message for a classic or OAuth token", () => {
    expect(refused('classic', 'DELETE', '/orgs/acme/packages/container/app')).toBeUndefined();
    expect(refused('oauth', 'DELETE', '/orgs/acme/packages/container/app')).toBeUndefined();
  });
});

describe('errorFromResponse', () => {
  const service = { name: 'GitHub', rateLimit: "GitHub's rate limit", setting: 'the API URL', maxBodyBytes: 1 << 20, body: 'an API answer' };
  const context = { service, tokenHelp: 'HELP', body: '{"message":"Resource not accessible by integration"}' };

  it('names the kind and where the token came from, never the token', () => {
    const error = errorFromResponse({ ...context, method: 'GET', target: '/orgs/acme/packages?package_type=container', status: 403, headers: new Headers(), token: { kind: 'installation', from: 'GITHUB_TOKEN' } });
    expect(error).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect(error.message).toBe(
      'GitHub refused GET /orgs/acme/packages?package_type=container (403: Resource not accessible by integration). The token in GITHUB_TOKEN is the workflow token, or another GitHub App installation token (ghs_). The workflow token cannot list packages: name them (package_name IN (…)) or use a classic personal access token with read:packages (and delete:packages to delete, write:packages to restore).',
    );
  });

  it('names the missing scope from X-OAuth-Scopes, without X-Accepted-OAuth-Scopes', () => {
    const error = errorFromResponse({ ...context, body: '{"message":"Not Found"}', method: 'DELETE', target: '/orgs/acme/packages/npm/a', status: 404, headers: new Headers({ 'x-oauth-scopes': 'read:packages, write:packages' }), token: { kind: 'classic' } });
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toMatch(/^the token lacks the delete:packages scope that DELETE \/orgs\/acme\/packages\/npm\/a needs \(GitHub: Not Found; it has read:packages, write:packages\)\. Add delete:packages to the token/);
  });
});
