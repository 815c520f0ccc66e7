// Scoring events with an MLP on any backend: the `mlp` kernel over batches of events.
import type { Backend } from '../../host/backend.js';
import { mlp as mlpKernel } from '../../kernels/mlp/desc.js';
import { packModel, type Mlp } from './model.js';

export interface ScoreOptions {
  /** Events per kernel run (bounds memory: features and GPU bindings). Default 2^18. */
  readonly batch?: number;
  /** Column names for error messages (row/column of a bad value). */
  readonly columns?: readonly string[];
}

/** Features must be finite: names the first bad row and column. */
export function checkFeatures(x: Float32Array, nIn: number, columns?: readonly string[]): void {
  if (x.length % nIn !== 0) throw new RangeError(`features: ${x.length} values is not a whole number of rows of ${nIn}`);
  for (let j = 0; j < x.length; j++) {
    if (!Number.isFinite(x[j])) {
      const col = j % nIn;
      throw new RangeError(`features: row ${Math.floor(j / nIn)}, column ${columns?.[col] ?? col} is ${x[j]} (must be finite)`);
    }
  }
}

/**
 * Scores `rows` events whose features are row-major in `x` ([rows][model.nIn]); returns one f32
 * score per event, the same bits on every backend. The packed weights are built once per model
 * object (Backend.run uploads its shared inputs on each call: once per batch).
 */
export async function scoreEvents(backend: Backend, model: Mlp, x: Float32Array, opts: ScoreOptions = {}): Promise<Float32Array> {
  checkFeatures(x, model.nIn, opts.columns);
  const rows = x.length / model.nIn;
  const net = packModel(model);
  const batch = opts.batch ?? 1 << 18;
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`batch must be a positive integer, got ${batch}`);
  const out = new Float32Array(rows);
  for (let a = 0; a < rows; a += batch) {
    const n = Math.min(batch, rows - a);
    const r = await backend.run(mlpKernel, { count: n, inputs: { net, x: x.subarray(a * model.nIn, (a + n) * model.nIn) } });
    out.set(new Float32Array(r.score.buffer, r.score.byteOffset, n), a);
  }
  return out;
}
