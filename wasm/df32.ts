// Twin of kernels/df32/ref.ts and df32.wgsl: the df32 library's operations on item operands a, b.
import {
  DF, accAdd, accValue, df, dfAdd, dfAddF, dfDiv, dfExp, dfHi, dfLo, dfLog, dfLt, dfMul, dfMulF, dfNeg, dfSub, fastTwoSum,
  split, twoProd, twoSum,
} from './lib/df32';
import { Bufs, IN_AB_STRIDE, OUT_R_STRIDE, Params } from './gen/df32';

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
    const a = df(load<f32>(p), load<f32>(p, 4)), b = df(load<f32>(p, 8), load<f32>(p, 12));
    const o = out + <usize>l * OUT_R_STRIDE;
    for (let i: u32 = 0; i < 13; i++) {
      const r: DF = ((ops >> i) & 1) != 0 ? op(i, a, b) : 0;
      store<f32>(o + (<usize>i << 3), dfHi(r));
      store<f32>(o + (<usize>i << 3), dfLo(r), 4);
    }
    const on = ((ops >> 13) & 1) != 0;
    store<u32>(o, on && dfLt(a, b) ? 1 : 0, 104);
    store<u32>(o, on && dfLt(b, a) ? 1 : 0, 108);
  }
}
