// The MLP kernels' activations and guard (mlp, mlp_train): twins of kernels/lib/activation.ts.
import { F, ftz, xexp, xrecip } from './exactmath';

export const TINY: f32 = 9.094947017729282e-13; // 2^-40
export const HUGE: f32 = 18446744073709551616.0; // 2^64

// @ts-ignore: decorator
@inline export function guard(v: f32): f32 {
  if (Mathf.abs(v) < TINY) return 0.0;
  return v < -HUGE ? -HUGE : v > HUGE ? HUGE : v;
}

export function xtanh(x: f32): f32 {
  const z = Mathf.abs(x);
  if (z > 44.0) return x < 0.0 ? -1.0 : 1.0;
  if (z >= 0.625) {
    const e = xexp(z + z);
    const r: f32 = 1.0 - 2.0 * xrecip(e + 1.0);
    return x < 0.0 ? -r : r;
  }
  const s = ftz(x * x);
  let p = F(0xbbbaf0ea) * s + F(0x3ca9134e);
  p = p * s + F(0xbd5c1e2d);
  p = p * s + F(0x3e088393);
  p = p * s + F(0xbeaaaa99);
  return x + ftz((p * s) * x);
}

export function activate(act: u32, alpha: f32, a: f32): f32 {
  if (act == 1) return a > 0.0 ? a : 0.0;
  if (act == 2) return a < 0.0 ? alpha * a : a;
  if (act == 3) return xtanh(a);
  if (act == 4) return xrecip(1.0 + xexp(-a));
  return a;
}

