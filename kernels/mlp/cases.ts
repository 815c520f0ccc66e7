// The conformance cases of the mlp kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { testSizes, testWords } from '../testing.js';
import { packMlp, type ActivationName, type PackLayer } from './layout.js';
import { mlp } from './desc.js';

/** Uniform values in [-scale, scale) from the test stream (never Math.random). */
function uniforms(n: number, stream: number, scale: number): Float32Array {
  const w = testWords(n, stream);
  return Float32Array.from(w, (v) => scale * ((v >>> 8) / 8388608 - 1));
}

/** A random net of the given widths and activations (deterministic in `stream`). */
export function randomNet(widths: readonly number[], acts: readonly ActivationName[], stream: number, opts: { scoreIndex?: number; scale?: number; alpha?: number } = {}): Uint32Array {
  const layers: PackLayer[] = [];
  for (let k = 0; k + 1 < widths.length; k++) {
    const nIn = widths[k], nOut = widths[k + 1];
    const s = (opts.scale ?? 1) * 2 / Math.sqrt(nIn);
    layers.push({ nIn, nOut, weights: uniforms(nIn * nOut, stream * 64 + 2 * k, s), bias: uniforms(nOut, stream * 64 + 2 * k + 1, 0.5), activation: acts[k], alpha: opts.alpha });
  }
  const nIn = widths[0];
  return packMlp({
    nIn, layers, scoreIndex: opts.scoreIndex ?? 0,
    sub: uniforms(nIn, stream * 64 + 60, 2), mul: uniforms(nIn, stream * 64 + 61, 1).map((v) => 0.5 + Math.abs(v)), add: uniforms(nIn, stream * 64 + 62, 0.1),
  });
}

/** Features: mostly O(1), with a share of zeros, tiny, huge and negative values. */
export function randomFeatures(n: number, stream: number, withEdges = false): Float32Array {
  const x = uniforms(n, stream, 3);
  if (withEdges) {
    const w = testWords(n, stream + 1);
    const edge = [0, -0, 1e-30, -1e-30, 1e30, -1e30, 3.4e38, -3.4e38, 1e-12, 2e19, -2e19, 1.2e-38];
    for (let i = 0; i < n; i++) if ((w[i] & 7) === 0) x[i] = edge[(w[i] >>> 3) % edge.length];
  }
  return x;
}

interface NetSpec { name: string; widths: number[]; acts: ActivationName[]; scoreIndex?: number; scale?: number; alpha?: number }

const NETS: NetSpec[] = [
  { name: '12-64-64-1 relu/sigmoid', widths: [12, 64, 64, 1], acts: ['relu', 'relu', 'sigmoid'] },
  { name: '5-7-3 tanh/softmax', widths: [5, 7, 3], acts: ['tanh', 'softmax'], scoreIndex: 2 },
  { name: '9-13-6-2 leakyrelu/tanh/identity', widths: [9, 13, 6, 2], acts: ['leakyrelu', 'tanh', 'identity'], scoreIndex: 1, alpha: 0.1 },
  { name: '1-1 identity', widths: [1, 1], acts: ['identity'] },
  { name: '3-4-4-4-1 sigmoid chain, large weights', widths: [3, 4, 4, 4, 1], acts: ['sigmoid', 'tanh', 'relu', 'sigmoid'], scale: 40 },
];

export function cases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  NETS.forEach((s, j) => {
    const net = randomNet(s.widths, s.acts, 10 + j, s);
    const nIn = s.widths[0];
    for (const n of testSizes(mlp.workgroupSize).slice(j % 2, 5 - (j % 2))) {
      out.push({ name: `${s.name}, n=${n}`, args: { count: n, inputs: { net, x: randomFeatures(n * nIn, 100 * j + n, j !== 0) } } });
    }
  });
  const wide = randomNet([256, 256, 17, 1], ['tanh', 'relu', 'sigmoid'], 30);
  out.push({ name: '256-256-17-1 (widest layers), edge features', args: { count: 203, inputs: { net: wide, x: randomFeatures(203 * 256, 31, true) } } });
  const net = randomNet([12, 64, 64, 1], ['relu', 'relu', 'sigmoid'], 10);
  out.push({ name: '12-64-64-1, item offset 77 (rows by absolute index)', args: { count: 1003, itemOffset: 77, inputs: { net, x: randomFeatures(1080 * 12, 40, true) } } });
  out.push({ name: '12-64-64-1, n=5003', args: { count: 5003, inputs: { net, x: randomFeatures(5003 * 12, 41) } } });
  return out;
}
