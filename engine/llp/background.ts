// Observed counts and background per (mass, channel) reduced-mass window, from data sidebands
// or from simulation. Units: GeV, cm.
import { CHANNELS, type Channel } from './sample.js';
import type { MassWindow } from './sweep.js';
import type { WindowCounts } from './limits.js';

export interface DataSample {
  readonly mred: Float32Array | Float64Array;
  readonly lxy: Float32Array | Float64Array;
  readonly channel: Uint8Array;
  /** Event weights (simulation); absent: data, weight 1. */
  readonly weight?: Float32Array | Float64Array;
}

/**
 * Counts in each window (with lxy in the displaced-vertex window); background from the two
 * sidebands [lo - k w, lo) and [hi, hi + k w), w = hi - lo, clipped at M_red = 0, assuming a flat
 * background: b = N_sb * w / (sideband width), sigma_b = sqrt(N_sb) * w / (sideband width).
 * Window i is (mass im, channel ic) with i = im * channels + ic.
 */
export function sidebandCounts(data: DataSample, windows: readonly MassWindow[], channels: readonly Channel[], lxyWindow: readonly [number, number], k = 2): WindowCounts[] {
  const nC = channels.length;
  const byChannel = channels.map((c) => {
    const id = CHANNELS.indexOf(c);
    const m: number[] = [];
    for (let i = 0; i < data.mred.length; i++) if (data.channel[i] === id && data.lxy[i] >= lxyWindow[0] && data.lxy[i] < lxyWindow[1]) m.push(data.mred[i]);
    return Float64Array.from(m).sort();
  });
  const countIn = (a: Float64Array, lo: number, hi: number) => lowerBound(a, hi) - lowerBound(a, lo);
  return windows.map((w, i) => {
    const a = byChannel[i % nC];
    const width = w.hi - w.lo;
    const sbLo = Math.max(0, w.lo - k * width);
    const sbWidth = (w.lo - sbLo) + k * width;
    const nSb = countIn(a, sbLo, w.lo) + countIn(a, w.hi, w.hi + k * width);
    const r = width / sbWidth;
    return { n: countIn(a, w.lo, w.hi), b: nSb * r, sigmaB: Math.sqrt(nSb) * r };
  });
}

/** Background from simulation: weighted sum in each window times `scale` (luminosity ratio); sigma from sum w^2. */
export function simulatedBackground(sim: DataSample, windows: readonly MassWindow[], channels: readonly Channel[], lxyWindow: readonly [number, number], scale = 1): { b: number; sigmaB: number }[] {
  const nC = channels.length;
  return windows.map((w, i) => {
    const id = CHANNELS.indexOf(channels[i % nC]);
    let s = 0, s2 = 0;
    for (let e = 0; e < sim.mred.length; e++) {
      if (sim.channel[e] !== id || !(sim.lxy[e] >= lxyWindow[0] && sim.lxy[e] < lxyWindow[1]) || !(sim.mred[e] >= w.lo && sim.mred[e] < w.hi)) continue;
      const x = sim.weight ? sim.weight[e] : 1;
      s += x; s2 += x * x;
    }
    return { b: s * scale, sigmaB: Math.sqrt(s2) * scale };
  });
}

function lowerBound(a: Float64Array, x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (a[m] < x) lo = m + 1; else hi = m;
  }
  return lo;
}
