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
  /** Overrides DARKSCAN_BACKEND; 'auto' takes a hardware WebGPU adapter, else wasm, else cpu (see `autoPassesOver`). */
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
    case 'webgl2':
      throw new BackendUnavailableError('webgl2', 'a browser page backend (gpu.js): web/lib.ts creates it');
  }
}

function envChoice(): BackendChoice | undefined {
  const v = typeof process !== 'undefined' ? process.env?.[BACKEND_ENV] : undefined;
  return v ? parseBackendChoice(v, BACKEND_ENV) : undefined;
}

/**
 * Why the adapter is a software rasteriser (the GPU emulated on the CPU), or undefined for a real
 * GPU: WebGPU's `isFallbackAdapter`, or a description naming SwiftShader, llvmpipe, lavapipe or
 * softpipe (WebGL's `renderer` too). Measured here: SwiftShader runs the kernels 10-50x slower than WASM (README, Benchmarks).
 */
export function softwareAdapter(details: Readonly<Record<string, unknown>>): string | undefined {
  const text = ['vendor', 'architecture', 'device', 'description', 'renderer'].map((k) => details[k]).filter((v) => typeof v === 'string' && v).join(', ');
  const signs = [details.isFallbackAdapter === true ? 'isFallbackAdapter' : '', /swiftshader|llvmpipe|lavapipe|softpipe/i.test(text) ? text : ''].filter(Boolean);
  return signs.length ? `a software adapter, the GPU emulated on the CPU (${signs.join('; ')})` : undefined;
}

/** Why `auto` passes over this backend (unavailable, or WebGPU on a software adapter), or undefined when auto would take it. */
export function autoPassesOver(info: BackendInfo): string | undefined {
  if (!info.available) return info.reason ?? 'unavailable';
  if (info.name === 'webgpu') {
    const sw = softwareAdapter(info.details);
    if (sw) return `${sw}, slower than WASM; \`--backend webgpu\` still runs on it`;
  }
  return undefined;
}

export interface AutoPick {
  readonly backend: BackendName;
  /** One line: why this backend, and why not the ones before it. */
  readonly reason: string;
}

/** What `auto` picks among probed backends (in BACKEND_NAMES order: webgpu, wasm, cpu), and why. */
export function pickAuto(infos: readonly BackendInfo[]): AutoPick {
  const passed: string[] = [];
  for (const name of BACKEND_NAMES) {
    const info = infos.find((i) => i.name === name);
    if (!info) continue;
    const why = autoPassesOver(info);
    if (why === undefined) {
      const what = name === 'webgpu' ? `a hardware GPU adapter (${String(info.details.description || info.details.device || info.details.vendor || 'unnamed')})` : name === 'wasm' ? 'WebAssembly' : 'the TypeScript reference';
      return { backend: name, reason: `${what}${passed.length ? `; not ${passed.join('; not ')}` : ''}` };
    }
    passed.push(`${name}: ${why}`);
  }
  throw new Error(`no backend available: ${passed.join('; ')}`);
}

/** The backend to run on: the option, else $DARKSCAN_BACKEND, else auto (`pickAuto`'s rule, probing lazily). */
export async function selectBackend(opts: BackendOptions = {}): Promise<Backend> {
  const choice = opts.backend ?? envChoice() ?? 'auto';
  if (choice !== 'auto') return createBackend(choice, opts);
  const reasons: string[] = [];
  for (const name of BACKEND_NAMES) {
    let b: Backend;
    try {
      b = await createBackend(name, opts);
    } catch (e) {
      if (!(e instanceof BackendUnavailableError)) throw e;
      reasons.push(e.message);
      continue;
    }
    const why = autoPassesOver(b.info());
    if (why === undefined) return b;
    await b.dispose();
    reasons.push(`${name}: ${why}`);
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
