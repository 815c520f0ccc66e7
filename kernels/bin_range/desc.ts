import type { KernelDesc } from '../types.js';
import { binRangeRef } from './ref.js';
import wgsl from './bin_range.wgsl?raw';

/**
 * bin_range: the validation pass of the scan's counting sort, before bin_count (the cells need
 * the sample's range): item g takes a chunk of events and writes the smallest and largest
 * coordinate of x and y as ordered keys of their f32 bits (kernels/bin_range/ref.ts f32Key:
 * unsigned order = the order of the values, -0 below +0, NaNs beyond the infinities). Integer
 * operations only, so any bits (NaN, infinities, subnormals) give the same words everywhere; the
 * host takes the min / max over the items and checks the coordinate bounds
 * (kernels/window_count/layout.ts planBinning).
 */
export const binRange: KernelDesc = {
  name: 'bin_range',
  wgsl,
  workgroupSize: 64,
  minItemsPerWorker: 1,
  params: [
    { name: 'n_events', type: 'u32', doc: 'events in x and y' },
    { name: 'chunk', type: 'u32', doc: 'events per item: item g takes events [g chunk, (g + 1) chunk)' },
    { name: 'two_d', type: 'u32', doc: '1: y too; 0: a 1D sample (y words: the empty range)' },
  ],
  inputs: [
    { name: 'x', type: 'u32', doc: 'x coordinate (f32 bits)' },
    { name: 'y', type: 'u32', doc: 'y coordinate (f32 bits; unread when two_d = 0)' },
  ],
  outputs: [{ name: 'range', type: 'u32', perItem: 4, doc: "keys of the chunk's [min x, max x, min y, max y] (empty: [2^32 - 1, 0, ...])" }],
  ref: binRangeRef,
  exactness: 'bits',
};
