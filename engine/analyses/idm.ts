// Inelastic dark matter with a dark Higgs (the talk's "NEW" LLP search; Belle II arXiv:2505.09705,
// 365 fb^-1, 95% CL) as a `darkscan run` config: this file reads the config (parameter sets, the
// (m_h', sin theta) grid, final states, windows, sample sizes, injection) into a run of the one
// pipeline (search.ts runSearch with the cell-model definition IDM_DARKHIGGS of searches-llp.ts:
// one llp_sweep dispatch for every (set, m_h', final state, sin theta) cell, sideband counts,
// limits per final state and combined); render.ts writes results.json, hepdata.yaml and one 2D
// exclusion SVG per parameter set (`darkscan run --config engine/analyses/configs/idm-darkhiggs.json`).
import { ConfigError, parseValidated, type Schema } from '../config.js';
import { SQRT_S } from '../generate/physics.js';
import { IDM_FINAL_STATES, idmParamProblems, type IdmFinalState, type IdmParams } from '../generate/idm.js';
import { DAUGHTER_MASS } from '../llp/sample.js';
import { parseLogGrid } from '../llp/sweep.js';
import { LIMIT_METHODS, type LimitMethod } from '../llp/limits.js';
import { CELL_SEARCH_NAMES, type CellSearchOptions } from './search.js';
import { IDM_DARKHIGGS, IDM_PAPER, type IdmSettings } from './searches-llp.js';

export { IDM_PAPER };
export const IDM_ANALYSIS = 'idm-darkhiggs';
/** Analyses with a config schema of their own (llp-b.ts, this file): the cell-model searches of the pipeline (search.ts). */
export const LLP_TYPE_ANALYSES = CELL_SEARCH_NAMES;

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

// ---------------------------------------------------------------- a run of the pipeline
/** Sample sizes of quick mode (tests, a first look). */
export const IDM_QUICK = { decaysPerPoint: 300, mhPoints: 8, sinThetaPoints: 13 };

/** A config as a run of the pipeline: the definition (searches-llp.ts IDM_DARKHIGGS) and options. quick: at most IDM_QUICK sample sizes; fixedBgT: the test mode of IdmSettings. */
export function idmRun(c: IdmConfig, o: { quick?: boolean; fixedBgT?: number } = {}): { def: typeof IDM_DARKHIGGS; options: CellSearchOptions<IdmSettings> } {
  const quick = o.quick ?? c.quick ?? false;
  const g = c.m_h_GeV ?? { min: 0.3, max: 3.9, n: 25 };
  const nM = quick ? Math.min(g.n, IDM_QUICK.mhPoints) : g.n;
  const st = c.sin_theta ?? { min: 1e-6, max: 1e-2, n: 41 };
  return {
    def: IDM_DARKHIGGS,
    options: {
      seed: c.seed ?? 1, lumiFb: c.lumi_fb ?? 365, cl: c.cl ?? 0.95, method: c.method ?? 'cls-n', paper: c.paper ?? IDM_PAPER,
      settings: {
        sets: c.parameter_sets.map(setParams), labels: c.parameter_sets.map((p, i) => p.label ?? `set ${i}`),
        masses: Array.from({ length: nM }, (_, i) => +(nM === 1 ? g.min : g.min + ((g.max - g.min) * i) / (nM - 1)).toPrecision(6)),
        sinTheta: parseLogGrid(`${st.min}:${st.max}:${quick ? Math.min(st.n, IDM_QUICK.sinThetaPoints) : st.n}`, 'config.sin_theta'),
        finalStates: [...(c.final_states ?? IDM_FINAL_STATES)], lxyWindow: c.lxy_cm ?? [0.2, 60], chi2LxyMax: c.chi2_lxy_max_cm ?? 60,
        decaysPerPoint: quick ? Math.min(c.simulation?.decays_per_point ?? 1500, IDM_QUICK.decaysPerPoint) : c.simulation?.decays_per_point ?? 1500,
        backgroundPerFinalState: c.background?.events_per_final_state ?? 300, sidebandK: c.background?.sideband_k ?? 2,
        ...(c.inject ? { inject: c.inject } : {}), ...(o.fixedBgT !== undefined ? { fixedBgT: o.fixedBgT } : {}),
        resultFields: { description: c.description ?? null, quick },
      },
    },
  };
}
