// The conformance cases of the window_count kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { testWords } from '../testing.js';
import { binEvents, packWindows, windowCountArgs, type BinOptions } from './layout.js';

const U = 2 ** -32;

/** n uniforms in [lo, hi) from Philox test words (stream `s`). */
function uniforms(n: number, s: number, lo: number, hi: number): number[] {
  return Array.from(testWords(n, s), (u) => lo + (hi - lo) * u * U);
}

interface Sample { x: number[]; y?: number[]; w?: number[]; bin?: BinOptions }
interface Wins { cx: number[]; cy?: number[]; ax: number[]; ay?: number[] }

function mk(name: string, s: Sample, wins: Wins): ConformanceCase {
  const ev = binEvents(s.x, s.y, s.w, s.bin);
  const win = packWindows(wins.cx, wins.cy, wins.ax, wins.ay, ev);
  return { name, args: windowCountArgs(ev, win) };
}

function randomWindows(m: number, s: number, lo: number, hi: number, amin: number, amax: number): Wins {
  return { cx: uniforms(m, s, lo, hi), cy: uniforms(m, s + 1, lo, hi), ax: uniforms(m, s + 2, amin, amax), ay: uniforms(m, s + 3, amin, amax) };
}

/** Windows with power-of-two semi-axes and events exactly on their boundaries, one quantum either side, and on cell edges. */
function boundaryCase(): ConformanceCase {
  const cx: number[] = [], cy: number[] = [], ax: number[] = [], ay: number[] = [];
  const x: number[] = [], y: number[] = [];
  const q = 2 ** -24;
  let k = 0;
  for (const a of [0.25, 0.5, 1, 0.125]) {
    for (const b of [0.25, 0.0625, 0.5]) {
      const c1 = 1 + (k % 6), c2 = 0.5 + Math.floor(k / 6) * 1.5; // exact in binary
      cx.push(c1); cy.push(c2); ax.push(a); ay.push(b);
      for (const [px, py] of [[a, 0], [-a, 0], [0, b], [0, -b]]) {
        for (const d of [0, q, -q]) {
          x.push(c1 + px + (px ? Math.sign(px) * d : 0)); y.push(c2 + py + (py ? Math.sign(py) * d : 0));
        }
      }
      // Off-axis points near the rim: x = a cos, y = b sin at 0.6/0.8, rounded to the coordinate quantum.
      x.push(c1 + 0.6 * a, c1 - 0.6 * a, c1 + 0.8 * a); y.push(c2 + 0.8 * b, c2 - 0.8 * b, c2 - 0.6 * b);
      k++;
    }
  }
  // Several windows sharing one centre (overlap), and a window whose bounding box ends on a cell edge.
  cx.push(2, 2, 2); cy.push(2, 2, 2); ax.push(0.5, 1, 2); ay.push(2, 1, 0.5);
  return mk('events exactly on ellipse boundaries (power-of-two axes), +-1 quantum', { x, y, w: x.map((_, i) => (i % 7) + 0.5), bin: { nx: 16, ny: 8 } }, { cx, cy, ax, ay });
}

/** Events in the kinematically allowed triangle, densest at its edges; windows on the edges of phase space. */
function phaseSpaceEdgeCase(): ConformanceCase {
  const rs = 10.583;
  const n = 4000;
  const u = uniforms(n, 40, 0, 1), v = uniforms(n, 41, 0, 1);
  const x: number[] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const mx = 0.2113 + u[i] * (10.5 - 0.2113);
    const ymax = Math.min(mx, rs - mx);
    const e = v[i] ** 4; // piles up at the edge y -> ymax and y -> 0
    y.push(i % 2 ? ymax * (1 - e) : ymax * e);
    x.push(mx);
  }
  const cx: number[] = [], cy: number[] = [], ax: number[] = [], ay: number[] = [];
  for (let i = 0; i < 300; i++) {
    const mx = 0.2113 + (i / 300) * 10.29;
    const edge = [0, Math.min(mx, rs - mx)][i % 2];
    cx.push(mx); cy.push(edge); ax.push(0.004 + 0.002 * mx); ay.push(0.03 + 0.25 / (1 + 4 * edge));
  }
  return mk('windows at the edge of phase space (M_h < M_A, M_A + M_h < sqrt(s), M_h = 0)', { x, y, w: uniforms(n, 42, 0, 3) }, { cx, cy, ax, ay });
}

export function cases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  // Random 2D, weighted: 1100 windows cross the test GPU chunk size (1000).
  out.push(mk('random 2D, 3000 weighted events, 1100 windows', { x: uniforms(3000, 1, 0, 10), y: uniforms(3000, 2, 0, 10), w: uniforms(3000, 3, 0, 2) }, randomWindows(1100, 10, 0, 10, 0.01, 1.5)));
  // Window counts around the workgroup size, unweighted.
  for (const m of [1, 63, 65, 257]) {
    out.push(mk(`random 2D unweighted, 2000 events, ${m} windows`, { x: uniforms(2000, 20 + m, 0, 5), y: uniforms(2000, 21 + m, 0, 5) }, randomWindows(m, 30 + m, -0.5, 5.5, 0.001, 2)));
  }
  out.push(boundaryCase());
  out.push(phaseSpaceEdgeCase());
  // Empty windows: every event in one corner; windows elsewhere, and windows around them.
  const wins = randomWindows(200, 50, 0, 10, 0.01, 0.5);
  wins.cx.push(0.5, 9, 5); wins.cy!.push(0.5, 9, 0.5); wins.ax.push(0.3, 0.5, 0.5); wins.ay!.push(0.3, 0.5, 0.5);
  out.push(mk('empty windows (events in one corner)', { x: uniforms(500, 51, 0, 1), y: uniforms(500, 52, 0, 1), w: uniforms(500, 53, 0, 1) }, wins));
  out.push(mk('no events at all', { x: [], y: [], w: [] }, randomWindows(70, 55, 0, 10, 0.1, 1)));
  // 1D intervals (events with y = 0 and one row of cells), counts not a multiple of anything.
  const c1 = uniforms(777, 60, 0, 11);
  out.push(mk('1D intervals, 5001 events, 777 windows', { x: uniforms(5001, 61, 0, 11), w: uniforms(5001, 62, 0, 10) }, { cx: c1, ax: uniforms(777, 63, 0.001, 0.5) }));
  // Large weights and many events in few windows: the 64-bit sums and 96-bit squared sums carry.
  const nBig = 80000;
  out.push(mk('carries: 80000 events at the maximum fixed-point weight', { x: uniforms(nBig, 70, 4, 6), y: uniforms(nBig, 71, 4, 6), w: new Array(nBig).fill(1e6) }, { cx: [5, 5, 4.5, 9], cy: [5, 5.5, 4.5, 9], ax: [2, 1, 0.3, 1], ay: [2, 0.2, 0.3, 1] }));
  return out;
}
