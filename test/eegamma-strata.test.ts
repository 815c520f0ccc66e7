// Radiative Bhabha e+e- -> e+e- (gamma) (process eegamma) and gamma gamma with gen_dimuon's ISR skim
// on the gen_photons kernel (issue 15, item 1: pseudo-data independent of the background estimate):
// the generator cut xMin and the angular stratum of the ISR photons (physics.ts ISR_SKIM_DEFAULTS,
// genkin.ts isrSkimKernelParams). Here: the strata's cross sections add up to the whole, the whole
// sample's distributions are the sigma-weighted mixture of the strata's, the kernel's params, the
// parameter checks.
import { describe, expect, it } from 'vitest';
import { BELLE2_DETECTOR, generate, generateOn, getProcess, resolveParams, type EventSample } from '../engine/generate/index.js';
import { WasmBackend } from '../host/index.js';
import { runSearch } from '../engine/analyses/search.js';
import { ALP_GAMMAGAMMA, INVISIBLE_DARK_PHOTON } from '../engine/analyses/searches.js';
import { photonsKernelParams } from '../engine/generate/gen-photons.js';
import { dimuonKernelParams } from '../engine/generate/gen-dimuon.js';
import { ISR_A, ISR_BETA, isrAngularFraction, isrFractionAbove } from '../engine/generate/physics.js';

const eegamma = getProcess('eegamma'), gammagamma = getProcess('gammagamma');
const sigma = (proc = eegamma, p: Record<string, number> = {}) => proc.sigmaFb(resolveParams(proc, p));
const BARREL = { isrCosMin: 0, isrCosMax: 0.83 };

/** P(column <= t) of a sample. */
const cdf = (x: ArrayLike<number>, t: number) => {
  let k = 0;
  for (let i = 0; i < x.length; i++) if (x[i] <= t) k++;
  return k / x.length;
};

describe('eegamma and gammagamma with the ISR skim (xMin, isrCosStratum) of gen_photons', () => {
  it('the strata\'s cross sections add up to the unstratified one at every skim; xMin and the stratum scale sigma by isrFractionAbove x isrAngularFraction', () => {
    for (const proc of [eegamma, gammagamma]) {
      for (const xMin of [0, 0.14, 0.5]) {
        const whole = sigma(proc, { xMin }), inside = sigma(proc, { xMin, isrCosStratum: 1, ...BARREL }), outside = sigma(proc, { xMin, isrCosStratum: -1, ...BARREL });
        expect(Math.abs(inside + outside - whole) / whole, `${proc.name} xMin ${xMin}`).toBeLessThan(1e-14);
        expect(whole / sigma(proc)).toBeCloseTo(isrFractionAbove(xMin), 14);
        expect(inside / whole).toBeCloseTo(isrAngularFraction({ lo: 0, hi: 0.83, inside: true }), 14);
      }
      // the defaults: no skim, the cited cross section
      expect(sigma(proc)).toBe(proc.name === 'eegamma' ? 300e6 : 3.3e6);
      expect(sigma(proc, { isr: 0 })).toBe(sigma(proc));
    }
  });

  it("the kernel's skim params are gen_dimuon's for the same parameters (one host function); none for the signals or without ISR", () => {
    const p = { xMin: 0.14, isrCosStratum: 1, isrCosMin: 0.3, isrCosMax: 0.9 };
    const k = photonsKernelParams(eegamma, resolveParams(eegamma, p), BELLE2_DETECTOR, [0, 0], 0);
    const d = dimuonKernelParams(getProcess('mumu'), resolveParams(getProcess('mumu'), p), BELLE2_DETECTOR, [0, 0], 0);
    for (const n of ['t_min', 'st_mode', 'st_f0', 'st_f1', 'st_f2', 'st_f3', 'st_p']) expect(k[n], n).toBe(d[n]);
    const a = ISR_A, at = (u: number) => (1 - (2 - a) * Math.pow(a / (2 - a), u)) / (1 - a); // physics.ts samplePeaked at u
    expect([k.st_f0, k.st_f1, k.st_f2, k.st_f3].map(at).map((c) => Math.round(c * 1e9) / 1e9)).toEqual([-0.9, -0.3, 0.3, 0.9]);
    expect(k.t_min).toBeCloseTo(Math.pow(0.14, ISR_BETA / 2), 12);
    expect(photonsKernelParams(eegamma, resolveParams(eegamma, {}), BELLE2_DETECTOR, [0, 0], 0)).toMatchObject({ t_min: 0, st_mode: 0, st_p: 0 });
    expect(photonsKernelParams(getProcess('gamma_alp'), resolveParams(getProcess('gamma_alp'), { isr: 1 }), BELLE2_DETECTOR, [0, 0], 0)).toMatchObject({ t_min: 0, st_mode: 0 });
    expect(photonsKernelParams(gammagamma, resolveParams(gammagamma, { xMin: 0.2 }), BELLE2_DETECTOR, [0, 0], 0).t_min).toBeGreaterThan(0);
  });

  it('refuses a stratum outside -1, 0, 1, an empty |cos| range, xMin outside [0, 0.9], and a skim without ISR', () => {
    const gen = (params: Record<string, number>) => () => generate({ process: 'eegamma', events: 1, seed: 1, params });
    expect(gen({ isrCosStratum: 3 })).toThrow(/isrCosStratum must be -2, -1, 0, 1 or 2/);
    expect(gen({ isrCosStratum: 1, isrCosMin: 0.8, isrCosMax: 0.7 })).toThrow(/need 0 <= isrCosMin < isrCosMax <= 1/);
    expect(gen({ xMin: 0.95 })).toThrow(/xMin = 0.95 must lie in \[0, 0.9\]/);
    expect(gen({ xMin: -0.1 })).toThrow(/xMin = -0.1/);
    expect(gen({ xMin: 0.1, isr: 0 })).toThrow(/need isr = 1/);
    expect(() => generate({ process: 'gammagamma', events: 1, seed: 1, params: { isrCosStratum: -1, isr: 0 } })).toThrow(/need isr = 1/);
  });

  it.each([
    ['the angular stratum under the skim xMin = 0.14', { xMin: 0.14, ...BARREL }, 1, {}],
    ['the joint stratum (a photon with x >= 0.14 at |cos| < 0.85) against the unskimmed sample', { xMin: 0.14, isrCosMin: 0, isrCosMax: 0.85 }, 2, { xMin: 0 }],
  ] as const)('%s: the whole sample\'s distributions are the sigma-weighted mixture of the strata\'s (n_gamma, E*_gamma1, E_gamma2, cos theta_1, n_tracks, E_total: CDFs at 9 quantiles, within 4 standard errors)', (_, base, st1, wholeOver) => {
    const N = 40_000;
    const [w, a, b] = [0, st1, -st1].map((st) => generate({ process: 'eegamma', params: { ...base, isrCosStratum: st, ...(st === 0 ? wholeOver : {}) }, events: N, seed: 51 + st, acceptedOnly: false }));
    const fIn = sigma(eegamma, { ...base, isrCosStratum: st1 }) / sigma(eegamma, { ...base, ...wholeOver }), fOut = 1 - fIn;
    expect(Math.abs(fIn + sigma(eegamma, { ...base, isrCosStratum: -st1 }) / sigma(eegamma, { ...base, ...wholeOver }) - 1)).toBeLessThan(1e-14);
    for (const c of ['n_gamma', 'E_cm_g1_GeV', 'E_g2_GeV', 'cos_theta_g1', 'n_tracks', 'E_total_GeV']) {
      const sorted = Float64Array.from(w.columns[c]).sort();
      for (let q = 1; q <= 9; q++) {
        const t = sorted[Math.floor((q / 10) * N)];
        const [p0, pIn, pOut] = [w, a, b].map((s: EventSample) => cdf(s.columns[c], t));
        const err = Math.sqrt((p0 * (1 - p0)) / N + (fIn * fIn * pIn * (1 - pIn)) / N + (fOut * fOut * pOut * (1 - pOut)) / N);
        expect(Math.abs(p0 - (fIn * pIn + fOut * pOut)), `${c} at its ${q * 10}% quantile ${t}`).toBeLessThan(4 * err + 1e-9);
      }
    }
  }, 60_000);

  it('the joint stratum\'s sigma: inside 1 - (1 - g)^2, g = (1 - xMin^(beta/2)) p, and the kernel\'s st_mode 3 / 4 with t_min its bound', () => {
    const p = { xMin: 0.14, isrCosMin: 0, isrCosMax: 0.85 };
    const g = (1 - Math.pow(0.14, ISR_BETA / 2)) * (1 - Math.sqrt(isrAngularFraction({ lo: 0, hi: 0.85, inside: false })));
    expect(sigma(eegamma, { ...p, isrCosStratum: 2 }) / sigma(eegamma)).toBeCloseTo(1 - (1 - g) ** 2, 14);
    expect(sigma(eegamma, { ...p, isrCosStratum: -2 }) / sigma(eegamma)).toBeCloseTo((1 - g) ** 2, 14);
    for (const [st, mode] of [[2, 3], [-2, 4]]) {
      const k = photonsKernelParams(eegamma, resolveParams(eegamma, { ...p, isrCosStratum: st }), BELLE2_DETECTOR, [0, 0], 0);
      expect([k.st_mode, k.t_min]).toEqual([mode, Math.pow(0.14, ISR_BETA / 2)]);
    }
  });
});

// ---------------------------------------------------------------- the searches' e e gamma (searches.ts)
type DataPart = { process: string; stratum?: string; independent: boolean; made_from: string; candidates: number; shared_with_estimate: number; reason?: string };
type Source = { source: string; selected_events: number; simulated_rows: number; cannot_pass?: string; selected_events_upper_90?: number; strata?: Source[] };

describe("the searches' radiative Bhabhas: the single-photon strata and the three-photon selection it cannot reach", () => {
  const EEG = INVISIBLE_DARK_PHOTON.backgrounds.find((b) => b.name === 'eegamma')!;
  const [IN, OUT] = EEG.strata!;
  const paramsOf = (st?: { params: Record<string, number> }) => ({ ...EEG.params, ...st?.params });
  /** Selected events of n generated ones (WASM, 2 workers), with the process's sigma. */
  const selected = async (b: WasmBackend, def: typeof INVISIBLE_DARK_PHOTON, params: Record<string, number>, n: number, seed: number) => {
    const s = await generateOn(b, { process: 'eegamma', params, events: n, seed });
    const m = def.select(s.columns, s.length), idx: number[] = [];
    for (let i = 0; i < s.length; i++) if (m[i]) idx.push(i);
    let nMax = 0;
    for (let i = 0; i < s.length; i++) nMax = Math.max(nMax, s.columns.n_gamma[i]);
    const alp = ALP_GAMMAGAMMA.select(s.columns, s.length).reduce((x, v) => x + v, 0);
    return { k: idx.length, sigma: s.sigmaFb, n, nMax, alp, col: (c: string) => idx.map((i) => s.columns[c][i]) };
  };

  it('inside + outside = the whole unskimmed sample: sigma exactly; the selected yield within 4 standard errors; no event outside passes (2 M events); the stratum\'s selected E*_gamma and cos theta as the whole\'s', async () => {
    const b = await WasmBackend.create({ workers: 2 });
    try {
      const whole = await selected(b, INVISIBLE_DARK_PHOTON, {}, 2_000_000, 61);
      const inside = await selected(b, INVISIBLE_DARK_PHOTON, paramsOf(IN), 150_000, 62);
      const outside = await selected(b, INVISIBLE_DARK_PHOTON, paramsOf(OUT), 2_000_000, 63);
      expect(Math.abs(inside.sigma + outside.sigma - whole.sigma) / whole.sigma).toBeLessThan(1e-14);
      expect(whole.sigma).toBe(sigma(eegamma));
      expect(outside.k, 'outside the stratum: no event passes the single-photon selection').toBe(0);
      expect(whole.k).toBeGreaterThan(5000);
      const y = (x: typeof whole) => ({ y: (x.sigma * x.k) / x.n, e: (x.sigma * Math.sqrt(x.k)) / x.n });
      const [yw, yi] = [y(whole), y(inside)];
      expect(Math.abs(yi.y - yw.y), `selected sigma: inside ${yi.y} fb vs whole ${yw.y} fb`).toBeLessThan(4 * Math.hypot(yi.e, yw.e));
      // the selected events' distributions: the stratum's are the whole sample's (CDFs at 9 quantiles of the whole)
      for (const c of ['E_cm_g1_GeV', 'cos_theta_g1']) {
        const w = whole.col(c), a = inside.col(c), sorted = Float64Array.from(w).sort();
        for (let q = 1; q <= 9; q++) {
          const t = sorted[Math.floor((q / 10) * w.length)], pw = cdf(w, t), pa = cdf(a, t);
          expect(Math.abs(pw - pa), `${c} at the whole's ${q * 10}% quantile ${t}`).toBeLessThan(4 * Math.sqrt((pw * (1 - pw)) / w.length + (pa * (1 - pa)) / a.length) + 1e-9);
        }
      }
      // e e gamma shows at most its two ISR photons: never the three photons the ALP selection needs
      expect(Math.max(whole.nMax, inside.nMax, outside.nMax)).toBe(2);
      expect(whole.alp + inside.alp + outside.alp).toBe(0);
    } finally {
      b.dispose?.();
    }
  }, 120_000);

  it('in a run: the inside stratum gets independent pseudo-data, the outside stratum and ALP\'s e e gamma none (cannot pass), recorded as 0 with the reason, not a 90% CL bound', async () => {
    const b = await WasmBackend.create({ workers: 2 });
    try {
      const SMALL = { maxEventsPerBackground: 5000, signalEventsPerPoint: 300, pseudoExperiments: 2, seed: 4 };
      const r = await runSearch(b, INVISIBLE_DARK_PHOTON, { ...SMALL, lumiFb: 0.01 });
      const parts = (r.samples.data as { backgrounds: DataPart[] }).backgrounds;
      expect(parts.map((p) => [p.process, p.stratum ?? '', p.made_from])).toEqual([
        ['gammagamma', '', 'independent sample (own random stream)'],
        ['eegamma', IN.label, 'independent sample (own random stream)'],
        ['eegamma', OUT.label, 'none: cannot pass the selection'],
      ]);
      expect(parts[1].candidates).toBeGreaterThan(1000);
      expect(parts[1].shared_with_estimate).toBe(0);
      expect(parts[2]).toMatchObject({ candidates: 0, shared_with_estimate: 0, reason: OUT.cannotPass });
      const ee = (r.samples.background_composition as Source[]).find((c) => c.source === 'eegamma')!;
      expect(ee.strata!.map((c) => c.cannot_pass)).toEqual([undefined, OUT.cannotPass]);
      expect(ee.selected_events_upper_90).toBeUndefined();
      expect(ee.selected_events).toBeGreaterThan(0);

      const a = await runSearch(b, ALP_GAMMAGAMMA, { ...SMALL, pseudoExperiments: 0, fitPseudoExperiments: 0 });
      const ap = (a.samples.data as { backgrounds: DataPart[] }).backgrounds.find((p) => p.process === 'eegamma')!;
      expect(ap).toMatchObject({ made_from: 'none: cannot pass the selection', candidates: 0, reason: expect.stringMatching(/at most two photons are seen/) });
      const ac = (a.samples.background_composition as Source[]).find((c) => c.source === 'eegamma')!;
      expect(ac).toMatchObject({ selected_events: 0, simulated_rows: 0, cannot_pass: expect.any(String) });
      expect(ac.selected_events_upper_90).toBeUndefined();
    } finally {
      b.dispose?.();
    }
  }, 180_000);

  it('a background declared unable to pass whose simulated events pass is an error, not a silent zero', async () => {
    const b = await WasmBackend.create({ workers: 2 });
    try {
      const def = { ...INVISIBLE_DARK_PHOTON, backgrounds: [{ name: 'gammagamma', cannotPass: 'a wrong claim' }] };
      await expect(runSearch(b, def, { maxEventsPerBackground: 20_000, signalEventsPerPoint: 200, pseudoExperiments: 0, lumiFb: 0.01, seed: 1 })).rejects.toThrow(/simulated gammagamma events pass the selection, which the definition says cannot happen \(a wrong claim\)/);
    } finally {
      b.dispose?.();
    }
  }, 60_000);
});
