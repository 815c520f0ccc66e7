// gen_eemumu over the whole W_min range of eemumu's parameter (2 m_mu, sqrt(s)) that the kernel takes
// (>= 0.3 GeV): above ~4.7 GeV no cell has a soft photon (y_k <= 0.2) and a hard one (y_o >= 0.3), so
// the tail tables are empty and the tail bias has nothing to oversample (engine/generate/gen-eemumu.ts
// eemumuKernelParams: off, weights 1, the unweighted events); where R is out of reach, the kernel params
// refuse its stratum with a reason. Until this test, eemumu at W_min >= 5 GeV threw "an empty envelope table".
import { describe, expect, it } from 'vitest';
import { BELLE2_DETECTOR, generate, getProcess, resolveParams } from '../engine/generate/index.js';
import { ENV } from '../kernels/gen_eemumu/ref.js';
import { eemumuKernelParams, eemumuTable, tableSectionFilled } from '../engine/generate/gen-eemumu.js';

describe('gen_eemumu at a large W_min', () => {
  it('W_min = 5, 7, 10 GeV: events with and without the tail bias (the same, weight 1: no tail cells), M_mumu above W_min', () => {
    for (const wMin of [5, 7, 10]) {
      expect(tableSectionFilled(eemumuTable(wMin), ENV.CUM_T1), `W_min ${wMin}`).toBe(false);
      const a = generate({ process: 'eemumu', events: 1500, seed: 3, params: { wMin } }), b = generate({ process: 'eemumu', events: 1500, seed: 3, params: { wMin, tailBias: 0 } });
      expect(a.length).toBeGreaterThan(100);
      expect(Buffer.from(a.columns.m_mumu_GeV.buffer).equals(Buffer.from(b.columns.m_mumu_GeV.buffer))).toBe(true);
      for (const w of a.columns.weight) expect(w).toBe(1);
      for (const m of a.columns.truth_m_mumu_GeV) expect(m).toBeGreaterThan(wMin * 0.999);
    }
    expect(tableSectionFilled(eemumuTable(0.5), ENV.CUM_T1)).toBe(true);
  });
  it('the kernel params refuse R\'s stratum where R is out of reach (the process allows regionStratum 1 at W_min = 0.5 GeV only)', () => {
    const proc = getProcess('eemumu'), p = resolveParams(proc);
    expect(tableSectionFilled(eemumuTable(0.5), ENV.CUM_R)).toBe(true);
    expect(tableSectionFilled(eemumuTable(10), ENV.CUM_R)).toBe(false);
    expect(eemumuKernelParams(proc, { ...p, regionStratum: 1 }, BELLE2_DETECTOR, [0, 0], 0).stratum).toBe(1);
    expect(() => eemumuKernelParams(proc, { ...p, wMin: 10, regionStratum: 1 }, BELLE2_DETECTOR, [0, 0], 0)).toThrow(/regionStratum = 1, but the region R .* is out of reach at wMin = 10 GeV/);
  });
});
