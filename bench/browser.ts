// The browser twin of bench/node.ts: the same scenarios (bench/scenarios.ts) and runner
// (bench/runner.ts), on the backends a page has: cpu, WASM scalar/SIMD on 1 and N workers,
// WebGPU (navigator.gpu) and WebGL2 (gpu.js). Reports the same schema, darkscan-bench/1.
import { createBackend, type Backend } from '../host/index.js';
import { GpuJsBackend } from '../host/gpujs.js';
import { runBench, type BenchReport } from './runner.js';
import { SCENARIOS } from './scenarios.js';

export interface BrowserBenchOptions {
  readonly scenario?: string;
  readonly size?: number;
  readonly reps?: number;
  readonly warmup?: number;
  /** Labels to run (default all): cpu, wasm-scalar x1, wasm-simd x1, wasm-simd xN, webgpu, webgl2. */
  readonly only?: readonly string[];
  readonly log?: (s: string) => void;
}

export async function runBrowserBench(o: BrowserBenchOptions = {}): Promise<BenchReport> {
  const name = o.scenario ?? 'philox';
  const make = SCENARIOS[name as keyof typeof SCENARIOS];
  if (!make) throw new Error(`unknown scenario '${name}' (have: ${Object.keys(SCENARIOS).join(', ')})`);
  const scenario = make(o.size);
  const threads = Math.max(1, navigator.hardwareConcurrency || 1);
  const log = o.log ?? (() => {});
  const want = (label: string) => !o.only || o.only.some((l) => label === l || (l === 'wasm-simd xN' && label === `wasm-simd x${threads}`));
  const backends: { label: string; backend: Backend }[] = [];
  const tryAdd = async (label: string, make: () => Promise<Backend>) => {
    if (!want(label)) return;
    try {
      backends.push({ label, backend: await make() });
    } catch (e) {
      log(`bench: ${label} not measured: ${(e as Error).message}`);
    }
  };
  await tryAdd('cpu', () => createBackend('cpu'));
  await tryAdd('wasm-scalar x1', () => createBackend('wasm', { wasm: { flavor: 'scalar', workers: 1 } }));
  await tryAdd('wasm-simd x1', () => createBackend('wasm', { wasm: { flavor: 'simd', workers: 1 } }));
  await tryAdd(`wasm-simd x${threads}`, () => createBackend('wasm', { wasm: { flavor: 'simd', workers: threads } }));
  await tryAdd('webgpu', () => createBackend('webgpu', { fallback: false }));
  await tryAdd('webgl2', async () => (await GpuJsBackend.create()).withFallback(await createBackend('cpu')));
  try {
    return await runBench([scenario], backends, {
      warmup: o.warmup ?? 2,
      reps: o.reps ?? 9,
      maxSeconds: 30,
      environment: {
        browser: navigator.userAgent,
        threads,
        cross_origin_isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated ?? false,
        platform: (navigator as { platform?: string }).platform,
      },
      log,
    });
  } finally {
    for (const { backend } of backends) await backend.dispose();
  }
}
