// The llp_sweep kernel's packed words (the single source of them), read by ref.ts, the WGSL,
// wasm/llp_sweep.ts and the host (desc.ts lifetimeTable / decode96, engine/llp/sweep.ts).
//   grp_range (u32, per group):  [first decay, end (exclusive)]
//   grp_win (f32, per group):    [mred lo, mred hi, lxy lo, lxy hi]  (windows [lo, hi))
//   life (f32, rows of n_life):  row LIFE_RATE, LIFE_RATIO, LIFE_SCALE_W (2^F), LIFE_SCALE_W2 (2^G)
//   acc (u32, per item):         sum w (3 limbs lo, mid, hi at ACC_W), sum w^2 (3 limbs at ACC_W2),
//                                accepted count, 0

export const RANGE_WORDS = 2;
export const RANGE_START = 0;
export const RANGE_END = 1;
export const WIN_WORDS = 4;
export const WIN_MRED_LO = 0;
export const WIN_MRED_HI = 1;
export const WIN_LXY_LO = 2;
export const WIN_LXY_HI = 3;
export const LIFE_ROWS = 4;
export const LIFE_RATE = 0;
export const LIFE_RATIO = 1;
export const LIFE_SCALE_W = 2;
export const LIFE_SCALE_W2 = 3;
/** Limbs of a 96-bit sum, least significant first. */
export const LIMBS = 3;
export const LIMB_LO = 0;
export const LIMB_MID = 1;
export const LIMB_HI = 2;
export const LLP_OUT_WORDS = 8;
export const ACC_W = 0;
export const ACC_W2 = ACC_W + LIMBS;
export const ACC_COUNT = ACC_W2 + LIMBS;
export const ACC_ZERO = ACC_COUNT + 1;
/**
 * The SIMD twin stores four items' records as two transposed 4-word halves: words
 * [ACC_W + LIMB_LO .. ACC_W2 + LIMB_LO] and [ACC_W2 + LIMB_MID .. ACC_ZERO]; the words are consecutive.
 */
export const ACC_HALF = ACC_W2 + LIMB_MID;
if (ACC_W !== 0 || ACC_HALF !== 4 || ACC_ZERO + 1 !== LLP_OUT_WORDS) throw new Error('llp_sweep layout: the acc record is not 2 x 4 consecutive words');

/** The layout as the kernels see it (KernelDesc.constants: generated into WGSL and AssemblyScript). */
export const LLP_SWEEP_CONSTANTS = {
  RANGE_START, RANGE_END, WIN_MRED_LO, WIN_MRED_HI, WIN_LXY_LO, WIN_LXY_HI,
  LIFE_RATE, LIFE_RATIO, LIFE_SCALE_W, LIFE_SCALE_W2, LIMB_LO, LIMB_MID, LIMB_HI,
  ACC_W, ACC_W2, ACC_COUNT, ACC_ZERO, ACC_HALF,
} as const;
