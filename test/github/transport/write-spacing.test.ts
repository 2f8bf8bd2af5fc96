import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../../dist/github/transport/exchange.js';
import { spacingWrites } from '../../../dist/github/transport/write-spacing.js';
import { FakeClock, NOW, request } from './support.js';

/** spacingWrites() over a next layer that notes the time each request reaches it. */
function spaced(intervalMs: number) {
  const clock = new FakeClock();
  const reached: Array<[string, number]> = [];
  const send = spacingWrites(async (hop: HttpRequest) => reached.push([hop.method, clock.now() - NOW]), intervalMs, clock);
  return { send, clock, reached };
}

const write = (method = 'DELETE') => request({ method, path: '/user/packages/npm/a' });

describe('the write-spacing layer', () => {
  it('sends writes at least the interval apart', async () => {
    const { send, clock, reached } = spaced(1_000);
    await send(write());
    await send(write('POST'));
    await send(write());
    expect(reached).toEqual([
      ['DELETE', 0],
      ['POST', 1_000],
      ['DELETE', 2_000],
    ]);
    expect(clock.sleeps).toEqual([1_000, 1_000]);
  });

  it('waits only for what is left of the interval', async () => {
    const { send, clock } = spaced(1_000);
    await send(write());
    clock.time += 700;
    await send(write());
    clock.time += 5_000;
    await send(write());
    expect(clock.sleeps).toEqual([300]);
  });

  it('queues concurrent writes in order, each in its own slot', async () => {
    const clock = new FakeClock();
    const slots: number[] = [];
    // Sleeps are recorded as asked, all at the same instant: the slots are reserved when each write arrives.
    const send = spacingWrites(async () => undefined, 1_000, { now: clock.now, sleep: async (ms) => void slots.push(ms) });
    await Promise.all([send(write()), send(write()), send(write())]);
    expect(slots).toEqual([1_000, 2_000]);
  });

  it('never delays a read, nor counts it', async () => {
    const { send, clock, reached } = spaced(1_000);
    await send(write());
    await send(request());
    await send(request());
    expect(reached.map(([method, at]) => `${method} ${at}`)).toEqual(['DELETE 0', 'GET 0', 'GET 0']);
    expect(clock.sleeps).toEqual([]);
  });

  it('with an interval of 0, never waits', async () => {
    const { send, clock } = spaced(0);
    for (let i = 0; i < 3; i++) await send(write());
    expect(clock.sleeps).toEqual([]);
  });

  it("ends a wait with the caller's abort", async () => {
    const { send } = spaced(1_000);
    await send(write());
    const controller = new AbortController();
    controller.abort(new Error('interrupted'));
    await expect(send({ ...write(), signal: controller.signal })).rejects.toThrow('interrupted');
  });
});
