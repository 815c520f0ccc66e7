// The gen_fourmuon kernel (kernels/gen_fourmuon: zp_mumu, mumumumu and zp_tautau in f32 on every backend)
// against the f64 host generator it replaced, kept only as an independent cross-check (test/f64-fourmuon.ts:
// the former definitions, physics.ts tabulated / radiate / decay3 / decay2 / tauToMuNuNu, and the family's
// former host reconstruction) run through the host chain (generateHost: toLab, detector.ts, recoFourmuon). Different random streams and arithmetic, so
// the comparison is statistical (test/genstats.ts): acceptance, means and binned shapes of M_4mu, the
// four pair masses and their recoil masses, E_extra and the muon momenta. Negative controls: the same
// comparison rejects an f64 generator with the Z' / gamma* mass moved or without ISR. Plus: the
// kernel's gamma* mass is the f64 inverse CDF at the event's uniform, its columns are the family's,
// and its samples do not depend on chunking or first event.
import { describe, expect, it } from 'vitest';
import { FAMILY_COLUMNS, GENERATOR_VERSION, generate, generateHost, getProcess, kernelEventKey, resolveParams, BELLE2_DETECTOR, type EventSample } from '../engine/generate/index.js';
import { GEN_FOURMUON_COLUMNS, fourmuonKernelParams } from '../engine/generate/gen-fourmuon.js';
import { isrFailBound } from '../engine/generate/genkin.js';
import { M_MU } from '../engine/generate/lorentz.js';
import { SQRT_S } from '../engine/generate/physics.js';
import { FOURMU_M_HI, fourMuSpectrumTable, type Params } from '../engine/generate/processes.js';
import { newStream, rsInit, rsUniform } from '../kernels/lib/sampling.js';
import { f64FourmuonDef, fourMuF64Table, recoFourmuon } from './f64-fourmuon.js';
import { compareSamples, mean, sd } from './genstats.js';

const PAIRS = ['13', '14', '23', '24'];
const SHAPES = [
  'm_4mu_GeV', ...PAIRS.map((p) => `m_mumu_${p}_GeV`), ...PAIRS.map((p) => `m_recoil_${p}_GeV`), 'E_extra_GeV', 'mu1_pz_GeV', 'mu2_px_GeV', 'mu4_pz_GeV', 'truth_m_Zp_GeV',
];
const N = 30000;

/** The search's selection (engine/analyses/searches.ts ZPRIME_MUMU): no extra track, |M_4mu - sqrt(s)| < 0.5 GeV, E_extra < 1 GeV; fraction of the n generated. */
function passFraction(s: EventSample, n: number): number {
  const c = s.columns;
  let k = 0;
  for (let i = 0; i < s.length; i++) if (c.n_extra_tracks[i] === 0 && Math.abs(c.m_4mu_GeV[i] - SQRT_S) < 0.5 && c.E_extra_GeV[i] < 1) k++;
  return k / n;
}

describe('gen_fourmuon kernel vs the f64 host generator it replaced (statistical)', () => {
  for (const [process, params] of [
    ['zp_mumu', { mZp: 3 }],
    ['zp_mumu', { mZp: 0.3 }],
    ['zp_mumu', { mZp: 9 }],
    ['zp_mumu', { mZp: 2, isr: 0 }],
    ['mumumumu', { isr: 1 }],
    ['mumumumu', { isr: 0 }],
    ['zp_tautau', { mZp: 5 }],
    ['zp_tautau', { mZp: 9 }],
    ['zp_tautau', { mZp: 4, isr: 0 }],
  ] as [string, Params][]) {
    it(`${process} ${JSON.stringify(params)}: acceptance, the search's pass fraction, means and shapes of M_4mu, the pair and recoil masses, E_extra agree (${N} events each)`, () => {
      const kernel = generate({ process, params, events: N, seed: 21 });
      const host = generateHost(f64FourmuonDef(process), { process, params, events: N, seed: 22 }, recoFourmuon);
      expect(kernel.meta.event_kernel).toMatch(/gen_fourmuon/);
      const cmp = compareSamples(kernel, host, N, SHAPES);
      expect(cmp.failures).toEqual([]);
      const a = passFraction(kernel, N), b = passFraction(host, N);
      expect(Math.abs(a - b), `selection pass fraction ${a} vs ${b}`).toBeLessThan(4 * Math.sqrt((a * (1 - a) + b * (1 - b)) / N) + 1e-9);
      // the counts: means within 4 sigma
      for (const c of ['n_gamma', 'n_extra_tracks']) {
        const x = kernel.columns[c], y = host.columns[c];
        expect(Math.abs(mean(x) - mean(y)), `${c}: means ${mean(x)} vs ${mean(y)}`).toBeLessThan(4 * Math.sqrt(sd(x) ** 2 / x.length + sd(y) ** 2 / y.length) + 1e-9);
      }
    });
  }

  // The comparison above can fail: it rejects f64 generators with broken physics.
  for (const [what, process, params, broken, hostParams] of [
    ["the Z' mass 2% high", 'zp_mumu', { mZp: 3 }, { zpScale: 1.02 }, { mZp: 3 }],
    ["the Z' mass 5% high", 'zp_tautau', { mZp: 5 }, { zpScale: 1.05 }, { mZp: 5 }],
    ['the gamma* mass spectrum skewed (drawn at u^0.8)', 'mumumumu', { isr: 1 }, { uPower: 0.8 }, { isr: 1 }],
    ['no ISR', 'mumumumu', { isr: 1 }, {}, { isr: 0 }],
  ] as const) {
    it(`negative control: ${process} against an f64 generator with ${what} fails the comparison`, () => {
      const kernel = generate({ process, params, events: N, seed: 21 });
      const host = generateHost(f64FourmuonDef(process, broken), { process, params: hostParams, events: N, seed: 22 }, recoFourmuon);
      const { failures } = compareSamples(kernel, host, N, SHAPES);
      expect(failures.length, failures.join('; ')).toBeGreaterThan(0);
      if (what === 'no ISR') expect(failures.some((f) => /E_extra_GeV|m_4mu_GeV/.test(f))).toBe(true);
      else expect(failures.some((f) => /m_mumu_|m_recoil_|truth_m_Zp_GeV/.test(f))).toBe(true);
    });
  }
});

describe('gen_fourmuon: the gamma* mass from the f32 table', () => {
  it("each event's M(gamma*) (truth_m_Zp_GeV) is the f64 inverse CDF at the event's first uniform, within 1e-5 relative (f32 CDF steps near the top)", () => {
    const proc = getProcess('mumumumu');
    const s = generate({ process: 'mumumumu', params: { isr: 0 }, events: 5000, seed: 3, firstEvent: 1000, acceptedOnly: false });
    const k = kernelEventKey(3, proc), rs = newStream();
    let worst = 0;
    for (let i = 0; i < s.length; i++) {
      rsInit(rs, k[0], k[1], 1000 + i, 0, 0);
      const m64 = fourMuF64Table().sample(rsUniform(rs));
      worst = Math.max(worst, Math.abs(s.columns.truth_m_Zp_GeV[i] / m64 - 1));
    }
    expect(worst).toBeLessThan(1e-5);
    // the table: 20000 intervals, CDF from 0 to 1, the masses' range, sigma its f64 integral
    const t = fourMuSpectrumTable(), f = new Float32Array(t.words.buffer);
    expect([t.n, f[0], f[t.n], f.length]).toEqual([20000, 0, 1, 3 * 20001]);
    expect(f[2 * t.n + 1]).toBeCloseTo(FOURMU_M_HI, 5);
    expect(proc.sigmaFb({ isr: 1 })).toBe(t.total);
  });
  it('the ISR retry of the heaviest gamma* (m_min = sqrt(s) - 1 MeV) fails with probability < 1e-16; a Z\' that close to sqrt(s) is refused with ISR', () => {
    expect(isrFailBound(FOURMU_M_HI + 2 * M_MU)).toBeLessThan(1e-16);
    const p = getProcess('zp_mumu');
    const near = { mZp: SQRT_S - 2 * M_MU - 1e-7 };
    expect(() => generate({ process: 'zp_mumu', events: 1, seed: 1, params: near })).toThrow(/too close to sqrt\(s\).*isr = 0/);
    expect(generate({ process: 'zp_mumu', events: 10, seed: 1, params: { ...near, isr: 0 }, acceptedOnly: false }).length).toBe(10);
    expect(() => fourmuonKernelParams(p, resolveParams(p, { mZp: 10 }), BELLE2_DETECTOR, [0, 0], 0)).not.toThrow();
  });
});

describe('gen_fourmuon kernel processes', () => {
  it("the kernel's columns are the four-muon family's, in order", () => {
    expect([...GEN_FOURMUON_COLUMNS]).toEqual(Object.keys(FAMILY_COLUMNS.fourmuon));
  });
  it('a sample is the same whatever the chunking: 70000 events (three kernel dispatches) = parts from other first events', () => {
    const o = { process: 'mumumumu', events: 70000, seed: 5, acceptedOnly: false };
    const all = generate(o);
    const a = generate({ ...o, events: 33000 }), b = generate({ ...o, firstEvent: 33000, events: 37000 });
    for (const c of Object.keys(all.columns)) {
      expect(Buffer.from(all.columns[c].buffer).equals(Buffer.concat([Buffer.from(a.columns[c].buffer), Buffer.from(b.columns[c].buffer)])), c).toBe(true);
    }
    expect(all.meta.generator_version).toBe(GENERATOR_VERSION);
    expect(GENERATOR_VERSION).toBeGreaterThanOrEqual(10);
  });
  it('accepted events have two identified muons of each charge ordered by |p|; rejected rows keep n_gamma, E_extra, n_extra_tracks and the truth mass', () => {
    const s = generate({ process: 'zp_mumu', params: { mZp: 1.5 }, events: 4000, seed: 9, acceptedOnly: false });
    const c = s.columns;
    const p = (j: number, i: number) => Math.hypot(c[`mu${j}_px_GeV`][i], c[`mu${j}_py_GeV`][i], c[`mu${j}_pz_GeV`][i]);
    let acc = 0;
    for (let i = 0; i < s.length; i++) {
      expect(c.truth_m_Zp_GeV[i]).toBe(Math.fround(1.5));
      if (c.m_4mu_GeV[i] === 0) {
        expect(c.mu1_px_GeV[i]).toBe(0);
        continue;
      }
      acc++;
      expect(p(1, i)).toBeGreaterThanOrEqual(p(2, i) * (1 - 1e-6));
      expect(p(3, i)).toBeGreaterThanOrEqual(p(4, i) * (1 - 1e-6));
    }
    // 0.9^4 identification times the acceptance of four tracks
    expect(acc / s.length).toBeGreaterThan(0.2);
    expect(acc / s.length).toBeLessThan(0.9 ** 4);
    expect(mean(c.n_gamma)).toBeGreaterThan(0);
  });
});
