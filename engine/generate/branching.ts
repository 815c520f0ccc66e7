// Branching fractions of the vector mediators of the talk, used by every cross section and every
// coupling conversion that folds in a decay (never B = 1 where the model says otherwise).
//
// Dark photon A' (kinetic mixing): it couples like the photon, so its width into leptons is
//   Gamma(A' -> l l) = (alpha eps^2 M / 3) (1 + 2 m_l^2/M^2) sqrt(1 - 4 m_l^2/M^2)
// and into hadrons Gamma(A' -> had) = Gamma(A' -> mu mu)|_(m_mu = 0) x R(M), R = sigma(e+e- -> had) /
// sigma(e+e- -> mu mu) (Ilten, Soreq, Williams, Xue, JHEP 06 (2018) 004, arXiv:1801.04847, eqs. 2.6-2.8).
// R here: perturbative QCD above 1.4 GeV (PDG "Quantum chromodynamics" review, eq. 9.7 to O(alpha_s),
// alpha_s at one loop with Lambda(nf = 4) = 0.29 GeV; open charm from 2 M_D with the vector
// threshold factor), below it the rho, omega and phi as Breit-Wigner peaks with PDG 2024 masses,
// widths and Gamma_ee. The narrow charmonia and bottomonia are left out (their widths are far below
// the mass resolution); below 1.4 GeV this R is a coarse stand-in for the measured one (illustrative).
//
// L_mu - L_tau Z': couples with g' to mu, tau, nu_mu, nu_tau only:
//   Gamma(Z' -> l l) = (g'^2 M / 12 pi) (1 + 2 m_l^2/M^2) sqrt(1 - 4 m_l^2/M^2),
//   Gamma(Z' -> nu nu) = g'^2 M / (24 pi) per flavour (left-handed neutrinos)
// (Bauer, Foldenauer, Jaeckel, JHEP 07 (2018) 094, sec. 2; the B used in Belle II PRL 130 (2023) 231801).
import { ALPHA } from './physics.js';
import { M_E, M_MU, M_TAU } from './lorentz.js';

const M_D0 = 1.86484; // D0 mass, GeV (PDG 2024): open charm from e+e- -> D0 D0bar
/** One-loop alpha_s(Q) with nf = 4, Lambda = 0.29 GeV (gives 0.33 at m_tau, 0.21 at 10 GeV; PDG QCD review eq. 9.4 at one loop). */
export function alphaS(qGeV: number): number {
  const L2 = 0.29 * 0.29, beta0 = 11 - (2 / 3) * 4;
  return (4 * Math.PI) / (beta0 * Math.log(Math.max(qGeV * qGeV, 1.0) / L2));
}

/** Vector-current threshold factor beta (3 - beta^2) / 2 of a fermion pair of mass m each at total mass M. */
export function vectorThreshold(M: number, m: number): number {
  if (!(M > 2 * m)) return 0;
  const b2 = 1 - (4 * m * m) / (M * M), b = Math.sqrt(b2);
  return (b * (3 - b2)) / 2;
}

/** Light vector mesons: mass, total width, Gamma(V -> e e), GeV (PDG 2024). */
const VECTOR_MESONS: readonly { name: string; m: number; width: number; gee: number }[] = [
  { name: 'rho(770)', m: 0.77526, width: 0.1491, gee: 7.04e-6 },
  { name: 'omega(782)', m: 0.78266, width: 0.00868, gee: 0.60e-6 },
  { name: 'phi(1020)', m: 1.019461, width: 0.004249, gee: 1.27e-6 },
];

/**
 * R(sqrt(s)) = sigma(e+e- -> hadrons) / sigma(e+e- -> mu mu) at sqrt(s) = M (GeV). Resonances:
 * R_V = 9 s Gamma_ee Gamma / (alpha^2 ((s - M_V^2)^2 + M_V^2 Gamma^2)) (relativistic Breit-Wigner over
 * sigma_mumu = 4 pi alpha^2 / 3s, PDG "Resonances" review); continuum: 3 sum Q_q^2 (1 + alpha_s/pi),
 * u d s switched on smoothly between 1.0 and 1.4 GeV, c with the threshold factor from 2 M_D0.
 */
export function rRatio(M: number): number {
  if (!(M > 2 * 0.13957039)) return 0; // below the pi pi threshold: no hadrons
  const s = M * M;
  let r = 0;
  for (const v of VECTOR_MESONS) {
    r += (9 * s * v.gee * v.width) / (ALPHA * ALPHA * ((s - v.m * v.m) ** 2 + v.m * v.m * v.width * v.width));
  }
  const on = M <= 1.0 ? 0 : M >= 1.4 ? 1 : (M - 1.0) / 0.4; // light-quark continuum turn-on (illustrative)
  const k = 1 + alphaS(M) / Math.PI;
  r += on * 2 * k + (4 / 3) * k * vectorThreshold(M, M_D0);
  return r;
}

/** Partial width of a vector of mass M into a lepton pair of mass m each, in units of (coupling^2 M / 12 pi). */
function leptonWidthUnit(M: number, m: number): number {
  if (!(M > 2 * m)) return 0;
  const r = (m * m) / (M * M);
  return (1 + 2 * r) * Math.sqrt(1 - 4 * r);
}

export type APrimeChannel = 'ee' | 'mumu' | 'tautau' | 'hadrons';

/** Dark photon branching fractions at mass M (GeV), visible decays only (no dark-sector channel open). */
export function aPrimeBranchingFractions(M: number): Record<APrimeChannel, number> {
  if (!(M > 2 * M_E)) throw new RangeError(`A' mass ${M} GeV is below the e+e- threshold`);
  const ee = leptonWidthUnit(M, M_E), mumu = leptonWidthUnit(M, M_MU), tautau = leptonWidthUnit(M, M_TAU);
  const hadrons = rRatio(M); // Gamma_had = Gamma_mumu(m_mu -> 0) R
  const tot = ee + mumu + tautau + hadrons;
  return { ee: ee / tot, mumu: mumu / tot, tautau: tautau / tot, hadrons: hadrons / tot };
}

/** B(A' -> mu+ mu-) at mass M (GeV). */
export function brAPrimeToMuMu(M: number): number {
  return M > 2 * M_MU ? aPrimeBranchingFractions(M).mumu : 0;
}

export type ZPrimeChannel = 'mumu' | 'tautau' | 'invisible';

/** L_mu - L_tau Z' branching fractions at mass M (GeV): mu mu, tau tau, nu nu-bar (two flavours). */
export function zPrimeBranchingFractions(M: number): Record<ZPrimeChannel, number> {
  if (!(M > 0)) throw new RangeError(`Z' mass ${M} GeV must be > 0`);
  const mumu = leptonWidthUnit(M, M_MU), tautau = leptonWidthUnit(M, M_TAU), inv = 2 * 0.5; // 2 flavours x (1/24pi)/(1/12pi)
  const tot = mumu + tautau + inv;
  return { mumu: mumu / tot, tautau: tautau / tot, invisible: inv / tot };
}

export const BRANCHING_SOURCES = {
  aprime: "A' -> l l, hadrons: lepton widths with R(M) (Ilten et al., arXiv:1801.04847 eqs. 2.6-2.8); R from O(alpha_s) perturbative QCD above 1.4 GeV (PDG QCD review eq. 9.7), rho/omega/phi Breit-Wigners below (illustrative there)",
  zprime: "L_mu - L_tau Z' -> mu mu, tau tau, nu nu (Bauer, Foldenauer, Jaeckel, JHEP 07 (2018) 094)",
} as const;

// ---------------------------------------------------------------- Higgs-mixed dark scalar S
export type ScalarChannel = 'ee' | 'mumu' | 'pipi' | 'KK';
const M_PI_C = 0.13957039, M_K_C = 0.493677, M_S_QUARK = 0.0935, M_C_QUARK = 1.27; // PDG 2024 (MSbar quark masses)

/**
 * Branching fractions of a scalar that mixes with the Higgs (widths in units of theta^2 G_F / (sqrt2 pi)):
 * leptons Gamma = m_l^2 m_S beta^3 / 4 (Higgs-like Yukawa); below 2 GeV pi pi and K K at leading
 * order in chiral perturbation theory, Gamma(pi pi) = (3/32) m_S^3 (2/9 + 11/9 m_pi^2/m_S^2)^2 beta_pi
 * (Donoghue, Gasser, Leutwyler, NPB 343 (1990) 341, LO, as in Bezrukov & Gorbunov JHEP 05 (2010) 010),
 * K K with the same form and m_K (2/3 of the pi pi isospin weight); above 2 GeV the partonic widths:
 * s sbar and c cbar (3 m_q^2 m_S beta^3 / 4) and g g via c, b, t loops (alpha_s^2 m_S^3 / (36 pi^2) x 3^2,
 * Gamma(h -> gg) of Spira et al., Fortsch. Phys. 46 (1998) 203, in the heavy-quark limit).
 * ILLUSTRATIVE between 0.5 and 2 GeV: dispersive treatments give pi pi widths up to ~100x the LO one
 * (Winkler arXiv:1809.01876; Gorbunov, Kriukova, Teryaev arXiv:2303.12847). Channels not listed
 * (tau tau, gluons, 4 pi, ...) count in the total width. Returns B(S -> x x) for x in ee, mumu, pipi, KK.
 */
export function scalarBranchingFractions(mS: number): Record<ScalarChannel, number> {
  if (!(mS > 2 * M_E)) throw new RangeError(`scalar mass ${mS} GeV is below the e+e- threshold`);
  const b3 = (m: number) => (mS > 2 * m ? (1 - (4 * m * m) / (mS * mS)) ** 1.5 : 0);
  const lep = (m: number) => (m * m * mS * b3(m)) / 4;
  const ee = lep(M_E), mumu = lep(M_MU), tautau = lep(M_TAU);
  const chpt = (m: number, w: number) => (mS > 2 * m ? w * (3 / 32) * mS ** 3 * (2 / 9 + (11 / 9) * (m * m) / (mS * mS)) ** 2 * Math.sqrt(1 - (4 * m * m) / (mS * mS)) : 0);
  let pipi = 0, KK = 0, other = tautau;
  if (mS < 2) {
    pipi = chpt(M_PI_C, 1);
    KK = chpt(M_K_C, 2 / 3);
  } else {
    // partonic: strange quarks hadronise to K K among others; here the s sbar width is attributed to
    // 'other' (no exclusive K K fraction is modelled above 2 GeV), as are c cbar and g g.
    const a = alphaS(mS);
    other += 3 * lep(M_S_QUARK) + 3 * lep(M_C_QUARK) + ((a * a * mS ** 3) / (36 * Math.PI * Math.PI)) * 9;
  }
  const tot = ee + mumu + pipi + KK + other;
  return { ee: ee / tot, mumu: mumu / tot, pipi: pipi / tot, KK: KK / tot };
}

export const SCALAR_BRANCHING_SOURCE =
  'Higgs-mixed scalar: lepton widths m_l^2 m_S beta^3; pi pi, K K at LO ChPT below 2 GeV (Donoghue, Gasser, Leutwyler NPB 343 (1990) 341; Bezrukov & Gorbunov JHEP 05 (2010) 010), partonic s s, c c, g g above; ILLUSTRATIVE between 0.5 and 2 GeV (dispersive pi pi widths are up to ~100x larger: Winkler arXiv:1809.01876)';
