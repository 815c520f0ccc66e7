// The backends of the node benches by label, and the pyhf peer (bench/fits.ts, bench/toys_fit.ts).
import { execFileSync } from 'node:child_process';
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

/**
 * Runs `measure` on each backend of a comma-separated list of labels, disposing it after; a backend
 * that cannot start is recorded as { skipped: why }. The rows by label.
 */
export async function perBackend(labels: string, measure: (b: Backend, label: string) => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const rows: Record<string, unknown> = {};
  for (const label of labels.split(',')) {
    let b: Backend;
    try {
      b = await makeBackend(label);
    } catch (e) {
      rows[label] = { skipped: (e as Error).message };
      continue;
    }
    try {
      rows[label] = await measure(b, label);
    } finally {
      await b.dispose();
    }
  }
  return rows;
}

/** bench/pyhf_peer.py with these arguments (pyhf 0.7.6 from shared/peers, one thread): its JSON summary line. */
export function pyhfPeer(args: readonly string[]): Record<string, unknown> {
  const py = execFileSync('/usr/bin/python3', ['bench/pyhf_peer.py', ...args], {
    env: { ...process.env, PYTHONPATH: '/work/shared/peers/pyhf/src', OMP_NUM_THREADS: '1' }, encoding: 'utf8', maxBuffer: 1 << 26,
  });
  return JSON.parse(py.trim().split('\n').pop()!);
}
