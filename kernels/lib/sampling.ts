// Samplers from Philox uniforms with the engine's exact math: bit-identical on every backend.
// Twins: kernels/lib/sampling.wgsl, wasm/lib/sampling.ts (same operations in the same order).
// A stream is (key, counter words 1..3); counter word 0 counts the Philox blocks it consumed,
// so a draw depends only on (key, window, toy, position in the stream).
import { philoxBlock } from '../philox/ref.js';
import { bitsToF32 as F, ftz, xdiv, xexp, xlog, xrecip, xsqrt } from './exactmath.js';

const fr = Math.fround;
const TWO_M24 = 5.9604644775390625e-8;

// PTRS constants (Hoermann 1993, as in numpy's random_poisson_ptrs), as f32 bit patterns.
const PT_B0 = F(0x3f6e5604), PT_B1 = F(0x4021eb85); // b = 0.931 + 2.53 sqrt(lam)
const PT_A0 = F(0xbd71a9fc), PT_A1 = F(0x3ccb6849); // a = -0.059 + 0.02483 b
const PT_I0 = F(0x3f8fdbf5), PT_I1 = F(0x3f90ff97), PT_I2 = F(0x4059999a); // 1/alpha = 1.1239 + 1.1328 / (b - 3.4)
const PT_V0 = F(0x3f6d7dbf), PT_V1 = F(0x4067d567); // v_r = 0.9277 - 3.6224 / (b - 2)
const PT_K = F(0x3edc28f6), PT_US1 = F(0x3d8f5c29), PT_US2 = F(0x3c54fdf4); // 0.43, 0.07, 0.013
export const HLN2PI = F(0x3f6b3f8e); // ln(2 pi) / 2
const ST1 = F(0x3daaaaab), ST2 = F(0x3b360b61), ST3 = F(0x3a500d01); // 1/12, 1/360, 1/1260
const PMIN = F(0x2edbe6ff); // 1e-10: inversion stops when the next term is negligible
// (1 + d) ln(1 + d) - d = d^2 sum_i (-1)^i d^i / ((i + 2)(i + 1)), i = 0..10
const H = [0x3f000000, 0xbe2aaaab, 0x3daaaaab, 0xbd4ccccd, 0x3d088889, 0xbcc30c31, 0x3c924925, 0xbc638e39, 0x3c360b61, 0xbc14f209, 0x3bf83e10].map(F);
const LF = [0x00000000, 0x00000000, 0x3f317218, 0x3fe55860, 0x404b653c, 0x40993322, 0x40d2893a, 0x41086710, 0x4129ac74, 0x414cd449].map(F); // ln k!, k < 10

export interface RStream { k0: number; k1: number; c1: number; c2: number; c3: number; blk: number; pos: number; buf: Uint32Array }

export function newStream(): RStream {
  return { k0: 0, k1: 0, c1: 0, c2: 0, c3: 0, blk: 0, pos: 4, buf: new Uint32Array(4) };
}

export function rsInit(s: RStream, k0: number, k1: number, c1: number, c2: number, c3: number): void {
  s.k0 = k0; s.k1 = k1; s.c1 = c1; s.c2 = c2; s.c3 = c3; s.blk = 0; s.pos = 4;
}

/** Uniform f32 in the open interval (0, 1): an odd multiple of 2^-24 (exact). */
export function rsUniform(s: RStream): number {
  if (s.pos === 4) {
    philoxBlock(s.blk, s.c1, s.c2, s.c3, s.k0, s.k1, s.buf, 0);
    s.blk = (s.blk + 1) >>> 0;
    s.pos = 0;
  }
  const x = s.buf[s.pos++];
  return fr(((x >>> 8) | 1) * TWO_M24);
}

/**
 * ln P(k | lam) for integer k >= 0, lam >= 10: for k >= 10 through Stirling's series,
 * -lam [(1 + d) ln(1 + d) - d] - ln(2 pi k) / 2 - (1/(12k) - 1/(360k^3) + 1/(1260k^5)), d = (k - lam) / lam,
 * which keeps its relative accuracy for large lam (no cancellation of k ln lam against ln k!).
 */
export function logPoisPmf(k: number, lam: number): number {
  if (k < 10) return fr(fr(fr(k * xlog(lam)) - lam) - LF[k]);
  const d = xdiv(fr(k - lam), lam);
  let h: number;
  if (Math.abs(d) < 0.25) {
    let p = H[10];
    for (let i = 9; i >= 0; i--) p = fr(fr(p * d) + H[i]);
    h = fr(ftz(fr(d * d)) * p);
  } else {
    const e = fr(1 + d);
    h = fr(fr(e * xlog(e)) - d);
  }
  const rk = xrecip(k), rk2 = fr(rk * rk);
  const corr = fr(rk * fr(ST1 - fr(rk2 * fr(ST2 - fr(rk2 * ST3)))));
  return fr(fr(-fr(lam * h) - fr(fr(0.5 * xlog(k)) + HLN2PI)) - corr);
}

/**
 * Poisson(lam), lam in [0, 1e7]: inversion by sequential search below 10, else the transformed
 * rejection PTRS of W. Hoermann, Insurance: Math. Econ. 12 (1993) 39 (numpy's algorithm).
 */
export function rsPoisson(s: RStream, lam: number): number {
  if (lam < 10) {
    const u = rsUniform(s);
    let p = xexp(-lam), F = p, k = 0;
    while (u > F && p > PMIN) {
      k += 1;
      p = ftz(fr(p * xdiv(lam, k)));
      F = fr(F + p);
    }
    return k;
  }
  const slam = xsqrt(lam);
  const b = fr(fr(PT_B1 * slam) + PT_B0);
  const a = fr(fr(PT_A1 * b) + PT_A0);
  const linv = xlog(fr(xdiv(PT_I1, fr(b - PT_I2)) + PT_I0));
  const vr = fr(PT_V0 - xdiv(PT_V1, fr(b - 2)));
  for (let it = 0; it < 64; it++) {
    const U = fr(rsUniform(s) - 0.5);
    const V = rsUniform(s);
    const us = fr(0.5 - Math.abs(U));
    const k = Math.floor(fr(fr(fr(fr(xdiv(fr(2 * a), us) + b) * U) + lam) + PT_K));
    if (us >= PT_US1 && V <= vr) return k;
    if (k < 0 || (us < PT_US2 && V > us)) continue;
    const lhs = fr(fr(xlog(V) + linv) - xlog(fr(xdiv(a, fr(us * us)) + b)));
    if (lhs <= logPoisPmf(k, lam)) return k;
  }
  return Math.floor(lam);
}

/** Standard normal: Marsaglia's polar method (Marsaglia & Bray, SIAM Rev. 6 (1964) 260). */
export function rsNormal(s: RStream): number {
  for (let it = 0; it < 64; it++) {
    const x = fr(fr(2 * rsUniform(s)) - 1), y = fr(fr(2 * rsUniform(s)) - 1);
    const r2 = fr(fr(x * x) + fr(y * y));
    if (r2 < 1 && r2 > 0) return fr(x * xsqrt(xdiv(fr(-2 * xlog(r2)), r2)));
  }
  return 0;
}
