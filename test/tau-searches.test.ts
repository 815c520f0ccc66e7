// The tau searches (engine/analyses/searches-tau.ts, generator engine/generate/tau.ts): Z' -> tau tau
// in mu mu tau tau four-track events with 8 MLP recoil-mass ranges (PRL 131 (2023) 121802), and
// tau -> l alpha in the lepton's pseudo-rest-frame energy (PRL 130 (2023) 181803): the generator's
// peaks where the kinematics put them, injected signals found at their mass, background-only
// pseudo-data without an excess, config errors naming the JSON path. Small samples throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WasmBackend } from '../host/index.js';
import type { Backend } from '../host/backend.js';
import { runSearch } from '../engine/analyses/search.js';
import { ALP_CLL, LEPTOPHILIC_SCALAR_XI, TAU_MUALPHA, ZPRIME_TAUTAU, ZPRIME_TAUTAU_RANGES_GeV } from '../engine/analyses/searches-tau.js';
import { SEARCHES } from '../engine/analyses/searches.js';
import { couplingLimit } from '../engine/analyses/couplings.js';
import { errorsOf } from './config-errors.js';
import { generate } from '../engine/generate/index.js';
import { BR_TAU } from '../engine/generate/tau.js';
import { buildFitModels, fitRange, smoothBackground, SHAPE_MAX_REL, type FitSpec } from '../engine/analyses/fit.js';

const M_TAU = 1.77686, M_MU = 0.1056583755;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

describe('four-track tau generator', () => {
  it('tau -> mu alpha: the muon energy in the pseudo-rest frame peaks at the two-body value (m_tau^2 + m_mu^2 - m_alpha^2) / 2 m_tau', () => {
    for (const m of [0, 1.2]) {
      const s = generate({ process: 'tau_mualpha', events: 3000, seed: 3, params: { mAlpha: m } });
      const c = s.columns;
      const e: number[] = [];
      for (let i = 0; i < s.length; i++) if (c.is_3x1[i] === 1 && c.lep_kind[i] === 2) e.push(c.E_lep_pseudo_GeV[i]);
      const peak = (M_TAU ** 2 + M_MU ** 2 - m * m) / (2 * M_TAU);
      expect(e.length).toBeGreaterThan(1000);
      expect(Math.abs(median(e) - peak) / peak).toBeLessThan(0.06); // the pseudo-rest frame smears (21%) and shifts (~3%)
    }
    // the SM Michel spectrum has no such peak: its median lies well below the m_alpha = 0 edge
    const b = generate({ process: 'tautau_1x3', events: 3000, seed: 3, params: { oneProng: 2 } });
    const e: number[] = [];
    for (let i = 0; i < b.length; i++) if (b.columns.is_3x1[i] === 1 && b.columns.lep_kind[i] === 2) e.push(b.columns.E_lep_pseudo_GeV[i]);
    expect(median(e)).toBeLessThan(0.75);
    expect(b.sigmaFb).toBeCloseTo(0.919e6 * 2 * BR_TAU.threeProng * BR_TAU.mu, 6);
  });

  it('forced muon fakes reproduce the rate of unforced simulation (tau tau 1+3 prong, tau -> mu nu nu + a pion taken for a muon)', () => {
    const rate = (forceFake: number, n: number) => {
      const s = generate({ process: 'tautau_1x3', events: n, seed: 5, params: { oneProng: 2, forceFake } });
      let k = 0;
      for (let i = 0; i < s.length; i++) if (s.columns.has_mumu[i] === 1 && s.columns.charge_sum[i] === 0) k++;
      return { fb: (k / n) * s.sigmaFb, err: (Math.sqrt(k) / n) * s.sigmaFb };
    };
    const plain = rate(0, 40_000), forced = rate(1, 4000);
    expect(plain.fb).toBeGreaterThan(0);
    expect(Math.abs(plain.fb - forced.fb)).toBeLessThan(4 * Math.hypot(plain.err, forced.err));
    expect(forced.err / forced.fb).toBeLessThan(plain.err / plain.fb); // ten times fewer events, smaller relative error
  });

  it('mu mu X, X -> tau tau: the recoil mass against the muon pair peaks at M_X; four tracks, charge 0', () => {
    const s = generate({ process: 'zp_tautau_1p', events: 2000, seed: 4, params: { mX: 6 } });
    const c = s.columns, r: number[] = [];
    for (let i = 0; i < s.length; i++) {
      expect(c.n_tracks[i]).toBe(4);
      if (c.has_mumu[i] === 1 && c.charge_sum[i] === 0) r.push(c.m_recoil_GeV[i]);
    }
    expect(r.length).toBeGreaterThan(800);
    expect(Math.abs(median(r) - 6)).toBeLessThan(0.05);
  });
});

describe('tau searches through the one pipeline', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await WasmBackend.create({ workers: 2 });
  });
  afterAll(async () => {
    await backend.dispose();
  });
  const quick = { maxEventsPerBackground: 20_000, signalEventsPerPoint: 400, trainEvents: 3000 };

  it("Z' -> tau tau: an injected signal at 6 GeV is found there, one trained MLP per recoil range; without it no excess", async () => {
    const o = { seed: 7, lumiFb: 20, pseudoExperiments: 10, ...quick };
    const r = await runSearch(backend, ZPRIME_TAUTAU, { ...o, inject: { masses: [6], events: 1500 } });
    const ranges = (r.mlp as { ranges: { min: number; max: number; roc_auc_train?: number }[] }).ranges;
    expect(ranges.map((x) => x.min)).toEqual(ZPRIME_TAUTAU_RANGES_GeV.slice(0, 8));
    expect(ranges.filter((x) => x.roc_auc_train !== undefined).length).toBeGreaterThanOrEqual(6);
    const g = r.global as { window: number; max_z_local: number; p_global: number };
    const best = r.windows[g.window];
    expect(Math.abs(best.x_GeV! - 6)).toBeLessThanOrEqual(3 * best.half_width_GeV!);
    expect(g.max_z_local).toBeGreaterThan(3);
    expect(g.p_global).toBeLessThan(0.1);
    // limits on sigma x B(X -> tau tau): the efficiency carries the 1-prong fraction of both taus
    const eff = r.signal_efficiency_map.find((e) => e.masses_GeV[0] === 6)!.efficiency;
    expect(eff).toBeLessThan((BR_TAU.e + BR_TAU.mu + BR_TAU.pi + BR_TAU.rho) ** 2);
    expect(eff).toBeGreaterThan(0.01);
    const r0 = await runSearch(backend, ZPRIME_TAUTAU, { ...o, pseudoExperiments: 10 });
    expect(r0.windows[g.window].n).toBeLessThan(best.n);
    expect((r0.global as { p_global: number }).p_global).toBeGreaterThan(0.01);
    expect(r0.windows.filter((w) => w.sigma_up_fb !== null).length).toBeGreaterThan(0.9 * r0.windows.length);
  }, 240_000);

  it('tau -> mu alpha: an injected signal at m_alpha = 1 GeV is found at its E*; background-only pseudo-data give no excess; limits on the ratio', async () => {
    const o = { seed: 8, lumiFb: 0.5, pseudoExperiments: 10, maxEventsPerBackground: 30_000, signalEventsPerPoint: 400 };
    const r = await runSearch(backend, TAU_MUALPHA, { ...o, inject: { masses: [1], events: 3000 } });
    const g = r.global as { window: number; max_z_local: number; p_global: number };
    const best = r.windows[g.window];
    const peak = (M_TAU ** 2 + M_MU ** 2 - 1) / (2 * M_TAU);
    expect(Math.abs(best.x_GeV! - peak)).toBeLessThanOrEqual(best.half_width_GeV!);
    expect(g.max_z_local).toBeGreaterThan(3);
    const r0 = await runSearch(backend, TAU_MUALPHA, o);
    expect((r0.global as { max_z_local: number }).max_z_local).toBeLessThan(3.5);
    expect((r0.global as { p_global: number }).p_global).toBeGreaterThan(0.01);
    // coupling = B(tau -> mu alpha) / B(tau -> mu nu nu) = sigma_UL / sigma(ratio = 1)
    const w = r0.windows.find((x) => x.sigma_up_fb !== null)!;
    expect(w.coupling_up).toBeCloseTo(w.sigma_up_fb! / TAU_MUALPHA.coupling.sigmaAtUnitFb(w.mass_GeV!), 12);
    expect(couplingLimit(TAU_MUALPHA.coupling, 1.8, 1)).toBeNull(); // beyond m_tau - m_mu
    expect(r0.paper).toMatch(/PRL 130 \(2023\) 181803/);
    expect(r0.cl).toBe(0.95);
  }, 240_000);
});

describe('the three models of the mu mu tau tau search', () => {
  it('share the selection, MLPs and backgrounds; only the coupling differs (g\', xi, C_ll/Lambda: sigma = c^2 sigma(1), sigma(1) from the leading-log estimate x B(X -> tau tau))', () => {
    const [z, s, a] = (['zprime-tautau', 'scalar-tautau', 'alp-tautau'] as const).map((n) => SEARCHES[n]);
    for (const d of [s, a]) {
      expect(d.backgrounds).toEqual(z.backgrounds);
      expect(d.mlp).toEqual(z.mlp);
      expect(d.signal).toEqual(z.signal);
      expect(d.coupling.illustrative).toBe(true);
    }
    expect(new Set([z.coupling.name, s.coupling.name, a.coupling.name]).size).toBe(3);
    // sigma(1) = sigma_mumu y_mu^2 / (16 pi^2) (1 - M^2/s)^2 ln(s/M^2) B(tau tau); B(tau tau) ~ 1 far above threshold (m_tau^2 >> m_mu^2)
    const M = 7, S = 112, y2 = (M_MU / 246.22) ** 2;
    const approx = 1.148e6 * (y2 / (16 * Math.PI ** 2)) * (1 - (M * M) / S) ** 2 * Math.log(S / (M * M));
    expect(LEPTOPHILIC_SCALAR_XI.sigmaAtUnitFb(M) / approx).toBeGreaterThan(0.99);
    expect(LEPTOPHILIC_SCALAR_XI.sigmaAtUnitFb(M) / approx).toBeLessThanOrEqual(1);
    const r = ALP_CLL.sigmaAtUnitFb(M) / LEPTOPHILIC_SCALAR_XI.sigmaAtUnitFb(M) / 246.22 ** 2; // y = C m / Lambda vs xi m / v; B(tau tau) differs by beta^1 vs beta^3 weights
    expect(r).toBeGreaterThan(0.99);
    expect(r).toBeLessThan(1.01);
    expect(couplingLimit(ALP_CLL, M, 4 * ALP_CLL.sigmaAtUnitFb(M))).toBeCloseTo(2, 12);
    expect(LEPTOPHILIC_SCALAR_XI.sigmaAtUnitFb(3)).toBeNaN(); // below the tau tau threshold
  });
});

describe('fit model: the background shape variations', () => {
  it('tilt and curvature at their bounds (|alpha| = 5) together keep every bin >= 0 (a sparse weighted background made the Asimov data negative with 0.2)', () => {
    // a spiky weighted simulation, as after the Z' -> tau tau MLPs: most bins empty, a few with large weights
    const sum = Array.from({ length: 60 }, (_, j) => (j % 7 === 0 ? 50 : 0)), sum2 = sum.map((v) => v * 50);
    const b = smoothBackground(sum, sum2, 50, 3);
    expect(b.rel).toBeLessThanOrEqual(SHAPE_MAX_REL);
    // histosys interpolation (pyhf code 0, piecewise linear): alpha > 0: alpha (hi - nominal); alpha < 0: |alpha| (lo - nominal)
    const delta = (a: number, hi: number, lo: number, v: number) => (a > 0 ? a * (hi - v) : -a * (lo - v));
    expect(Math.max(...b.nominal)).toBeGreaterThan(0);
    for (const [aT, aC] of [[5, 5], [5, -5], [-5, 5], [-5, -5]]) {
      b.nominal.forEach((v, j) => {
        const shifted = v + delta(aT, b.tilt.hi[j], b.tilt.lo[j], v) + delta(aC, b.curvature.hi[j], b.curvature.lo[j], v);
        expect(shifted, `bin ${j}, alphas ${aT}, ${aC}`).toBeGreaterThanOrEqual(-1e-9 * v);
      });
    }
  });
});

describe('fit model: ranges stop at the MLP range edges', () => {
  // A background that steps at 2 (as at an MLP range edge): 4000 events per unit below, 16000 above, evenly spread.
  const spread = (a: number, b: number, perUnit: number) => Array.from({ length: Math.round((b - a) * perUnit) }, (_, i) => a + (i + 0.5) / perUnit);
  const bg = [...spread(0, 2, 4000), ...spread(2, 4, 16000)];
  const base: FitSpec = { sigma: () => 0.05, halfRangeSigma: 5, binsPerSigma: 2, doc: 'test' };
  const withEdges: FitSpec = { ...base, edges: [0, 1, 2, 3, 4] };
  const models = (spec: FitSpec) => buildFitModels({
    spec, windows: [1.5, 1.9, 2.0, 2.05].map((x, window) => ({ window, x, mass: x, efficiency: 0.5 })),
    data: bg, background: bg, backgroundWeight: bg.map(() => 1), lumiFb: 1, description: 'test',
  });

  it('fitRange: x +- 5 sigma, clipped to the interval holding x (only with edges)', () => {
    expect(fitRange(base, 1.9)).toEqual({ lo: 1.65, hi: 1.9 + 0.25, clipped: false });
    expect(fitRange(withEdges, 1.5)).toEqual({ lo: 1.25, hi: 1.75, clipped: false });
    expect(fitRange(withEdges, 1.9)).toEqual({ lo: 1.65, hi: 2, clipped: true });
    expect(fitRange(withEdges, 2)).toEqual({ lo: 2, hi: 2.25, clipped: true });
    const last = fitRange(withEdges, 4.1); // beyond the last edge: the last interval
    expect([last.lo, last.hi, last.clipped]).toEqual([4.1 - 0.25, 4, true]);
    expect(fitRange(withEdges, 1.5, 3)).toEqual({ lo: 1, hi: 2, clipped: true });
  });

  it('each hypothesis\' range and background curve stay on one side of an edge, so the curve is smooth; without edges it spans the step', () => {
    const m = models(withEdges);
    expect(m.hypotheses.map((h) => [h.lo_GeV, h.hi_GeV])).toEqual([[1.25, 1.75], [1.65, 2], [2, 2.25], [2, 2.3]]);
    m.workspace.channels.forEach((c, k) => {
      const nominal = c.samples[0].data as number[], obs = m.workspace.observations[k].data;
      expect(nominal.length).toBe(20);
      expect(obs.length).toBe(20);
      // flat on each side of the step: the curve follows the data within 5%
      nominal.forEach((v, j) => expect(Math.abs(v - obs[j]) / obs[j], `hypothesis ${k}, bin ${j}`).toBeLessThan(0.05));
      const sig = (m.patchset.patches[k].patch.at(-1) as { value: { data: number[] } }).value.data;
      expect(sig.reduce((a, v) => a + v, 0)).toBeCloseTo(m.hypotheses[k].signalEventsPerMu, 9);
    });
    // without edges the range at 1.9 spans the step and the curve misses the data by far more
    const u = models(base), nominal = u.workspace.channels[1].samples[0].data as number[], obs = u.workspace.observations[1].data;
    expect(Math.max(...nominal.map((v, j) => Math.abs(v - obs[j]) / obs[j]))).toBeGreaterThan(0.2);
    // at 1.5 the fit range is the same with and without edges (only its background curve's range, +-3 x 0.25, stops at 1 and 2)
    expect([u.hypotheses[0].lo_GeV, u.hypotheses[0].hi_GeV]).toEqual([m.hypotheses[0].lo_GeV, m.hypotheses[0].hi_GeV]);
    expect(u.workspace.observations[0]).toEqual(m.workspace.observations[0]);
  });

  it('smoothBackground: the fit range given as bins of the wide histogram equals the centred default', () => {
    const sum = Array.from({ length: 60 }, (_, j) => 10 + j + ((j * 7) % 5)), sum2 = sum.slice();
    expect(smoothBackground(sum, sum2, 1, 3, { first: 20, bins: 20 })).toEqual(smoothBackground(sum, sum2, 1, 3));
  });
});

describe('tau search configs', () => {
  it('bad configs: the errors name the JSON path', () => {
    expect(errorsOf({ analysis: 'zprime-tautau', inject: { mass_GeV: 2, events: 10 } })[0]).toMatch(/^config\.inject\.mass_GeV: parameter mX = 2 GeV must be in \(3\.55/);
    expect(errorsOf({ analysis: 'tau-mualpha', inject: { mass_GeV: 1.7, events: 10 } })[0]).toMatch(/^config\.inject\.mass_GeV: parameter mAlpha = 1\.7 GeV must be in \[0, 1\.67/);
    expect(errorsOf({ analysis: 'tau-ealpha', simulation: { train_events: 100 } })).toEqual(['config.simulation.train_events: only for dark-higgsstrahlung, zprime-tautau, scalar-tautau, alp-tautau (the other searches have no MLP)']);
    expect(errorsOf({ analysis: 'zprime-tautau', simulation: { train_events: 100 } })).toEqual([]);
    expect(errorsOf({ analysis: 'alp-tautau', grid: { min_GeV: 5, max_GeV: 4 } })).toEqual(['config.grid.max_GeV: must be > min_GeV (5), got 4']);
    expect(errorsOf({ analysis: 'tau-ealpha', selection: { cuts: [{ column: 'm_mumu_13_GeV', max: 1 }] } })[0]).toMatch(/^config\.selection\.cuts\[0\]\.column: unknown column "m_mumu_13_GeV" for tau-ealpha/);
    expect(errorsOf({ analysis: 'tau-ealpha', selection: { cuts: [{ column: 'E_extra_GeV', max: 1 }] } })).toEqual([]);
  });
});
