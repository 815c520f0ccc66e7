// eemumu's nested stratum (issue 15: the A'h' demo's e e mu mu inside R_Z but outside R): the process parameter
// innerRegion with regionStratum 1 (gen_eemumu kernel stratum 5: R_Z's proposal, the trials that fall in R rejected).
// Checks: R inside R_Z from the thresholds, the params and refusals; on the TS reference with common random numbers,
// each stratum-5 event is R_Z's stratum-1 event whenever that lies outside R (else R_Z's continues past R), none in R;
// sigma(R_Z \ R) + sigma(R) = sigma(R_Z) (the acceptance per trial against the recorded fractions); the stratum's
// events against R_Z's events outside R (independent streams); the rejection loop's failure bound.
import { describe, expect, it } from 'vitest';
import { BELLE2_DETECTOR, generate, getProcess, resolveParams } from '../engine/generate/index.js';
import { EEMUMU_REGIONS, eemumuKernelParams, eemumuTable, regionInside } from '../engine/generate/gen-eemumu.js';
import { TRIALS_R, eemumuFinalState, resetTrials, trialsRun } from '../kernels/gen_eemumu/ref.js';
import { genEemumu } from '../kernels/gen_eemumu/desc.js';
import { packParams } from '../kernels/types.js';
import { newStream, rsInit } from '../kernels/lib/sampling.js';
import type { Params } from '../engine/generate/index.js';
import { decileFailures } from './genstats.js';
import { inRegion } from './eemumu-region.js';

const proc = getProcess('eemumu');
const [R, RZ] = EEMUMU_REGIONS;
const MID = { regionStratum: 1, region: 1, innerRegion: 0 };

/** The TS reference's final state of event i under (a, b) with the kernel params of eemumu's parameters o (tail off), its rejection trials. */
function sampler(o: Params) {
  const p = resolveParams(proc, o);
  const w = packParams(genEemumu, { count: 1, params: { ...eemumuKernelParams(proc, p, BELLE2_DETECTOR, [0, 0], 0), tail: 0 } }, 0, 1);
  const P = new Float32Array(w.buffer), t = eemumuTable(0.5, p.region), s = newStream();
  return (a: number, b: number, i: number) => {
    rsInit(s, a, b, i, 0, 0);
    const before = trialsRun();
    const fs = eemumuFinalState(P, w, t, s);
    return { fs, trials: trialsRun() - before };
  };
}

/** Decile variables of an event: p* and cos theta* of the mu mu system, the larger lepton pT, M(mu mu), the lepton energies. */
const VARS = ['p_sys', 'cos_sys', 'pt_max', 'm_mumu', 'e_em', 'e_ep'];
function row(fs: NonNullable<ReturnType<typeof eemumuFinalState>>): number[] {
  const { em, ep, muM, muP } = fs;
  const sx = -(em[1] + ep[1]), sy = -(em[2] + ep[2]), sz = -(em[3] + ep[3]), ps = Math.hypot(sx, sy, sz);
  const m2 = (muM[0] + muP[0]) ** 2 - (muM[1] + muP[1]) ** 2 - (muM[2] + muP[2]) ** 2 - (muM[3] + muP[3]) ** 2;
  return [ps, sz / ps, Math.max(Math.hypot(em[1], em[2]), Math.hypot(ep[1], ep[2])), Math.sqrt(m2), em[0], ep[0]];
}

describe("eemumu's nested stratum: inside R_Z, outside R (innerRegion 0, kernel stratum 5)", () => {
  it('R lies inside R_Z by its thresholds; the params (stratum 5, R\'s thresholds as r2_*), sigma and the refusals', () => {
    expect([R.name, RZ.name]).toEqual(['R', 'R_Z']);
    expect(regionInside(R, RZ)).toBe(true);
    expect(regionInside(RZ, R)).toBe(false);
    const k = eemumuKernelParams(proc, resolveParams(proc, MID), BELLE2_DETECTOR, [0, 0], 0);
    expect([k.stratum, k.r_pt, k.r_p, k.r_cos, k.r2_pt, k.r2_p, k.r2_cos, k.tail]).toEqual([5, RZ.ptGeV, RZ.pGeV, RZ.cosMax, R.ptGeV, R.pGeV, R.cosMax, 0]);
    const sigma = (o: Params) => proc.sigmaFb(resolveParams(proc, o));
    expect(sigma(MID) + sigma({ regionStratum: 1 })).toBeCloseTo(sigma({ regionStratum: 1, region: 1 }), 6);
    expect(sigma(MID) + sigma({ regionStratum: 1 }) + sigma({ regionStratum: -1, region: 1 })).toBeCloseTo(sigma({}), 6);
    const gen = (params: Params) => () => generate({ process: 'eemumu', events: 1, seed: 1, params });
    expect(gen({ regionStratum: 1, region: 0, innerRegion: 1 })).toThrow(/innerRegion = 1 \(R_Z\) must be a region inside region 0 \(R\)/);
    expect(gen({ regionStratum: 1, region: 1, innerRegion: 1 })).toThrow(/innerRegion = 1 \(R_Z\) must be a region inside region 1/);
    expect(gen({ regionStratum: -1, region: 1, innerRegion: 0 })).toThrow(/innerRegion = 0 needs regionStratum = 1/);
    expect(gen({ region: 1, innerRegion: 0 })).toThrow(/innerRegion = 0 needs regionStratum = 1/);
    expect(gen({ regionStratum: 1, region: 1, innerRegion: 2 })).toThrow(/innerRegion must be -1 \(none\) or 0 \(R\) or 1 \(R_Z\), got 2/);
  });

  it('with common random numbers each event is R_Z\'s where that lies outside R, none lies in R; sigma(R_Z \\ R) + sigma(R) = sigma(R_Z); acceptance per trial > 0.06 (TRIALS_R fails < 1e-27)', () => {
    const mid = sampler(MID), rz = sampler({ regionStratum: 1, region: 1 });
    const N = 40_000;
    let inR = 0, same = 0, tMid = 0, tRz = 0, sd2 = 0;
    resetTrials();
    for (let i = 0; i < N; i++) {
      const a = rz(7, 8, i), b = mid(7, 8, i);
      expect(a.fs && b.fs, `event ${i}`).toBeTruthy();
      tRz += a.trials;
      tMid += b.trials;
      sd2 += (b.trials - a.trials) ** 2;
      expect(inRegion(RZ, b.fs!.em, b.fs!.ep) && !inRegion(R, b.fs!.em, b.fs!.ep), `event ${i} in R_Z \\ R`).toBe(true);
      if (a.trials === b.trials) {
        // the same trials: the same event, outside R
        expect(b.fs, `event ${i}`).toEqual(a.fs);
        expect(inRegion(R, a.fs!.em, a.fs!.ep), `event ${i}`).toBe(false);
        same++;
      } else {
        // R_Z's accepted trial lay in R, which stratum 5 rejected and went on
        expect(b.trials, `event ${i}`).toBeGreaterThan(a.trials);
        expect(inRegion(R, a.fs!.em, a.fs!.ep), `event ${i}`).toBe(true);
        inR++;
      }
    }
    expect(same + inR).toBe(N);
    // the acceptance per trial: p_mid / p_RZ = sigma(R_Z \ R) / sigma(R_Z) (the same proposal), so
    // 1 - T_RZ / T_mid = sigma_R / sigma_RZ, here against the recorded fractions (R's from its own proposal)
    const f = 1 - tRz / tMid, fErr = Math.sqrt(sd2) / tMid, want = R.fraction.value / RZ.fraction.value;
    const wantErr = want * Math.hypot(R.fraction.error / R.fraction.value, RZ.fraction.error / RZ.fraction.value);
    expect(Math.abs(f - want) / Math.hypot(fErr, wantErr), `${f} +- ${fErr} vs ${want} +- ${wantErr}`).toBeLessThan(4);
    // the events of R_Z in R: their share is sigma_R / sigma_RZ too (binomial)
    expect(Math.abs(inR / N - want) / Math.hypot(Math.sqrt(want * (1 - want) / N), wantErr)).toBeLessThan(4);
    const acc = N / tMid;
    expect(acc).toBeGreaterThan(0.06);
    expect(TRIALS_R * Math.log(1 - 0.06)).toBeLessThan(Math.log(1e-27));
  }, 120_000);

  it("its events against R_Z's events outside R (independent streams): the same shapes (deciles of p*, cos theta*, pT, M(mu mu), E_e)", () => {
    const mid = sampler(MID), rz = sampler({ regionStratum: 1, region: 1 });
    const a: number[][] = [], b: number[][] = [];
    for (let i = 0; i < 6000; i++) a.push(row(mid(11, 12, i).fs!));
    for (let i = 0; b.length < 6000; i++) {
      const fs = rz(13, 14, i).fs!;
      if (!inRegion(R, fs.em, fs.ep)) b.push(row(fs));
    }
    expect(decileFailures(a, b, VARS)).toEqual([]);
    // the check can fail: R's events alone have other shapes
    const inner = sampler({ regionStratum: 1 }), c: number[][] = [];
    for (let i = 0; i < 2000; i++) c.push(row(inner(15, 16, i).fs!));
    expect(decileFailures(c, b, VARS).length).toBeGreaterThan(0);
  }, 120_000);
});
