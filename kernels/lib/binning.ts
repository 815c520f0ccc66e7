// The scan binning's per-event functions (twins: kernels/lib/binning.wgsl, wasm/lib/binning.ts):
// the quantised coordinates and the binning cell of an event, as the bin_count and bin_scatter
// kernels and the host's binEvents (kernels/window_count/layout.ts) compute them. Only exact f32
// operations: scaling by powers of two, floor, comparisons, one rounded subtraction and one
// rounded product per coordinate.

const TWO_24 = 16777216;
const TWO_M24 = 5.9604644775390625e-8;

/**
 * The coordinate quantisation of layout.ts quantiseCoord for an f32 value v, from f32 operations:
 * round(v 2^24) 2^-24 with Math.round's ties towards +infinity and its signed zero (the sign of v).
 * |v 2^24| >= 2^23: v is already a multiple of 2^-24.
 */
export function quantiseF32(v: number): number {
  const t = v * TWO_24; // exact: a power of two
  if (Math.abs(t) >= 8388608) return v;
  const f = Math.floor(t);
  const k = t >= f + 0.5 ? f + 1 : f; // f + 0.5 is exact below 2^23
  if (k === 0) return v < 0 || Object.is(v, -0) ? -0 : 0;
  return k * TWO_M24; // exact: |k| <= 2^23
}

/**
 * Cell of a quantised coordinate q: floor(fl(fl(q - q0) s)), clamped to [0, n - 1] (s = the f32
 * inverse cell width). Monotone non-decreasing in q: both roundings and floor are.
 */
export function cellOf(q: number, q0: number, s: number, n: number): number {
  const c = Math.floor(Math.fround(Math.fround(q - q0) * s));
  return c < 0 ? 0 : c > n - 1 ? n - 1 : c;
}

/** A binning's cells: origins, f32 inverse cell widths, counts, and whether y is binned. */
export interface BinCells { x0: number; y0: number; sx: number; sy: number; nx: number; ny: number; twoD: boolean }

/** The cell of event i (and its quantised coordinates into q[0], q[1]). */
export function eventCell(x: Float32Array, y: Float32Array, i: number, b: BinCells, q: Float64Array): number {
  const a = quantiseF32(x[i]);
  let c = 0, row = 0;
  if (b.twoD) {
    c = quantiseF32(y[i]);
    row = cellOf(c, b.y0, b.sy, b.ny);
  }
  q[0] = a; q[1] = c;
  return row * b.nx + cellOf(a, b.x0, b.sx, b.nx);
}

/** The per-event loop over typed arrays (the host binning binEvents). */
export function binCellsLoop(
  x: Float32Array, y: Float32Array, qx: Float32Array, qy: Float32Array, cell: Uint32Array, n: number,
  x0: number, y0: number, sx: number, sy: number, nx: number, ny: number, twoD: boolean,
): void {
  const b: BinCells = { x0, y0, sx, sy, nx, ny, twoD }, q = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    cell[i] = eventCell(x, y, i, b, q);
    qx[i] = q[0];
    qy[i] = q[1];
  }
}
