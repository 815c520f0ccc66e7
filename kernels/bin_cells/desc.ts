import type { KernelDesc } from '../types.js';
import { binCellsRef } from './ref.js';
import wgsl from './bin_cells.wgsl?raw';

/**
 * bin_cells: the per-event pass of the scan's binning (kernels/window_count/layout.ts binEvents):
 * each event's quantised coordinates and its cell (row * nx + column). The host then counts the
 * cells and places the events (a stable counting sort: integer passes over these outputs).
 */
export const binCells: KernelDesc = {
  name: 'bin_cells',
  wgsl,
  workgroupSize: 64,
  params: [
    { name: 'x0', type: 'f32', doc: 'smallest quantised x (first cell edge)' },
    { name: 'y0', type: 'f32', doc: 'smallest quantised y (0 for 1D)' },
    { name: 'sx', type: 'f32', doc: 'columns per unit x: f32(nx / (x_max - x_min)), 1 for a constant x' },
    { name: 'sy', type: 'f32', doc: 'rows per unit y' },
    { name: 'nx', type: 'u32', doc: 'cell columns' },
    { name: 'ny', type: 'u32', doc: 'cell rows (1 for 1D)' },
    { name: 'two_d', type: 'u32', doc: '1: y is binned; 0: a 1D sample (qy = 0, row 0; in_y unused)' },
  ],
  inputs: [
    { name: 'x', type: 'f32', perItem: 1, doc: 'x coordinate (f32, |x| <= 1e4, validated on the host)' },
    { name: 'y', type: 'f32', perItem: 1, doc: 'y coordinate (any values when two_d = 0)' },
  ],
  outputs: [
    { name: 'qx', type: 'f32', perItem: 1, doc: 'x quantised to a multiple of 2^-24 (layout.ts quantiseCoord)' },
    { name: 'qy', type: 'f32', perItem: 1, doc: 'y quantised (0 for 1D)' },
    { name: 'cell', type: 'u32', perItem: 1, doc: 'row * nx + column' },
  ],
  ref: binCellsRef,
  exactness: 'bits',
};
