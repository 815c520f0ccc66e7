import type { KernelDesc } from '../types.js';
import { philoxRef } from './ref.js';
import { philoxWebgl2 } from './webgl2.js';
import lib from './philox_lib.wgsl?raw';
import wgsl from './philox.wgsl?raw';

export const PHILOX_FORMAT = { u32: 0, uniform: 1 } as const;

export const philox: KernelDesc = {
  name: 'philox',
  wgsl,
  wgslLibs: [lib],
  workgroupSize: 64,
  params: [
    { name: 'key0', type: 'u32' },
    { name: 'key1', type: 'u32' },
    { name: 'ctr0', type: 'u32', doc: 'first counter word of item 0; item i adds i (mod 2^32)' },
    { name: 'ctr1', type: 'u32' },
    { name: 'ctr2', type: 'u32' },
    { name: 'ctr3', type: 'u32' },
    { name: 'format', type: 'u32', doc: '0: raw u32 words; 1: uniform f32 in [0, 1) (bits)' },
  ],
  inputs: [],
  outputs: [{ name: 'words', type: 'u32', perItem: 4 }],
  ref: philoxRef,
  webgl2: philoxWebgl2,
  exactness: 'bits',
};
