// Twin of kernels/toys/ref.ts and toys.wgsl: q~_mu of an s+b and a b-only toy per item.
import { ftz, xdiv, xexp, xlog, xsqrt } from './lib/exactmath';
import { rsInit, rsNormal, rsPoisson } from './lib/sampling';

// @ts-ignore: decorator
@inline function F(u: u32): f32 { return reinterpret<f32>(u); }

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
    const k = xdiv(par, b);
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

function toy(sig: f32, s: f32, b: f32, par: f32, th: f32, kind: u32, stat: u32): f32 {
  const nuG: f32 = kind == 1 ? par * th + b : kind == 2 ? th * b : kind == 3 ? nuLogn(b, par, th) : b;
  const nu: f32 = nuG > 0.0 ? nuG : 0.0;
  const n = rsPoisson(sig + nu);
  const aux: f32 = kind == 1 || kind == 3 ? th + rsNormal() : kind == 2 ? rsPoisson(par * th) : 0.0;
  return stat == 1 ? q0(n, aux, b, par, kind) : qtilde(n, aux, s, b, par, kind);
}

// params: [item_offset, item_count, opaque_zero, reserved, key_sb0, key_sb1, key_b0, key_b1, toys, toy0, kind, stat]
// bufs: [in_win, out_q]
export function toys_qtilde(params: usize, bufs: usize): void {
  const off = load<u32>(params), count = load<u32>(params, 4);
  const ks0 = load<u32>(params, 16), ks1 = load<u32>(params, 20), kb0 = load<u32>(params, 24), kb1 = load<u32>(params, 28);
  const toys = load<u32>(params, 32), toy0 = load<u32>(params, 36), kind = load<u32>(params, 40), stat = load<u32>(params, 44);
  const win = <usize>load<u32>(bufs), out = <usize>load<u32>(bufs, 4);
  for (let l: u32 = 0; l < count; l++) {
    const a = off + l;
    const w = a / toys;
    const t = toy0 + (a - w * toys);
    const wp = win + (<usize>w << 5);
    const s = load<f32>(wp), b = load<f32>(wp, 4), par = load<f32>(wp, 8);
    rsInit(ks0, ks1, w, t, 0);
    store<f32>(out + (<usize>l << 3), toy(s, s, b, par, load<f32>(wp, 12), kind, stat));
    rsInit(kb0, kb1, w, t, 0);
    store<f32>(out + (<usize>l << 3), toy(0.0, s, b, par, load<f32>(wp, 16), kind, stat), 4);
  }
}
