// The gen_tautau kernel (kernels/gen_tautau: e+e- -> tau+ tau- (gamma), tau -> mu nu nu / pi nu
// with the longitudinal spin correlation, pion misidentification, in f32 on every backend) against
// the f64 host generator it replaced, kept only as an independent cross-check (test/f64-tautau.ts,
// run through the host chain generateHost: physics.ts radiate / produce2 / tauToMuNuNu /
// tauToPiNu, detector.ts, reconstruct). Different random streams and arithmetic, so the comparison
// is statistical (test/genstats.ts compareSamples): acceptance, means and binned shapes of
// M_recoil, M_mumu, momenta and angles, and per decay-mode stratum the acceptance (the muon-vs-pion
// composition of what passes). Negative controls: the same comparison against the f64 generator
// with the spin correlation switched off, with unpolarized decays, or with the pion misID rate
// doubled reports disagreements, so the test can fail when the physics breaks.
import { describe, expect, it } from 'vitest';
import { FAMILY_COLUMNS, GEN_KERNELS, GENERATOR_VERSION, generate, generateHost, getProcess, kernelEventKey, resolveParams, BELLE2_DETECTOR, type EventSample } from '../engine/generate/index.js';
import { tauModeFraction, tautauKernelParams } from '../engine/generate/gen-tautau.js';
import { genTautau } from '../kernels/gen_tautau/desc.js';
import { C_MODES, EV_WORDS, GEN_TAUTAU_COLUMNS } from '../kernels/gen_tautau/ref.js';
import { packParams } from '../kernels/types.js';
import { f64TautauDef, type Broken } from './f64-tautau.js';
import { compareSamples, mean } from './genstats.js';

const SHAPES = ['m_recoil_GeV', 'm_mumu_GeV', 'm2_recoil_GeV2', 'p_mumu_cm_GeV', 'cos_theta_recoil_cm', 'cos_theta_mu1', 'p_mu1_GeV', 'p_mu2_GeV', 'cos_helicity', 'E_extra_GeV', 'n_gamma'] as const;
const N = 40_000;

const kernel = (params: Record<string, number>, o: { seed?: number; acceptedOnly?: boolean } = {}) =>
  generate({ process: 'tautau', params, events: N, seed: o.seed ?? 21, acceptedOnly: o.acceptedOnly });
const host = (params: Record<string, number>, o: { seed?: number; acceptedOnly?: boolean; broken?: Broken; piFake?: number } = {}) =>
  generateHost(f64TautauDef(o.broken), {
    process: 'tautau', params, events: N, seed: o.seed ?? 22, acceptedOnly: o.acceptedOnly,
    detector: o.piFake === undefined ? undefined : { ...BELLE2_DETECTOR, piMuFakeRate: o.piFake },
  });

describe('gen_tautau kernel vs the f64 host generator it replaced (statistical)', () => {
  it(`all decay modes with ISR: acceptance, means and shapes of M_recoil, M_mumu, momenta and angles agree (${N} events each)`, () => {
    const k = kernel({});
    expect(k.meta.event_kernel).toMatch(/gen_tautau/);
    expect(compareSamples(k, host({}), N, SHAPES).failures).toEqual([]);
  });
  it('per decay-mode stratum (mu mu, mu pi, pi pi): acceptance, i.e. the muon-vs-pion composition of what passes, and the mu mu / mu pi shapes agree', () => {
    for (const st of [1, 2]) expect(compareSamples(kernel({ decayStratum: st }), host({ decayStratum: st }), N, SHAPES).failures, `stratum ${st}`).toEqual([]);
    // pi pi passes only through two misidentifications (0.041^2): the acceptance alone (~40 events)
    expect(compareSamples(kernel({ decayStratum: 3 }), host({ decayStratum: 3 }), N, []).failures, 'stratum 3').toEqual([]);
  });
  it('the truth pair mass of every event (Born, no detector cut) agrees in each stratum: the spin correlation of both decays', () => {
    for (const st of [1, 2, 3]) {
      const p = { decayStratum: st, isr: 0 };
      expect(compareSamples(kernel(p, { acceptedOnly: false }), host(p, { acceptedOnly: false }), N, ['truth_m_mumu_GeV', 'truth_m_recoil_GeV']).failures, `stratum ${st}`).toEqual([]);
    }
  });
});

describe('negative controls: the comparison fails when the physics is broken', () => {
  it('spin correlation off (h(tau+) independent of h(tau-)) or unpolarized decays: the mu pi and pi pi truth pair masses disagree', () => {
    for (const st of [2, 3]) {
      const p = { decayStratum: st, isr: 0 };
      const k = kernel(p, { acceptedOnly: false });
      for (const broken of [{ noSpinCorrelation: true }, { unpolarized: true }] as Broken[]) {
        const bad = compareSamples(k, host(p, { acceptedOnly: false, broken }), N, ['truth_m_mumu_GeV']).failures;
        expect(bad.join('; '), `stratum ${st} ${JSON.stringify(broken)}`).toMatch(/truth_m_mumu_GeV: (means|binned shapes)/);
      }
    }
  });
  it('pion misID scaled (x2 in the mu pi stratum, x3 in the whole sample): the acceptance disagrees', () => {
    expect(compareSamples(kernel({ decayStratum: 2 }), host({ decayStratum: 2 }, { piFake: 0.082 }), N, []).failures.join()).toMatch(/acceptance/);
    // the whole: the mu pi events are ~5% of what passes; x3: about +11% acceptance, ~9 sigma at N = 40000 (x2 would be ~4.6)
    expect(compareSamples(kernel({}), host({}, { piFake: 0.123 }), N, []).failures.join()).toMatch(/acceptance/);
  });
});

describe('tau tau decay-mode strata', () => {
  const proc = getProcess('tautau');
  const sigma = (st: number) => proc.sigmaFb(resolveParams(proc, { decayStratum: st }));
  it('are exact and disjoint: their cross sections add up to the whole, mu mu is ~38% of it', () => {
    expect(sigma(1) + sigma(2) + sigma(3)).toBeCloseTo(sigma(0), 6);
    expect(sigma(1) / sigma(0)).toBeCloseTo((0.1739 / (0.1739 + 0.1082)) ** 2, 12);
    expect(tauModeFraction(1) + tauModeFraction(2) + tauModeFraction(3)).toBeCloseTo(1, 14);
    expect(sigma(0)).toBeCloseTo(0.919e6 * (0.1739 + 0.1082) ** 2, 6);
  });
  it("the kernel's true decay modes (word C_MODES): each stratum only its modes (mu pi: either tau to pi, half each); the whole in the proportions f_mu^2, 2 f_mu f_pi, f_pi^2", () => {
    const modes = (st: number, n: number) => {
      const words = new Uint32Array(n * EV_WORDS);
      const params = tautauKernelParams(proc, resolveParams(proc, { decayStratum: st }), BELLE2_DETECTOR, kernelEventKey(7, proc), 0);
      genTautau.ref(packParams(genTautau, { count: n, params }, 0, n), [], [words]);
      const f = new Float32Array(words.buffer);
      const h = [0, 0, 0, 0];
      for (let i = 0; i < n; i++) h[f[i * EV_WORDS + C_MODES]]++;
      return h;
    };
    expect(modes(1, 2000)).toEqual([2000, 0, 0, 0]);
    expect(modes(3, 2000)).toEqual([0, 0, 0, 2000]);
    const m2 = modes(2, 20000);
    expect(m2[0] + m2[3]).toBe(0);
    expect(Math.abs(m2[1] - 10000)).toBeLessThan(4 * Math.sqrt(5000));
    const m0 = modes(0, 20000);
    for (const [j, st] of [[0, 1], [3, 3]]) expect(Math.abs(m0[j] - 20000 * tauModeFraction(st))).toBeLessThan(4 * Math.sqrt(20000 * tauModeFraction(st)));
    expect(Math.abs(m0[1] + m0[2] - 20000 * tauModeFraction(2))).toBeLessThan(4 * Math.sqrt(20000 * tauModeFraction(2)));
  });
  it("the sigma-weighted strata reproduce the whole's acceptance and mean M_recoil", () => {
    const whole = kernel({}, { seed: 31 });
    const parts = [1, 2, 3].map((st) => kernel({ decayStratum: st }, { seed: 31 + st }));
    const w = [1, 2, 3].map((st) => sigma(st) / sigma(0));
    const acc = (s: EventSample) => s.length / N;
    const mix = parts.reduce((a, s, j) => a + w[j] * acc(s), 0);
    const se = Math.sqrt(acc(whole) * (1 - acc(whole)) / N + parts.reduce((a, s, j) => a + w[j] ** 2 * acc(s) * (1 - acc(s)) / N, 0));
    expect(Math.abs(acc(whole) - mix)).toBeLessThan(4 * se);
    const mRec = parts.reduce((a, s, j) => a + w[j] * acc(s) * mean(s.columns.m_recoil_GeV), 0) / mix;
    expect(Math.abs(mean(whole.columns.m_recoil_GeV) - mRec)).toBeLessThan(0.05); // ~4 sigma of the mean of ~10k events (sd 1.9)
  });
  it('skim: the accepted events are those without the skim, bit for bit; the others stop after the identification draws (not accepted, columns 0)', () => {
    for (const st of [0, 2]) {
      const o = { process: 'tautau', events: 20000, seed: 9, params: { decayStratum: st } };
      const a = generate(o), b = generate({ ...o, params: { decayStratum: st, skim: 1 } });
      expect(b.length).toBe(a.length);
      expect(a.length).toBeGreaterThan(st === 2 ? 300 : 3000);
      for (const c of Object.keys(a.columns)) expect(Buffer.from(b.columns[c].buffer).equals(Buffer.from(a.columns[c].buffer)), `stratum ${st} ${c}`).toBe(true);
      const all = generate({ ...o, params: { decayStratum: st, skim: 1 }, acceptedOnly: false });
      let stopped = 0;
      for (let i = 0; i < all.length; i++) if (all.columns.truth_m_mumu_GeV[i] === 0) stopped++;
      // mu pi: the pion misidentified (4.1%) and the muon identified (90%): ~96% stop; all modes: ~1 - 0.36 of them
      expect(stopped / all.length).toBeGreaterThan(st === 2 ? 0.95 : 0.3);
    }
    expect(() => generate({ process: 'tautau', events: 1, seed: 1, params: { skim: 2 } })).toThrow(/skim must be 0 or 1/);
  });
  it('refuses a stratum outside 0..3', () => {
    expect(() => generate({ process: 'tautau', events: 1, seed: 1, params: { decayStratum: 4 } })).toThrow(/decayStratum must be 0, 1, 2 or 3/);
  });
});

describe('gen_tautau kernel processes', () => {
  it("the kernel's columns are the dimuon family's, in order, and tau tau runs through its GEN_KERNELS row", () => {
    expect([...GEN_TAUTAU_COLUMNS]).toEqual(Object.keys(FAMILY_COLUMNS.dimuon));
    expect(getProcess('tautau').kernel).toBe('gen_tautau');
    expect(GEN_KERNELS.gen_tautau.desc).toBe(genTautau);
    expect(getProcess('tautau').generate).toBeUndefined(); // the f64 code lives on only in test/f64-tautau.ts
  });
  it('a sample is the same whatever the chunking (70000 events: three kernel dispatches = two parts)', () => {
    const o = { process: 'tautau', events: 70000, seed: 5, acceptedOnly: false };
    const all = generate(o);
    const a = generate({ ...o, events: 33000 }), b = generate({ ...o, firstEvent: 33000, events: 37000 });
    for (const c of Object.keys(all.columns)) {
      expect(Buffer.from(all.columns[c].buffer).equals(Buffer.concat([Buffer.from(a.columns[c].buffer), Buffer.from(b.columns[c].buffer)])), c).toBe(true);
    }
    expect(all.meta.generator_version).toBe(GENERATOR_VERSION);
    expect(GENERATOR_VERSION).toBeGreaterThanOrEqual(13);
  });
});
