// Twin of kernels/toys/ref.ts and toys.wgsl: q~_mu of an s+b and a b-only toy per item.
import { ftz, xdiv, xexp, xlog, xsqrt } from './lib/exactmath';
import { logPoisPmf, rsInit, rsNormal, rsUniform } from './lib/sampling';

// @ts-ignore: decorator
@inline function F(u: u32): f32 { return reinterpret<f32>(u); }

// Per-window constants (set by setWindow / setDraw; hoisted out of the per-toy code, same values).
let wK: f32 = 0;

function devF32(n: f32, lam: f32): f32 {
  if (n == 0.0) return <f32>2.0 * lam;
  if (!(lam > 0.0)) return F(0x7e967699);
  const d = xdiv(lam - n, n);
  let g: f32;
  if (Mathf.abs(d) < 0.1) {
    let p = F(0x3dcccccd);
    p = p * d + F(0xbde38e39);
    p = p * d + F(0x3e000000);
    p = p * d + F(0xbe124925);
    p = p * d + F(0x3e2aaaab);
    p = p * d + F(0xbe4ccccd);
    p = p * d + F(0x3e800000);
    p = p * d + F(0xbeaaaaab);
    p = p * d + F(0x3f000000);
    g = ftz(d * d) * p;
  } else {
    g = d - xlog(xdiv(lam, n));
  }
  return (<f32>2.0 * n) * g;
}

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

// One Poisson draw's constants (rsPoisson's set-up, which depends on lam only): set by setPois.
let pLam: f32 = 0, pP0: f32 = 0, pB: f32 = 0, pA: f32 = 0, pA2: f32 = 0, pLinv: f32 = 0, pVr: f32 = 0;
function setPois(lam: f32): void {
  pLam = lam;
  if (lam < 10.0) { pP0 = xexp(-lam); return; }
  const slam = xsqrt(lam);
  const b = F(0x4021eb85) * slam + F(0x3f6e5604);
  const a = F(0x3ccb6849) * b + F(0xbd71a9fc);
  pB = b; pA = a; pA2 = 2.0 * a;
  pLinv = xlog(xdiv(F(0x3f90ff97), b - F(0x4059999a)) + F(0x3f8fdbf5));
  pVr = F(0x3f6d7dbf) - xdiv(F(0x4067d567), b - 2.0);
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

// rsPoisson (wasm/lib/sampling.ts) with its lam-only set-up precomputed: the same operations.
// @ts-ignore: decorator
@inline function drawPois(lam: f32, p0: f32, b: f32, a: f32, a2: f32, linv: f32, vr: f32): f32 {
  if (lam < 10.0) {
    const u = rsUniform();
    let p = p0;
    let Fc = p;
    let k: f32 = 0.0;
    while (u > Fc && p > F(0x2edbe6ff)) {
      k = k + 1.0;
      p = ftz(p * xdiv(lam, k));
      Fc = Fc + p;
    }
    return k;
  }
  for (let it = 0; it < 64; it++) {
    const U: f32 = rsUniform() - 0.5;
    const V = rsUniform();
    const us: f32 = 0.5 - Mathf.abs(U);
    const k = Mathf.floor(((xdiv(a2, us) + b) * U + lam) + F(0x3edc28f6));
    if (us >= F(0x3d8f5c29) && V <= vr) return k;
    if (k < 0.0 || (us < F(0x3c54fdf4) && V > us)) continue;
    const lhs = (xlog(V) + linv) - xlog(xdiv(a, us * us) + b);
    if (lhs <= logPoisPmf(k, lam)) return k;
  }
  return Mathf.floor(lam);
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
  rsInit(k0, k1, w, t, 0);
  const n = drawPois(nLam, nP0, nB, nA, nA2, nLinv, nVr);
  const aux: f32 = kind == 1 || kind == 3 ? dTh + rsNormal() : kind == 2 ? drawPois(aLam, aP0, aB, aA, aA2, aLinv, aVr) : 0.0;
  return stat == 1 ? q0(n, aux, b, par, kind) : qtilde(n, aux, s, b, par, kind);
}

// ---- SIMD build: four toys of one window per step (lanes = toys t..t+3). Every lane performs the
// scalar code's operations in the scalar order (branches: both sides, then bitselect; exactmath's
// f32x4 twins). The common path is vectorised: Philox block 0, the first PTRS / polar attempt of
// each draw, q~. A lane whose draw needs a second attempt (or ln k! with k < 10 in PTRS's
// squeeze) gets its draws recomputed by drawScalar; q~ is then computed for the four lanes at once.

// @ts-ignore: decorator
@inline function S(x: f32): v128 { return f32x4.splat(x); }
// @ts-ignore: decorator
@inline function C(u: u32): v128 { return i32x4.splat(u); }
// @ts-ignore: decorator
@inline function sel(mask: v128, a: v128, b: v128): v128 { return v128.bitselect(a, b, mask); }
// @ts-ignore: decorator
@inline function mulhi4(a: v128, m: v128): v128 {
  return v128.shuffle<u32>(i64x2.extmul_low_i32x4_u(a, m), i64x2.extmul_high_i32x4_u(a, m), 1, 3, 5, 7);
}
// @ts-ignore: decorator
@inline function uni4(x: v128): v128 { // rsUniform: ((x >> 8) | 1) 2^-24
  return f32x4.mul(f32x4.convert_i32x4_u(v128.or(i32x4.shr_u(x, 8), C(1))), S(5.9604644775390625e-8));
}


// f32x4 twins of wasm/lib/exactmath.ts: lane i performs exactly the scalar function's sequence
// of operations on lane i (branches become both-sides-then-bitselect), so each lane has its bits.

// @ts-ignore: decorator
@inline function ftz4(x: v128): v128 {
  return sel(i32x4.lt_u(v128.and(x, C(0x7fffffff)), C(0x0d800000)), v128.and(x, C(0x80000000)), x);
}

function xexp4(x0: v128): v128 {
  const x = sel(f32x4.gt(x0, C(0x42b00000)), C(0x42b00000), x0); // 88
  const n = f32x4.floor(f32x4.add(f32x4.mul(x, C(0x3fb8aa3b)), f32x4.splat(0.5)));
  let r = f32x4.sub(x, f32x4.mul(n, C(0x3f318000)));
  r = f32x4.sub(r, f32x4.mul(n, C(0xb95e8083)));
  const z = ftz4(f32x4.mul(r, r));
  let p = f32x4.add(f32x4.mul(C(0x39506967), r), C(0x3ab743ce));
  p = f32x4.add(f32x4.mul(p, r), C(0x3c088908));
  p = f32x4.add(f32x4.mul(p, r), C(0x3d2aa9c1));
  p = f32x4.add(f32x4.mul(p, r), C(0x3e2aaaaa));
  p = f32x4.add(f32x4.mul(p, r), C(0x3f000000));
  p = f32x4.add(f32x4.add(f32x4.mul(p, z), r), f32x4.splat(1.0));
  const sc = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return sel(f32x4.lt(x0, f32x4.splat(-86.0)), f32x4.splat(0.0), f32x4.mul(p, sc));
}

function xlog4(x: v128): v128 {
  const bad = v128.not(f32x4.ge(x, C(0x00800000)));
  let e = i32x4.sub(v128.and(i32x4.shr_u(x, 23), C(0xff)), i32x4.splat(126));
  let m = v128.or(v128.and(x, C(0x007fffff)), C(0x3f000000));
  const lo = f32x4.lt(m, C(0x3f3504f3));
  e = i32x4.add(e, lo); // lo lanes are -1: e -= 1
  m = f32x4.sub(sel(lo, f32x4.add(m, m), m), f32x4.splat(1.0));
  const z = f32x4.mul(m, m);
  let p = f32x4.add(f32x4.mul(C(0x3d9021bb), m), C(0xbdebd1b8));
  p = f32x4.add(f32x4.mul(p, m), C(0x3def251a));
  p = f32x4.add(f32x4.mul(p, m), C(0xbdfe5d4f));
  p = f32x4.add(f32x4.mul(p, m), C(0x3e11e9bf));
  p = f32x4.add(f32x4.mul(p, m), C(0xbe2aae50));
  p = f32x4.add(f32x4.mul(p, m), C(0x3e4cceac));
  p = f32x4.add(f32x4.mul(p, m), C(0xbe7ffffc));
  p = f32x4.add(f32x4.mul(p, m), C(0x3eaaaaaa));
  const ef = f32x4.convert_i32x4_s(e);
  let y = f32x4.mul(f32x4.mul(p, m), z);
  y = f32x4.add(y, f32x4.mul(ef, C(0xb95e8083)));
  y = f32x4.sub(y, f32x4.mul(f32x4.splat(0.5), z));
  let r = f32x4.add(m, y);
  r = f32x4.add(r, f32x4.mul(ef, C(0x3f318000)));
  return sel(bad, C(0xc2aeac50), r);
}

function xrecip4(x: v128): v128 {
  const s = v128.and(x, C(0x80000000));
  let a = v128.and(x, C(0x7fffffff));
  a = sel(f32x4.lt(a, C(0x01000000)), C(0x01000000), a);
  a = sel(f32x4.gt(a, C(0x7e000000)), C(0x7e000000), a);
  const two = f32x4.splat(2.0);
  let y = i32x4.sub(C(0x7ef311c3), a);
  y = f32x4.mul(y, f32x4.sub(two, f32x4.mul(a, y)));
  y = f32x4.mul(y, f32x4.sub(two, f32x4.mul(a, y)));
  y = f32x4.mul(y, f32x4.sub(two, f32x4.mul(a, y)));
  const e = ftz4(f32x4.sub(f32x4.splat(1.0), f32x4.mul(a, y)));
  y = f32x4.add(y, ftz4(f32x4.mul(y, e)));
  return v128.or(y, s);
}

function xdiv4(a: v128, b: v128): v128 {
  const y = xrecip4(b);
  const q = ftz4(f32x4.mul(a, y));
  const r = ftz4(f32x4.sub(a, ftz4(f32x4.mul(q, b))));
  return ftz4(f32x4.add(q, ftz4(f32x4.mul(r, y))));
}

function xsqrt4(x: v128): v128 {
  const bad = v128.not(f32x4.ge(x, C(0x03800000)));
  const h = f32x4.mul(f32x4.splat(0.5), x);
  const th = f32x4.splat(1.5);
  let y = i32x4.sub(C(0x5f3759df), i32x4.shr_u(x, 1));
  y = f32x4.mul(y, f32x4.sub(th, f32x4.mul(f32x4.mul(h, y), y)));
  y = f32x4.mul(y, f32x4.sub(th, f32x4.mul(f32x4.mul(h, y), y)));
  y = f32x4.mul(y, f32x4.sub(th, f32x4.mul(f32x4.mul(h, y), y)));
  const s = f32x4.mul(x, y);
  const d = ftz4(f32x4.sub(x, f32x4.mul(s, s)));
  return sel(bad, f32x4.splat(0.0), f32x4.add(s, ftz4(f32x4.mul(f32x4.mul(f32x4.splat(0.5), y), d))));
}

function devF32_4(n: v128, lam: v128): v128 {
  const d = xdiv4(f32x4.sub(lam, n), n);
  const small = f32x4.lt(f32x4.abs(d), C(0x3dcccccd));
  let p = C(0x3dcccccd);
  p = f32x4.add(f32x4.mul(p, d), C(0xbde38e39));
  p = f32x4.add(f32x4.mul(p, d), C(0x3e000000));
  p = f32x4.add(f32x4.mul(p, d), C(0xbe124925));
  p = f32x4.add(f32x4.mul(p, d), C(0x3e2aaaab));
  p = f32x4.add(f32x4.mul(p, d), C(0xbe4ccccd));
  p = f32x4.add(f32x4.mul(p, d), C(0x3e800000));
  p = f32x4.add(f32x4.mul(p, d), C(0xbeaaaaab));
  p = f32x4.add(f32x4.mul(p, d), C(0x3f000000));
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
  let p = C(0x3bf83e10);
  p = f32x4.add(f32x4.mul(p, d), C(0xbc14f209));
  p = f32x4.add(f32x4.mul(p, d), C(0x3c360b61));
  p = f32x4.add(f32x4.mul(p, d), C(0xbc638e39));
  p = f32x4.add(f32x4.mul(p, d), C(0x3c924925));
  p = f32x4.add(f32x4.mul(p, d), C(0xbcc30c31));
  p = f32x4.add(f32x4.mul(p, d), C(0x3d088889));
  p = f32x4.add(f32x4.mul(p, d), C(0xbd4ccccd));
  p = f32x4.add(f32x4.mul(p, d), C(0x3daaaaab));
  p = f32x4.add(f32x4.mul(p, d), C(0xbe2aaaab));
  p = f32x4.add(f32x4.mul(p, d), C(0x3f000000));
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
  let x0 = i32x4.splat(0), x1 = i32x4.splat(w), x2 = i32x4.add(i32x4.splat(t), i32x4(0, 1, 2, 3)), x3 = i32x4.splat(0);
  const m0 = i32x4.splat(0xd2511f53), m1 = i32x4.splat(0xcd9e8d57);
  let ka = k0, kb = k1;
  for (let r = 0; r < 10; r++) {
    if (r > 0) { ka += 0x9e3779b9; kb += 0xbb67ae85; }
    const hi0 = mulhi4(x0, m0), lo0 = i32x4.mul(x0, m0);
    const hi1 = mulhi4(x2, m1), lo1 = i32x4.mul(x2, m1);
    x0 = v128.xor(v128.xor(hi1, x1), i32x4.splat(ka));
    x1 = lo1;
    x2 = v128.xor(v128.xor(hi0, x3), i32x4.splat(kb));
    x3 = lo0;
  }
  const u0 = uni4(x0), u1 = uni4(x1), u2 = uni4(x2), u3 = uni4(x3);
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
  store<f32>(o, f32x4.extract_lane(q, 1), 8);
  store<f32>(o, f32x4.extract_lane(q, 2), 16);
  store<f32>(o, f32x4.extract_lane(q, 3), 24);
}

// params: [item_offset, item_count, opaque_zero, reserved, key_sb0, key_sb1, key_b0, key_b1, toys, toy0, kind, stat]
// bufs: [in_win, out_q]. Items run window by window (a window's toys are consecutive items), the
// s+b toys of a window, then its b-only toys; the SIMD build computes four toys of a window per step.
export function toys_qtilde(params: usize, bufs: usize): void {
  const off = load<u32>(params), count = load<u32>(params, 4);
  const ks0 = load<u32>(params, 16), ks1 = load<u32>(params, 20), kb0 = load<u32>(params, 24), kb1 = load<u32>(params, 28);
  const toys = load<u32>(params, 32), toy0 = load<u32>(params, 36), kind = load<u32>(params, 40), stat = load<u32>(params, 44);
  const win = <usize>load<u32>(bufs), out = <usize>load<u32>(bufs, 4);
  let l: u32 = 0;
  while (l < count) {
    const a = off + l;
    const w = a / toys;
    const j = a - w * toys;
    const left = count - l;
    const run: u32 = toys - j < left ? toys - j : left;
    const wp = win + (<usize>w << 5);
    const s = load<f32>(wp), b = load<f32>(wp, 4), par = load<f32>(wp, 8);
    wK = kind == 2 ? xdiv(par, b) : 0.0;
    for (let h: u32 = 0; h < 2; h++) {
      const k0 = h == 0 ? ks0 : kb0, k1 = h == 0 ? ks1 : kb1;
      setDraw(h == 0 ? s : 0.0, b, par, load<f32>(wp + (<usize>h << 2), 12), kind);
      const o = out + (<usize>l << 3) + (<usize>h << 2);
      let i: u32 = 0;
      if (ASC_FEATURE_SIMD) {
        for (; i + 4 <= run; i += 4) group4(k0, k1, w, toy0 + j + i, s, b, par, kind, stat, o + (<usize>i << 3));
      }
      for (; i < run; i++) store<f32>(o + (<usize>i << 3), toyScalar(k0, k1, w, toy0 + j + i, s, b, par, kind, stat));
    }
    l += run;
  }
}
