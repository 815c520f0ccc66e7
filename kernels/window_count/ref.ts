import type { RefKernel } from '../types.js';
import { bitsToF32 } from '../bits.js';
import {
  OUT_WORDS, SUM_N, SUM_W2_HI, SUM_W2_LO, SUM_W2_MID, SUM_W_HI, SUM_W_LO, WIN_COL0, WIN_COL1, WIN_CX, WIN_CY, WIN_IAX2, WIN_IAY2,
  WIN_ROW0, WIN_ROW1, WIN_WORDS,
} from './layout.js';

// TypeScript reference of window_count (see layout.ts for the record layout and membership rule).
// Every f32 operation is rounded with Math.fround; integer sums are exact (no order dependence).

const asF32 = bitsToF32;

/** f32 membership test: ((x - cx)^2 * iax2) + ((y - cy)^2 * iay2) <= 1, each op rounded to f32. */
export function inside(x: number, y: number, cx: number, cy: number, iax2: number, iay2: number): boolean {
  const dx = Math.fround(x - cx), dy = Math.fround(y - cy);
  const qx = Math.fround(Math.fround(dx * dx) * iax2), qy = Math.fround(Math.fround(dy * dy) * iay2);
  return Math.fround(qx + qy) <= 1;
}

/** Accumulator: n, sum_w (2 words), sum_w2 (3 words), exact for w < 2^24. */
class Acc {
  n = 0; w0 = 0; w1 = 0; q0 = 0; q1 = 0; q2 = 0;
  add(w: number): void {
    this.n = (this.n + 1) >>> 0;
    const s = this.w0 + w; // < 2^33: exact
    this.w0 = s >>> 0;
    this.w1 = (this.w1 + (s >= 0x100000000 ? 1 : 0)) >>> 0;
    const t = this.q0 + w * w; // w^2 < 2^48: exact in a double
    this.q0 = t % 0x100000000;
    const m = this.q1 + Math.floor(t / 0x100000000);
    this.q1 = m % 0x100000000;
    this.q2 = (this.q2 + Math.floor(m / 0x100000000)) >>> 0;
  }
  store(out: Uint32Array, o: number): void {
    out[o + SUM_N] = this.n; out[o + SUM_W_LO] = this.w0; out[o + SUM_W_HI] = this.w1;
    out[o + SUM_W2_LO] = this.q0; out[o + SUM_W2_MID] = this.q1; out[o + SUM_W2_HI] = this.q2;
  }
}

// params: [item_offset, item_count, opaque_zero, reserved, nx, weighted]
// inputs: [win (8/window), ev_x, ev_y, ev_w, cell_off]; outputs: [sums (6/window)]
export const windowCountRef: RefKernel = (p, [win, ex, ey, ew, off], [out]) => {
  const n = p[1], nx = p[4], weighted = p[5] !== 0;
  const X = new Float32Array(ex.buffer, ex.byteOffset, ex.length), Y = new Float32Array(ey.buffer, ey.byteOffset, ey.length);
  for (let l = 0; l < n; l++) {
    const o = l * WIN_WORDS;
    const cx = asF32(win[o + WIN_CX]), cy = asF32(win[o + WIN_CY]), ia = asF32(win[o + WIN_IAX2]), ib = asF32(win[o + WIN_IAY2]);
    const c0 = win[o + WIN_COL0], c1 = win[o + WIN_COL1], r0 = win[o + WIN_ROW0], r1 = win[o + WIN_ROW1];
    const acc = new Acc();
    if (c0 <= c1) {
      for (let r = r0; r <= r1; r++) {
        const a = off[r * nx + c0], b = off[r * nx + c1 + 1];
        for (let j = a; j < b; j++) if (inside(X[j], Y[j], cx, cy, ia, ib)) acc.add(weighted ? ew[j] : 0);
      }
    }
    acc.store(out, l * OUT_WORDS);
  }
};

/** Brute force: every event against every window, ignoring the cells. The tests' and bench's baseline. */
export function windowCountBrute(win: Uint32Array, x: Float32Array, y: Float32Array, w: Uint32Array | undefined, nEvents = x.length): Uint32Array {
  const m = win.length / WIN_WORDS;
  const out = new Uint32Array(m * OUT_WORDS);
  for (let l = 0; l < m; l++) {
    const o = l * WIN_WORDS;
    const cx = asF32(win[o + WIN_CX]), cy = asF32(win[o + WIN_CY]), ia = asF32(win[o + WIN_IAX2]), ib = asF32(win[o + WIN_IAY2]);
    const acc = new Acc();
    for (let j = 0; j < nEvents; j++) if (inside(x[j], y[j], cx, cy, ia, ib)) acc.add(w ? w[j] : 0);
    acc.store(out, l * OUT_WORDS);
  }
  return out;
}
