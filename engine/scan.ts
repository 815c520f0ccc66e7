// Window scans: bins each sample (counting sort into cells), runs the window_count kernel on a
// backend, decodes the exact fixed-point sums, and attaches the local p-value and Z per window.

import { chain, type Backend, type ChainRun } from '../host/backend.js';
import { windowCount } from '../kernels/window_count/desc.js';
import { binCount } from '../kernels/bin_count/desc.js';
import { binScatter } from '../kernels/bin_scatter/desc.js';
import { binRange } from '../kernels/bin_range/desc.js';
import { binEvents, binPrefix, columnRanges, sortedCellOffsets, type BinPlan, binSortArgs, decodeSums, finishBinning, packWindows, planBinning, sortedBinning, weightExponent, windowCountArgs, OUT_WORDS, WEIGHT_BITS, type BinOptions, type BinnedEvents } from '../kernels/window_count/layout.js';
import { column, type EventTable } from './events.js';
import type { WindowGrid } from './windows.js';
import { flooredBackground, localSignificance } from './stats/pvalue.js';
import { runCancellable } from './cancel.js';

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

/** The cells of a binning as packWindows reads them. */
function cellsOf(ev: BinnedEvents): number[] {
  return [ev.count > 0 ? 1 : 0, ev.nx, ev.ny, ev.x0, ev.y0, ev.sx, ev.sy, ev.cellW, ev.cellH];
}

const sameNumbers = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
};

/** Each grid's last packing: its windows (copied) and the binning's cells, and the records packWindows made of them. */
const lastPacking = new WeakMap<WindowGrid, { windows: Float64Array[]; cells: number[]; win: Uint32Array }>();

/**
 * packWindows for a grid and a binned sample, reused while the grid's windows and the binning's
 * cells are those of the grid's last packing (compared, not assumed): rescanning with a changed
 * cut keeps the grid, and often the sample's range. The records are read-only (kernel inputs).
 */
function packCached(grid: WindowGrid, ev: BinnedEvents): Uint32Array {
  const two = grid.shape === 'ellipse';
  const windows = two ? [grid.cx, grid.cy, grid.ax, grid.ay] : [grid.cx, grid.ax];
  const cells = cellsOf(ev), last = lastPacking.get(grid);
  if (last && sameNumbers(last.cells, cells) && last.windows.length === windows.length && last.windows.every((a, k) => sameNumbers(a, windows[k]))) return last.win;
  const win = packWindows(grid.cx, two ? grid.cy : undefined, grid.ax, two ? grid.ay : undefined, ev);
  lastPacking.set(grid, { windows: windows.map((a) => Float64Array.from(a)), cells, win });
  return win;
}

/** A grid's columns of a table, the binning options naming them, and the windows packed for a binned sample. */
function scanInputs(grid: WindowGrid, table: EventTable, bin: BinOptions) {
  const [xv, yv] = grid.variables;
  const two = grid.shape === 'ellipse';
  return {
    x: column(table, xv),
    y: two ? column(table, yv) : undefined,
    w: table.weightColumn ? column(table, table.weightColumn) : undefined,
    bin: { xName: xv, yName: yv, ...bin },
    pack: (ev: BinnedEvents) => packWindows(grid.cx, two ? grid.cy : undefined, grid.ax, two ? grid.ay : undefined, ev),
  };
}

/** The binned sample and packed windows the kernel sees (exposed for tests and benchmarks). */
export function prepareCounts(grid: WindowGrid, table: EventTable, bin: BinOptions = {}): { ev: BinnedEvents; win: Uint32Array } {
  const s = scanInputs(grid, table, bin);
  const ev = binEvents(s.x, s.y, s.w, s.bin);
  return { ev, win: s.pack(ev) };
}

/** On a GPU: the most histogram words (chunks x cells) of the binning kernels, the events per chunk wanted, the most chunks. */
const GPU_HIST_WORDS = 2 ** 22, GPU_CHUNK_EVENTS = 4096, GPU_MAX_CHUNKS = 4096;

/** How binEventsOn splits the counting sort: events per item of the binning kernels, and one or two levels. */
export interface BinSplit { readonly chunk: number; readonly levels: 1 | 2 }

/**
 * The counting sort's split on a backend (any split sorts to the same bits: a speed choice only):
 * one chunk per WASM worker; on a GPU ~n / 4096 chunks (at most 4096) for parallelism while the
 * histograms (chunks x cells words, binPrefix) stay within 2^22 words. Where the cells leave too
 * few chunks for that, a 2D sample is sorted in two levels (by column, then stably by row:
 * histograms of chunks x nx and chunks x ny words), a 1D one with as many chunks as fit.
 */
export function binSplit(backend: Backend, n: number, nx: number, ny: number): BinSplit {
  const d = backend.info().details as { workers?: unknown };
  const split = (items: number, levels: 1 | 2): BinSplit => ({ chunk: Math.max(1, Math.ceil(n / Math.max(1, items))), levels });
  if (typeof d.workers === 'number') return split(d.workers, 1);
  if (backend.name !== 'webgpu') return split(1, 1);
  const want = Math.min(GPU_MAX_CHUNKS, Math.ceil(n / GPU_CHUNK_EVENTS)), one = Math.floor(GPU_HIST_WORDS / (nx * ny));
  if (one >= want || ny === 1) return split(Math.min(want, one), 1);
  return split(Math.min(want, Math.floor(GPU_HIST_WORDS / Math.max(nx, ny))), 2);
}

/**
 * binEvents on a backend: the validation and range as the bin_range kernel, then the counting
 * sort as the bin_count kernel (per chunk of events, the cell histogram), the prefix sums over
 * cells on the host (binPrefix, per cell) and the bin_scatter kernel (the stable placement); the
 * weights follow on the host through `order`. Two levels (binSplit): the same kernels sort by
 * column (cells nx x 1), then the quantised events stably by row (1 x ny): by cell, each cell's
 * events in sample order; the cell offsets then from the sorted events on the host. The same
 * bits as binEvents for any split (`split` overrides binSplit's, for tests).
 */
export async function binEventsOn(backend: Backend, x: ArrayLike<number>, y: ArrayLike<number> | undefined, w: ArrayLike<number> | undefined, bin: BinOptions = {}, signal?: AbortSignal, split?: BinSplit): Promise<BinnedEvents> {
  return binEventsWith((d, a) => backend.run(d, a), backend, x, y, w, bin, signal, split);
}

/** binEventsOn through `run` (a chain's: the sorted events then stay in the backend's memory). */
async function binEventsWith(run: ChainRun, backend: Backend, x: ArrayLike<number>, y: ArrayLike<number> | undefined, w: ArrayLike<number> | undefined, bin: BinOptions, signal?: AbortSignal, split?: BinSplit): Promise<BinnedEvents> {
  const plan = planBinning(x, y, w, bin, await rangesOn(run, backend, x, y, signal));
  if (plan.count === 0) return finishBinning(plan, new Float32Array(0), new Float32Array(0), new Uint32Array(0));
  const { chunk, levels } = split ?? binSplit(backend, plan.count, plan.nx, plan.ny);
  if (levels === 1 || !plan.y) {
    const s = await countingSort(run, plan, chunk, signal);
    return sortedBinning(plan, s.out, s.off);
  }
  const f32 = (u: Uint32Array) => new Float32Array(u.buffer, u.byteOffset, u.length);
  const byCol = (await countingSort(run, { ...plan, ny: 1 }, chunk, signal)).out; // every row clamps to 0
  const byRow = (await countingSort(run, { ...plan, nx: 1, x: f32(byCol.ev_x), y: f32(byCol.ev_y) }, chunk, signal)).out; // quantising again: the identity
  const order = plan.w ? Uint32Array.from(byRow.order, (j) => byCol.order[j]) : byRow.order;
  return sortedBinning(plan, { ev_x: byRow.ev_x, ev_y: byRow.ev_y, order }, sortedCellOffsets(plan, f32(byRow.ev_x), f32(byRow.ev_y)));
}

/** One counting sort of a plan's events by its cells: bin_count, binPrefix, bin_scatter (order written for weighted samples). */
async function countingSort(run: ChainRun, plan: BinPlan, chunk: number, signal?: AbortSignal) {
  const a = binSortArgs(plan, chunk);
  const { hist } = await run(binCount, { ...a.count, signal });
  const { start, off } = binPrefix(hist, a.items, a.cells);
  return { out: await run(binScatter, { ...a.scatter(start), signal }), off };
}

/**
 * The ranges of f32 columns x and y as the bin_range kernel (the coordinate validation as a
 * pass on the backend, reading the events bin_count reads next: in a chain they are copied in
 * once); other columns (f64: planBinning quantises them on the host) and empty ones: undefined.
 */
async function rangesOn(run: ChainRun, backend: Backend, x: ArrayLike<number>, y: ArrayLike<number> | undefined, signal?: AbortSignal) {
  if (!(x instanceof Float32Array) || (y && !(y instanceof Float32Array)) || x.length === 0 || (y && y.length !== x.length)) return undefined;
  const n = x.length, chunk = binSplit(backend, n, 1, 1).chunk, items = Math.ceil(n / chunk);
  const { range } = await run(binRange, { count: items, params: { n_events: n, chunk, two_d: y ? 1 : 0 }, inputs: { x, y: y ?? x }, signal });
  const r = columnRanges(range, items);
  return { x: r.x, y: y ? r.y : undefined };
}

/**
 * Refuses a weighted sample whose smallest positive weight is below the fixed-point quantum
 * 2^-e (e from the largest weight, WEIGHT_BITS bits): such weights would count as 0 (a window
 * of only those would get b = 0), so the sums would not be the exact sums they claim to be.
 */
export function checkWeightRange(source: string | undefined, column: string, maxW: number, minPos: number, below: number): void {
  const e = weightExponent(maxW);
  if (!(minPos * 2 ** e < 1)) return;
  throw new RangeError(`${source ? `${source}: ` : ''}weight column '${column}': weights from ${minPos.toExponential(2)} to ${maxW.toPrecision(3)} (dynamic range ${(maxW / minPos).toPrecision(3)}) ` +
    `exceed the ${WEIGHT_BITS}-bit fixed-point sums (range 2^${WEIGHT_BITS} = ${2 ** WEIGHT_BITS}): ${below} weights are below the quantum 2^-${e} and would count as 0. ` +
    'Drop or merge the negligible-weight events, or scan them as a separate sample');
}

function weightStats(w: ArrayLike<number>, quantumOf?: number): { maxW: number; minPos: number; below: number } {
  let maxW = 0, minPos = Infinity, below = 0;
  for (let i = 0; i < w.length; i++) {
    if (w[i] > maxW) maxW = w[i];
    if (w[i] > 0 && w[i] < minPos) minPos = w[i];
  }
  const q = 2 ** -weightExponent(quantumOf ?? maxW);
  for (let i = 0; i < w.length; i++) if (w[i] > 0 && w[i] < q) below++;
  return { maxW, minPos, below };
}

/**
 * Per window: events inside and weight sums, on the given backend: binning and window_count as one
 * chain (host/backend.ts chain: on WASM the sorted events stay in its memory for window_count).
 * `onBinned` (benchmarks) is called when the sample is binned and the windows packed.
 */
export async function countInWindows(backend: Backend, grid: WindowGrid, table: EventTable, bin: BinOptions = {}, signal?: AbortSignal, onBinned?: () => void): Promise<WindowSums> {
  if (table.weightColumn !== undefined) {
    const s = weightStats(column(table, table.weightColumn));
    checkWeightRange(table.source, table.weightColumn, s.maxW, s.minPos, s.below);
  }
  const s = scanInputs(grid, table, bin);
  return chain(backend, async (run) => {
    const ev = await binEventsWith(run, backend, s.x, s.y, s.w, s.bin, signal);
    const win = packCached(grid, ev);
    onBinned?.();
    const out = (await runCancellable({ run }, windowCount, windowCountArgs(ev, win), signal)).sums; // blocks of windows, a checkpoint between
    return decodeWindowSums(out, ev); // copies out of the chain's memory
  });
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
  /** Per window: b = sum of background weights, sigma_b = sqrt(sum of squared weights) (MC statistics); p and Z use max(b, B_FLOOR). */
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
  return finishScan(backend.name, grid, d, bg, sig, o.relBackgroundSyst);
}

/** b, sigma_b, p and Z per window from the samples' sums (shared by the in-memory and streamed scans). */
export function finishScan(backendName: string, grid: WindowGrid, d: WindowSums, bg?: WindowSums, sig?: WindowSums, relBackgroundSyst = 0): ScanResult {
  if (!bg) return { grid, backend: backendName, data: d, signal: sig };
  const m = d.n.length;
  const rel = relBackgroundSyst;
  if (!(rel >= 0) || !Number.isFinite(rel)) throw new RangeError(`relBackgroundSyst must be finite and >= 0, got ${rel}`);
  const b = new Float64Array(m), sigmaB = new Float64Array(m), p = new Float64Array(m), z = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    b[i] = bg.sumW[i];
    sigmaB[i] = Math.sqrt(bg.sumW2[i] + (rel * b[i]) ** 2);
    const s = localSignificance(d.n[i], flooredBackground(b[i]), sigmaB[i]);
    p[i] = s.p;
    z[i] = s.z;
  }
  return { grid, backend: backendName, data: d, background: bg, signal: sig, b, sigmaB, p, z };
}

// ---- Sharding over windows: every window's result depends only on the events and that window.

/** Windows [first, end) of a grid (views, no copy); params keep the whole grid's description. */
export function sliceGrid(grid: WindowGrid, first: number, end: number): WindowGrid {
  if (!(0 <= first && first <= end && end <= grid.cx.length)) throw new RangeError(`window range [${first}, ${end}) is not within the grid's ${grid.cx.length} windows`);
  return { ...grid, cx: grid.cx.subarray(first, end), cy: grid.cy.subarray(first, end), ax: grid.ax.subarray(first, end), ay: grid.ay.subarray(first, end) };
}

// ---- Streamed scans: samples arrive as a sequence of validated tables (chunks of rows).

/** A re-readable sample: each call starts a new pass over its chunks (weighted samples are read twice). */
export type TableSource = () => AsyncIterable<EventTable>;

export interface StreamedSums extends WindowSums {
  /** Events counted and chunks read (last pass). */
  readonly events: number;
  readonly chunks: number;
}

const TWO32 = 2 ** 32;

/**
 * countInWindows over a sample in chunks: each chunk is binned and counted on its own, and the
 * kernel's integer words (n, 64-bit sum w_q, 96-bit sum w_q^2) are added with carries. Weighted
 * samples take a first pass for the largest weight, so that every chunk quantises with the whole
 * sample's exponent: integer sums do not depend on the order or grouping of the terms, so the
 * result equals countInWindows on the concatenated sample, bit for bit.
 */
export async function countInWindowsStreamed(
  backend: Backend, grid: WindowGrid, source: TableSource,
  o: { bin?: BinOptions; signal?: AbortSignal; onChunk?: (chunk: number, events: number) => void } = {},
): Promise<StreamedSums> {
  const [xv, yv] = grid.variables;
  const two = grid.shape === 'ellipse';
  let weighted: boolean | undefined;
  let maxW = 0, minPos = Infinity;
  let weightExp = 0;
  let wSource: string | undefined, wName = '';
  // Pass 1 (weighted samples only; detected from the first chunk): the largest weight.
  let first = true;
  for await (const t of source()) {
    o.signal?.throwIfAborted();
    if (first) {
      weighted = t.weightColumn !== undefined;
      first = false;
      if (!weighted) break;
    }
    const w = column(t, t.weightColumn!);
    wSource = t.source;
    wName = t.weightColumn!;
    for (let i = 0; i < w.length; i++) {
      if (!(w[i] >= 0) || !Number.isFinite(w[i])) throw new RangeError(`${t.source ? `${t.source}: ` : ''}weight column '${wName}': ${w[i]} is not a finite weight >= 0`);
      if (w[i] > maxW) maxW = w[i];
      if (w[i] > 0 && w[i] < minPos) minPos = w[i];
    }
  }
  if (weighted) {
    weightExp = weightExponent(maxW);
    if (minPos * 2 ** weightExp < 1) {
      let below = 0; // a third pass only to count them for the message
      for await (const t of source()) below += weightStats(column(t, t.weightColumn!), maxW).below;
      checkWeightRange(wSource, wName, maxW, minPos, below);
    }
  }
  const m = grid.cx.length;
  // Accumulators: exact integers in doubles, carried after every chunk (each word stays < 2^33).
  const n = new Float64Array(m), w0 = new Float64Array(m), w1 = new Float64Array(m), q0 = new Float64Array(m), q1 = new Float64Array(m), q2 = new Float64Array(m);
  let events = 0, chunks = 0, cells = { nx: 0, ny: 0 };
  for await (const t of source()) {
    o.signal?.throwIfAborted();
    if ((t.weightColumn !== undefined) !== !!weighted) throw new Error('streamed sample: chunks disagree on the weight column');
    // binning and window_count chained, as countInWindows (the words added up inside the chain)
    await chain(backend, async (run) => {
      const ev = await binEventsWith(run, backend, column(t, xv), two ? column(t, yv) : undefined, weighted ? column(t, t.weightColumn!) : undefined, { xName: xv, yName: yv, ...o.bin, weightExp }, o.signal);
      if (chunks === 0) cells = { nx: ev.nx, ny: ev.ny };
      if (t.length > 0) add((await run(windowCount, { ...windowCountArgs(ev, packCached(grid, ev)), signal: o.signal })).sums);
    });
    chunks++;
    events += t.length;
    if (t.length > 0) o.onChunk?.(chunks, events);
  }
  function add(out: Uint32Array): void {
    for (let i = 0, k = 0; i < m; i++, k += OUT_WORDS) {
      n[i] += out[k];
      let s = w0[i] + out[k + 1];
      w0[i] = s % TWO32;
      w1[i] += out[k + 2] + Math.floor(s / TWO32);
      s = q0[i] + out[k + 3];
      q0[i] = s % TWO32;
      s = q1[i] + out[k + 4] + Math.floor(s / TWO32);
      q1[i] = s % TWO32;
      q2[i] += out[k + 5] + Math.floor(s / TWO32);
    }
  }
  const words = new Uint32Array(m * OUT_WORDS);
  for (let i = 0, k = 0; i < m; i++, k += OUT_WORDS) {
    if (n[i] >= TWO32 || w1[i] >= TWO32 || q2[i] >= TWO32) throw new RangeError(`window ${i}: counts or weight sums exceed the 32/64/96-bit accumulators`);
    words[k] = n[i]; words[k + 1] = w0[i]; words[k + 2] = w1[i]; words[k + 3] = q0[i]; words[k + 4] = q1[i]; words[k + 5] = q2[i];
  }
  const sums = decodeWindowSums(words, { weightExp, weighted: !!weighted, nx: cells.nx, ny: cells.ny } as BinnedEvents);
  return { ...sums, events, chunks };
}

export interface StreamedScanOptions {
  readonly background?: TableSource;
  readonly signal?: TableSource;
  readonly bin?: BinOptions;
  readonly relBackgroundSyst?: number;
  readonly abort?: AbortSignal;
  /** Called after every chunk: sample name, chunks and events so far. */
  readonly onChunk?: (sample: 'data' | 'background' | 'signal', chunk: number, events: number) => void;
}

/** scan() over streamed samples: the same numbers as scan() on the whole samples, with memory bounded by the chunk size. */
export async function scanStreamed(backend: Backend, grid: WindowGrid, data: TableSource, o: StreamedScanOptions = {}): Promise<ScanResult & { data: StreamedSums; background?: StreamedSums; signal?: StreamedSums }> {
  const run = (s: TableSource, name: 'data' | 'background' | 'signal') =>
    countInWindowsStreamed(backend, grid, s, { bin: o.bin, signal: o.abort, onChunk: o.onChunk && ((c, e) => o.onChunk!(name, c, e)) });
  const d = await run(data, 'data');
  const bg = o.background ? await run(o.background, 'background') : undefined;
  const sig = o.signal ? await run(o.signal, 'signal') : undefined;
  return finishScan(backend.name, grid, d, bg, sig, o.relBackgroundSyst) as ScanResult & { data: StreamedSums; background?: StreamedSums; signal?: StreamedSums };
}

/** The scan as JSON-ready rows, units in the key names; `firstWindow` numbers the rows of a shard's slice. */
export function scanRows(r: ScanResult, firstWindow = 0): Record<string, number | null>[] {
  const [xv, yv] = r.grid.variables;
  const two = r.grid.shape === 'ellipse';
  const fin = (v: number): number | null => (Number.isFinite(v) ? v : null);
  const rows: Record<string, number | null>[] = [];
  for (let i = 0; i < r.grid.cx.length; i++) {
    const row: Record<string, number | null> = { window: firstWindow + i, [`centre_${xv}`]: r.grid.cx[i] };
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
