// The whole LLP reinterpretation: sweep, window counts, limits, mixing angle; JSON-ready result.
import type { Backend } from '../../host/backend.js';
import { loadEventFile, type EventTable } from '../events.js';
import { withColumnNames } from '../io/columns.js';
import { uniforms, key, foldIn } from '../random.js';
import { checkpoint } from '../cancel.js';
import { CHANNELS, DAUGHTER_MASS, PRODUCTIONS, generateLlpSample, reducedMass, type Channel, type LlpSample, type Production } from './sample.js';
import { runSweep, type SweepOptions, type SweepResult } from './sweep.js';
import { sidebandCounts, type DataSample } from './background.js';
import { linePlot } from '../plot/svg.js';
import { bMesonCount, limitGrid, productionPerTheta2, type LimitGrid, type LimitMethod } from './limits.js';

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
    ctauGen: gen, meta: { source: path },
  };
}

/** Data file: columns mred_GeV (or m_red_GeV), lxy_cm (or flight_rho_cm), channel (0..3). */
export async function loadData(path: string, columns?: Readonly<Record<string, string>>): Promise<DataSample> {
  const t = await loadMapped(path, columns);
  return { mred: pick(t, ['mred_GeV', 'm_red_GeV'], path), lxy: pick(t, ['lxy_cm', 'flight_rho_cm'], path), channel: channelColumn(t, path) };
}

/**
 * Demo background (illustrative, not Belle II data): per channel `perChannel` events, M_red flat
 * in [0, 4.8] GeV, lxy exponential with mean 0.2 cm (prompt tracks with a displaced tail).
 * Philox key foldIn(key(seed, 0x11b00002), channel + 16 p), p the production mode's index (0: K+, 1: K*0), one block per event.
 */
export async function demoData(backend: Backend, seed: number, perChannel: number, channels: readonly Channel[], signal?: AbortSignal, production: Production = 'K+'): Promise<DataSample> {
  const p = production === 'K+' ? 0 : 1;
  const n = perChannel * channels.length;
  const mred = new Float64Array(n), lxy = new Float64Array(n), channel = new Uint8Array(n);
  let i = 0;
  for (const c of channels) {
    await checkpoint(signal);
    const u = await uniforms(backend, foldIn(key(seed, 0x11b00002), CHANNELS.indexOf(c) + 16 * p), { event: 0 }, perChannel);
    for (let k = 0; k < perChannel; k++, i++) {
      mred[i] = 4.8 * u[4 * k];
      lxy[i] = -0.2 * Math.log(1 - u[4 * k + 1]);
      channel[i] = CHANNELS.indexOf(c);
    }
  }
  return { mred, lxy, channel };
}

export interface AnalysisOptions extends SweepOptions {
  readonly method: LimitMethod;
  readonly cl: number;
  readonly nBBbar: number;
  readonly sidebandK?: number;
  /** Production mode (default 'K+': B+ -> K+ S; 'K*0': B0 -> K*0(-> K+ pi-) S). */
  readonly production?: Production;
}

export interface AnalysisResult {
  readonly sweep: SweepResult;
  readonly limits: LimitGrid;
  readonly json: Record<string, unknown>;
}

export async function analyse(backend: Backend, signal: LlpSample, data: DataSample, o: AnalysisOptions, meta: Record<string, unknown> = {}): Promise<AnalysisResult> {
  const t0 = performance.now();
  const sweep = await runSweep(backend, signal, o);
  const sweepMs = performance.now() - t0;
  const counts = sidebandCounts(data, sweep.windows, o.channels, o.lxyWindow, o.sidebandK ?? 2);
  const production = o.production ?? 'K+', prod = PRODUCTIONS[production];
  const nB = bMesonCount(o.nBBbar, production);
  const perTheta2 = (m: number) => productionPerTheta2(production, m);
  const bf = production === 'K+' ? 'B(B+ -> K+ S)' : 'B(B0 -> K*0 S) x B(K*0 -> K+ pi-)';
  const limits = await limitGrid(sweep, counts, { method: o.method, cl: o.cl, nB, signal: o.signal });
  const nM = o.masses.length, nC = o.channels.length, L = o.ctaus.length;
  const r = (x: number) => (Number.isFinite(x) ? +x.toPrecision(6) : null);
  const json = {
    schema: LLP_RESULT_SCHEMA,
    ...meta,
    backend: backend.name,
    production, production_mode: prod.name,
    units: { mass: 'GeV', ctau: 'cm', lxy: 'cm', limits: `channels[].limit: ${bf} x B(S -> x x); combined_limit: ${bf} under br_model` },
    method: o.method, cl: o.cl, n_BBbar: o.nBBbar, n_B: nB, n_B_kind: `${prod.bMesons} (2 N_BB x ${prod.fB}, PDG 2024)`,
    ...(production === 'K+' ? { n_Bcharged: nB } : {}),
    ctau_gen_cm: signal.ctauGen, lxy_window_cm: o.lxyWindow, mass_window_nsigma: o.nSigma ?? 2,
    masses_GeV: o.masses, channels: o.channels, ctaus_cm: o.ctaus.map(r),
    sweep_ms: +sweepMs.toFixed(1),
    combination: 'product of the channel Poisson likelihoods, flat prior on B(B -> K S), each channel weighted by the model\'s B(S -> xx) (br_model)',
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
export async function demoInputs(backend: Backend, seed: number, channels: readonly Channel[], masses: readonly number[], perCell: number, ctauGenCm: number, abort?: AbortSignal, production: Production = 'K+') {
  const signal = await generateLlpSample({ masses, channels, perCell, ctauGenCm, seed, backend, signal: abort, production });
  const data = await demoData(backend, seed, 20000, channels, abort, production);
  return { signal, data };
}

/** The --demo mass grid, GeV: 1 to 4 in steps of 0.25. */
export const LLP_DEMO_MASSES: readonly number[] = Array.from({ length: 13 }, (_, i) => 1 + 0.25 * i);
export const LLP_DEMO_DATA = 'illustrative flat M_red background, lxy exponential (mean 0.2 cm), 20000 events per channel';

export interface LlpDemoOptions extends Omit<AnalysisOptions, 'masses'> {
  readonly seed: number;
  /** All mass hypotheses of the demo grid (the signal is generated for all of them). */
  readonly masses: readonly number[];
  readonly perCell: number;
  readonly ctauGenCm: number;
  /** masses[first, end) analysed (a shard); default all. */
  readonly range?: readonly [number, number];
}

/** The `llp --demo` computation (also `run --config b-kplus-llp / b-kstar0-llp`): demo samples, sweep, limits; json.kind 'llp'. */
export async function runLlpDemo(backend: Backend, o: LlpDemoOptions): Promise<AnalysisResult & { masses: number[] }> {
  const { signal, data } = await demoInputs(backend, o.seed, o.channels, o.masses, o.perCell, o.ctauGenCm, o.signal, o.production);
  const [first, end] = o.range ?? [0, o.masses.length];
  const masses = o.masses.slice(first, end);
  const r = await analyse(backend, signal, data, { ...o, masses }, { demo: true, seed: o.seed, signal: signal.meta, data: LLP_DEMO_DATA });
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
