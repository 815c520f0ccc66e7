// MLP training on the backends (engine/nn/train.ts driving the mlp_train kernel, issue 18 item 1):
// the same trained weights and losses, bit for bit, on the TypeScript reference, WASM (1 and 2
// workers) and WebGPU, alone or several networks per dispatch; the loss falls and the networks
// separate as well as the f64 host trainer's (version 1, bench/train-f64.ts) did; Ctrl-C stops it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WasmBackend, WebGPUBackend, type Backend } from '../host/index.js';
import type { KernelArgs, KernelDesc } from '../kernels/types.js';
import { trainClassifier, trainClassifierAsync, trainClassifiers, rocAuc, type TrainResult } from '../engine/nn/train.js';
import { scoreEvents } from '../engine/nn/infer.js';
import { trainClassifierF64 } from '../bench/train-f64.js';
import { ALLOW_NO_WEBGPU, probeWebGPU } from './backends.js';
import { synthetic as base } from './synthetic.js';

const synthetic = (rows: number, nIn: number, stream: number) => base(rows, nIn, stream, { shift: 0.6, correlate: true });

const bitsOf = (r: TrainResult): number[] => r.model.layers.flatMap((l) => [...new Uint32Array(l.weights.slice().buffer), ...new Uint32Array(l.bias.slice().buffer)]);

/** A backend that counts dispatches of the training kernel and the steps each took. */
function counting(b: Backend): Backend & { steps: number[] } {
  const steps: number[] = [];
  return Object.assign(Object.create(b), {
    steps,
    run: (d: KernelDesc, a: KernelArgs) => {
      if (d.name === 'mlp_train') steps.push(a.params!.steps);
      return b.run(d, a);
    },
  });
}

const nIn = 6;
const train = synthetic(2500, nIn, 911), test = synthetic(4000, nIn, 912);
const opts = { seed: 5, hidden: [16, 16], epochs: 3, batch: 128 };
const webgpu = await probeWebGPU();

describe('the same weights on every backend', () => {
  const ref = trainClassifier(train.x, train.y, nIn, opts);
  const backends: [string, () => Promise<Backend>][] = [
    ['wasm scalar, 1 worker', () => WasmBackend.create({ flavor: 'scalar', workers: 1 })],
    ['wasm simd, 2 workers', () => WasmBackend.create({ flavor: 'simd', workers: 2, minItemsPerWorker: 1 })],
  ];
  if (webgpu.adapter) backends.push([`webgpu on ${webgpu.adapter}`, () => WebGPUBackend.create()]);
  it.runIf(!ALLOW_NO_WEBGPU)('has a WebGPU adapter to compare (DARKSCAN_ALLOW_NO_WEBGPU=1 skips it on purpose)', () => {
    expect(webgpu.error).toBeUndefined();
  });
  for (const [label, make] of backends) {
    it(label, async () => {
      const b = counting(await make());
      try {
        const got = await trainClassifierAsync(train.x, train.y, nIn, opts, { backend: b });
        expect(bitsOf(got)).toEqual(bitsOf(ref));
        expect(got.history).toEqual(ref.history);
        expect(Array.from(got.model.sub!)).toEqual(Array.from(ref.model.sub!));
        expect(b.steps.reduce((s, v) => s + v, 0)).toBe(3 * Math.ceil(2500 / 128));
      } finally {
        await b.dispose();
      }
    }, 120_000);
  }

  it('several networks in one dispatch (one item each, 2 workers) get the weights each gets alone', async () => {
    const b = counting(await WasmBackend.create({ workers: 2, minItemsPerWorker: 1 }));
    try {
      const parts = [synthetic(700, nIn, 921), synthetic(1300, nIn, 922), synthetic(90, nIn, 923)];
      const jobs = parts.map((p, j) => ({ x: p.x, labels: p.y, nIn, opts: { ...opts, seed: 40 + j } }));
      const together = await trainClassifiers(jobs, { backend: b });
      // The longest job sets the steps: 3 epochs x ceil(1300 / 128) = 33; the others idle once done.
      expect(b.steps.reduce((s, v) => s + v, 0)).toBe(33);
      for (const [j, job] of jobs.entries()) {
        const alone = trainClassifier(job.x, job.labels, nIn, job.opts);
        expect(bitsOf(together[j]), `network ${j}`).toEqual(bitsOf(alone));
        expect(together[j].history).toEqual(alone.history);
      }
      await expect(trainClassifiers([jobs[0], { ...jobs[1], opts: { ...opts, seed: 1, hidden: [8] } }], { backend: b })).rejects.toThrow(/network 1 differs/);
    } finally {
      await b.dispose();
    }
  }, 120_000);
});

describe('training', () => {
  let wasm: Backend;
  beforeAll(async () => {
    wasm = await WasmBackend.create({ workers: 1 });
  });
  afterAll(async () => {
    await wasm?.dispose();
  });

  it('reduces the loss and separates as well as the f64 trainer (version 1) on a held-out sample', async () => {
    const o = { seed: 7, hidden: [16, 16], epochs: 8, batch: 128 };
    const big = synthetic(6000, nIn, 901);
    const now = await trainClassifierAsync(big.x, big.y, nIn, o, { backend: wasm });
    const old = trainClassifierF64(big.x, big.y, nIn, o);
    const sNew = await scoreEvents(wasm, now.model, test.x), sOld = await scoreEvents(wasm, old.model, test.x);
    const aucNew = rocAuc(sNew, test.y), aucOld = rocAuc(sOld, test.y);
    // Background rejection at 80% signal efficiency (cut at the signal scores' 20% quantile).
    const rejection = (s: Float32Array): number => {
      const sig = Float64Array.from(s.filter((_, i) => test.y[i] === 1)).sort();
      const cut = sig[Math.floor(0.2 * sig.length)];
      const bkg = s.filter((_, i) => test.y[i] === 0);
      return bkg.filter((v) => v < cut).length / bkg.length;
    };
    const rNew = rejection(sNew), rOld = rejection(sOld);
    console.log(`mlp_train: loss ${now.history[0].loss.toFixed(4)} -> ${now.history.at(-1)!.loss.toFixed(4)} (f64 trainer ${old.history.at(-1)!.loss.toFixed(4)}); held-out AUC ${aucNew.toFixed(4)} vs ${aucOld.toFixed(4)}; background rejection at 80% signal efficiency ${rNew.toFixed(4)} vs ${rOld.toFixed(4)}`);
    for (let e = 1; e < now.history.length; e++) expect(now.history[e].loss).toBeLessThan(now.history[0].loss);
    expect(now.history.at(-1)!.loss).toBeLessThan(0.9 * now.history[0].loss);
    expect(Math.abs(now.history.at(-1)!.loss - old.history.at(-1)!.loss)).toBeLessThan(0.01);
    expect(aucNew).toBeGreaterThan(0.75);
    expect(Math.abs(aucNew - aucOld)).toBeLessThan(0.005);
    expect(Math.abs(rNew - rOld)).toBeLessThan(0.02);
  }, 120_000);

  it('stops at the next dispatch when the signal is aborted, and reports each epoch', async () => {
    const b = counting(wasm);
    const ac = new AbortController();
    const seen: string[] = [];
    const run = trainClassifierAsync(train.x, train.y, nIn, { ...opts, epochs: 50 }, {
      backend: b, signal: ac.signal,
      progress: (m) => {
        seen.push(m);
        if (m.includes('epoch 2 /')) ac.abort(new Error('stopped by the test'));
      },
    });
    await expect(run).rejects.toThrow('stopped by the test');
    expect(seen[0]).toBe('training the MLP: epoch 1 / 50');
    expect(seen.at(-1)).toBe('training the MLP: epoch 2 / 50');
    // Stopped within epoch 2: at most the steps of two epochs and one dispatch ran.
    expect(b.steps.reduce((s, v) => s + v, 0)).toBeLessThanOrEqual(2 * 20 + Math.max(...b.steps));
  }, 120_000);

  it('rejects what the kernel cannot train, naming the limit', () => {
    expect(() => trainClassifier(train.x, train.y, nIn, { seed: 1, hidden: [200] })).toThrow(/width 200 .* outside 1\.\.128/);
    expect(() => trainClassifier(train.x, train.y, nIn, { seed: 1, hidden: [8, 8, 8, 8, 8] })).toThrow(/6 dense layers/);
    expect(() => trainClassifier(train.x, train.y, nIn, { seed: 1, hidden: [128, 64] })).toThrow(/parameters, over the training kernel's 8192/);
    expect(() => trainClassifier(train.x, train.y, nIn, { seed: 1, epochs: 0 })).toThrow(/epochs must be a positive integer/);
  });
});
