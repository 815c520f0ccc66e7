// The conformance cases of the bayes_limit kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { testWords } from '../testing.js';
import { bayesRecords } from '../../engine/stats/bayeskernel.js';

const PARAMS = { alpha: 0.1, points: 401, step: 18 / 401 };

/** n, b, sigma_b drawn over the kernel's domain: counts near and far from b, small and huge uncertainties. */
function randomItems(count: number, stream: number): { n: number[]; b: number[]; s: number[] } {
  const w = testWords(4 * count, stream);
  const n: number[] = [], b: number[] = [], s: number[] = [];
  for (let i = 0; i < count; i++) {
    const u = (k: number) => (w[4 * i + k] >>> 8) / 16777216;
    const bi = [0, 0.01, 1, 10, 100, 1000][w[4 * i + 3] % 6] * u(0);
    const ni = Math.min(1000, Math.floor(bi + (u(1) - 0.3) * 4 * Math.sqrt(bi + 1) + (w[4 * i + 3] % 7 === 0 ? 20 * u(1) : 0)));
    n.push(Math.max(0, ni));
    b.push(bi);
    s.push(bi > 0 && w[4 * i + 3] % 3 !== 0 ? bi * [0.01, 0.2, 0.5, 1.5][w[4 * i + 2] % 4] : 0);
  }
  return { n, b, s };
}

export function cases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  const edge = { n: [0, 0, 1, 0, 5, 58, 0, 3, 1000, 0, 40, 7], b: [0, 0.01, 0, 60, 60, 60.7, 1000, 0.5, 1000, 3, 20, 7], s: [0, 0, 0, 27, 0, 27.2, 1000, 0.4, 100, 3, 60, 0.0001] };
  out.push({ name: 'edges: n = 0 / b = 0, deficits, sigma_b >> b, n = b = 1000', args: { count: edge.n.length, params: PARAMS, inputs: { win: bayesRecords(edge.n, edge.b, edge.s) } } });
  for (const [count, stream] of [[1, 1], [63, 2], [64, 3], [65, 4], [150, 5]]) {
    const r = randomItems(count, 900 + stream);
    out.push({ name: `random windows, n = ${count}`, args: { count, params: PARAMS, inputs: { win: bayesRecords(r.n, r.b, r.s) } } });
  }
  const r = randomItems(120, 950);
  out.push({ name: '95% CL, item offset 17', args: { count: 103, itemOffset: 17, params: { ...PARAMS, alpha: 0.05 }, inputs: { win: bayesRecords(r.n, r.b, r.s).subarray(17 * 4) } } });
  out.push({ name: '99.99% CL and 50 quadrature points', args: { count: 64, params: { alpha: 1e-4, points: 50, step: 18 / 50 }, inputs: { win: bayesRecords(r.n.slice(0, 64), r.b.slice(0, 64), r.s.slice(0, 64)) } } });
  return out;
}
