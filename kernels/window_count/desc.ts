import type { KernelDesc } from '../types.js';
import { windowCountRef } from './ref.js';
import { OUT_WORDS, WIN_WORDS, WINDOW_COUNT_CONSTANTS } from './layout.js';
import { windowCountWebgl2 } from './webgl2.js';
import wgsl from './window_count.wgsl?raw';

export const windowCount: KernelDesc = {
  name: 'window_count',
  wgsl,
  workgroupSize: 64,
  params: [
    { name: 'nx', type: 'u32', doc: 'cell columns of the binning grid (cell = row * nx + column)' },
    { name: 'weighted', type: 'u32', doc: '1: accumulate ev_w; 0: counts only (ev_w unused)' },
  ],
  inputs: [
    { name: 'win', type: 'u32', perItem: WIN_WORDS, doc: 'window records, see layout.ts' },
    { name: 'ev_x', type: 'f32', doc: 'quantised x, sorted by cell' },
    { name: 'ev_y', type: 'f32', doc: 'quantised y (0 for 1D), sorted by cell' },
    { name: 'ev_w', type: 'u32', doc: 'fixed-point weights < 2^24, same order' },
    { name: 'cell_off', type: 'u32', doc: 'nx * ny + 1 cell offsets' },
  ],
  outputs: [{ name: 'sums', type: 'u32', perItem: OUT_WORDS, doc: '[n, sum_w lo, hi, sum_w2 lo, mid, hi]' }],
  constants: WINDOW_COUNT_CONSTANTS,
  ref: windowCountRef,
  webgl2: windowCountWebgl2,
  exactness: 'bits',
};
