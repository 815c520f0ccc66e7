// Production and decay kinematics in the e+e- centre-of-mass (CM) frame of Belle II, and the
// boost to the lab. Units: GeV, c = 1; lengths in cm, times in ns.
import type { EventRandom } from './rng.js';
import { M_E, M_MU, M_PI, M_TAU, boostFrom, p4, twoBody, twoBodyP, type P4 } from './lorentz.js';

/** SuperKEKB: e- 7 GeV along +z on e+ 4 GeV along -z, head-on (the 83 mrad crossing angle is neglected). */
export const E_MINUS_GeV = 7;
export const E_PLUS_GeV = 4;
/** sqrt(s) = 2 sqrt(E- E+) for massless head-on beams = 10.583 GeV. */
export const SQRT_S = 2 * Math.sqrt(E_MINUS_GeV * E_PLUS_GeV);
export const S = SQRT_S * SQRT_S;
/** CM velocity in the lab: beta = (E- - E+) / (E- + E+) = 3/11 (beta gamma = 0.2835). */
export const BETA_CM = (E_MINUS_GeV - E_PLUS_GeV) / (E_MINUS_GeV + E_PLUS_GeV);
/** The initial state in the lab: (E- + E+, 0, 0, E- - E+). */
export const P_INIT_LAB: P4 = [E_MINUS_GeV + E_PLUS_GeV, 0, 0, E_MINUS_GeV - E_PLUS_GeV];

export const ALPHA = 1 / 137.035999084; // fine-structure constant (PDG 2024)
/** (hbar c)^2 = 0.3893794 GeV^2 mb = 3.893794e11 GeV^2 fb (PDG 2024 physical constants). */
export const GEV2_TO_FB = 0.3893794e12;
export const C_CM_PER_NS = 29.9792458;

export function toLab(p: P4): P4 {
  return boostFrom([1 / Math.sqrt(1 - BETA_CM * BETA_CM), 0, 0, BETA_CM / Math.sqrt(1 - BETA_CM * BETA_CM)], p);
}

export function isotropic(rng: EventRandom): [number, number] {
  return [rng.between(-1, 1), rng.between(0, 2 * Math.PI)];
}

/** cos(theta) from f(c) by rejection against a flat envelope with max fmax. */
export function sampleCos(rng: EventRandom, f: (c: number) => number, fmax: number): number {
  for (;;) {
    const c = rng.between(-1, 1);
    if (rng.uniform() * fmax <= f(c)) return c;
  }
}

/**
 * cos(theta) from 1/(1 - b c) on [-1, 1], b = 1 - a (a > 0 small, passed directly to avoid
 * cancellation): inversion of the CDF ln((1 + b)/(1 - b c)).
 */
export function samplePeaked(rng: EventRandom, a: number): number {
  return (1 - (2 - a) * Math.pow(a / (2 - a), rng.uniform())) / (1 - a);
}

// ---------------------------------------------------------------- initial-state radiation
/**
 * Leading-log ISR: each beam radiates one photon with energy fraction x from the structure function
 * (beta/2) x^(beta/2 - 1), beta = (2 alpha / pi)(ln(s/m_e^2) - 1) (Kuraev & Fadin, Sov. J. Nucl.
 * Phys. 41 (1985) 466, soft-photon exponentiated leading term), so x = U^(2/beta); its polar
 * angle to its beam follows 1/(1 - beta_e cos theta) (the collinear eikonal factor). Hard photons
 * are neither exponentiated nor given the exact O(alpha) matrix element: a documented approximation.
 */
export const ISR_BETA = ((2 * ALPHA) / Math.PI) * (Math.log(S / (M_E * M_E)) - 1);
export const ISR_A = (M_E * M_E) / (2 * (SQRT_S / 2) ** 2); // 1 - beta_e of a beam in the CM

export interface IsrResult {
  photons: P4[];
  /** The four-momentum left for the hard process (CM frame). */
  system: P4;
}

/** Probability that max(x1, x2) >= xMin (the cross-section fraction kept by an ISR generator cut). */
export function isrFractionAbove(xMin: number): number {
  return xMin <= 0 ? 1 : 1 - Math.pow(xMin, ISR_BETA);
}

/**
 * An angular stratum of radiate's phase space: `inside` true keeps events where some ISR photon
 * has lo <= |cos theta*| < hi, false those where none has.
 */
export interface IsrAngularStratum {
  readonly lo: number;
  readonly hi: number;
  readonly inside: boolean;
  /** A joint stratum of energy and angle: the photon must also have x >= xMin (inside: some photon does, outside: none). */
  readonly xMin?: number;
}

/**
 * The cross-section fraction of an angular stratum (1 without one). A photon's cos theta* follows
 * 1/(1 - b c) on [-1, 1] (samplePeaked; each beam's mirrored, the same for |cos|): P(lo <= |c| < hi)
 * = p = ln((1 - b lo)(1 + b hi) / ((1 - b hi)(1 + b lo))) / ln((1 + b) / (1 - b)); the photons are
 * independent of each other and of their energies, so inside: 1 - (1 - p)^2, outside: (1 - p)^2.
 * A joint stratum (xMin set: the photon also has x >= xMin) has p x (1 - xMin^(beta/2)) in place of p.
 */
export function isrAngularFraction(st?: IsrAngularStratum): number {
  if (!st) return 1;
  const b = 1 - ISR_A;
  let p = Math.log(((1 - b * st.lo) * (1 + b * st.hi)) / ((1 - b * st.hi) * (1 + b * st.lo))) / Math.log((2 - ISR_A) / ISR_A);
  // joint: a photon's x = u^(2/beta) >= xMin with probability 1 - xMin^(beta/2), independent of its angle
  if (st.xMin !== undefined) p *= 1 - Math.pow(st.xMin, ISR_BETA / 2);
  return st.inside ? 1 - (1 - p) ** 2 : (1 - p) ** 2;
}

/**
 * The ISR skim of a process's parameters (mumu, eegamma, gammagamma): xMin (generator cut max(x1,
 * x2) >= xMin) and the angular stratum isrCosStratum (1 inside, -1 outside, 0 none) of
 * isrCosMin <= |cos theta*| < isrCosMax; the defaults, docs, check and cross-section fraction
 * the processes share (engine/generate/processes.ts; the kernels' params: genkin.ts isrSkimKernelParams).
 */
export const ISR_SKIM_DEFAULTS = { xMin: 0, isrCosStratum: 0, isrCosMin: 0.7, isrCosMax: 0.8 } as const;
/** The largest xMin the skim takes (the ISR loop then accepts >= 90% of its tries for every threshold mass below 0.3 GeV). */
export const ISR_XMIN_MAX = 0.9;
export const ISR_SKIM_DOCS = {
  xMin: 'generator cut: keep events whose harder ISR photon has E > xMin sqrt(s)/2 (sigma scales accordingly; needs isr = 1)',
  isrCosStratum: 'angular stratum (sigma scales accordingly; needs isr = 1): 1 some ISR photon has isrCosMin <= |cos theta*| < isrCosMax, -1 none has (the two add up to the whole), 0 no cut; 2 / -2: the same jointly with the energy, some / no ISR photon has x > xMin and that angle (xMin is then the stratum\'s bound, not the cut on the harder photon)',
  isrCosMin: 'the stratum\'s lower |cos theta*| (CM frame)',
  isrCosMax: 'the stratum\'s upper |cos theta*|',
} as const;
/** The angular stratum of a process's parameters (undefined: none). */
export const isrCosStratum = (p: Readonly<Record<string, number>>): IsrAngularStratum | undefined =>
  p.isrCosStratum ? { lo: p.isrCosMin, hi: p.isrCosMax, inside: p.isrCosStratum > 0, ...(Math.abs(p.isrCosStratum) === 2 ? { xMin: p.xMin ?? 0 } : {}) } : undefined;
/** Throws a RangeError naming the parameter when the ISR skim's parameters are invalid. */
export function checkIsrSkim(p: Readonly<Record<string, number>>): void {
  if (![-2, -1, 0, 1, 2].includes(p.isrCosStratum)) throw new RangeError(`parameter isrCosStratum must be -2, -1, 0, 1 or 2, got ${p.isrCosStratum}`);
  if (!(p.isrCosMin >= 0 && p.isrCosMin < p.isrCosMax && p.isrCosMax <= 1)) throw new RangeError(`parameters isrCosMin = ${p.isrCosMin}, isrCosMax = ${p.isrCosMax}: need 0 <= isrCosMin < isrCosMax <= 1`);
  if (!(p.xMin >= 0 && p.xMin <= ISR_XMIN_MAX)) throw new RangeError(`parameter xMin = ${p.xMin} must lie in [0, ${ISR_XMIN_MAX}]`);
  if (!p.isr && (p.xMin > 0 || p.isrCosStratum !== 0)) throw new RangeError(`parameters xMin = ${p.xMin}, isrCosStratum = ${p.isrCosStratum} cut on ISR photons: they need isr = 1`);
}
/** The cross-section fraction the skim keeps: isrFractionAbove(xMin) x isrAngularFraction (photon angles independent of their energies), or the joint stratum's isrAngularFraction alone; 1 without ISR. */
export const isrSkimFraction = (p: Readonly<Record<string, number>>): number => {
  if (!p.isr) return 1;
  const st = isrCosStratum(p);
  return st?.xMin !== undefined ? isrAngularFraction(st) : isrFractionAbove(p.xMin) * isrAngularFraction(st);
};

/** samplePeaked's CDF: the uniform u whose draw is cos theta* = c. */
export function peakedCdf(c: number): number {
  return Math.log((2 - ISR_A) / (1 - (1 - ISR_A) * c)) / Math.log((2 - ISR_A) / ISR_A);
}

/** Radiates from both beams; retries until the system mass exceeds mMin and max(x1, x2) >= xMin. */
export function radiate(rng: EventRandom, mMin: number, xMin = 0): IsrResult {
  for (let tries = 0; ; tries++) {
    if (tries > 10000) throw new Error(`ISR: no configuration above the threshold mass ${mMin} GeV`);
    const x1 = Math.pow(rng.uniform(), 2 / ISR_BETA), x2 = Math.pow(rng.uniform(), 2 / ISR_BETA);
    const c1 = samplePeaked(rng, ISR_A), c2 = -samplePeaked(rng, ISR_A);
    const f1 = rng.between(0, 2 * Math.PI), f2 = rng.between(0, 2 * Math.PI);
    if (Math.max(x1, x2) < xMin) continue;
    const e1 = (x1 * SQRT_S) / 2, e2 = (x2 * SQRT_S) / 2;
    const s1 = Math.sqrt(1 - c1 * c1), s2 = Math.sqrt(1 - c2 * c2);
    const k1: P4 = [e1, e1 * s1 * Math.cos(f1), e1 * s1 * Math.sin(f1), e1 * c1];
    const k2: P4 = [e2, e2 * s2 * Math.cos(f2), e2 * s2 * Math.sin(f2), e2 * c2];
    const sys: P4 = [SQRT_S - e1 - e2, -k1[1] - k2[1], -k1[2] - k2[2], -k1[3] - k2[3]];
    const m2 = sys[0] * sys[0] - sys[1] * sys[1] - sys[2] * sys[2] - sys[3] * sys[3];
    if (m2 <= mMin * mMin) continue;
    return { photons: [k1, k2], system: sys };
  }
}

/** No radiation: the full CM four-momentum. */
export function noRadiation(): IsrResult {
  return { photons: [], system: [SQRT_S, 0, 0, 0] };
}

/** Two-body production in the rest frame of `system` with cos(theta) to the z axis, boosted to the CM. */
export function produce2(system: P4, m1: number, m2: number, c: number, phi: number): [P4, P4] {
  const M = Math.sqrt(system[0] ** 2 - system[1] ** 2 - system[2] ** 2 - system[3] ** 2);
  const [a, b] = twoBody(M, m1, m2, c, phi);
  return [boostFrom(system, a), boostFrom(system, b)];
}

/** Isotropic two-body decay of a moving parent. */
export function decay2(rng: EventRandom, parent: P4, m1: number, m2: number): [P4, P4] {
  const [c, phi] = isotropic(rng);
  return produce2(parent, m1, m2, c, phi);
}

/** Random rotation of a rest-frame three-body configuration: uniform direction + uniform twist (Euler angles). */
function rotate(p: P4, ca: number, sa: number, cb: number, sb: number, cg: number, sg: number): P4 {
  // R = Rz(alpha) Ry(beta) Rz(gamma)
  let x = p[1], y = p[2];
  const z = p[3];
  [x, y] = [cg * x - sg * y, sg * x + cg * y];
  const x2 = cb * x + sb * z, z2 = -sb * x + cb * z;
  return [p[0], ca * x2 - sa * y, sa * x2 + ca * y, z2];
}

/**
 * Three-body phase space M -> m1 m2 m3 (flat Dalitz density), in the rest frame of `parent`, then
 * boosted with it: m23 drawn uniformly and accepted with weight p1* p23* / max (PDG RPP
 * "Kinematics" eq. 49.21 with |M|^2 = const), orientation uniform.
 */
export function decay3(rng: EventRandom, parent: P4, m1: number, m2: number, m3: number): [P4, P4, P4] {
  const M = Math.sqrt(parent[0] ** 2 - parent[1] ** 2 - parent[2] ** 2 - parent[3] ** 2);
  const lo = m2 + m3, hi = M - m1;
  if (!(hi > lo)) throw new RangeError(`three-body decay below threshold: M = ${M} < ${m1} + ${m2} + ${m3}`);
  // The weight p1(m23) p23(m23) is maximal somewhere inside; bound it by the product of the separate maxima.
  const wmax = twoBodyP(M, m1, lo) * twoBodyP(hi, m2, m3);
  let m23 = lo;
  for (;;) {
    m23 = rng.between(lo, hi);
    const w = twoBodyP(M, m1, m23) * twoBodyP(m23, m2, m3);
    if (rng.uniform() * wmax <= w) break;
  }
  const [c1, f1] = isotropic(rng);
  const [a, x] = twoBody(M, m1, m23, c1, f1);
  const [c2, f2] = isotropic(rng);
  const [b0, d0] = twoBody(m23, m2, m3, c2, f2);
  const b = boostFrom(x, b0), d = boostFrom(x, d0);
  const cb = rng.between(-1, 1), sb = Math.sqrt(1 - cb * cb), al = rng.between(0, 2 * Math.PI), ga = rng.between(0, 2 * Math.PI);
  const r = (p: P4) => boostFrom(parent, rotate(p, Math.cos(al), Math.sin(al), cb, sb, Math.cos(ga), Math.sin(ga)));
  return [r(a), r(b), r(d)];
}

// ---------------------------------------------------------------- tau -> l nu nu
/**
 * Unit vector at cos(theta) = c, azimuth phi about the direction of tau's momentum: the helicity
 * axis of a decay in the tau rest frame that boostFrom(tau, .) boosts (a pure boost keeps the axes).
 */
function aboutFlight(tau: P4, c: number, phi: number): [number, number, number] {
  const pa = Math.hypot(tau[1], tau[2], tau[3]);
  const n = pa > 0 ? [tau[1] / pa, tau[2] / pa, tau[3] / pa] : [0, 0, 1];
  // e1 = a x n normalised, a the coordinate axis least aligned with n; e2 = n x e1
  const a = Math.abs(n[2]) < 0.9 ? [0, 0, 1] : [1, 0, 0];
  let e1 = [a[1] * n[2] - a[2] * n[1], a[2] * n[0] - a[0] * n[2], a[0] * n[1] - a[1] * n[0]];
  const l1 = Math.hypot(e1[0], e1[1], e1[2]);
  e1 = [e1[0] / l1, e1[1] / l1, e1[2] / l1];
  const e2 = [n[1] * e1[2] - n[2] * e1[1], n[2] * e1[0] - n[0] * e1[2], n[0] * e1[1] - n[1] * e1[0]];
  const s = Math.sqrt(Math.max(0, 1 - c * c)), u = s * Math.cos(phi), v = s * Math.sin(phi);
  return [u * e1[0] + v * e2[0] + c * n[0], u * e1[1] + v * e2[1] + c * n[1], u * e1[2] + v * e2[2] + c * n[2]];
}

/**
 * Leptonic tau decay: lepton energy from the Michel spectrum, x = E / E_max, E_max = (m_tau^2 +
 * m_l^2) / 2 m_tau, with the tau's polarization `pol` along its flight direction (its helicity,
 * -1..1) and its charge: dGamma/dx dcos ~ x^2 [(3 - 2x) -+ pol cos (2x - 1)] for tau-+ (PDG RPP
 * "tau-lepton decay parameters" with the SM rho = delta = 3/4, xi = 1, eta = 0; m_l neglected in the
 * shape), cos the lepton's angle to the flight direction in the tau rest frame. pol = 0: the
 * unpolarized x^2 (3 - 2x), isotropic. Returns the lepton (mass m) and the invisible nu nu-bar system.
 */
export function tauToLeptonNuNu(rng: EventRandom, tau: P4, m: number, pol = 0, charge = -1): [P4, P4] {
  const emax = (M_TAU * M_TAU + m * m) / (2 * M_TAU);
  let e = 0;
  let l: P4;
  if (pol === 0) {
    for (;;) {
      const x = rng.uniform();
      if (rng.uniform() <= x * x * (3 - 2 * x) && x * emax > m) {
        e = x * emax;
        break;
      }
    }
    const p = Math.sqrt(e * e - m * m);
    const [c, phi] = isotropic(rng);
    const s = Math.sqrt(1 - c * c);
    l = p4(m, p * s * Math.cos(phi), p * s * Math.sin(phi), p * c);
  } else {
    // joint (x, cos) by rejection; the density is at most 1 + |pol| <= 2 (at x = 1)
    const a = charge < 0 ? -pol : pol;
    let c = 0;
    for (;;) {
      const x = rng.uniform();
      c = rng.between(-1, 1);
      if (rng.uniform() * 2 <= x * x * (3 - 2 * x + a * c * (2 * x - 1)) && x * emax > m) {
        e = x * emax;
        break;
      }
    }
    const p = Math.sqrt(e * e - m * m);
    const d = aboutFlight(tau, c, rng.between(0, 2 * Math.PI));
    l = p4(m, p * d[0], p * d[1], p * d[2]);
  }
  const nn: P4 = [M_TAU - l[0], -l[1], -l[2], -l[3]];
  return [boostFrom(tau, l), boostFrom(tau, nn)];
}

/** tau -> mu nu nu (tauToLeptonNuNu with the muon mass). */
export function tauToMuNuNu(rng: EventRandom, tau: P4, pol = 0, charge = -1): [P4, P4] {
  return tauToLeptonNuNu(rng, tau, M_MU, pol, charge);
}

/**
 * tau -> pi nu, two-body, with the tau's polarization `pol` along its flight direction and its
 * charge: dGamma/dcos ~ 1 +- pol cos for tau-+ (the pion along the tau- spin: the nu_tau is
 * left-handed; PDG RPP "tau-lepton decay parameters", Tsai PRD 4 (1971) 2821); pol = 0: isotropic.
 * Returns the pion and the neutrino.
 */
export function tauToPiNu(rng: EventRandom, tau: P4, pol = 0, charge = -1): [P4, P4] {
  if (pol === 0) {
    const [c, phi] = isotropic(rng);
    const [pi, nu] = twoBody(M_TAU, M_PI, 0, c, phi);
    return [boostFrom(tau, pi), boostFrom(tau, nu)];
  }
  const a = charge < 0 ? pol : -pol;
  let c = 0;
  do c = rng.between(-1, 1);
  while (rng.uniform() * (1 + Math.abs(a)) > 1 + a * c);
  const d = aboutFlight(tau, c, rng.between(0, 2 * Math.PI)), p = twoBodyP(M_TAU, M_PI, 0);
  const pi = p4(M_PI, p * d[0], p * d[1], p * d[2]);
  const nu: P4 = [p, -pi[1], -pi[2], -pi[3]];
  return [boostFrom(tau, pi), boostFrom(tau, nu)];
}

// ---------------------------------------------------------------- gamma gamma -> l+ l-
/**
 * Breit-Wheeler gamma gamma -> l+ l- at gamma-gamma mass W (PDG RPP "Cross-section formulae",
 * gamma gamma -> l+ l-): sigma = (2 pi alpha^2 / W^2) [(3 - b^4) ln((1 + b)/(1 - b)) - 2 b (2 - b^2)],
 * dsigma/dcos ~ [1 + 2 b^2 sin^2 - b^4 - b^4 sin^4] / (1 - b^2 cos^2)^2, b = sqrt(1 - 4 m^2 / W^2).
 */
export function sigmaGammaGammaToLL(W: number, m: number): number {
  if (W <= 2 * m) return 0;
  const b = Math.sqrt(1 - (4 * m * m) / (W * W));
  return ((2 * Math.PI * ALPHA * ALPHA) / (W * W)) * ((3 - b ** 4) * Math.log((1 + b) / (1 - b)) - 2 * b * (2 - b * b));
}

export function gammaGammaAngular(c: number, b: number): number {
  const s2 = 1 - c * c;
  return (1 + 2 * b * b * s2 - b ** 4 - b ** 4 * s2 * s2) / (1 - b * b * c * c) ** 2;
}

/** cos(theta*) for gamma gamma -> l l: envelope 2/(1 - b^2 c^2) (a mixture of two 1/(1 -+ b c)), accept f/(M h). */
export function sampleGammaGammaCos(rng: EventRandom, b: number): number {
  // f/h = N(c) / (1 - b^2 c^2) <= 2 for 0 <= b < 1 (checked in test/generate.test.ts on a grid).
  if (b < 1e-6) return sampleCos(rng, (c) => gammaGammaAngular(c, b), 2);
  for (;;) {
    const c0 = samplePeaked(rng, 1 - b);
    const c = rng.uniform() < 0.5 ? c0 : -c0;
    const h = 1 / (1 - b * b * c * c);
    if (rng.uniform() * 2 * h <= gammaGammaAngular(c, b)) return c;
  }
}

export { M_MU, M_E };

// ---------------------------------------------------------------- e+e- -> mu mu gamma*(-> l l)
// The dominant SM diagram of e+e- -> mu+ mu- l+ l- at 10.58 GeV: mu+ mu- with a virtual photon
// radiated off the muons that converts to an l+ l- pair (l = mu: the four-muon background; l = tau:
// mu mu tau tau). The gamma* mass spectrum is
//   dsigma/dM = sigma_mumu x R(M) x K(M),
//   K(M) = (2 alpha / (3 pi M)) sqrt(1 - 4 m^2/M^2) (1 + 2 m^2/M^2)   (Kroll & Wada, Phys. Rev. 98
//          (1955) 1355: conversion of a photon into a lepton pair of mass M, dq^2/q^2 = 2 dM/M),
//   R(M) = (2 alpha / pi) (ln(s/m_mu^2) - 1) ln((sqrt(s) - 2m_mu)/M)  (leading-log probability of
//          the muons radiating that photon with energy above ~M, the radiator above),
// m = m_l, sigma_mumu = 1.148 nb (Belle II Physics Book Table 4). ILLUSTRATIVE (leading-log, no
// interference); Belle II uses AAFH/KKMC.
/** dsigma/dM of e+e- -> mu mu gamma*(-> l l), fb / GeV, l of mass mPair (formula above). */
export function fourMuSpectrumFbPerGeV(m: number, mPair = M_MU): number {
  if (!(m > 2 * mPair + 1e-3 && m < SQRT_S - 2 * M_MU - 1e-3)) return 0;
  const r = (4 * mPair * mPair) / (m * m);
  const K = ((2 * ALPHA) / (3 * Math.PI * m)) * Math.sqrt(1 - r) * (1 + r / 2);
  const R = ((2 * ALPHA) / Math.PI) * (Math.log(S / (M_MU * M_MU)) - 1) * Math.log((SQRT_S - 2 * M_MU) / m);
  return 1.148e6 * R * K;
}

/** A density f on [lo, hi] tabulated on a log-spaced grid of n intervals: the points m_i and the trapezoid CDF (unnormalised). */
export function tabulateCdf(f: (m: number) => number, lo: number, hi: number, n: number): { m: Float64Array; cdf: Float64Array } {
  const m = new Float64Array(n + 1), cdf = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) m[i] = Math.exp(Math.log(lo) + ((Math.log(hi) - Math.log(lo)) * i) / n);
  for (let i = 1; i <= n; i++) cdf[i] = cdf[i - 1] + 0.5 * (f(m[i - 1]) + f(m[i])) * (m[i] - m[i - 1]);
  return { m, cdf };
}

/** Inverse-CDF sampler of a density f on [lo, hi] tabulated on a log-spaced grid (trapezoids). */
export function tabulated(f: (m: number) => number, lo: number, hi: number, n = 4000): { total: number; sample(u: number): number } {
  const { m, cdf } = tabulateCdf(f, lo, hi, n);
  return {
    total: cdf[n],
    sample(u) {
      const target = u * cdf[n];
      let a = 0, b = n;
      while (b - a > 1) {
        const mid = (a + b) >> 1;
        if (cdf[mid] < target) a = mid;
        else b = mid;
      }
      return m[a] + ((target - cdf[a]) / Math.max(cdf[b] - cdf[a], 1e-300)) * (m[b] - m[a]);
    },
  };
}

/**
 * tabulated's table for a kernel's inverse-CDF draw, in f32 words: [c_0 .. c_n | m_0 .. m_n |
 * s_0 .. s_n], c_i the CDF normalised to c_n = 1 (f32), m_i the grid, s_i = (m_{i+1} - m_i) /
 * (c_{i+1} - c_i) the inverse CDF's slope on interval i (0 where the f32 CDF does not rise: that
 * interval is never drawn). A kernel finds a with c_a < u <= c_{a+1} by binary search (as
 * tabulated's sample) and returns m_a + (u - c_a) s_a.
 */
export function tabulatedF32(f: (m: number) => number, lo: number, hi: number, n: number): { total: number; n: number; words: Uint32Array } {
  const { m, cdf } = tabulateCdf(f, lo, hi, n);
  const t = new Float32Array(3 * (n + 1));
  for (let i = 0; i <= n; i++) {
    t[i] = cdf[i] / cdf[n];
    t[n + 1 + i] = m[i];
  }
  for (let i = 0; i < n; i++) t[2 * (n + 1) + i] = t[i + 1] > t[i] ? (m[i + 1] - m[i]) / (t[i + 1] - t[i]) : 0;
  return { total: cdf[n], n, words: new Uint32Array(t.buffer) };
}
