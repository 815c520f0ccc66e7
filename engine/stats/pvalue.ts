// Local significance of one window: the Poisson p-value of observing >= n events on a background
// b +- sigma_b, and Z. Host-side double precision; the special functions are special.ts's.
//
// Treatment of sigma_b: the background estimate is read as an auxiliary Poisson measurement
// (the "on/off" problem) with tau = b / sigma_b^2 and n_off = b tau = (b / sigma_b)^2, which
// reproduces b and sigma_b; the p-value is the frequentist Z_Bi of Cousins, Linnemann and
// Tucker, NIM A 595 (2008) 480, eq. (17): p = I_{1/(1+tau)}(n, n_off + 1), extended to real
// n_off. sigma_b = 0 gives the plain Poisson tail P(N >= n | b) = P(n, b) (regularised gamma).
// Z = Phi^-1(1 - p), set to 0 for p >= 0.5 (deficits), as in Cowan, Cranmer, Gross, Vitells,
// EPJC 71 (2011) 1554, eq. (12) (q0 = 0 when the fitted signal is negative).

import { gammaP, lnGamma, normQuantile, normSf } from './special.js';

export { gammaP, gammaQ, lnGamma } from './special.js';

const EPS = 1e-16;
const TINY = 1e-300;

/** Regularised incomplete beta I_x(a, b) by its continued fraction (Numerical Recipes 3rd ed., sec. 6.4). */
export function betaI(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) throw new RangeError(`betaI: need a, b > 0 and 0 <= x <= 1, got x = ${x}, a = ${a}, b = ${b}`);
  if (x === 0 || x === 1) return x;
  const lbt = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lbt) * betaCF(x, a, b)) / a;
  return 1 - (Math.exp(lbt) * betaCF(1 - x, b, a)) / b;
}

function betaCF(x: number, a: number, b: number): number {
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1, d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c; if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d; h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d; if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c; if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/** Upper normal tail 1 - Phi(z). */
export const normalTail = normSf;

/** z with 1 - Phi(z) = p (0 < p < 1), from the lower quantile by symmetry (accurate for tiny p). */
export function normalQuantileUpper(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantileUpper: p must be in (0, 1), got ${p}`);
  return -normQuantile(p);
}

/**
 * The one rule for windows with (almost) no simulated background, used by `scan`, `run` and the
 * page alike: local p, Z and limits take b_eff = max(b, B_FLOOR) events (a window without
 * simulated background would otherwise give p = 0, Z = infinity for a single event). Outputs
 * keep the raw b and state the floor.
 */
export const B_FLOOR = 0.01;
export function flooredBackground(b: number): number {
  return Math.max(b, B_FLOOR);
}
export const B_FLOOR_RULE = `windows with less simulated background than ${B_FLOOR} events use b = ${B_FLOOR} for the local p, Z and limits`;

export interface LocalSignificance {
  /** Local p-value of >= n events. */
  readonly p: number;
  /** Phi^-1(1 - p), 0 for p >= 0.5. */
  readonly z: number;
  readonly method: 'poisson' | 'z_bi';
}

/** P(N >= n | b) for N ~ Poisson(b). */
export function poissonUpperTail(n: number, b: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!(b >= 0) || !Number.isFinite(b)) throw new RangeError(`background b must be finite and >= 0, got ${b}`);
  if (n === 0) return 1;
  if (b === 0) return 0;
  return gammaP(n, b);
}

/** Z_Bi p-value (Cousins-Linnemann-Tucker 2008, eq. 17) with tau = b / sigma_b^2, n_off = (b / sigma_b)^2. */
export function zBiPValue(n: number, b: number, sigmaB: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!(b >= 0) || !Number.isFinite(b)) throw new RangeError(`background b must be finite and >= 0, got ${b}`);
  if (!(sigmaB > 0) || !Number.isFinite(sigmaB)) throw new RangeError(`sigma_b must be finite and > 0, got ${sigmaB}`);
  if (n === 0) return 1;
  if (b === 0) return 1; // an auxiliary measurement of zero events with infinite uncertainty bounds nothing
  const tau = b / (sigmaB * sigmaB);
  const nOff = b * tau;
  return betaI(1 / (1 + tau), n, nOff + 1);
}

/** Local p-value and Z of n observed on b +- sigma_b (sigma_b = 0: exact Poisson). */
export function localSignificance(n: number, b: number, sigmaB = 0): LocalSignificance {
  if (!(sigmaB >= 0) || !Number.isFinite(sigmaB)) throw new RangeError(`sigma_b must be finite and >= 0, got ${sigmaB}`);
  const method = sigmaB > 0 ? 'z_bi' : 'poisson';
  const p = Math.min(1, Math.max(0, method === 'z_bi' ? zBiPValue(n, b, sigmaB) : poissonUpperTail(n, b)));
  const z = p >= 0.5 ? 0 : p === 0 ? Infinity : normalQuantileUpper(p);
  return { p, z, method };
}
