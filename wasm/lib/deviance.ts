// Twin of kernels/lib/deviance.ts: the Poisson deviance in f32 (the toys kernel's f32x4 twin
// devF32_4 shares DEV_POLY).
import { F, ftz, horner, xdiv, xlog } from './exactmath';

// d - ln(1 + d) = d^2 (1/2 - d/3 + d^2/4 - ...), |d| < 0.1: coefficients, highest order first.
export const DEV_POLY = memory.data<u32>([
  0x3dcccccd, 0xbde38e39, 0x3e000000, 0xbe124925, 0x3e2aaaab, 0xbe4ccccd, 0x3e800000, 0xbeaaaaab, 0x3f000000,
]);

export function devF32(n: f32, lam: f32): f32 {
  if (n == 0.0) return <f32>2.0 * lam;
  if (!(lam > 0.0)) return F(0x7e967699);
  const d = xdiv(lam - n, n);
  let g: f32;
  if (Mathf.abs(d) < 0.1) {
    const p = horner(d, DEV_POLY, 9);
    g = ftz(d * d) * p;
  } else {
    g = d - xlog(xdiv(lam, n));
  }
  return (<f32>2.0 * n) * g;
}
