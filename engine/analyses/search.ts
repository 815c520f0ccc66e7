// The one search pipeline: every search of the talk (definitions in searches.ts: the dark
// Higgsstrahlung 2D scan and the 1D bump hunts) runs through runSearch. Stages: simulated
// backgrounds at a luminosity (weighted where capped) or events from files; the definition's
// selection plus any configured cuts; an MLP trained on the spot where the definition has one;
// candidates in the scan variable(s); the window grid; pseudo-data (or data from a file) plus any
// injected signal; the signal efficiency map, interpolated between simulated masses; the scan; per
// window limits with the method recorded and why (engine/stats/windows.ts limitOne, batched: limitsBatch); the
// look-elsewhere effect from background-only pseudo-experiments; the cross-section limits turned
// into the definition's coupling. Every random number derives from one seed. The stages run in the
// order MLP, signal map, backgrounds, data, scan, limits, look-elsewhere; with a generator pool
// (host/generate-pool.ts) every sample is requested at the start, so that the MLP trains while the
// workers generate (samples are keyed by seed and event index: the same numbers in any order).
// The long-lived-particle searches (searches-llp.ts: B -> K S, iDM + dark Higgs) are definitions of
// the cell model (model 'cells', cells.ts): efficiencies per (point, channel, lifetime) cell from one
// llp_sweep dispatch, counts per window; the same option checks, per-window limits from the one
// table of methods with the method and reason recorded, provenance fields and report writer.
import type { Backend } from '../../host/backend.js';
import type { ColumnTable } from '../io/columns.js';
import { ANALYSES, type AnalysisName } from '../config.js';
import { countInWindows } from '../scan.js';
import type { WindowGrid } from '../windows.js';
import { countKey, expectedEvents, generateAtLuminosityChunked, generateAtLuminosityOn, generateOn, getProcess, poisson, EventRandom, FAMILY_COLUMNS, GENERATOR_VERSION, type EventSample, type GenKernelName, type Params, type ParallelGenerator } from '../generate/index.js';
import { GeneratorPool } from '../../host/generate-pool.js';
import { DARKSCAN_VERSION } from '../version.js';
import { foldIn, key, split, RANDOM_STREAM_VERSION, type Key } from '../random.js';
import { trainMlps, type MlpSpec } from './mlp.js';
import { BAYES_KERNEL_HOW, limitsBatch, PIPELINE_LIMIT_METHODS, type OneLimit, type PipelineLimitMethod } from '../stats/windows.js';
import { globalSignificance, globalSignificanceOf } from '../stats/lee.js';
import { localSignificance } from '../stats/pvalue.js';
import { backgroundCells, backgroundOnlyCurves, drawFromCells, fitGlobalSignificance, type FitGlobalSignificance } from './fitlee.js';
import { checkpoint } from '../cancel.js';
import { couplingLimitsAt, type Coupling } from './couplings.js';
import { buildFitModels, fitHypotheses, fitRange, fitSigma, FIT_MIN_B, type FitModels, type FitSpec } from './fit.js';
import { B_FLOOR, concatColumns, poissonResample, rows, sampleInfo, scanWithFloor, seedOf, selectRows, splitSample, table, type Columns } from './samples.js';
import { cellLimits, type CellLimits, type CellProblem } from './cells.js';
import { nearestWeights, someWindowReaches, swapLabels, windowSigmaB } from './pseudo.js';
import type { LimitMethod as CellLimitMethod } from '../llp/limits.js';

export type LimitMethod = PipelineLimitMethod;
export { B_FLOOR };

/**
 * Pseudo-data of their own (an independent unweighted sample, its own random stream) for every
 * background (stratum) whose generation costs at most this many seconds of one WASM worker
 * (pseudoDataCost: events at the luminosity x GEN_US_PER_EVENT); the others fall back to the
 * estimate's events (resampled, or split with splitPseudoData) and say why. 2 s takes ~1 M
 * events of the fast kernels: Z' -> invisible's mu mu gap stratum (0.8 M at 79.7 fb^-1), not the
 * A'h' demo's other mu mu stratum (1.7 M events, ~3.5 s, of which no event passes the MLP).
 */
export const PSEUDO_DATA_MAX_S = 2;
/**
 * The same for fit-model searches: a fit compares the data bin by bin with a smooth background,
 * so data resampled from weighted simulation (~w copies of each event) would look like structure.
 */
export const FIT_PSEUDO_DATA_MAX_S = 5;
/**
 * Generation cost per generated event, microseconds on one WASM worker (bench/pseudodata-cost.ts,
 * load ~1.6, session 7: the slowest process of each kernel, rounded up; a skimmed stratum costs
 * less, so this over-estimates it); 'host': a process without a kernel (the f64 host generator; none since
 * eemumu_4trk moved to gen_eemumu, whose fourtrack mode runs at about gen_eemumu's price).
 */
export const GEN_US_PER_EVENT: Readonly<Record<GenKernelName | 'host', number>> = {
  gen_dimuon: 2, gen_tautau: 2.1, gen_eemumu: 4.4, gen_fourtrack: 4.6, gen_fourmuon: 3.5, gen_photons: 2.1, gen_bdecay: 3.1, host: 33,
};
/** Events per chunk of an independent pseudo-data sample: generated, selected, dropped (four chunks in flight, ~100 bytes per generated event each: the demo's samples are queued on the generator pool nearly whole at the start, as before). */
export const PSEUDO_DATA_CHUNK_EVENTS = 1 << 16;

/** Fit-model searches: default number of pseudo-experiments refitted for the fits' global significance (cost: README, fitlee.ts). */
export const FIT_PSEUDO_EXPERIMENTS = 100;
/** Folded into a pseudo-experiment's key for the fits' pseudo-data (apart from the counting windows' resampling). */
const FIT_PE_TAG = 0xf17;

/**
 * Backgrounds over the pseudo-data budget (PSEUDO_DATA_MAX_S) are simulated once, weighted, and split
 * event by event: this fraction makes the background estimate (weights x 1 / f), the rest the
 * pseudo-data (weights x 1 / (1 - f), Poisson-resampled), so n and b share no simulated event.
 * f = 1/2 minimises var(n - b) = b + sum w^2 (1 / f + 1 / (1 - f)) for events of weight w, and
 * x 2 is exact in f32.
 */
export const SPLIT_ESTIMATE_FRACTION = 0.5;
/** Folded into the data key (then the background's index) for the estimate / pseudo-data split. */
const SPLIT_TAG = 0x5b17;
/** Folded into a pseudo-experiment's key (then the background part's index) for the reassignment of pooled estimate and data events. */
const SWAP_TAG = 0x5a9;

/** The pipeline's random stream (engine/random.ts key(seed, stream)); the search's id is folded in. */
export const SEARCH_STREAM = 0x51d1;

type Cols = Readonly<Record<string, ArrayLike<number>>>;

export interface BackgroundSource {
  /** Generator process name (engine/generate). */
  readonly name: string;
  readonly params?: Params;
  readonly note?: string;
  /**
   * Stratified simulation: the background is the union of these disjoint regions of the
   * generator's phase space (params over `params`; e.g. mu mu by its ISR photons' CM angle, searches.ts),
   * each simulated at the luminosity with its own cross section, cap and weight, and each with
   * pseudo-data of its own, so a stratum where the selection keeps events gets the simulation it
   * needs. Their cross sections add up to the unstratified one. The MLP trains on `params`.
   */
  readonly strata?: readonly BackgroundStratum[];
  /** Generation cost per event (us, one WASM worker) where it differs from its generator's GEN_US_PER_EVENT (a skim, a rejection-heavy region): prices its pseudo-data (pseudoDataCost). */
  readonly usPerEvent?: number;
  /**
   * Why the selection can keep none of this background's (stratum's) events, proven from its
   * generator (and checked by a test on a large sample; a corner measured rather than proven is
   * named in the reason, searches.ts OUTSIDE_RZ_CANNOT_PASS): it is still simulated (weighted, capped),
   * and a selected event is an error; its pseudo-data are empty, not a resampling of the estimate
   * (samples.data.backgrounds[].made_from 'none: cannot pass the selection'), and
   * background_composition records it as 0 with this reason (cannot_pass), not with a 90% CL bound.
   */
  readonly cannotPass?: string;
}

export interface BackgroundStratum {
  readonly label: string;
  readonly params: Params;
  /** At most this fraction of the events per background (maxEventsPerBackground) are simulated in this stratum (default 1). */
  readonly capFraction?: number;
  /** As BackgroundSource.usPerEvent, for this stratum (default: the background's). */
  readonly usPerEvent?: number;
  /** As BackgroundSource.cannotPass, for this stratum (default: the background's). */
  readonly cannotPass?: string;
}

/** An extra cut on an event column: min <= v (or |v|) <= max. */
export interface Cut {
  readonly column: string;
  readonly min?: number;
  readonly max?: number;
  readonly abs?: boolean;
}

/** Per-window coordinates as they appear in results (1D: x_GeV, half_width_GeV, mass_GeV; the 2D search: M_mumu, M_recoil). */
export interface WindowCoordinates {
  x_GeV?: number;
  half_width_GeV?: number;
  mass_GeV?: number;
  m_mumu_GeV?: number;
  m_recoil_GeV?: number;
  semi_axis_m_mumu_GeV?: number;
  semi_axis_m_recoil_GeV?: number;
}

/** One search as data: what the pipeline needs to run it, with the paper it follows. */
export interface SearchDefinition {
  readonly name: SearchName;
  /** Stable id folded into the random key (never reuse). */
  readonly id: number;
  readonly title: string;
  /** HEPData reaction keyword and the limit's name. */
  readonly reaction: string;
  readonly limitName: string;
  /** The paper's luminosity, confidence level and method: the defaults of a run. */
  readonly paper: { readonly lumiFb: number; readonly cl: number; readonly method: LimitMethod; readonly source: string };
  /**
   * Signal process; massParams name its mass parameters, one per scanned mass. generatedFraction:
   * the fraction of the searched final state that the process generates (e.g. both taus 1-prong),
   * multiplied into the efficiencies so that limits are on the full sigma x B (default 1).
   */
  readonly signal: { readonly process: string; readonly massParams: readonly string[]; readonly params?: Params; readonly generatedFraction?: number };
  /**
   * How the limits are set: 'window' counts events in each window of the grid; 'fit' fits a binned
   * model of the scan variable around each window centre (engine/analyses/fit.ts, `fit`).
   */
  readonly model: 'window' | 'fit';
  readonly fit?: FitSpec;
  /** Event columns that the selection, the MLP and the candidates use (file inputs must provide them). */
  readonly eventColumns: readonly string[];
  readonly selection: Readonly<Record<string, string>>;
  select(c: Cols, n: number): Uint8Array;
  /** An MLP trained on the spot on signal (all map points pooled) against the backgrounds, cut to keep keepSignal of the training signal. */
  readonly mlp?: MlpSpec;
  /** Candidates of selected events: one array per scan variable, and the event each came from (several per event allowed). */
  candidates(c: Cols, n: number): { coords: Float32Array[]; from: Uint32Array };
  /** Scan variables (columns of the candidate table) and their plot labels. */
  readonly variables: readonly string[];
  readonly variableLabels: readonly string[];
  /** The window grid (options: range, k and step overrides). */
  grid(o?: GridOverrides): WindowGrid;
  /** Signal masses of a window (GeV, one per massParam), and the expected peak (scan coordinates) of signal masses. */
  massesOf(grid: WindowGrid, w: number): number[];
  peakOf(masses: readonly number[]): number[];
  readonly massNames: readonly string[];
  /** How a window is named in results. */
  windowFields(grid: WindowGrid, w: number): WindowCoordinates;
  /** Masses of the simulated signal efficiency map (GeV, one tuple per point). */
  readonly signalPoints: readonly (readonly number[])[];
  readonly signalEventsPerPoint: number;
  readonly backgrounds: readonly BackgroundSource[];
  /** Cross section at unit coupling as a function of the masses; limit = (sigma_UL / sigma(1))^(1/power). */
  readonly coupling: Coupling;
  /** A branching-fraction limit beside the cross section (B = sigma / fbPerUnit), e.g. B(B+ -> K+ a) x B(a -> gamma gamma). */
  readonly branchingFraction?: { readonly name: string; readonly symbol: string; readonly fbPerUnit: number; readonly source: string };
  readonly notes: readonly string[];
}

/** The cell-model searches (searches-llp.ts): their own config schemas (llp-b.ts, idm.ts). */
export const CELL_SEARCH_NAMES = ['b-kplus-llp', 'b-kstar0-llp', 'idm-darkhiggs'] as const;
export type CellSearchName = (typeof CELL_SEARCH_NAMES)[number];

/**
 * A search of the cell model (cells.ts) as data: efficiencies per (point, channel, lifetime) from
 * one llp_sweep dispatch, counts per window with sideband backgrounds; the pipeline checks the
 * options, sets the limits (per window by a method of the one table, the definition's methods) and
 * the combination, and writes the result and report.
 */
export interface CellSearchDefinition<S = unknown, X = unknown> {
  readonly name: CellSearchName;
  readonly title: string;
  readonly model: 'cells';
  /** results.json's kind ('llp': `darkscan merge` joins the shards of `darkscan llp`). */
  readonly kind: string;
  /** The report (render.ts): limits against the mass, a HEPData table per lifetime ('lifetime'); the (m_h', sin theta) plane per parameter set ('plane'). */
  readonly report: 'lifetime' | 'plane';
  /** The paper's luminosity, confidence level and method: the defaults of a run. */
  readonly paper: { readonly lumiFb: number; readonly cl: number; readonly method: CellLimitMethod; readonly source: string };
  /** The methods of the one table (engine/stats/windows.ts LIMIT_METHODS) a window's limit may take. */
  readonly methods: readonly CellLimitMethod[];
  /** Inputs (settings: the config's or the command's) to the cell problem. */
  cells(backend: Backend, settings: S, ctx: CellContext): Promise<CellProblem<X>>;
  /** The result's search-specific fields (optional `notes` are appended to the run's). */
  describe(p: CellProblem<X>, lim: CellLimits, settings: S, ctx: CellContext): Record<string, unknown>;
  readonly notes: readonly string[];
}

/** What a cell definition's stages get from the pipeline: the checked options. */
export interface CellContext {
  readonly seed: number;
  readonly cl: number;
  readonly method: CellLimitMethod;
  readonly lumiFb: number;
  readonly signal?: AbortSignal;
  readonly progress: (s: string) => void;
  /** The fit model: receives the pyhf background-only workspace and patchset that were fitted (--export-pyhf). */
  readonly onFitModels?: (m: FitModels) => void;
}

export interface CellSearchOptions<S> {
  readonly seed: number;
  /** Luminosity, fb^-1 (default: the paper's). */
  readonly lumiFb?: number;
  readonly cl?: number;
  readonly method?: CellLimitMethod;
  /** The search's own settings (grids, inputs, sample sizes). */
  readonly settings: S;
  /** The paper as the config states it (default: the definition's). */
  readonly paper?: string;
  readonly progress?: (s: string) => void;
  readonly signal?: AbortSignal;
  readonly onFitModels?: (m: FitModels) => void;
}

/** A cell-model result: the provenance fields, cl, method, backend, the definition's fields, timing and notes. */
export type CellSearchResult = Record<string, unknown> & {
  kind: string; analysis: CellSearchName; title: string; paper: string; seed: number; darkscan_version: string;
  cl: number; method: string; backend: Record<string, unknown>; report: CellSearchDefinition['report']; timing_s: Record<string, number>; notes: string[];
};

/** The searches (one definition each in searches.ts): the config's analysis names. */
export const SEARCH_NAMES = ANALYSES;
export type SearchName = AnalysisName;

export interface GridOverrides {
  readonly min?: number;
  readonly max?: number;
  readonly k?: number;
  readonly step?: number;
}

/** Events from a file (read by engine/io with the column mapping applied). */
export interface InputEvents {
  readonly table: ColumnTable;
  /** true: rows are already selected candidates (only the scan variables are needed); false: events, the selection is applied. */
  readonly selected: boolean;
  /** Column holding per-event weights (backgrounds; default: weight 1). */
  readonly weightColumn?: string;
  /** Where the input was configured (e.g. config.inputs.backgrounds[1]): named in errors beside the file. */
  readonly where?: string;
}

export interface SearchOptions {
  readonly seed: number;
  /** Integrated luminosity, fb^-1 (default: the paper's). */
  readonly lumiFb?: number;
  /** Confidence level of the limits (default: the paper's). */
  readonly cl?: number;
  readonly method?: LimitMethod;
  /** Background-only pseudo-experiments for the global significance (default 100). */
  readonly pseudoExperiments?: number;
  /**
   * Backgrounds (strata) over the pseudo-data budget (PSEUDO_DATA_MAX_S): split the weighted simulated
   * sample into estimate and pseudo-data halves (SPLIT_ESTIMATE_FRACTION), so n and b share no event.
   * Default false: their pseudo-data are a Poisson resampling of the estimate's own events (n and b
   * correlated), because each split data event is ~2w copies at one point, which inflates the local
   * Z (the demo's tau tau, w = 4: background-only max local Z 5.5-6.7; README, "pseudo-data").
   */
  readonly splitPseudoData?: boolean;
  /**
   * The pseudo-data budget: backgrounds (strata) whose independent sample costs at most this many
   * seconds of generation (pseudoDataCost) get one (default PSEUDO_DATA_MAX_S, FIT_PSEUDO_DATA_MAX_S
   * for fit-model searches; Infinity: all, 0: none).
   */
  readonly pseudoDataMaxSeconds?: number;
  /** Fit-model searches: pseudo-experiments refitted for the fits' global significance (default: FIT_PSEUDO_EXPERIMENTS, at most pseudoExperiments; 0: none). */
  readonly fitPseudoExperiments?: number;
  /**
   * Fit-model searches: how those pseudo-experiments are drawn: 'model' (default) from the fits'
   * background-only model over the whole spectrum (fitlee.ts backgroundCells); 'simulation' every
   * background simulated again as the data are (exact, costs the data's simulation per pseudo-experiment).
   */
  readonly fitPseudoData?: 'model' | 'simulation';
  /** At most this many events simulated per background sample (weighted above). */
  readonly maxEventsPerBackground?: number;
  /** Signal events simulated per mass point of the efficiency map. */
  readonly signalEventsPerPoint?: number;
  /** Events per class in the MLP's training sample (searches with an MLP). */
  readonly trainEvents?: number;
  /** The MLP working point: the fraction of its training signal above each model's score cut, in (0, 1] (default the definition's keepSignal). */
  readonly mlpKeepSignal?: number;
  /** Signal added to the data: `events` produced signal events at `masses` (GeV, one per massParam), before any selection. */
  readonly inject?: { readonly masses: readonly number[]; readonly events: number };
  readonly cuts?: readonly Cut[];
  readonly grid?: GridOverrides;
  readonly inputs?: { readonly data?: InputEvents; readonly backgrounds?: readonly InputEvents[] };
  readonly progress?: (s: string) => void;
  readonly signal?: AbortSignal;
  /** Worker threads of the host event generation (Node; default the backend's workers, 1 without: the calling thread). */
  readonly generatorWorkers?: number;
  /** Fit-model searches: receives the pyhf background-only workspace and patchset that were fitted (--export-pyhf). */
  readonly onFitModels?: (m: FitModels) => void;
}

/** What every search reports per window: counts, local significance, limits. */
export interface WindowLimitFields {
  n: number;
  b: number;
  sigma_b: number;
  p_local: number;
  z_local: number;
  signal_efficiency: number;
  limit_method: LimitMethod;
  /** Why this window's method (the request, or why it was not valid here: engine/stats/windows.ts limitOne). */
  limit_method_reason: string;
  /** Upper limits on signal events: observed, expected [-2s, -1s, median, +1s, +2s]. */
  s_up: number;
  s_up_expected: number[];
  sigma_up_fb: number | null;
  sigma_up_expected_fb: (number | null)[];
}

/** A fitted window (fit-model searches): the fit's own numbers. */
export interface WindowFit {
  /** Patch of the exported patchset. */
  patch: string;
  range_GeV: [number, number];
  bins: number;
  background_in_range: number;
  signal_events_per_mu: number;
  mu_hat: number;
  mu_up: number;
  mu_up_expected: number[];
  p_local: number;
  z_local: number;
  /** Whether the window's limit and local significance are the fit's (else: background in range below FIT_MIN_B, the window's counting limit). */
  used: boolean;
}

/** How a window's b and sigma_b were set (the counting windows' estimate; SearchResult.global.b_rules explains each). */
export const B_RULES = {
  simulated: 'b = the weighted simulated background in the window, sigma_b = sqrt(sum w^2) (local Z: Z_Bi; b < B_FLOOR counts as B_FLOOR)',
  'empty-on-off': `no simulated event in the window: zero events of each sample that can populate it (every sample of which the selection keeps a candidate), each of weight w (that sample's candidate nearest the window), bound its background below ~w at 68% (on/off with n_off = 0, tau = 1 / w: Cousins, Linnemann, Tucker, NIM A 595 (2008) 480, eq. 17); summed: b = ${B_FLOOR} +- sqrt(${B_FLOOR} x empty_weight), empty_weight = sum w (tau = 1 / sum w), for the local Z, the limits and the look-elsewhere alike`,
  'empty-floor': `no simulated event in the window and no sample with a selected candidate: b = ${B_FLOOR}, no uncertainty`,
} as const;

export type BackgroundRule = 'simulated' | 'empty-on-off' | 'empty-floor';

export interface SearchWindow extends WindowLimitFields, WindowCoordinates {
  window: number;
  b_rule: BackgroundRule;
  /** Windows without simulated background ('empty-on-off'): the summed weight w of the samples that can populate it (sigma_b = sqrt(B_FLOOR w)). */
  empty_weight?: number;
  fit?: WindowFit;
  coupling_up: number | null;
  coupling_up_expected: (number | null)[];
  /** Searches with a branchingFraction: the limit on it, observed and expected. */
  bf_up?: number | null;
  bf_up_expected?: (number | null)[];
}

export interface SearchResult {
  kind: 'darkscan-analysis';
  analysis: SearchName;
  title: string;
  paper: string;
  seed: number;
  stream_version: number;
  generator_version: number;
  /** The package version (engine/version.ts). */
  darkscan_version: string;
  lumi_fb: number;
  cl: number;
  method: LimitMethod;
  backend: Record<string, unknown>;
  variables: string[];
  variable_labels: string[];
  mass_names: string[];
  reaction: string;
  limit_name: string;
  samples: Record<string, unknown>;
  selection: Record<string, string>;
  extra_cuts: Cut[];
  mlp: Record<string, unknown> | null;
  grid: Record<string, unknown>;
  signal_efficiency_map: { masses_GeV: number[]; peak: number[]; window: number; efficiency: number }[];
  coupling: { name: string; symbol: string; units: string; power: number; formula: string; source: string; illustrative: boolean };
  branching_fraction?: { name: string; symbol: string; fb_per_unit: number; source: string };
  injected: Record<string, unknown> | null;
  /** Fit-model searches: how the hypotheses were fitted (null for counting windows). */
  fit: Record<string, unknown> | null;
  global: Record<string, unknown>;
  windows: SearchWindow[];
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

/** Columns an event sample must have for this search (plus configured cut columns). */
export function requiredColumns(def: SearchDefinition, cuts: readonly Cut[] = []): string[] {
  return [...new Set([...def.eventColumns, ...(def.mlp?.features ?? []), ...(def.mlp?.ranges ? [def.mlp.ranges.column] : []), ...cuts.map((c) => c.column)])];
}

/** Event columns available from the generator for this search's family. */
export function availableColumns(def: SearchDefinition): string[] {
  return ['weight', ...Object.keys(FAMILY_COLUMNS[getProcess(def.signal.process).family])];
}

function requireColumns(t: Cols, names: readonly string[], source: string) {
  const missing = names.filter((n) => !t[n]);
  if (missing.length) throw new Error(`${source}: missing column(s) ${missing.join(', ')} (have: ${Object.keys(t).join(', ') || 'none'}); map them with "columns" in the config`);
}

/** Signal process parameters of a mass tuple. */
export function signalParams(def: SearchDefinition, masses: readonly number[]): Params {
  if (masses.length !== def.signal.massParams.length) throw new RangeError(`${def.name}: expected ${def.signal.massParams.length} mass(es) (${def.signal.massParams.join(', ')}), got ${masses.length}`);
  return { ...def.signal.params, ...Object.fromEntries(def.signal.massParams.map((p, i) => [p, masses[i]])) };
}

/**
 * generateAtLuminosity, also beyond the generator's 2^32 event indices (e.g. radiative Bhabhas at
 * 20 fb^-1): there only `cap` events are simulated anyway, each weighted N / cap with N ~ Poisson(sigma L)
 * drawn from the sample's own count key, as generateAtLuminosity does below that size.
 */
async function atLuminosity(backend: Backend, process: string, params: Params | undefined, lumiFb: number, seed: number, cap: number, signal?: AbortSignal, gen?: ParallelGenerator): Promise<EventSample> {
  const mu = expectedEvents(process, lumiFb, params ?? {});
  if (mu < 2 ** 31) return generateAtLuminosityOn(backend, { process, params, lumiFb, seed, maxEvents: cap }, signal, gen);
  const N = poisson(new EventRandom(countKey(seed, getProcess(process))).start(0), mu);
  const s = await generateOn(backend, { process, params, events: cap, seed, weight: N / cap }, signal, gen);
  return { ...s, lumiFb, meta: { ...s.meta, lumi_fb: lumiFb, expected_events: mu, poisson_events: N, oversampled: true, event_weight: N / cap } };
}

/**
 * Efficiency at scan masses `x` from the simulated points: linear in 1D; in 2D bilinear on the
 * rectangular lattice of the points, the corners outside the kinematic range (no simulated point)
 * dropped and the bilinear weights renormalised; outside the lattice the edge value; with no
 * lattice corner around x the nearest point's value.
 */
export function interpolateEfficiency(points: readonly (readonly number[])[], values: readonly number[], x: readonly number[]): number {
  return efficiencyInterpolator(points, values)(x);
}

/** interpolateEfficiency with the lattice built once (per window of a scan: the same numbers). */
export function efficiencyInterpolator(points: readonly (readonly number[])[], values: readonly number[]): (x: readonly number[]) => number {
  if (!points.length) return () => 0;
  const dims = points[0].length;
  const axes = Array.from({ length: dims }, (_, d) => [...new Set(points.map((p) => p[d]))].sort((a, b) => a - b));
  // The lattice's values, row-major over the axes (has: a simulated point at that corner; a
  // repeated point keeps its last value).
  const stride: number[] = [];
  let size = 1;
  for (let d = 0; d < dims; d++) (stride[d] = size), (size *= axes[d].length);
  const lattice = new Float64Array(size), has = new Uint8Array(size);
  points.forEach((p, i) => {
    let at = 0;
    for (let d = 0; d < dims; d++) at += axes[d].indexOf(p[d]) * stride[d];
    (lattice[at] = values[i]), (has[at] = 1);
  });
  const cell = (v: number, a: number[]): [number, number, number] => {
    if (v <= a[0]) return [0, 0, 0];
    if (v >= a[a.length - 1]) return [a.length - 1, a.length - 1, 0];
    let i = 1;
    while (a[i] < v) i++;
    return [i - 1, i, (v - a[i - 1]) / (a[i] - a[i - 1])];
  };
  return (x) => {
    if (x.length !== dims) throw new RangeError(`efficiency interpolation: ${x.length} masses, the simulated points have ${dims}`);
    const cells = axes.map((a, d) => cell(x[d], a));
    let sum = 0, wsum = 0;
    for (let corner = 0; corner < 1 << dims; corner++) {
      let wgt = 1, at = 0;
      for (let d = 0; d < dims; d++) {
        const [i0, i1, f] = cells[d];
        const hi = (corner >> d) & 1;
        wgt *= hi ? f : 1 - f;
        at += (hi ? i1 : i0) * stride[d];
      }
      if (!has[at] || wgt === 0) continue;
      sum += wgt * lattice[at];
      wsum += wgt;
    }
    if (wsum > 0) return sum / wsum;
    let best = 0, bd = Infinity;
    points.forEach((p, i) => {
      const d = p.reduce((s, v, k) => s + (v - x[k]) ** 2, 0);
      if (d < bd) (bd = d), (best = i);
    });
    return values[best];
  };
}

/** Distance of scan coordinates from window w's centre in units of its semi-axes (<= 1: inside). */
function windowDistance(g: WindowGrid, w: number, c: readonly number[]): number {
  const dx = (c[0] - g.cx[w]) / g.ax[w];
  return g.shape === 'ellipse' ? Math.sqrt(dx * dx + ((c[1] - g.cy[w]) / g.ay[w]) ** 2) : Math.abs(dx);
}

/** One simulated background sample: a background, or one stratum of it (fold: its index folded into the background's keys). */
interface SimUnit {
  readonly bg: BackgroundSource;
  readonly i: number;
  readonly stratum?: string;
  readonly capFraction?: number;
  readonly usPerEvent?: number;
  readonly cannotPass?: string;
  readonly params: Params;
  readonly fold: (k: Key) => Key;
}
/** A sample's `stratum` field in results (none for an unstratified background). */
const stratumField = (u: SimUnit) => (u.stratum !== undefined ? { stratum: u.stratum } : {});

/** What an independent pseudo-data sample of `events` generated events of a process costs (pseudo-data budget: PSEUDO_DATA_MAX_S). */
export function pseudoDataCost(process: string, events: number, usPerEvent?: number): { generator: string; us_per_event: number; generation_s: number } {
  const kernel = getProcess(process).kernel, us = usPerEvent ?? GEN_US_PER_EVENT[kernel ?? 'host'];
  if (!(us > 0) || !Number.isFinite(us)) throw new RangeError(`${process}: generation cost per event must be a positive number of microseconds, got ${us}`);
  return { generator: `${kernel ? `${kernel} kernel` : 'host generator'}${usPerEvent !== undefined ? ', the definition\'s cost' : ''}`, us_per_event: us, generation_s: Number(((events * us) / 1e6).toPrecision(3)) };
}

/** How the pseudo-data of samples over the budget are made, with and without splitPseudoData. */
const PSEUDO_DATA_LARGE: Record<string, string> = {
  true: `a Poisson resampling of the half of its simulated events the estimate does not use (the estimate: the other half, weights x ${1 / SPLIT_ESTIMATE_FRACTION}), so n and b share no simulated event`,
  false: "a Poisson resampling of the estimate's events, correlated with b (splitPseudoData: split the sample instead)",
};

/** Runs one search (a definition from searches.ts or searches-llp.ts) end to end. */
export async function runSearch(backend: Backend, def: SearchDefinition, o: SearchOptions): Promise<SearchResult>;
export async function runSearch<S, X>(backend: Backend, def: CellSearchDefinition<S, X>, o: CellSearchOptions<S>): Promise<CellSearchResult>;
export async function runSearch(backend: Backend, def: SearchDefinition | CellSearchDefinition<unknown, unknown>, o: SearchOptions | CellSearchOptions<unknown>): Promise<SearchResult | CellSearchResult> {
  if (def.model === 'cells') return searchCells(backend, def, o as CellSearchOptions<unknown>);
  return searchEvents(backend, def, o as SearchOptions);
}

/** The luminosity, CL and method of a run (default: the paper's), checked (the method against the definition's methods of the one table). */
function limitOptions(def: { readonly paper: { readonly lumiFb: number; readonly cl: number; readonly method: string } }, o: { readonly seed: number; readonly lumiFb?: number; readonly cl?: number; readonly method?: string }, methods: readonly string[]) {
  const lumi = o.lumiFb ?? def.paper.lumiFb, cl = o.cl ?? def.paper.cl, method = o.method ?? def.paper.method;
  if (!Number.isSafeInteger(o.seed) || o.seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${o.seed}`);
  if (!(lumi > 0) || !Number.isFinite(lumi)) throw new RangeError(`luminosity must be > 0 fb^-1, got ${lumi}`);
  if (!(cl > 0 && cl < 1)) throw new RangeError(`cl must be in (0, 1), got ${cl}`);
  if (!methods.includes(method)) throw new RangeError(`method must be ${methods.join(' or ')}, got '${method}'`);
  return { lumi, cl, method };
}

/** The fields every result starts with: what ran, after which paper, with which seed and versions. */
function provenance<N extends string>(def: { readonly name: N; readonly title: string; readonly paper: { readonly source: string } }, seed: number, paper?: string) {
  return { analysis: def.name, title: def.title, paper: paper ?? def.paper.source, seed, stream_version: RANDOM_STREAM_VERSION, generator_version: GENERATOR_VERSION, darkscan_version: DARKSCAN_VERSION };
}

/** The cell model (cells.ts): the definition's cell problem, the limits, the result. */
async function searchCells<S, X>(backend: Backend, def: CellSearchDefinition<S, X>, o: CellSearchOptions<S>): Promise<CellSearchResult> {
  const t0 = performance.now();
  const timing: Record<string, number> = {};
  const { lumi, cl, method } = limitOptions(def, o, def.methods);
  const progress = o.progress ?? (() => {});
  const ctx: CellContext = { seed: o.seed, cl, method: method as CellLimitMethod, lumiFb: lumi, signal: o.signal, progress, onFitModels: o.onFitModels };
  let t = performance.now();
  const p = await def.cells(backend, o.settings, ctx);
  Object.assign(timing, p.timing, { cells: Math.round(performance.now() - t) / 1000 });
  t = performance.now();
  progress(`limits: ${p.counts.length} windows (${method}), ${p.points.length} points x ${p.lifetimes} lifetimes combined`);
  const lim = await cellLimits(p, ctx.method, cl, o.signal);
  timing.limits = Math.round(performance.now() - t) / 1000;
  const { notes, ...body } = def.describe(p, lim, o.settings, ctx);
  timing.total = Math.round(performance.now() - t0) / 1000;
  return {
    kind: def.kind, ...provenance(def, o.seed, o.paper), cl, method, backend: { name: backend.name, ...backend.info().details }, report: def.report,
    ...body,
    limit_method_counts: lim.methodCounts,
    timing_s: timing,
    notes: [
      ...def.notes, ...((notes as string[] | undefined) ?? []),
      `Defaults (CL, method) as in ${def.paper.source}.`,
      'Each count window records the method of its limit and why (limit_method, limit_method_reason; engine/stats/windows.ts LIMIT_METHODS); limit_method_counts counts them.',
    ],
  };
}

async function searchEvents(backend: Backend, def: SearchDefinition, o: SearchOptions): Promise<SearchResult> {
  // The host event generation on worker threads (Node): as many as the backend's workers (--workers), the same events.
  const w = o.generatorWorkers ?? backend.info().details.workers;
  const gen = await GeneratorPool.create(typeof w === 'number' ? w : 1);
  try {
    return await searchWith(backend, def, o, gen);
  } finally {
    await gen?.dispose();
  }
}

async function searchWith(backend: Backend, def: SearchDefinition, o: SearchOptions, gen: GeneratorPool | null): Promise<SearchResult> {
  const t0 = performance.now();
  const timing: Record<string, number> = {};
  const lap = (name: string, since: number) => (timing[name] = Math.round(performance.now() - since) / 1000);
  const progress = o.progress ?? (() => {});
  const check = () => checkpoint(o.signal); // a macrotask turn: Ctrl-C is seen between stages (engine/cancel.ts)
  const { lumi, cl, method } = limitOptions(def, o, PIPELINE_LIMIT_METHODS) as { lumi: number; cl: number; method: LimitMethod };
  const nPE = o.pseudoExperiments ?? 100, cap = o.maxEventsPerBackground ?? 150_000, perPoint = o.signalEventsPerPoint ?? def.signalEventsPerPoint;
  const nTrain = o.trainEvents ?? def.mlp?.trainEvents ?? 0;
  for (const [v, name] of [[nPE, 'pseudo-experiments'], [o.fitPseudoExperiments ?? 0, 'fit pseudo-experiments'], [cap, 'events per background'], [perPoint, 'signal events per point'], [nTrain, 'training events']] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
  }
  if (o.trainEvents !== undefined && !def.mlp) throw new RangeError(`${def.name} has no MLP stage: training events do not apply`);
  if (o.mlpKeepSignal !== undefined) {
    if (!def.mlp) throw new RangeError(`${def.name} has no MLP stage: an MLP working point does not apply`);
    if (!(o.mlpKeepSignal > 0 && o.mlpKeepSignal <= 1)) throw new RangeError(`the MLP's kept signal fraction must be in (0, 1], got ${o.mlpKeepSignal}`);
  }
  const cuts = o.cuts ?? [];
  const keep = [...requiredColumns(def, cuts), 'weight'];
  const candVars = [...def.variables];
  const grid = def.grid(o.grid);
  const W = grid.cx.length;
  if (W === 0) throw new RangeError(`${def.name}: the window grid is empty`);
  const [kData, kMc, kTrain, kSig, kInject, kPE] = split(foldIn(key(o.seed, SEARCH_STREAM), def.id), 6);
  const sigProc = getProcess(def.signal.process);

  /** Selected events of a sample (definition's selection and the extra cuts). */
  const selectMask = (c: Cols, n: number, source: string): Uint8Array => {
    requireColumns(c, keep, source);
    const m = def.select(c, n), e = cutMask(c, n, cuts, 'selection.cuts');
    for (let i = 0; i < n; i++) m[i] &= e[i];
    return m;
  };
  const selectSample = (c: Cols, n: number, source: string): Columns => selectRows(c, selectMask(c, n, source), keep);
  /** Candidate table: the scan variables and the weight of the event each came from. */
  const candidates = (ev: Columns, weighted: boolean): Columns => candidatesFrom(ev, weighted).cands;
  /** candidates, with the event each came from. */
  const candidatesFrom = (ev: Columns, weighted: boolean): { cands: Columns; from: Uint32Array } => {
    const { coords, from } = def.candidates(ev, rows(ev));
    const cands: Columns = Object.fromEntries(candVars.map((v, d) => [v, coords[d]]));
    if (weighted) cands.weight = Float32Array.from(from, (i) => ev.weight[i]);
    return { cands, from };
  };
  const fromFile = (inp: InputEvents, what: string): { events?: Columns; cands?: Columns } => {
    const c = inp.table.columns, n = inp.table.length;
    const source = inp.where ? `${inp.where} (${inp.table.source})` : inp.table.source;
    if (inp.selected) {
      requireColumns(c, candVars, source);
      const w = inp.weightColumn ? c[inp.weightColumn] : undefined;
      if (inp.weightColumn && !w) throw new Error(`${source}: weight column '${inp.weightColumn}' not found`);
      return { cands: { ...Object.fromEntries(candVars.map((v) => [v, Float32Array.from(c[v])])), weight: w ? Float32Array.from(w) : new Float32Array(n).fill(1) } };
    }
    const withW: Record<string, ArrayLike<number>> = { ...c };
    if (inp.weightColumn) {
      if (!c[inp.weightColumn]) throw new Error(`${source}: weight column '${inp.weightColumn}' not found`);
      withW.weight = c[inp.weightColumn];
    } else withW.weight = new Float32Array(n).fill(1);
    for (const [j, col] of Object.entries(withW)) {
      for (let i = 0; i < n; i++) if (!Number.isFinite(col[i])) throw new Error(`${source}: ${what} row ${i}, column '${j}' is not a finite number (${col[i]})`);
    }
    return { events: selectSample(withW, n, source) };
  };
  const samples: Record<string, unknown> = { background: [] };

  // Generation. With a generator pool every sample is requested here, at once, in the order the
  // stages need them (priority 0: the MLP's training samples; 1: the signal map; 2: backgrounds,
  // pseudo-data, the injected signal): the workers generate the signal map and the backgrounds
  // while this thread trains the MLP, and this thread evaluates the signal map while they finish
  // the backgrounds. Samples are keyed by seed and event index, so they are the
  // same in any order. Without a pool each sample is generated when its stage asks for it.
  const lane = (priority: number): ParallelGenerator | undefined => gen ? { workers: gen.workers, minEvents: 1, generate: (go, s) => gen.generate(go, s, priority) } : undefined;
  const early = <T>(f: () => Promise<T>): (() => Promise<T>) => {
    if (!gen) return f;
    const p = f();
    p.catch(() => undefined); // awaited by its stage; a run stopped before must not leave it unhandled
    return () => p;
  };
  const simulatedBackgrounds = !o.inputs?.backgrounds?.length;
  /**
   * The simulated samples: one per background, or one per stratum of a stratified background
   * (its keys: the background's with the stratum's index folded in; an unstratified background
   * keeps the background's keys).
   */
  const units: SimUnit[] = simulatedBackgrounds
    ? def.backgrounds.flatMap((bg, i) => (bg.strata?.length
      ? bg.strata.map((st, j) => ({ bg, i, stratum: st.label, params: { ...bg.params, ...st.params }, capFraction: st.capFraction, usPerEvent: st.usPerEvent ?? bg.usPerEvent, cannotPass: st.cannotPass ?? bg.cannotPass, fold: (k: Key) => foldIn(k, j) }))
      : [{ bg, i, params: { ...bg.params }, usPerEvent: bg.usPerEvent, cannotPass: bg.cannotPass, fold: (k: Key) => k }]))
    : [];
  const unitEvents = units.map((u) => expectedEvents(u.bg.name, lumi, u.params));
  const unitCap = units.map((u) => Math.max(1, Math.round(cap * (u.capFraction ?? 1))));
  const bgSamples = units.map((u, k) => early(() => atLuminosity(backend, u.bg.name, u.params, lumi, seedOf(u.fold(foldIn(kMc, u.i))), unitCap[k], o.signal, lane(2))));
  const dataBudget = o.pseudoDataMaxSeconds ?? (def.model === 'fit' ? FIT_PSEUDO_DATA_MAX_S : PSEUDO_DATA_MAX_S);
  if (!(dataBudget >= 0)) throw new RangeError(`the pseudo-data budget must be >= 0 seconds, got ${dataBudget}`);
  const splitMode = !!o.splitPseudoData;
  /** Per simulated sample: what an independent pseudo-data sample costs, and whether it gets one (within the budget). */
  const dataCost = units.map((u, k) => pseudoDataCost(u.bg.name, unitEvents[k], u.usPerEvent));
  const ownData = dataCost.map((c, k) => c.generation_s <= dataBudget && units[k].cannotPass === undefined);
  /** Per simulated sample: pseudo-data from the other half of its own sample (over the budget, no data file)? */
  const splitData = units.map((u, k) => splitMode && !o.inputs?.data && !ownData[k] && u.cannotPass === undefined);
  /** The pseudo-data halves of split samples (selected; the MLP applied with the estimate's). */
  const dataHalves: (Columns | null)[] = units.map(() => null);
  /**
   * An independent sample of unit k at the luminosity under key kk, selected chunk by chunk
   * (memory: the selected events and a few chunks; the same events as one sample).
   * unweighted: unit-weight events where the process has importance weights (data are counts, each event once).
   */
  const ownSample = async (u: SimUnit, kk: Key, unweighted: boolean, what: string) => {
    const parts: Columns[] = [];
    const params = unweighted ? { ...u.params, ...getProcess(u.bg.name).unweighted } : u.params;
    const s = await generateAtLuminosityChunked(backend, { process: u.bg.name, params, lumiFb: lumi, seed: seedOf(u.fold(kk)), maxEvents: 2 ** 32 }, (c) => parts.push(selectSample(c.columns, c.length, what)),
      { chunkEvents: PSEUDO_DATA_CHUNK_EVENTS, ahead: 4, signal: o.signal, parallel: lane(2) });
    return { s, sel: concatColumns(parts, keep) };
  };
  const pseudoData = !o.inputs?.data
    ? units.map((u, k) => (ownData[k] ? early(() => ownSample(u, foldIn(kData, u.i), true, `pseudo-data ${u.bg.name}`)) : null))
    : [];
  const injectSample = o.inject ? early(() => generateOn(backend, { process: def.signal.process, params: signalParams(def, o.inject!.masses), events: o.inject!.events, seed: seedOf(kInject) }, o.signal, lane(2))) : null;
  /** The signal map's points: the window nearest each peak, and its sample (null: the peak lies outside the scanned range). */
  const mapPoints = def.signalPoints.map((p, j) => {
    const peak = def.peakOf(p);
    let w = -1, bd = Infinity;
    for (let i = 0; i < W; i++) {
      const d = windowDistance(grid, i, peak);
      if (d < bd) (bd = d), (w = i);
    }
    if (grid.shape === 'interval' && bd > 1) return null;
    return { p, peak, w, sample: early(() => generateOn(backend, { process: def.signal.process, params: signalParams(def, p), events: perPoint, seed: seedOf(foldIn(kSig, j)) }, o.signal, lane(1))) };
  });

  // 1. Backgrounds from files (simulated ones: after the MLP's training, below).
  let t = performance.now();
  /** Selected background events per sample; group: the background they belong to (strata of one background share it). */
  const bgParts: { name: string; group: number; stratum?: string; c: Columns; eventWeight?: number; generated?: number; cannotPass?: string }[] = [], bgCandFromFiles: Columns[] = [];
  if (o.inputs?.backgrounds?.length) {
    for (const inp of o.inputs.backgrounds) {
      const r = fromFile(inp, 'background');
      if (r.events) bgParts.push({ name: inp.table.source, group: bgParts.length, c: r.events });
      else bgCandFromFiles.push(r.cands!);
      (samples.background as unknown[]).push({ file: inp.table.source, rows: inp.table.length, selected: r.events ? rows(r.events) : rows(r.cands!), as: inp.selected ? 'candidates' : 'events' });
    }
    lap('backgrounds', t);
  }
  /** Simulated backgrounds at the luminosity (weighted where capped), selected. */
  const simulate = async () => {
    t = performance.now();
    for (const [k, u] of units.entries()) {
      await check();
      const bg = u.bg, label = u.stratum === undefined ? bg.name : `${bg.name} (${u.stratum})`;
      progress(`simulating ${label} at ${lumi} fb^-1`);
      const s = await bgSamples[k]();
      const eventWeight = Number((s.meta as Record<string, unknown>).event_weight ?? 1);
      const part = { name: bg.name, group: u.i, ...stratumField(u), cannotPass: u.cannotPass };
      if (!splitData[k]) {
        const c = selectSample(s.columns, s.length, label);
        if (u.cannotPass !== undefined && rows(c) > 0) throw new Error(`${def.name}: ${rows(c)} of ${s.length} simulated ${label} events pass the selection, which the definition says cannot happen (${u.cannotPass}): a bug in the search definition or the generator`);
        bgParts.push({ ...part, c, eventWeight, generated: s.nGenerated });
        (samples.background as unknown[]).push({ ...sampleInfo(s, rows(c)), ...stratumField(u), note: bg.note, ...(u.cannotPass !== undefined ? { cannot_pass: u.cannotPass } : {}) });
        continue;
      }
      // Split by event index (Philox keyed by the data key, SPLIT_TAG and the background): the
      // estimate's half weighted x 1 / f, the pseudo-data's x 1 / (1 - f); no event in both.
      const f = SPLIT_ESTIMATE_FRACTION;
      const { first: c, rest: d, firstEvents: estimateEvents } = splitSample(s.columns, s.length, selectMask(s.columns, s.length, label), u.fold(foldIn(foldIn(kData, SPLIT_TAG), u.i)), f, keep);
      dataHalves[k] = d;
      bgParts.push({ ...part, c, eventWeight: eventWeight / f });
      (samples.background as unknown[]).push({
        ...sampleInfo(s, rows(c)), ...stratumField(u), note: bg.note,
        split: { estimate_fraction: f, estimate_events: estimateEvents, pseudo_data_events: s.length - estimateEvents, pseudo_data_selected: rows(d), estimate_weight_factor: 1 / f, pseudo_data_weight_factor: 1 / (1 - f) },
      });
    }
    lap('backgrounds', t);
  };

  // 2. The MLP (searches that have one), trained on independent samples: signal of every map point pooled.
  let mlpInfo: Record<string, unknown> | null = null;
  /** The MLP's verdict per event (null: no MLP stage). */
  let mlpPass: ((c: Columns) => Promise<Uint8Array>) | null = null;
  const applyMlp = async (c: Columns): Promise<Columns> => (mlpPass && rows(c) > 0 ? selectRows(c, await mlpPass(c), keep) : c);
  /** applyMlp on several samples in one pass (one inference dispatch; each event's score is its own). */
  const applyMlpAll = async (cs: Columns[]): Promise<Columns[]> => {
    const all = mlpPass ? concatColumns(cs, keep) : null;
    if (!all || rows(all) === 0) return cs;
    const m = await mlpPass!(all);
    let at = 0;
    return cs.map((c) => selectRows(c, m.subarray(at, (at += rows(c))), keep));
  };
  if (def.mlp) {
    t = performance.now();
    progress('training the MLP');
    const spec = o.mlpKeepSignal !== undefined ? { ...def.mlp, keepSignal: o.mlpKeepSignal } : def.mlp, F = spec.features.length;
    const featureMatrix = (c: Columns) => {
      const n = rows(c), x = new Float32Array(n * F);
      for (let i = 0; i < n; i++) for (let j = 0; j < F; j++) x[i * F + j] = c[spec.features[j]][i];
      return x;
    };
    const sigSamples = def.signalPoints.map((p, j) => early(() => generateOn(backend, { process: def.signal.process, params: signalParams(def, p), events: Math.ceil(nTrain / def.signalPoints.length / 0.6), seed: seedOf(foldIn(kTrain, j)) }, o.signal, lane(0))));
    // The selection keeps few events of some backgrounds: simulate up to 5 x 20000 of each to train
    // on (the backgrounds' chunks one after another, the backgrounds side by side on a pool).
    const bgTraining = def.backgrounds.map((bg, i) => early(async () => {
      let c: Columns | null = null;
      for (let chunk = 0; chunk < 5 && (c === null || rows(c) < nTrain / def.backgrounds.length); chunk++) {
        await check();
        // training takes rows at face value: a process with importance weights (e e mu mu's tail) gives unit-weight events here
        const s = await generateOn(backend, { process: bg.name, params: { ...bg.params, ...getProcess(bg.name).unweighted }, events: 20_000, firstEvent: chunk * 20_000, seed: seedOf(foldIn(kTrain, 1000 + i)) }, o.signal, lane(0));
        const part = selectSample(s.columns, s.length, bg.name);
        c = c ? concatColumns([c, part], keep) : part;
      }
      return c;
    }));
    const sigTrain: Columns[] = [], bgTrain: Columns[] = [];
    for (const s of sigSamples) {
      const x = await s();
      sigTrain.push(selectSample(x.columns, x.length, def.signal.process));
    }
    const training: unknown[] = [];
    for (const [i, bg] of def.backgrounds.entries()) {
      const c = await bgTraining[i]();
      if (c) bgTrain.push(c);
      training.push({ process: bg.name, selected: c ? rows(c) : 0 });
    }
    // One model, or one per range of a column (mlp.ts): signal of the map points whose peak lies in
    // the range, background events whose column value does; a cut per model.
    const trained = await trainMlps(backend, spec, featureMatrix, keep, kTrain, def.signalPoints.map((p) => def.peakOf(p)[0]), sigTrain, bgTrain, { signal: o.signal, progress });
    mlpPass = (c) => trained.pass(c);
    samples.training = [...training, { process: `${def.signal.process} (all map points)`, selected: trained.signalRows }];
    mlpInfo = { features: [...spec.features], keep_signal: spec.keepSignal, ...trained.info };
    lap('train_mlp', t);
  }

  // 3. Signal efficiency map: selection (x MLP) x containment (events with a candidate in the
  // window nearest the expected peak), at each simulated mass point.
  t = performance.now();
  progress(`signal efficiency map (${def.signalPoints.length} mass points)`);
  const effMap: SearchResult['signal_efficiency_map'] = [];
  const fitSpec = def.model === 'fit' ? def.fit : undefined;
  if (def.model === 'fit' && (!fitSpec || def.variables.length !== 1)) throw new Error(`${def.name}: the fit model needs a fit specification and one scan variable`);
  const fitEff: number[] = [];
  const inRangePoints = mapPoints.filter((m) => m !== null); // the others' peaks lie outside the scanned range
  const mapSelected: Columns[] = [];
  for (const point of inRangePoints) {
    await check();
    const s = await point.sample();
    mapSelected.push(selectSample(s.columns, s.length, def.signal.process));
  }
  const mapPassed = await applyMlpAll(mapSelected);
  for (const [k, { p, peak, w }] of inRangePoints.entries()) {
    const sel = mapPassed[k];
    const { coords, from } = def.candidates(sel, rows(sel));
    const hit = new Uint8Array(rows(sel));
    for (let i = 0; i < from.length; i++) if (windowDistance(grid, w, coords.map((c) => c[i])) <= 1) hit[from[i]] = 1;
    const inside = hit.reduce((a, v) => a + v, 0);
    effMap.push({ masses_GeV: [...p], peak, window: w, efficiency: perPoint ? (inside / perPoint) * (def.signal.generatedFraction ?? 1) : 0 });
    if (fitSpec) {
      // The fit's efficiency: events with a candidate in the fit range around the peak.
      const half = fitSpec.halfRangeSigma * fitSigma(fitSpec, peak[0]), r = fitRange(fitSpec, peak[0]);
      const inRange = new Uint8Array(rows(sel));
      for (let i = 0; i < from.length; i++) if (r.clipped ? coords[0][i] >= r.lo && coords[0][i] < r.hi : Math.abs(coords[0][i] - peak[0]) <= half) inRange[from[i]] = 1;
      fitEff.push(perPoint ? (inRange.reduce((a, v) => a + v, 0) / perPoint) * (def.signal.generatedFraction ?? 1) : 0);
    }
  }
  samples.signal = { process: def.signal.process, events_per_point: perPoint, points: effMap.length, sigma_source: sigProc.sigmaSource };
  lap('signal_map', t);

  // 4. Simulated backgrounds; the MLP applied to every background.
  if (simulatedBackgrounds) await simulate();
  if (def.mlp) {
    t = performance.now();
    progress('selecting events (MLP on the backend)');
    for (const p of bgParts) p.c = await applyMlp(p.c);
    for (const [i, d] of dataHalves.entries()) if (d) dataHalves[i] = await applyMlp(d);
    lap('select', t);
  }
  const bgEvents = bgParts.length ? concatColumns(bgParts.map((p) => p.c), keep) : selectRows({}, new Uint8Array(0), []);
  const bgCands = concatColumns([...(bgParts.length ? [candidates(bgEvents, true)] : []), ...bgCandFromFiles], [...candVars, 'weight']);
  // Selected background per source (weighted, at the luminosity), with the simulation's statistical
  // error sqrt(sum w^2). A source with no simulated event left is not known to be absent: with event
  // weight w, 0 simulated events bound it below 2.303 w events at 90% CL (Poisson, -ln 0.1).
  // A stratified background is one source, its strata listed (each with its own event weight).
  const sourceOf = (p: (typeof bgParts)[number]) => ({
    selected_events: p.c.weight.reduce((a, v) => a + v, 0), selected_events_error: Math.sqrt(p.c.weight.reduce((a, v) => a + v * v, 0)), simulated_rows: rows(p.c),
    ...(p.eventWeight !== undefined ? { event_weight: p.eventWeight } : {}),
    ...(p.cannotPass !== undefined ? { cannot_pass: p.cannotPass } : rows(p.c) === 0 && p.eventWeight !== undefined ? { selected_events_upper_90: 2.303 * p.eventWeight, fraction_upper_90: 0 } : {}), // fraction_upper_90: its place, filled below (upperShare)
  });
  const composition = [...new Set(bgParts.map((p) => p.group))].map((g) => {
    const parts = bgParts.filter((p) => p.group === g);
    if (parts.length === 1 && parts[0].stratum === undefined) return { source: parts[0].name, fraction: 0, ...sourceOf(parts[0]) };
    const strata = parts.map((p) => ({ stratum: p.stratum, ...sourceOf(p) })) as ({ stratum?: string; cannot_pass?: string; simulated_rows: number; selected_events: number; selected_events_error: number; event_weight?: number; selected_events_upper_90?: number; fraction_upper_90?: number })[];
    const bounded = strata.filter((c) => c.cannot_pass === undefined);
    return {
      source: parts[0].name, fraction: 0, selected_events: strata.reduce((a, c) => a + c.selected_events, 0),
      selected_events_error: Math.hypot(...strata.map((c) => c.selected_events_error)), simulated_rows: strata.reduce((a, c) => a + c.simulated_rows, 0),
      // no simulated event left in any stratum (that can pass the selection): bounded by the largest stratum weight
      ...(bounded.length && bounded.every((c) => c.simulated_rows === 0 && c.event_weight !== undefined) ? { selected_events_upper_90: 2.303 * Math.max(...bounded.map((c) => c.event_weight!)), fraction_upper_90: 0 } : {}),
      ...(!bounded.length ? { cannot_pass: strata.map((c) => c.cannot_pass).join('; ') } : {}),
      strata,
    };
  }) as { source: string; fraction: number; selected_events: number; selected_events_error: number; simulated_rows: number; event_weight?: number; selected_events_upper_90?: number; fraction_upper_90?: number; strata?: { selected_events_upper_90?: number; fraction_upper_90?: number }[] }[];
  const totalSel = composition.reduce((a, c) => a + c.selected_events, 0);
  // a bound's share of the selected background were it there: bound / (total selected + bound), for sources and strata alike
  const upperShare = (c: { selected_events_upper_90?: number; fraction_upper_90?: number }) => {
    if (c.selected_events_upper_90 !== undefined) c.fraction_upper_90 = c.selected_events_upper_90 / (totalSel + c.selected_events_upper_90);
  };
  for (const c of composition) {
    c.fraction = totalSel > 0 ? c.selected_events / totalSel : 0;
    upperShare(c);
    c.strata?.forEach(upperShare);
  }

  // 5. Data: from a file, or one background-only pseudo-experiment of the background events
  // (event i appears k ~ Poisson(w_i) times, keyed by the seed; candidates follow their event).
  t = performance.now();
  const dataParts: Columns[] = [];
  let dataSource: Record<string, unknown>;
  /**
   * Per background part, how its pseudo-data relate to the estimate: 'independent' (a sample of
   * its own), 'split' (the other half of its simulated sample), 'same' (a resampling of the
   * estimate's events: background files). The first two are independent of b, so the
   * pseudo-experiments bootstrap the estimate (section 8).
   */
  const dataOrigin: ('independent' | 'split' | 'same' | 'none')[] = bgParts.map(() => 'same');
  /** Independent pseudo-data per part: the selected events and the events generated (for section 8's reassignment). */
  const dataSel: ({ c: Columns; generated: number } | null)[] = bgParts.map(() => null);
  if (o.inputs?.data) {
    const r = fromFile(o.inputs.data, 'data');
    dataParts.push(r.events ? candidates(await applyMlp(r.events), false) : Object.fromEntries(candVars.map((v) => [v, r.cands![v]])));
    dataSource = { file: o.inputs.data.table.source, rows: o.inputs.data.table.length, as: o.inputs.data.selected ? 'candidates' : 'events' };
  } else {
    if (bgCandFromFiles.length && !bgParts.length) throw new Error('data: background files given as selected candidates cannot be resampled into pseudo-data; give a data file or background events');
    if (bgCandFromFiles.length) throw new Error('data: mixing candidate-level background files with pseudo-data is not supported; give a data file');
    if (o.inputs?.backgrounds?.length) {
      dataParts.push(candidates(poissonResample(bgEvents, bgEvents.weight ?? new Float32Array(0), kData, keep), false));
      dataSource = { pseudo_data: 'background-only pseudo-experiment of the background files\' events (Poisson-resampled weights): not independent of the background estimate', key_stream: SEARCH_STREAM };
    } else {
      // Pseudo-data independent of the background estimate: per background an unweighted sample
      // of its own (the data key: N ~ Poisson(sigma L) events, each once) where generating it
      // costs at most the budget (dataBudget); above, a Poisson resampling of the estimate's
      // weighted events, or (splitPseudoData) of the half of them the estimate does not use.
      const parts: Record<string, unknown>[] = [];
      /**
       * Data candidates of sample k whose event is one of its estimate's: the same f32 bits in every
       * selection column (53-bit hash; a scan coordinate alone coincides by chance in a large 1D sample).
       */
      const eventColumns = keep.filter((v) => v !== 'weight');
      /** An event's hash (row i of c) over the f32 bits of every selection column. */
      const hasher = (c: Columns) => {
        const bits = eventColumns.map((v) => new Uint32Array(c[v].buffer, c[v].byteOffset, c[v].length));
        return (i: number) => {
          let h1 = 0x811c9dc5, h2 = 0x27d4eb2f;
          for (const b of bits) (h1 = Math.imul(h1 ^ b[i], 0x9e3779b1) ^ (h1 >>> 15)), (h2 = Math.imul(h2 ^ b[i], 0x85ebca77) ^ (h2 >>> 13));
          return (h1 >>> 0) * 2 ** 21 + ((h2 >>> 0) >>> 11);
        };
      };
      /** Data candidates (from: their events in ev) whose event is one of sample k's estimate events. */
      const shared = (k: number, ev: Columns, from: Uint32Array) => {
        const est = bgParts[k].c, hEst = hasher(est), seen = new Set<number>();
        for (let i = 0; i < rows(est); i++) seen.add(hEst(i));
        const h = hasher(ev);
        let n = 0;
        for (const i of from) if (seen.has(h(i))) n++;
        return n;
      };
      for (const [k, u] of units.entries()) {
        await check();
        const mu = unitEvents[k], i = u.i, name = u.bg.name, st = stratumField(u), cost = dataCost[k];
        const resampleKey = u.fold(foldIn(kData, 1000 + i));
        const over = `${Math.round(mu)} events at ${lumi} fb^-1: an independent sample would cost ~${cost.generation_s} s of generation (${cost.generator}, ${cost.us_per_event} us per event on one WASM worker) > the pseudo-data budget ${dataBudget} s`;
        if (u.cannotPass !== undefined) {
          // the selection keeps none of its events (proven; none of the estimate's passed, simulate()): no pseudo-data to make
          parts.push({ process: name, ...st, independent: true, made_from: 'none: cannot pass the selection', events: 0, candidates: 0, shared_with_estimate: 0, reason: u.cannotPass });
          dataOrigin[k] = 'none';
        } else if (ownData[k]) {
          progress(`simulating pseudo-data: ${name}${u.stratum !== undefined ? ` (${u.stratum})` : ''} at ${lumi} fb^-1`);
          const { s, sel: pre } = await pseudoData[k]!();
          const sel = await applyMlp(pre);
          const w = sel.weight;
          const ev = w.every((v) => v === 1) ? sel : poissonResample(sel, w, resampleKey, keep), { cands, from } = candidatesFrom(ev, false);
          dataParts.push(cands);
          parts.push({ process: name, ...st, independent: true, made_from: 'independent sample (own random stream)', seed: s.seed, events: s.nGenerated, poisson_events: s.meta.poisson_events, generation_cost_s: cost.generation_s, selected: rows(sel), candidates: rows(cands), shared_with_estimate: shared(k, ev, from) });
          dataOrigin[k] = 'independent';
          dataSel[k] = { c: sel, generated: s.nGenerated };
        } else if (!splitData[k]) {
          const c = bgParts[k].c, ev = poissonResample(c, c.weight, resampleKey, keep), { cands, from } = candidatesFrom(ev, false);
          dataParts.push(cands);
          parts.push({ process: name, ...st, independent: false, made_from: 'estimate resampled', expected_events: mu, generation_cost_s: cost.generation_s, candidates: rows(cands), shared_with_estimate: shared(k, ev, from), note: `${over}: a Poisson resampling of the background estimate's weighted events (correlated with b; splitPseudoData splits the sample instead)` });
        } else {
          const d = dataHalves[k]!, f = SPLIT_ESTIMATE_FRACTION, ev = poissonResample(d, d.weight, resampleKey, keep), { cands, from } = candidatesFrom(ev, false);
          dataParts.push(cands);
          parts.push({
            process: name, ...st, independent: true, made_from: 'split half', estimate_fraction: f, pseudo_data_fraction: 1 - f, expected_events: mu, generation_cost_s: cost.generation_s, selected: rows(d), candidates: rows(cands), shared_with_estimate: shared(k, ev, from),
            note: `${over}: the weighted simulated sample is split event by event (Philox, data key, tag ${SPLIT_TAG}, background ${i}${u.stratum !== undefined ? ', stratum folded in' : ''}); the estimate uses a fraction ${f} (weights x ${1 / f}), the pseudo-data are a Poisson resampling of the other events (weights x ${1 / (1 - f)}): no event in both`,
          });
          dataOrigin[k] = 'split';
        }
      }
      dataSource = {
        pseudo_data: `background-only pseudo-data: per background (per stratum of a stratified one) an independent unweighted sample where generating it costs at most max_generation_s (backgrounds[].generation_cost_s: events x us per event of its generator on one WASM worker), else ${PSEUDO_DATA_LARGE[String(splitMode)]} (backgrounds[].made_from says which, note why)`,
        max_generation_s: dataBudget, split_pseudo_data: splitMode, ...(splitMode ? { split_estimate_fraction: SPLIT_ESTIMATE_FRACTION } : {}), backgrounds: parts, key_stream: SEARCH_STREAM,
      };
    }
  }
  let injected: Record<string, unknown> | null = null;
  if (o.inject) {
    const { masses, events } = o.inject;
    const s = await injectSample!();
    const sel = await applyMlp(selectSample(s.columns, s.length, `injected ${def.signal.process}`));
    const cands = candidates(sel, false);
    dataParts.push(cands);
    injected = { process: def.signal.process, masses_GeV: [...masses], produced: events, accepted: s.length, selected_events: rows(sel), candidates: rows(cands), seed: s.seed, peak: def.peakOf(masses) };
  }
  const data = concatColumns(dataParts, candVars);
  lap('data', t);

  // 6. The scan.
  t = performance.now();
  progress(`scanning ${W} windows`);
  const { res, bEff, zLocal, pLocal } = await scanWithFloor(backend, grid, data, bgCands, o.signal);
  // A window without a simulated background event is not known to be empty: it holds zero
  // simulated events of every sample, and zero events of a sample whose events weigh w bound that
  // sample's background there below ~w at 68% (the on/off problem with n_off = 0, tau = 1 / w:
  // Cousins, Linnemann, Tucker, NIM A 595 (2008) 480, eq. 17, as Z_Bi in engine/stats/pvalue.ts).
  // Summed over the samples that can populate the window (every sample of which the selection keeps
  // a candidate; w: the weight of its candidate nearest the window, analyses/pseudo.ts): b =
  // B_FLOOR, sigma_b = sqrt(B_FLOOR sum w), i.e. tau = 1 / sum w, so n data events there have
  // p ~ (1 + 1 / sum w)^-n. For the local Z, the limits and the look-elsewhere alike (b_rule per window).
  const sampleCands = [...bgParts.map((p) => candidates(p.c, true)), ...bgCandFromFiles];
  const sampleNearest = sampleCands.map((c) => nearestWeights(grid, c, candVars));
  const emptyWeight = new Float64Array(W);
  for (const nw of sampleNearest) for (let w = 0; w < W; w++) emptyWeight[w] += nw[w];
  const unpopulating = [...bgParts.map((p) => p.stratum === undefined ? p.name : `${p.name} (${p.stratum})`), ...bgCandFromFiles.map((_, i) => `background candidates file ${i}`)].filter((_, j) => rows(sampleCands[j]) === 0 && bgParts[j]?.cannotPass === undefined); // a part that cannot pass is known to be empty
  let emptyWindows = 0;
  const bRule = (w: number): BackgroundRule => (res.b![w] > 0 ? 'simulated' : emptyWeight[w] > 0 ? 'empty-on-off' : 'empty-floor');
  for (let w = 0; w < W; w++) {
    if (res.b![w] > 0 || !(emptyWeight[w] > 0)) continue;
    emptyWindows++;
    res.sigmaB![w] = windowSigmaB(0, 0, emptyWeight[w], B_FLOOR);
    const s = localSignificance(res.data.n[w], bEff[w], res.sigmaB![w]);
    (zLocal[w] = s.z), (pLocal[w] = s.p);
  }
  lap('scan', t);

  // 7. Limits per window, in events, cross section and coupling.
  t = performance.now();
  const windows: SearchWindow[] = [];
  const methodCounts: Record<string, number> = {};
  let failedWindows = 0;
  const effPoints = effMap.map((e) => e.masses_GeV);
  const effAt = efficiencyInterpolator(effPoints, effMap.map((e) => e.efficiency)), fitEffAt = efficiencyInterpolator(effPoints, fitEff);
  // The fit model: one binned model per window centre, all fitted in batched dispatches.
  const fitOf = new Map<number, WindowFit>();
  let fitInfo: Record<string, unknown> | null = null;
  let fitted: { models: FitModels; z: number[]; used: boolean[] } | undefined;
  if (fitSpec) {
    progress(`fitting ${W} mass hypotheses`);
    const models = buildFitModels({
      spec: fitSpec, lumiFb: lumi, description: `darkscan ${def.name} (${def.paper.source}): seed ${o.seed}, ${lumi} fb^-1; ${fitSpec.doc}.`,
      windows: Array.from({ length: W }, (_, w) => {
        const masses = def.massesOf(grid, w);
        return { window: w, x: grid.cx[w], mass: masses[0], efficiency: fitEffAt(masses) };
      }),
      data: data[candVars[0]], background: bgCands[candVars[0]], backgroundWeight: bgCands.weight,
    });
    const f = await fitHypotheses(backend, models, cl, { signal: o.signal, progress });
    models.hypotheses.forEach((h, k) => {
      const r = f.results[k], md = models.patchset.patches[k].metadata;
      fitOf.set(h.window, {
        patch: md.name, range_GeV: [h.lo_GeV, h.hi_GeV], bins: h.bins, background_in_range: h.background, signal_events_per_mu: h.signalEventsPerMu,
        mu_hat: r.muHat, mu_up: r.muUp, mu_up_expected: r.muUpExpected, p_local: r.pLocal, z_local: r.zLocal, used: h.background >= FIT_MIN_B,
      });
    });
    fitted = { models, z: f.results.map((r) => r.zLocal), used: models.hypotheses.map((h) => h.background >= FIT_MIN_B) };
    fitInfo = { hypotheses: models.hypotheses.length, fits: f.fits, fits_not_converged: f.unconverged, doc: fitSpec.doc, half_range_sigma: fitSpec.halfRangeSigma, bins_per_sigma: fitSpec.binsPerSigma, ...(fitSpec.edges ? { range_edges_GeV: [...fitSpec.edges] } : {}), min_background_in_range: FIT_MIN_B };
    o.onFitModels?.(models);
  }
  progress(`limits for ${W} windows (${method})`);
  progress(`limits: window 0 / ${W}`);
  const lims = await limitsBatch(backend, Array.from({ length: W }, (_, w) => {
    const sb = res.sigmaB![w];
    return { n: res.data.n[w], b: bEff[w], sigmaB: sb, uncertainty: sb > 0 ? 'gauss' as const : 'none' as const };
  }), method, cl, o.signal, (d, t) => progress(`limits: window ${d} / ${t}`)); // the page's progress bar reads these
  for (let w = 0; w < W; w++) {
    if (w % 500 === 0) await check();
    const n = res.data.n[w], b = bEff[w], sb = res.sigmaB![w];
    let lim: OneLimit;
    const got = lims[w];
    if (!(got instanceof Error)) lim = got;
    else {
      const e = got;
      // One window that cannot be computed (e.g. n = 0 against b ~ 1e5: data and background from
      // different luminosities) does not stop the others: NaN limits and the reason (limit_error).
      const reason = `failed: ${(e as Error).message} (n = ${n}, b = ${b}, sigma_b = ${sb})`;
      lim = { up: NaN, exp: [NaN, NaN, NaN, NaN, NaN], used: method, reason };
      failedWindows++;
    }
    if (Number.isFinite(lim.up)) {
      const tag = `${lim.used}: ${lim.reason}`;
      methodCounts[tag] = (methodCounts[tag] ?? 0) + 1;
    }
    const masses = def.massesOf(grid, w);
    let eff = effAt(masses);
    const fw = fitOf.get(w);
    let p = pLocal[w], z = zLocal[w], sUpEvents = lim.up, sUpExp = lim.exp, used = lim.used, reason = lim.reason;
    if (fw?.used) {
      // The fit's limit: mu in units of signal_events_per_mu, the efficiency that of the fit range.
      eff = fitEffAt(masses);
      (p = fw.p_local), (z = fw.z_local), (sUpEvents = fw.mu_up * fw.signal_events_per_mu), (sUpExp = fw.mu_up_expected.map((v) => v * fw.signal_events_per_mu));
      used = 'cls-asymptotic';
      reason = `binned likelihood fit per mass hypothesis (${fw.patch}; asymptotic CLs, q~_mu; local significance from q_0)`;
    } else if (fw) reason = `${lim.reason}; fit range holds b = ${fw.background_in_range.toPrecision(3)} < ${FIT_MIN_B}: counting window (asymptotic fit invalid)`;
    if (fw) methodCounts[`fit: ${fw.used ? 'used' : 'not used (little background)'}`] = (methodCounts[`fit: ${fw.used ? 'used' : 'not used (little background)'}`] ?? 0) + 1;
    const toSigma = (s: number) => (eff > 0 && Number.isFinite(s) ? s / (eff * lumi) : null);
    const sUp = toSigma(sUpEvents), sExp = sUpExp.map(toSigma), couplingAt = couplingLimitsAt(def.coupling, masses);
    windows.push({
      window: w, ...def.windowFields(grid, w), n, b: res.b![w], sigma_b: sb, b_rule: bRule(w), ...(bRule(w) === 'empty-on-off' ? { empty_weight: emptyWeight[w] } : {}), p_local: p, z_local: z,
      signal_efficiency: eff, limit_method: used, limit_method_reason: reason, s_up: sUpEvents, s_up_expected: sUpExp, sigma_up_fb: sUp, sigma_up_expected_fb: sExp,
      coupling_up: couplingAt(sUp), coupling_up_expected: sExp.map(couplingAt),
      ...(def.branchingFraction ? { bf_up: sUp === null ? null : sUp / def.branchingFraction.fbPerUnit, bf_up_expected: sExp.map((s) => (s === null ? null : s / def.branchingFraction!.fbPerUnit)) } : {}),
      ...(fw ? { fit: fw } : {}),
    });
  }
  lap('limits', t);

  // 8. Look-elsewhere (engine/stats/lee.ts): background-only pseudo-experiments drawn as the data
  // were, each rescanned. Per background part:
  // - data an independent sample (unit weights) and an estimate of one weight: the pooled selected
  //   events reassigned to data and estimate at random, as exchangeable draws (analyses/pseudo.ts
  //   swapLabels), so data can land where the estimate had no event and b is recomputed;
  // - data a resampling of the estimate ('same'): the estimate Poisson-resampled again;
  // - split backgrounds: their data half Poisson-resampled again, exactly as the data were;
  // - data independent but not reassignable (weighted data or an estimate of several weights): the
  //   estimate bootstrapped (m ~ Poisson(1) copies, Efron 1979), then Poisson-resampled.
  t = performance.now();
  const canResample = bgParts.length > 0 && !bgCandFromFiles.length;
  const nDone = canResample ? nPE : 0;
  /** Parts whose pseudo-experiments reassign the pooled estimate and data events (null: resampled). */
  const swaps = bgParts.map((p, k) => {
    const d = dataSel[k];
    if (dataOrigin[k] !== 'independent' || !d || p.generated === undefined || !d.c.weight.every((v) => v === 1)) return null;
    const wE = rows(p.c) ? p.c.weight[0] : p.eventWeight ?? NaN;
    if (!(wE > 0) || !p.c.weight.every((v) => v === wE)) return null;
    const pool = concatColumns([p.c, d.c], keep), m = rows(pool), { coords, from } = def.candidates(pool, m);
    return { k, wE, m, coords, from, total: p.generated + d.generated, dataTotal: d.generated, estimateRows: rows(p.c) };
  });
  const swapped = swaps.some((s) => s !== null);
  // The events the other parts' pseudo-experiments resample: the estimate's, except split
  // backgrounds, whose data half is resampled again.
  const peParts = bgParts.map((p, i) => (swaps[i] ? null : dataOrigin[i] === 'split' ? dataHalves[i]! : p.c)).filter((c): c is Columns => c !== null);
  const peOrigin = dataOrigin.filter((_, i) => !swaps[i]);
  const peSource = swapped || dataOrigin.includes('split') ? concatColumns(peParts, keep) : bgEvents;
  /** Per resampled event: are its data an independent sample (then bootstrapped first)? */
  const fromIndependent = new Uint8Array(rows(peSource));
  {
    let at = 0;
    peParts.forEach((c, i) => {
      if (peOrigin[i] === 'independent') fromIndependent.fill(1, at, at + rows(c));
      at += rows(c);
    });
  }
  const peWeights = (k: ReturnType<typeof foldIn>): Float32Array => {
    if (!peOrigin.includes('independent')) return peSource.weight;
    const rng = new EventRandom(foldIn(k, 0xb007));
    return Float32Array.from(peSource.weight, (w, i) => (fromIndependent[i] ? w * poisson(rng.start(i), 1) : w));
  };
  /** Data candidates of pseudo-experiment k from the resampled parts. */
  const resampledData = (kk: ReturnType<typeof foldIn>): Columns => candidates(poissonResample(peSource, peWeights(kk), kk, keep), false);
  let g: Awaited<ReturnType<typeof globalSignificance>> | null = null;
  if (nDone > 0 && !swapped) {
    g = await globalSignificance(res.data.n, bEff, res.sigmaB!, async (k) => {
      await check();
      if (k % 10 === 0) progress(`look-elsewhere: pseudo-experiment ${k} / ${nPE}`);
      return (await countInWindows(backend, grid, table(resampledData(foldIn(kPE, k))), {}, o.signal)).n;
    }, { pseudoExperiments: nDone, seed: o.seed, signal: o.signal });
  } else if (nDone > 0) {
    // The estimate of the other parts is fixed; the reassigned parts' is recomputed, with b,
    // sigma_b and the empty-window rule exactly as for the observed windows (section 6).
    const fixedEstimate = sampleCands.filter((_, j) => !swaps[j]);
    const memo = new Map<number, Map<number, number>>();
    /** Which parts keep a candidate in the observed estimate (section 6's empty-window weight holds while a pseudo-experiment's parts do the same). */
    const observedHas = sampleCands.map((c) => (rows(c) > 0 ? 1 : 0));
    /**
     * Data and estimate of one assignment (labels per reassigned part, 1: data; `resampled`: the
     * other parts' data candidates): counts, b and sigma_b per window as section 6 has them.
     */
    const reassigned = async (labels: (s: NonNullable<(typeof swaps)[number]>) => Uint8Array, resampled: Columns) => {
      const dataC: Columns[] = [resampled], estC: Columns[] = [...fixedEstimate];
      const hasEstimate = new Uint8Array(swaps.length);
      for (const s of swaps) {
        if (!s) continue;
        const lab = labels(s);
        const toData = new Uint8Array(s.from.length), toEstimate = new Uint8Array(s.from.length);
        for (let i = 0; i < s.from.length; i++) (toData[i] = lab[s.from[i]]), (toEstimate[i] = toData[i] ^ 1);
        const cands: Columns = Object.fromEntries(candVars.map((v, d) => [v, s.coords[d]]));
        dataC.push(selectRows(cands, toData, candVars));
        const est = selectRows({ ...cands, weight: new Float32Array(s.from.length).fill(s.wE) }, toEstimate, [...candVars, 'weight']);
        estC.push(est);
        hasEstimate[s.k] = rows(est) > 0 ? 1 : 0;
      }
      const n = (await countInWindows(backend, grid, table(concatColumns(dataC, candVars)), {}, o.signal)).n;
      const bg = await countInWindows(backend, grid, table(concatColumns(estC, [...candVars, 'weight']), 'weight'), {}, o.signal);
      // the empty-window weight summed in section 6's order (a reassigned part: its one weight, where it keeps a candidate)
      const same = swaps.every((s, j) => !s || hasEstimate[j] === observedHas[j]);
      const sb = new Float64Array(W);
      for (let w = 0; w < W; w++) {
        if (bg.sumW[w] > 0) { sb[w] = Math.sqrt(bg.sumW2[w]); continue; }
        let e = emptyWeight[w];
        if (!same) {
          e = 0;
          for (let j = 0; j < sampleNearest.length; j++) e += swaps[j] ? (hasEstimate[j] ? swaps[j]!.wE : 0) : sampleNearest[j][w];
        }
        sb[w] = windowSigmaB(0, 0, e, B_FLOOR);
      }
      return { n, b: bg.sumW, sb };
    };
    // The observed assignment (the pool holds the estimate's events, then the data's) must give the
    // observed b and sigma_b bit for bit: the pseudo-experiments' statistic is the data's.
    {
      const id = await reassigned((s) => Uint8Array.from({ length: s.m }, (_, i) => (i < s.estimateRows ? 0 : 1)), Object.fromEntries(candVars.map((v) => [v, new Float32Array(0)])));
      for (let w = 0; w < W; w++) {
        if (id.b[w] !== res.b![w] || id.sb[w] !== res.sigmaB![w]) throw new Error(`look-elsewhere: the reassigned estimate of the observed assignment differs from the scan's in window ${w} (b ${id.b[w]} vs ${res.b![w]}, sigma_b ${id.sb[w]} vs ${res.sigmaB![w]})`);
      }
    }
    g = await globalSignificanceOf(zLocal, pLocal, async (k, zMax) => {
      await check();
      if (k % 10 === 0) progress(`look-elsewhere: pseudo-experiment ${k} / ${nPE}`);
      const kk = foldIn(kPE, k);
      const pe = await reassigned((s) => swapLabels(s.m, s.dataTotal, s.total, foldIn(foldIn(kk, SWAP_TAG), s.k)), resampledData(kk));
      return someWindowReaches(pe.n, pe.b, pe.sb, zMax, B_FLOOR, memo);
    }, { pseudoExperiments: nDone, seed: o.seed, signal: o.signal });
  }
  lap('look_elsewhere', t);
  // 7b. The fits' look-elsewhere (fitlee.ts): background-only pseudo-experiments from the fits'
  // background model over the whole spectrum (or simulated as the data are: fitPseudoData), each
  // histogrammed in every hypothesis' bins, all hypotheses refitted in batched dispatches (q_0).
  const fileBackgrounds = !!o.inputs?.backgrounds?.length;
  const fitPseudo = o.fitPseudoData ?? 'model';
  if (fitPseudo !== 'model' && fitPseudo !== 'simulation') throw new RangeError(`fitPseudoData must be 'model' or 'simulation', got '${fitPseudo}'`);
  const nFit = fitted && (fitPseudo === 'model' || canResample) && fitted.used.some((v) => v) ? (o.fitPseudoExperiments ?? Math.min(FIT_PSEUDO_EXPERIMENTS, nPE)) : 0;
  let fg: FitGlobalSignificance | null = null;
  let cells: ReturnType<typeof backgroundCells> | undefined;
  if (fitted && nFit > 0) {
    t = performance.now();
    fg = await fitGlobalSignificance(backend, fitted.models, {
      include: fitted.used, observedZ: fitted.z, pseudoExperiments: nFit, signal: o.signal, progress,
      pseudoData: async (k) => {
        const kk = foldIn(foldIn(kPE, k), FIT_PE_TAG);
        if (fitPseudo === 'model') return drawFromCells(cells ??= backgroundCells(fitted!.models, await backgroundOnlyCurves(backend, fitted!.models, fitted!.used, o.signal)), kk);
        // As the data (section 5) with the pseudo-experiment's key: independent samples within the pseudo-data budget, else the estimate or the split's data half resampled.
        const parts: Columns[] = [];
        for (const [k, u] of units.entries()) {
          if (!ownData[k]) {
            const c = splitData[k] ? dataHalves[k]! : bgParts[k].c;
            parts.push(candidates(poissonResample(c, c.weight, u.fold(foldIn(kk, 1000 + u.i)), keep), false));
          }
          else {
            const sel = await applyMlp((await ownSample(u, foldIn(kk, u.i), false, `pseudo-data ${u.bg.name}`)).sel);
            parts.push(candidates(sel.weight.every((v) => v === 1) ? sel : poissonResample(sel, sel.weight, u.fold(foldIn(kk, 1000 + u.i)), keep), false));
          }
        }
        if (fileBackgrounds) parts.push(candidates(poissonResample(bgEvents, bgEvents.weight, kk, keep), false));
        return concatColumns(parts, candVars)[candVars[0]];
      },
    });
    lap('look_elsewhere_fits', t);
  }
  let best = 0;
  for (let w = 1; w < W; w++) if (zLocal[w] > zLocal[best]) best = w;
  if (g) best = g.window; // the same maximum; ties broken by the smaller local p
  // The fit model: the largest local significance is the fits' (the global p stays the counting windows').
  let bestFit = -1;
  if (fitSpec) for (let w = 0; w < W; w++) if (windows[w].fit?.used && (bestFit < 0 || windows[w].z_local > windows[bestFit].z_local)) bestFit = w;
  timing.total = Math.round(performance.now() - t0) / 1000;

  const c = def.coupling;
  return {
    kind: 'darkscan-analysis',
    ...provenance(def, o.seed),
    lumi_fb: lumi,
    cl,
    method,
    backend: { name: backend.name, ...backend.info().details },
    variables: candVars,
    variable_labels: [...def.variableLabels],
    mass_names: [...def.massNames],
    reaction: def.reaction,
    limit_name: def.limitName,
    samples: { ...samples, data: dataSource, data_candidates: rows(data), background_candidates: rows(bgCands), background_composition: composition },
    selection: { ...def.selection, ...(o.mlpKeepSignal !== undefined && def.selection.mlp ? { mlp: `${def.selection.mlp}; this run: ${+(100 * o.mlpKeepSignal).toFixed(4)}% (MLP working point set by the run)` } : {}) },
    extra_cuts: [...cuts],
    mlp: mlpInfo,
    grid: { name: grid.name, windows: W, variables: grid.variables, ...grid.params },
    signal_efficiency_map: effMap,
    coupling: { name: c.name, symbol: c.symbol, units: c.units, power: c.power, formula: c.formula, source: c.source, illustrative: c.illustrative },
    ...(def.branchingFraction ? { branching_fraction: { name: def.branchingFraction.name, symbol: def.branchingFraction.symbol, fb_per_unit: def.branchingFraction.fbPerUnit, source: def.branchingFraction.source } } : {}),
    injected,
    fit: fitInfo,
    global: {
      ...(bestFit >= 0 ? { fit_max_z_local: windows[bestFit].z_local, fit_window: bestFit, fit_mass_GeV: def.massesOf(grid, bestFit)[0], fit_p_local: windows[bestFit].p_local } : {}),
      ...(fitted ? {
        fit_pseudo_experiments: nFit, fit_pseudo_data: fitPseudo, fit_exceeding: fg?.exceeding ?? null, fit_p_global: fg?.pGlobal ?? null, fit_p_global_error: fg?.pGlobalError ?? null,
        fit_z_global: fg?.zGlobal ?? null, fit_trials_factor: fg?.trialsFactor ?? null, fit_pseudo_max_z_local: fg?.pseudoMaxZ ?? [],
        fit_refits: fg?.fits ?? 0, fit_refits_not_converged: fg?.unconverged ?? 0,
        fit_method: nFit > 0
          ? `fit_*: the binned fits' look-elsewhere: ${nFit} background-only pseudo-experiments ${fitPseudo === 'model' ? "drawn from the fits' background-only model over the whole spectrum (each hypothesis' background-only fit to the data, blended where the ranges overlap, weight 1 - |x - x_k| / half range; Poisson per cell, uniform within)" : `drawn like the data (${fileBackgrounds ? 'Poisson-resampled background file events' : 'per background an independent sample where the data have one, else the data half of the split sample Poisson-resampled again'})`} (key: seed ${o.seed}, stream ${SEARCH_STREAM}, search id ${def.id}, pseudo-experiment k and ${FIT_PE_TAG} folded in), each histogrammed in every fitted hypothesis' bins (${fg!.hypotheses} hypotheses with background >= ${FIT_MIN_B}), all refitted in batched dispatches (q_0: free fit and mu = 0); the largest local Z per pseudo-experiment (fit_pseudo_max_z_local); fit_p_global = (fit_exceeding + 1) / (N + 1), N = fit_pseudo_experiments`
          : `fit_*: no fit look-elsewhere (${fitPseudo === 'simulation' && !canResample ? 'background given as candidates cannot be resampled' : fitted.used.some((v) => v) ? '0 fit pseudo-experiments' : 'no hypothesis has enough background to be fitted'})`,
        counting_windows: 'the unprefixed fields (max_z_local .. trials_factor, method) are the counting windows\' look-elsewhere (engine/scan.ts window counts), not the fits\'',
      } : {}),
      max_z_local: zLocal[best], window: best, ...def.windowFields(grid, best), p_local: pLocal[best], pseudo_experiments: nDone,
      pseudo_data_by_part: canResample ? bgParts.map((p, i) => ({ background: p.name, ...(p.stratum !== undefined ? { stratum: p.stratum } : {}), pseudo_experiments: swaps[i] ? 'reassigned with the data' : dataOrigin[i] === 'split' ? 'data half resampled' : dataOrigin[i] === 'independent' ? 'estimate bootstrapped and resampled' : dataOrigin[i] === 'none' ? 'none: cannot pass the selection' : 'estimate resampled' })) : [],
      b_rules: B_RULES,
      empty_window_rule: { windows: emptyWindows, samples_that_cannot_populate: unpopulating },
      exceeding: g?.exceeding ?? null, p_global: g?.pGlobal ?? null, p_global_error: g?.pGlobalError ?? null, z_global: g?.zGlobal ?? null, trials_factor: g?.trialsFactor ?? null,
      method: canResample
        ? `background-only pseudo-experiments drawn as the data were, per background part (pseudo_data_by_part): ${[
          ...(swapped ? [`data an independent unit-weight sample and an estimate of one weight: the pooled selected events of data and estimate reassigned at random (N_D of the N_D + N_E generated events to the data, without replacement; key: seed, stream ${SEARCH_STREAM}, search id ${def.id}, pseudo-experiment k, tag ${SWAP_TAG}, part), data and estimate exchangeable under the background-only hypothesis (a permutation test: Good, Permutation Tests (2000)), so pseudo-data can fall where the estimate has no event; b, sigma_b and the empty-window rule recomputed per pseudo-experiment as for the data`] : []),
          ...(peOrigin.includes('same') ? ['data a resampling of the estimate: the estimate Poisson-resampled again'] : []),
          ...(peOrigin.includes('split') ? ['split backgrounds: their data half Poisson-resampled again'] : []),
          ...(peOrigin.includes('independent') ? ['data independent but not reassignable (weighted): the estimate bootstrapped (Poisson(1) copies, Efron 1979), then Poisson-resampled'] : []),
        ].join('; ')}; candidates rebuilt, every window rescanned${fitSpec ? ' by counting (not refitted: fit_max_z_local is the fits\' largest local significance)' : ''}; p = (exceeding + 1) / (N + 1)`
        : 'not computed: background given as candidates cannot be resampled event by event',
    },
    windows,
    timing_s: timing,
    notes: [
      ...def.notes,
      `Defaults (luminosity, CL, method) as in ${def.paper.source}.`,
      `Coupling ${c.symbol}: ${c.formula} (${c.illustrative ? 'ILLUSTRATIVE: ' : ''}${c.source}).`,
      `Windows with less simulated background than ${B_FLOOR} events use b = ${B_FLOOR} (local Z and limits).`,
      `Limit methods (windows): ${Object.entries(methodCounts).map(([k, v]) => `${v} ${k}`).join('; ')} (limit_method, limit_method_reason per window).`,
      `Bayesian limits (and the Bayesian fallback of cls-asymptotic) are computed by ${BAYES_KERNEL_HOW}.`,
      ...(failedWindows ? [`${failedWindows} windows have no limit (NaN; limit_method_reason starts with 'failed:').`] : []),
      'Signal efficiency of a window: selection x containment of the simulated signal in the window nearest its peak, interpolated between the simulated masses (linear in 1D, bilinear in 2D).',
      `The observed data are background-only pseudo-data: per background an independent unweighted sample (its own random stream) where generating it costs at most ${dataBudget} s (one WASM worker: its events at the luminosity x its generator's cost per event); the others (weighted simulation) ${PSEUDO_DATA_LARGE[String(splitMode)]} (samples.data.backgrounds[].made_from says which, .note why). Windows without simulated background (${emptyWindows}, b_rule 'empty-on-off'): ${B_RULES['empty-on-off']}${unpopulating.length ? ` Samples of which the selection keeps no simulated event (${unpopulating.join('; ')}) are bounded in total (background_composition: selected_events_upper_90), not per window.` : ''} Look-elsewhere: global.method.`,
    ],
  };
}
