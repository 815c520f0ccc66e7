import type { RefKernel } from '../types.js';
import { f32ToBits } from '../bits.js';

// Philox4x32-10: Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3"
// (SC11), section 4.2; constants from Random123's philox.h.
export const PHILOX_M0 = 0xd2511f53;
export const PHILOX_M1 = 0xcd9e8d57;
export const PHILOX_W0 = 0x9e3779b9;
export const PHILOX_W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two u32, from 16-bit limbs (exact in doubles). */
export function mulhi32(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p01 = a0 * b1, p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) >>> 0;
}

/** One Philox4x32-10 block: writes 4 words of output for counter (c0..c3) and key (k0, k1). */
export function philoxBlock(
  c0: number, c1: number, c2: number, c3: number, k0: number, k1: number,
  out: Uint32Array, at: number,
): void {
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      k0 = (k0 + PHILOX_W0) >>> 0;
      k1 = (k1 + PHILOX_W1) >>> 0;
    }
    const hi0 = mulhi32(PHILOX_M0, c0), lo0 = Math.imul(PHILOX_M0, c0) >>> 0;
    const hi1 = mulhi32(PHILOX_M1, c2), lo1 = Math.imul(PHILOX_M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  out[at] = c0; out[at + 1] = c1; out[at + 2] = c2; out[at + 3] = c3;
}

/** Uniform f32 in [0, 1) from the top 24 bits: (x >> 8) * 2^-24, exact in f32. */
export function uniformBits(x: number): number {
  return f32ToBits((x >>> 8) * 5.9604644775390625e-8);
}

// params: [item_offset, item_count, opaque_zero, reserved, key0, key1, ctr0, ctr1, ctr2, ctr3, format]
// item i uses counter (ctr0 + i mod 2^32, ctr1, ctr2, ctr3).
export const philoxRef: RefKernel = (p, _inputs, [out]) => {
  const off = p[0], n = p[1], k0 = p[4], k1 = p[5], c0 = p[6], c1 = p[7], c2 = p[8], c3 = p[9], fmt = p[10];
  for (let l = 0; l < n; l++) {
    philoxBlock((c0 + off + l) >>> 0, c1, c2, c3, k0, k1, out, 4 * l);
    if (fmt === 1) for (let j = 4 * l; j < 4 * l + 4; j++) out[j] = uniformBits(out[j]);
  }
};
