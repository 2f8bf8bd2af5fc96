import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generatedPackages } from '../../dist/stand-in/packages-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { clientFor, closedPort, LIST, rejection } from './helpers.js';

describe('retries against real connections', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn({ packages: generatedPackages(10, 'container', 1) });
  });
  afterAll(() => standIn.close());
  beforeEach(async () => {
    await standIn.configure({ faultRate: 0 });
    await standIn.clearRequests();
  });

  it('a local fault is not retried, and is INTERNAL, not NETWORK', async () => {
    const { client, traces } = clientFor(standIn, { maxRetries: 4 });
    const error = await rejection(client.send({ route: 'GE\tT /user/packages' }));
    expect(error).toMatchObject({ code: 'INTERNAL' });
    expect(error.message).toMatch(/could not be completed: TypeError: .* is not a valid HTTP method\. That is a fault on this side, not the network's, so it was not retried\./);
    expect(traces.filter((event) => event.retry)).toEqual([]);
    expect(await standIn.requests()).toEqual([]);
  });

  it('a refused connection is retried, then reported as the network', async () => {
    const { client, traces } = clientFor({ url: `http://127.0.0.1:${await closedPort()}`, token: 'x' }, { maxRetries: 2 });
    const error = await rejection(client.send(LIST));
    expect(error).toMatchObject({ code: 'NETWORK' });
    expect(error.message).toMatch(/failed after 3 attempts: the connection was refused \(connect ECONNREFUSED/);
    expect(traces.map((event) => event.retry)).toEqual([expect.stringMatching(/refused.*, retrying$/), expect.stringMatching(/, retrying$/), undefined]);
  });

  it('a reset connection is retried as often as allowed', async () => {
    await standIn.configure({ faultRate: 1, faultKinds: ['reset'] });
    const { client } = clientFor(standIn, { maxRetries: 2 });
    const error = await rejection(client.send(LIST));
    expect(error).toMatchObject({ code: 'NETWORK' });
    expect(error.message).toMatch(/failed after 3 attempts: the connection was reset/);
    expect((await standIn.requests()).map((entry) => entry.status)).toEqual([0, 0, 0]);
  });

  it('a 4xx is not retried', async () => {
    const { client } = clientFor({ url: standIn.url, token: 'unknown-token' }, { maxRetries: 4 });
    expect(await rejection(client.send(LIST))).toMatchObject({ code: 'AUTH', status: 401 });
    expect(await standIn.requests()).toHaveLength(1);
  });
});
