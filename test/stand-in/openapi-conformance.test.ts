// Every answer of the stand-in must validate against GitHub's OpenAPI description of the packages
// endpoints: each status must be documented for its operation, and each body must match its schema.

import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { call, header, linkRelations, listPath, packagePath, versionPath, versionsPath, type Answer, type PackageBody, type VersionBody } from './helpers.js';
import { openapi } from './openapi-document.js';

// OpenAPI 3.0 schemas: Ajv 8 understands `nullable`; strict mode would reject `example` and x-* keys.
const ajv = new Ajv({ strict: false, allErrors: true });
// ajv-formats is CommonJS: under NodeNext its default export arrives as the module object.
addFormats.default(ajv);
ajv.addSchema(openapi, 'openapi');

const LIST = '/user/packages';
const PACKAGE = '/user/packages/{package_type}/{package_name}';
const RESTORE = '/user/packages/{package_type}/{package_name}/restore';

function pointer(...segments: string[]): string {
  return segments.map((segment) => encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/');
}

/** The validator for the JSON body of a documented response, or undefined when it has no body. */
function documentedBody(path: string, method: string, status: number): ValidateFunction | undefined {
  let response = openapi.paths[path]?.[method]?.responses[String(status)];
  expect(response, `${method.toUpperCase()} ${path} documents ${status}`).toBeDefined();
  let location = `#/${pointer('paths', path, method, 'responses', String(status))}`;
  if (response?.$ref) {
    location = response.$ref;
    response = openapi.components.responses[response.$ref.split('/').pop() ?? ''];
  }
  if (!response?.content) return undefined;
  return ajv.compile({ $ref: `openapi${location}/${pointer('content', 'application/json', 'schema')}` });
}

const basicError = ajv.compile({ $ref: 'openapi#/components/schemas/basic-error' });
const packageSchema = ajv.compile({ $ref: 'openapi#/components/schemas/package' });

function expectValid(validate: ValidateFunction, body: unknown): void {
  const valid = validate(body);
  expect(valid ? [] : ajv.errorsText(validate.errors).split(', ')).toEqual([]);
}

/** Checks an answer against its documented response: status, and body schema when it has one. */
function expectDocumented(answer: Answer, path: string, method: string): void {
  const validate = documentedBody(path, method, answer.status);
  if (validate) expectValid(validate, answer.body);
  else expect(answer.text).toBe('');
}

describe('the validator itself', () => {
  it('accepts the OpenAPI examples and rejects a package missing required fields', () => {
    const listExample = openapi.components.examples['packages-for-user']?.value as unknown[];
    for (const example of listExample) expectValid(packageSchema, example);
    expectValid(packageSchema, openapi.components.examples['package-user']?.value);
    expect(packageSchema({ id: 1, name: 'x', package_type: 'npm' })).toBe(false);
    expect(packageSchema({ ...(listExample[0] as object), created_at: 'yesterday' })).toBe(false);
  });
});

describe('stand-in answers conform to GitHub OpenAPI description', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(() => standIn.close());

  it('lists packages page by page, with GitHub Link headers', async () => {
    const ids: number[] = [];
    const linkSets: Array<Array<[string, string]>> = [];
    let next: string | undefined = listPath('package_type=container&per_page=5');
    while (next !== undefined) {
      const answer = await call(standIn, next);
      expect(answer.status).toBe(200);
      expectDocumented(answer, LIST, 'get');
      ids.push(...(answer.body as PackageBody[]).map((pkg) => pkg.id));
      const links = linkRelations(answer.headers.get('link'));
      linkSets.push(links);
      next = links.find(([rel]) => rel === 'next')?.[1].slice(standIn.url.length);
    }
    expect(linkSets).toHaveLength(3);
    const page = (n: number) => `${standIn.url}/user/packages?package_type=container&per_page=5&page=${n}`;
    expect(linkSets).toEqual([
      [['next', page(2)], ['last', page(3)]],
      [['prev', page(1)], ['next', page(3)], ['last', page(3)], ['first', page(1)]],
      [['prev', page(2)], ['first', page(1)]],
    ]);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('writes the Link header exactly as GitHub does', async () => {
    const answer = await call(standIn, listPath('package_type=container&per_page=2&page=3'));
    const url = (n: number) => `<${standIn.url}/user/packages?package_type=container&per_page=2&page=${n}>`;
    expect(header(answer, 'link')).toBe(
      `${url(2)}; rel="prev", ${url(4)}; rel="next", ${url(7)}; rel="last", ${url(1)}; rel="first"`,
    );
  });

  it('lists every package type, and sends no Link header when one page holds everything', async () => {
    for (const type of ['npm', 'maven', 'rubygems', 'docker', 'nuget', 'container']) {
      const answer = await call(standIn, listPath(`package_type=${type}&per_page=100`));
      expectDocumented(answer, LIST, 'get');
      expect((answer.body as PackageBody[]).length).toBeGreaterThan(0);
      expect(answer.headers.get('link')).toBeNull();
    }
  });

  it('gets one package, with repository only when it has one', async () => {
    const linked = await call(standIn, packagePath('container', 'acme/api-server'));
    expect(linked.status).toBe(200);
    expectDocumented(linked, PACKAGE, 'get');
    const body = linked.body as PackageBody;
    expect(body.url).toBe(`${standIn.url}/users/octo-demo/packages/container/acme%2Fapi-server`);
    expect(body.html_url).toBe('https://github.com/users/octo-demo/packages/container/package/acme%2Fapi-server');
    expect(body.repository?.full_name).toBe('octo-demo/api-server');

    const unlinked = await call(standIn, packagePath('container', 'devcontainer'));
    expectDocumented(unlinked, PACKAGE, 'get');
    expect(unlinked.body).not.toHaveProperty('repository');
  });

  it('answers 404 with a basic-error for an unknown package', async () => {
    const answer = await call(standIn, packagePath('npm', 'no-such-package'));
    expect(answer.status).toBe(404);
    expectValid(basicError, answer.body);
    expect(answer.body).toMatchObject({ message: 'Package not found.' });
  });

  it('answers 401 without a token and with a bad one', async () => {
    const missing = await call(standIn, listPath('package_type=npm'), { token: null });
    expect(missing.status).toBe(401);
    expectValid(basicError, missing.body);
    expect(missing.body).toMatchObject({ message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest' });

    const bad = await call(standIn, listPath('package_type=npm'), { token: 'not-a-known-token' });
    expect(bad.status).toBe(401);
    expectValid(basicError, bad.body);
    expect(bad.body).toMatchObject({ message: 'Bad credentials' });
  });

  it('answers the documented 400 when page × per_page exceeds 10,000', async () => {
    const refused = await call(standIn, listPath('package_type=npm&per_page=100&page=101'));
    expect(refused.status).toBe(400);
    documentedBody(LIST, 'get', 400); // documented, without a body schema
    expectValid(basicError, refused.body);
    expect(refused.body).toMatchObject({ message: 'The value of `per_page` multiplied by `page` cannot be greater than 10000.' });

    const atTheCap = await call(standIn, listPath('package_type=npm&per_page=100&page=100'));
    expect(atTheCap.status).toBe(200);
    expectDocumented(atTheCap, LIST, 'get');
  });

  it('revalidates with If-None-Match: 304, no body, and no rate-limit cost', async () => {
    const first = await call(standIn, listPath('package_type=npm'));
    const etag = header(first, 'etag');
    expect(etag).toMatch(/^W\/"[0-9a-f]{64}"$/);
    expect(header(first, 'cache-control')).toBe('private, max-age=60, s-maxage=60');
    expect(header(first, 'vary')).toBe('Accept, Authorization, Cookie, X-GitHub-OTP');

    const second = await call(standIn, listPath('package_type=npm'), { headers: { 'if-none-match': etag } });
    expect(second.status).toBe(304);
    expect(header(second, 'etag')).toBe(etag);
    expect(header(second, 'x-ratelimit-remaining')).toBe(header(first, 'x-ratelimit-remaining'));

    const changed = await call(standIn, listPath('package_type=npm'), { headers: { 'if-none-match': 'W/"stale"' } });
    expect(changed.status).toBe(200);
    expect(Number(header(changed, 'x-ratelimit-remaining'))).toBe(Number(header(first, 'x-ratelimit-remaining')) - 1);
  });
});

describe('deleting and restoring conform too', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(() => standIn.close());

  it('deletes with 204, then the package is gone; restore brings it back with 204', async () => {
    const path = packagePath('npm', 'utils');
    const deleted = await call(standIn, path, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expectDocumented(deleted, PACKAGE, 'delete');

    const gone = await call(standIn, path);
    expect(gone.status).toBe(404);
    expectValid(basicError, gone.body);
    const again = await call(standIn, path, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expectDocumented(again, PACKAGE, 'delete');

    const restored = await call(standIn, `${path}/restore`, { method: 'POST' });
    expect(restored.status).toBe(204);
    expectDocumented(restored, RESTORE, 'post');

    const back = await call(standIn, path);
    expect(back.status).toBe(200);
    expectDocumented(back, PACKAGE, 'get');
  });

  it('answers the documented 401 and 404 for delete and restore', async () => {
    const path = packagePath('npm', 'never-existed');
    expectDocumented(await call(standIn, path, { method: 'DELETE', token: null }), PACKAGE, 'delete');
    expectDocumented(await call(standIn, path, { method: 'DELETE' }), PACKAGE, 'delete');
    expectDocumented(await call(standIn, `${path}/restore`, { method: 'POST', token: 'wrong' }), RESTORE, 'post');
    expectDocumented(await call(standIn, `${path}/restore`, { method: 'POST' }), RESTORE, 'post');
  });
});

const VERSIONS = '/user/packages/{package_type}/{package_name}/versions';
const VERSION = '/user/packages/{package_type}/{package_name}/versions/{package_version_id}';
const VERSION_RESTORE = '/user/packages/{package_type}/{package_name}/versions/{package_version_id}/restore';
const versionSchema = ajv.compile({ $ref: 'openapi#/components/schemas/package-version' });

/** For answers GitHub sends but does not document for the operation (refusals, 404 on a get): a basic-error body. */
function expectUndocumentedError(answer: Answer, path: string, method: string): void {
  expect(openapi.paths[path]?.[method]?.responses[String(answer.status)], `${method} ${path} ${answer.status}`).toBeUndefined();
  expectValid(basicError, answer.body);
}

describe('package versions conform', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(() => standIn.close());

  it('accepts the OpenAPI examples of versions', () => {
    for (const name of ['package-versions-for-authenticated-user', 'package-versions-for-org', 'package-versions-for-user']) {
      for (const example of openapi.components.examples[name]?.value as unknown[]) expectValid(versionSchema, example);
    }
  });

  it('lists versions of every type page by page, active and deleted', async () => {
    const packages: PackageBody[] = [];
    for (const type of ['npm', 'maven', 'rubygems', 'docker', 'nuget', 'container']) {
      packages.push(...((await call(standIn, listPath(`package_type=${type}&per_page=100`))).body as PackageBody[]));
    }
    for (const pkg of packages) {
      for (const state of ['active', 'deleted']) {
        let next: string | undefined = versionsPath(pkg.package_type, pkg.name, `state=${state}&per_page=100`);
        while (next !== undefined) {
          const answer = await call(standIn, next);
          expect(answer.status).toBe(200);
          expectDocumented(answer, VERSIONS, 'get');
          next = linkRelations(answer.headers.get('link')).find(([rel]) => rel === 'next')?.[1].slice(standIn.url.length);
        }
      }
    }
  });

  it('gets a version; a missing one is a basic-error 404', async () => {
    const [newest] = (await call(standIn, versionsPath('docker', 'api-server'))).body as VersionBody[];
    const got = await call(standIn, versionPath('docker', 'api-server', newest!.id));
    expectDocumented(got, VERSION, 'get');
    const missing = await call(standIn, versionPath('docker', 'api-server', 1));
    expect(missing.status).toBe(404);
    expectUndocumentedError(missing, VERSION, 'get');
    const list404 = await call(standIn, versionsPath('npm', 'no-such-package'));
    expect(list404.status).toBe(404);
    expectDocumented(list404, VERSIONS, 'get');
  });

  it('answers the documented 401, 403, 404 and 204 for delete and restore', async () => {
    const versions = (await call(standIn, versionsPath('npm', 'api-client'))).body as VersionBody[];
    const path = versionPath('npm', 'api-client', versions[1]!.id);
    expectDocumented(await call(standIn, path, { method: 'DELETE', token: null }), VERSION, 'delete');
    expectDocumented(await call(standIn, `${path}/restore`, { method: 'POST', token: 'wrong' }), VERSION_RESTORE, 'post');
    const deleted = await call(standIn, path, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expectDocumented(deleted, VERSION, 'delete');
    const again = await call(standIn, path, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expectDocumented(again, VERSION, 'delete');
    const restored = await call(standIn, `${path}/restore`, { method: 'POST' });
    expect(restored.status).toBe(204);
    expectDocumented(restored, VERSION_RESTORE, 'post');
    const notDeleted = await call(standIn, `${path}/restore`, { method: 'POST' });
    expect(notDeleted.status).toBe(404);
    expectDocumented(notDeleted, VERSION_RESTORE, 'post');
  });

  it('answers refusals as basic-error 400s', async () => {
    const [only] = (await call(standIn, versionsPath('container', 'sandbox/experiment'))).body as VersionBody[];
    const lastVersion = await call(standIn, versionPath('container', 'sandbox/experiment', only!.id), { method: 'DELETE' });
    expect(lastVersion.status).toBe(400);
    expectUndocumentedError(lastVersion, VERSION, 'delete');
    const badState = await call(standIn, versionsPath('npm', 'api-client', 'state=gone'));
    expect(badState.status).toBe(400);
    expectUndocumentedError(badState, VERSIONS, 'get');
    const deleted = (await call(standIn, versionsPath('container', 'acme/api-server', 'state=deleted'))).body as VersionBody[];
    const expired = deleted.find((version) => Date.now() - Date.parse(version.deleted_at ?? '') > 30 * 86_400_000);
    const tooLate = await call(standIn, `${versionPath('container', 'acme/api-server', expired!.id)}/restore`, { method: 'POST' });
    expect(tooLate.status).toBe(400);
    expectUndocumentedError(tooLate, VERSION_RESTORE, 'post');
  });
});

describe('other owners and docker conflicts conform', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn({
      tokens: { admin: { scopes: ['read:packages', 'write:packages', 'delete:packages', 'repo'], organizations: { 'acme-corp': 'admin' } }, outsider: { scopes: ['read:packages', 'delete:packages'] } },
    });
  });
  afterAll(() => standIn.close());

  for (const [owner, template] of [
    ['orgs/acme-corp', '/orgs/{org}'],
    ['users/hubot-two', '/users/{username}'],
    ['users/octo-demo', '/users/{username}'],
  ] as const) {
    it(`${owner}: lists, gets and lists versions as documented`, async () => {
      for (const type of ['npm', 'maven', 'rubygems', 'docker', 'nuget', 'container']) {
        const list = await call(standIn, `/${owner}/packages?package_type=${type}&per_page=100`);
        expect(list.status).toBe(200);
        expectDocumented(list, `${template}/packages`, 'get');
        for (const pkg of list.body as PackageBody[]) {
          const path = `/${owner}/packages/${type}/${encodeURIComponent(pkg.name)}`;
          expectDocumented(await call(standIn, path), `${template}/packages/{package_type}/{package_name}`, 'get');
          const versions = await call(standIn, `${path}/versions?per_page=100`);
          expectDocumented(versions, `${template}/packages/{package_type}/{package_name}/versions`, 'get');
          const [newest] = versions.body as VersionBody[];
          expectDocumented(await call(standIn, `${path}/versions/${newest!.id}`), `${template}/packages/{package_type}/{package_name}/versions/{package_version_id}`, 'get');
        }
      }
      const conflicts = await call(standIn, `/${owner}/docker/conflicts`);
      expectDocumented(conflicts, `${template}/docker/conflicts`, 'get');
    });
  }

  it('lists the token user docker conflicts as documented', async () => {
    expectDocumented(await call(standIn, '/user/docker/conflicts'), '/user/docker/conflicts', 'get');
  });

  it('answers the documented 204, 403 and 404 for organization deletes and restores', async () => {
    const pkg = '/orgs/{org}/packages/{package_type}/{package_name}';
    const forbidden = await call(standIn, '/orgs/acme-corp/packages/npm/ui-kit', { method: 'DELETE', token: 'outsider' });
    expect(forbidden.status).toBe(403);
    expectDocumented(forbidden, pkg, 'delete');
    const hidden = await call(standIn, '/orgs/acme-corp/packages/npm/api-types', { method: 'DELETE', token: 'outsider' });
    expect(hidden.status).toBe(404);
    expectDocumented(hidden, pkg, 'delete');
    const deleted = await call(standIn, '/orgs/acme-corp/packages/npm/api-types', { method: 'DELETE', token: 'admin' });
    expect(deleted.status).toBe(204);
    expectDocumented(deleted, pkg, 'delete');
    const restored = await call(standIn, '/orgs/acme-corp/packages/npm/api-types/restore', { method: 'POST', token: 'admin' });
    expect(restored.status).toBe(204);
    expectDocumented(restored, `${pkg}/restore`, 'post');
    const [newest] = (await call(standIn, '/users/hubot-two/packages/npm/hubot-brain/versions')).body as VersionBody[];
    const notTheirs = await call(standIn, `/users/hubot-two/packages/npm/hubot-brain/versions/${newest!.id}`, { method: 'DELETE', token: 'admin' });
    expect(notTheirs.status).toBe(403);
    expectDocumented(notTheirs, '/users/{username}/packages/{package_type}/{package_name}/versions/{package_version_id}', 'delete');
  });

  it('answers an unknown organization with a basic-error 404', async () => {
    const unknown = await call(standIn, '/orgs/no-such-org/packages?package_type=npm');
    expect(unknown.status).toBe(404);
    expectUndocumentedError(unknown, '/orgs/{org}/packages', 'get');
    const unknownConflicts = await call(standIn, '/users/nobody-here/docker/conflicts');
    expect(unknownConflicts.status).toBe(404);
    expectUndocumentedError(unknownConflicts, '/users/{username}/docker/conflicts', 'get');
  });
});

describe('misbehaving answers still conform', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
    await standIn.configure({ ignoreQueryFilters: true, answerOtherPackage: true, shiftDuringList: true });
  });
  afterAll(() => standIn.close());

  it('lists, gets and shifted items match the schemas: the client sees valid data, only wrong', async () => {
    for (let read = 0; read < 2; read++) {
      const list = await call(standIn, listPath('package_type=npm&per_page=100'));
      expectDocumented(list, LIST, 'get');
      const shifted = (list.body as PackageBody[])[0]!;
      expectDocumented(await call(standIn, packagePath(shifted.package_type, shifted.name)), PACKAGE, 'get');
      const versions = await call(standIn, versionsPath(shifted.package_type, shifted.name));
      expectDocumented(versions, VERSIONS, 'get');
      // The list holds deleted versions too (ignoreQueryFilters), which a get answers 404.
      const active = (versions.body as VersionBody[]).find((version) => version.deleted_at === undefined);
      expectDocumented(await call(standIn, versionPath(shifted.package_type, shifted.name, active!.id)), VERSION, 'get');
    }
  });
});
