// eemumu's second region R_Z (issue 15, item 1: Z' -> invisible's e e mu mu pseudo-data independent of its
// estimate): the region the mu mu + missing-momentum selection without MLP keeps (searches.ts DIMUON_RECOIL,
// engine/generate/gen-eemumu.ts EEMUMU_REGIONS: the margins), selected by the process parameter `region`
// (host side only: the kernel's r_pt, r_p, r_cos and R's proposal cells of the envelope table).
// Checks: the table per (W_min, region), sigma_RZ / sigma against the tail-weighted full sample, the
// rejection loop's acceptance per trial (TRIALS_R's failure bound), the selection's yield inside + outside
// R_Z = the whole, and no selected event outside R_Z in a large weighted sample.
import { describe, expect, it } from 'vitest';
import { BELLE2_DETECTOR, generate, generateOn, getProcess, resolveParams } from '../engine/generate/index.js';
import { EEMUMU_REGIONS, STRATUM_R, eemumuKernelParams, eemumuRegion, eemumuTable, estimateRegionFraction } from '../engine/generate/gen-eemumu.js';
import { ENV, NC, TRIALS_R, eemumuFinalState, resetTrials, trialsRun } from '../kernels/gen_eemumu/ref.js';
import { genEemumu } from '../kernels/gen_eemumu/desc.js';
import { packParams } from '../kernels/types.js';
import { newStream, rsInit } from '../kernels/lib/sampling.js';
import { SQRT_S } from '../engine/generate/physics.js';
import { ZPRIME_INVISIBLE } from '../engine/analyses/searches.js';
import { WasmBackend } from '../host/index.js';
import type { Params } from '../engine/generate/index.js';
import { inRegion } from './eemumu-region.js';

const proc = getProcess('eemumu');
const RZ = EEMUMU_REGIONS[1];

describe("eemumu's region R_Z (parameter region 1)", () => {
  it('is the table\'s second row: R_Z\'s thresholds below the selection\'s cuts, r_pt implied by r_p and r_cos; R unchanged', () => {
    expect(RZ.name).toBe('R_Z');
    expect(STRATUM_R).toBe(EEMUMU_REGIONS[0]);
    expect([STRATUM_R.ptGeV, STRATUM_R.pGeV, STRATUM_R.cosMax, STRATUM_R.fraction.value]).toEqual([1, 2.5, 0.85, 2.61e-4]);
    // the selection: p*(mu mu) > 0.5 GeV, |cos theta*| < 0.8
    expect(RZ.pGeV).toBeLessThan(0.5);
    expect(RZ.cosMax).toBeGreaterThan(0.8);
    // p*_T >= r_p sqrt(1 - r_cos^2) = |pT_1 + pT_2| <= 2 max pT: the larger lepton pT >= that / 2 >= r_pt
    expect((RZ.pGeV * Math.sqrt(1 - RZ.cosMax ** 2)) / 2).toBeGreaterThanOrEqual(RZ.ptGeV);
  });

  it('the envelope table per (W_min, region): the same bulk and tail sections, R_Z\'s own proposal cells; cached; bad regions refused', () => {
    const t0 = eemumuTable(0.5, 0), t1 = eemumuTable(0.5, 1);
    expect(eemumuTable(0.5, 1)).toBe(t1);
    expect(eemumuTable(0.5)).toBe(t0);
    expect(Buffer.from(t0.buffer, 0, ENV.CUM_R * NC * 4).equals(Buffer.from(t1.buffer, 0, ENV.CUM_R * NC * 4))).toBe(true);
    expect(Buffer.from(t0.buffer, ENV.CUM_R * NC * 4).equals(Buffer.from(t1.buffer, ENV.CUM_R * NC * 4))).toBe(false);
    expect(() => eemumuTable(0.5, 2)).toThrow(/no region 2/);
    expect(() => eemumuRegion({ region: 0.5 })).toThrow(/parameter region must be 0 \(R\) or 1 \(R_Z\), got 0.5/);
    const k1 = eemumuKernelParams(proc, resolveParams(proc, { regionStratum: 1, region: 1 }), BELLE2_DETECTOR, [0, 0], 0);
    expect([k1.r_pt, k1.r_p, k1.r_cos, k1.stratum]).toEqual([RZ.ptGeV, RZ.pGeV, RZ.cosMax, 1]);
    expect(() => generate({ process: 'eemumu', events: 1, seed: 1, params: { regionStratum: 1, region: 2 } })).toThrow(/parameter region must be 0 \(R\) or 1 \(R_Z\), got 2/);
    expect(() => generate({ process: 'eemumu', events: 1, seed: 1, params: { region: 1 } })).toThrow(/region = 1 selects the region of regionStratum, which is 0/);
    const sigma = (o: Params) => proc.sigmaFb(resolveParams(proc, o));
    expect(sigma({ regionStratum: 1, region: 1 }) + sigma({ regionStratum: -1, region: 1 })).toBeCloseTo(sigma({}), 6);
    expect(sigma({ regionStratum: 1, region: 1 }) / sigma({})).toBe(RZ.fraction.value);
  });

  it('sigma_RZ / sigma from the proposals agrees with the tail-weighted full sample\'s events in R_Z and with the recorded value; acceptance per trial > 0.06, so TRIALS_R fails with probability < 1e-27', () => {
    const p = resolveParams(proc, { regionStratum: 1, region: 1 });
    const est = estimateRegionFraction(proc, p, 3000, 20000, 23);
    // the full sample with the tail bias, R_Z by its f64 definition
    const w = packParams(genEemumu, { count: 1, params: { ...eemumuKernelParams(proc, p, BELLE2_DETECTOR, [3, 4], 0), tail: 1, stratum: 0 } }, 0, 1);
    const P = new Float32Array(w.buffer), t = eemumuTable(0.5, 1), s = newStream(), N = 30000;
    let sw = 0, sw2 = 0, k = 0;
    for (let i = 0; i < N; i++) {
      rsInit(s, 29, 30, i, 0, 0);
      const fs = eemumuFinalState(P, w, t, s)!;
      if (!inRegion(RZ, fs.em, fs.ep)) continue;
      (sw += fs.weight), (sw2 += fs.weight * fs.weight), k++;
    }
    expect(k).toBeGreaterThan(500);
    const weighted = sw / N, werr = Math.sqrt(sw2) / N;
    expect(Math.abs(est.value - weighted) / Math.hypot(est.error, werr), `${est.value} +- ${est.error} vs ${weighted} +- ${werr}`).toBeLessThan(4);
    expect(Math.abs(RZ.fraction.value - est.value) / Math.hypot(est.error, RZ.fraction.error)).toBeLessThan(4);
    // every stratum-1 event lies in R_Z; the acceptance per trial bounds the rejection loop's failures
    const wr = packParams(genEemumu, { count: 1, params: { ...eemumuKernelParams(proc, p, BELLE2_DETECTOR, [5, 6], 0), tail: 0, stratum: 1 } }, 0, 1);
    const n = 2000;
    resetTrials();
    for (let i = 0; i < n; i++) {
      rsInit(s, 31, 32, i, 0, 0);
      const fs = eemumuFinalState(new Float32Array(wr.buffer), wr, t, s);
      expect(fs && inRegion(RZ, fs.em, fs.ep), `event ${i}`).toBe(true);
    }
    const acc = n / trialsRun();
    expect(acc).toBeGreaterThan(0.06);
    expect(TRIALS_R * Math.log(1 - 0.06)).toBeLessThan(Math.log(1e-27));
  }, 60_000);

  it("the Z' -> invisible selection's yield: inside R_Z + outside = the whole (within 4 standard errors)", () => {
    const yieldOf = (params: Params, n: number, seed: number) => {
      const s = generate({ process: 'eemumu', events: n, seed, params });
      const m = ZPRIME_INVISIBLE.select(s.columns, s.length);
      let a = 0, b = 0;
      for (let i = 0; i < s.length; i++) {
        if (!m[i]) continue;
        const w = s.columns.weight[i];
        (a += w), (b += w * w);
      }
      return { y: (s.sigmaFb * a) / n, e: (s.sigmaFb * Math.sqrt(b)) / n };
    };
    const whole = yieldOf({}, 60_000, 61), inside = yieldOf({ regionStratum: 1, region: 1 }, 3000, 62), outside = yieldOf({ regionStratum: -1, region: 1 }, 20_000, 63);
    expect(inside.y).toBeGreaterThan(0);
    expect(outside.y).toBe(0);
    expect(Math.abs(inside.y + outside.y - whole.y), `${inside.y} + ${outside.y} vs ${whole.y} +- ${whole.e}`).toBeLessThan(4 * Math.hypot(inside.e, outside.e, whole.e));
  }, 60_000);

  it('outside R_Z no event passes the selection in 1.5 M weighted events (WASM), while near misses (all but p*(mu mu) or |cos theta*|) abound', async () => {
    const b = await WasmBackend.create({ workers: 2 });
    try {
      const s = await generateOn(b, { process: 'eemumu', params: { regionStratum: -1, region: 1 }, events: 1_500_000, seed: 64 });
      const c = s.columns, m = ZPRIME_INVISIBLE.select(c, s.length);
      let sel = 0, near = 0, nearP = 0;
      for (let i = 0; i < s.length; i++) {
        sel += m[i];
        if (c.n_extra_tracks[i] !== 0 || c.n_gamma[i] !== 0 || !(c.m2_recoil_GeV2[i] > 0)) continue;
        near++;
        if (c.p_mumu_cm_GeV[i] > 0.3 && Math.abs(c.cos_theta_recoil_cm[i]) < 0.8) nearP++;
      }
      expect(sel).toBe(0);
      expect(near).toBeGreaterThan(10_000);
      expect(nearP).toBeGreaterThan(100);
      // and inside R_Z the generated mu mu system has p* >= r_p: truth M_recoil <= sqrt(s - 2 sqrt(s) r_p + M_mumu^2)
      const inside = generate({ process: 'eemumu', params: { regionStratum: 1, region: 1 }, events: 500, seed: 65, acceptedOnly: false });
      for (const w of inside.columns.weight) expect(w).toBe(1);
      for (let i = 0; i < inside.length; i++) {
        const M = inside.columns.truth_m_mumu_GeV[i], R = inside.columns.truth_m_recoil_GeV[i], S = SQRT_S * SQRT_S;
        const E = (S + M * M - R * R) / (2 * SQRT_S);
        expect(Math.sqrt(E * E - M * M)).toBeGreaterThan(RZ.pGeV - 1e-3);
      }
    } finally {
      await b.dispose();
    }
  }, 120_000);
});
