// B-meson processes at the Upsilon(4S) for B -> K(*) a, a -> gamma gamma (Belle, JHEP 12 (2025) 109,
// arXiv:2507.01249: modes K+, K0S, K*0, K*+) and their backgrounds, plus the B-production constants
// shared with the LLP processes. The other B of the event is not simulated. Family 'bmeson': the
// kaon system's tracks (role 'K') and two photons, reconstructed as a B candidate (M_bc, Delta E)
// in engine/generate/index.ts. Every process takes `mode` (B_MODES index; 0 = B+ -> K+).
import type { EventRandom } from './rng.js';
import type { GenEvent, GenParticle, ProcessDef } from './processes.js';
import { M_B, M_K, M_PI, type P4 } from './lorentz.js';
import { SQRT_S, decay2, decay3, produce2, sampleCos } from './physics.js';

export const NB = 1e6; // fb per nb
/** e+e- -> Upsilon(4S) -> B Bbar, nb (Belle II Physics Book, PTEP 2019 123C01, Table 4). */
export const SIGMA_BB_NB = 1.05;
/** B(Upsilon(4S) -> B+ B-) (PDG 2024). */
export const BR_BPLUS_BMINUS = 0.514;
/** B+ (and B-) mesons produced per fb^-1: 2 sigma_BB f+-. */
export const CHARGED_B_PER_FB = 2 * SIGMA_BB_NB * NB * BR_BPLUS_BMINUS;
const M_PI0 = 0.1349768, M_ETA = 0.547862, M_B0 = 5.27966, M_K0 = 0.497611, M_KSTAR0 = 0.89555, M_KSTARP = 0.89167; // PDG 2024
const B_K0S = 0.5 * 0.6920; // B(K0 -> K0S) x B(K0S -> pi+ pi-) (PDG 2024)
const B_PI0_GG = 0.98823, B_ETA_GG = 0.3936; // PDG 2024

/**
 * The kaon modes of the paper: the B (mass, B(Y4S -> this pair) f, lifetime), the kaon system
 * (mass, spin: 'P' pseudoscalar or 'V' vector, its reconstructed decay and that decay's branching
 * fraction kDecay), and the PDG 2024 branching fractions of the peaking B -> K(*) pi0 / eta backgrounds.
 */
export const B_MODES = [
  { key: 'K+', b: 'B+', mB: M_B, f: 0.514, tauB_s: 1.638e-12, mK: M_K, spin: 'P', decay: 'K+', kDecay: 1, brPi0: 1.31e-5, brEta: 2.4e-6 },
  { key: 'K0S', b: 'B0', mB: M_B0, f: 0.486, tauB_s: 1.517e-12, mK: M_K0, spin: 'P', decay: 'K0S -> pi+ pi-', kDecay: B_K0S, brPi0: 9.9e-6, brEta: 1.23e-6 },
  { key: 'K*0', b: 'B0', mB: M_B0, f: 0.486, tauB_s: 1.517e-12, mK: M_KSTAR0, spin: 'V', decay: 'K*0 -> K+ pi-', kDecay: 2 / 3, brPi0: 3.3e-6, brEta: 1.59e-5 },
  { key: 'K*+', b: 'B+', mB: M_B, f: 0.514, tauB_s: 1.638e-12, mK: M_KSTARP, spin: 'V', decay: 'K*+ -> K0S pi+, K0S -> pi+ pi-', kDecay: (2 / 3) * B_K0S, brPi0: 6.8e-6, brEta: 1.93e-5 },
] as const;
export type BMode = (typeof B_MODES)[number];

/** B mesons of a mode's charge per fb^-1 times the kaon system's reconstructed decay fraction: 2 sigma_BB f kDecay. */
export function bPerFb(m: BMode): number {
  return 2 * SIGMA_BB_NB * NB * m.f * m.kDecay;
}

function modeOf(p: Record<string, number>): BMode {
  const m = B_MODES[p.mode];
  if (!m) throw new RangeError(`parameter mode = ${p.mode} must be an integer 0..${B_MODES.length - 1} (${B_MODES.map((x, i) => `${i}: ${x.key}`).join(', ')})`);
  return m;
}

const G = (p: P4): GenParticle => ({ kind: 'gamma', charge: 0, p });
const kTrack = (kind: 'K' | 'pi', charge: number, p: P4): GenParticle => ({ kind, charge, p, role: 'K' });

/** The kaon system's tracks (role 'K'): K+; K0S -> pi+ pi-; K*0 -> K+ pi-; K*+ -> K0S pi+ (2-body, isotropic, at the pole masses). */
function kaonSystem(rng: EventRandom, mode: BMode, k: P4): GenParticle[] {
  if (mode.key === 'K+') return [kTrack('K', 1, k)];
  if (mode.key === 'K0S') {
    const [a, b] = decay2(rng, k, M_PI, M_PI);
    return [kTrack('pi', 1, a), kTrack('pi', -1, b)];
  }
  if (mode.key === 'K*0') {
    const [a, b] = decay2(rng, k, M_K, M_PI);
    return [kTrack('K', 1, a), kTrack('pi', -1, b)];
  }
  const [ks, pi] = decay2(rng, k, M_K0, M_PI);
  const [a, b] = decay2(rng, ks, M_PI, M_PI);
  return [kTrack('pi', 1, a), kTrack('pi', -1, b), kTrack('pi', 1, pi)];
}

/** B -> K(*) X, X -> gamma gamma (X spin 0, isotropic); B from Upsilon(4S) -> B Bbar (dN/dcos ~ sin^2 theta, P wave). */
function kGammaGamma(rng: EventRandom, mode: BMode, mX: number): GenEvent {
  const c = sampleCos(rng, (x) => 1 - x * x, 1);
  const [B] = produce2([SQRT_S, 0, 0, 0], mode.mB, mode.mB, c, rng.between(0, 2 * Math.PI));
  const [k, x] = decay2(rng, B, mode.mK, mX);
  const [g1, g2] = decay2(rng, x, 0, 0);
  return { particles: [...kaonSystem(rng, mode, k), G(g1), G(g2)], truth: { truth_m_a_GeV: mX } };
}

export const bToKa: ProcessDef = {
  name: 'b_ka_gg',
  id: 1631,
  kind: 'signal',
  family: 'bmeson',
  description: 'Upsilon(4S) -> B Bbar, B -> K(*) a, a -> gamma gamma (prompt; mode: 0 B+ -> K+, 1 B0 -> K0S, 2 B0 -> K*0, 3 B+ -> K*+; the other B is not simulated)',
  defaults: { ma: 1, br: 1e-6, mode: 0 },
  paramDocs: { ma: 'ALP mass, GeV', br: 'B(B -> K(*) a) x B(a -> gamma gamma)', mode: 'kaon mode (engine/generate/bmeson.ts B_MODES)' },
  check(p) {
    const m = modeOf(p);
    if (!(p.ma > 0 && p.ma < m.mB - m.mK)) throw new RangeError(`parameter ma = ${p.ma} GeV must be in (0, ${+(m.mB - m.mK).toFixed(5)}) for ${m.b} -> ${m.key} a`);
    if (!(p.br >= 0)) throw new RangeError(`parameter br must be >= 0, got ${p.br}`);
  },
  sigmaFb: (p) => bPerFb(modeOf(p)) * p.br,
  sigmaSource: 'sigma(e+e- -> B Bbar) = 1.05 nb (Belle II Physics Book Table 4) x B(Y4S -> B+B- or B0B0bar) (0.514, 0.486; PDG 2024) x 2 B per event x the kaon system decay fraction x br (input)',
  illustrative: false,
  generate: (rng, p) => kGammaGamma(rng, modeOf(p), p.ma),
};

/** Peaking backgrounds: B -> K(*) pi0 and K(*) eta with the meson -> gamma gamma (PDG 2024 branching fractions). */
function bToKMeson(name: string, id: number, mX: number, which: 'brPi0' | 'brEta', bGG: number, what: string): ProcessDef {
  return {
    name, id, kind: 'background', family: 'bmeson',
    description: `Upsilon(4S) -> B Bbar, B -> K(*) ${what}, ${what} -> gamma gamma (peaks at M_gamma gamma = ${mX} GeV and in M_bc, Delta E like the signal; mode as b_ka_gg)`,
    defaults: { mode: 0 }, paramDocs: { mode: 'kaon mode (engine/generate/bmeson.ts B_MODES)' },
    check: (p) => void modeOf(p),
    sigmaFb: (p) => bPerFb(modeOf(p)) * modeOf(p)[which] * bGG,
    sigmaSource: `2 sigma_BB f x B(B -> K(*) ${what}) x B(${what} -> gamma gamma) x the kaon decay fraction (PDG 2024)`,
    illustrative: false,
    generate: (rng, p) => kGammaGamma(rng, modeOf(p), mX),
  };
}
export const bToKPi0 = bToKMeson('b_kpi0', 1632, M_PI0, 'brPi0', B_PI0_GG, 'pi0');
export const bToKEta = bToKMeson('b_keta', 1633, M_ETA, 'brEta', B_ETA_GG, 'eta');

/**
 * Combinatorial K(*) gamma gamma candidates (continuum q qbar and generic B decays), ILLUSTRATIVE: a
 * pseudo-parent of mass uniform in [5.0, 5.6] GeV and CM momentum uniform in [0, 1] GeV (so M_bc
 * and Delta E spread beyond the signal region), decaying to the kaon system and two photons in
 * three-body phase space with M_gamma gamma weighted by exp(-M / 1.2 GeV) (soft photons dominate);
 * 60 fb (K+), scaled by the mode's kaon decay fraction.
 */
export const kggCombinatorial: ProcessDef = {
  name: 'b_kgg_comb',
  id: 1634,
  kind: 'background',
  family: 'bmeson',
  description: 'combinatorial K(*) gamma gamma candidates from continuum and generic B decays (illustrative shape and rate; mode as b_ka_gg)',
  defaults: { mode: 0 }, paramDocs: { mode: 'kaon mode (engine/generate/bmeson.ts B_MODES)' },
  check: (p) => void modeOf(p),
  sigmaFb: (p) => 60 * modeOf(p).kDecay,
  sigmaSource: 'ILLUSTRATIVE: 60 fb of K+ gamma gamma candidates before the M_bc / Delta E selection, times the kaon decay fraction (not a Belle measurement)',
  illustrative: true,
  generate(rng, p) {
    const mode = modeOf(p);
    const M = rng.between(5.0, 5.6), q = rng.between(0, 1);
    const [c, phi] = [rng.between(-1, 1), rng.between(0, 2 * Math.PI)];
    const s = Math.sqrt(1 - c * c);
    const parent: P4 = [Math.hypot(M, q), q * s * Math.cos(phi), q * s * Math.sin(phi), q * c];
    for (;;) {
      const [k, g1, g2] = decay3(rng, parent, mode.mK, 0, 0);
      const m = Math.sqrt(Math.max(0, 2 * (g1[0] * g2[0] - g1[1] * g2[1] - g1[2] * g2[2] - g1[3] * g2[3])));
      if (rng.uniform() <= Math.exp(-m / 1.2)) return { particles: [...kaonSystem(rng, mode, k), G(g1), G(g2)], truth: { truth_m_a_GeV: 0 } };
    }
  },
};

export const B_MESON_PROCESSES: readonly ProcessDef[] = [bToKa, bToKPi0, bToKEta, kggCombinatorial];
