// B -> K S as a fit search (issue 15, item 3; Belle II PRD 108 (2023) L111104 fits M_red per
// channel): engine/llp/fit.ts builds one binned M_red model per (m_S, channel) with the pipeline's
// fit model (engine/analyses/fit.ts). `run --config ... --export-pyhf` reproduces the committed
// export of test/golden/pyhf/b-kplus-llp-fit (whose pyhf numbers test/fitsearch.test.ts compares), each
// cell reports the fit of its patch, an injected S -> mu mu is found where it was injected, the
// background-only default config shows no excess, and 'window' keeps the counting limits.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../engine/cli/index.js';
import { readWorkspace } from '../engine/likelihood/workspace.js';
import { patchedWorkspace, readPatchset } from '../engine/likelihood/patchset.js';
import { compileModel } from '../engine/likelihood/model.js';
import { CpuBackend } from '../host/cpu.js';
import { FitSession, upperLimits } from '../engine/likelihood/infer.js';
import { FIT_MIN_B } from '../engine/analyses/fit.js';
import { WasmBackend } from '../host/index.js';
import { demoData, LLP_BKG_SIM_STREAM } from '../engine/llp/analysis.js';
import { runSearch } from '../engine/analyses/search.js';
import { B_KPLUS_LLP } from '../engine/analyses/searches-llp.js';
import { generateLlpSample, llpMixture } from '../engine/llp/sample.js';
import { signalUpperLimit } from '../engine/llp/limits.js';
import { tempDir } from './tmp.js';

const GOLDEN = join(import.meta.dirname, 'golden/pyhf/b-kplus-llp-fit');
const CONFIGS = join(import.meta.dirname, '../engine/analyses/configs');
const golden = JSON.parse(readFileSync(join(GOLDEN, 'golden.json'), 'utf8')) as { cl: number; patches: Record<string, { upper_limit: { obs: number; exp: number[] }; discovery: { z: number }; fit: { mu_hat: number } }> };

type Cell = { m_S_GeV: number; combined_limit: (number | null)[]; channels: { channel: string; br_model: number; s_up: number; limit: (number | null)[]; efficiency: number[]; limit_method: string; limit_method_reason: string; fit: { patch: string; mu_up: number; mu_hat: number; z_local: number; s_up: number; s_up_expected: number[]; signal_events_per_mu: number; background_in_range: number; used: boolean } }[] };

async function run(cfg: Record<string, unknown>, extra: string[] = []) {
  const dir = tempDir('llpfit');
  const path = join(dir, 'c.json');
  writeFileSync(path, JSON.stringify(cfg));
  const lines: string[] = [];
  expect(await main(['run', '--config', path, '--out', join(dir, 'out'), '--backend', 'wasm', '--json', ...extra.map((a) => a.replace('DIR', dir))], (s) => lines.push(s))).toBe(0);
  return { dir, r: JSON.parse(readFileSync(join(dir, 'out/results.json'), 'utf8')) as Record<string, unknown> & { cells: Cell[] } };
}

describe('B -> K S fit model (run --config b-kplus-llp, model fit)', () => {
  it('run --export-pyhf reproduces the committed export; each cell is the fit of its patch; the injected S -> mu mu is found', async () => {
    const cfg = JSON.parse(readFileSync(join(GOLDEN, 'config.json'), 'utf8'));
    const { dir, r } = await run(cfg, ['--export-pyhf', 'DIR/pyhf']);
    const ws = JSON.parse(readFileSync(join(dir, 'pyhf/bkgonly.json'), 'utf8'));
    const ps = JSON.parse(readFileSync(join(dir, 'pyhf/patchset.json'), 'utf8'));
    const cws = JSON.parse(readFileSync(join(GOLDEN, 'bkgonly.json'), 'utf8'));
    const cps = JSON.parse(readFileSync(join(GOLDEN, 'patchset.json'), 'utf8'));
    expect(ws).toEqual(cws);
    expect(ps.patches).toEqual(cps.patches);
    const { darkscan_version: _v, config_sha256: _h, ...md } = ps.metadata, { darkscan_version: _c, config_sha256: _ch, ...cmd } = cps.metadata;
    expect(md).toEqual(cmd);
    expect(ps.metadata.labels).toEqual(['m_S_GeV', 'channel']);
    expect(r).toMatchObject({ model: 'fit', mass_window_nsigma: 5, cl: 0.95, fit: { hypotheses: 6, fits_not_converged: 0, combination_fits_not_converged: 0, combination_counting: 0 } });
    // One patch per (m_S, channel); the cell's numbers are its patch's (re-fitted from the export, digest checked).
    const w = readWorkspace(JSON.stringify(ws)), p = readPatchset(JSON.stringify(ps));
    for (const c of r.cells) for (const ch of c.channels) {
      expect(ch.fit.patch).toBe(`mass_${c.m_S_GeV.toFixed(5).replace('.', 'p')}_GeV_${ch.channel}`);
      expect(ch.fit.used).toBe(true);
      expect(ch.limit_method).toBe('cls-asymptotic');
      expect(ch.limit_method_reason).toBe(`binned M_red fit (${ch.fit.patch}; asymptotic CLs, q~_mu)`);
      expect(Math.abs(ch.s_up / (ch.fit.mu_up * ch.fit.signal_events_per_mu) - 1)).toBeLessThan(1e-5); // results round to 6 digits
      const meta = p.patches.find((q) => q.metadata.name === ch.fit.patch)!.metadata;
      expect(meta.values).toEqual([c.m_S_GeV, ch.channel]);
      // B(B -> K S) x B(S -> xx) at lifetime j = mu_up x signal_events_per_mu / (n_B x efficiency[j]).
      (meta.efficiency as number[]).forEach((e, j) => {
        const want = (ch.fit.mu_up * ch.fit.signal_events_per_mu) / ((meta.n_B as number) * e);
        if (e > 0) expect(Math.abs(ch.limit[j]! / want - 1)).toBeLessThan(1e-5); // results round to 6 digits
      });
      const g = golden.patches[ch.fit.patch];
      if (g) {
        expect(Math.abs(ch.fit.mu_up - g.upper_limit.obs)).toBeLessThan(1e-3 * g.upper_limit.obs);
        expect(Math.abs(ch.fit.z_local - g.discovery.z)).toBeLessThan(2e-3 + 1e-3 * g.discovery.z);
      }
    }
    const best = r.cells[1].channels[0];
    const s = new FitSession(new CpuBackend(), [compileModel(patchedWorkspace(p, w, best.fit.patch))]);
    const [ul] = await upperLimits(s, [{ model: 0, data: compileModel(patchedWorkspace(p, w, best.fit.patch)).observed }], { cl: 0.95 });
    expect(ul.obs).toBe(best.fit.mu_up); // the same bits on the TS reference as on WASM
    // The injected signal (150 decays at 2.5 GeV, S -> mu mu) is the largest local significance, above 5.
    expect((r.fit as { max_z_at: unknown }).max_z_at).toEqual({ m_S_GeV: 2.5, channel: 'mumu' });
    expect((r.fit as { max_z_local: number }).max_z_local).toBeGreaterThan(5);
    expect(best.fit.mu_hat * best.fit.signal_events_per_mu).toBeGreaterThan(80);
    expect(best.fit.s_up).toBeGreaterThan(best.fit.s_up_expected[4]);
    for (const c of r.cells) for (const ch of c.channels) if (ch !== best) expect(ch.fit.z_local).toBeLessThan(3);
    // The combination under br_model: at 2-3 GeV the Higgs-mixed scalar has B(S -> KK) = 0, so the
    // simultaneous fit is the mu mu fit with its signal scaled by B(S -> mu mu).
    for (const c of r.cells) {
      const [mm, kk] = c.channels;
      expect(kk.br_model).toBe(0);
      expect(mm.br_model).toBeGreaterThan(0);
      c.combined_limit.forEach((v, j) => {
        if (mm.efficiency[j] > 0) expect(Math.abs(v! / (mm.limit[j]! / mm.br_model) - 1)).toBeLessThan(2e-5);
      });
    }
  }, 60_000);

  it('background only (the committed config): no excess over 13 masses x 4 channels, observed limits inside the expected band', async () => {
    const cfg = JSON.parse(readFileSync(join(CONFIGS, 'b-kplus-llp.json'), 'utf8'));
    const { r } = await run({ ...cfg, lifetimes_cm: { min: 1e-3, max: 1e3, n: 5 } });
    expect(r.model).toBe('fit');
    const cells = r.cells.flatMap((c) => c.channels);
    expect(cells.length).toBe(52);
    const z = cells.map((c) => c.fit.z_local);
    expect(Math.max(...z)).toBeLessThan(3);
    expect(z.filter((v) => v > 2).length).toBeLessThanOrEqual(0.1 * z.length);
    let outside = 0;
    for (const c of cells) {
      expect(c.fit.background_in_range).toBeGreaterThan(FIT_MIN_B);
      if (c.fit.s_up < c.fit.s_up_expected[0] || c.fit.s_up > c.fit.s_up_expected[4]) outside++;
    }
    expect(outside).toBeLessThanOrEqual(0.1 * cells.length);
    // The channels combined by one simultaneous fit per (m_S, c tau): never far above the best single
    // channel's limit on B(B -> K S) (limit / B(S -> xx)), below it where several channels carry signal (1 GeV: mu mu, pi pi, KK).
    expect(r.fit).toMatchObject({ combination_fits_not_converged: 0, combination_counting: 0 });
    for (const c of r.cells) c.combined_limit.forEach((v, j) => {
      const single = Math.min(...c.channels.filter((ch) => ch.br_model > 0 && ch.limit[j] !== null).map((ch) => ch.limit[j]! / ch.br_model));
      if (Number.isFinite(single)) expect(v! / single).toBeLessThan(1.5);
      if (c.m_S_GeV === 1 && j === 2) expect(v! / single).toBeLessThan(1);
    });
  }, 60_000);

  it('darkscan llp --demo --model fit: the same cells as run (one code path); two shards merge to the unsharded cells', async () => {
    const small = { analysis: 'b-kplus-llp', seed: 5, masses_GeV: [1.5, 2.5, 3.5], channels: ['mumu', 'pipi'], lifetimes_cm: { min: 0.1, max: 10, n: 3 }, simulation: { events_per_cell: 300 } };
    const { dir, r } = await run(small);
    const args = ['llp', '--demo', '--model', 'fit', '--seed', '5', '--masses', '1.5,2.5,3.5', '--channels', 'mumu,pipi', '--lifetimes', '0.1:10:3', '--per-cell', '300', '--backend', 'wasm'];
    await main([...args, '--out', join(dir, 'l.json')], () => {});
    const l = JSON.parse(readFileSync(join(dir, 'l.json'), 'utf8'));
    expect(l.model).toBe('fit');
    expect(l.cells).toEqual(r.cells);
    for (const i of [0, 1]) await main([...args, '--shard', `${i}/2`, '--out', join(dir, `s${i}.json`)], () => {});
    await main(['merge', join(dir, 's0.json'), join(dir, 's1.json'), '--out', join(dir, 'm.json')], () => {});
    const m = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8'));
    expect(m.cells).toEqual(l.cells);
    // per-shard objects merge key by key: the method counts add up to the unsharded run's, timings are summed seconds
    expect(m.limit_method_counts).toEqual(l.limit_method_counts);
    expect(Object.keys(m.timing_s).length).toBeGreaterThan(0);
    for (const v of Object.values(m.timing_s)) expect(v).toBeGreaterThanOrEqual(0);
    await expect(main(['llp', '--signal', 'x.csv', '--data', 'y.csv', '--model', 'fit'], () => {})).rejects.toThrow(/--model fit needs --background FILE/);
  }, 60_000);

  it('a cell with less than FIT_MIN_B background in its fit range keeps the counting limit (asymptotic fit invalid), and says so', async () => {
    const backend = await WasmBackend.create({ workers: 1 });
    try {
      const o = { masses: [2, 3], channels: ['mumu'] as const, ctaus: [1, 10], lxyWindow: [0.05, 60] as [number, number], nBBbar: 198e6, model: 'fit' as const };
      const signal = await generateLlpSample({ masses: o.masses, channels: o.channels, perCell: 200, ctauGenCm: llpMixture(o.ctaus), seed: 2, backend });
      // 200 data events per channel over 0-4.8 GeV: ~3 in a +-5 sigma range.
      const data = await demoData(backend, 2, 200, o.channels), background = await demoData(backend, 2, 1000, o.channels, undefined, 'K+', LLP_BKG_SIM_STREAM, 0.2);
      const json = await runSearch(backend, B_KPLUS_LLP, { seed: 2, cl: 0.95, method: 'cls-n', settings: { ...o, files: { signal, data, background, meta: {} } } });
      const cells = (json.cells as { channels: { n_obs: number; b: number; s_up: number; limit_method: string; limit_method_reason: string; fit: { used: boolean; background_in_range: number } }[] }[]).map((c) => c.channels[0]);
      for (const c of cells) {
        expect(c.fit.background_in_range).toBeLessThan(FIT_MIN_B);
        expect(c.fit.used).toBe(false);
        expect(c.limit_method).toBe('cls-n');
        expect(c.limit_method_reason).toMatch(/^counting in the fit range \(b = .* < 10: asymptotic fit invalid\); requested/);
        expect(c.s_up).toBe(+signalUpperLimit({ n: c.n_obs, b: c.b }, 'cls-n', 0.95).toPrecision(6));
      }
      expect((json.fit as { combination_counting: number }).combination_counting).toBe(4);
    } finally {
      await backend.dispose();
    }
  }, 60_000);

  it("model 'window' counts in +-nsigma windows; --export-pyhf needs the fit model", async () => {
    const small = { analysis: 'b-kplus-llp', seed: 3, masses_GeV: [2, 2.5], channels: ['mumu', 'pipi'], lifetimes_cm: { min: 1, max: 10, n: 2 }, simulation: { events_per_cell: 200 } };
    const { r } = await run({ ...small, model: 'window' });
    expect(r).toMatchObject({ model: 'window', mass_window_nsigma: 2 });
    expect(r.fit).toBeUndefined();
    expect(r.cells[0].channels[0].fit).toBeUndefined();
    const dir = tempDir('llpfit');
    writeFileSync(join(dir, 'w.json'), JSON.stringify({ ...small, model: 'window' }));
    await expect(main(['run', '--config', join(dir, 'w.json'), '--out', join(dir, 'o'), '--export-pyhf', join(dir, 'p')], () => {})).rejects.toThrow(/--export-pyhf: b-kplus-llp counts events in windows/);
  }, 60_000);
});
