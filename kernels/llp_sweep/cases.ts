// The conformance cases of the llp_sweep kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { testSizes, testWords } from '../testing.js';
import { llpSweep, lifetimeTable } from './desc.js';
import { RANGE_END, RANGE_START, RANGE_WORDS, WIN_LXY_HI, WIN_LXY_LO, WIN_MRED_HI, WIN_MRED_LO, WIN_WORDS } from './layout.js';

function unif(w: number): number {
  return ((w >>> 8) + 0.5) / 16777216;
}

/** Random but valid inputs: n decays, G groups (overlapping ranges), the given lifetimes. */
export function llpTestInputs(n: number, groups: number, ctaus: readonly number[], stream: number, ctauGen = 1) {
  const w = testWords(4 * n + 6 * groups, stream);
  const ct = new Float32Array(n), lxy = new Float32Array(n), mred = new Float32Array(n), gw = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    ct[k] = k % 97 === 0 ? 0 : -Math.log(unif(w[4 * k])) * ctauGen;
    lxy[k] = ct[k] * 2 * unif(w[4 * k + 1]);
    mred[k] = k % 89 === 0 ? 2.5 : 5 * unif(w[4 * k + 2]);
    gw[k] = 0.25 + 1.5 * unif(w[4 * k + 3]);
  }
  const range = new Uint32Array(RANGE_WORDS * groups), win = new Float32Array(WIN_WORDS * groups);
  let maxRange = 0;
  for (let g = 0; g < groups; g++) {
    const q = w.subarray(4 * n + 6 * g, 4 * n + 6 * g + 6);
    const a = q[0] % (n + 1), b = q[1] % (n + 1);
    const r = RANGE_WORDS * g, v = WIN_WORDS * g;
    range[r + RANGE_START] = Math.min(a, b);
    range[r + RANGE_END] = g === 0 ? Math.min(a, b) : Math.max(a, b); // group 0 is empty
    maxRange = Math.max(maxRange, range[r + RANGE_END] - range[r + RANGE_START]);
    const m0 = 5 * unif(q[2]), m1 = 5 * unif(q[3]);
    win[v + WIN_MRED_LO] = g === 1 ? 2.5 : Math.min(m0, m1);
    win[v + WIN_MRED_HI] = g === 1 ? 5 : Math.max(m0, m1) + 0.5;
    win[v + WIN_LXY_LO] = g === 2 ? 0 : 0.05 * unif(q[4]);
    win[v + WIN_LXY_HI] = g === 2 ? 1e30 : 0.5 + 10 * unif(q[5]);
  }
  let ctMax = 0;
  for (const c of ct) ctMax = Math.max(ctMax, c);
  const life = lifetimeTable(ctauGen, ctaus, ctMax, 1.75, maxRange);
  return { ct, lxy, mred, gw, grp_range: range, grp_win: win, life };
}

function logGrid(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo * Math.pow(hi / lo, n === 1 ? 0 : i / (n - 1)));
}

export function cases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  const sizes = testSizes(llpSweep.workgroupSize);
  sizes.forEach((items, s) => {
    const nLife = [1, 7, 50][s % 3];
    const groups = Math.max(3, Math.ceil(items / nLife));
    const count = Math.min(items, groups * nLife);
    const inputs = llpTestInputs(s < 3 ? 2000 : 600, groups, logGrid(1e-3, 1e3, nLife), 900 + s);
    out.push({ name: `random decays, ${groups} groups x ${nLife} lifetimes, items=${count}`, args: { count, params: { n_life: nLife }, inputs } });
  });
  // Item offset inside a group (a shard starting mid-group), and lifetimes equal to tau_gen.
  const inputs = llpTestInputs(3000, 12, [0.5, 1, 1, 2, 1e-3, 1e3, 30, 0.01], 950);
  out.push({ name: 'item offset mid-group, ctau = ctau_gen', args: { count: 70, itemOffset: 13, params: { n_life: 8 }, inputs } });
  return out;
}
