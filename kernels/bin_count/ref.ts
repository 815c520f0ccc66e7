import type { RefKernel } from '../types.js';
import { eventCell, type BinCells } from '../lib/binning.js';

// TypeScript reference of bin_count (kernels/bin_count/desc.ts): item g counts the events of its
// chunk per cell into its own row of hist.

const asF32 = (w: Uint32Array) => new Float32Array(w.buffer, w.byteOffset, w.length);

/** Params after the header, as both binning kernels declare them (desc order). */
export interface BinParams extends BinCells { nEvents: number; chunk: number; histWords: number }

export function binParams(p: Uint32Array): BinParams {
  const f = asF32(p);
  return { x0: f[4], y0: f[5], sx: f[6], sy: f[7], nx: p[8], ny: p[9], twoD: p[10] === 1, nEvents: p[11], chunk: p[12], histWords: p[13] };
}

// params: [item_offset, item_count, opaque_zero, reserved, x0, y0, sx, sy, nx, ny, two_d, n_events, chunk, hist_words]
export const binCountRef: RefKernel = (p, [xw, yw], [hist]) => {
  const b = binParams(p), x = asF32(xw), y = asF32(yw), q = new Float64Array(2);
  const nc = b.nx * b.ny;
  for (let l = 0; l < p[1]; l++) {
    const g = p[0] + l, a = g * b.chunk, end = Math.min(b.nEvents, a + b.chunk), base = g * nc;
    for (let i = a; i < end; i++) {
      const k = base + eventCell(x, y, i, b, q);
      if (k < b.histWords) hist[k]++;
    }
  }
};
