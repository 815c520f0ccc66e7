// The B -> K S search as a fit (Belle II PRD 108 (2023) L111104 fits the reduced mass per channel):
// per (m_S, channel) a binned model of M_red = sqrt(M_xx^2 - 4 m_x^2) around sqrt(m_S^2 - 4 m_x^2),
// built and fitted by the search pipeline's fit model (engine/analyses/fit.ts: resolution Gaussian,
// background quadratic from the simulation with its shape uncertainty, free normalisation; one
// workspace + patchset, batched fits). The M_red shape does not depend on the lifetime, so one fit
// per (m_S, channel) gives s_up; the lifetime enters through the efficiency (limit = s_up / (N_B eff)).
import type { Backend } from '../../host/backend.js';
import { compileModel, type CompiledModel } from '../likelihood/model.js';
import { FitSession, upperLimits } from '../likelihood/infer.js';
import { buildFitModels, fitHypotheses, FIT_MIN_B, POI, type FitModels, type FitSample, type FitSpec, type FitWindowInput } from '../analyses/fit.js';
import { CHANNELS, DAUGHTER_MASS, PRODUCTIONS, reducedMass, resolution, type Channel, type Production } from './sample.js';
import type { SweepResult } from './sweep.js';
import type { DataSample } from './background.js';
import type { WindowFit } from '../analyses/search.js';

/** The fit of M_red per (m_S, channel): +-5 sigma, 2 bins per sigma (20 bins), as the searches' fit model. */
export const LLP_FIT: FitSpec = {
  halfRangeSigma: 5, binsPerSigma: 2,
  doc: 'binned fit of M_red in +-5 sigma (20 bins) per (m_S, channel): Gaussian signal of the resolution, background shape a quadratic fitted to the background simulation over 3 times the range (clipped at M_red = 0 and the kinematic end), its statistical uncertainty as a tilt and a curvature (histosys), a free normalisation; one fit per (m_S, channel) for all lifetimes (the M_red shape does not depend on c tau)',
};

/** What one (m_S, channel) fit gives: the pipeline's fitted-window fields plus the limits in signal events. */
export interface LlpCellFit extends WindowFit {
  /** Upper limit on signal events, observed and expected [-2s, -1s, median, +1s, +2s]. */
  s_up: number;
  s_up_expected: number[];
}

/** Decays of one channel in the displaced-vertex window: M_red and weights. */
function channelSample(d: DataSample, c: Channel, lxy: readonly [number, number]): { x: number[]; w: number[] } {
  const id = CHANNELS.indexOf(c), x: number[] = [], w: number[] = [];
  for (let i = 0; i < d.mred.length; i++) {
    if (d.channel[i] !== id || !(d.lxy[i] >= lxy[0] && d.lxy[i] < lxy[1])) continue;
    x.push(d.mred[i]);
    w.push(d.weight ? d.weight[i] : 1);
  }
  return { x, w };
}

/**
 * Fits every (mass, channel) cell of the sweep (index g = im * channels + ic): the models (one
 * workspace, one patch per cell, labels m_S_GeV and channel) and per cell the fit's numbers (null
 * where no lifetime has an efficiency).
 */
export async function fitCells(backend: Backend, sweep: SweepResult, data: DataSample, background: DataSample, o: {
  lxyWindow: readonly [number, number]; sigma?: (m: number, c: Channel) => number; cl: number; nB: number; production: Production; description: string;
  signal?: AbortSignal; progress?: (s: string) => void;
}): Promise<{ models: FitModels; cells: (LlpCellFit | null)[]; fits: number; unconverged: number }> {
  const nC = sweep.channels.length, L = sweep.ctaus.length, prod = PRODUCTIONS[o.production];
  const samples: Record<string, FitSample> = {};
  for (const c of sweep.channels) {
    const d = channelSample(data, c, o.lxyWindow), b = channelSample(background, c, o.lxyWindow);
    samples[c] = { data: d.x, background: b.x, backgroundWeight: b.w };
  }
  const windows: FitWindowInput[] = [];
  sweep.masses.forEach((m, im) => sweep.channels.forEach((c, ic) => {
    const g = im * nC + ic, mx = DAUGHTER_MASS[c];
    const eff = Array.from(sweep.eff.subarray(g * L, (g + 1) * L));
    windows.push({
      window: g, x: reducedMass(m, mx), mass: m, efficiency: Math.max(0, ...eff), channel: c, values: [m, c],
      sigma: (o.sigma ?? resolution)(m, c), edges: [0, reducedMass(prod.mB - prod.mK, mx)],
      // B(B -> K S) x B(S -> xx) at lifetime j = mu x signal_events_per_mu / (n_B x efficiency[j]).
      metadata: { m_S_GeV: m, channel: c, n_B: o.nB, ctaus_cm: [...sweep.ctaus], efficiency: eff },
    });
  }));
  const models = buildFitModels({ spec: LLP_FIT, windows, samples, labels: ['m_S_GeV', 'channel'], description: `${o.description} ${LLP_FIT.doc}. B(B -> K S) x B(S -> xx) at lifetime j = mu x signal_events_per_mu / (n_B x efficiency[j]).` });
  o.progress?.(`fitting ${models.hypotheses.length} (m_S, channel) hypotheses`);
  const f = await fitHypotheses(backend, models, o.cl, { signal: o.signal, progress: o.progress });
  const cells: (LlpCellFit | null)[] = sweep.masses.flatMap(() => sweep.channels.map(() => null));
  models.hypotheses.forEach((h, k) => {
    const r = f.results[k], u = h.signalEventsPerMu;
    cells[h.window] = {
      patch: models.patchset.patches[k].metadata.name, range_GeV: [h.lo_GeV, h.hi_GeV], bins: h.bins, background_in_range: h.background, signal_events_per_mu: u,
      mu_hat: r.muHat, mu_up: r.muUp, mu_up_expected: r.muUpExpected, s_up: r.muUp * u, s_up_expected: r.muUpExpected.map((v) => v * u), p_local: r.pLocal, z_local: r.zLocal, used: h.background >= FIT_MIN_B,
    };
  });
  return { models, cells, fits: f.fits, unconverged: f.unconverged };
}

/**
 * The channels combined under a model of B(S -> xx) (`br`, per (mass, channel)): per (mass, lifetime)
 * one simultaneous fit of that mass's channel models, the signal in channel c being
 * B(B -> K S) N_B eff_c(c tau) B(S -> x_c x_c) times its resolution shape, with one POI; asymptotic CLs
 * (q~_mu) as per channel. combined[im * lifetimes + j]: the upper limit on B(B -> K S); Infinity where
 * no channel has signal; NaN where a channel with signal has no usable fit (little background: the
 * caller keeps its counting combination there).
 */
export async function combineFits(backend: Backend, fit: { models: FitModels; cells: readonly (LlpCellFit | null)[] }, sweep: SweepResult, br: Float64Array, nB: number, cl: number, o: { signal?: AbortSignal; progress?: (s: string) => void } = {}): Promise<{ combined: Float64Array; fits: number; unconverged: number }> {
  const nC = sweep.channels.length, L = sweep.ctaus.length, { workspace: ws, hypotheses: hyps } = fit.models;
  const hypOf = new Map(hyps.map((h, k) => [h.window, k]));
  const combined = new Float64Array(sweep.masses.length * L).fill(Infinity);
  const models: CompiledModel[] = [], at: number[] = [], scale: number[] = [];
  for (let im = 0; im < sweep.masses.length; im++) {
    for (let j = 0; j < L; j++) {
      const parts: { k: number; a: number }[] = [];
      let usable = true;
      for (let ic = 0; ic < nC; ic++) {
        const g = im * nC + ic, a = nB * sweep.eff[g * L + j] * br[g], k = hypOf.get(g);
        if (!(a > 0)) continue;
        if (k === undefined || !fit.cells[g]?.used) usable = false;
        else parts.push({ k, a });
      }
      if (!usable) combined[im * L + j] = NaN;
      if (!usable || !parts.length) continue;
      // mu in units of the B(B -> K S) at which the best channel expects its signal_events_per_mu events.
      const u = Math.min(...parts.map((p) => hyps[p.k].signalEventsPerMu / p.a));
      const channels = parts.map((p) => {
        const h = hyps[p.k], ch = ws.channels[p.k];
        return { ...ch, samples: [...ch.samples, { name: 'signal', data: h.signal.map((v) => (v / h.signalEventsPerMu) * p.a * u), modifiers: [{ name: POI, type: 'normfactor' as const, data: null }] }] };
      });
      models.push(compileModel({ ...ws, channels, observations: parts.map((p) => ws.observations[p.k]) }, { source: `m_S = ${sweep.masses[im]} GeV, c tau = ${sweep.ctaus[j]} cm, channels combined` }));
      at.push(im * L + j);
      scale.push(u);
    }
  }
  if (!models.length) return { combined, fits: 0, unconverged: 0 };
  o.progress?.(`fitting ${models.length} (m_S, c tau) channel combinations`);
  const session = new FitSession(backend, models, { signal: o.signal, progress: o.progress });
  const ul = await upperLimits(session, models.map((m, i) => ({ model: i, data: m.observed })), { cl, stat: 'qtilde' });
  ul.forEach((r, i) => (combined[at[i]] = r.obs * scale[i]));
  return { combined, fits: session.fits, unconverged: session.unconverged };
}
