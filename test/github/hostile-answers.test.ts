// A hostile registry, token service or API: what ghsql reads of an answer is bounded (a server that
// never ends its body, or announces a huge one, gets an error naming the service, what was asked and
// the limit, soon, and the connection is dropped, instead of ghsql buffering gigabytes), and the
// registry's and token service's refusals name them, not GitHub's API. A node:http server here.

import { createServer, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_OPTIONS, GitHubClient } from '../../dist/github/client.js';
import { RegistryClient } from '../../dist/github/registry/registry-client.js';
import { rejection } from './helpers.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const CHUNK = Buffer.alloc(64 * 1024, 0x20);

/** How the server answers a path: a body without end, a huge Content-Length, a status with headers, or JSON. */
type Answer = 'endless' | 'huge length' | { status: number; headers: Record<string, string> } | object;

let server: Server;
let origin: string;
let answers: Record<string, Answer> = {};
/** Per endless answer: bytes the server managed to hand to the socket, and whether the client hung up. */
let streams: Array<{ written: number; closed: boolean }> = [];

function endless(response: ServerResponse): void {
  const stream = { written: 0, closed: false };
  streams.push(stream);
  response.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
  response.on('close', () => (stream.closed = true));
  const pump = () => {
    while (!stream.closed && response.write(CHUNK)) stream.written += CHUNK.length;
  };
  response.on('drain', pump);
  pump();
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const answer = answers[path];
    if (answer === 'endless') return endless(response);
    if (answer === 'huge length') {
      response.writeHead(200, { 'content-length': String(6 * 1024 ** 3) });
      return response.write(CHUNK);
    }
    if (answer && 'status' in answer) {
      response.writeHead(answer.status as number, answer.headers as Record<string, string>);
      return response.end('{"message":"denied"}');
    }
    if (path.startsWith('/v2/') && answers['/token'] && !request.headers.authorization) {
      response.writeHead(401, { 'www-authenticate': `Bearer realm="${origin}/token",service="registry"` });
      return response.end();
    }
    response.writeHead(answer ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer ?? { message: 'Not Found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  answers = {};
  streams = [];
});

const client = () => new GitHubClient({ ...DEFAULT_CLIENT_OPTIONS, baseUrl: origin, registryUrl: origin, token: 'ghp_test', maxRetries: 0, timeoutMs: 60_000 });
const host = () => new URL(origin).host;

/** The rejection, and how long it took to come. */
async function timed(promise: Promise<unknown>) {
  const started = performance.now();
  const error = await rejection(promise);
  return { error, seconds: (performance.now() - started) / 1000 };
}

/** The server saw the client hang up, having handed it little more than the limit. */
async function expectDropped(limit: number) {
  await expect.poll(() => streams.every((stream) => stream.closed), { timeout: 10_000 }).toBe(true);
  // Socket buffers on both sides hold some more than was read; never gigabytes.
  for (const stream of streams) expect(stream.written).toBeLessThan(limit + 64 * 1024 * 1024);
}

describe('a body that never ends', () => {
  it('of a manifest: reading stops at 4 MiB, naming the registry, the digest and the limit', async () => {
    answers[`/v2/o/app/manifests/${DIGEST}`] = 'endless';
    const { error, seconds } = await timed(new RegistryClient(client(), undefined).manifest('o', 'app', DIGEST));
    expect(error).toMatchObject({ code: 'BAD_RESPONSE' });
    expect(error.message).toBe(
      `the container registry at ${host()} answered GET ${host()}/v2/o/app/manifests/${DIGEST} (200) with more than 4 MiB, the most ghsql reads of a manifest; it stopped reading there and used none of it. Check the registry URL (${origin}, set with register(db, { registryUrl })).`,
    );
    // Well under the 60 s timeout: it is the limit that ended it (generous for a busy machine).
    expect(seconds).toBeLessThan(20);
    await expectDropped(4 * 1024 * 1024);
  });

  it("of the token service's answer: stops at 64 KiB, naming the token service", async () => {
    answers['/user'] = { login: 'octo' };
    answers['/token'] = 'endless';
    const { error } = await timed(new RegistryClient(client(), undefined).manifest('o', 'app', DIGEST));
    expect(error.message.startsWith(`the token service of the container registry at ${host()} answered GET ${host()}/token?`)).toBe(true);
    expect(error.message).toContain("(200) with more than 64 KiB, the most ghsql reads of a token service's answer;");
    await expectDropped(64 * 1024);
  });

  it('of an API answer: stops at 32 MiB, naming GitHub and the API URL', async () => {
    answers['/user/packages'] = 'endless';
    const { error, seconds } = await timed(client().send({ route: 'GET /user/packages' }));
    expect(error).toMatchObject({ code: 'BAD_RESPONSE' });
    expect(error.message).toBe(`GitHub answered GET /user/packages (200) with more than 32 MiB, the most ghsql reads of an API answer; it stopped reading there and used none of it. Check the API URL (${origin}).`);
    expect(seconds).toBeLessThan(30);
    await expectDropped(32 * 1024 * 1024);
  });
});

it('a Content-Length past the limit is refused before any of the body is read', async () => {
  answers[`/v2/o/app/manifests/${DIGEST}`] = 'huge length';
  const { error } = await timed(new RegistryClient(client(), undefined).manifest('o', 'app', DIGEST));
  expect(error.message).toMatch(/^the container registry at \S+ answered GET \S+ \(200\) with more than 4 MiB, the most ghsql reads of a manifest;/);
});

describe("the registry's and its token service's refusals name them, and the registry URL", () => {
  const MANIFEST = `/v2/o/app/manifests/${DIGEST}`;
  const manifest = () => new RegistryClient(client(), undefined).manifest('o', 'app', DIGEST);
  const setting = () => `Check the registry URL (${origin}, set with register(db, { registryUrl }))`;

  it('a token service that redirects elsewhere', async () => {
    answers['/user'] = { login: 'octo' };
    answers['/token'] = { status: 302, headers: { location: 'https://elsewhere.example/token' } };
    const { error } = await timed(manifest());
    expect(error).toMatchObject({ code: 'REDIRECT' });
    expect(error.message).toMatch(new RegExp(`^the token service of the container registry at ${host()} redirected GET ${host()}/token\\?\\S+ to another host \\(https://elsewhere\\.example/token\\);`));
    expect(error.message).toContain(setting());
    expect(error.message).not.toMatch(/GitHub redirected|API URL/);
  });

  it('a registry that refuses a manifest', async () => {
    answers[MANIFEST] = { status: 403, headers: {} };
    const { error } = await timed(manifest());
    expect(error.message).toMatch(new RegExp(`^the container registry at ${host()} refused GET ${host()}${MANIFEST} \\(403: denied\\)`));
  });

  it("a registry's rate limit past the longest wait", async () => {
    answers[MANIFEST] = { status: 429, headers: { 'retry-after': '3600' } };
    const { error } = await timed(manifest());
    expect(error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(error.message).toMatch(new RegExp(`^the rate limit of the container registry at ${host()} is exhausted until \\d\\d:\\d\\d \\(GET ${host()}${MANIFEST}\\); that is longer than the maximum wait`));
  });
});
