// Limits on B(B+ -> K+ S) x B(S -> x x) per (mass, channel, lifetime) (model independent), and,
// under a stated model of B(S -> x x) (by default the Higgs-mixed scalar's, engine/generate/
// branching.ts), per-channel and combined limits on B(B+ -> K+ S) and on the mixing angle theta^2.
import { LIMIT_METHODS as LIMIT_TABLE, upperOne, type WindowLimitMethod } from '../stats/windows.js';
import { scalarBranchingFractions, SCALAR_BRANCHING_SOURCE } from '../generate/branching.js';
import { PRODUCTIONS, type Channel, type Production } from './sample.js';

/** The LLP limit methods: those of the one table (engine/stats/windows.ts) that need no toys. */
export type LimitMethod = Exclude<WindowLimitMethod, 'cls' | 'fc'>;
export const LIMIT_METHODS: readonly LimitMethod[] = ['cls-n', 'bayes', 'cls-asymptotic'];

/** B(S -> x x) per channel at a mass: the model a combination is made under. */
export interface ScalarBrModel {
  readonly name: string;
  br(mS: number): Record<Channel, number>;
}
export const HIGGS_MIXED_SCALAR_BR: ScalarBrModel = { name: SCALAR_BRANCHING_SOURCE, br: scalarBranchingFractions };

/** Observed count and expected background in one reduced-mass window. */
export interface WindowCounts { readonly n: number; readonly b: number; readonly sigmaB?: number }

/**
 * Upper limit on the signal count s in one window, by the table's method (engine/stats/windows.ts
 * upperOne): 'cls-n' CLs with n as test statistic with b taken as known (Read 2002), 'bayes' flat
 * prior with the background uncertainty integrated (log-normal), 'cls-asymptotic' CLs with q~_mu
 * (arXiv:1007.1727) where b >= 10, else the exact Bayesian limit; the method used and why.
 */
export function windowLimit(w: WindowCounts, method: LimitMethod, cl: number): { up: number; used: string; reason: string } {
  const known = LIMIT_TABLE[method].knownBackground;
  const sigmaB = known ? 0 : w.sigmaB ?? 0;
  const model = sigmaB > 0 ? { n: w.n, b: Math.max(w.b, 1e-9), sigmaB, uncertainty: 'lognormal' as const } : { n: w.n, b: Math.max(w.b, 1e-9) };
  const r = upperOne(model, method, cl);
  return known && (w.sigmaB ?? 0) > 0 ? { ...r, reason: `${r.reason} (${method} takes the background as known: sigma_b = ${+(w.sigmaB ?? 0).toPrecision(4)} not used)` } : r;
}

/** windowLimit's upper limit alone. */
export function signalUpperLimit(w: WindowCounts, method: LimitMethod, cl: number): number {
  return windowLimit(w, method, cl).up;
}

/** Number of B+ (and B-) mesons: 2 N_BB f+- (f+- = B(Y(4S) -> B+ B-) = 0.514, PDG 2024). */
export function chargedBCount(nBBbar: number, fPlusMinus = 0.514): number {
  return 2 * nBBbar * fPlusMinus;
}

/** B mesons of a production mode's charge in N_BB pairs: 2 N_BB f (f+- = 0.514, f00 = 0.486, PDG 2024). */
export function bMesonCount(nBBbar: number, production: Production): number {
  return chargedBCount(nBBbar, PRODUCTIONS[production].fB);
}

/**
 * Combination: the product of the channels' Poisson likelihoods L(mu) = prod_c Pois(n_c | mu a_c
 * + b_c), a_c = N_B eff_c B(S -> x_c x_c), with a flat prior on mu >= 0 (Bayesian credibility
 * limit, PDG Statistics review sec. 40.4.1): the cl quantile of the posterior, integrated on a
 * grid (trapezoid, 4000 steps up to where the posterior has fallen by e^-30). With a_c carrying
 * the model's B(S -> x_c x_c), mu is B(B -> K S) under that model.
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

/**
 * B(B0 -> K*0 S) / theta^2 with the same b -> s S coupling: only the pseudoscalar part of S sbar_L b_R
 * contributes, <K*| sbar g5 b |B> = 2 mK* (eps*.q) A0(q^2) / (mb + ms), so
 * Gamma = |xi mb / v|^2 A0^2 lambda^(3/2) / (64 pi mB^3 (mb + ms)^2) (Boiarska et al. arXiv:1904.10447
 * sec. 3; Winkler arXiv:1809.01876); A0(q^2) = 1.364 / (1 - q^2 / 27.88) - 0.990 / (1 - q^2 / 36.78)
 * (Ball & Zwicky, PRD 71 (2005) 014029, LCSR fit); tau(B0) = 1.517 ps, mB0 = 5.27966, mK*0 = 0.89555 (PDG 2024).
 */
export function a0BtoKstar(q2: number): number {
  return 1.364 / (1 - q2 / 27.88) - 0.99 / (1 - q2 / 36.78); // Ball & Zwicky, PRD 71 (2005) 014029, LCSR fit
}

export function brB0toKstarSPerTheta2(mS: number, p: ScalarModel = HIGGS_MIXED_SCALAR): number {
  const mB = PRODUCTIONS['K*0'].mB, mV = PRODUCTIONS['K*0'].mK, tauB0 = 1.517e-12;
  if (!(mS >= 0 && mS < mB - mV)) throw new RangeError(`mixing angle: mS = ${mS} GeV is outside [0, ${mB - mV}) for B0 -> K*0 S`);
  const xi = (3 * Math.SQRT2 * p.GF * p.mt * p.mt * p.VtsVtb) / (16 * Math.PI * Math.PI);
  const q2 = mS * mS;
  const A0 = a0BtoKstar(q2);
  const a = mB ** 2, b = mV ** 2, c = q2;
  const lam = Math.max(0, a * a + b * b + c * c - 2 * (a * b + a * c + b * c));
  const width = ((xi * p.mb / p.v) ** 2 * A0 * A0 * lam ** 1.5) / (64 * Math.PI * mB ** 3 * (p.mb + p.ms) ** 2);
  return width / (HBAR_GeV_s / tauB0);
}

/** The branching fraction the limits are on, per theta^2: B(B+ -> K+ S), or B(B0 -> K*0 S) x B(K*0 -> K+ pi-). */
export function productionPerTheta2(production: Production, mS: number): number {
  return production === 'K+' ? brBtoKSPerTheta2(mS) : brB0toKstarSPerTheta2(mS) * PRODUCTIONS['K*0'].kDecay;
}

/** theta^2 limit from a limit on B(B -> K S) x B(S -> x x) and the model's B(S -> x x) (no default: B = 1 is not a model). */
export function theta2Limit(brLimit: number, mS: number, brSxx: number, p: ScalarModel = HIGGS_MIXED_SCALAR): number {
  if (!(brSxx > 0)) return Infinity;
  return brLimit / (brSxx * brBtoKSPerTheta2(mS, p));
}
