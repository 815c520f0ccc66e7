// Four-vectors for the generator: [E, px, py, pz] in GeV (c = 1), plain number arrays. Kept
// private to engine/generate (engine/kinematics.ts serves the analyses) because the generator's
// inner loops want allocation-light, in-place helpers.
export type P4 = [number, number, number, number];

export const M_MU = 0.1056583755; // PDG 2024
export const M_E = 0.00051099895;
export const M_TAU = 1.77686;
export const M_PI = 0.13957039;
export const M_K = 0.493677;
export const M_B = 5.27934; // B+ (PDG 2024)

export function p4(m: number, px: number, py: number, pz: number): P4 {
  return [Math.sqrt(m * m + px * px + py * py + pz * pz), px, py, pz];
}
export function pabs(p: P4): number {
  return Math.hypot(p[1], p[2], p[3]);
}
export function mass(p: P4): number {
  const m2 = p[0] * p[0] - p[1] * p[1] - p[2] * p[2] - p[3] * p[3];
  return m2 >= 0 ? Math.sqrt(m2) : -Math.sqrt(-m2);
}
export function plus(a: P4, b: P4): P4 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]];
}
export function minus(a: P4, b: P4): P4 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3]];
}

/** Boost p by velocity (bx, by, bz): E' = g(E + b.p), p' = p + ((g-1)(b.p)/b^2 + g E) b (Jackson eq. 11.19, sign for rest -> moving). */
export function boost(p: P4, bx: number, by: number, bz: number): P4 {
  const b2 = bx * bx + by * by + bz * bz;
  if (b2 === 0) return [p[0], p[1], p[2], p[3]];
  const g = 1 / Math.sqrt(1 - b2), bp = bx * p[1] + by * p[2] + bz * p[3];
  const f = ((g - 1) * bp) / b2 + g * p[0];
  return [g * (p[0] + bp), p[1] + f * bx, p[2] + f * by, p[3] + f * bz];
}

/** Boost a daughter from the rest frame of `parent` (a four-vector) into the frame where parent has that momentum. */
export function boostFrom(parent: P4, p: P4): P4 {
  return boost(p, parent[1] / parent[0], parent[2] / parent[0], parent[3] / parent[0]);
}

/** Two-body momentum in the rest frame of M -> m1 m2: p = sqrt(lambda(M^2, m1^2, m2^2)) / 2M (PDG RPP "Kinematics" eq. 49.17). */
export function twoBodyP(M: number, m1: number, m2: number): number {
  const s = M * M, a = (m1 + m2) * (m1 + m2), d = (m1 - m2) * (m1 - m2);
  if (s < a) throw new RangeError(`two-body decay below threshold: M = ${M} < ${m1} + ${m2}`);
  return Math.sqrt((s - a) * (s - d)) / (2 * M);
}

/** Daughters of M -> m1 m2 in the M rest frame, daughter 1 along (cos theta, phi). */
export function twoBody(M: number, m1: number, m2: number, cosTheta: number, phi: number): [P4, P4] {
  const p = twoBodyP(M, m1, m2), s = Math.sqrt(Math.max(0, 1 - cosTheta * cosTheta));
  const px = p * s * Math.cos(phi), py = p * s * Math.sin(phi), pz = p * cosTheta;
  return [p4(m1, px, py, pz), p4(m2, -px, -py, -pz)];
}

/** Polar angle of a four-vector's momentum, radians. */
export function theta(p: P4): number {
  return Math.atan2(Math.hypot(p[1], p[2]), p[3]);
}
