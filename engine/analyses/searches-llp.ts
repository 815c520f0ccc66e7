// The long-lived-particle searches as definitions of the one pipeline (search.ts runSearch, the
// cell model of cells.ts): B+ -> K+ S and B0 -> K*0(-> K+ pi-) S (Belle II PRD 108 (2023) L111104,
// 189 fb^-1, 95% CL: `run --config b-kplus-llp / b-kstar0-llp`, `darkscan llp`), and iDM with a
// dark Higgs (arXiv:2505.09705, `run --config idm-darkhiggs`, below). Each B search turns its
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
import { decodeEfficiencies, groupTables, massWindow, runSweep, type MassWindow, type SweepOptions, type SweepResult } from '../llp/sweep.js';
import { sidebandCounts, type DataSample } from '../llp/background.js';
import { bMesonCount, HIGGS_MIXED_SCALAR_BR, LIMIT_METHODS, productionPerTheta2, type WindowCounts } from '../llp/limits.js';
import { demoData, demoDataDoc, LLP_BKG_SIM_MULT, LLP_BKG_SIM_STREAM, LLP_DEMO_PER_CHANNEL, LLP_RESULT_SCHEMA } from '../llp/analysis.js';
import type { CellGroup, CellProblem, CellLimits } from './cells.js';
import { runCancellable } from '../cancel.js';
import { llpSweep, lifetimeTable } from '../../kernels/llp_sweep/desc.js';
import { SQRT_S } from '../generate/physics.js';
import { scalarBranchingFractions, SCALAR_BRANCHING_SOURCE } from '../generate/branching.js';
import {
  CT_MAX_CM, CT_MIN_CM, IDM_SIGMA_SOURCE, IDM_STREAM, chi2Acceptance, chi2CtauCm, channelIndex, darkHiggsCtau0Cm,
  generateIdmDecays, sigmaIdmFb, type IdmFinalState, type IdmParams,
} from '../generate/idm.js';
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

// ---------------------------------------------------------------- iDM + dark Higgs
/**
 * iDM with a dark Higgs (Belle II arXiv:2505.09705, 365 fb^-1, 95% CL): e+e- -> A' h',
 * A' -> chi1 chi2, chi2 -> chi1 e+e-, h' -> mu mu / pi pi / K K displaced; cut and count per
 * (m_h', final state) window, background from the M_red sidebands of the data, limits per final
 * state and combined, the (m_h', sin theta) plane scanned per set of the other parameters.
 * Points: (set, m_h'); channels: the final states; the lifetime axis: sin theta. Every cell's
 * efficiency comes from one llp_sweep dispatch: the h' decays are stored with c t in units of
 * c tau0(m_h') (c tau at sin theta = 1), so the lifetime hypotheses 1 / sin^2(theta) are the same
 * for every group; the decay lengths are drawn log-uniform and the generator weight turns them
 * into exponential decays (importance sampling), and it carries the chi2 acceptance of the set.
 */
export interface IdmSettings {
  readonly sets: readonly IdmParams[];
  /** A label per set (results, plots). */
  readonly labels: readonly string[];
  /** The m_h' grid, GeV, and the sin theta grid. */
  readonly masses: readonly number[];
  readonly sinTheta: readonly number[];
  readonly finalStates: readonly IdmFinalState[];
  /** The h' vertex's lxy window [lo, hi), cm; the chi2 vertex inside lxy < chi2LxyMax. */
  readonly lxyWindow: readonly [number, number];
  readonly chi2LxyMax: number;
  readonly decaysPerPoint: number;
  /** Illustrative background events per final state; sidebands of sidebandK window widths. */
  readonly backgroundPerFinalState: number;
  readonly sidebandK: number;
  readonly inject?: { readonly set: number; readonly m_h_GeV: number; readonly sin_theta: number; readonly events: number };
  /** Test mode: every h' flies with this transverse beta gamma (efficiencies then have a closed form). */
  readonly fixedBgT?: number;
  /** Fields the result carries as given (the config's description, quick). */
  readonly resultFields?: Record<string, unknown>;
}

interface IdmState {
  readonly s: IdmSettings;
  readonly windows: readonly MassWindow[];
  readonly effErr: Float64Array;
  readonly injected: Record<string, unknown> | null;
  readonly lumi: number;
}

export const IDM_PAPER = 'Belle II, arXiv:2505.09705 (2025), "Search for a dark Higgs boson produced in association with inelastic dark matter at the Belle II experiment": 365 fb^-1, 95% CL, cut and count, background from sidebands';

/** Is the h' mass point in the model range of a set (h' decays only through the mixing: m_h' < 2 m(chi1); A' h' on shell)? */
function inModel(p: IdmParams, mh: number): boolean {
  return mh < 2 * p.mChi1 && p.mA + mh < SQRT_S;
}

async function idmCells(backend: Backend, s: IdmSettings, ctx: CellContext): Promise<CellProblem<IdmState>> {
  const timing: Record<string, number> = {};
  const lap = (k: string, since: number) => (timing[k] = Math.round(performance.now() - since) / 1000);
  const { seed, progress } = ctx, lumi = ctx.lumiFb;
  const fs = s.finalStates, masses = s.masses, sinT = s.sinTheta, sets = s.sets, perPoint = s.decaysPerPoint;
  const nS = sets.length, nM = masses.length, nC = fs.length, L = sinT.length;
  // Lifetimes in units of c tau0(m_h'): 1 / sin^2(theta); the reference (generation) lifetime is the longest.
  const tauNorm = sinT.map((x) => 1 / (x * x));
  const tauGen = Math.max(...tauNorm);
  const lnR = Math.log(CT_MAX_CM / CT_MIN_CM);

  // 1. Signal decays per (set, m_h', final state) group, contiguous; weight = density ratio x chi2 acceptance.
  let t = performance.now();
  const G = nS * nM * nC;
  const parts: { ctNorm: Float32Array; lxy: Float32Array; mred: Float32Array; gw: Float32Array }[] = [];
  const start = new Uint32Array(G + 1), nGen = new Uint32Array(G), groupWindows: MassWindow[] = [];
  let at = 0, ctMax = 0, gwMax = 0, maxRange = 1;
  for (let k = 0; k < nS; k++) {
    const ctau2 = chi2CtauCm(sets[k]);
    for (let im = 0; im < nM; im++) {
      progress(`signal decays: set ${k + 1} / ${nS}, m_h' = ${masses[im].toFixed(3)} GeV`);
      for (let ic = 0; ic < nC; ic++) {
        const gi = (k * nM + im) * nC + ic, f = fs[ic];
        groupWindows.push(massWindow(masses[im], f));
        start[gi] = at;
        if (inModel(sets[k], masses[im]) && masses[im] > 2 * DAUGHTER_MASS[f]) {
          const d = await generateIdmDecays({ params: sets[k], mh: masses[im], channel: f, n: perPoint, seed, cell: gi, backend, signal: ctx.signal, fixedBgT: s.fixedBgT });
          const gw = new Float32Array(perPoint);
          for (let e = 0; e < perPoint; e++) {
            // Exp(t'; tauGen) / g(t'), g the log-uniform density 1 / (t' ln R): (t' / tauGen) e^(-t'/tauGen) ln R
            const x = d.ctNorm[e] / tauGen;
            gw[e] = x * Math.exp(-x) * lnR * chi2Acceptance(d.bgTChi2[e], ctau2, s.chi2LxyMax);
            gwMax = Math.max(gwMax, gw[e]);
            ctMax = Math.max(ctMax, d.ctNorm[e]);
          }
          parts.push({ ctNorm: d.ctNorm, lxy: d.lxy, mred: d.mred, gw });
          at += perPoint;
          nGen[gi] = perPoint;
          maxRange = Math.max(maxRange, perPoint);
        }
      }
    }
  }
  start[G] = at;
  const cat = (key: 'ctNorm' | 'lxy' | 'mred' | 'gw') => {
    const out = new Float32Array(Math.max(1, at));
    let o2 = 0;
    for (const p of parts) (out.set(p[key], o2), (o2 += p[key].length));
    return out;
  };
  const inputs = { ct: cat('ctNorm'), lxy: cat('lxy'), mred: cat('mred'), gw: cat('gw'), ...groupTables(start, groupWindows, s.lxyWindow), life: lifetimeTable(tauGen, tauNorm, ctMax, gwMax, maxRange) };
  lap('signal', t);

  // 2. One llp_sweep dispatch: efficiency of every (set, m_h', final state, sin theta) cell.
  t = performance.now();
  progress(`efficiency sweep: ${G} groups x ${L} sin(theta) values on ${backend.name}`);
  const out = await runCancellable(backend, llpSweep, { count: G * L, params: { n_life: L }, inputs }, ctx.signal);
  const { eff, effErr } = decodeEfficiencies(out.acc, inputs.life, G, L, nGen);
  lap('sweep', t);

  // 3. Data (illustrative background, plus any injected signal) and sideband counts per (m_h', final state).
  t = performance.now();
  const bg = await demoData(backend, seed, s.backgroundPerFinalState, fs, ctx.signal);
  let data: DataSample = bg;
  let injected: Record<string, unknown> | null = null;
  if (s.inject && s.inject.events > 0) {
    const inj = await injectedEvents(backend, s, seed);
    data = { mred: Float64Array.from([...bg.mred, ...inj.mred]), lxy: Float64Array.from([...bg.lxy, ...inj.lxy]), channel: Uint8Array.from([...bg.channel, ...inj.channel]) };
    injected = inj.info;
  }
  const windows = masses.flatMap((m) => fs.map((f) => massWindow(m, f)));
  const counts = sidebandCounts(data, windows, fs, s.lxyWindow, s.sidebandK);
  lap('data', t);

  // Limits per final state on sigma x B(chi2 -> chi1 ee) x B(h' -> xx) (norm: the luminosity), combined under the Higgs-mixed scalar's B(h' -> xx).
  const groups: CellGroup[] = [], points: number[][] = [];
  for (let k = 0; k < nS; k++) {
    for (let im = 0; im < nM; im++) {
      const br = inModel(sets[k], masses[im]) ? scalarBranchingFractions(masses[im]) : null;
      points.push(fs.map((_, ic) => (k * nM + im) * nC + ic));
      fs.forEach((f, ic) => groups.push({ window: im * nC + ic, norm: lumi, br: br ? br[f] : 0 }));
    }
  }
  return { lifetimes: L, counts, groups, eff, points, timing, extra: { s, windows, effErr, injected, lumi } };
}

/** Injected signal: `events` produced A'h' events of set `inject.set` at (m_h', sin theta): each h' decays to a final state drawn from br_model (else not kept), chi2 decays drawn exponentially. */
async function injectedEvents(backend: Backend, s: IdmSettings, seed: number) {
  const inj = s.inject!, p = s.sets[inj.set];
  const ctau = darkHiggsCtau0Cm(inj.m_h_GeV) / (inj.sin_theta * inj.sin_theta), ctau2 = chi2CtauCm(p);
  const br = scalarBranchingFractions(inj.m_h_GeV);
  const mred: number[] = [], lxy: number[] = [], channel: number[] = [];
  const perState: Record<string, number> = {};
  for (const [ic, f] of s.finalStates.entries()) {
    // Events of each final state: its share of the produced events (expected count, rounded).
    const n = Math.round(inj.events * br[f]);
    perState[f] = 0;
    if (n === 0 || !(inj.m_h_GeV > 2 * DAUGHTER_MASS[f])) continue;
    const d = await generateIdmDecays({ params: p, mh: inj.m_h_GeV, channel: f, n, seed: seed + 1, cell: 0x7f000000 + ic, backend, ctauCm: ctau });
    for (let k = 0; k < n; k++) {
      const l2 = -ctau2 * Math.log(1 - d.uChi2[k]) * d.bgTChi2[k]; // chi2 transverse flight
      if (l2 >= s.chi2LxyMax) continue;
      mred.push(d.mred[k]); lxy.push(d.lxy[k]); channel.push(channelIndex(f));
      perState[f]++;
    }
  }
  return {
    mred, lxy, channel,
    info: { set: inj.set, m_h_GeV: inj.m_h_GeV, sin_theta: inj.sin_theta, ctau_h_cm: +ctau.toPrecision(6), produced: inj.events, kept_with_chi2_inside: perState, key: { seed: seed + 1, stream: IDM_STREAM } },
  };
}

function idmDescribe(p: CellProblem<IdmState>, lim: CellLimits): Record<string, unknown> {
  const { s, windows, effErr, injected, lumi } = p.extra;
  const fs = s.finalStates, masses = s.masses, sinT = s.sinTheta, nM = masses.length, nC = fs.length, L = sinT.length;
  const { counts, eff } = p;
  const r = (x: number) => (Number.isFinite(x) ? +x.toPrecision(5) : null);
  const resultSets = s.sets.map((set, k) => {
    const points = masses.map((mh, im) => {
      if (!inModel(set, mh)) return { m_h_GeV: mh, in_model: false };
      const sigma = sigmaIdmFb(set, mh); // x B(chi2 -> chi1 ee) = 1 (dm < 2 m_mu)
      const channels = fs.map((f, ic) => {
        const gi = (k * nM + im) * nC + ic, w = im * nC + ic;
        return {
          final_state: f, br_model: r(p.groups[gi].br), window_GeV: [r(windows[w].lo), r(windows[w].hi)], n_obs: counts[w].n, b: r(counts[w].b), sigma_b: r(counts[w].sigmaB ?? 0), s_up: r(lim.sUp[w]),
          limit_method: lim.used[w], limit_method_reason: lim.reason[w],
          efficiency: Array.from(eff.subarray(gi * L, (gi + 1) * L), r), efficiency_err: Array.from(effErr.subarray(gi * L, (gi + 1) * L), r),
          limit_fb: Array.from(lim.perGroup.subarray(gi * L, (gi + 1) * L), r),
        };
      });
      const mu = lim.combined.subarray((k * nM + im) * L, (k * nM + im + 1) * L);
      const combined = Array.from(mu, r), ratio = Array.from(mu, (x) => r(x / sigma));
      const excl = sinT.filter((_, j) => ratio[j] !== null && (ratio[j] as number) < 1);
      return {
        m_h_GeV: mh, in_model: true, ctau0_cm: r(darkHiggsCtau0Cm(mh)), ctau_cm: sinT.map((x) => r(darkHiggsCtau0Cm(mh) / (x * x))), sigma_fb: r(sigma),
        channels, combined_limit_fb: combined, ratio_to_model: ratio,
        excluded_sin_theta: excl.length ? [r(Math.min(...excl)), r(Math.max(...excl))] : null,
      };
    });
    return { set: k, label: s.labels[k], m_A_GeV: set.mA, m_chi1_GeV: set.mChi1, m_chi2_GeV: +(set.mChi1 + set.dm).toPrecision(8), dm_GeV: set.dm, alpha_D: set.alphaD, epsilon: set.eps, ctau_chi2_cm: r(chi2CtauCm(set)), points };
  });
  return {
    schema: 'darkscan-idm/1', ...s.resultFields,
    stream: IDM_STREAM, lumi_fb: lumi,
    units: { mass: 'GeV', ctau: 'cm', lxy: 'cm', limit_fb: "fb: sigma(e+e- -> A'h') x B(A' -> chi1 chi2) x B(chi2 -> chi1 ee) x B(h' -> xx) per final state", combined_limit_fb: "fb: sigma x B(chi2 -> chi1 ee) under br_model", ratio_to_model: 'combined_limit_fb / sigma_fb (< 1: excluded)' },
    m_h_GeV: masses, sin_theta: sinT.map((x) => +x.toPrecision(6)), final_states: fs, lxy_window_cm: s.lxyWindow, chi2_lxy_max_cm: s.chi2LxyMax,
    samples: { decays_per_point: s.decaysPerPoint, ct_sampling_cm: [CT_MIN_CM, CT_MAX_CM], background: `ILLUSTRATIVE: flat M_red, lxy exponential (mean 0.2 cm), ${s.backgroundPerFinalState} events per final state (engine/llp/analysis.ts demoData), not Belle II data` },
    injected,
    br_model: SCALAR_BRANCHING_SOURCE,
    sigma_source: IDM_SIGMA_SOURCE,
    formulas: {
      ctau_chi2: 'Gamma(chi2 -> chi1 e+e-) = 4 eps^2 alpha alpha_D dm^5 / (15 pi m_A^4) (Izaguirre, Krnjaic, Shuve, PRD 93 (2016) 063523)',
      ctau_h: "c tau(h') = c tau0(m_h') / sin^2(theta), Gamma(h' -> ll) = sin^2(theta) G_F m_l^2 m_h' beta^3 / (4 sqrt2 pi), total from br_model",
      sigma: IDM_SIGMA_SOURCE,
    },
    parameter_sets: resultSets,
  };
}

export const IDM_DARKHIGGS: CellSearchDefinition<IdmSettings, IdmState> = {
  name: 'idm-darkhiggs', model: 'cells', kind: 'darkscan-llp-search', report: 'plane',
  title: "e+e- -> A' h', A' -> chi1 chi2, chi2 -> chi1 e+e-, h' -> mu mu / pi pi / K K (displaced): (m_h', sin theta) scan",
  paper: { lumiFb: 365, cl: 0.95, method: 'cls-n', source: IDM_PAPER },
  methods: LIMIT_METHODS,
  cells: idmCells,
  describe: idmDescribe,
  notes: [
    'Selection (simplified from arXiv:2505.09705): a pointing h\' -> xx vertex with lxy in lxy_window_cm and M_red in +-2 sigma of the h\' mass; the chi2 -> chi1 e+e- vertex inside lxy < chi2_lxy_max_cm (its probability enters as an event weight). No tracking, trigger or vertexing efficiency is simulated.',
    'Efficiencies from one llp_sweep kernel dispatch over every (set, m_h\', final state, sin theta) cell: c t in units of c tau0(m_h\') makes the lifetime hypotheses 1/sin^2(theta) common to all groups; c t drawn log-uniform and reweighted (importance sampling).',
    'Per final state limits: s_up (the window\'s count limit, by `method`) / (L x efficiency); combination: product of the final states\' Poisson likelihoods, flat prior (engine/llp/limits.ts combineChannels), each weighted by the Higgs-mixed scalar\'s B(h\' -> xx).',
    "Points with m_h' >= 2 m(chi1) (h' -> chi1 chi1 opens) or m_A' + m_h' >= sqrt(s) are outside the model range (in_model: false).",
    `Cross section ${IDM_SIGMA_SOURCE}.`,
    'Parameter sets and background are ILLUSTRATIVE (the paper shows ~30 configurations; its exact parameter values and background yields are not used).',
  ],
};
