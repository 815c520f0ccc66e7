// B-meson processes at the Upsilon(4S) for B -> K(*) a, a -> gamma gamma (Belle, JHEP 12 (2025) 109,
// arXiv:2507.01249: modes K+, K0S, K*0, K*+) and their backgrounds, plus the B-production constants
// shared with the LLP processes. The other B of the event is not simulated. Family 'bmeson': the
// kaon system's tracks and two photons, reconstructed as a B candidate (M_bc, Delta E), generated with
// their columns by the gen_bdecay kernel (engine/generate/gen-bdecay.ts, kernels/gen_bdecay). Every
// process takes `mode` (B_MODES index; 0 = B+ -> K+).
import type { ProcessDef } from './processes.js';
import { M_B, M_K } from './lorentz.js';

export const NB = 1e6; // fb per nb
/** e+e- -> Upsilon(4S) -> B Bbar, nb (Belle II Physics Book, PTEP 2019 123C01, Table 4). */
export const SIGMA_BB_NB = 1.05;
/** B(Upsilon(4S) -> B+ B-) (PDG 2024). */
export const BR_BPLUS_BMINUS = 0.514;
/** B+ (and B-) mesons produced per fb^-1: 2 sigma_BB f+-. */
export const CHARGED_B_PER_FB = 2 * SIGMA_BB_NB * NB * BR_BPLUS_BMINUS;
export const M_PI0 = 0.1349768, M_ETA = 0.547862, M_K0 = 0.497611; // PDG 2024
const M_B0 = 5.27966, M_KSTAR0 = 0.89555, M_KSTARP = 0.89167; // PDG 2024
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
  // kernels/gen_bdecay (proc 1): Y(4S) -> B B (dN/dcos ~ sin^2 theta, P wave), B -> K(*) a and a -> gamma gamma isotropic
  // (a spin 0), the kaon system's two-body decays isotropic at the pole masses (engine/generate/gen-bdecay.ts)
  kernel: 'gen_bdecay',
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
    kernel: 'gen_bdecay', // kernels/gen_bdecay (proc 1) with the meson's mass as X
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
/** The combinatorial pseudo-parent: mass uniform in [mLo, mHi], CM momentum uniform in [0, qMax], M_gamma gamma weighted by exp(-M / mScale) (illustrative). */
export const COMBINATORIAL = { mLoGeV: 5.0, mHiGeV: 5.6, qMaxGeV: 1, mScaleGeV: 1.2 } as const;

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
  // kernels/gen_bdecay (proc 2): the pseudo-parent (COMBINATORIAL), K(*) gamma gamma in flat phase space with the
  // M_gamma gamma weight drawn in the m23 rejection (engine/generate/gen-bdecay.ts)
  kernel: 'gen_bdecay',
};

export const B_MESON_PROCESSES: readonly ProcessDef[] = [bToKa, bToKPi0, bToKEta, kggCombinatorial];
