// The event generator: determinism (event i independent of chunking), kinematics (peaks where
// two-body physics puts them), resolution and acceptance, luminosity counts, samplers.
import { describe, expect, it } from 'vitest';
import {
  EventRandom, FAMILY_COLUMNS, GEN_KERNELS, PROCESSES, familyWord, kernelColumns, eventKey, expectedEvents, generate, generateAtLuminosity, getProcess, poisson,
  type GenKernel,
} from '../engine/generate/index.js';
import { BETA_CM, SQRT_S, gammaGammaAngular, sigmaGammaGammaToLL, toLab } from '../engine/generate/physics.js';
import { M_MU, mass, p4, pabs } from '../engine/generate/lorentz.js';
import { trackSigmaRel, trackAccepted, photonAccepted, BELLE2_DETECTOR } from '../engine/generate/detector.js';
import { aPrimeBranchingFractions, brAPrimeToMuMu, rRatio } from '../engine/generate/branching.js';
import { fourMuSpectrumFbPerGeV } from '../engine/generate/processes.js';
import { key } from '../engine/random.js';
import { tempDir } from './tmp.js';

const median = (a: ArrayLike<number>) => Array.from(a).sort((x, y) => x - y)[Math.floor(a.length / 2)];
const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0) / a.length;

describe('beams and frames', () => {
  it('sqrt(s) = 10.583 GeV and beta gamma = 0.2835 for 7 on 4 GeV', () => {
    expect(SQRT_S).toBeCloseTo(2 * Math.sqrt(28), 12);
    const bg = BETA_CM / Math.sqrt(1 - BETA_CM ** 2);
    expect(bg).toBeCloseTo(3 / Math.sqrt(112), 12);
    // the CM at rest boosts to the lab beams' total momentum
    const lab = toLab([SQRT_S, 0, 0, 0]);
    expect(lab[0]).toBeCloseTo(11, 10);
    expect(lab[3]).toBeCloseTo(3, 10);
  });
});

describe('determinism', () => {
  it('event i is the same whatever the number of events or the chunking', () => {
    const all = generate({ process: 'darkhiggs', events: 300, seed: 7, acceptedOnly: false });
    const a = generate({ process: 'darkhiggs', events: 120, seed: 7, acceptedOnly: false });
    const b = generate({ process: 'darkhiggs', events: 180, seed: 7, firstEvent: 120, acceptedOnly: false });
    for (const c of Object.keys(all.columns)) {
      expect(Array.from(all.columns[c]), c).toEqual([...Array.from(a.columns[c]), ...Array.from(b.columns[c])]);
    }
  });
  it('accepted-only rows are a subset of all rows, keyed by event index', () => {
    const all = generate({ process: 'tautau', events: 400, seed: 3, acceptedOnly: false });
    const acc = generate({ process: 'tautau', events: 400, seed: 3 });
    expect(acc.length).toBeLessThan(400);
    for (let r = 0; r < acc.length; r++) {
      const ev = acc.columns.event[r];
      expect(acc.columns.m_mumu_GeV[r]).toBe(all.columns.m_mumu_GeV[ev]);
    }
  });
  it('different seeds and processes give different events', () => {
    const a = generate({ process: 'mumu', events: 50, seed: 1 }), b = generate({ process: 'mumu', events: 50, seed: 2 });
    expect(Array.from(a.columns.p_mu1_GeV)).not.toEqual(Array.from(b.columns.p_mu1_GeV));
    expect(eventKey(1, getProcess('mumu'))).not.toEqual(eventKey(1, getProcess('tautau')));
  });
  it('the event stream is Philox with counter (event, block): uniforms in (0,1)', () => {
    const r = new EventRandom(key(5, 1)).start(12);
    const u = Array.from({ length: 1000 }, () => r.uniform());
    expect(Math.min(...u)).toBeGreaterThan(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(mean(u)).toBeCloseTo(0.5, 1);
    const r2 = new EventRandom(key(5, 1)).start(12);
    expect(r2.uniform()).toBe(u[0]);
  });
});

describe('generator kernels (GEN_KERNELS)', () => {
  it("each row writes every column of its processes' families, its flag and weight words past them; each process on a kernel runs through its row", () => {
    const rows = Object.entries(GEN_KERNELS);
    expect(rows.length).toBeGreaterThan(0);
    for (const [name, g] of rows) {
      expect(g.desc.name, name).toBe(name);
      expect(g.desc.outputs[0].perItem, name).toBe(g.evWords);
      const procs = PROCESSES.filter((p) => p.kernel === name);
      expect(procs.length, name).toBeGreaterThan(0);
      for (const p of procs) {
        const cols = kernelColumns(g, p.family), gk: GenKernel = g;
        const words = [familyWord(gk, gk.accWord, p.family), ...(gk.weightWord === undefined ? [] : [familyWord(gk, gk.weightWord, p.family)])];
        for (const j of words) expect(j >= cols.length && j < g.evWords, `${name} / ${p.family} word ${j}`).toBe(true);
        expect(new Set(words).size, `${name} / ${p.family}: distinct flag and weight words`).toBe(words.length);
        expect([...cols].sort(), `${name} / ${p.name}`).toEqual(Object.keys(FAMILY_COLUMNS[p.family]).sort());
        expect(p.generate, p.name).toBeUndefined();
        const s = generate({ process: p.name, events: 40, seed: 2, acceptedOnly: false });
        expect(s.length).toBe(40);
        expect(s.meta.event_kernel).toBe(`${name} kernel (f32, exact ops; kernels/${name}) on its TypeScript reference`);
      }
    }
  });
});

describe('dark Higgsstrahlung A\' h\'', () => {
  const mA = 4, mh = 2.5;
  const s = generate({ process: 'darkhiggs', events: 4000, seed: 11, params: { mA, mh } });
  it('peaks at (M_mumu, M_recoil) = (mA, mh) with the resolution model widths', () => {
    expect(median(s.columns.m_mumu_GeV)).toBeCloseTo(mA, 2);
    // Born level: the recoil peak sits at mh; ISR only adds a tail towards higher recoil mass
    const born = generate({ process: 'darkhiggs', events: 2000, seed: 11, params: { mA, mh, isr: 0 } });
    expect(Math.abs(median(born.columns.m_recoil_GeV) - mh)).toBeLessThan(0.015);
    expect(median(s.columns.m_recoil_GeV)).toBeGreaterThan(median(born.columns.m_recoil_GeV));
    expect(median(s.columns.m_recoil_GeV) - mh).toBeLessThan(0.1);
    // truth columns carry the unsmeared masses
    expect(median(s.columns.truth_m_mumu_GeV)).toBeCloseTo(mA, 6);
  });
  it('M_mumu width follows sigma_p/p (a few MeV at 4 GeV), not zero and not 100 MeV', () => {
    const d = Array.from(s.columns.m_mumu_GeV).map((m) => Math.abs(m - mA)).sort((x, y) => x - y);
    const w68 = d[Math.floor(0.68 * d.length)];
    expect(w68).toBeGreaterThan(0.002);
    expect(w68).toBeLessThan(0.04);
  });
  it('acceptance: every muon of a kept event lies in 17-150 degrees', () => {
    for (const c of ['cos_theta_mu1', 'cos_theta_mu2']) {
      for (const v of s.columns[c]) {
        expect(v).toBeLessThan(Math.cos((16.5 * Math.PI) / 180));
        expect(v).toBeGreaterThan(Math.cos((150.5 * Math.PI) / 180));
      }
    }
    expect(s.length / s.nGenerated).toBeGreaterThan(0.5);
    expect(s.length / s.nGenerated).toBeLessThan(0.98);
  });
  it('unphysical masses are refused naming the parameter', () => {
    expect(() => generate({ process: 'darkhiggs', events: 1, seed: 1, params: { mA: 8, mh: 3 } })).toThrow(/mA \+ mh/);
    expect(() => generate({ process: 'darkhiggs', events: 1, seed: 1, params: { mZ: 1 } })).toThrow(/unknown parameter 'mZ'/);
  });
});

describe('backgrounds of the dimuon searches', () => {
  it('mu mu (gamma): M_mumu near sqrt(s), recoil mass near 0, radiative tail', () => {
    const s = generate({ process: 'mumu', events: 3000, seed: 2 });
    expect(median(s.columns.m_mumu_GeV)).toBeGreaterThan(10.4);
    expect(Math.abs(median(s.columns.m_recoil_GeV))).toBeLessThan(0.1);
    const tail = Array.from(s.columns.m_recoil_GeV).filter((m) => m > 1).length / s.length;
    expect(tail).toBeGreaterThan(0.01);
    expect(tail).toBeLessThan(0.5);
  });
  it('mu mu with an ISR cut keeps the hard-radiation events and scales sigma', () => {
    const s = generate({ process: 'mumu', events: 2000, seed: 2, params: { xMin: 0.05 } });
    expect(s.sigmaFb).toBeLessThan(getProcess('mumu').sigmaFb({ xMin: 0, isr: 1 }) * 0.5);
    // one hard photon is massless: the recoil mass stays near 0, the pair's CM momentum balances it
    expect(median(s.columns.p_mumu_cm_GeV)).toBeGreaterThan(0.05 * SQRT_S / 2 * 0.9);
  });
  it('tau tau -> mu mu + 4 nu: broad missing mass, muon momenta below E_beam', () => {
    const s = generate({ process: 'tautau', events: 3000, seed: 4 });
    expect(median(s.columns.m_recoil_GeV)).toBeGreaterThan(3);
    for (const v of s.columns.p_mu1_GeV) expect(v).toBeLessThan(7.5);
    expect(s.sigmaFb).toBeCloseTo(0.919e6 * (0.1739 + 0.1082) ** 2, 0);
  });
  it('tau tau: a pion from tau -> pi nu reaches the dimuon final state only by muon misidentification', () => {
    const opts = { process: 'tautau', events: 4000, seed: 4 } as const;
    const noFake = generate({ ...opts, detector: { ...BELLE2_DETECTOR, piMuFakeRate: 0 } });
    const allFake = generate({ ...opts, detector: { ...BELLE2_DETECTOR, piMuFakeRate: 1, muIdEfficiency: 1 } });
    const nominal = generate(opts);
    // with every pion taken for a muon the mu pi and pi pi events join: (B_mu + B_pi)^2 / B_mu^2 = 2.6 times more
    expect(allFake.length / noFake.length).toBeGreaterThan(1.8);
    expect(nominal.length).toBeGreaterThan(noFake.length);
    expect(nominal.length).toBeLessThan(noFake.length * 1.2);
  });
  it('e e mu mu: photon virtualities give tagged events (an electron in the tracker) and pairs with transverse momentum that pass the A\'h\' preselection', () => {
    const all = generate({ process: 'eemumu', events: 6000, seed: 5, acceptedOnly: false });
    let tagged = 0;
    for (let i = 0; i < all.length; i++) if (all.columns.n_extra_tracks[i] > 0) tagged++;
    expect(tagged / all.length).toBeGreaterThan(0.01); // single- and double-tag topologies
    expect(tagged / all.length).toBeLessThan(0.9); // most events stay untagged
    const s = generate({ process: 'eemumu', events: 6000, seed: 5 });
    const c = s.columns;
    let pass = 0;
    for (let i = 0; i < s.length; i++) if (c.n_gamma[i] === 0 && c.n_extra_tracks[i] === 0 && Math.abs(c.cos_theta_recoil_cm[i]) < 0.8 && c.p_mumu_cm_GeV[i] > 0.5 && c.m2_recoil_GeV2[i] > 0) pass++;
    expect(pass).toBeGreaterThan(10);
  });
  it('e e mu mu: low pair mass (gamma gamma fusion), recoil near sqrt(s)', () => {
    const s = generate({ process: 'eemumu', events: 3000, seed: 5 });
    expect(median(s.columns.m_mumu_GeV)).toBeLessThan(2);
    for (const v of s.columns.truth_m_mumu_GeV) expect(v).toBeGreaterThan(0.5 - 1e-9);
    expect(median(s.columns.m_recoil_GeV)).toBeGreaterThan(8);
  });
});

describe('other signals', () => {
  it("gamma A' (invisible): the photon's CM energy is (s - M^2) / 2 sqrt(s)", () => {
    const m = 5;
    const s = generate({ process: 'gamma_aprime_inv', events: 2000, seed: 6, params: { mA: m } });
    expect(median(s.columns.E_cm_g1_GeV)).toBeCloseTo((SQRT_S ** 2 - m * m) / (2 * SQRT_S), 1);
    expect(median(s.columns.m_recoil_g1_GeV)).toBeCloseTo(m, 0);
  });
  it('gamma a, a -> gamma gamma: one diphoton pairing sits at m_a', () => {
    const ma = 2;
    const s = generate({ process: 'gamma_alp', events: 1000, seed: 6, params: { ma } });
    let near = 0;
    for (let i = 0; i < s.length; i++) {
      const best = Math.min(...['m_gg_12_GeV', 'm_gg_13_GeV', 'm_gg_23_GeV'].map((c) => Math.abs(s.columns[c][i] - ma)));
      if (best < 0.1) near++;
    }
    expect(near / s.length).toBeGreaterThan(0.7);
  });
  it("mu mu Z' -> mu mu: an opposite-sign pair at m_Z', four-muon mass near sqrt(s)", () => {
    const s = generate({ process: 'zp_mumu', events: 1000, seed: 8, params: { mZp: 2, isr: 0 } });
    let near = 0;
    for (let i = 0; i < s.length; i++) {
      const best = Math.min(...['13', '14', '23', '24'].map((c) => Math.abs(s.columns[`m_mumu_${c}_GeV`][i] - 2)));
      if (best < 0.02) near++;
    }
    expect(near / s.length).toBeGreaterThan(0.95);
    expect(median(s.columns.m_4mu_GeV)).toBeCloseTo(SQRT_S, 1);
  });
  it('B -> K S: B mass from K x x, reduced mass, flight and proper time consistent with c tau', () => {
    const ctau = 2;
    const s = generate({ process: 'b2ks_mumu', events: 3000, seed: 9, params: { mS: 1.5, ctauCm: ctau } });
    expect(median(s.columns.m_Kxx_GeV)).toBeCloseTo(5.279, 1);
    expect(median(s.columns.m_red_GeV)).toBeCloseTo(Math.sqrt(1.5 ** 2 - 4 * M_MU ** 2), 1);
    // <c t> = c tau (exponential, no acceptance bias on t here)
    expect(mean(s.columns.t_proper_ns) * 29.9792458).toBeCloseTo(ctau, 0);
    expect(s.columns.tau_gen_ns[0]).toBeCloseTo(ctau / 29.9792458, 6);
    // flight = beta gamma c t (beta gamma = p / m)
    for (let i = 0; i < 20; i++) {
      const bg = s.columns.p_S_GeV[i] / 1.5;
      expect(s.columns.flight_cm[i] / (bg * 29.9792458 * s.columns.t_proper_ns[i])).toBeCloseTo(1, 1);
    }
  });
  it('every process generates finite columns of its family', () => {
    for (const p of PROCESSES) {
      const s = generate({ process: p.name, events: 200, seed: 1 });
      expect(Object.keys(s.columns).sort()).toEqual(['event', 'weight', ...Object.keys(FAMILY_COLUMNS[p.family])].sort());
      for (const [c, a] of Object.entries(s.columns)) for (const v of a) expect(Number.isFinite(v), `${p.name} ${c}`).toBe(true);
      expect(s.meta.seed).toBe(1);
      expect(s.sigmaFb).toBeGreaterThan(0);
    }
  });
});

describe('detector model', () => {
  it('sigma_pT/pT = 0.0011 pT (+) 0.0025/beta', () => {
    const p = p4(M_MU, 3, 0, 0);
    expect(trackSigmaRel(p, M_MU)).toBeCloseTo(Math.hypot(0.0033, 0.0025 / (3 / p[0])), 12);
  });
  it('acceptance edges: tracks 17-150 deg, photons in the ECL regions (not in the gaps)', () => {
    const dir = (deg: number, e = 2) => p4(0, e * Math.sin((deg * Math.PI) / 180), 0, e * Math.cos((deg * Math.PI) / 180));
    expect(trackAccepted(dir(16))).toBe(false);
    expect(trackAccepted(dir(18))).toBe(true);
    expect(trackAccepted(dir(151))).toBe(false);
    expect(photonAccepted(dir(31.8))).toBe(false);
    expect(photonAccepted(dir(90))).toBe(true);
    expect(photonAccepted(dir(129.5))).toBe(false);
    expect(photonAccepted(dir(90, 0.05))).toBe(false);
  });
});

describe('samplers and formulas', () => {
  it('Breit-Wheeler envelope bound: N(c)/(1 - b^2 c^2) <= 2', () => {
    for (let b = 0; b < 1; b += 0.01) for (let c = -1; c <= 1; c += 0.01) {
      expect(gammaGammaAngular(c, b) * (1 - b * b * c * c)).toBeLessThanOrEqual(2 + 1e-12);
    }
    expect(sigmaGammaGammaToLL(0.2, M_MU)).toBe(0);
    expect(sigmaGammaGammaToLL(2, M_MU)).toBeGreaterThan(sigmaGammaGammaToLL(4, M_MU));
  });
  it('Poisson: mean and variance at small and large mu', () => {
    for (const mu of [3.5, 250]) {
      const r = new EventRandom(key(1, 9));
      const xs = Array.from({ length: 4000 }, (_, i) => poisson(r.start(i), mu));
      const m = mean(xs), v = mean(xs.map((x) => (x - m) ** 2));
      expect(Math.abs(m - mu) / Math.sqrt(mu / 4000)).toBeLessThan(4);
      expect(v / mu).toBeGreaterThan(0.9);
      expect(v / mu).toBeLessThan(1.1);
    }
  });
  it('pair mass of lab muons equals the truth recoil relation for A\' h\' without smearing', () => {
    const a = p4(M_MU, 1, 2, 3), b = p4(M_MU, -1, 0.5, 1);
    expect(mass([a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]])).toBeGreaterThan(0);
    expect(pabs(a)).toBeCloseTo(Math.sqrt(14), 12);
  });
});

describe('luminosity', () => {
  it('N = Poisson(sigma L) from the seed, recorded in the metadata', () => {
    const L = 0.05;
    const mu = expectedEvents('tautau', L);
    expect(mu).toBeCloseTo(0.919e6 * (0.1739 + 0.1082) ** 2 * L, 3);
    const s = generateAtLuminosity({ process: 'tautau', lumiFb: L, seed: 21 });
    const N = s.meta.poisson_events as number;
    expect(Math.abs(N - mu)).toBeLessThan(5 * Math.sqrt(mu));
    expect(s.nGenerated).toBe(N);
    expect(s.lumiFb).toBe(L);
    const again = generateAtLuminosity({ process: 'tautau', lumiFb: L, seed: 21 });
    expect(again.meta.poisson_events).toBe(N);
  });
  it('above maxEvents: weighted subsample, or an error with exact', () => {
    const s = generateAtLuminosity({ process: 'mumu', lumiFb: 0.01, seed: 1, maxEvents: 1000 });
    expect(s.nGenerated).toBe(1000);
    expect(s.columns.weight[0]).toBeCloseTo((s.meta.poisson_events as number) / 1000, 3);
    expect(() => generateAtLuminosity({ process: 'mumu', lumiFb: 0.01, seed: 1, maxEvents: 1000, exact: true })).toThrow(/exceed maxEvents/);
  });
});

describe('darkscan generate (CLI)', async () => {
  const { generateCmd } = await import('../engine/cli/generate.js');
  const { readEvents } = await import('../engine/io/index.js');
  const { join } = await import('node:path');
  const dir = tempDir('gen');
  it('writes CSV with seed, process and luminosity in the comment header, which the reader skips', async () => {
    const lines: string[] = [];
    const f = join(dir, 'tt.csv');
    expect(await generateCmd.run(['--process', 'tautau', '--lumi', '0.02', '--seed', '9', '--out', f], (s) => lines.push(s), {})).toBe(0);
    expect(lines.join('\n')).toMatch(/process=tautau seed=9 lumi=0.02 fb\^-1/);
    const t = await readEvents(f);
    expect(t.meta.seed).toBe(9);
    expect(t.meta.process).toBe('tautau');
    expect(t.meta.lumi_fb).toBe(0.02);
    const again = generateAtLuminosity({ process: 'tautau', lumiFb: 0.02, seed: 9 });
    expect(t.length).toBe(again.length);
    expect(Float32Array.from(t.columns.m_recoil_GeV)).toEqual(again.columns.m_recoil_GeV);
  });
  it('writes JSON with --events and --param; bad arguments are named', async () => {
    const f = join(dir, 'ah.json');
    await generateCmd.run(['--process', 'darkhiggs', '--events', '300', '--seed', '1', '--param', 'mA=6', '--param', 'mh=3', '--out', f], () => {}, {});
    const t = await readEvents(f);
    expect((t.meta.params as Record<string, number>).mA).toBe(6);
    expect(median(t.columns.m_mumu_GeV)).toBeCloseTo(6, 1);
    await expect(generateCmd.run(['--process', 'darkhiggs', '--events', '3', '--out', f], () => {}, {})).rejects.toThrow(/--seed is required/);
    await expect(generateCmd.run(['--process', 'nope', '--events', '3', '--seed', '1', '--out', f], () => {}, {})).rejects.toThrow(/unknown process 'nope'/);
    await expect(generateCmd.run(['--process', 'mumu', '--seed', '1', '--out', f], () => {}, {})).rejects.toThrow(/exactly one of --events N and --lumi/);
    await expect(generateCmd.run(['--process', 'mumu', '--events', '3', '--seed', '1', '--out', 'x.txt'], () => {}, {})).rejects.toThrow(/\.csv or \.json/);
    await expect(generateCmd.run(['--process', 'mumu', '--events', '3', '--seed', '1', '--param', 'xMin', '--out', f], () => {}, {})).rejects.toThrow(/NAME=VALUE/);
  });
});

describe("branching fractions (engine/generate/branching.ts)", () => {
  it("B(A' -> mu mu) from the R ratio: about 0.155 at 6 GeV (not 1), fractions sum to 1", () => {
    const b = aPrimeBranchingFractions(6);
    expect(b.mumu).toBeGreaterThan(0.14);
    expect(b.mumu).toBeLessThan(0.17);
    expect(b.ee + b.mumu + b.tautau + b.hadrons).toBeCloseTo(1, 12);
    // R between charm and bottom thresholds: 10/3 (1 + alpha_s/pi) ~ 3.5
    expect(rRatio(6)).toBeGreaterThan(3.3);
    expect(rRatio(6)).toBeLessThan(3.8);
    // below the pi pi threshold only leptons: B(mu mu) near 1/2 (less near the mu mu threshold)
    expect(brAPrimeToMuMu(0.25)).toBeGreaterThan(0.35);
    // at the phi the A' decays to hadrons
    expect(brAPrimeToMuMu(1.019)).toBeLessThan(0.05);
  });
  it("the A'h' cross section folds in B(A' -> mu mu)", () => {
    const p = getProcess('darkhiggs');
    const a = p.sigmaFb({ mA: 6, mh: 2, eps2alphaD: 1, isr: 1 }), b = p.sigmaFb({ mA: 0.25, mh: 0.1, eps2alphaD: 1, isr: 1 });
    expect(a).toBeGreaterThan(0);
    expect(() => generate({ process: 'darkhiggs', events: 1, seed: 1, params: { brMuMu: 1 } })).toThrow(/unknown parameter 'brMuMu'/);
    // sigma / B is the Born A'h' cross section, smooth in M_A': the ratio at 6 GeV carries B(mu mu) ~ 0.155
    expect(a / brAPrimeToMuMu(6)).toBeGreaterThan(a);
    expect(b / brAPrimeToMuMu(0.25)).toBeGreaterThan(b);
  });
});

describe('SM e+e- -> 4 mu (mumumumu)', () => {
  it('sigma is the integral of its gamma* mass spectrum; four identified muons with M_4mu near sqrt(s); one pair at the gamma* mass', () => {
    let integral = 0;
    const lo = 0.2123, hi = 10.37, N = 200000;
    for (let i = 0; i < N; i++) {
      const m = Math.exp(Math.log(lo) + ((Math.log(hi) - Math.log(lo)) * (i + 0.5)) / N);
      integral += fourMuSpectrumFbPerGeV(m) * m * ((Math.log(hi) - Math.log(lo)) / N);
    }
    const p = getProcess('mumumumu');
    expect(p.sigmaFb({ isr: 1 }) / integral).toBeCloseTo(1, 2);
    expect(p.illustrative).toBe(true);
    const s = generate({ process: 'mumumumu', events: 3000, seed: 8, params: { isr: 0 } });
    expect(s.length).toBeGreaterThan(500);
    expect(median(s.columns.m_4mu_GeV)).toBeCloseTo(SQRT_S, 0);
    // the gamma* mass spectrum falls like 1/M: most pairs are light
    expect(median(s.columns.truth_m_Zp_GeV)).toBeLessThan(2);
    const g = generateAtLuminosity({ process: 'mumumumu', lumiFb: 50, seed: 3, maxEvents: 500 });
    expect(g.meta.oversampled).toBe(true);
    expect(g.columns.weight[0]).toBeCloseTo((g.meta.poisson_events as number) / 500, 3);
  });
});
