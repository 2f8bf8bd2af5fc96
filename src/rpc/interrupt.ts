/**
 * The cells the SQL thread waits on, in a SharedArrayBuffer so that other threads can reach them.
 * The SQL thread blocks in Atomics.wait on POSTED while a statement waits for GitHub; nothing on its
 * own event loop can run then, so stopping it takes another thread (or a callback the bridge itself
 * calls) that sets INTERRUPT and wakes the waiter through POSTED.
 */
export const POSTED = 0;
export const INTERRUPT = 1;
const CELLS = 2;

export function newBridgeCells(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(CELLS * Int32Array.BYTES_PER_ELEMENT));
}

/**
 * Stops the statement running on the registration whose `interruptHandle` this is, from any thread:
 * it fails with GhsqlError('INTERRUPTED') as soon as it is waiting for GitHub (at once when it is),
 * and its requests are cancelled. With no statement running it does nothing.
 *
 * The counter is bumped as well as notified: a waiter that read it just before the flag was set
 * would otherwise miss the notify and sleep until the next page.
 */
export function interrupt(handle: SharedArrayBuffer): void {
  const cells = new Int32Array(handle, 0, CELLS);
  Atomics.store(cells, INTERRUPT, 1);
  Atomics.add(cells, POSTED, 1);
  Atomics.notify(cells, POSTED);
}

/** Whether an interrupt is waiting to be taken by the statement. */
export function interruptPending(handle: SharedArrayBuffer): boolean {
  return Atomics.load(new Int32Array(handle, 0, CELLS), INTERRUPT) !== 0;
}

/** Drops an interrupt nobody took (the statement ended without waiting again). */
export function clearInterrupt(handle: SharedArrayBuffer): void {
  Atomics.store(new Int32Array(handle, 0, CELLS), INTERRUPT, 0);
}
