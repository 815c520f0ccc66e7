import { expect } from 'vitest';

const hex = (x: number): string => `0x${(x >>> 0).toString(16).padStart(8, '0')}`;

/** Asserts two outputs are the same bits; on failure names the first differing word. */
export function expectSameBits(actual: Uint32Array, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i] >>> 0) {
      let diffs = 0;
      for (let j = i; j < actual.length; j++) if (actual[j] !== expected[j] >>> 0) diffs++;
      expect.fail(`${what}: word ${i} is ${hex(actual[i])}, expected ${hex(expected[i])} (${diffs} of ${actual.length} words differ)`);
    }
  }
}
