import type { RefKernel } from '../types.js';

// TypeScript reference of bin_range (kernels/bin_range/desc.ts): item g's min and max keys of x
// and y over its chunk of events.

/** Ordered key of f32 bits b: unsigned comparison of keys orders the values (negatives flipped whole, positives above). */
export function f32Key(b: number): number {
  return (b ^ (b >>> 31 ? 0xffffffff : 0x80000000)) >>> 0;
}

/** The f32 bits of a key (f32Key's inverse). */
export function keyBits(k: number): number {
  return (k >>> 31 ? k ^ 0x80000000 : ~k) >>> 0;
}

// params: [item_offset, item_count, opaque_zero, reserved, n_events, chunk, two_d]
export const binRangeRef: RefKernel = (p, [x, y], [range]) => {
  const n = p[4], chunk = p[5], twoD = p[6] === 1;
  for (let l = 0; l < p[1]; l++) {
    const a = (p[0] + l) * chunk, end = Math.min(n, a + chunk);
    let x0 = 0xffffffff, x1 = 0, y0 = 0xffffffff, y1 = 0;
    for (let i = a; i < end; i++) {
      const k = f32Key(x[i]);
      if (k < x0) x0 = k;
      if (k > x1) x1 = k;
      if (twoD) {
        const ky = f32Key(y[i]);
        if (ky < y0) y0 = ky;
        if (ky > y1) y1 = ky;
      }
    }
    range[4 * l] = x0; range[4 * l + 1] = x1; range[4 * l + 2] = y0; range[4 * l + 3] = y1;
  }
};
