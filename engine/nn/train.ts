// A trainer for signal-vs-background MLPs: dense layers (ReLU or tanh) and a sigmoid output,
// binary cross-entropy with class-balanced weights, Adam (Kingma & Ba, "Adam: a method for
// stochastic optimization", ICLR 2015, Algorithm 1), He / Glorot normal initialisation, inputs
// standardised by the training set's mean and standard deviation (part of the returned model).
// The minibatch steps run as the `mlp_train` kernel (kernels/mlp_train) on a Backend: f32 with the
// engine's exact math and a fixed summation order, so a seed gives the same weights, bit for bit, on
// every backend and however the steps are split into dispatches. The host draws the initial
// weights and the per-epoch shuffles from Philox4x32-10 keyed by the seed, and reads back the state.
import { philoxBlock } from '../../kernels/philox/ref.js';
import { guard } from '../../kernels/lib/activation.js';
import { ACT, packWeight } from '../../kernels/mlp/layout.js';
import { mlpTrain } from '../../kernels/mlp_train/desc.js';
import { initState, MT_HEADER, MT_MAX_PARAMS, MT_MAX_STEPS, MT_STATE_WORDS, packShape, paramCount } from '../../kernels/mlp_train/layout.js';
import { wguard } from '../../kernels/mlp_train/ref.js';
import type { KernelArgs, KernelOutputs } from '../../kernels/types.js';
import type { Backend } from '../../host/backend.js';
import { runReference } from '../../host/cpu.js';
import type { DenseLayer, Mlp } from './model.js';
import { checkpoint } from '../cancel.js';

const fr = Math.fround;

export interface TrainOptions {
  readonly seed: number;
  /** Hidden layer widths (default [32, 32]). */
  readonly hidden?: readonly number[];
  readonly activation?: 'relu' | 'tanh';
  readonly epochs?: number;
  readonly batch?: number;
  /** Adam step size (default 3e-3); beta1 0.9, beta2 0.999, epsilon 1e-8 (the paper's defaults). */
  readonly learningRate?: number;
  /** L2 penalty on the weights (default 1e-5). */
  readonly l2?: number;
  readonly inputNames?: readonly string[];
}

export interface TrainResult {
  readonly model: Mlp;
  /** Mean weighted BCE on the training set per epoch. */
  readonly history: readonly { epoch: number; loss: number }[];
  readonly seed: number;
}

/** Philox-driven uniforms and normals: stream of blocks (counter, key = seed). */
export class Rng {
  private buf = new Uint32Array(4);
  private i = 4;
  private ctr = 0;
  constructor(private readonly seed: number, private readonly stream: number) {}
  u32(): number {
    if (this.i === 4) {
      philoxBlock(this.ctr++, this.stream, 0, 0, this.seed >>> 0, 0x7a11, this.buf, 0);
      this.i = 0;
    }
    return this.buf[this.i++];
  }
  /** Uniform in (0, 1). */
  uniform(): number {
    return ((this.u32() >>> 8) + 0.5) / 16777216;
  }
  /** Standard normal: Marsaglia polar method (Marsaglia & Bray 1964). Only log (fdlibm on the page,
   *  as in Node) and correctly rounded + - * / sqrt: no Math.cos, whose last bit differs between
   *  Node's V8 and Chromium's, which made the page's trained loss differ from the CLI's. */
  normal(): number {
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s < 1 && s > 0) return u * Math.sqrt((-2 * Math.log(s)) / s);
    }
  }
}

/** Version of the trained weights for a given seed and data (recorded with every trained model). */
export const TRAINER_VERSION = 2; // 2: f32 steps on the backend (mlp_train kernel); 1 was the f64 host trainer

/** Synchronous training on the TypeScript reference (tests, small models): the same weights as on any backend. */
export function trainClassifier(x: ArrayLike<number>, labels: ArrayLike<number>, nIn: number, opts: TrainOptions): TrainResult {
  const it = trainSteps([{ x, labels, nIn, opts }]);
  let out: KernelOutputs | undefined;
  for (;;) {
    const r = it.next(out!);
    if (r.done) return r.value[0];
    out = runReference(mlpTrain, r.value.args(MT_MAX_STEPS));
  }
}

export interface TrainRun {
  /** Where the steps run (default: the TypeScript reference). */
  backend?: Backend;
  signal?: AbortSignal;
  progress?: (msg: string) => void;
}

/**
 * Training on a backend, with a checkpoint between dispatches so that Ctrl-C stops it within a
 * fraction of a second (issue 21), and `progress` once per epoch. A dispatch takes as many steps
 * as fit in about 100 ms, within one epoch (sized from the last one's time; the split never changes the weights).
 */
export async function trainClassifierAsync(
  x: ArrayLike<number>, labels: ArrayLike<number>, nIn: number, opts: TrainOptions, o: TrainRun = {},
): Promise<TrainResult> {
  return (await trainClassifiers([{ x, labels, nIn, opts }], o))[0];
}

/** One network to train: its events, labels and options. */
export interface TrainJob {
  readonly x: ArrayLike<number>;
  readonly labels: ArrayLike<number>;
  readonly nIn: number;
  readonly opts: TrainOptions;
}

/**
 * Several networks at once, one kernel item each (e.g. one per mass range): each gets exactly
 * the weights it would get alone. They must share the input width, hidden layers, activation,
 * epochs, batch size and Adam settings (their data and seeds differ).
 */
export async function trainClassifiers(jobs: readonly TrainJob[], o: TrainRun = {}): Promise<TrainResult[]> {
  const it = trainSteps(jobs);
  let out: KernelOutputs | undefined;
  let steps = 8, lastEpoch = -1;
  for (;;) {
    const r = it.next(out!);
    if (r.done) return r.value;
    if (r.value.epoch !== lastEpoch) {
      lastEpoch = r.value.epoch;
      o.progress?.(`training the MLP: epoch ${r.value.epoch + 1} / ${r.value.epochs}`);
    }
    await checkpoint(o.signal);
    const t0 = performance.now();
    out = o.backend ? await o.backend.run(mlpTrain, r.value.args(steps)) : runReference(mlpTrain, r.value.args(steps));
    const ms = performance.now() - t0;
    steps = Math.max(1, Math.min(MT_MAX_STEPS, Math.round(steps * Math.min(4, Math.max(0.5, DISPATCH_MS / Math.max(ms, 1))))));
  }
}

/** Target time of one training dispatch (a checkpoint between dispatches: Ctrl-C within ~2x this). */
const DISPATCH_MS = 100;

/** What the driver yields: the next dispatch's arguments for a number of steps, and where training is. */
interface Dispatch { args(steps: number): KernelArgs; epoch: number; epochs: number }

interface Prepared {
  widths: number[]; act: 'relu' | 'tanh'; epochs: number; batch: number; lr: number; l2: number;
  rows: number; xs: Float32Array; yw: Float32Array; state: Uint32Array; sub: Float32Array; mul: Float32Array;
  shuffle: Rng; order: Uint32Array;
}

/** Checks features and labels (names the bad row); returns the number of signal rows. */
export function checkTrainingData(x: ArrayLike<number>, labels: ArrayLike<number>, nIn: number): number {
  const rows = labels.length;
  if (x.length !== rows * nIn) throw new RangeError(`train: ${x.length} feature values for ${rows} labels x ${nIn} features`);
  let nSig = 0;
  for (let r = 0; r < rows; r++) {
    if (labels[r] !== 0 && labels[r] !== 1) throw new RangeError(`train: label of row ${r} is ${labels[r]} (must be 0 = background or 1 = signal)`);
    nSig += labels[r];
  }
  if (nSig === 0 || nSig === rows) throw new RangeError('train: needs both signal (1) and background (0) events');
  for (let j = 0; j < x.length; j++) if (!Number.isFinite(x[j])) throw new RangeError(`train: row ${Math.floor(j / nIn)}, feature ${j % nIn} is not finite`);
  return nSig;
}

/** Checks one job's data and options, standardises its features, draws its initial weights. */
function prepare(job: TrainJob): Prepared {
  const { x, labels, nIn, opts } = job;
  const rows = labels.length;
  const nSig = checkTrainingData(x, labels, nIn);
  const hidden = opts.hidden ?? [32, 32];
  const act = opts.activation ?? 'relu';
  const epochs = opts.epochs ?? 20, batch = opts.batch ?? 256, lr = opts.learningRate ?? 3e-3, l2 = opts.l2 ?? 1e-5;
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`train: epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(batch) || batch < 1 || batch > 65536) throw new RangeError(`train: batch must be an integer in 1..65536, got ${batch}`);
  if (!(lr > 0 && lr < 1e3) || !(l2 >= 0 && l2 < 1e3)) throw new RangeError(`train: learning rate ${lr} / l2 ${l2} out of range`);
  const widths = [nIn, ...hidden, 1];
  packShape(widths, ACT[act]); // checks the kernel's limits
  if (paramCount(widths) > MT_MAX_PARAMS) throw new RangeError(`train: a ${widths.join('-')} network has ${paramCount(widths)} parameters, over the training kernel's ${MT_MAX_PARAMS}`);

  // Standardisation from the training set (f64), then rounded as the model holds it (packMlp):
  // the network trains on exactly what the model's input affine computes.
  const mean = new Float64Array(nIn), std = new Float64Array(nIn);
  for (let r = 0; r < rows; r++) for (let i = 0; i < nIn; i++) mean[i] += x[r * nIn + i] / rows;
  for (let r = 0; r < rows; r++) for (let i = 0; i < nIn; i++) std[i] += (x[r * nIn + i] - mean[i]) ** 2 / rows;
  for (let i = 0; i < nIn; i++) std[i] = Math.sqrt(std[i]) || 1;
  const sub = Float32Array.from(mean, (m, i) => packWeight(m, `input shift ${i}`));
  const mul = Float32Array.from(std, (s, i) => packWeight(1 / s, `input scale ${i}`));
  const xs = new Float32Array(rows * nIn);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < nIn; i++) {
      const d = guard(fr(guard(fr(x[r * nIn + i])) - sub[i])); // as kernels/mlp/ref.ts mlpScore, add = 0
      xs[r * nIn + i] = guard(fr(guard(fr(d * mul[i])) + 0));
    }
  }
  // Class-balanced weights: signal and background each weigh rows / 2 in total.
  const wSig = fr(rows / (2 * nSig)), wBkg = fr(rows / (2 * (rows - nSig)));
  const yw = new Float32Array(2 * rows);
  for (let r = 0; r < rows; r++) {
    yw[2 * r] = labels[r];
    yw[2 * r + 1] = labels[r] ? wSig : wBkg;
  }
  const rng = new Rng(opts.seed, 1);
  const params: number[] = [];
  for (let k = 0; k + 1 < widths.length; k++) {
    const a = widths[k], b = widths[k + 1];
    const s = Math.sqrt((act === 'relu' && k < widths.length - 2 ? 2 : 1) / a); // He (ReLU) or Glorot-style normal
    for (let j = 0; j < a * b; j++) params.push(wguard(fr(s * rng.normal())));
    for (let j = 0; j < b; j++) params.push(0);
  }
  return {
    widths, act, epochs, batch, lr, l2, rows, xs, yw, sub, mul, state: initState(widths, params),
    shuffle: new Rng(opts.seed, 2), order: Uint32Array.from({ length: rows }, (_, i) => i),
  };
}

/**
 * The training schedule of every job, as kernel dispatches: yields each dispatch (the caller runs
 * it and passes back its outputs), returns the trained models. Job j's step s covers rows
 * [s b, (s + 1) b) of its epoch's Fisher-Yates order (Philox stream 2, as the f64 trainer drew it).
 */
function* trainSteps(jobs: readonly TrainJob[]): Generator<Dispatch, TrainResult[], KernelOutputs> {
  if (jobs.length < 1) throw new RangeError('train: no networks to train');
  const prep = jobs.map(prepare);
  const p0 = prep[0];
  for (const [j, p] of prep.entries()) {
    if (p.widths.join() !== p0.widths.join() || p.act !== p0.act || p.epochs !== p0.epochs || p.batch !== p0.batch || p.lr !== p0.lr || p.l2 !== p0.l2) {
      throw new RangeError(`train: network ${j} differs from network 0 in shape or training options (trained together, they must share them)`);
    }
  }
  const { widths, act, epochs, batch, lr, l2 } = p0;
  const nIn = widths[0];
  // Shared inputs: every job's rows, one after another.
  const first: number[] = [];
  let total = 0;
  for (const p of prep) (first.push(total), (total += p.rows));
  const x = new Float32Array(total * nIn), yw = new Float32Array(2 * total);
  prep.forEach((p, j) => (x.set(p.xs, first[j] * nIn), yw.set(p.yw, 2 * first[j])));
  const shape = packShape(widths, ACT[act]);
  const perEpoch = prep.map((p) => Math.ceil(p.rows / batch));
  const totalSteps = prep.map((p, j) => epochs * perEpoch[j]);
  const longest = Math.max(...totalSteps);
  const lossSum = prep.map(() => new Float64Array(epochs));
  let state: Uint32Array = new Uint32Array(jobs.length * MT_STATE_WORDS);
  prep.forEach((p, j) => state.set(p.state, j * MT_STATE_WORDS));
  const adam = { lr: fr(lr), l2: fr(l2), beta1: fr(0.9), beta2: fr(0.999), ob1: fr(1 - fr(0.9)), ob2: fr(1 - fr(0.999)), eps: fr(1e-8) };
  const spe = perEpoch[totalSteps.indexOf(longest)];
  for (let s0 = 0; s0 < longest;) {
    const epoch = Math.floor(s0 / spe);
    let used = 0;
    const out: KernelOutputs = yield {
      epoch, epochs,
      args: (want) => {
        // A dispatch stays within one epoch of the longest job (progress once per epoch).
        const steps = Math.min(want, MT_MAX_STEPS, (epoch + 1) * spe - s0);
        used = steps;
        const plan = new Uint32Array(jobs.length * steps * (batch + 1));
        prep.forEach((p, j) => {
          for (let t = 0; t < steps; t++) {
            const g = s0 + t;
            if (g >= totalSteps[j]) continue; // done: n = 0
            const e = g % perEpoch[j];
            if (e === 0) {
              for (let i = p.rows - 1; i > 0; i--) { // Fisher-Yates
                const k = Math.floor(p.shuffle.uniform() * (i + 1));
                const tmp = p.order[i]; p.order[i] = p.order[k]; p.order[k] = tmp;
              }
            }
            const a = e * batch, n = Math.min(batch, p.rows - a), b = (j * steps + t) * (batch + 1);
            plan[b] = n;
            for (let q = 0; q < n; q++) plan[b + 1 + q] = first[j] + p.order[a + q];
          }
        });
        return { count: jobs.length, params: { steps, batch, ...adam }, inputs: { shape, x, yw, plan, state } };
      },
    };
    const loss = new Float32Array(out.loss.buffer, out.loss.byteOffset, out.loss.length);
    prep.forEach((_, j) => {
      for (let t = 0; t < used && s0 + t < totalSteps[j]; t++) lossSum[j][Math.floor((s0 + t) / perEpoch[j])] += loss[j * MT_MAX_STEPS + t];
    });
    state = out.trained;
    s0 += used;
  }
  return prep.map((p, j) => {
    const st = new Float32Array(state.buffer, state.byteOffset + 4 * j * MT_STATE_WORDS, MT_STATE_WORDS);
    let at = MT_HEADER;
    const layers: DenseLayer[] = [];
    for (let k = 0; k + 1 < widths.length; k++) {
      const a = widths[k], b = widths[k + 1];
      const weights = st.slice(at, at + a * b);
      const bias = st.slice(at + a * b, at + a * b + b);
      at += a * b + b;
      layers.push({ nIn: a, nOut: b, weights, bias, activation: k === widths.length - 2 ? 'sigmoid' : act });
    }
    const opts = jobs[j].opts;
    return {
      model: {
        nIn, sub: p.sub, mul: p.mul, layers, scoreIndex: 0, inputNames: opts.inputNames,
        source: `darkscan trainClassifier v${TRAINER_VERSION} seed=${opts.seed} ${widths.join('-')} ${act} epochs=${epochs}`,
      },
      history: Array.from(lossSum[j], (l, e) => ({ epoch: e + 1, loss: l / p.rows })),
      seed: opts.seed,
    };
  });
}

/** Area under the ROC curve (Mann-Whitney U / (n_s n_b), ties counted 1/2). */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSum = 0, nSig = 0;
  for (let a = 0; a < idx.length;) {
    let b = a;
    while (b + 1 < idx.length && scores[idx[b + 1]] === scores[idx[a]]) b++;
    const rank = (a + b) / 2 + 1;
    for (let k = a; k <= b; k++) if (labels[idx[k]]) { rankSum += rank; nSig++; }
    a = b + 1;
  }
  const nBkg = idx.length - nSig;
  return (rankSum - (nSig * (nSig + 1)) / 2) / (nSig * nBkg);
}
