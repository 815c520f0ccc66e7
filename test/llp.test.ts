// LLP lifetime sweeps: efficiencies against the analytic decay probability, against an f64
// computation without the kernel, and the same bits on every backend.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend, WasmBackend } from '../host/index.js';
import { generateLlpSample, llpMixture, type LlpSample } from '../engine/llp/sample.js';
import { parseLogGrid, runSweep, sweepDirect, type SweepOptions } from '../engine/llp/sweep.js';

const cpu = new CpuBackend();
let wasm: WasmBackend;
beforeAll(async () => {
  wasm = await WasmBackend.create({ workers: 2, minItemsPerWorker: 1 });
});
afterAll(async () => {
  await wasm?.dispose();
});

describe('efficiency vs the analytic decay probability (fixed boost)', () => {
  // Every S flies with transverse beta gamma bgT: lxy = bgT c t, so the probability to decay with
  // L1 <= lxy < L2 is P = exp(-L1 / (bgT c tau)) - exp(-L2 / (bgT c tau)) (exponential decay law).
  const bgT = 0.5, L1 = 0.2, L2 = 3, ctauGen = 1;
  const ctaus = parseLogGrid('0.05:100:12', 'test');
  let sample: LlpSample;
  beforeAll(async () => {
    sample = await generateLlpSample({ masses: [1], channels: ['mumu'], perCell: 40000, ctauGenCm: llpMixture(ctaus), seed: 7, backend: cpu, fixedBgT: bgT });
  });
  it('agrees within 4 sigma (MC stat from sum w^2) at every lifetime', async () => {
    const r = await runSweep(cpu, sample, { masses: [1], channels: ['mumu'], ctaus, lxyWindow: [L1, L2], nSigma: 100 });
    ctaus.forEach((tau, j) => {
      const P = Math.exp(-L1 / (bgT * tau)) - Math.exp(-L2 / (bgT * tau));
      expect(Math.abs(r.eff[j] - P), `c tau = ${tau} cm: eff ${r.eff[j]} +- ${r.effErr[j]} vs P ${P}`).toBeLessThan(4 * r.effErr[j] + 1e-9);
      expect(r.effErr[j]).toBeGreaterThan(0);
    });
    // one generated lifetime, swept at it: the weights are 1, the efficiency is the accepted fraction.
    const one = await generateLlpSample({ masses: [1], channels: ['mumu'], perCell: 40000, ctauGenCm: ctauGen, seed: 7, backend: cpu, fixedBgT: bgT });
    const r1 = await runSweep(cpu, one, { masses: [1], channels: ['mumu'], ctaus: [ctauGen], lxyWindow: [L1, L2], nSigma: 100 });
    expect(r1.eff[0]).toBeCloseTo(r1.accepted[0] / 40000, 6);
  });
  it('fails the check when the acceptance window is wrong (the test can fail)', async () => {
    const r = await runSweep(cpu, sample, { masses: [1], channels: ['mumu'], ctaus: [1], lxyWindow: [L1, 1.5], nSigma: 100 });
    const P = Math.exp(-L1 / bgT) - Math.exp(-L2 / bgT);
    expect(Math.abs(r.eff[0] - P)).toBeGreaterThan(4 * r.effErr[0]);
  });
});

describe('B -> K S sample, several masses and channels', () => {
  const o: SweepOptions = {
    masses: [1.2, 2, 3, 4.2], channels: ['ee', 'mumu', 'pipi', 'KK'], ctaus: parseLogGrid('1e-3:1e3:13', 'test'), lxyWindow: [0.05, 60],
  };
  let sample: LlpSample;
  beforeAll(async () => {
    sample = await generateLlpSample({ masses: o.masses, channels: o.channels, perCell: 3000, ctauGenCm: llpMixture(o.ctaus), seed: 11, backend: cpu });
  });
  it('kernel efficiencies match an f64 computation with Math.exp (relative 1e-4)', async () => {
    const r = await runSweep(cpu, sample, o);
    const d = sweepDirect(sample, o);
    let nonzero = 0;
    for (let i = 0; i < d.length; i++) {
      expect(Math.abs(r.eff[i] - d[i]), `cell ${i}`).toBeLessThanOrEqual(1e-4 * d[i] + 1e-15);
      if (d[i] > 1e-3) nonzero++;
    }
    expect(nonzero).toBeGreaterThan(d.length / 4);
  });
  it('efficiency peaks near c tau ~ the acceptance scale, falls at both ends', async () => {
    const r = await runSweep(cpu, sample, o);
    const L = o.ctaus.length;
    for (let g = 0; g < 16; g++) {
      const row = Array.from(r.eff.subarray(g * L, (g + 1) * L));
      const best = Math.max(...row);
      expect(best).toBeGreaterThan(0.2);
      expect(row[0]).toBeLessThan(0.05 * best); // 10 um: decays before the window
      expect(row[L - 1]).toBeLessThan(0.5 * best); // 10 m: decays outside the detector
    }
  });
  it('wasm (2 workers, SIMD) returns the reference bits', async () => {
    const a = await runSweep(cpu, sample, o);
    const b = await runSweep(wasm, sample, o);
    expect(Buffer.from(b.eff.buffer).equals(Buffer.from(a.eff.buffer))).toBe(true);
    expect(Buffer.from(b.effErr.buffer).equals(Buffer.from(a.effErr.buffer))).toBe(true);
  });
  it('names the missing cell and bad grids', async () => {
    await expect(runSweep(cpu, sample, { ...o, masses: [0.7] })).rejects.toThrow(/no decays for mass 0.7 GeV, channel ee/);
    expect(() => parseLogGrid('1:0.1:5', '--lifetimes')).toThrow(/--lifetimes/);
    await expect(runSweep(cpu, sample, { ...o, ctaus: [1e-35] })).rejects.toThrow(/lifetime 0 \(c\*tau = 1e-35\).*outside/);
  });
  it('same seed, same sample; another seed, another sample', async () => {
    const again = await generateLlpSample({ masses: [1.2], channels: ['pipi'], perCell: 50, ctauGenCm: 5, seed: 11, backend: cpu });
    const other = await generateLlpSample({ masses: [1.2], channels: ['pipi'], perCell: 50, ctauGenCm: 5, seed: 12, backend: cpu });
    const again2 = await generateLlpSample({ masses: [1.2], channels: ['pipi'], perCell: 50, ctauGenCm: 5, seed: 11, backend: cpu });
    expect(Array.from(again.ct)).toEqual(Array.from(again2.ct));
    expect(Array.from(again.ct)).not.toEqual(Array.from(other.ct));
  });
});
