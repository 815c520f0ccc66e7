// Exact (non-asymptotic, no toys) methods for one counting window, in f64.
import { makeModel, type CountingModel, type Model } from './model.js';
import { bracketRoot, gammaQ, lnGamma, normCdf, poissonCdf, poissonLogPmf } from './special.js';

function checkCl(cl: number): void {
  if (!(cl > 0 && cl < 1)) throw new RangeError(`cl must be in (0, 1), got ${cl}`);
}

/**
 * CLs with the count n as test statistic, b known: CLs(s) = P(N <= n | s + b) / P(N <= n | b)
 * (A. L. Read, J. Phys. G 28 (2002) 2693, eq. (6)); equals O. Helene's formula, Nucl. Instrum.
 * Meth. 212 (1983) 319, and the flat-prior Bayesian limit. With b = 0 it is the classical
 * Poisson upper limit P(N <= n | s_up) = 1 - cl.
 */
export function clsNUpper(n: number, b: number, cl = 0.95): number {
  checkCl(cl);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`observed n must be an integer >= 0, got ${n}`);
  if (!(b >= 0)) throw new RangeError(`background b must be >= 0, got ${b}`);
  const alpha = 1 - cl, den = poissonCdf(n, b);
  return bracketRoot((s) => poissonCdf(n, s + b) / den - alpha, 0, n + 5 + 3 * Math.sqrt(n + 1), 1e12, 1e-13);
}

/** CLs, CLs+b and CLb at signal s with n as test statistic (b known). */
export function clsN(n: number, s: number, b: number): { cls: number; clsb: number; clb: number } {
  const clsb = poissonCdf(n, s + b), clb = poissonCdf(n, b);
  return { cls: clsb / clb, clsb, clb };
}

interface Node { nu: number; eps: number; w: number }

/** Midpoint nodes of a Gaussian background prior over [-9, 9] sigma (also the bayes_limit kernel's). */
export const PRIOR_POINTS = 401;

/** Quadrature nodes over the nuisance priors (background and efficiency). */
function priorNodes(m: Model, points = PRIOR_POINTS): Node[] {
  const bNodes: { nu: number; w: number }[] = [];
  if (m.kind === 'none') bNodes.push({ nu: m.b, w: 1 });
  else if (m.kind === 'poisson') {
    // Posterior of nu from the auxiliary count m with a flat prior: Gamma(m + 1, rate tau / b).
    const k = m.aux + 1, rate = m.tau / m.b, mean = k / rate, sd = Math.sqrt(k) / rate;
    const lo = Math.max(0, mean - 12 * sd), hi = mean + 12 * sd, h = (hi - lo) / points;
    for (let i = 0; i < points; i++) {
      const nu = lo + (i + 0.5) * h;
      bNodes.push({ nu, w: Math.exp(k * Math.log(rate) + (k - 1) * Math.log(nu) - rate * nu - lnGamma(k)) * h });
    }
  } else {
    // theta ~ N(aux, 1) on [-9, 9] sigma (midpoint rule), gauss truncated at nu > 0.
    const h = 18 / points;
    for (let i = 0; i < points; i++) {
      const th = m.aux - 9 + (i + 0.5) * h;
      const nu = m.kind === 'gauss' ? m.b + m.sigmaB * th : m.b * Math.exp(m.lnKappa * th);
      if (nu > 0) bNodes.push({ nu, w: Math.exp(-0.5 * (th - m.aux) ** 2) * h });
    }
  }
  const eNodes: { eps: number; w: number }[] = [];
  if (m.lnKappaE === 0) eNodes.push({ eps: 1, w: 1 });
  else {
    const pts = 201, h = 16 / pts;
    for (let i = 0; i < pts; i++) {
      const th = -8 + (i + 0.5) * h;
      eNodes.push({ eps: Math.exp(m.lnKappaE * th), w: Math.exp(-0.5 * th * th) * h });
    }
  }
  const out: Node[] = [];
  for (const b of bNodes) for (const e of eNodes) out.push({ nu: b.nu, eps: e.eps, w: b.w * e.w });
  return out;
}

/**
 * Bayesian upper limit on mu, flat prior on mu >= 0, nuisances integrated over their priors
 * (the method of the talk's 90% credibility limits; e.g. PDG Statistics review, sec. 40.4.1).
 * Posterior CDF uses int_0^S Pois(n | s eps + nu) ds = [Q(n+1, nu) - Q(n+1, S eps + nu)] / eps.
 */
export function bayesUpper(model: CountingModel | Model, cl = 0.95): number {
  checkCl(cl);
  const m = 'kind' in model ? model : makeModel(model);
  const nodes = priorNodes(m);
  const a = m.n + 1;
  let norm = 0;
  const base = nodes.map((x) => gammaQ(a, x.nu));
  nodes.forEach((x, i) => { norm += (x.w * base[i]) / x.eps; });
  if (!(norm > 0)) throw new Error(`bayesUpper: posterior not normalisable (n = ${m.n}, b = ${m.b})`);
  const cdf = (S: number) => {
    let acc = 0;
    nodes.forEach((x, i) => { acc += (x.w * (base[i] - gammaQ(a, S * x.eps + x.nu))) / x.eps; });
    return acc / norm;
  };
  const s = bracketRoot((S) => cdf(S) - cl, 0, m.n + m.b + 10, 1e12, 1e-13);
  return s / m.sRef;
}

/**
 * The largest n0 + b Feldman-Cousins takes: the belt construction costs ~ (n0 + b) per edge and
 * per expected-band point; above it the interval is, to the digits a limit is quoted with, the
 * Gaussian one that cls-asymptotic and bayes give at a fraction of the cost.
 */
export const FC_MAX_COUNTS = 1e4;

/** Acceptance interval [n1, n2] of Feldman & Cousins (PRD 57 (1998) 3873, sec. IV) at mu. */
export function fcAcceptance(mu: number, b: number, cl: number): [number, number] {
  // Likelihood-ratio ordering R(n) = P(n | mu + b) / P(n | mu_best + b), mu_best = max(0, n - b), eq. (4.1).
  // ln R rises up to n ~ mu + b and falls after (d/dn ln R = ln((mu + b) / max(n, b))), so the
  // accepted set grows from the mode, taking the neighbour of larger R (the lower n on a tie, as
  // ordering by R with n ascending does): O(sqrt(mu + b)) terms instead of sorting all n.
  const mean = mu + b;
  const term = (n: number) => {
    const lp = poissonLogPmf(n, mean);
    return { r: lp - poissonLogPmf(n, Math.max(0, n - b) + b), p: Math.exp(lp) };
  };
  let n1 = Math.floor(mean), m = term(n1);
  const up = term(n1 + 1);
  if (up.r > m.r) { n1++; m = up; }
  let n2 = n1, sum = m.p;
  let left = n1 > 0 ? term(n1 - 1) : null, right = term(n2 + 1);
  while (sum < cl) {
    if (left && left.r >= right.r) {
      sum += left.p;
      n1--;
      left = n1 > 0 ? term(n1 - 1) : null;
    } else {
      sum += right.p;
      n2++;
      right = term(n2 + 1);
    }
    if (!left && right.p === 0) break; // all the probability is taken (cl ~ 1 in rounding)
  }
  return [n1, n2];
}

/**
 * Feldman-Cousins confidence interval for mu (signal mean, background b known): the Neyman
 * construction with likelihood-ratio ordering (PRD 57 (1998) 3873). The belt is scanned on a
 * grid of mu (step `step`, widened as sqrt(n0 + b) / 2 above n0 + b = 4, where the belt is
 * smooth) over the range that can hold its edges, and each edge refined by bisection to 1e-7.
 * Refuses n0 + b above FC_MAX_COUNTS (cost; see there).
 */
export function feldmanCousins(n0: number, b: number, cl = 0.9, step = 0.005): { lower: number; upper: number } {
  checkCl(cl);
  if (!Number.isInteger(n0) || n0 < 0) throw new RangeError(`observed n must be an integer >= 0, got ${n0}`);
  if (!(b >= 0)) throw new RangeError(`background b must be >= 0, got ${b}`);
  if (n0 + b > FC_MAX_COUNTS) {
    throw new RangeError(`Feldman-Cousins takes n + b up to ${FC_MAX_COUNTS} (its belt construction grows with the counts; here n = ${n0}, b = ${b}): use cls-asymptotic or bayes, which agree with it there`);
  }
  const inBelt = (mu: number) => {
    const [n1, n2] = fcAcceptance(mu, b, cl);
    return n1 <= n0 && n0 <= n2;
  };
  // The edges lie within 8 standard deviations of n0 - b (an acceptance interval at cl <= 0.9999
  // spans less than 4 of them either side of mu + b).
  const mu0 = Math.max(0, n0 - b - 8 * Math.sqrt(n0 + 1) - 10);
  const muMax = Math.max(0, n0 - b) + 8 * Math.sqrt(n0 + b + 1) + 10;
  const h = step * Math.max(1, Math.sqrt(n0 + b) / 2);
  let lower = NaN, upper = NaN, prevIn = false, prevMu = 0;
  // Bisection between a point outside the belt and one inside: returns the edge.
  const refine = (out: number, inside: number) => {
    while (Math.abs(inside - out) > 1e-7) {
      const mid = 0.5 * (out + inside);
      if (inBelt(mid)) inside = mid; else out = mid;
    }
    return 0.5 * (out + inside);
  };
  for (let i = 0; ; i++) {
    const mu = mu0 + i * h;
    if (mu > muMax) break;
    const now = inBelt(mu);
    if (now && Number.isNaN(lower)) {
      if (i === 0 && mu0 > 0) throw new Error(`feldmanCousins: belt starts below the scanned range for n = ${n0}, b = ${b}`);
      lower = i === 0 ? 0 : refine(prevMu, mu);
    }
    if (!now && prevIn) upper = refine(mu, prevMu);
    prevIn = now;
    prevMu = mu;
  }
  if (Number.isNaN(lower) || Number.isNaN(upper)) throw new Error(`feldmanCousins: belt edge not found for n = ${n0}, b = ${b}`);
  return { lower, upper };
}

/**
 * Expected limits [-2s, -1s, median, +1s, +2s] of a method whose limit depends only on n:
 * the limit at the quantiles Phi(-2), ..., Phi(2) of n ~ Poisson(b) (background only).
 */
export function expectedFromCounts(b: number, limitOf: (n: number) => number): [number, number, number, number, number] {
  return expectedCounts(b).map(limitOf) as [number, number, number, number, number];
}

/** The counts n at the quantiles Phi(-2), ..., Phi(2) of Poisson(b): the smallest n with P(N <= n) >= p (one walk up for all five). */
export function expectedCounts(b: number): number[] {
  let n = 0;
  return [-2, -1, 0, 1, 2].map((k) => {
    const p = normCdf(k);
    while (poissonCdf(n, b) < p) n++;
    return n;
  });
}
