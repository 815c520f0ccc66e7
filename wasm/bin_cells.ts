// bin_cells, twin of kernels/bin_cells/{ref.ts,bin_cells.wgsl}: per event, the quantised
// coordinates and the binning cell, from exact f32 operations only.
import { Bufs, Params } from './gen/bin_cells';

// @ts-ignore: decorator
@inline function quantise(v: f32): f32 {
  const t = v * <f32>16777216.0; // a power of two: exact
  if (Mathf.abs(t) >= <f32>8388608.0) return v;
  const f = Mathf.floor(t);
  const k: f32 = t >= f + <f32>0.5 ? f + <f32>1.0 : f;
  if (k == 0) return reinterpret<f32>(reinterpret<u32>(v) & 0x80000000);
  return k * <f32>5.9604644775390625e-8;
}

// @ts-ignore: decorator
@inline function cellOf(q: f32, q0: f32, s: f32, n: u32): u32 {
  const t = Mathf.floor((q - q0) * s);
  return <u32>Mathf.min(Mathf.max(t, 0), <f32>(n - 1));
}

export function bin_cells(params: usize, bufs: usize): void {
  const P = changetype<Params>(params), B = changetype<Bufs>(bufs);
  const n = P.item_count, nx = P.nx, ny = P.ny, twoD = P.two_d == 1;
  const x0 = P.x0, y0 = P.y0, sx = P.sx, sy = P.sy;
  const ix = B.in_x, iy = B.in_y, ox = B.out_qx, oy = B.out_qy, oc = B.out_cell;
  for (let l: u32 = 0; l < n; l++) {
    const o = <usize>l << 2;
    const a = quantise(load<f32>(ix + o));
    let b: f32 = 0;
    let row: u32 = 0;
    if (twoD) {
      b = quantise(load<f32>(iy + o));
      row = cellOf(b, y0, sy, ny);
    }
    store<f32>(ox + o, a);
    store<f32>(oy + o, b);
    store<u32>(oc + o, row * nx + cellOf(a, x0, sx, nx));
  }
}
