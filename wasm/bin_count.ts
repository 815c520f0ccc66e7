// bin_count, twin of kernels/bin_count/{ref.ts,bin_count.wgsl}: item g counts the events of its
// chunk per cell into its own row of hist (zeroed by the host). The SIMD build bins four events
// per step (wasm/lib/binning.ts quantise4, cells4: each lane the scalar operations).
import { Bufs, Params } from './gen/bin_count';
import { binEvent, cells4, quantise4 } from './lib/binning';

export function bin_count(params: usize, bufs: usize): void {
  const P = changetype<Params>(params), B = changetype<Bufs>(bufs);
  const nx = P.nx, ny = P.ny, twoD = P.two_d == 1, x0 = P.x0, y0 = P.y0, sx = P.sx, sy = P.sy;
  const nc = nx * ny, n = P.n_events, words = P.hist_words;
  const ix = B.in_x, iy = B.in_y, hist = B.out_hist;
  for (let l: u32 = 0; l < P.item_count; l++) {
    const g = P.item_offset + l, base = g * nc;
    if (base + nc > words) continue;
    const row = hist + (<usize>base << 2);
    const a = g * P.chunk, b = min<u32>(n, a + P.chunk);
    let i = a;
    if (ASC_FEATURE_SIMD) {
      for (; i + 4 <= b; i += 4) {
        const o = <usize>i << 2;
        const qx = quantise4(v128.load(ix + o)), qy = twoD ? quantise4(v128.load(iy + o)) : f32x4.splat(0);
        const c = cells4(qx, qy, x0, y0, sx, sy, nx, ny, twoD);
        let p = row + (<usize>i32x4.extract_lane(c, 0) << 2); store<u32>(p, load<u32>(p) + 1);
        p = row + (<usize>i32x4.extract_lane(c, 1) << 2); store<u32>(p, load<u32>(p) + 1);
        p = row + (<usize>i32x4.extract_lane(c, 2) << 2); store<u32>(p, load<u32>(p) + 1);
        p = row + (<usize>i32x4.extract_lane(c, 3) << 2); store<u32>(p, load<u32>(p) + 1);
      }
    }
    for (; i < b; i++) {
      const o = <usize>i << 2;
      const p = row + (<usize>binEvent(load<f32>(ix + o), load<f32>(iy + o), x0, y0, sx, sy, nx, ny, twoD) << 2);
      store<u32>(p, load<u32>(p) + 1);
    }
  }
}
