// Twin of kernels/df32/ref.ts and df32.wgsl: the df32 library's operations on item operands a, b.
import {
  DF, accAdd, accValue, df, dfAdd, dfAddF, dfDiv, dfExp, dfHi, dfLo, dfLog, dfLt, dfMul, dfMulF, dfNeg, dfSub, fastTwoSum,
  split, twoProd, twoSum,
} from './lib/df32';
import {
  Bufs, IN_AB_STRIDE, OUT_R_STRIDE, Params, DF_A_HI, DF_A_LO, DF_B_HI, DF_B_LO, DF_OUT_OP_WORDS, DF_OUT_HI, DF_OUT_LO,
  DF_VALUE_OPS, DF_OP_LT, DF_OUT_LT_AB, DF_OUT_LT_BA,
} from './gen/df32';

/** Address of word k of the record at r. */
// @ts-ignore: decorator
@inline function word(r: usize, k: u32): usize { return r + (<usize>k << 2); }

function op(i: u32, a: DF, b: DF): DF {
  const ah = dfHi(a), bh = dfHi(b);
  switch (i) {
    case 0: return twoSum(ah, bh);
    case 1: return Mathf.abs(ah) >= Mathf.abs(bh) ? fastTwoSum(ah, bh) : fastTwoSum(bh, ah);
    case 2: return twoProd(ah, bh);
    case 3: return dfAdd(a, b);
    case 4: return dfSub(a, b);
    case 5: return dfAddF(a, bh);
    case 6: return dfMul(a, b);
    case 7: return dfMulF(a, bh);
    case 8: return dfDiv(a, b);
    case 9: return dfLog(ah < 0 ? dfNeg(a) : a);
    case 10: return dfExp(a);
    case 11: return accValue(accAdd(accAdd(accAdd(accAdd(0, ah), bh), dfLo(a)), dfLo(b)));
    default: return split(ah);
  }
}

export function df32(params: usize, bufs: usize): void {
  const P = changetype<Params>(params), B = changetype<Bufs>(bufs);
  const n = P.item_count, ops = P.ops;
  const ab = B.in_ab, out = B.out_r;
  for (let l: u32 = 0; l < n; l++) {
    const p = ab + <usize>l * IN_AB_STRIDE;
    const a = df(load<f32>(word(p, DF_A_HI)), load<f32>(word(p, DF_A_LO))), b = df(load<f32>(word(p, DF_B_HI)), load<f32>(word(p, DF_B_LO)));
    const o = out + <usize>l * OUT_R_STRIDE;
    for (let i: u32 = 0; i < DF_VALUE_OPS; i++) {
      const r: DF = ((ops >> i) & 1) != 0 ? op(i, a, b) : 0;
      store<f32>(word(o, DF_OUT_OP_WORDS * i + DF_OUT_HI), dfHi(r));
      store<f32>(word(o, DF_OUT_OP_WORDS * i + DF_OUT_LO), dfLo(r));
    }
    const on = ((ops >> DF_OP_LT) & 1) != 0;
    store<u32>(word(o, DF_OUT_LT_AB), on && dfLt(a, b) ? 1 : 0);
    store<u32>(word(o, DF_OUT_LT_BA), on && dfLt(b, a) ? 1 : 0);
  }
}
