// Inelastic dark matter with a dark Higgs (the talk's "NEW" LLP search; Belle II arXiv:2505.09705,
// 365 fb^-1, 95% CL): e+e- -> A' h', A' -> chi1 chi2, chi2 -> chi1 e+e-, h' -> mu mu / pi pi / K K
// displaced. Cut and count per (m_h', final state) window with the background from the M_red
// sidebands of the data (engine/llp/background.ts), 95% CL limits per final state and combined
// (engine/llp/limits.ts), and the (m_h', sin theta) plane scanned for each set of the other
// parameters (m_A', m(chi1), dm, alpha_D, epsilon). Every (set, m_h', final state, sin theta) cell's
// efficiency comes from one batched llp_sweep dispatch (kernels/llp_sweep): the h' decays are
// stored with c t in units of c tau0(m_h') (c tau at sin theta = 1), so the lifetime hypotheses
// 1 / sin^2(theta) are the same for every group; the decay lengths are drawn log-uniform and the
// generator weight turns them into exponential decays (importance sampling), and it carries the
// chi2 acceptance of the parameter set. Writes results.json, hepdata.yaml and one 2D exclusion
// SVG per parameter set (`darkscan run --config engine/analyses/configs/idm-darkhiggs.json`).
import type { Backend } from '../../host/backend.js';
import { runCancellable, checkpoint } from '../cancel.js';
import { llpSweep, lifetimeTable, decode96 } from '../../kernels/llp_sweep/desc.js';
import * as LY from '../../kernels/llp_sweep/layout.js';
import { ConfigError, parseValidated, type Schema } from '../config.js';
import { RANDOM_STREAM_VERSION } from '../random.js';
import { DARKSCAN_VERSION } from '../version.js';
import { GENERATOR_VERSION } from '../generate/index.js';
import { SQRT_S } from '../generate/physics.js';
import { scalarBranchingFractions, SCALAR_BRANCHING_SOURCE } from '../generate/branching.js';
import {
  CT_MAX_CM, CT_MIN_CM, IDM_FINAL_STATES, IDM_SIGMA_SOURCE, IDM_STREAM, chi2Acceptance, chi2CtauCm, channelIndex, darkHiggsCtau0Cm,
  generateIdmDecays, idmParamProblems, sigmaIdmFb, type IdmFinalState, type IdmParams,
} from '../generate/idm.js';
import { DAUGHTER_MASS } from '../llp/sample.js';
import { massWindow, parseLogGrid } from '../llp/sweep.js';
import { sidebandCounts, type DataSample } from '../llp/background.js';
import { combineChannels, LIMIT_METHODS, signalUpperLimit, type LimitMethod, type WindowCounts } from '../llp/limits.js';
import { demoData } from '../llp/analysis.js';
import { mapPlot } from '../plot/svg.js';
import { hepdataSubmissionYaml } from '../io/hepdata.js';
import type { ReportFile } from './render.js';
import { LLP_B_ANALYSES } from './llp-b.js';

export const IDM_ANALYSIS = 'idm-darkhiggs';
/** Analyses that `darkscan run` hands to an LLP-type runner rather than the one window pipeline (search.ts). */
export const LLP_TYPE_ANALYSES = [...LLP_B_ANALYSES, IDM_ANALYSIS] as const;
export const IDM_PAPER = 'Belle II, arXiv:2505.09705 (2025), "Search for a dark Higgs boson produced in association with inelastic dark matter at the Belle II experiment": 365 fb^-1, 95% CL, cut and count, background from sidebands';

// ---------------------------------------------------------------- config
const num = (min?: number, max?: number, doc?: string): Schema => ({ type: 'number', min, max, doc });
const logGrid: Schema = {
  type: 'object', required: ['min', 'max', 'n'],
  properties: { min: { type: 'number', min: 0, exclusiveMin: true }, max: { type: 'number', min: 0, exclusiveMin: true }, n: { type: 'number', integer: true, min: 1, max: 400 } },
};
export const IDM_SCHEMA: Schema = {
  type: 'object',
  required: ['analysis', 'parameter_sets'],
  properties: {
    $schema: { type: 'string' },
    description: { type: 'string' },
    paper: { type: 'string' },
    analysis: { type: 'string', enum: [IDM_ANALYSIS] },
    seed: { type: 'number', integer: true, min: 0, max: Number.MAX_SAFE_INTEGER },
    lumi_fb: { type: 'number', min: 0, max: 1e5, exclusiveMin: true },
    cl: { type: 'number', min: 0.5, max: 1, exclusiveMax: true },
    method: { type: 'string', enum: LIMIT_METHODS },
    backend: { type: 'string', enum: ['auto', 'webgpu', 'wasm', 'cpu'] },
    quick: { type: 'boolean' },
    parameter_sets: {
      type: 'array', minItems: 1, maxItems: 64,
      items: {
        type: 'object', required: ['m_A_GeV', 'm_chi1_GeV', 'dm_GeV', 'alpha_D', 'epsilon'],
        properties: {
          m_A_GeV: num(0, SQRT_S, "A' mass"), m_chi1_GeV: num(0, 5, 'chi1 mass'), dm_GeV: num(0, 1, 'm(chi2) - m(chi1)'),
          alpha_D: num(0, 4 * Math.PI), epsilon: num(0, 1, 'kinetic mixing'), label: { type: 'string' },
        },
      },
    },
    m_h_GeV: { type: 'object', required: ['min', 'max', 'n'], properties: { min: num(0, SQRT_S), max: num(0, SQRT_S), n: { type: 'number', integer: true, min: 1, max: 400 } } },
    sin_theta: logGrid,
    final_states: { type: 'array', minItems: 1, maxItems: 3, items: { type: 'string', enum: IDM_FINAL_STATES } },
    lxy_cm: { type: 'array', items: num(0, 1000), minItems: 2, maxItems: 2 },
    chi2_lxy_max_cm: num(0, 1000),
    simulation: { type: 'object', properties: { decays_per_point: { type: 'number', integer: true, min: 10, max: 1_000_000 } } },
    background: { type: 'object', properties: { events_per_final_state: { type: 'number', integer: true, min: 0, max: 10_000_000 }, sideband_k: num(0.1, 20) } },
    inject: {
      type: 'object', required: ['set', 'm_h_GeV', 'sin_theta', 'events'],
      properties: { set: { type: 'number', integer: true, min: 0, max: 63 }, m_h_GeV: num(0, SQRT_S), sin_theta: num(0, 1), events: { type: 'number', integer: true, min: 0, max: 10_000_000 } },
    },
    output: { type: 'object', properties: { dir: { type: 'string', nonEmpty: true } } },
  },
};

export interface IdmConfig {
  readonly analysis: typeof IDM_ANALYSIS;
  readonly description?: string;
  readonly paper?: string;
  readonly seed?: number;
  readonly lumi_fb?: number;
  readonly cl?: number;
  readonly method?: LimitMethod;
  readonly backend?: 'auto' | 'webgpu' | 'wasm' | 'cpu';
  readonly quick?: boolean;
  readonly parameter_sets: readonly { m_A_GeV: number; m_chi1_GeV: number; dm_GeV: number; alpha_D: number; epsilon: number; label?: string }[];
  readonly m_h_GeV?: { min: number; max: number; n: number };
  readonly sin_theta?: { min: number; max: number; n: number };
  readonly final_states?: readonly IdmFinalState[];
  readonly lxy_cm?: readonly [number, number];
  readonly chi2_lxy_max_cm?: number;
  readonly simulation?: { decays_per_point?: number };
  readonly background?: { events_per_final_state?: number; sideband_k?: number };
  readonly inject?: { set: number; m_h_GeV: number; sin_theta: number; events: number };
  readonly output?: { dir?: string };
}

/** The analysis name of a config text (null: not JSON or no string 'analysis'). */
export function configAnalysis(text: string): string | null {
  try {
    const v = JSON.parse(text);
    return typeof v?.analysis === 'string' ? v.analysis : null;
  } catch {
    return null;
  }
}

/** Parses and validates an iDM config; a ConfigError lists every problem with its JSON path. */
export function parseIdmConfig(text: string, source = 'config'): IdmConfig {
  const c = parseValidated<IdmConfig>(text, IDM_SCHEMA, source);
  const errs: string[] = [];
  c.parameter_sets.forEach((p, i) => {
    for (const m of idmParamProblems(setParams(p))) errs.push(`config.parameter_sets[${i}].${m}`);
  });
  const g = c.m_h_GeV;
  if (g && !(g.min < g.max || (g.n === 1 && g.min === g.max))) errs.push(`config.m_h_GeV.max: must be > min (${g.min}), got ${g.max}`);
  const fs = c.final_states ?? IDM_FINAL_STATES;
  const thr = Math.min(...fs.map((f) => 2 * DAUGHTER_MASS[f]));
  if (g && !(g.min > thr)) errs.push(`config.m_h_GeV.min: must be above the lowest final-state threshold ${thr.toFixed(4)} GeV, got ${g.min}`);
  const s = c.sin_theta;
  if (s && !(s.min <= s.max && s.max <= 1)) errs.push(`config.sin_theta: expected 0 < min <= max <= 1, got [${s.min}, ${s.max}]`);
  if (c.lxy_cm && !(c.lxy_cm[0] < c.lxy_cm[1])) errs.push(`config.lxy_cm[1]: must be > lxy_cm[0] (${c.lxy_cm[0]}), got ${c.lxy_cm[1]}`);
  if (c.inject) {
    const p = c.parameter_sets[c.inject.set];
    if (!p) errs.push(`config.inject.set: no parameter set ${c.inject.set} (have ${c.parameter_sets.length})`);
    else if (!(c.inject.m_h_GeV < 2 * p.m_chi1_GeV && c.inject.m_h_GeV + p.m_A_GeV < SQRT_S)) errs.push(`config.inject.m_h_GeV: ${c.inject.m_h_GeV} GeV is outside the model range of set ${c.inject.set} (m_h' < 2 m(chi1) = ${2 * p.m_chi1_GeV}, m_A' + m_h' < sqrt(s))`);
    if (!(c.inject.sin_theta > 0)) errs.push(`config.inject.sin_theta: expected a number in (0, 1], got ${c.inject.sin_theta}`);
  }
  if (errs.length) throw new ConfigError(source, errs);
  return c;
}

function setParams(p: IdmConfig['parameter_sets'][number]): IdmParams {
  return { mA: p.m_A_GeV, mChi1: p.m_chi1_GeV, dm: p.dm_GeV, alphaD: p.alpha_D, eps: p.epsilon };
}

// ---------------------------------------------------------------- the search
export interface IdmRunOptions {
  readonly quick?: boolean;
  readonly progress?: (s: string) => void;
  readonly signal?: AbortSignal;
  /** Test mode: every h' flies with this transverse beta gamma (efficiencies then have a closed form). */
  readonly fixedBgT?: number;
}

/** Sample sizes of quick mode (tests, a first look). */
export const IDM_QUICK = { decaysPerPoint: 300, mhPoints: 8, sinThetaPoints: 13 };

/** Is the h' mass point in the model range of a set (h' decays only through the mixing: m_h' < 2 m(chi1); A' h' on shell)? */
function inModel(p: IdmParams, mh: number): boolean {
  return mh < 2 * p.mChi1 && p.mA + mh < SQRT_S;
}

export async function runIdm(backend: Backend, c: IdmConfig, o: IdmRunOptions = {}): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const timing: Record<string, number> = {};
  const lap = (k: string, since: number) => (timing[k] = Math.round(performance.now() - since) / 1000);
  const progress = o.progress ?? (() => {});
  const quick = o.quick ?? c.quick ?? false;
  const seed = c.seed ?? 1, lumi = c.lumi_fb ?? 365, cl = c.cl ?? 0.95, method = c.method ?? 'cls-n';
  const fs = [...(c.final_states ?? IDM_FINAL_STATES)];
  const g = c.m_h_GeV ?? { min: 0.3, max: 3.9, n: 25 };
  const nM = quick ? Math.min(g.n, IDM_QUICK.mhPoints) : g.n;
  const masses = Array.from({ length: nM }, (_, i) => +(nM === 1 ? g.min : g.min + ((g.max - g.min) * i) / (nM - 1)).toPrecision(6));
  const st = c.sin_theta ?? { min: 1e-6, max: 1e-2, n: 41 };
  const sinT = parseLogGrid(`${st.min}:${st.max}:${quick ? Math.min(st.n, IDM_QUICK.sinThetaPoints) : st.n}`, 'config.sin_theta');
  const lxyWin = c.lxy_cm ?? [0.2, 60];
  const chi2Max = c.chi2_lxy_max_cm ?? 60;
  const perPoint = quick ? Math.min(c.simulation?.decays_per_point ?? 1500, IDM_QUICK.decaysPerPoint) : c.simulation?.decays_per_point ?? 1500;
  const sets = c.parameter_sets.map(setParams);
  const nS = sets.length, nC = fs.length, L = sinT.length;
  // Lifetimes in units of c tau0(m_h'): 1 / sin^2(theta); the reference (generation) lifetime is the longest.
  const tauNorm = sinT.map((s) => 1 / (s * s));
  const tauGen = Math.max(...tauNorm);
  const lnR = Math.log(CT_MAX_CM / CT_MIN_CM);

  // 1. Signal decays per (set, m_h', final state) group, contiguous; weight = density ratio x chi2 acceptance.
  let t = performance.now();
  const G = nS * nM * nC;
  const parts: { ctNorm: Float32Array; lxy: Float32Array; mred: Float32Array; gw: Float32Array }[] = [];
  const range = new Uint32Array(LY.RANGE_WORDS * G), win = new Float32Array(LY.WIN_WORDS * G), nGen = new Uint32Array(G);
  let at = 0, ctMax = 0, gwMax = 0, maxRange = 1;
  for (let s = 0; s < nS; s++) {
    const ctau2 = chi2CtauCm(sets[s]);
    for (let im = 0; im < nM; im++) {
      progress(`signal decays: set ${s + 1} / ${nS}, m_h' = ${masses[im].toFixed(3)} GeV`);
      for (let ic = 0; ic < nC; ic++) {
        const gi = (s * nM + im) * nC + ic, f = fs[ic];
        const w = massWindow(masses[im], f);
        win[LY.WIN_WORDS * gi + LY.WIN_MRED_LO] = w.lo; win[LY.WIN_WORDS * gi + LY.WIN_MRED_HI] = w.hi;
        win[LY.WIN_WORDS * gi + LY.WIN_LXY_LO] = lxyWin[0]; win[LY.WIN_WORDS * gi + LY.WIN_LXY_HI] = lxyWin[1];
        range[LY.RANGE_WORDS * gi + LY.RANGE_START] = at;
        if (inModel(sets[s], masses[im]) && masses[im] > 2 * DAUGHTER_MASS[f]) {
          const d = await generateIdmDecays({ params: sets[s], mh: masses[im], channel: f, n: perPoint, seed, cell: gi, backend, signal: o.signal, fixedBgT: o.fixedBgT });
          const gw = new Float32Array(perPoint);
          for (let k = 0; k < perPoint; k++) {
            // Exp(t'; tauGen) / g(t'), g the log-uniform density 1 / (t' ln R): (t' / tauGen) e^(-t'/tauGen) ln R
            const x = d.ctNorm[k] / tauGen;
            gw[k] = x * Math.exp(-x) * lnR * chi2Acceptance(d.bgTChi2[k], ctau2, chi2Max);
            gwMax = Math.max(gwMax, gw[k]);
            ctMax = Math.max(ctMax, d.ctNorm[k]);
          }
          parts.push({ ctNorm: d.ctNorm, lxy: d.lxy, mred: d.mred, gw });
          at += perPoint;
          nGen[gi] = perPoint;
          maxRange = Math.max(maxRange, perPoint);
        }
        range[LY.RANGE_WORDS * gi + LY.RANGE_END] = at;
      }
    }
  }
  const cat = (k: 'ctNorm' | 'lxy' | 'mred' | 'gw') => {
    const out = new Float32Array(Math.max(1, at));
    let o2 = 0;
    for (const p of parts) (out.set(p[k], o2), (o2 += p[k].length));
    return out;
  };
  const inputs = { ct: cat('ctNorm'), lxy: cat('lxy'), mred: cat('mred'), gw: cat('gw'), grp_range: range, grp_win: win, life: lifetimeTable(tauGen, tauNorm, ctMax, gwMax, maxRange) };
  lap('signal', t);

  // 2. One llp_sweep dispatch: efficiency of every (set, m_h', final state, sin theta) cell.
  t = performance.now();
  progress(`efficiency sweep: ${G} groups x ${L} sin(theta) values on ${backend.name}`);
  const out = await runCancellable(backend, llpSweep, { count: G * L, params: { n_life: L }, inputs }, o.signal);
  const eff = new Float64Array(G * L), effErr = new Float64Array(G * L);
  for (let gi = 0; gi < G; gi++) {
    for (let j = 0; j < L; j++) {
      const i = gi * L + j;
      if (!nGen[gi]) continue;
      eff[i] = decode96(out.acc, LY.LLP_OUT_WORDS * i + LY.ACC_W, inputs.life[LY.LIFE_SCALE_W * L + j]) / nGen[gi];
      effErr[i] = Math.sqrt(decode96(out.acc, LY.LLP_OUT_WORDS * i + LY.ACC_W2, inputs.life[LY.LIFE_SCALE_W2 * L + j])) / nGen[gi];
    }
  }
  lap('sweep', t);

  // 3. Data (illustrative background, plus any injected signal) and sideband counts per (m_h', final state).
  t = performance.now();
  const nBg = c.background?.events_per_final_state ?? 300;
  const bg = await demoData(backend, seed, nBg, fs, o.signal);
  let data: DataSample = bg;
  let injected: Record<string, unknown> | null = null;
  if (c.inject && c.inject.events > 0) {
    const inj = await injectedEvents(backend, c, sets, seed, chi2Max, fs);
    data = { mred: Float64Array.from([...bg.mred, ...inj.mred]), lxy: Float64Array.from([...bg.lxy, ...inj.lxy]), channel: Uint8Array.from([...bg.channel, ...inj.channel]) };
    injected = inj.info;
  }
  const windows = masses.flatMap((m) => fs.map((f) => massWindow(m, f)));
  const counts: WindowCounts[] = sidebandCounts(data, windows, fs, lxyWin, c.background?.sideband_k ?? 2);
  lap('data', t);

  // 4. Limits: per final state (on sigma x B(chi2 -> chi1 ee) x B(h' -> xx)), combined under the
  // Higgs-mixed scalar's B(h' -> xx) (on sigma x B(chi2 -> chi1 ee)), and the exclusion in (m_h', sin theta).
  t = performance.now();
  const sUp = counts.map((w) => signalUpperLimit(w, method, cl));
  const r = (x: number) => (Number.isFinite(x) ? +x.toPrecision(5) : null);
  const resultSets = [];
  for (let s = 0; s < nS; s++) {
    await checkpoint(o.signal);
    progress(`limits: set ${s + 1} / ${nS}`);
    const p = sets[s];
    const points = [];
    for (let im = 0; im < nM; im++) {
      const mh = masses[im];
      if (!inModel(p, mh)) {
        points.push({ m_h_GeV: mh, in_model: false });
        continue;
      }
      const br = scalarBranchingFractions(mh);
      const sigma = sigmaIdmFb(p, mh); // x B(chi2 -> chi1 ee) = 1 (dm < 2 m_mu)
      const channels = fs.map((f, ic) => {
        const gi = (s * nM + im) * nC + ic, w = im * nC + ic;
        const e = eff.subarray(gi * L, (gi + 1) * L);
        return {
          final_state: f, br_model: r(br[f]), window_GeV: [r(windows[w].lo), r(windows[w].hi)], n_obs: counts[w].n, b: r(counts[w].b), sigma_b: r(counts[w].sigmaB ?? 0), s_up: r(sUp[w]),
          efficiency: Array.from(e, r), efficiency_err: Array.from(effErr.subarray(gi * L, (gi + 1) * L), r),
          limit_fb: Array.from(e, (x) => r(x > 0 ? sUp[w] / (lumi * x) : Infinity)),
        };
      });
      const combined = new Array<number | null>(L), ratio = new Array<number | null>(L);
      for (let j = 0; j < L; j++) {
        const chans = fs.map((f, ic) => ({ n: counts[im * nC + ic].n, b: counts[im * nC + ic].b, a: lumi * eff[((s * nM + im) * nC + ic) * L + j] * br[f] }));
        const mu = combineChannels(chans, cl);
        combined[j] = r(mu);
        ratio[j] = r(mu / sigma);
      }
      const excl = sinT.filter((_, j) => ratio[j] !== null && (ratio[j] as number) < 1);
      points.push({
        m_h_GeV: mh, in_model: true, ctau0_cm: r(darkHiggsCtau0Cm(mh)), ctau_cm: sinT.map((x) => r(darkHiggsCtau0Cm(mh) / (x * x))), sigma_fb: r(sigma),
        channels, combined_limit_fb: combined, ratio_to_model: ratio,
        excluded_sin_theta: excl.length ? [r(Math.min(...excl)), r(Math.max(...excl))] : null,
      });
    }
    const cfg = c.parameter_sets[s];
    resultSets.push({ set: s, label: cfg.label ?? `set ${s}`, m_A_GeV: p.mA, m_chi1_GeV: p.mChi1, m_chi2_GeV: +(p.mChi1 + p.dm).toPrecision(8), dm_GeV: p.dm, alpha_D: p.alphaD, epsilon: p.eps, ctau_chi2_cm: r(chi2CtauCm(p)), points });
  }
  lap('limits', t);
  timing.total = Math.round(performance.now() - t0) / 1000;
  return {
    kind: 'darkscan-llp-search', schema: 'darkscan-idm/1', analysis: IDM_ANALYSIS,
    title: "e+e- -> A' h', A' -> chi1 chi2, chi2 -> chi1 e+e-, h' -> mu mu / pi pi / K K (displaced): (m_h', sin theta) scan",
    paper: c.paper ?? IDM_PAPER, description: c.description ?? null,
    seed, stream: IDM_STREAM, stream_version: RANDOM_STREAM_VERSION, generator_version: GENERATOR_VERSION, darkscan_version: DARKSCAN_VERSION,
    lumi_fb: lumi, cl, method, backend: { name: backend.name, ...backend.info().details }, quick,
    units: { mass: 'GeV', ctau: 'cm', lxy: 'cm', limit_fb: "fb: sigma(e+e- -> A'h') x B(A' -> chi1 chi2) x B(chi2 -> chi1 ee) x B(h' -> xx) per final state", combined_limit_fb: "fb: sigma x B(chi2 -> chi1 ee) under br_model", ratio_to_model: 'combined_limit_fb / sigma_fb (< 1: excluded)' },
    m_h_GeV: masses, sin_theta: sinT.map((x) => +x.toPrecision(6)), final_states: fs, lxy_window_cm: lxyWin, chi2_lxy_max_cm: chi2Max,
    samples: { decays_per_point: perPoint, ct_sampling_cm: [CT_MIN_CM, CT_MAX_CM], background: `ILLUSTRATIVE: flat M_red, lxy exponential (mean 0.2 cm), ${nBg} events per final state (engine/llp/analysis.ts demoData), not Belle II data` },
    injected,
    br_model: SCALAR_BRANCHING_SOURCE,
    sigma_source: IDM_SIGMA_SOURCE,
    formulas: {
      ctau_chi2: 'Gamma(chi2 -> chi1 e+e-) = 4 eps^2 alpha alpha_D dm^5 / (15 pi m_A^4) (Izaguirre, Krnjaic, Shuve, PRD 93 (2016) 063523)',
      ctau_h: "c tau(h') = c tau0(m_h') / sin^2(theta), Gamma(h' -> ll) = sin^2(theta) G_F m_l^2 m_h' beta^3 / (4 sqrt2 pi), total from br_model",
      sigma: IDM_SIGMA_SOURCE,
    },
    parameter_sets: resultSets,
    timing_s: timing,
    notes: [
      'Selection (simplified from arXiv:2505.09705): a pointing h\' -> xx vertex with lxy in lxy_window_cm and M_red in +-2 sigma of the h\' mass; the chi2 -> chi1 e+e- vertex inside lxy < chi2_lxy_max_cm (its probability enters as an event weight). No tracking, trigger or vertexing efficiency is simulated.',
      'Efficiencies from one llp_sweep kernel dispatch over every (set, m_h\', final state, sin theta) cell: c t in units of c tau0(m_h\') makes the lifetime hypotheses 1/sin^2(theta) common to all groups; c t drawn log-uniform and reweighted (importance sampling).',
      'Per final state limits: s_up (the window\'s count limit, by `method`) / (L x efficiency); combination: product of the final states\' Poisson likelihoods, flat prior (engine/llp/limits.ts combineChannels), each weighted by the Higgs-mixed scalar\'s B(h\' -> xx).',
      "Points with m_h' >= 2 m(chi1) (h' -> chi1 chi1 opens) or m_A' + m_h' >= sqrt(s) are outside the model range (in_model: false).",
      `Cross section ${IDM_SIGMA_SOURCE}.`,
      'Parameter sets and background are ILLUSTRATIVE (the paper shows ~30 configurations; its exact parameter values and background yields are not used).',
    ],
  };
}

/** Injected signal: `events` produced A'h' events of set `inject.set` at (m_h', sin theta): each h' decays to a final state drawn from br_model (else not kept), chi2 decays drawn exponentially. */
async function injectedEvents(backend: Backend, c: IdmConfig, sets: IdmParams[], seed: number, chi2Max: number, fs: IdmFinalState[]) {
  const inj = c.inject!, p = sets[inj.set];
  const ctau = darkHiggsCtau0Cm(inj.m_h_GeV) / (inj.sin_theta * inj.sin_theta), ctau2 = chi2CtauCm(p);
  const br = scalarBranchingFractions(inj.m_h_GeV);
  const mred: number[] = [], lxy: number[] = [], channel: number[] = [];
  const perState: Record<string, number> = {};
  for (const [ic, f] of fs.entries()) {
    // Events of each final state: its share of the produced events (expected count, rounded).
    const n = Math.round(inj.events * br[f]);
    perState[f] = 0;
    if (n === 0 || !(inj.m_h_GeV > 2 * DAUGHTER_MASS[f])) continue;
    const d = await generateIdmDecays({ params: p, mh: inj.m_h_GeV, channel: f, n, seed: seed + 1, cell: 0x7f000000 + ic, backend, ctauCm: ctau });
    for (let k = 0; k < n; k++) {
      const l2 = -ctau2 * Math.log(1 - d.uChi2[k]) * d.bgTChi2[k]; // chi2 transverse flight
      if (l2 >= chi2Max) continue;
      mred.push(d.mred[k]); lxy.push(d.lxy[k]); channel.push(channelIndex(f));
      perState[f]++;
    }
  }
  return {
    mred, lxy, channel,
    info: { set: inj.set, m_h_GeV: inj.m_h_GeV, sin_theta: inj.sin_theta, ctau_h_cm: +ctau.toPrecision(6), produced: inj.events, kept_with_chi2_inside: perState, key: { seed: seed + 1, stream: IDM_STREAM } },
  };
}

// ---------------------------------------------------------------- report
function hepdata2D(name: string, xs: number[], ys: number[], zs: (number | null)[], zName: string, zUnits: string, quals: Record<string, string | number>): string {
  const keep = zs.map((z, i) => (z !== null && Number.isFinite(z) ? i : -1)).filter((i) => i >= 0);
  if (!keep.length) return `# ${name}\n# no point with a finite value\nindependent_variables: []\ndependent_variables: []\n`;
  const lines = [
    'independent_variables:',
    `- header: {name: "M_{h'}", units: GeV}`, '  values:', ...keep.map((i) => `  - {value: ${xs[i]}}`),
    '- header: {name: "SIN(THETA)"}', '  values:', ...keep.map((i) => `  - {value: ${ys[i]}}`),
    'dependent_variables:',
    `- header: {name: ${JSON.stringify(zName)}, units: ${JSON.stringify(zUnits)}}`,
    '  qualifiers:', ...Object.entries(quals).map(([k, v]) => `  - {name: ${JSON.stringify(k)}, value: ${JSON.stringify(v)}}`),
    '  values:', ...keep.map((i) => `  - {value: ${zs[i]}}`),
  ];
  return `# ${name}\n${lines.join('\n')}\n`;
}

/** results.json, hepdata.yaml with one table per parameter set, and a 2D exclusion SVG per set. */
export function renderIdm(res: Record<string, unknown>): ReportFile[] {
  const files: ReportFile[] = [{ name: 'results.json', text: JSON.stringify(res, null, 1), kind: 'json' }];
  const sinT = res.sin_theta as number[], cl = res.cl as number;
  const tables: { name: string; description: string; dataFile: string; keywords?: Record<string, string[]> }[] = [];
  for (const set of res.parameter_sets as { set: number; label: string; m_A_GeV: number; m_chi1_GeV: number; dm_GeV: number; alpha_D: number; epsilon: number; points: { m_h_GeV: number; in_model: boolean; ratio_to_model?: (number | null)[]; combined_limit_fb?: (number | null)[] }[] }[]) {
    const xs: number[] = [], ys: number[] = [], ratio: (number | null)[] = [], lim: (number | null)[] = [];
    const ms = set.points.map((p) => p.m_h_GeV);
    const dmh = ms.length > 1 ? (ms[ms.length - 1] - ms[0]) / (ms.length - 1) / 2 : 0.05;
    const step = sinT.length > 1 ? Math.sqrt(sinT[1] / sinT[0]) : 1.2;
    for (const p of set.points) {
      if (!p.in_model) continue;
      sinT.forEach((s, j) => (xs.push(p.m_h_GeV), ys.push(s), ratio.push(p.ratio_to_model![j]), lim.push(p.combined_limit_fb![j])));
    }
    const tag = `set${set.set}`;
    const desc = `m_A' = ${set.m_A_GeV} GeV, m(chi1) = ${set.m_chi1_GeV} GeV, dm = ${set.dm_GeV} GeV, alpha_D = ${set.alpha_D}, eps = ${set.epsilon}`;
    const quals = { 'SQRT(S)': '10.58 GeV', LUMINOSITY: `${res.lumi_fb} fb^-1`, CL: `${Math.round(cl * 100)}%`, PARAMETERS: desc };
    const reactions = { reactions: ["E+ E- --> A' H', A' --> CHI1 CHI2"] };
    files.push({ name: `hepdata_${tag}_ratio.yaml`, kind: 'hepdata', text: hepdata2D(`iDM + dark Higgs, ${desc}`, xs, ys, ratio, 'combined limit / model cross section', '', quals) });
    files.push({ name: `hepdata_${tag}_limit.yaml`, kind: 'hepdata', text: hepdata2D(`iDM + dark Higgs, ${desc}`, xs, ys, lim, 'SIG x B(chi2 -> chi1 e+e-)', 'fb', quals) });
    tables.push({ name: `Exclusion, ${set.label}`, description: `${Math.round(cl * 100)}% CL combined (mu mu, pi pi, K K) upper limit over the model cross section in the (m_h', sin theta) plane; < 1 excluded. ${desc}`, dataFile: `hepdata_${tag}_ratio.yaml`, keywords: reactions });
    tables.push({ name: `Combined limit, ${set.label}`, description: `${Math.round(cl * 100)}% CL upper limit on sigma(e+e- -> A'h') x B(chi2 -> chi1 e+e-) in the (m_h', sin theta) plane. ${desc}`, dataFile: `hepdata_${tag}_limit.yaml`, keywords: { ...reactions, observables: ['SIG'] } });
    const okR = ratio.map((v) => (v === null ? NaN : Math.min(1e4, Math.max(1e-4, v))));
    files.push({
      name: `exclusion_${tag}.svg`, kind: 'svg',
      text: mapPlot({
        title: `iDM + dark Higgs, ${set.label}: ${Math.round(cl * 100)}% CL σ_UL / σ_model (< 1 excluded)`,
        x: { label: "m_h' [GeV]" }, y: { label: 'sin θ', log: true }, px: xs, py: ys, value: okR, valueLabel: 'σ_UL / σ_model (log)', logValue: true,
        rx: xs.map(() => dmh), ry: ys.map((y) => y * (step - 1)),
        note: `${desc}; ${res.lumi_fb} fb^-1, simulation, illustrative background and cross section`,
      }),
    });
  }
  files.push({ name: 'hepdata.yaml', kind: 'hepdata', text: hepdataSubmissionYaml(tables, `darkscan ${IDM_ANALYSIS}, simulated data, seed ${res.seed}, ${res.lumi_fb} fb^-1`) });
  return files;
}
