// Cancellation that works while the engine computes: Node delivers SIGINT (and the browser its
// UI events) only between macrotasks, so a long path that awaits only promises (microtasks) or
// runs synchronously never sees Ctrl-C. Long paths call `checkpoint` between kernel dispatches,
// chunks, toy batches, pseudo-experiments and windows: it yields one macrotask turn (so the
// signal can be raised) and throws if it was.
import type { Backend } from '../host/backend.js';
import { allocOutputs, placeOutputs, sliceArgs } from '../host/slice.js';
import type { KernelArgs, KernelDesc, KernelOutputs } from '../kernels/types.js';

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

/**
 * One kernel run in blocks of items with a checkpoint between blocks, so that a long dispatch (the
 * whole LLP grid, every fit of a patchset) can be stopped: blocks start at 64 items and are sized
 * from the last block's time to take about 250 ms (at most 16x larger, at least half as large;
 * each block repeats the upload of the shared inputs, so few blocks on fast runs). Items are
 * independent and indexed from `itemOffset`, so the result is the same bits as one dispatch.
 * Without a signal (and no onProgress, called after each block with the items done): one dispatch.
 */
export async function runCancellable(backend: Pick<Backend, 'run'>, desc: KernelDesc, args: KernelArgs, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<KernelOutputs> {
  if (!signal && !onProgress) return backend.run(desc, args);
  const out = allocOutputs(desc, args.count, args.params);
  let chunk = Math.min(64, args.count);
  for (let a = 0; a < args.count; ) {
    await checkpoint(signal);
    const b = Math.min(args.count, a + chunk);
    const t0 = performance.now();
    placeOutputs(desc, out, await backend.run(desc, { ...sliceArgs(desc, args, a, b), signal }), a);
    const dt = performance.now() - t0;
    a = b;
    onProgress?.(a, args.count);
    chunk = Math.max(1, Math.ceil(chunk / 2), Math.min(16 * chunk, Math.round((chunk * 250) / Math.max(dt, 1))));
  }
  signal?.throwIfAborted();
  return out;
}
