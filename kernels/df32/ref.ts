import type { RefKernel } from '../types.js';
import { bitsToF32 as F, f32ToBits } from '../lib/exactmath.js';
import {
  accAdd, accValue, dfAdd, dfAddF, dfDiv, dfExp, dfLog, dfLt, dfMul, dfMulF, dfSub, fastTwoSum, split, twoProd, twoSum,
  DF_ZERO, type DF,
} from '../lib/df32.js';
import { DF_AB_WORDS, DF_A_HI, DF_A_LO, DF_B_HI, DF_B_LO, DF_OP_LT, DF_OUT_HI, DF_OUT_LO, DF_OUT_OP_WORDS } from './layout.js';

/** The probe's operations, in output order (bit i of param `ops` enables operation i). */
export const DF32_OPS = [
  'twoSum', 'fastTwoSum', 'twoProd', 'add', 'sub', 'addF', 'mul', 'mulF', 'div', 'log', 'exp', 'accSum', 'split', 'lt',
] as const;
export const DF32_OUT_WORDS = DF_OUT_OP_WORDS * DF32_OPS.length;
if (DF32_OPS.indexOf('lt') !== DF_OP_LT || DF32_OPS.length !== DF_OP_LT + 1) throw new Error('df32: DF32_OPS out of step with layout.ts');

/** The op applied to item operands a, b (df32); `lt` gives [a < b, b < a] as 0/1 words. */
function op(i: number, a: DF, b: DF): DF | [number, number] {
  switch (i) {
    case 0: return twoSum(a.hi, b.hi);
    case 1: return Math.abs(a.hi) >= Math.abs(b.hi) ? fastTwoSum(a.hi, b.hi) : fastTwoSum(b.hi, a.hi);
    case 2: return twoProd(a.hi, b.hi);
    case 3: return dfAdd(a, b);
    case 4: return dfSub(a, b);
    case 5: return dfAddF(a, b.hi);
    case 6: return dfMul(a, b);
    case 7: return dfMulF(a, b.hi);
    case 8: return dfDiv(a, b);
    case 9: return dfLog(a.hi < 0 ? { hi: -a.hi, lo: -a.lo } : a);
    case 10: return dfExp(a);
    case 11: return accValue(accAdd(accAdd(accAdd(accAdd(DF_ZERO, a.hi), b.hi), a.lo), b.lo));
    case 12: return split(a.hi);
    default: return [dfLt(a, b) ? 1 : 0, dfLt(b, a) ? 1 : 0];
  }
}

// params: [item_offset, item_count, opaque_zero, reserved, ops]; per item: a.hi, a.lo, b.hi, b.lo.
export const df32ProbeRef: RefKernel = (p, [ab], [out]) => {
  const n = p[1], ops = p[4];
  for (let l = 0; l < n; l++) {
    const p = DF_AB_WORDS * l;
    const a: DF = { hi: F(ab[p + DF_A_HI]), lo: F(ab[p + DF_A_LO]) }, b: DF = { hi: F(ab[p + DF_B_HI]), lo: F(ab[p + DF_B_LO]) };
    const o = DF32_OUT_WORDS * l;
    for (let i = 0; i < DF32_OPS.length; i++) {
      if (((ops >>> i) & 1) === 0) {
        out[o + DF_OUT_OP_WORDS * i + DF_OUT_HI] = 0;
        out[o + DF_OUT_OP_WORDS * i + DF_OUT_LO] = 0;
        continue;
      }
      const r = op(i, a, b);
      if (Array.isArray(r)) {
        out[o + DF_OUT_OP_WORDS * i + DF_OUT_HI] = r[0];
        out[o + DF_OUT_OP_WORDS * i + DF_OUT_LO] = r[1];
      } else {
        out[o + DF_OUT_OP_WORDS * i + DF_OUT_HI] = f32ToBits(r.hi);
        out[o + DF_OUT_OP_WORDS * i + DF_OUT_LO] = f32ToBits(r.lo);
      }
    }
  }
};
