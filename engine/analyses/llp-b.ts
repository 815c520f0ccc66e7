// B -> K S long-lived scalar searches as `darkscan run` configs (Belle II PRD 108 (2023) L111104,
// 189 fb^-1, 95% CL): b-kplus-llp (B+ -> K+ S) and b-kstar0-llp (B0 -> K*0(-> K+ pi-) S). This file
// reads the config (seed, N_BB or luminosity, CL, lifetimes, channels, ...) into a run of the one
// pipeline (search.ts runSearch with the definitions of searches-llp.ts, as `darkscan llp --demo
// --production K+|K*0`); render.ts writes the report. model 'fit' (the default, as the paper fits
// M_red): a binned fit per (m_S, channel), engine/llp/fit.ts.
import { CHANNELS, type Channel, type Production } from '../llp/sample.js';
import { parseLogGrid } from '../llp/sweep.js';
import { LIMIT_METHODS, type LimitMethod } from '../llp/limits.js';
import { LLP_DEMO_MASSES } from '../llp/analysis.js';
import { ConfigError, parseValidated, type Schema } from '../config.js';
import type { CellSearchOptions } from './search.js';
import { LLP_B_PAPER, LLP_B_SEARCHES, NBB_PER_FB, type LlpBSettings } from './searches-llp.js';

export { LLP_B_PAPER, NBB_PER_FB };

/** Analysis name -> production mode. */
export const LLP_B_PRODUCTION = { 'b-kplus-llp': 'K+', 'b-kstar0-llp': 'K*0' } as const satisfies Record<string, Production>;
export type LlpBAnalysis = keyof typeof LLP_B_PRODUCTION;
export const LLP_B_ANALYSES = Object.keys(LLP_B_PRODUCTION) as LlpBAnalysis[];
/** Quick mode (tests, a first look): at most these sample sizes. */
export const LLP_B_QUICK = { perCell: 300, lifetimes: 13 };

const num = (min: number, max: number, doc?: string): Schema => ({ type: 'number', min, max, doc });
export const LLP_B_SCHEMA: Schema = {
  type: 'object',
  required: ['analysis'],
  properties: {
    $schema: { type: 'string' },
    description: { type: 'string' },
    paper: { type: 'string' },
    analysis: { type: 'string', enum: LLP_B_ANALYSES },
    seed: { type: 'number', integer: true, min: 0, max: 0xffffffff },
    n_BBbar: num(1, 1e12, 'number of B Bbar pairs (default 198e6)'),
    lumi_fb: { type: 'number', min: 0, max: 1e5, exclusiveMin: true, doc: 'luminosity; N_BB = lumi_fb x 198e6 / 189' },
    cl: num(0.5, 0.9999),
    method: { type: 'string', enum: LIMIT_METHODS, doc: "counting limits (model 'window'; the fit model's cells with little background)" },
    model: { type: 'string', enum: ['fit', 'window'], doc: "'fit' (default, as the paper): binned fit of M_red per (m_S, channel); 'window': counting in +-nsigma windows" },
    inject: { type: 'object', required: ['m_S_GeV', 'channel', 'events'], properties: { m_S_GeV: num(0, 5), channel: { type: 'string', enum: CHANNELS }, events: { type: 'number', integer: true, min: 1, max: 1e7 }, ctau_cm: { type: 'number', min: 1e-6, max: 1e6 } } },
    backend: { type: 'string', enum: ['auto', 'webgpu', 'wasm', 'cpu'] },
    quick: { type: 'boolean' },
    masses_GeV: { type: 'array', items: num(0, 5), minItems: 1, maxItems: 400 },
    lifetimes_cm: { type: 'object', required: ['min', 'max', 'n'], properties: { min: { type: 'number', min: 0, exclusiveMin: true }, max: { type: 'number', min: 0, exclusiveMin: true }, n: { type: 'number', integer: true, min: 1, max: 400 } } },
    channels: { type: 'array', items: { type: 'string', enum: CHANNELS }, minItems: 1, maxItems: 4 },
    lxy_cm: { type: 'array', items: num(0, 1000), minItems: 2, maxItems: 2 },
    nsigma: num(0.1, 100),
    ctau_gen_cm: { type: 'number', min: 1e-6, max: 1e6, doc: 'one generated c tau (lifetimes above it are refused); default: a log-spaced mixture spanning lifetimes_cm' },
    simulation: { type: 'object', properties: { events_per_cell: { type: 'number', integer: true, min: 10, max: 1_000_000 } } },
    output: { type: 'object', properties: { dir: { type: 'string', nonEmpty: true } } },
  },
};

export interface LlpBConfig {
  readonly analysis: LlpBAnalysis;
  readonly description?: string;
  readonly paper?: string;
  readonly seed?: number;
  readonly n_BBbar?: number;
  readonly lumi_fb?: number;
  readonly cl?: number;
  readonly method?: LimitMethod;
  readonly model?: 'fit' | 'window';
  readonly inject?: { m_S_GeV: number; channel: Channel; events: number; ctau_cm?: number };
  readonly backend?: 'auto' | 'webgpu' | 'wasm' | 'cpu';
  readonly quick?: boolean;
  readonly masses_GeV?: readonly number[];
  readonly lifetimes_cm?: { min: number; max: number; n: number };
  readonly channels?: readonly Channel[];
  readonly lxy_cm?: readonly [number, number];
  readonly nsigma?: number;
  readonly ctau_gen_cm?: number;
  readonly simulation?: { events_per_cell?: number };
  readonly output?: { dir?: string };
}

/** Parses and validates a B -> K S LLP config; a ConfigError lists every problem with its JSON path. */
export function parseLlpBConfig(text: string, source = 'config'): LlpBConfig {
  const c = parseValidated<LlpBConfig>(text, LLP_B_SCHEMA, source);
  const errs: string[] = [];
  if (c.n_BBbar !== undefined && c.lumi_fb !== undefined) errs.push('config.lumi_fb: give n_BBbar or lumi_fb, not both');
  const g = c.lifetimes_cm;
  if (g && !(g.min <= g.max)) errs.push(`config.lifetimes_cm.max: must be >= min (${g.min}), got ${g.max}`);
  if (c.lxy_cm && !(c.lxy_cm[0] < c.lxy_cm[1])) errs.push(`config.lxy_cm[1]: must be > lxy_cm[0] (${c.lxy_cm[0]}), got ${c.lxy_cm[1]}`);
  if (errs.length) throw new ConfigError(source, errs);
  return c;
}

/** A config as a run of the pipeline: its definition (searches-llp.ts) and options. quick: at most LLP_B_QUICK sample sizes. */
export function llpBRun(c: LlpBConfig, quick = c.quick ?? false): { def: (typeof LLP_B_SEARCHES)[Production]; options: CellSearchOptions<LlpBSettings> } {
  const production = LLP_B_PRODUCTION[c.analysis];
  const g = c.lifetimes_cm ?? { min: 1e-3, max: 1e3, n: 50 };
  const ctaus = parseLogGrid(`${g.min}:${g.max}:${quick ? Math.min(g.n, LLP_B_QUICK.lifetimes) : g.n}`, 'config.lifetimes_cm');
  const perCell = c.simulation?.events_per_cell ?? 2000;
  const nBBbar = c.n_BBbar ?? (c.lumi_fb !== undefined ? c.lumi_fb * NBB_PER_FB : 198e6);
  return {
    def: LLP_B_SEARCHES[production],
    options: {
      seed: c.seed ?? 1, cl: c.cl ?? 0.95, method: c.method ?? 'cls-n', lumiFb: c.lumi_fb, paper: c.paper ?? LLP_B_PAPER,
      settings: {
        masses: [...(c.masses_GeV ?? LLP_DEMO_MASSES)], channels: [...(c.channels ?? CHANNELS)], ctaus, lxyWindow: [...(c.lxy_cm ?? [0.05, 60])] as [number, number], nSigma: c.nsigma ?? 2,
        nBBbar, model: c.model ?? 'fit',
        demo: { perCell: quick ? Math.min(perCell, LLP_B_QUICK.perCell) : perCell, ctauGenCm: c.ctau_gen_cm, ...(c.inject ? { inject: { mass: c.inject.m_S_GeV, channel: c.inject.channel, events: c.inject.events, ctauCm: c.inject.ctau_cm } } : {}) },
        resultFields: { ...(c.lumi_fb !== undefined ? { lumi_fb: c.lumi_fb } : {}), quick, illustrative: 'generated signal (darkscan llp --demo) and an illustrative background, not Belle II data' },
      },
    },
  };
}
