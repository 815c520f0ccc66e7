import type { KernelDesc } from '../types.js';
import { ITERS_WORDS, SET_WORDS, TOYFIT_CONSTANTS, toyfitRef } from './ref.js';
import philoxLib from '../philox/philox_lib.wgsl?raw';
import mathLib from '../lib/exactmath.wgsl?raw';
import samplingLib from '../lib/sampling.wgsl?raw';
import dfLib from '../lib/df32.wgsl?raw';
import devLib from '../lib/deviance.wgsl?raw';
import fitCore from '../fit/fit_core.wgsl?raw';
import wgsl from './toyfit.wgsl?raw';

export const toyfit: KernelDesc = {
  name: 'toyfit',
  wgsl,
  wgslLibs: [philoxLib, mathLib, samplingLib, dfLib, devLib, fitCore],
  workgroupSize: 64,
  params: [
    { name: 'toys', type: 'u32', doc: 'toys per set: item a is set a / toys, toy toy0 + a % toys' },
    { name: 'toy0', type: 'u32', doc: 'first toy index (counter word 2)' },
    { name: 'max_iter', type: 'u32', doc: 'iterations at most of each fit' },
    { name: 'stat', type: 'u32', doc: '0 q~_mu, 1 q_mu, 2 q_0' },
  ],
  inputs: [
    { name: 'model', type: 'u32', reuse: true, doc: 'packed models (kernels/fit/layout.ts)' },
    { name: 'gen', type: 'f32', doc: 'generating blocks: main rates, Gaussian aux centres, Poisson aux means' },
    { name: 'sets', type: 'u32', record: SET_WORDS, doc: 'per set: model offset, gen offset, mu (f32 bits), Philox key (2 words)' },
  ],
  outputs: [
    { name: 'q', type: 'f32', perItem: 1, doc: 'test statistic of the toy' },
    { name: 'muhat', type: 'f32', perItem: 1, doc: 'POI of the free fit' },
    { name: 'status', type: 'u32', perItem: 1, doc: '0: both fits converged; bit 0 / 1: the conditional / free fit ended at max_iter' },
    { name: 'iters', type: 'u32', perItem: ITERS_WORDS, doc: 'iterations of the conditional and the free fit' },
  ],
  constants: TOYFIT_CONSTANTS,
  ref: toyfitRef,
  exactness: 'bits',
};
