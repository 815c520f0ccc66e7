// The cell model of the one search pipeline (search.ts runSearch, definitions with model 'cells'):
// searches whose signal efficiency is a table over (point, channel, lifetime) cells from one
// llp_sweep dispatch (kernels/llp_sweep) and whose data are counts in a reduced-mass window per
// (point, channel) with the background from its sidebands: B -> K S (points: m_S; the lifetime axis
// c tau) and iDM + dark Higgs (points: (parameter set, m_h'); the axis sin theta, lifetimes
// c tau0 / sin^2 theta). The definition turns its inputs into a CellProblem; the pipeline sets the
// limits: per count window the limit on the signal count by a method of the one table
// (engine/stats/windows.ts LIMIT_METHODS, through engine/llp/limits.ts windowLimit), the method and
// why recorded per window, or a fit's limit where the definition fitted (model 'fit'); per (group,
// lifetime) limit = s_up / (norm x eff); per (point, lifetime) the channels combined under a model
// of B(S -> xx) (engine/llp/limits.ts combineChannels), or by the definition's simultaneous fit.
import { ticker } from '../cancel.js';
import { combineChannels, windowLimit, type LimitMethod, type WindowCounts } from '../llp/limits.js';

/** One group: a channel at a point. */
export interface CellGroup {
  /** Its count window (index into CellProblem.counts; groups of several points may share one). */
  readonly window: number;
  /** Signal events per unit of the limit at efficiency 1 (N_B for B(B -> K S); the luminosity in fb^-1 for a cross section in fb). */
  readonly norm: number;
  /** B(S -> x x) of the channel under the combination's model. */
  readonly br: number;
}

export interface CellProblem<X = unknown> {
  /** Length L of the lifetime axis. */
  readonly lifetimes: number;
  /** Observed count and background per count window. */
  readonly counts: readonly WindowCounts[];
  readonly groups: readonly CellGroup[];
  /** Efficiency per (group, lifetime), index g * L + j. */
  readonly eff: Float64Array;
  /** The groups combined at each point (its channels), in channel order. */
  readonly points: readonly (readonly number[])[];
  /**
   * Limits on the signal count that a fit set (the fit model), per count window (NaN: the window's
   * counting limit), and the reason recorded: for a fitted window how it was fitted, for the others
   * why the fit was not used (prefixed to the counting limit's reason).
   */
  readonly fitted?: { readonly sUp: Float64Array; readonly reason: readonly string[] };
  /** The channels combined by a fit per (point, lifetime), index p * L + j (NaN: not usable there, the counting combination kept). */
  combineFit?(): Promise<{ combined: Float64Array; fits: number; unconverged: number }>;
  /** Seconds of the definition's stages (merged into the result's timing_s). */
  readonly timing?: Record<string, number>;
  /** The definition's own state, for its describe(). */
  readonly extra: X;
}

export interface CellLimits {
  readonly method: LimitMethod;
  readonly cl: number;
  /** Upper limit on the signal count per count window, and the method and reason. */
  readonly sUp: Float64Array;
  readonly used: readonly string[];
  readonly reason: readonly string[];
  /** Upper limit per (group, lifetime): s_up / (norm x eff), Infinity where eff = 0. */
  readonly perGroup: Float64Array;
  /** Combined upper limit per (point, lifetime), Infinity where no channel has norm x eff x br > 0. */
  readonly combined: Float64Array;
  /** The fit combination's numbers (null: counting combination only) and how many cells kept the counting one. */
  readonly combinationFit: { readonly fits: number; readonly unconverged: number; readonly counting: number } | null;
  /** "N method: reason" per distinct (method, reason), for the notes. */
  readonly methodCounts: Record<string, number>;
}

/** The limits of a cell problem (the pipeline's limit stage for model 'cells'). */
export async function cellLimits(p: CellProblem, method: LimitMethod, cl: number, signal?: AbortSignal): Promise<CellLimits> {
  const tick = ticker(signal);
  const L = p.lifetimes, G = p.groups.length;
  if (p.eff.length !== G * L) throw new Error(`cells: ${p.eff.length} efficiencies for ${G} groups x ${L} lifetimes`);
  const sUp = new Float64Array(p.counts.length), used: string[] = [], reason: string[] = [];
  const methodCounts: Record<string, number> = {};
  for (const [w, c] of p.counts.entries()) {
    await tick();
    const f = p.fitted?.sUp[w];
    let tag: string;
    if (f !== undefined && !Number.isNaN(f)) {
      sUp[w] = f;
      used.push('cls-asymptotic');
      reason.push(p.fitted!.reason[w]);
      tag = 'cls-asymptotic: binned fit';
    } else {
      const r = windowLimit(c, method, cl);
      sUp[w] = r.up;
      used.push(r.used);
      reason.push(p.fitted ? `${p.fitted.reason[w]}; ${r.reason}` : r.reason);
      tag = `${r.used}: ${p.fitted ? 'counting, fit not used; ' : ''}${r.reason.split(' (')[0]}`;
    }
    methodCounts[tag] = (methodCounts[tag] ?? 0) + 1;
  }
  const perGroup = new Float64Array(G * L);
  p.groups.forEach((g, k) => {
    for (let j = 0; j < L; j++) {
      const a = g.norm * p.eff[k * L + j];
      perGroup[k * L + j] = a > 0 ? sUp[g.window] / a : Infinity;
    }
  });
  const combined = new Float64Array(p.points.length * L);
  for (const [ip, gs] of p.points.entries()) {
    for (let j = 0; j < L; j++) {
      await tick();
      combined[ip * L + j] = combineChannels(gs.map((k) => {
        const g = p.groups[k], c = p.counts[g.window];
        return { n: c.n, b: c.b, a: g.norm * p.eff[k * L + j] * g.br };
      }), cl);
    }
  }
  let combinationFit: CellLimits['combinationFit'] = null;
  if (p.combineFit) {
    const comb = await p.combineFit();
    let counting = 0;
    comb.combined.forEach((v, i) => (Number.isNaN(v) ? counting++ : (combined[i] = v)));
    combinationFit = { fits: comb.fits, unconverged: comb.unconverged, counting };
  }
  return { method, cl, sUp, used, reason, perGroup, combined, combinationFit, methodCounts };
}
