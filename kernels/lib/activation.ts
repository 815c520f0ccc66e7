// The MLP kernels' activations and guard (mlp, mlp_train), from exact operations only.
// Twins: kernels/lib/activation.wgsl, wasm/lib/activation.ts.
import { bitsToF32, ftz, xexp, xrecip } from './exactmath.js';
import { ACT, GUARD_HUGE, GUARD_TINY } from '../mlp/layout.js';

const fr = Math.fround;

/** |v| < 2^-40 -> +0, clamp to [-2^64, 2^64] (layout.ts explains why). */
export function guard(v: number): number {
  if (Math.abs(v) < GUARD_TINY) return 0;
  return v < -GUARD_HUGE ? -GUARD_HUGE : v > GUARD_HUGE ? GUARD_HUGE : v;
}

// Cephes tanhf (S. L. Moshier) coefficients, as f32 bit patterns shared with the twins.
const T4 = bitsToF32(0xbbbaf0ea); // -5.70498872745e-3
const T3 = bitsToF32(0x3ca9134e); // 2.06390887954e-2
const T2 = bitsToF32(0xbd5c1e2d); // -5.37397155531e-2
const T1 = bitsToF32(0x3e088393); // 1.33314422036e-1
const T0 = bitsToF32(0xbeaaaa99); // -3.33332819422e-1

/** tanh from exact ops: Cephes tanhf. |x| >= 0.625: 1 - 2 / (e^{2|x|} + 1); below: odd polynomial. */
export function xtanh(x: number): number {
  const z = Math.abs(x);
  if (z > 44) return x < 0 ? -1 : 1; // 1 - tanh(44) < 1e-38
  if (z >= 0.625) {
    const e = xexp(fr(z + z));
    const r = fr(1 - fr(2 * xrecip(fr(e + 1))));
    return x < 0 ? -r : r;
  }
  const s = ftz(fr(x * x));
  let p = fr(fr(T4 * s) + T3);
  p = fr(fr(p * s) + T2);
  p = fr(fr(p * s) + T1);
  p = fr(fr(p * s) + T0);
  return fr(x + ftz(fr(fr(p * s) * x)));
}

/** 1 / (1 + e^{-x}) from exact ops. */
export function xsigmoid(x: number): number {
  return xrecip(fr(1 + xexp(-x)));
}

/** Activation of one guarded pre-activation (not softmax). */
export function activate(act: number, alpha: number, a: number): number {
  switch (act) {
    case ACT.relu: return a > 0 ? a : 0;
    case ACT.leakyrelu: return a < 0 ? fr(alpha * a) : a;
    case ACT.tanh: return xtanh(a);
    case ACT.sigmoid: return xsigmoid(a);
    default: return a;
  }
}
