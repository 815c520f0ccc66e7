// The conformance cases of the exactmath kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { testSizes, testWords } from '../testing.js';
import { bitsToF32 } from '../lib/exactmath.js';
import { exactmathProbe } from './desc.js';

// Values where the functions change branch or clamp, and ordinary ones around them.
const EDGES = [
  0, 1, -1, 2, 0.5, 0.7071067, 0.70710677, 0.7071068, 1.4142135, 1e-30, -1e-30, 1e30, -1e30,
  -86, -86.00001, -85.99999, 88, 88.00001, 89, -87.5, 87.9, 3.4e38, -3.4e38, 1.1754944e-38, 1.2e-38,
  7.5e-37, 7.6e-37, 4.7e-38, 2.35e-38, 4.2e37, 4.3e37, 0.6931472, -0.6931472, 0.34657359, 1e-7, -1e-7,
];

/** f32 inputs spread over magnitudes 1e-30..1e30 with both signs, and over [-100, 100]. */
function spread(n: number, stream: number): Float32Array {
  const w = testWords(2 * n, stream);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = (w[2 * i] >>> 8) / 16777216;
    const sign = w[2 * i + 1] & 1 ? -1 : 1;
    out[i] = w[2 * i + 1] & 2 ? sign * Math.pow(10, -30 + 60 * u) : -100 + 200 * u;
  }
  return out;
}

/** Divisors kept inside xdiv's domain (x / y finite and normal for |x| <= 3.4e38). */
function divisors(n: number, stream: number): Float32Array {
  const w = testWords(n, stream);
  return Float32Array.from(w, (v) => (v & 1 ? -1 : 1) * Math.pow(10, 0.5 * ((v >>> 8) / 16777216)) * (1 + (v & 0xff)));
}

export function cases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  const ex = Float32Array.from(EDGES);
  out.push({ name: 'edge values', args: { count: ex.length, inputs: { x: ex, y: Float32Array.from(EDGES, (_, i) => 1 + i * 0.37) } } });
  for (const [j, n] of testSizes(exactmathProbe.workgroupSize).entries()) {
    out.push({ name: `random magnitudes, n=${n}`, args: { count: n, inputs: { x: spread(n, 100 + j), y: divisors(n, 200 + j) } } });
  }
  // Every exponent of normal floats, both signs, random mantissas: exercises all bit paths of the
  // scalar functions and of their f32x4 twins (the SIMD build computes four items per step).
  const sweep = new Float32Array(2 * 254 * 4);
  const mant = testWords(sweep.length, 300);
  for (let i = 0; i < sweep.length; i++) {
    const e = 1 + ((i >> 2) % 254), sign = i < sweep.length / 2 ? 0 : 0x80000000;
    sweep[i] = bitsToF32((sign | (e << 23) | (mant[i] & 0x7fffff)) >>> 0);
  }
  out.push({ name: 'all exponents', args: { count: sweep.length, inputs: { x: sweep, y: divisors(sweep.length, 301).map((v) => Math.sign(v) * 2) } } });
  return out;
}
