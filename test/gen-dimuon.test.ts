// The gen_dimuon kernel (kernels/gen_dimuon: mumu, darkhiggs, zp_inv in f32 on every backend) against
// the f64 host generator it replaced, kept only as an independent cross-check (test/f64-dimuon.ts:
// the former definitions, physics.ts radiate / sampleCos / produce2 / decay2 / decay3) run through the host
// chain (generateHost: toLab, detector.ts, reconstruct). Different random streams
// and arithmetic, so the comparison is statistical: acceptance, means and binned shapes of
// M_recoil, M_mumu and the other selection variables within their errors. Plus: the kernel's
// columns are the family's, and its samples do not depend on chunking or first event.
import { describe, expect, it } from 'vitest';
import { FAMILY_COLUMNS, GENERATOR_VERSION, generate, generateHost, getProcess, resolveParams, BELLE2_DETECTOR, type EventSample } from '../engine/generate/index.js';
import { GEN_DIMUON_COLUMNS, dimuonKernelParams } from '../engine/generate/gen-dimuon.js';
import { ISR_A, SQRT_S, isrAngularFraction } from '../engine/generate/physics.js';
import type { Params } from '../engine/generate/processes.js';
import { f64Def } from './f64-dimuon.js';
import { compareSamples, mean, sd } from './genstats.js';

function compare(kernel: EventSample, host: EventSample, n: number, columns: readonly string[]): void {
  expect(compareSamples(kernel, host, n, columns).failures).toEqual([]);
}

const SHAPES = ['m_recoil_GeV', 'm_mumu_GeV', 'm2_recoil_GeV2', 'p_mumu_cm_GeV', 'cos_theta_recoil_cm', 'cos_theta_mu1', 'p_mu2_GeV', 'cos_helicity', 'E_extra_GeV'] as const;

describe('gen_dimuon kernel vs the f64 host generator it replaced (statistical)', () => {
  const N = 30000;
  for (const [process, params] of [
    ['mumu', { xMin: 0.09 }],
    ['mumu', { xMin: 0 }],
    ['darkhiggs', { mA: 4, mh: 2 }],
    ['darkhiggs', { mA: 8, mh: 0.5 }],
    ['darkhiggs', { mA: 1, mh: 0.5, isr: 0 }],
    ['zp_inv', { mZp: 3 }],
    ['zp_inv', { mZp: 7 }],
    ['zp_inv', { mZp: 0.5, isr: 0 }],
  ] as [string, Params][]) {
    it(`${process} ${JSON.stringify(params)}: acceptance, means and shapes of M_recoil, M_mumu and the selection variables agree (${N} events each)`, () => {
      const kernel = generate({ process, params, events: N, seed: 21 });
      const host = generateHost(f64Def(process), { process, params, events: N, seed: 22 });
      expect(kernel.meta.event_kernel).toMatch(/gen_dimuon/);
      compare(kernel, host, N, SHAPES);
      // the number of ISR photons seen (n_gamma) and the selection's pass fraction
      const pass = (s: EventSample) => {
        const c = s.columns;
        let k = 0;
        for (let i = 0; i < s.length; i++) if (c.n_gamma[i] === 0 && Math.abs(c.cos_theta_recoil_cm[i]) < 0.8 && c.p_mumu_cm_GeV[i] > 0.5 && c.m2_recoil_GeV2[i] > 0) k++;
        return k / N;
      };
      const a = pass(kernel), b = pass(host);
      expect(Math.abs(a - b), `selection pass fraction ${a} vs ${b}`).toBeLessThan(4 * Math.sqrt((a * (1 - a) + b * (1 - b)) / N) + 1e-9);
      expect(Math.abs(mean(kernel.columns.n_gamma) - mean(host.columns.n_gamma))).toBeLessThan(4 * Math.sqrt((sd(kernel.columns.n_gamma) ** 2 + sd(host.columns.n_gamma) ** 2) / N) + 1e-9);
    });
  }
});

describe("mumu's ISR angular stratum (isrCosStratum) on the kernel", () => {
  it('inside + outside add up to the whole: cross sections exactly, acceptance and the means of n_gamma, M_recoil, p*(mu mu) as the sigma-weighted mixture', () => {
    const mumu = getProcess('mumu');
    const N = 30000, base = { xMin: 0.09, isrCosMin: 0.7, isrCosMax: 0.8 };
    const sig = (st: number) => mumu.sigmaFb(resolveParams(mumu, { ...base, isrCosStratum: st }));
    expect(sig(1) + sig(-1)).toBeCloseTo(sig(0), 6);
    expect(sig(1) / sig(0)).toBeGreaterThan(0.005); // the stratum holds a small, not empty, share
    const s = [0, 1, -1].map((st) => generate({ process: 'mumu', params: { ...base, isrCosStratum: st }, events: N, seed: 31 + st, acceptedOnly: false }));
    const fIn = sig(1) / sig(0), fOut = sig(-1) / sig(0);
    const acc = (x: EventSample) => {
      let k = 0;
      for (let i = 0; i < x.length; i++) if (x.columns.m_mumu_GeV[i] !== 0) k++;
      return k / x.length;
    };
    const [a0, aIn, aOut] = s.map(acc);
    expect(Math.abs(a0 - (fIn * aIn + fOut * aOut))).toBeLessThan(4 * Math.sqrt((a0 * (1 - a0)) / N * (1 + fOut * fOut) + (fIn * fIn * aIn * (1 - aIn)) / N));
    for (const c of ['n_gamma', 'E_extra_GeV', 'truth_m_recoil_GeV', 'truth_m_mumu_GeV']) {
      const [m0, mIn, mOut] = s.map((x) => mean(x.columns[c]));
      const [e0, eIn, eOut] = s.map((x) => sd(x.columns[c]) / Math.sqrt(N));
      const err = Math.sqrt(e0 ** 2 + (fIn * eIn) ** 2 + (fOut * eOut) ** 2);
      expect(Math.abs(m0 - (fIn * mIn + fOut * mOut)), `${c}: ${m0} vs ${fIn} x ${mIn} + ${fOut} x ${mOut}`).toBeLessThan(4 * err);
    }
    // photons at 0.7 <= |cos theta*| < 0.8 hit the ECL: the inside stratum sees far more of them
    expect(mean(s[1].columns.n_gamma)).toBeGreaterThan(3 * mean(s[2].columns.n_gamma));
  });
  it("the kernel's u intervals are samplePeaked's CDF at -hi, -lo, lo, hi, and their width p gives isrAngularFraction", () => {
    const mumu = getProcess('mumu');
    const p = resolveParams(mumu, { isrCosStratum: 1, isrCosMin: 0.3, isrCosMax: 0.9 });
    const k = dimuonKernelParams(mumu, p, BELLE2_DETECTOR, [0, 0], 0);
    const a = ISR_A, at = (u: number) => (1 - (2 - a) * Math.pow(a / (2 - a), u)) / (1 - a); // physics.ts samplePeaked at u
    expect([k.st_f0, k.st_f1, k.st_f2, k.st_f3].map(at).map((c) => Math.round(c * 1e9) / 1e9)).toEqual([-0.9, -0.3, 0.3, 0.9]);
    expect(k.st_mode).toBe(1);
    expect(1 - (1 - k.st_p) ** 2).toBeCloseTo(isrAngularFraction({ lo: 0.3, hi: 0.9, inside: true }), 12);
    expect(dimuonKernelParams(mumu, resolveParams(mumu, { isrCosStratum: -1 }), BELLE2_DETECTOR, [0, 0], 0).st_mode).toBe(2);
    expect(dimuonKernelParams(mumu, { ...resolveParams(mumu, { isrCosStratum: 1 }), isr: 0 }, BELLE2_DETECTOR, [0, 0], 0).st_mode).toBe(0);
    expect(() => resolveParams(mumu, { isrCosStratum: 1, isr: 0 })).toThrow(/need isr = 1/); // a stratum of ISR photons without ISR is refused, not ignored
  });
  it('refuses a stratum outside -1, 0, 1 or an empty |cos| range', () => {
    expect(() => generate({ process: 'mumu', events: 1, seed: 1, params: { isrCosStratum: 3 } })).toThrow(/isrCosStratum must be -2, -1, 0, 1 or 2/);
    expect(() => generate({ process: 'mumu', events: 1, seed: 1, params: { isrCosStratum: 1, isrCosMin: 0.8, isrCosMax: 0.7 } })).toThrow(/need 0 <= isrCosMin < isrCosMax <= 1/);
  });
});

describe('gen_dimuon kernel processes', () => {
  it("the kernel's columns are the dimuon family's, in order", () => {
    expect([...GEN_DIMUON_COLUMNS]).toEqual(Object.keys(FAMILY_COLUMNS.dimuon));
  });
  it('a sample is the same whatever the chunking: 70000 events (three kernel dispatches) = parts from other first events', () => {
    const o = { process: 'mumu', params: { xMin: 0.09 }, events: 70000, seed: 5, acceptedOnly: false };
    const all = generate(o);
    const a = generate({ ...o, events: 33000 }), b = generate({ ...o, firstEvent: 33000, events: 37000 });
    for (const c of Object.keys(all.columns)) {
      expect(Buffer.from(all.columns[c].buffer).equals(Buffer.concat([Buffer.from(a.columns[c].buffer), Buffer.from(b.columns[c].buffer)])), c).toBe(true);
    }
    expect(all.meta.generator_version).toBe(GENERATOR_VERSION); // recorded; >= 4, the kernel's version
    expect(GENERATOR_VERSION).toBeGreaterThanOrEqual(4);
  });
  it('darkhiggs with mA + mh at sqrt(s) within reach of the ISR retry only: rejected with a reason; isr = 0 accepted', () => {
    const p = getProcess('darkhiggs');
    const near = { mA: 5, mh: SQRT_S - 5 - 1e-7 };
    expect(() => dimuonKernelParams(p, resolveParams(p, near), BELLE2_DETECTOR, [0, 0], 0)).toThrow(/too close to sqrt\(s\).*isr = 0/);
    expect(() => generate({ process: 'darkhiggs', events: 1, seed: 1, params: near })).toThrow(/too close/);
    expect(generate({ process: 'darkhiggs', events: 10, seed: 1, params: { ...near, isr: 0 }, acceptedOnly: false }).length).toBe(10);
    // the demo's heaviest points are far from the bound
    expect(() => dimuonKernelParams(p, resolveParams(p, { mA: 10, mh: 0.45 }), BELLE2_DETECTOR, [0, 0], 0)).not.toThrow();
  });
  it('a detector model with more than three ECL regions is refused by name', () => {
    const p = getProcess('mumu');
    const det = { ...BELLE2_DETECTOR, eclRegionsDeg: [[10, 20], [20, 30], [30, 40], [40, 50]] as [number, number][] };
    expect(() => generate({ process: 'mumu', events: 1, seed: 1, detector: det })).toThrow(/4 ECL regions; the kernel takes at most 3/);
    expect(() => dimuonKernelParams(p, resolveParams(p), BELLE2_DETECTOR, [0, 0], 0)).not.toThrow();
  });
});
