import { philoxBlock } from './philox/ref.js';

/** Deterministic test inputs from Philox (a fixed test key), never Math.random. */
export function testWords(n: number, stream: number): Uint32Array {
  const out = new Uint32Array(Math.ceil(n / 4) * 4);
  for (let i = 0; i < out.length; i += 4) philoxBlock(i >>> 2, stream, 0x7e57, 0xda4c, 0x5eed, 0xca5e, out, i);
  return out.subarray(0, n);
}

/** Sizes every kernel is tried at: 1, around the workgroup size, and past typical chunk sizes. */
export function testSizes(workgroupSize: number): number[] {
  return [1, workgroupSize - 1, workgroupSize, workgroupSize + 1, 1000, 5003];
}
