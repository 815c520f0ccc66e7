// The whole LLP reinterpretation: sweep, window counts, limits, mixing angle; JSON-ready result.
import type { Backend } from '../../host/backend.js';
import { loadEventFile, type EventTable } from '../events.js';
import { withColumnNames } from '../io/columns.js';
import { uniforms, key, foldIn } from '../random.js';
import { checkpoint } from '../cancel.js';
import { CHANNELS, DAUGHTER_MASS, LLP_STREAM_INJECT, PRODUCTIONS, generateLlpSample, llpMixture, reducedMass, type Channel, type LlpSample, type Production } from './sample.js';
import { combineFits, fitCells, LLP_FIT } from './fit.js';
import { FIT_MIN_B, type FitModels } from '../analyses/fit.js';
import { runSweep, type SweepOptions, type SweepResult } from './sweep.js';
import { sidebandCounts, type DataSample } from './background.js';
import { linePlot } from '../plot/svg.js';
import { bMesonCount, limitGrid, productionPerTheta2, type LimitGrid, type LimitMethod } from './limits.js';
import { DARKSCAN_VERSION } from '../version.js';

export const LLP_RESULT_SCHEMA = 'darkscan-llp/1';
const C_CM_PER_NS = 29.9792458;

function pick(t: EventTable, names: readonly string[], src: string, scale: readonly number[] = []): Float64Array {
  for (const [i, n] of names.entries()) {
    const c = t.columns[n];
    if (c) return Float64Array.from(c, (v) => v * (scale[i] ?? 1));
  }
  throw new Error(`${src}: missing column: one of ${names.join(', ')} (the file's columns: ${Object.keys(t.columns).join(', ') || 'none'}); if one of them is ${names[0]}, map it: --columns ${names[0]}=THAT_COLUMN`);
}

function channelColumn(t: EventTable, src: string): Uint8Array {
  const c = t.columns.channel;
  if (!c) throw new Error(`${src}: missing column 'channel' (0 = ee, 1 = mumu, 2 = pipi, 3 = KK; the file's columns: ${Object.keys(t.columns).join(', ') || 'none'}; map yours with --columns channel=THAT_COLUMN)`);
  return Uint8Array.from(c, (v, i) => {
    if (!(Number.isInteger(v) && v >= 0 && v < CHANNELS.length)) throw new Error(`${src}: column 'channel', row ${i}: ${v} is not a channel index 0..3 (ee, mumu, pipi, KK)`);
    return v;
  });
}

/** An event file with the user's column names mapped to darkscan's (`--columns NAME=COLUMN,...`). */
async function loadMapped(path: string, columns?: Readonly<Record<string, string>>): Promise<EventTable> {
  const { table } = await loadEventFile(path, { source: path });
  return columns ? { ...table, columns: withColumnNames(path, table.columns, columns) } : table;
}

/**
 * Signal file: columns ct_cm (or t_proper_ns), lxy_cm (or flight_rho_cm), mred_GeV (or
 * m_red_GeV), m_S_GeV (or truth_m_S_GeV), channel (0..3), ctau_gen_cm (one value), optional weight;
 * other names through `columns` (darkscan's name -> the file's column).
 */
export async function loadSignal(path: string, ctauGenCm?: number, columns?: Readonly<Record<string, string>>): Promise<LlpSample> {
  const t = await loadMapped(path, columns);
  const ct = t.columns.ct_cm ? pick(t, ['ct_cm'], path) : pick(t, ['t_proper_ns'], path, [C_CM_PER_NS]);
  const gen = ctauGenCm ?? (t.columns.ctau_gen_cm ? t.columns.ctau_gen_cm[0] : undefined);
  if (gen === undefined) throw new Error(`${path}: no column 'ctau_gen_cm' and no --ctau-gen given`);
  if (t.columns.ctau_gen_cm) {
    const bad = t.columns.ctau_gen_cm.findIndex((v) => v !== t.columns.ctau_gen_cm[0]);
    if (bad >= 0) throw new Error(`${path}: column 'ctau_gen_cm', row ${bad}: all rows must share one c*tau_gen (got ${t.columns.ctau_gen_cm[bad]} and ${t.columns.ctau_gen_cm[0]})`);
  }
  return {
    ct: Float32Array.from(ct), lxy: Float32Array.from(pick(t, ['lxy_cm', 'flight_rho_cm'], path)), mred: Float32Array.from(pick(t, ['mred_GeV', 'm_red_GeV'], path)),
    gw: t.columns.weight ? Float32Array.from(t.columns.weight) : new Float32Array(t.length).fill(1),
    channel: channelColumn(t, path), mS: Float64Array.from(pick(t, ['m_S_GeV', 'truth_m_S_GeV'], path), (v) => Math.fround(v)),
    ctauGen: [gen], ctauGenFrac: [1], meta: { source: path },
  };
}

/** Data file (or the fit model's background simulation): columns mred_GeV (or m_red_GeV), lxy_cm (or flight_rho_cm), channel (0..3), optional weight (the simulation's; data counts are unweighted). */
export async function loadData(path: string, columns?: Readonly<Record<string, string>>): Promise<DataSample> {
  const t = await loadMapped(path, columns);
  const d = { mred: pick(t, ['mred_GeV', 'm_red_GeV'], path), lxy: pick(t, ['lxy_cm', 'flight_rho_cm'], path), channel: channelColumn(t, path) };
  return t.columns.weight ? { ...d, weight: pick(t, ['weight'], path) } : d;
}

/** The demo data's random stream, and that of the background simulation the fit model takes the M_red shape from. */
export const LLP_DATA_STREAM = 0x11b00002;
export const LLP_BKG_SIM_STREAM = 0x11b00004;

/**
 * Demo background (illustrative, not Belle II data): per channel `perChannel` events, M_red flat
 * in [0, 4.8] GeV, lxy exponential with mean 0.2 cm (prompt tracks with a displaced tail).
 * Philox key foldIn(key(seed, stream), channel + 16 p), p the production mode's index (0: K+, 1: K*0), one block per event;
 * stream LLP_DATA_STREAM for the data, LLP_BKG_SIM_STREAM for the background simulation (weight: each event's).
 */
export async function demoData(backend: Backend, seed: number, perChannel: number, channels: readonly Channel[], signal?: AbortSignal, production: Production = 'K+', stream = LLP_DATA_STREAM, weight?: number): Promise<DataSample> {
  const p = production === 'K+' ? 0 : 1;
  const n = perChannel * channels.length;
  const mred = new Float64Array(n), lxy = new Float64Array(n), channel = new Uint8Array(n);
  let i = 0;
  for (const c of channels) {
    await checkpoint(signal);
    const u = await uniforms(backend, foldIn(key(seed, stream), CHANNELS.indexOf(c) + 16 * p), { event: 0 }, perChannel);
    for (let k = 0; k < perChannel; k++, i++) {
      mred[i] = 4.8 * u[4 * k];
      lxy[i] = -0.2 * Math.log(1 - u[4 * k + 1]);
      channel[i] = CHANNELS.indexOf(c);
    }
  }
  return weight === undefined ? { mred, lxy, channel } : { mred, lxy, channel, weight: new Float64Array(n).fill(weight) };
}

export interface AnalysisOptions extends SweepOptions {
  readonly method: LimitMethod;
  readonly cl: number;
  readonly nBBbar: number;
  readonly sidebandK?: number;
  /** Production mode (default 'K+': B+ -> K+ S; 'K*0': B0 -> K*0(-> K+ pi-) S). */
  readonly production?: Production;
  /**
   * 'window' (default): count events in M_red windows of +-nSigma resolutions, background from the
   * sidebands; 'fit': a binned fit of M_red per (m_S, channel) (engine/llp/fit.ts), the background
   * shape from `background`.
   */
  readonly model?: 'window' | 'fit';
  /** The fit model's background simulation (weighted): its M_red shape in the displaced-vertex window. */
  readonly background?: DataSample;
  /** The fit model: receives the pyhf background-only workspace and patchset that were fitted (--export-pyhf). */
  readonly onFitModels?: (m: FitModels) => void;
  readonly progress?: (s: string) => void;
}

export interface AnalysisResult {
  readonly sweep: SweepResult;
  readonly limits: LimitGrid;
  readonly json: Record<string, unknown>;
}

export async function analyse(backend: Backend, signal: LlpSample, data: DataSample, o: AnalysisOptions, meta: Record<string, unknown> = {}): Promise<AnalysisResult> {
  const t0 = performance.now();
  const fitModel = o.model === 'fit';
  if (fitModel && !o.background) throw new Error('llp: the fit model needs a background simulation (the M_red shape of the background)');
  // The fit's efficiency: decays in the fit range (+-halfRangeSigma resolutions) and the lxy window.
  const nSigma = fitModel ? LLP_FIT.halfRangeSigma : o.nSigma ?? 2;
  const sweep = await runSweep(backend, signal, { ...o, nSigma });
  const sweepMs = performance.now() - t0;
  // Counts in the windows (the fit model: in the fit ranges, for the combination and cells with little background).
  const counts = sidebandCounts(data, sweep.windows, o.channels, o.lxyWindow, o.sidebandK ?? 2);
  const production = o.production ?? 'K+', prod = PRODUCTIONS[production];
  const nB = bMesonCount(o.nBBbar, production);
  const fit = fitModel
    ? await fitCells(backend, sweep, data, o.background!, {
        lxyWindow: o.lxyWindow, sigma: o.sigma, cl: o.cl, nB, production, signal: o.signal, progress: o.progress,
        description: `darkscan llp ${prod.name} (Belle II PRD 108 (2023) L111104)${meta.seed !== undefined ? `, seed ${meta.seed}` : ''}, N_BB = ${o.nBBbar}.`,
      })
    : null;
  if (fit) o.onFitModels?.(fit.models);
  const perTheta2 = (m: number) => productionPerTheta2(production, m);
  const bf = production === 'K+' ? 'B(B+ -> K+ S)' : 'B(B0 -> K*0 S) x B(K*0 -> K+ pi-)';
  const limits = await limitGrid(sweep, counts, { method: o.method, cl: o.cl, nB, signal: o.signal, sUp: fit ? Float64Array.from(fit.cells, (c) => (c?.used ? c.s_up : NaN)) : undefined });
  // The fit model's combination: a simultaneous fit of the channels per (m_S, c tau) under br_model (the counting one where a channel's fit is not usable).
  const comb = fit ? await combineFits(backend, fit, sweep, limits.br, nB, o.cl, { signal: o.signal, progress: o.progress }) : null;
  let countingCombined = 0;
  comb?.combined.forEach((v, i) => (Number.isNaN(v) ? countingCombined++ : (limits.combined[i] = v)));
  let best: { z: number; g: number } | null = null;
  fit?.cells.forEach((c, g) => {
    if (c?.used && (!best || c.z_local > best.z)) best = { z: c.z_local, g };
  });
  const bestFit = best as { z: number; g: number } | null;
  const nM = o.masses.length, nC = o.channels.length, L = o.ctaus.length;
  const r = (x: number) => (Number.isFinite(x) ? +x.toPrecision(6) : null);
  const json = {
    schema: LLP_RESULT_SCHEMA,
    darkscan_version: DARKSCAN_VERSION,
    ...meta,
    backend: backend.name,
    production, production_mode: prod.name,
    units: { mass: 'GeV', ctau: 'cm', lxy: 'cm', limits: `channels[].limit: ${bf} x B(S -> x x); combined_limit: ${bf} under br_model` },
    method: o.method, cl: o.cl, n_BBbar: o.nBBbar, n_B: nB, n_B_kind: `${prod.bMesons} (2 N_BB x ${prod.fB}, PDG 2024)`,
    ...(production === 'K+' ? { n_Bcharged: nB } : {}),
    ctau_gen_cm: signal.ctauGen.length === 1 ? signal.ctauGen[0] : signal.ctauGen, ...(signal.ctauGen.length > 1 ? { ctau_gen_shares: signal.ctauGenFrac, reweighting: 'balance heuristic over the generated lifetime mixture (Veach & Guibas 1995): w = f_j(t) / sum_c a_c f_c(t)' } : {}),
    sample_version: signal.meta.version ?? null, lxy_window_cm: o.lxyWindow, mass_window_nsigma: nSigma,
    model: fitModel ? 'fit' : 'window',
    ...(fit ? {
      fit: {
        doc: LLP_FIT.doc, half_range_sigma: LLP_FIT.halfRangeSigma, bins_per_sigma: LLP_FIT.binsPerSigma, hypotheses: fit.models.hypotheses.length, fits: fit.fits, fits_not_converged: fit.unconverged,
        combination_fits: comb!.fits, combination_fits_not_converged: comb!.unconverged, combination_counting: countingCombined,
        limits: `asymptotic CLs (q~_mu, Cowan et al. EPJC 71 (2011) 1554) on the signal count per (m_S, channel); cells with less than ${FIT_MIN_B} background events in the fit range: ${o.method} counting in it`,
        ...(bestFit ? { max_z_local: bestFit.z, max_z_at: { m_S_GeV: o.masses[Math.floor(bestFit.g / o.channels.length)], channel: o.channels[bestFit.g % o.channels.length] } } : {}),
      },
    } : {}),
    masses_GeV: o.masses, channels: o.channels, ctaus_cm: o.ctaus.map(r),
    sweep_ms: +sweepMs.toFixed(1),
    combination: fitModel
      ? 'simultaneous binned fit of the channels\' M_red models per (m_S, c tau), the signal in channel c = B(B -> K S) x N_B x eff_c(c tau) x B(S -> x_c x_c) of br_model with one POI, asymptotic CLs (q~_mu); where a channel with signal has no usable fit (fit.combination_counting cells): the product of the channels\' Poisson likelihoods of the counts in the fit ranges, flat prior'
      : 'product of the channel Poisson likelihoods, flat prior on B(B -> K S), each channel weighted by the model\'s B(S -> xx) (br_model)',
    br_model: limits.brModel,
    theta2_formula: production === 'K+'
      ? 'B(B+ -> K+ S) = theta^2 x brBtoKSPerTheta2(mS) (Batell-Pospelov-Ritz arXiv:0911.4938; Winkler arXiv:1809.01876; Boiarska et al. arXiv:1904.10447), B(S -> xx) from br_model'
      : 'B(B0 -> K*0 S) x B(K*0 -> K+ pi-) = theta^2 x brB0toKstarSPerTheta2(mS) x 2/3 (A0 form factor of Ball & Zwicky PRD 71 (2005) 014029; Boiarska et al. arXiv:1904.10447), B(S -> xx) from br_model',
    cells: o.masses.map((m, im) => ({
      m_S_GeV: m,
      channels: o.channels.map((c, ic) => {
        const g = im * nC + ic;
        return {
          channel: c, mred_GeV: r(reducedMass(m, DAUGHTER_MASS[c])), window_GeV: [r(sweep.windows[g].lo), r(sweep.windows[g].hi)],
          n_obs: counts[g].n, b: r(counts[g].b), sigma_b: r(counts[g].sigmaB ?? 0), s_up: r(limits.sUp[g]),
          ...(fit ? { limit_method: fit.cells[g]?.used ? 'fit: cls-asymptotic (q~_mu)' : `${o.method}: counting in the fit range (${fit.cells[g] ? `b = ${fit.cells[g]!.background_in_range.toPrecision(3)} < ${FIT_MIN_B}` : 'no efficiency'})`, fit: fit.cells[g] } : {}),
          n_generated: sweep.nGenerated[g],
          efficiency: Array.from(sweep.eff.subarray(g * L, (g + 1) * L), r),
          efficiency_err: Array.from(sweep.effErr.subarray(g * L, (g + 1) * L), r),
          limit: Array.from(limits.perChannel.subarray(g * L, (g + 1) * L), r),
          br_model: r(limits.br[g]),
          theta2_limit: Array.from(limits.perChannel.subarray(g * L, (g + 1) * L), (x) => r(x / (limits.br[g] * perTheta2(m)))),
        };
      }),
      combined_limit: Array.from(limits.combined.subarray(im * L, (im + 1) * L), r),
      theta2_limit: Array.from(limits.combined.subarray(im * L, (im + 1) * L), (x) => r(x / perTheta2(m))),
    })),
  };
  return { sweep, limits, json };
}

/** The demo inputs: a generated signal grid and an illustrative background. */
export async function demoInputs(backend: Backend, seed: number, channels: readonly Channel[], masses: readonly number[], perCell: number, ctauGenCm: number | readonly number[], abort?: AbortSignal, production: Production = 'K+') {
  const signal = await generateLlpSample({ masses, channels, perCell, ctauGenCm, seed, backend, signal: abort, production });
  const data = await demoData(backend, seed, LLP_DEMO_PER_CHANNEL, channels, abort, production);
  return { signal, data };
}

/** The --demo mass grid, GeV: 1 to 4 in steps of 0.25. */
export const LLP_DEMO_MASSES: readonly number[] = Array.from({ length: 13 }, (_, i) => 1 + 0.25 * i);
const LLP_DEMO_PER_CHANNEL = 20000;
const demoDataDoc = (perChannel: number) => `illustrative flat M_red background, lxy exponential (mean 0.2 cm), ${perChannel} events per channel`;
export const LLP_DEMO_DATA = demoDataDoc(LLP_DEMO_PER_CHANNEL);

export interface LlpDemoOptions extends Omit<AnalysisOptions, 'masses'> {
  readonly seed: number;
  /** All mass hypotheses of the demo grid (the signal is generated for all of them). */
  readonly masses: readonly number[];
  readonly perCell: number;
  /** One generated c*tau, cm; default a mixture spanning the swept lifetimes (llpMixture(ctaus)). */
  readonly ctauGenCm?: number;
  /** masses[first, end) analysed (a shard); default all. */
  readonly range?: readonly [number, number];
  /** Signal added to the data: `events` decays at m_S = mass in `channel` with c tau = ctauCm (default ctauGenCm, else 1 cm), before the lxy window (stream LLP_STREAM_INJECT). */
  readonly inject?: { readonly mass: number; readonly channel: Channel; readonly events: number; readonly ctauCm?: number };
}

/** The fit model's background simulation: LLP_BKG_SIM_MULT times the demo data per channel, each event weighted 1 / LLP_BKG_SIM_MULT. */
export const LLP_BKG_SIM_MULT = 5;

/** The `llp --demo` computation (also `run --config b-kplus-llp / b-kstar0-llp`): demo samples, sweep, limits; json.kind 'llp'. */
export async function runLlpDemo(backend: Backend, o: LlpDemoOptions): Promise<AnalysisResult & { masses: number[] }> {
  const { signal, data: bkgData } = await demoInputs(backend, o.seed, o.channels, o.masses, o.perCell, o.ctauGenCm ?? llpMixture(o.ctaus), o.signal, o.production);
  let data = bkgData, injected: Record<string, unknown> | undefined;
  if (o.inject) {
    const { mass, channel, events } = o.inject, ctau = o.inject.ctauCm ?? o.ctauGenCm ?? 1;
    const s = await generateLlpSample({ masses: [mass], channels: [channel], perCell: events, ctauGenCm: ctau, seed: o.seed, backend, signal: o.signal, production: o.production, stream: LLP_STREAM_INJECT });
    const cat = <T extends Float64Array | Uint8Array>(a: ArrayLike<number>, b: ArrayLike<number>, make: (n: number) => T): T => {
      const out = make(a.length + b.length);
      out.set(a, 0);
      out.set(b, a.length);
      return out;
    };
    data = { mred: cat(bkgData.mred, s.mred, (n) => new Float64Array(n)), lxy: cat(bkgData.lxy, s.lxy, (n) => new Float64Array(n)), channel: cat(bkgData.channel, s.channel, (n) => new Uint8Array(n)) };
    injected = { m_S_GeV: mass, channel, ctau_cm: ctau, decays: events, in_lxy_window: Array.from(s.lxy).filter((v) => v >= o.lxyWindow[0] && v < o.lxyWindow[1]).length, stream: LLP_STREAM_INJECT };
  }
  // The fit model's background shape: an independent simulation of the same illustrative background.
  const background = o.model === 'fit' ? await demoData(backend, o.seed, LLP_BKG_SIM_MULT * LLP_DEMO_PER_CHANNEL, o.channels, o.signal, o.production, LLP_BKG_SIM_STREAM, 1 / LLP_BKG_SIM_MULT) : undefined;
  const [first, end] = o.range ?? [0, o.masses.length];
  const masses = o.masses.slice(first, end);
  const r = await analyse(backend, signal, data, { ...o, masses, background }, {
    demo: true, seed: o.seed, signal: signal.meta, data: LLP_DEMO_DATA,
    ...(background ? { background_simulation: `${demoDataDoc(LLP_BKG_SIM_MULT * LLP_DEMO_PER_CHANNEL)}, weight 1/${LLP_BKG_SIM_MULT}, independent stream` } : {}),
    ...(injected ? { injected } : {}),
  });
  Object.assign(r.json, { kind: 'llp', masses_GeV: [...o.masses] });
  return { ...r, masses };
}

/** SVG: a limit against m_S, one line per (every ~L/6-th) lifetime; value(im, j) at mass im, lifetime j. */
export function limitVsMassSvg(p: { masses: readonly number[]; ctaus: readonly number[]; value: (im: number, j: number) => number; title: string; yLabel: string; note?: string }): string {
  const L = p.ctaus.length, step = Math.max(1, Math.floor(L / 6));
  const series = [];
  for (let j = 0; j < L; j += step) series.push({ x: [...p.masses], y: p.masses.map((_, im) => p.value(im, j)), label: `c tau = ${p.ctaus[j].toPrecision(3)} cm` });
  return linePlot({ title: p.title, x: { label: 'm_S [GeV]' }, y: { label: p.yLabel, log: true }, series, note: p.note });
}

/** The branching-fraction label of a production mode's limits. */
export const limitLabel = (production: Production) => (production === 'K+' ? 'B(B+ -> K+ S)' : 'B(B0 -> K*0(-> K+ pi-) S)');
