// Trainer, ONNX writer (read back by onnxruntime-node and by darkscan), JSON models, mass-range sets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CpuBackend, WasmBackend, type Backend } from '../host/index.js';
import { trainClassifier, rocAuc } from '../engine/nn/train.js';
import { mlpToOnnx } from '../engine/nn/onnx-write.js';
import { loadOnnx, parseMlpJson, mlpToJson, scoreEvents, scoreByRange, loadModelSet, type ModelSet, type Mlp } from '../engine/nn/index.js';
import { synthetic } from './synthetic.js';
import { loadPeer } from '../bench/peers.js';
import { tempDir } from './tmp.js';

const ort = await loadPeer('onnxruntime-node'); // a benchmark peer: `npm run peers` installs it into bench/

let wasm: Backend;
const cpu = new CpuBackend();
beforeAll(async () => {
  wasm = await WasmBackend.create({ workers: 2, minItemsPerWorker: 1 });
});
afterAll(async () => {
  await wasm?.dispose();
});

describe('trainer', () => {
  const nIn = 6;
  const train = synthetic(6000, nIn, 901);
  const test = synthetic(4000, nIn, 902);
  const res = trainClassifier(train.x, train.y, nIn, { seed: 7, hidden: [16, 16], epochs: 8, batch: 128 });

  it('learns: loss falls, held-out AUC > 0.8', async () => {
    const s = await scoreEvents(wasm, res.model, test.x);
    const auc = rocAuc(s, test.y);
    console.log(`trainer: loss ${res.history[0].loss.toFixed(4)} -> ${res.history.at(-1)!.loss.toFixed(4)}, held-out AUC ${auc.toFixed(4)}`);
    expect(res.history.at(-1)!.loss).toBeLessThan(res.history[0].loss);
    expect(auc).toBeGreaterThan(0.8);
  });

  it('is reproducible from its seed and changes with it', () => {
    const again = trainClassifier(train.x, train.y, nIn, { seed: 7, hidden: [16, 16], epochs: 1, batch: 128 });
    const same = trainClassifier(train.x, train.y, nIn, { seed: 7, hidden: [16, 16], epochs: 1, batch: 128 });
    const other = trainClassifier(train.x, train.y, nIn, { seed: 8, hidden: [16, 16], epochs: 1, batch: 128 });
    expect(Array.from(again.model.layers[0].weights)).toEqual(Array.from(same.model.layers[0].weights));
    expect(Array.from(again.model.layers[0].weights)).not.toEqual(Array.from(other.model.layers[0].weights));
  });

  it('exports ONNX that onnxruntime-node runs, within 1e-6 of darkscan, and that darkscan reads back bit-exactly', async () => {
    const bytes = mlpToOnnx(res.model, { metadata: { seed: '7' } });
    const sess = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
    const rows = test.y.length;
    const out = await sess.run({ x: new ort.Tensor('float32', test.x, [rows, nIn]) });
    const theirs = out.score.data as Float32Array;
    const ours = await scoreEvents(wasm, res.model, test.x);
    let max = 0;
    for (let r = 0; r < rows; r++) max = Math.max(max, Math.abs(ours[r] - theirs[r]));
    console.log(`trained model: max |darkscan - onnxruntime| = ${max.toExponential(2)} over ${rows} events`);
    expect(max).toBeLessThan(1e-6);
    const back = loadOnnx(bytes, { source: 'exported' });
    const again = await scoreEvents(cpu, back, test.x);
    expect(Array.from(again)).toEqual(Array.from(ours));
  });

  it('rejects bad labels and non-finite features, naming the row', () => {
    expect(() => trainClassifier(Float32Array.of(1, 2), Uint8Array.of(0, 2), 1, { seed: 1 })).toThrow(/row 1/);
    expect(() => trainClassifier(Float32Array.of(1, NaN), Uint8Array.of(0, 1), 1, { seed: 1 })).toThrow(/row 1/);
  });
});

const tiny = (bias: number, act: 'sigmoid' | 'identity' = 'sigmoid'): Mlp => ({
  nIn: 2, scoreIndex: 0,
  layers: [{ nIn: 2, nOut: 1, weights: Float32Array.of(0.5, -0.25), bias: Float32Array.of(bias), activation: act }],
});

describe('JSON models', () => {
  it('round-trips and scores like the original', async () => {
    const m: Mlp = { ...tiny(0.1), sub: Float32Array.of(1, 2.7), mul: Float32Array.of(0.3, 1 / 7), inputNames: ['a', 'b'] };
    const back = parseMlpJson(mlpToJson(m), 'm.json');
    const x = Float32Array.of(1, 2, 3, 4, -5, 6);
    expect(Array.from(await scoreEvents(cpu, back, x))).toEqual(Array.from(await scoreEvents(cpu, m, x)));
    expect(back.inputNames).toEqual(['a', 'b']);
  });
  it('names the bad field', () => {
    const good = JSON.parse(mlpToJson(tiny(0)));
    expect(() => parseMlpJson('{', 'x.json')).toThrow(/x\.json: invalid JSON \(truncated\?\) at line 1 column 2: /);
    expect(() => parseMlpJson(JSON.stringify({ ...good, format: 'v0' }), 'x.json')).toThrow(/"format"/);
    const std = { ...good, layers: [{ ...good.layers[0], weights: [[1, 1]] }], standardize: { mean: [0, 0], std: [2, 0] } };
    expect(() => parseMlpJson(JSON.stringify(std), 'x.json')).toThrow(/standardize\.std\[1\] must be > 0/);
    good.layers[0].weights[0][1] = 'NaN';
    expect(() => parseMlpJson(JSON.stringify(good), 'x.json')).toThrow(/layers\[0\]\.weights\[0\]\[1\]/);
    const bad = JSON.parse(mlpToJson(tiny(0)));
    bad.layers[0].activation = 'gelu';
    expect(() => parseMlpJson(JSON.stringify(bad), 'x.json')).toThrow(/activation 'gelu'/);
  });
});

describe('mass-range model sets', () => {
  const set = (outside: ModelSet['outside']): ModelSet => ({
    column: 'm', unit: 'GeV', outside,
    ranges: [{ min: 0, max: 1, model: tiny(-1, 'identity') }, { min: 1, max: 2, model: tiny(1, 'identity') }, { min: 3, max: 4, model: tiny(10, 'identity') }],
  });
  const x = Float32Array.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
  const m = [0.5, 1.0, 2.5, 3.9999, 1.5];

  it('scores each event with the model of its range; outside events get NaN by default', async () => {
    const r = await scoreByRange(wasm, set('nan'), x, m);
    expect(Array.from(r.scores.slice(0, 2))).toEqual([-0.75, 1.25]);
    expect(r.scores[2]).toBeNaN();
    expect(Array.from(r.scores.slice(3))).toEqual([10.25, 1.25]);
    expect(Array.from(r.range)).toEqual([0, 1, -1, 2, 1]);
    expect(r.counts).toEqual([1, 2, 1]);
    expect(r.outside).toBe(1);
  });
  it('outside: a fixed score, or an error naming the row and value', async () => {
    expect((await scoreByRange(cpu, set(-1), x, m)).scores[2]).toBe(-1);
    await expect(scoreByRange(cpu, set('error'), x, m)).rejects.toThrow(/row 2: m = 2\.5 GeV is outside every model range/);
  });
  it('rejects overlapping ranges and mismatched models', async () => {
    const s = set('nan');
    await expect(scoreByRange(cpu, { ...s, ranges: [...s.ranges, { min: 1.5, max: 2.5, model: tiny(0) }] }, x, m)).rejects.toThrow(/overlap/);
    const wide: Mlp = { nIn: 3, scoreIndex: 0, layers: [{ nIn: 3, nOut: 1, weights: new Float32Array(3), bias: new Float32Array(1), activation: 'identity' }] };
    await expect(scoreByRange(cpu, { ...s, ranges: [...s.ranges, { min: 5, max: 6, model: wide }] }, x, m)).rejects.toThrow(/takes 3 features/);
  });
  it('loads a ranges file with models by relative path', async () => {
    const dir = tempDir('ranges');
    writeFileSync(join(dir, 'a.json'), mlpToJson(tiny(-1, 'identity')));
    writeFileSync(join(dir, 'b.onnx'), mlpToOnnx(tiny(1, 'identity')));
    writeFileSync(join(dir, 'set.json'), JSON.stringify({ format: 'darkscan-mlp-ranges/1', column: 'm', unit: 'GeV', ranges: [{ min: 0, max: 1, model: 'a.json' }, { min: 1, max: 2, model: 'b.onnx' }] }));
    const s = await loadModelSet(join(dir, 'set.json'));
    expect(s.outside).toBe('nan');
    const r = await scoreByRange(cpu, s, x.subarray(0, 4), [0.5, 1.5]);
    expect(Array.from(r.scores)).toEqual([-0.75, 1.25]);
  });
});
