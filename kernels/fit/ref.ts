// Maximum-likelihood fits of binned HistFactory likelihoods, one fit per item (twins: fit.wgsl,
// wasm/fit.ts: same operations in the same order).
//
// DESIGN (what the twins must reproduce)
// - Layout: kernels/fit/layout.ts (packed model blocks, data blocks, 4-word items).
// - Expected rate of main bin b (pyhf's HistFactory, CERN-OPEN-2012-016 eq. 1 / pyhf docs
//   "Likelihood specification"): lambda_b = sum over entries e of base_e * F_e, with
//   base_e = nom_e + sum of histosys deltas (code 4p or 0) and F_e = product of the multiplicative
//   factors in record order (normsys code 4 or code 1, or theta_p for normfactor / lumi / shapefactor /
//   shapesys / staterror). Entries summed in order; lambda < LAM_MIN is raised to LAM_MIN and the
//   bin then contributes no derivative.
// - Objective (f32 terms, summed in df32 by dfAddF of kernels/lib/df32 in a fixed order: bins,
//   Gaussian, Poisson):
//   t(theta) = sum_b dev(n_b, lambda_b) + sum_G (theta_p - a)^2 / sigma^2 + sum_Q dev(a, tau theta_p),
//   dev(n, lam) = 2 [n ln(n / lam) - n + lam] (devF32 of kernels/lib/deviance.ts: Taylor series near
//   n = lam, so large-count bins keep their differences). t is -2 ln L up to constants that do not
//   depend on theta (pyhf's twice_nll minus the saturated model); q = t(cond) - t(free) is sound.
// - Derivatives (NLL scale, f32; free parameters only), exact first and second derivatives:
//   per bin, the Jacobian row J_p = d lambda / d theta_p is built sparsely (touched list; factors
//   use prefix / suffix products so a zero factor, e.g. mu = 0, keeps its derivative), then
//   g += (1 - n / lambda) J, H += (n / lambda^2) J J^T, D += J^2 / lambda (Fisher diagonal, the
//   damping metric); a second walk over the bin's entries adds (1 - n / lambda) d^2 lambda
//   (entryH: record pairs in order, products of the other factors formed left to right).
//   Gaussian: g += (theta - a) / sigma^2, H += D += 1 / sigma^2. Poisson constraint: as a bin with
//   J = tau.
// - Subnormals (GPUs may flush them): ftz of kernels/lib/exactmath on every term accumulated into
//   J, g, D, H, lambda and the histosys sums, on the running factor product and on the updated
//   parameters; the host flushes model numbers and data below 2^-100 to 0 when packing.
// - Minimiser: projected Levenberg-Marquardt. theta_0 = init (warm start: the previous fit's
//   theta for free parameters) clipped to [lo, hi] (fixed
//   parameters and a fixed POI are held at their value, not clipped); nu = NU0. Iteration
//   k < max_iter: derivatives at theta; active set = free parameters with D > 0 not sitting on a
//   bound the gradient pushes against (theta <= lo and g > 0, or theta >= hi and g < 0); none:
//   converged (status 1). Solve (H + nu diag D) delta = rhs on the active set by LDL^T (packed
//   lower triangle, other rows / columns the identity, rhs = -g); a pivot not above 2^-24 of its
//   diagonal means "not positive definite": nu *= 16 (nu > NU_MAX: status 3) and next iteration.
//   Active parameters whose theta + delta leaves [lo, hi] are moved onto the bound (step fixed,
//   removed from the active set), rhs = -g - H step, derivatives swept again (the LDL^T
//   overwrote H) and solved again, at most P rounds. dec = -g.step; dec < 0 (the step with its
//   clamped parameters does not descend): nu *= 16 as for a rejection. nu <= NU_SMALL and either
//   dec <= DEC_TOL or every |step_p| <= STEP_TOL (1 + |theta_p|): converged (status 1) (the
//   parameters matter beyond the likelihood: Asimov data are built from them). Else the trial
//   theta + step (clipped) is accepted when t decreases strictly (dfLt on the df32 sums):
//   nu = max(nu / 4, NU_MIN); when t does not decrease but nu <= NU_SMALL and dec <= DEC_ACCEPT
//   (a Newton step below what t, a sum of f32 terms, resolves), the step is taken and the fit
//   ends (status 2, converged at the noise floor of t); otherwise nu *= 16, and nu > NU_MAX ends
//   the fit (status 3: no descent). status 0: max_iter reached. Constants are powers of two.
// - Outputs: theta (MAXP words, zero past P), t as df32 (hi, lo), (iterations, status).
import type { RefKernel } from '../types.js';
import { ftz, xrecip, xexp } from '../lib/exactmath.js';
import { DF_ZERO, dfAddF, dfLt, type DF } from '../lib/df32.js';
import { devF32 } from '../lib/deviance.js';
import {
  ADD_A, ADD_DD, ADD_DU, ADD_EDGE, ADD_P, ADD_S, ADD_WORDS, BIN_NENTRIES, BIN_WORDS, CONS_P, CONS_VALUE, CONS_WORDS,
  ENTRY_NADD, ENTRY_NMUL, ENTRY_NOM, ENTRY_WORDS, ITEM_DATA, ITEM_MODE, ITEM_MODEL, ITEM_POI, ITEM_WORDS, MAXA, MAXM, MAXP,
  MODEL_BINS_OFF, MODEL_CONS_OFF, MODEL_HEADER, MODEL_NBINS, MODEL_NGAUSS, MODEL_NPARAMS, MODEL_NPOIS, MODEL_POI,
  MUL_A1, MUL_A2, MUL_A3, MUL_A4, MUL_A5, MUL_A6, MUL_KIND, MUL_LINEAR_WORDS, MUL_LNDN, MUL_LNUP, MUL_NORMSYS1_WORDS,
  MUL_NORMSYS_WORDS, MUL_P, PARAM_FIXED, PARAM_HI, PARAM_INIT, PARAM_LO, PARAM_WORDS, POI_FIXED, REC_LINEAR, REC_NORMSYS1,
} from './layout.js';

const fr = Math.fround;
export const LAM_MIN = 2 ** -30;
export const NU0 = 2 ** -4;
export const NU_MIN = 2 ** -20;
export const NU_SMALL = 2 ** -4;
export const NU_MAX = 2 ** 8;
export const DEC_TOL = 2 ** -33;
export const DEC_ACCEPT = 2 ** -20;
export const STEP_TOL = 2 ** -22;
export const STATUS = { maxIter: 0, converged: 1, noiseFloor: 2, noDescent: 3 } as const;
const TRI = (MAXP * (MAXP + 1)) / 2;

// Per-item state (private arrays in the twins).
const th = new Float32Array(MAXP), th2 = new Float32Array(MAXP), lo = new Float32Array(MAXP), hi = new Float32Array(MAXP);
const free = new Uint32Array(MAXP), act = new Uint32Array(MAXP);
const g = new Float32Array(MAXP), dg = new Float32Array(MAXP), H = new Float32Array(TRI);
const step = new Float32Array(MAXP), rhs = new Float32Array(MAXP);
const dl = new Float32Array(MAXP), rdl = new Float32Array(MAXP), vv = new Float32Array(MAXP), x = new Float32Array(MAXP);
const jv = new Float32Array(MAXP), mark = new Uint32Array(MAXP), tl = new Uint32Array(MAXP);
const addP = new Uint32Array(MAXA), addD = new Float32Array(MAXA);
const mulP = new Uint32Array(MAXM), mulF = new Float32Array(MAXM), mulD = new Float32Array(MAXM), pre = new Float32Array(MAXM);
let acc: DF = DF_ZERO;
let nt = 0;

function tri(i: number, j: number): number {
  return i >= j ? (i * (i + 1)) / 2 + j : (j * (j + 1)) / 2 + i;
}

function addJ(p: number, c: number): void {
  if (free[p] === 0) return;
  if (mark[p] === 0) {
    mark[p] = 1;
    tl[nt] = p;
    nt++;
  }
  jv[p] = fr(jv[p] + ftz(c));
}

function addH(p: number, q: number, c: number): void {
  const k = tri(p, q);
  H[k] = fr(H[k] + ftz(c));
}

/** Clears the touched Jacobian. */
function clearJ(): void {
  for (let a = 0; a < nt; a++) {
    jv[tl[a]] = 0;
    mark[tl[a]] = 0;
  }
  nt = 0;
}

/** g += (1 - n / lam) J, H += (n / lam^2) J J^T, D += J^2 / lam for the touched Jacobian; clears it. */
function poissonDerivs(n: number, lam: number): void {
  const rl = xrecip(lam);
  const r = fr(n * rl);
  const wg = fr(1 - r);
  const wh = fr(r * rl);
  for (let a = 0; a < nt; a++) {
    const p = tl[a];
    const J = jv[p];
    g[p] = fr(g[p] + ftz(fr(wg * J)));
    dg[p] = fr(dg[p] + ftz(fr(ftz(fr(rl * J)) * J)));
    const whJ = fr(wh * J);
    for (let b = 0; b <= a; b++) addH(p, tl[b], fr(whJ * jv[tl[b]]));
  }
  clearJ();
}

// One sample entry read by readEntry: base = nom + sum of histosys deltas, its records' parameters,
// first and second derivatives (additive), factors and their first and second derivatives
// (multiplicative), prefix products pre[k] = f_0 ... f_{k-1} and F = the product of all factors.
let eBase = 0, eF = 1, eNA = 0, eNM = 0;
const addD2 = new Float32Array(MAXA), mulD2 = new Float32Array(MAXM);

/** Reads the entry at word w at parameters t into the e* state; returns the next word. */
function readEntry(mw: Uint32Array, mf: Float32Array, w: number, t: Float32Array): number {
  const nA = mw[w + ENTRY_NADD], nM = mw[w + ENTRY_NMUL];
  let base = mf[w + ENTRY_NOM];
  w += ENTRY_WORDS;
  for (let a = 0; a < nA; a++) {
    // histosys, pyhf code 4p (edge 1): alpha du (alpha >= 1), alpha dd (alpha < -1), else
    // alpha (S + alpha A (15 + alpha^2 (-10 + 3 alpha^2))) (pyhf interpolators/code4p.py; C2 at
    // +-1, so the side taken at the edge does not matter); code 0 (edge 0): alpha du (alpha >= 0),
    // alpha dd (alpha < 0) (interpolators/code0.py): at the kink alpha = 0 the slope is du's, the
    // right derivative, as the forward differences of pyhf's scipy minimiser see it.
    const p = mw[w + ADD_P], du = mf[w + ADD_DU], dd = mf[w + ADD_DD], S = mf[w + ADD_S], A = mf[w + ADD_A], edge = mf[w + ADD_EDGE];
    w += ADD_WORDS;
    const al = t[p];
    let dv: number, dp: number, dq: number;
    if (al >= edge) {
      dv = fr(al * du);
      dp = du;
      dq = 0;
    } else if (al < fr(-edge)) {
      dv = fr(al * dd);
      dp = dd;
      dq = 0;
    } else {
      const a2 = fr(al * al);
      const aA = fr(al * A);
      dv = fr(al * fr(S + fr(aA * fr(15 + fr(a2 * fr(-10 + fr(3 * a2)))))));
      // first derivative S + alpha A (30 + alpha^2 (-40 + 18 alpha^2)), second A (30 + alpha^2 (-120 + 90 alpha^2))
      dp = fr(S + fr(aA * fr(30 + fr(a2 * fr(-40 + fr(18 * a2))))));
      dq = fr(A * fr(30 + fr(a2 * fr(-120 + fr(90 * a2)))));
    }
    base = fr(base + ftz(dv));
    addP[a] = p;
    addD[a] = dp;
    addD2[a] = dq;
  }
  let F = 1;
  for (let k = 0; k < nM; k++) {
    const p = mw[w + MUL_P];
    const al = t[p];
    let f: number, fd: number, fq: number;
    if (mw[w + MUL_KIND] === REC_LINEAR) {
      f = al;
      fd = 1;
      fq = 0;
      w += MUL_LINEAR_WORDS;
    } else if (mw[w + MUL_KIND] === REC_NORMSYS1) {
      // normsys, pyhf code 1: kappa_up^alpha (alpha >= 0), kappa_dn^-alpha (alpha < 0)
      // (pyhf interpolators/code1.py)
      const lu = mf[w + MUL_LNUP], ld = mf[w + MUL_LNDN];
      if (al >= 0) {
        f = xexp(fr(al * lu));
        fd = fr(lu * f);
        fq = fr(lu * fd);
      } else {
        f = xexp(fr(fr(-al) * ld));
        fd = fr(fr(-ld) * f);
        fq = fr(fr(-ld) * fd);
      }
      w += MUL_NORMSYS1_WORDS;
    } else {
      // normsys, pyhf code 4 (alpha0 = 1): kappa_up^alpha (alpha >= 1), kappa_dn^-alpha
      // (alpha <= -1), else 1 + sum_i a_i alpha^i (pyhf interpolators/code4.py)
      const lu = mf[w + MUL_LNUP], ld = mf[w + MUL_LNDN];
      if (al >= 1) {
        f = xexp(fr(al * lu));
        fd = fr(lu * f);
        fq = fr(lu * fd);
      } else if (al <= -1) {
        f = xexp(fr(fr(-al) * ld));
        fd = fr(fr(-ld) * f);
        fq = fr(fr(-ld) * fd);
      } else {
        const a1 = mf[w + MUL_A1], a2 = mf[w + MUL_A2], a3 = mf[w + MUL_A3], a4 = mf[w + MUL_A4], a5 = mf[w + MUL_A5], a6 = mf[w + MUL_A6];
        let pv = a6, pd = fr(6 * a6), pq = fr(30 * a6);
        pv = fr(fr(pv * al) + a5);
        pd = fr(fr(pd * al) + fr(5 * a5));
        pq = fr(fr(pq * al) + fr(20 * a5));
        pv = fr(fr(pv * al) + a4);
        pd = fr(fr(pd * al) + fr(4 * a4));
        pq = fr(fr(pq * al) + fr(12 * a4));
        pv = fr(fr(pv * al) + a3);
        pd = fr(fr(pd * al) + fr(3 * a3));
        pq = fr(fr(pq * al) + fr(6 * a3));
        pv = fr(fr(pv * al) + a2);
        pd = fr(fr(pd * al) + fr(2 * a2));
        pq = fr(fr(pq * al) + fr(2 * a2));
        pv = fr(fr(pv * al) + a1);
        pd = fr(fr(pd * al) + a1);
        f = fr(1 + fr(pv * al));
        fd = pd;
        fq = pq;
      }
      w += MUL_NORMSYS_WORDS;
    }
    mulP[k] = p;
    mulF[k] = f;
    mulD[k] = fd;
    mulD2[k] = fq;
    pre[k] = F;
    F = ftz(fr(F * f));
  }
  eBase = base;
  eF = F;
  eNA = nA;
  eNM = nM;
  return w;
}

/** Product of the entry's factors except those at k1 and k2 (k2 = k1: except one), in order. */
function prodExcept(k1: number, k2: number): number {
  let r = 1;
  for (let j = 0; j < eNM; j++) if (j !== k1 && j !== k2) r = fr(r * mulF[j]);
  return r;
}

/** Adds the entry's first derivatives to the touched Jacobian (prefix / suffix products). */
function entryJ(): void {
  for (let a = 0; a < eNA; a++) addJ(addP[a], fr(addD[a] * eF));
  let suf = 1;
  for (let k = eNM - 1; k >= 0; k--) {
    addJ(mulP[k], fr(fr(eBase * mulD[k]) * fr(pre[k] * suf)));
    suf = fr(suf * mulF[k]);
  }
}

/** H += w d^2 lambda_e / dtheta dtheta^T for the entry (pairs of records, then each record with itself). */
function entryH(w2: number): void {
  for (let a = 0; a < eNA; a++) {
    const p = addP[a];
    if (free[p] === 0) continue;
    addH(p, p, fr(w2 * fr(addD2[a] * eF)));
    for (let k = 0; k < eNM; k++) {
      const q = mulP[k];
      if (free[q] === 0) continue;
      const c = fr(w2 * fr(fr(addD[a] * mulD[k]) * prodExcept(k, k)));
      addH(p, q, p === q ? fr(2 * c) : c);
    }
  }
  for (let k = 0; k < eNM; k++) {
    const p = mulP[k];
    if (free[p] === 0) continue;
    const bw = fr(w2 * eBase);
    if (mulD2[k] !== 0) addH(p, p, fr(bw * fr(mulD2[k] * prodExcept(k, k))));
    for (let j = 0; j < k; j++) {
      const q = mulP[j];
      if (free[q] === 0) continue;
      const c = fr(bw * fr(fr(mulD[k] * mulD[j]) * prodExcept(j, k)));
      addH(p, q, p === q ? fr(2 * c) : c);
    }
  }
}

/**
 * One pass over the model at parameters `t`: derivs 0 adds the objective to acc (df32), derivs 1
 * accumulates g, H (exact: Gauss-Newton term plus (1 - n / lambda) d^2 lambda) and D (cleared first).
 */
function sweep(mw: Uint32Array, mf: Float32Array, m: number, df: Float32Array, d: number, t: Float32Array, derivs: number): void {
  const P = mw[m + MODEL_NPARAMS], B = mw[m + MODEL_NBINS], nG = mw[m + MODEL_NGAUSS], nQ = mw[m + MODEL_NPOIS];
  if (derivs === 1) {
    for (let p = 0; p < P; p++) {
      g[p] = 0;
      dg[p] = 0;
    }
    for (let k = 0; k < (P * (P + 1)) / 2; k++) H[k] = 0;
  } else {
    acc = DF_ZERO;
  }
  let w = m + mw[m + MODEL_BINS_OFF];
  for (let b = 0; b < B; b++) {
    const nE = mw[w + BIN_NENTRIES];
    w += BIN_WORDS;
    const w0 = w;
    let lam = 0;
    for (let e = 0; e < nE; e++) {
      w = readEntry(mw, mf, w, t);
      lam = fr(lam + ftz(fr(eBase * eF)));
      if (derivs === 1) entryJ();
    }
    const n = df[d + b];
    let clamped = 0;
    if (!(lam >= LAM_MIN)) {
      lam = LAM_MIN;
      clamped = 1;
      clearJ();
    }
    if (derivs === 1) {
      poissonDerivs(n, lam);
      if (clamped === 0) {
        const w2 = fr(1 - fr(n * xrecip(lam)));
        let v = w0;
        for (let e = 0; e < nE; e++) {
          v = readEntry(mw, mf, v, t);
          entryH(w2);
        }
      }
    } else {
      acc = dfAddF(acc, devF32(n, lam));
    }
  }
  const c = m + mw[m + MODEL_CONS_OFF];
  for (let i = 0; i < nG; i++) {
    // Gaussian constraint N(a | theta_p, sigma) (pyhf constraints.py, normal_logpdf)
    const ci = c + CONS_WORDS * i;
    const p = mw[ci + CONS_P], iv = mf[ci + CONS_VALUE], a = df[d + B + i];
    const r = fr(t[p] - a);
    if (derivs === 1) {
      if (free[p] !== 0) {
        g[p] = fr(g[p] + fr(r * iv));
        addH(p, p, iv);
        dg[p] = fr(dg[p] + iv);
      }
    } else {
      acc = dfAddF(acc, fr(fr(r * r) * iv));
    }
  }
  for (let i = 0; i < nQ; i++) {
    // Poisson constraint Pois(a | tau gamma) (pyhf shapesys, constrained_by_poisson)
    const q = c + CONS_WORDS * (nG + i);
    const p = mw[q + CONS_P], tau = mf[q + CONS_VALUE], a = df[d + B + nG + i];
    let lam = fr(tau * t[p]);
    if (!(lam >= LAM_MIN)) lam = LAM_MIN;
    else if (derivs === 1) addJ(p, tau);
    if (derivs === 1) poissonDerivs(a, lam);
    else acc = dfAddF(acc, devF32(a, lam));
  }
}

/**
 * LDL^T solve of (H + nu diag D) x = rhs on the active set (x = 0 elsewhere); returns 0 when a
 * pivot is not above 2^-24 of its diagonal (matrix not positive definite). H is overwritten by the
 * factor (the caller sweeps again when it needs H).
 */
function solve(P: number, nu: number): number {
  let ok = 1;
  for (let i = 0; i < P; i++) {
    for (let j = 0; j <= i; j++) {
      const k = tri(i, j);
      if (act[i] === 0 || act[j] === 0) H[k] = i === j ? 1 : 0;
      else if (i === j) H[k] = fr(H[k] + fr(nu * dg[i]));
    }
  }
  for (let j = 0; j < P; j++) {
    const mjj = H[tri(j, j)];
    let s = mjj;
    for (let k = 0; k < j; k++) {
      const ljk = H[tri(j, k)];
      vv[k] = fr(ljk * dl[k]);
      s = fr(s - fr(ljk * vv[k]));
    }
    if (!(s > fr(mjj * 2 ** -24))) {
      ok = 0; // not positive definite: the caller raises nu
      s = mjj > 0 ? mjj : 1;
    }
    dl[j] = s;
    rdl[j] = xrecip(s);
    for (let i = j + 1; i < P; i++) {
      let u = H[tri(i, j)];
      for (let k = 0; k < j; k++) u = fr(u - fr(H[tri(i, k)] * vv[k]));
      H[tri(i, j)] = fr(u * rdl[j]);
    }
  }
  for (let i = 0; i < P; i++) {
    let y = act[i] !== 0 ? rhs[i] : 0;
    for (let k = 0; k < i; k++) y = fr(y - fr(H[tri(i, k)] * x[k]));
    x[i] = y;
  }
  for (let i = 0; i < P; i++) x[i] = fr(x[i] * rdl[i]);
  for (let i = P - 1; i >= 0; i--) {
    let y = x[i];
    for (let k = i + 1; k < P; k++) y = fr(y - fr(H[tri(k, i)] * x[k]));
    x[i] = y;
  }
  return ok;
}

/**
 * One fit; writes theta, t (df32) and (iterations, status). warm 1: free parameters start from the
 * previous fit's theta (the toyfit kernel's free fit after its conditional fit) instead of init.
 */
export function fitOne(mw: Uint32Array, mf: Float32Array, df: Float32Array, m: number, d: number, poiMode: number, poiValue: number, maxIter: number,
  outPars: Float32Array, outNll: Float32Array, outInfo: Uint32Array, l: number, warm = 0): void {
  const P = mw[m + MODEL_NPARAMS], poi = mw[m + MODEL_POI];
  for (let p = 0; p < P; p++) {
    const q = m + MODEL_HEADER + PARAM_WORDS * p;
    lo[p] = mf[q + PARAM_LO];
    hi[p] = mf[q + PARAM_HI];
    const fixed = mw[q + PARAM_FIXED] !== 0 || (p === poi && poiMode === POI_FIXED);
    free[p] = fixed ? 0 : 1;
    let v = p === poi && poiMode === POI_FIXED ? poiValue : warm !== 0 && !fixed ? th[p] : mf[q + PARAM_INIT];
    if (!fixed) {
      if (v < lo[p]) v = lo[p];
      if (v > hi[p]) v = hi[p];
    }
    th[p] = v;
  }
  sweep(mw, mf, m, df, d, th, 0);
  let f = acc;
  let nu = NU0, status: number = STATUS.maxIter, it = 0;
  while (it < maxIter) {
    it++;
    sweep(mw, mf, m, df, d, th, 1);
    let nact = 0;
    for (let p = 0; p < P; p++) {
      const out = (th[p] <= lo[p] && g[p] > 0) || (th[p] >= hi[p] && g[p] < 0);
      act[p] = free[p] !== 0 && !out && dg[p] > 0 ? 1 : 0;
      nact += act[p];
    }
    if (nact === 0) {
      status = STATUS.converged;
      break;
    }
    // Newton step on the active set; a parameter whose step crosses a bound is moved onto it
    // (clamped, step fixed) and the others are solved again given that move (at most P rounds).
    for (let p = 0; p < P; p++) step[p] = 0;
    let pd = 1;
    for (let round = 0; round <= P; round++) {
      for (let i = 0; i < P; i++) {
        let r = fr(-g[i]);
        for (let j = 0; j < P; j++) if (step[j] !== 0) r = fr(r - fr(H[tri(i, j)] * step[j]));
        rhs[i] = r;
      }
      pd = solve(P, nu);
      if (pd === 0) break;
      let crossed = 0;
      for (let p = 0; p < P; p++) {
        if (act[p] === 0) continue;
        const v = fr(th[p] + x[p]);
        if (v < lo[p] || v > hi[p]) {
          act[p] = 0;
          step[p] = fr((v < lo[p] ? lo[p] : hi[p]) - th[p]);
          crossed = 1;
        }
      }
      if (crossed === 0) break;
      sweep(mw, mf, m, df, d, th, 1); // H again (the solve factorised it)
    }
    if (pd === 0) {
      nu = fr(nu * 16);
      if (nu > NU_MAX) {
        status = STATUS.noDescent;
        break;
      }
      continue;
    }
    let dec = 0, small = 1;
    for (let p = 0; p < P; p++) {
      if (act[p] !== 0) step[p] = x[p];
      dec = fr(dec - fr(g[p] * step[p]));
      if (Math.abs(step[p]) > fr(STEP_TOL * fr(1 + Math.abs(th[p])))) small = 0;
    }
    if (dec < 0) {
      // the step, with its parameters moved onto bounds, does not descend: more damping
      nu = fr(nu * 16);
      if (nu > NU_MAX) {
        status = STATUS.noDescent;
        break;
      }
      continue;
    }
    if (nu <= NU_SMALL && (dec <= DEC_TOL || small === 1)) {
      status = STATUS.converged;
      break;
    }
    for (let p = 0; p < P; p++) {
      let v = fr(th[p] + step[p]);
      if (v < lo[p]) v = lo[p];
      if (v > hi[p]) v = hi[p];
      th2[p] = free[p] !== 0 ? ftz(v) : th[p];
    }
    sweep(mw, mf, m, df, d, th2, 0);
    if (dfLt(acc, f)) {
      for (let p = 0; p < P; p++) th[p] = th2[p];
      f = acc;
      nu = fr(nu * 0.25);
      if (nu < NU_MIN) nu = NU_MIN;
    } else if (nu <= NU_SMALL && dec <= DEC_ACCEPT) {
      // A near-Newton step whose predicted decrease is below what t (f32 terms) resolves: taken,
      // and the fit ends there (the parameters are then within about sqrt(DEC_ACCEPT) sigma of
      // the minimum, and usually much closer: the step itself is the Newton correction).
      for (let p = 0; p < P; p++) th[p] = th2[p];
      f = acc;
      status = STATUS.noiseFloor;
      break;
    } else {
      nu = fr(nu * 16);
      if (nu > NU_MAX) {
        status = STATUS.noDescent;
        break;
      }
    }
  }
  for (let p = 0; p < MAXP; p++) outPars[l * MAXP + p] = p < P ? th[p] : 0;
  outNll[2 * l] = f.hi;
  outNll[2 * l + 1] = f.lo;
  outInfo[2 * l] = it;
  outInfo[2 * l + 1] = status;
}

// params: [item_offset, item_count, opaque_zero, reserved, max_iter]
// inputs: model (u32, shared), data (f32, shared), items (u32, 4 per item)
// outputs: pars (f32, MAXP per item), deviance (f32 df32 hi, lo per item), info (u32, 2 per item)
export const fitRef: RefKernel = (p, [model, data, items], [pars, dev, info]) => {
  const count = p[1], maxIter = p[4];
  const mf = new Float32Array(model.buffer, model.byteOffset, model.length);
  const df = new Float32Array(data.buffer, data.byteOffset, data.length);
  const op = new Float32Array(pars.buffer, pars.byteOffset, pars.length);
  const on = new Float32Array(dev.buffer, dev.byteOffset, dev.length);
  const iv = new Float32Array(items.buffer, items.byteOffset, items.length);
  for (let l = 0; l < count; l++) {
    const it = ITEM_WORDS * l;
    fitOne(model, mf, df, items[it + ITEM_MODEL], items[it + ITEM_DATA], items[it + ITEM_MODE], iv[it + ITEM_POI], maxIter, op, on, info, l);
  }
};

/** Test hook: g and H (NLL scale, free parameters only) of one model / data block at theta. */
export function derivativesAt(model: Uint32Array, data: Float32Array, m: number, d: number, theta: ArrayLike<number>, freeMask: ArrayLike<number>): { g: number[]; H: number[][] } {
  const mf = new Float32Array(model.buffer, model.byteOffset, model.length);
  const P = model[m];
  for (let p = 0; p < P; p++) {
    th[p] = theta[p];
    free[p] = freeMask[p];
  }
  sweep(model, mf, m, data, d, th, 1);
  return { g: Array.from(g.subarray(0, P)), H: Array.from({ length: P }, (_, i) => Array.from({ length: P }, (_, j) => H[tri(i, j)])) };
}
