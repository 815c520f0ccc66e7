// Toys with fits (issue 14, the toyfit kernel through runToys): the sampled pseudo-data have the
// generating distribution's moments; each toy's q is testStatistic of runFits on the same data
// (same bits; runFits on that data: the same conditional fit, the same free minimum); any split into runs / blocks and the WASM backends (1 and 2 workers) give the same bits.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWorkspace } from '../engine/likelihood/workspace.js';
import { compileModel } from '../engine/likelihood/model.js';
import { DEFAULT_MAX_ITER, packFitModels, runFits, type FitResult } from '../engine/likelihood/fitrun.js';
import { testStatistic } from '../engine/likelihood/infer.js';
import { ModelEvaluator } from '../engine/likelihood/evaluate.js';
import { generatingData, runToys, TOY_FREE_MAXITER, type ToySet } from '../engine/likelihood/toys.js';
import { key } from '../engine/random.js';
import { MAXP, POI_FIXED, POI_FREE, packData, packModels, dataWords, type FitModel } from '../kernels/fit/layout.js';
import { fitOne } from '../kernels/fit/ref.js';
import { sampleToy } from '../kernels/toyfit/ref.js';
import { newStream } from '../kernels/lib/sampling.js';
import { CpuBackend } from '../host/cpu.js';
import { normSf } from '../engine/stats/special.js';
import { WasmBackend } from '../host/wasm.js';
import { expectSameBits } from './bits.js';

/** The words of an f32 array (expectSameBits compares words). */
const bits = (f: Float32Array | Uint32Array) => new Uint32Array(f.buffer, f.byteOffset, f.length);
const ws = (f: string) => compileModel(parseWorkspace(JSON.parse(readFileSync(new URL(`fixtures/pyhf/${f}`, import.meta.url), 'utf8'))));

/** One bin (signal mu s + background gamma b, shapesys), a Gaussian-constrained normsys and a second bin. */
const toyModel: FitModel = {
  params: [
    { init: 1, lo: 0, hi: 10, fixed: false }, // mu
    { init: 1, lo: 1e-10, hi: 10, fixed: false }, // gamma (shapesys)
    { init: 0, lo: -5, hi: 5, fixed: false }, // alpha (normsys)
  ],
  poi: 0,
  bins: [
    [{ nom: 5, add: [], mul: [{ kind: 'linear', p: 0 }] }, { nom: 40, add: [], mul: [{ kind: 'linear', p: 1 }, { kind: 'normsys', p: 2, up: 1.1, dn: 0.9 }] }],
    [{ nom: 2, add: [], mul: [{ kind: 'linear', p: 0 }] }, { nom: 6, add: [], mul: [{ kind: 'normsys', p: 2, up: 1.2, dn: 0.85 }] }],
  ],
  gauss: [{ p: 2, sigma: 1 }],
  pois: [{ p: 1, tau: 25 }],
};

/** The toy blocks the kernel draws (the reference's sampler), in f32. */
function sampled(m: FitModel, gen: ArrayLike<number>, seed: number, stream: number, toys: number, first = 0): Float32Array[] {
  const { words } = packModels([m]);
  const g = new Float32Array(dataWords(m));
  packData(gen, g, 0);
  const k = key(seed, stream), st = newStream();
  return Array.from({ length: toys }, (_, i) => {
    const out = new Float32Array(dataWords(m));
    sampleToy(st, words, new Float32Array(words.buffer), g, 0, 0, k[0], k[1], first + i, out);
    return out;
  });
}

describe('toy data (kernels/toyfit sampleToy)', () => {
  it('main bins ~ Poisson(lambda), Gaussian aux ~ N(theta, sigma), Poisson aux ~ Poisson(tau gamma): means and variances within 5 sigma', () => {
    // lambda 7.3 (inversion), 55 (PTRS); Gaussian centre 0.4, sigma 0.25 (staterror-like); Poisson aux mean 25.
    const m: FitModel = {
      params: [{ init: 1, lo: 0, hi: 10, fixed: false }, { init: 0, lo: -5, hi: 5, fixed: false }, { init: 1, lo: 0, hi: 10, fixed: false }],
      poi: 0,
      bins: [[{ nom: 7.3, add: [], mul: [] }], [{ nom: 55, add: [], mul: [] }]],
      gauss: [{ p: 1, sigma: 0.25 }],
      pois: [{ p: 2, tau: 25 }],
    };
    const N = 20000;
    const toys = sampled(m, [7.3, 55, 0.4, 25], 7, 3, N);
    const want = [[7.3, 7.3], [55, 55], [0.4, 0.0625], [25, 25]];
    want.forEach(([mean, v], j) => {
      let s = 0, s2 = 0;
      for (const t of toys) { s += t[j]; s2 += t[j] * t[j]; }
      const mu = s / N, varc = s2 / N - mu * mu;
      expect(Math.abs(mu - mean), `value ${j}: mean ${mu} vs ${mean}`).toBeLessThan(5 * Math.sqrt(v / N));
      // var of the sample variance ~ 2 v^2 / N (normal) + the fourth cumulant (Poisson: v) / N
      expect(Math.abs(varc - v), `value ${j}: variance ${varc} vs ${v}`).toBeLessThan(5 * Math.sqrt((2 * v * v + v) / N));
      if (j !== 2) for (const t of toys.slice(0, 200)) expect(Number.isInteger(t[j])).toBe(true);
    });
    // different toys, different streams
    expect(toys[0]).not.toEqual(toys[1]);
    expect(sampled(m, [7.3, 55, 0.4, 25], 7, 4, 1)[0]).not.toEqual(toys[0]);
  });
});

describe('runToys', () => {
  const packed = packFitModels([toyModel]);
  const gen = generatingData(toyModel, [1, 1.1, 0.3]);
  const sets: ToySet[] = [
    { model: 0, mu: 1, gen, stream: 0 },
    { model: 0, mu: 2.5, gen, stream: 1 },
    { model: 0, mu: 0.5, gen: generatingData(toyModel, [0, 1, 0]), stream: 2 },
  ];
  const K = 24;

  it('generatingData is the expected block at theta (main rates, theta_p of Gaussian, tau gamma of Poisson constraints)', () => {
    const ev = new ModelEvaluator(toyModel);
    expect(Array.from(gen)).toEqual(Array.from(ev.asimov([1, 1.1, 0.3])));
    expect(gen[2]).toBe(0.3);
    expect(gen[3]).toBeCloseTo(25 * 1.1, 12);
    const sh = ws('validation/1bin_shapesys.json');
    expect(generatingData(sh, sh.fit.params.map((p) => p.init)).length).toBe(dataWords(sh.fit));
    expect(() => generatingData(toyModel, [1, 1])).toThrow(/2 parameter values for a model of 3/);
  });

  /** The two fits of a toy as the kernel runs them (fitOne of kernels/fit/ref.ts: conditional, then free from its theta). */
  function toyFits(d: Float32Array, mu: number): [FitResult, FitResult] {
    const mw = packed.words, mf = new Float32Array(mw.buffer);
    const pars = new Float32Array(MAXP), dev = new Float32Array(2), info = new Uint32Array(2);
    const res = (): FitResult => ({ theta: Float64Array.from(pars.subarray(0, 3)), deviance: dev[0] + dev[1], devianceDf: { hi: dev[0], lo: dev[1] }, iterations: info[0], status: info[1] });
    fitOne(mw, mf, d, 0, 0, POI_FIXED, Math.fround(mu), DEFAULT_MAX_ITER, pars, dev, info, 0);
    const cond = res();
    fitOne(mw, mf, d, 0, 0, POI_FREE, 0, DEFAULT_MAX_ITER, pars, dev, info, 0, 1);
    return [cond, res()];
  }

  for (const stat of ['qtilde', 'q', 'q0'] as const) {
    it(`${stat}: q and mu-hat of each toy are testStatistic of the two fits on the same sampled data (same bits); runFits agrees`, async () => {
      const cpu = new CpuBackend();
      const ss = stat === 'q0' ? sets.map((s) => ({ ...s, mu: 0 })) : sets;
      const b = await runToys(cpu, packed, ss, { seed: 42, firstToy: 5, toys: K, stat });
      const datas = ss.map((s) => sampled(toyModel, s.gen, 42, s.stream, K, 5));
      const q = new Float32Array(ss.length * K), mh = new Float32Array(ss.length * K);
      ss.forEach((s, i) => datas[i].forEach((d, t) => {
        const [c, f] = toyFits(d, s.mu);
        q[i * K + t] = testStatistic(stat, s.mu, c, f, 0);
        mh[i * K + t] = f.theta[0];
        expect(b.iterations[2 * (i * K + t)]).toBe(c.iterations);
        expect(b.iterations[2 * (i * K + t) + 1]).toBe(f.iterations);
      }));
      expectSameBits(bits(b.q), bits(q), 'q');
      expectSameBits(bits(b.muHat), bits(mh), 'mu-hat');
      expect(Array.from(b.status).every((s) => s === 0)).toBe(true);
      // not a degenerate statistic: some toys have q > 0, some 0
      expect(b.q.some((v) => v > 0.5)).toBe(true);
      expect(b.q.some((v) => v === 0)).toBe(true);
      // runFits (the fit kernel, free fit from init): the conditional fit is the same bits, the
      // free fit (warm-started in toyfit) the same minimum
      const reqs = ss.flatMap((s, i) => datas[i].flatMap((d) => [{ model: 0, data: d, poi: s.mu }, { model: 0, data: d }]));
      const fits = await runFits(cpu, packed, reqs);
      ss.forEach((s, i) => datas[i].forEach((d, t) => {
        const l = i * K + t, c = fits[2 * l], f = fits[2 * l + 1];
        expect(b.iterations[2 * l]).toBe(c.iterations);
        const qr = testStatistic(stat, s.mu, c, f, 0);
        expect(Math.abs(qr - b.q[l]), `toy ${l}: q ${b.q[l]} vs ${qr} from runFits`).toBeLessThan(1e-4 * (1 + qr));
        expect(Math.abs(f.theta[0] - b.muHat[l]), `toy ${l}: mu-hat ${b.muHat[l]} vs ${f.theta[0]}`).toBeLessThan(2e-3 * (1 + f.theta[0]));
      }));
    });
  }

  it('runs split into toy ranges, cancellable blocks (with progress) and WASM with 1 and 2 workers give the same bits', async () => {
    const whole = await runToys(new CpuBackend(), packed, sets, { seed: 9, firstToy: 100, toys: K, stat: 'qtilde' });
    // Two runs of K/2 toys (firstToy 100 and 100 + K/2) hold toys 0..K/2-1 and K/2..K-1 of each set.
    const a = await runToys(new CpuBackend(), packed, sets, { seed: 9, firstToy: 100, toys: K / 2, stat: 'qtilde' });
    const b = await runToys(new CpuBackend(), packed, sets, { seed: 9, firstToy: 100 + K / 2, toys: K / 2, stat: 'qtilde' });
    const joined = new Float32Array(sets.length * K);
    sets.forEach((_, i) => { joined.set(a.q.subarray(i * K / 2, (i + 1) * K / 2), i * K); joined.set(b.q.subarray(i * K / 2, (i + 1) * K / 2), i * K + K / 2); });
    expectSameBits(bits(joined), bits(whole.q), 'q of two runs');
    const seen: number[] = [];
    const blocks = await runToys(new CpuBackend(), packed, sets, { seed: 9, firstToy: 100, toys: K, stat: 'qtilde', signal: new AbortController().signal, onProgress: (d) => seen.push(d) });
    expectSameBits(bits(blocks.q), bits(whole.q), 'q in cancellable blocks');
    expect(seen.at(-1)).toBe(sets.length * K);
    for (const workers of [1, 2]) {
      const w = await WasmBackend.create({ flavor: 'simd', workers, minItemsPerWorker: 1 });
      try {
        const r = await runToys(w, packed, sets, { seed: 9, firstToy: 100, toys: K, stat: 'qtilde' });
        expectSameBits(bits(r.q), bits(whole.q), `q on wasm, ${workers} workers`);
        expectSameBits(bits(r.muHat), bits(whole.muHat), `mu-hat on wasm, ${workers} workers`);
        expectSameBits(bits(r.status), bits(whole.status), `status on wasm, ${workers} workers`);
      } finally {
        await w.dispose();
      }
    }
    // a different seed gives different toys
    const other = await runToys(new CpuBackend(), packed, sets, { seed: 10, firstToy: 100, toys: K, stat: 'qtilde' });
    expect(Array.from(other.q)).not.toEqual(Array.from(whole.q));
  });

  it('large counts: q~_mu of toys drawn at mu follows its asymptotic law, P(q >= x) = Phi(-sqrt x) (arXiv:1007.1727 eq. 65), within 4 sigma', async () => {
    // One bin, s = 200, b = 2000 with a 5% shapesys: toys at the conditional fit to n = 2200 at mu = 1.
    const m = ws('validation/1bin_shapesys.json').fit;
    const big: FitModel = { ...m, bins: [m.bins[0].map((e, j) => ({ ...e, nom: j === 0 ? 200 : 2000 }))], pois: [{ p: m.pois[0].p, tau: 400 }] };
    const pk = packFitModels([big]);
    const [cond] = await runFits(new CpuBackend(), pk, [{ model: 0, data: [2200, 400], poi: 1 }]);
    const N = 4000;
    const r = await runToys(new CpuBackend(), pk, [{ model: 0, mu: 1, gen: generatingData(big, cond.theta), stream: 0 }], { seed: 3, firstToy: 0, toys: N, stat: 'qtilde' });
    expect(Array.from(r.status).filter((v) => v !== 0).length).toBe(0);
    for (const x of [0.5, 1, 2.71]) {
      const p = normSf(Math.sqrt(x)), got = r.q.filter((q) => q >= x).length / N;
      expect(Math.abs(got - p), `P(q >= ${x}) = ${got} vs ${p}`).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N));
    }
    // mu-hat is unbiased around the generating mu = 1 (sigma ~ sqrt(2200 + 2000^2 0.05^2) / 200 ~ 0.55)
    const mean = r.muHat.reduce((a, v) => a + v, 0) / N;
    expect(Math.abs(mean - 1)).toBeLessThan(0.1);
  });

  it('a fit stopped at max_iter is flagged in the status word, not dropped', async () => {
    const r = await runToys(new CpuBackend(), packed, sets, { seed: 1, firstToy: 0, toys: 4, stat: 'qtilde', maxIter: 2 });
    expect(r.q.length).toBe(12);
    expect(Array.from(r.status).some((s) => (s & TOY_FREE_MAXITER) !== 0)).toBe(true);
  });

  it('names what is wrong with a set', async () => {
    const cpu = new CpuBackend();
    const o = { seed: 1, firstToy: 0, toys: 2, stat: 'qtilde' as const };
    await expect(runToys(cpu, packed, [{ model: 1, mu: 1, gen, stream: 0 }], o)).rejects.toThrow(/toy set 0: model 1 of 1/);
    await expect(runToys(cpu, packed, [{ model: 0, mu: 1, gen: [1, 2], stream: 0 }], o)).rejects.toThrow(/generating block of 2 values for a model of 4/);
    await expect(runToys(cpu, packed, [{ model: 0, mu: 1, gen: [1, -2, 0, 25], stream: 0 }], o)).rejects.toThrow(/main bin 1 = -2/);
    await expect(runToys(cpu, packed, [{ model: 0, mu: 1, gen: [1, 2, NaN, 25], stream: 0 }], o)).rejects.toThrow(/Gaussian auxiliary 0 = NaN/);
    await expect(runToys(cpu, packed, sets, { ...o, firstToy: 2 ** 32 - 1 })).rejects.toThrow(/must lie in \[0, 2\^32\)/);
    await expect(runToys(cpu, packed, sets, { ...o, stat: 'q0' })).rejects.toThrow(/toy set 0: q0 tests mu = 0/);
  });
});
