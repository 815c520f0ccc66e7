// TypeScript reference of the `bayes_limit` kernel; twins: bayes_limit.wgsl, wasm/bayes_limit.ts.
//
// The Bayesian upper limit of engine/stats/exact.ts bayesUpper (flat prior on s >= 0, PDG
// Statistics review sec. 40.4.1) for a counting window with a known or Gaussian-uncertain
// background, in f32 from exact operations: the same quadrature (nu_j = b + sigma_b th_j on the
// midpoint grid th_j = -9 + (j + 1/2) h, nodes with nu_j <= 0 dropped, weights e^{-th_j^2 / 2}),
// the same equation. With G(S) = sum_j w_j Q(n + 1, S + nu_j) (Q(n + 1, x) = P(N <= n | x)), the
// posterior CDF is 1 - G(S) / G(0), so the limit solves
//     h(S) = ln G(S) - ln G(0) - ln(1 - cl) = 0,   h'(S) = -sum_j w_j Pois(n; S + nu_j) / G(S)
// (d/dx Q(n + 1, x) = -Pois(n; x)). Every term is carried as a logarithm relative to Pois(n; x0),
// x0 = max(b, n, 1), and summed with a running maximum (no overflow or underflow for any n, b):
//     ln Pois(n; x) - ln Pois(n; x0) = -u + n ln(1 + u / x0),   u = x - x0 (from S + sigma_b th_j + (b - x0)),
//     x > n:  Q = Pois(n; x) R1,  R1 = sum_{k=0..n} n! / ((n - k)! x^k)            (terms fall: x > n)
//     x <= n: Q = 1 - Pois(n; x) R2,  R2 = sum_{k>=1} x^k n! / (n + k)!             (terms fall: x <= n)
// each series cut when its term drops below 2^-26 of the sum. The root: Newton steps on h from S = 0
// inside a bracket [0, hi] (hi = n + 12 + 6 sqrt(n + 1), above the b = 0 limit for cl <= 0.9999,
// which bounds every b >= 0), a bisection wherever Newton would leave the bracket, until a step is
// below 2^-21 of S. Only exact comparisons decide, so every backend takes the same branches.
import type { RefKernel } from '../types.js';
import { bitsToF32, f32ToBits, ftz, xdiv, xexp, xlog, xrecip, xsqrt } from '../lib/exactmath.js';
import { BAYES_MAX_ITER, BAYES_MAX_TERMS, BAYES_NO_BRACKET, BAYES_NO_CONVERGENCE, BAYES_OK, BAYES_WIN_WORDS, BW_B, BW_K, BW_N, BW_SIGMA } from './layout.js';

const fr = Math.fround;
const X_MIN = 2 ** -20; // x = S + nu is clamped here (Q(n + 1, x) = 1 - O(x^{n+1}), Pois(0; x) = 1 - O(x))
const CUT = 2 ** -26; // series terms below CUT x sum end the series
const STEP_TOL = 2 ** -17; // Newton has converged when a step is below STEP_TOL x S (h carries f32 rounding of ~1e-7 x |ln G|: tighter is noise)

/** ln(1 + v) for v > -1 (Goldberg's form: ln(w) v / (w - 1), w = 1 + v rounded). */
export function xlog1p(v: number): number {
  const w = fr(1 + v);
  if (w === 1) return v;
  return fr(xlog(w) * xdiv(v, fr(w - 1)));
}

/**
 * One evaluation of G and G' at S: out = [A, -G'(S) / G(S)] with ln G(S) = A - S + K. The common
 * factor e^{-S} of every node is kept out of the sum, so that ln G(S) - ln G(0) = A(S) - A(0) - S
 * is exact where A does not depend on S (n = 0: the limit is -ln(1 - cl) for any background).
 */
function evalG(S: number, n: number, b: number, sigma: number, K: number, x0: number, rx0: number, points: number, step: number, out: Float64Array): void {
  let m = 0, s = 0, sp = 0, first = true, prevL = 0;
  const nodes = sigma > 0 ? points : 1;
  for (let j = 0; j < nodes; j++) {
    let lw = 0, d = fr(b - x0);
    if (sigma > 0) {
      const th = fr(-9 + fr(fr(j + 0.5) * step));
      const nu = fr(b + fr(sigma * th));
      if (!(nu > 0)) continue;
      lw = fr(fr(th * th) * -0.5);
      d = fr(fr(sigma * th) + d);
    }
    let u = fr(S + d);
    let x = fr(x0 + u);
    if (x < X_MIN) {
      x = X_MIN;
      u = fr(X_MIN - x0);
    }
    // ln Pois(n; x) - K + S = n ln(1 + u / x0) - d
    const relS = n > 0 ? fr(fr(n * xlog1p(ftz(fr(u * rx0)))) - d) : fr(-d);
    let lqS: number; // ln Q(n + 1, x) - K + S
    if (x > n) {
      const rx = xrecip(x);
      let t = 1, r = 1;
      for (let k = 1; k <= n && k < BAYES_MAX_TERMS; k++) {
        t = fr(t * fr(fr(n - k + 1) * rx));
        r = fr(r + t);
        if (t < fr(r * CUT)) break;
      }
      lqS = fr(relS + xlog(r));
    } else {
      let t = 1, r = 0;
      for (let k = 1; k < BAYES_MAX_TERMS; k++) {
        t = fr(t * fr(x * xrecip(fr(n + k))));
        r = fr(r + t);
        if (t < fr(r * CUT)) break;
      }
      const q = fr(1 - ftz(fr(xexp(fr(fr(relS - S) + K)) * r)));
      lqS = fr(fr(xlog(q) - K) + S);
    }
    const L = fr(lw + lqS), Lp = fr(lw + relS);
    // L is concave in th (a Gaussian log-weight plus ln Q(n + 1, x), log-concave in x): once it falls
    // 40 below the maximum, every later node adds less than e^-40 relative: the sum is done.
    if (!first && L < fr(m - 40) && L < prevL) break;
    prevL = L;
    if (first || L > m) {
      const sc = first ? 0 : xexp(fr(m - L));
      s = fr(ftz(fr(s * sc)) + 1);
      sp = fr(ftz(fr(sp * sc)) + xexp(fr(Lp - L)));
      m = L;
      first = false;
    } else {
      s = fr(s + xexp(fr(L - m)));
      sp = fr(sp + xexp(fr(Lp - m)));
    }
  }
  out[0] = fr(m + xlog(s));
  out[1] = ftz(xdiv(sp, s));
}

/** One limit: [s_up, status]. points, step: the Gaussian quadrature (engine: 401, 18 / 401 as f32). */
export function bayesLimitOne(n: number, b: number, sigma: number, K: number, alpha: number, points: number, step: number): [number, number] {
  const x0 = b > n ? (b > 1 ? b : 1) : n > 1 ? n : 1;
  const rx0 = xrecip(x0);
  const e = new Float64Array(2);
  evalG(0, n, b, sigma, K, x0, rx0, points, step, e);
  const a0 = e[0], la = xlog(alpha);
  const hOf = (S: number, A: number) => fr(fr(fr(A - a0) - S) - la); // ln G(S) - ln G(0) - ln(1 - cl)
  let lo = 0, hi = fr(fr(n + 12) + fr(6 * xsqrt(fr(n + 1))));
  evalG(hi, n, b, sigma, K, x0, rx0, points, step, e);
  let S = hi, h = hOf(hi, e[0]), dh = e[1]; // Newton from the right end: monotone where h is concave
  if (!(h < 0)) return [hi, BAYES_NO_BRACKET];
  for (let it = 0; it < BAYES_MAX_ITER; it++) {
    let c = dh > 0 ? fr(S + xdiv(h, dh)) : lo;
    if (c === S) return [S, BAYES_OK]; // h = 0, or a step below S's last bit
    if (!(c > lo && c < hi)) c = fr(0.5 * fr(lo + hi));
    evalG(c, n, b, sigma, K, x0, rx0, points, step, e);
    const hc = hOf(c, e[0]);
    if (hc > 0) lo = c;
    else hi = c;
    const st = c > S ? fr(c - S) : fr(S - c);
    S = c;
    h = hc;
    dh = e[1];
    if (!(st > fr(STEP_TOL * S)) || !(fr(hi - lo) > fr(STEP_TOL * hi))) return [S, BAYES_OK];
  }
  return [S, BAYES_NO_CONVERGENCE];
}

// params: [.., alpha (f32: 1 - cl), points (u32), step (f32)]; inputs: win (per item); outputs: up (f32), status (u32).
export const bayesLimitRef: RefKernel = (p, [win], [up, status]) => {
  const n = p[1], alpha = bitsToF32(p[4]), points = p[5], step = bitsToF32(p[6]);
  for (let l = 0; l < n; l++) {
    const r = l * BAYES_WIN_WORDS;
    const [s, st] = bayesLimitOne(bitsToF32(win[r + BW_N]), bitsToF32(win[r + BW_B]), bitsToF32(win[r + BW_SIGMA]), bitsToF32(win[r + BW_K]), alpha, points, step);
    up[l] = f32ToBits(s);
    status[l] = st;
  }
};
