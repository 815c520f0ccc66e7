// The cell model of the one search pipeline (engine/analyses/cells.ts, search.ts runSearch with
// model 'cells'): per window the limit by a method of the one table with the method and why, a
// fit's limit where one was set, limit = s_up / (norm x eff) per (group, lifetime), the channels
// combined under the model's B(S -> xx); runSearch checks a cell search's options as any other's.
import { describe, expect, it } from 'vitest';
import { cellLimits, type CellProblem } from '../engine/analyses/cells.js';
import { runSearch } from '../engine/analyses/search.js';
import { B_KPLUS_LLP, type LlpBSettings } from '../engine/analyses/searches-llp.js';
import { combineChannels, signalUpperLimit } from '../engine/llp/limits.js';
import { bayesUpper } from '../engine/stats/exact.js';
import { CpuBackend } from '../host/cpu.js';

describe('cellLimits', () => {
  // Two points x two channels, three lifetimes; window 3 fitted.
  const counts = [{ n: 0, b: 0.2, sigmaB: 0.1 }, { n: 4, b: 2.5, sigmaB: 0.8 }, { n: 30, b: 25, sigmaB: 2 }, { n: 12, b: 11, sigmaB: 1 }];
  const eff = Float64Array.from([0.1, 0.2, 0, 0.05, 0.3, 0.4, 0.2, 0.1, 0, 0, 0, 0]);
  const p: CellProblem = {
    lifetimes: 3, counts, eff, extra: null,
    groups: [{ window: 0, norm: 1000, br: 0.5 }, { window: 1, norm: 1000, br: 0.3 }, { window: 2, norm: 1000, br: 0.5 }, { window: 3, norm: 1000, br: 0.3 }],
    points: [[0, 1], [2, 3]],
  };

  it('cls-asymptotic: small windows take the exact Bayesian limit and say why; limits per (group, lifetime) and combined', async () => {
    const lim = await cellLimits(p, 'cls-asymptotic', 0.95);
    expect(lim.used).toEqual(['bayes', 'bayes', 'cls-asymptotic', 'cls-asymptotic']);
    expect(lim.reason[0]).toMatch(/^b < 10: asymptotic formulae invalid/);
    expect(lim.reason[2]).toBe('requested');
    expect(lim.sUp[0]).toBe(signalUpperLimit(counts[0], 'cls-asymptotic', 0.95));
    expect(lim.sUp[0]).toBeCloseTo(bayesUpper({ n: 0, b: 0.2, sigmaB: 0.1, uncertainty: 'lognormal' }, 0.95), 10);
    expect(lim.perGroup[1]).toBe(lim.sUp[0] / (1000 * 0.2));
    expect(lim.perGroup[2]).toBe(Infinity); // eff = 0
    expect(lim.combined[1]).toBe(combineChannels([{ n: 0, b: 0.2, a: 1000 * 0.2 * 0.5 }, { n: 4, b: 2.5, a: 1000 * 0.3 * 0.3 }], 0.95));
    expect(lim.combined[5]).toBe(Infinity); // no channel with efficiency
    expect(lim.methodCounts).toEqual({ 'bayes: b < 10: asymptotic formulae invalid for small counts; exact Bayesian limit': 2, 'cls-asymptotic: requested': 2 });
  });

  it("cls-n takes the background as known and says so; a fit's limit replaces the counting one where set", async () => {
    const fitted = { sUp: Float64Array.from([NaN, NaN, NaN, 7.5]), reason: ['counting in the fit range (b < 10)', 'x', 'y', 'binned fit (patch p3)'] };
    const lim = await cellLimits({ ...p, fitted }, 'cls-n', 0.9);
    expect(lim.used).toEqual(['cls-n', 'cls-n', 'cls-n', 'cls-asymptotic']);
    expect(lim.sUp[1]).toBe(signalUpperLimit({ n: 4, b: 2.5 }, 'cls-n', 0.9));
    expect(lim.reason[1]).toBe('x; requested (cls-n takes the background as known: sigma_b = 0.8 not used)');
    expect(lim.reason[3]).toBe('binned fit (patch p3)');
    expect(lim.sUp[3]).toBe(7.5);
    expect(lim.perGroup[9]).toBe(Infinity);
    expect(lim.methodCounts).toEqual({ 'cls-n: counting, fit not used; requested': 3, 'cls-asymptotic: binned fit': 1 });
  });
});

describe('runSearch with a cell definition: the option checks', () => {
  const settings: LlpBSettings = { masses: [2], channels: ['mumu'], ctaus: [1], lxyWindow: [0.05, 60], nBBbar: 198e6, model: 'window', demo: { perCell: 50 } };
  it('names a method outside the definition\'s (toys, Feldman-Cousins), a CL outside (0, 1), a bad seed', async () => {
    const cpu = new CpuBackend();
    await expect(runSearch(cpu, B_KPLUS_LLP, { seed: 1, method: 'cls' as never, settings })).rejects.toThrow(/method must be cls-n or bayes or cls-asymptotic, got 'cls'/);
    await expect(runSearch(cpu, B_KPLUS_LLP, { seed: 1, method: 'fc' as never, settings })).rejects.toThrow(/got 'fc'/);
    await expect(runSearch(cpu, B_KPLUS_LLP, { seed: 1, cl: 1.2, settings })).rejects.toThrow(/cl must be in \(0, 1\), got 1.2/);
    await expect(runSearch(cpu, B_KPLUS_LLP, { seed: -1, settings })).rejects.toThrow(/seed must be a non-negative integer/);
    const r = await runSearch(cpu, B_KPLUS_LLP, { seed: 1, settings });
    expect(r).toMatchObject({ kind: 'llp', analysis: 'b-kplus-llp', seed: 1, cl: 0.95, method: 'cls-n', paper: expect.stringMatching(/PRD 108 \(2023\) L111104/) });
    expect(r.darkscan_version).toMatch(/\d/);
    expect(Object.keys(r.timing_s)).toEqual(['cells', 'limits', 'total']);
  });
});
