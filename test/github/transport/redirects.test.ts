import { describe, expect, it } from 'vitest';
import type { Answer, HttpRequest } from '../../../dist/github/transport/exchange.js';
import { followingRedirects, MAX_REDIRECTS } from '../../../dist/github/transport/redirects.js';
import { registryDestination, rejection, reply, request } from './support.js';

/** followingRedirects() over a next layer that answers from a script and records what it was asked. */
function following(...replies: Array<() => Response>) {
  const asked: HttpRequest[] = [];
  const send = followingRedirects(async (hop) => {
    asked.push(hop);
    const response = replies[Math.min(asked.length, replies.length) - 1]!();
    return { response, body: '', bytes: Buffer.alloc(0), target: hop.target } satisfies Answer;
  });
  return { send, asked };
}

const DELETE = { method: 'DELETE', path: '/user/packages/container/a' };

describe('the redirect layer', () => {
  it('follows a read to the same origin, resolving a relative Location, with the same headers', async () => {
    const { send, asked } = following(reply(301, { location: '/user/packages?per_page=100' }), reply(200));
    const answer = await send(request({ headers: { authorization: 'token x' } }));
    expect(answer.response.status).toBe(200);
    expect(answer.target).toBe('/user/packages?per_page=100');
    expect(asked.map((hop) => [hop.url.href, hop.target, hop.headers])).toEqual([
      ['https://api.github.com/user/packages', '/user/packages', { authorization: 'token x' }],
      ['https://api.github.com/user/packages?per_page=100', '/user/packages?per_page=100', { authorization: 'token x' }],
    ]);
  });

  it(`stops after ${MAX_REDIRECTS} redirects in a row`, async () => {
    const { send, asked } = following(reply(302, { location: '/again' }));
    const error = await rejection(send(request()));
    expect(error).toMatchObject({ code: 'REDIRECT', status: 302 });
    expect(error.message).toBe('GitHub redirected GET /user/packages more than 5 times (last to /again); stopping. Check the API URL (https://api.github.com).');
    expect(asked).toHaveLength(MAX_REDIRECTS + 1);
  });

  it('never sends a read to another origin: the token and the query stay home', async () => {
    const { send, asked } = following(reply(302, { location: 'https://elsewhere.example/user/packages?secret=1' }));
    const error = await rejection(send(request()));
    expect(error).toMatchObject({ code: 'REDIRECT', status: 302 });
    expect(error.message).toBe(
      'GitHub redirected GET /user/packages to another host (https://elsewhere.example/user/packages); not following it, so the token and the query stay with https://api.github.com. Check the API URL (https://api.github.com).',
    );
    expect(asked).toHaveLength(1);
  });

  it.each([301, 302, 303, 307, 308])('never follows a write, even to the same origin (%i)', async (status) => {
    const { send, asked } = following(reply(status, { location: '/user/packages/container/b' }));
    const error = await rejection(send(request(DELETE)));
    expect(error).toMatchObject({ code: 'REDIRECT', status });
    expect(error.message).toBe(
      `GitHub answered DELETE /user/packages/container/a with a redirect (${status} to /user/packages/container/b); ghsql never follows a redirect for a write, so it was not sent there. Check the API URL (https://api.github.com).`,
    );
    expect(asked).toHaveLength(1);
  });

  it.each([
    ['no Location', {}, 'no Location header'],
    ['an empty Location', { location: ' ' }, '""'], // Headers trims the value
    ['a Location that is no URL', { location: 'http://[bad' }, '"http://[bad"'],
  ])('calls a redirect with %s a bad response', async (_, headers, where) => {
    const { send } = following(reply(302, headers));
    const error = await rejection(send(request()));
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', status: 302 });
    expect(error.message).toBe(`GitHub answered GET /user/packages with 302 but no usable Location (${where}). Check the API URL (https://api.github.com).`);
  });

  it('returns a redirect status the caller accepts, and any other answer, as it is', async () => {
    expect((await following(reply(302, { location: '/x' })).send(request({ accept: [302] }))).response.status).toBe(302);
    expect((await following(reply(404)).send(request())).response.status).toBe(404);
  });

  it('outside the API, keeps to the service and names the registry URL', async () => {
    const { send, asked } = following(reply(307, { location: '/v2/o/p/blobs/x' }), reply(302, { location: 'https://api.github.com/x' }));
    const error = await rejection(send(request({ destination: registryDestination(), path: '/v2/o/p/manifests/sha256:1' })));
    expect(asked.map((hop) => hop.target)).toEqual(['ghcr.io/v2/o/p/manifests/sha256:1', 'ghcr.io/v2/o/p/blobs/x']);
    expect(error.message).toBe(
      'the container registry at ghcr.io redirected GET ghcr.io/v2/o/p/blobs/x to another host (https://api.github.com/x); not following it, so the token and the query stay with https://ghcr.io. Check the registry URL (https://ghcr.io, set with --registry-url).',
    );
  });
});
