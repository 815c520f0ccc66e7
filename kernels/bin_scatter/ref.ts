import type { RefKernel } from '../types.js';
import { binParams } from '../bin_count/ref.js';
import { eventCell } from '../lib/binning.js';

// TypeScript reference of bin_scatter (kernels/bin_scatter/desc.ts): item g's cursor row from
// start's row g, then its events, in order, each to its cell's next slot.

const asF32 = (w: Uint32Array) => new Float32Array(w.buffer, w.byteOffset, w.length);

// params: [item_offset, item_count, opaque_zero, reserved, x0, y0, sx, sy, nx, ny, two_d, n_events, chunk, hist_words, order_words]
// outputs (scatter targets): ev_x, ev_y (n_events), order (order_words), cursor (hist_words)
export const binScatterRef: RefKernel = (p, [xw, yw, start], [ex, ey, order, cursor]) => {
  const b = binParams(p), x = asF32(xw), y = asF32(yw), qx = asF32(ex), qy = asF32(ey), q = new Float64Array(2);
  const nc = b.nx * b.ny;
  for (let l = 0; l < p[1]; l++) {
    const g = p[0] + l, base = g * nc;
    if (base + nc > b.histWords) continue;
    for (let c = 0; c < nc; c++) cursor[base + c] = start[base + c];
    const a = g * b.chunk, end = Math.min(b.nEvents, a + b.chunk);
    for (let i = a; i < end; i++) {
      const k = base + eventCell(x, y, i, b, q);
      const j = cursor[k]++;
      if (j < b.nEvents) {
        qx[j] = q[0]; qy[j] = q[1];
        if (j < p[14]) order[j] = i;
      }
    }
  }
};
