// The searches end to end: every committed example config through `darkscan run --quick` (files,
// finite limits, ordered bands), signal injection in a 1D search found at its mass, events from
// a file with a column mapping, and the coupling translations against their formulas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WasmBackend } from '../host/index.js';
import type { Backend } from '../host/backend.js';
import { main } from '../engine/cli/index.js';
import { interpolateEfficiency, runSearch, SEARCH_NAMES, type SearchResult } from '../engine/analyses/search.js';
import { SEARCHES, ZPRIME_INVISIBLE, ZPRIME_MUMU } from '../engine/analyses/searches.js';
import { ALP_G, ZPRIME_G_INVISIBLE, ZPRIME_G_MUMU, couplingLimit, SIGMA_MUMU_FB } from '../engine/analyses/couplings.js';
import { zPrimeBranchingFractions } from '../engine/generate/branching.js';
import { generate } from '../engine/generate/index.js';
import { toCsv } from '../engine/io/index.js';
import { QUICK as RUN_QUICK, runConfig } from '../engine/analyses/run.js';
import { configAnalysis, LLP_TYPE_ANALYSES } from '../engine/analyses/idm.js';
import { tempDir } from './tmp.js';

const CONFIGS = join(import.meta.dirname, '../engine/analyses/configs');
const QUICK = { pseudoExperiments: 10, maxEventsPerBackground: 20_000, signalEventsPerPoint: 500 };
const ALPHA = 1 / 137.035999084, S = 112, GEV2_TO_FB = 0.3893794e12;

function ordered(e: readonly (number | null)[]): boolean {
  return e.every((v) => v !== null && Number.isFinite(v)) && (e as number[]).every((v, i) => i === 0 || (e as number[])[i - 1] <= v);
}

describe('darkscan run: every example config, quick', () => {
  const dir = tempDir('run');
  // LLP-type searches (idm-darkhiggs, b-kplus-llp, b-kstar0-llp) write another result shape: test/idm.test.ts and test/llp-run.test.ts run their configs.
  for (const f of readdirSync(CONFIGS).filter((x) => x.endsWith('.json') && !(LLP_TYPE_ANALYSES as readonly string[]).includes(configAnalysis(readFileSync(join(CONFIGS, x), 'utf8')) ?? '')).sort()) {
    it(`${f}: results.json, hepdata.yaml and SVG plots; finite limits with ordered bands`, async () => {
      const out = join(dir, f.replace('.json', ''));
      const lines: string[] = [];
      const code = await main(['run', '--config', join(CONFIGS, f), '--quick', '--out', out, '--backend', 'wasm', '--workers', '2', '--json'], (s) => lines.push(s));
      expect(code).toBe(0);
      const summary = JSON.parse(lines[0]);
      expect(existsSync(join(out, 'results.json'))).toBe(true);
      expect(existsSync(join(out, 'hepdata.yaml'))).toBe(true);
      expect(summary.files.filter((p: string) => p.endsWith('.svg')).length).toBeGreaterThanOrEqual(2);
      const cfg = JSON.parse(readFileSync(join(CONFIGS, f), 'utf8'));
      const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
      expect(r.analysis).toBe(cfg.analysis);
      expect(r.seed).toBe(cfg.seed);
      expect(r.lumi_fb).toBe(cfg.lumi_fb);
      expect(r.method).toBe(cfg.method);
      expect(r.windows.length).toBeGreaterThan(50);
      // --quick keeps a config's pseudo-data budget up to QUICK.pseudoDataMaxSeconds (zprime-invisible.json's 700 s: 45)
      if (cfg.simulation?.pseudo_data_max_s !== undefined) expect(r.samples.data.max_generation_s).toBe(Math.min(cfg.simulation.pseudo_data_max_s, RUN_QUICK.pseudoDataMaxSeconds));
      for (const w of r.windows) {
        expect(w.s_up, `window ${w.window}`).toBeGreaterThan(0);
        // n = 0: never below the exact Poisson limit -ln(1 - CL) (2.30 at 90% CL), whatever b
        if (w.n === 0) expect(w.s_up, `window ${w.window} (n = 0, b = ${w.b})`).toBeGreaterThanOrEqual(-Math.log(1 - r.cl) - 1e-6);
        expect(typeof w.limit_method_reason).toBe('string');
        expect(ordered(w.s_up_expected), `window ${w.window} bands ${w.s_up_expected}`).toBe(true);
      }
      const hep = readFileSync(join(out, 'hepdata.yaml'), 'utf8');
      expect(hep).toMatch(/data_file: "hepdata_/);
      // Background composition after the selection: a simulated source with no event left is bounded
      // at 90% CL by 2.303 times its event weight, never reported as absent without the bound.
      for (const c of r.samples.background_composition as { simulated_rows: number; event_weight?: number; selected_events_upper_90?: number; fraction_upper_90?: number; cannot_pass?: string }[]) {
        if (c.event_weight === undefined) continue;
        if (c.cannot_pass !== undefined) {
          // proven unable to pass the selection (search definition's cannotPass): 0, not a bound
          expect([c.simulated_rows, c.selected_events_upper_90]).toEqual([0, undefined]);
          continue;
        }
        if (c.simulated_rows === 0) {
          expect(c.selected_events_upper_90).toBeCloseTo(2.303 * c.event_weight, 6);
          expect(c.fraction_upper_90).toBeGreaterThan(0);
          expect(c.fraction_upper_90).toBeLessThan(1);
        } else expect(c.selected_events_upper_90).toBeUndefined();
      }
      if (r.variables.length === 1) {
        // Cross-section and coupling limits where the signal efficiency is known, bands ordered.
        const withSigma = r.windows.filter((w: { sigma_up_fb: number | null }) => w.sigma_up_fb !== null);
        expect(withSigma.length).toBeGreaterThan(0.8 * r.windows.length);
        for (const w of withSigma) {
          expect(ordered(w.sigma_up_expected_fb)).toBe(true);
          if (w.coupling_up !== null) expect(ordered(w.coupling_up_expected)).toBe(true);
        }
        expect(readFileSync(join(out, 'hepdata_sigma.yaml'), 'utf8')).toMatch(new RegExp(`CL.*${Math.round(cfg.cl * 100)}%`));
        expect(r.global.pseudo_experiments).toBe(10);
        expect(r.global.p_global).toBeGreaterThan(0);
      }
    }, 180_000);
  }
});

describe('1D searches', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await WasmBackend.create({ workers: 2 });
  });
  afterAll(async () => {
    await backend.dispose();
  });

  it("finds an injected Z' -> mu mu at its mass; the observed limit there exceeds the expected", async () => {
    const o = { seed: 5, lumiFb: 10, ...QUICK };
    const mass = 3;
    const r = await runSearch(backend, ZPRIME_MUMU, { ...o, inject: { masses: [mass], events: 150 } });
    const g = r.global as { window: number; max_z_local: number; p_global: number };
    const best = r.windows[g.window];
    expect(Math.abs(best.x_GeV! - mass)).toBeLessThanOrEqual(best.half_width_GeV!);
    expect(g.max_z_local).toBeGreaterThan(3);
    expect(g.p_global).toBeLessThan(0.1); // none of 10 background-only pseudo-experiments reaches it
    expect(best.s_up).toBeGreaterThan(best.s_up_expected[2]);
    expect(r.injected).toMatchObject({ process: 'zp_mumu', masses_GeV: [3], produced: 150 });
    // The same seed without the injection: no excess there, fewer events.
    const r0 = await runSearch(backend, ZPRIME_MUMU, { ...o, pseudoExperiments: 0 });
    expect(r0.windows[g.window].z_local).toBeLessThan(2);
    expect(r0.windows[g.window].n).toBeLessThan(best.n);
    expect(r0.global.pseudo_experiments).toBe(0);
  }, 120_000);

  it('is reproducible from the seed and differs with another seed', async () => {
    const a = await runSearch(backend, ZPRIME_INVISIBLE, { seed: 9, ...QUICK, pseudoExperiments: 3, lumiFb: 0.276 });
    const b = await runSearch(backend, ZPRIME_INVISIBLE, { seed: 9, ...QUICK, pseudoExperiments: 3, lumiFb: 0.276 });
    const c = await runSearch(backend, ZPRIME_INVISIBLE, { seed: 10, ...QUICK, pseudoExperiments: 3, lumiFb: 0.276 });
    expect(b.windows).toEqual(a.windows);
    expect(b.global).toEqual(a.global);
    expect(c.windows.map((w) => w.n)).not.toEqual(a.windows.map((w) => w.n));
  }, 60_000);

  it('reads data events from a CSV file with a column mapping and applies the selection', async () => {
    const dir = tempDir('input');
    // "Data": zp_inv signal events plus tau tau events, with the columns renamed as in an ntuple.
    const parts = [generate({ process: 'zp_inv', params: { mZp: 6 }, events: 400, seed: 1 }), generate({ process: 'tautau', events: 3000, seed: 2 })];
    const rename: Record<string, string> = { n_gamma: 'nGamma', n_extra_tracks: 'nExtraTracks', m2_recoil_GeV2: 'M2rec', m_recoil_GeV: 'Mrec', cos_theta_recoil_cm: 'cosRecCM', p_mumu_cm_GeV: 'pMuMuCM' };
    const cols: Record<string, Float64Array> = {};
    for (const [from, to] of Object.entries(rename)) cols[to] = Float64Array.from(parts.flatMap((p) => Array.from(p.columns[from])));
    writeFileSync(join(dir, 'data.csv'), toCsv(cols, {}));
    const cfg = { analysis: 'zprime-invisible' as const, seed: 4, lumi_fb: 0.276, pseudo_experiments: 3, quick: true, inputs: { data: { path: 'data.csv', columns: Object.fromEntries(Object.entries(rename).map(([a, b]) => [a, b])) } } };
    const r = (await runConfig(backend, cfg, { baseDir: dir })) as SearchResult;
    // Selected rows computed independently of the pipeline.
    let selected = 0, near6 = 0;
    const n = cols.Mrec.length;
    for (let i = 0; i < n; i++) {
      if (cols.nGamma[i] === 0 && cols.nExtraTracks[i] === 0 && Math.abs(cols.cosRecCM[i]) < 0.8 && cols.pMuMuCM[i] > 0.5 && cols.M2rec[i] > 0) {
        selected++;
        if (Math.abs(cols.Mrec[i] - 6) < 0.1) near6++;
      }
    }
    expect(r.samples.data_candidates).toBe(selected);
    expect(r.samples.data).toMatchObject({ file: join(dir, 'data.csv'), rows: n, as: 'events' });
    expect(near6).toBeGreaterThan(100);
    const best = r.windows[(r.global as { window: number }).window];
    expect(Math.abs(best.mass_GeV! - 6)).toBeLessThan(2 * best.half_width_GeV!);
    // A missing mapped column is an error that names the config path and the column.
    const bad = { ...cfg, inputs: { data: { path: 'data.csv', columns: { ...cfg.inputs.data.columns, m_recoil_GeV: 'Mrecoil' } } } };
    await expect(runConfig(backend, bad, { baseDir: dir })).rejects.toThrow(/config\.inputs\.data .*column 'Mrecoil' \(for 'm_recoil_GeV'\) not found/);
  }, 60_000);

  it('takes data and weighted background as selected candidates from files (no simulation)', async () => {
    const dir = tempDir('cand');
    const x = Float64Array.from({ length: 4000 }, (_, i) => 0.3 + (9.4 * ((i * 0.6180339887) % 1))); // spread over the recoil range
    const w = new Float64Array(x.length).fill(0.5);
    writeFileSync(join(dir, 'bg.csv'), toCsv({ Mrec: x, w }, {}));
    writeFileSync(join(dir, 'data.csv'), toCsv({ Mrec: x.filter((_, i) => i % 2 === 0) }, {}));
    const cfg = {
      analysis: 'zprime-invisible' as const, seed: 1, pseudo_experiments: 5, quick: true,
      inputs: { data: { path: 'data.csv', selected: true, columns: { m_recoil_GeV: 'Mrec' } }, backgrounds: [{ path: 'bg.csv', selected: true, columns: { m_recoil_GeV: 'Mrec' }, weight_column: 'w' }] },
    };
    const r = (await runConfig(backend, cfg, { baseDir: dir })) as SearchResult;
    expect(r.samples.data_candidates).toBe(2000);
    for (const k of [0, 40, 120]) {
      const win = r.windows[k];
      const inside = Array.from(x).filter((v) => Math.abs(Math.fround(v) - win.x_GeV!) <= win.half_width_GeV!).length;
      expect(win.b).toBeCloseTo(0.5 * inside, 3);
    }
    expect(r.global.pseudo_experiments).toBe(0); // candidates cannot be resampled event by event: said so
    expect(String(r.global.method)).toMatch(/not computed/);
    // A weight column or scan variable the file lacks: the error names the config path and the file.
    const noW = { ...cfg, inputs: { ...cfg.inputs, backgrounds: [{ ...cfg.inputs.backgrounds[0], weight_column: 'wt' }] } };
    await expect(runConfig(backend, noW, { baseDir: dir })).rejects.toThrow(/config\.inputs\.backgrounds\[0\] \(.*bg\.csv\): weight column 'wt' not found/);
    const noVar = { ...cfg, inputs: { ...cfg.inputs, data: { path: 'data.csv', selected: true } } };
    await expect(runConfig(backend, noVar, { baseDir: dir })).rejects.toThrow(/config\.inputs\.data \(.*data\.csv\): missing column\(s\) m_recoil_GeV/);
  }, 60_000);

  it('a window whose limit cannot be computed gets NaN and its reason; the other windows are computed', async () => {
    const dir = tempDir('fail');
    // background of ~1e5 events per window where the data have none (a luminosity mix-up): n = 0
    // against b ~ 1e5 with sigma_b ~ b has no normalisable posterior; elsewhere a normal background
    const x = Float64Array.from({ length: 4000 }, (_, i) => 0.3 + (9.4 * ((i * 0.6180339887) % 1)));
    const w = Float64Array.from(x, (v) => (v > 5 && v < 5.3 ? 3e5 : 0.5));
    writeFileSync(join(dir, 'bg.csv'), toCsv({ Mrec: x, w }, {}));
    writeFileSync(join(dir, 'data.csv'), toCsv({ Mrec: x.filter((v, i) => i % 2 === 0 && !(v > 4.8 && v < 5.5)) }, {}));
    const cfg = {
      analysis: 'zprime-invisible' as const, seed: 1, pseudo_experiments: 0, quick: true, method: 'bayes' as const,
      inputs: { data: { path: 'data.csv', selected: true, columns: { m_recoil_GeV: 'Mrec' } }, backgrounds: [{ path: 'bg.csv', selected: true, columns: { m_recoil_GeV: 'Mrec' }, weight_column: 'w' }] },
    };
    const r = (await runConfig(backend, cfg, { baseDir: dir })) as SearchResult;
    const failed = r.windows.filter((win) => win.limit_method_reason.startsWith('failed:'));
    expect(failed.length).toBeGreaterThan(0);
    for (const win of failed) {
      expect(Number.isNaN(win.s_up)).toBe(true);
      expect(win.sigma_up_fb).toBeNull();
    }
    expect(r.windows.filter((win) => Number.isFinite(win.s_up)).length).toBeGreaterThan(r.windows.length / 2);
    expect(r.notes.join(' ')).toMatch(/windows have no limit/);
  }, 60_000);
});

describe('coupling translations and the four-muon proxy', () => {
  it('ALP: g_UL = sqrt(sigma_UL / sigma(g = 1)) with sigma = alpha g^2 (1 - m^2/s)^3 / 24 (Dolan et al. 2017)', () => {
    for (const m of [0.5, 3, 8]) {
      const s1 = ((ALPHA / 24) * (1 - m * m / 112.0) ** 3) * GEV2_TO_FB;
      expect(ALP_G.sigmaAtUnitFb(m) / s1).toBeCloseTo(1, 2); // s here 112 GeV^2 vs exact (10.583)^2
      expect(couplingLimit(ALP_G, m, 4 * ALP_G.sigmaAtUnitFb(m) * 1e-6)).toBeCloseTo(2e-3, 12);
    }
    expect(ALP_G.illustrative).toBe(false);
  });

  it("Z': sigma proportional to g'^2 times the model's B(Z' -> final state), marked illustrative; null where the model has no phase space", () => {
    const m = 2;
    const ZPRIME_G = ZPRIME_G_MUMU;
    const s1 = ZPRIME_G.sigmaAtUnitFb(m);
    // below 2 m_tau: B(mu mu) = B(nu nu) = 1/2 (up to the muon-mass factor); above: about 1/3 each
    expect(s1).toBeCloseTo(0.5 * SIGMA_MUMU_FB / (8 * Math.PI ** 2) * Math.log(S / 4) ** 2 * (1 - 4 / S) ** 2, -3);
    expect(ZPRIME_G_INVISIBLE.sigmaAtUnitFb(6) / ZPRIME_G_MUMU.sigmaAtUnitFb(6)).toBeCloseTo(zPrimeBranchingFractions(6).invisible / zPrimeBranchingFractions(6).mumu, 10);
    expect(zPrimeBranchingFractions(6).invisible).toBeGreaterThan(0.3);
    expect(zPrimeBranchingFractions(6).invisible).toBeLessThan(0.36);
    expect(couplingLimit(ZPRIME_G, m, s1 * 1e-4)).toBeCloseTo(1e-2, 12);
    expect(couplingLimit(ZPRIME_G, 11, 1)).toBeNull();
    expect(couplingLimit(ZPRIME_G, m, null)).toBeNull();
    expect(ZPRIME_G.illustrative).toBe(true);
  });

  it('every search is one definition of the one pipeline: a grid, backgrounds, signal points inside its grid, the paper it follows', () => {
    expect(Object.keys(SEARCHES).sort()).toEqual([...SEARCH_NAMES].sort());
    for (const def of Object.values(SEARCHES)) {
      expect(def.backgrounds.length).toBeGreaterThan(0);
      expect(def.paper.source.length).toBeGreaterThan(10);
      const g = def.grid();
      const lo = Math.min(...g.cx), hi = Math.max(...g.cx);
      const inside = def.signalPoints.filter((p) => def.peakOf(p)[0] >= lo - 0.2 && def.peakOf(p)[0] <= hi + 0.2);
      expect(inside.length).toBeGreaterThan(5);
      if (def.variables.length === 1) for (const m of [1, 3, 6]) expect(def.massesOf({ ...g, cx: Float64Array.of(def.peakOf([m])[0]) }, 0)[0]).toBeCloseTo(m, 9);
    }
    // the papers' settings
    expect(SEARCHES['dark-higgsstrahlung'].paper).toMatchObject({ lumiFb: 8.34, cl: 0.9, method: 'bayes' });
    expect(SEARCHES['alp-gammagamma'].paper).toMatchObject({ lumiFb: 0.445, cl: 0.95 });
    expect(SEARCHES['zprime-invisible'].paper).toMatchObject({ lumiFb: 79.7, cl: 0.9 });
  });

  it('efficiencies are interpolated between simulated masses (1D linear, 2D bilinear with missing corners dropped)', () => {
    expect(interpolateEfficiency([[1], [3]], [0.2, 0.6], [2.5])).toBeCloseTo(0.5, 12);
    expect(interpolateEfficiency([[1], [3]], [0.2, 0.6], [5])).toBeCloseTo(0.6, 12);
    const pts = [[1, 0], [2, 0], [1, 1], [2, 1]], v = [0.1, 0.3, 0.5, 0.7];
    expect(interpolateEfficiency(pts, v, [1.5, 0.5])).toBeCloseTo(0.4, 12);
    // the corner (1, 1) missing (outside the kinematic range): the three others, weights renormalised
    expect(interpolateEfficiency([[1, 0], [2, 0], [2, 1]], [0.1, 0.3, 0.7], [1.5, 0.5])).toBeCloseTo((0.25 * 0.1 + 0.25 * 0.3 + 0.25 * 0.7) / 0.75, 12);
  });
});
