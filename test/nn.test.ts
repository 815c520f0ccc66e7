// MLP loading (ONNX written by the Python `onnx` package, JSON) and agreement with onnxruntime-node.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend, WasmBackend, type Backend } from '../host/index.js';
import { loadOnnx, OnnxError } from '../engine/nn/onnx.js';
import { scoreEvents } from '../engine/nn/infer.js';
import { describeModel } from '../engine/nn/model.js';
import { testWords } from '../kernels/testing.js';
import { loadPeer } from '../bench/peers.js';

const ort = await loadPeer('onnxruntime-node'); // a benchmark peer: `npm run peers` installs it into bench/

const FIX = new URL('./fixtures/onnx/', import.meta.url);
const read = (f: string): Uint8Array => new Uint8Array(readFileSync(new URL(f, FIX)));

/** Gaussian-ish features (sum of 4 uniforms, scaled) from the test stream: never Math.random. */
function features(rows: number, nIn: number, stream: number, spread = 3): Float32Array {
  const w = testWords(rows * nIn * 4, stream);
  const x = new Float32Array(rows * nIn);
  for (let j = 0; j < x.length; j++) {
    let s = 0;
    for (let k = 0; k < 4; k++) s += w[4 * j + k] / 4294967296;
    x[j] = (s - 2) * spread;
  }
  return x;
}

async function ortScores(file: string, x: Float32Array, nIn: number, scoreIndex: number): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(read(file), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const rows = x.length / nIn;
  const res = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', x, [rows, nIn]) });
  const y = res[s.outputNames[0]];
  const nOut = y.dims[1] as number;
  const data = y.data as Float32Array;
  await s.release();
  return Float32Array.from({ length: rows }, (_, r) => data[r * nOut + scoreIndex]);
}

// Agreement bound for scores in [0, 1] (sigmoid / softmax outputs): 1e-6 absolute.
// Why: both sides compute in f32. Dot products of <= 128 terms with |terms| ~ O(1) in a different
// order/FMA (onnxruntime's MLAS GEMM) differ by ~ sqrt(n) * 2^-24 * sum|w h| ~ 1e-6 relative in the
// pre-activations of later layers; the sigmoid's slope is <= 1/4 and softmax's <= 1/2; darkscan's
// exp/recip/tanh are within 2-3 ulp (6e-8 relative, kernels/lib/exactmath.ts) of the true function,
// as onnxruntime's approximations are. Measured maxima (printed below) are 1e-7..4e-7.
const SCORE_TOL = 1e-6;

const AGREE = [
  'gemm_relu_sigmoid_12_64_64_1.onnx',
  'gemm_relu_sigmoid_32_128_128_1.onnx',
  'gemm_tanh_softmax_6_20_2.onnx',
  'gemm_sigmoid_leaky_softmax_opset11_10_24_12_4.onnx',
  'matmul_tanh_relu_sigmoid_7_40_20_1.onnx',
  'batchnorm_leaky_8_32_16_1.onnx',
];

describe('ONNX models written by python3-onnx agree with onnxruntime-node', () => {
  let wasm: Backend;
  const cpu = new CpuBackend();
  beforeAll(async () => {
    wasm = await WasmBackend.create({ workers: 2, minItemsPerWorker: 1 });
  });
  afterAll(async () => {
    await wasm?.dispose();
  });
  AGREE.forEach((file, j) => {
    it(file, async () => {
      const m = loadOnnx(read(file), { source: file });
      const rows = 20000;
      const x = features(rows, m.nIn, 500 + j);
      const ours = await scoreEvents(wasm, m, x, { batch: 7000 });
      const ref = await scoreEvents(cpu, m, x.subarray(0, 2000 * m.nIn));
      expect(Buffer.from(ours.buffer, 0, 8000).equals(Buffer.from(ref.buffer)), 'wasm bits = reference bits').toBe(true);
      const theirs = await ortScores(file, x, m.nIn, m.scoreIndex);
      let max = 0, lo = Infinity, hi = -Infinity;
      for (let r = 0; r < rows; r++) {
        max = Math.max(max, Math.abs(ours[r] - theirs[r]));
        lo = Math.min(lo, theirs[r]); hi = Math.max(hi, theirs[r]);
      }
      console.log(`${file} ${describeModel(m)}: max |darkscan - onnxruntime| = ${max.toExponential(2)} over ${rows} events, scores in [${lo.toFixed(4)}, ${hi.toFixed(4)}]`);
      expect(hi - lo, 'the test events span a range of scores').toBeGreaterThan(0.1);
      expect(max).toBeLessThan(SCORE_TOL);
    });
  });
});

describe('ONNX loader errors', () => {
  it('names an unsupported op and its node', () => {
    expect(() => loadOnnx(read('unsupported_op.onnx'), { source: 'u.onnx' })).toThrow(/unsupported ONNX op 'Cos' \(Cos node 'weird_activation'\)/);
  });
  it('rejects a branching graph, naming the node', () => {
    expect(() => loadOnnx(read('branching.onnx'))).toThrow(/Add node 'skip_connection'.*single chain/);
  });
  it('rejects a truncated protobuf', () => {
    const b = read('gemm_tanh_softmax_6_20_2.onnx');
    expect(() => loadOnnx(b.subarray(0, b.length - 37), { source: 't.onnx' })).toThrow(OnnxError);
    expect(() => loadOnnx(b.subarray(0, b.length - 37), { source: 't.onnx' })).toThrow(/t\.onnx: not a valid ONNX protobuf/);
  });
  it('rejects garbage and empty input', () => {
    expect(() => loadOnnx(new TextEncoder().encode('{"not": "onnx"}'))).toThrow(OnnxError);
    expect(() => loadOnnx(new Uint8Array(0))).toThrow(/empty file/);
  });
});
