// An MLP as darkscan scores it: an optional per-feature input affine (standardisation), then
// dense layers with activations. Loaders (ONNX, JSON) build it; the `mlp` kernel runs its packed
// form (kernels/mlp/layout.ts). Weights are f32, row-major [out][in].
import { ACT, MLP_MAX_WIDTH, packMlp, type ActivationName } from '../../kernels/mlp/layout.js';

export { ACT, MLP_MAX_WIDTH, type ActivationName };

export interface DenseLayer {
  readonly nIn: number;
  readonly nOut: number;
  /** Row-major [nOut][nIn]: weights[o * nIn + i]. */
  readonly weights: Float32Array;
  readonly bias: Float32Array;
  readonly activation: ActivationName;
  /** LeakyRelu slope. */
  readonly alpha?: number;
}

export interface Mlp {
  readonly nIn: number;
  /** Input affine per feature: (x - sub) * mul + add; identity where absent. */
  readonly sub?: Float32Array;
  readonly mul?: Float32Array;
  readonly add?: Float32Array;
  readonly layers: readonly DenseLayer[];
  /** Which unit of the last layer's output is the score. */
  readonly scoreIndex: number;
  /** Names of the input features, when the source names them (JSON models; ONNX has none per column). */
  readonly inputNames?: readonly string[];
  /** Where the model came from (file, producer), for provenance in outputs. */
  readonly source?: string;
}

const packed = new WeakMap<Mlp, Uint32Array>();

/** The packed words the kernel reads; computed once per model object. */
export function packModel(m: Mlp): Uint32Array {
  let p = packed.get(m);
  if (!p) {
    p = packMlp(m);
    packed.set(m, p);
  }
  return p;
}

/** Shape summary, e.g. "12-64(relu)-64(relu)-1(sigmoid)". */
export function describeModel(m: Mlp): string {
  return [String(m.nIn), ...m.layers.map((l) => `${l.nOut}(${l.activation}${l.activation === 'leakyrelu' ? ` ${l.alpha ?? 0.01}` : ''})`)].join('-');
}

/** Number of multiply-adds per event (for throughput figures). */
export function macsPerEvent(m: Mlp): number {
  return m.layers.reduce((s, l) => s + l.nIn * l.nOut, 0);
}
