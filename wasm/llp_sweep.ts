// LLP lifetime sweep: twin of kernels/llp_sweep/ref.ts (formulas and layout there).
// The SIMD build computes four consecutive items of one group at once (four lifetimes, lanes):
// the decays are read once, the exponentials and fixed-point sums run in lanes. Every lane does
// the scalar path's operations in the same order, and the fixed-point sums are exact, so both
// paths return the same bits.
import { ftz, xexp } from './lib/exactmath';

// @ts-ignore: decorator
@inline function F(u: u32): f32 { return reinterpret<f32>(u); }

// Scalar 96-bit accumulators (globals keep the helpers allocation-free).
let a0: u32 = 0, a1: u32 = 0, a2: u32 = 0, b0: u32 = 0, b1: u32 = 0, b2: u32 = 0;
let x0: u32 = 0, x1: u32 = 0, x2: u32 = 0;

// @ts-ignore: decorator
@inline function split96(v: f32): void {
  if (!(v >= 1.0)) { x0 = 0; x1 = 0; x2 = 0; return; }
  const h = Mathf.floor(v * F(0x1f800000));
  const r = v - h * F(0x5f800000);
  const m = Mathf.floor(r * F(0x2f800000));
  const lo = Mathf.floor(r - m * F(0x4f800000));
  x0 = <u32>lo; x1 = <u32>m; x2 = <u32>h;
}

// @ts-ignore: decorator
@inline function addA(): void {
  const s0 = a0 + x0;
  const c0: u32 = s0 < x0 ? 1 : 0;
  let s1 = a1 + x1;
  let c1: u32 = s1 < x1 ? 1 : 0;
  s1 += c0;
  if (s1 < c0) c1 = 1;
  a0 = s0; a1 = s1; a2 = a2 + x2 + c1;
}

// @ts-ignore: decorator
@inline function addB(): void {
  const s0 = b0 + x0;
  const c0: u32 = s0 < x0 ? 1 : 0;
  let s1 = b1 + x1;
  let c1: u32 = s1 < x1 ? 1 : 0;
  s1 += c0;
  if (s1 < c0) c1 = 1;
  b0 = s0; b1 = s1; b2 = b2 + x2 + c1;
}

// ---- four lanes ----

// @ts-ignore: decorator
@inline function ftz4(x: v128): v128 {
  const small = i32x4.lt_u(v128.and(x, i32x4.splat(0x7fffffff)), i32x4.splat(0x0d800000));
  return v128.bitselect(v128.and(x, i32x4.splat(0x80000000)), x, small);
}

// @ts-ignore: decorator
@inline function mad4(a: v128, b: v128, c: v128): v128 { return f32x4.add(f32x4.mul(a, b), c); }

/** xexp in lanes: the operations of wasm/lib/exactmath.ts xexp, in the same order. */
// @ts-ignore: decorator
@inline function xexp4(xin: v128): v128 {
  const dead = f32x4.lt(xin, f32x4.splat(-86.0));
  const x = f32x4.min(xin, f32x4.splat(88.0));
  const n = f32x4.floor(f32x4.add(f32x4.mul(x, f32x4.splat(F(0x3fb8aa3b))), f32x4.splat(0.5)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(F(0x3f318000))));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(F(0xb95e8083))));
  const z = ftz4(f32x4.mul(r, r));
  let p = mad4(f32x4.splat(F(0x39506967)), r, f32x4.splat(F(0x3ab743ce)));
  p = mad4(p, r, f32x4.splat(F(0x3c088908)));
  p = mad4(p, r, f32x4.splat(F(0x3d2aa9c1)));
  p = mad4(p, r, f32x4.splat(F(0x3e2aaaaa)));
  p = mad4(p, r, f32x4.splat(F(0x3f000000)));
  p = f32x4.add(f32x4.add(f32x4.mul(p, z), r), f32x4.splat(1.0));
  const s = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(p, s), dead);
}

// The 96-bit split of four values at once (lanes of split96), limbs in Y0..Y2.
// @ts-ignore: decorator (lazy: compiled only where used, i.e. in the SIMD build)
@lazy let Y0: v128 = i32x4.splat(0);
// @ts-ignore: decorator
@lazy let Y1: v128 = i32x4.splat(0);
// @ts-ignore: decorator
@lazy let Y2: v128 = i32x4.splat(0);

// @ts-ignore: decorator
@inline function split4(v: v128): void {
  const ok = f32x4.ge(v, f32x4.splat(1.0));
  const h = f32x4.floor(f32x4.mul(v, f32x4.splat(F(0x1f800000))));
  const r = f32x4.sub(v, f32x4.mul(h, f32x4.splat(F(0x5f800000))));
  const mm = f32x4.floor(f32x4.mul(r, f32x4.splat(F(0x2f800000))));
  const lo = f32x4.floor(f32x4.sub(r, f32x4.mul(mm, f32x4.splat(F(0x4f800000)))));
  Y0 = v128.and(i32x4.trunc_sat_f32x4_u(lo), ok);
  Y1 = v128.and(i32x4.trunc_sat_f32x4_u(mm), ok);
  Y2 = v128.and(i32x4.trunc_sat_f32x4_u(h), ok);
}

// @ts-ignore: decorator
@inline function store4(out: usize, l: u32, w0: v128, w1: v128, w2: v128, w3: v128, w4: v128, w5: v128, w6: v128): void {
  const zero = i32x4.splat(0);
  const t0 = v128.shuffle<u32>(w0, w1, 0, 4, 1, 5), t1 = v128.shuffle<u32>(w0, w1, 2, 6, 3, 7);
  const t2 = v128.shuffle<u32>(w2, w3, 0, 4, 1, 5), t3 = v128.shuffle<u32>(w2, w3, 2, 6, 3, 7);
  const u0 = v128.shuffle<u32>(w4, w5, 0, 4, 1, 5), u1 = v128.shuffle<u32>(w4, w5, 2, 6, 3, 7);
  const u2 = v128.shuffle<u32>(w6, zero, 0, 4, 1, 5), u3 = v128.shuffle<u32>(w6, zero, 2, 6, 3, 7);
  const p = out + (<usize>l << 5);
  v128.store(p, v128.shuffle<u64>(t0, t2, 0, 2));
  v128.store(p, v128.shuffle<u64>(u0, u2, 0, 2), 16);
  v128.store(p, v128.shuffle<u64>(t0, t2, 1, 3), 32);
  v128.store(p, v128.shuffle<u64>(u0, u2, 1, 3), 48);
  v128.store(p, v128.shuffle<u64>(t1, t3, 0, 2), 64);
  v128.store(p, v128.shuffle<u64>(u1, u3, 0, 2), 80);
  v128.store(p, v128.shuffle<u64>(t1, t3, 1, 3), 96);
  v128.store(p, v128.shuffle<u64>(u1, u3, 1, 3), 112);
}

// params: [item_offset, item_count, opaque_zero, reserved, n_life]
// bufs: [ct, lxy, mred, gw, grp_range, grp_win, life, out_acc]
export function llp_sweep(params: usize, bufs: usize): void {
  const off = load<u32>(params), n = load<u32>(params, 4), nl = load<u32>(params, 16);
  const ct = <usize>load<u32>(bufs), lxy = <usize>load<u32>(bufs, 4), mred = <usize>load<u32>(bufs, 8);
  const gw = <usize>load<u32>(bufs, 12), range = <usize>load<u32>(bufs, 16), win = <usize>load<u32>(bufs, 20);
  const life = <usize>load<u32>(bufs, 24), out = <usize>load<u32>(bufs, 28);
  const row = <usize>nl << 2;
  let l: u32 = 0;
  while (l < n) {
    const i = off + l;
    const g = i / nl, j = i - g * nl;
    const start = load<u32>(range + (<usize>g << 3)), end = load<u32>(range + (<usize>g << 3), 4);
    const wp = win + (<usize>g << 4);
    const mlo = load<f32>(wp), mhi = load<f32>(wp, 4), llo = load<f32>(wp, 8), lhi = load<f32>(wp, 12);
    const lp = life + (<usize>j << 2);
    if (ASC_FEATURE_SIMD && j + 4 <= nl && l + 4 <= n) {
      const rate = v128.load(lp), ratio = v128.load(lp + row), sw = v128.load(lp + 2 * row), sw2 = v128.load(lp + 3 * row);
      let A0 = i32x4.splat(0), A1 = i32x4.splat(0), A2 = i32x4.splat(0);
      let B0 = i32x4.splat(0), B1 = i32x4.splat(0), B2 = i32x4.splat(0);
      const one = i32x4.splat(1);
      let count: u32 = 0;
      for (let k = start; k < end; k++) {
        const q = <usize>k << 2;
        const m = load<f32>(mred + q), d = load<f32>(lxy + q);
        if (!(m >= mlo && m < mhi && d >= llo && d < lhi)) continue;
        count++;
        const e = xexp4(f32x4.mul(f32x4.splat(load<f32>(ct + q)), rate));
        const w = ftz4(f32x4.mul(ftz4(f32x4.mul(ratio, e)), f32x4.splat(load<f32>(gw + q))));
        split4(f32x4.mul(w, sw));
        {
          const s0 = i32x4.add(A0, Y0), t1 = i32x4.add(A1, Y1);
          const c0 = v128.and(i32x4.lt_u(s0, Y0), one), s1 = i32x4.add(t1, c0);
          A0 = s0; A1 = s1; A2 = i32x4.sub(i32x4.add(A2, Y2), v128.or(i32x4.lt_u(t1, Y1), i32x4.lt_u(s1, c0)));
        }
        split4(f32x4.mul(ftz4(f32x4.mul(w, w)), sw2));
        {
          const s0 = i32x4.add(B0, Y0), t1 = i32x4.add(B1, Y1);
          const c0 = v128.and(i32x4.lt_u(s0, Y0), one), s1 = i32x4.add(t1, c0);
          B0 = s0; B1 = s1; B2 = i32x4.sub(i32x4.add(B2, Y2), v128.or(i32x4.lt_u(t1, Y1), i32x4.lt_u(s1, c0)));
        }
      }
      store4(out, l, A0, A1, A2, B0, B1, B2, i32x4.splat(count));
      l += 4;
      continue;
    }
    const rate = load<f32>(lp), ratio = load<f32>(lp + row), sw = load<f32>(lp + 2 * row), sw2 = load<f32>(lp + 3 * row);
    a0 = 0; a1 = 0; a2 = 0; b0 = 0; b1 = 0; b2 = 0;
    let count: u32 = 0;
    for (let k = start; k < end; k++) {
      const q = <usize>k << 2;
      const m = load<f32>(mred + q), d = load<f32>(lxy + q);
      if (!(m >= mlo && m < mhi && d >= llo && d < lhi)) continue;
      count++;
      const e = xexp(load<f32>(ct + q) * rate);
      const w = ftz(ftz(ratio * e) * load<f32>(gw + q));
      split96(w * sw);
      addA();
      split96(ftz(w * w) * sw2);
      addB();
    }
    const o = out + (<usize>l << 5);
    store<u32>(o, a0); store<u32>(o, a1, 4); store<u32>(o, a2, 8);
    store<u32>(o, b0, 12); store<u32>(o, b1, 16); store<u32>(o, b2, 20);
    store<u32>(o, count, 24); store<u32>(o, 0, 28);
    l++;
  }
}
