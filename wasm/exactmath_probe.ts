import { xdiv, xexp, xlog, xrecip, xsqrt } from './lib/exactmath';

// bufs: [in_x, in_y, out_r]; outputs per item: exp(x), log|x|, sqrt|x|, 1/x, x/y (bits)
export function exactmath_probe(params: usize, bufs: usize): void {
  const n = load<u32>(params, 4);
  const xs = <usize>load<u32>(bufs), ys = <usize>load<u32>(bufs, 4), out = <usize>load<u32>(bufs, 8);
  for (let l: u32 = 0; l < n; l++) {
    const x = load<f32>(xs + (<usize>l << 2)), y = load<f32>(ys + (<usize>l << 2));
    const ax = Mathf.abs(x);
    const o = out + <usize>l * 20;
    store<f32>(o, xexp(x));
    store<f32>(o, xlog(ax), 4);
    store<f32>(o, xsqrt(ax), 8);
    store<f32>(o, xrecip(x), 12);
    store<f32>(o, xdiv(x, y), 16);
  }
}
