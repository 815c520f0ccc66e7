// The Poisson deviance in f32 with exact math: shared by the toys and fit kernels.
// Twins: kernels/lib/deviance.wgsl, wasm/lib/deviance.ts (same operations in the same order).
import { bitsToF32 as F, ftz, xdiv, xlog } from './exactmath.js';

const fr = Math.fround;
// d - ln(1 + d) = d^2 sum_i (-1)^i d^i / (i + 2), i = 0..8 (Taylor series)
const G = [0x3f000000, 0xbeaaaaab, 0x3e800000, 0xbe4ccccd, 0x3e2aaaab, 0xbe124925, 0x3e000000, 0xbde38e39, 0x3dcccccd].map(F);
const BIG = F(0x7e967699); // 1e38: deviance of an impossible count (lambda = 0, n > 0)

/** Poisson deviance 2 [lam - n + n ln(n / lam)] in f32 (series for |lam / n - 1| < 0.1). */
export function devF32(n: number, lam: number): number {
  if (n === 0) return fr(2 * lam);
  if (!(lam > 0)) return BIG;
  const d = xdiv(fr(lam - n), n);
  let g: number;
  if (Math.abs(d) < 0.1) {
    let p = G[8];
    for (let i = 7; i >= 0; i--) p = fr(fr(p * d) + G[i]);
    g = fr(ftz(fr(d * d)) * p);
  } else {
    g = fr(d - xlog(xdiv(lam, n)));
  }
  return fr(fr(2 * n) * g);
}

