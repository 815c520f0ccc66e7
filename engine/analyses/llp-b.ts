// B -> K S long-lived scalar searches as `darkscan run` configs (Belle II PRD 108 (2023) L111104,
// 189 fb^-1, 95% CL): b-kplus-llp (B+ -> K+ S) and b-kstar0-llp (B0 -> K*0(-> K+ pi-) S). The
// computation is `darkscan llp --demo --production K+|K*0` (engine/llp/analysis.ts runLlpDemo);
// this file reads the config (seed, N_BB or luminosity, CL, lifetimes, channels, ...) and renders
// results.json, hepdata.yaml (limits per channel vs mass, one table per lifetime) and SVG plots.
// model 'fit' (the default, as the paper fits M_red): a binned fit per (m_S, channel), engine/llp/fit.ts.
import type { Backend } from '../../host/backend.js';
import { CHANNELS, PRODUCTIONS, type Channel, type Production } from '../llp/sample.js';
import { parseLogGrid } from '../llp/sweep.js';
import { LIMIT_METHODS, type LimitMethod } from '../llp/limits.js';
import { limitLabel, limitVsMassSvg, LLP_DEMO_MASSES, runLlpDemo } from '../llp/analysis.js';
import { ConfigError, parseValidated, type Schema } from '../config.js';
import { hepdataSubmissionYaml } from '../io/hepdata.js';
import type { ReportFile } from './render.js';
import type { FitModels } from './fit.js';

/** Analysis name -> production mode. */
export const LLP_B_PRODUCTION = { 'b-kplus-llp': 'K+', 'b-kstar0-llp': 'K*0' } as const satisfies Record<string, Production>;
export type LlpBAnalysis = keyof typeof LLP_B_PRODUCTION;
export const LLP_B_ANALYSES = Object.keys(LLP_B_PRODUCTION) as LlpBAnalysis[];
/** N_BB per fb^-1 of PRD 108 (2023) L111104: 198e6 B Bbar pairs in 189 fb^-1. */
export const NBB_PER_FB = 198e6 / 189;
export const LLP_B_PAPER = 'Belle II, PRD 108 (2023) L111104 (arXiv:2306.02830), "Search for a long-lived spin-0 mediator in b -> s transitions at the Belle II experiment": 189 fb^-1 (198e6 B Bbar pairs), 95% CL';
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

/** Runs the config: the `llp --demo` computation with its settings; the llp JSON plus analysis, paper, timing. */
export async function runLlpB(backend: Backend, c: LlpBConfig, o: { quick?: boolean; progress?: (s: string) => void; signal?: AbortSignal; onFitModels?: (m: FitModels) => void } = {}): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const quick = o.quick ?? c.quick ?? false;
  const production = LLP_B_PRODUCTION[c.analysis];
  const g = c.lifetimes_cm ?? { min: 1e-3, max: 1e3, n: 50 };
  const ctaus = parseLogGrid(`${g.min}:${g.max}:${quick ? Math.min(g.n, LLP_B_QUICK.lifetimes) : g.n}`, 'config.lifetimes_cm');
  const perCell = c.simulation?.events_per_cell ?? 2000;
  const nBBbar = c.n_BBbar ?? (c.lumi_fb !== undefined ? c.lumi_fb * NBB_PER_FB : 198e6);
  const channels = [...(c.channels ?? CHANNELS)];
  o.progress?.(`${PRODUCTIONS[production].name}: demo samples, sweep and limits on ${backend.name}`);
  const { json } = await runLlpDemo(backend, {
    seed: c.seed ?? 1, masses: [...(c.masses_GeV ?? LLP_DEMO_MASSES)], perCell: quick ? Math.min(perCell, LLP_B_QUICK.perCell) : perCell,
    ctauGenCm: c.ctau_gen_cm, channels, ctaus, lxyWindow: [...(c.lxy_cm ?? [0.05, 60])] as [number, number], nSigma: c.nsigma ?? 2,
    method: c.method ?? 'cls-n', cl: c.cl ?? 0.95, nBBbar, production, signal: o.signal, progress: o.progress,
    model: c.model ?? 'fit', onFitModels: o.onFitModels,
    ...(c.inject ? { inject: { mass: c.inject.m_S_GeV, channel: c.inject.channel, events: c.inject.events, ctauCm: c.inject.ctau_cm } } : {}),
  });
  return {
    analysis: c.analysis, paper: c.paper ?? LLP_B_PAPER, ...(c.lumi_fb !== undefined ? { lumi_fb: c.lumi_fb } : {}), quick,
    illustrative: 'generated signal (darkscan llp --demo) and an illustrative background, not Belle II data',
    ...json, timing_s: { total: Math.round(performance.now() - t0) / 1000 },
  };
}

/** How the limits of an llp result were set: the fit model, or the counting method. */
export const llpLimitHow = (r: Record<string, unknown>): string => (r.model === 'fit' ? 'binned M_red fit per (m_S, channel), asymptotic CLs' : String(r.method));

type Cell = { m_S_GeV: number; channels: { channel: string; limit: (number | null)[] }[]; combined_limit: (number | null)[] };

/** results.json, hepdata.yaml (one table per lifetime: limit per channel vs m_S), an SVG per channel and the combination. */
export function renderLlpB(res: Record<string, unknown>): ReportFile[] {
  const files: ReportFile[] = [{ name: 'results.json', text: JSON.stringify(res, null, 1), kind: 'json' }];
  const cells = res.cells as Cell[], ctaus = res.ctaus_cm as number[], channels = res.channels as string[];
  const production = res.production as Production, cl = res.cl as number, pct = `${Math.round(cl * 100)}%`;
  const masses = cells.map((c) => c.m_S_GeV);
  const label = limitLabel(production), note = 'demo: generated signal, illustrative background';
  const tables = [];
  for (const [j, ct] of ctaus.entries()) {
    const dep = [...channels.map((ch, ic) => ({ name: `${label} x B(S -> ${ch})`, vals: cells.map((c) => c.channels[ic].limit[j]) })), { name: `${label} (channels combined, br_model)`, vals: cells.map((c) => c.combined_limit[j]) }];
    const lines = ['independent_variables:', '- header: {name: "M(S)", units: GeV}', '  values:', ...masses.map((m) => `  - {value: ${m}}`), 'dependent_variables:'];
    for (const d of dep) {
      lines.push(`- header: {name: ${JSON.stringify(d.name)}}`, '  qualifiers:', `  - {name: "CTAU", value: "${ct} cm"}`, `  - {name: CL, value: "${pct}"}`, `  - {name: "N(BBBAR)", value: ${res.n_BBbar}}`, '  values:', ...d.vals.map((v) => (v === null ? "  - {value: '-'}" : `  - {value: ${v}}`)));
    }
    const name = `hepdata_ctau${j}.yaml`;
    files.push({ name, kind: 'hepdata', text: `# ${PRODUCTIONS[production].name}, c tau = ${ct} cm\n${lines.join('\n')}\n` });
    tables.push({ name: `Limits, c tau = ${ct} cm`, description: `${pct} CL upper limits (${llpLimitHow(res)}) on ${label} x B(S -> xx) per channel and combined, against m_S, at c tau = ${ct} cm; ${note}`, dataFile: name, keywords: { reactions: [production === 'K+' ? 'B+ --> K+ S' : 'B0 --> K*0 S'] } });
  }
  files.push({ name: 'hepdata.yaml', kind: 'hepdata', text: hepdataSubmissionYaml(tables, `darkscan ${res.analysis}, seed ${res.seed}, N_BB = ${res.n_BBbar}; ${res.paper}`) });
  const plot = (name: string, what: string, yLabel: string, value: (im: number, j: number) => number | null) =>
    files.push({ name, kind: 'svg', text: limitVsMassSvg({ masses, ctaus, value: (im, j) => value(im, j) ?? NaN, title: `${PRODUCTIONS[production].name}, ${what}: ${pct} CL upper limit (${llpLimitHow(res)})`, yLabel, note }) });
  channels.forEach((ch, ic) => plot(`limit_${ch}.svg`, `S -> ${ch}`, `${label} x B(S -> ${ch})`, (im, j) => cells[im].channels[ic].limit[j]));
  plot('limit_combined.svg', `channels combined`, label, (im, j) => cells[im].combined_limit[j]);
  return files;
}
