// exactmath: twin of kernels/exactmath/{ref.ts,exactmath.wgsl}, the probe of the engine's own
// elementary functions. The SIMD build computes four items per step with the f32x4 twins
// (wasm/lib/exactmath4.ts), so the conformance cases sweep those against the reference too.
import { xdiv, xexp, xlog, xrecip, xsqrt } from './lib/exactmath';
import { xdiv4, xexp4, xlog4, xrecip4, xsqrt4 } from './lib/exactmath4';
import { Bufs, OUT_R_STRIDE, Params } from './gen/exactmath';

// @ts-ignore: decorator
@inline function storeLanes(o: usize, at: usize, v: v128): void {
  store<u32>(o + at, i32x4.extract_lane(v, 0));
  store<u32>(o + at + OUT_R_STRIDE, i32x4.extract_lane(v, 1));
  store<u32>(o + at + 2 * OUT_R_STRIDE, i32x4.extract_lane(v, 2));
  store<u32>(o + at + 3 * OUT_R_STRIDE, i32x4.extract_lane(v, 3));
}

// Outputs per item: exp(x), log|x|, sqrt|x|, 1/x, x/y (bits).
export function exactmath(params: usize, bufs: usize): void {
  const P = changetype<Params>(params), B = changetype<Bufs>(bufs);
  const n = P.item_count;
  const xs = B.in_x, ys = B.in_y, out = B.out_r;
  let l: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    for (; l + 4 <= n; l += 4) {
      const x = v128.load(xs + (<usize>l << 2)), y = v128.load(ys + (<usize>l << 2));
      const ax = f32x4.abs(x);
      const o = out + <usize>l * OUT_R_STRIDE;
      storeLanes(o, 0, xexp4(x));
      storeLanes(o, 4, xlog4(ax));
      storeLanes(o, 8, xsqrt4(ax));
      storeLanes(o, 12, xrecip4(x));
      storeLanes(o, 16, xdiv4(x, y));
    }
  }
  for (; l < n; l++) {
    const x = load<f32>(xs + (<usize>l << 2)), y = load<f32>(ys + (<usize>l << 2));
    const ax = Mathf.abs(x);
    const o = out + <usize>l * OUT_R_STRIDE;
    store<f32>(o, xexp(x));
    store<f32>(o, xlog(ax), 4);
    store<f32>(o, xsqrt(ax), 8);
    store<f32>(o, xrecip(x), 12);
    store<f32>(o, xdiv(x, y), 16);
  }
}
