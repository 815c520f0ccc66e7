// Bayesian upper limits for many counting windows at once on the backend: the `bayes_limit`
// kernel (kernels/bayes_limit/ref.ts: the method of exact.ts bayesUpper in f32 from exact
// operations, the same bits on every backend). The host keeps the windows outside the kernel's
// domain and any item the kernel reports unsolved.
import type { Backend } from '../../host/backend.js';
import { bayesLimit } from '../../kernels/bayes_limit/desc.js';
import { BAYES_OK, BAYES_WIN_WORDS, BW_B, BW_K, BW_N, BW_SIGMA } from '../../kernels/bayes_limit/layout.js';
import { runCancellable } from '../cancel.js';
import { PRIOR_POINTS } from './exact.js';
import type { Model } from './model.js';
import { lnFactorial } from './special.js';

/**
 * Largest n and b (and sigma_b) the kernel takes. Within them its limits agree with the f64 host
 * (bayesUpper) to 3e-5 relative (test/bayes-limit.test.ts: f32 rounding of b + sigma_b th and of the
 * log-likelihood terms, ~1e-7 x their size); the host's own midpoint quadrature, whose nodes are
 * cut at nu = 0, is not more exact than that, and limits are quoted to 3 or 4 digits.
 */
export const BAYES_KERNEL_MAX = 1000;

/** Whether the kernel computes this window's Bayesian limit (Gaussian or no background uncertainty, no efficiency uncertainty). */
export function inBayesKernelDomain(m: Model): boolean {
  return (m.kind === 'none' || (m.kind === 'gauss' && m.aux === 0)) && m.lnKappaE === 0
    && m.n <= BAYES_KERNEL_MAX && m.b <= BAYES_KERNEL_MAX && m.sigmaB <= BAYES_KERNEL_MAX;
}

/** The kernel's records [n, b, sigma_b, K] for counts n[i] with backgrounds b[i] +- sigma_b[i]. */
export function bayesRecords(n: ArrayLike<number>, b: ArrayLike<number>, sigmaB: ArrayLike<number>): Float32Array {
  const out = new Float32Array(n.length * BAYES_WIN_WORDS);
  for (let i = 0; i < n.length; i++) {
    const r = i * BAYES_WIN_WORDS, bf = Math.fround(b[i]), ni = n[i];
    const x0 = bf > ni ? (bf > 1 ? bf : 1) : ni > 1 ? ni : 1; // as the kernel computes it
    out[r + BW_N] = ni;
    out[r + BW_B] = bf;
    out[r + BW_SIGMA] = sigmaB[i];
    out[r + BW_K] = -x0 + ni * Math.log(x0) - lnFactorial(ni); // ln Pois(n; x0), rounded once to f32
  }
  return out;
}

/**
 * Limits on the signal count for each (n, b, sigma_b); NaN where the kernel left the item to the
 * host. Items with the same record (n and the f32 b and sigma_b the kernel reads) are computed
 * once: a scan's windows share few backgrounds (the B_FLOOR of empty windows) and the band counts
 * repeat, so the demo's 53760 items are ~100 kernel items. An item depends only on its record:
 * the same bits as computing every copy.
 */
export async function bayesLimitsOnBackend(
  backend: Backend, n: ArrayLike<number>, b: ArrayLike<number>, sigmaB: ArrayLike<number>, cl: number, signal?: AbortSignal,
  onProgress?: (done: number, total: number) => void,
): Promise<Float64Array> {
  const count = n.length, out = new Float64Array(count);
  if (count === 0) return out;
  const slot = new Uint32Array(count), first = new Map<string, number>();
  const un: number[] = [], ub: number[] = [], us: number[] = [];
  // The key: n's f64 bits and the f32 bits of b and sigma_b (so -0 and 0 stay apart).
  const f64 = new Float64Array(1), w64 = new Uint32Array(f64.buffer), f32 = new Float32Array(2), w32 = new Uint32Array(f32.buffer);
  for (let i = 0; i < count; i++) {
    f64[0] = n[i], f32[0] = b[i], f32[1] = sigmaB[i];
    const bf = f32[0], sf = f32[1], k = `${w64[0]} ${w64[1]} ${w32[0]} ${w32[1]}`;
    let j = first.get(k);
    if (j === undefined) {
      first.set(k, (j = un.length));
      un.push(n[i]), ub.push(bf), us.push(sf);
    }
    slot[i] = j;
  }
  const items = un.length;
  const r = await runCancellable(backend, bayesLimit, {
    count: items, params: { alpha: 1 - cl, points: PRIOR_POINTS, step: 18 / PRIOR_POINTS }, inputs: { win: bayesRecords(un, ub, us) },
  }, signal, onProgress && ((d) => onProgress(d === items ? count : Math.floor((d / items) * count), count)));
  const up = new Float32Array(r.up.buffer, r.up.byteOffset, items);
  for (let i = 0; i < count; i++) out[i] = r.status[slot[i]] === BAYES_OK ? up[slot[i]] : NaN;
  return out;
}
