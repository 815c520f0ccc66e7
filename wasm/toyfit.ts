// Toys with fits, one toy per item: twin of kernels/toyfit/ref.ts (its DESIGN block) and
// toyfit.wgsl. The toy's data block is written into a per-slot static area and the shared fit body
// of wasm/fit.ts (fitOne) reads it there.
import { ftz, xrecip, xsqrt } from './lib/exactmath';
import { DF, df, dfHi, dfSub } from './lib/df32';
import { rsInit, rsNormal, rsPoisson } from './lib/sampling';
import { FIT_SLOTS, fitBegin, fitData, fitEnd, fitOne } from './fit';
import {
  Bufs, IN_SETS_STRIDE, OUT_ITERS_STRIDE, Params, MAXD, MAXP, CONS_VALUE, CONS_WORDS, MODEL_CONS_OFF, MODEL_NBINS, MODEL_NGAUSS,
  MODEL_NPOIS, MODEL_POI, POI_FIXED, POI_FREE, SET_GEN, SET_KEY0, SET_KEY1, SET_MODEL, SET_MU, STAT_Q0, TOY_COND_MAXITER, TOY_FREE_MAXITER,
} from './gen/toyfit';

// Per slot: the toy's data block (MAXD f32), then the fit's theta (MAXP), t (2) and info (2).
const T_PARS: u32 = MAXD, T_DEV: u32 = MAXD + MAXP, T_INFO: u32 = MAXD + MAXP + 2;
const T_WORDS: u32 = MAXD + MAXP + 4;
const area: usize = memory.data(<i32>(FIT_SLOTS * T_WORDS * 4), 16);

let M: usize = 0;
let G: usize = 0;
let T: usize = 0;

// @ts-ignore: decorator
@inline function mw(w: u32): u32 { return load<u32>(M + (<usize>w << 2)); }
// @ts-ignore: decorator
@inline function mf(w: u32): f32 { return load<f32>(M + (<usize>w << 2)); }
// @ts-ignore: decorator
@inline function gen(i: u32): f32 { return load<f32>(G + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function td(i: u32, v: f32): void { store<f32>(T + (<usize>i << 2), v); }
/** Address of word k of the record at r. */
// @ts-ignore: decorator
@inline function word(r: usize, k: u32): usize { return r + (<usize>k << 2); }

function sampleToy(m: u32, g: u32, k0: u32, k1: u32, t: u32): void {
  const nb = mw(m + MODEL_NBINS), nG = mw(m + MODEL_NGAUSS), nQ = mw(m + MODEL_NPOIS);
  const c = m + mw(m + MODEL_CONS_OFF);
  for (let i: u32 = 0; i < nb; i++) {
    rsInit(k0, k1, i, t, 0);
    td(i, rsPoisson(gen(g + i)));
  }
  for (let i: u32 = 0; i < nG; i++) {
    const sigma = xsqrt(xrecip(mf(c + CONS_WORDS * i + CONS_VALUE)));
    rsInit(k0, k1, nb + i, t, 0);
    td(nb + i, ftz(gen(g + nb + i) + sigma * rsNormal()));
  }
  for (let i: u32 = 0; i < nQ; i++) {
    rsInit(k0, k1, nb + nG + i, t, 0);
    td(nb + nG + i, rsPoisson(gen(g + nb + nG + i)));
  }
}

function testStat(stat: u32, mu: f32, muhat: f32, cond: DF, free: DF): f32 {
  if (muhat == mu) return 0;
  const d = dfHi(dfSub(cond, free));
  const t: f32 = d > 0 ? d : 0;
  if (stat == STAT_Q0) return muhat < 0 ? 0 : t;
  return muhat > mu ? 0 : t;
}

export function toyfit(params: usize, bufs: usize): void {
  const P = changetype<Params>(params), B = changetype<Bufs>(bufs);
  M = B.in_model;
  G = B.in_gen;
  const s = fitBegin(B.in_model, 0);
  T = area + <usize>s * T_WORDS * 4;
  fitData(T);
  const pars = T + (<usize>T_PARS << 2), dev = T + (<usize>T_DEV << 2), info = T + (<usize>T_INFO << 2);
  for (let l: u32 = 0; l < P.item_count; l++) {
    const a = P.item_offset + l;
    const st = a / P.toys;
    const t = P.toy0 + (a - st * P.toys);
    const r = B.in_sets + <usize>st * IN_SETS_STRIDE;
    const m = load<u32>(word(r, SET_MODEL)), mu = load<f32>(word(r, SET_MU));
    sampleToy(m, load<u32>(word(r, SET_GEN)), load<u32>(word(r, SET_KEY0)), load<u32>(word(r, SET_KEY1)), t);
    fitOne(m, 0, POI_FIXED, mu, P.max_iter, pars, dev, info, 0);
    const cond = df(load<f32>(dev), load<f32>(dev, 4));
    const cIt = load<u32>(info), cSt = load<u32>(info, 4);
    fitOne(m, 0, POI_FREE, 0, P.max_iter, pars, dev, info, 1); // warm: from the conditional fit
    const muhat = load<f32>(pars + (<usize>mw(m + MODEL_POI) << 2));
    store<f32>(B.out_q + (<usize>l << 2), testStat(P.stat, mu, muhat, cond, df(load<f32>(dev), load<f32>(dev, 4))));
    store<f32>(B.out_muhat + (<usize>l << 2), muhat);
    store<u32>(B.out_status + (<usize>l << 2), (cSt == 0 ? TOY_COND_MAXITER : 0) | (load<u32>(info, 4) == 0 ? TOY_FREE_MAXITER : 0));
    const o = B.out_iters + <usize>l * OUT_ITERS_STRIDE;
    store<u32>(o, cIt);
    store<u32>(o, load<u32>(info), 4);
  }
  fitEnd(s);
}
