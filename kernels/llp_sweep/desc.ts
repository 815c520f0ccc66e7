import type { KernelDesc } from '../types.js';
import { llpSweepRef } from './ref.js';
import {
  LIFE_RATE, LIFE_RATIO, LIFE_ROWS, LIFE_SCALE_W, LIFE_SCALE_W2, LIMB_HI, LIMB_LO, LIMB_MID, LLP_OUT_WORDS, LLP_SWEEP_CONSTANTS, RANGE_WORDS, WIN_WORDS,
} from './layout.js';
import lib from '../lib/exactmath.wgsl?raw';
import wgsl from './llp_sweep.wgsl?raw';

/** Largest weight bound the table accepts: w^2 must stay far below the f32 maximum (3.4e38). */
export const LLP_MAX_WEIGHT = 1e18;

/**
 * The kernel's shared `life` input for decay lengths c*tau (any length unit, the same as the
 * decays' c*t): rows rate_j = 1/ctau_gen - 1/ctau_j, ratio_j = ctau_gen/ctau_j (computed in f64,
 * rounded once to f32), then the fixed-point scales 2^F_j (weights) and 2^G_j (squared weights).
 * F_j is chosen so that a group of up to `maxRange` decays, each with w <= bound_j, sums below
 * 2^94 (the accumulators have 96 bits): bound_j = maxGenWeight * ratio_j * e^(max(0, ctMax*rate_j)),
 * inflated by 1% for f32 rounding.
 */
export function lifetimeTable(ctauGen: number, ctaus: readonly number[], ctMax: number, maxGenWeight: number, maxRange: number): Float32Array {
  if (!(ctauGen > 0) || !Number.isFinite(ctauGen)) throw new RangeError(`llp: generated c*tau must be a positive finite number, got ${ctauGen}`);
  const L = ctaus.length;
  const t = new Float32Array(LIFE_ROWS * L);
  const n = Math.max(1, maxRange);
  ctaus.forEach((c, j) => {
    if (!(c > 0) || !Number.isFinite(c)) throw new RangeError(`llp: lifetime ${j} (c*tau = ${c}) must be a positive finite number`);
    const rate = Math.fround(1 / ctauGen - 1 / c);
    const ratio = Math.fround(ctauGen / c);
    if (ratio < 1e-30 || ratio > 1e30) throw new RangeError(`llp: lifetime ${j} (c*tau = ${c}): c*tau_gen / c*tau = ${ratio} is outside [1e-30, 1e30]`);
    const bound = 1.01 * Math.max(maxGenWeight, 1e-30) * ratio * Math.exp(Math.min(88, Math.max(0, ctMax * rate)));
    if (bound > LLP_MAX_WEIGHT) {
      throw new RangeError(`llp: lifetime ${j} (c*tau = ${c}): weights reach ${bound.toExponential(2)} > ${LLP_MAX_WEIGHT} (c*t up to ${ctMax} with c*tau_gen = ${ctauGen}): generate with a longer c*tau_gen`);
    }
    const scaleExp = (b: number) => Math.max(-100, Math.min(120, Math.floor(94 - Math.log2(n * b))));
    t[LIFE_RATE * L + j] = rate;
    t[LIFE_RATIO * L + j] = ratio;
    t[LIFE_SCALE_W * L + j] = 2 ** scaleExp(bound);
    t[LIFE_SCALE_W2 * L + j] = 2 ** scaleExp(bound * bound);
  });
  return t;
}

/** Decodes the three u32 limbs at acc[at + LIMB_*] scaled by 1 / scale (a power of two) into a double. */
export function decode96(acc: ArrayLike<number>, at: number, scale: number): number {
  return (acc[at + LIMB_LO] + acc[at + LIMB_MID] * 4294967296 + acc[at + LIMB_HI] * 18446744073709551616) / scale;
}

export const llpSweep: KernelDesc = {
  name: 'llp_sweep',
  wgsl,
  wgslLibs: [lib],
  workgroupSize: 64,
  params: [{ name: 'n_life', type: 'u32', doc: 'lifetimes per group; item i is (group i / n_life, lifetime i mod n_life)' }],
  inputs: [
    { name: 'ct', type: 'f32', doc: 'proper decay length c*t of each decay' },
    { name: 'lxy', type: 'f32', doc: 'transverse flight distance of each decay' },
    { name: 'mred', type: 'f32', doc: 'reduced mass of each decay' },
    { name: 'gw', type: 'f32', doc: 'generator weight of each decay (>= 0)' },
    { name: 'grp_range', type: 'u32', record: RANGE_WORDS, doc: 'per group: first decay, end (exclusive)' },
    { name: 'grp_win', type: 'f32', record: WIN_WORDS, doc: 'per group: mred window [lo, hi), lxy window [lo, hi)' },
    { name: 'life', type: 'f32', doc: 'rows of n_life: rate, ratio, 2^F, 2^G (lifetimeTable)' },
  ],
  outputs: [{ name: 'acc', type: 'u32', perItem: LLP_OUT_WORDS, doc: 'sum w (3 limbs, units 2^-F), sum w^2 (3 limbs, 2^-G), accepted count, 0' }],
  constants: LLP_SWEEP_CONSTANTS,
  ref: llpSweepRef,
  exactness: 'bits',
};
