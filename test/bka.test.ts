// B+ -> K+ a, a -> gamma gamma (Belle, JHEP 12 (2025) 109, arXiv:2507.01249) through the one search
// pipeline: the B-meson generator family (M_bc, Delta E, M_gamma gamma), the g_aW conversion, an
// injected ALP recovered, background alone without an excess, config errors naming the JSON path,
// and `darkscan run --config` writing the branching-fraction limit beside sigma and g_aW.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WasmBackend } from '../host/index.js';
import type { Backend } from '../host/backend.js';
import { main } from '../engine/cli/index.js';
import { generate } from '../engine/generate/index.js';
import { B_MODES, CHARGED_B_PER_FB, bPerFb } from '../engine/generate/bmeson.js';
import { ALP_G_AW, brBtoKaPerGaw2 } from '../engine/analyses/bka.js';
import { couplingLimit } from '../engine/analyses/couplings.js';
import { runSearch } from '../engine/analyses/search.js';
import { B_K_ALP_GAMMAGAMMA } from '../engine/analyses/searches.js';
import { loadConfig } from '../engine/analyses/run.js';
import { ConfigError } from '../engine/config.js';
import { tempDir } from './tmp.js';

let backend: Backend;
beforeAll(async () => {
  backend = await WasmBackend.create({ workers: 2 });
});
afterAll(async () => {
  await backend?.dispose();
});

const median = (a: ArrayLike<number>) => Float64Array.from(a).sort()[a.length >> 1];

describe('B-meson generator family', () => {
  it('signal: M_gamma gamma at m_a, M_bc at the B mass, Delta E at 0; B+ -> K+ pi0 peaks at the pi0 mass', () => {
    const s = generate({ process: 'b_ka_gg', params: { ma: 2, br: 1e-7 }, events: 2000, seed: 4 });
    expect(s.length).toBeGreaterThan(1400); // K and both photons in the acceptance
    expect(median(s.columns.m_gg_GeV)).toBeCloseTo(2, 1);
    expect(median(s.columns.Mbc_GeV)).toBeCloseTo(5.2793, 3);
    expect(Math.abs(median(s.columns.DeltaE_GeV))).toBeLessThan(0.01);
    expect(s.sigmaFb).toBeCloseTo(CHARGED_B_PER_FB * 1e-7, 6);
    const p = generate({ process: 'b_kpi0', events: 2000, seed: 4 });
    expect(median(p.columns.m_gg_GeV)).toBeCloseTo(0.135, 2);
    // combinatorial candidates spread in M_bc (most fail M_bc > 5.27 GeV)
    const c = generate({ process: 'b_kgg_comb', events: 2000, seed: 4 });
    expect(Array.from(c.columns.Mbc_GeV).filter((m) => m > 5.27).length / c.length).toBeLessThan(0.5);
  });
  it('the other kaon modes: K*0 -> K+ pi- and K*+ -> K0S pi+ reconstruct the K* mass and the B; K0S -> pi+ pi-', () => {
    const ks0 = generate({ process: 'b_ka_gg', params: { ma: 1, mode: 2 }, events: 2000, seed: 5 });
    expect(median(ks0.columns.m_K_GeV)).toBeCloseTo(0.8956, 2);
    expect(median(ks0.columns.n_tracks)).toBe(2);
    expect(median(ks0.columns.Mbc_GeV)).toBeCloseTo(5.2797, 2);
    const ksp = generate({ process: 'b_ka_gg', params: { ma: 1, mode: 3 }, events: 2000, seed: 5 });
    expect(median(ksp.columns.n_tracks)).toBe(3);
    expect(median(ksp.columns.m_K_GeV)).toBeCloseTo(0.8917, 2);
    expect(ksp.length).toBeLessThan(ks0.length); // three tracks must be reconstructed
    const k0 = generate({ process: 'b_ka_gg', params: { ma: 1, mode: 1 }, events: 500, seed: 5 });
    expect(median(k0.columns.m_K_GeV)).toBeCloseTo(0.4976, 2);
    // B counts: f00 = 0.486 and the K decay fractions (K*0 -> K+ pi-: 2/3; K0 -> K0S -> pi+ pi-: 0.346)
    expect(bPerFb(B_MODES[2]) / CHARGED_B_PER_FB).toBeCloseTo((0.486 / 0.514) * (2 / 3), 10);
    expect(k0.sigmaFb / generate({ process: 'b_ka_gg', params: { ma: 1 }, events: 1, seed: 5 }).sigmaFb).toBeCloseTo((0.486 / 0.514) * 0.346, 6);
    expect(() => generate({ process: 'b_ka_gg', params: { ma: 4.4, mode: 2 }, events: 1, seed: 1 })).toThrow(/ma = 4.4 GeV must be in \(0, 4.38.*B0 -> K\*0 a/);
    expect(() => generate({ process: 'b_kpi0', params: { mode: 7 }, events: 1, seed: 1 })).toThrow(/mode = 7 must be an integer 0..3/);
  });
});

describe('g_aW conversion (Izaguirre, Lin, Shuve PRL 118 (2017) 111802)', () => {
  it('B(B+ -> K+ a) ~ 2e3 g_aW^2 / GeV^-2 at small m_a, falling to 0 at m_B - m_K; g = sqrt(sigma / sigma(1))', () => {
    const b0 = brBtoKaPerGaw2(0.1);
    expect(b0).toBeGreaterThan(1e3);
    expect(b0).toBeLessThan(4e3);
    expect(brBtoKaPerGaw2(4.7855)).toBeLessThan(0.05 * b0); // S wave: lambda^(1/2) at the endpoint
    expect(brBtoKaPerGaw2(5)).toBeNaN();
    const s1 = ALP_G_AW.sigmaAtUnitFb(1);
    expect(s1).toBeCloseTo(CHARGED_B_PER_FB * brBtoKaPerGaw2(1), 3);
    expect(couplingLimit(ALP_G_AW, 1, 4 * s1 * 1e-10)).toBeCloseTo(2e-5, 12);
    // B -> K* a: P wave (lambda^(3/2)), comparable size at small m_a
    const v0 = brBtoKaPerGaw2(0.1, B_MODES[2]);
    expect(v0 / b0).toBeGreaterThan(0.3);
    expect(v0 / b0).toBeLessThan(3);
    expect(brBtoKaPerGaw2(4.38, B_MODES[2])).toBeLessThan(1e-2 * v0);
  });
});

describe('search through the pipeline', () => {
  const o = { seed: 3, pseudoExperiments: 10, maxEventsPerBackground: 20_000, signalEventsPerPoint: 400 };
  it('background only: no significant excess; an injected a at 1.5 GeV is found there with a weaker observed limit', async () => {
    const r0 = await runSearch(backend, B_K_ALP_GAMMAGAMMA, o);
    expect(Number(r0.global.max_z_local)).toBeLessThan(3.5);
    expect(r0.lumi_fb).toBe(711);
    expect(r0.branching_fraction?.fb_per_unit).toBeCloseTo(CHARGED_B_PER_FB, 6);
    const w0 = r0.windows.filter((w) => w.bf_up !== null && w.bf_up !== undefined);
    expect(w0.length).toBeGreaterThan(0.9 * r0.windows.length);
    for (const w of w0) expect(w.bf_up!).toBeCloseTo(w.sigma_up_fb! / CHARGED_B_PER_FB, 15);
    // 150 produced signal events: B ~ 2e-7 at 711 fb^-1
    const r = await runSearch(backend, B_K_ALP_GAMMAGAMMA, { ...o, inject: { masses: [1.5], events: 150 } });
    const g = r.global as { window: number; max_z_local: number; p_global: number };
    const best = r.windows[g.window];
    expect(Math.abs(best.x_GeV! - 1.5)).toBeLessThanOrEqual(best.half_width_GeV!);
    expect(g.max_z_local).toBeGreaterThan(3);
    expect(best.bf_up!).toBeGreaterThan(best.bf_up_expected![2]!);
    expect(r0.windows[g.window].z_local).toBeLessThan(2);
  }, 120_000);
});

describe('config', () => {
  const errs = (o: unknown) => {
    try {
      loadConfig(JSON.stringify(o), 'bka.json');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as ConfigError).errors.join('\n');
    }
    return '';
  };
  it('errors name the JSON path', () => {
    expect(errs({ analysis: 'b-k-alp-gammagamma', inject: { mass_GeV: 4.9, events: 10 } })).toMatch(/config\.inject\.mass_GeV: parameter ma = 4\.9 GeV must be in \(0, 4\.78/);
    expect(errs({ analysis: 'b-k-alp-gammagamma', selection: { cuts: [{ column: 'm_mumu_GeV', max: 1 }] } })).toMatch(/config\.selection\.cuts\[0\]\.column: unknown column "m_mumu_GeV" for b-k-alp-gammagamma \(columns: .*Mbc_GeV/);
    expect(errs({ analysis: 'b-k-alp-gammagamma', inject: { m_A_GeV: 1, events: 10 } })).toMatch(/config\.inject\.m_A_GeV: only for dark-higgsstrahlung/);
  });
  it('darkscan run --config writes the branching-fraction limit (SVG, HEPData) beside sigma and g_aW', async () => {
    const dir = tempDir('bka');
    const cfg = join(import.meta.dirname, '../engine/analyses/configs/b-k-alp-gammagamma.json');
    expect(await main(['run', '--config', cfg, '--quick', '--out', dir, '--backend', 'wasm', '--workers', '2', '--json'], () => {})).toBe(0);
    for (const f of ['results.json', 'hepdata.yaml', 'hepdata_bf.yaml', 'limit_bf.svg', 'limit_coupling.svg']) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(readFileSync(join(dir, 'hepdata.yaml'), 'utf8')).toMatch(/Branching-fraction limit/);
    const r = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(r.paper).toMatch(/2507\.01249/);
    expect(r.coupling.name).toBe('g_aW');
  }, 60_000);
});
