// The engine's own elementary functions, built only from f32 + - *, comparisons, floor and
// bit manipulation, so that WGSL, AssemblyScript and this reference return the same bits.
// Twins: kernels/lib/exactmath.wgsl, wasm/lib/exactmath.ts (same operations, same order).
// Accuracy against the true function (measured in test/exactmath.test.ts) is documented there.
// Domain: finite inputs. Outside the stated ranges the functions clamp (documented per function)
// so that no intermediate is ever subnormal (GPUs may flush subnormals, CPUs do not).

import { bitsToF32, f32ToBits } from '../bits.js';

export { bitsToF32, f32ToBits };

const fr = Math.fround;

// Constants as f32 bit patterns, identical in the three twins.
const LOG2E = bitsToF32(0x3fb8aa3b);
const C1 = bitsToF32(0x3f318000); // ln 2 high part, 0.693359375 (9 bits: k * C1 is exact)
const C2 = bitsToF32(0xb95e8083); // ln 2 - C1 = -2.12194440e-4
const E5 = bitsToF32(0x39506967), E4 = bitsToF32(0x3ab743ce), E3 = bitsToF32(0x3c088908);
const E2 = bitsToF32(0x3d2aa9c1), E1 = bitsToF32(0x3e2aaaaa), E0 = bitsToF32(0x3f000000);
const L8 = bitsToF32(0x3d9021bb), L7 = bitsToF32(0xbdebd1b8), L6 = bitsToF32(0x3def251a);
const L5 = bitsToF32(0xbdfe5d4f), L4 = bitsToF32(0x3e11e9bf), L3 = bitsToF32(0xbe2aae50);
const L2 = bitsToF32(0x3e4cceac), L1 = bitsToF32(0xbe7ffffc), L0 = bitsToF32(0x3eaaaaaa);
const SQRTHF = bitsToF32(0x3f3504f3);
export const EXP_MIN_ARG = -86; // xexp(x) = 0 below: exp(-86) = 4.4e-38 is near the subnormal range
export const EXP_MAX_ARG = 88; // xexp clamps its argument here: exp(88) = 1.65e38
export const LOG_MIN_ARG = bitsToF32(0x00800000); // FLT_MIN; xlog(x) = LOG_FLOOR below
export const LOG_FLOOR = bitsToF32(0xc2aeac50); // -87.33654 = log(FLT_MIN)
export const SQRT_MIN_ARG = bitsToF32(0x03800000); // 2^-120; xsqrt(x) = 0 below
const RECIP_MIN = bitsToF32(0x01000000); // 2^-125: |x| is clamped into [2^-125, 2^125]
const RECIP_MAX = bitsToF32(0x7e000000); // 2^125

/**
 * Flush to a signed zero below 2^-100. GPUs may flush subnormals (below 2^-126) and round near
 * that edge differently; a margin of 2^26 makes every backend take the same branch. Applied
 * wherever an intermediate can underflow.
 */
export const FTZ_BITS = 0x0d800000; // 2^-100
export function ftz(x: number): number {
  const b = f32ToBits(x);
  return (b & 0x7fffffff) < FTZ_BITS ? bitsToF32((b & 0x80000000) >>> 0) : x;
}

/** e^x. Cephes expf (S. L. Moshier): Cody-Waite reduction by ln 2, degree-5 polynomial. */
export function xexp(x: number): number {
  if (x < EXP_MIN_ARG) return 0;
  if (x > EXP_MAX_ARG) x = EXP_MAX_ARG;
  const n = Math.floor(fr(fr(x * LOG2E) + 0.5));
  let r = fr(x - fr(n * C1));
  r = fr(r - fr(n * C2));
  const z = ftz(fr(r * r));
  let p = fr(fr(E5 * r) + E4);
  p = fr(fr(p * r) + E3);
  p = fr(fr(p * r) + E2);
  p = fr(fr(p * r) + E1);
  p = fr(fr(p * r) + E0);
  p = fr(fr(fr(p * z) + r) + 1);
  return fr(p * bitsToF32(((n + 127) << 23) >>> 0));
}

/** ln x for x > 0. Cephes logf (S. L. Moshier): frexp, degree-8 polynomial in x - 1. */
export function xlog(x: number): number {
  if (!(x >= LOG_MIN_ARG)) return LOG_FLOOR;
  const b = f32ToBits(x);
  let e = ((b >>> 23) & 0xff) - 126;
  let m = bitsToF32((b & 0x007fffff) | 0x3f000000); // x = m 2^e, m in [0.5, 1)
  if (m < SQRTHF) {
    e -= 1;
    m = fr(fr(m + m) - 1);
  } else {
    m = fr(m - 1);
  }
  const z = fr(m * m);
  let p = fr(fr(L8 * m) + L7);
  p = fr(fr(p * m) + L6);
  p = fr(fr(p * m) + L5);
  p = fr(fr(p * m) + L4);
  p = fr(fr(p * m) + L3);
  p = fr(fr(p * m) + L2);
  p = fr(fr(p * m) + L1);
  p = fr(fr(p * m) + L0);
  let y = fr(fr(p * m) * z);
  y = fr(y + fr(e * C2));
  y = fr(y - fr(0.5 * z));
  let r = fr(m + y);
  r = fr(r + fr(e * C1));
  return r;
}

/**
 * 1/x: magic-constant seed, three Newton steps y (2 - x y), a last one as y + y (1 - x y)
 * (Markstein's form, better rounded; flushed, so lost, for |x| > 2^76). |x| is clamped to [2^-125, 2^125].
 */
export function xrecip(x: number): number {
  const b = f32ToBits(x);
  const s = b & 0x80000000;
  let a = bitsToF32(b & 0x7fffffff);
  if (a < RECIP_MIN) a = RECIP_MIN;
  if (a > RECIP_MAX) a = RECIP_MAX;
  let y = bitsToF32((0x7ef311c3 - f32ToBits(a)) >>> 0);
  y = fr(y * fr(2 - fr(a * y)));
  y = fr(y * fr(2 - fr(a * y)));
  y = fr(y * fr(2 - fr(a * y)));
  const e = ftz(fr(1 - fr(a * y)));
  y = fr(y + ftz(fr(y * e)));
  return bitsToF32((f32ToBits(y) | s) >>> 0);
}

/** a / b: a * (1/b) with one residual correction (Markstein). Domain: a / b finite and normal. */
export function xdiv(a: number, b: number): number {
  const y = xrecip(b);
  const q = ftz(fr(a * y));
  const r = ftz(fr(a - ftz(fr(q * b))));
  return ftz(fr(q + ftz(fr(r * y))));
}

/** sqrt(x) for x >= 0: rsqrt seed 0x5f3759df, three Newton steps, one Markstein correction. */
export function xsqrt(x: number): number {
  if (!(x >= SQRT_MIN_ARG)) return 0;
  const h = fr(0.5 * x);
  let y = bitsToF32((0x5f3759df - (f32ToBits(x) >>> 1)) >>> 0);
  y = fr(y * fr(1.5 - fr(fr(h * y) * y)));
  y = fr(y * fr(1.5 - fr(fr(h * y) * y)));
  y = fr(y * fr(1.5 - fr(fr(h * y) * y)));
  const s = fr(x * y);
  const d = ftz(fr(x - fr(s * s)));
  return fr(s + ftz(fr(fr(0.5 * y) * d)));
}
