// Radiative Bhabha e+e- -> e+e- (gamma) (process eegamma) and gamma gamma with gen_dimuon's ISR skim
// on the gen_photons kernel (issue 15, item 1: pseudo-data independent of the background estimate):
// the generator cut xMin and the angular stratum of the ISR photons (physics.ts ISR_SKIM_DEFAULTS,
// genkin.ts isrSkimKernelParams). Here: the strata's cross sections add up to the whole, the whole
// sample's distributions are the sigma-weighted mixture of the strata's, the kernel's params, the
// parameter checks.
import { describe, expect, it } from 'vitest';
import { BELLE2_DETECTOR, generate, getProcess, resolveParams, type EventSample } from '../engine/generate/index.js';
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
    expect(gen({ isrCosStratum: 2 })).toThrow(/isrCosStratum must be -1, 0 or 1/);
    expect(gen({ isrCosStratum: 1, isrCosMin: 0.8, isrCosMax: 0.7 })).toThrow(/need 0 <= isrCosMin < isrCosMax <= 1/);
    expect(gen({ xMin: 0.95 })).toThrow(/xMin = 0.95 must lie in \[0, 0.9\]/);
    expect(gen({ xMin: -0.1 })).toThrow(/xMin = -0.1/);
    expect(gen({ xMin: 0.1, isr: 0 })).toThrow(/need isr = 1/);
    expect(() => generate({ process: 'gammagamma', events: 1, seed: 1, params: { isrCosStratum: -1, isr: 0 } })).toThrow(/need isr = 1/);
  });

  it('the whole sample\'s distributions are the sigma-weighted mixture of the strata\'s (n_gamma, E*_gamma1, cos theta_1, n_tracks, E_total: CDFs at 9 quantiles, within 4 standard errors)', () => {
    const N = 40_000, base = { xMin: 0.14, ...BARREL };
    const [w, a, b] = [0, 1, -1].map((st) => generate({ process: 'eegamma', params: { ...base, isrCosStratum: st }, events: N, seed: 51 + st, acceptedOnly: false }));
    const fIn = sigma(eegamma, { ...base, isrCosStratum: 1 }) / sigma(eegamma, base), fOut = 1 - fIn;
    for (const c of ['n_gamma', 'E_cm_g1_GeV', 'cos_theta_g1', 'n_tracks', 'E_total_GeV']) {
      const sorted = Float64Array.from(w.columns[c]).sort();
      for (let q = 1; q <= 9; q++) {
        const t = sorted[Math.floor((q / 10) * N)];
        const [p0, pIn, pOut] = [w, a, b].map((s: EventSample) => cdf(s.columns[c], t));
        const err = Math.sqrt((p0 * (1 - p0)) / N + (fIn * fIn * pIn * (1 - pIn)) / N + (fOut * fOut * pOut * (1 - pOut)) / N);
        expect(Math.abs(p0 - (fIn * pIn + fOut * pOut)), `${c} at its ${q * 10}% quantile ${t}`).toBeLessThan(4 * err + 1e-9);
      }
    }
  }, 60_000);
});
