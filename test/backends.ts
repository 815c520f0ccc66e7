// The backends every conformance test runs on. WebGPU must be present: a run without an adapter
// fails, unless DARKSCAN_ALLOW_NO_WEBGPU=1 says so on purpose (and then it warns loudly).
import os from 'node:os';
import { BackendUnavailableError, WasmBackend, WebGPUBackend, type Backend } from '../host/index.js';

export const ALLOW_NO_WEBGPU = process.env.DARKSCAN_ALLOW_NO_WEBGPU === '1';
export const CORES = os.availableParallelism();

export interface TestBackend {
  label: string;
  make: () => Promise<Backend>;
}

/** Small chunk cap so that the cases' sizes cross GPU chunk boundaries. */
export const TEST_CHUNK_ITEMS = 1000;

export const WASM_BACKENDS: TestBackend[] = [
  { label: 'wasm scalar, 1 worker', make: () => WasmBackend.create({ flavor: 'scalar', workers: 1 }) },
  { label: 'wasm simd, 1 worker', make: () => WasmBackend.create({ flavor: 'simd', workers: 1 }) },
  { label: `wasm simd, ${Math.max(2, CORES)} workers`, make: () => WasmBackend.create({ flavor: 'simd', workers: Math.max(2, CORES), minItemsPerWorker: 1 }) },
  { label: 'wasm scalar, 3 workers (uneven split)', make: () => WasmBackend.create({ flavor: 'scalar', workers: 3, minItemsPerWorker: 1 }) },
];

export async function probeWebGPU(): Promise<{ adapter: string; error?: undefined } | { adapter?: undefined; error: string }> {
  try {
    const b = await WebGPUBackend.create();
    const d = b.info().details as Record<string, unknown>;
    return { adapter: `${d.vendor} ${d.architecture} (${d.description})` };
  } catch (e) {
    if (e instanceof BackendUnavailableError) return { error: e.message };
    throw e;
  }
}

/**
 * Runs `body` on a fresh WebGPU backend (disposed after). Without an adapter the test fails unless
 * DARKSCAN_ALLOW_NO_WEBGPU=1 says so on purpose.
 */
export async function onWebGPU(body: (gpu: WebGPUBackend) => Promise<void>): Promise<void> {
  const probe = await probeWebGPU();
  if (probe.error) {
    if (!ALLOW_NO_WEBGPU) throw new Error(`no WebGPU adapter: ${probe.error} (DARKSCAN_ALLOW_NO_WEBGPU=1 allows that on purpose)`);
    return;
  }
  const gpu = await WebGPUBackend.create();
  try {
    await body(gpu);
  } finally {
    await gpu.dispose();
  }
}

export const WEBGPU_BACKENDS: TestBackend[] = [
  { label: 'webgpu', make: () => WebGPUBackend.create() },
  { label: `webgpu, chunks of ${TEST_CHUNK_ITEMS} items`, make: () => WebGPUBackend.create({ maxChunkItems: TEST_CHUNK_ITEMS }) },
];
