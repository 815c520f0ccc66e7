// MLP training steps: twin of kernels/mlp_train/ref.ts (layout and the step in
// kernels/mlp_train/layout.ts). One item = one network; the same f32 operations in the same order
// as the reference (WebAssembly never fuses a*b+c). The state is updated in place in the output.
// Per-row activations and deltas: one of SLOTS static slots (workers share the memory).
// SIMD build: the forward pass takes 4 output units per f32x4 (from a transposed copy of the
// weights, made at each step in the state's scratch words after the gradient and zeroed at the
// end), gradient sums and the deltas' sums 4 inputs per f32x4: each lane
// performs its element's scalar sequence (products, then sums in the same order), so the bits agree.

import { ftz, xdiv, xexp, xlog, xrecip, xsqrt } from './lib/exactmath';
import { guard, xtanh } from './lib/activation';
import { claimSlot, releaseSlot } from './lib/slots';
import { ftz4, xdiv4, xsqrt4 } from './lib/exactmath4';
import {
  Bufs, Params, IN_STATE_STRIDE, OUT_TRAINED_STRIDE, OUT_LOSS_STRIDE, IN_YW_STRIDE,
  MT_HEADER, MT_MAX_STEPS, MT_MAX_WIDTH, MT_MAX_LAYERS, MT_S_B1T, MT_S_B2T, MT_S_P, MT_S_T, MT_SH_ACT, MT_SH_LAYERS, MT_SH_WIDTHS,
} from './gen/mlp_train';

const SLOTS: u32 = 16;
const MAXW: u32 = MT_MAX_WIDTH;
const SLOT_BYTES: u32 = 2 * (MT_MAX_LAYERS + 1) * MAXW * 4; // h, then d
const scratch: usize = memory.data(<i32>(SLOTS * SLOT_BYTES), 16);
const locks: usize = memory.data(<i32>(SLOTS * 4), 4);

const TINY: f32 = 9.094947017729282e-13; // 2^-40
const DHUGE: f32 = 4294967296.0; // 2^32
const WMAX: f32 = 1099511627776.0; // 2^40
const GHUGE: f32 = 1152921504606846976.0; // 2^60
const LOSS_FLOOR: f32 = 1e-12;
const ACT_RELU: u32 = 1;

// @ts-ignore: decorator
@inline function dguard(v: f32): f32 {
  if (Mathf.abs(v) < TINY) return 0.0;
  return v < -DHUGE ? -DHUGE : v > DHUGE ? DHUGE : v;
}
// @ts-ignore: decorator
@inline function wguard(v: f32): f32 {
  if (Mathf.abs(v) < TINY) return 0.0;
  return v < -WMAX ? -WMAX : v > WMAX ? WMAX : v;
}
// @ts-ignore: decorator
@inline function ldf(p: usize, i: u32): f32 { return load<f32>(p + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function stf(p: usize, i: u32, v: f32): void { store<f32>(p + (<usize>i << 2), v); }
// @ts-ignore: decorator
@inline function ldu(p: usize, i: u32): u32 { return load<u32>(p + (<usize>i << 2)); }

/** Adam on parameter words [j0, j1) (moments at + np, + 2 np, the summed gradient at + 3 np). */
function adam(P: Params, st: usize, np: u32, j0: u32, j1: u32, decay: f32, inv: f32, rc1: f32, rc2: f32): void {
  const lr = P.lr, beta1 = P.beta1, beta2 = P.beta2, ob1 = P.ob1, ob2 = P.ob2, eps = P.eps;
  const mo = np, vo = 2 * np, go = 3 * np;
  let j = j0;
  if (ASC_FEATURE_SIMD) {
    const vinv = f32x4.splat(inv), vdec = f32x4.splat(decay), vb1 = f32x4.splat(beta1), vb2 = f32x4.splat(beta2);
    const vob1 = f32x4.splat(ob1), vob2 = f32x4.splat(ob2), vrc1 = f32x4.splat(rc1), vrc2 = f32x4.splat(rc2), vlr = f32x4.splat(lr), veps = f32x4.splat(eps);
    for (; j + 4 <= j1; j += 4) {
      const pp = st + (<usize>j << 2), mp = st + (<usize>(mo + j) << 2), vp = st + (<usize>(vo + j) << 2);
      const pj = v128.load(pp);
      let gj = ftz4(f32x4.add(ftz4(f32x4.mul(v128.load(st + (<usize>(go + j) << 2)), vinv)), ftz4(f32x4.mul(vdec, pj))));
      gj = f32x4.pmin(f32x4.pmax(gj, f32x4.splat(-GHUGE)), f32x4.splat(GHUGE));
      const m = ftz4(f32x4.add(ftz4(f32x4.mul(vb1, v128.load(mp))), ftz4(f32x4.mul(vob1, gj))));
      const v = ftz4(f32x4.add(ftz4(f32x4.mul(vb2, v128.load(vp))), ftz4(f32x4.mul(vob2, ftz4(f32x4.mul(gj, gj))))));
      v128.store(mp, m);
      v128.store(vp, v);
      const mh = ftz4(f32x4.mul(m, vrc1)), vh = ftz4(f32x4.mul(v, vrc2));
      const upd = xdiv4(ftz4(f32x4.mul(vlr, mh)), f32x4.add(xsqrt4(vh), veps));
      const q = f32x4.sub(pj, upd);
      // wguard on four lanes: clamp to +-2^40, then |q| < 2^-40 -> +0.
      v128.store(pp, v128.andnot(f32x4.pmin(f32x4.pmax(q, f32x4.splat(-WMAX)), f32x4.splat(WMAX)), f32x4.lt(f32x4.abs(q), f32x4.splat(TINY))));
    }
  }
  for (; j < j1; j++) {
    const pj = ldf(st, j);
    let gj = ftz(ftz(ldf(st, go + j) * inv) + ftz(decay * pj));
    gj = gj < -GHUGE ? -GHUGE : gj > GHUGE ? GHUGE : gj;
    const m = ftz(ftz(beta1 * ldf(st, mo + j)) + ftz(ob1 * gj));
    const v = ftz(ftz(beta2 * ldf(st, vo + j)) + ftz(ob2 * ftz(gj * gj)));
    stf(st, mo + j, m);
    stf(st, vo + j, v);
    const mh = ftz(m * rc1), vh = ftz(v * rc2);
    const upd = xdiv(ftz(lr * mh), xsqrt(vh) + eps);
    stf(st, j, wguard(pj - upd));
  }
}

/** guard(act(guard(acc))): the hidden activation, or the output's sigmoid. */
// @ts-ignore: decorator
@inline function activateTrain(acc: f32, last: bool, act: u32): f32 {
  const z = guard(acc);
  let v: f32;
  if (last) v = xrecip(1.0 + xexp(-z));
  else if (act == ACT_RELU) v = z > 0.0 ? z : 0.0;
  else v = xtanh(z);
  return guard(v);
}

function trainNet(P: Params, shape: usize, x: usize, yw: usize, plan: usize, plan0: u32, st: usize, loss: usize, h: usize, d: usize, wt: usize): void {
  const steps = P.steps, batch = P.batch;
  const L = ldu(shape, MT_SH_LAYERS), act = ldu(shape, MT_SH_ACT), n0 = ldu(shape, MT_SH_WIDTHS);
  const np = ldu(st, MT_S_P);
  const go = 3 * np;
  for (let s: u32 = 0; s < steps; s++) {
    const base = plan0 + s * (batch + 1);
    const n = ldu(plan, base);
    stf(loss, s, 0.0);
    if (n == 0) continue;
    memory.fill(st + (<usize>(MT_HEADER + go) << 2), 0, <usize>np << 2);
    if (ASC_FEATURE_SIMD) {
      let o0: u32 = MT_HEADER;
      for (let k: u32 = 0; k < L; k++) {
        const ni = ldu(shape, MT_SH_WIDTHS + k), no = ldu(shape, MT_SH_WIDTHS + k + 1);
        const wtk = wt + (<usize>(o0 - MT_HEADER) << 2);
        for (let o: u32 = 0; o < no; o++) for (let i: u32 = 0; i < ni; i++) stf(wtk, i * no + o, ldf(st, o0 + o * ni + i));
        o0 += ni * no + no;
      }
    }
    let wsum: f32 = 0.0, lsum: f32 = 0.0;
    for (let q: u32 = 0; q < n; q++) {
      const r = ldu(plan, base + 1 + q);
      const y = load<f32>(yw + <usize>r * IN_YW_STRIDE), w = load<f32>(yw + <usize>r * IN_YW_STRIDE, 4);
      memory.copy(h, x + (<usize>(r * n0) << 2), <usize>n0 << 2);
      let off: u32 = MT_HEADER;
      for (let k: u32 = 0; k < L; k++) {
        const ni = ldu(shape, MT_SH_WIDTHS + k), no = ldu(shape, MT_SH_WIDTHS + k + 1);
        const bo = off + ni * no;
        const hk = h + (<usize>(k * MAXW) << 2), hn = h + (<usize>((k + 1) * MAXW) << 2);
        let o: u32 = 0;
        if (ASC_FEATURE_SIMD) {
          const wtk = wt + (<usize>(off - MT_HEADER) << 2);
          for (; o + 4 <= no; o += 4) {
            let acc = v128.load(st + (<usize>(bo + o) << 2));
            for (let i: u32 = 0; i < ni; i++) acc = f32x4.add(acc, f32x4.mul(v128.load(wtk + (<usize>(i * no + o) << 2)), f32x4.splat(ldf(hk, i))));
            v128.store(hn + (<usize>o << 2), acc);
          }
          for (let u: u32 = 0; u < o; u++) stf(hn, u, activateTrain(ldf(hn, u), k == L - 1, act));
        }
        for (; o < no; o++) {
          let acc = ldf(st, bo + o);
          const row = st + (<usize>(off + o * ni) << 2);
          for (let i: u32 = 0; i < ni; i++) acc = acc + ldf(row, i) * ldf(hk, i);
          stf(hn, o, activateTrain(acc, k == L - 1, act));
        }
        off = bo + no;
      }
      const p = ldf(h, L * MAXW);
      wsum = wsum + w;
      const arg: f32 = y > 0.5 ? p : 1.0 - p;
      lsum = lsum - w * xlog(arg > LOSS_FLOOR ? arg : LOSS_FLOOR);
      stf(d, L * MAXW, dguard(w * (p - y)));
      for (let k = <i32>L - 1; k >= 0; k--) {
        const ku = <u32>k;
        const ni = ldu(shape, MT_SH_WIDTHS + ku), no = ldu(shape, MT_SH_WIDTHS + ku + 1);
        off -= ni * no + no;
        const bo = off + ni * no;
        const hk = h + (<usize>(ku * MAXW) << 2), dn = d + (<usize>((ku + 1) * MAXW) << 2);
        for (let o: u32 = 0; o < no; o++) {
          const dd = ldf(dn, o);
          // dd = 0 adds +-0 to every gradient of the row: the sums (never -0) keep their bits, so skip.
          if (dd == 0.0) continue;
          stf(st, go + bo + o, ldf(st, go + bo + o) + dd);
          const row = st + (<usize>(go + off + o * ni) << 2);
          let i: u32 = 0;
          if (ASC_FEATURE_SIMD) {
            const dv = f32x4.splat(dd);
            for (; i + 4 <= ni; i += 4) {
              const p = row + (<usize>i << 2);
              v128.store(p, f32x4.add(v128.load(p), f32x4.mul(dv, v128.load(hk + (<usize>i << 2)))));
            }
          }
          for (; i < ni; i++) stf(row, i, ldf(row, i) + dd * ldf(hk, i));
        }
        if (k > 0) {
          const dk = d + (<usize>(ku * MAXW) << 2);
          let i0: u32 = 0;
          if (ASC_FEATURE_SIMD) {
            // The sums of 4 inputs at a time into dk, finished below lane by lane.
            for (; i0 + 4 <= ni; i0 += 4) {
              let sum = f32x4.splat(0.0);
              for (let o: u32 = 0; o < no; o++) sum = f32x4.add(sum, f32x4.mul(v128.load(st + (<usize>(off + o * ni + i0) << 2)), f32x4.splat(ldf(dn, o))));
              v128.store(dk + (<usize>i0 << 2), sum);
            }
          }
          for (let i: u32 = 0; i < ni; i++) {
            let sum: f32 = 0.0;
            if (i < i0) sum = ldf(dk, i);
            else for (let o: u32 = 0; o < no; o++) sum = sum + ldf(st, off + o * ni + i) * ldf(dn, o);
            const hv = ldf(hk, i);
            const der: f32 = act == ACT_RELU ? (hv > 0.0 ? 1.0 : 0.0) : 1.0 - hv * hv;
            stf(dk, i, dguard(sum * der));
          }
        }
      }
    }
    stf(loss, s, lsum);
    store<u32>(st + (<usize>MT_S_T << 2), ldu(st, MT_S_T) + 1);
    const b1t = ftz(ldf(st, MT_S_B1T) * P.beta1), b2t = ftz(ldf(st, MT_S_B2T) * P.beta2);
    stf(st, MT_S_B1T, b1t);
    stf(st, MT_S_B2T, b2t);
    const rc1 = xrecip(1.0 - b1t), rc2 = xrecip(1.0 - b2t), inv = xrecip(wsum);
    let off: u32 = MT_HEADER;
    for (let k: u32 = 0; k < L; k++) {
      const nw = ldu(shape, MT_SH_WIDTHS + k) * ldu(shape, MT_SH_WIDTHS + k + 1), nb = ldu(shape, MT_SH_WIDTHS + k + 1);
      adam(P, st, np, off, off + nw, P.l2, inv, rc1, rc2); // L2 on the weights only
      adam(P, st, np, off + nw, off + nw + nb, 0.0, inv, rc1, rc2);
      off += nw + nb;
    }
  }
  for (let s = steps; s < MT_MAX_STEPS; s++) stf(loss, s, 0.0);
}

export function mlp_train(params: usize, bufs: usize): void {
  const P = changetype<Params>(params), B = changetype<Bufs>(bufs);
  const off = P.item_offset, n = P.item_count;
  const L = ldu(B.in_shape, MT_SH_LAYERS);
  const slotI = claimSlot(locks, SLOTS);
  const h = scratch + <usize>slotI * SLOT_BYTES, d = h + (<usize>((L + 1) * MAXW) << 2);
  for (let l: u32 = 0; l < n; l++) {
    const src = B.in_state + <usize>l * IN_STATE_STRIDE, st = B.out_trained + <usize>l * OUT_TRAINED_STRIDE;
    const np = ldu(src, MT_S_P);
    const live = <usize>(MT_HEADER + 3 * np) << 2;
    memory.copy(st, src, live);
    memory.fill(st + live, 0, OUT_TRAINED_STRIDE - live);
    const wt = st + (<usize>(MT_HEADER + 4 * np) << 2);
    trainNet(P, B.in_shape, B.in_x, B.in_yw, B.in_plan, (off + l) * P.steps * (P.batch + 1), st, B.out_loss + <usize>l * OUT_LOSS_STRIDE, h, d, wt);
    memory.fill(wt, 0, <usize>np << 2);
  }
  releaseSlot(locks, slotI);
}
