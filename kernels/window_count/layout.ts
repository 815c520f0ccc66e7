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

import { f32ToBits as f32bits } from '../bits.js';

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
  readonly cellW: number;
  readonly cellH: number;
  /** Sorted position -> original row. */
  readonly order: Uint32Array;
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

function defaultCells(n: number, twoD: boolean): [number, number] {
  if (!twoD) return [Math.max(1, Math.min(MAX_CELLS_PER_DIM * 64, Math.round(n / 4))), 1];
  const k = Math.max(1, Math.min(MAX_CELLS_PER_DIM, Math.round(Math.sqrt(n / 4))));
  return [k, k];
}

/**
 * Quantises, bins (counting sort by cell, stable) and packs a sample. `y` undefined: a 1D sample
 * (all y = 0, one row of cells). `w` undefined: unweighted. Four passes over the events
 * (check + quantise + range, cells + histogram, offsets, one scatter of coordinates, weights
 * and rows); test/binning.test.ts keeps it bit for bit equal to the plain definition.
 */
export function binEvents(x: ArrayLike<number>, y: ArrayLike<number> | undefined, w: ArrayLike<number> | undefined, o: BinOptions = {}): BinnedEvents {
  const n = x.length;
  const xName = o.xName ?? 'x', yName = o.yName ?? 'y';
  if (y && y.length !== n) throw new RangeError(`column '${yName}' has ${y.length} rows, '${xName}' has ${n}`);
  if (w && w.length !== n) throw new RangeError(`weight column has ${w.length} rows, '${xName}' has ${n}`);
  const qx = new Float32Array(n), qy = new Float32Array(n);
  // quantiseCoord inlined: v / 2^-24 = v * 2^24 exactly (a power of two)
  const S = 1 / COORD_QUANTUM, Q = COORD_QUANTUM;
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity, bad = false;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (!(Math.abs(v) <= COORD_MAX)) { bad = true; break; }
    const q = Math.fround(Math.round(v * S) * Q);
    qx[i] = q;
    xmin = Math.min(xmin, q); xmax = Math.max(xmax, q);
  }
  if (y && !bad) {
    for (let i = 0; i < n; i++) {
      const v = y[i];
      if (!(Math.abs(v) <= COORD_MAX)) { bad = true; break; }
      const q = Math.fround(Math.round(v * S) * Q);
      qy[i] = q;
      ymin = Math.min(ymin, q); ymax = Math.max(ymax, q);
    }
  } else if (n > 0) ymin = ymax = 0;
  if (bad) { checkCoords(x, xName); if (y) checkCoords(y, yName); }
  if (n === 0) { xmin = xmax = ymin = ymax = 0; }
  const [dnx, dny] = defaultCells(n, !!y);
  const nx = o.nx ?? dnx, ny = y ? (o.ny ?? dny) : 1;
  if (!Number.isInteger(nx) || nx < 1 || !Number.isInteger(ny) || ny < 1 || nx * ny > 1 << 26) throw new RangeError(`bad cell grid ${nx} x ${ny}`);
  const cellW = xmax > xmin ? (xmax - xmin) / nx : 1, cellH = ymax > ymin ? (ymax - ymin) / ny : 1;
  const cell = new Uint32Array(n);
  const off = new Uint32Array(nx * ny + 1);
  for (let i = 0; i < n; i++) {
    // cellIndex inlined (row, then column)
    let r = Math.floor((qy[i] - ymin) / cellH);
    r = r < 0 ? 0 : r >= ny ? ny - 1 : r;
    let k = Math.floor((qx[i] - xmin) / cellW);
    k = k < 0 ? 0 : k >= nx ? nx - 1 : k;
    const c = r * nx + k;
    cell[i] = c;
    off[c + 1]++;
  }
  for (let c = 0; c < nx * ny; c++) off[c + 1] += off[c];
  let wq = new Uint32Array(1), e = 0;
  let ww: ArrayLike<number> | undefined;
  if (w) {
    let maxW = 0;
    for (let i = 0; i < n; i++) {
      if (!(w[i] >= 0) || !Number.isFinite(w[i])) throw new RangeError(`weight column, row ${i}: ${w[i]} is not a finite weight >= 0`);
      maxW = Math.max(maxW, w[i]);
    }
    e = o.weightExp ?? weightExponent(maxW);
    if (!Number.isInteger(e) || Math.round(maxW * 2 ** e) >= 2 ** WEIGHT_BITS) throw new RangeError(`weight exponent ${e}: the largest weight ${maxW} does not fit ${WEIGHT_BITS} bits`);
    wq = new Uint32Array(Math.max(1, n));
    ww = w;
  }
  // one stable scatter: event i goes to the next free place of its cell
  const pos = off.slice(0, nx * ny);
  const order = new Uint32Array(n), sx = new Float32Array(n), sy = new Float32Array(n);
  if (ww) {
    const sc = 2 ** e;
    for (let i = 0; i < n; i++) {
      const j = pos[cell[i]]++;
      order[j] = i; sx[j] = qx[i]; sy[j] = qy[i];
      wq[j] = Math.round(ww[i] * sc);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const j = pos[cell[i]]++;
      order[j] = i; sx[j] = qx[i]; sy[j] = qy[i];
    }
  }
  return { count: n, x: sx, y: sy, w: wq, weighted: !!w, weightExp: e, cellOff: off, nx, ny, x0: xmin, y0: ymin, cellW, cellH, order };
}

/** Cell of a coordinate: floor((v - v0) / width), clamped; monotone non-decreasing in v. */
export function cellIndex(v: number, v0: number, width: number, n: number): number {
  const k = Math.floor((v - v0) / width);
  return k < 0 ? 0 : k >= n ? n - 1 : k;
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
    let col0 = cellIndex(c1 - p1, ev.x0, ev.cellW, ev.nx), col1 = cellIndex(c1 + p1, ev.x0, ev.cellW, ev.nx);
    let row0 = 0, row1 = ev.ny - 1;
    if (twoD) {
      const p2 = a2 * 1.0001 + 1e-6 * (Math.abs(c2) + a2) + 2 * COORD_QUANTUM;
      row0 = cellIndex(c2 - p2, ev.y0, ev.cellH, ev.ny);
      row1 = cellIndex(c2 + p2, ev.y0, ev.cellH, ev.ny);
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
