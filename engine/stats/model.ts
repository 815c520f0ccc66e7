// The per-window counting model and its profile likelihood, in f64 on the host.
//
//   n ~ Poisson(mu * s_ref * eps(theta_e) + nu(theta_b))
//   background nu(theta_b), uncertainty sigma_b, one of
//     'none'      nu = b (known)
//     'gauss'     nu = b + sigma_b * theta, auxiliary a ~ N(theta, 1), observed a = 0
//     'lognormal' nu = b * kappa^theta, kappa = 1 + sigma_b / b, a ~ N(theta, 1), observed a = 0
//                 (the 'lnN' convention of CMS combine)
//     'poisson'   nu = gamma * b, auxiliary m ~ Poisson(tau * gamma), tau = (b / sigma_b)^2,
//                 observed m = tau (pyhf's shapesys, pyhf docs "Modifiers")
//   signal efficiency eps = kappa_e^theta_e, kappa_e = 1 + eff_unc, a_e ~ N(theta_e, 1), observed 0.
//
// Everything is written as a deviance t = -2 ln(L / L_saturated) >= 0, so that the global
// maximum of an unconstrained-mu fit is t = 0 (a single bin is fitted exactly by mu).
import { minimize1d } from './special.js';

export type UncertaintyModel = 'none' | 'gauss' | 'lognormal' | 'poisson';
export const UNCERTAINTY_MODELS: readonly UncertaintyModel[] = ['none', 'gauss', 'lognormal', 'poisson'];

export interface CountingModel {
  /** Observed count (integer >= 0). */
  readonly n: number;
  /** Expected background (> 0, or >= 0 with model 'none'). */
  readonly b: number;
  /** Signal expected at mu = 1 (default 1: limits are then on the signal count). */
  readonly sRef?: number;
  /** Absolute background uncertainty (0: known background). */
  readonly sigmaB?: number;
  readonly uncertainty?: UncertaintyModel;
  /** Relative log-normal uncertainty on the signal efficiency x luminosity (0: none). */
  readonly effUnc?: number;
  /** Observed auxiliary measurement: a for gauss/lognormal (default 0), m for poisson (default tau). */
  readonly aux?: number;
}

/** A validated model with defaults filled in. */
export interface Model {
  readonly n: number;
  readonly b: number;
  readonly sRef: number;
  readonly sigmaB: number;
  readonly kind: UncertaintyModel;
  readonly effUnc: number;
  readonly aux: number;
  /** poisson: tau = (b / sigma_b)^2; lognormal: ln kappa; gauss: sigma_b. */
  readonly tau: number;
  readonly lnKappa: number;
  readonly lnKappaE: number;
}

export function makeModel(m: CountingModel, where = 'model'): Model {
  const n = m.n, b = m.b, sRef = m.sRef ?? 1, sigmaB = m.sigmaB ?? 0, effUnc = m.effUnc ?? 0;
  if (!Number.isInteger(n) || n < 0 || n > 1e8) throw new RangeError(`${where}: observed count n must be an integer in [0, 1e8], got ${n}`);
  if (!Number.isFinite(b) || b < 0 || b > 1e7) throw new RangeError(`${where}: background b must be in [0, 1e7], got ${b}`);
  if (!Number.isFinite(sRef) || sRef <= 0) throw new RangeError(`${where}: signal s_ref must be > 0, got ${sRef}`);
  if (!Number.isFinite(sigmaB) || sigmaB < 0) throw new RangeError(`${where}: background uncertainty must be >= 0, got ${sigmaB}`);
  if (!Number.isFinite(effUnc) || effUnc < 0 || effUnc > 10) throw new RangeError(`${where}: efficiency uncertainty must be in [0, 10], got ${effUnc}`);
  let kind: UncertaintyModel = m.uncertainty ?? (sigmaB > 0 ? 'gauss' : 'none');
  if (!UNCERTAINTY_MODELS.includes(kind)) throw new RangeError(`${where}: unknown uncertainty model '${kind}' (expected ${UNCERTAINTY_MODELS.join(', ')})`);
  if (sigmaB === 0) kind = 'none';
  if (kind !== 'none' && b <= 0) throw new RangeError(`${where}: background b must be > 0 with a background uncertainty, got ${b}`);
  const tau = kind === 'poisson' ? (b / sigmaB) ** 2 : 0;
  const aux = m.aux ?? (kind === 'poisson' ? tau : 0);
  if (!Number.isFinite(aux) || (kind === 'poisson' && aux < 0)) throw new RangeError(`${where}: auxiliary measurement must be finite (and >= 0 for poisson), got ${aux}`);
  return {
    n, b, sRef, sigmaB, kind, effUnc, aux, tau,
    lnKappa: kind === 'lognormal' ? Math.log1p(sigmaB / b) : 0,
    lnKappaE: Math.log1p(effUnc),
  };
}

/** d - ln(1 + d), accurate for small |d| (series) and for d -> -1. */
export function dMinusLog1p(d: number): number {
  if (Math.abs(d) < 0.1) {
    // d^2/2 - d^3/3 + d^4/4 - ... (Taylor series of ln(1 + d))
    let term = d * d, s = 0;
    for (let k = 2; k < 24; k++) {
      s += (k % 2 === 0 ? 1 : -1) * term / k;
      term *= d;
    }
    return s;
  }
  return d - Math.log1p(d);
}

/** Poisson deviance 2 [lambda - n + n ln(n / lambda)] (>= 0; Baker & Cousins 1984). */
export function poissonDeviance(n: number, lambda: number): number {
  if (n === 0) return 2 * Math.max(lambda, 0);
  if (!(lambda > 0)) return Infinity;
  return 2 * n * dMinusLog1p((lambda - n) / n);
}

/** Background expectation at nuisance theta (gamma for poisson). */
export function nuOf(m: Model, theta: number): number {
  switch (m.kind) {
    case 'none': return m.b;
    case 'gauss': return m.b + m.sigmaB * theta;
    case 'lognormal': return m.b * Math.exp(m.lnKappa * theta);
    case 'poisson': return m.b * theta;
  }
}

/** Constraint deviance of the background nuisance against aux. */
export function constraintOf(m: Model, theta: number, aux = m.aux): number {
  switch (m.kind) {
    case 'none': return 0;
    case 'gauss': case 'lognormal': return (theta - aux) ** 2;
    case 'poisson': return poissonDeviance(aux, m.tau * theta);
  }
}

/** The nuisance value of the unconditional fit (constraint at its minimum). */
export function thetaHat(m: Model, aux = m.aux): number {
  return m.kind === 'poisson' ? aux / m.tau : m.kind === 'none' ? 0 : aux;
}

/** Positive root of A x^2 + B x - C = 0 (A > 0, C >= 0), without cancellation. */
function posRoot(A: number, B: number, C: number): number {
  const D = Math.sqrt(B * B + 4 * A * C);
  if (B <= 0) return (-B + D) / (2 * A);
  return C === 0 ? 0 : (2 * C) / (B + D);
}

export interface Profile {
  /** Minimum over nuisances of the deviance at fixed mu. */
  readonly t: number;
  readonly theta: number;
  readonly thetaE: number;
}

/** Background nuisance profiled at fixed total signal sp (closed forms; lognormal: 1-D minimum). */
export function profileB(m: Model, n: number, sp: number, aux = m.aux): { t: number; theta: number } {
  switch (m.kind) {
    case 'none': return { t: poissonDeviance(n, sp + m.b), theta: 0 };
    case 'gauss': {
      // d/dtheta = 0  <=>  lambda^2 + (s^2 - sp - b - a s) lambda - n s^2 = 0, lambda = sp + nu.
      const s = m.sigmaB, lambda = posRoot(1, s * s - sp - m.b - aux * s, n * s * s);
      const theta = (lambda - sp - m.b) / s;
      return { t: poissonDeviance(n, lambda) + (theta - aux) ** 2, theta };
    }
    case 'poisson': {
      // nu = gamma b, k = tau / b: (1 + k) nu^2 + ((1 + k) sp - n - m) nu - m sp = 0.
      const k = m.tau / m.b, nu = posRoot(1 + k, (1 + k) * sp - n - aux, aux * sp);
      const theta = nu / m.b;
      return { t: poissonDeviance(n, sp + nu) + poissonDeviance(aux, m.tau * theta), theta };
    }
    case 'lognormal': {
      const f = (th: number) => poissonDeviance(n, sp + m.b * Math.exp(m.lnKappa * th)) + (th - aux) ** 2;
      const r = minimize1d(f, aux - 12, aux + 12, 1e-12);
      return { t: r.f, theta: r.x };
    }
  }
}

/** Profile deviance at fixed mu, nuisances profiled (the efficiency one by a 1-D search). */
export function profile(m: Model, mu: number, n = m.n, aux = m.aux): Profile {
  const s = mu * m.sRef;
  if (m.lnKappaE === 0 || s === 0) {
    const r = profileB(m, n, s, aux);
    return { t: r.t, theta: r.theta, thetaE: 0 };
  }
  let best = { t: Infinity, theta: 0 };
  const g = (te: number) => {
    const r = profileB(m, n, s * Math.exp(m.lnKappaE * te), aux);
    const t = r.t + te * te;
    if (t < best.t) best = { t, theta: r.theta };
    return t;
  };
  const r = minimize1d(g, -12, 12, 1e-12);
  return { t: r.f, theta: best.theta, thetaE: r.x };
}

/** mu-hat of the unconstrained fit (nuisances at their auxiliary values). */
export function muHat(m: Model, n = m.n, aux = m.aux): number {
  return (n - nuOf(m, thetaHat(m, aux))) / m.sRef;
}

/** q~_mu: Cowan, Cranmer, Gross, Vitells, arXiv:1007.1727, eq. (16). */
export function qTilde(m: Model, mu: number, n = m.n, aux = m.aux): number {
  const mh = muHat(m, n, aux);
  if (mh > mu) return 0;
  const tmu = profile(m, mu, n, aux).t;
  const q = mh >= 0 ? tmu : tmu - profile(m, 0, n, aux).t;
  return Math.max(q, 0);
}

/** q_0 for discovery: arXiv:1007.1727, eq. (12). */
export function q0(m: Model, n = m.n, aux = m.aux): number {
  return muHat(m, n, aux) >= 0 ? Math.max(profile(m, 0, n, aux).t, 0) : 0;
}

/** Asimov data set of arXiv:1007.1727 sec. 3.1 at mu', nuisances from the fit to the data at mu'. */
export function asimov(m: Model, muPrime: number): { n: number; aux: number; theta: number } {
  const p = profile(m, muPrime);
  const nu = nuOf(m, p.theta);
  const sig = muPrime * m.sRef * Math.exp(m.lnKappaE * p.thetaE);
  const aux = m.kind === 'poisson' ? m.tau * p.theta : m.kind === 'none' ? 0 : p.theta;
  return { n: sig + nu, aux, theta: p.theta };
}
