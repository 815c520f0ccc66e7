// Toy-based hypothesis tests on HistFactory models, as pyhf 0.7's ToyCalculator
// (infer/calculators.py): for a test at mu, pseudo-data are generated at the conditional fits to
// the observed data fixed_poi_fit(mu) (the s+b toys) and fixed_poi_fit(0) (the b-only toys;
// fixed_poi_fit(1) for q_0), each toy gets the test statistic from its own conditional and free
// fits (runToys: toy generation and both fits in the toy-fit kernel, any backend, the same bits),
//   CLs+b = #{s+b toys: q >= q_obs} / K,  CLb = #{b-only toys: q >= q_obs} / K,  CLs = CLs+b / CLb
// (EmpiricalDistribution.pvalue), and the expected set is pyhf's expected_pvalues: the
// percentiles 2.275, 15.87, 50, 84.13, 97.72 (numpy's linear interpolation) of CLs(q_j) over the
// b-only toys' q_j. The observed-data fits come from the FitSession (runFits).
//
// Toys of a set are pure functions of (seed, stream, toy index): a run split into blocks, shards,
// workers or resumed from a checkpoint gives the same bits. A target's s+b toys use stream
// 2 t, its b-only toys 2 t + 1 (t = the target's stream index), whatever mu is tested: the toys
// of neighbouring mu share their random numbers (common random numbers), so a CLs(mu) curve is
// smooth in mu and an upper-limit scan is deterministic.
//
// Toys whose fits did not converge (status != 0) are kept in the distributions (their q is what
// the fits reached, as pyhf keeps every toy) and counted per set: never dropped, never fatal.
// Memory: observed p-values come from running counts per block of toys; the expected set needs
// the q of every toy of both hypotheses, kept as one Float32Array per set, and a status byte per
// toy: 10 bytes per toy and tested point (1000 patches x 1e4 toys: 100 MB); without the expected
// set (discovery) nothing per toy is kept, whatever the number of toys.
import type { Backend } from '../../host/backend.js';
import { checkpoint as yieldTurn } from '../cancel.js';
import { clsError } from '../stats/toys.js';
import { normQuantile } from '../stats/special.js';
import type { PackedModels } from './fitrun.js';
import { testStatistic, type Band, type FitSession, type Target, type TestStat } from './infer.js';
import { generatingData, runToys, type ToySet } from './toys.js';

/** One hypothesis test: a target (model + observed data) at one POI value. */
export interface ToyPoint {
  readonly target: number;
  readonly mu: number;
}

/** What the toys of a run are generated and tested at (a pure function of the inputs). */
export interface ToyPlan {
  readonly stat: TestStat;
  readonly points: readonly ToyPoint[];
  /** Sets per point: 2 (s+b at 2p, b-only at 2p + 1) or 1 (only the toys at the tested mu: p0 of q_0). */
  readonly perPoint: 1 | 2;
  /** Per point: q of the observed data (rounded to f32, as the toys' q), mu-hat of the observed data. */
  readonly qObs: Float32Array;
  readonly muhat: Float64Array;
  readonly sets: readonly ToySet[];
}

/** pyhf's percentiles of the expected set: Phi(-2..2) in percent (calculators.py). */
const PERCENTILES = [2.27501319, 15.86552539, 50.0, 84.13447461, 97.72498681] as const;

/**
 * Fits to the observed data (free, at each tested mu, at the generating mu of the background-like
 * toys) in one dispatch, then the sets of toys. `stream(t)` gives target t's stream index
 * (default t; a patch keeps its index in the patchset so that it gets the same toys alone).
 */
export async function planToys(s: FitSession, targets: readonly Target[], points: readonly ToyPoint[], stat: TestStat, o: { nullOnly?: boolean; stream?: (target: number) => number } = {}): Promise<ToyPlan> {
  const muB = stat === 'q0' ? 1 : 0; // pyhf ToyCalculator.distributions: bkg_pars = fixed_poi_fit(1 if q0 else 0)
  const reqs: { model: number; data: ArrayLike<number>; poi?: number }[] = [];
  const free = targets.map((t) => reqs.push({ model: t.model, data: t.data }) - 1);
  const bkg = o.nullOnly ? [] : targets.map((t) => reqs.push({ model: t.model, data: t.data, poi: muB }) - 1);
  const cond = points.map((p) => {
    if (!(p.target >= 0 && p.target < targets.length)) throw new RangeError(`toys: point for target ${p.target} of ${targets.length}`);
    if (!Number.isFinite(p.mu)) throw new RangeError(`toys: POI value ${p.mu}`);
    return reqs.push({ model: targets[p.target].model, data: targets[p.target].data, poi: p.mu }) - 1;
  });
  const r = await s.run(reqs, 'toys: fits to the observed data');
  const qObs = new Float32Array(points.length), muhat = new Float64Array(points.length);
  const sets: ToySet[] = [];
  const stream = o.stream ?? ((t: number) => t);
  const bkgData = new Map<number, Float64Array>();
  points.forEach((p, i) => {
    const t = targets[p.target], m = s.models[t.model];
    qObs[i] = testStatistic(stat, p.mu, r[cond[i]], r[free[p.target]], m.poi);
    muhat[i] = r[free[p.target]].theta[m.poi];
    const st = stream(p.target);
    sets.push({ model: t.model, mu: p.mu, gen: generatingData(m, r[cond[i]].theta), stream: 2 * st });
    if (!o.nullOnly) {
      if (!bkgData.has(p.target)) bkgData.set(p.target, generatingData(m, r[bkg[p.target]].theta));
      sets.push({ model: t.model, mu: p.mu, gen: bkgData.get(p.target)!, stream: 2 * st + 1 });
    }
  });
  return { stat, points, perPoint: o.nullOnly ? 1 : 2, qObs, muhat, sets };
}

/** What the results need of a plan (a merge of shards rebuilds this from their headers). */
export type ToyPlanHeader = Pick<ToyPlan, 'stat' | 'points' | 'perPoint' | 'qObs' | 'muhat'>;

/** Per set: toys with q >= q_obs of its point, and toys whose fits did not converge. */
export interface ToyCounts {
  readonly toys: number;
  readonly above: Uint32Array;
  readonly bad: Uint32Array;
}

/** Per set, toys [first, end) in order: q and status (0: both fits converged). */
export interface ToyArrays {
  readonly q: Float32Array[];
  readonly status: Uint8Array[];
}

export interface ToyRunOptions {
  readonly seed: number;
  /** Toy indices [first, end) of every set (a shard of the run, or all of it). */
  readonly first: number;
  readonly end: number;
  /** Keep every toy's q and status (needed for the expected set and for shards). */
  readonly keep: boolean;
  /** Toys per set and dispatch (default: about 2^20 toys per dispatch in all); results do not depend on it. */
  readonly block?: number;
  readonly maxIter?: number;
  readonly signal?: AbortSignal;
  readonly progress?: (s: string) => void;
  /** State to resume from (a checkpoint) and a callback after each block (to write one). */
  readonly resume?: ToyState;
  readonly onBlock?: (state: ToyState) => void;
}

/** A run in progress: toys [first, first + done) of every set. */
export interface ToyState {
  readonly done: number;
  readonly counts: ToyCounts;
  readonly arrays?: ToyArrays;
}

export async function runToyBlocks(backend: Backend, packed: PackedModels, plan: ToyPlan, o: ToyRunOptions): Promise<ToyState & { resumed: number }> {
  const S = plan.sets.length, n = o.end - o.first;
  if (!(Number.isSafeInteger(o.first) && o.first >= 0 && n >= 0)) throw new RangeError(`toys: range [${o.first}, ${o.end})`);
  if (o.keep && S * n > 2 ** 28) throw new RangeError(`toys: ${S} sets x ${n} toys kept at once exceeds 2^28 values; use --shard to split the toys`);
  const above = new Uint32Array(S), bad = new Uint32Array(S);
  const arrays: ToyArrays | undefined = o.keep ? { q: plan.sets.map(() => new Float32Array(n)), status: plan.sets.map(() => new Uint8Array(n)) } : undefined;
  let done = 0;
  if (o.resume) {
    const r = o.resume;
    if (r.done > n || r.counts.above.length !== S || (o.keep && !r.arrays)) throw new Error('toys: the checkpoint does not fit this run');
    above.set(r.counts.above);
    bad.set(r.counts.bad);
    if (arrays && r.arrays) for (let j = 0; j < S; j++) { arrays.q[j].set(r.arrays.q[j].subarray(0, r.done)); arrays.status[j].set(r.arrays.status[j].subarray(0, r.done)); }
    done = r.done;
  }
  const resumed = done;
  const block = Math.max(1, Math.floor(o.block ?? Math.max(64, (1 << 20) / Math.max(S, 1))));
  const qo = (j: number) => plan.qObs[Math.floor(j / plan.perPoint)];
  while (done < n) {
    await yieldTurn(o.signal);
    const k = Math.min(block, n - done);
    const base = o.first + done;
    const out = await runToys(backend, packed, plan.sets, {
      seed: o.seed, firstToy: base, toys: k, stat: plan.stat, maxIter: o.maxIter, signal: o.signal,
      onProgress: o.progress ? (d, total) => o.progress!(`toys: [${base}, ${base + k}) of [${o.first}, ${o.end}) per set, ${S} sets: ${d} of ${total} pseudo-experiments`) : undefined,
    });
    for (let j = 0; j < S; j++) {
      const q0 = qo(j);
      for (let i = 0; i < k; i++) {
        const q = out.q[j * k + i], st = out.status[j * k + i];
        if (q >= q0) above[j]++;
        if (st !== 0) bad[j]++;
        if (arrays) { arrays.q[j][done + i] = q; arrays.status[j][done + i] = st === 0 ? 0 : 1; }
      }
    }
    done += k;
    o.progress?.(`toys: ${o.first + done} of [${o.first}, ${o.end}) per set, ${S} sets`);
    o.onBlock?.({ done, counts: { toys: done, above, bad }, arrays });
  }
  return { done, counts: { toys: n, above, bad }, arrays, resumed };
}

/** Counts (and arrays) from per-toy arrays: what merged shards are finalised from. */
export function countsOf(plan: ToyPlanHeader, arrays: ToyArrays): ToyCounts {
  const S = plan.points.length * plan.perPoint, n = arrays.q[0]?.length ?? 0;
  const above = new Uint32Array(S), bad = new Uint32Array(S);
  for (let j = 0; j < S; j++) {
    const q0 = plan.qObs[Math.floor(j / plan.perPoint)];
    for (let i = 0; i < n; i++) { if (arrays.q[j][i] >= q0) above[j]++; if (arrays.status[j][i] !== 0) bad[j]++; }
  }
  return { toys: n, above, bad };
}

export interface ToyTestResult {
  readonly mu: number;
  /** CLs (q~, q) or p0 = CLs+b (q_0), as pyhf's hypotest returns it; with its statistical error. */
  readonly cls: number;
  readonly clsError: number;
  readonly clsb: number;
  readonly clsbError: number;
  readonly clb: number;
  readonly clbError: number;
  /** pyhf's expected set (ascending CLs; CLs+b for q_0) and its errors; absent without kept toys. */
  readonly expected?: Band;
  readonly expectedError?: Band;
  readonly qObs: number;
  readonly muhat: number;
  readonly toys: number;
  /** Toys whose fits did not converge, per hypothesis (kept in the distributions). */
  readonly notConverged: { readonly sb: number; readonly b: number };
}

/** sqrt(p (1 - p) / K): the binomial standard error of a fraction of K toys (1/K at p = 0 or 1, where the formula gives 0). */
export function binomialError(p: number, K: number): number {
  return p > 0 && p < 1 ? Math.sqrt((p * (1 - p)) / K) : 1 / K;
}

/** The hypothesis tests of every point from the counts (and, for the expected set, the kept toys). */
export function toyHypoTests(plan: ToyPlanHeader, counts: ToyCounts, arrays?: ToyArrays): ToyTestResult[] {
  const K = counts.toys, q0 = plan.stat === 'q0';
  return plan.points.map((p, i) => {
    const js = plan.perPoint * i, jb = js + 1;
    const clsb = counts.above[js] / K;
    const clb = plan.perPoint === 2 ? counts.above[jb] / K : NaN;
    // CLs error: the delta method on two independent binomial fractions of K toys each,
    // sigma(CLs) = CLs sqrt((1 - CLs+b) / (K CLs+b) + (1 - CLb) / (K CLb)) (stats/toys.ts clsError).
    const cls = q0 ? clsb : clb > 0 ? clsb / clb : 1;
    const clsErr = q0 ? binomialError(clsb, K) : clsError(clsb, clb, K);
    const band = arrays && plan.perPoint === 2 ? expectedSet(arrays.q[js], arrays.q[jb], q0) : undefined;
    return {
      mu: p.mu, cls, clsError: clsErr, clsb, clsbError: binomialError(clsb, K), clb, clbError: plan.perPoint === 2 ? binomialError(clb, K) : NaN,
      expected: band?.values, expectedError: band?.errors, qObs: plan.qObs[i], muhat: plan.muhat[i], toys: K,
      notConverged: { sb: counts.bad[js], b: plan.perPoint === 2 ? counts.bad[jb] : 0 },
    };
  });
}

/**
 * pyhf's expected_pvalues: for each b-only toy j, CLs_j = CLs+b(q_j) / CLb(q_j) (CLs+b(q_j) for
 * q_0) with the tail fractions of both toy sets, then numpy's percentile (linear) of the CLs_j at
 * PERCENTILES. Error of each: the spread of the order statistics around the percentile's rank
 * i = P (K - 1), i -+ sqrt(K P (1 - P)) (the binomial standard deviation of a quantile's rank),
 * half the difference of CLs there, in quadrature with the delta-method CLs error of the toy at
 * the rank (its CLs+b(q_j) and CLb(q_j) are fractions of K toys).
 */
export function expectedSet(qsb: Float32Array, qb: Float32Array, q0: boolean): { values: Band; errors: Band } {
  const sb = Float32Array.from(qsb).sort(), b = Float32Array.from(qb).sort();
  const K = b.length, Ksb = sb.length;
  const vals = new Float64Array(K), psb = new Float64Array(K), pb = new Float64Array(K);
  // b ascending: the first index of sb with sb >= b[j] only moves up.
  let a = 0, f = 0;
  for (let j = 0; j < K; j++) {
    const t = b[j];
    while (a < Ksb && sb[a] < t) a++;
    if (j === 0 || b[j] !== b[j - 1]) f = j;
    psb[j] = (Ksb - a) / Ksb;
    pb[j] = (K - f) / K;
    vals[j] = q0 ? psb[j] : psb[j] / pb[j];
  }
  const order = Array.from({ length: K }, (_, j) => j).sort((x, y) => vals[x] - vals[y] || x - y);
  const v = (r: number) => vals[order[Math.min(K - 1, Math.max(0, r))]];
  const values = [] as number[], errors = [] as number[];
  for (const P of PERCENTILES) {
    const p = P / 100, at = p * (K - 1), lo = Math.floor(at), t = at - lo;
    const x = v(lo), y = v(lo + 1);
    values.push(K === 1 ? x : x + (y - x) * t);
    const d = Math.sqrt(K * p * (1 - p));
    const spread = (v(Math.ceil(at + d)) - v(Math.floor(at - d))) / 2;
    const j = order[Math.min(K - 1, Math.round(at))];
    const stat = q0 ? binomialError(psb[j], Ksb) : clsError(psb[j], pb[j], K);
    errors.push(Math.hypot(spread, stat));
  }
  return { values: values as Band, errors: errors as Band };
}

/** p0 and Z from the counts of a discovery run (q_0; one set per target at mu = 0): Z = Phi^-1(1 - p0) (infinite at p0 = 0). */
export function toyDiscovery(plan: ToyPlanHeader, counts: ToyCounts): { p0: number; p0Error: number; z: number; q0: number; toys: number; notConverged: number }[] {
  return plan.points.map((_, i) => {
    const j = plan.perPoint * i, p0 = counts.above[j] / counts.toys;
    return { p0, p0Error: binomialError(p0, counts.toys), z: p0 >= 1 ? -Infinity : -normQuantile(p0), q0: plan.qObs[i], toys: counts.toys, notConverged: counts.bad[j] };
  });
}

export interface ToyUpperLimit {
  readonly obs: number;
  readonly exp: Band;
  /** Statistical errors of the limits: the CLs error at the crossing over the slope of the CLs curve there. */
  readonly obsError: number;
  readonly expError: Band;
  /** The scan: POI values and CLs observed / expected at each. */
  readonly scan: readonly number[];
  readonly cls: readonly number[];
  readonly clsExp: readonly Band[];
}

/**
 * Upper limits from a toy CLs scan (pyhf's upper_limit with a scan: the alpha crossing of each
 * curve interpolated linearly in CLs), per target: the first grid point with CLs <= alpha and the
 * point before it (CLs = 1 at mu = 0 below the grid); NaN where no grid point reaches alpha.
 * Error: sigma(mu_up) = sigma(CLs) / |dCLs/dmu| with both linear between the two points.
 * Deterministic: the toys of every grid point are bits of (seed, stream, toy).
 */
export function toyUpperLimits(plan: ToyPlanHeader, tests: readonly ToyTestResult[], targets: number, alpha: number): ToyUpperLimit[] {
  const nan: Band = [NaN, NaN, NaN, NaN, NaN];
  return Array.from({ length: targets }, (_, t) => {
    const idx = plan.points.map((p, i) => (p.target === t ? i : -1)).filter((i) => i >= 0).sort((x, y) => plan.points[x].mu - plan.points[y].mu);
    const scan = idx.map((i) => plan.points[i].mu);
    const cls = idx.map((i) => tests[i].cls), clsErr = idx.map((i) => tests[i].clsError);
    const clsExp = idx.map((i) => tests[i].expected ?? nan), expErr = idx.map((i) => tests[i].expectedError ?? nan);
    const cross = (ys: readonly number[], es: readonly number[]): [number, number] => {
      for (let k = 0; k < ys.length; k++) {
        if (!(ys[k] <= alpha)) continue;
        const [x0, y0, e0] = k === 0 ? [0, 1, 0] : [scan[k - 1], ys[k - 1], es[k - 1]];
        if (y0 === ys[k]) return [scan[k], NaN];
        const w = (y0 - alpha) / (y0 - ys[k]);
        return [x0 + (scan[k] - x0) * w, ((e0 * (1 - w) + es[k] * w) * (scan[k] - x0)) / (y0 - ys[k])];
      }
      return [NaN, NaN];
    };
    const o = cross(cls, clsErr);
    const e = [0, 1, 2, 3, 4].map((b) => cross(clsExp.map((x) => x[b]), expErr.map((x) => x[b])));
    return { obs: o[0], obsError: o[1], exp: e.map((x) => x[0]) as Band, expError: e.map((x) => x[1]) as Band, scan, cls, clsExp };
  });
}
