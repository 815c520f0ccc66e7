import type { KernelDesc } from '../types.js';
import { exactmathProbeRef } from './ref.js';
import lib from '../lib/exactmath.wgsl?raw';
import wgsl from './exactmath.wgsl?raw';

export const exactmathProbe: KernelDesc = {
  name: 'exactmath',
  wgsl,
  wgslLibs: [lib],
  workgroupSize: 64,
  params: [],
  inputs: [
    { name: 'x', type: 'f32', perItem: 1 },
    { name: 'y', type: 'f32', perItem: 1 },
  ],
  outputs: [{ name: 'r', type: 'u32', perItem: 5, doc: 'exp(x), log|x|, sqrt|x|, 1/x, x/y as bits' }],
  ref: exactmathProbeRef,
  exactness: 'bits',
};
