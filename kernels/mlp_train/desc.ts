import type { KernelDesc } from '../types.js';
import { MLP_TRAIN_CONSTANTS, MT_MAX_STEPS, MT_STATE_WORDS } from './layout.js';
import { mlpTrainRef } from './ref.js';
import lib from '../lib/exactmath.wgsl?raw';
import act from '../lib/activation.wgsl?raw';
import wgsl from './mlp_train.wgsl?raw';

export const mlpTrain: KernelDesc = {
  name: 'mlp_train',
  wgsl,
  wgslLibs: [lib, act],
  workgroupSize: 64,
  minItemsPerWorker: 1, // an item is a whole network's training
  params: [
    { name: 'steps', type: 'u32', doc: 'minibatch steps in this dispatch (plan entries per item, <= MT_MAX_STEPS)' },
    { name: 'batch', type: 'u32', doc: 'most rows of one step (a plan step is batch + 1 words)' },
    { name: 'lr', type: 'f32', doc: 'Adam step size' },
    { name: 'l2', type: 'f32', doc: 'L2 penalty on the weights (not the biases)' },
    { name: 'beta1', type: 'f32', doc: "Adam's beta1" },
    { name: 'beta2', type: 'f32', doc: "Adam's beta2" },
    { name: 'ob1', type: 'f32', doc: '1 - beta1, rounded to f32 on the host' },
    { name: 'ob2', type: 'f32', doc: '1 - beta2, rounded to f32 on the host' },
    { name: 'eps', type: 'f32', doc: "Adam's epsilon" },
  ],
  inputs: [
    { name: 'shape', type: 'u32', doc: '[n_layers, hidden activation, n_0 .. n_L] (kernels/mlp_train/layout.ts), shared' },
    { name: 'x', type: 'f32', doc: 'standardised features [rows][n_0], shared' },
    { name: 'yw', type: 'f32', record: 2, doc: 'per row: label (0 / 1), loss weight, shared' },
    { name: 'plan', type: 'u32', doc: 'per item (absolute index) steps x [n_s, batch row indices], shared' },
    { name: 'state', type: 'u32', perItem: MT_STATE_WORDS, doc: 'network state before the steps (layout.ts; f32 values as bits)' },
  ],
  outputs: [
    { name: 'trained', type: 'u32', perItem: MT_STATE_WORDS, doc: 'network state after the steps' },
    { name: 'loss', type: 'f32', perItem: MT_MAX_STEPS, doc: "per step: the weighted BCE summed over the step's rows (0 past `steps`)" },
  ],
  constants: MLP_TRAIN_CONSTANTS,
  ref: mlpTrainRef,
  exactness: 'bits',
};
