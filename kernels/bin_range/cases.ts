// The conformance cases of the bin_range kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { testWords } from '../testing.js';
import { f32ToBits } from '../bits.js';

/** bin_range's args for f32 bit columns (y undefined: 1D), `chunk` events per item, from item `first` on. */
function rangeArgs(x: Uint32Array, y: Uint32Array | undefined, chunk: number, first = 0) {
  const n = x.length, items = Math.max(1, Math.ceil(n / chunk));
  return { count: items - first, itemOffset: first, params: { n_events: n, chunk, two_d: y ? 1 : 0 }, inputs: { x, y: y ?? x } };
}

const bits = (v: number[]) => Uint32Array.from(v, f32ToBits);

/** Every kind of f32: signed zeros, subnormals, the coordinate bounds, the largest finite, infinities, NaNs of both signs. */
function edgeBits(): Uint32Array {
  const v = bits([0, -0, 1e-45, -1e-45, 1e-40, -1e-40, 1.1754944e-38, -1.1754944e-38, 1e4, -1e4, 1.0000001e4, -1.0000001e4, 3.4028235e38, -3.4028235e38, Infinity, -Infinity, 0.5, -0.5, 10.58, 2 ** -24]);
  return Uint32Array.from([...v, 0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fffffff, 0xffffffff, 0x80000000, 0]);
}

export function cases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  const r = testWords(2 * 5003, 120); // every bit pattern: NaNs, infinities and subnormals included
  out.push({ name: 'random bits (2D, 5003 events), chunks of 64 (last partial)', args: rangeArgs(r.subarray(0, 5003), r.subarray(5003), 64) });
  out.push({ name: 'random bits (1D, 5003 events), chunks of 383, from item 3', args: rangeArgs(r.subarray(0, 5003), undefined, 383, 3) });
  const e = edgeBits();
  out.push({ name: 'edge values (2D), chunks of 1', args: rangeArgs(e, e.slice().reverse(), 1) });
  out.push({ name: 'edge values (2D), chunks of 2', args: rangeArgs(e, e.slice().reverse(), 2) });
  out.push({ name: 'edge values (1D), chunks of 3', args: rangeArgs(e, undefined, 3) });
  // Coordinates in a realistic window of masses (positive, and signed), 2500 events, one chunk and 7.
  const u = testWords(2 * 2500, 121);
  const mx = bits(Array.from(u.subarray(0, 2500), (w) => 0.2 + 10.3 * w * 2 ** -32));
  const my = bits(Array.from(u.subarray(2500), (w) => (w & 1 ? -1 : 1) * 5 * (w * 2 ** -32) ** 2));
  out.push({ name: 'masses (2D, signed y), one chunk', args: rangeArgs(mx, my, 2500) });
  out.push({ name: 'masses (2D, signed y), 7 chunks of 358 (last partial)', args: rangeArgs(mx, my, 358) });
  out.push({ name: 'one event', args: rangeArgs(bits([3.25]), bits([-0]), 1) });
  return out;
}
