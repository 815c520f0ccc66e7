import type { BufferSpec, KernelDesc, ParamSpec } from '../types.js';
import { binCountRef } from './ref.js';
import lib from '../lib/binning.wgsl?raw';
import wgsl from './bin_count.wgsl?raw';

/** The params both binning kernels share (desc order; kernels/bin_count/ref.ts binParams reads them). */
export const BIN_PARAMS: readonly ParamSpec[] = [
  { name: 'x0', type: 'f32', doc: 'smallest quantised x (first cell edge)' },
  { name: 'y0', type: 'f32', doc: 'smallest quantised y (0 for 1D)' },
  { name: 'sx', type: 'f32', doc: 'columns per unit x: f32(nx / (x_max - x_min)), 1 for a constant x' },
  { name: 'sy', type: 'f32', doc: 'rows per unit y' },
  { name: 'nx', type: 'u32', doc: 'cell columns' },
  { name: 'ny', type: 'u32', doc: 'cell rows (1 for 1D)' },
  { name: 'two_d', type: 'u32', doc: '1: y is binned; 0: a 1D sample (qy = 0, row 0; in_y unused)' },
  { name: 'n_events', type: 'u32', doc: 'events in x and y' },
  { name: 'chunk', type: 'u32', doc: 'events per item: item g takes events [g chunk, (g + 1) chunk)' },
  { name: 'hist_words', type: 'u32', doc: 'items x cells: the length of hist (and of cursor)' },
];

/** The event inputs both binning kernels read (bin_scatter adds its start rows). */
export const BIN_INPUTS: readonly BufferSpec[] = [
  { name: 'x', type: 'f32', doc: 'x coordinate (f32, |x| <= 1e4, validated on the host)' },
  { name: 'y', type: 'f32', doc: 'y coordinate (any values when two_d = 0)' },
];

/**
 * bin_count: the first pass of the scan's counting sort (kernels/window_count/layout.ts
 * binEvents): item g quantises the events of its chunk, finds their cells (row * nx + column,
 * kernels/lib/binning) and counts them per cell into its own row of hist. Any chunk size gives
 * the same sorted result (bin_scatter): the host picks one item per worker.
 */
export const binCount: KernelDesc = {
  name: 'bin_count',
  wgsl,
  wgslLibs: [lib],
  workgroupSize: 64,
  minItemsPerWorker: 1,
  params: BIN_PARAMS,
  inputs: BIN_INPUTS,
  outputs: [{ name: 'hist', type: 'u32', length: 'hist_words', doc: 'row g: the events of chunk g per cell' }],
  ref: binCountRef,
  exactness: 'bits',
};
