// Window-scan benchmark: the window_count kernel per backend beside brute-force JS (every event
// against every window) and a vectorised numpy scan (bench/scan_numpy.py), measured in one run on
// the same events and windows; the counts of all of them are compared.
//
//   npx vite-node bench/scan.ts -- --events 1e5,1e6 --steps 2 [--brute-max 1e10] [--no-numpy]
//        [--backends cpu,wasm-scalar,wasm-simd,wasm-simd-all,webgpu] [--reps 3] [--out FILE.json]
//
// --e2e: also the end-to-end scan per backend (events in memory -> per-window counts: binning and
// packing, kernel, decoding, each stage timed, and each kernel of the chain with the host stage
// before it (kernel_stages_median_s); the first call reported apart, JIT warm-up
// included) beside numpy with its sort timed (scan_numpy.py e2e), on the same events: medians,
// best of the reps, and the process's CPU time (workers included), the ratios for each.
//
// --steps: grid steps in sigma for the default dark Higgsstrahlung grid (k = 2): 5.5 -> 1019
// windows, 2 -> 8960, 1 -> 36693. Events: Philox-generated dimuon-like sample in the kinematic
// triangle, M_mumu uniform in [2 m_mu, 10.5] GeV, M_recoil = y_max u^2 (piling up at low recoil).
import { createBackend, type Backend, type ChainRun } from '../host/index.js';
import { philoxBlock } from '../kernels/philox/ref.js';
import { windowCount } from '../kernels/window_count/desc.js';
import { windowCountBrute } from '../kernels/window_count/ref.js';
import { windowCountArgs, OUT_WORDS } from '../kernels/window_count/layout.js';
import { makeEventTable, type EventTable } from '../engine/events.js';
import { darkHiggsstrahlungGrid, type WindowGrid } from '../engine/windows.js';
import { countInWindows, prepareCounts } from '../engine/scan.js';
import { quantiseCoord } from '../kernels/window_count/layout.js';
import { sqrtS } from '../engine/kinematics.js';
import type { Scenario } from './runner.js';

export const BENCH_SEED_KEY: readonly [number, number] = [0x5ca9, 0xbe7c];

/** n dimuon-like events (see header); deterministic from Philox with a fixed key. */
export function benchEvents(n: number): EventTable {
  const x = new Float32Array(n), y = new Float32Array(n);
  const r = new Uint32Array(4);
  const rs = sqrtS();
  for (let i = 0; i < n; i++) {
    philoxBlock(i, 0, 0, 0, BENCH_SEED_KEY[0], BENCH_SEED_KEY[1], r, 0);
    const u1 = r[0] * 2 ** -32, u2 = r[1] * 2 ** -32;
    x[i] = 0.2113 + u1 * (10.5 - 0.2113);
    y[i] = Math.min(x[i], rs - x[i]) * u2 * u2;
  }
  return makeEventTable({ m_mumu_GeV: x, m_recoil_GeV: y }, { required: ['m_mumu_GeV', 'm_recoil_GeV'] }).table;
}

/** The generic runner's scenario: the kernel alone on the default grid (binning done once in setup). */
export function scanScenario(events = 1e6): Scenario {
  const grid = darkHiggsstrahlungGrid();
  return {
    name: `window_count ${events} events x ${grid.cx.length} windows`,
    unit: 'window-event pairs (N x W)',
    amount: events * grid.cx.length,
    async setup(b) {
      const { ev, win } = prepareCounts(grid, benchEvents(events));
      const args = windowCountArgs(ev, win);
      return () => b.run(windowCount, args);
    },
  };
}

const now = () => performance.now() / 1000;

interface E2eRow { events: number; windows: number; impl: string; end_to_end: true; first_call_s?: number; median_s: number; best_s?: number; cpu_median_s?: number; cpu_best_s?: number; stages_median_s: Record<string, number>; kernel_stages_median_s?: Record<string, number>; stages_cpu_median_s?: Record<string, number>; counts_match_reference?: boolean; vs_numpy_with_sort?: number; vs_numpy_with_sort_best?: number; vs_numpy_with_sort_cpu?: number }

const median = (v: number[]) => [...v].sort((a, b) => a - b)[(v.length - 1) >> 1];

/** The host stage before each kernel of countInWindows' chain, and after the last (by the kernel that follows). */
const HOST_STAGE: Record<string, string> = { bin_range: 'host: inputs', bin_count: 'host: plan', bin_scatter: 'host: prefix', window_count: 'host: order + pack', end: 'host: decode' };

/**
 * `b` with every kernel run timed (its chain's runs too): `marks` gets each kernel's wall time under
 * its name and the host time before it under HOST_STAGE's name; `end()` closes the last host stage.
 */
function timedBackend(b: Backend, marks: Record<string, number>): { backend: Backend; end: () => void } {
  let last = now();
  const add = (k: string, t: number) => { marks[k] = (marks[k] ?? 0) + t; };
  const timed = (run: (d: Parameters<Backend['run']>[0], a: Parameters<Backend['run']>[1]) => ReturnType<Backend['run']>) => async (d: Parameters<Backend['run']>[0], a: Parameters<Backend['run']>[1]) => {
    const t0 = now();
    add(HOST_STAGE[d.name] ?? `host: before ${d.name}`, t0 - last);
    const out = await run(d, a);
    last = now();
    add(d.name, last - t0);
    return out;
  };
  const backend: Backend = {
    name: b.name, info: () => b.info(), dispose: () => b.dispose(),
    run: timed((d, a) => b.run(d, a)),
    ...(b.chain ? { chain: <T>(fn: (run: ChainRun) => Promise<T>) => b.chain!((run) => fn(timed(run))) } : {}),
  };
  return { backend, end: () => add(HOST_STAGE.end, now() - last) };
}

/**
 * Events in memory -> per-window counts on each backend, stage by stage (countInWindows:
 * binning + packing, then the kernel and decodeWindowSums, chained on the backend), beside numpy timing its
 * own sort; the counts of all are compared with the first backend's.
 */
async function endToEnd(grid: WindowGrid, table: EventTable, backends: { label: string; b: Backend }[], reps: number, tmp: string, rows: (Row | E2eRow)[], noNumpy: boolean): Promise<void> {
  const { writeFileSync, readFileSync } = await import('node:fs');
  const { execFileSync } = await import('node:child_process');
  const { join } = await import('node:path');
  const N = table.length, W = grid.cx.length;
  let ref: Uint32Array | undefined;
  const mine: E2eRow[] = [];
  for (const { label, b } of backends) {
    const stages: Record<string, number[]> = { bin_and_pack: [], kernel_and_decode: [] };
    // this thread's CPU time of the host stages: on a loaded machine it is what the wall time would be alone
    const cpu: Record<string, number[]> = { bin_and_pack: [], total: [] };
    const cpuS = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;
    const total: number[] = [];
    let n: Uint32Array | undefined;
    const slow = label === 'cpu' || label === 'webgpu';
    const fine: Record<string, number>[] = []; // per rep: each kernel and the host stages between them
    for (let r = 0; r < (slow ? 2 : reps + 1); r++) {
      const marks: Record<string, number> = {}, tb = timedBackend(b, marks);
      const t0 = now(), c0 = process.cpuUsage();
      let t1 = t0;
      // countInWindows: the counting sort (bin_range, bin_count, bin_scatter) and window_count chained on the backend
      n = (await countInWindows(tb.backend, grid, table, {}, undefined, () => { cpu.bin_and_pack.push(cpuS(process.cpuUsage(c0))); t1 = now(); })).n;
      tb.end();
      fine.push(marks);
      const t3 = now();
      cpu.total.push(cpuS(process.cpuUsage(c0))); // the process: this thread and the WASM workers
      stages.bin_and_pack.push(t1 - t0); stages.kernel_and_decode.push(t3 - t1); total.push(t3 - t0);
    }
    ref ??= n;
    const first = total.shift()!;
    fine.shift();
    for (const k in stages) stages[k].shift();
    cpu.bin_and_pack.shift();
    cpu.total.shift();
    const row: E2eRow = {
      events: N, windows: W, impl: `end-to-end ${label}`, end_to_end: true, first_call_s: first, median_s: median(total), best_s: Math.min(...total),
      cpu_median_s: median(cpu.total), cpu_best_s: Math.min(...cpu.total),
      stages_median_s: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, median(v)])),
      kernel_stages_median_s: Object.fromEntries(Object.keys(fine[0] ?? {}).map((k) => [k, median(fine.map((m) => m[k] ?? 0))])), stages_cpu_median_s: { bin_and_pack: median(cpu.bin_and_pack) }, counts_match_reference: n!.every((v, i) => v === ref![i]),
    };
    mine.push(row);
    rows.push(row);
    console.error(`${N} ev x ${W} win  ${row.impl.padEnd(26)} ${(row.median_s * 1e3).toFixed(1)} ms (best ${(row.best_s! * 1e3).toFixed(1)}; cpu ${(row.cpu_median_s! * 1e3).toFixed(1)}, best ${(row.cpu_best_s! * 1e3).toFixed(1)}; first call ${(first * 1e3).toFixed(1)} ms) stages ${Object.entries(row.stages_median_s).map(([k, v]) => `${k} ${(v * 1e3).toFixed(1)}`).join(', ')} ms; bin_and_pack cpu ${(row.stages_cpu_median_s!.bin_and_pack * 1e3).toFixed(1)} ms`);
    console.error(`    by kernel (medians): ${Object.entries(row.kernel_stages_median_s!).map(([k, v]) => `${k} ${(v * 1e3).toFixed(2)}`).join(', ')} ms`);
  }
  if (noNumpy) return;
  // numpy gets the events in their own order (quantised like darkscan's), sorts them itself, every rep.
  writeFileSync(join(tmp, 'x.f32'), Float32Array.from(table.columns[grid.variables[0]], quantiseCoord));
  writeFileSync(join(tmp, 'y.f32'), Float32Array.from(table.columns[grid.variables[1]], quantiseCoord));
  writeFileSync(join(tmp, 'win.u32'), prepareCounts(grid, table).win);
  try {
    const res = JSON.parse(execFileSync(process.env.PYTHON ?? 'python3', [new URL('./scan_numpy.py', import.meta.url).pathname, tmp, String(reps), 'e2e'], { encoding: 'utf8', maxBuffer: 1 << 30 }));
    const counts = new Uint32Array(readFileSync(join(tmp, 'counts.u32')).buffer.slice(0));
    const row: E2eRow = {
      events: N, windows: W, impl: `end-to-end numpy ${res.numpy} (argsort + searchsorted + f32 test)`, end_to_end: true, median_s: res.median_s, best_s: res.best_s, cpu_median_s: res.cpu_s, cpu_best_s: res.cpu_best_s,
      stages_median_s: { sort: res.sort_s, scan: res.median_s - res.sort_s }, stages_cpu_median_s: { sort: res.sort_cpu_s, total: res.cpu_s }, counts_match_reference: ref ? counts.every((v, i) => v === ref![i]) : undefined,
    };
    rows.push(row);
    for (const m of mine) {
      m.vs_numpy_with_sort = res.median_s / m.median_s;
      m.vs_numpy_with_sort_best = res.best_s / m.best_s!;
      m.vs_numpy_with_sort_cpu = res.cpu_s / m.cpu_median_s!;
    }
    console.error(`${N} ev x ${W} win  ${row.impl} ${(res.median_s * 1e3).toFixed(1)} ms (sort ${(res.sort_s * 1e3).toFixed(1)} ms; cpu ${(res.cpu_s * 1e3).toFixed(1)} ms, sort ${(res.sort_cpu_s * 1e3).toFixed(1)} ms) ${row.counts_match_reference === false ? 'COUNTS DIFFER' : ''}`);
    for (const m of mine) console.error(`  ${m.impl}: ${m.vs_numpy_with_sort!.toFixed(2)}x numpy with its sort (medians; best of each ${m.vs_numpy_with_sort_best!.toFixed(2)}x; by CPU time ${m.vs_numpy_with_sort_cpu!.toFixed(2)}x)`);
  } catch (e) {
    rows.push({ events: N, windows: W, impl: 'end-to-end numpy', end_to_end: true, median_s: NaN, stages_median_s: {}, counts_match_reference: undefined });
    console.error(`numpy not run: ${(e as Error).message.split('\n')[0]}`);
  }
}

async function timeIt(fn: () => Promise<unknown> | unknown, reps: number): Promise<{ median_s: number; all_s: number[] }> {
  const all: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = now();
    await fn();
    all.push(now() - t0);
  }
  const s = [...all].sort((a, b) => a - b);
  return { median_s: s[(s.length - 1) >> 1], all_s: all };
}

function sameCounts(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length / OUT_WORDS; i++) if (a[i * OUT_WORDS] !== b[i * OUT_WORDS]) return false;
  return true;
}

interface Row { events: number; windows: number; impl: string; median_s?: number; all_s?: number[]; pairs_per_s?: number; counts_match_reference?: boolean; note?: string }

async function main(): Promise<void> {
  // Node-only modules load here, so that the browser bench can import scanScenario from this file.
  const { parseArgs } = await import('node:util');
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, writeFileSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir, availableParallelism, cpus } = await import('node:os');
  const { join } = await import('node:path');
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      events: { type: 'string', default: '1e5,1e6' },
      steps: { type: 'string', default: '2' },
      backends: { type: 'string', default: 'cpu,wasm-scalar,wasm-simd,wasm-simd-all,webgpu' },
      'brute-max': { type: 'string', default: '1e10' },
      'no-numpy': { type: 'boolean' },
      reps: { type: 'string', default: '3' },
      out: { type: 'string' },
      e2e: { type: 'boolean' },
      'no-kernel': { type: 'boolean' },
    },
  });
  const sizes = values.events!.split(',').map(Number);
  const steps = values.steps!.split(',').map(Number);
  const reps = Number(values.reps);
  const bruteMax = Number(values['brute-max']);
  const threads = availableParallelism();
  const makers: Record<string, () => Promise<Backend>> = {
    cpu: () => createBackend('cpu'),
    'wasm-scalar': () => createBackend('wasm', { wasm: { flavor: 'scalar', workers: 1 } }),
    'wasm-simd': () => createBackend('wasm', { wasm: { flavor: 'simd', workers: 1 } }),
    'wasm-simd-all': () => createBackend('wasm', { wasm: { flavor: 'simd', workers: threads, minItemsPerWorker: 64 } }),
    webgpu: () => createBackend('webgpu'),
  };
  const backends: { label: string; b: Backend }[] = [];
  for (const name of values.backends!.split(',')) {
    try {
      const b = await makers[name]();
      backends.push({ label: name === 'wasm-simd-all' ? `wasm-simd x${threads}` : name, b });
    } catch (e) {
      console.error(`bench: ${name} not measured: ${(e as Error).message}`);
    }
  }
  const rows: (Row | E2eRow)[] = [];
  const log = (r: Row) => {
    rows.push(r);
    console.error(`${r.events} ev x ${r.windows} win  ${r.impl.padEnd(22)} ${r.median_s !== undefined ? `${(r.median_s * 1e3).toFixed(1)} ms` : ''} ${r.counts_match_reference === false ? 'COUNTS DIFFER' : ''} ${r.note ?? ''}`);
  };
  const tmp = mkdtempSync(join(tmpdir(), 'darkscan-bench-'));
  try {
    for (const step of steps) {
      const grid: WindowGrid = darkHiggsstrahlungGrid({ step });
      const W = grid.cx.length;
      for (const N of sizes) {
        const table = benchEvents(N);
        const tPrep = now();
        const { ev, win } = prepareCounts(grid, table);
        const prep = now() - tPrep;
        log({ events: N, windows: W, impl: 'host binning + packing', median_s: prep, note: `cells ${ev.nx}x${ev.ny}` });
        const args = windowCountArgs(ev, win);
        let ref: Uint32Array | undefined;
        if (values.e2e) await endToEnd(grid, table, backends, reps, tmp, rows, values['no-numpy'] ?? false);
        if (values['no-kernel']) continue;
        for (const { label, b } of backends) {
          let out: Uint32Array | undefined;
          await b.run(windowCount, args); // warm-up (pipelines, workers, memory growth)
          const slow = label === 'cpu' || label === 'webgpu';
          const t = await timeIt(async () => { out = (await b.run(windowCount, args)).sums; }, slow ? 1 : reps);
          ref ??= out;
          log({ events: N, windows: W, impl: label, ...t, pairs_per_s: (N * W) / t.median_s, counts_match_reference: sameCounts(out!, ref!) });
        }
        if (N * W <= bruteMax) {
          let out: Uint32Array | undefined;
          const t = await timeIt(() => { out = windowCountBrute(win, ev.x, ev.y, undefined); }, 1);
          log({ events: N, windows: W, impl: 'brute-force JS', ...t, pairs_per_s: (N * W) / t.median_s, counts_match_reference: ref ? sameCounts(out!, ref) : undefined });
        } else {
          log({ events: N, windows: W, impl: 'brute-force JS', note: `not run: N x W = ${N * W} > --brute-max ${bruteMax}` });
        }
        if (!values['no-numpy']) {
          // numpy gets the same quantised f32 coordinates and window records, and times its own scan.
          writeFileSync(join(tmp, 'x.f32'), ev.x); writeFileSync(join(tmp, 'y.f32'), ev.y); writeFileSync(join(tmp, 'win.u32'), win);
          try {
            const py = process.env.PYTHON ?? 'python3';
            const res = JSON.parse(execFileSync(py, [new URL('./scan_numpy.py', import.meta.url).pathname, tmp, String(reps)], { encoding: 'utf8', maxBuffer: 1 << 30 }));
            const counts = new Uint32Array(readFileSync(join(tmp, 'counts.u32')).buffer.slice(0));
            let match = true;
            for (let i = 0; i < W; i++) if (counts[i] !== ref?.[i * OUT_WORDS]) match = false;
            log({ events: N, windows: W, impl: `numpy ${res.numpy} (${res.method})`, median_s: res.median_s, all_s: res.all_s, pairs_per_s: (N * W) / res.median_s, counts_match_reference: ref ? match : undefined });
          } catch (e) {
            log({ events: N, windows: W, impl: 'numpy', note: `not run: ${(e as Error).message.split('\n')[0]}` });
          }
        }
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    for (const { b } of backends) await b.dispose();
  }
  const report = {
    schema: 'darkscan-bench-scan/1',
    started: new Date().toISOString(),
    environment: { node: process.version, cpu: cpus()[0]?.model, threads, platform: `${process.platform}-${process.arch}` },
    events_generator: `Philox4x32-10 key ${BENCH_SEED_KEY.map((k) => k.toString(16)).join(':')}, counter (event, 0, 0, 0)`,
    results: rows,
  };
  const json = JSON.stringify(report, null, 1);
  if (values.out) writeFileSync(values.out, json);
  console.log(json);
}

// Run as a script (vite-node bench/scan.ts), not when bundled into the generic bench runner.
if (import.meta.url.endsWith('/bench/scan.ts') && typeof process !== 'undefined') await main();
