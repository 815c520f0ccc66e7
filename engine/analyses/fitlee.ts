// Look-elsewhere effect of the fit-model searches (issue 15): the global p-value of the fits'
// largest local significance. Background-only pseudo-experiments (the caller draws them as it drew
// the data) are histogrammed in every mass hypothesis' bins and all hypotheses of a batch of
// pseudo-experiments are refitted in one dispatch of the fit kernel (per hypothesis the free fit
// and the fit at mu = 0: q_0, local Z = sqrt(q_0), Cowan et al., EPJC 71 (2011) 1554, eqs. 12, 52).
// The global p is the fraction of pseudo-experiments whose largest local Z over the hypotheses
// reaches the observed one (Gross, Vitells, EPJC 70 (2010) 525, eq. 1; engine/stats/lee.ts
// globalFromExceeding). Every fit is a kernel item, so the result is the same on any backend,
// worker count and batch size.
import type { Backend } from '../../host/backend.js';
import { FitSession, testStatistic } from '../likelihood/infer.js';
import type { FitRequest, FitResult } from '../likelihood/fitrun.js';
import { checkpoint } from '../cancel.js';
import { normSf } from '../stats/special.js';
import { globalFromExceeding, type GlobalSignificance } from '../stats/lee.js';
import { EventRandom, poisson } from '../generate/rng.js';
import type { Key } from '../random.js';
import { hypothesisModels, Sorted, type FitModels } from './fit.js';

/** Fits per dispatch that the default batch of pseudo-experiments aims at (2 per hypothesis and pseudo-experiment). */
export const FIT_LEE_ITEMS_PER_BATCH = 8192;

export interface FitLeeOptions {
  /** Per hypothesis of the models: whether it counts (the fits used; others are counting windows). */
  readonly include: readonly boolean[];
  /** Observed local Z per hypothesis (the fits' sqrt(q_0), fit.ts fitHypotheses). */
  readonly observedZ: readonly number[];
  /** Scan-variable values of background-only pseudo-experiment i (i = 0 .. N - 1, asked in order). */
  readonly pseudoData: (i: number) => Promise<ArrayLike<number>> | ArrayLike<number>;
  readonly pseudoExperiments: number;
  /** Pseudo-experiments fitted per dispatch (default: about FIT_LEE_ITEMS_PER_BATCH fits); no effect on the result. */
  readonly batch?: number;
  readonly signal?: AbortSignal;
  readonly progress?: (s: string) => void;
}

/** The look-elsewhere result of the fits: as the counting windows' (lee.ts), per hypothesis instead of window. */
export interface FitGlobalSignificance extends Omit<GlobalSignificance, 'window' | 'seed'> {
  /** Index of the hypothesis with the observed largest local Z (maxLocalZ, pLocal) among the included ones. */
  readonly hypothesis: number;
  /** Largest local Z of each pseudo-experiment, in order. */
  readonly pseudoMaxZ: number[];
  readonly hypotheses: number;
  readonly fits: number;
  readonly unconverged: number;
}

/** Local Z = sqrt(q_0) from the free fit and the fit at mu = 0 (the definition fit.ts fitHypotheses uses, via infer.ts hypotests). */
function zOf(free: FitResult, cond: FitResult, poi: number): number {
  return Math.sqrt(Math.max(testStatistic('q0', 0, cond, free, poi), 0));
}

export async function fitGlobalSignificance(backend: Backend, m: FitModels, o: FitLeeOptions): Promise<FitGlobalSignificance> {
  const H = m.hypotheses.length;
  if (o.include.length !== H || o.observedZ.length !== H) throw new RangeError(`fitGlobalSignificance: ${H} hypotheses but ${o.include.length} include flags and ${o.observedZ.length} observed Z`);
  oneSpectrum(m);
  const N = o.pseudoExperiments;
  if (!Number.isInteger(N) || N < 1) throw new RangeError(`fit pseudo-experiments must be an integer >= 1, got ${N}`);
  const used = m.hypotheses.map((_, k) => k).filter((k) => o.include[k]);
  if (!used.length) throw new RangeError('fitGlobalSignificance: no hypothesis is fitted (all have too little background)');
  let zMax = -Infinity, best = -1;
  for (const k of used) if (o.observedZ[k] > zMax) (zMax = o.observedZ[k]), (best = k);
  const B = o.batch ?? Math.max(1, Math.floor(FIT_LEE_ITEMS_PER_BATCH / (2 * used.length)));
  if (!Number.isInteger(B) || B < 1) throw new RangeError(`fit look-elsewhere batch must be an integer >= 1, got ${B}`);
  const models = hypothesisModels(m, used);
  const session = new FitSession(backend, models, { signal: o.signal });
  const pseudoMaxZ: number[] = [];
  let exceeding = 0;
  for (let first = 0; first < N; first += B) {
    await checkpoint(o.signal);
    const last = Math.min(N, first + B);
    o.progress?.(`look-elsewhere (fits): pseudo-experiments ${first}-${last - 1} / ${N} (${(last - first) * used.length * 2} fits)`);
    const reqs: FitRequest[] = [];
    for (let i = first; i < last; i++) {
      // The pseudo-data in each hypothesis' bins (the same histogramming as the data, fit.ts Sorted), auxiliary data nominal as observed.
      const sorted = new Sorted(await o.pseudoData(i));
      used.forEach((k, j) => {
        const obs = models[j].observed, h = m.hypotheses[k];
        const block = Float64Array.from(obs);
        block.set(sorted.histogram(h.edges).sum, 0);
        reqs.push({ model: j, data: block }, { model: j, data: block, poi: 0 });
      });
    }
    const r = await session.run(reqs, 'look-elsewhere fits');
    for (let i = first, at = 0; i < last; i++) {
      let z = 0;
      for (let j = 0; j < used.length; j++, at += 2) z = Math.max(z, zOf(r[at], r[at + 1], models[j].poi));
      pseudoMaxZ.push(z);
      if (z >= zMax) exceeding++;
    }
  }
  const pLocal = normSf(zMax);
  return {
    maxLocalZ: zMax, hypothesis: best, pLocal, ...globalFromExceeding(exceeding, N, pLocal),
    pseudoExperiments: N, exceeding, pseudoMaxZ, hypotheses: used.length, fits: session.fits, unconverged: session.unconverged,
  };
}

/** A cell of the background model over the whole scan: [lo, hi) with `mean` expected events. */
export interface BackgroundCell {
  readonly lo: number;
  readonly hi: number;
  readonly mean: number;
}

/**
 * The fits' background-only model as one spectrum over the scanned range, to draw pseudo-data from
 * (a parametric bootstrap: toys from the background-only fit, Gross, Vitells, EPJC 70 (2010) 525,
 * sec. 4). Each hypothesis gives a curve in its bins (`curves[k]`, expected events per bin: its
 * background-only fit to the data, backgroundOnlyCurves; default its nominal background); at x the
 * spectrum is the average of the curves of every hypothesis whose range holds x, weighted by
 * 1 - |x - x_k| / half range (a smooth blend: the hypotheses' separate quadratics differ by a few
 * per cent where they overlap, and a step between them would look like a signal). Cells: the
 * intervals between all hypotheses' bin edges. Resampling the simulated events instead (the
 * counting windows' look-elsewhere) puts the simulation's own fluctuation into every bin, which
 * the smooth fitted background does not have (background-only largest local Z ~5 instead of ~3
 * for Z' -> mu mu); simulating every background again as the data are (search.ts fitPseudoData
 * 'simulation') is exact but costs the data's simulation each time.
 */
export function backgroundCells(m: FitModels, curves?: readonly (ArrayLike<number> | undefined)[]): BackgroundCell[] {
  oneSpectrum(m);
  const H = m.hypotheses;
  const edges = [...new Set(H.flatMap((h) => h.edges))].sort((a, b) => a - b);
  const cells: BackgroundCell[] = [];
  const byLo = H.map((_, k) => k).sort((a, b) => H[a].lo_GeV - H[b].lo_GeV || a - b);
  let first = 0;
  for (let e = 0; e + 1 < edges.length; e++) {
    const lo = edges[e], hi = edges[e + 1], x = (lo + hi) / 2;
    while (first < byLo.length && H[byLo[first]].hi_GeV <= lo) first++; // never needed again (edges ascend)
    let sw = 0, sf = 0;
    for (let r = first; r < byLo.length && H[byLo[r]].lo_GeV <= x; r++) {
      const k = byLo[r], h = H[k];
      if (!(x < h.hi_GeV)) continue;
      let j = 0;
      while (j + 1 < h.bins && x >= h.edges[j + 1]) j++;
      const w = 1 - Math.abs(x - h.x_GeV) / Math.max(h.x_GeV - h.lo_GeV, h.hi_GeV - h.x_GeV);
      const c = curves?.[k] ?? m.workspace.channels[k].samples[0].data;
      if (w > 0) (sw += w), (sf += (w * c[j]) / (h.edges[j + 1] - h.edges[j]));
    }
    if (sw > 0) cells.push({ lo, hi, mean: (sf / sw) * (hi - lo) });
  }
  return cells;
}

/**
 * Per hypothesis the background-only fit (mu = 0) to its observed data: expected events per bin
 * (the included hypotheses; others undefined), for backgroundCells. One batched dispatch.
 */
export async function backgroundOnlyCurves(backend: Backend, m: FitModels, include: readonly boolean[], signal?: AbortSignal): Promise<(Float64Array | undefined)[]> {
  const used = m.hypotheses.map((_, k) => k).filter((k) => include[k]);
  const models = hypothesisModels(m, used);
  const session = new FitSession(backend, models, { signal });
  const r = await session.run(models.map((mod, j) => ({ model: j, data: mod.observed, poi: 0 })), 'background-only fits');
  const out: (Float64Array | undefined)[] = m.hypotheses.map(() => undefined);
  used.forEach((k, j) => (out[k] = session.evaluators[j].asimov(r[j].theta).slice(0, m.hypotheses[k].bins)));
  return out;
}

/** Pseudo-data from the cells with key k: per cell n ~ Poisson(mean) events, uniform in the cell (Philox: event index = cell index). */
export function drawFromCells(cells: readonly BackgroundCell[], k: Key): Float64Array {
  const rng = new EventRandom(k);
  const out: number[] = [];
  cells.forEach((c, i) => {
    rng.start(i);
    const n = poisson(rng, c.mean);
    for (let j = 0; j < n; j++) out.push(rng.between(c.lo, c.hi));
  });
  return Float64Array.from(out);
}

/** The pseudo-data here are one spectrum: models whose hypotheses sit in several samples (FitHypothesis.channel) would need one per sample. */
function oneSpectrum(m: FitModels): void {
  const c = m.hypotheses.find((h) => h.channel !== undefined);
  if (c) throw new RangeError(`fit look-elsewhere: hypotheses in sample '${c.channel}': pseudo-data of several spectra (one per channel) are not supported`);
}
