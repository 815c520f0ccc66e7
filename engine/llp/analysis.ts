// The LLP searches' inputs: signal and data files (darkscan llp --signal / --data / --background)
// and the demo's illustrative background. The searches themselves are
// definitions of the one pipeline (engine/analyses/searches-llp.ts, run by search.ts runSearch).
import type { Backend } from '../../host/backend.js';
import { loadEventFile, type EventTable } from '../events.js';
import { withColumnNames } from '../io/columns.js';
import { uniforms, key, foldIn } from '../random.js';
import { checkpoint } from '../cancel.js';
import { CHANNELS, type Channel, type LlpSample, type Production } from './sample.js';
import type { DataSample } from './background.js';

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

/** The --demo mass grid, GeV: 1 to 4 in steps of 0.25. */
export const LLP_DEMO_MASSES: readonly number[] = Array.from({ length: 13 }, (_, i) => 1 + 0.25 * i);
/** Demo background events per channel. */
export const LLP_DEMO_PER_CHANNEL = 20000;
export const demoDataDoc = (perChannel: number) => `illustrative flat M_red background, lxy exponential (mean 0.2 cm), ${perChannel} events per channel`;

/** The fit model's background simulation: LLP_BKG_SIM_MULT times the demo data per channel, each event weighted 1 / LLP_BKG_SIM_MULT. */
export const LLP_BKG_SIM_MULT = 5;
