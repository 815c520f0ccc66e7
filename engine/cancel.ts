// Cancellation that works while the engine computes: Node delivers SIGINT (and the browser its
// UI events) only between macrotasks, so a long path that awaits only promises (microtasks) or
// runs synchronously never sees Ctrl-C. Long paths call `checkpoint` between kernel dispatches,
// chunks, toy batches, pseudo-experiments and windows: it yields one macrotask turn (so the
// signal can be raised) and throws if it was.
const turn: (f: () => void) => void = typeof setImmediate === 'function' ? (f) => setImmediate(f) : (f) => setTimeout(f, 0);

export async function checkpoint(signal?: AbortSignal): Promise<void> {
  if (!signal) return;
  signal.throwIfAborted();
  await new Promise<void>((r) => turn(r));
  signal.throwIfAborted();
}

/** A checkpoint for tight loops: yields only when `ms` have passed since the last turn. */
export function ticker(signal?: AbortSignal, ms = 50): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (!signal || performance.now() - last < ms) return;
    await checkpoint(signal);
    last = performance.now();
  };
}
