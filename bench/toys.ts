// Toy Monte Carlo benchmark: the toys_qtilde kernel per backend (toyCounts: draw n and the
// auxiliary count of an s+b and a b-only toy, q~_mu of each, count q~ >= q~_obs per window)
// beside a vectorised numpy/scipy-stack implementation of the same model (bench/toys_numpy.py),
// measured in the same run on the same window rows. Model: Poisson auxiliary measurement
// (pyhf shapesys), b in [5, 500], sigma_b / b = 10%, mu s at about the expected limit.
//
//   npx vite-node bench/toys.ts -- [--cases 1x1e6,9000x1e4] [--backends cpu,wasm-simd,wasm-simd-all,webgpu]
//        [--cpu-max 2e7] [--reps 1] [--no-numpy] [--out FILE.json]
//
// Throughput is in toys per second, a toy being one pseudo-experiment (n, m) and its q~_mu;
// each kernel item makes two (one s+b, one b-only).
import { createBackend, type Backend } from '../host/index.js';
import { makeModel, toyCounts, toyRow, type ToyRow } from '../engine/stats/index.js';
import { toys as toysKernel } from '../kernels/toys/desc.js';
import { toyKeys } from '../engine/stats/toys.js';
import type { Scenario } from './runner.js';

/** W window rows of the bench model (deterministic). */
export function benchRows(W: number): { rows: ToyRow[]; kind: number; obs: [number, number][] } {
  const rows: ToyRow[] = [];
  const obs: [number, number][] = [];
  let kind = 0;
  for (let w = 0; w < W; w++) {
    const b = 5 + (495 * ((w * 0.618034) % 1));
    const n = Math.round(b + Math.sqrt(b) * (((w * 0.414214) % 1) * 2 - 1));
    const m = makeModel({ n, b, sigmaB: 0.1 * b, uncertainty: 'poisson' });
    const r = toyRow(m, 2 * Math.sqrt(b) + 3, `window ${w}`);
    rows.push(r.row);
    obs.push([m.n, m.aux]);
    kind = r.kind;
  }
  return { rows, kind, obs };
}

/** The generic runner's scenario: W windows x K toys, counts only. */
export function toysScenario(size = 9000): Scenario {
  const K = 10000;
  const { rows, kind } = benchRows(size);
  return {
    name: `toys_qtilde ${size} windows x ${K} toys (s+b and b-only)`,
    unit: 'toys',
    amount: 2 * size * K,
    async setup(b) {
      return () => toyCounts(rows, kind, { backend: b, seed: 1, toys: K });
    },
  };
}

const now = () => performance.now() / 1000;

async function main(): Promise<void> {
  const { parseArgs } = await import('node:util');
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir, availableParallelism, cpus } = await import('node:os');
  const { join } = await import('node:path');
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      cases: { type: 'string', default: '1x1e6,9000x1e4' },
      backends: { type: 'string', default: 'cpu,wasm-simd,wasm-simd-all,webgpu' },
      'cpu-max': { type: 'string', default: '2e7' },
      'no-numpy': { type: 'boolean' },
      reps: { type: 'string', default: '1' },
      out: { type: 'string' },
    },
  });
  const threads = availableParallelism();
  const reps = Number(values.reps), cpuMax = Number(values['cpu-max']);
  const makers: Record<string, () => Promise<Backend>> = {
    cpu: () => createBackend('cpu'),
    'wasm-simd': () => createBackend('wasm', { wasm: { flavor: 'simd', workers: 1 } }),
    'wasm-simd-all': () => createBackend('wasm', { wasm: { flavor: 'simd', workers: threads, minItemsPerWorker: 256 } }),
    webgpu: () => createBackend('webgpu'),
  };
  const backends: { label: string; b: Backend }[] = [];
  for (const name of values.backends!.split(',')) {
    try {
      backends.push({ label: name === 'wasm-simd-all' ? `wasm x${threads} workers` : name === 'wasm-simd' ? 'wasm x1 worker' : name, b: await makers[name]() });
    } catch (e) {
      console.error(`bench: ${name} not measured: ${(e as Error).message}`);
    }
  }
  const results: Record<string, unknown>[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'darkscan-toys-'));
  try {
    for (const c of values.cases!.split(',')) {
      const [W, K] = c.split('x').map(Number);
      const { rows, kind, obs } = benchRows(W);
      const toys = 2 * W * K;
      let ref: { nsb: Uint32Array; nb: Uint32Array } | undefined;
      for (const { label, b } of backends) {
        if (label === 'cpu' && W * K > cpuMax) {
          results.push({ case: c, impl: label, note: `not run: ${W * K} items > --cpu-max ${cpuMax}` });
          console.error(`${c} ${label}: skipped`);
          continue;
        }
        await b.run(toysKernel, { count: Math.min(W * K, 4096), params: { key_sb0: 0, key_sb1: 0, key_b0: 0, key_b1: 0, toys: K, toy0: 0, kind, stat: 0 }, inputs: { win: new Float32Array(W * 8) } }); // warm-up
        const times: number[] = [];
        let out: { nsb: Uint32Array; nb: Uint32Array } | undefined;
        for (let r = 0; r < reps; r++) {
          const t0 = now();
          out = await toyCounts(rows, kind, { backend: b, seed: 1, toys: K });
          times.push(now() - t0);
        }
        const med = [...times].sort((x, y) => x - y)[(times.length - 1) >> 1];
        const same = ref ? ref.nsb.every((v, i) => v === out!.nsb[i]) && ref.nb.every((v, i) => v === out!.nb[i]) : true;
        ref ??= out;
        results.push({ case: c, impl: label, median_s: med, all_s: times, toys_per_s: toys / med, counts_match_first_backend: same, clsb_first: out!.nsb[0] / K, clb_first: out!.nb[0] / K });
        console.error(`${c} ${label.padEnd(16)} ${med.toFixed(3)} s  ${(toys / med).toExponential(3)} toys/s ${same ? '' : 'COUNTS DIFFER'}`);
      }
      if (!values['no-numpy']) {
        writeFileSync(join(tmp, 'rows.f64'), Float64Array.from(rows.flatMap((r, i) => [r.s, r.b, r.par, r.thSb, r.thB, obs[i][0], obs[i][1]])));
        try {
          const py = process.env.PYTHON ?? 'python3';
          const res = JSON.parse(execFileSync(py, [new URL('./toys_numpy.py', import.meta.url).pathname, tmp, String(K), String(reps)], { encoding: 'utf8', maxBuffer: 1 << 26 }));
          results.push({ case: c, impl: `numpy ${res.numpy}`, method: res.method, median_s: res.median_s, all_s: res.all_s, toys_per_s: toys / res.median_s, clsb_first: res.clsb_first, clb_first: res.clb_first });
          console.error(`${c} numpy            ${res.median_s.toFixed(3)} s  ${(toys / res.median_s).toExponential(3)} toys/s`);
        } catch (e) {
          results.push({ case: c, impl: 'numpy', note: `not run: ${(e as Error).message.split('\n')[0]}` });
        }
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    for (const { b } of backends) await b.dispose();
  }
  const k = toyKeys(1);
  const report = {
    schema: 'darkscan-bench-toys/1', started: new Date().toISOString(),
    environment: { node: process.version, cpu: cpus()[0]?.model, threads, platform: `${process.platform}-${process.arch}` },
    seed: 1, keys: { sb: k.sb, b: k.b }, results,
  };
  const json = JSON.stringify(report, null, 1);
  if (values.out) writeFileSync(values.out, json);
  console.log(json);
}

// Run as a script (vite-node bench/toys.ts), not when bundled into the generic bench runner.
if (import.meta.url.endsWith("/bench/toys.ts") && typeof process !== "undefined") await main();
