// The fit kernel's reference against the host f64 evaluator: derivatives, objective, optimality.
import { describe, expect, it } from 'vitest';
import { fit } from '../kernels/fit/desc.js';
import { randomData, randomFitModel } from '../kernels/fit/cases.js';
import { derivativesAt } from '../kernels/fit/ref.js';
import { MAXP, packModels, type FitModel } from '../kernels/fit/layout.js';
import { runReference } from '../host/cpu.js';
import { testWords } from '../kernels/testing.js';
import { ModelEvaluator } from '../engine/likelihood/evaluate.js';

function uniforms(stream: number): () => number {
  const r = testWords(4096, stream);
  let i = 0;
  return () => (r[i++ % r.length] >>> 8) / 16777216;
}

/** Fits every model to its data set in one dispatch of the reference. */
function fitAll(models: FitModel[], datas: Float32Array[], poiFixed: number | null) {
  const { words, offsets } = packModels(models);
  const dOff: number[] = [];
  let n = 0;
  for (const d of datas) { dOff.push(n); n += d.length; }
  const data = new Float32Array(n);
  datas.forEach((d, i) => data.set(d, dOff[i]));
  const items = new Uint32Array(4 * models.length);
  const iv = new Float32Array(items.buffer);
  models.forEach((_, i) => {
    items.set([offsets[i], dOff[i], poiFixed === null ? 0 : 1], 4 * i);
    iv[4 * i + 3] = poiFixed ?? 0;
  });
  const out = runReference(fit, { count: models.length, params: { max_iter: 100 }, inputs: { model: words, data, items } });
  return { out, words, data, offsets, dOff, pars: new Float32Array(out.pars.buffer), dev: new Float32Array(out.deviance.buffer) };
}

describe('fit kernel reference', () => {
  const u = uniforms(99);
  const models = Array.from({ length: 24 }, (_, i) => randomFitModel(u, [1, 20, 500][i % 3]));
  const datas = models.map((m) => randomData(m, u, 1.5, true));

  it('gradient and Hessian agree with the f64 evaluator', () => {
    for (const [j, m] of models.slice(0, 6).entries()) {
      const pk = packModels([m]);
      const ev = new ModelEvaluator(m);
      const theta = m.params.map((p, i) => (i === m.poi ? 1.3 : p.lo < 0 ? 0.3 : 1.05));
      const dd = datas[j];
      const k = derivativesAt(pk.words, dd, 0, 0, theta, m.params.map(() => 1));
      const gf = ev.gradNll(theta, Array.from(dd)), Hf = ev.hessianNll(theta, Array.from(dd));
      for (let p = 0; p < m.params.length; p++) {
        const scale = Math.sqrt(Math.abs(Hf[p][p])) || 1;
        expect(Math.abs(k.g[p] - gf[p]) / scale, `model ${j} g[${p}] = ${k.g[p]} vs ${gf[p]}, H ${Hf[p][p]}`).toBeLessThan(1e-3);
        for (let q = 0; q < m.params.length; q++) {
          const s2 = Math.sqrt(Math.abs(Hf[p][p] * Hf[q][q])) || 1;
          expect(Math.abs(k.H[p][q] - Hf[p][q]) / s2, `model ${j} H[${p}][${q}] = ${k.H[p][q]} vs ${Hf[p][q]}`).toBeLessThan(1e-4);
        }
      }
    }
  });

  it('unconditional fits converge to a bounded minimum the f64 gradient confirms; the deviance is twice_nll minus a constant', () => {
    const { out, pars, dev } = fitAll(models, datas, null);
    let converged = 0;
    models.forEach((m, i) => {
      const status = out.info[2 * i + 1];
      expect(status, `fit ${i} status`).not.toBe(0);
      converged++;
      const ev = new ModelEvaluator(m);
      const th = Array.from(pars.subarray(i * MAXP, i * MAXP + m.params.length));
      const d = Array.from(datas[i]);
      th.forEach((v, p) => { expect(v).toBeGreaterThanOrEqual(m.params[p].lo); expect(v).toBeLessThanOrEqual(m.params[p].hi); });
      // KKT in f64: a free parameter inside its bounds has a gradient small against its curvature.
      const g = ev.gradNll(th, d), H = ev.hessianNll(th, d);
      th.forEach((v, p) => {
        if (m.params[p].fixed) return;
        const atLo = v <= m.params[p].lo && g[p] > 0, atHi = v >= m.params[p].hi && g[p] < 0;
        if (!atLo && !atHi) expect(Math.abs(g[p]) / Math.sqrt(H[p][p]), `fit ${i} param ${p}`).toBeLessThan(2e-3);
      });
      // twice_nll(theta) - deviance(theta) is the saturated constant: the same at the initial point (max_iter 0).
      const t = dev[2 * i] + dev[2 * i + 1];
      const c1 = ev.twiceNll(th, d) - t;
      const pk = packModels([m]);
      const one = runReference(fit, { count: 1, params: { max_iter: 0 }, inputs: { model: pk.words, data: datas[i], items: new Uint32Array([0, 0, 0, 0]) } });
      const t0 = new Float32Array(one.deviance.buffer);
      const init = m.params.map((p) => Math.min(p.hi, Math.max(p.lo, p.init)));
      expect(ev.twiceNll(init, d) - (t0[0] + t0[1]) - c1, `fit ${i} constant`).toBeCloseTo(0, 3);
    });
    expect(converged).toBe(models.length);
  });

  it('conditional fits hold the POI at its value, even outside its bounds, and never beat the free fit', () => {
    const free = fitAll(models, datas, null);
    const cond = fitAll(models, datas, 12);
    models.forEach((m, i) => {
      expect(cond.pars[i * MAXP + m.poi]).toBe(12);
      const tf = free.dev[2 * i] + free.dev[2 * i + 1], tc = cond.dev[2 * i] + cond.dev[2 * i + 1];
      expect(tc - tf, `fit ${i}`).toBeGreaterThan(-1e-4);
    });
  });
});
