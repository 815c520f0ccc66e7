import type { KernelDesc } from '../types.js';
import { fitRef } from './ref.js';
import { FIT_CONSTANTS, ITEM_WORDS, MAXP } from './layout.js';
import mathLib from '../lib/exactmath.wgsl?raw';
import dfLib from '../lib/df32.wgsl?raw';
import devLib from '../lib/deviance.wgsl?raw';
import fitCore from './fit_core.wgsl?raw';
import wgsl from './fit.wgsl?raw';

export const fit: KernelDesc = {
  name: 'fit',
  wgsl,
  wgslLibs: [mathLib, dfLib, devLib, fitCore],
  workgroupSize: 64,
  params: [{ name: 'max_iter', type: 'u32', doc: 'iterations at most (each: derivatives, one LDL solve, one trial)' }],
  inputs: [
    { name: 'model', type: 'u32', reuse: true, doc: 'packed models (kernels/fit/layout.ts)' },
    { name: 'data', type: 'f32', doc: 'data blocks: main counts, Gaussian then Poisson auxiliary data' },
    { name: 'items', type: 'u32', perItem: ITEM_WORDS, doc: 'model offset, data offset, poi mode (0 free, 1 fixed), poi value (f32 bits)' },
  ],
  outputs: [
    { name: 'pars', type: 'f32', perItem: MAXP, doc: 'fitted parameters (zero past the model P)' },
    { name: 'deviance', type: 'f32', perItem: 2, doc: '-2 ln L up to theta-independent constants at the fit, df32 (hi, lo)' },
    { name: 'info', type: 'u32', perItem: 2, doc: 'iterations, status (0 max_iter reached, 1 converged, 2 converged at the noise floor of t, 3 no descent)' },
  ],
  constants: FIT_CONSTANTS,
  ref: fitRef,
  exactness: 'bits',
};
