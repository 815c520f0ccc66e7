// The conformance cases of the df32 kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { testSizes, testWords } from '../testing.js';
import { dfAddF, dfFromF32 } from '../lib/df32.js';
import { DF32_OPS } from './ref.js';
import { df32Probe } from './desc.js';
import { DF_AB_WORDS, DF_A_HI, DF_A_LO, DF_B_HI, DF_B_LO } from './layout.js';

const fr = Math.fround;
const ALL = (1 << DF32_OPS.length) - 1;
const mask = (...names: (typeof DF32_OPS)[number][]) => names.reduce((m, n) => m | (1 << DF32_OPS.indexOf(n)), 0);
/** Ops whose domain is every f32 (no split, product or quotient): add, sub, log, exp, sums, lt. */
const ANY_RANGE = mask('twoSum', 'fastTwoSum', 'add', 'sub', 'addF', 'log', 'exp', 'accSum', 'lt');

/** A normalized df32 closest to the double v (lo flushed below 2^-100, as the library's values). */
function dfOf(v: number): [number, number] {
  const hi = fr(v);
  const d = dfAddF(dfFromF32(hi), fr(v - hi));
  return [d.hi, d.lo];
}

function pack(pairs: [number, number][]): Float32Array {
  const ab = new Float32Array(DF_AB_WORDS * pairs.length);
  pairs.forEach(([a, b], l) => {
    const p = DF_AB_WORDS * l;
    [ab[p + DF_A_HI], ab[p + DF_A_LO]] = dfOf(a);
    [ab[p + DF_B_HI], ab[p + DF_B_LO]] = dfOf(b);
  });
  return ab;
}

/** Pairs (a, b) with |a|, |b| in 2^[e0, e1 + 1) (both signs, random 53-bit values): every op in domain. */
function randomPairs(n: number, stream: number, e0 = -50, e1 = 50): Float32Array {
  const w = testWords(4 * n, stream);
  const v = (k: number) => {
    const u = (w[k] >>> 8) / 16777216 + (w[k + 1] >>> 8) / 2 ** 48;
    return (w[k + 1] & 1 ? -1 : 1) * 2 ** (e0 + (e1 - e0) * u) * (1 + ((w[k] & 0xff) >>> 0) / 256);
  };
  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const a = v(4 * i);
    // A quarter of the pairs cancel: b = -a (1 + tiny), the hard case for add / sub.
    const b = (w[4 * i + 2] & 3) === 0 ? -a * (1 + 2 ** -(20 + (w[4 * i + 3] & 31))) : v(4 * i + 2);
    pairs.push([a, b]);
  }
  return pack(pairs);
}

/** a = 1 + d, b = a (1 + d'), |d|, |d'| in 2^[-40, -1] with both signs: ratios and logs near 1. */
function nearOne(n: number, stream: number): Float32Array {
  const w = testWords(2 * n, stream);
  const d = (x: number) => (x & 1 ? -1 : 1) * 2 ** (-1 - 39 * ((x >>> 8) / 16777216));
  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const a = 1 + d(w[2 * i]);
    pairs.push([a, a * (1 + d(w[2 * i + 1]))]);
  }
  return pack(pairs);
}

// Edges every op is defined on: cancellation to the lo level, huge / tiny magnitudes (products
// flushed below 2^-100), exact quotients, the split near its overflow bound 2^115 (operands and
// quotients stay below it, products below 2^127).
const EDGES: [number, number][] = [
  [1, -1 + 2 ** -24], [1 + 2 ** -23, -1], [3, -3], [1 + 2 ** -30, -1 - 2 ** -31], [3, 3], [1, 1], [2, 0.5],
  [2 ** 100, 2 ** -10], [1.5 * 2 ** 110, 2 ** 10], [2 ** 114 * 1.99, 1.5], [2 ** -60, 2 ** -45], [2 ** -99, 3],
  [1e-30, 1e-5], [2 ** -76, 1.25], [2 ** -77 * 1.7, 1 + 2 ** -23], [2 ** -50 * 1.3, 2 ** -50 * 1.7],
  [Math.PI, Math.E], [-Math.PI, 1 / 3], [0.1, 0.2], [1e6 + 0.3, 1e6 - 0.7], [16777217, -16777215], [0, 7], [-0, -2],
  [0.6931471805599453, 1.4426950408889634], [0.70710678118654752, 1.41421356237309505],
];
// Only add / sub / log / exp / sums / lt: arguments anywhere in f32 (log and exp clamp).
const RANGE_EDGES: [number, number][] = [
  [3e38, -3e37], [-3.4e38, 1], [2 ** 126, 1], [2 ** 125, 2 ** 125 * (1 - 2 ** -24)], [0, 0], [-5, 1], [1e-38, 1e-37],
  [88, 88.5], [89, -69.9], [-70, -70.5], [-87.3, 1e-10], [1e-20, -1e-20], [709, -745], [2 ** -100, -(2 ** -100)],
  [2 ** -101, 2 ** -99], [1.1754944e-38, 2 ** -126], [1, 1 + 2 ** -24], [1 - 2 ** -25, 1],
];

function mk(count: number, ab: Float32Array, ops = ALL): ConformanceCase['args'] {
  return { count, params: { ops }, inputs: { ab } };
}

export function cases(): ConformanceCase[] {
  const out: ConformanceCase[] = [
    { name: 'edges, every op', args: mk(EDGES.length, pack(EDGES)) },
    { name: 'range edges: add, sub, log, exp, sums, lt', args: mk(RANGE_EDGES.length, pack(RANGE_EDGES), ANY_RANGE) },
    { name: 'near 1: a = 1 + d, b = a (1 + d\') (the deviance regime)', args: mk(700, nearOne(700, 40)) },
    { name: 'exp, log, add for |x| in 2^[-8, 8]', args: mk(1000, randomPairs(1000, 41, -8, 7), mask('exp', 'log', 'add')) },
    { name: 'wide magnitudes 2^[-126, 126]: range ops', args: mk(3000, randomPairs(3000, 42, -126, 125), ANY_RANGE) },
    { name: 'one op at a time (mask), n=129', args: mk(129, randomPairs(129, 43), mask('div')) },
  ];
  for (const [j, n] of testSizes(df32Probe.workgroupSize).entries()) {
    out.push({ name: `random pairs, every op, n=${n}`, args: mk(n, randomPairs(n, 100 + j)) });
  }
  return out;
}
