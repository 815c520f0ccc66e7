// Toy Monte Carlo for q~_mu (arXiv:1007.1727 eq. (16)) on any backend: the toys_qtilde kernel
// samples, per (window, toy), an s+b toy at the conditional fit theta^^_mu and a b-only toy at
// theta^^_0 (the frequentist toys of pyhf's ToyCalculator) and returns q~_mu of both. CLs+b,
// CLb are the fractions of toys with q~ >= q~_obs; q~_obs uses the kernel's own f32 function,
// so ties between discrete counts compare exactly. Results are bits of (seed, window, toy),
// whatever the backend or the way the work is split.
//
// Why a second toy engine beside the workspace toys (engine/likelihood/toycls.ts, the toyfit
// kernel): a counting window has closed-form profiles (one nuisance parameter, solved by a
// quadratic or a 1-d root in f32), so a toy costs a few operations instead of two iterative fits;
// window scans run millions of windows x toys with it. Its toys follow the same recipe (pyhf's
// ToyCalculator: generated at the conditional fits theta^^_mu and theta^^_0, q~_mu per toy), and
// test/likelihood-toys.test.ts checks that both give the same CLs+b, CLb and CLs within their
// statistical errors on the same one-bin model (issue 14, item 4).
import type { Backend } from '../../host/backend.js';
import { toys as toysKernel } from '../../kernels/toys/desc.js';
import { Q_B, Q_SB, Q_WORDS, q0F32, qtildeF32, TOY_KIND, WIN_B, WIN_PAR, WIN_S, WIN_THETA_B, WIN_THETA_SB, WIN_WORDS } from '../../kernels/toys/ref.js';
import { key, split, type Key } from '../random.js';
import { BAND_N, muScale, upperLimitAsymptotic, type HypoTest } from './asymptotic.js';
import { makeModel, profile, type CountingModel, type Model } from './model.js';
import { normCdf, normQuantile } from './special.js';
import { checkpoint, ticker } from '../cancel.js';

/** The Philox stream of the toys: key(seed, TOYS_STREAM), split into (s+b, b-only) keys. */
export const TOYS_STREAM = 0x70790001;
const fr = Math.fround;

export interface ToyOptions {
  readonly backend: Backend;
  readonly seed: number;
  /** Toys per window (and per hypothesis). */
  readonly toys: number;
  /** Largest dispatch in items (default 2^20: a cancel waits for at most one); results do not depend on it. */
  readonly chunkItems?: number;
  /** Checked before every dispatch: an abort stops the work within one dispatch. */
  readonly signal?: AbortSignal;
}

export function toyKeys(seed: number): { sb: Key; b: Key } {
  const [sb, b] = split(key(seed, TOYS_STREAM), 2);
  return { sb, b };
}

function toyKind(m: Model, where: string): number {
  if (m.lnKappaE !== 0) throw new Error(`${where}: toys do not support a signal-efficiency uncertainty yet (use cls-asymptotic or bayes)`);
  return TOY_KIND[m.kind];
}

/** One kernel row: what a window's toys are generated and tested at. */
export interface ToyRow {
  readonly s: number; readonly b: number; readonly par: number; readonly thSb: number; readonly thB: number;
  /** q~_obs in f32, from the kernel's own function. */
  readonly qObs: number;
}

export function toyRow(m: Model, mu: number, where = 'window'): { row: ToyRow; kind: number } {
  const kind = toyKind(m, where);
  const s = mu * m.sRef;
  const par = m.kind === 'gauss' ? m.sigmaB : m.kind === 'poisson' ? m.tau : m.kind === 'lognormal' ? m.lnKappa : 0;
  const thSb = profile(m, mu).theta, thB = profile(m, 0).theta;
  const lamMax = Math.max(s + m.b + 10 * m.sigmaB, m.kind === 'poisson' ? m.tau * Math.max(thSb, thB) : 0);
  if (!(lamMax <= 1e7)) throw new RangeError(`${where}: toys need Poisson means below 1e7 (s + b = ${s + m.b}, tau gamma = ${m.tau * thSb})`);
  const qObs = qtildeF32(fr(m.n), fr(m.aux), fr(s), fr(m.b), fr(par), kind);
  return { row: { s, b: m.b, par, thSb, thB, qObs }, kind };
}

/** q~ of every toy (s+b and b-only) for each row: arrays of rows x toys, row-major. */
export async function toyQ(rows: readonly ToyRow[], kind: number, o: DispatchOptions): Promise<{ qsb: Float32Array; qb: Float32Array }> {
  const K = checkToys(o.toys);
  // Arrays span only the rows dispatched (from the first range's first row): row r's toys start at (r - first) K.
  const first = o.rowRanges?.length ? o.rowRanges[0][0] : 0, end = o.rowRanges?.length ? o.rowRanges[o.rowRanges.length - 1][1] : rows.length;
  const total = (end - first) * K;
  if (total > 1 << 28) throw new RangeError(`toys: ${end - first} rows x ${K} toys is too many to keep at once (2^28); split the rows`);
  const qsb = new Float32Array(total), qb = new Float32Array(total);
  await dispatch(rows, kind, o, (from, q) => {
    for (let i = 0, at = from - first * K; i < q.length / Q_WORDS; i++) {
      qsb[at + i] = q[Q_WORDS * i + Q_SB];
      qb[at + i] = q[Q_WORDS * i + Q_B];
    }
  });
  return { qsb, qb };
}

/** Per row: the number of s+b and of b-only toys with q~ >= q~_obs (toys are not kept). */
export async function toyCounts(rows: readonly ToyRow[], kind: number, o: DispatchOptions): Promise<{ nsb: Uint32Array; nb: Uint32Array }> {
  const K = checkToys(o.toys);
  const nsb = new Uint32Array(rows.length), nb = new Uint32Array(rows.length);
  const qo = Float32Array.from(rows, (r) => r.qObs);
  await dispatch(rows, kind, o, (from, q) => {
    for (let i = 0; i < q.length / Q_WORDS; i++) {
      const w = Math.floor((from + i) / K);
      if (q[Q_WORDS * i + Q_SB] >= qo[w]) nsb[w]++;
      if (q[Q_WORDS * i + Q_B] >= qo[w]) nb[w]++;
    }
  });
  return { nsb, nb };
}

function checkToys(K: number): number {
  if (!Number.isInteger(K) || K < 1 || K > 1e9) throw new RangeError(`--toys: expected an integer in [1, 1e9], got ${K}`);
  return K;
}

/**
 * Dispatch options: `rowRanges` limits the work to these [first, end) rows (the others are left
 * at q = 0); a row keeps its index, so its toys are the same bits whichever rows run with it.
 */
type DispatchOptions = ToyOptions & { toy0?: number; stat?: number; rowRanges?: readonly (readonly [number, number])[] };

async function dispatch(rows: readonly ToyRow[], kind: number, o: DispatchOptions, take: (from: number, q: Float32Array) => void): Promise<void> {
  const K = o.toys, total = rows.length * K;
  if (total > 0xffffffff) throw new RangeError(`toys: ${rows.length} windows x ${K} toys exceeds 2^32 items`);
  const win = new Float32Array(rows.length * WIN_WORDS);
  rows.forEach((r, i) => {
    for (const [j, v] of [r.s, r.b, r.par, r.thSb, r.thB].entries()) {
      if (!Number.isFinite(v) || v < -1e30 || v > 1e30) throw new RangeError(`toys: row ${i} has a non-finite input (${j})`);
    }
    const at = i * WIN_WORDS;
    win[at + WIN_S] = r.s; win[at + WIN_B] = r.b; win[at + WIN_PAR] = r.par; win[at + WIN_THETA_SB] = r.thSb; win[at + WIN_THETA_B] = r.thB;
  });
  const k = toyKeys(o.seed);
  const params = { key_sb0: k.sb[0], key_sb1: k.sb[1], key_b0: k.b[0], key_b1: k.b[1], toys: K, toy0: o.toy0 ?? 0, kind, stat: o.stat ?? 0 };
  const chunk = Math.max(1, Math.floor(o.chunkItems ?? 1 << 20));
  for (const [r0, r1] of o.rowRanges ?? [[0, rows.length]]) {
    for (let from = r0 * K; from < r1 * K; from += chunk) {
      await checkpoint(o.signal);
      const count = Math.min(chunk, r1 * K - from);
      const out = await o.backend.run(toysKernel, { count, itemOffset: from, params, inputs: { win } });
      take(from, new Float32Array(out.q.buffer, out.q.byteOffset, out.q.length));
    }
  }
}

/** A hypothesis test from toys: the asymptotic one's fields (no Asimov q), its toys and their error. */
export interface ToyHypoTest extends Omit<HypoTest, 'qAsimov'> {
  readonly toys: number;
  readonly seed: number;
  /** Binomial standard error of CLs from the number of toys (delta method). */
  readonly clsError: number;
}

/** Standard error of CLs = p_sb / p_b from K independent toys of each (delta method). */
export function clsError(clsb: number, clb: number, K: number): number {
  if (clsb <= 0 || clb <= 0) return 1 / K;
  const cls = clsb / clb;
  return cls * Math.sqrt((1 - clsb) / (K * clsb) + (1 - clb) / (K * clb));
}

/** Expected CLs at the band points from the b-only toys: q at the Phi(N) quantile of q_b. */
function expectedFromToys(qsb: Float32Array, qb: Float32Array): [number, number, number, number, number] {
  const sb = Float32Array.from(qsb).sort(), b = Float32Array.from(qb).sort();
  const K = b.length;
  const frac = (arr: Float32Array, q: number) => {
    let lo = 0, hi = arr.length; // first index with arr[i] >= q
    while (lo < hi) { const mid = (lo + hi) >> 1; if (arr[mid] < q) lo = mid + 1; else hi = mid; }
    return (arr.length - lo) / arr.length;
  };
  return BAND_N.map((N) => {
    const idx = Math.min(K - 1, Math.max(0, Math.ceil(normCdf(N) * K) - 1));
    const qN = b[idx];
    const pb = frac(b, qN);
    return pb > 0 ? Math.min(1, frac(sb, qN) / pb) : 1;
  }) as [number, number, number, number, number];
}

/** CLs, CLs+b, CLb and the expected set at mu from toys (one window). */
export async function hypotestToys(model: CountingModel | Model, mu: number, o: ToyOptions): Promise<ToyHypoTest> {
  const m = 'kind' in model ? model : makeModel(model);
  const { row, kind } = toyRow(m, mu);
  const { qsb, qb } = await toyQ([row], kind, o);
  return hypotestFromToys(mu, row.qObs, qsb, qb, o.seed);
}

/** The hypothesis test from the q~ of K s+b and K b-only toys (also what merged toy shards give). */
export function hypotestFromToys(mu: number, qObs: number, qsb: Float32Array, qb: Float32Array, seed: number): ToyHypoTest {
  let nsb = 0, nb = 0;
  for (let i = 0; i < qsb.length; i++) {
    if (qsb[i] >= qObs) nsb++;
    if (qb[i] >= qObs) nb++;
  }
  const K = qsb.length, clsb = nsb / K, clb = nb / K;
  return { mu, cls: clb > 0 ? clsb / clb : 1, clsb, clb, expected: expectedFromToys(qsb, qb), qObs, toys: K, seed, clsError: clsError(clsb, clb, K) };
}

export interface ToyLimits {
  /** Per window: the observed CLs upper limit on mu (NaN where `failed` says why) and, with `expected`, the band. */
  readonly upper: Float64Array;
  readonly expected?: Float64Array[]; // 5 arrays: -2s, -1s, median, +1s, +2s
  /** Per window: why its limit could not be computed by toys (null where it was). */
  readonly failed: (string | null)[];
  readonly toys: number;
  readonly seed: number;
  readonly dispatches: number;
}

const EMPTY_ROW: ToyRow = { s: 0, b: 0, par: 0, thSb: 0, thB: 0, qObs: 0 };

/** [first, end) runs of consecutive indices where `keep` holds. */
function runsOf(n: number, keep: (i: number) => boolean): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (!keep(i)) continue;
    if (out.length && out[out.length - 1][1] === i) out[out.length - 1][1] = i + 1;
    else out.push([i, i + 1]);
  }
  return out;
}

/**
 * CLs upper limits from toys for many windows at once: bisection over mu, every step one batched
 * dispatch per background-uncertainty model for all windows (and, with `expected`, for the five
 * band targets as extra rows). The bracket starts at [0, 3 x the asymptotic +2 sigma limit] and
 * is widened if needed. A window toys cannot treat (Poisson means above 1e7, a signal-efficiency
 * uncertainty, CLs still above 1 - cl at the widest bracket) gets NaN and its reason in `failed`;
 * the other windows are unaffected (a window's toys depend only on (seed, its index, toy)).
 */
export async function upperLimitsToys(models: readonly (CountingModel | Model)[], cl: number, o: ToyOptions & { expected?: boolean; steps?: number; skip?: readonly boolean[] }): Promise<ToyLimits> {
  if (!(cl > 0 && cl < 1)) throw new RangeError(`cl must be in (0, 1), got ${cl}`);
  const ms = models.map((x, i) => ('kind' in x ? x : makeModel(x, `window ${i}`)));
  const alpha = 1 - cl, steps = o.steps ?? 24;
  const M = ms.length;
  const failed: (string | null)[] = new Array(M).fill(null);
  const kindOf = new Int32Array(M);
  ms.forEach((m, i) => {
    if (o.skip?.[i]) failed[i] = 'skipped';
    else try { kindOf[i] = toyRow(m, 0, `window ${i}`).kind; } catch (e) { failed[i] = (e as Error).message; }
  });
  const targets = o.expected ? 6 : 1; // 0: observed, 1..5: expected at BAND_N[t - 1]
  const lo = new Float64Array(M * targets), hi = new Float64Array(M * targets);
  // Host-side work between dispatches (asymptotic brackets, profiles, sorting toys) yields to a cancel every 50 ms.
  const tick = ticker(o.signal);
  for (const [i, m] of ms.entries()) {
    await tick();
    let h: number;
    try { h = 3 * upperLimitAsymptotic(m, cl).expected![4]; } catch { h = 3 * muScale(m); }
    h = Math.max(h, 1e-6);
    for (let t = 0; t < targets; t++) hi[i * targets + t] = h;
  }
  let dispatches = 0;
  const K = o.toys;
  // CLs - alpha for every (window, target) at the given mus: > 0 means not excluded (NaN: failed window).
  const deficit = (i: number, mu: number) => `window ${i}: CLs stays above ${+alpha.toPrecision(6)} up to mu = ${mu.toPrecision(3)} with ${K} toys: ` +
    'no background-only toy is as extreme as the observation (a large deficit?); use more toys or cls-asymptotic';
  const evalAt = async (mus: Float64Array, widening = false): Promise<Float64Array> => {
    const out = new Float64Array(mus.length).fill(NaN);
    const rows: ToyRow[] = new Array(M * targets).fill(EMPTY_ROW);
    for (let i = 0; i < M; i++) {
      if (failed[i]) continue;
      await tick();
      for (let t = 0; t < targets; t++) {
        const j = i * targets + t;
        try {
          rows[j] = toyRow(ms[i], mus[j], `window ${i}`).row;
        } catch (e) {
          // Widened past what toys can sample: CLs never fell below alpha on the way there.
          failed[i] = widening && lo[j] > 0 ? deficit(i, lo[j]) : (e as Error).message;
          break;
        }
      }
    }
    for (const kind of new Set(Array.from(kindOf).filter((_, i) => !failed[i]))) {
      const runs = runsOf(M, (i) => !failed[i] && kindOf[i] === kind).map(([a, b]) => [a * targets, b * targets] as [number, number]);
      if (!o.expected) {
        const { nsb, nb } = await toyCounts(rows, kind, { ...o, rowRanges: runs });
        dispatches++;
        for (const [a, b] of runs) for (let i = a; i < b; i++) out[i] = (nb[i] > 0 ? nsb[i] / nb[i] : 1) - alpha;
        continue;
      }
      // Blocks of rows whose toys fit in memory at once (2^22 per hypothesis), each row kept where it is.
      const per = Math.max(1, Math.floor((1 << 22) / K));
      for (const [a0, a1] of runs) for (let r0 = a0; r0 < a1; r0 += per) {
        const r1 = Math.min(a1, r0 + per);
        const { qsb, qb } = await toyQ(rows, kind, { ...o, rowRanges: [[r0, r1]] });
        dispatches++;
        for (let r = r0; r < r1; r++) {
          await tick();
          const t = r % targets;
          const a = qsb.subarray((r - r0) * K, (r - r0 + 1) * K), b = qb.subarray((r - r0) * K, (r - r0 + 1) * K);
          if (t === 0) {
            let nsb = 0, nb = 0;
            const q0 = rows[r].qObs;
            for (let j = 0; j < K; j++) { if (a[j] >= q0) nsb++; if (b[j] >= q0) nb++; }
            out[r] = (nb > 0 ? nsb / nb : 1) - alpha;
          } else {
            out[r] = expectedFromToys(a, b)[t - 1] - alpha;
          }
        }
      }
    }
    return out;
  };
  // Widen brackets where CLs(hi) is still above alpha.
  const WIDEN = 8;
  let open: Float64Array = new Float64Array(0);
  for (let it = 0; it <= WIDEN; it++) {
    open = await evalAt(hi, true);
    if (it === WIDEN || !open.some((v) => v > 0)) break;
    open.forEach((v, j) => { if (v > 0) { lo[j] = hi[j]; hi[j] *= 4; } });
  }
  open.forEach((v, j) => {
    const i = Math.floor(j / targets);
    if (v > 0 && !failed[i]) failed[i] = deficit(i, hi[j]);
  });
  for (let s = 0; s < steps; s++) {
    const mid = lo.map((x, j) => 0.5 * (x + hi[j]));
    const f = await evalAt(mid);
    f.forEach((v, j) => { if (v > 0) lo[j] = mid[j]; else hi[j] = mid[j]; });
  }
  const mu = lo.map((x, j) => (failed[Math.floor(j / targets)] ? NaN : 0.5 * (x + hi[j])));
  const upper = new Float64Array(M);
  for (let i = 0; i < M; i++) upper[i] = mu[i * targets];
  let expected: Float64Array[] | undefined;
  if (o.expected) {
    // Band order [-2s .. +2s] ascending: the -2s limit is the target N = +2 (BAND_N[0]).
    // Sorted per window: with discrete counts two band points can share a quantile of q_b and
    // then differ only by toy noise.
    const band = ms.map((_, i) => [0, 1, 2, 3, 4].map((k) => mu[i * targets + 1 + k]).sort((x, y) => x - y));
    expected = [0, 1, 2, 3, 4].map((k) => Float64Array.from(band, (v) => v[k]));
  }
  return { upper, expected, failed, toys: o.toys, seed: o.seed, dispatches };
}

/**
 * Discovery from b-only toys of q_0 (arXiv:1007.1727 eq. (12)): p0 = fraction of toys with
 * q_0 >= q_0,obs, Z = Phi^-1(1 - p0) (infinite when no toy reaches the observation).
 */
export async function discoveryToys(model: CountingModel | Model, o: ToyOptions): Promise<{ p0: number; z: number; q0: number; toys: number; seed: number }> {
  const m = 'kind' in model ? model : makeModel(model);
  const { row, kind } = toyRow(m, 0);
  const par = row.par;
  const qObs = q0F32(fr(m.n), fr(m.aux), fr(m.b), fr(par), kind);
  const { qb } = await toyQ([{ ...row, qObs }], kind, { ...o, stat: 1 });
  let above = 0;
  for (const q of qb) if (q >= qObs) above++;
  const p0 = above / o.toys;
  return { p0, z: p0 >= 1 ? -Infinity : -normQuantile(p0), q0: qObs, toys: o.toys, seed: o.seed };
}
