// The backends of the node benches by label (bench/fits.ts, bench/toys_fit.ts).
import { createBackend, type Backend } from '../host/index.js';

/** cpu, wasm-simd (1 worker), wasm-simd-all (a worker per core), wasm-scalar, webgpu (no fallback). */
export async function makeBackend(label: string): Promise<Backend> {
  if (label === 'cpu') return createBackend('cpu');
  if (label === 'wasm-simd') return createBackend('wasm', { wasm: { flavor: 'simd', workers: 1 } });
  if (label === 'wasm-simd-all') return createBackend('wasm', { wasm: { flavor: 'simd' } });
  if (label === 'wasm-scalar') return createBackend('wasm', { wasm: { flavor: 'scalar', workers: 1 } });
  if (label === 'webgpu') return createBackend('webgpu', { fallback: false });
  throw new Error(`unknown backend label '${label}'`);
}
