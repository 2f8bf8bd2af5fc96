import { describe, expect, it } from 'vitest';
import { redactor } from '../../../dist/github/redact.js';
import type { Answered } from '../../../dist/github/transport/exchange.js';
import { throwingRefusals } from '../../../dist/github/transport/refusals.js';
import { recorder, rejection, reply, request } from './support.js';

const TOKEN_HELP = 'Set GITHUB_TOKEN or GH_TOKEN to a valid classic personal access token with the read:packages scope.';

/** throwingRefusals() over a next layer that answers once with `response`. */
async function refused(make: () => Response, accept: number[] = []) {
  const { trace, events } = recorder();
  const response = make();
  const body = await response.text();
  const send = throwingRefusals(async () => ({ response, body, bytes: Buffer.from(body), ms: 7 }) satisfies Answered, { trace, redact: redactor('sekrit-token'), tokenHelp: TOKEN_HELP });
  return { outcome: send(request({ accept })), events };
}

describe('the refusal layer', () => {
  it('returns success, 304, a redirect and accepted statuses as answers, tracing each once', async () => {
    for (const [status, accept] of [[200, []], [204, []], [304, []], [302, []], [404, [404]]] as Array<[number, number[]]>) {
      const { outcome, events } = await refused(reply(status), accept);
      expect((await outcome).response.status).toBe(status);
      expect(events).toEqual([{ method: 'GET', target: '/user/packages', status, ms: 7, source: status === 304 ? 'revalidated' : 'network' }]);
    }
  });

  it("says what GitHub refused, in GitHub's words", async () => {
    const { outcome, events } = await refused(reply(422, { 'x-ratelimit-remaining': '42' }, '{"message":"Validation Failed"}'));
    const error = await rejection(outcome);
    expect(error).toMatchObject({ code: 'HTTP', status: 422 });
    expect(error.message).toBe('GET /user/packages failed with 422: Validation Failed');
    expect(events).toEqual([{ method: 'GET', target: '/user/packages', status: 422, ms: 7, source: 'network', rateLimitRemaining: 42 }]);
  });

  it('ends a 401 with the help it is given', async () => {
    const error = await rejection((await refused(reply(401, {}, '{"message":"Bad credentials"}'))).outcome);
    expect(error).toMatchObject({ code: 'AUTH', status: 401 });
    expect(error.message).toBe(`GitHub rejected the token (401 Bad credentials) for GET /user/packages. ${TOKEN_HELP}`);
  });

  it('removes the token from a body before quoting the start of it', async () => {
    const error = await rejection((await refused(reply(500, {}, `<html>${'x'.repeat(180)}sekrit-token</html>`))).outcome);
    expect(error.message).not.toContain('sekrit');
    expect(error.message).toContain('[REDAC');
  });
});
