// Many maximum-likelihood fits in one dispatch of the fit kernel (kernels/fit) on any backend.
import type { Backend } from '../../host/backend.js';
import { fit as fitDesc } from '../../kernels/fit/desc.js';
import { ITEM_DATA, ITEM_MODE, ITEM_MODEL, ITEM_POI, ITEM_WORDS, MAXP, POI_FIXED, POI_FREE, dataWords, packData, packModels, type FitModel } from '../../kernels/fit/layout.js';
import { STATUS } from '../../kernels/fit/ref.js';
import { runCancellable } from '../cancel.js';

export const DEFAULT_MAX_ITER = 200;
export const FIT_STATUS_NAMES = ['max_iter', 'converged', 'converged_noise_floor', 'no_descent'] as const;

/** Models packed once (the kernel input stays resident on a GPU between dispatches). */
export interface PackedModels {
  readonly models: readonly FitModel[];
  readonly words: Uint32Array;
  readonly offsets: readonly number[];
}

export function packFitModels(models: readonly FitModel[]): PackedModels {
  const { words, offsets } = packModels(models);
  return { models, words, offsets };
}

export interface FitRequest {
  /** Index into the packed models. */
  readonly model: number;
  /** Data block of that model (main counts, Gaussian then Poisson auxiliary data). */
  readonly data: ArrayLike<number>;
  /** POI held at this value (conditional fit); undefined: the POI is fitted. */
  readonly poi?: number;
}

export interface FitResult {
  readonly theta: Float64Array;
  /** -2 ln L up to theta-independent constants (df32 from the kernel, summed in f64 here). */
  readonly deviance: number;
  /** The kernel's df32 deviance (hi, lo): what the test statistic is computed from (kernels/toyfit testStatF32). */
  readonly devianceDf?: { readonly hi: number; readonly lo: number };
  readonly iterations: number;
  readonly status: number;
}

/** Runs every request as one item of one dispatch; results in request order. */
export async function runFits(backend: Backend, packed: PackedModels, reqs: readonly FitRequest[], opts: { maxIter?: number; signal?: AbortSignal } = {}): Promise<FitResult[]> {
  // Data blocks: one copy per distinct array object.
  const blockOf = new Map<ArrayLike<number>, number>();
  const blocks: ArrayLike<number>[] = [];
  let n = 0;
  for (const r of reqs) {
    const m = packed.models[r.model];
    if (!m) throw new RangeError(`fit request: model ${r.model} of ${packed.models.length}`);
    if (r.data.length !== dataWords(m)) throw new RangeError(`fit request: data block of ${r.data.length} values for a model of ${dataWords(m)}`);
    if (!blockOf.has(r.data)) {
      for (let i = 0; i < r.data.length; i++) {
        const v = r.data[i];
        if (!Number.isFinite(v) || (v < 0 && i < m.bins.length)) throw new RangeError(`fit request: data[${i}] = ${v} (counts must be finite and >= 0)`);
      }
      blockOf.set(r.data, n);
      blocks.push(r.data);
      n += r.data.length;
    }
  }
  const data = new Float32Array(n);
  for (const b of blocks) packData(b, data, blockOf.get(b)!);
  const items = new Uint32Array(reqs.length * ITEM_WORDS);
  const itemF = new Float32Array(items.buffer);
  reqs.forEach((r, l) => {
    items[ITEM_WORDS * l + ITEM_MODEL] = packed.offsets[r.model];
    items[ITEM_WORDS * l + ITEM_DATA] = blockOf.get(r.data)!;
    items[ITEM_WORDS * l + ITEM_MODE] = r.poi === undefined ? POI_FREE : POI_FIXED;
    const v = r.poi ?? 0;
    itemF[ITEM_WORDS * l + ITEM_POI] = Math.abs(v) < 2 ** -100 ? 0 : v; // no subnormal reaches the kernel
  });
  // In blocks with a checkpoint between them (Ctrl-C during a patchset's fits); the same bits.
  const out = await runCancellable(backend, fitDesc, {
    count: reqs.length,
    params: { max_iter: opts.maxIter ?? DEFAULT_MAX_ITER },
    inputs: { model: packed.words, data, items },
  }, opts.signal);
  const pars = new Float32Array(out.pars.buffer, out.pars.byteOffset, out.pars.length);
  const dev = new Float32Array(out.deviance.buffer, out.deviance.byteOffset, out.deviance.length);
  return reqs.map((r, l) => {
    const P = packed.models[r.model].params.length;
    return {
      theta: Float64Array.from(pars.subarray(l * MAXP, l * MAXP + P)),
      deviance: dev[2 * l] + dev[2 * l + 1],
      devianceDf: { hi: dev[2 * l], lo: dev[2 * l + 1] },
      iterations: out.info[2 * l],
      status: out.info[2 * l + 1],
    };
  });
}

/** A fit that ended by max_iter is not a minimum: callers count and report it. */
export function converged(r: FitResult): boolean {
  return r.status !== STATUS.maxIter;
}
