// Special functions in f64 for the host-side statistics (no kernels: these are exact methods).

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Gamma(x), x > 0: Lanczos, SIAM J. Numer. Anal. B1 (1964) 86, with Godfrey's g = 7, n = 9 coefficients. */
export function lnGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`lnGamma: x must be > 0, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x); // reflection formula
  x -= 1;
  let a = LANCZOS[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

const LNFACT: number[] = [];
/** ln k! for integer k >= 0 (table below 256, else lnGamma). */
export function lnFactorial(k: number): number {
  if (k < 256) {
    if (LNFACT.length === 0) {
      LNFACT.push(0);
      for (let i = 1; i < 256; i++) LNFACT.push(LNFACT[i - 1] + Math.log(i));
    }
    return LNFACT[k];
  }
  return lnGamma(k + 1);
}

/** Regularized lower incomplete gamma P(a, x): series / Lentz continued fraction (NR 3rd ed., sec. 6.2). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaCF(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x), accurate in the upper tail. */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaCF(a, x);
}

function gammaSeries(a: number, x: number): number {
  let ap = a, sum = 1 / a, del = sum;
  for (let i = 0; i < 100000; i++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * 1e-17) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
}

function gammaCF(a: number, x: number): number {
  const TINY = 1e-300;
  let b = x + 1 - a, c = 1 / TINY, d = 1 / b, h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h;
}

/** P(N <= n) for N ~ Poisson(mean) = Q(n + 1, mean). */
export function poissonCdf(n: number, mean: number): number {
  if (n < 0) return 0;
  if (mean <= 0) return 1;
  return gammaQ(Math.floor(n) + 1, mean);
}

/** P(N >= n) for N ~ Poisson(mean) = P(n, mean). */
export function poissonSf(n: number, mean: number): number {
  if (n <= 0) return 1;
  if (mean <= 0) return 0;
  return gammaP(Math.floor(n), mean);
}

/** ln P(N = n | mean), n integer >= 0; mean = 0 allowed. */
export function poissonLogPmf(n: number, mean: number): number {
  if (mean <= 0) return n === 0 ? 0 : -Infinity;
  return n * Math.log(mean) - mean - lnFactorial(n);
}

/** Standard normal CDF Phi(x) = erfc(-x / sqrt 2) / 2, erfc(z) = Q(1/2, z^2) for z >= 0. */
export function normCdf(x: number): number {
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  const q = 0.5 * gammaQ(0.5, 0.5 * x * x); // = P(Z > |x|)
  return x < 0 ? q : 1 - q;
}

/** Upper tail 1 - Phi(x), accurate for large x. */
export function normSf(x: number): number {
  return normCdf(-x);
}

/**
 * Phi^-1(p): P. J. Acklam's rational approximation (2003) refined by two Halley steps
 * against normCdf (relative error ~1e-15).
 */
export function normQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    throw new RangeError(`normQuantile: p must be in [0, 1], got ${p}`);
  }
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  let x: number;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - pl) {
    const q = p - 0.5, r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  for (let i = 0; i < 2; i++) {
    const e = (p < 0.5 ? normCdf(x) - p : -(normSf(x) - (1 - p)));
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
    x = x - u / (1 + 0.5 * x * u);
  }
  return x;
}

/** Root of a function that changes sign on [lo, hi] (bisection + secant safeguard, Brent-like). */
export function findRoot(f: (x: number) => number, lo: number, hi: number, tol = 1e-12, maxIter = 200): number {
  let flo = f(lo), fhi = f(hi);
  if (flo === 0) return lo;
  if (fhi === 0) return hi;
  if (Math.sign(flo) === Math.sign(fhi)) throw new Error(`findRoot: no sign change on [${lo}, ${hi}] (f = ${flo}, ${fhi})`);
  for (let i = 0; i < maxIter; i++) {
    // Illinois-safeguarded regula falsi alternated with bisection.
    let x = i % 3 === 2 ? 0.5 * (lo + hi) : hi - (fhi * (hi - lo)) / (fhi - flo);
    if (!(x > lo && x < hi)) x = 0.5 * (lo + hi);
    const fx = f(x);
    if (fx === 0 || hi - lo < tol * Math.max(1, Math.abs(x))) return x;
    if (Math.sign(fx) === Math.sign(flo)) {
      lo = x; flo = fx;
    } else {
      hi = x; fhi = fx;
    }
  }
  return 0.5 * (lo + hi);
}

/** bracketRoot found no sign change below its limit: the one failure a caller may recover from. */
export class NoBracketError extends Error {
  constructor(readonly maxHi: number) {
    super(`bracketRoot: no root below ${maxHi}`);
    this.name = 'NoBracketError';
  }
}

/** Expands hi (doubling) until f(hi) has the opposite sign of f(lo), then finds the root. */
export function bracketRoot(f: (x: number) => number, lo: number, hi: number, maxHi = 1e12, tol = 1e-12): number {
  const flo = f(lo);
  while (Math.sign(f(hi)) === Math.sign(flo)) {
    lo = hi;
    hi *= 2;
    if (hi > maxHi) throw new NoBracketError(maxHi);
  }
  return findRoot(f, lo, hi, tol);
}

/** Minimum of a unimodal f on [a, b]: golden-section search. */
export function minimize1d(f: (x: number) => number, a: number, b: number, tol = 1e-10): { x: number; f: number } {
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a), d = a + g * (b - a), fc = f(c), fd = f(d);
  while (Math.abs(b - a) > tol * (1 + Math.abs(c) + Math.abs(d))) {
    if (fc < fd) {
      b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c);
    } else {
      a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d);
    }
  }
  const x = 0.5 * (a + b);
  return { x, f: f(x) };
}
