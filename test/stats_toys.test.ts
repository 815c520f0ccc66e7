// Toy Monte Carlo (toys_qtilde kernel): samplers, agreement with exact results within the
// statistical error of the number of toys, bit-identity across backends and work splits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend, WasmBackend, WebGPUBackend, type Backend } from '../host/index.js';
import { newStream, rsInit, rsNormal, rsPoisson } from '../kernels/lib/sampling.js';
import { qtildeF32 } from '../kernels/toys/ref.js';
import {
  clsNUpper, discoveryToys, hypotestToys, makeModel, poissonCdf, poissonLogPmf, poissonSf, toyQ, toyRow, upperLimitsToys,
} from '../engine/stats/index.js';
import { ALLOW_NO_WEBGPU } from './backends.js';

const fr = Math.fround;
let cpu: Backend, wasm: Backend, gpu: Backend | undefined;
beforeAll(async () => {
  cpu = new CpuBackend();
  wasm = await WasmBackend.create({ workers: 2, minItemsPerWorker: 1 });
  try { gpu = await WebGPUBackend.create({ maxChunkItems: 1000 }); } catch (e) { if (!ALLOW_NO_WEBGPU) throw e; }
});
afterAll(async () => { await wasm?.dispose(); await gpu?.dispose(); });

describe('samplers', () => {
  it('Poisson mean and variance within 5 sigma of lam (inversion and PTRS)', () => {
    const st = newStream(), N = 40000;
    for (const lam of [0.3, 4, 9.9, 10, 55, 2e4, 3e6]) {
      let s = 0, s2 = 0;
      for (let i = 0; i < N; i++) { rsInit(st, 11, 22, 1, i, 0); const k = rsPoisson(st, fr(lam)); s += k; s2 += k * k; }
      const mean = s / N, v = s2 / N - mean * mean;
      expect(Math.abs(mean - lam) / Math.sqrt(lam / N), `mean at ${lam}`).toBeLessThan(5);
      // var of the sample variance ~ (mu4 - sigma^4) / N = (lam + 2 lam^2) / N for a Poisson
      expect(Math.abs(v - lam) / Math.sqrt((lam + 2 * lam * lam) / N), `variance at ${lam}`).toBeLessThan(5);
    }
  });
  it('Poisson pmf at small lam matches exactly within binomial errors', () => {
    const st = newStream(), N = 50000, lam = 2.5, h = new Array(15).fill(0);
    for (let i = 0; i < N; i++) { rsInit(st, 5, 6, 7, i, 0); h[Math.min(14, rsPoisson(st, fr(lam)))]++; }
    for (let k = 0; k < 10; k++) {
      const p = Math.exp(poissonLogPmf(k, lam));
      expect(Math.abs(h[k] / N - p) / Math.sqrt((p * (1 - p)) / N), `k=${k}`).toBeLessThan(5);
    }
  });
  it('normal: mean 0, variance 1, kurtosis 3', () => {
    const st = newStream(), N = 50000;
    let s = 0, s2 = 0, s4 = 0;
    for (let i = 0; i < N; i++) { rsInit(st, 9, 9, 0, i, 3); const z = rsNormal(st); s += z; s2 += z * z; s4 += z ** 4; }
    expect(Math.abs(s / N) * Math.sqrt(N)).toBeLessThan(5);
    expect(Math.abs(s2 / N - 1) / Math.sqrt(2 / N)).toBeLessThan(5);
    expect(Math.abs(s4 / N - 3) / Math.sqrt(96 / N)).toBeLessThan(5);
  });
});

/** Exact P(q >= q_obs) under the toy generation of a row, by enumerating n (and m for poisson). */
function exactP(m: ReturnType<typeof makeModel>, mu: number): { clsb: number; clb: number } {
  const { row, kind } = toyRow(m, mu);
  const s = fr(row.s), b = fr(row.b), par = fr(row.par);
  const sum = (sig: number, th: number) => {
    const lam = sig + (kind === 2 ? th * m.b : m.b);
    const nMax = Math.ceil(lam + 12 * Math.sqrt(lam) + 20);
    let p = 0;
    const auxes: [number, number][] = kind === 2
      ? Array.from({ length: Math.ceil(m.tau * th + 12 * Math.sqrt(m.tau * th) + 20) }, (_, k) => [k, Math.exp(poissonLogPmf(k, m.tau * th))])
      : [[0, 1]];
    for (const [aux, pa] of auxes) for (let n = 0; n <= nMax; n++) {
      if (qtildeF32(n, aux, s, b, par, kind) >= row.qObs) p += pa * Math.exp(poissonLogPmf(n, lam));
    }
    return p;
  };
  return { clsb: sum(row.s, row.thSb), clb: sum(0, row.thB) };
}

/** P(q >= q_obs) for the continuous-auxiliary models: sum over n, midpoint rule over a ~ N(theta, 1). */
function exactPContinuous(m: ReturnType<typeof makeModel>, mu: number, grid = 3000): { clsb: number; clb: number } {
  const { row, kind } = toyRow(m, mu);
  const s = fr(row.s), b = fr(row.b), par = fr(row.par);
  const sum = (sig: number, th: number) => {
    const nu = kind === 1 ? m.b + m.sigmaB * th : m.b * Math.exp(m.lnKappa * th);
    const lam = sig + Math.max(nu, 0), nMax = Math.ceil(lam + 12 * Math.sqrt(lam) + 20);
    let p = 0;
    const h = 16 / grid;
    for (let j = 0; j < grid; j++) {
      const z = -8 + (j + 0.5) * h, wa = (Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)) * h;
      const aux = fr(th + z);
      for (let n = 0; n <= nMax; n++) if (qtildeF32(n, aux, s, b, par, kind) >= row.qObs) p += wa * Math.exp(poissonLogPmf(n, lam));
    }
    return p;
  };
  return { clsb: sum(row.s, row.thSb), clb: sum(0, row.thB) };
}

describe('toys agree with exact results within their statistical error', () => {
  for (const [name, cm, mu] of [
    ['gauss', { n: 4, b: 3, sRef: 1, sigmaB: 1, uncertainty: 'gauss' as const }, 5],
    ['lognormal', { n: 9, b: 6, sRef: 2, sigmaB: 2, uncertainty: 'lognormal' as const }, 3],
  ] as const) {
    it(`CLs+b and CLb, ${name} auxiliary (4 sigma of 20000 toys + 1e-3 quadrature)`, async () => {
      const m = makeModel(cm);
      const ex = exactPContinuous(m, mu);
      const t = await hypotestToys(m, mu, { backend: wasm, seed: 23, toys: 20000 });
      for (const [got, want] of [[t.clsb, ex.clsb], [t.clb, ex.clb]]) {
        const sd = Math.sqrt((want * (1 - want)) / 20000) + 2.5e-4;
        expect(Math.abs(got - want) / sd, `${got} vs ${want}`).toBeLessThan(4);
      }
    });
  }

  const K = 20000;
  for (const [name, cm, mu] of [
    ['known b', { n: 3, b: 2.2, sRef: 1 }, 4],
    ['known b, n = 0', { n: 0, b: 0.5, sRef: 1 }, 2.5],
    ['poisson aux (shapesys)', { n: 6, b: 4, sRef: 2, sigmaB: 1.5, uncertainty: 'poisson' as const }, 2],
  ] as const) {
    it(`CLs+b and CLb, ${name} (4 sigma, sigma from ${K} toys)`, async () => {
      const m = makeModel(cm);
      const ex = exactP(m, mu);
      const t = await hypotestToys(m, mu, { backend: wasm, seed: 17, toys: K });
      for (const [got, want] of [[t.clsb, ex.clsb], [t.clb, ex.clb]]) {
        const sd = Math.sqrt((want * (1 - want)) / K) + 1 / K;
        expect(Math.abs(got - want) / sd, `${got} vs exact ${want}`).toBeLessThan(4);
      }
    });
  }
  it('CLs upper limits with known b match the CLs-n limits (Helene) within the toy error', async () => {
    const cases = [{ n: 1, b: 1 }, { n: 0, b: 2 }, { n: 5, b: 3.5 }, { n: 2, b: 0.3 }];
    const r = await upperLimitsToys(cases, 0.95, { backend: wasm, seed: 3, toys: 8000, steps: 18 });
    cases.forEach((c, i) => {
      const exact = clsNUpper(c.n, c.b, 0.95);
      // sigma_mu = sigma_CLs / |dCLs/dmu| at the exact limit, sigma_CLs by the delta method.
      const h = 1e-4, cls = (s: number) => poissonCdf(c.n, s + c.b) / poissonCdf(c.n, c.b);
      const slope = Math.abs(cls(exact + h) - cls(exact - h)) / (2 * h);
      const clsb = poissonCdf(c.n, exact + c.b), clb = poissonCdf(c.n, c.b);
      const sdCls = 0.05 * Math.sqrt((1 - clsb) / (8000 * clsb) + (1 - clb) / (8000 * clb));
      expect(Math.abs(r.upper[i] - exact) / (sdCls / slope), `window ${i}: ${r.upper[i]} vs ${exact}`).toBeLessThan(4);
    });
  });
  it('discovery p0 with known b = P(N >= n | b) within the toy error', async () => {
    const K = 40000;
    for (const [n, b] of [[5, 2], [9, 3.3]]) {
      const r = await discoveryToys({ n, b }, { backend: wasm, seed: 5, toys: K });
      const want = poissonSf(n, b);
      expect(Math.abs(r.p0 - want) / Math.sqrt((want * (1 - want)) / K), `n=${n} b=${b}: ${r.p0} vs ${want}`).toBeLessThan(4);
    }
  });
});

describe('bit-identity', () => {
  const models = [
    makeModel({ n: 3, b: 2.2 }), makeModel({ n: 40, b: 31, sRef: 4 }), makeModel({ n: 0, b: 1e-5 }), makeModel({ n: 12000, b: 11800, sRef: 300 }),
  ];
  const gModels = [makeModel({ n: 7, b: 5, sigmaB: 2, uncertainty: 'gauss' }), makeModel({ n: 1, b: 0.2, sigmaB: 0.1, uncertainty: 'gauss' })];
  const rowsOf = (ms: ReturnType<typeof makeModel>[]) => ms.map((m) => toyRow(m, 1.7));
  for (const [name, ms] of [['known b', models], ['gauss', gModels]] as const) {
    it(`${name}: toys 0..K in one run = two runs split at toy K1 = other chunkings, on every backend`, async () => {
      const rr = rowsOf([...ms]), rows = rr.map((r) => r.row), kind = rr[0].kind, K = 1500, K1 = 611;
      const whole = await toyQ(rows, kind, { backend: cpu, seed: 99, toys: K });
      const a = await toyQ(rows, kind, { backend: wasm, seed: 99, toys: K1 });
      const b = await toyQ(rows, kind, { backend: wasm, seed: 99, toys: K - K1, toy0: K1, chunkItems: 777 });
      const joined = new Float32Array(rows.length * K), joinedB = new Float32Array(rows.length * K);
      rows.forEach((_, w) => {
        joined.set(a.qsb.subarray(w * K1, (w + 1) * K1), w * K); joined.set(b.qsb.subarray(w * (K - K1), (w + 1) * (K - K1)), w * K + K1);
        joinedB.set(a.qb.subarray(w * K1, (w + 1) * K1), w * K); joinedB.set(b.qb.subarray(w * (K - K1), (w + 1) * (K - K1)), w * K + K1);
      });
      expect(Buffer.from(joined.buffer).equals(Buffer.from(whole.qsb.buffer))).toBe(true);
      expect(Buffer.from(joinedB.buffer).equals(Buffer.from(whole.qb.buffer))).toBe(true);
      const nonzero = whole.qb.reduce((c, q) => c + (q > 0 ? 1 : 0), 0);
      expect(nonzero).toBeGreaterThan(K / 10); // the statistic is not trivially zero
      for (const be of [wasm, gpu].filter(Boolean) as Backend[]) {
        const other = await toyQ(rows, kind, { backend: be, seed: 99, toys: K, chunkItems: 1234 });
        expect(Buffer.from(other.qsb.buffer).equals(Buffer.from(whole.qsb.buffer)), be.name).toBe(true);
        expect(Buffer.from(other.qb.buffer).equals(Buffer.from(whole.qb.buffer)), be.name).toBe(true);
      }
    });
  }
  it('hypotest from toys: the same numbers on every backend; a different seed differs', async () => {
    const m = { n: 6, b: 4, sRef: 2, sigmaB: 1.5, uncertainty: 'poisson' as const };
    const ref = await hypotestToys(m, 1.5, { backend: cpu, seed: 1, toys: 3000 });
    for (const be of [wasm, gpu].filter(Boolean) as Backend[]) expect(await hypotestToys(m, 1.5, { backend: be, seed: 1, toys: 3000 })).toEqual(ref);
    expect((await hypotestToys(m, 1.5, { backend: cpu, seed: 2, toys: 3000 })).clsb).not.toBe(ref.clsb);
  });
  it('rejects what the toys do not support', async () => {
    await expect(hypotestToys({ n: 1, b: 1, sigmaB: 0.2, effUnc: 0.1 }, 1, { backend: cpu, seed: 1, toys: 10 })).rejects.toThrow(/efficiency/);
    await expect(hypotestToys({ n: 1, b: 1 }, 1, { backend: cpu, seed: 1, toys: 0 })).rejects.toThrow(/--toys/);
  });
});
