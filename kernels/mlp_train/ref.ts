import type { RefKernel } from '../types.js';
import { bitsToF32, ftz, xdiv, xlog, xrecip, xsqrt } from '../lib/exactmath.js';
import { ACT } from '../mlp/layout.js';
import { guard, xsigmoid, xtanh } from '../lib/activation.js';
import {
  DELTA_HUGE, GRAD_HUGE, GUARD_TINY, LOSS_FLOOR, MT_HEADER, MT_MAX_STEPS, MT_MAX_WIDTH, MT_S_B1T, MT_S_B2T,
  MT_S_P, MT_S_T, MT_SH_ACT, MT_SH_LAYERS, MT_SH_WIDTHS, MT_STATE_WORDS, WEIGHT_MAX,
} from './layout.js';

// TypeScript reference of the `mlp_train` kernel (layout and the step: kernels/mlp_train/layout.ts).
// Twins: kernels/mlp_train/mlp_train.wgsl, wasm/mlp_train.ts: the same f32 operations in the same order.

const fr = Math.fround;

/** A delta: |v| < 2^-40 -> +0, clamped to +-2^32. */
export function dguard(v: number): number {
  if (Math.abs(v) < GUARD_TINY) return 0;
  return v < -DELTA_HUGE ? -DELTA_HUGE : v > DELTA_HUGE ? DELTA_HUGE : v;
}

/** A parameter after its update: |v| < 2^-40 -> +0 (as packMlp flushes), clamped to +-2^40. */
export function wguard(v: number): number {
  if (Math.abs(v) < GUARD_TINY) return 0;
  return v < -WEIGHT_MAX ? -WEIGHT_MAX : v > WEIGHT_MAX ? WEIGHT_MAX : v;
}

function clampGrad(v: number): number {
  return v < -GRAD_HUGE ? -GRAD_HUGE : v > GRAD_HUGE ? GRAD_HUGE : v;
}

/** Adam's constants (f32), the kernel's params after `steps` and `batch`. */
export interface AdamParams { lr: number; l2: number; beta1: number; beta2: number; ob1: number; ob2: number; eps: number }

/**
 * Trains one network `steps` steps in place: st = its state (f32 view, MT_STATE_WORDS), loss = its
 * per-step losses. plan0: word offset of its plan; h, d: scratch of (L + 1) * MT_MAX_WIDTH.
 */
export function trainNet(
  shape: Uint32Array, x: Float32Array, yw: Float32Array, plan: Uint32Array, plan0: number, steps: number, batch: number,
  a: AdamParams, st: Float32Array, stU: Uint32Array, loss: Float32Array, h: Float32Array, d: Float32Array,
): void {
  const L = shape[MT_SH_LAYERS], act = shape[MT_SH_ACT], n0 = shape[MT_SH_WIDTHS];
  const P = stU[MT_S_P];
  const mo = P, vo = 2 * P, go = 3 * P; // parameter word j: its m at j + mo, v at j + vo, gradient at j + go
  const W = MT_MAX_WIDTH; // h and d hold layer k's values at k W
  for (let s = 0; s < steps; s++) {
    const base = plan0 + s * (batch + 1);
    const n = plan[base];
    loss[s] = 0;
    if (n === 0) continue;
    for (let j = MT_HEADER; j < MT_HEADER + P; j++) st[j + go] = 0;
    let wsum = 0, lsum = 0;
    for (let q = 0; q < n; q++) {
      const r = plan[base + 1 + q];
      const y = yw[2 * r], w = yw[2 * r + 1];
      for (let i = 0; i < n0; i++) h[i] = x[r * n0 + i];
      // Forward: layer k maps h[k W ..] to h[(k + 1) W ..].
      let off = MT_HEADER;
      for (let k = 0; k < L; k++) {
        const ni = shape[MT_SH_WIDTHS + k], no = shape[MT_SH_WIDTHS + k + 1];
        const bo = off + ni * no;
        for (let o = 0; o < no; o++) {
          let acc = st[bo + o];
          const row = off + o * ni;
          for (let i = 0; i < ni; i++) acc = fr(acc + fr(st[row + i] * h[k * W + i]));
          const z = guard(acc);
          h[(k + 1) * W + o] = guard(k === L - 1 ? xsigmoid(z) : act === ACT.relu ? (z > 0 ? z : 0) : xtanh(z));
        }
        off = bo + no;
      }
      const p = h[L * W];
      wsum = fr(wsum + w);
      const arg = y > 0.5 ? p : fr(1 - p);
      lsum = fr(lsum - fr(w * xlog(arg > LOSS_FLOOR ? arg : LOSS_FLOOR)));
      d[L * W] = dguard(fr(w * fr(p - y))); // d BCE / dz of a sigmoid output
      // Backward, last layer first: gradients (summed in row order), then the deltas of layer k's inputs.
      for (let k = L - 1; k >= 0; k--) {
        off -= shape[MT_SH_WIDTHS + k] * shape[MT_SH_WIDTHS + k + 1] + shape[MT_SH_WIDTHS + k + 1];
        const ni = shape[MT_SH_WIDTHS + k], no = shape[MT_SH_WIDTHS + k + 1];
        const bo = off + ni * no;
        for (let o = 0; o < no; o++) {
          const dd = d[(k + 1) * W + o];
          st[go + bo + o] = fr(st[go + bo + o] + dd);
          const row = go + off + o * ni;
          for (let i = 0; i < ni; i++) st[row + i] = fr(st[row + i] + fr(dd * h[k * W + i]));
        }
        if (k > 0) {
          for (let i = 0; i < ni; i++) {
            let sum = 0;
            for (let o = 0; o < no; o++) sum = fr(sum + fr(st[off + o * ni + i] * d[(k + 1) * W + o]));
            const hv = h[k * W + i];
            const der = act === ACT.relu ? (hv > 0 ? 1 : 0) : fr(1 - fr(hv * hv));
            d[k * W + i] = dguard(fr(sum * der));
          }
        }
      }
    }
    loss[s] = lsum;
    // Adam. Bias corrections from running products beta^t (flushed: beta1^t underflows after ~800 steps).
    stU[MT_S_T] = stU[MT_S_T] + 1;
    const b1t = ftz(fr(st[MT_S_B1T] * a.beta1)), b2t = ftz(fr(st[MT_S_B2T] * a.beta2));
    st[MT_S_B1T] = b1t;
    st[MT_S_B2T] = b2t;
    const rc1 = xrecip(fr(1 - b1t)), rc2 = xrecip(fr(1 - b2t)), inv = xrecip(wsum);
    let off = MT_HEADER;
    for (let k = 0; k < L; k++) {
      const nw = shape[MT_SH_WIDTHS + k] * shape[MT_SH_WIDTHS + k + 1], nb = shape[MT_SH_WIDTHS + k + 1];
      for (let j = off; j < off + nw + nb; j++) {
        const pj = st[j];
        const decay = j < off + nw ? a.l2 : 0; // L2 on the weights only
        const gj = clampGrad(ftz(fr(ftz(fr(st[go + j] * inv)) + ftz(fr(decay * pj)))));
        const m = ftz(fr(ftz(fr(a.beta1 * st[mo + j])) + ftz(fr(a.ob1 * gj))));
        const v = ftz(fr(ftz(fr(a.beta2 * st[vo + j])) + ftz(fr(a.ob2 * ftz(fr(gj * gj))))));
        st[mo + j] = m;
        st[vo + j] = v;
        const mh = ftz(fr(m * rc1)), vh = ftz(fr(v * rc2));
        const upd = xdiv(ftz(fr(a.lr * mh)), fr(xsqrt(vh) + a.eps));
        st[j] = wguard(fr(pj - upd));
      }
      off += nw + nb;
    }
  }
  for (let s = steps; s < MT_MAX_STEPS; s++) loss[s] = 0;
}

// inputs: [shape, x, yw, plan (shared), state (per item)]; outputs: trained (per item), loss (per item).
export const mlpTrainRef: RefKernel = (p, [shape, x, yw, plan, state], [trained, lossOut]) => {
  const off = p[0], n = p[1], steps = p[4], batch = p[5];
  const f = (i: number) => bitsToF32(p[i]);
  const a: AdamParams = { lr: f(6), l2: f(7), beta1: f(8), beta2: f(9), ob1: f(10), ob2: f(11), eps: f(12) };
  const L = shape[MT_SH_LAYERS];
  const h = new Float32Array((L + 1) * MT_MAX_WIDTH), d = new Float32Array((L + 1) * MT_MAX_WIDTH);
  const xf = new Float32Array(x.buffer, x.byteOffset, x.length), ywf = new Float32Array(yw.buffer, yw.byteOffset, yw.length);
  for (let l = 0; l < n; l++) {
    const stU = trained.subarray(l * MT_STATE_WORDS, (l + 1) * MT_STATE_WORDS);
    const P = state[l * MT_STATE_WORDS + MT_S_P];
    // Copy in the header and the live words (params, m, v); the gradient area and the rest start at 0.
    stU.set(state.subarray(l * MT_STATE_WORDS, l * MT_STATE_WORDS + MT_HEADER + 3 * P));
    stU.fill(0, MT_HEADER + 3 * P);
    const st = new Float32Array(stU.buffer, stU.byteOffset, MT_STATE_WORDS);
    const loss = new Float32Array(lossOut.buffer, lossOut.byteOffset + 4 * l * MT_MAX_STEPS, MT_MAX_STEPS);
    trainNet(shape, xf, ywf, plan, (off + l) * steps * (batch + 1), steps, batch, a, st, stU, loss, h, d);
  }
};

