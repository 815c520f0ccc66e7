// The conformance cases of the mlp_train kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { testWords } from '../testing.js';
import { ACT } from '../mlp/layout.js';
import { initState, MT_STATE_WORDS, packShape, paramCount } from './layout.js';

/** Uniform values in [-scale, scale) from the test stream (never Math.random). */
function uniforms(n: number, stream: number, scale: number): Float32Array {
  const w = testWords(n, stream);
  return Float32Array.from(w, (v) => scale * ((v >>> 8) / 8388608 - 1));
}

interface Spec {
  name: string; widths: number[]; act: number; items: number; rows: number; steps: number; batch: number;
  itemOffset?: number; wScale?: number; xScale?: number; lr?: number;
}

const SPECS: Spec[] = [
  { name: '9-16-16-1 relu, 2 networks', widths: [9, 16, 16, 1], act: ACT.relu, items: 2, rows: 300, steps: 7, batch: 48 },
  { name: '5-8-1 tanh, 3 networks', widths: [5, 8, 1], act: ACT.tanh, items: 3, rows: 120, steps: 5, batch: 32 },
  { name: '12-32-32-32-1 relu', widths: [12, 32, 32, 32, 1], act: ACT.relu, items: 1, rows: 200, steps: 4, batch: 64 },
  { name: '40-128-1 tanh (widest layer)', widths: [40, 128, 1], act: ACT.tanh, items: 1, rows: 64, steps: 2, batch: 32 },
  { name: '1-1 (logistic regression), large weights and inputs, lr 0.5', widths: [1, 1], act: ACT.relu, items: 2, rows: 40, steps: 20, batch: 8, wScale: 30, xScale: 1e6, lr: 0.5 },
  { name: '4-6-6-1 relu, large weights, lr 0.3', widths: [4, 6, 6, 1], act: ACT.relu, items: 2, rows: 80, steps: 12, batch: 16, wScale: 20, xScale: 50, lr: 0.3 },
  { name: '3-4-1 tanh, 65 networks (past a workgroup)', widths: [3, 4, 1], act: ACT.tanh, items: 65, rows: 50, steps: 3, batch: 10 },
  { name: '6-10-1 relu, item offset 2 (plans by absolute index)', widths: [6, 10, 1], act: ACT.relu, items: 3, rows: 90, steps: 4, batch: 20, itemOffset: 2 },
];

export function cases(): ConformanceCase[] {
  return SPECS.map((s, j) => {
    const P = paramCount(s.widths), off = s.itemOffset ?? 0, nets = off + s.items;
    const state = new Uint32Array(s.items * MT_STATE_WORDS);
    for (let l = 0; l < s.items; l++) state.set(initState(s.widths, uniforms(P, 1000 * j + l, (s.wScale ?? 1) / Math.sqrt(s.widths[0]))), l * MT_STATE_WORDS);
    const x = uniforms(s.rows * s.widths[0], 1000 * j + 500, s.xScale ?? 2);
    const lw = testWords(s.rows, 1000 * j + 501);
    const yw = new Float32Array(2 * s.rows);
    for (let r = 0; r < s.rows; r++) {
      yw[2 * r] = lw[r] & 1;
      yw[2 * r + 1] = Math.fround(0.25 + ((lw[r] >>> 8) & 0xff) / 128);
    }
    // Plans: mostly full steps, some short ones, one empty step per network (no update).
    const plan = new Uint32Array(nets * s.steps * (s.batch + 1));
    const pw = testWords(plan.length, 1000 * j + 502);
    for (let a = 0; a < nets; a++) {
      for (let t = 0; t < s.steps; t++) {
        const b = (a * s.steps + t) * (s.batch + 1);
        const n = t === 1 ? 0 : t % 3 === 2 ? 1 + (pw[b] % s.batch) : s.batch;
        plan[b] = n;
        for (let q = 0; q < n; q++) plan[b + 1 + q] = pw[b + 1 + q] % s.rows;
      }
    }
    const lr = s.lr ?? 0.01;
    return {
      name: s.name,
      args: {
        count: s.items, itemOffset: off,
        params: { steps: s.steps, batch: s.batch, lr, l2: 1e-3, beta1: 0.9, beta2: 0.999, ob1: Math.fround(1 - Math.fround(0.9)), ob2: Math.fround(1 - Math.fround(0.999)), eps: 1e-8 },
        inputs: { shape: packShape(s.widths, s.act), x, yw, plan, state },
      },
    };
  });
}
