// Synthetic signal / background events for the trainer tests (test/nn-train.test.ts, test/mlp-train.test.ts).
import { testWords } from '../kernels/testing.js';

/**
 * Background N(0, 1) in every feature; signal shifted by `shift` in features 0-2, narrower (0.6) in
 * feature 3 and, with `correlate`, feature 5 correlated with feature 4. Raw scale 5 + 2 v, so the
 * model's standardisation matters. Labels 0 / 1 at random.
 */
export function synthetic(rows: number, nIn: number, stream: number, o: { shift?: number; correlate?: boolean } = {}): { x: Float32Array; y: Uint8Array } {
  const shift = o.shift ?? 0.8;
  const w = testWords(rows * (nIn + 1) * 2, stream);
  const x = new Float32Array(rows * nIn), y = new Uint8Array(rows);
  let q = 0;
  const normal = (): number => {
    const u1 = ((w[q++] >>> 8) + 0.5) / 16777216, u2 = ((w[q++] >>> 8) + 0.5) / 16777216;
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };
  for (let r = 0; r < rows; r++) {
    y[r] = w[q++] & 1; q++;
    let prev = 0;
    for (let i = 0; i < nIn; i++) {
      let v = normal();
      if (y[r] && i < 3) v += shift;
      if (y[r] && i === 3) v *= 0.6;
      if (o.correlate && y[r] && i === 5) v = 0.7 * prev + 0.7 * v;
      prev = v;
      x[r * nIn + i] = 5 + 2 * v;
    }
  }
  return { x, y };
}
