// The layout the `mlp_train` kernel reads and writes: one network's training state per item, and
// the numeric guards that keep every intermediate finite and out of the subnormal range.
//
// Item = one network (a dispatch may train several at once, e.g. one per mass range). Inputs:
//   shape  u32 [n_layers L, hidden activation (ACT.relu | ACT.tanh), n_0 = n_in, n_1, ..., n_L = 1]
//          (shared by every item; the last layer is one sigmoid unit)
//   x      f32 [rows][n_in]: standardised features, exactly what the model's input affine gives
//   yw     f32 [rows][2]: label (0 background, 1 signal) and the row's loss weight (> 0)
//   plan   u32: item a (absolute index) at a * steps * (batch + 1); per step [n_s, row_0 .. row_{batch-1}]:
//          the step's rows (n_s <= batch; n_s = 0: no step for this network)
//   state  f32 (MT_STATE_WORDS per item, as bits), the `trained` output the same:
//          [MT_S_T] Adam steps taken (u32)  [MT_S_B1T] beta1^t  [MT_S_B2T] beta2^t  [MT_S_P] parameter count P (u32)
//          [MT_HEADER ..) the parameters: per layer k, W_k row-major [n_{k+1}][n_k], then b_k [n_{k+1}]
//          then Adam's first moments m (P words), second moments v (P), the last step's summed gradient (P),
//          then zeros to MT_STATE_WORDS (the P words after the gradient: scratch of wasm/mlp_train.ts's
//          SIMD build, the weights transposed; zero again when a dispatch returns)
// Output `loss`: per step of this dispatch the weighted BCE summed over the step's rows (f32; 0 for no step).
//
// One step (kernels/mlp_train/ref.ts spells out each f32 operation; the twins follow it op by op):
//   per row in plan order: forward as the `mlp` kernel (acc = b; acc += W h ascending; a = guard(acc);
//   h' = guard(act(a)), sigmoid last), loss term, delta_L = dguard(w (p - y)), backward layer by
//   layer (gradient sums in row order, then deltas d_k[i] = dguard((sum_o W[o][i] d_{k+1}[o]) act'(h))),
//   then Adam (Kingma & Ba, ICLR 2015, Algorithm 1) on g / sum(w) + l2 W, every tiny product flushed (ftz).
import { GUARD_HUGE, GUARD_TINY, WEIGHT_MAX } from '../mlp/layout.js';

export { GUARD_HUGE, GUARD_TINY, WEIGHT_MAX };

/** Dense layers (hidden + the output unit) the kernel trains. */
export const MT_MAX_LAYERS = 5;
/** Widest layer (and most input features) the kernel holds in its per-row scratch. */
export const MT_MAX_WIDTH = 128;
/** Parameters (weights + biases) of one network. */
export const MT_MAX_PARAMS = 8192;
/** Steps one dispatch may take (the `loss` output's words per item). */
export const MT_MAX_STEPS = 256;
export const MT_S_T = 0;
export const MT_S_B1T = 1;
export const MT_S_B2T = 2;
export const MT_S_P = 3;
export const MT_HEADER = 8;
export const MT_STATE_WORDS = MT_HEADER + 5 * MT_MAX_PARAMS;
/** Word offsets in `shape`. */
export const MT_SH_LAYERS = 0;
export const MT_SH_ACT = 1;
export const MT_SH_WIDTHS = 2;

/** What the twins see of the layout (KernelDesc.constants). */
export const MLP_TRAIN_CONSTANTS = {
  MT_MAX_LAYERS, MT_MAX_WIDTH, MT_MAX_PARAMS, MT_MAX_STEPS, MT_S_T, MT_S_B1T, MT_S_B2T, MT_S_P, MT_HEADER,
  MT_STATE_WORDS, MT_SH_LAYERS, MT_SH_ACT, MT_SH_WIDTHS,
} as const;

/** Deltas are clamped to +-2^32 (with |h| <= 2^64 every gradient product stays below 2^96). */
export const DELTA_HUGE = 2 ** 32;
/** The averaged gradient is clamped to +-2^60 before Adam (so g^2 < 2^120). */
export const GRAD_HUGE = 2 ** 60;
/** Floor of the probability inside the loss's log (f32 of 1e-12). */
export const LOSS_FLOOR = Math.fround(1e-12);

/** Parameters of a network of these widths (n_0 .. n_L). */
export function paramCount(widths: readonly number[]): number {
  let p = 0;
  for (let k = 0; k + 1 < widths.length; k++) p += widths[k] * widths[k + 1] + widths[k + 1];
  return p;
}

/**
 * A network's state words before its first step: parameters (per layer W_k then b_k, f32), Adam's
 * moments 0, beta^0 = 1. The host's initial weights (engine/nn/train.ts) and the conformance cases.
 */
export function initState(widths: readonly number[], params: ArrayLike<number>): Uint32Array {
  const P = paramCount(widths);
  if (params.length !== P) throw new RangeError(`mlp_train: ${params.length} parameters for widths ${widths.join('-')} (expected ${P})`);
  if (P > MT_MAX_PARAMS) throw new RangeError(`mlp_train: ${P} parameters exceed the kernel's ${MT_MAX_PARAMS}`);
  const st = new Uint32Array(MT_STATE_WORDS), f = new Float32Array(st.buffer);
  st[MT_S_P] = P;
  f[MT_S_B1T] = 1;
  f[MT_S_B2T] = 1;
  f.set(params, MT_HEADER);
  return st;
}

/** The shape input: [L, hidden activation, widths...]; checks the kernel's limits. */
export function packShape(widths: readonly number[], hiddenAct: number): Uint32Array {
  const L = widths.length - 1;
  if (L < 1 || L > MT_MAX_LAYERS) throw new RangeError(`mlp_train: ${L} dense layers (the kernel trains 1..${MT_MAX_LAYERS})`);
  widths.forEach((w, k) => {
    if (!Number.isInteger(w) || w < 1 || w > MT_MAX_WIDTH) throw new RangeError(`mlp_train: layer width ${w} (position ${k}) outside 1..${MT_MAX_WIDTH}`);
  });
  if (widths[L] !== 1) throw new RangeError('mlp_train: the output layer is one sigmoid unit');
  return Uint32Array.from([L, hiddenAct, ...widths]);
}
