// What the page and the browser tests share: backend choice in the browser, deterministic demo
// inputs (the test process builds the same ones in Node and compares bits), and the runs.
import { createBackend, softwareAdapter, type Backend, type BackendInfo } from '../host/index.js';
import { GpuJsBackend } from '../host/gpujs.js';
import { key, randomBits, uniforms, RANDOM_STREAM_VERSION } from '../engine/random.js';
import type { EventTable } from '../engine/events.js';
import type { WindowGrid } from '../engine/windows.js';
import { countInWindows } from '../engine/scan.js';
export { toySample, fingerprint } from './toy.js';

export type BrowserBackendChoice = 'auto' | 'webgpu' | 'wasm' | 'webgl2' | 'cpu';
export const BROWSER_BACKENDS: readonly BrowserBackendChoice[] = ['auto', 'webgpu', 'wasm', 'webgl2', 'cpu'];

export interface BackendHandle {
  readonly choice: BrowserBackendChoice;
  readonly backend: Backend;
  /** What ran: 'webgpu' | 'wasm' | 'webgl2' | 'cpu'. */
  readonly name: string;
  readonly info: BackendInfo;
  /** Why 'auto' skipped the backends before it. */
  readonly skipped: string[];
}

function hwThreads(): number {
  return Math.max(1, Math.min(16, globalThis.navigator?.hardwareConcurrency ?? 1));
}

export async function makeBrowserBackend(choice: BrowserBackendChoice, o: { workers?: number } = {}): Promise<BackendHandle> {
  const workers = o.workers ?? hwThreads();
  const one = async (c: Exclude<BrowserBackendChoice, 'auto'>): Promise<Backend> => {
    switch (c) {
      case 'webgpu':
        return createBackend('webgpu', { fallback: false });
      case 'wasm':
        return createBackend('wasm', { wasm: { workers } });
      case 'webgl2': {
        const gl = await GpuJsBackend.create();
        // Kernels without a gpu.js twin run on WASM workers (or the TS reference without shared memory).
        const other = await createBackend('wasm', { wasm: { workers } }).catch(() => createBackend('cpu'));
        return gl.withFallback(other);
      }
      case 'cpu':
        return createBackend('cpu');
    }
  };
  const skipped: string[] = [];
  let backend: Backend | undefined;
  if (choice !== 'auto') backend = await one(choice);
  else {
    // navigator.gpu on a hardware GPU first; WebGL2 (gpu.js) on one where it is missing; then WASM
    // workers; then the reference. Software adapters (SwiftShader, llvmpipe, ...) are passed over.
    for (const c of ['webgpu', 'webgl2', 'wasm', 'cpu'] as const) {
      try {
        const b = await one(c);
        const sw = c === 'webgpu' || c === 'webgl2' ? softwareAdapter(b.info().details) : undefined;
        if (sw === undefined) {
          backend = b;
          break;
        }
        skipped.push(`${c}: ${sw}, slower than WASM`);
        await b.dispose();
      } catch (e) {
        skipped.push(`${c}: ${(e as Error).message}`);
      }
    }
  }
  if (!backend) throw new Error(`no backend: ${skipped.join('; ')}`);
  return { choice, backend, name: backend.name, info: backend.info(), skipped };
}

export interface PhiloxRun {
  generator: 'philox4x32-10';
  stream_version: number;
  seed: number;
  stream: number;
  key: readonly [number, number];
  blocks: number;
  format: 'u32' | 'uniform';
  backend: string;
  seconds: number;
  /** The draws as u32 bit patterns (uniform f32 too, as their bits). */
  words: number[];
}

export async function runPhilox(b: Backend, o: { seed: number; stream?: number; blocks: number; format?: 'u32' | 'uniform'; event?: number }): Promise<PhiloxRun> {
  const k = key(o.seed, o.stream ?? 0);
  const fmt = o.format ?? 'u32';
  const t0 = performance.now();
  const c = { event: o.event ?? 0 };
  const a = fmt === 'u32' ? await randomBits(b, k, c, o.blocks) : await uniforms(b, k, c, o.blocks);
  const seconds = (performance.now() - t0) / 1000;
  const w = new Uint32Array(a.buffer, a.byteOffset, a.length);
  return { generator: 'philox4x32-10', stream_version: RANDOM_STREAM_VERSION, seed: o.seed, stream: o.stream ?? 0, key: k, blocks: o.blocks, format: fmt, backend: b.name, seconds, words: Array.from(w) };
}

/** Raw window_count sums (6 u32 per window) for a sample on a grid: what tests compare bit by bit. */
export async function windowSums(b: Backend, grid: WindowGrid, table: EventTable): Promise<{ n: number[]; sumW: number[]; sumW2: number[] }> {
  const s = await countInWindows(b, grid, table);
  return { n: Array.from(s.n), sumW: Array.from(s.sumW), sumW2: Array.from(s.sumW2) };
}
