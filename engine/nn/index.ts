// MLP background suppression: models (ONNX, JSON), scoring on any backend, mass-range model sets,
// a small trainer and an ONNX writer.
import { loadOnnx } from './onnx.js';
import { parseMlpJson } from './json.js';
import { RANGES_FORMAT, validateModelSet, type ModelRange, type ModelSet, type OutsideOutcome } from './ranges.js';
import type { Mlp } from './model.js';
import { parseJsonText, readBytes, readText } from '../io/text.js';

export * from './model.js';
export { loadOnnx, decodeOnnx, OnnxError } from './onnx.js';
export { parseMlpJson, mlpToJson, MLP_JSON_FORMAT } from './json.js';
export { scoreEvents, checkFeatures, type ScoreOptions } from './infer.js';
export { scoreByRange, assignRanges, validateModelSet, RANGES_FORMAT, type ModelSet, type ModelRange, type RangeScores, type OutsideOutcome } from './ranges.js';

/** Loads a model file by extension: .onnx (protobuf) or .json (darkscan-mlp/1). */
export async function loadModelFile(path: string, opts: { scoreIndex?: number } = {}): Promise<Mlp> {
  const lower = path.toLowerCase();
  if (lower.endsWith('.onnx')) return loadOnnx(await readBytes(path), { source: path, scoreIndex: opts.scoreIndex });
  if (lower.endsWith('.json')) {
    const m = parseMlpJson(await readText(path, 'a JSON model'), path);
    return opts.scoreIndex === undefined ? m : { ...m, scoreIndex: opts.scoreIndex };
  }
  throw new Error(`${path}: unknown model type (expected .onnx or .json)`);
}

/** Reads a darkscan-mlp-ranges/1 file and the models it names (paths relative to it). */
export async function loadModelSet(path: string): Promise<ModelSet> {
  const { dirname, resolve } = await import('node:path'); // dynamic: this module is bundled for browsers too
  const text = await readText(path, 'a JSON model set'); // errors name the path
  let j: Record<string, unknown>;
  try {
    j = parseJsonText(text) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
  if (j.format !== RANGES_FORMAT) throw new Error(`${path}: "format" must be "${RANGES_FORMAT}", got ${JSON.stringify(j.format)}`);
  if (!Array.isArray(j.ranges)) throw new Error(`${path}: "ranges" must be an array of {min, max, model}`);
  const ranges: ModelRange[] = [];
  for (const [k, r0] of (j.ranges as unknown[]).entries()) {
    const r = r0 as Record<string, unknown>;
    if (typeof r.min !== 'number' || typeof r.max !== 'number' || typeof r.model !== 'string') {
      throw new Error(`${path}: ranges[${k}] needs numbers "min", "max" and a "model" file name`);
    }
    const file = resolve(dirname(path), r.model);
    ranges.push({ min: r.min, max: r.max, model: await loadModelFile(file), file });
  }
  const set: ModelSet = { column: String(j.column ?? ''), unit: j.unit === undefined ? undefined : String(j.unit), ranges, outside: (j.outside ?? 'nan') as OutsideOutcome };
  validateModelSet(set, path);
  return set;
}
