// ONNX MLPs -> darkscan's Mlp. Reads the protobuf with protobufjs and the onnx.proto subset in
// onnx-schema.ts, then walks the graph as one chain of operators (ONNX Operators.md for each op's
// definition): Gemm, MatMul (+ Add), Relu, LeakyRelu, Tanh, Sigmoid, Softmax (last layer), Add /
// Sub / Mul / Div by constants and BatchNormalization (inference), folded into the input affine
// or the neighbouring dense layer, Identity / Flatten / Dropout (no-ops), Constant. Anything else,
// or a graph that is not a chain, is an error naming the op and the node.
import { onnxTypes, int64, ONNX_DTYPE, ONNX_DTYPE_NAMES, type OnnxAttribute, type OnnxModel, type OnnxNode, type OnnxTensor } from './onnx-schema.js';
import { MLP_MAX_WIDTH, type ActivationName } from '../../kernels/mlp/layout.js';
import type { DenseLayer, Mlp } from './model.js';

export class OnnxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxError';
  }
}

interface Const { dims: number[]; data: Float64Array }

function nodeLabel(n: OnnxNode): string {
  return `${n.op_type ?? '?'} node '${n.name || (n.output ?? [])[0] || '?'}'`;
}

/** A TensorProto's values as doubles (FLOAT, DOUBLE, INT32, INT64). */
export function tensorValues(t: OnnxTensor, where: string): Const {
  const dims = (t.dims ?? []).map(int64);
  const count = dims.reduce((a, b) => a * b, 1);
  const dt = t.data_type ?? 0;
  if (t.data_location === 1 || (t.external_data?.length ?? 0) > 0) throw new OnnxError(`${where}: tensor '${t.name}' uses external data (not supported: save the model with the weights inside)`);
  const raw = t.raw_data && t.raw_data.length > 0 ? t.raw_data : undefined;
  let data: Float64Array;
  const dv = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  const need = (bytes: number): void => {
    if (raw && raw.length !== count * bytes) throw new OnnxError(`${where}: tensor '${t.name}' has ${raw.length} bytes of raw data, dims [${dims}] need ${count * bytes}`);
  };
  if (dt === ONNX_DTYPE.FLOAT) {
    need(4);
    data = dv ? Float64Array.from({ length: count }, (_, i) => dv.getFloat32(4 * i, true)) : Float64Array.from(t.float_data ?? []);
  } else if (dt === ONNX_DTYPE.DOUBLE) {
    need(8);
    data = dv ? Float64Array.from({ length: count }, (_, i) => dv.getFloat64(8 * i, true)) : Float64Array.from(t.double_data ?? []);
  } else if (dt === ONNX_DTYPE.INT32) {
    need(4);
    data = dv ? Float64Array.from({ length: count }, (_, i) => dv.getInt32(4 * i, true)) : Float64Array.from(t.int32_data ?? []);
  } else if (dt === ONNX_DTYPE.INT64) {
    need(8);
    data = dv ? Float64Array.from({ length: count }, (_, i) => Number(dv.getBigInt64(8 * i, true))) : Float64Array.from((t.int64_data ?? []).map(int64));
  } else {
    throw new OnnxError(`${where}: tensor '${t.name}' has data type ${ONNX_DTYPE_NAMES[dt] ?? dt} (supported: FLOAT, DOUBLE, INT32, INT64)`);
  }
  if (data.length !== count) throw new OnnxError(`${where}: tensor '${t.name}' has ${data.length} values, dims [${dims}] need ${count}`);
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) throw new OnnxError(`${where}: tensor '${t.name}' has a non-finite value at index ${i}`);
  return { dims, data };
}

function attr(n: OnnxNode, name: string): OnnxAttribute | undefined {
  return (n.attribute ?? []).find((a) => a.name === name);
}
function attrInt(n: OnnxNode, name: string, dflt: number): number {
  const a = attr(n, name);
  return a ? int64(a.i) : dflt;
}
function attrFloat(n: OnnxNode, name: string, dflt: number): number {
  const a = attr(n, name);
  return a ? (a.f ?? 0) : dflt;
}

/** Per-feature affine y = (x - s) * m + c, composed in doubles. */
class Affine {
  s: Float64Array; m: Float64Array; c: Float64Array;
  constructor(readonly n: number) {
    this.s = new Float64Array(n); this.m = new Float64Array(n).fill(1); this.c = new Float64Array(n);
  }
  get identity(): boolean {
    for (let i = 0; i < this.n; i++) if (this.s[i] !== 0 || this.m[i] !== 1 || this.c[i] !== 0) return false;
    return true;
  }
  /** y := y + k (the shift goes into s while nothing has scaled yet, keeping (x - mean) exact). */
  add(k: Float64Array): void {
    for (let i = 0; i < this.n; i++) {
      if (this.m[i] === 1 && this.c[i] === 0) this.s[i] -= k[i];
      else this.c[i] += k[i];
    }
  }
  scale(k: Float64Array): void {
    for (let i = 0; i < this.n; i++) { this.m[i] *= k[i]; this.c[i] *= k[i]; }
  }
}

interface Building { nIn: number; nOut: number; w: Float64Array; b: Float64Array; act: ActivationName; alpha?: number }

export interface OnnxLoadOptions {
  /** For messages and provenance. */
  readonly source?: string;
  /** Unit of the last layer taken as the score; default: the last unit (class 1 of a 2-class softmax). */
  readonly scoreIndex?: number;
}

/** Decodes ONNX bytes (throws OnnxError for a malformed or truncated protobuf). */
export function decodeOnnx(bytes: Uint8Array, source = 'ONNX model'): OnnxModel {
  if (bytes.length === 0) throw new OnnxError(`${source}: empty file, not an ONNX model`);
  let msg: OnnxModel;
  try {
    msg = onnxTypes().model.decode(bytes) as unknown as OnnxModel;
  } catch (e) {
    throw new OnnxError(`${source}: not a valid ONNX protobuf (malformed or truncated): ${(e as Error).message}`);
  }
  if (!msg.graph || !(msg.graph.node?.length)) throw new OnnxError(`${source}: the protobuf holds no ONNX graph with nodes (is this an ONNX model?)`);
  return msg;
}

export function loadOnnx(bytes: Uint8Array, opts: OnnxLoadOptions = {}): Mlp {
  const src = opts.source ?? 'ONNX model';
  const model = decodeOnnx(bytes, src);
  const g = model.graph!;
  const opset = int64((model.opset_import ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version) || 13;

  const consts = new Map<string, Const>();
  for (const t of g.initializer ?? []) consts.set(t.name ?? '', tensorValues(t, src));
  const inputs = (g.input ?? []).filter((v) => !consts.has(v.name ?? ''));
  if (inputs.length !== 1) throw new OnnxError(`${src}: the graph has ${inputs.length} non-constant inputs (${inputs.map((v) => v.name).join(', ')}); an MLP has one`);
  const outputs = g.output ?? [];
  if (outputs.length !== 1) throw new OnnxError(`${src}: the graph has ${outputs.length} outputs (${outputs.map((v) => v.name).join(', ')}); an MLP has one`);
  const inInfo = inputs[0];
  const inTensor = inInfo.type?.tensor_type;
  if (inTensor?.elem_type !== undefined && inTensor.elem_type !== ONNX_DTYPE.FLOAT) {
    throw new OnnxError(`${src}: input '${inInfo.name}' has element type ${ONNX_DTYPE_NAMES[inTensor.elem_type] ?? inTensor.elem_type}; only FLOAT inputs are supported`);
  }
  const inDims = inTensor?.shape?.dim;
  if (inDims && inDims.length !== 2) throw new OnnxError(`${src}: input '${inInfo.name}' has rank ${inDims.length}; an MLP takes [batch, features]`);
  let width: number | undefined = inDims && int64(inDims[1].dim_value) > 0 ? int64(inDims[1].dim_value) : undefined;

  let cur = inInfo.name ?? '';
  let stage: 'input' | 'linear' | 'activated' = 'input';
  let inAff: Affine | undefined;
  let pending: Affine | undefined;
  const layers: Building[] = [];

  /** A constant operand broadcast per feature: shapes [], [1], [n], [1, n]. */
  const perFeature = (c: Const, n: Node, name: string): Float64Array => {
    const d = c.dims.filter((x, i) => !(i < c.dims.length - 1 && x === 1));
    const len = c.data.length;
    if (width === undefined && len > 1) width = len;
    if (c.dims.length > 2 || (len !== 1 && (len !== width || d.length !== 1))) {
      throw new OnnxError(`${src}: ${nodeLabel(n)}: constant '${name}' of shape [${c.dims}] does not broadcast over ${width ?? '?'} features`);
    }
    if (width === undefined) throw new OnnxError(`${src}: ${nodeLabel(n)}: the number of input features is unknown (give the graph input a shape)`);
    return len === 1 ? new Float64Array(width).fill(c.data[0]) : c.data;
  };
  type Node = OnnxNode;

  const applyAffine = (n: Node, kind: 'add' | 'scale', k: Float64Array): void => {
    if (stage === 'linear') {
      const L = layers[layers.length - 1];
      for (let o = 0; o < L.nOut; o++) {
        if (kind === 'add') L.b[o] += k[o];
        else {
          L.b[o] *= k[o];
          for (let i = 0; i < L.nIn; i++) L.w[o * L.nIn + i] *= k[o];
        }
      }
      return;
    }
    const target = stage === 'input' ? (inAff ??= new Affine(width!)) : (pending ??= new Affine(width!));
    if (kind === 'add') target.add(k);
    else target.scale(k);
  };

  const addDense = (n: Node, K: number, N: number, w: Float64Array, b: Float64Array): void => {
    if (width !== undefined && K !== width) throw new OnnxError(`${src}: ${nodeLabel(n)}: takes ${K} features but the previous stage gives ${width}`);
    if (K > MLP_MAX_WIDTH || N > MLP_MAX_WIDTH) throw new OnnxError(`${src}: ${nodeLabel(n)}: layer ${K} -> ${N} is wider than the supported ${MLP_MAX_WIDTH}`);
    const prev = layers[layers.length - 1];
    if (prev?.act === 'softmax') throw new OnnxError(`${src}: ${nodeLabel(n)}: a dense layer after Softmax is not supported (Softmax only on the last layer)`);
    if (stage === 'input' && !inAff) inAff = undefined;
    if (pending) {
      // y = h * m + (c - s m) feeds this layer: fold into W and b.
      for (let o = 0; o < N; o++) {
        let extra = 0;
        for (let i = 0; i < K; i++) {
          extra += w[o * K + i] * (pending.c[i] - pending.s[i] * pending.m[i]);
          w[o * K + i] *= pending.m[i];
        }
        b[o] += extra;
      }
      pending = undefined;
    }
    width = N;
    layers.push({ nIn: K, nOut: N, w, b, act: 'identity' });
    stage = 'linear';
  };

  const activation = (n: Node, act: ActivationName, alpha?: number): void => {
    if (stage !== 'linear' || pending) {
      throw new OnnxError(`${src}: ${nodeLabel(n)}: an activation must follow a dense layer (Gemm or MatMul) directly; this graph shape is not supported`);
    }
    const L = layers[layers.length - 1];
    L.act = act;
    L.alpha = alpha;
    stage = 'activated';
  };

  for (const n of g.node ?? []) {
    const op = n.op_type ?? '';
    if (n.domain && n.domain !== 'ai.onnx') throw new OnnxError(`${src}: unsupported ONNX op '${n.domain}.${op}' (${nodeLabel(n)})`);
    const ins = n.input ?? [];
    if (op === 'Constant') {
      const a = n.attribute?.[0];
      if (!a) throw new OnnxError(`${src}: ${nodeLabel(n)} has no value`);
      let c: Const;
      if (a.name === 'value' && a.t) c = tensorValues(a.t, src);
      else if (a.name === 'value_float') c = { dims: [], data: Float64Array.of(a.f ?? 0) };
      else if (a.name === 'value_floats') c = { dims: [(a.floats ?? []).length], data: Float64Array.from(a.floats ?? []) };
      else throw new OnnxError(`${src}: ${nodeLabel(n)}: attribute '${a.name}' is not supported`);
      consts.set((n.output ?? [])[0] ?? '', c);
      continue;
    }
    const data = ins.filter((x) => x !== '' && !consts.has(x));
    const constIns = ins.map((x) => consts.get(x));
    if (data.length !== 1 || data[0] !== cur) {
      const known = new Set(['Gemm', 'MatMul', 'Add', 'Sub', 'Mul', 'Div', 'Relu', 'LeakyRelu', 'Tanh', 'Sigmoid', 'Softmax', 'BatchNormalization', 'Identity', 'Flatten', 'Dropout']);
      if (!known.has(op)) throw new OnnxError(`${src}: unsupported ONNX op '${op}' (${nodeLabel(n)})`);
      throw new OnnxError(`${src}: ${nodeLabel(n)} reads [${data.join(', ')}] but the chain's current value is '${cur}': only a single chain of layers is supported (no branches or skip connections)`);
    }
    if (ins[0] !== cur && !['Add', 'Mul'].includes(op)) {
      throw new OnnxError(`${src}: ${nodeLabel(n)}: the data input must be the first operand (constant ${ins[0]} first is not supported)`);
    }
    const other = constIns.find((c, j) => c && ins[j] !== cur);
    switch (op) {
      case 'Identity':
      case 'Dropout':
        break;
      case 'Flatten': {
        const axis = attrInt(n, 'axis', 1);
        if (axis !== 1 && axis !== -1) throw new OnnxError(`${src}: ${nodeLabel(n)}: axis ${axis} is not supported (only a [batch, features] no-op)`);
        break;
      }
      case 'Gemm':
      case 'MatMul': {
        const B = constIns[1];
        if (!B) throw new OnnxError(`${src}: ${nodeLabel(n)}: the second operand must be a constant weight matrix`);
        if (B.dims.length !== 2) throw new OnnxError(`${src}: ${nodeLabel(n)}: weight '${ins[1]}' has shape [${B.dims}], expected 2-D`);
        const gemm = op === 'Gemm';
        if (gemm && attrInt(n, 'transA', 0) !== 0) throw new OnnxError(`${src}: ${nodeLabel(n)}: transA=1 is not supported`);
        const transB = gemm ? attrInt(n, 'transB', 0) : 0;
        const alpha = gemm ? attrFloat(n, 'alpha', 1) : 1;
        const beta = gemm ? attrFloat(n, 'beta', 1) : 1;
        const [K, N] = transB ? [B.dims[1], B.dims[0]] : [B.dims[0], B.dims[1]];
        const w = new Float64Array(K * N);
        for (let o = 0; o < N; o++) for (let i = 0; i < K; i++) w[o * K + i] = alpha * (transB ? B.data[o * K + i] : B.data[i * N + o]);
        const b = new Float64Array(N);
        const C = gemm ? constIns[2] : undefined;
        if (gemm && ins[2] && !C) throw new OnnxError(`${src}: ${nodeLabel(n)}: bias '${ins[2]}' must be a constant`);
        if (C) {
          const len = C.data.length;
          if (!(len === 1 || (len === N && C.dims[C.dims.length - 1] === N && C.dims.slice(0, -1).every((d) => d === 1)))) {
            throw new OnnxError(`${src}: ${nodeLabel(n)}: bias '${ins[2]}' of shape [${C.dims}] is not broadcastable to [batch, ${N}]`);
          }
          for (let o = 0; o < N; o++) b[o] = beta * C.data[len === 1 ? 0 : o];
        }
        addDense(n, K, N, w, b);
        break;
      }
      case 'Add':
      case 'Sub':
      case 'Mul':
      case 'Div': {
        if (!other) throw new OnnxError(`${src}: ${nodeLabel(n)}: needs a constant operand`);
        const k = perFeature(other, n, ins.find((x) => x !== cur) ?? '?');
        if (op === 'Add') applyAffine(n, 'add', k);
        else if (op === 'Sub') applyAffine(n, 'add', k.map((v) => -v));
        else if (op === 'Mul') applyAffine(n, 'scale', k);
        else {
          if (k.some((v) => v === 0)) throw new OnnxError(`${src}: ${nodeLabel(n)}: division by zero in '${ins[1]}'`);
          applyAffine(n, 'scale', k.map((v) => 1 / v));
        }
        break;
      }
      case 'BatchNormalization': {
        if (attrInt(n, 'training_mode', 0) !== 0) throw new OnnxError(`${src}: ${nodeLabel(n)}: training_mode=1 is not supported`);
        if ((n.output ?? []).length > 1) throw new OnnxError(`${src}: ${nodeLabel(n)}: running-statistics outputs are not supported`);
        const [scale, bias, mean, variance] = [1, 2, 3, 4].map((j) => {
          const c = constIns[j];
          if (!c) throw new OnnxError(`${src}: ${nodeLabel(n)}: input ${j} ('${ins[j]}') must be a constant`);
          return perFeature(c, n, ins[j]);
        });
        const eps = attrFloat(n, 'epsilon', 1e-5);
        // y = (x - mean) * scale / sqrt(var + eps) + bias (ONNX BatchNormalization, inference).
        applyAffine(n, 'add', mean.map((v) => -v));
        applyAffine(n, 'scale', scale.map((s, i) => s / Math.sqrt(variance[i] + eps)));
        applyAffine(n, 'add', bias);
        break;
      }
      case 'Relu': activation(n, 'relu'); break;
      case 'LeakyRelu': activation(n, 'leakyrelu', attrFloat(n, 'alpha', 0.01)); break;
      case 'Tanh': activation(n, 'tanh'); break;
      case 'Sigmoid': activation(n, 'sigmoid'); break;
      case 'Softmax': {
        const axis = attrInt(n, 'axis', opset >= 13 ? -1 : 1);
        if (axis !== 1 && axis !== -1) throw new OnnxError(`${src}: ${nodeLabel(n)}: axis ${axis} is not supported (softmax over the features of [batch, features])`);
        activation(n, 'softmax');
        break;
      }
      default:
        throw new OnnxError(`${src}: unsupported ONNX op '${op}' (${nodeLabel(n)})`);
    }
    cur = (n.output ?? [])[0] ?? '';
  }
  if (cur !== outputs[0].name) throw new OnnxError(`${src}: the chain ends at '${cur}' but the graph output is '${outputs[0].name}'`);
  if (!layers.length) throw new OnnxError(`${src}: the graph has no dense layer (Gemm or MatMul)`);
  if (pending) throw new OnnxError(`${src}: an Add/Sub/Mul/Div/BatchNormalization after the last activation is not supported`);
  const last = layers[layers.length - 1];
  const scoreIndex = opts.scoreIndex ?? last.nOut - 1;
  if (!Number.isInteger(scoreIndex) || scoreIndex < 0 || scoreIndex >= last.nOut) throw new OnnxError(`${src}: score index ${scoreIndex} outside the ${last.nOut} outputs`);
  const nIn = layers[0].nIn;
  const f32 = (a: Float64Array): Float32Array => Float32Array.from(a);
  const dense: DenseLayer[] = layers.map((L) => ({ nIn: L.nIn, nOut: L.nOut, weights: f32(L.w), bias: f32(L.b), activation: L.act, alpha: L.alpha }));
  const aff = inAff && !inAff.identity ? inAff : undefined;
  return {
    nIn, layers: dense, scoreIndex,
    sub: aff && f32(aff.s), mul: aff && f32(aff.m), add: aff && f32(aff.c),
    source: `${src} (ONNX ir ${int64(model.ir_version)}, opset ${opset}${model.producer_name ? `, ${model.producer_name}` : ''})`,
  };
}
