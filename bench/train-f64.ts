// The f64 host trainer darkscan used before the mlp_train kernel (trainer version 1, engine/nn/train.ts
// until 2026-11-30), kept as a peer: bench/mlp.ts times the kernel against it, and test/mlp-train.test.ts
// checks that the kernel's networks separate as well as its did. Not part of the engine.
// Dense ReLU/tanh layers, sigmoid output, class-balanced BCE, Adam, computed in doubles.
import { xlog } from '../kernels/lib/exactmath.js';
import type { DenseLayer } from '../engine/nn/model.js';
import { checkTrainingData, Rng, type TrainOptions, type TrainResult } from '../engine/nn/train.js';

/** tanh from exp (fdlibm on the page, as in Node): Math.tanh rounds differently between V8 builds. */
function tanh(z: number): number {
  return 1 - 2 / (Math.exp(2 * z) + 1);
}

/** The version-1 training, synchronous. */
export function trainClassifierF64(x: ArrayLike<number>, labels: ArrayLike<number>, nIn: number, opts: TrainOptions): TrainResult {
  const it = trainSteps(x, labels, nIn, opts);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}

/** One minibatch step done (step within the epoch), for the drivers above. */
interface StepInfo { epoch: number; epochs: number; step: number }

function* trainSteps(x: ArrayLike<number>, labels: ArrayLike<number>, nIn: number, opts: TrainOptions): Generator<StepInfo, TrainResult> {
  const rows = labels.length;
  const nSig = checkTrainingData(x, labels, nIn);
  const hidden = opts.hidden ?? [32, 32];
  const act = opts.activation ?? 'relu';
  const epochs = opts.epochs ?? 20, batch = opts.batch ?? 256, lr = opts.learningRate ?? 3e-3, l2 = opts.l2 ?? 1e-5;
  const rng = new Rng(opts.seed, 1), shuffleRng = new Rng(opts.seed, 2);

  // Standardisation from the training set.
  const mean = new Float64Array(nIn), std = new Float64Array(nIn);
  for (let r = 0; r < rows; r++) for (let i = 0; i < nIn; i++) mean[i] += x[r * nIn + i] / rows;
  for (let r = 0; r < rows; r++) for (let i = 0; i < nIn; i++) std[i] += (x[r * nIn + i] - mean[i]) ** 2 / rows;
  for (let i = 0; i < nIn; i++) std[i] = Math.sqrt(std[i]) || 1;
  // Round the affine to f32 first: the network trains on exactly what the model will compute.
  const sub = Float32Array.from(mean), mul = Float32Array.from(std, (s) => 1 / s);
  const xs = new Float64Array(rows * nIn);
  for (let r = 0; r < rows; r++) for (let i = 0; i < nIn; i++) xs[r * nIn + i] = (x[r * nIn + i] - sub[i]) * mul[i];
  // Class-balanced weights: signal and background each weigh rows / 2 in total.
  const wSig = rows / (2 * nSig), wBkg = rows / (2 * (rows - nSig));

  const widths = [nIn, ...hidden, 1];
  const L = widths.length - 1;
  const W: Float64Array[] = [], B: Float64Array[] = [];
  for (let k = 0; k < L; k++) {
    const a = widths[k], b = widths[k + 1];
    const s = Math.sqrt((act === 'relu' && k < L - 1 ? 2 : 1) / a); // He (ReLU) or Glorot-style normal
    W.push(Float64Array.from({ length: a * b }, () => s * rng.normal()));
    B.push(new Float64Array(b));
  }
  const mW = W.map((w) => new Float64Array(w.length)), vW = W.map((w) => new Float64Array(w.length));
  const mB = B.map((b) => new Float64Array(b.length)), vB = B.map((b) => new Float64Array(b.length));
  const gW = W.map((w) => new Float64Array(w.length)), gB = B.map((b) => new Float64Array(b.length));
  const H = widths.map((n) => new Float64Array(n)); // activations of one event
  const D = widths.map((n) => new Float64Array(n)); // dLoss/d(pre-activation)
  const Z = widths.map((n) => new Float64Array(n));
  const order = Uint32Array.from({ length: rows }, (_, i) => i);
  const b1 = 0.9, b2 = 0.999, eps = 1e-8;
  let t = 0, b1t = 1, b2t = 1;
  const history: { epoch: number; loss: number }[] = [];

  for (let ep = 0; ep < epochs; ep++) {
    for (let i = rows - 1; i > 0; i--) { // Fisher-Yates
      const j = Math.floor(shuffleRng.uniform() * (i + 1));
      const tmp = order[i]; order[i] = order[j]; order[j] = tmp;
    }
    let lossSum = 0;
    for (let a = 0; a < rows; a += batch) {
      yield { epoch: ep, epochs, step: a / batch };
      const end = Math.min(rows, a + batch);
      for (const g of gW) g.fill(0);
      for (const g of gB) g.fill(0);
      let wsum = 0;
      for (let q = a; q < end; q++) {
        const r = order[q];
        for (let i = 0; i < nIn; i++) H[0][i] = xs[r * nIn + i];
        for (let k = 0; k < L; k++) {
          const ni = widths[k], no = widths[k + 1];
          for (let o = 0; o < no; o++) {
            let z = B[k][o];
            for (let i = 0; i < ni; i++) z += W[k][o * ni + i] * H[k][i];
            Z[k + 1][o] = z;
            H[k + 1][o] = k === L - 1 ? 1 / (1 + Math.exp(-z)) : act === 'relu' ? Math.max(0, z) : tanh(z);
          }
        }
        const y = labels[r], w = y ? wSig : wBkg, p = H[L][0];
        wsum += w;
        // The reported loss uses the engine's own log (exact f32 ops): Math.log may differ in the last
        // bit between JavaScript engines (Node and the browser), and the loss is part of the results.
        lossSum += -w * (y ? xlog(Math.fround(Math.max(p, 1e-12))) : xlog(Math.fround(Math.max(1 - p, 1e-12))));
        D[L][0] = w * (p - y); // d BCE / dz for a sigmoid output
        for (let k = L - 1; k >= 0; k--) {
          const ni = widths[k], no = widths[k + 1];
          for (let o = 0; o < no; o++) {
            const d = D[k + 1][o];
            gB[k][o] += d;
            for (let i = 0; i < ni; i++) gW[k][o * ni + i] += d * H[k][i];
          }
          if (k > 0) {
            for (let i = 0; i < ni; i++) {
              let s = 0;
              for (let o = 0; o < no; o++) s += W[k][o * ni + i] * D[k + 1][o];
              const z = Z[k][i];
              D[k][i] = s * (act === 'relu' ? (z > 0 ? 1 : 0) : 1 - tanh(z) * tanh(z));
            }
          }
        }
      }
      // Adam's bias corrections 1 - beta^t from running products: `**` (Math.pow) rounds differently
      // between Node's V8 and Chromium's, which made the page's training differ from the CLI's.
      t++;
      b1t *= b1;
      b2t *= b2;
      const c1 = 1 - b1t, c2 = 1 - b2t;
      const adam = (p: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, decay: number): void => {
        for (let j = 0; j < p.length; j++) {
          const gj = g[j] / wsum + decay * p[j];
          m[j] = b1 * m[j] + (1 - b1) * gj;
          v[j] = b2 * v[j] + (1 - b2) * gj * gj;
          p[j] -= (lr * (m[j] / c1)) / (Math.sqrt(v[j] / c2) + eps);
        }
      };
      for (let k = 0; k < L; k++) {
        adam(W[k], gW[k], mW[k], vW[k], l2);
        adam(B[k], gB[k], mB[k], vB[k], 0);
      }
    }
    history.push({ epoch: ep + 1, loss: lossSum / rows });
  }
  const layers: DenseLayer[] = W.map((w, k) => ({
    nIn: widths[k], nOut: widths[k + 1], weights: Float32Array.from(w), bias: Float32Array.from(B[k]),
    activation: k === L - 1 ? 'sigmoid' : act,
  }));
  return {
    model: { nIn, sub, mul, layers, scoreIndex: 0, inputNames: opts.inputNames, source: `darkscan trainClassifier seed=${opts.seed} ${widths.join('-')} ${act} epochs=${epochs}` },
    history, seed: opts.seed,
  };
}
