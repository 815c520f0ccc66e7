// Mass-range model sets: one MLP per range of one column (e.g. the recoil mass), as the Belle II
// Z' -> tau tau search trains one MLP for each of 8 recoil-mass ranges. Ranges are half-open
// [min, max) and must not overlap. An event outside every range gets the set's `outside` outcome:
//   "nan" (default): score NaN (fails every cut `score > c`, so the event is never selected),
//   "error": scoring stops with an error naming the first such row and its value,
//   a number: that score.
// File format ("darkscan-mlp-ranges/1"), model paths relative to the file:
// { "format": "darkscan-mlp-ranges/1", "column": "m_recoil", "unit": "GeV", "outside": "nan",
//   "ranges": [ { "min": 0.5, "max": 1.5, "model": "r0.onnx" }, ... ] }
import type { Backend } from '../../host/backend.js';
import { scoreEvents, type ScoreOptions } from './infer.js';
import type { Mlp } from './model.js';

export const RANGES_FORMAT = 'darkscan-mlp-ranges/1';

export type OutsideOutcome = 'nan' | 'error' | number;

export interface ModelRange {
  readonly min: number;
  readonly max: number;
  readonly model: Mlp;
  /** The model file, for provenance. */
  readonly file?: string;
}

export interface ModelSet {
  readonly column: string;
  readonly unit?: string;
  readonly ranges: readonly ModelRange[];
  readonly outside: OutsideOutcome;
}

export function validateModelSet(s: ModelSet, src = 'model set'): void {
  if (!s.column) throw new Error(`${src}: "column" (the column that selects the model) is required`);
  if (!s.ranges.length) throw new Error(`${src}: "ranges" is empty`);
  const nIn = s.ranges[0].model.nIn;
  const sorted = [...s.ranges].sort((a, b) => a.min - b.min);
  sorted.forEach((r, k) => {
    if (!(Number.isFinite(r.min) && Number.isFinite(r.max) && r.min < r.max)) throw new Error(`${src}: range [${r.min}, ${r.max}) is empty or not finite`);
    if (r.model.nIn !== nIn) throw new Error(`${src}: the model of range [${r.min}, ${r.max}) takes ${r.model.nIn} features, the first takes ${nIn}`);
    if (k > 0 && r.min < sorted[k - 1].max) throw new Error(`${src}: ranges [${sorted[k - 1].min}, ${sorted[k - 1].max}) and [${r.min}, ${r.max}) overlap`);
  });
  if (!(s.outside === 'nan' || s.outside === 'error' || (typeof s.outside === 'number' && Number.isFinite(s.outside)))) {
    throw new Error(`${src}: "outside" must be "nan", "error" or a finite number, got ${JSON.stringify(s.outside)}`);
  }
}

/** Which range each event falls in (-1: none). */
export function assignRanges(s: ModelSet, col: ArrayLike<number>): Int32Array {
  const idx = new Int32Array(col.length);
  for (let r = 0; r < col.length; r++) {
    const v = col[r];
    idx[r] = -1;
    for (let k = 0; k < s.ranges.length; k++) if (v >= s.ranges[k].min && v < s.ranges[k].max) { idx[r] = k; break; }
  }
  return idx;
}

export interface RangeScores {
  readonly scores: Float32Array;
  /** Range index per event, -1 where outside every range. */
  readonly range: Int32Array;
  /** Events per range, and outside. */
  readonly counts: readonly number[];
  readonly outside: number;
}

/**
 * Scores each event with the model of its range: events are gathered per range, scored in one
 * run per model, and scattered back (the bits equal scoring each event alone).
 */
export async function scoreByRange(backend: Backend, s: ModelSet, x: Float32Array, col: ArrayLike<number>, opts: ScoreOptions = {}): Promise<RangeScores> {
  validateModelSet(s);
  const nIn = s.ranges[0].model.nIn;
  const rows = x.length / nIn;
  if (col.length !== rows) throw new RangeError(`range column '${s.column}' has ${col.length} rows, the features have ${rows}`);
  const range = assignRanges(s, col);
  const scores = new Float32Array(rows);
  let outside = 0;
  for (let r = 0; r < rows; r++) {
    if (range[r] >= 0) continue;
    outside++;
    if (s.outside === 'error') throw new RangeError(`row ${r}: ${s.column} = ${col[r]}${s.unit ? ` ${s.unit}` : ''} is outside every model range`);
    scores[r] = s.outside === 'nan' ? NaN : s.outside;
  }
  const counts: number[] = [];
  for (let k = 0; k < s.ranges.length; k++) {
    const rowsK: number[] = [];
    for (let r = 0; r < rows; r++) if (range[r] === k) rowsK.push(r);
    counts.push(rowsK.length);
    if (!rowsK.length) continue;
    const xk = new Float32Array(rowsK.length * nIn);
    rowsK.forEach((r, j) => xk.set(x.subarray(r * nIn, (r + 1) * nIn), j * nIn));
    const sk = await scoreEvents(backend, s.ranges[k].model, xk, opts);
    rowsK.forEach((r, j) => { scores[r] = sk[j]; });
  }
  return { scores, range, counts, outside };
}
