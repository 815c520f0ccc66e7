// Double-f32 ("df32") arithmetic: a value is the unevaluated sum hi + lo of two f32 with
// hi = fl(hi + lo), about 48 significant bits, built only from exact operations (f32 + - *,
// comparisons, bit manipulation and the engine's xrecip / xlog), so that WGSL, AssemblyScript and
// this reference return the same bits. Twins: kernels/lib/df32.wgsl (vec2<f32>: x = hi, y = lo),
// wasm/lib/df32.ts (u64: hi bits << 32 | lo bits). Same operations in the same order.
// Sources: Dekker, Numer. Math. 18 (1971) 224 (Fast2Sum, split, TwoProduct, mul2, div2);
// Knuth, TAOCP vol. 2, 4.2.2 (TwoSum); Hida, Li, Bailey, "Library for double-double and
// quad-double arithmetic" (QD, 2007: the accurate add, div with two corrections, exp by scaling).
//
// Domain (see kernels/README.md, "df32"): every part of every df32 value is 0 or of magnitude
// >= 2^-100: each operation flushes its result parts (and every product it forms) with `ftz`,
// so no intermediate is ever subnormal and GPUs that flush subnormals agree with CPUs. The
// absolute error floor is therefore 2^-100: full relative precision needs |value| >= 2^-52,
// below 2^-76 a value has f32 precision, below 2^-100 it is 0. Products and
// splits need |hi| < 2^115 (4097 x finite) and finite results; quotients need a finite,
// |divisor| in [2^-125, 2^125]. dfLog clamps its argument into [2^-100, 2^125]; dfExp returns 0
// below -70 and clamps above 88. Accuracy (test/df32.test.ts, against f64): add, sub, mul, div,
// log, exp within a few 2^-48 relative (log: absolute near 1).

import { bitsToF32 as F, f32ToBits, ftz, xlog, xrecip } from './exactmath.js';

const fr = Math.fround;

/** A df32 value hi + lo (hi = fl(hi + lo); both f32, each 0 or >= 2^-100 in magnitude). */
export interface DF {
  readonly hi: number;
  readonly lo: number;
}

export const DF_ZERO: DF = { hi: 0, lo: 0 };
export const DF_ONE: DF = { hi: 1, lo: 0 };

const SPLIT = F(0x45800800); // 4097 = 2^12 + 1 (Veltkamp: 24-bit significands into 12 + 12 bits)
const LOG2E = F(0x3fb8aa3b);
// ln 2 = C1 + C2 + C3 (C1 has 15 significant bits: k C1 is exact for |k| < 2^9).
const LN2_C1 = F(0x3f317200), LN2_C2 = F(0x35bfbe8e), LN2_C3 = F(0x29779abd);
// 1/6, 1/24 as df32; 1/120, 1/720, 1/5040 as f32 (the tail of the exp series).
const SIXTH: DF = { hi: F(0x3e2aaaab), lo: F(0xb1aaaaab) };
const C24: DF = { hi: F(0x3d2aaaab), lo: F(0xb0aaaaab) };
const C120 = F(0x3c088889), C720 = F(0x3ab60b61), C5040 = F(0x39500d01);
const SQRTHF = F(0x3f3504f3);
export const DF_LOG_MIN = F(0x0d800000); // 2^-100: dfLog's argument is clamped into [2^-100, 2^125]
export const DF_LOG_MAX = F(0x7e000000); // 2^125
export const DF_EXP_MIN_ARG = -70; // dfExp = 0 below (exp(-70) < 2^-100)
export const DF_EXP_MAX_ARG = 88; // dfExp clamps its argument here

/** f32 product flushed below 2^-100 (every product the library forms goes through this). */
export function mulF(a: number, b: number): number {
  return ftz(fr(a * b));
}

/** A df32 from one f32 (flushed below 2^-100). */
export function dfFromF32(x: number): DF {
  return { hi: ftz(x), lo: 0 };
}

/** Knuth's TwoSum: s + e = a + b exactly, s = fl(a + b); any order of magnitudes. */
export function twoSum(a: number, b: number): DF {
  const s = fr(a + b);
  const bb = fr(s - a);
  return { hi: s, lo: fr(fr(a - fr(s - bb)) + fr(b - bb)) };
}

/** Dekker's Fast2Sum: s + e = a + b exactly when |a| >= |b| (or a = 0). */
export function fastTwoSum(a: number, b: number): DF {
  const s = fr(a + b);
  return { hi: s, lo: fr(b - fr(s - a)) };
}

/** Result of an operation: Fast2Sum (|hi| >= |lo|), both parts flushed below 2^-100. */
function fin(hi: number, lo: number): DF {
  const s = fr(hi + lo);
  return { hi: ftz(s), lo: ftz(fr(lo - fr(s - hi))) };
}

/** Veltkamp's split: a = hi + lo exactly, each with at most 12 significant bits (|a| < 2^115). */
export function split(a: number): DF {
  const t = fr(SPLIT * a);
  const hi = fr(t - fr(t - a));
  return { hi, lo: fr(a - hi) };
}

/**
 * Dekker's TwoProduct without FMA: p + e = a b exactly, p = fl(a b), for |a|, |b| < 2^115 and
 * |a b| >= 2^-52 (e, a multiple of ulp(a) ulp(b), is then 0 or >= 2^-100); below, within 2^-100.
 * For |a b| >= 2^-76 every partial product is exact and normal; below, e < 2^-100 is flushed.
 */
export function twoProd(a: number, b: number): DF {
  const p = mulF(a, b);
  const A = split(a), B = split(b);
  let e = fr(fr(A.hi * B.hi) - p);
  e = fr(e + fr(A.hi * B.lo));
  e = fr(e + fr(A.lo * B.hi));
  e = fr(e + fr(A.lo * B.lo));
  return { hi: p, lo: ftz(e) };
}

export function dfNeg(a: DF): DF {
  return { hi: -a.hi, lo: -a.lo };
}

/** a + b (QD's accurate addition: the lo parts are added with their own TwoSum). */
export function dfAdd(a: DF, b: DF): DF {
  const s = twoSum(a.hi, b.hi);
  const t = twoSum(a.lo, b.lo);
  const u = fastTwoSum(s.hi, fr(s.lo + t.hi));
  return fin(u.hi, fr(u.lo + t.lo));
}

export function dfSub(a: DF, b: DF): DF {
  return dfAdd(a, dfNeg(b));
}

/** a + b for an f32 b: the compensated-summation step (accumulate f32 terms in a df32). */
export function dfAddF(a: DF, b: number): DF {
  const s = twoSum(a.hi, b);
  return fin(s.hi, fr(s.lo + a.lo));
}

/** a b (Dekker's mul2; the lo x lo term, below 2^-48 relative, is dropped). */
export function dfMul(a: DF, b: DF): DF {
  const p = twoProd(a.hi, b.hi);
  const c = fr(mulF(a.hi, b.lo) + mulF(a.lo, b.hi));
  return fin(p.hi, fr(p.lo + c));
}

/** a b for an f32 b. */
export function dfMulF(a: DF, b: number): DF {
  const p = twoProd(a.hi, b);
  return fin(p.hi, fr(p.lo + mulF(a.lo, b)));
}

/** a 2^k for a power of two given as an f32 (exact, then flushed). */
export function dfScale(a: DF, pow2: number): DF {
  return { hi: mulF(a.hi, pow2), lo: mulF(a.lo, pow2) };
}

/** a / b: q1 = a.hi xrecip(b.hi), then two residual corrections in df32 (QD's accurate div). */
export function dfDiv(a: DF, b: DF): DF {
  const y = xrecip(b.hi);
  const q1 = mulF(a.hi, y);
  let r = dfSub(a, dfMulF(b, q1));
  const q2 = mulF(r.hi, y);
  r = dfSub(r, dfMulF(b, q2));
  const q3 = mulF(r.hi, y);
  return dfAddF(fin(q1, q2), q3);
}

/** a < b, exact (both normalized: hi = fl(hi + lo)). */
export function dfLt(a: DF, b: DF): boolean {
  return a.hi < b.hi || (a.hi === b.hi && a.lo < b.lo);
}

/**
 * e^x - 1 for |x| <= 0.36: x / 32, Taylor to degree 7 (terms from 1/120 on in f32), then five
 * doublings e(2y) - 1 = 2 E + E^2, which keep the relative error of E (QD's exp does the same).
 */
function expm1Small(x: DF): DF {
  const r = dfScale(x, F(0x3d000000)); // x / 32
  const t = fr(C120 + mulF(r.hi, fr(C720 + mulF(r.hi, C5040))));
  const u3 = dfAddF(C24, mulF(r.hi, t));
  const u2 = dfAdd(SIXTH, dfMul(r, u3));
  const u1 = dfAddF(dfMul(r, u2), 0.5);
  let s = dfAdd(r, dfMul(r, dfMul(r, u1)));
  for (let i = 0; i < 5; i++) s = dfAdd(dfScale(s, 2), dfMul(s, s));
  return s;
}

/** e^a: a = k ln 2 + r (|r| <= 0.35, r in df32), (1 + expm1(r)) 2^k. 0 below -70; clamped at 88. */
export function dfExp(a: DF): DF {
  if (a.hi < DF_EXP_MIN_ARG) return DF_ZERO;
  const x = a.hi > DF_EXP_MAX_ARG ? { hi: DF_EXP_MAX_ARG, lo: 0 } : a;
  const k = Math.floor(fr(fr(x.hi * LOG2E) + 0.5));
  let r = dfAddF(x, -fr(k * LN2_C1)); // exact: k C1 has at most 24 bits
  r = dfSub(r, twoProd(k, LN2_C2));
  r = dfAddF(r, -mulF(k, LN2_C3));
  const v = dfAddF(expm1Small(r), 1);
  return dfScale(v, F(((k + 127) << 23) >>> 0));
}

/**
 * ln a, argument clamped into [2^-100, 2^125]. a = m 2^e (m in [sqrt(1/2), sqrt(2)), exact),
 * y0 = xlog(m.hi) in f32, then one Newton step on e^y = m done exactly:
 * ln m = y0 + ln(1 + d), d = m e^-y0 - 1 = (m - 1) + m expm1(-y0), ln(1 + d) = d - d^2 / 2 + O(d^3)
 * (|d| ~ 1e-7, so d^3 is below 2^-48), and ln a = e ln 2 + ln m.
 */
export function dfLog(a: DF): DF {
  let x = a;
  if (!(x.hi >= DF_LOG_MIN)) x = { hi: DF_LOG_MIN, lo: 0 };
  if (x.hi > DF_LOG_MAX) x = { hi: DF_LOG_MAX, lo: 0 };
  const b = f32ToBits(x.hi);
  let e = ((b >>> 23) & 0xff) - 126;
  let mh = F((b & 0x007fffff) | 0x3f000000); // x.hi = mh 2^e, mh in [0.5, 1)
  if (mh < SQRTHF) {
    e -= 1;
    mh = fr(mh + mh);
  }
  const m: DF = { hi: mh, lo: mulF(x.lo, F(((127 - e) << 23) >>> 0)) };
  const y0 = xlog(mh);
  const E = expm1Small({ hi: -y0, lo: 0 });
  const d = dfAddF(dfAddF(dfMul(m, E), fr(mh - 1)), m.lo);
  const half = mulF(fr(0.5 * d.hi), d.hi);
  let s = dfAdd(twoSum(fr(e * LN2_C1), y0), d);
  s = dfAdd(s, dfAddF(twoProd(e, LN2_C2), fr(mulF(e, LN2_C3) - half)));
  return s;
}

/**
 * Compensated (Neumaier-style) running sum of f32 terms: hi is the plain f32 sum, lo the exact
 * rounding errors of every step added up. Cheaper than dfAddF (no renormalization per term);
 * read the result with accValue. Error: |S - value| <= 2^-48 |S| + 2 n 2^-48 sum |x_i| (Higham,
 * Accuracy and Stability of Numerical Algorithms, 4.3): for full df32 accuracy use dfAddF.
 */
export function accAdd(acc: DF, x: number): DF {
  const s = twoSum(acc.hi, x);
  return { hi: s.hi, lo: fr(acc.lo + s.lo) };
}

export function accValue(acc: DF): DF {
  return fin(acc.hi, acc.lo);
}
