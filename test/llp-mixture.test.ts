// LLP lifetime reweighting from a generated mixture of lifetimes (balance heuristic, Veach & Guibas
// 1995): the reweighted efficiency at a lifetime agrees with a sample generated directly at it, the
// weights are bounded (no efficiency above 1 beyond its MC error), lifetimes above the longest
// generated one are refused, and the configs' runs have no cell with eff > 1 + 3 err.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../host/index.js';
import { generateLlpSample, llpMixture } from '../engine/llp/sample.js';
import { mixtureFactor, parseLogGrid, runSweep, type SweepOptions } from '../engine/llp/sweep.js';
import { llpBRun, parseLlpBConfig } from '../engine/analyses/llp-b.js';
import { runSearch } from '../engine/analyses/search.js';
import { readFileSync } from 'node:fs';

const cpu = new CpuBackend();

describe('lifetime mixture', () => {
  it('spans the sweep, log-spaced, neighbours <= sqrt(10) apart', () => {
    const m = llpMixture(parseLogGrid('1e-3:1e3:50', 't'));
    expect(m[0]).toBe(1e-3);
    expect(m[m.length - 1]).toBe(1e3);
    expect(m.length).toBe(13);
    for (let i = 1; i < m.length; i++) expect(m[i] / m[i - 1]).toBeLessThanOrEqual(Math.sqrt(10) * (1 + 1e-12));
    expect(llpMixture([2, 2])).toEqual([2]);
  });
  it('balance-heuristic weights are bounded: f_j / sum_c a_c f_c <= K x sqrt(10) for every swept lifetime', () => {
    const ctaus = parseLogGrid('1e-3:1e3:50', 't'), mix = llpMixture(ctaus), K = mix.length, R = mix[K - 1];
    const a = mix.map(() => 1 / K);
    let worst = 0;
    for (const tau of ctaus) {
      for (let x = -12; x <= 5; x += 0.01) {
        const t = 10 ** x;
        const w = (R / tau) * Math.exp(t * (1 / R - 1 / tau)) * mixtureFactor(mix, a, t);
        worst = Math.max(worst, w);
      }
    }
    expect(worst).toBeLessThanOrEqual(K * Math.sqrt(10));
    expect(worst).toBeGreaterThan(1);
  });
});

describe('reweighted efficiency vs a sample generated at the lifetime', () => {
  const o: SweepOptions = { masses: [2], channels: ['mumu', 'KK'], ctaus: parseLogGrid('1e-3:1e3:13', 't'), lxyWindow: [0.05, 60] };
  it('agrees within 4 sigma (both samples\' MC errors) at c tau = 0.03, 0.1, 3, 4, 100, 1000 cm', async () => {
    const sample = await generateLlpSample({ masses: o.masses, channels: o.channels, perCell: 20000, ctauGenCm: llpMixture(o.ctaus), seed: 5, backend: cpu });
    for (const tau of [0.03, 0.1, 3, 4, 100, 1000]) {
      const r = await runSweep(cpu, sample, { ...o, ctaus: [tau] });
      const direct = await generateLlpSample({ masses: o.masses, channels: o.channels, perCell: 20000, ctauGenCm: tau, seed: 6, backend: cpu });
      const d = await runSweep(cpu, direct, { ...o, ctaus: [tau] });
      for (let g = 0; g < 2; g++) {
        const err = Math.hypot(r.effErr[g], d.effErr[g]);
        expect(Math.abs(r.eff[g] - d.eff[g]), `c tau ${tau} cm, ${o.channels[g]}: ${r.eff[g]} +- ${r.effErr[g]} vs direct ${d.eff[g]} +- ${d.effErr[g]}`).toBeLessThan(4 * err);
        expect(r.effErr[g]).toBeGreaterThan(0);
        expect(r.eff[g]).toBeLessThanOrEqual(1);
      }
    }
  });
  it('the comparison can fail: the efficiency at 0.1 cm differs from the direct one at 1 cm', async () => {
    const sample = await generateLlpSample({ masses: [2], channels: ['mumu'], perCell: 20000, ctauGenCm: llpMixture(o.ctaus), seed: 5, backend: cpu });
    const r = await runSweep(cpu, sample, { ...o, channels: ['mumu'], ctaus: [0.1] });
    const direct = await generateLlpSample({ masses: [2], channels: ['mumu'], perCell: 20000, ctauGenCm: 1, seed: 6, backend: cpu });
    const d = await runSweep(cpu, direct, { ...o, channels: ['mumu'], ctaus: [1] });
    expect(Math.abs(r.eff[0] - d.eff[0])).toBeGreaterThan(4 * Math.hypot(r.effErr[0], d.effErr[0]));
  });
  it('refuses lifetimes above the longest generated one (unbounded weights), names the fix', async () => {
    const one = await generateLlpSample({ masses: [2], channels: ['mumu'], perCell: 100, ctauGenCm: 1, seed: 5, backend: cpu });
    await expect(runSweep(cpu, one, { ...o, channels: ['mumu'], ctaus: [0.5, 1, 3] })).rejects.toThrow(/lifetime 2 \(c\*tau = 3 cm\) is above the longest generated c\*tau \(1 cm\): .*unbounded/);
    const r = await runSweep(cpu, one, { ...o, channels: ['mumu'], ctaus: [0.5, 1] });
    expect(r.eff[1]).toBe(r.accepted[0] / 100); // at c tau_gen every weight is 1
  });
});

describe("the configs' runs: no efficiency above 1 beyond 3 MC errors", () => {
  for (const name of ['b-kplus-llp', 'b-kstar0-llp']) {
    it(`${name} (quick)`, async () => {
      const c = parseLlpBConfig(readFileSync(`engine/analyses/configs/${name}.json`, 'utf8'), name);
      const { def, options } = llpBRun({ ...c, model: 'window' }, true);
      const res = await runSearch(cpu, def, options);
      const cells = res.cells as { channels: { n_generated: number; efficiency: number[]; efficiency_err: number[] }[] }[];
      // bounded weights (w <= W = K sqrt(10), test above) bound the error: sum w^2 <= W sum w, err^2 <= W eff / N;
      // one-lifetime reweighting from 1 cm (darkscan before sample version 2) broke this (eff up to 2.5 in the full run)
      const K = (res.ctau_gen_cm as number[]).length, W = K * Math.sqrt(10);
      expect(K).toBe(13);
      let n = 0, maxEff = 0;
      for (const cell of cells) for (const ch of cell.channels) ch.efficiency.forEach((e, j) => {
        n++;
        maxEff = Math.max(maxEff, e);
        const err = ch.efficiency_err[j];
        expect(e, `eff ${e} +- ${err}`).toBeLessThanOrEqual(1 + 3 * err);
        expect(err * err, `eff ${e} +- ${err}`).toBeLessThanOrEqual((W * e) / ch.n_generated * 1.001 + 1e-12);
      });
      expect(n).toBeGreaterThan(100);
      expect(maxEff).toBeGreaterThan(0.2);
      expect(res.signal).toMatchObject({ version: 2 });
    }, 120_000);
  }
});
