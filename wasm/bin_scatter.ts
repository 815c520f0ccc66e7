// bin_scatter, twin of kernels/bin_scatter/{ref.ts,bin_scatter.wgsl}: item g's cursor row from
// start's row g (each cell's first slot for this chunk), then its events in order, each to its
// cell's next slot (slots of different items are disjoint).
import { Bufs, Params } from './gen/bin_scatter';
import { binEvent, cells4, evQx, evQy, quantise4 } from './lib/binning';

// @ts-ignore: decorator
@inline function place(cur: usize, n: u32, ex: usize, ey: usize, ord: usize, nOrd: u32, qx: f32, qy: f32, i: u32): void {
  const j = load<u32>(cur);
  store<u32>(cur, j + 1);
  if (j < n) {
    const o = <usize>j << 2;
    store<f32>(ex + o, qx);
    store<f32>(ey + o, qy);
    if (j < nOrd) store<u32>(ord + o, i);
  }
}

export function bin_scatter(params: usize, bufs: usize): void {
  const P = changetype<Params>(params), B = changetype<Bufs>(bufs);
  const nx = P.nx, ny = P.ny, twoD = P.two_d == 1, x0 = P.x0, y0 = P.y0, sx = P.sx, sy = P.sy;
  const nc = nx * ny, n = P.n_events, words = P.hist_words, nOrd = P.order_words;
  const ix = B.in_x, iy = B.in_y, start = B.in_start;
  const ex = B.out_ev_x, ey = B.out_ev_y, ord = B.out_order, cursor = B.out_cursor;
  for (let l: u32 = 0; l < P.item_count; l++) {
    const g = P.item_offset + l, base = g * nc;
    if (base + nc > words) continue;
    const row = cursor + (<usize>base << 2);
    memory.copy(row, start + (<usize>base << 2), <usize>nc << 2);
    const a = g * P.chunk, b = min<u32>(n, a + P.chunk);
    let i = a;
    if (ASC_FEATURE_SIMD) {
      for (; i + 4 <= b; i += 4) {
        const o = <usize>i << 2;
        const qx = quantise4(v128.load(ix + o)), qy = twoD ? quantise4(v128.load(iy + o)) : f32x4.splat(0);
        const c = cells4(qx, qy, x0, y0, sx, sy, nx, ny, twoD);
        place(row + (<usize>i32x4.extract_lane(c, 0) << 2), n, ex, ey, ord, nOrd, f32x4.extract_lane(qx, 0), f32x4.extract_lane(qy, 0), i);
        place(row + (<usize>i32x4.extract_lane(c, 1) << 2), n, ex, ey, ord, nOrd, f32x4.extract_lane(qx, 1), f32x4.extract_lane(qy, 1), i + 1);
        place(row + (<usize>i32x4.extract_lane(c, 2) << 2), n, ex, ey, ord, nOrd, f32x4.extract_lane(qx, 2), f32x4.extract_lane(qy, 2), i + 2);
        place(row + (<usize>i32x4.extract_lane(c, 3) << 2), n, ex, ey, ord, nOrd, f32x4.extract_lane(qx, 3), f32x4.extract_lane(qy, 3), i + 3);
      }
    }
    for (; i < b; i++) {
      const o = <usize>i << 2;
      const c = binEvent(load<f32>(ix + o), load<f32>(iy + o), x0, y0, sx, sy, nx, ny, twoD);
      place(row + (<usize>c << 2), n, ex, ey, ord, nOrd, evQx, evQy, i);
    }
  }
}
