// The packed form of an MLP that the `mlp` kernel reads (one shared u32 buffer, "net"), and the
// numeric guards that keep every intermediate finite and out of the subnormal range.
//
// Layout (u32 words; f32 values as bits), word offsets named by the MLP_H_* / MLP_L_* constants below:
//   [0] MLP_MAGIC   [1] n_in   [2] n_layers   [3] score_index (unit of the last layer's output)
//   [4] table_off   [5..7] 0
//   [8 .. 8+3 n_in)                  input affine: sub[n_in], mul[n_in], add[n_in]:
//                                    x' = guard(guard(guard(x) - sub) * mul) + add, then guard
//   [table_off .. + 8 n_layers)      per layer: n_in_l, n_out_l, act, alpha bits, w_off, b_off, 0, 0
//   weights W[o][i] (row-major, n_out_l x n_in_l) at w_off, biases b[o] at b_off
// These constants are the one source of the layout: the mlp desc passes MLP_CONSTANTS on, and the
// build generates them as WGSL `const` (host/wgsl.ts prelude) and AssemblyScript `const`
// (wasm/gen/mlp.ts), so kernels/mlp/mlp.wgsl and wasm/mlp.ts name every offset, never spell it.
//
// Per event and layer, unit o: acc = b[o]; for i = 0..n_in_l-1 (ascending): acc = acc + W[o][i] h[i]
// (each product and sum rounded to f32, never fused); a = guard(acc); h'[o] = guard(act(a)).
// The same order in kernels/mlp/ref.ts, kernels/mlp/mlp.wgsl and wasm/mlp.ts.
import { f32ToBits } from '../bits.js';

export const MLP_MAGIC = 0x4d4c5031; // 'MLP1'
/** Header words: magic, input width, layer count, score unit, word offset of the layer table. */
export const MLP_H_MAGIC = 0;
export const MLP_H_N_IN = 1;
export const MLP_H_N_LAYERS = 2;
export const MLP_H_SCORE = 3;
export const MLP_H_TABLE = 4;
/** Header length: the input affine (sub, mul, add; n_in words each) starts here. */
export const MLP_HEADER_WORDS = 8;
/** Words per layer-table entry, and each entry's fields. */
export const MLP_LAYER_WORDS = 8;
export const MLP_L_N_IN = 0;
export const MLP_L_N_OUT = 1;
export const MLP_L_ACT = 2;
export const MLP_L_ALPHA = 3;
export const MLP_L_W = 4;
export const MLP_L_B = 5;
/** Widest layer (and most input features) the kernels hold in their per-event scratch. */
export const MLP_MAX_WIDTH = 256;
export const MLP_MAX_LAYERS = 16;

/** What the kernels see of the layout (KernelDesc.constants: generated into WGSL and AssemblyScript). */
export const MLP_CONSTANTS = {
  MLP_MAGIC, MLP_H_MAGIC, MLP_H_N_IN, MLP_H_N_LAYERS, MLP_H_SCORE, MLP_H_TABLE, MLP_HEADER_WORDS,
  MLP_LAYER_WORDS, MLP_L_N_IN, MLP_L_N_OUT, MLP_L_ACT, MLP_L_ALPHA, MLP_L_W, MLP_L_B,
  MLP_MAX_WIDTH, MLP_MAX_LAYERS,
} as const;

export const ACT = { identity: 0, relu: 1, leakyrelu: 2, tanh: 3, sigmoid: 4, softmax: 5 } as const;
export type ActivationName = keyof typeof ACT;

/**
 * The guard applied to every input, pre-activation and activation: |v| < 2^-40 -> 0 and clamp
 * to [-2^64, 2^64]. With packed weights and biases also 0 or in [2^-40, 2^40] (packMlp flushes and
 * checks), every product is 0 or at least 2^-80 in magnitude, every sum a multiple of 2^-103, so
 * nothing is ever subnormal, and |acc| <= 256 * 2^40 * 2^64 + 2^40 < 2^113 never overflows.
 * Effect on a score: below 2^-40 * (sum of |W|) ~ 1e-12 per layer.
 */
export const GUARD_TINY = 2 ** -40;
export const GUARD_HUGE = 2 ** 64;
export const WEIGHT_MAX = 2 ** 40;

export interface PackLayer {
  readonly nIn: number;
  readonly nOut: number;
  /** Row-major [nOut][nIn]: W[o * nIn + i]. */
  readonly weights: ArrayLike<number>;
  readonly bias: ArrayLike<number>;
  readonly activation: ActivationName;
  /** LeakyRelu slope (0 < alpha <= 1). */
  readonly alpha?: number;
}

export interface PackModel {
  readonly nIn: number;
  /** Input affine (x - sub) * mul + add per feature; identity if absent. */
  readonly sub?: ArrayLike<number>;
  readonly mul?: ArrayLike<number>;
  readonly add?: ArrayLike<number>;
  readonly layers: readonly PackLayer[];
  readonly scoreIndex: number;
}

const bits = f32ToBits;

/** A weight as the kernel sees it: f32, |w| < 2^-40 flushed to 0; error if not finite or > 2^40. */
export function packWeight(v: number, what: string): number {
  const f = Math.fround(v);
  if (!Number.isFinite(f)) throw new RangeError(`${what} is not finite (${v})`);
  if (Math.abs(f) > WEIGHT_MAX) throw new RangeError(`${what} = ${v} exceeds 2^40 in magnitude (not supported)`);
  return Math.abs(f) < GUARD_TINY ? 0 : f;
}

/** Packs a model into the words the kernel reads. Checks shapes, widths, and value ranges. */
export function packMlp(m: PackModel): Uint32Array {
  const nl = m.layers.length;
  if (nl < 1 || nl > MLP_MAX_LAYERS) throw new RangeError(`MLP must have 1..${MLP_MAX_LAYERS} dense layers, has ${nl}`);
  if (!Number.isInteger(m.nIn) || m.nIn < 1 || m.nIn > MLP_MAX_WIDTH) throw new RangeError(`MLP input width ${m.nIn} outside 1..${MLP_MAX_WIDTH}`);
  let prev = m.nIn;
  let words = MLP_HEADER_WORDS + 3 * m.nIn + MLP_LAYER_WORDS * nl;
  m.layers.forEach((L, k) => {
    if (L.nIn !== prev) throw new RangeError(`layer ${k}: takes ${L.nIn} inputs but the previous stage gives ${prev}`);
    if (!Number.isInteger(L.nOut) || L.nOut < 1 || L.nOut > MLP_MAX_WIDTH) throw new RangeError(`layer ${k}: width ${L.nOut} outside 1..${MLP_MAX_WIDTH}`);
    if (L.weights.length !== L.nIn * L.nOut) throw new RangeError(`layer ${k}: ${L.weights.length} weights, expected ${L.nOut} x ${L.nIn}`);
    if (L.bias.length !== L.nOut) throw new RangeError(`layer ${k}: ${L.bias.length} biases, expected ${L.nOut}`);
    if (!(L.activation in ACT)) throw new RangeError(`layer ${k}: unknown activation '${L.activation}'`);
    if (L.activation === 'softmax' && k !== nl - 1) throw new RangeError(`layer ${k}: softmax is supported on the last layer only`);
    if (L.activation === 'leakyrelu') {
      const a = L.alpha ?? 0.01;
      if (!(a > 0 && a <= 1)) throw new RangeError(`layer ${k}: LeakyRelu alpha ${a} outside (0, 1]`);
    }
    prev = L.nOut;
    words += L.nIn * L.nOut + L.nOut;
  });
  if (!Number.isInteger(m.scoreIndex) || m.scoreIndex < 0 || m.scoreIndex >= prev) {
    throw new RangeError(`score index ${m.scoreIndex} outside the last layer's ${prev} outputs`);
  }
  const out = new Uint32Array(words);
  out[MLP_H_MAGIC] = MLP_MAGIC; out[MLP_H_N_IN] = m.nIn; out[MLP_H_N_LAYERS] = nl; out[MLP_H_SCORE] = m.scoreIndex;
  const table = MLP_HEADER_WORDS + 3 * m.nIn;
  out[MLP_H_TABLE] = table;
  for (let i = 0; i < m.nIn; i++) {
    out[MLP_HEADER_WORDS + i] = bits(packWeight(m.sub?.[i] ?? 0, `input shift ${i}`));
    out[MLP_HEADER_WORDS + m.nIn + i] = bits(packWeight(m.mul?.[i] ?? 1, `input scale ${i}`));
    out[MLP_HEADER_WORDS + 2 * m.nIn + i] = bits(packWeight(m.add?.[i] ?? 0, `input offset ${i}`));
  }
  let at = table + MLP_LAYER_WORDS * nl;
  m.layers.forEach((L, k) => {
    const t = table + MLP_LAYER_WORDS * k;
    out[t + MLP_L_N_IN] = L.nIn; out[t + MLP_L_N_OUT] = L.nOut; out[t + MLP_L_ACT] = ACT[L.activation];
    out[t + MLP_L_ALPHA] = bits(L.activation === 'leakyrelu' ? packWeight(L.alpha ?? 0.01, `layer ${k} alpha`) : 0);
    out[t + MLP_L_W] = at;
    for (let j = 0; j < L.weights.length; j++) out[at + j] = bits(packWeight(L.weights[j], `layer ${k} weight [${Math.floor(j / L.nIn)}][${j % L.nIn}]`));
    at += L.weights.length;
    out[t + MLP_L_B] = at;
    for (let j = 0; j < L.nOut; j++) out[at + j] = bits(packWeight(L.bias[j], `layer ${k} bias [${j}]`));
    at += L.nOut;
  });
  return out;
}

/** Checks a packed net before a kernel reads it (the kernels trust these words). */
export function checkPacked(net: Uint32Array): { nIn: number; nLayers: number; maxWidth: number } {
  if (net.length < MLP_HEADER_WORDS || net[MLP_H_MAGIC] !== MLP_MAGIC) throw new Error('not a packed MLP (bad magic word)');
  const nIn = net[MLP_H_N_IN], nl = net[MLP_H_N_LAYERS], table = net[MLP_H_TABLE];
  if (nIn < 1 || nIn > MLP_MAX_WIDTH || nl < 1 || nl > MLP_MAX_LAYERS || table + MLP_LAYER_WORDS * nl > net.length) throw new Error('packed MLP header is corrupt');
  let prev = nIn, maxWidth = nIn;
  for (let k = 0; k < nl; k++) {
    const t = table + MLP_LAYER_WORDS * k;
    const a = net[t + MLP_L_N_IN], b = net[t + MLP_L_N_OUT];
    if (a !== prev || b < 1 || b > MLP_MAX_WIDTH || net[t + MLP_L_ACT] > ACT.softmax || net[t + MLP_L_W] + a * b > net.length || net[t + MLP_L_B] + b > net.length) {
      throw new Error(`packed MLP layer ${k} is corrupt`);
    }
    prev = b;
    maxWidth = Math.max(maxWidth, b);
  }
  if (net[MLP_H_SCORE] >= prev) throw new Error('packed MLP score index is out of range');
  return { nIn, nLayers: nl, maxWidth };
}
