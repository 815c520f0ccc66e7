// MLP inference: twin of kernels/mlp/ref.ts (layout and operation order in kernels/mlp/layout.ts).
// The SIMD build scores 8 events at once, one event per f32x4 lane (two vectors), and 4 output
// units per pass over the inputs: each lane does exactly the scalar sequence of f32 operations,
// so the bits do not depend on the build. Per-event scratch: one of SLOTS static slots, claimed
// with an atomic compare-exchange for the duration of a call (workers share the memory).

import { ftz, xexp, xrecip } from './lib/exactmath';

const MAXW: u32 = 256;
const EV: u32 = 8; // events per SIMD block
const SLOTS: u32 = 16;
const SLOT_BYTES: u32 = 2 * MAXW * EV * 4; // two activation buffers of MAXW x EV f32
const scratch: usize = memory.data(<i32>(SLOTS * SLOT_BYTES), 16);
const locks: usize = memory.data(<i32>(SLOTS * 4), 4);

const TINY: f32 = 9.094947017729282e-13; // 2^-40
const HUGE: f32 = 18446744073709551616.0; // 2^64

// @ts-ignore: decorator
@inline function F(u: u32): f32 { return reinterpret<f32>(u); }
// @ts-ignore: decorator
@inline function netf(net: usize, i: u32): f32 { return load<f32>(net + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function netu(net: usize, i: u32): u32 { return load<u32>(net + (<usize>i << 2)); }

// @ts-ignore: decorator
@inline function guard(v: f32): f32 {
  if (Mathf.abs(v) < TINY) return 0.0;
  return v < -HUGE ? -HUGE : v > HUGE ? HUGE : v;
}

// @ts-ignore: decorator
@inline function guard4(v: v128): v128 {
  const lo = f32x4.splat(-HUGE), hi = f32x4.splat(HUGE);
  let c = v128.bitselect(lo, v, f32x4.lt(v, lo));
  c = v128.bitselect(hi, c, f32x4.gt(c, hi));
  return v128.andnot(c, f32x4.lt(f32x4.abs(v), f32x4.splat(TINY)));
}

function xtanh(x: f32): f32 {
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

function activate(act: u32, alpha: f32, a: f32): f32 {
  if (act == 1) return a > 0.0 ? a : 0.0;
  if (act == 2) return a < 0.0 ? alpha * a : a;
  if (act == 3) return xtanh(a);
  if (act == 4) return xrecip(1.0 + xexp(-a));
  return a;
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
  const nIn = netu(net, 1);
  for (let i: u32 = 0; i < nIn; i++) {
    const sub = netf(net, 8 + i), mul = netf(net, 8 + nIn + i), add = netf(net, 8 + 2 * nIn + i);
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
  const nl = netu(net, 2), table = netu(net, 4);
  for (let k: u32 = 0; k < nl; k++) {
    const t = table + 8 * k;
    const ni = netu(net, t), no = netu(net, t + 1), act = netu(net, t + 2), alpha = netf(net, t + 3);
    const w = net + (<usize>netu(net, t + 4) << 2), b = net + (<usize>netu(net, t + 5) << 2);
    for (let o: u32 = 0; o < no; o++) {
      let acc = load<f32>(b + (<usize>o << 2));
      const row = w + ((<usize>o * ni) << 2);
      for (let i: u32 = 0; i < ni; i++) acc = acc + load<f32>(row + (<usize>i << 2)) * load<f32>(h + (<usize>i << 2));
      store<f32>(g + (<usize>o << 2), acc);
    }
    activateLayer(g, no, 1, 1, act, alpha);
    const tmp = h; h = g; g = tmp;
  }
  return load<f32>(h + (<usize>netu(net, 3) << 2));
}

/** EV events from row0 at once (SIMD build): lanes are events. Writes EV scores at out. */
function scoreBlock(net: usize, x: usize, row0: u32, slot: usize, out: usize): void {
  let h = slot, g = slot + (<usize>(MAXW * EV) << 2);
  inputStage(net, x, row0, EV, EV, h);
  const nl = netu(net, 2), table = netu(net, 4);
  for (let k: u32 = 0; k < nl; k++) {
    const t = table + 8 * k;
    const ni = netu(net, t), no = netu(net, t + 1), act = netu(net, t + 2), alpha = netf(net, t + 3);
    const w = net + (<usize>netu(net, t + 4) << 2), b = net + (<usize>netu(net, t + 5) << 2);
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
  const sp = h + (<usize>(netu(net, 3) * EV) << 2);
  for (let e: u32 = 0; e < EV; e++) store<f32>(out + (<usize>e << 2), load<f32>(sp + (<usize>e << 2)));
}

function claimSlot(): u32 {
  while (true) {
    for (let s: u32 = 0; s < SLOTS; s++) {
      if (atomic.cmpxchg<u32>(locks + (<usize>s << 2), 0, 1) == 0) return s;
    }
  }
  return 0;
}

// params: [item_offset, item_count, opaque_zero, reserved]; bufs: [in_net, in_x, out_score]
// Row of item l in x: item_offset + l (x is shared, indexed by the absolute item index).
export function mlp(params: usize, bufs: usize): void {
  const off = load<u32>(params), n = load<u32>(params, 4);
  const net = <usize>load<u32>(bufs), x = <usize>load<u32>(bufs, 4), out = <usize>load<u32>(bufs, 8);
  const s = claimSlot();
  const slot = scratch + <usize>s * SLOT_BYTES;
  let l: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    for (; l + EV <= n; l += EV) scoreBlock(net, x, off + l, slot, out + (<usize>l << 2));
  }
  for (; l < n; l++) store<f32>(out + (<usize>l << 2), scoreOne(net, x, off + l, slot));
  atomic.store<u32>(locks + (<usize>s << 2), 0);
}
