import type { RefKernel } from '../types.js';
import { bitsToF32, f32ToBits, ftz, xexp, xrecip } from '../lib/exactmath.js';
import { activate, guard } from '../lib/activation.js';
import {
  ACT, MLP_H_N_IN, MLP_H_N_LAYERS, MLP_H_SCORE, MLP_H_TABLE, MLP_HEADER_WORDS,
  MLP_L_ACT, MLP_L_ALPHA, MLP_L_B, MLP_L_N_IN, MLP_L_N_OUT, MLP_L_W, MLP_LAYER_WORDS, MLP_MAX_WIDTH,
} from './layout.js';

// TypeScript reference of the `mlp` kernel (layout and operation order: kernels/mlp/layout.ts).
// Twins: kernels/mlp/mlp.wgsl, wasm/mlp.ts.

const fr = Math.fround;

export { activate, guard, xsigmoid, xtanh } from '../lib/activation.js';

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
