// Limits for every window of a scan at once (what `darkscan scan --limits` needs): per window a
// counting model (n, b +- sigma_b, s_ref), one method for all, expected bands.
import type { Backend } from '../../host/backend.js';
import { upperLimitAsymptotic } from './asymptotic.js';
import { NoBracketError } from './special.js';
import { bayesUpper, clsNUpper, expectedCounts, expectedFromCounts, feldmanCousins } from './exact.js';
import { makeModel, type CountingModel, type Model, type UncertaintyModel } from './model.js';
import { upperLimitsToys } from './toys.js';
import { ticker } from '../cancel.js';
import { bayesLimitsOnBackend, inBayesKernelDomain } from './bayeskernel.js';

/**
 * The limit methods: ONE table, used by the CLI (`limit`, `scan --limits`, `demo`, `run`), the
 * search pipeline (engine/analyses/search.ts) and the LLP limits (engine/llp/limits.ts).
 */
export const LIMIT_METHODS = {
  cls: { doc: 'CLs with q~_mu from toys, batched on the backend (Read, J. Phys. G 28 (2002) 2693; Cowan et al., EPJC 71 (2011) 1554)', toys: true, knownBackground: false, pipeline: false },
  'cls-asymptotic': { doc: `asymptotic CLs with q~_mu (Cowan et al., EPJC 71 (2011) 1554); windows with b < ASYMPTOTIC_MIN_B take the exact Bayesian limit`, toys: false, knownBackground: false, pipeline: true },
  bayes: { doc: 'Bayesian credible upper limit, flat prior on s >= 0, background uncertainty integrated (PDG Statistics review sec. 40.4.1)', toys: false, knownBackground: false, pipeline: true },
  fc: { doc: 'Feldman-Cousins unified interval (PRD 57 (1998) 3873), known background', toys: false, knownBackground: true, pipeline: false },
  'cls-n': { doc: 'CLs with n as test statistic (Read 2002), known background', toys: false, knownBackground: true, pipeline: false },
} as const;
export type WindowLimitMethod = keyof typeof LIMIT_METHODS;
export const WINDOW_LIMIT_METHODS = Object.keys(LIMIT_METHODS) as WindowLimitMethod[];
/** The methods a search pipeline runs per window (closed-form, with uncertainties). */
export type PipelineLimitMethod = { [K in WindowLimitMethod]: (typeof LIMIT_METHODS)[K]['pipeline'] extends true ? K : never }[WindowLimitMethod];
export const PIPELINE_LIMIT_METHODS = WINDOW_LIMIT_METHODS.filter((m) => LIMIT_METHODS[m].pipeline) as PipelineLimitMethod[];

/** Checks a method name against the table (or a subset of it), naming the option in the error. */
export function parseLimitMethod<M extends WindowLimitMethod = WindowLimitMethod>(name: string, where = '--method', allowed: readonly M[] = WINDOW_LIMIT_METHODS as M[]): M {
  if (!(allowed as readonly string[]).includes(name)) throw new Error(`${where}: expected ${allowed.join(', ')}, got '${name}'`);
  return name as M;
}

/**
 * One window's upper limit on s by any method of the table that needs no toys: the pipeline
 * methods through limitOne, 'fc' and 'cls-n' for a known background (an error otherwise).
 */
export function upperOne(m: CountingModel, method: Exclude<WindowLimitMethod, 'cls'>, cl: number, where = 'window'): { up: number; used: string; reason: string } {
  if (method === 'cls-asymptotic' || method === 'bayes') {
    const r = limitOne(m, method, cl);
    return { up: r.up, used: r.used, reason: r.reason };
  }
  if ((m.sigmaB ?? 0) > 0) throw new Error(`${where}: method ${method} assumes a known background (sigma_b = ${m.sigmaB})`);
  const sRef = m.sRef ?? 1;
  const up = method === 'fc' ? feldmanCousins(m.n, m.b, cl).upper : clsNUpper(m.n, m.b, cl);
  return { up: up / sRef, used: method, reason: 'requested' };
}

export interface WindowInputs {
  readonly n: ArrayLike<number>;
  readonly b: ArrayLike<number>;
  readonly sigmaB?: ArrayLike<number>;
  /** Signal at mu = 1 per window (limits are then on mu; default 1: on the signal count). */
  readonly sRef?: ArrayLike<number>;
  readonly uncertainty?: UncertaintyModel;
}

/**
 * Below this background the asymptotic formulae (Cowan, Cranmer, Gross, Vitells, EPJC 71 (2011)
 * 1554, valid for large counts) are not used: n = 0, b = 0.01 would give s_up = 1.37 at 90% CL
 * where the exact answer is 2.30.
 */
export const ASYMPTOTIC_MIN_B = 10;

export interface OneLimit {
  up: number;
  exp: number[];
  used: 'cls-asymptotic' | 'bayes';
  /** Why this method: the request, or why the request was not valid for this window. */
  reason: string;
}

/**
 * One window's upper limit and expected band. 'bayes': flat prior on s >= 0 with the background
 * uncertainty integrated (PDG Statistics review sec. 40.4.1; equals CLs with n as test statistic
 * when b is known). 'cls-asymptotic': asymptotic CLs with q~_mu where b >= ASYMPTOTIC_MIN_B; a
 * window with less background, or whose CLs root is not bracketed (sigma_b comparable to b), takes
 * the exact Bayesian limit, and `used` and `reason` say so. Only the "no bracket" failure is caught.
 */
export function limitOne(model: CountingModel, method: 'cls-asymptotic' | 'bayes', cl: number): OneLimit {
  const bayes = (reason: string): OneLimit => {
    const up = bayesUpper(model, cl);
    const exp = bandCounts(model.b).map((k) => bayesUpper({ ...model, n: k }, cl)); // expected limits at the band's counts
    return { up, exp, used: 'bayes', reason };
  };
  const why = bayesReason(model, method);
  if (why) return bayes(why);
  try {
    const u = upperLimitAsymptotic(model, cl);
    return { up: u.upper, exp: [...u.expected!], used: 'cls-asymptotic', reason: 'requested' };
  } catch (e) {
    if (!(e instanceof NoBracketError)) throw e;
    return bayes('asymptotic CLs root not bracketed (sigma_b comparable to b); exact Bayesian limit');
  }
}

/** Why a window takes the Bayesian limit under `method` (null: it takes the asymptotic one). */
function bayesReason(model: CountingModel, method: 'cls-asymptotic' | 'bayes'): string | null {
  if (method === 'bayes') return 'requested';
  if (!(model.b >= ASYMPTOTIC_MIN_B)) return `b < ${ASYMPTOTIC_MIN_B}: asymptotic formulae invalid for small counts; exact Bayesian limit`;
  return null;
}

/**
 * limitOne for every window, with the Bayesian limits (method 'bayes', and the windows that
 * cls-asymptotic gives the Bayesian limit for b < ASYMPTOTIC_MIN_B) batched on the backend: the
 * observed limit and the five band points of every window in one `bayes_limit` kernel run
 * (engine/stats/bayeskernel.ts). Windows outside the kernel's domain, and any item it leaves
 * unsolved, are computed by limitOne on the host. A window that cannot be computed gets its Error
 * (one window never stops the others).
 */
export async function limitsBatch(
  backend: Backend, models: readonly CountingModel[], method: 'cls-asymptotic' | 'bayes', cl: number, signal?: AbortSignal,
  onProgress?: (windowsDone: number, windows: number) => void,
): Promise<(OneLimit | Error)[]> {
  const out: (OneLimit | Error)[] = new Array(models.length);
  const queued: number[] = [], reasons: string[] = [];
  const n: number[] = [], b: number[] = [], sb: number[] = [];
  const bands = new Map<number, number[]>(); // bandCounts per background (windows share few: the B_FLOOR of empty ones)
  const host = (i: number): void => {
    try {
      out[i] = limitOne(models[i], method, cl);
    } catch (e) {
      out[i] = e as Error;
    }
  };
  for (let i = 0; i < models.length; i++) {
    let m: Model;
    try {
      m = makeModel(models[i]);
    } catch {
      continue; // limitOne on the host reports it, as for a single window
    }
    const why = bayesReason(models[i], method);
    if (why === null || !inBayesKernelDomain(m)) continue; // the host, below
    queued.push(i);
    reasons.push(why);
    let band = bands.get(m.b);
    if (!band) bands.set(m.b, (band = bandCounts(m.b)));
    for (const k of [m.n, ...band]) {
      n.push(k);
      b.push(m.b);
      sb.push(m.kind === 'gauss' ? m.sigmaB : 0);
    }
  }
  // Progress in windows: six kernel items (the limit and its band) per queued window.
  const up = await bayesLimitsOnBackend(backend, n, b, sb, cl, signal, onProgress && ((d) => onProgress(Math.floor(d / 6), models.length)));
  queued.forEach((i, q) => {
    const v = Array.from(up.subarray(6 * q, 6 * q + 6), (x) => x / (models[i].sRef ?? 1));
    if (v.some((x) => Number.isNaN(x))) host(i); // an item the kernel did not solve
    else out[i] = { up: v[0], exp: v.slice(1), used: 'bayes', reason: reasons[q] };
  });
  const tick = ticker(signal);
  for (let i = 0, done = queued.length; i < models.length; i++) {
    if (out[i] !== undefined) continue;
    await tick();
    host(i);
    if (onProgress && ++done % 100 === 0) onProgress(done, models.length);
  }
  return out;
}

/**
 * The counts at which the expected band [-2s, -1s, median, +1s, +2s] of the Bayesian limit is
 * taken: the Poisson quantiles of n under b (normal quantiles for large b, where the walk from
 * n = 0 would be long).
 */
export function bandCounts(b: number): number[] {
  return b > 1e4 ? [-2, -1, 0, 1, 2].map((k) => Math.max(0, Math.round(b + k * Math.sqrt(b)))) : expectedCounts(b);
}

export interface WindowLimits {
  readonly method: WindowLimitMethod;
  /** The method each window's limit came from (differs from `method` where limitOne fell back). */
  readonly used?: string[];
  readonly cl: number;
  /** Per window (NaN where `failed` gives the reason). */
  readonly upper: Float64Array;
  /** Feldman-Cousins lower ends (null for the other methods). */
  readonly lower: Float64Array | null;
  /** [-2s, -1s, median, +1s, +2s], each an array over windows. */
  readonly expected: Float64Array[];
  /** Per window: why its limit could not be computed (null where it was): one window never stops the others. */
  readonly failed: (string | null)[];
  readonly toys: number | null;
  readonly seed: number | null;
  /** How the limits were computed, where the method alone does not say (the bayes_limit kernel). */
  readonly computed?: string;
}

/** How limitsBatch computes Bayesian limits (recorded in outputs beside the method). */
export const BAYES_KERNEL_HOW = 'the bayes_limit kernel on the backend (f32 from exact operations, the same bits on every backend; within 5e-5 relative of the f64 host computation, engine/stats/bayeskernel.ts); windows beyond n, b = 1000 on the host';

/** The counting model of every window, or why a window has none (e.g. b beyond the model's range). */
export function windowModels(w: WindowInputs): (Model | string)[] {
  const m = w.n.length;
  if (w.b.length !== m || (w.sigmaB && w.sigmaB.length !== m) || (w.sRef && w.sRef.length !== m)) {
    throw new RangeError(`window inputs: n has ${m} windows, b ${w.b.length}${w.sigmaB ? `, sigma_b ${w.sigmaB.length}` : ''}${w.sRef ? `, s_ref ${w.sRef.length}` : ''}`);
  }
  return Array.from({ length: m }, (_, i) => {
    const sigmaB = w.sigmaB ? w.sigmaB[i] : 0;
    // A window without background estimate (b = 0) can only be treated with a known background.
    const kind = sigmaB > 0 && w.b[i] > 0 ? w.uncertainty ?? 'gauss' : 'none';
    try {
      return makeModel({ n: w.n[i], b: w.b[i], sigmaB: kind === 'none' ? 0 : sigmaB, sRef: w.sRef ? w.sRef[i] : 1, uncertainty: kind }, `window ${i}`);
    } catch (e) {
      return (e as Error).message;
    }
  });
}

/**
 * Upper limits and expected bands for every window with one method (toys: one batched dispatch
 * per bisection step). A window the method cannot treat (b out of range, sigma_b > 0 for a
 * known-background method, toys that cannot reach the observation, no root) gets NaN limits and
 * its reason in `failed`; the other windows are computed as usual.
 */
export async function windowLimits(
  w: WindowInputs, method: WindowLimitMethod, cl: number,
  o: { backend?: Backend; toys?: number; seed?: number; signal?: AbortSignal } = {},
): Promise<WindowLimits> {
  if (!(WINDOW_LIMIT_METHODS as readonly string[]).includes(method)) throw new Error(`limit method: expected ${WINDOW_LIMIT_METHODS.join(', ')}, got '${method}'`);
  const all = windowModels(w);
  const M = all.length;
  const failed: (string | null)[] = all.map((m) => (typeof m === 'string' ? m : null));
  const upper = new Float64Array(M).fill(NaN);
  const expected = [0, 1, 2, 3, 4].map(() => new Float64Array(M).fill(NaN));
  let lower: Float64Array | null = null;
  const setExp = (i: number, e: readonly number[]) => e.forEach((v, k) => { expected[k][i] = v; });
  const knownB = (m: Model, i: number) => {
    if (m.kind !== 'none') throw new Error(`window ${i}: method ${method} assumes a known background (sigma_b = ${m.sigmaB})`);
  };
  if (method === 'cls') {
    if (!o.backend || o.toys === undefined || o.seed === undefined) throw new Error('limit method cls: needs a backend, --toys and --seed');
    // Failed windows stay in the batch as known-background placeholders (never dispatched), so
    // that every window keeps its index and its toys.
    const ms = all.map((m, i) => (typeof m === 'string' ? makeModel({ n: 0, b: 0 }, `window ${i}`) : m));
    const skip = failed.map((f) => f !== null);
    const r = await upperLimitsToys(ms, cl, { backend: o.backend, toys: o.toys, seed: o.seed, expected: true, signal: o.signal, skip });
    for (let i = 0; i < M; i++) {
      failed[i] ??= r.failed[i];
      if (failed[i]) continue;
      upper[i] = r.upper[i];
      for (let k = 0; k < 5; k++) expected[k][i] = r.expected![k][i];
    }
    return { method, cl, upper, lower, expected, failed, toys: o.toys, seed: o.seed };
  }
  const used: string[] = [];
  if ((method === 'cls-asymptotic' || method === 'bayes') && o.backend) {
    // The pipeline methods through limitsBatch (the Bayesian limits batched on the backend), as
    // the search pipeline computes them.
    const at: number[] = [], models: CountingModel[] = [];
    all.forEach((m, i) => {
      used.push(method);
      if (typeof m === 'string') return;
      at.push(i);
      models.push({ n: m.n, b: m.b, sigmaB: m.sigmaB, sRef: m.sRef, uncertainty: m.kind, effUnc: m.effUnc, aux: m.aux });
    });
    const got = await limitsBatch(o.backend, models, method, cl, o.signal);
    got.forEach((r, k) => {
      const i = at[k];
      if (r instanceof Error) {
        failed[i] = r.message.startsWith(`window ${i}`) ? r.message : `window ${i}: ${r.message}`;
        return;
      }
      upper[i] = r.up;
      setExp(i, r.exp);
      used[i] = r.used;
    });
    return { method, cl, used, upper, lower, expected, failed, toys: null, seed: null, computed: `Bayesian limits (and the Bayesian fallback of cls-asymptotic) by ${BAYES_KERNEL_HOW}` };
  }
  if (method === 'fc') lower = new Float64Array(M).fill(NaN);
  const tick = ticker(o.signal);
  for (let i = 0; i < M; i++) {
    used.push(method);
    const m = all[i];
    if (typeof m === 'string') continue;
    // Between windows (every 50 ms): an exact method takes up to ~1 s per window, so a cancel is seen promptly.
    await tick();
    try {
      switch (method) {
        case 'cls-asymptotic':
        case 'bayes': {
          const r = limitOne({ n: m.n, b: m.b, sigmaB: m.sigmaB, sRef: m.sRef, uncertainty: m.kind, effUnc: m.effUnc, aux: m.aux }, method, cl);
          upper[i] = r.up;
          setExp(i, r.exp);
          used[i] = r.used;
          break;
        }
        case 'fc': {
          knownB(m, i);
          const r = feldmanCousins(m.n, m.b, cl);
          upper[i] = r.upper / m.sRef;
          lower![i] = r.lower / m.sRef;
          setExp(i, expectedFromCounts(m.b, (n) => feldmanCousins(n, m.b, cl).upper / m.sRef));
          break;
        }
        case 'cls-n':
          knownB(m, i);
          upper[i] = clsNUpper(m.n, m.b, cl) / m.sRef;
          setExp(i, expectedFromCounts(m.b, (n) => clsNUpper(n, m.b, cl) / m.sRef));
          break;
      }
    } catch (e) {
      const msg = (e as Error).message;
      failed[i] = msg.startsWith(`window ${i}`) ? msg : `window ${i}: ${msg}`;
      upper[i] = NaN;
      if (lower) lower[i] = NaN;
      setExp(i, [NaN, NaN, NaN, NaN, NaN]);
    }
  }
  return { method, cl, used, upper, lower, expected, failed, toys: null, seed: null };
}
