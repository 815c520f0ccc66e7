// Bayesian upper limits per item: twin of kernels/bayes_limit/ref.ts (formulas and operation order
// there). Scalar: the work per item is a few hundred quadrature nodes per Newton step.
import { F, ftz, xdiv, xexp, xlog, xrecip, xsqrt } from './lib/exactmath';
import {
  Bufs, IN_WIN_STRIDE, OUT_UP_STRIDE, OUT_STATUS_STRIDE, Params, BW_N, BW_B, BW_SIGMA, BW_K, BAYES_OK, BAYES_NO_BRACKET,
  BAYES_NO_CONVERGENCE, BAYES_MAX_ITER, BAYES_MAX_TERMS,
} from './gen/bayes_limit';

const X_MIN: f32 = F(0x35800000); // 2^-20
const CUT: f32 = F(0x32800000); // 2^-26
const STEP_TOL: f32 = F(0x37000000); // 2^-17

function xlog1p(v: f32): f32 {
  const w: f32 = 1.0 + v;
  if (w == 1.0) return v;
  return xlog(w) * xdiv(v, w - 1.0);
}

// evalG's two results: A with ln G(S) = A - S + K, and -G'(S) / G(S) (see ref.ts).
let gL: f32 = 0.0, gD: f32 = 0.0;

function evalG(S: f32, n: f32, b: f32, sigma: f32, K: f32, x0: f32, rx0: f32, points: u32, step: f32): void {
  let m: f32 = 0.0, s: f32 = 0.0, sp: f32 = 0.0;
  let first = true, prevL: f32 = 0.0;
  const nodes: u32 = sigma > 0.0 ? points : 1;
  for (let j: u32 = 0; j < nodes; j++) {
    let lw: f32 = 0.0, d: f32 = b - x0;
    if (sigma > 0.0) {
      const th: f32 = -9.0 + (<f32>j + 0.5) * step;
      const nu: f32 = b + sigma * th;
      if (!(nu > 0.0)) continue;
      lw = (th * th) * -0.5;
      d = sigma * th + d;
    }
    let u: f32 = S + d;
    let x: f32 = x0 + u;
    if (x < X_MIN) {
      x = X_MIN;
      u = X_MIN - x0;
    }
    const relS: f32 = n > 0.0 ? n * xlog1p(ftz(u * rx0)) - d : -d;
    let lqS: f32;
    if (x > n) {
      const rx = xrecip(x);
      let t: f32 = 1.0, r: f32 = 1.0;
      for (let k: u32 = 1; <f32>k <= n && k < BAYES_MAX_TERMS; k++) {
        t = t * ((n - <f32>k + 1.0) * rx);
        r = r + t;
        if (t < r * CUT) break;
      }
      lqS = relS + xlog(r);
    } else {
      let t: f32 = 1.0, r: f32 = 0.0;
      for (let k: u32 = 1; k < BAYES_MAX_TERMS; k++) {
        t = t * (x * xrecip(n + <f32>k));
        r = r + t;
        if (t < r * CUT) break;
      }
      const q: f32 = 1.0 - ftz(xexp((relS - S) + K) * r);
      lqS = (xlog(q) - K) + S;
    }
    const L: f32 = lw + lqS, Lp: f32 = lw + relS;
    if (!first && L < m - 40.0 && L < prevL) break; // the rest adds < e^-40 (ref.ts)
    prevL = L;
    if (first || L > m) {
      const sc: f32 = first ? 0.0 : xexp(m - L);
      s = ftz(s * sc) + 1.0;
      sp = ftz(sp * sc) + xexp(Lp - L);
      m = L;
      first = false;
    } else {
      s = s + xexp(L - m);
      sp = sp + xexp(Lp - m);
    }
  }
  gL = m + xlog(s);
  gD = ftz(xdiv(sp, s));
}

export function bayes_limit(params: usize, bufs: usize): void {
  const P = changetype<Params>(params), B = changetype<Bufs>(bufs);
  const alpha = P.alpha, points = P.points, step = P.step;
  for (let l: u32 = 0; l < P.item_count; l++) {
    const w = B.in_win + <usize>l * IN_WIN_STRIDE;
    const n = load<f32>(w + (<usize>BW_N << 2)), b = load<f32>(w + (<usize>BW_B << 2));
    const sigma = load<f32>(w + (<usize>BW_SIGMA << 2)), K = load<f32>(w + (<usize>BW_K << 2));
    const x0: f32 = b > n ? (b > 1.0 ? b : 1.0) : n > 1.0 ? n : 1.0;
    const rx0 = xrecip(x0);
    evalG(0.0, n, b, sigma, K, x0, rx0, points, step);
    const a0 = gL, la = xlog(alpha);
    let lo: f32 = 0.0, hi: f32 = (n + 12.0) + 6.0 * xsqrt(n + 1.0);
    evalG(hi, n, b, sigma, K, x0, rx0, points, step);
    let S: f32 = hi, h: f32 = ((gL - a0) - hi) - la, dh: f32 = gD;
    let st: u32 = BAYES_NO_CONVERGENCE;
    if (!(h < 0.0)) {
      st = BAYES_NO_BRACKET;
    } else {
      for (let it: u32 = 0; it < BAYES_MAX_ITER; it++) {
        let c: f32 = dh > 0.0 ? S + xdiv(h, dh) : lo;
        if (c == S) {
          st = BAYES_OK;
          break;
        }
        if (!(c > lo && c < hi)) c = 0.5 * (lo + hi);
        evalG(c, n, b, sigma, K, x0, rx0, points, step);
        const hc: f32 = ((gL - a0) - c) - la;
        if (hc > 0.0) lo = c;
        else hi = c;
        const sd: f32 = c > S ? c - S : S - c;
        S = c;
        h = hc;
        dh = gD;
        if (!(sd > STEP_TOL * S) || !(hi - lo > STEP_TOL * hi)) {
          st = BAYES_OK;
          break;
        }
      }
    }
    store<f32>(B.out_up + <usize>l * OUT_UP_STRIDE, S);
    store<u32>(B.out_status + <usize>l * OUT_STATUS_STRIDE, st);
  }
}
