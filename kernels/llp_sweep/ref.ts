import type { RefKernel } from '../types.js';
import { bitsToF32, ftz, xexp } from '../lib/exactmath.js';
import {
  ACC_COUNT, ACC_W, ACC_W2, LIFE_RATE, LIFE_RATIO, LIFE_SCALE_W, LIFE_SCALE_W2, LIMB_HI, LIMB_LO, LIMB_MID, LLP_OUT_WORDS,
  RANGE_END, RANGE_START, RANGE_WORDS, WIN_LXY_HI, WIN_LXY_LO, WIN_MRED_HI, WIN_MRED_LO, WIN_WORDS,
} from './layout.js';

export { LLP_OUT_WORDS };

// LLP lifetime sweep: item i is the cell (group g = floor(i / n_life), lifetime j = i mod n_life).
// A group is a range of decays (one mass hypothesis and channel) with its acceptance windows.
// For every decay k in the group's range with mlo <= mred < mhi and llo <= lxy < lhi:
//   w = ftz(ftz(ratio_j * xexp(opaque(ct_k * rate_j))) * gw_k),
//   ratio_j = ctau_gen / ctau_j, rate_j = 1/ctau_gen - 1/ctau_j
//   (lifetime reweighting: w = (tau_gen/tau) exp(-t/tau + t/tau_gen), the ratio of exponential decay-time densities;
//   for a generated mixture of lifetimes engine/llp/sweep.ts passes the longest as tau_gen and folds the
//   balance-heuristic factor into gw, so that w = f_j(t) / sum_c a_c f_c(t), bounded),
// and w and ftz(w * w) are added exactly as 96-bit fixed point numbers with 2^-F_j units
// (scaleW_j = 2^F_j, scaleW2_j = 2^G_j): the sums are independent of order and of splitting.
// Outputs per item (LLP_OUT_WORDS words, layout.ts): sumW limbs (lo, mid, hi), sumW2 limbs, accepted count, 0.

const fr = Math.fround;
export const TWO_M64 = bitsToF32(0x1f800000);
export const TWO_64 = bitsToF32(0x5f800000);
export const TWO_M32 = bitsToF32(0x2f800000);
export const TWO_32 = bitsToF32(0x4f800000);

/** v >= 0, v < 2^96, as three u32 limbs (exact f32 operations only: products by powers of two). */
export function split96(v: number, out: number[]): void {
  if (!(v >= 1)) {
    out[LIMB_LO] = 0; out[LIMB_MID] = 0; out[LIMB_HI] = 0;
    return;
  }
  const h = Math.floor(fr(v * TWO_M64));
  const r = fr(v - fr(h * TWO_64));
  const m = Math.floor(fr(r * TWO_M32));
  const lo = Math.floor(fr(r - fr(m * TWO_32)));
  out[LIMB_LO] = lo >>> 0; out[LIMB_MID] = m >>> 0; out[LIMB_HI] = h >>> 0;
}

/** acc (3 u32 limbs at acc[at + LIMB_*]) += x (3 limbs), modulo 2^96. */
export function add96(acc: Uint32Array, at: number, x: readonly number[]): void {
  const s0 = (acc[at + LIMB_LO] + x[LIMB_LO]) >>> 0;
  const c0 = s0 < x[LIMB_LO] ? 1 : 0;
  let s1 = (acc[at + LIMB_MID] + x[LIMB_MID]) >>> 0;
  let c1 = s1 < x[LIMB_MID] ? 1 : 0;
  s1 = (s1 + c0) >>> 0;
  if (s1 < c0) c1 = 1;
  acc[at + LIMB_LO] = s0;
  acc[at + LIMB_MID] = s1;
  acc[at + LIMB_HI] = (acc[at + LIMB_HI] + x[LIMB_HI] + c1) >>> 0;
}


// params: [item_offset, item_count, opaque_zero, reserved, n_life]
// inputs: ct, lxy, mred, gw (per decay, f32), grp_range (u32: start, end per group),
// grp_win (f32: mlo, mhi, llo, lhi per group), life (f32: rate[L], ratio[L], scaleW[L], scaleW2[L])
export const llpSweepRef: RefKernel = (p, inputs, [out]) => {
  const off = p[0], n = p[1], nLife = p[4];
  const f = inputs.map((w) => new Float32Array(w.buffer, w.byteOffset, w.length));
  const [ct, lxy, mred, gw, , win, life] = f;
  const range = inputs[4];
  const v: number[] = [0, 0, 0];
  for (let l = 0; l < n; l++) {
    const i = off + l;
    const g = Math.floor(i / nLife), j = i - g * nLife;
    const r = RANGE_WORDS * g, q = WIN_WORDS * g;
    const start = range[r + RANGE_START], end = range[r + RANGE_END];
    const mlo = win[q + WIN_MRED_LO], mhi = win[q + WIN_MRED_HI], llo = win[q + WIN_LXY_LO], lhi = win[q + WIN_LXY_HI];
    const rate = life[LIFE_RATE * nLife + j], ratio = life[LIFE_RATIO * nLife + j], sW = life[LIFE_SCALE_W * nLife + j], sW2 = life[LIFE_SCALE_W2 * nLife + j];
    const o = LLP_OUT_WORDS * l;
    for (let q = 0; q < LLP_OUT_WORDS; q++) out[o + q] = 0;
    let count = 0;
    for (let k = start; k < end; k++) {
      const m = mred[k], L = lxy[k];
      if (!(m >= mlo && m < mhi && L >= llo && L < lhi)) continue;
      count++;
      const e = xexp(fr(ct[k] * rate));
      const w = ftz(fr(ftz(fr(ratio * e)) * gw[k]));
      split96(fr(w * sW), v);
      add96(out, o + ACC_W, v);
      split96(fr(ftz(fr(w * w)) * sW2), v);
      add96(out, o + ACC_W2, v);
    }
    out[o + ACC_COUNT] = count;
  }
};
