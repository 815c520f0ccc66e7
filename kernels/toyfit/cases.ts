// The conformance cases of the toyfit kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { testWords } from '../testing.js';
import { packData, packModels } from '../fit/layout.js';
import { randomData, randomFitModel } from '../fit/cases.js';
import { SET_GEN, SET_KEY0, SET_KEY1, SET_MODEL, SET_MU, SET_WORDS, STAT_Q, STAT_Q0, STAT_QTILDE } from './ref.js';

/** Deterministic uniforms in [0, 1) from a Philox test stream. */
function uniforms(stream: number): () => number {
  const r = testWords(4096, stream);
  let i = 0;
  return () => (r[i++ % r.length] >>> 8) / 16777216;
}

/**
 * `count` items (toys per set `toys`) over random models at count level `scale`: each set a model,
 * a generating block (rates near the model's nominal ones at a random POI), mu and a key.
 */
function mk(name: string, count: number, toys: number, nModels: number, stream: number, scale: number, o: { stat?: number; maxIter?: number; itemOffset?: number; toy0?: number } = {}): ConformanceCase {
  const u = uniforms(stream);
  const models = Array.from({ length: nModels }, () => randomFitModel(u, scale));
  const { words, offsets } = packModels(models);
  const off = o.itemOffset ?? 0;
  const nSets = Math.ceil((off + count) / toys);
  const gens = models.map((m) => randomData(m, u, 2 * u(), false));
  const gOff: number[] = [];
  let n = 0;
  for (const g of gens) { gOff.push(n); n += g.length; }
  const gen = new Float32Array(n);
  gens.forEach((g, i) => packData(g, gen, gOff[i]));
  const sets = new Uint32Array(nSets * SET_WORDS);
  const sf = new Float32Array(sets.buffer);
  const keys = testWords(2 * nSets, stream + 9000);
  for (let s = 0; s < nSets; s++) {
    const j = Math.floor(u() * nModels);
    sets[SET_WORDS * s + SET_MODEL] = offsets[j];
    sets[SET_WORDS * s + SET_GEN] = gOff[j];
    sf[SET_WORDS * s + SET_MU] = o.stat === STAT_Q0 ? 0 : [0.5, 1, 2, 4][Math.floor(4 * u())];
    sets[SET_WORDS * s + SET_KEY0] = keys[2 * s];
    sets[SET_WORDS * s + SET_KEY1] = keys[2 * s + 1];
  }
  return {
    name,
    args: {
      count, itemOffset: off,
      params: { toys, toy0: o.toy0 ?? 0, max_iter: o.maxIter ?? 100, stat: o.stat ?? STAT_QTILDE },
      inputs: { model: words, gen, sets },
    },
  };
}

export function cases(): ConformanceCase[] {
  return [
    mk('one toy', 1, 1, 1, 1, 20),
    mk('63 toys, 3 models, 9 toys/set, counts ~20', 63, 9, 3, 2, 20),
    mk('65 toys, 4 models, counts ~2, offset 7', 65, 5, 4, 3, 2, { itemOffset: 7 }),
    mk('130 toys, q_mu, counts ~1e3', 130, 13, 5, 4, 1e3, { stat: STAT_Q }),
    mk('100 toys, q_0 (mu = 0)', 100, 10, 4, 5, 30, { stat: STAT_Q0 }),
    mk('80 toys stopped after 3 iterations', 80, 8, 4, 6, 50, { maxIter: 3 }),
    mk('70 toys, toy0 wraps 2^32', 70, 7, 3, 7, 10, { toy0: 0xfffffffa }),
    mk('66 toys, counts ~0.01 (mostly empty toys)', 66, 11, 3, 8, 0.01),
    mk('40 toys, counts ~1e5 (PTRS sampling)', 40, 4, 2, 9, 1e5),
  ];
}
