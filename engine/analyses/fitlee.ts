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
import { compileModel } from '../likelihood/model.js';
import { FitSession, testStatistic } from '../likelihood/infer.js';
import type { FitRequest, FitResult } from '../likelihood/fitrun.js';
import { checkpoint } from '../cancel.js';
import { normSf } from '../stats/special.js';
import { globalFromExceeding } from '../stats/lee.js';
import { EventRandom, poisson } from '../generate/rng.js';
import type { Key } from '../random.js';
import { hypothesisWorkspace, Sorted, type FitModels } from './fit.js';

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

export interface FitGlobalSignificance {
  /** The observed largest local Z over the included hypotheses, its hypothesis and local p. */
  readonly maxLocalZ: number;
  readonly hypothesis: number;
  readonly pLocal: number;
  readonly pGlobal: number;
  /** Binomial standard error of pGlobal. */
  readonly pGlobalError: number;
  readonly zGlobal: number;
  readonly trialsFactor: number;
  readonly pseudoExperiments: number;
  readonly exceeding: number;
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
  const models = used.map((k) => compileModel(hypothesisWorkspace(m, k), { source: `hypothesis ${k}` }));
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
 * (a parametric bootstrap: toys from the background-only model, Gross, Vitells, EPJC 70 (2010) 525,
 * sec. 4): each hypothesis' nominal background (the quadratic through the simulation, per bin,
 * constant within a bin) holds from the midpoint to its neighbours' centres, within its fit range (a
 * range clipped at an MLP range edge hands over at that edge). Resampling the simulated events
 * instead (the counting windows' look-elsewhere) puts the simulation's own fluctuation into every
 * bin, which the smooth fitted background does not have (background-only largest local Z ~5
 * instead of ~3 for Z' -> mu mu); regenerating every background per pseudo-experiment as the data
 * are (search.ts fitPseudoData 'simulation') is exact but costs the data's simulation each time.
 */
export function backgroundCells(m: FitModels): BackgroundCell[] {
  oneSpectrum(m);
  const order = m.hypotheses.map((_, k) => k).sort((a, b) => m.hypotheses[a].x_GeV - m.hypotheses[b].x_GeV || a - b);
  const cells: BackgroundCell[] = [];
  order.forEach((k, r) => {
    const h = m.hypotheses[k], prev = r > 0 ? m.hypotheses[order[r - 1]] : undefined, next = r + 1 < order.length ? m.hypotheses[order[r + 1]] : undefined;
    const a = prev ? Math.max(h.lo_GeV, Math.min((prev.x_GeV + h.x_GeV) / 2, prev.hi_GeV)) : h.lo_GeV;
    const b = next ? Math.min(h.hi_GeV, Math.max((h.x_GeV + next.x_GeV) / 2, next.lo_GeV)) : h.hi_GeV;
    const nominal = m.workspace.channels[k].samples[0].data;
    for (let j = 0; j < h.bins; j++) {
      const lo = Math.max(a, h.edges[j]), hi = Math.min(b, h.edges[j + 1]);
      if (hi > lo) cells.push({ lo, hi, mean: (nominal[j] * (hi - lo)) / (h.edges[j + 1] - h.edges[j]) });
    }
  });
  return cells;
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
