// The conformance cases of the event_blocks kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { philoxBlock } from '../philox/ref.js';

/** The blocks as the host generator draws them (EventRandom: counter (event, block, 0, 0)), for `expect`. */
function hostBlocks(key0: number, key1: number, first: number, perEvent: number, count: number): number[] {
  const out = new Uint32Array(4 * count);
  for (let k = 0; k < count; k++) philoxBlock((first + Math.floor(k / perEvent)) >>> 0, k % perEvent, 0, 0, key0, key1, out, 4 * k);
  return Array.from(out);
}

function mk(name: string, key0: number, key1: number, first: number, perEvent: number, count: number): ConformanceCase {
  return { name, args: { count, params: { key0, key1, first, per_event: perEvent } }, expect: { words: hostBlocks(key0, key1, first, perEvent, count) } };
}

export function cases(): ConformanceCase[] {
  return [
    mk('1 block per event, 130 events', 0x6e670001, 0x12345678, 0, 1, 130),
    mk('3 blocks per event (lanes straddle events), 1001 items', 0xdeadbeef, 7, 5, 3, 1001),
    mk('16 blocks per event, 2500 items (crosses the test chunk size)', 0x9e3779b9, 0xbb67ae85, 40000, 16, 2500),
    mk('7 blocks per event, last event indices (2^32 - 10 ..)', 1, 2, 2 ** 32 - 10, 7, 70),
    mk('64 blocks per event, 257 items', 0xffffffff, 0, 123456789, 64, 257),
  ];
}
