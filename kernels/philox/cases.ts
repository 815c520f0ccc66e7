// The conformance cases of the philox kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { testSizes, testWords } from '../testing.js';
import { philox } from './desc.js';

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

export function cases(): ConformanceCase[] {
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
