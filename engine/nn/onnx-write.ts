// Writes an Mlp as an ONNX model (protobufjs, the onnx.proto subset in onnx-schema.ts): graph
// input "x" [N, n_in] float, optional Sub / Mul / Add for the input affine, then Gemm (transB=1,
// weights [out][in] as stored) and the activation per layer; output "score" [N, n_out].
// Opset 13, IR version 8: loads in onnxruntime 1.14 and later.
import { onnxTypes, ONNX_DTYPE } from './onnx-schema.js';
import type { Mlp } from './model.js';

const OP_OF = { relu: 'Relu', leakyrelu: 'LeakyRelu', tanh: 'Tanh', sigmoid: 'Sigmoid', softmax: 'Softmax' } as const;

function tensor(name: string, dims: number[], values: Float32Array): Record<string, unknown> {
  const raw = new Uint8Array(values.length * 4);
  const dv = new DataView(raw.buffer);
  values.forEach((v, i) => dv.setFloat32(4 * i, v, true));
  return { name, dims, data_type: ONNX_DTYPE.FLOAT, raw_data: raw };
}

function valueInfo(name: string, width: number): Record<string, unknown> {
  return { name, type: { tensor_type: { elem_type: ONNX_DTYPE.FLOAT, shape: { dim: [{ dim_param: 'N' }, { dim_value: width }] } } } };
}

export interface OnnxWriteOptions {
  readonly producer?: string;
  readonly doc?: string;
  /** Extra metadata_props (e.g. seed, training set, feature names). */
  readonly metadata?: Readonly<Record<string, string>>;
}

export function mlpToOnnx(m: Mlp, opts: OnnxWriteOptions = {}): Uint8Array {
  const nodes: Record<string, unknown>[] = [];
  const inits: Record<string, unknown>[] = [];
  let cur = 'x';
  const step = (op: string, inputs: string[], out: string, attribute: Record<string, unknown>[] = []): void => {
    nodes.push({ op_type: op, name: out, input: inputs, output: [out], attribute });
    cur = out;
  };
  if (m.sub) { inits.push(tensor('input_sub', [m.nIn], m.sub)); step('Sub', [cur, 'input_sub'], 'x_shifted'); }
  if (m.mul) { inits.push(tensor('input_mul', [m.nIn], m.mul)); step('Mul', [cur, 'input_mul'], 'x_scaled'); }
  if (m.add) { inits.push(tensor('input_add', [m.nIn], m.add)); step('Add', [cur, 'input_add'], 'x_standard'); }
  m.layers.forEach((L, k) => {
    inits.push(tensor(`W${k}`, [L.nOut, L.nIn], L.weights), tensor(`b${k}`, [L.nOut], L.bias));
    const last = k === m.layers.length - 1;
    step('Gemm', [cur, `W${k}`, `b${k}`], last && L.activation === 'identity' ? 'score' : `dense${k}`, [{ name: 'transB', type: 2, i: 1 }]);
    if (L.activation === 'identity') return;
    const attrs = L.activation === 'leakyrelu' ? [{ name: 'alpha', type: 1, f: L.alpha ?? 0.01 }] : L.activation === 'softmax' ? [{ name: 'axis', type: 2, i: -1 }] : [];
    step(OP_OF[L.activation], [cur], last ? 'score' : `act${k}`, attrs);
  });
  const msg = {
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }],
    producer_name: opts.producer ?? 'darkscan',
    producer_version: '0.1.0',
    doc_string: opts.doc ?? '',
    graph: {
      name: 'darkscan_mlp',
      node: nodes,
      initializer: inits,
      input: [valueInfo('x', m.nIn)],
      output: [valueInfo('score', m.layers[m.layers.length - 1].nOut)],
    },
    metadata_props: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  const T = onnxTypes().model;
  const err = T.verify(msg);
  if (err) throw new Error(`mlpToOnnx: ${err}`);
  return T.encode(T.fromObject(msg)).finish();
}
