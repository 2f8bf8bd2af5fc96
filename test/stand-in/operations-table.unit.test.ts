// The stand-in's operations table must say what GitHub's OpenAPI description says: each key is a
// documented method and path, with GitHub's operationId, documentation page and scopes.

import { describe, expect, it } from 'vitest';
import { resolveRoute } from '../../dist/stand-in/api.js';
import { OPERATIONS } from '../../dist/stand-in/operations.js';
import { documentedOperation, documentedOperations } from './openapi-document.js';

/** The scopes an operation's description asks classic tokens for: "need the `a` and `b` scopes". */
function documentedScopes(description: string): string[] {
  const sentence = /need the (.+?) scopes? to use this endpoint/.exec(description)?.[1] ?? '';
  return [...sentence.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
}

/**
 * Operations outside the packages description, as GitHub's REST docs give them: GET /user, which
 * ghsql asks for the login the container registry's token realm wants, needs no scope.
 */
const BEYOND_PACKAGES: Record<string, { operationId: string; documentationUrl: string; scopes: string[] }> = {
  'GET /user': { operationId: 'users/get-authenticated', documentationUrl: 'https://docs.github.com/rest/users/users#get-the-authenticated-user', scopes: [] },
};

describe('the operations table', () => {
  for (const [key, documented] of Object.entries(BEYOND_PACKAGES)) {
    it(`${key} is as GitHub's REST docs describe it`, () => {
      const operation = OPERATIONS[key as keyof typeof OPERATIONS];
      expect({ operationId: operation.operationId, documentationUrl: operation.documentationUrl, scopes: [...operation.scopes] }).toEqual(documented);
    });
  }
  for (const [key, operation] of Object.entries(OPERATIONS).filter(([key]) => !(key in BEYOND_PACKAGES))) {
    it(`${key} is documented, with GitHub's operationId, docs page and scopes`, () => {
      const documented = documentedOperation(key);
      expect(documented, key).toBeDefined();
      expect(operation.operationId).toBe(documented?.operationId);
      expect(operation.documentationUrl).toBe(documented?.externalDocs.url);
      expect([...operation.scopes]).toEqual(documentedScopes(documented?.description ?? ''));
    });
  }
});

describe('resolving a raw path to its operation', () => {
  const resolve = (method: string, path: string) => {
    const route = resolveRoute(method, path);
    return route && { key: route.key, params: route.params };
  };

  it('decodes each segment on its own, so that %2F stays in a name', () => {
    expect(resolve('GET', '/user/packages/container/acme%2Fapi-server')).toEqual({
      key: 'GET /user/packages/{package_type}/{package_name}',
      params: { package_type: 'container', package_name: 'acme/api-server' },
    });
    expect(resolve('POST', '/user/packages/npm/%40scope%2Fname/restore')?.params).toEqual({ package_type: 'npm', package_name: '@scope/name' });
  });

  it('matches nothing for an unknown type, an empty or malformed segment, an extra segment or another method', () => {
    for (const [method, path] of [
      ['GET', '/user/packages/pypi/requests'],
      ['GET', '/user/packages/npm/'],
      ['GET', '/user/packages/npm/100%-coverage'],
      ['GET', '/user/packages/container/acme/api-server/extra/segments'],
      ['PUT', '/user/packages'],
      ['GET', '/user/packages/'],
    ]) {
      expect(resolve(method!, path!), `${method} ${path}`).toBeUndefined();
    }
  });
});

describe('coverage of the OpenAPI description', () => {
  it('serves every documented packages operation', () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual([...documentedOperations(), ...Object.keys(BEYOND_PACKAGES)].sort());
  });

  it('tells the owner apart by the path: the token user, {org} or {username}', () => {
    expect(resolveRoute('DELETE', '/orgs/acme-corp/packages/npm/ui-kit/versions/12')?.params).toEqual({
      org: 'acme-corp',
      package_type: 'npm',
      package_name: 'ui-kit',
      package_version_id: 12,
    });
    expect(resolveRoute('GET', '/users/hubot-two/docker/conflicts')?.key).toBe('GET /users/{username}/docker/conflicts');
    expect(resolveRoute('GET', '/user/docker/conflicts')?.key).toBe('GET /user/docker/conflicts');
  });
});
