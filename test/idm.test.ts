// Inelastic dark matter with a dark Higgs (engine/analyses/idm.ts config, searches-llp.ts IDM_DARKHIGGS run by the
// pipeline's runSearch, engine/generate/idm.ts): the
// model's lifetimes, the batched (m_h', sin theta) efficiency sweep against the closed form, the
// same bits on every backend, an injected signal recovered, background alone without an excess,
// config errors naming the JSON path, and `darkscan run --config` writing its files.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend, WasmBackend } from '../host/index.js';
import { onWebGPU } from './backends.js';
import { main } from '../engine/cli/index.js';
import { ConfigError } from '../engine/config.js';
import { chi2CtauCm, chi2Width, darkHiggsCtau0Cm, HBARC_GeV_CM, sigmaIdmFb } from '../engine/generate/idm.js';
import { scalarBranchingFractions } from '../engine/generate/branching.js';
import { idmRun, parseIdmConfig, type IdmConfig } from '../engine/analyses/idm.js';
import { runSearch } from '../engine/analyses/search.js';
import type { Backend } from '../host/backend.js';
import { tempDir } from './tmp.js';

/** A config run by the one pipeline (search.ts runSearch with IDM_DARKHIGGS). */
const runConfig = (backend: Backend, c: IdmConfig, o: { fixedBgT?: number } = {}) => {
  const { def, options } = idmRun(c, o);
  return runSearch(backend, def, options);
};

const cpu = new CpuBackend();
let wasm: WasmBackend;
beforeAll(async () => {
  wasm = await WasmBackend.create({ workers: 2, minItemsPerWorker: 1 });
});
afterAll(async () => {
  await wasm?.dispose();
});

const SET = { m_A_GeV: 3, m_chi1_GeV: 1, dm_GeV: 0.2, alpha_D: 0.1, epsilon: 1e-3 };
type Cell = { final_state: string; n_obs: number; b: number; sigma_b: number; efficiency: number[]; efficiency_err: number[] };
type Point = { m_h_GeV: number; in_model: boolean; channels: Cell[]; excluded_sin_theta: number[] | null; ratio_to_model: (number | null)[] };
const sets = (r: Record<string, unknown>) => r.parameter_sets as { points: Point[] }[];

describe('model', () => {
  it('chi2 width scales as eps^2 alpha_D dm^5 / m_A^4; h\' lifetime from the Higgs-mixed scalar', () => {
    const p = { mA: 3, mChi1: 1, dm: 0.2, alphaD: 0.1, eps: 1e-3 };
    expect(chi2Width({ ...p, dm: 0.1 }) / chi2Width(p)).toBeCloseTo(1 / 32, 12);
    expect(chi2Width({ ...p, mA: 6 }) / chi2Width(p)).toBeCloseTo(1 / 16, 12);
    expect(chi2Width({ ...p, eps: 2e-3, alphaD: 0.05 }) / chi2Width(p)).toBeCloseTo(2, 12);
    expect(chi2CtauCm(p)).toBeCloseTo(80.6, 0); // 4 eps^2 alpha alpha_D dm^5 / (15 pi mA^4) = 2.45e-16 GeV
    // Gamma(h' -> mu mu) at sin theta = 1: G_F m_mu^2 m beta^3 / (4 sqrt2 pi) = B(mu mu) x Gamma_tot
    const m = 1.2, b = 1 - 4 * 0.1056583755 ** 2 / (m * m);
    const gmm = (1.1663788e-5 * 0.1056583755 ** 2 * m * b ** 1.5) / (4 * Math.SQRT2 * Math.PI);
    expect(HBARC_GeV_CM / darkHiggsCtau0Cm(m) * scalarBranchingFractions(m).mumu).toBeCloseTo(gmm, 15);
    expect(gmm / (HBARC_GeV_CM / darkHiggsCtau0Cm(m))).toBeGreaterThan(0.01);
    // sigma independent of theta, proportional to eps^2 alpha_D
    expect(sigmaIdmFb({ ...p, eps: 2e-3 }, 1) / sigmaIdmFb(p, 1)).toBeCloseTo(4, 10);
  });
});

describe('efficiency sweep', () => {
  // h' with fixed transverse beta gamma bgT: P(L1 <= lxy < L2) = exp(-L1/(bgT c tau)) - exp(-L2/(bgT c tau)),
  // times the +-2 sigma mass window's Gaussian content 0.9545; a short-lived chi2 (large eps): its acceptance is 1.
  const bgT = 0.5, L1 = 0.2, L2 = 3;
  const cfg: IdmConfig = {
    analysis: 'idm-darkhiggs', seed: 3, parameter_sets: [{ ...SET, epsilon: 0.1, alpha_D: 0.5 }], m_h_GeV: { min: 0.8, max: 1.2, n: 2 },
    sin_theta: { min: 1e-5, max: 1e-3, n: 9 }, final_states: ['mumu'], lxy_cm: [L1, L2], simulation: { decays_per_point: 6000 }, background: { events_per_final_state: 50 },
  };
  it('agrees with the closed form within 4 sigma at every (m_h\', sin theta)', async () => {
    const r = await runConfig(cpu, cfg, { fixedBgT: bgT });
    const st = r.sin_theta as number[];
    let tested = 0;
    for (const p of sets(r)[0].points) {
      const c = p.channels[0];
      st.forEach((s, j) => {
        const ctau = darkHiggsCtau0Cm(p.m_h_GeV) / (s * s);
        const P = 0.9545 * (Math.exp(-L1 / (bgT * ctau)) - Math.exp(-L2 / (bgT * ctau)));
        expect(Math.abs(c.efficiency[j] - P), `m ${p.m_h_GeV} sin ${s}: ${c.efficiency[j]} +- ${c.efficiency_err[j]} vs ${P}`).toBeLessThan(4 * c.efficiency_err[j] + 0.01 * P + 1e-9);
        if (P > 0.05) tested++;
      });
    }
    expect(tested).toBeGreaterThan(6);
  });
  it('the same bits on the TypeScript reference and WASM (2 workers)', async () => {
    const q = { ...cfg, final_states: ['mumu', 'pipi', 'KK'] as const, m_h_GeV: { min: 0.5, max: 1.8, n: 4 }, simulation: { decays_per_point: 400 } };
    const a = await runConfig(cpu, q), b = await runConfig(wasm, q);
    expect(JSON.stringify(b.parameter_sets)).toBe(JSON.stringify(a.parameter_sets));
    expect(sets(a)[0].points.some((p) => p.channels.some((c) => c.efficiency.some((e) => e > 0.05)))).toBe(true);
  });
  it('the same bits on WebGPU (the llp_sweep kernel and the Philox draws on the GPU)', async () => {
    await onWebGPU(async (gpu) => {
      const q = { ...cfg, final_states: ['mumu', 'pipi'] as const, m_h_GeV: { min: 0.5, max: 1.5, n: 3 }, simulation: { decays_per_point: 300 } };
      const a = await runConfig(cpu, q), b = await runConfig(gpu, q);
      expect(b.backend).toMatchObject({ name: 'webgpu' });
      expect(JSON.stringify(b.parameter_sets)).toBe(JSON.stringify(a.parameter_sets));
    });
  }, 60_000);
});

describe('injection and background only', () => {
  const base: IdmConfig = {
    analysis: 'idm-darkhiggs', seed: 2, lumi_fb: 365, parameter_sets: [SET], m_h_GeV: { min: 0.85, max: 1.45, n: 3 },
    sin_theta: { min: 1e-6, max: 1e-2, n: 9 }, simulation: { decays_per_point: 400 }, background: { events_per_final_state: 300 },
  };
  it('background only: no window above its sideband estimate; an injected h\' at 1.15 GeV stands out and lifts the exclusion there', async () => {
    const r0 = await runConfig(wasm, base);
    const z = (c: Cell) => (c.n_obs - c.b) / Math.sqrt(c.b + c.sigma_b ** 2 + 1);
    for (const p of sets(r0)[0].points) for (const c of p.channels) expect(z(c), `${p.m_h_GeV} ${c.final_state}`).toBeLessThan(4);
    const r1 = await runConfig(wasm, { ...base, inject: { set: 0, m_h_GeV: 1.15, sin_theta: 2e-4, events: 3000 } });
    const p0 = sets(r0)[0].points[1], p1 = sets(r1)[0].points[1];
    expect(p1.m_h_GeV).toBeCloseTo(1.15, 6);
    const kept = (r1.injected as { kept_with_chi2_inside: Record<string, number> }).kept_with_chi2_inside;
    const best = p1.channels.reduce((a, c) => (kept[c.final_state] > kept[a.final_state] ? c : a));
    expect(best.n_obs - best.b).toBeGreaterThan(20);
    expect(z(best)).toBeGreaterThan(5);
    // the injected point is no longer excluded where it was; the other masses are untouched
    const nEx = (p: Point) => p.ratio_to_model.filter((x) => x !== null && x < 1).length;
    expect(nEx(p1)).toBeLessThan(nEx(p0));
    expect(sets(r1)[0].points[0]).toEqual(sets(r0)[0].points[0]);
  });
});

describe('config errors name the JSON path', () => {
  const errs = (o: unknown) => {
    try {
      parseIdmConfig(JSON.stringify(o), 'idm.json');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as ConfigError).errors.join('\n');
    }
    return '';
  };
  it('types, ranges, the model\'s mass ordering and the injection', () => {
    expect(errs({ analysis: 'idm-darkhiggs', parameter_sets: [{ ...SET, epsilon: 'abc' }] })).toMatch(/config\.parameter_sets\[0\]\.epsilon: expected a number/);
    expect(errs({ analysis: 'idm-darkhiggs', parameter_sets: [SET, { ...SET, dm_GeV: 0.3 }] })).toMatch(/config\.parameter_sets\[1\]\.dm_GeV \(0\.3\) must lie in \(2 m_e, 2 m_mu\)/);
    expect(errs({ analysis: 'idm-darkhiggs', parameter_sets: [{ ...SET, m_A_GeV: 2 }] })).toMatch(/config\.parameter_sets\[0\]\.m_A_GeV \(2\) must exceed m\(chi1\) \+ m\(chi2\)/);
    expect(errs({ analysis: 'idm-darkhiggs', parameter_sets: [SET], inject: { set: 3, m_h_GeV: 1, sin_theta: 1e-4, events: 10 } })).toMatch(/config\.inject\.set: no parameter set 3/);
    expect(errs({ analysis: 'idm-darkhiggs', parameter_sets: [SET], m_h_GeV: { min: 0.1, max: 1, n: 3 } })).toMatch(/config\.m_h_GeV\.min: must be above the lowest final-state threshold/);
    expect(errs({ analysis: 'idm-darkhiggs', parameter_sets: [SET], final_states: ['ee'] })).toMatch(/config\.final_states\[0\]: expected one of mumu, pipi, KK/);
    expect(errs({ analysis: 'idm-darkhiggs', parameter_sets: [SET], sin_theta: { min: 1e-3, max: 1e-4, n: 3 } })).toMatch(/config\.sin_theta/);
    expect(errs({ analysis: 'idm-darkhiggs', parameter_sets: [SET], lxy: [1, 2] })).toMatch(/config\.lxy: unknown field/);
  });
});

describe('darkscan run --config engine/analyses/configs/idm-darkhiggs.json', () => {
  it('--quick writes results.json, hepdata.yaml and one exclusion SVG per parameter set', async () => {
    const dir = tempDir('idm');
    const cfgPath = join(import.meta.dirname, '../engine/analyses/configs/idm-darkhiggs.json');
    const lines: string[] = [];
    expect(await main(['run', '--config', cfgPath, '--quick', '--out', dir, '--backend', 'wasm', '--workers', '2', '--json'], (s) => lines.push(s))).toBe(0);
    const summary = JSON.parse(lines[0]);
    const cfg = JSON.parse(readFileSync(cfgPath, 'utf8'));
    const r = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(r.analysis).toBe('idm-darkhiggs');
    expect(r.seed).toBe(cfg.seed);
    expect(r.lumi_fb).toBe(365);
    expect(r.paper).toMatch(/2505\.09705/);
    expect(r.notes.join(' ')).toMatch(/ILLUSTRATIVE/);
    expect(r.parameter_sets).toHaveLength(cfg.parameter_sets.length);
    // the pipeline's fields: provenance, per window the method of the one table and why
    expect(r).toMatchObject({ kind: 'darkscan-llp-search', method: 'cls-n', cl: 0.95, report: 'plane', darkscan_version: expect.stringMatching(/\d/), stream_version: expect.any(Number) });
    for (const c of (r.parameter_sets[0].points as { in_model: boolean; channels?: { limit_method: string; limit_method_reason: string }[] }[]).flatMap((p) => p.channels ?? [])) expect(c).toMatchObject({ limit_method: 'cls-n', limit_method_reason: expect.stringMatching(/^requested/) });
    expect(summary.files.filter((f: string) => f.endsWith('.svg'))).toHaveLength(cfg.parameter_sets.length);
    expect(readFileSync(join(dir, 'exclusion_set0.svg'), 'utf8')).toMatch(/^<svg[\s\S]*sin θ/);
    expect(readFileSync(join(dir, 'hepdata.yaml'), 'utf8')).toMatch(/data_file: "hepdata_set0_ratio.yaml"/);
    expect(existsSync(join(dir, 'hepdata_set3_limit.yaml'))).toBe(true);
    // some of the plane is excluded, not all of it
    const all = (r.parameter_sets as { points: Point[] }[]).flatMap((s) => s.points.filter((p) => p.in_model).flatMap((p) => p.ratio_to_model));
    expect(all.some((x) => x !== null && x < 1)).toBe(true);
    expect(all.some((x) => x !== null && x > 1)).toBe(true);
    // a bad config file: the error names the file and the path
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...cfg, parameter_sets: [{ ...cfg.parameter_sets[0], alpha_D: -1 }] }));
    await expect(main(['run', '--config', bad, '--out', join(dir, 'o2')], () => {})).rejects.toThrow(/bad\.json[\s\S]*config\.parameter_sets\[0\]\.alpha_D: expected a number in \[0/);
    // an unknown analysis: the error lists the LLP-type searches too
    writeFileSync(bad, JSON.stringify({ ...cfg, analysis: 'idm' }));
    await expect(main(['run', '--config', bad, '--out', join(dir, 'o3')], () => {})).rejects.toThrow(/config\.analysis: expected one of dark-higgsstrahlung, .*, idm-darkhiggs, got "idm"/);
  }, 60_000);
});
