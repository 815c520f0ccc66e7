import type { KernelDesc, ConformanceCase } from '../types.js';
import { testSizes, testWords } from '../testing.js';
import { philoxRef } from './ref.js';
import lib from './philox_lib.wgsl?raw';
import wgsl from './philox.wgsl?raw';

export const PHILOX_FORMAT = { u32: 0, uniform: 1 } as const;

// Random123 tests/kat_vectors, the three "philox4x32 10" lines: counter, key, expected output.
export const PHILOX_KAT: readonly { ctr: number[]; key: number[]; out: number[] }[] = [
  { ctr: [0, 0, 0, 0], key: [0, 0], out: [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8] },
  {
    ctr: [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], key: [0xffffffff, 0xffffffff],
    out: [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
  },
  {
    ctr: [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], key: [0xa4093822, 0x299f31d0],
    out: [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
  },
];

function cases(): ConformanceCase[] {
  const out: ConformanceCase[] = PHILOX_KAT.map((v, i) => ({
    name: `kat ${i}`,
    args: {
      count: 1,
      params: { key0: v.key[0], key1: v.key[1], ctr0: v.ctr[0], ctr1: v.ctr[1], ctr2: v.ctr[2], ctr3: v.ctr[3], format: 0 },
    },
    expect: { words: v.out },
  }));
  const sizes = testSizes(philox.workgroupSize);
  sizes.forEach((n, j) => {
    const r = testWords(6, j);
    for (const format of [0, 1]) {
      out.push({
        name: `random key/counter, n=${n}, ${format ? 'uniform f32' : 'u32'}`,
        args: { count: n, params: { key0: r[0], key1: r[1], ctr0: r[2], ctr1: r[3], ctr2: r[4], ctr3: r[5], format } },
      });
    }
  });
  // Edge: the counter's first word wraps around 2^32 inside the range; all-ones keys.
  out.push({
    name: 'counter wrap-around, item offset',
    args: {
      count: 777, itemOffset: 100,
      params: { key0: 0xffffffff, key1: 0xffffffff, ctr0: 0xfffffe00, ctr1: 0xffffffff, ctr2: 0, ctr3: 0x80000000, format: 0 },
    },
  });
  return out;
}

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
  exactness: 'bits',
  cases,
};
