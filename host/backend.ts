import type { KernelArgs, KernelDesc, KernelOutputs } from '../kernels/types.js';
import { outputLength } from '../kernels/types.js';

/** Every backend; 'webgl2' (host/gpujs.ts, gpu.js) runs in a browser page only. */
export type BackendName = 'webgpu' | 'wasm' | 'cpu' | 'webgl2';
/** The backends a Node process creates (createBackend, --backend, auto). */
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'wasm', 'cpu'];

export interface BackendInfo {
  readonly name: BackendName;
  readonly available: boolean;
  /** Why not, when unavailable. */
  readonly reason?: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** What every backend does: run a registered kernel over an item range and return its bits. */
export interface Backend {
  readonly name: BackendName;
  run(desc: KernelDesc, args: KernelArgs): Promise<KernelOutputs>;
  info(): BackendInfo;
  /**
   * Items computed per backend name, for a backend that hands work to others (FallbackBackend:
   * the primary, and the fallback after a fault); absent on one that computes everything itself.
   */
  itemsByBackend?(): Readonly<Record<string, number>>;
  /**
   * Runs `fn` with exclusive use of the backend, its runs chained (WasmBackend): their outputs are
   * views into the backend's memory, valid until `fn` returns, and read where they lie when handed
   * to a later run of the chain as inputs (no copies in or out); the same bits as plain runs. Inside
   * `fn` call only `run`, never the backend's own run (it would wait for the chain). Use `chain()`.
   */
  chain?<T>(fn: (run: ChainRun) => Promise<T>): Promise<T>;
  dispose(): Promise<void>;
}

/** A kernel run inside a chain (Backend.chain): outputs valid until the chain's callback returns. */
export type ChainRun = (desc: KernelDesc, args: KernelArgs) => Promise<KernelOutputs>;

/** The backend's chained runs where it has them, else its plain runs (the same bits either way). */
export function chain<T>(backend: Backend, fn: (run: ChainRun) => Promise<T>): Promise<T> {
  return backend.chain ? backend.chain(fn) : fn((d, a) => backend.run(d, a));
}

export class BackendUnavailableError extends Error {
  constructor(readonly backend: BackendName, reason: string) {
    super(`${backend} backend unavailable: ${reason}`);
    this.name = 'BackendUnavailableError';
  }
}

/** Output arrays sized for a run of `count` items (scatter targets: their length param), zeroed. */
export function allocOutputs(desc: KernelDesc, count: number, params?: KernelArgs['params']): KernelOutputs {
  const out: KernelOutputs = {};
  for (const o of desc.outputs) out[o.name] = new Uint32Array(outputLength(desc, o, count, params));
  return out;
}

/** Splits [0, count) into at most `parts` contiguous ranges of at least `minItems` items. */
export function splitRange(count: number, parts: number, minItems = 1): [number, number][] {
  const n = Math.max(1, Math.min(parts, Math.floor(count / Math.max(1, minItems))));
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const a = Math.floor((count * i) / n), b = Math.floor((count * (i + 1)) / n);
    if (b > a) out.push([a, b]);
  }
  return out;
}
