// Polarized tau decays: twin of kernels/lib/taudecay.ts (see there for the physics, sources, the
// samplers and the bound); the same f32 operations in the same order. Results in globals:
// tauLepton -> (tdE, tdP, tdC), helicityFrame -> (hfX, hfY, hfZ).
import { ftz, xdiv, xsqrt } from './exactmath';
import { boostFrom, dC, dS, disc } from './genkin';
import { rsUniform } from './sampling';

// @ts-ignore: decorator
@inline function tfm(a: f32, b: f32): f32 { return ftz(a * b); }

export let tdE: f32 = 0, tdP: f32 = 0, tdC: f32 = 0;
export let hfX: f32 = 0, hfY: f32 = 0, hfZ: f32 = 0;

/** x from x^2 (3 - 2x) on (x_min, 1): 5 uniforms per try, at most 8 tries (then x_min). */
export function michelX(xMin: f32): f32 {
  for (let it = 0; it < 8; it++) {
    const sel = rsUniform();
    const u1 = rsUniform(), u2 = rsUniform(), u3 = rsUniform(), u4 = rsUniform();
    const hi12 = max<f32>(u1, u2), lo12 = min<f32>(u1, u2);
    let x: f32;
    if (sel * <f32>3.0 < <f32>2.0) x = max<f32>(hi12, u3);
    else {
      const hi34 = max<f32>(u3, u4), lo34 = min<f32>(u3, u4);
      x = max<f32>(min<f32>(hi12, hi34), max<f32>(lo12, lo34));
    }
    if (x > xMin) return x;
  }
  return xMin;
}

/** cos from (1 + b c) / 2 on [-1, 1], |b| <= 1: 3 uniforms. */
export function linearCos(b: f32): f32 {
  const sel = rsUniform();
  const c1: f32 = <f32>2.0 * rsUniform() - <f32>1.0;
  const c2: f32 = <f32>2.0 * rsUniform() - <f32>1.0;
  if (sel < abs<f32>(b)) {
    const c = max<f32>(c1, c2);
    return b < 0.0 ? -c : c;
  }
  return c1;
}

/** tau -> l nu nu in the tau rest frame: (tdE, tdP, tdC) = (E, |p|, cos to the flight direction). */
export function tauLepton(pol: f32, q: f32, emax: f32, m: f32, xMin: f32): void {
  const x = michelX(xMin);
  const a = q < 0.0 ? -pol : pol;
  const b = xdiv(a * (<f32>2.0 * x - <f32>1.0), <f32>3.0 - <f32>2.0 * x);
  const c = linearCos(b);
  const e = max<f32>(x * emax, m);
  tdE = e;
  tdP = xsqrt(max<f32>(0.0, e * e - m * m));
  tdC = c;
}

/** tau -> l nu nu unpolarised, boosted with the tau (te..tz, mass mTau): the lepton into genkin's (oE..oZ). */
export function tauLeptonic(te: f32, tx: f32, ty: f32, tz: f32, mTau: f32, q: f32, m: f32, emax: f32, xMin: f32): void {
  tauLepton(0.0, q, emax, m, xMin);
  const en = tdE, p = tdP, c = tdC;
  disc();
  const pt = p * xsqrt(max<f32>(0.0, <f32>1.0 - c * c));
  boostFrom(te, tx, ty, tz, mTau, en, ftz(pt * dC), ftz(pt * dS), p * c);
}

/** tau -> pi nu: the pion's cos to the tau's flight direction. */
export function tauPion(pol: f32, q: f32): f32 {
  return linearCos(q < 0.0 ? pol : -pol);
}

/** (x, y, z) in a tau's helicity frame into the parent frame (hfX, hfY, hfZ); flip: the partner's frame along -n. */
export function helicityFrame(x: f32, y: f32, z: f32, c: f32, st: f32, cph: f32, sph: f32, flip: bool): void {
  const zz = flip ? -z : z, yy = flip ? -y : y;
  const r = tfm(c, x) + tfm(st, zz);
  hfX = tfm(r, cph) - tfm(yy, sph);
  hfY = tfm(r, sph) + tfm(yy, cph);
  hfZ = tfm(c, zz) - tfm(st, x);
}
