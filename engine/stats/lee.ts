// Look-elsewhere effect by pseudo-experiments: the global p-value of the most significant window
// is the fraction of background-only pseudo-experiments whose largest local Z over all windows
// reaches the observed one; the trials factor is p_global / p_local (E. Gross, O. Vitells,
// Eur. Phys. J. C 70 (2010) 525, arXiv:1005.1891, eq. (1)). Each pseudo-experiment samples
// events from the background model and rescans every window (any scan: a callback).
import type { Backend } from '../../host/backend.js';
import type { EventTable } from '../events.js';
import { countInWindows } from '../scan.js';
import type { WindowGrid } from '../windows.js';
import { foldIn, key, type Key } from '../random.js';
import { newStream, rsInit, rsPoisson, rsUniform } from '../../kernels/lib/sampling.js';
import { localSignificance } from './pvalue.js';
import { normQuantile } from './special.js';
import { checkpoint, ticker } from '../cancel.js';

/** Philox stream of the pseudo-experiments: key(seed, LEE_STREAM), counter (block, 0, experiment, tag). */
export const LEE_STREAM = 0x1ee00001;

export interface GlobalSignificance {
  readonly maxLocalZ: number;
  readonly window: number;
  readonly pLocal: number;
  readonly pGlobal: number;
  /** Binomial standard error of pGlobal. */
  readonly pGlobalError: number;
  readonly zGlobal: number;
  readonly trialsFactor: number;
  readonly pseudoExperiments: number;
  readonly exceeding: number;
  readonly seed: number;
}

/**
 * Smallest count n with local Z(n, b, sigma_b) >= z (Z grows with n): per window, so that a
 * pseudo-experiment's max Z reaches z exactly when some window reaches its threshold count.
 */
export function thresholdCount(z: number, b: number, sigmaB: number): number {
  if (z <= 0) return 0; // Z >= 0 for every count (deficits have Z = 0)
  const zOf = (n: number) => localSignificance(n, b, sigmaB).z;
  let lo = Math.max(0, Math.floor(b)), hi = Math.max(1, 2 * lo + 1);
  if (zOf(lo) >= z) return lo; // also for z <= 0
  while (zOf(hi) < z) {
    lo = hi;
    hi *= 2;
    if (hi > 1e12) return Infinity;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zOf(mid) >= z) hi = mid; else lo = mid;
  }
  return hi;
}

/**
 * Global significance of the observed counts, given per-window b +- sigma_b and a callback that
 * returns the per-window counts of background-only pseudo-experiment i.
 */
export async function globalSignificance(
  observed: ArrayLike<number>, b: ArrayLike<number>, sigmaB: ArrayLike<number> | undefined,
  countsOf: (i: number) => Promise<ArrayLike<number>> | ArrayLike<number>,
  o: { pseudoExperiments: number; seed: number; signal?: AbortSignal },
): Promise<GlobalSignificance> {
  const m = observed.length;
  if (b.length !== m || (sigmaB && sigmaB.length !== m)) throw new RangeError(`globalSignificance: ${m} observed windows but ${b.length} backgrounds${sigmaB ? ` and ${sigmaB.length} uncertainties` : ''}`);
  const N = o.pseudoExperiments;
  if (!Number.isInteger(N) || N < 1) throw new RangeError(`pseudo-experiments must be an integer >= 1, got ${N}`);
  let zMax = -Infinity, wMax = -1, pMin = 1;
  for (let w = 0; w < m; w++) {
    const s = localSignificance(observed[w], b[w], sigmaB ? sigmaB[w] : 0);
    if (s.z > zMax || (s.z === zMax && s.p < pMin)) { zMax = s.z; wMax = w; pMin = s.p; }
  }
  // The count each window needs to reach zMax (a search per window: seconds for ~9000 windows, so it yields to a cancel).
  const thr = new Float64Array(m);
  const tick = ticker(o.signal);
  const seen = new Map<string, number>(); // windows with the same b and sigma_b (e.g. the floor) share one search
  for (let w = 0; w < m; w++) {
    await tick();
    const sb = sigmaB ? sigmaB[w] : 0, at = `${b[w]},${sb}`;
    let t = seen.get(at);
    if (t === undefined) seen.set(at, (t = thresholdCount(zMax, b[w], sb)));
    thr[w] = t;
  }
  let exceeding = 0;
  for (let i = 0; i < N; i++) {
    await checkpoint(o.signal);
    const c = await countsOf(i);
    if (c.length !== m) throw new RangeError(`pseudo-experiment ${i}: ${c.length} windows, expected ${m}`);
    for (let w = 0; w < m; w++) if (c[w] >= thr[w]) { exceeding++; break; }
  }
  return { maxLocalZ: zMax, window: wMax, pLocal: pMin, ...globalFromExceeding(exceeding, N, pMin), pseudoExperiments: N, exceeding, seed: o.seed };
}

/**
 * Global significance where each pseudo-experiment recomputes the background too (e.g. the
 * estimate's events reassigned with the data's: analyses/pseudo.ts): the observed largest local Z
 * of zLocal (ties: the smaller local p), and `reaches(i, zMax)`: whether pseudo-experiment i has a
 * window whose local Z, computed as the observed ones were, reaches zMax.
 */
export async function globalSignificanceOf(
  zLocal: ArrayLike<number>, pLocal: ArrayLike<number>,
  reaches: (i: number, zMax: number) => Promise<boolean> | boolean,
  o: { pseudoExperiments: number; seed: number; signal?: AbortSignal },
): Promise<GlobalSignificance> {
  const m = zLocal.length, N = o.pseudoExperiments;
  if (pLocal.length !== m) throw new RangeError(`globalSignificanceOf: ${m} local Z but ${pLocal.length} local p`);
  if (!Number.isInteger(N) || N < 1) throw new RangeError(`pseudo-experiments must be an integer >= 1, got ${N}`);
  let zMax = -Infinity, wMax = -1, pMin = 1;
  for (let w = 0; w < m; w++) if (zLocal[w] > zMax || (zLocal[w] === zMax && pLocal[w] < pMin)) (zMax = zLocal[w]), (wMax = w), (pMin = pLocal[w]);
  let exceeding = 0;
  for (let i = 0; i < N; i++) {
    await checkpoint(o.signal);
    if (await reaches(i, zMax)) exceeding++;
  }
  return { maxLocalZ: zMax, window: wMax, pLocal: pMin, ...globalFromExceeding(exceeding, N, pMin), pseudoExperiments: N, exceeding, seed: o.seed };
}

/** The global p-value (with its binomial error, Z and trials factor) from `exceeding` of N pseudo-experiments reaching the observed maximum of local p `pLocal`. */
export function globalFromExceeding(exceeding: number, N: number, pLocal: number): { pGlobal: number; pGlobalError: number; zGlobal: number; trialsFactor: number } {
  // (k + 1) / (N + 1): the observation counts as one of the pseudo-experiments, so p > 0 and an
  // exact test (Davison & Hinkley, Bootstrap Methods (1997) eq. 4.11; North et al., AJHG 71 (2002) 439).
  const pGlobal = (exceeding + 1) / (N + 1);
  return {
    pGlobal,
    pGlobalError: Math.sqrt(Math.max(pGlobal * (1 - pGlobal), 1 / N) / N),
    zGlobal: pGlobal >= 0.5 ? 0 : -normQuantile(pGlobal), // Z = 0 for p >= 1/2, as for local Z
    trialsFactor: pLocal > 0 ? pGlobal / pLocal : Infinity,
  };
}

/**
 * Background-only pseudo-experiment i from a (weighted) background sample: N ~ Poisson(sum w)
 * events drawn with replacement with probability w / sum w (unweighted output). Philox stream
 * (key(seed, LEE_STREAM) folded with i), so pseudo-experiment i is the same on any machine.
 */
export function backgroundPseudoExperiment(bg: EventTable, seed: number, i: number): EventTable {
  const w = bg.weightColumn ? bg.columns[bg.weightColumn] : undefined;
  const cum = new Float64Array(bg.length);
  let tot = 0;
  for (let r = 0; r < bg.length; r++) { tot += w ? w[r] : 1; cum[r] = tot; }
  if (!(tot > 0)) throw new RangeError('background sample has no events (or zero total weight)');
  if (tot > 1e7) throw new RangeError(`background sample expects ${tot} events per pseudo-experiment; at most 1e7 are supported`);
  const k: Key = foldIn(key(seed, LEE_STREAM), i);
  const st = newStream();
  rsInit(st, k[0], k[1], 0, 0, 1);
  const n = rsPoisson(st, Math.fround(tot));
  rsInit(st, k[0], k[1], 0, 0, 2);
  const rows = new Uint32Array(n);
  for (let j = 0; j < n; j++) {
    const u = (rsUniform(st) + rsUniform(st) * 5.9604644775390625e-8) * tot; // 48-bit uniform in (0, tot)
    let lo = 0, hi = bg.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cum[mid] < u) lo = mid + 1; else hi = mid; }
    rows[j] = lo;
  }
  const columns: Record<string, Float32Array> = {};
  for (const [name, col] of Object.entries(bg.columns)) {
    if (name === bg.weightColumn) continue;
    columns[name] = Float32Array.from(rows, (r) => col[r]);
  }
  return { length: n, columns };
}

/** The look-elsewhere result of a window scan: pseudo-experiments from the background sample, rescanned on the backend. */
export async function scanGlobalSignificance(
  backend: Backend, grid: WindowGrid, observed: ArrayLike<number>, b: ArrayLike<number>, sigmaB: ArrayLike<number> | undefined,
  background: EventTable, o: { pseudoExperiments: number; seed: number; signal?: AbortSignal },
): Promise<GlobalSignificance> {
  return globalSignificance(observed, b, sigmaB, async (i) => (await countInWindows(backend, grid, backgroundPseudoExperiment(background, o.seed, i), {}, o.signal)).n, o);
}
