import type { KernelDesc } from '../types.js';
import { BIN_INPUTS, BIN_PARAMS } from '../bin_count/desc.js';
import { binScatterRef } from './ref.js';
import lib from '../lib/binning.wgsl?raw';
import wgsl from './bin_scatter.wgsl?raw';

/**
 * bin_scatter: the last pass of the scan's counting sort, after bin_count and the prefix sums
 * over its hist (kernels/window_count/layout.ts binPrefix): item g (a chunk of events) starts
 * its cursors at start's row g (each cell's first slot for this chunk) and places its events in
 * event order, each at its cell's next slot: a stable sort by cell, the same for any chunk
 * size, every slot written by exactly one item.
 */
export const binScatter: KernelDesc = {
  name: 'bin_scatter',
  wgsl,
  wgslLibs: [lib],
  workgroupSize: 64,
  minItemsPerWorker: 1,
  params: [...BIN_PARAMS, { name: 'order_words', type: 'u32', doc: 'n_events: write order; 0: do not (unweighted scans need no order)' }],
  inputs: [
    ...BIN_INPUTS,
    { name: 'start', type: 'u32', doc: "row g: chunk g's first slot per cell (binPrefix of bin_count's hist for the same params)" },
  ],
  outputs: [
    { name: 'ev_x', type: 'f32', length: 'n_events', doc: 'quantised x, sorted by cell (event order within a cell)' },
    { name: 'ev_y', type: 'f32', length: 'n_events', doc: 'quantised y (0 for 1D), same order' },
    { name: 'order', type: 'u32', length: 'order_words', doc: 'sorted slot -> event index (when order_words = n_events)' },
    { name: 'cursor', type: 'u32', length: 'hist_words', doc: "row g: each cell's slot after chunk g's events" },
  ],
  ref: binScatterRef,
  exactness: 'bits',
};
