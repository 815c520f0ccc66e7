// LLP lifetime sweep: twin of kernels/llp_sweep/ref.ts (formulas and layout there).
// The SIMD build computes four consecutive items of one group at once (four lifetimes, lanes):
// the decays are read once, the exponentials and fixed-point sums run in lanes. Every lane does
// the scalar path's operations in the same order, and the fixed-point sums are exact, so both
// paths return the same bits.
import { F, ftz, xexp } from './lib/exactmath';
import { ftz4, storeT4, xexp4 } from './lib/exactmath4';
import {
  Bufs, IN_GRP_RANGE_STRIDE, IN_GRP_WIN_STRIDE, OUT_ACC_STRIDE, Params, RANGE_START, RANGE_END, WIN_MRED_LO, WIN_MRED_HI,
  WIN_LXY_LO, WIN_LXY_HI, LIFE_RATE, LIFE_RATIO, LIFE_SCALE_W, LIFE_SCALE_W2, LIMB_LO, LIMB_HI, ACC_W, ACC_W2, ACC_COUNT,
  ACC_ZERO, ACC_HALF,
} from './gen/llp_sweep';

/** Address of word k of the record at r. */
// @ts-ignore: decorator
@inline function word(r: usize, k: u32): usize { return r + (<usize>k << 2); }

/** Address of lifetime j's entry of life row k (rows of `row` bytes). */
// @ts-ignore: decorator
@inline function lifeAt(life: usize, row: usize, k: u32, j: u32): usize { return life + <usize>k * row + (<usize>j << 2); }

// Whether a decay (reduced mass m, transverse distance d) is inside the group's windows.
// @ts-ignore: decorator
@inline function inWindow(m: f32, d: f32, mlo: f32, mhi: f32, llo: f32, lhi: f32): bool {
  return m >= mlo && m < mhi && d >= llo && d < lhi;
}

// The 96-bit split of the scalar path: low 64 bits in xLo, high 32 in x2 (globals keep it
// allocation-free). Accumulators add it modulo 2^96: lo += xLo, hi += x2 + carry.
let xLo: u64 = 0, x2: u32 = 0;

// @ts-ignore: decorator
@inline function split96(v: f32): void {
  if (!(v >= 1.0)) { xLo = 0; x2 = 0; return; }
  const h = Mathf.floor(v * F(0x1f800000));
  const r = v - h * F(0x5f800000);
  const m = Mathf.floor(r * F(0x2f800000));
  const lo = Mathf.floor(r - m * F(0x4f800000));
  xLo = (<u64><u32>m << 32) | <u64><u32>lo; x2 = <u32>h;
}

// ---- four lanes ----

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

// (s0, s1, s2) + (Y0, Y1, Y2) modulo 2^96 in each lane, into Z0..Z2.
// @ts-ignore: decorator
@lazy let Z0: v128 = i32x4.splat(0);
// @ts-ignore: decorator
@lazy let Z1: v128 = i32x4.splat(0);
// @ts-ignore: decorator
@lazy let Z2: v128 = i32x4.splat(0);

// @ts-ignore: decorator
@inline function add96x4(s0: v128, s1: v128, s2: v128): void {
  const t0 = i32x4.add(s0, Y0), t1 = i32x4.add(s1, Y1);
  const c0 = v128.and(i32x4.lt_u(t0, Y0), i32x4.splat(1)), u1 = i32x4.add(t1, c0);
  Z0 = t0; Z1 = u1; Z2 = i32x4.sub(i32x4.add(s2, Y2), v128.or(i32x4.lt_u(t1, Y1), i32x4.lt_u(u1, c0)));
}

export function llp_sweep(params: usize, bufs: usize): void {
  const P = changetype<Params>(params), B = changetype<Bufs>(bufs);
  const off = P.item_offset, n = P.item_count, nl = P.n_life;
  const ct = B.in_ct, lxy = B.in_lxy, mred = B.in_mred, gw = B.in_gw, range = B.in_grp_range, win = B.in_grp_win;
  const life = B.in_life, out = B.out_acc;
  const row = <usize>nl << 2;
  let l: u32 = 0;
  while (l < n) {
    const i = off + l;
    const g = i / nl, j = i - g * nl;
    const rp = range + <usize>g * IN_GRP_RANGE_STRIDE, wp = win + <usize>g * IN_GRP_WIN_STRIDE;
    const start = load<u32>(word(rp, RANGE_START)), end = load<u32>(word(rp, RANGE_END));
    const mlo = load<f32>(word(wp, WIN_MRED_LO)), mhi = load<f32>(word(wp, WIN_MRED_HI));
    const llo = load<f32>(word(wp, WIN_LXY_LO)), lhi = load<f32>(word(wp, WIN_LXY_HI));
    if (ASC_FEATURE_SIMD && j + 4 <= nl && l + 4 <= n) {
      const rate = v128.load(lifeAt(life, row, LIFE_RATE, j)), ratio = v128.load(lifeAt(life, row, LIFE_RATIO, j));
      const sw = v128.load(lifeAt(life, row, LIFE_SCALE_W, j)), sw2 = v128.load(lifeAt(life, row, LIFE_SCALE_W2, j));
      let A0 = i32x4.splat(0), A1 = i32x4.splat(0), A2 = i32x4.splat(0);
      let B0 = i32x4.splat(0), B1 = i32x4.splat(0), B2 = i32x4.splat(0);
      let count: u32 = 0;
      for (let k = start; k < end; k++) {
        const q = <usize>k << 2;
        if (!inWindow(load<f32>(mred + q), load<f32>(lxy + q), mlo, mhi, llo, lhi)) continue;
        count++;
        const e = xexp4(f32x4.mul(f32x4.splat(load<f32>(ct + q)), rate));
        const w = ftz4(f32x4.mul(ftz4(f32x4.mul(ratio, e)), f32x4.splat(load<f32>(gw + q))));
        split4(f32x4.mul(w, sw));
        add96x4(A0, A1, A2); A0 = Z0; A1 = Z1; A2 = Z2;
        split4(f32x4.mul(ftz4(f32x4.mul(w, w)), sw2));
        add96x4(B0, B1, B2); B0 = Z0; B1 = Z1; B2 = Z2;
      }
      // lanes are items: the two 4-word halves of the four records (layout.ts ACC_HALF)
      const o = out + <usize>l * OUT_ACC_STRIDE;
      storeT4(word(o, ACC_W), OUT_ACC_STRIDE, A0, A1, A2, B0);
      storeT4(word(o, ACC_HALF), OUT_ACC_STRIDE, B1, B2, i32x4.splat(count), i32x4.splat(0));
      l += 4;
      continue;
    }
    const rate = load<f32>(lifeAt(life, row, LIFE_RATE, j)), ratio = load<f32>(lifeAt(life, row, LIFE_RATIO, j));
    const sw = load<f32>(lifeAt(life, row, LIFE_SCALE_W, j)), sw2 = load<f32>(lifeAt(life, row, LIFE_SCALE_W2, j));
    let aLo: u64 = 0, aHi: u32 = 0, bLo: u64 = 0, bHi: u32 = 0;
    let count: u32 = 0;
    for (let k = start; k < end; k++) {
      const q = <usize>k << 2;
      if (!inWindow(load<f32>(mred + q), load<f32>(lxy + q), mlo, mhi, llo, lhi)) continue;
      count++;
      const e = xexp(load<f32>(ct + q) * rate);
      const w = ftz(ftz(ratio * e) * load<f32>(gw + q));
      split96(w * sw);
      aLo += xLo; aHi += x2 + <u32>(aLo < xLo);
      split96(ftz(w * w) * sw2);
      bLo += xLo; bHi += x2 + <u32>(bLo < xLo);
    }
    const o = out + <usize>l * OUT_ACC_STRIDE;
    store<u64>(word(o, ACC_W + LIMB_LO), aLo); store<u32>(word(o, ACC_W + LIMB_HI), aHi);
    store<u64>(word(o, ACC_W2 + LIMB_LO), bLo); store<u32>(word(o, ACC_W2 + LIMB_HI), bHi);
    store<u32>(word(o, ACC_COUNT), count); store<u32>(word(o, ACC_ZERO), 0);
    l++;
  }
}
