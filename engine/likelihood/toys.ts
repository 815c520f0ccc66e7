// Toys with fits for HistFactory models (issue 14): many pseudo-experiments x many toy sets (a
// model, a tested mu, a generating data block, a Philox stream) in one dispatch of the toyfit
// kernel (kernels/toyfit): per toy a data block sampled from Philox, the conditional and the free
// fit of the fit kernel, the test statistic. Toy t of a set always draws the same numbers (counter
// from the global toy index), so any split into runs, blocks, workers or shards gives the same bits.
import type { Backend } from '../../host/backend.js';
import { toyfit as toyfitDesc } from '../../kernels/toyfit/desc.js';
import { MAXD, SET_GEN, SET_KEY0, SET_KEY1, SET_MODEL, SET_MU, SET_WORDS, TOY_COND_MAXITER, TOY_FREE_MAXITER } from '../../kernels/toyfit/ref.js';
import { dataWords, packData, type FitModel } from '../../kernels/fit/layout.js';
import { runCancellable } from '../cancel.js';
import { key } from '../random.js';
import { ModelEvaluator } from './evaluate.js';
import { DEFAULT_MAX_ITER, type PackedModels } from './fitrun.js';
import { STAT_CODE, type TestStat } from './infer.js';
import type { CompiledModel } from './model.js';

export { TOY_COND_MAXITER, TOY_FREE_MAXITER };

/** Largest Poisson mean the samplers take (kernels/lib/sampling rsPoisson). */
export const MAX_POISSON_MEAN = 1e7;

/**
 * A set of toys: index into the packed models, the POI of the conditional fit (`mu`), the generating
 * block (generatingData: main rates, Gaussian aux centres, Poisson aux means at the generating
 * parameters) and the Philox stream of the set (key(seed, stream)). Value i of toy t draws from
 * counter (block, i, t, 0) of that key: sets sharing a stream draw the same numbers (common random
 * numbers); give each set its own stream unless that is what is wanted.
 */
export interface ToySet { model: number; mu: number; gen: ArrayLike<number>; stream: number }

export interface ToyOptions {
  seed: number;
  /** Global index of the first toy (shards and chunks: the same toy index gives the same toy). */
  firstToy: number;
  toys: number;
  stat: TestStat;
  maxIter?: number;
  signal?: AbortSignal;
  /** Called after each block of toys (items done, items in all): progress on long runs. */
  onProgress?: (done: number, total: number) => void;
}

/** sets x toys, set-major (toy i of set s at s toys + i). */
export interface ToyBatch {
  q: Float32Array;
  muHat: Float32Array;
  /** 0: both fits converged; TOY_COND_MAXITER / TOY_FREE_MAXITER bits: that fit ended at max_iter. */
  status: Uint32Array;
  /** Iterations of the conditional and the free fit (2 per toy). */
  iterations: Uint32Array;
}

/**
 * The block toys are drawn from, at parameters theta (pyhf infer/calculators.py ToyCalculator:
 * theta of the fixed-POI fit to the data at mu for s+b toys, at 0 for b-only, at 1 for the s+b toys
 * of q_0; pdf.py sample): main rates lambda_b(theta) (raised to 0 where a histosys makes them
 * negative), Gaussian auxiliary centres theta_p, Poisson auxiliary means tau gamma_p.
 */
export function generatingData(model: CompiledModel | FitModel, theta: ArrayLike<number>): Float64Array {
  const fm: FitModel = 'fit' in model ? model.fit : model;
  if (theta.length !== fm.params.length) throw new RangeError(`generatingData: ${theta.length} parameter values for a model of ${fm.params.length}`);
  const out = new ModelEvaluator(fm).asimov(theta);
  for (let b = 0; b < fm.bins.length; b++) if (out[b] < 0) out[b] = 0;
  return out;
}

/** Runs toys [firstToy, firstToy + toys) of every set in one dispatch (blocks when cancellable). */
export async function runToys(backend: Backend, packed: PackedModels, sets: readonly ToySet[], opts: ToyOptions): Promise<ToyBatch> {
  const K = opts.toys;
  if (!Number.isInteger(K) || K < 1) throw new RangeError(`toys must be an integer >= 1, got ${K}`);
  if (!Number.isInteger(opts.firstToy) || opts.firstToy < 0 || opts.firstToy + K > 0x100000000) throw new RangeError(`toys [${opts.firstToy}, ${opts.firstToy + K}) must lie in [0, 2^32)`);
  if (sets.length * K > 0xffffffff) throw new RangeError(`${sets.length} sets x ${K} toys exceed 2^32 - 1 toys in one run: run them in chunks (firstToy)`);
  const stat = STAT_CODE[opts.stat];
  if (stat === undefined) throw new RangeError(`unknown test statistic '${opts.stat}' (qtilde, q, q0)`);
  // Generating blocks: one copy per distinct array object.
  const blockOf = new Map<ArrayLike<number>, number>();
  const blocks: ArrayLike<number>[] = [];
  let n = 0;
  sets.forEach((s, i) => {
    const m = packed.models[s.model];
    if (!m) throw new RangeError(`toy set ${i}: model ${s.model} of ${packed.models.length}`);
    if (!Number.isFinite(s.mu)) throw new RangeError(`toy set ${i}: mu = ${s.mu}`);
    if (opts.stat === 'q0' && s.mu !== 0) throw new RangeError(`toy set ${i}: q0 tests mu = 0 (the conditional fit), got mu = ${s.mu}`);
    if (!Number.isInteger(s.stream) || s.stream < 0 || s.stream > 0xffffffff) throw new RangeError(`toy set ${i}: stream ${s.stream} is not a u32`);
    const W = dataWords(m);
    if (W > MAXD) throw new RangeError(`toy set ${i}: a data block of ${W} values (bins + auxiliary data); the toyfit kernel takes at most ${MAXD}`);
    if (s.gen.length !== W) throw new RangeError(`toy set ${i}: generating block of ${s.gen.length} values for a model of ${W}`);
    if (blockOf.has(s.gen)) return;
    const B = m.bins.length, nG = m.gauss.length;
    for (let j = 0; j < W; j++) {
      const v = s.gen[j];
      const what = j < B ? `main bin ${j}` : j < B + nG ? `Gaussian auxiliary ${j - B}` : `Poisson auxiliary ${j - B - nG}`;
      if (!Number.isFinite(v)) throw new RangeError(`toy set ${i}: generating ${what} = ${v}`);
      if ((j < B || j >= B + nG) && !(v >= 0 && v <= MAX_POISSON_MEAN)) throw new RangeError(`toy set ${i}: generating ${what} = ${v} (a Poisson mean must lie in [0, ${MAX_POISSON_MEAN}])`);
    }
    blockOf.set(s.gen, n);
    blocks.push(s.gen);
    n += W;
  });
  const gen = new Float32Array(Math.max(n, 1));
  for (const b of blocks) packData(b, gen, blockOf.get(b)!);
  const rec = new Uint32Array(Math.max(sets.length, 1) * SET_WORDS);
  const recF = new Float32Array(rec.buffer);
  sets.forEach((s, i) => {
    const k = key(opts.seed, s.stream);
    rec[SET_WORDS * i + SET_MODEL] = packed.offsets[s.model];
    rec[SET_WORDS * i + SET_GEN] = blockOf.get(s.gen)!;
    recF[SET_WORDS * i + SET_MU] = Math.abs(s.mu) < 2 ** -100 ? 0 : s.mu; // no subnormal reaches the kernel
    rec[SET_WORDS * i + SET_KEY0] = k[0];
    rec[SET_WORDS * i + SET_KEY1] = k[1];
  });
  const count = sets.length * K;
  if (count === 0) return { q: new Float32Array(0), muHat: new Float32Array(0), status: new Uint32Array(0), iterations: new Uint32Array(0) };
  const out = await runCancellable(backend, toyfitDesc, {
    count,
    params: { toys: K, toy0: opts.firstToy, max_iter: opts.maxIter ?? DEFAULT_MAX_ITER, stat },
    inputs: { model: packed.words, gen, sets: rec },
  }, opts.signal, opts.onProgress);
  return {
    q: new Float32Array(out.q.buffer, out.q.byteOffset, out.q.length),
    muHat: new Float32Array(out.muhat.buffer, out.muhat.byteOffset, out.muhat.length),
    status: out.status,
    iterations: out.iters,
  };
}
