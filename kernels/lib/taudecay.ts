// Polarized tau decays for the generator kernels, in f32 from exact operations and Philox uniforms
// only (twins: kernels/lib/taudecay.wgsl, wasm/lib/taudecay.ts; the same operations in the same
// order). The f64 definitions they follow are engine/generate/physics.ts tauToLeptonNuNu /
// tauToPiNu. Everything here lives in the tau rest frame with the z axis along the tau's flight
// direction (its helicity axis); the caller supplies the azimuth and rotates (helicityFrame) and
// boosts. Loop-free except michelX's bounded retry, so every draw count is fixed or bounded.
//
// tau -> l nu nu (PDG RPP "tau-lepton decay parameters", SM rho = delta = 3/4, xi = 1, eta = 0;
// m_l neglected in the shape): dGamma / dx dcos ~ x^2 [(3 - 2x) + a cos (2x - 1)], x = E / E_max,
// a = -P for tau-, +P for tau+ (P the tau's polarization along its flight, its helicity). The
// x marginal is x^2 (3 - 2x) (the cos term integrates to 0): as a density 6x^2 - 4x^3 =
// 2/3 [3x^2] + 1/3 [12 x^2 (1 - x)], the largest of 3 uniforms (Beta(3, 1)) or the second largest
// of 4 (Beta(3, 2)); given x, cos follows (1 + b cos) / 2 with b = a (2x - 1) / (3 - 2x), |b| <= |a|.
// tau -> pi nu: dGamma / dcos ~ 1 + a cos, a = +P for tau-, -P for tau+ (the nu_tau is
// left-handed; Tsai, PRD 4 (1971) 2821). A density (1 + b c) / 2 on [-1, 1] (|b| <= 1) is the
// mixture (1 - |b|) uniform + |b| sign(b) max(v1, v2) (the larger of two uniforms on [-1, 1] has
// density (1 + c) / 2): linearCos, 3 uniforms, no loop.
import { ftz, xdiv, xsqrt } from './exactmath.js';
import { boostFrom, disc, type V4 } from './genkin.js';
import { rsUniform, type RStream } from './sampling.js';

const fr = Math.fround;
const add = (a: number, b: number) => fr(a + b);
const sub = (a: number, b: number) => fr(a - b);
const mul = (a: number, b: number) => fr(a * b);
/** A product of two operands that may both be small: flushed below 2^-100 like every backend. */
const fm = (a: number, b: number) => ftz(fr(a * b));

/**
 * Retries of michelX below x_min = m_l / E_max (the lepton cannot be slower than at rest): a try
 * fails with P(x < x_min) = 2 x_min^3 - x_min^4 (3.1e-3 for the muon, 1.3e-10 for the electron),
 * so 8 tries fail with probability < 1e-20; then x = x_min (the lepton at rest).
 */
export const MICHEL_TRIES = 8;

/** x from x^2 (3 - 2x) on (x_min, 1): 5 uniforms per try (selector, then 4). */
export function michelX(s: RStream, xMin: number): number {
  for (let it = 0; it < MICHEL_TRIES; it++) {
    const sel = rsUniform(s);
    const u1 = rsUniform(s), u2 = rsUniform(s), u3 = rsUniform(s), u4 = rsUniform(s);
    const hi12 = Math.max(u1, u2), lo12 = Math.min(u1, u2);
    let x: number;
    if (mul(sel, 3) < 2) x = Math.max(hi12, u3); // max of 3: Beta(3, 1), probability 2/3
    else {
      const hi34 = Math.max(u3, u4), lo34 = Math.min(u3, u4);
      x = Math.max(Math.min(hi12, hi34), Math.max(lo12, lo34)); // second largest of 4: Beta(3, 2)
    }
    if (x > xMin) return x;
  }
  return xMin;
}

/** cos from (1 + b c) / 2 on [-1, 1], |b| <= 1: 3 uniforms. */
export function linearCos(s: RStream, b: number): number {
  const sel = rsUniform(s);
  const c1 = sub(mul(2, rsUniform(s)), 1), c2 = sub(mul(2, rsUniform(s)), 1);
  if (sel < Math.abs(b)) {
    const c = Math.max(c1, c2);
    return b < 0 ? -c : c;
  }
  return c1;
}

/**
 * tau -> l nu nu in the tau rest frame: [E, |p|, cos] of the lepton (mass m, E_max = (m_tau^2 +
 * m^2) / 2 m_tau, x_min = m / E_max), cos to the tau's flight direction. pol: the tau's helicity
 * (-1..1), q its charge (-1, +1).
 */
export function tauLepton(s: RStream, pol: number, q: number, emax: number, m: number, xMin: number): [number, number, number] {
  const x = michelX(s, xMin);
  const a = q < 0 ? -pol : pol;
  const b = xdiv(mul(a, sub(mul(2, x), 1)), sub(3, mul(2, x)));
  const c = linearCos(s, b);
  const e = Math.max(mul(x, emax), m);
  return [e, xsqrt(Math.max(0, sub(mul(e, e), mul(m, m)))), c];
}

/**
 * tau -> l nu nu, unpolarised (tauLepton at pol = 0: the Michel x, its cos uniform, taken to the z
 * axis of the tau rest frame with a disc azimuth: isotropic), boosted with the tau (four-momentum
 * tau, mass mTau): the lepton.
 */
export function tauLeptonic(s: RStream, tau: V4, mTau: number, q: number, m: number, emax: number, xMin: number): V4 {
  const [en, p, c] = tauLepton(s, 0, q, emax, m, xMin);
  const cs = disc(s), pt = mul(p, xsqrt(Math.max(0, sub(1, mul(c, c)))));
  return boostFrom(tau, mTau, [en, ftz(mul(pt, cs[0])), ftz(mul(pt, cs[1])), mul(p, c)]);
}

/** tau -> pi nu in the tau rest frame: the pion's cos to the tau's flight direction (its momentum is fixed). */
export function tauPion(s: RStream, pol: number, q: number): number {
  return linearCos(s, q < 0 ? pol : -pol);
}

/**
 * A vector given in a tau's helicity frame (z along its flight n = (st cos phi, st sin phi, c),
 * x along e_theta = (c cos phi, c sin phi, -st), y along e_phi = (-sin phi, cos phi, 0)) in the
 * parent frame: x e_theta + y e_phi + z n (exact products, no normalisation). flip = true: the
 * frame of the partner flying along -n (z along -n, y along -e_phi, still right-handed).
 */
export function helicityFrame(x: number, y: number, z: number, c: number, st: number, cph: number, sph: number, flip: boolean): [number, number, number] {
  const zz = flip ? -z : z, yy = flip ? -y : y;
  const r = add(fm(c, x), fm(st, zz)); // the component along (cos phi, sin phi, 0)
  return [sub(fm(r, cph), fm(yy, sph)), add(fm(r, sph), fm(yy, cph)), sub(fm(c, zz), fm(st, x))];
}
