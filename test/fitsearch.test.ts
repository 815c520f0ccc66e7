// The fit model of the search pipeline (issue 15, item 3; engine/analyses/fit.ts): the exported
// pyhf workspace + patchset that pyhf reads give pyhf's numbers in darkscan
// (test/golden/pyhf/zprime-mumu-fit: golden.json from make_golden.py), what the pipeline reports per
// window is the fit of the patch it exports, an injected Z' is found by the fits, and
// background-only pseudo-data show no excess.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WasmBackend } from '../host/index.js';
import { CpuBackend } from '../host/cpu.js';
import type { Backend } from '../host/backend.js';
import { main } from '../engine/cli/index.js';
import { runSearch } from '../engine/analyses/search.js';
import { SEARCHES, ZPRIME_MUMU } from '../engine/analyses/searches.js';
import { QUICK } from '../engine/analyses/run.js';
import type { FitModels } from '../engine/analyses/fit.js';
import { readWorkspace } from '../engine/likelihood/workspace.js';
import { patchedWorkspace, readPatchset } from '../engine/likelihood/patchset.js';
import { compileModel } from '../engine/likelihood/model.js';
import { bestFits, FitSession, hypotests, upperLimits } from '../engine/likelihood/infer.js';
import { tempDir } from './tmp.js';

const GOLDEN = join(import.meta.dirname, 'golden/pyhf/zprime-mumu-fit');
type Golden = {
  cl: number;
  patches: Record<string, { upper_limit: { obs: number; exp: number[] }; discovery: { p0: number; z: number }; fit: { mu_hat: number; twice_nll: number } }>;
};

function near(what: string, got: number, want: number, rtol: number, atol = 0) {
  if (!(Math.abs(got - want) <= atol + rtol * Math.abs(want))) expect.fail(`${what}: darkscan ${got}, pyhf ${want}`);
}

// Each fit search's export (make_golden.py beside it, ../fit_golden.py): Z' -> mu mu (one patch per
// mass), B+ -> K+ S (one patch per (m_S, channel), engine/llp/fit.ts; test/llpfit.test.ts checks the run reproduces it).
for (const [dir, labels] of [['zprime-mumu-fit', ['mass_GeV']], ['b-kplus-llp-fit', ['m_S_GeV', 'channel']]] as const) {
  const at = join(import.meta.dirname, 'golden/pyhf', dir);
  const golden = JSON.parse(readFileSync(join(at, 'golden.json'), 'utf8')) as Golden;
  describe(`fit model: the exported patchset (${dir}) against pyhf 0.7.6`, () => {
    const text = (f: string) => readFileSync(join(at, f), 'utf8');
    const ws = readWorkspace(text('bkgonly.json'), 'bkgonly.json');
    const ps = readPatchset(text('patchset.json'), 'patchset.json');

    it('is a background-only workspace (one channel per hypothesis) and one patch per hypothesis, digest-checked', () => {
      expect(ws.channels.length).toBe(ps.patches.length);
      expect(ps.metadata.labels).toEqual(labels);
      for (const p of ps.patches) {
        const m = compileModel(patchedWorkspace(ps, ws, p.metadata.name, 'patchset.json'));
        expect(m.channels.length).toBe(1);
        expect(m.poiName).toBe('mu');
        expect(m.params.map((q) => q.name).sort()).toEqual([`bkg_curvature_${m.channels[0].name}`, `bkg_norm_${m.channels[0].name}`, `bkg_tilt_${m.channels[0].name}`, 'mu'].sort());
      }
      expect(() => patchedWorkspace(ps, { ...ws, observations: ws.observations.slice(1) }, ps.patches[0].metadata.name)).toThrow(/digest verification failed/);
    });

    it(`gives pyhf's upper limits (${golden.cl * 100}% CL, q~), discovery p-values and best fits on the golden patches`, async () => {
      const names = Object.keys(golden.patches);
      const models = names.map((n) => compileModel(patchedWorkspace(ps, ws, n, 'patchset.json')));
      const s = new FitSession(new CpuBackend(), models);
      const targets = models.map((m, i) => ({ model: i, data: m.observed }));
      const ul = await upperLimits(s, targets, { cl: golden.cl, stat: 'qtilde' });
      const disc = await hypotests(s, targets, targets.map(() => [0]), 'q0');
      const fits = await bestFits(s, targets);
      names.forEach((n, i) => {
        const g = golden.patches[n];
        near(`${n} obs`, ul[i].obs, g.upper_limit.obs, 1e-3);
        ul[i].exp.forEach((e, k) => near(`${n} exp[${k}]`, e, g.upper_limit.exp[k], 1e-3));
        near(`${n} p0`, disc[i][0].cls, g.discovery.p0, 1e-3, 1e-6);
        near(`${n} z`, Math.sqrt(disc[i][0].q), g.discovery.z, 1e-3, 2e-3); // at mu-hat = 0 pyhf's q0 is its optimiser's noise (z ~ 4e-4)
        near(`${n} mu_hat`, fits[i].bestfit.mu as number, g.fit.mu_hat, 1e-3, 1e-4);
        near(`${n} twice_nll`, fits[i].twice_nll, g.fit.twice_nll, 1e-6);
      });
      expect(s.unconverged).toBe(0);
    });
  });
}

describe('fit model in the pipeline', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await WasmBackend.create({ workers: 2 });
  });
  afterAll(async () => {
    await backend.dispose();
  });
  const o = { seed: 7, lumiFb: 178, maxEventsPerBackground: QUICK.maxEventsPerBackground, signalEventsPerPoint: QUICK.signalEventsPerPoint, pseudoExperiments: 0, grid: { min: 2.5, max: 3.5 } };

  it("reports per window the fit of the patch it exports; an injected Z' is found by the fits", async () => {
    let models: FitModels | undefined;
    // The Z' at the hypothesis nearest 3 GeV (a mass between two hypotheses, 1 sigma from each, is seen with less significance).
    const cx = [...ZPRIME_MUMU.grid(o.grid).cx];
    const mass = cx.reduce((a, v) => (Math.abs(v - 3) < Math.abs(a - 3) ? v : a));
    const r = await runSearch(backend, ZPRIME_MUMU, { ...o, inject: { masses: [mass], events: 1000 }, onFitModels: (m) => (models = m) });
    expect(ZPRIME_MUMU.model).toBe('fit');
    expect(models!.patchset.patches.length).toBe(r.windows.length);
    const fitted = r.windows.filter((w) => w.fit?.used);
    expect(fitted.length).toBe(r.windows.length);
    for (const w of fitted) expect(w.limit_method_reason).toMatch(/binned likelihood fit/);
    // The window with the largest local significance of the fits sits at the injected mass.
    const g = r.global as { fit_max_z_local: number; fit_mass_GeV: number; fit_window: number };
    const best = r.windows[g.fit_window];
    expect(g.fit_mass_GeV).toBe(mass);
    expect(g.fit_max_z_local).toBeGreaterThan(3);
    expect(best.fit!.mu_hat).toBeGreaterThan(0);
    expect(best.s_up).toBeGreaterThan(best.s_up_expected[3]); // observed above the +1 sigma expected
    // That window, re-fitted from the exported JSON (text round trip, digest checked), gives the same numbers.
    const ws = readWorkspace(JSON.stringify(models!.workspace));
    const ps = readPatchset(JSON.stringify(models!.patchset));
    const m = compileModel(patchedWorkspace(ps, ws, best.fit!.patch));
    const s = new FitSession(backend, [m]);
    const [ul] = await upperLimits(s, [{ model: 0, data: m.observed }], { cl: r.cl });
    expect(ul.obs).toBe(best.fit!.mu_up);
    expect(best.s_up).toBe(ul.obs * best.fit!.signal_events_per_mu);
    expect(best.sigma_up_fb).toBeCloseTo(ul.obs * (ps.patches[g.fit_window].metadata.sigma_fb_per_mu as number), 10);
  }, 180_000);

  it('background-only pseudo-data: no excess in the fits', async () => {
    const r = await runSearch(backend, ZPRIME_MUMU, o);
    const z = r.windows.map((w) => w.z_local);
    expect(Math.max(...z)).toBeLessThan(3);
    expect(z.filter((v) => v > 2).length).toBeLessThanOrEqual(0.1 * z.length);
    // Observed limits inside the expected +-2 sigma band in most windows (2.3% expected outside on each side).
    let outside = 0;
    for (const w of r.windows) {
      expect(w.fit!.used).toBe(true);
      if (w.s_up < w.s_up_expected[0] || w.s_up > w.s_up_expected[4]) outside++;
    }
    expect(outside).toBeLessThanOrEqual(0.1 * r.windows.length);
    expect(r.samples.data).toMatchObject({ backgrounds: [{ process: 'mumumumu', independent: true }] });
  }, 180_000);

  it('run --export-pyhf writes the patchset (fit searches only)', async () => {
    const dir = tempDir('fit');
    const lines: string[] = [];
    const cfg = join(GOLDEN, 'config.json');
    expect(await main(['run', '--config', cfg, '--out', join(dir, 'out'), '--export-pyhf', join(dir, 'pyhf'), '--backend', 'wasm', '--json'], (s) => lines.push(s))).toBe(0);
    const ws = readWorkspace(readFileSync(join(dir, 'pyhf/bkgonly.json'), 'utf8'));
    const ps = readPatchset(readFileSync(join(dir, 'pyhf/patchset.json'), 'utf8'));
    expect(ps.patches.length).toBe(ws.channels.length);
    expect(ps.metadata.seed).toBe(1);
    compileModel(patchedWorkspace(ps, ws, ps.patches[0].metadata.name));
    const errs: string[] = [];
    const window = Object.values(SEARCHES).find((d) => d.model === 'window')!;
    const wcfg = join(dir, 'w.json');
    (await import('node:fs')).writeFileSync(wcfg, JSON.stringify({ analysis: window.name, quick: true }));
    await expect(main(['run', '--config', wcfg, '--export-pyhf', join(dir, 'p2')], (s) => errs.push(s))).rejects.toThrow(/--export-pyhf: .* counts events in windows/);
  }, 180_000);
});
