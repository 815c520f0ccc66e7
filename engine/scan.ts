// Window scans: bins each sample (counting sort into cells), runs the window_count kernel on a
// backend, decodes the exact fixed-point sums, and attaches the local p-value and Z per window.

import type { Backend } from '../host/backend.js';
import { windowCount } from '../kernels/window_count/desc.js';
import { binEvents, decodeSums, packWindows, windowCountArgs, type BinOptions, type BinnedEvents } from '../kernels/window_count/layout.js';
import { column, type EventTable } from './events.js';
import type { WindowGrid } from './windows.js';
import { localSignificance } from './stats/pvalue.js';

export interface WindowSums {
  /** Events inside each window. */
  readonly n: Uint32Array;
  /** Sum of weights and of squared weights (= n when the sample is unweighted). */
  readonly sumW: Float64Array;
  readonly sumW2: Float64Array;
  /** Weights were quantised as w_q = round(w 2^weightExp) (0 when unweighted). */
  readonly weightExp: number;
  readonly weighted: boolean;
  readonly cells: { nx: number; ny: number };
}

/** The binned sample and packed windows the kernel sees (exposed for tests and benchmarks). */
export function prepareCounts(grid: WindowGrid, table: EventTable, bin: BinOptions = {}): { ev: BinnedEvents; win: Uint32Array } {
  const [xv, yv] = grid.variables;
  const x = column(table, xv);
  const y = grid.shape === 'ellipse' ? column(table, yv) : undefined;
  const w = table.weightColumn ? column(table, table.weightColumn) : undefined;
  const ev = binEvents(x, y, w, { xName: xv, yName: yv, ...bin });
  const win = packWindows(grid.cx, grid.shape === 'ellipse' ? grid.cy : undefined, grid.ax, grid.shape === 'ellipse' ? grid.ay : undefined, ev);
  return { ev, win };
}

/** Per window: events inside and weight sums, on the given backend. */
export async function countInWindows(backend: Backend, grid: WindowGrid, table: EventTable, bin: BinOptions = {}, signal?: AbortSignal): Promise<WindowSums> {
  const { ev, win } = prepareCounts(grid, table, bin);
  const out = (await backend.run(windowCount, { ...windowCountArgs(ev, win), signal })).sums;
  return decodeWindowSums(out, ev);
}

export function decodeWindowSums(out: Uint32Array, ev: BinnedEvents): WindowSums {
  const m = out.length / 6;
  const n = new Uint32Array(m), sumW = new Float64Array(m), sumW2 = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const s = decodeSums(out, i, ev.weightExp);
    n[i] = s.n;
    sumW[i] = ev.weighted ? s.sumW : s.n;
    sumW2[i] = ev.weighted ? s.sumW2 : s.n;
  }
  return { n, sumW, sumW2, weightExp: ev.weightExp, weighted: ev.weighted, cells: { nx: ev.nx, ny: ev.ny } };
}

export interface ScanResult {
  readonly grid: WindowGrid;
  readonly backend: string;
  readonly data: WindowSums;
  readonly background?: WindowSums;
  readonly signal?: WindowSums;
  /** Per window: b = sum of background weights, sigma_b = sqrt(sum of squared weights) (MC statistics). */
  readonly b?: Float64Array;
  readonly sigmaB?: Float64Array;
  readonly p?: Float64Array;
  readonly z?: Float64Array;
}

export interface ScanOptions {
  readonly background?: EventTable;
  readonly signal?: EventTable;
  readonly bin?: BinOptions;
  /** Extra relative background uncertainty added in quadrature to the MC statistical one (default 0). */
  readonly relBackgroundSyst?: number;
  /** Cancels between kernel chunks. */
  readonly abort?: AbortSignal;
}

/**
 * Scans a grid: observed counts from `data`; b +- sigma_b from the weighted background sample
 * (weights normalised to the data luminosity); the signal sample's weight sums; the local
 * p-value and Z (engine/stats/pvalue.ts) where a background is given.
 */
export async function scan(backend: Backend, grid: WindowGrid, data: EventTable, o: ScanOptions = {}): Promise<ScanResult> {
  const d = await countInWindows(backend, grid, data, o.bin, o.abort);
  const bg = o.background ? await countInWindows(backend, grid, o.background, o.bin, o.abort) : undefined;
  const sig = o.signal ? await countInWindows(backend, grid, o.signal, o.bin, o.abort) : undefined;
  if (!bg) return { grid, backend: backend.name, data: d, signal: sig };
  const m = d.n.length;
  const rel = o.relBackgroundSyst ?? 0;
  if (!(rel >= 0) || !Number.isFinite(rel)) throw new RangeError(`relBackgroundSyst must be finite and >= 0, got ${rel}`);
  const b = new Float64Array(m), sigmaB = new Float64Array(m), p = new Float64Array(m), z = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    b[i] = bg.sumW[i];
    sigmaB[i] = Math.sqrt(bg.sumW2[i] + (rel * b[i]) ** 2);
    const s = localSignificance(d.n[i], b[i], sigmaB[i]);
    p[i] = s.p;
    z[i] = s.z;
  }
  return { grid, backend: backend.name, data: d, background: bg, signal: sig, b, sigmaB, p, z };
}

/** The scan as JSON-ready rows, units in the key names. */
export function scanRows(r: ScanResult): Record<string, number | null>[] {
  const [xv, yv] = r.grid.variables;
  const two = r.grid.shape === 'ellipse';
  const fin = (v: number): number | null => (Number.isFinite(v) ? v : null);
  const rows: Record<string, number | null>[] = [];
  for (let i = 0; i < r.grid.cx.length; i++) {
    const row: Record<string, number | null> = { window: i, [`centre_${xv}`]: r.grid.cx[i] };
    if (two) row[`centre_${yv}`] = r.grid.cy[i];
    row[`semi_axis_${xv}`] = r.grid.ax[i];
    if (two) row[`semi_axis_${yv}`] = r.grid.ay[i];
    row.n = r.data.n[i];
    if (r.b) {
      row.b = r.b[i];
      row.sigma_b = r.sigmaB![i];
      row.p_local = r.p![i];
      row.z_local = fin(r.z![i]);
    }
    if (r.signal) {
      row.signal_sum_w = r.signal.sumW[i];
      row.signal_sum_w2 = r.signal.sumW2[i];
    }
    rows.push(row);
  }
  return rows;
}
