import type { MessagePort } from 'node:worker_threads';
import { serializeError } from '../errors.js';
import type { FromWorker, ToWorker, Wire, WorkerHandlers } from './protocol.js';

/** Posts to the SQL thread and wakes it if it is waiting. */
export function poster<W extends Wire>(port: MessagePort, posted: Int32Array): (message: FromWorker<W>) => void {
  return (message) => {
    port.postMessage(message);
    Atomics.add(posted, 0, 1);
    Atomics.notify(posted, 0);
  };
}

/** The worker's side of the bridge: runs handlers and posts their answers. */
export function serve<W extends Wire>(port: MessagePort, post: (message: FromWorker<W>) => void, handlers: WorkerHandlers<W>): void {
  const running = new Map<number, { controller: AbortController; more?: (consumed: number) => void }>();

  const run = async (id: number, work: (signal: AbortSignal) => Promise<void>) => {
    const controller = new AbortController();
    running.set(id, { controller });
    try {
      await work(controller.signal);
    } catch (error) {
      if (!controller.signal.aborted) post({ kind: 'error', id, error: serializeError(error) });
    } finally {
      running.delete(id);
    }
  };

  port.on('message', (message: ToWorker<W>) => {
    switch (message.kind) {
      case 'stream':
        void run(message.id, async (signal) => {
          const batches = handlers.stream(
            message.payload,
            signal,
            (listener) => {
              const entry = running.get(message.id);
              if (entry) entry.more = listener;
            },
            message.pages ?? 1,
          );
          for await (const { rows, pages } of batches) {
            if (signal.aborted) return;
            post({ kind: 'batch', id: message.id, rows, ...(pages === undefined ? {} : { pages }) });
          }
          post({ kind: 'end', id: message.id });
        });
        break;
      case 'call':
        void run(message.id, async (signal) => {
          post({ kind: 'result', id: message.id, value: await handlers.call(message.payload, signal) });
        });
        break;
      case 'more':
        running.get(message.id)?.more?.(message.consumed);
        break;
      case 'cancel':
        running.get(message.id)?.controller.abort();
        break;
    }
  });
}
