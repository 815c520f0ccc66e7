// bin_range, twin of kernels/bin_range/{ref.ts,bin_range.wgsl}: item g's smallest and largest
// ordered keys of its x and y f32 bits (the SIMD build takes four events per step: the same
// integer operations per lane, then the lanes' min / max).
import { Bufs, OUT_RANGE_STRIDE, Params } from './gen/bin_range';

// @ts-ignore: decorator
@inline function key(b: u32): u32 { return b ^ ((b >> 31) != 0 ? 0xffffffff : 0x80000000); }

// @ts-ignore: decorator
@inline function key4(v: v128): v128 { return v128.xor(v, v128.or(i32x4.shr_s(v, 31), i32x4.splat(0x80000000))); }

// @ts-ignore: decorator
@inline function lanesMin(v: v128): u32 {
  return min<u32>(min<u32>(i32x4.extract_lane(v, 0), i32x4.extract_lane(v, 1)), min<u32>(i32x4.extract_lane(v, 2), i32x4.extract_lane(v, 3)));
}

// @ts-ignore: decorator
@inline function lanesMax(v: v128): u32 {
  return max<u32>(max<u32>(i32x4.extract_lane(v, 0), i32x4.extract_lane(v, 1)), max<u32>(i32x4.extract_lane(v, 2), i32x4.extract_lane(v, 3)));
}

export function bin_range(params: usize, bufs: usize): void {
  const P = changetype<Params>(params), B = changetype<Bufs>(bufs);
  const n = P.n_events, chunk = P.chunk, twoD = P.two_d == 1;
  const ix = B.in_x, iy = B.in_y;
  for (let l: u32 = 0; l < P.item_count; l++) {
    const a = (P.item_offset + l) * chunk, b = min<u32>(n, a + chunk);
    let x0: u32 = 0xffffffff, x1: u32 = 0, y0: u32 = 0xffffffff, y1: u32 = 0;
    let i = a;
    if (ASC_FEATURE_SIMD) {
      let vx0 = i32x4.splat(-1), vx1 = i32x4.splat(0), vy0 = i32x4.splat(-1), vy1 = i32x4.splat(0);
      for (; i + 4 <= b; i += 4) {
        const o = <usize>i << 2;
        const kx = key4(v128.load(ix + o));
        vx0 = i32x4.min_u(vx0, kx); vx1 = i32x4.max_u(vx1, kx);
        if (twoD) {
          const ky = key4(v128.load(iy + o));
          vy0 = i32x4.min_u(vy0, ky); vy1 = i32x4.max_u(vy1, ky);
        }
      }
      x0 = lanesMin(vx0); x1 = lanesMax(vx1); y0 = lanesMin(vy0); y1 = lanesMax(vy1);
    }
    for (; i < b; i++) {
      const o = <usize>i << 2;
      const kx = key(load<u32>(ix + o));
      x0 = min<u32>(x0, kx); x1 = max<u32>(x1, kx);
      if (twoD) {
        const ky = key(load<u32>(iy + o));
        y0 = min<u32>(y0, ky); y1 = max<u32>(y1, ky);
      }
    }
    const r = B.out_range + <usize>l * OUT_RANGE_STRIDE;
    store<u32>(r, x0); store<u32>(r, x1, 4); store<u32>(r, y0, 8); store<u32>(r, y1, 12);
  }
}
