/**
 * A callback run once when the current synchronous run ends (the event loop turns), however often it
 * is asked for meanwhile: "the same statement" for a caller that runs statements back to back. The
 * timer does not keep the process alive.
 */
export function atEndOfTurn(callback: () => void): () => void {
  let scheduled = false;
  return () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      callback();
    }).unref();
  };
}
