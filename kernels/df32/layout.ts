// The df32 probe's packed words (the single source of them): per item, the operands
// [a.hi, a.lo, b.hi, b.lo] (f32) and, per operation i of DF32_OPS, a pair of output words
// [hi, lo] (f32 bits; for `lt`, [a < b, b < a] as 0/1) at DF_OUT_OP_WORDS * i.

export const DF_AB_WORDS = 4;
export const DF_A_HI = 0;
export const DF_A_LO = 1;
export const DF_B_HI = 2;
export const DF_B_LO = 3;
/** Output words per operation, and the two words of a pair. */
export const DF_OUT_OP_WORDS = 2;
export const DF_OUT_HI = 0;
export const DF_OUT_LO = 1;
/** Operations 0 .. DF_VALUE_OPS - 1 return a df32 value; operation DF_VALUE_OPS is `lt`. */
export const DF_VALUE_OPS = 13;
export const DF_OP_LT = DF_VALUE_OPS;
/** The `lt` pair: [a < b, b < a]. */
export const DF_OUT_LT_AB = DF_OUT_OP_WORDS * DF_OP_LT + DF_OUT_HI;
export const DF_OUT_LT_BA = DF_OUT_OP_WORDS * DF_OP_LT + DF_OUT_LO;

/** The layout as the kernels see it (KernelDesc.constants: generated into WGSL and AssemblyScript). */
export const DF32_CONSTANTS = {
  DF_A_HI, DF_A_LO, DF_B_HI, DF_B_LO, DF_OUT_OP_WORDS, DF_OUT_HI, DF_OUT_LO, DF_VALUE_OPS, DF_OP_LT, DF_OUT_LT_AB, DF_OUT_LT_BA,
} as const;
