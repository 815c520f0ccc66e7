// The gen_photons kernel (kernels/gen_photons: gammagamma, eegamma, gamma_alp, gamma_aprime_inv in
// f32 on every backend) against the f64 host generator it replaced, kept only as an independent
// cross-check (test/f64-photons.ts, run through the host chain generateHost: toLab, detector.ts,
// recoPhotons). Different random streams and arithmetic, so the comparison is statistical:
// acceptance, the means of n_gamma / n_tracks, means and binned shapes of the family's key
// variables (E_gamma, cos theta, M_gammagamma, M_recoil) within their errors. The same comparison
// fails for a kernel run with a broken physics input (a photon resolution scaled by 1.5, a tilted
// angular distribution), so it can fail. Plus: columns, chunking, parameter checks.
import { describe, expect, it } from 'vitest';
import { BELLE2_DETECTOR, FAMILY_COLUMNS, GEN_KERNELS, GENERATOR_VERSION, generate, generateHost, getProcess, resolveParams, type EventSample } from '../engine/generate/index.js';
import { photonsKernelParams } from '../engine/generate/gen-photons.js';
import type { Params, ProcessDef } from '../engine/generate/processes.js';
import { SQRT_S, produce2, sampleCos } from '../engine/generate/physics.js';
import { f64Def, recoPhotons } from './f64-photons.js';
import { compareSamples } from './genstats.js';

/** The family's key variables, per process (m_gg only where two photons are seen). */
const SHAPES = ['E_g1_GeV', 'E_cm_g1_GeV', 'cos_theta_g1', 'm_recoil_g1_GeV', 'E_total_GeV', 'm_gg_12_GeV', 'm_gg_13_GeV', 'm_gg_23_GeV', 'm_ggg_GeV'] as const;

/**
 * Where the kernel's sample and the host's disagree beyond ~4 sigma (test/genstats.ts compareSamples:
 * acceptance, means, chi^2 / ndf of the shapes). The f64 host's mass of one photon (its partner
 * absent) is rounding noise, ~1e-8 GeV, the kernel's 0: masses below 1 keV count as 0 on both sides.
 */
function disagreements(kernel: EventSample, host: EventSample, n: number): string[] {
  const floor = (s: EventSample): EventSample => ({
    ...s,
    columns: Object.fromEntries(Object.entries(s.columns).map(([c, x]) => [c, c.startsWith('m_gg') ? Float64Array.from(x, (v) => (v < 1e-6 ? 0 : v)) : x])),
  });
  return compareSamples(floor(kernel), floor(host), n, ['n_gamma', 'n_tracks', ...SHAPES]).failures;
}

const N = 20000;
const CONFIGS: [string, Params][] = [
  ['gammagamma', {}],
  ['gammagamma', { isr: 0 }],
  ['eegamma', {}],
  ['gamma_alp', { ma: 1 }],
  ['gamma_alp', { ma: 0.3, isr: 1 }],
  ['gamma_alp', { ma: 6 }],
  ['gamma_aprime_inv', { mA: 4 }],
  ['gamma_aprime_inv', { mA: 0, isr: 1 }],
  ['gamma_aprime_inv', { mA: 9 }],
];

describe('gen_photons kernel vs the f64 host generator it replaced (statistical)', () => {
  for (const [process, params] of CONFIGS) {
    it(`${process} ${JSON.stringify(params)}: acceptance, n_gamma, n_tracks, means and shapes of E_gamma, cos theta, M_gammagamma, M_recoil agree (${N} events each)`, () => {
      const kernel = generate({ process, params, events: N, seed: 21 });
      const host = generateHost(f64Def(process), { process, params, events: N, seed: 22 }, recoPhotons);
      expect(kernel.meta.event_kernel).toMatch(/gen_photons/);
      expect(host.meta.event_kernel).toBeUndefined();
      expect(disagreements(kernel, host, N)).toEqual([]);
    });
  }
  it('fails for broken physics: a photon energy resolution x1.5 (the ALP peak in M_gammagamma, E*_gamma of the single photon) or an A\' angular distribution tilted to the barrel', () => {
    const wide = { ...BELLE2_DETECTOR, photonResB: 1.5 * BELLE2_DETECTOR.photonResB, photonResC: 1.5 * BELLE2_DETECTOR.photonResC };
    const alp = (detector = BELLE2_DETECTOR) => generate({ process: 'gamma_alp', params: { ma: 1 }, events: N, seed: 21, detector });
    const alpHost = generateHost(f64Def('gamma_alp'), { process: 'gamma_alp', params: { ma: 1 }, events: N, seed: 22 }, recoPhotons);
    const bad = disagreements(alp(wide), alpHost, N);
    expect(bad.some((b) => b.includes('m_gg_23_GeV: binned shapes')), bad.join('; ')).toBe(true);
    const ap = generateHost(f64Def('gamma_aprime_inv'), { process: 'gamma_aprime_inv', params: { mA: 4 }, events: N, seed: 22 }, recoPhotons);
    const badE = disagreements(generate({ process: 'gamma_aprime_inv', params: { mA: 4 }, events: N, seed: 21, detector: wide }), ap, N);
    expect(badE.some((b) => b.includes('E_cm_g1_GeV: binned shapes')), badE.join('; ')).toBe(true);
    // a different angular distribution: the kernel's (1 + c^2)/(1 - c^2) against 1 + c^2 on the host (gamma_alp's)
    const born: ProcessDef = {
      ...getProcess('gamma_aprime_inv'),
      kernel: undefined,
      generate(rng, p) {
        const [g, a] = produce2([SQRT_S, 0, 0, 0], 0, p.mA, sampleCos(rng, (x) => 1 + x * x, 2), rng.between(0, 2 * Math.PI));
        return { particles: [{ kind: 'gamma', charge: 0, p: g }, { kind: 'invisible', charge: 0, p: a }], truth: { truth_m_GeV: p.mA } };
      },
    };
    const flat = generateHost(born, { process: 'gamma_aprime_inv', params: { mA: 4 }, events: N, seed: 22 }, recoPhotons);
    const badC = disagreements(generate({ process: 'gamma_aprime_inv', params: { mA: 4 }, events: N, seed: 21 }), flat, N);
    expect(badC.some((b) => b.includes('cos_theta_g1')), badC.join('; ')).toBe(true);
  });
});

describe('gen_photons kernel processes', () => {
  it("the kernel's columns are the photons family's, in order; its row in GEN_KERNELS", () => {
    expect([...GEN_KERNELS.gen_photons.columns]).toEqual(Object.keys(FAMILY_COLUMNS.photons));
    for (const p of ['gammagamma', 'eegamma', 'gamma_alp', 'gamma_aprime_inv']) expect(getProcess(p).kernel).toBe('gen_photons');
    expect(GENERATOR_VERSION).toBeGreaterThanOrEqual(10);
  });
  it('a sample is the same whatever the chunking: 70000 events (three kernel dispatches) = parts from other first events', () => {
    const o = { process: 'eegamma', events: 70000, seed: 5, acceptedOnly: false };
    const all = generate(o);
    const a = generate({ ...o, events: 33000 }), b = generate({ ...o, firstEvent: 33000, events: 37000 });
    for (const c of Object.keys(all.columns)) {
      expect(Buffer.from(all.columns[c].buffer).equals(Buffer.concat([Buffer.from(a.columns[c].buffer), Buffer.from(b.columns[c].buffer)])), c).toBe(true);
    }
  });
  it('the ALP peak: M_gammagamma of the ALP pair at ma within the resolution, truth_m_GeV = ma; a single photon at E* = (s - mA^2) / 2 sqrt(s)', () => {
    const s = generate({ process: 'gamma_alp', params: { ma: 3 }, events: 5000, seed: 3 });
    const three = [...s.columns.n_gamma.keys()].filter((i) => s.columns.n_gamma[i] === 3);
    expect(three.length).toBeGreaterThan(1000);
    // the ALP pair: the pair whose mass is closest to ma (the recoil photon at E* = 5.0 GeV is the most energetic)
    const near = three.map((i) => Math.min(...['m_gg_12_GeV', 'm_gg_13_GeV', 'm_gg_23_GeV'].map((c) => Math.abs(s.columns[c][i] - 3))));
    expect(near.filter((d) => d < 0.15).length / near.length).toBeGreaterThan(0.9);
    expect(s.columns.truth_m_GeV.every((m) => Math.abs(m - 3) < 1e-6)).toBe(true);
    const a = generate({ process: 'gamma_aprime_inv', params: { mA: 6 }, events: 5000, seed: 3 });
    const eStar = (10.58 ** 2 - 36) / (2 * 10.58);
    const ecm = Array.from(a.columns.E_cm_g1_GeV).sort((x, y) => x - y);
    expect(Math.abs(ecm[ecm.length >> 1] - eStar)).toBeLessThan(0.03);
  });
  it('parameter checks before any event: cosMax outside (0, 1), ISR with a threshold too close to sqrt(s)', () => {
    expect(() => generate({ process: 'gammagamma', events: 1, seed: 1, params: { cosMax: 1 } })).toThrow(/cosMax = 1 must lie in \(0, 1\)/);
    // ma + 1 MeV above sqrt(s): ISR could never leave the ALP's mass
    expect(() => generate({ process: 'gamma_alp', events: 1, seed: 1, params: { ma: SQRT_S - 5e-4, isr: 1 } })).toThrow(/ma \+ 1 MeV = .* too close to sqrt\(s\).*isr = 0/);
    expect(generate({ process: 'gamma_alp', events: 10, seed: 1, params: { ma: SQRT_S - 5e-4 }, acceptedOnly: false }).length).toBe(10);
    expect(() => generate({ process: 'gamma_alp', events: 1, seed: 1, params: { ma: 9.7, isr: 1 } })).not.toThrow();
    const p = getProcess('gamma_aprime_inv');
    const k = photonsKernelParams(p, resolveParams(p, { mA: 2 }), BELLE2_DETECTOR, [0, 0], 0);
    expect(k.mode).toBe(3);
    expect(Math.tanh(k.gg_t)).toBeCloseTo(resolveParams(p).cosMax, 12);
  });
});
