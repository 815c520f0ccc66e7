// Where this code runs, for the few places that need Node's own modules.

/** Node (its main thread or a worker_threads worker), not a browser page or browser Worker (which has WorkerGlobalScope). */
export function inNode(): boolean {
  return typeof process !== 'undefined' && !!process.versions?.node && typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined';
}
