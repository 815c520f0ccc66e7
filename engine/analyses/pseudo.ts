// Background-only pseudo-experiments of the counting-window look-elsewhere (search.ts section 8)
// and the background of windows without a simulated event (section 6), issue 15.
//
// Empty windows: zero simulated events of a sample whose events weigh w is the on/off problem with
// n_off = 0 and tau = 1 / w (Cousins, Linnemann, Tucker, NIM A 595 (2008) 480, eq. 17): that
// sample's background there is below ~w at 68% (posterior Gamma(1, tau): mean w, sd w). A window
// takes the sum over the samples that can populate it (every sample the selection keeps events
// of; w: the weight of that sample's candidate nearest the window): b = B_FLOOR, tau = 1 / sum w.
//
// Pseudo-experiments for backgrounds whose data are an independent sample: the observed data
// (N_D events generated, unit weight) and the estimate (N_E events generated, each of weight w)
// are i.i.d. draws from one distribution, so under the background-only hypothesis every assignment
// of the pooled N_D + N_E events to data (N_D of them) and estimate is equally likely. A
// pseudo-experiment draws that assignment again for the pooled selected events (a permutation
// test: Fisher 1935; Good, Permutation Tests (2000), ch. 3) and recomputes data AND estimate; its
// largest local Z is exchangeable with the observed one given the pool, so p_global is exact (no
// bootstrap of the estimate, which never puts data where the estimate has no event).
import type { Key } from '../random.js';
import { EventRandom } from '../generate/index.js';
import { localSignificance } from '../stats/pvalue.js';
import { thresholdCount } from '../stats/lee.js';
import type { WindowGrid } from '../windows.js';
import { rows, type Columns } from './samples.js';

/**
 * Which of m pooled events are data (1) in a random assignment of `dataTotal` of `total`
 * exchangeable events to the data (the rest: the estimate): each event in turn is data with
 * probability (data slots left) / (events left), i.e. the m events' labels under a uniformly
 * random subset (sampling without replacement). One Philox stream (key k, event 0), the draws in
 * order (the algorithm is sequential).
 */
export function swapLabels(m: number, dataTotal: number, total: number, k: Key): Uint8Array {
  if (!(Number.isInteger(m) && Number.isInteger(dataTotal) && Number.isInteger(total)) || m < 0 || dataTotal < 0 || total < Math.max(m, dataTotal)) {
    throw new RangeError(`swapLabels: need integers 0 <= m, dataTotal <= total, got m = ${m}, dataTotal = ${dataTotal}, total = ${total}`);
  }
  const rng = new EventRandom(k).start(0), out = new Uint8Array(m);
  let d = dataTotal, left = total;
  for (let i = 0; i < m; i++, left--) {
    if (rng.uniform() * left < d) (out[i] = 1), d--;
  }
  return out;
}

/**
 * Per window, the weight of the candidate of `c` nearest its centre in units of its semi-axes
 * (ties: the lower index), for every window (0 without candidates of positive weight).
 */
export function nearestWeights(g: WindowGrid, c: Columns, vars: readonly string[]): Float64Array {
  const W = g.cx.length, out = new Float64Array(W), n = rows(c);
  const ys = g.shape === 'ellipse' ? c[vars[1]] : undefined;
  // over the candidates sorted by the first variable: from the window's centre outwards until
  // |dx| / ax alone exceeds the best distance
  const idx = Array.from({ length: n }, (_, i) => i).filter((i) => c.weight[i] > 0).sort((i, j) => c[vars[0]][i] - c[vars[0]][j] || i - j);
  const xs = Float64Array.from(idx, (i) => c[vars[0]][i]), yv = ys ? Float64Array.from(idx, (i) => ys[i]) : null, wt = Float64Array.from(idx, (i) => c.weight[i]);
  const m = idx.length;
  if (m === 0) return out;
  // a sample of one weight (most): every window's nearest candidate has it
  if (wt.every((v) => v === wt[0])) return out.fill(wt[0]);
  for (let w = 0; w < W; w++) {
    const cx = g.cx[w], ax = g.ax[w], cy = yv ? g.cy[w] : 0, ay = yv ? g.ay[w] : 1;
    let lo = 0, hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] < cx) lo = mid + 1; else hi = mid;
    }
    let best = Infinity, bestAt = -1;
    const visit = (k: number) => {
      const dx = (xs[k] - cx) / ax, dy = yv ? (yv[k] - cy) / ay : 0, d = dx * dx + dy * dy;
      if (d < best || (d === best && idx[k] < idx[bestAt])) (best = d), (bestAt = k);
    };
    for (let k = lo; k < m && ((xs[k] - cx) / ax) ** 2 <= best; k++) visit(k);
    for (let k = lo - 1; k >= 0 && ((xs[k] - cx) / ax) ** 2 <= best; k--) visit(k);
    out[w] = wt[bestAt];
  }
  return out;
}

/**
 * The empty-window rule's weight per window: the sum over the samples (candidate tables with
 * weights) that have a candidate of positive weight of the weight of their candidate nearest the
 * window. sigma_b of a window without simulated background is sqrt(bFloor x this).
 */
export function emptyWindowWeightSum(g: WindowGrid, samples: readonly Columns[], vars: readonly string[]): Float64Array {
  const out = new Float64Array(g.cx.length);
  for (const c of samples) {
    const w = nearestWeights(g, c, vars);
    for (let i = 0; i < out.length; i++) out[i] += w[i];
  }
  return out;
}

/** sigma_b of a window: sqrt(sum w^2) of its simulated events, or for one without (b = 0) the empty-window rule's sqrt(bFloor x weight sum). */
export function windowSigmaB(b: number, sumW2: number, emptyWeight: number, bFloor: number): number {
  return b > 0 ? Math.sqrt(sumW2) : emptyWeight > 0 ? Math.sqrt(bFloor * emptyWeight) : 0;
}

/**
 * Does some window's local Z (n events on max(b, bFloor) +- sigma_b, pvalue.ts localSignificance)
 * reach zMax? The count each (b, sigma_b) needs is searched once (thresholdCount) and kept in `memo`
 * (b -> sigma_b -> count) across pseudo-experiments.
 */
export function someWindowReaches(n: ArrayLike<number>, b: ArrayLike<number>, sigmaB: ArrayLike<number>, zMax: number, bFloor: number, memo: Map<number, Map<number, number>>): boolean {
  for (let w = 0; w < n.length; w++) {
    if (n[w] === 0 && zMax > 0) continue; // p = 1
    const be = Math.max(b[w], bFloor), sb = sigmaB[w];
    let m = memo.get(be);
    if (!m) memo.set(be, (m = new Map()));
    let t = m.get(sb);
    if (t === undefined) m.set(sb, (t = thresholdCount(zMax, be, sb)));
    if (n[w] >= t) return true;
  }
  return false;
}

/** The largest local Z over windows (for tests and diagnostics; someWindowReaches decides exceedance). */
export function maxLocalZ(n: ArrayLike<number>, b: ArrayLike<number>, sigmaB: ArrayLike<number>, bFloor: number): number {
  let z = 0;
  for (let w = 0; w < n.length; w++) if (n[w] > 0) z = Math.max(z, localSignificance(n[w], Math.max(b[w], bFloor), sigmaB[w]).z);
  return z;
}
