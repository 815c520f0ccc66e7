// Four-lane twins of wasm/lib/exactmath.ts and the lane helpers every SIMD kernel uses. Lane i of
// each function performs exactly the scalar function's sequence of f32 operations on lane i
// (branches become both-sides-then-select), so every lane has the scalar bits; the exactmath
// kernel's SIMD build sweeps them against the scalar ones (and the reference) over all exponents.
// Compiled only where called, i.e. under `if (ASC_FEATURE_SIMD)` in the SIMD build.

/** f32x4 splat of a value. */
// @ts-ignore: decorator
@inline export function S(x: f32): v128 { return f32x4.splat(x); }
/** i32x4 splat of a bit pattern (f32 constants written as bits, as in exactmath.ts). */
// @ts-ignore: decorator
@inline export function C(u: u32): v128 { return i32x4.splat(u); }
/** Lane select: mask lanes (all ones) take a, the others b. */
// @ts-ignore: decorator
@inline export function sel(mask: v128, a: v128, b: v128): v128 { return v128.bitselect(a, b, mask); }
/** a * b + c, two roundings (WebAssembly never fuses). */
// @ts-ignore: decorator
@inline export function mad4(a: v128, b: v128, c: v128): v128 { return f32x4.add(f32x4.mul(a, b), c); }

/** High 32 bits of the 32x32 -> 64-bit products, lane by lane (Philox's mulhi). */
// @ts-ignore: decorator
@inline export function mulhi4(a: v128, m: v128): v128 {
  return v128.shuffle<u32>(i64x2.extmul_low_i32x4_u(a, m), i64x2.extmul_high_i32x4_u(a, m), 1, 3, 5, 7);
}

/**
 * 4x4 transpose and store: lane i of (a, b, c, d) becomes the four consecutive words at
 * p + i * stride (lanes are items, memory holds item records).
 */
// @ts-ignore: decorator
@inline export function storeT4(p: usize, stride: usize, a: v128, b: v128, c: v128, d: v128): void {
  const t0 = v128.shuffle<u32>(a, b, 0, 4, 1, 5), t1 = v128.shuffle<u32>(a, b, 2, 6, 3, 7);
  const t2 = v128.shuffle<u32>(c, d, 0, 4, 1, 5), t3 = v128.shuffle<u32>(c, d, 2, 6, 3, 7);
  v128.store(p, v128.shuffle<u64>(t0, t2, 0, 2));
  v128.store(p + stride, v128.shuffle<u64>(t0, t2, 1, 3));
  v128.store(p + 2 * stride, v128.shuffle<u64>(t1, t3, 0, 2));
  v128.store(p + 3 * stride, v128.shuffle<u64>(t1, t3, 1, 3));
}

/** horner (wasm/lib/exactmath.ts) on four lanes. */
// @ts-ignore: decorator
@inline export function horner4(x: v128, c: usize, n: i32): v128 {
  let p = v128.load32_splat(c);
  for (let i = 1; i < n; i++) p = mad4(p, x, v128.load32_splat(c + (<usize>i << 2)));
  return p;
}

/** ftz: |x| below 2^-100 -> signed zero. */
// @ts-ignore: decorator
@inline export function ftz4(x: v128): v128 {
  return sel(i32x4.lt_u(v128.and(x, C(0x7fffffff)), C(0x0d800000)), v128.and(x, C(0x80000000)), x);
}

// @ts-ignore: decorator
@inline export function xexp4(x0: v128): v128 {
  const x = sel(f32x4.gt(x0, C(0x42b00000)), C(0x42b00000), x0); // x > 88 ? 88 : x
  const n = f32x4.floor(f32x4.add(f32x4.mul(x, C(0x3fb8aa3b)), S(0.5)));
  let r = f32x4.sub(x, f32x4.mul(n, C(0x3f318000)));
  r = f32x4.sub(r, f32x4.mul(n, C(0xb95e8083)));
  const z = ftz4(f32x4.mul(r, r));
  let p = mad4(C(0x39506967), r, C(0x3ab743ce));
  p = mad4(p, r, C(0x3c088908));
  p = mad4(p, r, C(0x3d2aa9c1));
  p = mad4(p, r, C(0x3e2aaaaa));
  p = mad4(p, r, C(0x3f000000));
  p = f32x4.add(f32x4.add(f32x4.mul(p, z), r), S(1.0));
  // lanes below -86 (result 0) may saturate here: trunc_sat never traps, and they are replaced.
  const sc = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), C(127)), 23);
  return v128.andnot(f32x4.mul(p, sc), f32x4.lt(x0, S(-86.0)));
}

export function xlog4(x: v128): v128 {
  const bad = v128.not(f32x4.ge(x, C(0x00800000)));
  let e = i32x4.sub(v128.and(i32x4.shr_u(x, 23), C(0xff)), C(126));
  let m = v128.or(v128.and(x, C(0x007fffff)), C(0x3f000000));
  const lo = f32x4.lt(m, C(0x3f3504f3));
  e = i32x4.add(e, lo); // lo lanes are -1: e -= 1
  m = f32x4.sub(sel(lo, f32x4.add(m, m), m), S(1.0));
  const z = f32x4.mul(m, m);
  let p = mad4(C(0x3d9021bb), m, C(0xbdebd1b8));
  p = mad4(p, m, C(0x3def251a));
  p = mad4(p, m, C(0xbdfe5d4f));
  p = mad4(p, m, C(0x3e11e9bf));
  p = mad4(p, m, C(0xbe2aae50));
  p = mad4(p, m, C(0x3e4cceac));
  p = mad4(p, m, C(0xbe7ffffc));
  p = mad4(p, m, C(0x3eaaaaaa));
  const ef = f32x4.convert_i32x4_s(e);
  let y = f32x4.mul(f32x4.mul(p, m), z);
  y = f32x4.add(y, f32x4.mul(ef, C(0xb95e8083)));
  y = f32x4.sub(y, f32x4.mul(S(0.5), z));
  let r = f32x4.add(m, y);
  r = f32x4.add(r, f32x4.mul(ef, C(0x3f318000)));
  return sel(bad, C(0xc2aeac50), r);
}

// @ts-ignore: decorator
@inline export function xrecip4(x: v128): v128 {
  const s = v128.and(x, C(0x80000000));
  let a = v128.and(x, C(0x7fffffff));
  a = sel(f32x4.lt(a, C(0x01000000)), C(0x01000000), a);
  a = sel(f32x4.gt(a, C(0x7e000000)), C(0x7e000000), a);
  const two = S(2.0);
  let y = i32x4.sub(C(0x7ef311c3), a);
  y = f32x4.mul(y, f32x4.sub(two, f32x4.mul(a, y)));
  y = f32x4.mul(y, f32x4.sub(two, f32x4.mul(a, y)));
  y = f32x4.mul(y, f32x4.sub(two, f32x4.mul(a, y)));
  const e = ftz4(f32x4.sub(S(1.0), f32x4.mul(a, y)));
  y = f32x4.add(y, ftz4(f32x4.mul(y, e)));
  return v128.or(y, s);
}

export function xdiv4(a: v128, b: v128): v128 {
  const y = xrecip4(b);
  const q = ftz4(f32x4.mul(a, y));
  const r = ftz4(f32x4.sub(a, ftz4(f32x4.mul(q, b))));
  return ftz4(f32x4.add(q, ftz4(f32x4.mul(r, y))));
}

export function xsqrt4(x: v128): v128 {
  const bad = v128.not(f32x4.ge(x, C(0x03800000)));
  const h = f32x4.mul(S(0.5), x);
  const th = S(1.5);
  let y = i32x4.sub(C(0x5f3759df), i32x4.shr_u(x, 1));
  y = f32x4.mul(y, f32x4.sub(th, f32x4.mul(f32x4.mul(h, y), y)));
  y = f32x4.mul(y, f32x4.sub(th, f32x4.mul(f32x4.mul(h, y), y)));
  y = f32x4.mul(y, f32x4.sub(th, f32x4.mul(f32x4.mul(h, y), y)));
  const s = f32x4.mul(x, y);
  const d = ftz4(f32x4.sub(x, f32x4.mul(s, s)));
  return sel(bad, S(0.0), f32x4.add(s, ftz4(f32x4.mul(f32x4.mul(S(0.5), y), d))));
}
