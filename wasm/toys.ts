// Twin of kernels/toys/ref.ts and toys.wgsl: q~_mu of an s+b and a b-only toy per item.
import { F, ftz, xdiv, xexp, xlog, xsqrt } from './lib/exactmath';
import { DEV_POLY, devF32 } from './lib/deviance';
import { C, S, ftz4, horner4, sel, xdiv4, xexp4, xlog4, xrecip4, xsqrt4 } from './lib/exactmath4';
import { LNF_POLY, drawPois, pA, pA2, pB, pLam, pLinv, pP0, pVr, rsInit, rsNormal, setPois } from './lib/sampling';
import { Q0, Q1, Q2, Q3, philoxBlock4 } from './philox';
import { Bufs, IN_WIN_STRIDE, OUT_Q_STRIDE, Params, Q_B, Q_SB, WIN_B, WIN_PAR, WIN_S, WIN_THETA_B, WIN_THETA_SB } from './gen/toys';

/** Address of word k of the record at r. */
// @ts-ignore: decorator
@inline function word(r: usize, k: u32): usize { return r + (<usize>k << 2); }

// Per-window constants (set by setWindow / setDraw; hoisted out of the per-toy code, same values).
let wK: f32 = 0;

function posRoot(A: f32, B: f32, C: f32): f32 {
  const D = xsqrt(B * B + (<f32>4.0 * A) * C);
  if (B <= 0.0) return xdiv(D - B, <f32>2.0 * A);
  if (C == 0.0) return 0.0;
  return xdiv(<f32>2.0 * C, B + D);
}

function nuLogn(b: f32, par: f32, th: f32): f32 {
  let e = par * th;
  if (e > 60.0) e = 60.0;
  return b * xexp(e);
}

function hLogn(n: f32, aux: f32, sp: f32, b: f32, par: f32, th: f32): f32 {
  const nu = nuLogn(b, par, th);
  const lam = sp + nu;
  const ratio: f32 = lam > 0.0 ? xdiv(nu, lam) : 1.0;
  return (par * nu - par * (n * ratio)) + (th - aux);
}

function prof(n: f32, aux: f32, sp: f32, b: f32, par: f32, kind: u32): f32 {
  if (kind == 3) {
    let lo: f32, hi: f32;
    if (hLogn(n, aux, sp, b, par, aux) > 0.0) {
      lo = (aux - 1.0) - par * nuLogn(b, par, aux);
      hi = aux;
    } else {
      lo = aux;
      hi = (aux + 1.0) + par * n;
    }
    for (let i = 0; i < 64; i++) {
      const mid: f32 = (lo + hi) * 0.5;
      if (hLogn(n, aux, sp, b, par, mid) > 0.0) hi = mid; else lo = mid;
    }
    const th: f32 = (lo + hi) * 0.5;
    const dth = th - aux;
    return devF32(n, sp + nuLogn(b, par, th)) + dth * dth;
  }
  if (kind == 1) {
    const ss = par * par;
    const Bq = ((ss - sp) - b) - aux * par;
    const lam = posRoot(1.0, Bq, n * ss);
    const dth: f32 = lam > 0.0 ? par * xdiv(n - lam, lam) : -xdiv(sp + b, par) - aux;
    return devF32(n, lam) + dth * dth;
  }
  if (kind == 2) {
    const k = wK; // xdiv(par, b), hoisted per window
    const A: f32 = 1.0 + k;
    const nu = posRoot(A, (A * sp - n) - aux, aux * sp);
    return devF32(n, sp + nu) + devF32(aux, k * nu);
  }
  return devF32(n, sp + b);
}

function b0F32(aux: f32, b: f32, par: f32, kind: u32): f32 {
  if (kind == 1) return par * aux + b;
  if (kind == 2) return b * xdiv(aux, par);
  if (kind == 3) return nuLogn(b, par, aux);
  return b;
}

function qtilde(n: f32, aux: f32, s: f32, b: f32, par: f32, kind: u32): f32 {
  const b0 = b0F32(aux, b, par, kind);
  if (n >= s + b0) return 0.0;
  const tmu = prof(n, aux, s, b, par, kind);
  const q: f32 = n >= b0 ? tmu : tmu - prof(n, aux, 0.0, b, par, kind);
  return q > 0.0 ? q : 0.0;
}

function q0(n: f32, aux: f32, b: f32, par: f32, kind: u32): f32 {
  const b0 = b0F32(aux, b, par, kind);
  if (!(n >= b0)) return 0.0;
  const q = prof(n, aux, 0.0, b, par, kind);
  return q > 0.0 ? q : 0.0;
}

// The current toy type's draws (count n, auxiliary) and generation point.
let nLam: f32 = 0, nP0: f32 = 0, nB: f32 = 0, nA: f32 = 0, nA2: f32 = 0, nLinv: f32 = 0, nVr: f32 = 0;
let aLam: f32 = 0, aP0: f32 = 0, aB: f32 = 0, aA: f32 = 0, aA2: f32 = 0, aLinv: f32 = 0, aVr: f32 = 0;
let dTh: f32 = 0;

function setDraw(sig: f32, b: f32, par: f32, th: f32, kind: u32): void {
  const nuG: f32 = kind == 1 ? par * th + b : kind == 2 ? th * b : kind == 3 ? nuLogn(b, par, th) : b;
  const nu: f32 = nuG > 0.0 ? nuG : 0.0;
  setPois(sig + nu);
  nLam = pLam; nP0 = pP0; nB = pB; nA = pA; nA2 = pA2; nLinv = pLinv; nVr = pVr;
  if (kind == 2) {
    setPois(par * th);
    aLam = pLam; aP0 = pP0; aB = pB; aA = pA; aA2 = pA2; aLinv = pLinv; aVr = pVr;
  }
  dTh = th;
}

// The draws of one toy of the current type (n, aux into gN, gAux), as toyScalar.
let gN: f32 = 0, gAux: f32 = 0;
function drawScalar(k0: u32, k1: u32, w: u32, t: u32, kind: u32): void {
  rsInit(k0, k1, w, t, 0);
  gN = drawPois(nLam, nP0, nB, nA, nA2, nLinv, nVr);
  gAux = kind == 1 || kind == 3 ? dTh + rsNormal() : kind == 2 ? drawPois(aLam, aP0, aB, aA, aA2, aLinv, aVr) : 0.0;
}

// One toy of the current type (twin of ref.ts toyF32 with setDraw's constants).
function toyScalar(k0: u32, k1: u32, w: u32, t: u32, s: f32, b: f32, par: f32, kind: u32, stat: u32): f32 {
  drawScalar(k0, k1, w, t, kind);
  return stat == 1 ? q0(gN, gAux, b, par, kind) : qtilde(gN, gAux, s, b, par, kind);
}

// ---- SIMD build: four toys of one window per step (lanes = toys t..t+3). Every lane performs the
// scalar code's operations in the scalar order (branches: both sides, then bitselect; exactmath's
// f32x4 twins). The common path is vectorised: Philox block 0, the first PTRS / polar attempt of
// each draw, q~. A lane whose draw needs a second attempt (or ln k! with k < 10 in PTRS's
// squeeze) gets its draws recomputed by drawScalar; q~ is then computed for the four lanes at once.

// rsUniform on four lanes: ((x >> 8) | 1) 2^-24
// @ts-ignore: decorator
@inline function uni4(x: v128): v128 {
  return f32x4.mul(f32x4.convert_i32x4_u(v128.or(i32x4.shr_u(x, 8), C(1))), S(5.9604644775390625e-8));
}

function devF32_4(n: v128, lam: v128): v128 {
  const d = xdiv4(f32x4.sub(lam, n), n);
  const small = f32x4.lt(f32x4.abs(d), C(0x3dcccccd));
  const p = horner4(d, DEV_POLY, 9);
  let g = f32x4.mul(ftz4(f32x4.mul(d, d)), p);
  const n0 = f32x4.eq(n, S(0.0)), lp = f32x4.gt(lam, S(0.0));
  if (v128.any_true(v128.andnot(v128.andnot(lp, n0), small))) {
    g = sel(small, g, f32x4.sub(d, xlog4(xdiv4(lam, n))));
  }
  const r = sel(lp, f32x4.mul(f32x4.mul(S(2.0), n), g), C(0x7e967699));
  return sel(n0, f32x4.mul(S(2.0), lam), r);
}

function posRoot4(A: v128, B: v128, Cq: v128): v128 {
  const D = xsqrt4(f32x4.add(f32x4.mul(B, B), f32x4.mul(f32x4.mul(S(4.0), A), Cq)));
  const ble = f32x4.le(B, S(0.0));
  const r = xdiv4(sel(ble, f32x4.sub(D, B), f32x4.mul(S(2.0), Cq)), sel(ble, f32x4.mul(S(2.0), A), f32x4.add(B, D)));
  return sel(v128.andnot(f32x4.eq(Cq, S(0.0)), ble), S(0.0), r);
}

// @ts-ignore: decorator
@inline function nuLogn4(b: f32, par: f32, th: v128): v128 {
  let e = f32x4.mul(S(par), th);
  e = sel(f32x4.gt(e, S(60.0)), S(60.0), e);
  return f32x4.mul(S(b), xexp4(e));
}

function hLogn4(n: v128, aux: v128, sp: f32, b: f32, par: f32, th: v128): v128 {
  const nu = nuLogn4(b, par, th);
  const lam = f32x4.add(S(sp), nu);
  const ratio = sel(f32x4.gt(lam, S(0.0)), xdiv4(nu, lam), S(1.0));
  return f32x4.add(f32x4.sub(f32x4.mul(S(par), nu), f32x4.mul(S(par), f32x4.mul(n, ratio))), f32x4.sub(th, aux));
}

function prof4(n: v128, aux: v128, sp: f32, b: f32, par: f32, kind: u32): v128 {
  if (kind == 3) {
    const up = f32x4.gt(hLogn4(n, aux, sp, b, par, aux), S(0.0));
    let lo = sel(up, f32x4.sub(f32x4.sub(aux, S(1.0)), f32x4.mul(S(par), nuLogn4(b, par, aux))), aux);
    let hi = sel(up, aux, f32x4.add(f32x4.add(aux, S(1.0)), f32x4.mul(S(par), n)));
    for (let i = 0; i < 64; i++) {
      const mid = f32x4.mul(f32x4.add(lo, hi), S(0.5));
      const g = f32x4.gt(hLogn4(n, aux, sp, b, par, mid), S(0.0));
      hi = sel(g, mid, hi);
      lo = sel(g, lo, mid);
    }
    const th = f32x4.mul(f32x4.add(lo, hi), S(0.5));
    const dth = f32x4.sub(th, aux);
    return f32x4.add(devF32_4(n, f32x4.add(S(sp), nuLogn4(b, par, th))), f32x4.mul(dth, dth));
  }
  if (kind == 1) {
    const ss = par * par;
    const Bq = f32x4.sub(S((ss - sp) - b), f32x4.mul(aux, S(par)));
    const lam = posRoot4(S(1.0), Bq, f32x4.mul(n, S(ss)));
    const lp = f32x4.gt(lam, S(0.0));
    const r = xdiv4(sel(lp, f32x4.sub(n, lam), S(sp + b)), sel(lp, lam, S(par)));
    const dth = sel(lp, f32x4.mul(S(par), r), f32x4.sub(f32x4.neg(r), aux));
    return f32x4.add(devF32_4(n, lam), f32x4.mul(dth, dth));
  }
  if (kind == 2) {
    const k = wK;
    const A: f32 = 1.0 + k;
    const nu = posRoot4(S(A), f32x4.sub(f32x4.sub(S(A * sp), n), aux), f32x4.mul(aux, S(sp)));
    return f32x4.add(devF32_4(n, f32x4.add(S(sp), nu)), devF32_4(aux, f32x4.mul(S(k), nu)));
  }
  return devF32_4(n, S(sp + b));
}

function b0F32_4(aux: v128, b: f32, par: f32, kind: u32): v128 {
  if (kind == 1) return f32x4.add(f32x4.mul(S(par), aux), S(b));
  if (kind == 2) return f32x4.mul(S(b), xdiv4(aux, S(par)));
  if (kind == 3) return nuLogn4(b, par, aux);
  return S(b);
}

function q4(n: v128, aux: v128, s: f32, b: f32, par: f32, kind: u32, stat: u32): v128 {
  const b0 = b0F32_4(aux, b, par, kind);
  const ge0 = f32x4.ge(n, b0);
  if (stat == 1) {
    if (!v128.any_true(ge0)) return S(0.0);
    const q = prof4(n, aux, 0.0, b, par, kind);
    return sel(v128.and(ge0, f32x4.gt(q, S(0.0))), q, S(0.0));
  }
  const zero = f32x4.ge(n, f32x4.add(S(s), b0));
  if (i32x4.all_true(zero)) return S(0.0);
  let q = prof4(n, aux, s, b, par, kind);
  if (v128.any_true(v128.not(v128.or(ge0, zero)))) q = sel(ge0, q, f32x4.sub(q, prof4(n, aux, 0.0, b, par, kind)));
  return sel(v128.andnot(f32x4.gt(q, S(0.0)), zero), q, S(0.0));
}

// Inversion (lam < 10): the p, F sequence depends on lam only, so it is shared by the lanes.
function inv4(u: v128, lam: f32, p0: f32): v128 {
  let p = p0;
  let Fc = p;
  let k: f32 = 0.0;
  let kv = S(0.0);
  if (!(p > F(0x2edbe6ff))) return kv;
  let act = f32x4.gt(u, S(Fc));
  while (v128.any_true(act)) {
    k = k + 1.0;
    p = ftz(p * xdiv(lam, k));
    Fc = Fc + p;
    kv = sel(act, S(k), kv);
    if (!(p > F(0x2edbe6ff))) break;
    act = v128.and(act, f32x4.gt(u, S(Fc)));
  }
  return kv;
}

// ln k! term of logPoisPmf for k >= 10 (Stirling), lanes with k < 10 are not used.
function logPoisPmf4(k: v128, lam: f32): v128 {
  const d = xdiv4(f32x4.sub(k, S(lam)), S(lam));
  const small = f32x4.lt(f32x4.abs(d), S(0.25));
  const p = horner4(d, LNF_POLY, 11);
  let h = f32x4.mul(ftz4(f32x4.mul(d, d)), p);
  if (!i32x4.all_true(small)) {
    const e = f32x4.add(S(1.0), d);
    h = sel(small, h, f32x4.sub(f32x4.mul(e, xlog4(e)), d));
  }
  const rk = xrecip4(k);
  const rk2 = f32x4.mul(rk, rk);
  const corr = f32x4.mul(rk, f32x4.sub(C(0x3daaaaab), f32x4.mul(rk2, f32x4.sub(C(0x3b360b61), f32x4.mul(rk2, C(0x3a500d01))))));
  return f32x4.sub(f32x4.sub(f32x4.neg(f32x4.mul(S(lam), h)), f32x4.add(f32x4.mul(S(0.5), xlog4(k)), C(0x3f6b3f8e))), corr);
}

// The first PTRS attempt with uniforms (u, V): k, NaN in the lanes it did not accept.
function ptrs4(u: v128, V: v128, lam: f32, b: f32, a: f32, a2: f32, linv: f32, vr: f32): v128 {
  const U = f32x4.sub(u, S(0.5));
  const us = f32x4.sub(S(0.5), f32x4.abs(U));
  const k = f32x4.floor(f32x4.add(f32x4.add(f32x4.mul(f32x4.add(xdiv4(S(a2), us), S(b)), U), S(lam)), C(0x3edc28f6)));
  const fast = v128.and(f32x4.ge(us, C(0x3d8f5c29)), f32x4.le(V, S(vr)));
  let ok = fast;
  if (!i32x4.all_true(fast)) {
    const quick = v128.or(f32x4.lt(k, S(0.0)), v128.and(f32x4.lt(us, C(0x3c54fdf4)), f32x4.gt(V, us)));
    const slow = v128.and(v128.not(v128.or(fast, quick)), f32x4.ge(k, S(10.0)));
    if (v128.any_true(slow)) {
      const lhs = f32x4.sub(f32x4.add(xlog4(V), S(linv)), xlog4(f32x4.add(xdiv4(S(a), f32x4.mul(us, us)), S(b))));
      ok = v128.or(ok, v128.and(slow, f32x4.le(lhs, logPoisPmf4(k, lam))));
    }
  }
  return sel(ok, k, C(0x7fc00000));
}

function group4(k0: u32, k1: u32, w: u32, t: u32, s: f32, b: f32, par: f32, kind: u32, stat: u32, o: usize): void {
  // Philox block 0 of counters (0, w, t + i, 0), as wasm/philox.ts.
  philoxBlock4(i32x4.splat(0), i32x4.splat(w), i32x4.add(i32x4.splat(t), i32x4(0, 1, 2, 3)), i32x4.splat(0), k0, k1);
  const u0 = uni4(Q0), u1 = uni4(Q1), u2 = uni4(Q2), u3 = uni4(Q3);
  let ok = i32x4.splat(-1);
  let n: v128, ua: v128, ub: v128;
  if (nLam < 10.0) {
    n = inv4(u0, nLam, nP0);
    ua = u1; ub = u2;
  } else {
    n = ptrs4(u0, u1, nLam, nB, nA, nA2, nLinv, nVr);
    ok = f32x4.eq(n, n);
    ua = u2; ub = u3;
  }
  let aux = S(0.0);
  if (kind == 1 || kind == 3) {
    const x = f32x4.sub(f32x4.mul(S(2.0), ua), S(1.0));
    const y = f32x4.sub(f32x4.mul(S(2.0), ub), S(1.0));
    const r2 = f32x4.add(f32x4.mul(x, x), f32x4.mul(y, y));
    ok = v128.and(ok, v128.and(f32x4.lt(r2, S(1.0)), f32x4.gt(r2, S(0.0))));
    aux = f32x4.add(S(dTh), f32x4.mul(x, xsqrt4(xdiv4(f32x4.mul(S(-2.0), xlog4(r2)), r2))));
  } else if (kind == 2) {
    if (aLam < 10.0) {
      aux = inv4(ua, aLam, aP0);
    } else {
      aux = ptrs4(ua, ub, aLam, aB, aA, aA2, aLinv, aVr);
      ok = v128.and(ok, f32x4.eq(aux, aux));
    }
  }
  const redo = ~i32x4.bitmask(ok) & 15;
  if (redo != 0) { // lanes whose draws need more than the first attempt: both draws scalar, q~ stays vector
    if (redo & 1) { drawScalar(k0, k1, w, t, kind); n = f32x4.replace_lane(n, 0, gN); aux = f32x4.replace_lane(aux, 0, gAux); }
    if (redo & 2) { drawScalar(k0, k1, w, t + 1, kind); n = f32x4.replace_lane(n, 1, gN); aux = f32x4.replace_lane(aux, 1, gAux); }
    if (redo & 4) { drawScalar(k0, k1, w, t + 2, kind); n = f32x4.replace_lane(n, 2, gN); aux = f32x4.replace_lane(aux, 2, gAux); }
    if (redo & 8) { drawScalar(k0, k1, w, t + 3, kind); n = f32x4.replace_lane(n, 3, gN); aux = f32x4.replace_lane(aux, 3, gAux); }
  }
  const q = q4(n, aux, s, b, par, kind, stat);
  store<f32>(o, f32x4.extract_lane(q, 0));
  store<f32>(o + OUT_Q_STRIDE, f32x4.extract_lane(q, 1));
  store<f32>(o + 2 * OUT_Q_STRIDE, f32x4.extract_lane(q, 2));
  store<f32>(o + 3 * OUT_Q_STRIDE, f32x4.extract_lane(q, 3));
}

// Items run window by window (a window's toys are consecutive items), the s+b toys of a window,
// then its b-only toys; the SIMD build computes four toys of a window per step.
export function toys(params: usize, bufs: usize): void {
  const P = changetype<Params>(params), B = changetype<Bufs>(bufs);
  const off = P.item_offset, count = P.item_count;
  const ks0 = P.key_sb0, ks1 = P.key_sb1, kb0 = P.key_b0, kb1 = P.key_b1;
  const toys = P.toys, toy0 = P.toy0, kind = P.kind, stat = P.stat;
  const win = B.in_win, out = B.out_q;
  let l: u32 = 0;
  while (l < count) {
    const a = off + l;
    const w = a / toys;
    const j = a - w * toys;
    const left = count - l;
    const run: u32 = toys - j < left ? toys - j : left;
    const wp = win + <usize>w * IN_WIN_STRIDE;
    const s = load<f32>(word(wp, WIN_S)), b = load<f32>(word(wp, WIN_B)), par = load<f32>(word(wp, WIN_PAR));
    wK = kind == 2 ? xdiv(par, b) : 0.0;
    for (let h: u32 = 0; h < 2; h++) {
      const k0 = h == 0 ? ks0 : kb0, k1 = h == 0 ? ks1 : kb1;
      const th = h == 0 ? WIN_THETA_SB : WIN_THETA_B, qk = h == 0 ? Q_SB : Q_B; // the s+b toys, then the b-only ones
      setDraw(h == 0 ? s : 0.0, b, par, load<f32>(word(wp, th)), kind);
      const o = word(out + <usize>l * OUT_Q_STRIDE, qk);
      let i: u32 = 0;
      if (ASC_FEATURE_SIMD) {
        for (; i + 4 <= run; i += 4) group4(k0, k1, w, toy0 + j + i, s, b, par, kind, stat, o + <usize>i * OUT_Q_STRIDE);
      }
      for (; i < run; i++) store<f32>(o + <usize>i * OUT_Q_STRIDE, toyScalar(k0, k1, w, toy0 + j + i, s, b, par, kind, stat));
    }
    l += run;
  }
}
