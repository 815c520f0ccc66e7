// Event samples inside an analysis: generated columns -> selected rows -> EventTables for the
// scan; data as Poisson-weighted resampling of simulation.
import type { EventTable } from '../events.js';
import type { Backend } from '../../host/backend.js';
import type { WindowGrid } from '../windows.js';
import { scan, type ScanResult } from '../scan.js';
import { B_FLOOR, flooredBackground } from '../stats/pvalue.js';
import type { EventSample } from '../generate/index.js';
import { EventRandom, poisson } from '../generate/index.js';
import type { Key } from '../random.js';

export type Columns = Record<string, Float32Array>;

/** Rows of `cols` where mask is 1, as f32 columns (only the named columns). */
export function selectRows(cols: Readonly<Record<string, ArrayLike<number>>>, mask: Uint8Array, names: readonly string[]): Columns {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i];
  const out: Columns = {};
  for (const name of names) {
    const src = cols[name];
    if (!src) throw new Error(`column '${name}' is missing (have: ${Object.keys(cols).join(', ')})`);
    const dst = new Float32Array(n);
    for (let i = 0, k = 0; i < mask.length; i++) if (mask[i]) dst[k++] = src[i];
    out[name] = dst;
  }
  return out;
}

export function concatColumns(parts: readonly Columns[], names: readonly string[]): Columns {
  const out: Columns = {};
  for (const name of names) {
    const total = parts.reduce((s, p) => s + p[name].length, 0);
    const dst = new Float32Array(total);
    let at = 0;
    for (const p of parts) {
      dst.set(p[name], at);
      at += p[name].length;
    }
    out[name] = dst;
  }
  return out;
}

export function rows(c: Columns): number {
  const first = Object.values(c)[0];
  return first ? first.length : 0;
}

export function table(c: Columns, weightColumn?: string): EventTable {
  return { length: rows(c), columns: c, weightColumn };
}

/**
 * Unweighted pseudo-data from a weighted simulated sample: event i appears k_i ~ Poisson(w_i)
 * times. The count in any region is then Poisson with mean sum(w_i) over the region (a sum of
 * independent Poisson variables), i.e. exactly what data from that model would give. The draws
 * are Philox-keyed by (key, event index), so a pseudo-experiment is reproducible from its key.
 */
export function poissonResample(c: Columns, weight: Float32Array, k: Key, names: readonly string[]): Columns {
  const rng = new EventRandom(k);
  const copies = new Uint32Array(weight.length);
  let total = 0;
  for (let i = 0; i < weight.length; i++) {
    copies[i] = poisson(rng.start(i), weight[i]);
    total += copies[i];
  }
  const out: Columns = {};
  for (const name of names) {
    const src = c[name], dst = new Float32Array(total);
    let at = 0;
    for (let i = 0; i < copies.length; i++) for (let j = 0; j < copies[i]; j++) dst[at++] = src[i];
    out[name] = dst;
  }
  return out;
}

/**
 * Split of a sample's events by index: 1 where event i belongs to the first part (probability f),
 * from Philox keyed by k with counter i, so the same for any chunking, worker count or backend.
 */
export function splitMask(n: number, k: Key, f: number): Uint8Array {
  if (!(f > 0 && f < 1)) throw new RangeError(`splitMask: fraction must lie in (0, 1), got ${f}`);
  const rng = new EventRandom(k), m = new Uint8Array(n);
  for (let i = 0; i < n; i++) m[i] = rng.start(i).uniform() < f ? 1 : 0;
  return m;
}

/**
 * A weighted sample split in two by event index (splitMask): the selected events of the first
 * part (probability f) with weights x 1 / f, those of the rest with weights x 1 / (1 - f). Each
 * part's weight sum is an unbiased estimate of the whole's; no event is in both.
 */
export function splitSample(cols: Readonly<Record<string, ArrayLike<number>>>, n: number, selected: Uint8Array, k: Key, f: number, names: readonly string[]): { first: Columns; rest: Columns; firstEvents: number } {
  const half = splitMask(n, k, f), m1 = new Uint8Array(n), m2 = new Uint8Array(n);
  let firstEvents = 0;
  for (let i = 0; i < n; i++) {
    m1[i] = selected[i] & half[i];
    m2[i] = selected[i] & (half[i] ^ 1);
    firstEvents += half[i];
  }
  const first = selectRows(cols, m1, names), rest = selectRows(cols, m2, names);
  first.weight = first.weight.map((w) => w / f);
  rest.weight = rest.weight.map((w) => w / (1 - f));
  return { first, rest, firstEvents };
}

/** Provenance of a generated sample, small enough for results.json. */
export function sampleInfo(s: EventSample, kept: number): Record<string, unknown> {
  const m = s.meta as Record<string, unknown>;
  return {
    process: s.process, seed: s.seed, params: s.params, generated: s.nGenerated, accepted: s.length, selected: kept,
    event_weight: m.event_weight ?? 1, poisson_events: m.poisson_events, expected_events: m.expected_events,
    sigma_fb: s.sigmaFb, sigma_source: s.sigmaSource, sigma_illustrative: s.illustrative,
  };
}

/** A numeric seed (< 2^53) derived from a key, for APIs that take seeds. */
export function seedOf(k: Key): number {
  return k[0] * 2 ** 21 + (k[1] >>> 11);
}

export { B_FLOOR };

/**
 * The scan of selected data against the weighted background simulation, with the local p and Z
 * of every window computed with b = max(b, B_FLOOR) (a window without simulated background would
 * otherwise give Z = infinity for any event in it).
 */
export async function scanWithFloor(backend: Backend, grid: WindowGrid, data: Columns, background: Columns, abort?: AbortSignal): Promise<{ res: ScanResult; bEff: Float64Array; zLocal: Float64Array; pLocal: Float64Array }> {
  const res = await scan(backend, grid, table(data), { background: table(background, 'weight'), abort });
  const W = grid.cx.length;
  // scan() applies the floor to p and Z itself (engine/stats/pvalue.ts B_FLOOR); bEff is for the limits.
  const bEff = res.b!.map(flooredBackground);
  return { res, bEff, zLocal: Float64Array.from(res.z!.subarray(0, W)), pLocal: Float64Array.from(res.p!.subarray(0, W)) };
}
