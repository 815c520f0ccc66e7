// MLP inference: twin of kernels/mlp/ref.ts (layout and operation order in kernels/mlp/layout.ts).
// Every event keeps exactly the reference's sequence of f32 operations (WebAssembly never fuses
// a*b+c), so the bits do not depend on the build or on how events are grouped:
// - SIMD fast path (all widths <= 128): 16 events per block (one event per f32x4 lane), hidden
//   layers 4 output units x 8 events per pass over the inputs, weights read from a copy
//   interleaved by groups of 4 units (contiguous splat loads), activations applied in registers
//   (wasm/lib/exactmath4.ts, f32x4 twins of exactmath's xexp/xrecip: branches become lane selects, the same operations per
//   lane), SIMD input standardisation, and of a non-softmax last layer only the score unit.
// - SIMD fallback (wider nets, or the interleaved copy busy with another net): 8 events per block.
// - Scalar: one event at a time (also the remainder of a range).
// Per-event scratch: one of SLOTS static slots, claimed with an atomic compare-exchange for the
// duration of a call (workers share the memory).

import { F, ftz, xexp, xrecip } from './lib/exactmath';
import { activate, guard, HUGE, TINY } from './lib/activation';
import { claimSlot, releaseSlot } from './lib/slots';
import { ftz4, xexp4, xrecip4 } from './lib/exactmath4';
import {
  Bufs, OUT_SCORE_STRIDE, Params, MLP_H_N_IN, MLP_H_N_LAYERS, MLP_H_SCORE, MLP_H_TABLE, MLP_HEADER_WORDS,
  MLP_LAYER_WORDS, MLP_L_N_IN, MLP_L_N_OUT, MLP_L_ACT, MLP_L_ALPHA, MLP_L_W, MLP_L_B, MLP_MAX_WIDTH, MLP_MAX_LAYERS,
} from './gen/mlp';
// The net's layout offsets (MLP_*) come from kernels/mlp/layout.ts through wasm/gen/mlp.ts: none is spelled here.

const MAXW: u32 = MLP_MAX_WIDTH;
const EV: u32 = 8; // events per SIMD block
const SLOTS: u32 = 16;
const SLOT_BYTES: u32 = 2 * MAXW * EV * 4; // two activation buffers of MAXW x EV f32
const scratch: usize = memory.data(<i32>(SLOTS * SLOT_BYTES), 16);
const locks: usize = memory.data(<i32>(SLOTS * 4), 4);
const EV16: u32 = 16; // events per block on the fast path
const MAXW16: u32 = MAXW * EV / EV16; // widest layer of the fast path (its blocks fit the slot)
const MAXL: u32 = MLP_MAX_LAYERS;
// Interleaved weights of the fast path: one copy shared by all workers (concurrent calls of one
// run share their net). pkState: [lock, readers, n_layers, then n_in, n_out per layer].
const PKW: u32 = 32768;
const pk: usize = memory.data(<i32>(PKW * 4), 16);
const pkState: usize = memory.data(<i32>((3 + 2 * MAXL) * 4), 4);


// Word i of the net: its address, as f32, as u32.
// @ts-ignore: decorator
@inline function neta(net: usize, i: u32): usize { return net + (<usize>i << 2); }
// @ts-ignore: decorator
@inline function netf(net: usize, i: u32): f32 { return load<f32>(neta(net, i)); }
// @ts-ignore: decorator
@inline function netu(net: usize, i: u32): u32 { return load<u32>(neta(net, i)); }

// guard on four lanes: pmax(v, lo) = v < lo ? lo : v and pmin(c, hi) = hi < c ? hi : c are the
// scalar selects, then |v| < 2^-40 -> +0.
// @ts-ignore: decorator
@inline function guard4(v: v128): v128 {
  const c = f32x4.pmin(f32x4.pmax(v, f32x4.splat(-HUGE)), f32x4.splat(HUGE));
  return v128.andnot(c, f32x4.lt(f32x4.abs(v), f32x4.splat(TINY)));
}

/** xtanh below on four lanes: all three branches computed, each lane takes its own. */
// @ts-ignore: decorator
@inline function xtanh4(x: v128): v128 {
  const z = f32x4.abs(x);
  const neg = f32x4.lt(x, f32x4.splat(0.0));
  const e = xexp4(f32x4.add(z, z));
  const r = f32x4.sub(f32x4.splat(1.0), f32x4.mul(f32x4.splat(2.0), xrecip4(f32x4.add(e, f32x4.splat(1.0)))));
  const mid = v128.bitselect(f32x4.neg(r), r, neg);
  const s = ftz4(f32x4.mul(x, x));
  let p = f32x4.add(f32x4.mul(f32x4.splat(F(0xbbbaf0ea)), s), f32x4.splat(F(0x3ca9134e)));
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(F(0xbd5c1e2d)));
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(F(0x3e088393)));
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(F(0xbeaaaa99)));
  const small = f32x4.add(x, ftz4(f32x4.mul(f32x4.mul(p, s), x)));
  const big = v128.bitselect(f32x4.splat(-1.0), f32x4.splat(1.0), neg);
  const t = v128.bitselect(mid, small, f32x4.ge(z, f32x4.splat(0.625)));
  return v128.bitselect(big, t, f32x4.gt(z, f32x4.splat(44.0)));
}

/** guard(activate(act, alpha, guard(a))) on four lanes, act 0..4 (not softmax). */
// @ts-ignore: decorator
@inline function act4(acc: v128, act: u32, al: v128): v128 {
  if (act == 1) {
    // relu(guard(a)) is already guarded: a >= 2^-40 ? min(a, 2^64) : +0 (NaN -> 0 as in relu).
    return v128.and(f32x4.pmin(acc, f32x4.splat(HUGE)), f32x4.ge(acc, f32x4.splat(TINY)));
  }
  const a = guard4(acc);
  if (act == 0) return a; // guard(guard(a)) = guard(a)
  if (act == 2) return guard4(v128.bitselect(f32x4.mul(al, a), a, f32x4.lt(a, f32x4.splat(0.0))));
  if (act == 3) return guard4(xtanh4(a));
  return guard4(xrecip4(f32x4.add(f32x4.splat(1.0), xexp4(f32x4.neg(a)))));
}

/** Activation pass over `no` units of `ev` events, stored h[o * stride + e]. */
function activateLayer(g: usize, no: u32, ev: u32, stride: u32, act: u32, alpha: f32): void {
  if (act == 5) {
    for (let e: u32 = 0; e < ev; e++) {
      let m = guard(load<f32>(g + ((<usize>e) << 2)));
      for (let o: u32 = 1; o < no; o++) {
        const v = guard(load<f32>(g + ((<usize>(o * stride + e)) << 2)));
        m = v > m ? v : m;
      }
      let s: f32 = 0.0;
      for (let o: u32 = 0; o < no; o++) {
        const p = g + ((<usize>(o * stride + e)) << 2);
        const v = xexp(guard(load<f32>(p)) - m);
        store<f32>(p, v);
        s = s + v;
      }
      const r = xrecip(s);
      for (let o: u32 = 0; o < no; o++) {
        const p = g + ((<usize>(o * stride + e)) << 2);
        store<f32>(p, guard(ftz(load<f32>(p) * r)));
      }
    }
    return;
  }
  const n = no * stride;
  let j: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    // ReLU / LeakyReLU / identity four lanes at a time: the same comparisons and products as below.
    if (act <= 2) {
      const al = f32x4.splat(alpha), zero = f32x4.splat(0.0);
      for (; j + 4 <= n; j += 4) {
        const p = g + (<usize>j << 2);
        let a = guard4(v128.load(p));
        if (act == 1) a = v128.and(a, f32x4.gt(a, zero));
        else if (act == 2) a = v128.bitselect(f32x4.mul(al, a), a, f32x4.lt(a, zero));
        v128.store(p, guard4(a));
      }
    }
  }
  for (; j < n; j++) {
    const p = g + (<usize>j << 2);
    store<f32>(p, guard(activate(act, alpha, guard(load<f32>(p)))));
  }
}

/** Input stage for `ev` events from row `row0`: h[i * stride + e]. */
function inputStage(net: usize, x: usize, row0: u32, ev: u32, stride: u32, h: usize): void {
  const nIn = netu(net, MLP_H_N_IN);
  for (let i: u32 = 0; i < nIn; i++) {
    const sub = netf(net, MLP_HEADER_WORDS + i), mul = netf(net, MLP_HEADER_WORDS + nIn + i), add = netf(net, MLP_HEADER_WORDS + 2 * nIn + i);
    for (let e: u32 = 0; e < ev; e++) {
      const v = load<f32>(x + ((<usize>(row0 + e) * nIn + i) << 2));
      const d = guard(guard(v) - sub);
      store<f32>(h + ((<usize>(i * stride + e)) << 2), guard(guard(d * mul) + add));
    }
  }
}

/** One event, scalar: the reference's loop. Returns the score. */
function scoreOne(net: usize, x: usize, row: u32, slot: usize): f32 {
  let h = slot, g = slot + (<usize>MAXW << 2);
  inputStage(net, x, row, 1, 1, h);
  const nl = netu(net, MLP_H_N_LAYERS), table = netu(net, MLP_H_TABLE);
  for (let k: u32 = 0; k < nl; k++) {
    const t = table + MLP_LAYER_WORDS * k;
    const ni = netu(net, t + MLP_L_N_IN), no = netu(net, t + MLP_L_N_OUT), act = netu(net, t + MLP_L_ACT), alpha = netf(net, t + MLP_L_ALPHA);
    const w = neta(net, netu(net, t + MLP_L_W)), b = neta(net, netu(net, t + MLP_L_B));
    for (let o: u32 = 0; o < no; o++) {
      let acc = load<f32>(b + (<usize>o << 2));
      const row = w + ((<usize>o * ni) << 2);
      for (let i: u32 = 0; i < ni; i++) acc = acc + load<f32>(row + (<usize>i << 2)) * load<f32>(h + (<usize>i << 2));
      store<f32>(g + (<usize>o << 2), acc);
    }
    activateLayer(g, no, 1, 1, act, alpha);
    const tmp = h; h = g; g = tmp;
  }
  return load<f32>(h + (<usize>netu(net, MLP_H_SCORE) << 2));
}

/** EV events from row0 at once (SIMD build): lanes are events. Writes EV scores at out. */
function scoreBlock(net: usize, x: usize, row0: u32, slot: usize, out: usize): void {
  let h = slot, g = slot + (<usize>(MAXW * EV) << 2);
  inputStage(net, x, row0, EV, EV, h);
  const nl = netu(net, MLP_H_N_LAYERS), table = netu(net, MLP_H_TABLE);
  for (let k: u32 = 0; k < nl; k++) {
    const t = table + MLP_LAYER_WORDS * k;
    const ni = netu(net, t + MLP_L_N_IN), no = netu(net, t + MLP_L_N_OUT), act = netu(net, t + MLP_L_ACT), alpha = netf(net, t + MLP_L_ALPHA);
    const w = neta(net, netu(net, t + MLP_L_W)), b = neta(net, netu(net, t + MLP_L_B));
    const rowBytes = <usize>ni << 2;
    let o: u32 = 0;
    for (; o + 4 <= no; o += 4) {
      const r0 = w + <usize>o * rowBytes, r1 = r0 + rowBytes, r2 = r1 + rowBytes, r3 = r2 + rowBytes;
      let a0 = v128.load32_splat(b + (<usize>o << 2)), a1 = a0;
      let b0 = v128.load32_splat(b + (<usize>(o + 1) << 2)), b1 = b0;
      let c0 = v128.load32_splat(b + (<usize>(o + 2) << 2)), c1 = c0;
      let d0 = v128.load32_splat(b + (<usize>(o + 3) << 2)), d1 = d0;
      for (let i: u32 = 0; i < ni; i++) {
        const hp = h + (<usize>i << 5);
        const x0 = v128.load(hp), x1 = v128.load(hp, 16);
        const ib = <usize>i << 2;
        const w0 = v128.load32_splat(r0 + ib), w1 = v128.load32_splat(r1 + ib);
        const w2 = v128.load32_splat(r2 + ib), w3 = v128.load32_splat(r3 + ib);
        a0 = f32x4.add(a0, f32x4.mul(w0, x0)); a1 = f32x4.add(a1, f32x4.mul(w0, x1));
        b0 = f32x4.add(b0, f32x4.mul(w1, x0)); b1 = f32x4.add(b1, f32x4.mul(w1, x1));
        c0 = f32x4.add(c0, f32x4.mul(w2, x0)); c1 = f32x4.add(c1, f32x4.mul(w2, x1));
        d0 = f32x4.add(d0, f32x4.mul(w3, x0)); d1 = f32x4.add(d1, f32x4.mul(w3, x1));
      }
      const gp = g + (<usize>o << 5);
      v128.store(gp, a0); v128.store(gp, a1, 16);
      v128.store(gp, b0, 32); v128.store(gp, b1, 48);
      v128.store(gp, c0, 64); v128.store(gp, c1, 80);
      v128.store(gp, d0, 96); v128.store(gp, d1, 112);
    }
    for (; o < no; o++) {
      const r0 = w + <usize>o * rowBytes;
      let a0 = v128.load32_splat(b + (<usize>o << 2)), a1 = a0;
      for (let i: u32 = 0; i < ni; i++) {
        const hp = h + (<usize>i << 5);
        const w0 = v128.load32_splat(r0 + (<usize>i << 2));
        a0 = f32x4.add(a0, f32x4.mul(w0, v128.load(hp)));
        a1 = f32x4.add(a1, f32x4.mul(w0, v128.load(hp, 16)));
      }
      const gp = g + (<usize>o << 5);
      v128.store(gp, a0); v128.store(gp, a1, 16);
    }
    activateLayer(g, no, EV, EV, act, alpha);
    const tmp = h; h = g; g = tmp;
  }
  const sp = h + (<usize>(netu(net, MLP_H_SCORE) * EV) << 2);
  for (let e: u32 = 0; e < EV; e++) store<f32>(out + (<usize>e << 2), load<f32>(sp + (<usize>e << 2)));
}

/** Whether the net has a fast path: every width <= 128 and the interleaved copy within PKW words. */
function fastPathFits(net: usize): bool {
  const nIn = netu(net, MLP_H_N_IN), nl = netu(net, MLP_H_N_LAYERS), table = netu(net, MLP_H_TABLE);
  if (nIn > MAXW16) return false;
  let words: u32 = 0;
  for (let k: u32 = 0; k < nl; k++) {
    const ni = netu(net, table + MLP_LAYER_WORDS * k + MLP_L_N_IN), no = netu(net, table + MLP_LAYER_WORDS * k + MLP_L_N_OUT);
    if (no > MAXW16) return false;
    words += (no & ~3) * ni;
  }
  return words <= PKW;
}

/**
 * Compares (write == false) or writes (write == true) the interleaved copy of the net's weights:
 * per layer and group of 4 units q, pk[..][i][j] = W[4q + j][i]; units beyond the last full group
 * are read from the net itself. Returns whether the copy matched (always true when writing).
 */
function packPass(net: usize, write: bool): bool {
  const nl = netu(net, MLP_H_N_LAYERS), table = netu(net, MLP_H_TABLE);
  if (!write && load<u32>(pkState, 8) != nl) return false;
  if (write) store<u32>(pkState, nl, 8);
  let at: usize = pk;
  for (let k: u32 = 0; k < nl; k++) {
    const t = table + MLP_LAYER_WORDS * k;
    const ni = netu(net, t + MLP_L_N_IN), no = netu(net, t + MLP_L_N_OUT);
    const sp = pkState + 12 + (<usize>k << 3);
    if (write) {
      store<u32>(sp, ni); store<u32>(sp, no, 4);
    } else if (load<u32>(sp) != ni || load<u32>(sp, 4) != no) {
      return false;
    }
    const w = neta(net, netu(net, t + MLP_L_W));
    const rowBytes = <usize>ni << 2;
    for (let q: u32 = 0; q + 4 <= no; q += 4) {
      const r0 = w + <usize>q * rowBytes;
      for (let i: u32 = 0; i < ni; i++) {
        const p = r0 + (<usize>i << 2);
        const a = load<u32>(p), b = load<u32>(p + rowBytes), c = load<u32>(p + 2 * rowBytes), d = load<u32>(p + 3 * rowBytes);
        if (write) {
          store<u32>(at, a); store<u32>(at, b, 4); store<u32>(at, c, 8); store<u32>(at, d, 12);
        } else if (load<u32>(at) != a || load<u32>(at, 4) != b || load<u32>(at, 8) != c || load<u32>(at, 12) != d) {
          return false;
        }
        at += 16;
      }
    }
  }
  return true;
}

/**
 * Takes a reader's hold on the interleaved copy of this net (making it if no call is reading an
 * older one). False: no fast path for this call (scored by the 8-event blocks instead).
 */
function acquirePacked(net: usize): bool {
  if (!fastPathFits(net)) return false;
  while (atomic.cmpxchg<u32>(pkState, 0, 1) != 0) {}
  let ok = packPass(net, false);
  if (!ok && atomic.load<u32>(pkState, 4) == 0) ok = packPass(net, true);
  if (ok) atomic.add<u32>(pkState, 1, 4);
  atomic.store<u32>(pkState, 0);
  return ok;
}

/** Input stage on the fast path: 16 events from row0, four lanes at a time, h[i * 16 + e]. */
function inputStage16(net: usize, x: usize, row0: u32, h: usize): void {
  const nIn = netu(net, MLP_H_N_IN);
  const rb = <usize>nIn << 2;
  for (let i: u32 = 0; i < nIn; i++) {
    const sub = v128.load32_splat(neta(net, MLP_HEADER_WORDS + i));
    const mul = v128.load32_splat(neta(net, MLP_HEADER_WORDS + nIn + i));
    const add = v128.load32_splat(neta(net, MLP_HEADER_WORDS + 2 * nIn + i));
    let p = x + (<usize>row0 * nIn + i << 2);
    const hp = h + (<usize>i << 6);
    for (let e: u32 = 0; e < EV16; e += 4) {
      let v = f32x4.splat(load<f32>(p));
      v = f32x4.replace_lane(v, 1, load<f32>(p + rb));
      v = f32x4.replace_lane(v, 2, load<f32>(p + 2 * rb));
      v = f32x4.replace_lane(v, 3, load<f32>(p + 3 * rb));
      p += 4 * rb;
      const d = guard4(f32x4.sub(guard4(v), sub));
      v128.store(hp + (<usize>e << 2), guard4(f32x4.add(guard4(f32x4.mul(d, mul)), add)));
    }
  }
}

/** One unit (row r0 of W, bias at bp) for 16 events, activated (unless softmax), stored at dst. */
// @ts-ignore: decorator
@inline function unit16(dst: usize, r0: usize, bp: usize, ni: u32, h: usize, act: u32, al: v128): void {
  let a0 = v128.load32_splat(bp), a1 = a0, a2 = a0, a3 = a0;
  const rend = r0 + (<usize>ni << 2);
  let hp = h, rp = r0;
  do {
    const w0 = v128.load32_splat(rp);
    a0 = f32x4.add(a0, f32x4.mul(w0, v128.load(hp)));
    a1 = f32x4.add(a1, f32x4.mul(w0, v128.load(hp, 16)));
    a2 = f32x4.add(a2, f32x4.mul(w0, v128.load(hp, 32)));
    a3 = f32x4.add(a3, f32x4.mul(w0, v128.load(hp, 48)));
    hp += 64; rp += 4;
  } while (rp < rend);
  if (act != 5) {
    a0 = act4(a0, act, al); a1 = act4(a1, act, al); a2 = act4(a2, act, al); a3 = act4(a3, act, al);
  }
  v128.store(dst, a0); v128.store(dst, a1, 16); v128.store(dst, a2, 32); v128.store(dst, a3, 48);
}

/** 16 events from row0 (fast path, interleaved copy held): lanes are events. Writes 16 scores at out. */
function scoreBlock16(net: usize, x: usize, row0: u32, slot: usize, out: usize): void {
  let h = slot, g = slot + (<usize>(MAXW * EV) << 2);
  inputStage16(net, x, row0, h);
  const nl = netu(net, MLP_H_N_LAYERS), table = netu(net, MLP_H_TABLE);
  let wp: usize = pk;
  for (let k: u32 = 0; k < nl; k++) {
    const t = table + MLP_LAYER_WORDS * k;
    const ni = netu(net, t + MLP_L_N_IN), no = netu(net, t + MLP_L_N_OUT), act = netu(net, t + MLP_L_ACT);
    const al = v128.load32_splat(neta(net, t + MLP_L_ALPHA));
    const w = neta(net, netu(net, t + MLP_L_W)), b = neta(net, netu(net, t + MLP_L_B));
    const rowBytes = <usize>ni << 2;
    if (k + 1 == nl && act != 5) {
      // Only the score unit of a last layer without softmax reaches the output.
      const si = netu(net, MLP_H_SCORE);
      unit16(out, w + <usize>si * rowBytes, b + (<usize>si << 2), ni, h, act, al);
      return;
    }
    const hbytes = <usize>ni << 6;
    let o: u32 = 0;
    for (; o + 4 <= no; o += 4) {
      const gq = g + (<usize>o << 6);
      const bq = b + (<usize>o << 2);
      for (let half: u32 = 0; half < 2; half++) {
        let a0 = v128.load32_splat(bq), a1 = a0;
        let b0 = v128.load32_splat(bq, 4), b1 = b0;
        let c0 = v128.load32_splat(bq, 8), c1 = c0;
        let d0 = v128.load32_splat(bq, 12), d1 = d0;
        let hp = h + (<usize>half << 5), wq = wp;
        const hend = hp + hbytes;
        do {
          const x0 = v128.load(hp), x1 = v128.load(hp, 16);
          const w0 = v128.load32_splat(wq), w1 = v128.load32_splat(wq, 4);
          const w2 = v128.load32_splat(wq, 8), w3 = v128.load32_splat(wq, 12);
          a0 = f32x4.add(a0, f32x4.mul(w0, x0)); a1 = f32x4.add(a1, f32x4.mul(w0, x1));
          b0 = f32x4.add(b0, f32x4.mul(w1, x0)); b1 = f32x4.add(b1, f32x4.mul(w1, x1));
          c0 = f32x4.add(c0, f32x4.mul(w2, x0)); c1 = f32x4.add(c1, f32x4.mul(w2, x1));
          d0 = f32x4.add(d0, f32x4.mul(w3, x0)); d1 = f32x4.add(d1, f32x4.mul(w3, x1));
          hp += 64; wq += 16;
        } while (hp < hend);
        const gp = gq + (<usize>half << 5);
        if (act != 5) {
          a0 = act4(a0, act, al); a1 = act4(a1, act, al); b0 = act4(b0, act, al); b1 = act4(b1, act, al);
          c0 = act4(c0, act, al); c1 = act4(c1, act, al); d0 = act4(d0, act, al); d1 = act4(d1, act, al);
        }
        v128.store(gp, a0); v128.store(gp, a1, 16);
        v128.store(gp, b0, 64); v128.store(gp, b1, 80);
        v128.store(gp, c0, 128); v128.store(gp, c1, 144);
        v128.store(gp, d0, 192); v128.store(gp, d1, 208);
      }
      wp += <usize>ni << 4;
    }
    for (; o < no; o++) unit16(g + (<usize>o << 6), w + <usize>o * rowBytes, b + (<usize>o << 2), ni, h, act, al);
    if (act == 5) activateLayer(g, no, EV16, EV16, act, 0.0);
    const tmp = h; h = g; g = tmp;
  }
  const sp = h + (<usize>(netu(net, MLP_H_SCORE) * EV16) << 2);
  for (let e: u32 = 0; e < EV16; e++) store<f32>(out + (<usize>e << 2), load<f32>(sp + (<usize>e << 2)));
}

// Row of item l in x: item_offset + l (x is shared, indexed by the absolute item index).
export function mlp(params: usize, bufs: usize): void {
  const P = changetype<Params>(params), B = changetype<Bufs>(bufs);
  const off = P.item_offset, n = P.item_count;
  const net = B.in_net, x = B.in_x, out = B.out_score;
  const s = claimSlot(locks, SLOTS);
  const slot = scratch + <usize>s * SLOT_BYTES;
  let l: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    if (n >= EV16 && acquirePacked(net)) {
      for (; l + EV16 <= n; l += EV16) scoreBlock16(net, x, off + l, slot, out + <usize>l * OUT_SCORE_STRIDE);
      atomic.sub<u32>(pkState, 1, 4);
    }
    for (; l + EV <= n; l += EV) scoreBlock(net, x, off + l, slot, out + <usize>l * OUT_SCORE_STRIDE);
  }
  for (; l < n; l++) store<f32>(out + <usize>l * OUT_SCORE_STRIDE, scoreOne(net, x, off + l, slot));
  releaseSlot(locks, s);
}
