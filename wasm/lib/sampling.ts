// Twin of kernels/lib/sampling.ts: same operations, same order (WebAssembly never fuses a*b+c).
import { philoxBlock, philoxR0, philoxR1, philoxR2, philoxR3 } from '../philox';
import { F, ftz, horner, xdiv, xexp, xlog, xrecip, xsqrt } from './exactmath';

let rsK0: u32 = 0, rsK1: u32 = 0, rsC1: u32 = 0, rsC2: u32 = 0, rsC3: u32 = 0, rsBlk: u32 = 0, rsPos: u32 = 4;
let rsB0: u32 = 0, rsB1: u32 = 0, rsB2: u32 = 0, rsB3: u32 = 0;

export function rsInit(k0: u32, k1: u32, c1: u32, c2: u32, c3: u32): void {
  rsK0 = k0; rsK1 = k1; rsC1 = c1; rsC2 = c2; rsC3 = c3; rsBlk = 0; rsPos = 4;
}

export function rsUniform(): f32 {
  if (rsPos == 4) {
    philoxBlock(rsBlk, rsC1, rsC2, rsC3, rsK0, rsK1);
    rsB0 = philoxR0(); rsB1 = philoxR1(); rsB2 = philoxR2(); rsB3 = philoxR3();
    rsBlk += 1;
    rsPos = 0;
  }
  const x = rsPos == 0 ? rsB0 : rsPos == 1 ? rsB1 : rsPos == 2 ? rsB2 : rsB3;
  rsPos += 1;
  return <f32>((x >> 8) | 1) * <f32>5.9604644775390625e-8;
}

function lnFact(k: i32): f32 {
  switch (k) {
    case 2: return F(0x3f317218);
    case 3: return F(0x3fe55860);
    case 4: return F(0x404b653c);
    case 5: return F(0x40993322);
    case 6: return F(0x40d2893a);
    case 7: return F(0x41086710);
    case 8: return F(0x4129ac74);
    case 9: return F(0x414cd449);
    default: return 0.0;
  }
}

// (1 + d) ln(1 + d) - d = d^2 (1/2 - d/6 + ...), |d| < 1/4: coefficients, highest order first.
export const LNF_POLY = memory.data<u32>([
  0x3bf83e10, 0xbc14f209, 0x3c360b61, 0xbc638e39, 0x3c924925, 0xbcc30c31, 0x3d088889, 0xbd4ccccd, 0x3daaaaab, 0xbe2aaaab, 0x3f000000,
]);

export function logPoisPmf(k: f32, lam: f32): f32 {
  if (k < 10.0) return (k * xlog(lam) - lam) - lnFact(<i32>k);
  const d = xdiv(k - lam, lam);
  let h: f32;
  if (Mathf.abs(d) < 0.25) {
    const p = horner(d, LNF_POLY, 11);
    h = ftz(d * d) * p;
  } else {
    const e: f32 = 1.0 + d;
    h = e * xlog(e) - d;
  }
  const rk = xrecip(k);
  const rk2 = rk * rk;
  const corr = rk * (F(0x3daaaaab) - rk2 * (F(0x3b360b61) - rk2 * F(0x3a500d01)));
  return (-(lam * h) - (<f32>0.5 * xlog(k) + F(0x3f6b3f8e))) - corr;
}

// A Poisson draw's set-up, which depends on lam only (kernels hoist it per lam): set by setPois.
export let pLam: f32 = 0, pP0: f32 = 0, pB: f32 = 0, pA: f32 = 0, pA2: f32 = 0, pLinv: f32 = 0, pVr: f32 = 0;
export function setPois(lam: f32): void {
  pLam = lam;
  if (lam < 10.0) { pP0 = xexp(-lam); return; }
  const slam = xsqrt(lam);
  const b = F(0x4021eb85) * slam + F(0x3f6e5604);
  const a = F(0x3ccb6849) * b + F(0xbd71a9fc);
  pB = b; pA = a; pA2 = 2.0 * a;
  pLinv = xlog(xdiv(F(0x3f90ff97), b - F(0x4059999a)) + F(0x3f8fdbf5));
  pVr = F(0x3f6d7dbf) - xdiv(F(0x4067d567), b - 2.0);
}

// A Poisson draw with setPois's constants: inversion below lam = 10, else PTRS (Hormann 1993).
// @ts-ignore: decorator
@inline export function drawPois(lam: f32, p0: f32, b: f32, a: f32, a2: f32, linv: f32, vr: f32): f32 {
  if (lam < 10.0) {
    const u = rsUniform();
    let p = p0;
    let Fc = p;
    let k: f32 = 0.0;
    while (u > Fc && p > F(0x2edbe6ff)) {
      k = k + 1.0;
      p = ftz(p * xdiv(lam, k));
      Fc = Fc + p;
    }
    return k;
  }
  for (let it = 0; it < 64; it++) {
    const U: f32 = rsUniform() - 0.5;
    const V = rsUniform();
    const us: f32 = 0.5 - Mathf.abs(U);
    const k = Mathf.floor(((xdiv(a2, us) + b) * U + lam) + F(0x3edc28f6));
    if (us >= F(0x3d8f5c29) && V <= vr) return k;
    if (k < 0.0 || (us < F(0x3c54fdf4) && V > us)) continue;
    const lhs = (xlog(V) + linv) - xlog(xdiv(a, us * us) + b);
    if (lhs <= logPoisPmf(k, lam)) return k;
  }
  return Mathf.floor(lam);
}

export function rsPoisson(lam: f32): f32 {
  setPois(lam);
  return drawPois(pLam, pP0, pB, pA, pA2, pLinv, pVr);
}

export function rsNormal(): f32 {
  for (let it = 0; it < 64; it++) {
    const x: f32 = <f32>2.0 * rsUniform() - 1.0;
    const y: f32 = <f32>2.0 * rsUniform() - 1.0;
    const r2 = x * x + y * y;
    if (r2 < 1.0 && r2 > 0.0) return x * xsqrt(xdiv(<f32>-2.0 * xlog(r2), r2));
  }
  return 0.0;
}
