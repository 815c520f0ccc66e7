// The window_count kernel's WebGL2 version (host/gpujs.ts). gpu.js textures hold f32, so every
// value crossing the CPU/GPU boundary is a float the kernel already treats as f32 (quantised
// coordinates, window centres and 1/a^2) or an integer below 2^24 (cell offsets, fixed-point
// weights, counts, limbs), exact in f32; weight sums are exact: base-2^12 limbs held in f32,
// carried after every addition. GLSL in window_count.glsl.
import type { WebGl2Kernel } from '../types.js';
import { bitsToF32 } from '../bits.js';
import glsl from './window_count.glsl?raw';

/* The window-count kernel in gpu.js's JavaScript subset (translated to GLSL). Two threads per
   window: part 0 returns [n, sum_w lo24, sum_w hi24, 0], part 1 [sum_w2 limbs 0..2 of 24 bits, 0].
   Weights w < 2^24 are split as w = wh 2^12 + wl; sums are held in base-2^12 limbs (a*, q*),
   each < 2^24 after every carry, so every f32 operation below is exact. */
function windowCountKernel(
  this: { thread: { x: number }; constants: { loopMax: number } },
  win: number[], ex: number[], ey: number[], ew: number[], off: number[], nx: number, weighted: number, z: number,
): number[] {
  const t = this.thread.x;
  const l = Math.floor(t / 2);
  const part = t - l * 2;
  const o = l * 8;
  const cx = win[o], cy = win[o + 1], ia = win[o + 2], ib = win[o + 3];
  const c0 = win[o + 4], c1 = win[o + 5], r0 = win[o + 6], r1 = win[o + 7];
  let n = 0;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  let q0 = 0, q1 = 0, q2 = 0, q3 = 0, q4 = 0, q5 = 0;
  if (c0 <= c1) {
    for (let r = r0; r <= r1; r++) {
      const ja = off[r * nx + c0];
      const jb = off[r * nx + c1 + 1];
      for (let j = ja; j < jb; j++) {
        if (dsInside(ex[j], ey[j], cx, cy, ia, ib, z) > 0.5) {
          n = n + 1;
          if (weighted > 0.5) {
            const w = ew[j];
            const wh = Math.floor(w / 4096);
            const wl = w - wh * 4096;
            // sum_w += w (limbs a0..a3)
            a0 = a0 + wl;
            let c = Math.floor(a0 / 4096); a0 = a0 - c * 4096; a1 = a1 + wh + c;
            c = Math.floor(a1 / 4096); a1 = a1 - c * 4096; a2 = a2 + c;
            c = Math.floor(a2 / 4096); a2 = a2 - c * 4096; a3 = a3 + c;
            // sum_w2 += wl^2 + 2 wl wh 2^12 + wh^2 2^24 (limbs q0..q5)
            q0 = q0 + wl * wl;
            c = Math.floor(q0 / 4096); q0 = q0 - c * 4096; q1 = q1 + c + wl * wh;
            c = Math.floor(q1 / 4096); q1 = q1 - c * 4096; q2 = q2 + c;
            q1 = q1 + wl * wh;
            c = Math.floor(q1 / 4096); q1 = q1 - c * 4096; q2 = q2 + c + wh * wh;
            c = Math.floor(q2 / 4096); q2 = q2 - c * 4096; q3 = q3 + c;
            c = Math.floor(q3 / 4096); q3 = q3 - c * 4096; q4 = q4 + c;
            c = Math.floor(q4 / 4096); q4 = q4 - c * 4096; q5 = q5 + c;
          }
        }
      }
    }
  }
  if (part < 0.5) return [n, a0 + a1 * 4096, a2 + a3 * 4096, 0];
  return [q0 + q1 * 4096, q2 + q3 * 4096, q4 + q5 * 4096, 0];
}
declare function dsInside(x: number, y: number, cx: number, cy: number, ia: number, ib: number, z: number): number;

const T24 = 16777216;

export const windowCountWebgl2: WebGl2Kernel = {
  glsl,
  threadsPerItem: 2,
  kernel: windowCountKernel,
  settings: {
    dynamicArguments: true, loopMaxIterations: 1 << 24,
    argumentTypes: { win: 'Array', ex: 'Array', ey: 'Array', ew: 'Array', off: 'Array', nx: 'Float', weighted: 'Float', z: 'Float' },
  },
  // params: [item_offset, item_count, opaque_zero, reserved, nx, weighted]; inputs: win, ev_x, ev_y, ev_w, cell_off
  encode: (p, [win, ex, ey, ew, off], a, n) => {
    const w = new Float32Array(8 * n);
    for (let i = 0; i < n; i++) {
      const o = 8 * (a + i);
      for (let j = 0; j < 4; j++) w[8 * i + j] = bitsToF32(win[o + j]);
      for (let j = 4; j < 8; j++) {
        if (win[o + j] >= 1 << 24) throw new RangeError(`window ${a + i}: cell index ${win[o + j]} is not below 2^24`);
        w[8 * i + j] = win[o + j];
      }
    }
    const fx = new Float32Array(ex.buffer, ex.byteOffset, ex.length), fy = new Float32Array(ey.buffer, ey.byteOffset, ey.length);
    const weighted = p[5] !== 0;
    const fw = new Float32Array(Math.max(1, weighted ? ew.length : 1));
    if (weighted) for (let i = 0; i < ew.length; i++) {
      if (ew[i] >= 1 << 24) throw new RangeError(`ev_w, event ${i}: weight ${ew[i]} is not below 2^24`);
      fw[i] = ew[i];
    }
    const fo = new Float32Array(off.length);
    for (let i = 0; i < off.length; i++) {
      if (off[i] >= 1 << 24) throw new RangeError(`cell_off ${i}: ${off[i]} events: the webgl2 backend takes samples below 2^24 events`);
      fo[i] = off[i];
    }
    return [w, fx, fy, fw, fo, p[4], weighted ? 1 : 0, p[2]];
  },
  decode: (raw, [sums], a, n) => {
    const M = 0xffffffffn;
    for (let i = 0; i < n; i++) {
      const A = 8 * i, B = 8 * i + 4, o = 6 * (a + i);
      const sw = BigInt(raw[A + 1]) + BigInt(raw[A + 2]) * BigInt(T24);
      const sq = BigInt(raw[B]) + BigInt(raw[B + 1]) * BigInt(T24) + BigInt(raw[B + 2]) * BigInt(T24) ** 2n;
      sums[o] = raw[A];
      sums[o + 1] = Number(sw & M);
      sums[o + 2] = Number((sw >> 32n) & M);
      sums[o + 3] = Number(sq & M);
      sums[o + 4] = Number((sq >> 32n) & M);
      sums[o + 5] = Number((sq >> 64n) & M);
    }
  },
};
