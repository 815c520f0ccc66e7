import type { KernelDesc } from '../types.js';
import { Q_WORDS, TOYS_CONSTANTS, toysRef, WIN_WORDS } from './ref.js';
import philoxLib from '../philox/philox_lib.wgsl?raw';
import mathLib from '../lib/exactmath.wgsl?raw';
import samplingLib from '../lib/sampling.wgsl?raw';
import devLib from '../lib/deviance.wgsl?raw';
import wgsl from './toys.wgsl?raw';

export const toys: KernelDesc = {
  name: 'toys',
  wgsl,
  wgslLibs: [philoxLib, mathLib, samplingLib, devLib],
  workgroupSize: 64,
  params: [
    { name: 'key_sb0', type: 'u32', doc: 'Philox key of the signal+background toys' },
    { name: 'key_sb1', type: 'u32' },
    { name: 'key_b0', type: 'u32', doc: 'Philox key of the background-only toys' },
    { name: 'key_b1', type: 'u32' },
    { name: 'toys', type: 'u32', doc: 'toys per window: item a is window a / toys, toy toy0 + a % toys' },
    { name: 'toy0', type: 'u32', doc: 'first toy index (counter word 2)' },
    { name: 'kind', type: 'u32', doc: '0 known b, 1 gauss, 2 poisson (shapesys), 3 lognormal' },
    { name: 'stat', type: 'u32', doc: '0: q~_mu (limits), 1: q_0 (discovery)' },
  ],
  inputs: [{ name: 'win', type: 'f32', record: WIN_WORDS, doc: 'per window (shared): s = mu s_ref, b, sigma_b / tau / ln kappa, theta_sb, theta_b, 0, 0, 0' }],
  outputs: [{ name: 'q', type: 'f32', perItem: Q_WORDS, doc: 'q~_mu of the s+b toy and of the b-only toy' }],
  constants: TOYS_CONSTANTS,
  ref: toysRef,
  exactness: 'bits',
};
