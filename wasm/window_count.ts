// window_count, twin of kernels/window_count/{ref.ts,window_count.wgsl}: per window, events
// inside (f32 test, no FMA in WebAssembly) and exact integer sums of w_q and w_q^2 (w_q < 2^24).
// The SIMD build tests four events per step (f32x4 ops are the same IEEE roundings) and takes
// the weights of the accepted lanes one by one; a segment's last 1-3 events are the upper lanes of
// the four ending at its end (the lower lanes, already counted, masked out), not a scalar loop.
import {
  Bufs, IN_WIN_STRIDE, OUT_SUMS_STRIDE, Params, WIN_CX, WIN_CY, WIN_IAX2, WIN_IAY2, WIN_COL0, WIN_COL1, WIN_ROW0, WIN_ROW1,
  SUM_N, SUM_W_LO, SUM_W_HI, SUM_W2_LO, SUM_W2_MID, SUM_W2_HI,
} from './gen/window_count';

/** Address of word k of the record at r. */
// @ts-ignore: decorator
@inline function word(r: usize, k: u32): usize { return r + (<usize>k << 2); }

let n: u32 = 0;
let sw: u64 = 0;
let sq: u64 = 0;
let sqHi: u32 = 0;

// @ts-ignore: decorator
@inline function addWeight(w: u32): void {
  sw += <u64>w;
  const q = <u64>w * <u64>w;
  const s = sq + q;
  if (s < sq) sqHi++;
  sq = s;
}

/** Events j .. j + 3 inside the window (lanes of `lanes` only): the all-ones mask of those inside; their weights added in lane order. */
// @ts-ignore: decorator
@inline function test4(ex: usize, ey: usize, ew: usize, j: u32, vcx: v128, vcy: v128, via: v128, vib: v128, lanes: v128, weighted: bool): v128 {
  const dx = f32x4.sub(v128.load(ex + (<usize>j << 2)), vcx);
  const dy = f32x4.sub(v128.load(ey + (<usize>j << 2)), vcy);
  const t = f32x4.add(f32x4.mul(f32x4.mul(dx, dx), via), f32x4.mul(f32x4.mul(dy, dy), vib));
  const m = v128.and(f32x4.le(t, f32x4.splat(1.0)), lanes);
  if (weighted) {
    let bits = i32x4.bitmask(m);
    while (bits != 0) {
      const k = ctz(bits);
      addWeight(load<u32>(ew + (<usize>(j + <u32>k) << 2)));
      bits &= bits - 1;
    }
  }
  return m;
}

export function window_count(params: usize, bufs: usize): void {
  const P = changetype<Params>(params), B = changetype<Bufs>(bufs);
  const count = P.item_count, nx = P.nx, weighted = P.weighted != 0;
  const win = B.in_win, ex = B.in_ev_x, ey = B.in_ev_y, ew = B.in_ev_w, off = B.in_cell_off, out = B.out_sums;
  for (let l: u32 = 0; l < count; l++) {
    const o = win + <usize>l * IN_WIN_STRIDE;
    const cx = load<f32>(word(o, WIN_CX)), cy = load<f32>(word(o, WIN_CY)), ia = load<f32>(word(o, WIN_IAX2)), ib = load<f32>(word(o, WIN_IAY2));
    const c0 = load<u32>(word(o, WIN_COL0)), c1 = load<u32>(word(o, WIN_COL1)), r0 = load<u32>(word(o, WIN_ROW0)), r1 = load<u32>(word(o, WIN_ROW1));
    n = 0; sw = 0; sq = 0; sqHi = 0;
    if (c0 <= c1) {
      for (let r = r0; r <= r1; r++) {
        const a = load<u32>(off + (<usize>(r * nx + c0) << 2));
        const b = load<u32>(off + (<usize>(r * nx + c1 + 1) << 2));
        let j = a;
        if (ASC_FEATURE_SIMD) {
          const vcx = f32x4.splat(cx), vcy = f32x4.splat(cy), via = f32x4.splat(ia), vib = f32x4.splat(ib);
          let cnt = i32x4.splat(0);
          for (; j + 4 <= b; j += 4) cnt = i32x4.sub(cnt, test4(ex, ey, ew, j, vcx, vcy, via, vib, i32x4.splat(-1), weighted));
          if (j < b && b - a >= 4) { // the last 1-3 events: the four ending at b (inside the segment), lanes before j masked out
            cnt = i32x4.sub(cnt, test4(ex, ey, ew, b - 4, vcx, vcy, via, vib, i32x4.ge_s(i32x4(0, 1, 2, 3), i32x4.splat(j - (b - 4))), weighted));
            j = b;
          }
          n += <u32>(i32x4.extract_lane(cnt, 0) + i32x4.extract_lane(cnt, 1) + i32x4.extract_lane(cnt, 2) + i32x4.extract_lane(cnt, 3));
        }
        for (; j < b; j++) {
          const dx = load<f32>(ex + (<usize>j << 2)) - cx;
          const dy = load<f32>(ey + (<usize>j << 2)) - cy;
          const t = dx * dx * ia + dy * dy * ib;
          if (t <= 1.0) {
            n++;
            if (weighted) addWeight(load<u32>(ew + (<usize>j << 2)));
          }
        }
      }
    }
    const p = out + <usize>l * OUT_SUMS_STRIDE;
    store<u32>(word(p, SUM_N), n);
    store<u32>(word(p, SUM_W_LO), <u32>sw);
    store<u32>(word(p, SUM_W_HI), <u32>(sw >> 32));
    store<u32>(word(p, SUM_W2_LO), <u32>sq);
    store<u32>(word(p, SUM_W2_MID), <u32>(sq >> 32));
    store<u32>(word(p, SUM_W2_HI), sqHi);
  }
}
