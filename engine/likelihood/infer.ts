// Inference on HistFactory models with fits from the fit kernel, batched over many models
// (patches) and data sets: test statistics q_mu, q~_mu, q_0; asymptotic CLs with the expected set
// (Cowan, Cranmer, Gross, Vitells, arXiv:1007.1727); upper limits at any CL; best fits with
// Hessian uncertainties. Conventions are pyhf 0.7's (infer/test_statistics.py, calculators.py
// AsymptoticCalculator, intervals/upper_limits.py) so that results can be diffed against pyhf.
import type { Backend } from '../../host/backend.js';
import { BAND_N, clsFromQ } from '../stats/asymptotic.js';
import { normCdf, normSf } from '../stats/special.js';
import { ModelEvaluator } from './evaluate.js';
import { FIT_STATUS_NAMES, converged, packFitModels, runFits, type FitRequest, type FitResult, type PackedModels } from './fitrun.js';
import { namedValues, type CompiledModel } from './model.js';
import { STAT_Q, STAT_Q0, STAT_QTILDE, testStatF32 } from '../../kernels/toyfit/ref.js';

export type TestStat = 'qtilde' | 'q' | 'q0';
export type Band = [number, number, number, number, number];

/** Models fitted together: one pack (one kernel input), one evaluator per model. */
export class FitSession {
  readonly packed: PackedModels;
  readonly evaluators: ModelEvaluator[];
  /** Fits run so far, and how many ended at max_iter (reported, never dropped). */
  fits = 0;
  unconverged = 0;
  constructor(readonly backend: Backend, readonly models: readonly CompiledModel[], readonly opts: { maxIter?: number; signal?: AbortSignal; progress?: (s: string) => void } = {}) {
    this.packed = packFitModels(models.map((m) => m.fit));
    this.evaluators = models.map((m) => new ModelEvaluator(m.fit));
  }
  async run(reqs: readonly FitRequest[], what: string): Promise<FitResult[]> {
    const t0 = Date.now();
    const out = await runFits(this.backend, this.packed, reqs, { maxIter: this.opts.maxIter, signal: this.opts.signal });
    this.fits += out.length;
    this.unconverged += out.filter((r) => !converged(r)).length;
    this.opts.progress?.(`${what}: ${out.length} fits on ${this.backend.name} in ${((Date.now() - t0) / 1000).toFixed(2)} s`);
    return out;
  }
}

/** A model (index into the session) with a data block (observed or otherwise). */
export interface Target {
  readonly model: number;
  readonly data: ArrayLike<number>;
}

/** The kernels' code of each test statistic (param `stat` of kernels/toyfit). */
export const STAT_CODE: Record<TestStat, number> = { qtilde: STAT_QTILDE, q: STAT_Q, q0: STAT_Q0 };

/**
 * The profile-likelihood test statistics from a conditional and an unconditional fit
 * (pyhf infer/test_statistics.py): t = max(t(cond) - t(free), 0); q_mu and q~_mu are t, or 0 when
 * mu-hat > mu (arXiv:1007.1727 eqs. 14, 16; with the POI bounded below by 0, pyhf's qmu_tilde);
 * q_0 is t at mu = 0, or 0 when mu-hat < 0 (eq. 12). One definition with the toyfit kernel
 * (kernels/toyfit/ref.ts testStatF32: the df32 deviances, mu and mu-hat in f32).
 */
export function testStatistic(stat: TestStat, mu: number, cond: FitResult, free: FitResult, poi: number): number {
  const c = cond.devianceDf ?? dfOf(cond.deviance), f = free.devianceDf ?? dfOf(free.deviance);
  return testStatF32(STAT_CODE[stat], Math.fround(mu), Math.fround(free.theta[poi]), c.hi, c.lo, f.hi, f.lo);
}

/** A deviance given as one number, split into df32 (hi, lo). */
function dfOf(v: number): { hi: number; lo: number } {
  const hi = Math.fround(v);
  return { hi, lo: Math.fround(v - hi) };
}

export interface HypoTestResult {
  readonly mu: number;
  /** CLs (q~, q) or p0 (q0) as pyhf's hypotest returns it. */
  readonly cls: number;
  readonly clsb: number;
  readonly clb: number;
  /** The expected set at -2..+2 sigma (pyhf order: [2, 1, 0, -1, -2] in test-statistic space). */
  readonly expected: Band;
  readonly q: number;
  readonly qA: number;
  readonly muhat: number;
}

/**
 * p-values of pyhf's AsymptoticCalculator (normal base distribution): test statistic in
 * -mu-hat / sigma space, sqrt(q) - sqrt(q_A) (q, q0) or the q~ form of arXiv:1007.1727 eq. 66;
 * CLs+b = Phi(-(ts + sqrt q_A)), CLb = Phi(-ts); the expected set puts ts at N = 2, 1, 0, -1, -2.
 */
export function asymptoticPvalues(stat: TestStat, q: number, qA: number): { cls: number; clsb: number; clb: number; expected: Band } {
  const sA = Math.sqrt(Math.max(qA, 0)), sq = Math.sqrt(Math.max(q, 0));
  let clsb: number, clb: number;
  if (stat === 'qtilde') ({ clsb, clb } = clsFromQ(q, qA));
  else {
    clsb = normSf(sq);
    clb = normCdf(sA - sq);
  }
  const expected = BAND_N.map((N) => (stat === 'q0' ? normSf(N + sA) : normSf(N + sA) / normSf(N))) as Band;
  // pyhf's hypotest returns CLs+b (= p0) for q0.
  return { cls: stat === 'q0' ? clsb : clsb / clb, clsb, clb, expected };
}

/** One hypothesis test per (target, mu) in two batched dispatches (data fits, then Asimov fits). */
export async function hypotests(s: FitSession, targets: readonly Target[], mus: readonly (readonly number[])[], stat: TestStat): Promise<HypoTestResult[][]> {
  const asimovMu = stat === 'q0' ? 1 : 0; // pyhf AsymptoticCalculator.teststatistic
  const reqs: FitRequest[] = [];
  const idx = targets.map((t, i) => {
    const free = reqs.push({ model: t.model, data: t.data }) - 1;
    const asi = reqs.push({ model: t.model, data: t.data, poi: asimovMu }) - 1;
    const cond = mus[i].map((mu) => reqs.push({ model: t.model, data: t.data, poi: mu }) - 1);
    return { free, asi, cond };
  });
  const r1 = await s.run(reqs, 'fits to data');
  // Asimov data at the conditional fit (arXiv:1007.1727 sec. 3.2; pyhf generate_asimov_data).
  const asimov = targets.map((t, i) => s.evaluators[t.model].asimov(r1[idx[i].asi].theta));
  const reqs2: FitRequest[] = [];
  const idx2 = targets.map((t, i) => ({
    free: reqs2.push({ model: t.model, data: asimov[i] }) - 1,
    cond: mus[i].map((mu) => reqs2.push({ model: t.model, data: asimov[i], poi: mu }) - 1),
  }));
  const r2 = await s.run(reqs2, 'fits to Asimov data');
  return targets.map((t, i) => {
    const poi = s.models[t.model].poi;
    return mus[i].map((mu, k) => {
      const q = testStatistic(stat, mu, r1[idx[i].cond[k]], r1[idx[i].free], poi);
      const qA = testStatistic(stat, mu, r2[idx2[i].cond[k]], r2[idx2[i].free], poi);
      return { mu, q, qA, muhat: r1[idx[i].free].theta[poi], ...asymptoticPvalues(stat, q, qA) };
    });
  });
}

export interface UpperLimitResult {
  readonly obs: number;
  readonly exp: Band;
  /** Rounds of batched fits and POI values tried. */
  readonly rounds: number;
}

const MAX_ROUNDS = 10; // the scan, then refinement rounds
const REL_TOL = 1e-5; // a curve is done when its bracket is this narrow (relative)

/**
 * Upper limits on the POI at confidence level `cl` (CLs = 1 - cl), observed and expected set, for
 * every target at once: a scan at mu-hat + (0.5 .. 15) sigma (sigma of the POI from the Hessian of
 * the Asimov free fit), then rounds that try, per curve, the root interpolated linearly in
 * ln CLs within its bracket and two points at +-eps around it (eps = 2e-2, 2e-3, ...; plus the
 * midpoint while the bracket is wide), every round one dispatch for all targets and all six
 * curves, until each bracket is narrower than REL_TOL; the root is then interpolated.
 * Fits at fixed mu use pyhf's q~_mu (or q_mu) as hypotest does.
 */
export async function upperLimits(s: FitSession, targets: readonly Target[], opts: { cl?: number; stat?: 'qtilde' | 'q' } = {}): Promise<UpperLimitResult[]> {
  const cl = opts.cl ?? 0.95;
  if (!(cl > 0 && cl < 1)) throw new RangeError(`cl must be in (0, 1), got ${cl}`);
  const alpha = 1 - cl, stat = opts.stat ?? 'qtilde';
  // Free and mu = 0 fits to data, Asimov data, free fit to Asimov: independent of mu.
  const reqs: FitRequest[] = [];
  targets.forEach((t) => { reqs.push({ model: t.model, data: t.data }, { model: t.model, data: t.data, poi: 0 }); });
  const r0 = await s.run(reqs, 'upper limit: fits to data');
  const asimov = targets.map((t, i) => s.evaluators[t.model].asimov(r0[2 * i + 1].theta));
  const rA = await s.run(targets.map((t, i) => ({ model: t.model, data: asimov[i] })), 'upper limit: fits to Asimov data');
  const sigma = targets.map((t, i) => poiSigma(s, t.model, rA[i].theta, asimov[i]));
  // Six curves per target: observed (needs data and Asimov fits) and the five expected; each
  // keeps its evaluated points (mu, ln(CLs / alpha)).
  const pts: { mu: number; f: number }[][][] = targets.map(() => Array.from({ length: 6 }, () => []));
  const done: boolean[][] = targets.map(() => new Array(6).fill(false));
  const muhat = targets.map((t, i) => Math.max(r0[2 * i].theta[s.models[t.model].poi], 0));
  let grid: number[][] = targets.map((_, i) => [0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6.5, 8, 11, 15].map((c) => muhat[i] + c * sigma[i]));
  let dataGrid: number[][] = grid;
  let rounds = 0;
  while (grid.some((g) => g.length > 0) && rounds < MAX_ROUNDS) {
    const res = await evalCls(s, targets, grid, dataGrid, asimov, r0, rA, stat);
    rounds++;
    const nextData: number[][] = [];
    grid = targets.map((_, i) => {
      const next = new Set<number>();
      const obsNext = new Set<number>();
      grid[i].forEach((mu, k) => {
        const v = [res[i][k].obs, ...res[i][k].exp];
        v.forEach((x, j) => { if (x !== undefined && !done[i][j]) pts[i][j].push({ mu, f: Math.log(Math.max(x, 1e-300) / alpha) }); });
      });
      for (let j = 0; j < 6; j++) {
        if (done[i][j]) continue;
        const add = (x: number) => { next.add(x); if (j === 0) obsNext.add(x); };
        const br = bracket(pts[i][j], alpha);
        if (!br) {
          const top = Math.max(...pts[i][j].map((p) => p.mu));
          if (top > 1e6 * Math.max(sigma[i], 1e-12)) { done[i][j] = true; continue; } // no crossing: NaN
          for (let k = 1; k <= 4; k++) add(top * (1 + 0.5 * k));
        } else if (br.hi.mu - br.lo.mu <= REL_TOL * br.hi.mu || rounds >= MAX_ROUNDS - 1) {
          done[i][j] = true;
        } else {
          const w = br.hi.mu - br.lo.mu;
          const r = br.lo.mu + (w * br.lo.f) / (br.lo.f - br.hi.f);
          const eps = 2e-2 / 10 ** Math.max(0, rounds - 1);
          for (const x of [r * (1 - eps), r, r * (1 + eps), ...(w > 20 * eps * r ? [br.lo.mu + 0.5 * w] : [])]) if (x > br.lo.mu && x < br.hi.mu) add(x);
        }
      }
      nextData.push([...obsNext]);
      return [...next];
    });
    dataGrid = nextData;
  }
  return targets.map((_, i) => {
    const root = (j: number) => {
      const br = bracket(pts[i][j], alpha);
      return br ? br.lo.mu + ((br.hi.mu - br.lo.mu) * br.lo.f) / (br.lo.f - br.hi.f) : NaN;
    };
    return { obs: root(0), exp: [1, 2, 3, 4, 5].map(root) as Band, rounds };
  });
}

/** The first crossing: hi = the smallest mu with CLs <= alpha, lo = the largest mu below it with CLs > alpha (mu = 0: CLs >= 1/2). */
function bracket(p: readonly { mu: number; f: number }[], alpha: number): { lo: { mu: number; f: number }; hi: { mu: number; f: number } } | undefined {
  let hi: { mu: number; f: number } | undefined;
  for (const x of p) if (x.f <= 0 && (!hi || x.mu < hi.mu)) hi = x;
  if (!hi) return undefined;
  let lo = { mu: 0, f: Math.log(0.5 / alpha) };
  for (const x of p) if (x.f > 0 && x.mu < hi.mu && x.mu > lo.mu) lo = x;
  return { lo, hi };
}

/** CLs observed (where asked) and the expected set at every grid point. */
async function evalCls(s: FitSession, targets: readonly Target[], grid: readonly number[][], dataMus: readonly number[][], asimov: readonly Float64Array[], r0: readonly FitResult[], rA: readonly FitResult[], stat: 'qtilde' | 'q'): Promise<{ obs?: number; exp: Band }[][]> {
  const reqs: FitRequest[] = [];
  const at = targets.map((t, i) => ({
    data: dataMus[i].map((mu) => reqs.push({ model: t.model, data: t.data, poi: mu }) - 1),
    asi: grid[i].map((mu) => reqs.push({ model: t.model, data: asimov[i], poi: mu }) - 1),
  }));
  const r = await s.run(reqs, 'upper limit: scan');
  return targets.map((t, i) => {
    const poi = s.models[t.model].poi;
    return grid[i].map((mu, k) => {
      const qA = testStatistic(stat, mu, r[at[i].asi[k]], rA[i], poi);
      const kd = dataMus[i].indexOf(mu);
      const p = asymptoticPvalues(stat, kd < 0 ? 0 : testStatistic(stat, mu, r[at[i].data[kd]], r0[2 * i], poi), qA);
      return { obs: kd < 0 ? undefined : p.cls, exp: p.expected };
    });
  });
}

/** sigma of the POI from the inverse Hessian (host f64) over the free parameters at theta. */
function poiSigma(s: FitSession, model: number, theta: ArrayLike<number>, data: ArrayLike<number>): number {
  const m = s.models[model];
  const free = m.fit.params.map((p, i) => (!p.fixed ? i : -1)).filter((i) => i >= 0);
  const cov = invertFree(s.evaluators[model].hessianNll(theta, data), free);
  const k = free.indexOf(m.poi);
  const v = k < 0 ? NaN : cov[k][k];
  return v > 0 && Number.isFinite(v) ? Math.sqrt(v) : 1;
}

/** Inverse of H restricted to the index set `free` (Gauss-Jordan with partial pivoting, f64). */
export function invertFree(H: readonly (readonly number[])[], free: readonly number[]): number[][] {
  const n = free.length;
  const A = free.map((i) => [...free.map((j) => H[i][j]), ...free.map((_, k) => (free[k] === i ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    const d = A[c][c];
    if (d === 0) return free.map(() => free.map(() => NaN));
    for (let k = 0; k < 2 * n; k++) A[c][k] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = A[r][c];
      if (f !== 0) for (let k = 0; k < 2 * n; k++) A[r][k] -= f * A[c][k];
    }
  }
  return A.map((row) => row.slice(n));
}

export interface BestFit {
  readonly bestfit: Record<string, number | number[]>;
  readonly uncertainties: Record<string, number | number[]>;
  /** pyhf's -2 ln L at the best fit, constant terms included (host f64). */
  readonly twice_nll: number;
  readonly status: string;
  readonly iterations: number;
}

/** Maximum-likelihood fits (POI free, or held at `poi`) with Hessian uncertainties (0 for fixed parameters). */
export async function bestFits(s: FitSession, targets: readonly Target[], poi?: number): Promise<BestFit[]> {
  const res = await s.run(targets.map((t) => ({ model: t.model, data: t.data, poi })), 'best fits');
  return targets.map((t, i) => {
    const m = s.models[t.model], ev = s.evaluators[t.model], r = res[i];
    // Inverse Hessian over the free parameters inside their bounds; a parameter the fit left on a
    // bound is held there for the others (as minuit's HESSE effectively does through its bound
    // transformation) and gets its own value from the inverse over all free parameters.
    const free = m.fit.params.map((p, j) => (!p.fixed && !(poi !== undefined && j === m.poi) ? j : -1)).filter((j) => j >= 0);
    const inside = free.filter((j) => r.theta[j] > m.fit.params[j].lo && r.theta[j] < m.fit.params[j].hi);
    const H = ev.hessianNll(r.theta, t.data);
    const unc = new Float64Array(m.fit.params.length);
    const cov = invertFree(H, inside);
    inside.forEach((j, k) => { unc[j] = Math.sqrt(Math.max(cov[k][k], 0)); });
    if (inside.length < free.length) {
      const all = invertFree(H, free);
      free.forEach((j, k) => { if (!inside.includes(j)) unc[j] = Math.sqrt(Math.max(all[k][k], 0)); });
    }
    return {
      bestfit: namedValues(m, r.theta),
      uncertainties: namedValues(m, unc),
      twice_nll: ev.twiceNll(r.theta, t.data),
      status: FIT_STATUS_NAMES[r.status] ?? String(r.status),
      iterations: r.iterations,
    };
  });
}
