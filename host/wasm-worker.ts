// A pool worker: instantiates the kernels on the shared memory and runs item ranges on request.
import * as Comlink from 'comlink';
import { instantiate, type KernelFn } from './wasm-instance.js';
import { inNode } from './runtime.js';

let kernels: Record<string, KernelFn> | undefined;

const api = {
  init(module: WebAssembly.Module, memory: WebAssembly.Memory): void {
    kernels = instantiate(module, memory);
  },
  run(exportName: string, params: number, bufs: number): void {
    if (!kernels) throw new Error('wasm worker used before init');
    const fn = kernels[exportName];
    if (typeof fn !== 'function') throw new Error(`wasm build has no export '${exportName}'`);
    fn(params, bufs);
  },
};
export type WorkerApi = typeof api;

async function main(): Promise<void> {
  if (inNode()) {
    const { parentPort } = await import('node:worker_threads');
    const nodeEndpoint = (await import('comlink/dist/esm/node-adapter.mjs')).default;
    Comlink.expose(api, nodeEndpoint(parentPort!));
  } else {
    Comlink.expose(api);
  }
}
void main();
