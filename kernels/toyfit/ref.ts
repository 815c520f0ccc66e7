// Toys with fits: per item (toy set, toy index) a pseudo-data block sampled from Philox, the
// conditional and the free fit of kernels/fit on it, and the test statistic (twins: toyfit.wgsl,
// wasm/toyfit.ts: same operations in the same order).
//
// DESIGN (what the twins must reproduce)
// - Item a = item_offset + l: set s = a / toys, toy t = toy0 + a % toys (u32: t is the global toy
//   index, so shards and chunks give the same bits).
// - Set record s (shared input `sets`, SET_WORDS): model offset, offset of its generating block in
//   the shared `gen` input, mu (f32, the POI of the conditional fit), Philox key (2 words; the host
//   derives it from (seed, stream of the set), engine/random.ts key).
// - The generating block has the layout of a data block (kernels/fit/layout.ts): main rates
//   lambda_b, Gaussian auxiliary centres theta_p, Poisson auxiliary means tau gamma_p, at the
//   generating parameters (pyhf infer/calculators.py ToyCalculator: fixed-POI fit at mu for s+b,
//   at 0 for b-only; pdf.py sample: main ~ Poisson(lambda), Gaussian aux ~ Normal(theta, sigma),
//   Poisson aux ~ Poisson(tau gamma)). Value i of the toy's block draws from its own stream,
//   counter (block, i, t, 0) (kernels/lib/sampling: word 1 the bin / aux index, word 2 the toy):
//   rsPoisson(gen_i) for main bins and Poisson aux, gen_i + sigma rsNormal for Gaussian aux with
//   sigma = xsqrt(xrecip(1 / sigma^2 of the packed constraint)), through ftz.
// - Then fitOne of kernels/fit/ref.ts (the one minimiser) on that block: POI held at mu, then POI
//   free, started from the conditional fit's theta (warm start: deterministic, fewer iterations);
//   the test statistic testStatF32 below (engine/likelihood/infer.ts testStatistic uses it too).
// - Outputs: q (f32), mu-hat (f32), status (0 both fits converged; TOY_COND_MAXITER |
//   TOY_FREE_MAXITER for a fit that ended at max_iter), iterations (conditional, free).
import type { RefKernel } from '../types.js';
import { ftz, xrecip, xsqrt } from '../lib/exactmath.js';
import { dfSub } from '../lib/df32.js';
import { newStream, rsInit, rsNormal, rsPoisson, type RStream } from '../lib/sampling.js';
import { CONS_VALUE, CONS_WORDS, FIT_CONSTANTS, MAXP, MODEL_CONS_OFF, MODEL_NBINS, MODEL_NGAUSS, MODEL_NPOIS, MODEL_POI, POI_FIXED, POI_FREE } from '../fit/layout.js';
import { STATUS, fitOne } from '../fit/ref.js';

const fr = Math.fround;

/** Data words of one toy at most (main bins + auxiliary values: private array of the kernel). */
export const MAXD = 1024;
/** Set record (shared input `sets`). */
export const SET_WORDS = 8;
export const SET_MODEL = 0;
export const SET_GEN = 1;
export const SET_MU = 2;
export const SET_KEY0 = 3;
export const SET_KEY1 = 4;
/** Test statistics (param `stat`): q~_mu, q_mu (arXiv:1007.1727 eqs. 16, 14), q_0 (eq. 12). */
export const STAT_QTILDE = 0;
export const STAT_Q = 1;
export const STAT_Q0 = 2;
/** Status bits of a toy: the conditional / free fit ended at max_iter. */
export const TOY_COND_MAXITER = 1;
export const TOY_FREE_MAXITER = 2;
/** Iterations output: conditional, free. */
export const ITERS_WORDS = 2;

export const TOYFIT_CONSTANTS = {
  ...FIT_CONSTANTS,
  MAXD, SET_MODEL, SET_GEN, SET_MU, SET_KEY0, SET_KEY1, STAT_QTILDE, STAT_Q, STAT_Q0, TOY_COND_MAXITER, TOY_FREE_MAXITER,
} as const;

/**
 * The profile-likelihood test statistic from the deviances (df32) of a conditional fit at mu and
 * a free fit with mu-hat (pyhf infer/test_statistics.py): t = max(t(cond) - t(free), 0), the df32
 * difference rounded to f32; q_mu and q~_mu are t, or 0 when mu-hat > mu (arXiv:1007.1727 eqs. 14,
 * 16; with the POI bounded below by 0 pyhf's qmu_tilde); q_0 is t at mu = 0, or 0 when mu-hat < 0
 * (eq. 12). mu-hat = mu: both fits solved the same problem, q = 0 (their deviances differ only by
 * the noise of t). mu and mu-hat are f32. The one definition: the kernels and the host use it.
 */
export function testStatF32(stat: number, mu: number, muhat: number, condHi: number, condLo: number, freeHi: number, freeLo: number): number {
  if (muhat === mu) return 0;
  const d = dfSub({ hi: condHi, lo: condLo }, { hi: freeHi, lo: freeLo });
  const t = d.hi > 0 ? d.hi : 0;
  if (stat === STAT_Q0) return muhat < 0 ? 0 : t;
  return muhat > mu ? 0 : t;
}

/** Samples toy t of a set into `out` (the data block layout): main and auxiliary values. */
export function sampleToy(st: RStream, mw: Uint32Array, mf: Float32Array, gen: Float32Array, m: number, g: number, k0: number, k1: number, t: number, out: Float32Array): void {
  const B = mw[m + MODEL_NBINS], nG = mw[m + MODEL_NGAUSS], nQ = mw[m + MODEL_NPOIS];
  const c = m + mw[m + MODEL_CONS_OFF];
  for (let i = 0; i < B; i++) {
    rsInit(st, k0, k1, i, t, 0);
    out[i] = rsPoisson(st, gen[g + i]);
  }
  for (let i = 0; i < nG; i++) {
    const sigma = xsqrt(xrecip(mf[c + CONS_WORDS * i + CONS_VALUE]));
    rsInit(st, k0, k1, B + i, t, 0);
    out[B + i] = ftz(fr(gen[g + B + i] + fr(sigma * rsNormal(st))));
  }
  for (let i = 0; i < nQ; i++) {
    rsInit(st, k0, k1, B + nG + i, t, 0);
    out[B + nG + i] = rsPoisson(st, gen[g + B + nG + i]);
  }
}

const toyData = new Float32Array(MAXD);
const pars = new Float32Array(MAXP), dev = new Float32Array(2), info = new Uint32Array(2);

// params: [item_offset, item_count, opaque_zero, reserved, toys, toy0, max_iter, stat]
// inputs: model (u32, shared), gen (f32, shared), sets (u32, SET_WORDS per set)
// outputs: q (f32), muhat (f32), status (u32), iters (u32, 2) per item
export const toyfitRef: RefKernel = (p, [model, gen, sets], [q, muhat, status, iters]) => {
  const off = p[0], count = p[1], toys = p[4], toy0 = p[5], maxIter = p[6], stat = p[7];
  const mf = new Float32Array(model.buffer, model.byteOffset, model.length);
  const gf = new Float32Array(gen.buffer, gen.byteOffset, gen.length);
  const sf = new Float32Array(sets.buffer, sets.byteOffset, sets.length);
  const oq = new Float32Array(q.buffer, q.byteOffset, q.length);
  const om = new Float32Array(muhat.buffer, muhat.byteOffset, muhat.length);
  const st = newStream();
  for (let l = 0; l < count; l++) {
    const a = (off + l) >>> 0;
    const s = Math.floor(a / toys);
    const t = (toy0 + (a - s * toys)) >>> 0;
    const r = SET_WORDS * s;
    const m = sets[r + SET_MODEL], mu = sf[r + SET_MU];
    sampleToy(st, model, mf, gf, m, sets[r + SET_GEN], sets[r + SET_KEY0], sets[r + SET_KEY1], t, toyData);
    fitOne(model, mf, toyData, m, 0, POI_FIXED, mu, maxIter, pars, dev, info, 0);
    const cHi = dev[0], cLo = dev[1], cIt = info[0], cSt = info[1];
    fitOne(model, mf, toyData, m, 0, POI_FREE, 0, maxIter, pars, dev, info, 0, 1); // warm: from the conditional fit
    const mh = pars[model[m + MODEL_POI]];
    oq[l] = testStatF32(stat, mu, mh, cHi, cLo, dev[0], dev[1]);
    om[l] = mh;
    status[l] = (cSt === STATUS.maxIter ? TOY_COND_MAXITER : 0) | (info[1] === STATUS.maxIter ? TOY_FREE_MAXITER : 0);
    iters[ITERS_WORDS * l] = cIt;
    iters[ITERS_WORDS * l + 1] = info[0];
  }
};
