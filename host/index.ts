import { BACKEND_NAMES, BackendUnavailableError, type Backend, type BackendInfo, type BackendName } from './backend.js';
import { CpuBackend } from './cpu.js';
import { WasmBackend, type WasmOptions } from './wasm.js';
import { WebGPUBackend, type WebGPUOptions } from './webgpu.js';
import { FallbackBackend } from './fallback.js';

export * from './backend.js';
export { CpuBackend, runReference } from './cpu.js';
export { WasmBackend, type WasmOptions } from './wasm.js';
export { WebGPUBackend, DeviceLostError, GpuError, type WebGPUOptions } from './webgpu.js';

export type BackendChoice = BackendName | 'auto';

export interface BackendOptions {
  /** Overrides DARKSCAN_BACKEND; 'auto' takes webgpu, then wasm, then cpu. */
  readonly backend?: BackendChoice;
  readonly webgpu?: WebGPUOptions;
  readonly wasm?: WasmOptions;
  /** WebGPU work that fails with a lost device or out-of-memory is rerun on WASM (default true). */
  readonly fallback?: boolean;
}

export const BACKEND_ENV = 'DARKSCAN_BACKEND';

export function parseBackendChoice(s: string, from: string): BackendChoice {
  if (s === 'auto' || (BACKEND_NAMES as readonly string[]).includes(s)) return s as BackendChoice;
  throw new Error(`${from}: unknown backend '${s}' (expected auto, ${BACKEND_NAMES.join(', ')})`);
}

export async function createBackend(name: BackendName, opts: BackendOptions = {}): Promise<Backend> {
  switch (name) {
    case 'webgpu': {
      const gpu = await WebGPUBackend.create(opts.webgpu);
      if (opts.fallback === false) return gpu;
      return new FallbackBackend(gpu, () => WasmBackend.create(opts.wasm));
    }
    case 'wasm':
      return WasmBackend.create(opts.wasm);
    case 'cpu':
      return new CpuBackend();
  }
}

function envChoice(): BackendChoice | undefined {
  const v = typeof process !== 'undefined' ? process.env?.[BACKEND_ENV] : undefined;
  return v ? parseBackendChoice(v, BACKEND_ENV) : undefined;
}

/** The backend to run on: the option, else $DARKSCAN_BACKEND, else the first available. */
export async function selectBackend(opts: BackendOptions = {}): Promise<Backend> {
  const choice = opts.backend ?? envChoice() ?? 'auto';
  if (choice !== 'auto') return createBackend(choice, opts);
  const reasons: string[] = [];
  for (const name of BACKEND_NAMES) {
    try {
      return await createBackend(name, opts);
    } catch (e) {
      if (!(e instanceof BackendUnavailableError)) throw e;
      reasons.push(e.message);
    }
  }
  throw new Error(`no backend available: ${reasons.join('; ')}`);
}

/** Every backend, available or not, with why not. Backends created here are disposed. */
export async function probeBackends(opts: BackendOptions = {}): Promise<BackendInfo[]> {
  const out: BackendInfo[] = [];
  for (const name of BACKEND_NAMES) {
    try {
      const b = await createBackend(name, opts);
      out.push(b.info());
      await b.dispose();
    } catch (e) {
      out.push({ name, available: false, reason: (e as Error).message, details: {} });
    }
  }
  return out;
}
export { FallbackBackend, isRecoverable, type ChunkRecord, type FallbackOptions } from './fallback.js';
export { sliceArgs, placeOutputs } from './slice.js';
