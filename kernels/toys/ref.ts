import type { RefKernel } from '../types.js';
import { bitsToF32 as F, f32ToBits, xdiv, xexp, xsqrt } from '../lib/exactmath.js';
import { newStream, rsInit, rsNormal, rsPoisson, type RStream } from '../lib/sampling.js';
import { devF32 } from '../lib/deviance.js';

export { devF32 };

// q~_mu per toy in f32 with exact math (twins: toys.wgsl, wasm/toys.ts). The model and the
// profiles are those of engine/stats/model.ts: kind 0 known b, 1 gauss (nu = b + sigma theta,
// aux ~ N(theta, 1)), 2 poisson (nu = gamma b, aux ~ Pois(tau gamma)), both in closed form;
// 3 lognormal (nu = b exp(ln(kappa) theta), aux ~ N(theta, 1)), profiled by 64 bisection steps.
const fr = Math.fround;
export const TOY_KIND = { none: 0, gauss: 1, poisson: 2, lognormal: 3 } as const;
export const WIN_WORDS = 8; // per window: s = mu s_ref, b, par (sigma, tau or ln kappa), theta_sb, theta_b, 0, 0, 0
export const WIN_S = 0;
export const WIN_B = 1;
export const WIN_PAR = 2;
export const WIN_THETA_SB = 3;
export const WIN_THETA_B = 4;
/** Output per item: q~ of the s+b toy, of the b-only toy. */
export const Q_WORDS = 2;
export const Q_SB = 0;
export const Q_B = 1;
/** The window record and output fields as the kernels see them (KernelDesc.constants: generated into WGSL and AssemblyScript). */
export const TOYS_CONSTANTS = { WIN_S, WIN_B, WIN_PAR, WIN_THETA_SB, WIN_THETA_B, Q_SB, Q_B } as const;
/** Positive root of A x^2 + B x - C = 0 (A > 0, C >= 0) without cancellation. */
export function posRootF32(A: number, B: number, C: number): number {
  const D = xsqrt(fr(fr(B * B) + fr(fr(4 * A) * C)));
  if (B <= 0) return xdiv(fr(D - B), fr(2 * A));
  if (C === 0) return 0;
  return xdiv(fr(2 * C), fr(B + D));
}

/** Log-normal background b exp(min(par theta, 60)) (the clamp keeps it finite in f32). */
export function nuLognF32(b: number, par: number, th: number): number {
  let e = fr(par * th);
  if (e > 60) e = 60;
  return fr(b * xexp(e));
}

/** Half the derivative of the log-normal profile objective: kappa nu - kappa n nu / lam + (theta - a). */
function hLognF32(n: number, aux: number, sp: number, b: number, par: number, th: number): number {
  const nu = nuLognF32(b, par, th), lam = fr(sp + nu);
  const ratio = lam > 0 ? xdiv(nu, lam) : 1;
  return fr(fr(fr(par * nu) - fr(par * fr(n * ratio))) + fr(th - aux));
}

/** Profile deviance at fixed signal sp (background nuisance profiled). */
export function profF32(n: number, aux: number, sp: number, b: number, par: number, kind: number): number {
  if (kind === 3) {
    // The root of h lies in [a - 1 - kappa nu(a), a] when h(a) > 0, else in [a, a + 1 + kappa n].
    let lo: number, hi: number;
    if (hLognF32(n, aux, sp, b, par, aux) > 0) {
      lo = fr(fr(aux - 1) - fr(par * nuLognF32(b, par, aux)));
      hi = aux;
    } else {
      lo = aux;
      hi = fr(fr(aux + 1) + fr(par * n));
    }
    for (let i = 0; i < 64; i++) {
      const mid = fr(fr(lo + hi) * 0.5);
      if (hLognF32(n, aux, sp, b, par, mid) > 0) hi = mid; else lo = mid;
    }
    const th = fr(fr(lo + hi) * 0.5), dth = fr(th - aux);
    return fr(devF32(n, fr(sp + nuLognF32(b, par, th))) + fr(dth * dth));
  }
  if (kind === 1) {
    const ss = fr(par * par);
    const Bq = fr(fr(fr(ss - sp) - b) - fr(aux * par));
    const lam = posRootF32(1, Bq, fr(n * ss));
    const dth = lam > 0 ? fr(par * xdiv(fr(n - lam), lam)) : fr(-xdiv(fr(sp + b), par) - aux);
    return fr(devF32(n, lam) + fr(dth * dth));
  }
  if (kind === 2) {
    const k = xdiv(par, b), A = fr(1 + k);
    const nu = posRootF32(A, fr(fr(fr(A * sp) - n) - aux), fr(aux * sp));
    return fr(devF32(n, fr(sp + nu)) + devF32(aux, fr(k * nu)));
  }
  return devF32(n, fr(sp + b));
}

/** q~_mu of arXiv:1007.1727 eq. (16) for count n and auxiliary aux at signal s = mu s_ref. */
/** Background of the unconditional fit (nuisance at its auxiliary value). */
function b0F32(aux: number, b: number, par: number, kind: number): number {
  return kind === 1 ? fr(fr(par * aux) + b) : kind === 2 ? fr(b * xdiv(aux, par)) : kind === 3 ? nuLognF32(b, par, aux) : b;
}

export function qtildeF32(n: number, aux: number, s: number, b: number, par: number, kind: number): number {
  const b0 = b0F32(aux, b, par, kind);
  if (n >= fr(s + b0)) return 0;
  const tmu = profF32(n, aux, s, b, par, kind);
  const q = n >= b0 ? tmu : fr(tmu - profF32(n, aux, 0, b, par, kind));
  return q > 0 ? q : 0;
}

/** q_0 of arXiv:1007.1727 eq. (12): the profile deviance at mu = 0 when mu-hat >= 0, else 0. */
export function q0F32(n: number, aux: number, b: number, par: number, kind: number): number {
  const b0 = b0F32(aux, b, par, kind);
  if (!(n >= b0)) return 0;
  const q = profF32(n, aux, 0, b, par, kind);
  return q > 0 ? q : 0;
}

/** One toy: count and auxiliary from the stream, generated at (sig, theta); stat 0 q~_mu, 1 q_0. */
export function toyF32(st: RStream, sig: number, s: number, b: number, par: number, th: number, kind: number, stat = 0): number {
  const nuG = kind === 1 ? fr(fr(par * th) + b) : kind === 2 ? fr(th * b) : kind === 3 ? nuLognF32(b, par, th) : b;
  const nu = nuG > 0 ? nuG : 0;
  const n = rsPoisson(st, fr(sig + nu));
  const aux = kind === 1 || kind === 3 ? fr(th + rsNormal(st)) : kind === 2 ? rsPoisson(st, fr(par * th)) : 0;
  return stat === 1 ? q0F32(n, aux, b, par, kind) : qtildeF32(n, aux, s, b, par, kind);
}

// params: [item_offset, item_count, opaque_zero, reserved, key_sb0, key_sb1, key_b0, key_b1, toys, toy0, kind, stat]
// item a = item_offset + l: window w = a / toys, toy t = toy0 + a % toys; counter (block, w, t, 0).
export const toysRef: RefKernel = (p, [win], [out]) => {
  const off = p[0], count = p[1], ks0 = p[4], ks1 = p[5], kb0 = p[6], kb1 = p[7], toys = p[8], toy0 = p[9], kind = p[10], stat = p[11];
  const st = newStream();
  for (let l = 0; l < count; l++) {
    const a = (off + l) >>> 0;
    const w = Math.floor(a / toys);
    const t = (toy0 + (a - w * toys)) >>> 0;
    const r = WIN_WORDS * w, o = Q_WORDS * l;
    const s = F(win[r + WIN_S]), b = F(win[r + WIN_B]), par = F(win[r + WIN_PAR]);
    rsInit(st, ks0, ks1, w, t, 0);
    out[o + Q_SB] = f32ToBits(toyF32(st, s, s, b, par, F(win[r + WIN_THETA_SB]), kind, stat));
    rsInit(st, kb0, kb1, w, t, 0);
    out[o + Q_B] = f32ToBits(toyF32(st, 0, s, b, par, F(win[r + WIN_THETA_B]), kind, stat));
  }
};
