import type { KernelDesc } from '../types.js';
import { bayesLimitRef } from './ref.js';
import { BAYES_LIMIT_CONSTANTS, BAYES_WIN_WORDS } from './layout.js';
import lib from '../lib/exactmath.wgsl?raw';
import wgsl from './bayes_limit.wgsl?raw';

export const bayesLimit: KernelDesc = {
  name: 'bayes_limit',
  wgsl,
  wgslLibs: [lib],
  workgroupSize: 64,
  params: [
    { name: 'alpha', type: 'f32', doc: '1 - cl (posterior probability above the limit)' },
    { name: 'points', type: 'u32', doc: 'midpoint nodes of the Gaussian background prior over [-9, 9] sigma' },
    { name: 'step', type: 'f32', doc: 'their spacing, 18 / points rounded to f32' },
  ],
  inputs: [{ name: 'win', type: 'f32', perItem: BAYES_WIN_WORDS, doc: 'per limit: n, b, sigma_b, K = ln Pois(n; max(b, n, 1)) (layout.ts)' }],
  outputs: [
    { name: 'up', type: 'f32', perItem: 1, doc: 'upper limit on the signal count' },
    { name: 'status', type: 'u32', perItem: 1, doc: 'BAYES_OK, or why the host computes this item' },
  ],
  constants: BAYES_LIMIT_CONSTANTS,
  ref: bayesLimitRef,
  exactness: 'bits',
};
