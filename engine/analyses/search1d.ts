// The generic one-dimensional bump hunt shared by the 1D searches of the talk (Z' -> invisible,
// Z' -> mu mu, invisible dark photon, ALP -> gamma gamma; definitions in searches.ts): simulated
// backgrounds at a luminosity (weighted where capped) or events from files, a cut-based selection
// (plus any configured cuts), candidates in one variable, a window grid from the resolution
// (engine/windows.ts grid1D), the scan, 90% CL limits per window with expected bands, the
// look-elsewhere effect from background-only pseudo-experiments, and the translation of the
// cross-section limits into a coupling. Every random number derives from one seed.
import type { Backend } from '../../host/backend.js';
import type { ColumnTable } from '../io/columns.js';
import { countInWindows } from '../scan.js';
import { grid1D, type Resolution, type WindowGrid } from '../windows.js';
import { countKey, expectedEvents, generate, generateAtLuminosity, getProcess, poisson, EventRandom, FAMILY_COLUMNS, GENERATOR_VERSION, type EventSample, type Params } from '../generate/index.js';
import { foldIn, key, split, RANDOM_STREAM_VERSION } from '../random.js';
import { limitOne } from '../stats/windows.js';
import { globalSignificance } from '../stats/lee.js';
import { couplingLimit, type Coupling } from './couplings.js';
import { B_FLOOR, type LimitMethod, type SearchOptions, type WindowLimitFields } from './darkhiggs.js';
import { concatColumns, poissonResample, rows, sampleInfo, scanWithFloor, seedOf, selectRows, table, type Columns } from './samples.js';

export const SEARCH1D_NAMES = ['zprime-invisible', 'zprime-mumu', 'invisible-dark-photon', 'alp-gammagamma'] as const;
export type Search1DName = (typeof SEARCH1D_NAMES)[number];

/** The analysis's own random stream (engine/random.ts key(seed, stream)); the search's id is folded in. */
export const SEARCH1D_STREAM = 0x51d1;

type Cols = Readonly<Record<string, ArrayLike<number>>>;

export interface BackgroundSource {
  /** Generator process name, or the name of a custom sample. */
  readonly name: string;
  readonly params?: Params;
  readonly note?: string;
  /** Builds a custom sample at a luminosity (instead of generateAtLuminosity of `name`). */
  readonly build?: (o: { lumiFb: number; seed: number; maxEvents: number }) => EventSample;
}

/** An extra cut on an event column: min <= v (or |v|) <= max. */
export interface Cut {
  readonly column: string;
  readonly min?: number;
  readonly max?: number;
  readonly abs?: boolean;
}

export interface Search1D {
  readonly name: Search1DName;
  /** Stable id folded into the random key (never reuse). */
  readonly id: number;
  readonly title: string;
  /** HEPData reaction keyword and the limit's name. */
  readonly reaction: string;
  readonly limitName: string;
  readonly signal: { readonly process: string; readonly massParam: string; readonly params?: Params };
  /** Event columns that the selection and the candidates use (file inputs must provide them). */
  readonly eventColumns: readonly string[];
  readonly selection: Readonly<Record<string, string>>;
  select(c: Cols, n: number): Uint8Array;
  /** Candidates of selected events: scan-variable values and the row each came from (several per event allowed). */
  candidates(c: Cols, n: number): { x: Float32Array; from: Uint32Array };
  /** Scan variable (column of the candidate table), label for plots. */
  readonly variable: string;
  readonly variableLabel: string;
  readonly grid: { readonly min: number; readonly max: number; readonly sigma: Resolution; readonly sigmaDoc: string; readonly k?: number; readonly step?: number };
  /** Signal mass (GeV) of a scan-variable value, and the peak position of a mass. */
  massOf(x: number): number;
  peakOf(mGeV: number): number;
  readonly massName: string;
  /** Masses of the simulated signal efficiency map, GeV. */
  readonly signalMasses: readonly number[];
  readonly backgrounds: readonly BackgroundSource[];
  readonly defaultLumiFb: number;
  readonly lumiNote: string;
  /** The paper's confidence level and statistical method (defaults of a run). */
  readonly defaultCl: number;
  readonly defaultMethod: LimitMethod;
  readonly coupling: Coupling;
  readonly notes: readonly string[];
}

/** Events from a file (read by engine/io with the column mapping applied). */
export interface InputEvents {
  readonly table: ColumnTable;
  /** true: rows are already selected candidates (only the scan variable is needed); false: events, the selection is applied. */
  readonly selected: boolean;
  /** Column holding per-event weights (backgrounds; default: weight 1). */
  readonly weightColumn?: string;
}

export interface Search1DOptions extends SearchOptions {
  /** Signal added to the data: `events` produced signal events at `mass` (GeV), before any selection. */
  readonly inject?: { readonly mass: number; readonly events: number };
  readonly cuts?: readonly Cut[];
  readonly grid?: { readonly min?: number; readonly max?: number; readonly k?: number; readonly step?: number };
  readonly inputs?: { readonly data?: InputEvents; readonly backgrounds?: readonly InputEvents[] };
}

export interface Window1D extends WindowLimitFields {
  window: number;
  /** Window centre and half-width in the scan variable (GeV). */
  x_GeV: number;
  half_width_GeV: number;
  mass_GeV: number;
  coupling_up: number | null;
  coupling_up_expected: (number | null)[];
}

export interface Search1DResult {
  kind: 'darkscan-analysis';
  analysis: Search1DName;
  title: string;
  seed: number;
  stream_version: number;
  generator_version: number;
  lumi_fb: number;
  cl: number;
  method: LimitMethod;
  backend: Record<string, unknown>;
  variable: string;
  variable_label: string;
  mass_name: string;
  reaction: string;
  limit_name: string;
  samples: Record<string, unknown>;
  selection: Record<string, string>;
  extra_cuts: Cut[];
  grid: Record<string, unknown>;
  signal_efficiency_map: { mass_GeV: number; peak_GeV: number; window: number; efficiency: number }[];
  coupling: { name: string; symbol: string; units: string; power: number; formula: string; source: string; illustrative: boolean };
  injected: Record<string, unknown> | null;
  global: Record<string, unknown>;
  windows: Window1D[];
  timing_s: Record<string, number>;
  notes: string[];
}

/** The mask of `cuts` on columns `c` (every cut's column must exist). */
export function cutMask(c: Cols, n: number, cuts: readonly Cut[], where = 'cuts'): Uint8Array {
  const m = new Uint8Array(n).fill(1);
  cuts.forEach((cut, j) => {
    const col = c[cut.column];
    if (!col) throw new Error(`${where}[${j}].column: no column '${cut.column}' (have: ${Object.keys(c).join(', ')})`);
    const lo = cut.min ?? -Infinity, hi = cut.max ?? Infinity;
    for (let i = 0; i < n; i++) {
      const v = cut.abs ? Math.abs(col[i]) : col[i];
      if (!(v >= lo && v <= hi)) m[i] = 0;
    }
  });
  return m;
}

/** The window grid of a search (options override the definition's range, k and step). */
export function search1DGrid(def: Search1D, o: Search1DOptions['grid'] = {}): WindowGrid {
  return grid1D({
    name: def.name, variable: def.variable, min: o.min ?? def.grid.min, max: o.max ?? def.grid.max, sigma: def.grid.sigma,
    sigmaDoc: def.grid.sigmaDoc, k: o.k ?? def.grid.k ?? 2, step: o.step ?? def.grid.step ?? 2,
  });
}

/** Columns an event sample must have for this search (plus configured cut columns). */
export function requiredColumns(def: Search1D, cuts: readonly Cut[] = []): string[] {
  return [...new Set([...def.eventColumns, ...cuts.map((c) => c.column)])];
}

/** Event columns available from the generator for this search's family. */
export function availableColumns(def: Search1D): string[] {
  return ['weight', ...Object.keys(FAMILY_COLUMNS[getProcess(def.signal.process).family])];
}

function requireColumns(t: Cols, names: readonly string[], source: string) {
  const missing = names.filter((n) => !t[n]);
  if (missing.length) throw new Error(`${source}: missing column(s) ${missing.join(', ')} (have: ${Object.keys(t).join(', ') || 'none'}); map them with "columns" in the config`);
}

/**
 * generateAtLuminosity, also beyond the generator's 2^32 event indices (e.g. radiative Bhabhas at
 * 20 fb^-1): there only `cap` events are simulated anyway, each weighted N / cap with N ~ Poisson(sigma L)
 * drawn from the sample's own count key, as generateAtLuminosity does below that size.
 */
function atLuminosity(process: string, params: Params | undefined, lumiFb: number, seed: number, cap: number): EventSample {
  const mu = expectedEvents(process, lumiFb, params ?? {});
  if (mu < 2 ** 31) return generateAtLuminosity({ process, params, lumiFb, seed, maxEvents: cap });
  const N = poisson(new EventRandom(countKey(seed, getProcess(process))).start(0), mu);
  const s = generate({ process, params, events: cap, seed, weight: N / cap });
  return { ...s, lumiFb, meta: { ...s.meta, lumi_fb: lumiFb, expected_events: mu, poisson_events: N, oversampled: true, event_weight: N / cap } };
}

function interp(xs: readonly number[], ys: readonly number[], x: number): number {
  if (!xs.length) return 0;
  if (x <= xs[0]) return ys[0];
  if (x >= xs[xs.length - 1]) return ys[ys.length - 1];
  let i = 1;
  while (xs[i] < x) i++;
  const f = (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
  return ys[i - 1] + f * (ys[i] - ys[i - 1]);
}

export async function runSearch1D(backend: Backend, def: Search1D, o: Search1DOptions): Promise<Search1DResult> {
  const t0 = performance.now();
  const timing: Record<string, number> = {};
  const lap = (name: string, since: number) => (timing[name] = Math.round(performance.now() - since) / 1000);
  const progress = o.progress ?? (() => {});
  const check = () => o.signal?.throwIfAborted();
  const lumi = o.lumiFb ?? def.defaultLumiFb, cl = o.cl ?? def.defaultCl, method = o.method ?? def.defaultMethod;
  const nPE = o.pseudoExperiments ?? 100, cap = o.maxEventsPerBackground ?? 150_000, perPoint = o.signalEventsPerPoint ?? 2000;
  if (!(lumi > 0) || !Number.isFinite(lumi)) throw new RangeError(`luminosity must be > 0 fb^-1, got ${lumi}`);
  if (!(cl > 0 && cl < 1)) throw new RangeError(`cl must be in (0, 1), got ${cl}`);
  if (method !== 'cls-asymptotic' && method !== 'bayes') throw new RangeError(`method must be cls-asymptotic or bayes, got '${method}'`);
  for (const [v, name] of [[nPE, 'pseudo-experiments'], [cap, 'events per background'], [perPoint, 'signal events per point']] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
  }
  const cuts = o.cuts ?? [];
  const names = requiredColumns(def, cuts);
  const keep = [...names, 'weight'];
  const grid = search1DGrid(def, o.grid);
  const W = grid.cx.length;
  if (W === 0) throw new RangeError(`${def.name}: the window grid is empty`);
  const [kData, kMc, kSig, kInject, kPE] = split(foldIn(key(o.seed, SEARCH1D_STREAM), def.id), 5);
  const sigProc = getProcess(def.signal.process);

  /** Selected events of a generated sample (definition's selection and the extra cuts). */
  const selectSample = (c: Cols, n: number, source: string): Columns => {
    requireColumns(c, keep, source);
    const m = def.select(c, n), e = cutMask(c, n, cuts, 'selection.cuts');
    for (let i = 0; i < n; i++) m[i] &= e[i];
    return selectRows(c, m, keep);
  };
  /** Candidate table: the scan variable and the weight of the event each came from. */
  const candidates = (ev: Columns, weighted: boolean): Columns => {
    const n = rows(ev);
    const { x, from } = def.candidates(ev, n);
    const out: Columns = { [def.variable]: x };
    if (weighted) out.weight = Float32Array.from(from, (i) => ev.weight[i]);
    return out;
  };
  const fromFile = (inp: InputEvents, what: string): { events?: Columns; cands?: Columns } => {
    const c = inp.table.columns, n = inp.table.length;
    if (inp.selected) {
      requireColumns(c, [def.variable], inp.table.source);
      const w = inp.weightColumn ? c[inp.weightColumn] : undefined;
      if (inp.weightColumn && !w) throw new Error(`${inp.table.source}: weight column '${inp.weightColumn}' not found`);
      return { cands: { [def.variable]: Float32Array.from(c[def.variable]), weight: w ? Float32Array.from(w) : new Float32Array(n).fill(1) } };
    }
    const withW: Record<string, ArrayLike<number>> = { ...c };
    if (inp.weightColumn) {
      if (!c[inp.weightColumn]) throw new Error(`${inp.table.source}: weight column '${inp.weightColumn}' not found`);
      withW.weight = c[inp.weightColumn];
    } else withW.weight = new Float32Array(n).fill(1);
    for (const [j, col] of Object.entries(withW)) {
      for (let i = 0; i < n; i++) if (!Number.isFinite(col[i])) throw new Error(`${inp.table.source}: ${what} row ${i}, column '${j}' is not a finite number (${col[i]})`);
    }
    return { events: selectSample(withW, n, inp.table.source) };
  };
  const samples: Record<string, unknown> = { background: [] };

  // 1. Backgrounds: simulated at the luminosity (weighted where capped), or from files.
  let t = performance.now();
  const bgEventParts: Columns[] = [], bgCandFromFiles: Columns[] = [];
  if (o.inputs?.backgrounds?.length) {
    for (const inp of o.inputs.backgrounds) {
      const r = fromFile(inp, 'background');
      if (r.events) bgEventParts.push(r.events);
      else bgCandFromFiles.push(r.cands!);
      (samples.background as unknown[]).push({ file: inp.table.source, rows: inp.table.length, selected: r.events ? rows(r.events) : rows(r.cands!), as: inp.selected ? 'candidates' : 'events' });
    }
  } else {
    for (const [i, bg] of def.backgrounds.entries()) {
      check();
      progress(`simulating ${bg.name} at ${lumi} fb^-1`);
      const seed = seedOf(foldIn(kMc, i));
      const s = bg.build ? bg.build({ lumiFb: lumi, seed, maxEvents: cap }) : atLuminosity(bg.name, bg.params, lumi, seed, cap);
      const c = selectSample(s.columns, s.length, bg.name);
      bgEventParts.push(c);
      (samples.background as unknown[]).push({ ...sampleInfo(s, rows(c)), note: bg.note });
    }
  }
  const bgEvents = bgEventParts.length ? concatColumns(bgEventParts, keep) : selectRows({}, new Uint8Array(0), []);
  const bgCands = concatColumns([...(bgEventParts.length ? [candidates(bgEvents, true)] : []), ...bgCandFromFiles], [def.variable, 'weight']);
  lap('backgrounds', t);

  // 2. Data: from a file, or one background-only pseudo-experiment of the background events
  // (event i appears k ~ Poisson(w_i) times, keyed by the seed; candidates follow their event).
  t = performance.now();
  const dataParts: Columns[] = [];
  let dataSource: Record<string, unknown>;
  if (o.inputs?.data) {
    const r = fromFile(o.inputs.data, 'data');
    dataParts.push(r.events ? candidates(r.events, false) : { [def.variable]: r.cands![def.variable] });
    dataSource = { file: o.inputs.data.table.source, rows: o.inputs.data.table.length, as: o.inputs.data.selected ? 'candidates' : 'events' };
  } else {
    if (bgCandFromFiles.length && !bgEventParts.length) throw new Error('data: background files given as selected candidates cannot be resampled into pseudo-data; give a data file or background events');
    if (bgCandFromFiles.length) throw new Error('data: mixing candidate-level background files with pseudo-data is not supported; give a data file');
    dataParts.push(candidates(poissonResample(bgEvents, bgEvents.weight ?? new Float32Array(0), kData, keep), false));
    dataSource = { pseudo_data: 'background-only pseudo-experiment of the background events (Poisson-resampled weights)', key_stream: SEARCH1D_STREAM };
  }
  let injected: Record<string, unknown> | null = null;
  if (o.inject) {
    const { mass, events } = o.inject;
    const s = generate({ process: def.signal.process, params: { ...def.signal.params, [def.signal.massParam]: mass }, events, seed: seedOf(kInject) });
    const sel = selectSample(s.columns, s.length, `injected ${def.signal.process}`);
    const cands = candidates(sel, false);
    dataParts.push(cands);
    injected = { process: def.signal.process, mass_GeV: mass, produced: events, accepted: s.length, selected_events: rows(sel), candidates: rows(cands), seed: s.seed, peak_GeV: def.peakOf(mass) };
  }
  const data = concatColumns(dataParts, [def.variable]);
  lap('data', t);

  // 3. Signal efficiency map: selection x containment (events with a candidate in the window
  // nearest the expected peak), at each simulated mass; interpolated linearly in between.
  t = performance.now();
  progress(`signal efficiency map (${def.signalMasses.length} masses)`);
  const effMap: Search1DResult['signal_efficiency_map'] = [];
  for (const [j, m] of def.signalMasses.entries()) {
    check();
    const peak = def.peakOf(m);
    let w = -1, bd = Infinity;
    for (let i = 0; i < W; i++) {
      const d = Math.abs(grid.cx[i] - peak) / grid.ax[i];
      if (d < bd) (bd = d), (w = i);
    }
    if (bd > 1) continue; // the peak is outside the scanned range
    const s = generate({ process: def.signal.process, params: { ...def.signal.params, [def.signal.massParam]: m }, events: perPoint, seed: seedOf(foldIn(kSig, j)) });
    const sel = selectSample(s.columns, s.length, def.signal.process);
    const { x, from } = def.candidates(sel, rows(sel));
    const hit = new Uint8Array(rows(sel));
    for (let i = 0; i < x.length; i++) if (Math.abs(x[i] - grid.cx[w]) <= grid.ax[w]) hit[from[i]] = 1;
    const inside = hit.reduce((a, v) => a + v, 0);
    effMap.push({ mass_GeV: m, peak_GeV: peak, window: w, efficiency: perPoint ? inside / perPoint : 0 });
  }
  effMap.sort((a, b) => a.peak_GeV - b.peak_GeV);
  lap('signal_map', t);

  // 4. The scan.
  t = performance.now();
  progress(`scanning ${W} windows`);
  const { res, bEff, zLocal, pLocal } = await scanWithFloor(backend, grid, data, bgCands, o.signal);
  lap('scan', t);

  // 5. Limits per window, in events, cross section and coupling.
  t = performance.now();
  const windows: Window1D[] = [];
  const methodCounts: Record<string, number> = {};
  const px = effMap.map((e) => e.peak_GeV), py = effMap.map((e) => e.efficiency);
  for (let w = 0; w < W; w++) {
    if (w % 200 === 0) check();
    const n = res.data.n[w], b = bEff[w], sb = res.sigmaB![w];
    let lim: ReturnType<typeof limitOne>;
    try {
      lim = limitOne({ n, b, sigmaB: sb, uncertainty: sb > 0 ? 'gauss' : 'none' }, method, cl);
    } catch (e) {
      throw new Error(`limits: window ${w} (${def.variable} ${grid.cx[w].toFixed(4)} GeV; n = ${n}, b = ${b}, sigma_b = ${sb}): ${(e as Error).message}`);
    }
    methodCounts[`${lim.used}: ${lim.reason}`] = (methodCounts[`${lim.used}: ${lim.reason}`] ?? 0) + 1;
    const mass = def.massOf(grid.cx[w]);
    const eff = interp(px, py, grid.cx[w]);
    const toSigma = (s: number) => (eff > 0 ? s / (eff * lumi) : null);
    const sUp = toSigma(lim.up), sExp = lim.exp.map(toSigma);
    windows.push({
      window: w, x_GeV: grid.cx[w], half_width_GeV: grid.ax[w], mass_GeV: mass, n, b: res.b![w], sigma_b: sb, p_local: pLocal[w], z_local: zLocal[w],
      signal_efficiency: eff, limit_method: lim.used, limit_method_reason: lim.reason, s_up: lim.up, s_up_expected: lim.exp, sigma_up_fb: sUp, sigma_up_expected_fb: sExp,
      coupling_up: couplingLimit(def.coupling, mass, sUp), coupling_up_expected: sExp.map((s) => couplingLimit(def.coupling, mass, s)),
    });
  }
  lap('limits', t);

  // 6. Look-elsewhere (engine/stats/lee.ts): background-only pseudo-experiments drawn like the
  // data (Poisson-resampled background events, candidates rebuilt), each rescanned.
  t = performance.now();
  const canResample = bgEventParts.length > 0 && !bgCandFromFiles.length;
  const nDone = canResample ? nPE : 0;
  const g = nDone === 0 ? null : await globalSignificance(res.data.n, bEff, res.sigmaB!, async (k) => {
    check();
    if (k % 10 === 0) progress(`look-elsewhere: pseudo-experiment ${k} / ${nPE}`);
    const pe = candidates(poissonResample(bgEvents, bgEvents.weight, foldIn(kPE, k), keep), false);
    return (await countInWindows(backend, grid, table(pe), {}, o.signal)).n;
  }, { pseudoExperiments: nDone, seed: o.seed });
  let best = 0;
  for (let w = 1; w < W; w++) if (zLocal[w] > zLocal[best]) best = w;
  if (g) best = g.window; // the same maximum; ties broken by the smaller local p
  lap('look_elsewhere', t);
  timing.total = Math.round(performance.now() - t0) / 1000;

  const c = def.coupling;
  return {
    kind: 'darkscan-analysis',
    analysis: def.name,
    title: def.title,
    seed: o.seed,
    stream_version: RANDOM_STREAM_VERSION,
    generator_version: GENERATOR_VERSION,
    lumi_fb: lumi,
    cl,
    method,
    backend: { name: backend.name, ...backend.info().details },
    variable: def.variable,
    variable_label: def.variableLabel,
    mass_name: def.massName,
    reaction: def.reaction,
    limit_name: def.limitName,
    samples: {
      ...samples, data: dataSource, data_candidates: rows(data), background_candidates: rows(bgCands),
      signal: { process: def.signal.process, events_per_mass: perPoint, sigma_source: sigProc.sigmaSource },
    },
    selection: { ...def.selection },
    extra_cuts: [...cuts],
    grid: { name: grid.name, windows: W, variables: grid.variables, ...grid.params },
    signal_efficiency_map: effMap,
    coupling: { name: c.name, symbol: c.symbol, units: c.units, power: c.power, formula: c.formula, source: c.source, illustrative: c.illustrative },
    injected,
    global: {
      max_z_local: zLocal[best], window: best, x_GeV: grid.cx[best], mass_GeV: def.massOf(grid.cx[best]), p_local: pLocal[best], pseudo_experiments: nDone,
      exceeding: g?.exceeding ?? null, p_global: g?.pGlobal ?? null, p_global_error: g?.pGlobalError ?? null, z_global: g?.zGlobal ?? null, trials_factor: g?.trialsFactor ?? null,
      method: canResample
        ? 'background-only pseudo-data (Poisson-resampled background events, candidates rebuilt), every window rescanned; p = (exceeding + 1) / (N + 1)'
        : 'not computed: background given as candidates cannot be resampled event by event',
    },
    windows,
    timing_s: timing,
    notes: [
      ...def.notes,
      def.lumiNote,
      `Coupling ${c.symbol}: ${c.formula} (${c.illustrative ? 'ILLUSTRATIVE: ' : ''}${c.source}).`,
      `Windows with less simulated background than ${B_FLOOR} events use b = ${B_FLOOR} (local Z and limits).`,
      `Limit methods (windows): ${Object.entries(methodCounts).map(([k, v]) => `${v} ${k}`).join('; ')} (limit_method, limit_method_reason per window).`,
      'Signal efficiency of a window: selection x containment of the simulated signal in the window nearest its peak, interpolated linearly between simulated masses.',
      'Observed counts are candidates (an event may give several, e.g. the four mu+ mu- pairs of a 4-muon event); windows are narrow, so an event rarely gives two in one window.',
    ],
  };
}
