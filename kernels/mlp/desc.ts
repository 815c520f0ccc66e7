import type { KernelDesc } from '../types.js';
import { MLP_CONSTANTS } from './layout.js';
import { mlpRef } from './ref.js';
import lib from '../lib/exactmath.wgsl?raw';
import act from '../lib/activation.wgsl?raw';
import wgsl from './mlp.wgsl?raw';

export const mlp: KernelDesc = {
  name: 'mlp',
  wgsl,
  wgslLibs: [lib, act],
  workgroupSize: 64,
  params: [],
  inputs: [
    { name: 'net', type: 'u32', reuse: true, doc: 'packed MLP (kernels/mlp/layout.ts), shared; packModel caches it per model, so it is uploaded once per model' },
    { name: 'x', type: 'f32', doc: 'features, row-major [rows][n_in], row = absolute item index (shared)' },
  ],
  outputs: [{ name: 'score', type: 'f32', perItem: 1, doc: "the score unit of the last layer's output" }],
  constants: MLP_CONSTANTS,
  ref: mlpRef,
  exactness: 'bits',
};
