// The long-lived-particle searches as definitions of the one pipeline (search.ts runSearch, the
// cell model of cells.ts): B+ -> K+ S and B0 -> K*0(-> K+ pi-) S (Belle II PRD 108 (2023) L111104,
// 189 fb^-1, 95% CL: `run --config b-kplus-llp / b-kstar0-llp`, `darkscan llp`). Each turns its
// inputs (generated demo samples, or the signal / data / background files of `darkscan llp`) into a
// cell problem: efficiencies per (m_S, channel, c tau) from one llp_sweep dispatch
// (engine/llp/sweep.ts), counts and sideband backgrounds per (m_S, channel) M_red window
// (engine/llp/background.ts), N_B, the Higgs-mixed scalar's B(S -> xx) for the combination, and
// with model 'fit' a binned M_red fit per (m_S, channel) and the channels' simultaneous fit
// (engine/llp/fit.ts); the pipeline sets the limits and the report (render.ts) writes them.
import type { Backend } from '../../host/backend.js';
import { DAUGHTER_MASS, LLP_STREAM_INJECT, PRODUCTIONS, generateLlpSample, llpMixture, reducedMass, type Channel, type LlpSample, type Production } from '../llp/sample.js';
import { combineFits, fitCells, LLP_FIT } from '../llp/fit.js';
import { FIT_MIN_B } from './fit.js';
import { runSweep, type SweepOptions, type SweepResult } from '../llp/sweep.js';
import { sidebandCounts, type DataSample } from '../llp/background.js';
import { bMesonCount, HIGGS_MIXED_SCALAR_BR, LIMIT_METHODS, productionPerTheta2, type WindowCounts } from '../llp/limits.js';
import { demoData, demoDataDoc, LLP_BKG_SIM_MULT, LLP_BKG_SIM_STREAM, LLP_DEMO_PER_CHANNEL, LLP_RESULT_SCHEMA } from '../llp/analysis.js';
import type { CellProblem, CellLimits } from './cells.js';
import type { CellContext, CellSearchDefinition } from './search.js';

/** N_BB per fb^-1 of PRD 108 (2023) L111104: 198e6 B Bbar pairs in 189 fb^-1. */
export const NBB_PER_FB = 198e6 / 189;
export const LLP_B_PAPER = 'Belle II, PRD 108 (2023) L111104 (arXiv:2306.02830), "Search for a long-lived spin-0 mediator in b -> s transitions at the Belle II experiment": 189 fb^-1 (198e6 B Bbar pairs), 95% CL';

/** What a B -> K S search runs on (the `llp` command's flags, a run config's fields): the sweep's grid and windows (a demo generates signal at every mass), and: */
export interface LlpBSettings extends Omit<SweepOptions, 'signal'> {
  /** masses[first, end) analysed (a shard); default all. */
  readonly range?: readonly [number, number];
  readonly sidebandK?: number;
  readonly nBBbar: number;
  /**
   * 'window': count events in M_red windows of +-nSigma resolutions, background from the
   * sidebands; 'fit': a binned fit of M_red per (m_S, channel) (engine/llp/fit.ts), the background
   * shape from the background simulation.
   */
  readonly model: 'window' | 'fit';
  /** Generated inputs: signal per (mass, channel), the illustrative background, and for the fit its simulation. */
  readonly demo?: {
    readonly perCell: number;
    /** One generated c*tau, cm; default a mixture spanning the swept lifetimes (llpMixture(ctaus)). */
    readonly ctauGenCm?: number;
    /** Signal added to the data: `events` decays at m_S = mass in `channel` with c tau = ctauCm (default ctauGenCm, else 1 cm), before the lxy window (stream LLP_STREAM_INJECT). */
    readonly inject?: { readonly mass: number; readonly channel: Channel; readonly events: number; readonly ctauCm?: number };
  };
  /** Inputs from files (`darkscan llp --signal --data [--background]`) and what the result records of them. */
  readonly files?: { readonly signal: LlpSample; readonly data: DataSample; readonly background?: DataSample; readonly meta: Record<string, unknown> };
  /** Fields the result carries as given (a run config's lumi_fb, quick, ...). */
  readonly resultFields?: Record<string, unknown>;
}

interface LlpBState {
  readonly s: LlpBSettings;
  readonly production: Production;
  readonly masses: readonly number[];
  readonly sweep: SweepResult;
  readonly sweepMs: number;
  readonly counts: readonly WindowCounts[];
  readonly nB: number;
  readonly nSigma: number;
  readonly signal: LlpSample;
  readonly fit: Awaited<ReturnType<typeof fitCells>> | null;
  readonly meta: Record<string, unknown>;
}

/** The inputs: generated (signal, illustrative background plus any injected signal, the fit's background simulation) or the files'. */
async function llpBInputs(backend: Backend, s: LlpBSettings, seed: number, production: Production, abort?: AbortSignal): Promise<{ signal: LlpSample; data: DataSample; background?: DataSample; meta: Record<string, unknown> }> {
  if (s.files) return s.files;
  if (!s.demo) throw new Error('llp: no inputs (files or demo)');
  const d = s.demo;
  const signal = await generateLlpSample({ masses: s.masses, channels: s.channels, perCell: d.perCell, ctauGenCm: d.ctauGenCm ?? llpMixture(s.ctaus), seed, backend, signal: abort, production });
  const bkgData = await demoData(backend, seed, LLP_DEMO_PER_CHANNEL, s.channels, abort, production);
  let data: DataSample = bkgData, injected: Record<string, unknown> | undefined;
  if (d.inject) {
    const { mass, channel, events } = d.inject, ctau = d.inject.ctauCm ?? d.ctauGenCm ?? 1;
    const sig = await generateLlpSample({ masses: [mass], channels: [channel], perCell: events, ctauGenCm: ctau, seed, backend, signal: abort, production, stream: LLP_STREAM_INJECT });
    const cat = <T extends Float64Array | Uint8Array>(a: ArrayLike<number>, b: ArrayLike<number>, make: (n: number) => T): T => {
      const out = make(a.length + b.length);
      out.set(a, 0);
      out.set(b, a.length);
      return out;
    };
    data = { mred: cat(bkgData.mred, sig.mred, (n) => new Float64Array(n)), lxy: cat(bkgData.lxy, sig.lxy, (n) => new Float64Array(n)), channel: cat(bkgData.channel, sig.channel, (n) => new Uint8Array(n)) };
    injected = { m_S_GeV: mass, channel, ctau_cm: ctau, decays: events, in_lxy_window: Array.from(sig.lxy).filter((v) => v >= s.lxyWindow[0] && v < s.lxyWindow[1]).length, stream: LLP_STREAM_INJECT };
  }
  // The fit model's background shape: an independent simulation of the same illustrative background.
  const background = s.model === 'fit' ? await demoData(backend, seed, LLP_BKG_SIM_MULT * LLP_DEMO_PER_CHANNEL, s.channels, abort, production, LLP_BKG_SIM_STREAM, 1 / LLP_BKG_SIM_MULT) : undefined;
  const meta = {
    demo: true, seed, signal: signal.meta, data: demoDataDoc(LLP_DEMO_PER_CHANNEL),
    ...(background ? { background_simulation: `${demoDataDoc(LLP_BKG_SIM_MULT * LLP_DEMO_PER_CHANNEL)}, weight 1/${LLP_BKG_SIM_MULT}, independent stream` } : {}),
    ...(injected ? { injected } : {}),
  };
  return { signal, data, background, meta };
}

async function llpBCells(production: Production, backend: Backend, s: LlpBSettings, ctx: CellContext): Promise<CellProblem<LlpBState>> {
  const { signal, data, background, meta } = await llpBInputs(backend, s, ctx.seed, production, ctx.signal);
  const fitModel = s.model === 'fit';
  if (fitModel && !background) throw new Error('llp: the fit model needs a background simulation (the M_red shape of the background)');
  const [first, end] = s.range ?? [0, s.masses.length];
  const masses = s.masses.slice(first, end), channels = s.channels;
  // The fit's efficiency: decays in the fit range (+-halfRangeSigma resolutions) and the lxy window.
  const nSigma = fitModel ? LLP_FIT.halfRangeSigma : s.nSigma ?? 2;
  const t0 = performance.now();
  ctx.progress(`${PRODUCTIONS[production].name}: efficiency sweep (${masses.length} masses x ${channels.length} channels x ${s.ctaus.length} lifetimes) on ${backend.name}`);
  const sweep = await runSweep(backend, signal, { masses, channels, ctaus: s.ctaus, lxyWindow: s.lxyWindow, nSigma, sigma: s.sigma, signal: ctx.signal });
  const sweepMs = performance.now() - t0;
  // Counts in the windows (the fit model: in the fit ranges, for the combination and cells with little background).
  const counts = sidebandCounts(data, sweep.windows, channels, s.lxyWindow, s.sidebandK ?? 2);
  const prod = PRODUCTIONS[production], nB = bMesonCount(s.nBBbar, production);
  const fit = fitModel
    ? await fitCells(backend, sweep, data, background!, {
        lxyWindow: s.lxyWindow, sigma: s.sigma, cl: ctx.cl, nB, production, signal: ctx.signal, progress: ctx.progress,
        description: `darkscan llp ${prod.name} (Belle II PRD 108 (2023) L111104)${meta.seed !== undefined ? `, seed ${meta.seed}` : ''}, N_BB = ${s.nBBbar}.`,
      })
    : null;
  if (fit) ctx.onFitModels?.(fit.models);
  const nC = channels.length;
  const br = new Float64Array(masses.length * nC);
  masses.forEach((m, im) => {
    const b = HIGGS_MIXED_SCALAR_BR.br(m);
    channels.forEach((c, ic) => (br[im * nC + ic] = b[c]));
  });
  return {
    lifetimes: s.ctaus.length, counts, eff: sweep.eff,
    groups: counts.map((_, g) => ({ window: g, norm: nB, br: br[g] })),
    points: masses.map((_, im) => channels.map((_, ic) => im * nC + ic)),
    ...(fit ? {
      fitted: {
        sUp: Float64Array.from(fit.cells, (c) => (c?.used ? c.s_up : NaN)),
        reason: fit.cells.map((c) => (c?.used
          ? `binned M_red fit (${c.patch}; asymptotic CLs, q~_mu)`
          : `counting in the fit range (${c ? `b = ${c.background_in_range.toPrecision(3)} < ${FIT_MIN_B}: asymptotic fit invalid` : 'no efficiency: not fitted'})`)),
      },
      // The fit model's combination: a simultaneous fit of the channels per (m_S, c tau) under the model (the counting one where a channel's fit is not usable).
      combineFit: () => combineFits(backend, fit, sweep, br, nB, ctx.cl, { signal: ctx.signal, progress: ctx.progress }),
    } : {}),
    extra: { s, production, masses, sweep, sweepMs, counts, nB, nSigma, signal, fit, meta },
  };
}

function llpBDescribe(p: CellProblem<LlpBState>, lim: CellLimits): Record<string, unknown> {
  const { s, production, masses, sweep, sweepMs, counts, nB, nSigma, signal, fit, meta } = p.extra;
  const prod = PRODUCTIONS[production], channels = s.channels, L = s.ctaus.length, nC = channels.length;
  const perTheta2 = (m: number) => productionPerTheta2(production, m);
  const bf = production === 'K+' ? 'B(B+ -> K+ S)' : 'B(B0 -> K*0 S) x B(K*0 -> K+ pi-)';
  let best: { z: number; g: number } | null = null;
  fit?.cells.forEach((c, g) => {
    if (c?.used && (!best || c.z_local > best.z)) best = { z: c.z_local, g };
  });
  const bestFit = best as { z: number; g: number } | null;
  const r = (x: number) => (Number.isFinite(x) ? +x.toPrecision(6) : null);
  const comb = lim.combinationFit;
  return {
    schema: LLP_RESULT_SCHEMA,
    ...s.resultFields,
    ...meta,
    production, production_mode: prod.name,
    units: { mass: 'GeV', ctau: 'cm', lxy: 'cm', limits: `channels[].limit: ${bf} x B(S -> x x); combined_limit: ${bf} under br_model` },
    n_BBbar: s.nBBbar, n_B: nB, n_B_kind: `${prod.bMesons} (2 N_BB x ${prod.fB}, PDG 2024)`,
    ...(production === 'K+' ? { n_Bcharged: nB } : {}),
    ctau_gen_cm: signal.ctauGen.length === 1 ? signal.ctauGen[0] : signal.ctauGen, ...(signal.ctauGen.length > 1 ? { ctau_gen_shares: signal.ctauGenFrac, reweighting: 'balance heuristic over the generated lifetime mixture (Veach & Guibas 1995): w = f_j(t) / sum_c a_c f_c(t)' } : {}),
    sample_version: signal.meta.version ?? null, lxy_window_cm: s.lxyWindow, mass_window_nsigma: nSigma,
    model: fit ? 'fit' : 'window',
    ...(fit ? {
      fit: {
        doc: LLP_FIT.doc, half_range_sigma: LLP_FIT.halfRangeSigma, bins_per_sigma: LLP_FIT.binsPerSigma, hypotheses: fit.models.hypotheses.length, fits: fit.fits, fits_not_converged: fit.unconverged,
        combination_fits: comb!.fits, combination_fits_not_converged: comb!.unconverged, combination_counting: comb!.counting,
        limits: `asymptotic CLs (q~_mu, Cowan et al. EPJC 71 (2011) 1554) on the signal count per (m_S, channel); cells with less than ${FIT_MIN_B} background events in the fit range: ${lim.method} counting in it`,
        ...(bestFit ? { max_z_local: bestFit.z, max_z_at: { m_S_GeV: masses[Math.floor(bestFit.g / nC)], channel: channels[bestFit.g % nC] } } : {}),
      },
    } : {}),
    masses_GeV: [...s.masses], channels, ctaus_cm: s.ctaus.map(r),
    sweep_ms: +sweepMs.toFixed(1),
    combination: fit
      ? 'simultaneous binned fit of the channels\' M_red models per (m_S, c tau), the signal in channel c = B(B -> K S) x N_B x eff_c(c tau) x B(S -> x_c x_c) of br_model with one POI, asymptotic CLs (q~_mu); where a channel with signal has no usable fit (fit.combination_counting cells): the product of the channels\' Poisson likelihoods of the counts in the fit ranges, flat prior'
      : 'product of the channel Poisson likelihoods, flat prior on B(B -> K S), each channel weighted by the model\'s B(S -> xx) (br_model)',
    br_model: HIGGS_MIXED_SCALAR_BR.name,
    theta2_formula: production === 'K+'
      ? 'B(B+ -> K+ S) = theta^2 x brBtoKSPerTheta2(mS) (Batell-Pospelov-Ritz arXiv:0911.4938; Winkler arXiv:1809.01876; Boiarska et al. arXiv:1904.10447), B(S -> xx) from br_model'
      : 'B(B0 -> K*0 S) x B(K*0 -> K+ pi-) = theta^2 x brB0toKstarSPerTheta2(mS) x 2/3 (A0 form factor of Ball & Zwicky PRD 71 (2005) 014029; Boiarska et al. arXiv:1904.10447), B(S -> xx) from br_model',
    cells: masses.map((m, im) => ({
      m_S_GeV: m,
      channels: channels.map((c, ic) => {
        const g = im * nC + ic, brg = p.groups[g].br;
        return {
          channel: c, mred_GeV: r(reducedMass(m, DAUGHTER_MASS[c])), window_GeV: [r(sweep.windows[g].lo), r(sweep.windows[g].hi)],
          n_obs: counts[g].n, b: r(counts[g].b), sigma_b: r(counts[g].sigmaB ?? 0), s_up: r(lim.sUp[g]),
          limit_method: lim.used[g], limit_method_reason: lim.reason[g],
          ...(fit ? { fit: fit.cells[g] } : {}),
          n_generated: sweep.nGenerated[g],
          efficiency: Array.from(sweep.eff.subarray(g * L, (g + 1) * L), r),
          efficiency_err: Array.from(sweep.effErr.subarray(g * L, (g + 1) * L), r),
          limit: Array.from(lim.perGroup.subarray(g * L, (g + 1) * L), r),
          br_model: r(brg),
          theta2_limit: Array.from(lim.perGroup.subarray(g * L, (g + 1) * L), (x) => r(x / (brg * perTheta2(m)))),
        };
      }),
      combined_limit: Array.from(lim.combined.subarray(im * L, (im + 1) * L), r),
      theta2_limit: Array.from(lim.combined.subarray(im * L, (im + 1) * L), (x) => r(x / perTheta2(m))),
    })),
  };
}

function llpBDefinition(name: 'b-kplus-llp' | 'b-kstar0-llp', production: Production): CellSearchDefinition<LlpBSettings, LlpBState> {
  const prod = PRODUCTIONS[production];
  return {
    name, model: 'cells', kind: 'llp', report: 'lifetime',
    title: `${prod.name}, S -> ee / mumu / pipi / KK displaced: limits per (m_S, channel, c tau) and channels combined`,
    paper: { lumiFb: 189, cl: 0.95, method: 'cls-n', source: LLP_B_PAPER },
    methods: LIMIT_METHODS,
    cells: (backend, s, ctx) => llpBCells(production, backend, s, ctx),
    describe: llpBDescribe,
    notes: [
      `Signal efficiencies per (m_S, channel, c tau) from one llp_sweep dispatch (decays generated with a lifetime mixture, reweighted by the balance heuristic); B mesons: ${prod.bMesons} = 2 N_BB x ${prod.fB} (PDG 2024).`,
      "Model 'window': counts in M_red windows of +-nsigma resolutions, background from the sidebands (flat); model 'fit': a binned M_red fit per (m_S, channel), the channels combined by a simultaneous fit under br_model.",
    ],
  };
}

/** B+ -> K+ S and B0 -> K*0(-> K+ pi-) S (Belle II PRD 108 (2023) L111104). */
export const B_KPLUS_LLP = llpBDefinition('b-kplus-llp', 'K+');
export const B_KSTAR0_LLP = llpBDefinition('b-kstar0-llp', 'K*0');
/** Production mode -> its search. */
export const LLP_B_SEARCHES: Readonly<Record<Production, CellSearchDefinition<LlpBSettings, LlpBState>>> = { 'K+': B_KPLUS_LLP, 'K*0': B_KSTAR0_LLP };
