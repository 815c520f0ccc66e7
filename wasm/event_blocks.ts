// event_blocks, twin of kernels/event_blocks/{ref.ts,event_blocks.wgsl}: block k % per_event of
// event first + k / per_event. The SIMD build computes four items per step (philoxBlock4, lanes =
// items), transposed back to item order by storeT4.
import { storeT4 } from './lib/exactmath4';
import { philoxBlock, philoxBlock4, philoxR0, philoxR1, philoxR2, philoxR3, Q0, Q1, Q2, Q3 } from './philox';
import { Bufs, OUT_WORDS_STRIDE, Params } from './gen/event_blocks';

export function event_blocks(params: usize, bufs: usize): void {
  const P = changetype<Params>(params);
  const off = P.item_offset, n = P.item_count, k0 = P.key0, k1 = P.key1, first = P.first, nb = P.per_event;
  const out = changetype<Bufs>(bufs).out_words;
  let l: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    for (; l + 4 <= n; l += 4) {
      let ev = i32x4.splat(0), bl = i32x4.splat(0);
      const k = off + l;
      ev = i32x4.replace_lane(ev, 0, first + k / nb); bl = i32x4.replace_lane(bl, 0, k % nb);
      ev = i32x4.replace_lane(ev, 1, first + (k + 1) / nb); bl = i32x4.replace_lane(bl, 1, (k + 1) % nb);
      ev = i32x4.replace_lane(ev, 2, first + (k + 2) / nb); bl = i32x4.replace_lane(bl, 2, (k + 2) % nb);
      ev = i32x4.replace_lane(ev, 3, first + (k + 3) / nb); bl = i32x4.replace_lane(bl, 3, (k + 3) % nb);
      philoxBlock4(ev, bl, i32x4.splat(0), i32x4.splat(0), k0, k1);
      storeT4(out + <usize>l * OUT_WORDS_STRIDE, OUT_WORDS_STRIDE, Q0, Q1, Q2, Q3);
    }
  }
  for (; l < n; l++) {
    const k = off + l;
    philoxBlock(first + k / nb, k % nb, 0, 0, k0, k1);
    const p = out + <usize>l * OUT_WORDS_STRIDE;
    store<u32>(p, philoxR0()); store<u32>(p, philoxR1(), 4);
    store<u32>(p, philoxR2(), 8); store<u32>(p, philoxR3(), 12);
  }
}
