// Host-side input layout of the window_count kernel (the single source of it): quantised event
// coordinates sorted by cell (a counting sort), cell offsets, fixed-point weights, and the
// 8-word window records. Everything here is deterministic double arithmetic on the host; the
// kernels then only compare, subtract, multiply and add f32 and add u32.
//
// Window record (8 u32 words): [cx f32 bits, cy f32 bits, 1/ax^2 f32 bits, 1/ay^2 f32 bits,
//   first cell column, last cell column, first cell row, last cell row] (inclusive; first > last: empty).
// Membership: dx = x - cx, dy = y - cy (f32), t = (dx*dx)*iax2 + (dy*dy)*iay2 (each op rounded to
// f32, no FMA), event inside when t <= 1. Intervals are ellipses with iay2 = 0.

export const WIN_WORDS = 8;
export const WIN_CX = 0;
export const WIN_CY = 1;
export const WIN_IAX2 = 2;
export const WIN_IAY2 = 3;
export const WIN_COL0 = 4;
export const WIN_COL1 = 5;
export const WIN_ROW0 = 6;
export const WIN_ROW1 = 7;
export const OUT_WORDS = 6; // [n, sum_w lo, sum_w hi, sum_w2 lo, sum_w2 mid, sum_w2 hi]
export const SUM_N = 0;
export const SUM_W_LO = 1;
export const SUM_W_HI = 2;
export const SUM_W2_LO = 3;
export const SUM_W2_MID = 4;
export const SUM_W2_HI = 5;
/** The record fields as the kernels see them (KernelDesc.constants: generated into WGSL and AssemblyScript). */
export const WINDOW_COUNT_CONSTANTS = {
  WIN_CX, WIN_CY, WIN_IAX2, WIN_IAY2, WIN_COL0, WIN_COL1, WIN_ROW0, WIN_ROW1,
  SUM_N, SUM_W_LO, SUM_W_HI, SUM_W2_LO, SUM_W2_MID, SUM_W2_HI,
} as const;

/** Coordinates are rounded to multiples of 2^-24 GeV (60 eV): a non-zero f32 difference is >= 2^-24, its square normal. */
export const COORD_QUANTUM = 2 ** -24;
/** Coordinates, centres and semi-axes must lie within these bounds (GeV): no f32 overflow, no subnormal products. */
export const COORD_MAX = 1e4;
export const AXIS_MIN = 1e-6;
export const AXIS_MAX = 1e4;
/** Weights are quantised to integers below 2^24: w_q = round(w 2^e). */
export const WEIGHT_BITS = 24;
/** Maximum cells per dimension of the binning grid. */
export const MAX_CELLS_PER_DIM = 1024;

import { bitsToF32, f32ToBits as f32bits } from '../bits.js';
import { binCellsLoop, cellOf, quantiseF32 } from '../lib/binning.js';
import { keyBits } from '../bin_range/ref.js';

export { f32bits };

/** Nearest multiple of 2^-24, then nearest f32 (exact below 1 GeV; above, the f32 grid is coarser). */
export function quantiseCoord(v: number): number {
  return Math.fround(Math.round(v / COORD_QUANTUM) * COORD_QUANTUM);
}

/** The exponent e for w_q = round(w 2^e) < 2^24, from the largest weight (0 when all are 0). */
export function weightExponent(maxW: number): number {
  if (!(maxW > 0)) return 0;
  let e = WEIGHT_BITS - Math.ceil(Math.log2(maxW)) - 1;
  while (Math.round(maxW * 2 ** e) >= 2 ** WEIGHT_BITS) e--;
  while (Math.round(maxW * 2 ** (e + 1)) < 2 ** WEIGHT_BITS) e++;
  return e;
}

export interface BinnedEvents {
  readonly count: number;
  /** Quantised coordinates (f32), sorted by cell. */
  readonly x: Float32Array;
  readonly y: Float32Array;
  /** Fixed-point weights in the same order (length 1 and unused when unweighted). */
  readonly w: Uint32Array;
  readonly weighted: boolean;
  /** w = w_q 2^-weightExp. */
  readonly weightExp: number;
  /** Cell offsets: cell c = row * nx + col holds events [off[c], off[c + 1]). */
  readonly cellOff: Uint32Array;
  readonly nx: number;
  readonly ny: number;
  readonly x0: number;
  readonly y0: number;
  /** Cell width and height (the range over the cells; informational and for empty-window tests). */
  readonly cellW: number;
  readonly cellH: number;
  /** Columns (rows) per unit x (y) as the f32 the cell function multiplies by (kernels/lib/binning.ts cellOf). */
  readonly sx: number;
  readonly sy: number;
  /** Sorted position -> original row (binEvents; binEventsOn for weighted samples only, where it places the weights). */
  readonly order?: Uint32Array;
}

export interface BinOptions {
  readonly nx?: number;
  readonly ny?: number;
  /** Names for errors. */
  readonly xName?: string;
  readonly yName?: string;
  /**
   * Force the weight exponent e (w_q = round(w 2^e)) instead of deriving it from this sample's
   * largest weight: a sample binned in chunks uses the whole sample's e, so that the chunks'
   * integer sums add up to the whole sample's, bit for bit (engine/scan.ts countInWindowsStreamed).
   */
  readonly weightExp?: number;
}

function checkCoords(a: ArrayLike<number>, name: string): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (!(Math.abs(v) <= COORD_MAX)) throw new RangeError(`column '${name}', row ${i}: ${v} is not within [-${COORD_MAX}, ${COORD_MAX}] GeV`);
  }
}

/**
 * Default cell grid: 1D ~4 events per cell; 2D square, ~16 events per cell. The grid changes no
 * count (the windows' cell boxes are padded), only speed: for the dark Higgsstrahlung grid
 * (8960 windows) at 1e5 / 1e6 / 3e6 events, 16 per cell beat 4 in window_count (1.8 -> 1.3,
 * 6.1 -> 4.6, 12.7 -> 10.1 ms CPU, wasm SIMD) and in the counting sort (smaller histograms).
 */
function defaultCells(n: number, twoD: boolean): [number, number] {
  if (!twoD) return [Math.max(1, Math.min(MAX_CELLS_PER_DIM * 64, Math.round(n / 4))), 1];
  const k = Math.max(1, Math.min(MAX_CELLS_PER_DIM, Math.round(Math.sqrt(n / 16))));
  return [k, k];
}

/** A sample validated and its grid chosen: what the counting sort (binEvents, or bin_count + bin_scatter) needs. */
export interface BinPlan {
  readonly count: number;
  /** The coordinates as f32 (an f64 column is quantised here already: quantising again is the identity). */
  readonly x: Float32Array;
  readonly y: Float32Array | undefined;
  readonly w: ArrayLike<number> | undefined;
  readonly weightExp: number;
  readonly nx: number;
  readonly ny: number;
  readonly x0: number;
  readonly y0: number;
  readonly cellW: number;
  readonly cellH: number;
  readonly sx: number;
  readonly sy: number;
}

/**
 * One column as f32 with its quantised range. A Float32Array is scanned as it is (quantising is
 * monotone, so the range of the quantised values is the quantised range, signed zeros included);
 * any other column is quantised here (double rounding through f32 would differ from quantiseCoord).
 */
function f32Column(a: ArrayLike<number>, name: string, range?: ColumnRange): { v: Float32Array; lo: number; hi: number } {
  const n = a.length;
  let lo = Infinity, hi = -Infinity;
  // Math.min / Math.max order -0 below +0 and propagate NaN: one range check after the loop finds
  // any value out of bounds (checkCoords then names its row).
  if (a instanceof Float32Array) {
    if (range) ({ lo, hi } = range);
    else {
      for (let i = 0; i < n; i++) {
        lo = Math.min(lo, a[i]);
        hi = Math.max(hi, a[i]);
      }
    }
    if (n && !(lo >= -COORD_MAX && hi <= COORD_MAX)) checkCoords(a, name);
    return { v: a, lo: n ? quantiseF32(lo) : 0, hi: n ? quantiseF32(hi) : 0 };
  }
  const v = new Float32Array(n);
  const S = 1 / COORD_QUANTUM, Q = COORD_QUANTUM; // quantiseCoord inlined: v / 2^-24 = v * 2^24 exactly
  for (let i = 0; i < n; i++) {
    const r = a[i];
    if (!(Math.abs(r) <= COORD_MAX)) checkCoords(a, name);
    const q = Math.fround(Math.round(r * S) * Q);
    v[i] = q;
    lo = Math.min(lo, q);
    hi = Math.max(hi, q);
  }
  return { v, lo: n ? lo : 0, hi: n ? hi : 0 };
}

/**
 * A Float32Array column's smallest and largest value as Math.min / Math.max over it give them
 * (-0 below +0; NaN if the column holds one), e.g. from the bin_range kernel (columnRanges).
 */
export interface ColumnRange { readonly lo: number; readonly hi: number }

/**
 * The ranges of x and y from bin_range's output (items x [min x, max x, min y, max y] keys,
 * kernels/bin_range/ref.ts f32Key): the min / max key over the items, decoded. A NaN key lies
 * beyond the infinities, so a column with a NaN gets a NaN bound, as with Math.min / Math.max.
 */
export function columnRanges(range: Uint32Array, items: number): { x: ColumnRange; y: ColumnRange } {
  let x0 = 0xffffffff, x1 = 0, y0 = 0xffffffff, y1 = 0;
  for (let g = 0, k = 0; g < items; g++, k += 4) {
    if (range[k] < x0) x0 = range[k];
    if (range[k + 1] > x1) x1 = range[k + 1];
    if (range[k + 2] < y0) y0 = range[k + 2];
    if (range[k + 3] > y1) y1 = range[k + 3];
  }
  const f = (k: number) => bitsToF32(keyBits(k));
  return { x: { lo: f(x0), hi: f(x1) }, y: { lo: f(y0), hi: f(y1) } };
}

/**
 * Validates a sample (coordinates, weights) and chooses its cell grid. `ranges`: the ranges of
 * x and y when they are Float32Arrays, computed already (bin_range on a backend: columnRanges);
 * the same plan as without.
 */
export function planBinning(x: ArrayLike<number>, y: ArrayLike<number> | undefined, w: ArrayLike<number> | undefined, o: BinOptions = {}, ranges?: { x: ColumnRange; y?: ColumnRange }): BinPlan {
  const n = x.length;
  const xName = o.xName ?? 'x', yName = o.yName ?? 'y';
  if (y && y.length !== n) throw new RangeError(`column '${yName}' has ${y.length} rows, '${xName}' has ${n}`);
  if (w && w.length !== n) throw new RangeError(`weight column has ${w.length} rows, '${xName}' has ${n}`);
  const cx = f32Column(x, xName, ranges?.x);
  const cy = y ? f32Column(y, yName, ranges?.y) : { v: undefined, lo: 0, hi: 0 };
  const [dnx, dny] = defaultCells(n, !!y);
  const nx = o.nx ?? dnx, ny = y ? (o.ny ?? dny) : 1;
  if (!Number.isInteger(nx) || nx < 1 || !Number.isInteger(ny) || ny < 1 || nx * ny > 1 << 26) throw new RangeError(`bad cell grid ${nx} x ${ny}`);
  const xr = cx.hi - cx.lo, yr = cy.hi - cy.lo;
  let e = 0;
  if (w) {
    let maxW = 0;
    for (let i = 0; i < n; i++) {
      if (!(w[i] >= 0) || !Number.isFinite(w[i])) throw new RangeError(`weight column, row ${i}: ${w[i]} is not a finite weight >= 0`);
      maxW = Math.max(maxW, w[i]);
    }
    e = o.weightExp ?? weightExponent(maxW);
    if (!Number.isInteger(e) || Math.round(maxW * 2 ** e) >= 2 ** WEIGHT_BITS) throw new RangeError(`weight exponent ${e}: the largest weight ${maxW} does not fit ${WEIGHT_BITS} bits`);
  }
  return {
    count: n, x: cx.v, y: cy.v, w, weightExp: e, nx, ny, x0: cx.lo, y0: cy.lo,
    cellW: xr > 0 ? xr / nx : 1, cellH: yr > 0 ? yr / ny : 1, sx: xr > 0 ? Math.fround(nx / xr) : 1, sy: yr > 0 ? Math.fround(ny / yr) : 1,
  };
}

/**
 * Arguments of the counting sort's kernels for a plan, `chunk` events per item (any chunk gives
 * the same result): bin_count's (`count`), and bin_scatter's from binPrefix's start (`scatter`;
 * `order` written for weighted samples, or when asked).
 */
export function binSortArgs(p: BinPlan, chunk: number) {
  const n = p.count, nc = p.nx * p.ny;
  if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError(`binning chunk must be a positive integer, got ${chunk}`);
  const items = Math.max(1, Math.ceil(n / chunk));
  if (items * nc > 2 ** 31) throw new RangeError(`binning: ${items} chunks x ${nc} cells exceed the histogram's 2^31 words (use larger chunks)`);
  const params = { x0: p.x0, y0: p.y0, sx: p.sx, sy: p.sy, nx: p.nx, ny: p.ny, two_d: p.y ? 1 : 0, n_events: n, chunk, hist_words: items * nc };
  const inputs = { x: p.x, y: p.y ?? p.x };
  return {
    items, cells: nc,
    count: { count: items, params, inputs },
    scatter: (start: Uint32Array, withOrder = !!p.w) => ({ count: items, params: { ...params, order_words: withOrder ? n : 0 }, inputs: { ...inputs, start } }),
  };
}

/**
 * The counting sort's prefix pass (integer, per cell, not per event) over bin_count's hist
 * (items rows of nc cells): start[g nc + c] = chunk g's first slot in cell c (all events of
 * lower cells, then those of cell c in earlier chunks), off[c] = cell c's first slot (off[nc] = n).
 */
export function binPrefix(hist: Uint32Array, items: number, nc: number): { start: Uint32Array; off: Uint32Array } {
  const off = new Uint32Array(nc + 1);
  let pos = 0;
  if (items === 1) { // one chunk: its first slots are the cell offsets
    for (let c = 0; c < nc; c++) {
      off[c] = pos;
      pos += hist[c];
    }
    off[nc] = pos;
    return { start: off.subarray(0, nc), off };
  }
  const start = new Uint32Array(items * nc);
  for (let c = 0; c < nc; c++) {
    off[c] = pos;
    for (let k = 0, i = c; k < items; k++, i += nc) {
      start[i] = pos;
      pos += hist[i];
    }
  }
  off[nc] = pos;
  return { start, off };
}

/** BinnedEvents from bin_scatter's outputs and the cell offsets (the weights placed on the host through `order`). */
export function sortedBinning(p: BinPlan, out: Readonly<Record<string, Uint32Array>>, cellOff: Uint32Array): BinnedEvents {
  const n = p.count, order = out.order.length === n ? out.order : undefined;
  const f32 = (u: Uint32Array) => new Float32Array(u.buffer, u.byteOffset, u.length);
  let wq = new Uint32Array(1);
  if (p.w && n > 0) {
    if (!order) throw new Error('sortedBinning: a weighted sample needs bin_scatter to write order');
    wq = new Uint32Array(n);
    const ww = p.w, sc = 2 ** p.weightExp;
    for (let j = 0; j < n; j++) wq[j] = Math.round(ww[order[j]] * sc);
  }
  return {
    count: n, x: f32(out.ev_x), y: f32(out.ev_y), w: wq, weighted: !!p.w, weightExp: p.weightExp, cellOff,
    nx: p.nx, ny: p.ny, x0: p.x0, y0: p.y0, cellW: p.cellW, cellH: p.cellH, sx: p.sx, sy: p.sy, order,
  };
}

/** The cell offsets of a plan's events sorted by cell (quantised coordinates): each event's cell counted, then the prefix sums. */
export function sortedCellOffsets(p: BinPlan, qx: Float32Array, qy: Float32Array): Uint32Array {
  const nx = p.nx, nc = nx * p.ny, off = new Uint32Array(nc + 1), twoD = !!p.y;
  for (let i = 0; i < p.count; i++) off[(twoD ? cellOf(qy[i], p.y0, p.sy, p.ny) * nx : 0) + cellOf(qx[i], p.x0, p.sx, nx) + 1]++;
  for (let c = 0; c < nc; c++) off[c + 1] += off[c];
  return off;
}

/**
 * The host's counting sort from the per-event cells: a histogram of the cells, their offsets,
 * then one stable scatter of coordinates, weights and rows (integer passes).
 */
export function finishBinning(p: BinPlan, qx: Float32Array, qy: Float32Array, cell: Uint32Array): BinnedEvents {
  const n = p.count, nx = p.nx, ny = p.ny, nc = nx * ny;
  const off = new Uint32Array(nc + 1);
  for (let i = 0; i < n; i++) off[cell[i] + 1]++;
  for (let c = 0; c < nc; c++) off[c + 1] += off[c];
  const pos = off.slice(0, nc);
  const order = new Uint32Array(n), sx = new Float32Array(n), sy = new Float32Array(n);
  let wq = new Uint32Array(1);
  if (p.w) {
    wq = new Uint32Array(Math.max(1, n));
    const ww = p.w, sc = 2 ** p.weightExp;
    for (let i = 0; i < n; i++) {
      const j = pos[cell[i]]++;
      order[j] = i; sx[j] = qx[i]; sy[j] = qy[i];
      wq[j] = Math.round(ww[i] * sc);
    }
  } else if (p.y) {
    for (let i = 0; i < n; i++) {
      const j = pos[cell[i]]++;
      order[j] = i; sx[j] = qx[i]; sy[j] = qy[i];
    }
  } else {
    for (let i = 0; i < n; i++) { // 1D: y stays 0
      const j = pos[cell[i]]++;
      order[j] = i; sx[j] = qx[i];
    }
  }
  return { count: n, x: sx, y: sy, w: wq, weighted: !!p.w, weightExp: p.weightExp, cellOff: off, nx, ny, x0: p.x0, y0: p.y0, cellW: p.cellW, cellH: p.cellH, sx: p.sx, sy: p.sy, order };
}

/**
 * Quantises, bins (counting sort by cell, stable) and packs a sample on the host: planBinning,
 * the per-event loop (kernels/lib/binning.ts), finishBinning. `y` undefined: a 1D sample (all
 * y = 0, one row of cells). `w` undefined: unweighted. engine/scan.ts binEventsOn runs the sort
 * as the bin_count and bin_scatter kernels on a backend (the same bits); test/binning.test.ts
 * keeps both equal to the plain definition.
 */
export function binEvents(x: ArrayLike<number>, y: ArrayLike<number> | undefined, w: ArrayLike<number> | undefined, o: BinOptions = {}): BinnedEvents {
  const p = planBinning(x, y, w, o);
  const n = p.count, qx = new Float32Array(n), qy = new Float32Array(n), cell = new Uint32Array(n);
  binCellsLoop(p.x, p.y ?? p.x, qx, qy, cell, n, p.x0, p.y0, p.sx, p.sy, p.nx, p.ny, !!p.y);
  return finishBinning(p, qx, qy, cell);
}

/** Cell of a coordinate (any double): the f32 cell function of the binning at the nearest f32 at or below (above: `up`) v. */
export function cellIndex(v: number, v0: number, s: number, n: number, up = false): number {
  let f = Math.fround(v);
  if (up ? f < v : f > v) f = nextF32(f, up);
  return cellOf(f, v0, s, n);
}

/** The next f32 after f towards +infinity (up) or -infinity. */
function nextF32(f: number, up: boolean): number {
  if (f === 0) return up ? 2 ** -149 : -(2 ** -149);
  const b = f32bits(f);
  return bitsToF32((f > 0) === up ? b + 1 : b - 1);
}

/**
 * Window records for centres/semi-axes (GeV). 1D windows: pass ay = undefined. The cell box is
 * the bounding box padded by 1e-4 of the axis plus the f32 rounding of the centre, so that
 * every event the f32 test accepts lies in a visited cell.
 */
export function packWindows(
  cx: ArrayLike<number>, cy: ArrayLike<number> | undefined, ax: ArrayLike<number>, ay: ArrayLike<number> | undefined, ev: BinnedEvents,
): Uint32Array {
  const m = cx.length;
  const out = new Uint32Array(m * WIN_WORDS);
  const twoD = cy !== undefined && ay !== undefined;
  for (let i = 0; i < m; i++) {
    const c1 = quantiseCoord(cx[i]), c2 = twoD ? quantiseCoord(cy![i]) : 0;
    const a1 = ax[i], a2 = twoD ? ay![i] : 0;
    if (!(Math.abs(cx[i]) <= COORD_MAX) || (twoD && !(Math.abs(cy![i]) <= COORD_MAX))) throw new RangeError(`window ${i}: centre is not within [-${COORD_MAX}, ${COORD_MAX}] GeV`);
    if (!(a1 >= AXIS_MIN && a1 <= AXIS_MAX) || (twoD && !(a2 >= AXIS_MIN && a2 <= AXIS_MAX))) {
      throw new RangeError(`window ${i}: semi-axes must be within [${AXIS_MIN}, ${AXIS_MAX}] GeV, got ${a1}${twoD ? `, ${a2}` : ''}`);
    }
    const o = i * WIN_WORDS;
    out[o + WIN_CX] = f32bits(c1);
    out[o + WIN_CY] = f32bits(c2);
    out[o + WIN_IAX2] = f32bits(1 / (a1 * a1));
    out[o + WIN_IAY2] = twoD ? f32bits(1 / (a2 * a2)) : 0;
    const p1 = a1 * 1.0001 + 1e-6 * (Math.abs(c1) + a1) + 2 * COORD_QUANTUM;
    let col0 = cellIndex(c1 - p1, ev.x0, ev.sx, ev.nx), col1 = cellIndex(c1 + p1, ev.x0, ev.sx, ev.nx, true);
    let row0 = 0, row1 = ev.ny - 1;
    if (twoD) {
      const p2 = a2 * 1.0001 + 1e-6 * (Math.abs(c2) + a2) + 2 * COORD_QUANTUM;
      row0 = cellIndex(c2 - p2, ev.y0, ev.sy, ev.ny);
      row1 = cellIndex(c2 + p2, ev.y0, ev.sy, ev.ny, true);
      if (c2 + p2 < ev.y0 || c2 - p2 > ev.y0 + ev.cellH * ev.ny) { row0 = 1; row1 = 0; }
    }
    if (ev.count === 0 || c1 + p1 < ev.x0 || c1 - p1 > ev.x0 + ev.cellW * ev.nx) { col0 = 1; col1 = 0; }
    out[o + WIN_COL0] = col0; out[o + WIN_COL1] = col1; out[o + WIN_ROW0] = row0; out[o + WIN_ROW1] = row1;
  }
  return out;
}

/** Kernel arguments for a binned sample and packed windows. */
export function windowCountArgs(ev: BinnedEvents, win: Uint32Array) {
  return {
    count: win.length / WIN_WORDS,
    params: { nx: ev.nx, weighted: ev.weighted ? 1 : 0 },
    inputs: { win, ev_x: ev.count ? ev.x : new Float32Array(1), ev_y: ev.count ? ev.y : new Float32Array(1), ev_w: ev.w, cell_off: ev.cellOff },
  };
}

/** Decodes a window's 6 output words: n, and the weight sums in units of the sample (w = w_q 2^-e). */
export function decodeSums(out: Uint32Array, i: number, weightExp: number): { n: number; sumW: number; sumW2: number } {
  const o = i * OUT_WORDS;
  const s = 2 ** -weightExp;
  const sumW = (out[o + SUM_W_LO] + out[o + SUM_W_HI] * 2 ** 32) * s;
  const sumW2 = (out[o + SUM_W2_LO] + out[o + SUM_W2_MID] * 2 ** 32 + out[o + SUM_W2_HI] * 2 ** 64) * s * s;
  return { n: out[o + SUM_N], sumW, sumW2 };
}
