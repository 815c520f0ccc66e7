// darkscan's small JSON format for MLPs ("darkscan-mlp/1"), read and written:
// {
//   "format": "darkscan-mlp/1",
//   "inputs": ["p_mu1", ...],                          // optional feature names
//   "standardize": { "mean": [...], "std": [...] },     // optional: x' = (x - mean) / std, or
//                  { "mean": [...], "scale": [...] }    //   x' = (x - mean) * scale (what the writer uses: exact)
//   "layers": [ { "weights": [[w_00, w_01, ...], ...],  // one row of n_in weights per output unit
//                 "bias": [...], "activation": "relu" | "leakyrelu" | "tanh" | "sigmoid" | "softmax" | "identity",
//                 "alpha": 0.01 } ],                     // LeakyRelu slope
//   "score_index": 0                                     // optional: default the last unit
// }
import { ACT, type ActivationName } from '../../kernels/mlp/layout.js';
import type { DenseLayer, Mlp } from './model.js';
import { parseJsonText } from '../io/text.js';

export const MLP_JSON_FORMAT = 'darkscan-mlp/1';

function fail(src: string, msg: string): never {
  throw new Error(`${src}: ${msg}`);
}

function numbers(v: unknown, n: number | undefined, src: string, where: string): Float32Array {
  if (!Array.isArray(v)) fail(src, `${where} must be an array of numbers`);
  if (n !== undefined && v.length !== n) fail(src, `${where} has ${v.length} values, expected ${n}`);
  return Float32Array.from(v, (x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(src, `${where}[${i}] is not a finite number (${JSON.stringify(x)})`);
    return x;
  });
}

export function parseMlpJson(text: string, source = 'JSON model'): Mlp {
  let j: Record<string, unknown>;
  try {
    j = parseJsonText(text) as Record<string, unknown>;
  } catch (e) {
    fail(source, (e as Error).message);
  }
  if (typeof j !== 'object' || j === null) fail(source, 'expected a JSON object');
  if (j.format !== MLP_JSON_FORMAT) fail(source, `"format" must be "${MLP_JSON_FORMAT}", got ${JSON.stringify(j.format)}`);
  if (!Array.isArray(j.layers) || j.layers.length === 0) fail(source, '"layers" must be a non-empty array');
  const layers: DenseLayer[] = [];
  let nIn: number | undefined;
  (j.layers as unknown[]).forEach((L0, k) => {
    const L = L0 as Record<string, unknown>;
    const where = `layers[${k}]`;
    if (!Array.isArray(L.weights) || L.weights.length === 0) fail(source, `${where}.weights must be a non-empty array of rows`);
    const rows = L.weights as unknown[];
    const width = Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : 0;
    const prev = k === 0 ? undefined : layers[k - 1].nOut;
    if (prev !== undefined && width !== prev) fail(source, `${where}.weights rows have ${width} columns, the previous layer gives ${prev}`);
    const w = new Float32Array(rows.length * width);
    rows.forEach((r, o) => w.set(numbers(r, width, source, `${where}.weights[${o}]`), o * width));
    const act = (L.activation ?? 'identity') as string;
    if (!(act in ACT)) fail(source, `${where}.activation '${act}' is not one of ${Object.keys(ACT).join(', ')}`);
    if (k === 0) nIn = width;
    layers.push({
      nIn: width, nOut: rows.length, weights: w, bias: numbers(L.bias, rows.length, source, `${where}.bias`),
      activation: act as ActivationName, alpha: L.alpha === undefined ? undefined : Number(L.alpha),
    });
  });
  const inputs = j.inputs === undefined ? undefined : (j.inputs as unknown[]);
  if (inputs && (!Array.isArray(inputs) || inputs.length !== nIn || !inputs.every((s) => typeof s === 'string'))) fail(source, `"inputs" must list ${nIn} feature names`);
  let sub: Float32Array | undefined, mul: Float32Array | undefined;
  if (j.standardize !== undefined) {
    const s = j.standardize as Record<string, unknown>;
    sub = numbers(s.mean, nIn, source, 'standardize.mean');
    if ((s.std === undefined) === (s.scale === undefined)) fail(source, 'standardize needs exactly one of "std" and "scale"');
    if (s.scale !== undefined) mul = numbers(s.scale, nIn, source, 'standardize.scale');
    else {
      const std = numbers(s.std, nIn, source, 'standardize.std');
      std.forEach((v, i) => { if (!(v > 0)) fail(source, `standardize.std[${i}] must be > 0, got ${v}`); });
      mul = Float32Array.from(std, (v) => 1 / v);
    }
  }
  const last = layers[layers.length - 1];
  const scoreIndex = j.score_index === undefined ? last.nOut - 1 : Number(j.score_index);
  if (!Number.isInteger(scoreIndex) || scoreIndex < 0 || scoreIndex >= last.nOut) fail(source, `score_index ${JSON.stringify(j.score_index)} outside 0..${last.nOut - 1}`);
  return { nIn: nIn!, layers, scoreIndex, sub, mul, inputNames: inputs as string[] | undefined, source: `${source} (${MLP_JSON_FORMAT})` };
}

/** JSON text of a model (standardisation written as mean and scale; no "add" term). */
export function mlpToJson(m: Mlp): string {
  if (m.add && m.add.some((v) => v !== 0)) throw new Error('mlpToJson: an input affine with an offset term has no JSON form');
  const out: Record<string, unknown> = { format: MLP_JSON_FORMAT };
  if (m.inputNames) out.inputs = m.inputNames;
  if (m.sub || m.mul) out.standardize = { mean: Array.from(m.sub ?? new Float32Array(m.nIn)), scale: Array.from(m.mul ?? new Float32Array(m.nIn).fill(1)) };
  out.layers = m.layers.map((L) => ({
    weights: Array.from({ length: L.nOut }, (_, o) => Array.from(L.weights.subarray(o * L.nIn, (o + 1) * L.nIn))),
    bias: Array.from(L.bias), activation: L.activation, ...(L.activation === 'leakyrelu' ? { alpha: L.alpha ?? 0.01 } : {}),
  }));
  out.score_index = m.scoreIndex;
  return JSON.stringify(out);
}
