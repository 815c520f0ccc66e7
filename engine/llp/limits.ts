// Limits on B(B+ -> K+ S) x B(S -> x x) per (mass, channel, lifetime), their combination over
// channels, and the mixing-angle interpretation of a Higgs-mixed scalar.
import { bayesUpper, clsNUpper, upperLimitAsymptotic } from '../stats/index.js';
import type { Channel } from './sample.js';
import type { SweepResult } from './sweep.js';

export type LimitMethod = 'cls-n' | 'bayes' | 'asymptotic';
export const LIMIT_METHODS: readonly LimitMethod[] = ['cls-n', 'bayes', 'asymptotic'];

/** Observed count and expected background in one reduced-mass window. */
export interface WindowCounts { readonly n: number; readonly b: number; readonly sigmaB?: number }

/**
 * Upper limit on the signal count s in one window (engine/stats): 'cls-n' CLs with n as test
 * statistic (Read 2002; equals the flat-prior Bayesian limit when b is known), 'bayes' flat prior
 * with the background uncertainty integrated (log-normal), 'asymptotic' CLs with q~_mu
 * (arXiv:1007.1727).
 */
export function signalUpperLimit(w: WindowCounts, method: LimitMethod, cl: number): number {
  const sigmaB = w.sigmaB ?? 0;
  if (method === 'cls-n') return clsNUpper(w.n, w.b, cl);
  const model = sigmaB > 0 ? { n: w.n, b: Math.max(w.b, 1e-9), sigmaB, uncertainty: 'lognormal' as const } : { n: w.n, b: Math.max(w.b, 1e-9) };
  if (method === 'bayes') return bayesUpper(model, cl);
  return upperLimitAsymptotic(model, cl).upper;
}

/** Number of B+ (and B-) mesons: 2 N_BB f+- (f+- = B(Y(4S) -> B+ B-) = 0.514, PDG 2024). */
export function chargedBCount(nBBbar: number, fPlusMinus = 0.514): number {
  return 2 * nBBbar * fPlusMinus;
}

export interface LimitOptions {
  readonly method: LimitMethod;
  readonly cl: number;
  /** Charged B mesons in the data (chargedBCount). */
  readonly nB: number;
  /** Assumed B(S -> x x) per channel for the combination (default 1 each: see combineChannels). */
  readonly br?: Partial<Record<Channel, number>>;
}

export interface LimitGrid {
  readonly method: LimitMethod;
  readonly cl: number;
  /** Upper limit on B(B -> K S) x B(S -> xx), index ((im * channels + ic) * lifetimes + j); Infinity where eff = 0. */
  readonly perChannel: Float64Array;
  /** Upper limit on B(B -> K S) from all channels (index im * lifetimes + j). */
  readonly combined: Float64Array;
  /** Upper limits on the signal count per (mass, channel). */
  readonly sUp: Float64Array;
}

/**
 * Per channel: B x B_up = s_up / (N_B eff), s_up the limit on the signal count in the channel's
 * window (independent of the lifetime, so computed once per mass and channel).
 */
export function limitGrid(sweep: SweepResult, counts: readonly WindowCounts[], o: LimitOptions): LimitGrid {
  const nM = sweep.masses.length, nC = sweep.channels.length, L = sweep.ctaus.length;
  if (counts.length !== nM * nC) throw new Error(`limits: ${counts.length} window counts for ${nM} masses x ${nC} channels`);
  const sUp = Float64Array.from(counts, (w) => signalUpperLimit(w, o.method, o.cl));
  const perChannel = new Float64Array(nM * nC * L);
  for (let g = 0; g < nM * nC; g++) {
    for (let j = 0; j < L; j++) {
      const a = o.nB * sweep.eff[g * L + j];
      perChannel[g * L + j] = a > 0 ? sUp[g] / a : Infinity;
    }
  }
  const combined = new Float64Array(nM * L);
  for (let im = 0; im < nM; im++) {
    for (let j = 0; j < L; j++) {
      const chans = sweep.channels.map((c, ic) => ({
        n: counts[im * nC + ic].n, b: counts[im * nC + ic].b,
        a: o.nB * sweep.eff[(im * nC + ic) * L + j] * (o.br?.[c] ?? 1),
      }));
      combined[im * L + j] = combineChannels(chans, o.cl);
    }
  }
  return { method: o.method, cl: o.cl, perChannel, combined, sUp };
}

/**
 * Combination: the product of the channels' Poisson likelihoods L(mu) = prod_c Pois(n_c | mu a_c
 * + b_c), a_c = N_B eff_c B(S -> x_c x_c), with a flat prior on mu >= 0 (Bayesian credibility
 * limit, PDG Statistics review sec. 40.4.1): the cl quantile of the posterior, integrated on a
 * grid (trapezoid, 4000 steps up to where the posterior has fallen by e^-30). With B(S -> x x) = 1
 * in every channel (the default) mu is a common B(B -> K S) x B(S -> x x) for all channels.
 */
export function combineChannels(chans: readonly { n: number; b: number; a: number }[], cl: number): number {
  const use = chans.filter((c) => c.a > 0);
  if (use.length === 0) return Infinity;
  const logL = (mu: number) => use.reduce((s, c) => {
    const lam = mu * c.a + c.b;
    return s + (c.n > 0 ? c.n * Math.log(lam) : 0) - lam;
  }, 0);
  // Upper end: the posterior beyond mu_max is negligible; from the largest single-channel scale.
  const aMax = Math.max(...use.map((c) => c.a));
  const nTot = use.reduce((s, c) => s + c.n, 0);
  let muMax = (nTot + 10 + 6 * Math.sqrt(nTot + 1)) / aMax;
  let lmax = -Infinity;
  for (let k = 0; k <= 200; k++) lmax = Math.max(lmax, logL((muMax * k) / 200));
  while (logL(muMax) - lmax > -30) muMax *= 2;
  const K = 4000, h = muMax / K;
  const f = new Float64Array(K + 1);
  for (let k = 0; k <= K; k++) f[k] = Math.exp(logL(k * h) - lmax);
  const cum = new Float64Array(K + 1);
  for (let k = 1; k <= K; k++) cum[k] = cum[k - 1] + 0.5 * h * (f[k - 1] + f[k]);
  const target = cl * cum[K];
  let k = 1;
  while (cum[k] < target) k++;
  const t = (target - cum[k - 1]) / (cum[k] - cum[k - 1]);
  return (k - 1 + t) * h;
}

// ---- mixing-angle interpretation hook ---------------------------------------------------------

/** Inputs of the B -> K S width; all replaceable. Masses in GeV (PDG 2024). */
export interface ScalarModel {
  readonly GF: number; readonly mt: number; readonly mb: number; readonly ms: number; readonly v: number;
  readonly VtsVtb: number; readonly mB: number; readonly mK: number; readonly tauB_s: number;
  /** B -> K scalar form factor f0(q^2). */
  readonly f0: (q2: number) => number;
}

export const HIGGS_MIXED_SCALAR: ScalarModel = {
  GF: 1.1663788e-5, mt: 172.57, mb: 4.183, ms: 0.0935, v: 246.22, VtsVtb: 0.0411,
  mB: 5.27934, mK: 0.493677, tauB_s: 1.638e-12,
  // Ball & Zwicky, PRD 71 (2005) 014015, fit eq. (16): f0(q^2) = 0.330 / (1 - q^2 / 37.46 GeV^2).
  f0: (q2) => 0.33 / (1 - q2 / 37.46),
};

const HBAR_GeV_s = 6.582119569e-25;

/**
 * B(B+ -> K+ S) / theta^2 for a scalar mixing with the Higgs by angle theta (theta << 1): the
 * top-loop b -> s S coupling L = theta (3 sqrt2 GF mt^2 Vts* Vtb / 16 pi^2) (mb / v) S sbar_L b_R
 * and <K| sbar b |B> = (mB^2 - mK^2) / (mb - ms) f0(mS^2) give
 * Gamma = |M|^2 lambda^(1/2)(mB^2, mK^2, mS^2) / (16 pi mB^3)
 * (Batell, Pospelov, Ritz, arXiv:0911.4938; Winkler, arXiv:1809.01876; Boiarska et al.,
 * arXiv:1904.10447, sec. 3). About 0.5 at small mS.
 */
export function brBtoKSPerTheta2(mS: number, p: ScalarModel = HIGGS_MIXED_SCALAR): number {
  if (!(mS >= 0 && mS < p.mB - p.mK)) throw new RangeError(`mixing angle: mS = ${mS} GeV is outside [0, ${p.mB - p.mK})`);
  const xi = (3 * Math.SQRT2 * p.GF * p.mt * p.mt * p.VtsVtb) / (16 * Math.PI * Math.PI);
  const M = 0.5 * xi * (p.mb / p.v) * ((p.mB ** 2 - p.mK ** 2) / (p.mb - p.ms)) * p.f0(mS * mS);
  const a = p.mB ** 2, b = p.mK ** 2, c = mS * mS;
  const lam = a * a + b * b + c * c - 2 * (a * b + a * c + b * c);
  const width = (M * M * Math.sqrt(Math.max(0, lam))) / (16 * Math.PI * p.mB ** 3);
  return width / (HBAR_GeV_s / p.tauB_s);
}

/** theta^2 limit from a limit on B(B -> K S) x B(S -> x x) and an assumed B(S -> x x). */
export function theta2Limit(brLimit: number, mS: number, brSxx = 1, p: ScalarModel = HIGGS_MIXED_SCALAR): number {
  return brLimit / (brSxx * brBtoKSPerTheta2(mS, p));
}
