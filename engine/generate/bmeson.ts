// B-meson processes at the Upsilon(4S) for B+ -> K+ a, a -> gamma gamma (Belle, JHEP 12 (2025) 109,
// arXiv:2507.01249) and its backgrounds, plus the B-production constants shared with the LLP
// processes. The other B of the event is not simulated. Family 'bmeson': a K+ track and two
// photons, reconstructed as a B candidate (M_bc, Delta E) in engine/generate/index.ts.
import type { EventRandom } from './rng.js';
import type { GenEvent, GenParticle, ProcessDef } from './processes.js';
import { M_B, M_K, type P4 } from './lorentz.js';
import { SQRT_S, decay2, decay3, produce2, sampleCos } from './physics.js';

export const NB = 1e6; // fb per nb
/** e+e- -> Upsilon(4S) -> B Bbar, nb (Belle II Physics Book, PTEP 2019 123C01, Table 4). */
export const SIGMA_BB_NB = 1.05;
/** B(Upsilon(4S) -> B+ B-) (PDG 2024). */
export const BR_BPLUS_BMINUS = 0.514;
/** B+ (and B-) mesons produced per fb^-1: 2 sigma_BB f+-. */
export const CHARGED_B_PER_FB = 2 * SIGMA_BB_NB * NB * BR_BPLUS_BMINUS;
const M_PI0 = 0.1349768, M_ETA = 0.547862; // PDG 2024

const K = (p: P4): GenParticle => ({ kind: 'K', charge: 1, p, role: 'K' });
const G = (p: P4): GenParticle => ({ kind: 'gamma', charge: 0, p });

/** A B+ from Upsilon(4S) -> B+ B- (dN/dcos ~ sin^2 theta, the 1-- -> 0- 0- P wave). */
function bPlus(rng: EventRandom): P4 {
  const c = sampleCos(rng, (x) => 1 - x * x, 1);
  return produce2([SQRT_S, 0, 0, 0], M_B, M_B, c, rng.between(0, 2 * Math.PI))[0];
}

/** B+ -> K+ X, X -> gamma gamma, isotropic (spin 0 everywhere). */
function kGammaGamma(rng: EventRandom, mX: number): GenEvent {
  const [k, x] = decay2(rng, bPlus(rng), M_K, mX);
  const [g1, g2] = decay2(rng, x, 0, 0);
  return { particles: [K(k), G(g1), G(g2)], truth: { truth_m_a_GeV: mX } };
}

export const bToKa: ProcessDef = {
  name: 'b_ka_gg',
  id: 1631,
  kind: 'signal',
  family: 'bmeson',
  description: 'Upsilon(4S) -> B+ B-, B+ -> K+ a, a -> gamma gamma (prompt; the other B is not simulated)',
  defaults: { ma: 1, br: 1e-6 },
  paramDocs: { ma: 'ALP mass, GeV', br: 'B(B+ -> K+ a) x B(a -> gamma gamma)' },
  check(p) {
    if (!(p.ma > 0 && p.ma < M_B - M_K)) throw new RangeError(`parameter ma = ${p.ma} GeV must be in (0, ${+(M_B - M_K).toFixed(5)})`);
    if (!(p.br >= 0)) throw new RangeError(`parameter br must be >= 0, got ${p.br}`);
  },
  sigmaFb: (p) => CHARGED_B_PER_FB * p.br,
  sigmaSource: 'sigma(e+e- -> B Bbar) = 1.05 nb (Belle II Physics Book Table 4) x B(Y4S -> B+B-) = 0.514 x 2 B per event x br (input)',
  illustrative: false,
  generate: (rng, p) => kGammaGamma(rng, p.ma),
};

/** Peaking backgrounds: B+ -> K+ pi0 and K+ eta with the meson -> gamma gamma (PDG 2024 branching fractions). */
function bToKMeson(name: string, id: number, m: number, br: number, what: string): ProcessDef {
  return {
    name, id, kind: 'background', family: 'bmeson',
    description: `Upsilon(4S) -> B+ B-, ${what} (peaks in M_gamma gamma at ${m} GeV and in M_bc, Delta E like the signal)`,
    defaults: {}, paramDocs: {},
    sigmaFb: () => CHARGED_B_PER_FB * br,
    sigmaSource: `2 sigma_BB f+- x ${what}: ${br.toExponential(3)} (PDG 2024)`,
    illustrative: false,
    generate: (rng) => kGammaGamma(rng, m),
  };
}
// B(B+ -> K+ pi0) = 1.31e-5, B(pi0 -> gamma gamma) = 0.98823; B(B+ -> K+ eta) = 2.4e-6, B(eta -> gamma gamma) = 0.3936 (PDG 2024).
export const bToKPi0 = bToKMeson('b_kpi0', 1632, M_PI0, 1.31e-5 * 0.98823, 'B+ -> K+ pi0, pi0 -> gamma gamma');
export const bToKEta = bToKMeson('b_keta', 1633, M_ETA, 2.4e-6 * 0.3936, 'B+ -> K+ eta, eta -> gamma gamma');

/**
 * Combinatorial K+ gamma gamma candidates (continuum q qbar and generic B decays), ILLUSTRATIVE: a
 * pseudo-parent of mass uniform in [5.0, 5.6] GeV and CM momentum uniform in [0, 1] GeV (so M_bc
 * and Delta E spread beyond the signal region), decaying to K+ gamma gamma in three-body phase
 * space with M_gamma gamma weighted by exp(-M / 1.2 GeV) (soft photons dominate); 60 fb.
 */
export const kggCombinatorial: ProcessDef = {
  name: 'b_kgg_comb',
  id: 1634,
  kind: 'background',
  family: 'bmeson',
  description: 'combinatorial K+ gamma gamma candidates from continuum and generic B decays (illustrative shape and rate)',
  defaults: {}, paramDocs: {},
  sigmaFb: () => 60,
  sigmaSource: 'ILLUSTRATIVE: 60 fb of K+ gamma gamma candidates before the M_bc / Delta E selection (not a Belle measurement)',
  illustrative: true,
  generate(rng) {
    const M = rng.between(5.0, 5.6), p = rng.between(0, 1);
    const [c, phi] = [rng.between(-1, 1), rng.between(0, 2 * Math.PI)];
    const s = Math.sqrt(1 - c * c);
    const parent: P4 = [Math.hypot(M, p), p * s * Math.cos(phi), p * s * Math.sin(phi), p * c];
    for (;;) {
      const [k, g1, g2] = decay3(rng, parent, M_K, 0, 0);
      const m = Math.sqrt(Math.max(0, 2 * (g1[0] * g2[0] - g1[1] * g2[1] - g1[2] * g2[2] - g1[3] * g2[3])));
      if (rng.uniform() <= Math.exp(-m / 1.2)) return { particles: [K(k), G(g1), G(g2)], truth: { truth_m_a_GeV: 0 } };
    }
  },
};

export const B_MESON_PROCESSES: readonly ProcessDef[] = [bToKa, bToKPi0, bToKEta, kggCombinatorial];
