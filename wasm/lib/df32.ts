// Double-f32 arithmetic: twin of kernels/lib/df32.ts (same operations, same order; sources and
// domain there). A df32 value travels as one u64: hi bits << 32 | lo bits (a value type, so the
// operations compose like the TS and WGSL twins; packing is bit-exact).
import { ftz, xlog, xrecip } from './exactmath';

export type DF = u64;

// @ts-ignore: decorator
@inline function F(u: u32): f32 { return reinterpret<f32>(u); }

// @ts-ignore: decorator
@inline export function df(hi: f32, lo: f32): DF {
  return (<u64>reinterpret<u32>(hi) << 32) | <u64>reinterpret<u32>(lo);
}
// @ts-ignore: decorator
@inline export function dfHi(a: DF): f32 { return reinterpret<f32>(<u32>(a >> 32)); }
// @ts-ignore: decorator
@inline export function dfLo(a: DF): f32 { return reinterpret<f32>(<u32>a); }

// @ts-ignore: decorator
@inline export function mulF(a: f32, b: f32): f32 { return ftz(a * b); }

export function dfFromF32(x: f32): DF { return df(ftz(x), 0); }

export function twoSum(a: f32, b: f32): DF {
  const s = a + b;
  const bb = s - a;
  return df(s, (a - (s - bb)) + (b - bb));
}

export function fastTwoSum(a: f32, b: f32): DF {
  const s = a + b;
  return df(s, b - (s - a));
}

function fin(hi: f32, lo: f32): DF {
  const s = hi + lo;
  return df(ftz(s), ftz(lo - (s - hi)));
}

export function split(a: f32): DF {
  const t = F(0x45800800) * a;
  const hi = t - (t - a);
  return df(hi, a - hi);
}

export function twoProd(a: f32, b: f32): DF {
  const p = mulF(a, b);
  const A = split(a), B = split(b);
  const ah = dfHi(A), al = dfLo(A), bh = dfHi(B), bl = dfLo(B);
  let e = ah * bh - p;
  e = e + ah * bl;
  e = e + al * bh;
  e = e + al * bl;
  return df(p, ftz(e));
}

export function dfNeg(a: DF): DF { return df(-dfHi(a), -dfLo(a)); }

export function dfAdd(a: DF, b: DF): DF {
  const s = twoSum(dfHi(a), dfHi(b));
  const t = twoSum(dfLo(a), dfLo(b));
  const u = fastTwoSum(dfHi(s), dfLo(s) + dfHi(t));
  return fin(dfHi(u), dfLo(u) + dfLo(t));
}

export function dfSub(a: DF, b: DF): DF { return dfAdd(a, dfNeg(b)); }

export function dfAddF(a: DF, b: f32): DF {
  const s = twoSum(dfHi(a), b);
  return fin(dfHi(s), dfLo(s) + dfLo(a));
}

export function dfMul(a: DF, b: DF): DF {
  const p = twoProd(dfHi(a), dfHi(b));
  const c = mulF(dfHi(a), dfLo(b)) + mulF(dfLo(a), dfHi(b));
  return fin(dfHi(p), dfLo(p) + c);
}

export function dfMulF(a: DF, b: f32): DF {
  const p = twoProd(dfHi(a), b);
  return fin(dfHi(p), dfLo(p) + mulF(dfLo(a), b));
}

export function dfScale(a: DF, pow2: f32): DF { return df(mulF(dfHi(a), pow2), mulF(dfLo(a), pow2)); }

export function dfDiv(a: DF, b: DF): DF {
  const y = xrecip(dfHi(b));
  const q1 = mulF(dfHi(a), y);
  let r = dfSub(a, dfMulF(b, q1));
  const q2 = mulF(dfHi(r), y);
  r = dfSub(r, dfMulF(b, q2));
  const q3 = mulF(dfHi(r), y);
  return dfAddF(fin(q1, q2), q3);
}

export function dfLt(a: DF, b: DF): bool {
  return dfHi(a) < dfHi(b) || (dfHi(a) == dfHi(b) && dfLo(a) < dfLo(b));
}

function expm1Small(x: DF): DF {
  const r = dfScale(x, F(0x3d000000));
  const rh = dfHi(r);
  const t = F(0x3c088889) + mulF(rh, F(0x3ab60b61) + mulF(rh, F(0x39500d01)));
  const u3 = dfAddF(df(F(0x3d2aaaab), F(0xb0aaaaab)), mulF(rh, t));
  const u2 = dfAdd(df(F(0x3e2aaaab), F(0xb1aaaaab)), dfMul(r, u3));
  const u1 = dfAddF(dfMul(r, u2), 0.5);
  let s = dfAdd(r, dfMul(r, dfMul(r, u1)));
  for (let i = 0; i < 5; i++) s = dfAdd(dfScale(s, 2.0), dfMul(s, s));
  return s;
}

export function dfExp(a: DF): DF {
  if (dfHi(a) < -70.0) return 0;
  const x = dfHi(a) > 88.0 ? df(88.0, 0) : a;
  const k = Mathf.floor(dfHi(x) * F(0x3fb8aa3b) + 0.5);
  let r = dfAddF(x, -(k * F(0x3f317200)));
  r = dfSub(r, twoProd(k, F(0x35bfbe8e)));
  r = dfAddF(r, -mulF(k, F(0x29779abd)));
  const v = dfAddF(expm1Small(r), 1.0);
  return dfScale(v, reinterpret<f32>(<u32>(<i32>k + 127) << 23));
}

export function dfLog(a: DF): DF {
  let x = a;
  if (!(dfHi(x) >= F(0x0d800000))) x = df(F(0x0d800000), 0);
  if (dfHi(x) > F(0x7e000000)) x = df(F(0x7e000000), 0);
  const b = reinterpret<u32>(dfHi(x));
  let e = <i32>((b >> 23) & 0xff) - 126;
  let mh = reinterpret<f32>((b & 0x007fffff) | 0x3f000000);
  if (mh < F(0x3f3504f3)) {
    e -= 1;
    mh = mh + mh;
  }
  const m = df(mh, mulF(dfLo(x), reinterpret<f32>(<u32>(127 - e) << 23)));
  const y0 = xlog(mh);
  const E = expm1Small(df(-y0, 0));
  const d = dfAddF(dfAddF(dfMul(m, E), mh - 1.0), dfLo(m));
  const half = mulF(<f32>0.5 * dfHi(d), dfHi(d));
  const ef = <f32>e;
  let s = dfAdd(twoSum(ef * F(0x3f317200), y0), d);
  s = dfAdd(s, dfAddF(twoProd(ef, F(0x35bfbe8e)), mulF(ef, F(0x29779abd)) - half));
  return s;
}

export function accAdd(acc: DF, x: f32): DF {
  const s = twoSum(dfHi(acc), x);
  return df(dfHi(s), dfLo(acc) + dfLo(s));
}

export function accValue(acc: DF): DF { return fin(dfHi(acc), dfLo(acc)); }
