// A generator worker (host/generate-pool.ts): runs the event generator (engine/generate) over an
// event range on request and sends the columns back (transferred, not copied). The processes'
// generator kernels run on a WASM instance of the worker's own (generateOn: the same events as
// generate); without WebAssembly threads the worker runs their TypeScript references (generate).
// Requests run one at a time, in the order they arrive (the pool's order).
import { parentPort } from 'node:worker_threads';
import { generate, generateOn, type GenerateOptions } from '../engine/generate/index.js';
import { WasmBackend } from './wasm.js';
import type { Backend } from './backend.js';

export interface GenerateRequest {
  readonly id: number;
  readonly o: GenerateOptions;
}
export type GenerateReply =
  | { readonly id: number; readonly length: number; readonly columns: Record<string, Float32Array | Float64Array> }
  | { readonly id: number; readonly error: string };

// Started at once, so that the module compiles while the first request is on its way.
const wasm: Promise<Backend | null> = WasmBackend.create({ workers: 1 }).catch(() => null);
let queue: Promise<void> = Promise.resolve();

async function reply(m: GenerateRequest): Promise<void> {
  try {
    const b = await wasm;
    const s = b ? await generateOn(b, m.o) : generate(m.o);
    parentPort!.postMessage({ id: m.id, length: s.length, columns: s.columns } satisfies GenerateReply, Object.values(s.columns).map((c) => c.buffer as ArrayBuffer));
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies GenerateReply);
  }
}

parentPort!.on('message', (m: GenerateRequest) => {
  queue = queue.then(() => reply(m));
});
