import type { KernelDesc } from '../types.js';
import { DF32_OPS, DF32_OUT_WORDS, df32ProbeRef } from './ref.js';
import mathLib from '../lib/exactmath.wgsl?raw';
import dfLib from '../lib/df32.wgsl?raw';
import wgsl from './df32.wgsl?raw';
import { DF_AB_WORDS, DF32_CONSTANTS } from './layout.js';

export const df32Probe: KernelDesc = {
  name: 'df32',
  wgsl,
  wgslLibs: [mathLib, dfLib],
  workgroupSize: 64,
  params: [{ name: 'ops', type: 'u32', doc: `bit i enables op i of ${DF32_OPS.join(', ')}` }],
  inputs: [{ name: 'ab', type: 'f32', perItem: DF_AB_WORDS, doc: 'a.hi, a.lo, b.hi, b.lo (layout.ts)' }],
  outputs: [{ name: 'r', type: 'u32', perItem: DF32_OUT_WORDS, doc: 'per op: hi, lo bits (lt: a < b, b < a); 0 when masked' }],
  constants: DF32_CONSTANTS,
  ref: df32ProbeRef,
  exactness: 'bits',
};
