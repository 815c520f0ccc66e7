// The conformance cases of the bin_count kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { testWords } from '../testing.js';
import { planBinning, binSortArgs } from '../window_count/layout.js';

const U = 2 ** -32;

/** Coordinates that reach every branch of the quantisation: ties at half a quantum, signed zeros, tiny and subnormal values, |v| >= 0.5, the bounds. */
function edgeValues(): number[] {
  const q = 2 ** -24, v: number[] = [0, -0, 1e-30, -1e-30, 1e-40, -1e-40, q / 2, -q / 2, q / 2 * 0.999, -q / 2 * 1.001, q, -q, 1.5 * q, -1.5 * q, 2.5 * q, -2.5 * q];
  for (const k of [1, 2, 3, 1000, 2 ** 20 + 1, 2 ** 22 + 3, 2 ** 23 - 1]) v.push((k + 0.5) * q, -(k + 0.5) * q, (k + 0.49) * q, -(k + 0.51) * q);
  v.push(0.5, -0.5, 0.5 - q / 2, 0.75, 1, -1, 1 + 2 ** -23, 10.58, 1e4, -1e4, 9999.999, 2 ** 13 + 2 ** -10);
  return v;
}

/** A binning sample's two kernels' args (bin_scatter's cases add bin_count's hist), chunk = events per item. */
export function binSample(x: ArrayLike<number>, y: ArrayLike<number> | undefined, chunk: number, nx?: number, ny?: number) {
  const xf = Float32Array.from(x), yf = y ? Float32Array.from(y) : undefined;
  return binSortArgs(planBinning(xf, yf, undefined, { nx, ny }), chunk);
}

/** Named samples and chunk sizes, shared with bin_scatter's cases. */
export function binSamples(): { name: string; args: ReturnType<typeof binSample> }[] {
  const out: { name: string; args: ReturnType<typeof binSample> }[] = [];
  const n = 2500;
  const u = testWords(3 * n, 90);
  const x = Array.from({ length: n }, (_, i) => 0.2 + 10.3 * u[3 * i] * U);
  const y = Array.from({ length: n }, (_, i) => (u[3 * i + 2] & 1 ? -1 : 1) * 5 * (u[3 * i + 1] * U) ** 2);
  out.push({ name: '2D, 2500 events (signed y), default grid, one chunk', args: binSample(x, y, n) });
  out.push({ name: '2D, 2500 events, 1003 chunks of 2 + 1 (crosses the test GPU chunk of 1000 items)', args: binSample(x, y, 2, 20, 20) });
  out.push({ name: '2D, forced 37 x 3 grid, 7 chunks of 383 (last partial)', args: binSample(x, y, 383, 37, 3) });
  out.push({ name: '1D, 2500 events, default cells, 3 chunks', args: binSample(x, undefined, 834) });
  const e = edgeValues();
  out.push({ name: 'quantisation edges: ties, signed zeros, subnormals, bounds (2D), chunks of 5', args: binSample(e, [...e].reverse(), 5, 64, 64) });
  out.push({ name: 'quantisation edges (1D, 1 cell), chunks of 1', args: binSample(e, undefined, 1, 1) });
  out.push({ name: 'constant sample (zero range)', args: binSample(new Array(70).fill(2.5), new Array(70).fill(-0), 9, 5, 5) });
  out.push({ name: 'one event', args: binSample([3.25], [1.5], 1) });
  return out;
}

export function cases(): ConformanceCase[] {
  return binSamples().map(({ name, args }) => ({ name, args: args.count }));
}
