// Relativistic kinematics for Belle II dark-sector searches, in GeV (c = 1), host-side double
// precision. Four-vectors are [E, px, py, pz].

export type FourVector = readonly [number, number, number, number];

/** Muon and electron masses in GeV (PDG 2024). */
export const MUON_MASS_GeV = 0.1056583755;
export const ELECTRON_MASS_GeV = 0.00051099895;

/** Minkowski square E^2 - |p|^2 (metric +,-,-,-). */
export function mass2(p: FourVector): number {
  return p[0] * p[0] - p[1] * p[1] - p[2] * p[2] - p[3] * p[3];
}

/** Mass of a four-vector; a negative square (rounding, or a spacelike recoil) gives -sqrt(-m^2). */
export function massOf(p: FourVector): number {
  const m2 = mass2(p);
  return m2 >= 0 ? Math.sqrt(m2) : -Math.sqrt(-m2);
}

/** Four-vector from a 3-momentum and a mass: E = sqrt(|p|^2 + m^2). */
export function fourVector(px: number, py: number, pz: number, m: number): FourVector {
  return [Math.sqrt(px * px + py * py + pz * pz + m * m), px, py, pz];
}

export function add(a: FourVector, b: FourVector): FourVector {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]];
}

export function sub(a: FourVector, b: FourVector): FourVector {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3]];
}

/** Pair invariant mass M^2 = (E1 + E2)^2 - |p1 + p2|^2 (PDG RPP, "Kinematics", invariant mass). */
export function pairMass(p1: FourVector, p2: FourVector): number {
  return massOf(add(p1, p2));
}

/** Lorentz boost of p by velocity beta (|beta| < 1): E' = g(E - b.p), p' = p + ((g-1)(b.p)/b^2 - g E) b (Jackson, eq. 11.19). */
export function boost(p: FourVector, beta: readonly [number, number, number]): FourVector {
  const b2 = beta[0] * beta[0] + beta[1] * beta[1] + beta[2] * beta[2];
  if (!(b2 < 1)) throw new RangeError(`boost: |beta| must be < 1, got ${Math.sqrt(b2)}`);
  if (b2 === 0) return p;
  const g = 1 / Math.sqrt(1 - b2);
  const bp = beta[0] * p[1] + beta[1] * p[2] + beta[2] * p[3];
  const k = ((g - 1) * bp) / b2 - g * p[0];
  return [g * (p[0] - bp), p[1] + k * beta[0], p[2] + k * beta[1], p[3] + k * beta[2]];
}

export interface Beams {
  /** Electron beam energy (along +z before the crossing angle), GeV. */
  readonly eMinusGeV: number;
  /** Positron beam energy (along -z), GeV. */
  readonly ePlusGeV: number;
  /** Full crossing angle in the x-z plane, rad (Belle II: 0.083); 0 = head-on. */
  readonly crossingAngleRad?: number;
}

/** SuperKEKB nominal: 7 GeV e- on 4 GeV e+, treated head-on (sqrt(s) = 10.583 GeV, beta-gamma = 0.284). */
export const BELLE2_BEAMS: Beams = { eMinusGeV: 7, ePlusGeV: 4, crossingAngleRad: 0 };

/** The two beam four-vectors; with a crossing angle each beam is tilted by half of it away from -x. */
export function beamFourVectors(b: Beams = BELLE2_BEAMS): [FourVector, FourVector] {
  if (!(b.eMinusGeV > ELECTRON_MASS_GeV) || !(b.ePlusGeV > ELECTRON_MASS_GeV)) throw new RangeError('beams: energies must exceed the electron mass');
  const h = (b.crossingAngleRad ?? 0) / 2;
  const pm = Math.sqrt(b.eMinusGeV ** 2 - ELECTRON_MASS_GeV ** 2);
  const pp = Math.sqrt(b.ePlusGeV ** 2 - ELECTRON_MASS_GeV ** 2);
  return [
    [b.eMinusGeV, pm * Math.sin(h), 0, pm * Math.cos(h)],
    [b.ePlusGeV, pp * Math.sin(h), 0, -pp * Math.cos(h)],
  ];
}

/** Total initial four-momentum of the collision. */
export function initialState(b: Beams = BELLE2_BEAMS): FourVector {
  const [m, p] = beamFourVectors(b);
  return add(m, p);
}

/** Centre-of-mass energy sqrt(s) = sqrt((p_e- + p_e+)^2) (PDG RPP, "Kinematics", Mandelstam s). */
export function sqrtS(b: Beams = BELLE2_BEAMS): number {
  return massOf(initialState(b));
}

/** Velocity of the CM frame in the lab: beta = P / E of the initial state (PDG RPP, "Kinematics"). */
export function cmBeta(b: Beams = BELLE2_BEAMS): [number, number, number] {
  const P = initialState(b);
  return [P[1] / P[0], P[2] / P[0], P[3] / P[0]];
}

/** A lab four-vector in the CM frame. */
export function toCM(p: FourVector, b: Beams = BELLE2_BEAMS): FourVector {
  return boost(p, cmBeta(b));
}

/**
 * Recoil mass against a system with CM four-momentum p*: M_rec^2 = (sqrt(s) - E*)^2 - |p*|^2
 * (Belle II, PRL 130 (2023) 071804; the invariant (P_init - p)^2 in the CM frame). Signed: -sqrt(-M^2) when M^2 < 0.
 */
export function recoilMassCM(pCM: FourVector, sqrtSGeV: number): number {
  const e = sqrtSGeV - pCM[0];
  const m2 = e * e - pCM[1] * pCM[1] - pCM[2] * pCM[2] - pCM[3] * pCM[3];
  return m2 >= 0 ? Math.sqrt(m2) : -Math.sqrt(-m2);
}

/** Recoil mass from lab four-momenta: M_rec^2 = (P_init - p1 - p2)^2 (Lorentz invariant, equal to recoilMassCM). */
export function recoilMassLab(p1: FourVector, p2: FourVector, b: Beams = BELLE2_BEAMS): number {
  return massOf(sub(sub(initialState(b), p1), p2));
}

/** CM photon energy recoiling against a mass M in e+e- -> gamma X: E* = (s - M^2) / (2 sqrt(s)) (two-body kinematics). */
export function photonEnergyCM(massGeV: number, sqrtSGeV: number): number {
  if (!(massGeV >= 0) || !(massGeV <= sqrtSGeV)) throw new RangeError(`photonEnergyCM: need 0 <= M <= sqrt(s), got M = ${massGeV}`);
  return (sqrtSGeV * sqrtSGeV - massGeV * massGeV) / (2 * sqrtSGeV);
}

/** The inverse: M^2 = s - 2 sqrt(s) E* (same relation solved for M); signed when M^2 < 0. */
export function massFromPhotonEnergyCM(eGeV: number, sqrtSGeV: number): number {
  const m2 = sqrtSGeV * sqrtSGeV - 2 * sqrtSGeV * eGeV;
  return m2 >= 0 ? Math.sqrt(m2) : -Math.sqrt(-m2);
}

/** LLP reduced mass M_red = sqrt(M^2 - 4 m^2) for S -> x x with daughter mass m (Belle II, arXiv:2306.02830): 0 at threshold. */
export function reducedMass(massGeV: number, daughterMassGeV: number): number {
  const r = massGeV * massGeV - 4 * daughterMassGeV * daughterMassGeV;
  if (r < 0) throw new RangeError(`reducedMass: M = ${massGeV} GeV is below threshold 2m = ${2 * daughterMassGeV} GeV`);
  return Math.sqrt(r);
}

/**
 * Dark Higgsstrahlung variables for a table of muon pairs (lab 3-momenta, GeV): M_mumu and the
 * recoil mass against the pair. Returns Float64 columns (the caller decides the storage type).
 */
export function dimuonVariables(
  mu1: { px: ArrayLike<number>; py: ArrayLike<number>; pz: ArrayLike<number> },
  mu2: { px: ArrayLike<number>; py: ArrayLike<number>; pz: ArrayLike<number> },
  b: Beams = BELLE2_BEAMS,
): { m_mumu_GeV: Float64Array; m_recoil_GeV: Float64Array } {
  const n = mu1.px.length;
  const P = initialState(b);
  const mm = new Float64Array(n), mr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = fourVector(mu1.px[i], mu1.py[i], mu1.pz[i], MUON_MASS_GeV);
    const c = fourVector(mu2.px[i], mu2.py[i], mu2.pz[i], MUON_MASS_GeV);
    const pair = add(a, c);
    mm[i] = massOf(pair);
    mr[i] = massOf(sub(P, pair));
  }
  return { m_mumu_GeV: mm, m_recoil_GeV: mr };
}
