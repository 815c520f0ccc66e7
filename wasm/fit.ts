// Maximum-likelihood fits of binned HistFactory likelihoods, one fit per item: twin of
// kernels/fit/ref.ts (its DESIGN block; layout kernels/fit/layout.ts) and fit.wgsl. Same
// operations in the same order. The reference's per-item arrays live in one of SLOTS static
// scratch slots (wasm/lib/slots.ts: workers share the memory); leading f32 literals are cast (<f32>) so that no expression widens to f64.
import { ftz, xexp, xrecip } from './lib/exactmath';
import { DF, dfAddF, dfHi, dfLo, dfLt } from './lib/df32';
import { devF32 } from './lib/deviance';
import { claimSlot, releaseSlot } from './lib/slots';
import {
  Bufs, IN_ITEMS_STRIDE, OUT_DEVIANCE_STRIDE, OUT_INFO_STRIDE, OUT_PARS_STRIDE, Params, MAXP, MAXA, MAXM,
  MODEL_NPARAMS, MODEL_NBINS, MODEL_POI, MODEL_NGAUSS, MODEL_NPOIS, MODEL_BINS_OFF, MODEL_CONS_OFF, MODEL_HEADER,
  PARAM_WORDS, PARAM_INIT, PARAM_LO, PARAM_HI, PARAM_FIXED, BIN_WORDS, BIN_NENTRIES, ENTRY_WORDS, ENTRY_NOM, ENTRY_NADD,
  ENTRY_NMUL, ADD_WORDS, ADD_P, ADD_DU, ADD_DD, ADD_S, ADD_A, ADD_EDGE, MUL_KIND, MUL_P, MUL_LNUP, MUL_LNDN, MUL_A1,
  MUL_A2, MUL_A3, MUL_A4, MUL_A5, MUL_A6, MUL_LINEAR_WORDS, MUL_NORMSYS1_WORDS, MUL_NORMSYS_WORDS, REC_LINEAR,
  REC_NORMSYS1, CONS_WORDS, CONS_P, CONS_VALUE, ITEM_MODEL, ITEM_DATA, ITEM_MODE, ITEM_POI, POI_FIXED,
} from './gen/fit';
// The layout's sizes and word offsets come from kernels/fit/layout.ts through wasm/gen/fit.ts: none is spelled here.

const TRI: u32 = (MAXP * (MAXP + 1)) / 2;
// Word offsets of the arrays in a slot.
const TH: u32 = 0, TH2: u32 = MAXP, LO: u32 = 2 * MAXP, HI: u32 = 3 * MAXP, FREE: u32 = 4 * MAXP, ACT: u32 = 5 * MAXP;
const G: u32 = 6 * MAXP, DG: u32 = 7 * MAXP, STEP: u32 = 8 * MAXP, RHS: u32 = 9 * MAXP, DL: u32 = 10 * MAXP;
const RDL: u32 = 11 * MAXP, VV: u32 = 12 * MAXP, X: u32 = 13 * MAXP, JV: u32 = 14 * MAXP, MARK: u32 = 15 * MAXP;
const TL: u32 = 16 * MAXP, H: u32 = 17 * MAXP;
const JL: u32 = H + TRI, RO: u32 = JL + MAXP; // poissonDerivs: J and tri row of the touched parameters
// entryH: products of an entry's factors before k (1 f0 ... f(k-1), unflushed) and of all but k.
const PF: u32 = RO + MAXP, PX: u32 = PF + MAXM;
const CACHE: u32 = PX + MAXM, CACHE_WORDS: u32 = 2048; // the bin cache (readEntry)
const SLOT_WORDS: u32 = CACHE + CACHE_WORDS;
const SLOTS: u32 = 16;
const scratch: usize = memory.data(<i32>(SLOTS * SLOT_WORDS * 4), 16);
const locks: usize = memory.data(<i32>(SLOTS * 4), 4);

const LAM_MIN: f32 = 9.313225746154785e-10; // 2^-30
const NU0: f32 = 0.0625; // 2^-4
const NU_MIN: f32 = 9.5367431640625e-7; // 2^-20
const NU_SMALL: f32 = 0.0625;
const NU_MAX: f32 = 256.0;
const DEC_TOL: f32 = 1.1641532182693481e-10; // 2^-33
const DEC_ACCEPT: f32 = 9.5367431640625e-7; // 2^-20
const STEP_TOL: f32 = 2.384185791015625e-7; // 2^-22
// Status (ref.ts STATUS): 0 max_iter, 1 converged, 2 noise floor of t, 3 no descent.
const EPS24: f32 = 5.9604644775390625e-8; // 2^-24

// This call's slot, model and data (instance globals: each worker has its own).
let S: usize = 0;
let M: usize = 0;
let D: usize = 0;
let acc: DF = 0;
let nt: u32 = 0;
let eBase: f32 = 0, eF: f32 = 1;

// @ts-ignore: decorator
@inline function lf(off: u32, i: u32): f32 { return load<f32>(S + (<usize>(off + i) << 2)); }
// @ts-ignore: decorator
@inline function sf(off: u32, i: u32, v: f32): void { store<f32>(S + (<usize>(off + i) << 2), v); }
// @ts-ignore: decorator
@inline function lu(off: u32, i: u32): u32 { return load<u32>(S + (<usize>(off + i) << 2)); }
// @ts-ignore: decorator
@inline function su(off: u32, i: u32, v: u32): void { store<u32>(S + (<usize>(off + i) << 2), v); }
// @ts-ignore: decorator
@inline function mw(w: u32): u32 { return load<u32>(M + (<usize>w << 2)); }
// @ts-ignore: decorator
@inline function mf(w: u32): f32 { return load<f32>(M + (<usize>w << 2)); }
// @ts-ignore: decorator
@inline function dat(i: u32): f32 { return load<f32>(D + (<usize>i << 2)); }

// @ts-ignore: decorator
@inline function tri(i: u32, j: u32): u32 {
  return i >= j ? (i * (i + 1)) / 2 + j : (j * (j + 1)) / 2 + i;
}

function addJ(p: u32, c: f32): void {
  if (lu(FREE, p) == 0) return;
  if (lu(MARK, p) == 0) {
    su(MARK, p, 1);
    su(TL, nt, p);
    nt++;
  }
  sf(JV, p, lf(JV, p) + ftz(c));
}

// @ts-ignore: decorator
@inline function addH(p: u32, q: u32, c: f32): void {
  const k = tri(p, q);
  sf(H, k, lf(H, k) + ftz(c));
}

function clearJ(): void {
  for (let a: u32 = 0; a < nt; a++) {
    const p = lu(TL, a);
    sf(JV, p, 0);
    su(MARK, p, 0);
  }
  nt = 0;
}

/** The Poisson term's derivatives (the touched parameters' J, then cleared); returns 1 - n / lam (the Hessian walk's weight). */
function poissonDerivs(n: f32, lam: f32): f32 {
  const rl = xrecip(lam);
  const r = n * rl;
  const wg = <f32>1.0 - r;
  const wh = r * rl;
  // Each G, DG and H cell takes at most one term here: gather the touched parameters' J and rows first.
  for (let a: u32 = 0; a < nt; a++) {
    const p = lu(TL, a);
    const J = lf(JV, p);
    sf(JL, a, J);
    su(RO, a, (p * (p + 1)) / 2);
    sf(G, p, lf(G, p) + ftz(wg * J));
    sf(DG, p, lf(DG, p) + ftz(ftz(rl * J) * J));
  }
  for (let a: u32 = 0; a < nt; a++) {
    const p = lu(TL, a), ra = lu(RO, a);
    const whJ = wh * lf(JL, a);
    for (let b: u32 = 0; b <= a; b++) {
      const q = lu(TL, b);
      const k = p >= q ? ra + q : lu(RO, b) + p;
      sf(H, k, lf(H, k) + ftz(whJ * lf(JL, b)));
    }
  }
  clearJ();
  return wg;
}

// A sample entry decoded once per derivative sweep into the slot's bin cache (at address e):
// base f32, F f32, nA u32, nM u32, then addP, addD, addD2 (nA each), mulP, mulF, mulD, mulD2, pre
// (nM each). The second (Hessian) walk of a bin reads the records back instead of decoding the
// model words again; a bin whose records outgrow the cache decodes each entry again at cache word 0.
const E_BASE: u32 = 0, E_F: u32 = 1, E_NA: u32 = 2, E_NM: u32 = 3, E_HEAD: u32 = 4;
const E_MAX: u32 = E_HEAD + 3 * MAXA + 5 * MAXM; // words of the largest record

// @ts-ignore: decorator
@inline function ef(e: usize, i: u32): f32 { return load<f32>(e + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function eu(e: usize, i: u32): u32 { return load<u32>(e + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function esf(e: usize, i: u32, v: f32): void { store<f32>(e + (<usize>i << 2), v); }
// @ts-ignore: decorator
@inline function esu(e: usize, i: u32, v: u32): void { store<u32>(e + (<usize>i << 2), v); }
// @ts-ignore: decorator
@inline function eWords(e: usize): u32 { return E_HEAD + 3 * eu(e, E_NA) + 5 * eu(e, E_NM); }
// @ts-ignore: decorator
@inline function cacheAt(c: u32): usize { return S + (<usize>(CACHE + c) << 2); }

/** Decodes the entry at model word w0 at theta t into the record at e; returns the next entry's word. */
function readEntry(w0: u32, t: u32, e: usize): u32 {
  let w = w0;
  const nA = mw(w + ENTRY_NADD), nM = mw(w + ENTRY_NMUL);
  const oD = E_HEAD + nA, oD2 = oD + nA, oMP = oD2 + nA, oMF = oMP + nM, oMD = oMF + nM, oMD2 = oMD + nM, oPre = oMD2 + nM;
  let base = mf(w + ENTRY_NOM);
  w += ENTRY_WORDS;
  for (let a: u32 = 0; a < nA; a++) {
    const p = mw(w + ADD_P), du = mf(w + ADD_DU), dd = mf(w + ADD_DD), S_ = mf(w + ADD_S), A = mf(w + ADD_A), edge = mf(w + ADD_EDGE);
    w += ADD_WORDS;
    const al = lf(t, p);
    let dv: f32, dp: f32, dq: f32;
    if (al >= edge) {
      dv = al * du;
      dp = du;
      dq = 0;
    } else if (al < -edge) {
      dv = al * dd;
      dp = dd;
      dq = 0;
    } else {
      const a2 = al * al;
      const aA = al * A;
      dv = al * (S_ + aA * (<f32>15.0 + a2 * (<f32>-10.0 + <f32>3.0 * a2)));
      dp = S_ + aA * (<f32>30.0 + a2 * (<f32>-40.0 + <f32>18.0 * a2));
      dq = A * (<f32>30.0 + a2 * (<f32>-120.0 + <f32>90.0 * a2));
    }
    base = base + ftz(dv);
    esu(e, E_HEAD + a, p);
    esf(e, oD + a, dp);
    esf(e, oD2 + a, dq);
  }
  let Fp: f32 = 1.0;
  for (let k: u32 = 0; k < nM; k++) {
    const kind = mw(w + MUL_KIND), p = mw(w + MUL_P);
    const al = lf(t, p);
    let f: f32, fd: f32, fq: f32;
    if (kind == REC_LINEAR) {
      f = al;
      fd = 1.0;
      fq = 0;
      w += MUL_LINEAR_WORDS;
    } else if (kind == REC_NORMSYS1) {
      const lu_ = mf(w + MUL_LNUP), ld = mf(w + MUL_LNDN);
      if (al >= 0.0) {
        f = xexp(al * lu_);
        fd = lu_ * f;
        fq = lu_ * fd;
      } else {
        f = xexp((-al) * ld);
        fd = (-ld) * f;
        fq = (-ld) * fd;
      }
      w += MUL_NORMSYS1_WORDS;
    } else {
      const lu_ = mf(w + MUL_LNUP), ld = mf(w + MUL_LNDN);
      if (al >= 1.0) {
        f = xexp(al * lu_);
        fd = lu_ * f;
        fq = lu_ * fd;
      } else if (al <= -1.0) {
        f = xexp((-al) * ld);
        fd = (-ld) * f;
        fq = (-ld) * fd;
      } else {
        const a1 = mf(w + MUL_A1), a2 = mf(w + MUL_A2), a3 = mf(w + MUL_A3), a4 = mf(w + MUL_A4), a5 = mf(w + MUL_A5), a6 = mf(w + MUL_A6);
        let pv = a6, pd = <f32>6.0 * a6, pq = <f32>30.0 * a6;
        pv = pv * al + a5;
        pd = pd * al + <f32>5.0 * a5;
        pq = pq * al + <f32>20.0 * a5;
        pv = pv * al + a4;
        pd = pd * al + <f32>4.0 * a4;
        pq = pq * al + <f32>12.0 * a4;
        pv = pv * al + a3;
        pd = pd * al + <f32>3.0 * a3;
        pq = pq * al + <f32>6.0 * a3;
        pv = pv * al + a2;
        pd = pd * al + <f32>2.0 * a2;
        pq = pq * al + <f32>2.0 * a2;
        pv = pv * al + a1;
        pd = pd * al + a1;
        f = <f32>1.0 + pv * al;
        fd = pd;
        fq = pq;
      }
      w += MUL_NORMSYS_WORDS;
    }
    esu(e, oMP + k, p);
    esf(e, oMF + k, f);
    esf(e, oMD + k, fd);
    esf(e, oMD2 + k, fq);
    esf(e, oPre + k, Fp);
    Fp = ftz(Fp * f);
  }
  esf(e, E_BASE, base);
  esf(e, E_F, Fp);
  esu(e, E_NA, nA);
  esu(e, E_NM, nM);
  return w;
}

/** The entry's value base * F only (the trial sweeps): readEntry's value operations, no derivatives; sets eBase, eF. */
function readValue(w0: u32, t: u32): u32 {
  let w = w0;
  const nA = mw(w + ENTRY_NADD), nM = mw(w + ENTRY_NMUL);
  let base = mf(w + ENTRY_NOM);
  w += ENTRY_WORDS;
  for (let a: u32 = 0; a < nA; a++) {
    const p = mw(w + ADD_P);
    const al = lf(t, p);
    let dv: f32;
    if (al >= mf(w + ADD_EDGE)) {
      dv = al * mf(w + ADD_DU);
    } else if (al < -mf(w + ADD_EDGE)) {
      dv = al * mf(w + ADD_DD);
    } else {
      const a2 = al * al;
      const aA = al * mf(w + ADD_A);
      dv = al * (mf(w + ADD_S) + aA * (<f32>15.0 + a2 * (<f32>-10.0 + <f32>3.0 * a2)));
    }
    w += ADD_WORDS;
    base = base + ftz(dv);
  }
  let Fp: f32 = 1.0;
  for (let k: u32 = 0; k < nM; k++) {
    const kind = mw(w + MUL_KIND);
    const al = lf(t, mw(w + MUL_P));
    let f: f32;
    if (kind == REC_LINEAR) {
      f = al;
      w += MUL_LINEAR_WORDS;
    } else if (kind == REC_NORMSYS1) {
      f = al >= 0.0 ? xexp(al * mf(w + MUL_LNUP)) : xexp((-al) * mf(w + MUL_LNDN));
      w += MUL_NORMSYS1_WORDS;
    } else {
      if (al >= 1.0) {
        f = xexp(al * mf(w + MUL_LNUP));
      } else if (al <= -1.0) {
        f = xexp((-al) * mf(w + MUL_LNDN));
      } else {
        let pv = mf(w + MUL_A6);
        pv = pv * al + mf(w + MUL_A5);
        pv = pv * al + mf(w + MUL_A4);
        pv = pv * al + mf(w + MUL_A3);
        pv = pv * al + mf(w + MUL_A2);
        pv = pv * al + mf(w + MUL_A1);
        f = <f32>1.0 + pv * al;
      }
      w += MUL_NORMSYS_WORDS;
    }
    Fp = ftz(Fp * f);
  }
  eBase = base;
  eF = Fp;
  return w;
}

/** Product of the record's factors but k1 <= k2 (in record order), from pf = the product of those before k1 (the same multiplications). */
function prodExcept(e: usize, oMF: u32, nM: u32, pf: f32, k1: u32, k2: u32): f32 {
  let r = pf;
  for (let j = k1 + 1; j < nM; j++) if (j != k2) r = r * ef(e, oMF + j);
  return r;
}

function entryJ(e: usize): void {
  const nA = eu(e, E_NA), nM = eu(e, E_NM), F = ef(e, E_F), base = ef(e, E_BASE);
  const oD = E_HEAD + nA, oMP = oD + 2 * nA, oMF = oMP + nM, oMD = oMF + nM, oPre = oMD + 2 * nM;
  for (let a: u32 = 0; a < nA; a++) addJ(eu(e, E_HEAD + a), ef(e, oD + a) * F);
  let suf: f32 = 1.0;
  for (let kk = <i32>nM - 1; kk >= 0; kk--) {
    const k = <u32>kk;
    addJ(eu(e, oMP + k), (base * ef(e, oMD + k)) * (ef(e, oPre + k) * suf));
    suf = suf * ef(e, oMF + k);
  }
}

function entryH(e: usize, w2: f32): void {
  const nA = eu(e, E_NA), nM = eu(e, E_NM), F = ef(e, E_F);
  const oD = E_HEAD + nA, oD2 = oD + nA, oMP = oD2 + nA, oMF = oMP + nM, oMD = oMF + nM, oMD2 = oMD + nM;
  let pf: f32 = 1.0;
  for (let k: u32 = 0; k < nM; k++) {
    sf(PF, k, pf);
    sf(PX, k, prodExcept(e, oMF, nM, pf, k, k));
    pf = pf * ef(e, oMF + k);
  }
  for (let a: u32 = 0; a < nA; a++) {
    const p = eu(e, E_HEAD + a);
    if (lu(FREE, p) == 0) continue;
    addH(p, p, w2 * (ef(e, oD2 + a) * F));
    for (let k: u32 = 0; k < nM; k++) {
      const q = eu(e, oMP + k);
      if (lu(FREE, q) == 0) continue;
      const c = w2 * ((ef(e, oD + a) * ef(e, oMD + k)) * lf(PX, k));
      addH(p, q, p == q ? <f32>2.0 * c : c);
    }
  }
  const bw = w2 * ef(e, E_BASE);
  for (let k: u32 = 0; k < nM; k++) {
    const p = eu(e, oMP + k);
    if (lu(FREE, p) == 0) continue;
    if (ef(e, oMD2 + k) != 0) addH(p, p, bw * (ef(e, oMD2 + k) * lf(PX, k)));
    for (let j: u32 = 0; j < k; j++) {
      const q = eu(e, oMP + j);
      if (lu(FREE, q) == 0) continue;
      const c = bw * ((ef(e, oMD + k) * ef(e, oMD + j)) * prodExcept(e, oMF, nM, lf(PF, j), j, k));
      addH(p, q, p == q ? <f32>2.0 * c : c);
    }
  }
}

function sweep(m: u32, d: u32, t: u32, derivs: u32): void {
  const np = mw(m + MODEL_NPARAMS), B = mw(m + MODEL_NBINS), nG = mw(m + MODEL_NGAUSS), nQ = mw(m + MODEL_NPOIS);
  if (derivs == 1) {
    for (let p: u32 = 0; p < np; p++) {
      sf(G, p, 0);
      sf(DG, p, 0);
    }
    for (let k: u32 = 0; k < (np * (np + 1)) / 2; k++) sf(H, k, 0);
  } else {
    acc = 0;
  }
  let w = m + mw(m + MODEL_BINS_OFF);
  for (let b: u32 = 0; b < B; b++) {
    const nE = mw(w + BIN_NENTRIES);
    w += BIN_WORDS;
    const w0 = w;
    let lam: f32 = 0;
    let c: u32 = 0, spill: u32 = 0;
    for (let e: u32 = 0; e < nE; e++) {
      if (derivs == 1) {
        if (c + E_MAX > CACHE_WORDS) {
          c = 0;
          spill = 1;
        }
        const r = cacheAt(c);
        w = readEntry(w, t, r);
        lam = lam + ftz(ef(r, E_BASE) * ef(r, E_F));
        entryJ(r);
        c += eWords(r);
      } else {
        w = readValue(w, t);
        lam = lam + ftz(eBase * eF);
      }
    }
    const n = dat(d + b);
    let clamped = 0;
    if (!(lam >= LAM_MIN)) {
      lam = LAM_MIN;
      clamped = 1;
      clearJ();
    }
    if (derivs == 1) {
      const w2 = poissonDerivs(n, lam); // = 1 - n * xrecip(lam)
      if (clamped == 0) {
        if (spill == 0) {
          let r = cacheAt(0);
          for (let e: u32 = 0; e < nE; e++) {
            entryH(r, w2);
            r += <usize>eWords(r) << 2;
          }
        } else {
          let v = w0;
          for (let e: u32 = 0; e < nE; e++) {
            v = readEntry(v, t, cacheAt(0));
            entryH(cacheAt(0), w2);
          }
        }
      }
    } else {
      acc = dfAddF(acc, devF32(n, lam));
    }
  }
  const c = m + mw(m + MODEL_CONS_OFF);
  for (let i: u32 = 0; i < nG; i++) {
    const ci = c + CONS_WORDS * i;
    const p = mw(ci + CONS_P), iv = mf(ci + CONS_VALUE), a = dat(d + B + i);
    const r = lf(t, p) - a;
    if (derivs == 1) {
      if (lu(FREE, p) != 0) {
        sf(G, p, lf(G, p) + r * iv);
        addH(p, p, iv);
        sf(DG, p, lf(DG, p) + iv);
      }
    } else {
      acc = dfAddF(acc, (r * r) * iv);
    }
  }
  for (let i: u32 = 0; i < nQ; i++) {
    const q = c + CONS_WORDS * (nG + i);
    const p = mw(q + CONS_P), tau = mf(q + CONS_VALUE), a = dat(d + B + nG + i);
    let lam = tau * lf(t, p);
    if (!(lam >= LAM_MIN)) lam = LAM_MIN;
    else if (derivs == 1) addJ(p, tau);
    if (derivs == 1) poissonDerivs(a, lam);
    else acc = dfAddF(acc, devF32(a, lam));
  }
}

// @ts-ignore: decorator
@inline function row(i: u32): u32 { return (i * (i + 1)) / 2; } // tri(i, j) = row(i) + j for i >= j

function solve(np: u32, nu: f32): u32 {
  let ok: u32 = 1;
  for (let i: u32 = 0; i < np; i++) {
    const ri = row(i), ai = lu(ACT, i);
    for (let j: u32 = 0; j <= i; j++) {
      const k = ri + j;
      if (ai == 0 || lu(ACT, j) == 0) sf(H, k, i == j ? 1.0 : 0.0);
      else if (i == j) sf(H, k, lf(H, k) + nu * lf(DG, i));
    }
  }
  for (let j: u32 = 0; j < np; j++) {
    const rj = row(j);
    const mjj = lf(H, rj + j);
    let s = mjj;
    for (let k: u32 = 0; k < j; k++) {
      const ljk = lf(H, rj + k);
      const v = ljk * lf(DL, k);
      sf(VV, k, v);
      s = s - ljk * v;
    }
    if (!(s > mjj * EPS24)) {
      ok = 0;
      s = mjj > 0 ? mjj : 1.0;
    }
    sf(DL, j, s);
    const rs = xrecip(s);
    sf(RDL, j, rs);
    for (let i = j + 1; i < np; i++) {
      const ri = row(i);
      let u = lf(H, ri + j);
      for (let k: u32 = 0; k < j; k++) u = u - lf(H, ri + k) * lf(VV, k);
      sf(H, ri + j, u * rs);
    }
  }
  for (let i: u32 = 0; i < np; i++) {
    const ri = row(i);
    let y: f32 = lu(ACT, i) != 0 ? lf(RHS, i) : 0;
    for (let k: u32 = 0; k < i; k++) y = y - lf(H, ri + k) * lf(X, k);
    sf(X, i, y);
  }
  for (let i: u32 = 0; i < np; i++) sf(X, i, lf(X, i) * lf(RDL, i));
  for (let ii = <i32>np - 1; ii >= 0; ii--) {
    const i = <u32>ii;
    let y = lf(X, i);
    for (let k = i + 1; k < np; k++) y = y - lf(H, row(k) + i) * lf(X, k);
    sf(X, i, y);
  }
  return ok;
}

/** One fit (the fit body shared with wasm/toyfit.ts); writes theta (MAXP f32), t (df32 hi, lo) and (iterations, status) at pars, dev, info; warm 1: free parameters start from the previous fit's theta. */
export function fitOne(m: u32, d: u32, poiMode: u32, poiValue: f32, maxIter: u32, pars: usize, dev: usize, info: usize, warm: u32): void {
  const np = mw(m + MODEL_NPARAMS), poi = mw(m + MODEL_POI);
  for (let p: u32 = 0; p < np; p++) {
    const q = m + MODEL_HEADER + PARAM_WORDS * p;
    sf(LO, p, mf(q + PARAM_LO));
    sf(HI, p, mf(q + PARAM_HI));
    const held = p == poi && poiMode == POI_FIXED;
    const fixed = mw(q + PARAM_FIXED) != 0 || held;
    su(FREE, p, fixed ? 0 : 1);
    let v = held ? poiValue : warm != 0 && !fixed ? lf(TH, p) : mf(q + PARAM_INIT);
    if (!fixed) {
      if (v < lf(LO, p)) v = lf(LO, p);
      if (v > lf(HI, p)) v = lf(HI, p);
    }
    sf(TH, p, v);
  }
  sweep(m, d, TH, 0);
  let f = acc;
  let nu = NU0;
  let status: u32 = 0, it: u32 = 0;
  while (it < maxIter) {
    it++;
    sweep(m, d, TH, 1);
    let nact: u32 = 0;
    for (let p: u32 = 0; p < np; p++) {
      const th = lf(TH, p), g = lf(G, p);
      const blocked = (th <= lf(LO, p) && g > 0) || (th >= lf(HI, p) && g < 0);
      const a: u32 = lu(FREE, p) != 0 && !blocked && lf(DG, p) > 0 ? 1 : 0;
      su(ACT, p, a);
      nact += a;
    }
    if (nact == 0) {
      status = 1;
      break;
    }
    for (let p: u32 = 0; p < np; p++) sf(STEP, p, 0);
    let pd: u32 = 1;
    for (let rd: u32 = 0; rd <= np; rd++) {
      for (let i: u32 = 0; i < np; i++) {
        let r = -lf(G, i);
        for (let j: u32 = 0; j < np; j++) if (lf(STEP, j) != 0) r = r - lf(H, tri(i, j)) * lf(STEP, j);
        sf(RHS, i, r);
      }
      pd = solve(np, nu);
      if (pd == 0) break;
      let crossed = 0;
      for (let p: u32 = 0; p < np; p++) {
        if (lu(ACT, p) == 0) continue;
        const v = lf(TH, p) + lf(X, p);
        if (v < lf(LO, p) || v > lf(HI, p)) {
          su(ACT, p, 0);
          sf(STEP, p, (v < lf(LO, p) ? lf(LO, p) : lf(HI, p)) - lf(TH, p));
          crossed = 1;
        }
      }
      if (crossed == 0) break;
      sweep(m, d, TH, 1);
    }
    if (pd == 0) {
      nu = nu * <f32>16.0;
      if (nu > NU_MAX) {
        status = 3;
        break;
      }
      continue;
    }
    let dec: f32 = 0;
    let small = 1;
    for (let p: u32 = 0; p < np; p++) {
      if (lu(ACT, p) != 0) sf(STEP, p, lf(X, p));
      dec = dec - lf(G, p) * lf(STEP, p);
      if (Mathf.abs(lf(STEP, p)) > STEP_TOL * (<f32>1.0 + Mathf.abs(lf(TH, p)))) small = 0;
    }
    if (dec < 0) {
      nu = nu * <f32>16.0;
      if (nu > NU_MAX) {
        status = 3;
        break;
      }
      continue;
    }
    if (nu <= NU_SMALL && (dec <= DEC_TOL || small == 1)) {
      status = 1;
      break;
    }
    for (let p: u32 = 0; p < np; p++) {
      let v = lf(TH, p) + lf(STEP, p);
      if (v < lf(LO, p)) v = lf(LO, p);
      if (v > lf(HI, p)) v = lf(HI, p);
      sf(TH2, p, lu(FREE, p) != 0 ? ftz(v) : lf(TH, p));
    }
    sweep(m, d, TH2, 0);
    if (dfLt(acc, f)) {
      for (let p: u32 = 0; p < np; p++) sf(TH, p, lf(TH2, p));
      f = acc;
      nu = nu * <f32>0.25;
      if (nu < NU_MIN) nu = NU_MIN;
    } else if (nu <= NU_SMALL && dec <= DEC_ACCEPT) {
      for (let p: u32 = 0; p < np; p++) sf(TH, p, lf(TH2, p));
      f = acc;
      status = 2;
      break;
    } else {
      nu = nu * <f32>16.0;
      if (nu > NU_MAX) {
        status = 3;
        break;
      }
    }
  }
  for (let p: u32 = 0; p < MAXP; p++) store<f32>(pars + (<usize>p << 2), p < np ? lf(TH, p) : 0);
  store<f32>(dev, dfHi(f));
  store<f32>(dev, dfLo(f), 4);
  store<u32>(info, it);
  store<u32>(info, status, 4);
}

/** Address of word k of the item at `it`. */
// @ts-ignore: decorator
@inline function itemWord(it: usize, k: u32): usize { return it + (<usize>k << 2); }

/** Binds the packed models and the data blocks and claims a scratch slot for this call's fits; returns the slot. */
export function fitBegin(model: usize, data: usize): u32 {
  M = model;
  D = data;
  const s = claimSlot(locks, SLOTS);
  S = scratch + <usize>s * SLOT_WORDS * 4;
  return s;
}

/** Rebinds the data blocks (a toy block written between fits). */
export function fitData(data: usize): void {
  D = data;
}

export function fitEnd(s: u32): void {
  releaseSlot(locks, s);
}

/** Slots of fitBegin (callers keep per-slot state of their own). */
export const FIT_SLOTS: u32 = SLOTS;

export function fit(params: usize, bufs: usize): void {
  const P = changetype<Params>(params), B = changetype<Bufs>(bufs);
  const s = fitBegin(B.in_model, B.in_data);
  for (let l: u32 = 0; l < P.item_count; l++) {
    const it = B.in_items + <usize>l * IN_ITEMS_STRIDE;
    fitOne(load<u32>(itemWord(it, ITEM_MODEL)), load<u32>(itemWord(it, ITEM_DATA)), load<u32>(itemWord(it, ITEM_MODE)), load<f32>(itemWord(it, ITEM_POI)), P.max_iter,
      B.out_pars + <usize>l * OUT_PARS_STRIDE, B.out_deviance + <usize>l * OUT_DEVIANCE_STRIDE, B.out_info + <usize>l * OUT_INFO_STRIDE, 0);
  }
  fitEnd(s);
}
