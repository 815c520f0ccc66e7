import type { RefKernel } from '../types.js';
import { bitsToF32, f32ToBits, ftz, xexp, xrecip } from '../lib/exactmath.js';
import {
  ACT, GUARD_HUGE, GUARD_TINY, MLP_H_N_IN, MLP_H_N_LAYERS, MLP_H_SCORE, MLP_H_TABLE, MLP_HEADER_WORDS,
  MLP_L_ACT, MLP_L_ALPHA, MLP_L_B, MLP_L_N_IN, MLP_L_N_OUT, MLP_L_W, MLP_LAYER_WORDS, MLP_MAX_WIDTH,
} from './layout.js';

// TypeScript reference of the `mlp` kernel (layout and operation order: kernels/mlp/layout.ts).
// Twins: kernels/mlp/mlp.wgsl, wasm/mlp.ts.

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

/** Scores one event (features at x[row * n_in ..]) with a packed net; h0, h1: scratch. */
export function mlpScore(net: Uint32Array, x: Uint32Array, row: number, h0: Float32Array, h1: Float32Array): number {
  const nIn = net[MLP_H_N_IN], nl = net[MLP_H_N_LAYERS], table = net[MLP_H_TABLE];
  const base = row * nIn;
  for (let i = 0; i < nIn; i++) {
    const sub = bitsToF32(net[MLP_HEADER_WORDS + i]);
    const mul = bitsToF32(net[MLP_HEADER_WORDS + nIn + i]);
    const add = bitsToF32(net[MLP_HEADER_WORDS + 2 * nIn + i]);
    const d = guard(fr(guard(bitsToF32(x[base + i])) - sub));
    h0[i] = guard(fr(guard(fr(d * mul)) + add));
  }
  let h = h0, g = h1;
  for (let k = 0; k < nl; k++) {
    const t = table + MLP_LAYER_WORDS * k;
    const ni = net[t + MLP_L_N_IN], no = net[t + MLP_L_N_OUT], act = net[t + MLP_L_ACT];
    const alpha = bitsToF32(net[t + MLP_L_ALPHA]), w = net[t + MLP_L_W], b = net[t + MLP_L_B];
    for (let o = 0; o < no; o++) {
      let acc = bitsToF32(net[b + o]);
      const row0 = w + o * ni;
      for (let i = 0; i < ni; i++) acc = fr(acc + fr(bitsToF32(net[row0 + i]) * h[i]));
      g[o] = guard(acc);
    }
    if (act === ACT.softmax) {
      let m = g[0];
      for (let o = 1; o < no; o++) m = g[o] > m ? g[o] : m;
      let s = 0;
      for (let o = 0; o < no; o++) {
        g[o] = xexp(fr(g[o] - m));
        s = fr(s + g[o]);
      }
      const r = xrecip(s);
      for (let o = 0; o < no; o++) g[o] = guard(ftz(fr(g[o] * r)));
    } else {
      for (let o = 0; o < no; o++) g[o] = guard(activate(act, alpha, g[o]));
    }
    const tmp = h; h = g; g = tmp;
  }
  return h[net[MLP_H_SCORE]];
}

// inputs: [net (shared u32), x (shared f32, row = absolute item index)]; output: score (f32 bits).
export const mlpRef: RefKernel = (p, [net, x], [out]) => {
  const off = p[0], n = p[1];
  const h0 = new Float32Array(MLP_MAX_WIDTH), h1 = new Float32Array(MLP_MAX_WIDTH);
  for (let l = 0; l < n; l++) out[l] = f32ToBits(mlpScore(net, x, off + l, h0, h1));
};
