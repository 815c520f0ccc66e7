import type { RefKernel } from '../types.js';
import { bitsToF32, f32ToBits, xdiv, xexp, xlog, xrecip, xsqrt } from '../lib/exactmath.js';

/** Outputs per item, in order: exp(x), log|x|, sqrt|x|, 1/x, x/y (bits). */
export const exactmathProbeRef: RefKernel = (p, [xs, ys], [out]) => {
  const n = p[1];
  for (let l = 0; l < n; l++) {
    const x = bitsToF32(xs[l]), y = bitsToF32(ys[l]), ax = Math.abs(x);
    out[5 * l] = f32ToBits(xexp(x));
    out[5 * l + 1] = f32ToBits(xlog(ax));
    out[5 * l + 2] = f32ToBits(xsqrt(ax));
    out[5 * l + 3] = f32ToBits(xrecip(x));
    out[5 * l + 4] = f32ToBits(xdiv(x, y));
  }
};
