// MLP inference throughput (events/s): darkscan's `mlp` kernel per backend beside onnxruntime-node
// (CPU execution provider, same thread count) and onnxruntime-web (WASM), in the same run.
//   DARKSCAN_BENCH=mlp npx vite-node bench/mlp.ts -- [--events 1000000 --reps 3 --out bench-mlp.json]
// (vite-node does not pass the script's path in argv, hence the variable.)
// The scenario `mlp` (bench/scenarios.ts) times darkscan alone under `npm run bench -- --scenario mlp`.
// Models: 12-64-64-1 and 32-128-128-1 (ReLU, ReLU, sigmoid; input standardisation), weights from
// Philox (seed 20261125): the same model is written as ONNX for onnxruntime.
// Training (--train ROWS, e.g. 10000: the demo's sample): the mlp_train kernel per backend (engine/nn/
// train.ts, the same weights on each, checked) beside the f64 host trainer it replaced
// (bench/train-f64.ts), a 9-16-16-1 ReLU net, 12 epochs, batch 256, as the demo trains:
//   DARKSCAN_BENCH=mlp npx vite-node bench/mlp.ts -- --train 10000 [--epochs 12 --reps 3 --networks 1]
// --networks N: the rows split into N networks trained together (one kernel item each, as the
// mass ranges of a search; WASM spreads them over its workers).
import type { Backend } from '../host/backend.js';
import type { Scenario } from './runner.js';
import { testWords } from '../kernels/testing.js';
import { scoreEvents } from '../engine/nn/infer.js';
import { macsPerEvent, describeModel, type Mlp } from '../engine/nn/model.js';
import { mlpToOnnx } from '../engine/nn/onnx-write.js';

/** A deterministic benchmark MLP of the given widths. */
export function benchModel(widths: readonly number[], stream = 1): Mlp {
  const u = (n: number, s: number, scale: number): Float32Array => Float32Array.from(testWords(n, s), (v) => scale * ((v >>> 8) / 8388608 - 1));
  const layers = widths.slice(1).map((nOut, k) => {
    const nIn = widths[k];
    return { nIn, nOut, weights: u(nIn * nOut, 1000 * stream + 2 * k, 2 / Math.sqrt(nIn)), bias: u(nOut, 1000 * stream + 2 * k + 1, 0.2), activation: (k === widths.length - 2 ? 'sigmoid' : 'relu') as 'sigmoid' | 'relu' };
  });
  const nIn = widths[0];
  return { nIn, layers, scoreIndex: 0, sub: u(nIn, 1000 * stream + 90, 1), mul: u(nIn, 1000 * stream + 91, 0.5).map((v) => 1 + v), source: `bench ${widths.join('-')}` };
}

export function benchFeatures(rows: number, nIn: number, stream = 7): Float32Array {
  const x = new Float32Array(rows * nIn);
  const chunk = 1 << 20;
  for (let a = 0; a < x.length; a += chunk) {
    const w = testWords(Math.min(chunk, x.length - a), stream * 4096 + a / chunk);
    for (let j = 0; j < w.length; j++) x[a + j] = ((w[j] >>> 8) / 8388608 - 1) * 3;
  }
  return x;
}

/** Scenario for bench/node.ts: `size` events (default 1e6) through the 12-64-64-1 MLP. */
export function mlpScenario(size = 1_000_000, widths: readonly number[] = [12, 64, 64, 1]): Scenario {
  const model = benchModel(widths);
  let x: Float32Array | undefined;
  return {
    name: `mlp ${describeModel(model)}, ${size} events`,
    unit: 'events',
    amount: size,
    async setup(b: Backend) {
      x ??= benchFeatures(size, model.nIn);
      return () => scoreEvents(b, model, x!);
    },
  };
}

const now = (): number => performance.now() / 1000;

async function timeIt(reps: number, step: () => Promise<unknown>): Promise<{ median_s: number; min_s: number }> {
  await step();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = now();
    await step();
    t.push(now() - t0);
  }
  t.sort((a, b) => a - b);
  return { median_s: t[Math.floor(t.length / 2)], min_s: t[0] };
}

async function main(): Promise<void> {
  const { parseArgs } = await import('node:util');
  const os = await import('node:os');
  const { writeFileSync } = await import('node:fs');
  const { createBackend } = await import('../host/index.js');
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '1000000' }, reps: { type: 'string', default: '3' }, out: { type: 'string' },
      'cpu-events': { type: 'string', default: '20000' }, 'webgpu-events': { type: 'string', default: '100000' }, threads: { type: 'string' },
      models: { type: 'string', default: '12-64-64-1,32-128-128-1' }, skip: { type: 'string', default: '' },
      train: { type: 'string' }, epochs: { type: 'string', default: '12' }, networks: { type: 'string', default: '1' },
    },
  });
  const events = Number(values.events), reps = Number(values.reps);
  const threads = values.threads ? Number(values.threads) : os.availableParallelism();
  const skip = new Set(values.skip!.split(',').filter(Boolean));
  if (values.train) {
    await trainBench(Number(values.train), Number(values.epochs), reps, skip, Number(values.networks), values.out);
    process.exit(0);
  }
  // Peers, not bundled: loaded at run time from bench/node_modules (`npm run peers` installs them).
  const { loadPeer } = await import('./peers.js');
  const ortNode = await loadPeer('onnxruntime-node');
  const ortWeb = await loadPeer('onnxruntime-web').catch((e: Error) => (console.error(`bench: onnxruntime-web unavailable: ${e.message}`), undefined));
  const results: Record<string, unknown>[] = [];
  const log = (r: Record<string, unknown>): void => {
    results.push(r);
    console.error(`${r.model} ${String(r.runtime).padEnd(28)} ${String(r.events).padStart(8)} events  median ${(Number(r.median_s) * 1e3).toFixed(1).padStart(8)} ms  ${Number(r.events_per_s).toExponential(3)} events/s`);
  };
  for (const spec of values.models!.split(',')) {
    const widths = spec.split('-').map(Number);
    const model = benchModel(widths);
    const name = describeModel(model);
    const x = benchFeatures(events, model.nIn);
    const darkscan: [string, () => Promise<Backend>, number][] = [
      ['darkscan cpu (TS reference)', () => createBackend('cpu'), Number(values['cpu-events'])],
      ['darkscan wasm-scalar x1', () => createBackend('wasm', { wasm: { flavor: 'scalar', workers: 1 } }), events],
      ['darkscan wasm-simd x1', () => createBackend('wasm', { wasm: { flavor: 'simd', workers: 1 } }), events],
      [`darkscan wasm-simd x${threads}`, () => createBackend('wasm', { wasm: { flavor: 'simd', workers: threads } }), events],
      ['darkscan webgpu', () => createBackend('webgpu'), Number(values['webgpu-events'])],
    ];
    let ref: Float32Array | undefined;
    for (const [label, make, n] of darkscan) {
      if ([...skip].some((s) => label.includes(s))) continue;
      let b: Backend;
      try {
        b = await make();
      } catch (e) {
        console.error(`bench: ${label} not measured: ${(e as Error).message}`);
        continue;
      }
      const xs = x.subarray(0, n * model.nIn);
      let scores: Float32Array | undefined;
      const t = await timeIt(reps, async () => { scores = await scoreEvents(b, model, xs); });
      // Every darkscan backend returns the same bits: checked on the common prefix.
      const m = Math.min(n, 20000);
      if (!ref) ref = scores!.slice(0, m);
      else for (let i = 0; i < Math.min(m, ref.length); i++) if (Object.is(ref[i], scores![i]) === false) throw new Error(`${label}: score ${i} differs from the first backend's`);
      log({ model: name, runtime: label, details: b.info().details, events: n, ...t, events_per_s: n / t.median_s, macs_per_event: macsPerEvent(model) });
      await b.dispose();
    }
    const onnx = mlpToOnnx(model);
    const rows = events;
    if (!skip.has('ort-node')) {
      const s = await ortNode.InferenceSession.create(onnx, { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
      const feeds = { x: new ortNode.Tensor('float32', x, [rows, model.nIn]) };
      let y: Float32Array | undefined;
      const t = await timeIt(reps, async () => { y = (await s.run(feeds)).score.data as Float32Array; });
      let maxd = 0;
      for (let i = 0; i < Math.min(rows, ref?.length ?? 0); i++) maxd = Math.max(maxd, Math.abs(y![i] - ref![i]));
      log({ model: name, runtime: `onnxruntime-node x${threads}`, events: rows, ...t, events_per_s: rows / t.median_s, max_abs_diff_vs_darkscan: maxd });
      await s.release();
    }
    if (ortWeb && !skip.has('ort-web')) {
      for (const nt of [1, threads]) {
        try {
          ortWeb.env.wasm.numThreads = nt;
          const s = await ortWeb.InferenceSession.create(onnx, { executionProviders: ['wasm'] });
          const feeds = { x: new ortWeb.Tensor('float32', x, [rows, model.nIn]) };
          const t = await timeIt(reps, async () => { await s.run(feeds); });
          log({ model: name, runtime: `onnxruntime-web wasm x${nt}`, events: rows, ...t, events_per_s: rows / t.median_s });
          await s.release();
        } catch (e) {
          console.error(`bench: onnxruntime-web with ${nt} threads failed: ${(e as Error).message}`);
        }
        if (threads === 1) break;
      }
    }
  }
  const report = { schema: 'darkscan-bench-mlp/1', started: new Date().toISOString(), environment: { node: process.version, cpus: os.cpus()[0]?.model, threads, platform: `${process.platform}-${process.arch}` }, results };
  if (values.out) writeFileSync(values.out, JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report, null, 2));
  process.exit(0);
}

/** Training: the mlp_train kernel per backend and the f64 host trainer (version 1), same data and seed. */
async function trainBench(rows: number, epochs: number, reps: number, skip: Set<string>, networks: number, out?: string): Promise<void> {
  const os = await import('node:os');
  const { writeFileSync } = await import('node:fs');
  const { createBackend } = await import('../host/index.js');
  const { trainClassifiers, rocAuc } = await import('../engine/nn/train.js');
  const { trainClassifierF64 } = await import('./train-f64.js');
  const nIn = 9;
  const x = benchFeatures(rows, nIn, 11);
  // Labels: a non-linear function of the features, so the net has something to learn.
  const y = Uint8Array.from({ length: rows }, (_, r) => (x[r * nIn] * x[r * nIn + 1] + x[r * nIn + 2] > 0.5 ? 1 : 0));
  const opts = { seed: 3, hidden: [16, 16], epochs, batch: 256 };
  const threads = os.availableParallelism();
  // N networks: rows [j rows / N, (j + 1) rows / N) each, seeds 3 + j (the first is reported).
  const jobs = Array.from({ length: networks }, (_, j) => {
    const a = Math.floor((j * rows) / networks), e = Math.floor(((j + 1) * rows) / networks);
    return { x: x.subarray(a * nIn, e * nIn), labels: y.subarray(a, e), nIn, opts: { ...opts, seed: 3 + j } };
  });
  const results: Record<string, unknown>[] = [];
  const log = (r: Record<string, unknown>): void => {
    results.push(r);
    console.error(`train 9-16-16-1 x ${rows} rows${networks > 1 ? ` in ${networks} networks` : ''} x ${epochs} epochs  ${String(r.runtime).padEnd(34)} median ${(Number(r.median_s) * 1e3).toFixed(1).padStart(8)} ms  final loss ${Number(r.final_loss).toFixed(5)}  train AUC ${Number(r.auc).toFixed(4)}`);
  };
  const runs: [string, () => Promise<Backend | undefined>][] = [
    ['darkscan cpu (TS reference)', () => createBackend('cpu')],
    ['darkscan wasm-scalar x1', () => createBackend('wasm', { wasm: { flavor: 'scalar', workers: 1 } })],
    ['darkscan wasm-simd x1', () => createBackend('wasm', { wasm: { flavor: 'simd', workers: 1 } })],
    [`darkscan wasm-simd x${threads}`, () => createBackend('wasm', { wasm: { flavor: 'simd', workers: threads } })],
    ['darkscan webgpu', () => createBackend('webgpu')],
  ];
  let ref: Uint32Array | undefined;
  for (const [label, make] of runs) {
    if ([...skip].some((s) => label.includes(s))) continue;
    let b: Backend | undefined;
    try {
      b = await make();
    } catch (e) {
      console.error(`bench: ${label} not measured: ${(e as Error).message}`);
      continue;
    }
    let r: Awaited<ReturnType<typeof trainClassifiers>>[0] | undefined;
    const t = await timeIt(label.includes('cpu') || label.includes('webgpu') ? 1 : reps, async () => { r = (await trainClassifiers(jobs, { backend: b }))[0]; });
    const w = new Uint32Array(r!.model.layers[0].weights.slice().buffer);
    if (!ref) ref = w;
    else if (w.some((v, i) => v !== ref![i])) throw new Error(`${label}: trained weights differ from the first backend's`);
    log({ runtime: label, details: b!.info().details, rows, epochs, networks, ...t, final_loss: r!.history.at(-1)!.loss, auc: rocAuc(await scoreEvents(b!, r!.model, jobs[0].x as Float32Array), jobs[0].labels) });
    await b!.dispose();
  }
  let old: ReturnType<typeof trainClassifierF64> | undefined;
  const t = await timeIt(reps, async () => { for (const [j, job] of jobs.entries()) { const m = trainClassifierF64(job.x, job.labels, nIn, job.opts); if (j === 0) old = m; } });
  const cpu = await createBackend('cpu');
  log({ runtime: 'f64 host trainer (version 1)', rows, epochs, networks, ...t, final_loss: old!.history.at(-1)!.loss, auc: rocAuc(await scoreEvents(cpu, old!.model, jobs[0].x as Float32Array), jobs[0].labels) });
  const report = { schema: 'darkscan-bench-mlp-train/1', started: new Date().toISOString(), environment: { node: process.version, cpus: os.cpus()[0]?.model, threads, platform: `${process.platform}-${process.arch}` }, results };
  if (out) writeFileSync(out, JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report, null, 2));
}

const argv1 = typeof process !== 'undefined' ? process.argv[1] ?? '' : '';
if (/bench[\\/]mlp\.(ts|js)$/.test(argv1) || (typeof process !== 'undefined' && process.env.DARKSCAN_BENCH === 'mlp')) await main();
