// Lifetime sweep: signal efficiency for every (mass hypothesis, channel, lifetime) cell in one
// kernel dispatch (kernels/llp_sweep), from decays simulated with a mixture of lifetimes
// c*tau_c (shares a_c) and reweighted to each c*tau_j by the balance heuristic:
//   w = f_j(t) / sum_c a_c f_c(t),  f(t) = e^(-t/tau) / tau   (Veach & Guibas, SIGGRAPH 1995, eq. 8)
// bounded by 1 / a_c x tau_c / tau_j for the nearest component c with tau_c >= tau_j, so no lifetime
// above the longest component is swept (one-lifetime reweighting f_j / f_gen is unbounded there).
// The kernel computes w = (tau_R/tau_j) e^(t (1/tau_R - 1/tau_j)) x gw' with tau_R the longest
// component and gw' = gw / sum_c a_c (tau_R/tau_c) e^(t (1/tau_R - 1/tau_c)) (host, f64, once per
// decay; the sum is >= a_R, so gw' <= gw / a_R; one component: gw' = gw, the plain reweighting).
import type { Backend } from '../../host/backend.js';
import { runCancellable } from '../cancel.js';
import { llpSweep, lifetimeTable, decode96 } from '../../kernels/llp_sweep/desc.js';
import * as LY from '../../kernels/llp_sweep/layout.js';
import { CHANNELS, DAUGHTER_MASS, reducedMass, resolution, type Channel, type LlpSample } from './sample.js';

export interface SweepOptions {
  readonly masses: readonly number[];
  readonly channels: readonly Channel[];
  /** Lifetime hypotheses c*tau, cm. */
  readonly ctaus: readonly number[];
  /** Displaced-vertex acceptance: transverse flight distance window [lo, hi), cm. */
  readonly lxyWindow: readonly [number, number];
  /** Reduced-mass window: M_red(m) +- nSigma * sigma(m, channel). */
  readonly nSigma?: number;
  readonly sigma?: (m: number, c: Channel) => number;
  /** Ctrl-C: checked between blocks of cells (engine/cancel.ts runCancellable). */
  readonly signal?: AbortSignal;
}

export interface MassWindow { readonly lo: number; readonly hi: number }

export interface SweepResult {
  readonly masses: readonly number[];
  readonly channels: readonly Channel[];
  readonly ctaus: readonly number[];
  /** Index ((im * channels + ic) * ctaus + j). */
  readonly eff: Float64Array;
  /** MC statistical uncertainty sqrt(sum w^2) / N_gen. */
  readonly effErr: Float64Array;
  /** Decays in the acceptance (unweighted), per (mass, channel). */
  readonly accepted: Uint32Array;
  readonly nGenerated: Uint32Array;
  readonly windows: MassWindow[];
  readonly backend: string;
}

export function massWindow(m: number, c: Channel, nSigma = 2, sigma = resolution): MassWindow {
  const r = reducedMass(m, DAUGHTER_MASS[c]), s = sigma(m, c);
  return { lo: Math.max(0, r - nSigma * s), hi: r + nSigma * s };
}

/** The balance-heuristic factor 1 / sum_c a_c (tau_R/tau_c) e^(t (1/tau_R - 1/tau_c)) of a decay at c*t = t (tau_R: the longest component). */
export function mixtureFactor(ctauGen: readonly number[], frac: readonly number[], t: number): number {
  const R = ctauGen[ctauGen.length - 1];
  let s = 0;
  for (let c = 0; c < ctauGen.length; c++) if (frac[c] > 0) s += frac[c] * (R / ctauGen[c]) * Math.exp(t * (1 / R - 1 / ctauGen[c]));
  return 1 / s;
}

/** Checks a sample's mixture and that every swept lifetime is within it (weights bounded); returns tau_R, the longest component. */
export function checkMixture(sample: LlpSample, ctaus: readonly number[]): number {
  const g = sample.ctauGen, a = sample.ctauGenFrac;
  if (g.length === 0 || g.length !== a.length) throw new Error(`llp sample: ${g.length} generated lifetimes but ${a.length} shares`);
  let sum = 0;
  g.forEach((c, i) => {
    if (!(c > 0) || !Number.isFinite(c) || (i > 0 && !(c > g[i - 1]))) throw new RangeError(`llp sample: generated c*tau ${i} = ${c} cm must be positive, finite and ascending`);
    if (!(a[i] >= 0 && a[i] <= 1)) throw new RangeError(`llp sample: share ${a[i]} of generated c*tau ${c} cm must be in [0, 1]`);
    sum += a[i];
  });
  if (Math.abs(sum - 1) > 1e-9) throw new RangeError(`llp sample: the mixture's shares sum to ${sum}, not 1`);
  if (!(a[g.length - 1] > 0)) throw new RangeError(`llp sample: no decays generated at the longest c*tau (${g[g.length - 1]} cm)`);
  const R = g[g.length - 1];
  ctaus.forEach((c, j) => {
    if (c > R * (1 + 1e-6)) {
      throw new RangeError(`llp: lifetime ${j} (c*tau = ${c} cm) is above the longest generated c*tau (${R} cm): reweighting to it has unbounded weights (infinite variance above 2 x ${R} cm); generate up to ${c} cm (darkscan llp --demo generates a mixture spanning --ctaus) or sweep c*tau <= ${R} cm`);
    }
  });
  return R;
}

/** Kernel inputs for a sweep: decays sorted by (mass, channel), one group per (mass, channel). */
export function sweepInputs(sample: LlpSample, o: SweepOptions) {
  const nC = o.channels.length, G = o.masses.length * nC;
  const massIdx = new Map<number, number>();
  o.masses.forEach((m, im) => {
    if (massIdx.has(m)) throw new Error(`llp: mass ${m} GeV is listed twice`);
    massIdx.set(m, im);
  });
  const chanPos = new Int32Array(CHANNELS.length).fill(-1);
  o.channels.forEach((c, ic) => { chanPos[CHANNELS.indexOf(c)] = ic; });
  const tauR = checkMixture(sample, o.ctaus);
  const mixed = sample.ctauGen.length > 1;
  const N = sample.ct.length;
  const cell = new Int32Array(N).fill(-1);
  const counts = new Uint32Array(G);
  for (let i = 0; i < N; i++) {
    const im = massIdx.get(sample.mS[i]), ic = chanPos[sample.channel[i]];
    if (im !== undefined && ic >= 0) { const g = im * nC + ic; cell[i] = g; counts[g]++; }
  }
  const start = new Uint32Array(G + 1);
  for (let g = 0; g < G; g++) start[g + 1] = start[g] + counts[g];
  const fill = start.slice(0, G);
  const M = start[G];
  const ct = new Float32Array(M), lxy = new Float32Array(M), mred = new Float32Array(M), gw = new Float32Array(M);
  let ctMax = 0, gwMax = 0, maxRange = 0;
  for (let i = 0; i < N; i++) {
    const g = cell[i];
    if (g < 0) continue;
    const k = fill[g]++;
    ct[k] = sample.ct[i]; lxy[k] = sample.lxy[i]; mred[k] = sample.mred[i];
    if (!(ct[k] >= 0) || !Number.isFinite(ct[k])) throw new Error(`llp sample: row ${i}: c*t = ${sample.ct[i]} must be finite and >= 0`);
    if (!(sample.gw[i] >= 0) || !Number.isFinite(sample.gw[i])) throw new Error(`llp sample: row ${i}: weight = ${sample.gw[i]} must be finite and >= 0`);
    gw[k] = mixed ? sample.gw[i] * mixtureFactor(sample.ctauGen, sample.ctauGenFrac, ct[k]) : sample.gw[i];
    if (!Number.isFinite(lxy[k]) || !Number.isFinite(mred[k])) throw new Error(`llp sample: row ${i}: lxy and mred must be finite`);
    ctMax = Math.max(ctMax, ct[k]); gwMax = Math.max(gwMax, gw[k]);
  }
  const windows: MassWindow[] = [];
  const nGenerated = new Uint32Array(G);
  o.masses.forEach((m, im) => o.channels.forEach((c, ic) => {
    const g = im * nC + ic;
    if (counts[g] === 0) throw new Error(`llp sample has no decays for mass ${m} GeV, channel ${c} (masses in the sample: ${[...new Set(sample.mS)].slice(0, 8).join(', ')}...)`);
    maxRange = Math.max(maxRange, counts[g]);
    windows.push(massWindow(m, c, o.nSigma ?? 2, o.sigma ?? resolution));
    nGenerated[g] = sample.nGenerated?.get(`${m}|${c}`) ?? counts[g];
  }));
  const life = lifetimeTable(tauR, o.ctaus, ctMax, gwMax, maxRange);
  return { G, inputs: { ct, lxy, mred, gw, ...groupTables(start, windows, o.lxyWindow), life }, windows, nGenerated };
}

/** The kernel's group tables: group g's decays [start[g], start[g + 1]) and its windows (M_red, and lxy in lxyWindow). */
export function groupTables(start: ArrayLike<number>, windows: readonly MassWindow[], lxyWindow: readonly [number, number]): { grp_range: Uint32Array; grp_win: Float32Array } {
  const G = windows.length;
  const range = new Uint32Array(LY.RANGE_WORDS * G), win = new Float32Array(LY.WIN_WORDS * G);
  windows.forEach((w, g) => {
    range[LY.RANGE_WORDS * g + LY.RANGE_START] = start[g]; range[LY.RANGE_WORDS * g + LY.RANGE_END] = start[g + 1];
    const q = LY.WIN_WORDS * g;
    win[q + LY.WIN_MRED_LO] = w.lo; win[q + LY.WIN_MRED_HI] = w.hi; win[q + LY.WIN_LXY_LO] = lxyWindow[0]; win[q + LY.WIN_LXY_HI] = lxyWindow[1];
  });
  return { grp_range: range, grp_win: win };
}

/** Efficiencies of every (mass, channel, lifetime) cell on a backend. */
export async function runSweep(backend: Backend, sample: LlpSample, o: SweepOptions): Promise<SweepResult> {
  if (!(o.lxyWindow[0] >= 0 && o.lxyWindow[1] > o.lxyWindow[0])) throw new RangeError(`lxy window must satisfy 0 <= lo < hi, got [${o.lxyWindow.join(', ')}]`);
  const L = o.ctaus.length;
  if (L === 0) throw new RangeError('no lifetimes given');
  const { G, inputs, windows, nGenerated } = sweepInputs(sample, o);
  const out = await runCancellable(backend, llpSweep, { count: G * L, params: { n_life: L }, inputs }, o.signal);
  return decodeSweep(out.acc, inputs.life, o, G, windows, nGenerated, backend.name);
}

export function decodeSweep(acc: Uint32Array, life: Float32Array, o: SweepOptions, G: number, windows: MassWindow[], nGenerated: Uint32Array, backend: string): SweepResult {
  return { masses: o.masses, channels: o.channels, ctaus: o.ctaus, ...decodeEfficiencies(acc, life, G, o.ctaus.length, nGenerated), nGenerated, windows, backend };
}

/** Efficiency (sum of weights / N_gen) and its MC error per (group, lifetime) from the kernel's accumulators; 0 for a group with no generated decay. */
export function decodeEfficiencies(acc: Uint32Array, life: Float32Array, G: number, L: number, nGenerated: ArrayLike<number>): { eff: Float64Array; effErr: Float64Array; accepted: Uint32Array } {
  const eff = new Float64Array(G * L), effErr = new Float64Array(G * L), accepted = new Uint32Array(G);
  for (let g = 0; g < G; g++) {
    const n = nGenerated[g];
    if (!n) continue;
    for (let j = 0; j < L; j++) {
      const i = g * L + j;
      eff[i] = decode96(acc, LY.LLP_OUT_WORDS * i + LY.ACC_W, life[LY.LIFE_SCALE_W * L + j]) / n;
      effErr[i] = Math.sqrt(decode96(acc, LY.LLP_OUT_WORDS * i + LY.ACC_W2, life[LY.LIFE_SCALE_W2 * L + j])) / n;
    }
    accepted[g] = acc[LY.LLP_OUT_WORDS * g * L + LY.ACC_COUNT];
  }
  return { eff, effErr, accepted };
}

/** The same efficiencies in f64 with Math.exp, without the kernel (an independent check of its arithmetic). */
export function sweepDirect(sample: LlpSample, o: SweepOptions): Float64Array {
  const { G, inputs, nGenerated } = sweepInputs(sample, o);
  const L = o.ctaus.length;
  const out = new Float64Array(G * L);
  const { ct, lxy, mred, gw, grp_range: r, grp_win: w } = inputs;
  const R = sample.ctauGen[sample.ctauGen.length - 1];
  for (let g = 0; g < G; g++) {
    for (let j = 0; j < L; j++) {
      const tau = o.ctaus[j];
      let s = 0;
      const rg = LY.RANGE_WORDS * g, wg = LY.WIN_WORDS * g;
      for (let k = r[rg + LY.RANGE_START]; k < r[rg + LY.RANGE_END]; k++) {
        if (mred[k] >= w[wg + LY.WIN_MRED_LO] && mred[k] < w[wg + LY.WIN_MRED_HI] && lxy[k] >= w[wg + LY.WIN_LXY_LO] && lxy[k] < w[wg + LY.WIN_LXY_HI]) {
          s += gw[k] * (R / tau) * Math.exp(ct[k] * (1 / R - 1 / tau)); // gw carries the balance-heuristic factor (mixtureFactor)
        }
      }
      out[g * L + j] = s / nGenerated[g];
    }
  }
  return out;
}

/** Log-spaced grid "lo:hi:n" (n points, both ends included). */
export function parseLogGrid(s: string, flag: string): number[] {
  const p = s.split(':').map(Number);
  if (p.length !== 3 || !(p[0] > 0) || !(p[1] >= p[0]) || !Number.isInteger(p[2]) || p[2] < 1) throw new Error(`${flag}: expected lo:hi:n with 0 < lo <= hi and integer n >= 1, got '${s}'`);
  const [lo, hi, n] = p;
  return Array.from({ length: n }, (_, i) => (n === 1 ? lo : lo * Math.pow(hi / lo, i / (n - 1))));
}
