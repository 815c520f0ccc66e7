// The conformance cases of the bin_cells kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { testWords } from '../testing.js';
import { planBinning, binCellsArgs } from '../window_count/layout.js';

const U = 2 ** -32;

/** Coordinates that reach every branch of the quantisation: ties at half a quantum, signed zeros, tiny and subnormal values, |v| >= 0.5, the bounds. */
function edgeValues(): number[] {
  const q = 2 ** -24, v: number[] = [0, -0, 1e-30, -1e-30, 1e-40, -1e-40, q / 2, -q / 2, q / 2 * 0.999, -q / 2 * 1.001, q, -q, 1.5 * q, -1.5 * q, 2.5 * q, -2.5 * q];
  for (const k of [1, 2, 3, 1000, 2 ** 20 + 1, 2 ** 22 + 3, 2 ** 23 - 1]) v.push((k + 0.5) * q, -(k + 0.5) * q, (k + 0.49) * q, -(k + 0.51) * q);
  v.push(0.5, -0.5, 0.5 - q / 2, 0.75, 1, -1, 1 + 2 ** -23, 10.58, 1e4, -1e4, 9999.999, 2 ** 13 + 2 ** -10);
  return v;
}

function mk(name: string, x: ArrayLike<number>, y: ArrayLike<number> | undefined, nx?: number, ny?: number): ConformanceCase {
  const xf = Float32Array.from(x), yf = y ? Float32Array.from(y) : undefined;
  return { name, args: binCellsArgs(planBinning(xf, yf, undefined, { nx, ny })) };
}

export function cases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  const n = 2500; // crosses the test GPU chunk size (1000), not a multiple of the workgroup
  const u = testWords(3 * n, 90);
  const x = Array.from({ length: n }, (_, i) => 0.2 + 10.3 * u[3 * i] * U);
  const y = Array.from({ length: n }, (_, i) => (u[3 * i + 2] & 1 ? -1 : 1) * 5 * (u[3 * i + 1] * U) ** 2);
  out.push(mk('2D, 2500 events (signed y), default grid', x, y));
  out.push(mk('2D, forced 37 x 3 grid', x, y, 37, 3));
  out.push(mk('1D, 2500 events, default cells', x, undefined));
  const e = edgeValues();
  out.push(mk('quantisation edges: ties, signed zeros, subnormals, bounds (2D)', e, [...e].reverse(), 64, 64));
  out.push(mk('quantisation edges (1D, 1 cell)', e, undefined, 1));
  out.push(mk('constant sample (zero range)', new Array(70).fill(2.5), new Array(70).fill(-0), 5, 5));
  out.push(mk('one event', [3.25], [1.5]));
  return out;
}
