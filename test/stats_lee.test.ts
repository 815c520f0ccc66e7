// Look-elsewhere: global p from pseudo-experiments against the exact answer for independent
// windows, and the event-level version through the window scan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WasmBackend, type Backend } from '../host/index.js';
import { newStream, rsInit, rsPoisson } from '../kernels/lib/sampling.js';
import { backgroundPseudoExperiment, globalSignificance, poissonSf, scanGlobalSignificance, thresholdCount } from '../engine/stats/index.js';
import { localSignificance } from '../engine/stats/pvalue.js';
import { grid1D } from '../engine/windows.js';
import { countInWindows } from '../engine/scan.js';

let wasm: Backend;
beforeAll(async () => { wasm = await WasmBackend.create({ workers: 2 }); });
afterAll(async () => { await wasm?.dispose(); });

describe('look-elsewhere', () => {
  it('threshold count is the first n reaching Z', () => {
    for (const [z, b] of [[2, 3.3], [3.1, 0.2], [1.5, 120]]) {
      const n = thresholdCount(z, b, 0);
      expect(localSignificance(n, b).z).toBeGreaterThanOrEqual(z);
      expect(localSignificance(n - 1, b).z).toBeLessThan(z);
    }
  });
  it('independent windows: p_global = 1 - prod (1 - P(N >= n*_w | b_w)) within 4 sigma of the pseudo-experiments', async () => {
    const M = 25, b = Float64Array.from({ length: M }, (_, w) => 1 + 0.7 * w);
    const observed = Float64Array.from(b, (x) => Math.round(x));
    observed[7] = Math.round(b[7] + 2.6 * Math.sqrt(b[7]) + 1);
    const st = newStream();
    const N = 4000;
    const r = await globalSignificance(observed, b, undefined, (i) => Float64Array.from(b, (x, w) => { rsInit(st, 77, 78, w, i, 0); return rsPoisson(st, Math.fround(x)); }), { pseudoExperiments: N, seed: 0 });
    let none = 1;
    for (let w = 0; w < M; w++) none *= 1 - poissonSf(thresholdCount(r.maxLocalZ, b[w], 0), b[w]);
    const want = 1 - none;
    expect(r.window).toBe(7);
    expect(Math.abs(r.pGlobal - want) / Math.sqrt((want * (1 - want)) / N), `${r.pGlobal} vs ${want}`).toBeLessThan(4);
    expect(r.trialsFactor).toBeGreaterThan(3);
    expect(r.pGlobal).toBeGreaterThan(r.pLocal);
  });
  it('event-level pseudo-experiments through the window scan: reproducible from the seed, Poisson total', async () => {
    const grid = grid1D({ variable: 'x', min: 0.5, max: 9.5, sigma: () => 0.1 });
    const R = 20000, x = new Float32Array(R), wts = new Float32Array(R).fill(0.05);
    for (let i = 0; i < R; i++) x[i] = ((i * 7919) % R) / R * 10;
    const bg = { length: R, columns: { x, w: wts }, weightColumn: 'w' };
    const totals = Array.from({ length: 40 }, (_, i) => backgroundPseudoExperiment(bg, 5, i).length);
    const mean = totals.reduce((a, c) => a + c, 0) / totals.length;
    expect(Math.abs(mean - 1000) / Math.sqrt(1000 / totals.length)).toBeLessThan(5);
    expect(backgroundPseudoExperiment(bg, 5, 3).columns.x).toEqual(backgroundPseudoExperiment(bg, 5, 3).columns.x);
    const bsum = await countInWindows(wasm, grid, bg);
    const data = backgroundPseudoExperiment(bg, 99, 0);
    const bump = { length: data.length + 5, columns: { x: Float32Array.from([...data.columns.x, ...new Array(5).fill(4.02)]) } };
    const obs = (await countInWindows(wasm, grid, bump)).n;
    const sig = Float64Array.from(bsum.sumW2, Math.sqrt);
    const a = await scanGlobalSignificance(wasm, grid, obs, bsum.sumW, sig, bg, { pseudoExperiments: 30, seed: 8 });
    const b2 = await scanGlobalSignificance(wasm, grid, obs, bsum.sumW, sig, bg, { pseudoExperiments: 30, seed: 8 });
    expect(b2).toEqual(a);
    expect(a.maxLocalZ).toBeGreaterThan(1);
    expect(a.exceeding).toBeGreaterThan(0); // a mild excess: reached by some pseudo-experiments
    expect(a.trialsFactor).toBeGreaterThan(1);
    expect(Math.abs(grid.cx[a.window] - 4.02)).toBeLessThan(0.25);
  });
});
