// A generator worker (host/generate-pool.ts): runs the event generator (engine/generate) over an
// event range on request and sends the columns back (transferred, not copied).
import { parentPort } from 'node:worker_threads';
import { generate, type GenerateOptions } from '../engine/generate/index.js';

export interface GenerateRequest {
  readonly id: number;
  readonly o: GenerateOptions;
}
export type GenerateReply =
  | { readonly id: number; readonly length: number; readonly columns: Record<string, Float32Array | Float64Array> }
  | { readonly id: number; readonly error: string };

parentPort!.on('message', (m: GenerateRequest) => {
  try {
    const s = generate(m.o);
    parentPort!.postMessage({ id: m.id, length: s.length, columns: s.columns } satisfies GenerateReply, Object.values(s.columns).map((c) => c.buffer as ArrayBuffer));
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies GenerateReply);
  }
});
