// Analysis config files (JSON) for `darkscan run --config FILE`: the schema, written in TypeScript
// (no dependency), and its validation. Every error names the JSON path of the offending value,
// e.g. `config.selection.cuts[2].max: expected a number, got "abc"`; all errors are reported at once.
import { PIPELINE_LIMIT_METHODS, type PipelineLimitMethod } from './stats/windows.js';
import { parseJsonText } from './io/text.js';

export const ANALYSES = ['dark-higgsstrahlung', 'zprime-invisible', 'zprime-mumu', 'invisible-dark-photon', 'alp-gammagamma', 'b-k-alp-gammagamma', 'b-k0s-alp-gammagamma', 'b-kstar0-alp-gammagamma', 'b-kstarplus-alp-gammagamma',
  'zprime-tautau', 'scalar-tautau', 'alp-tautau', 'tau-ealpha', 'tau-mualpha'] as const;
export type AnalysisName = (typeof ANALYSES)[number];
/** The searches with an MLP stage (config.simulation.train_events applies). */
export const MLP_ANALYSES: readonly AnalysisName[] = ['dark-higgsstrahlung', 'zprime-tautau', 'scalar-tautau', 'alp-tautau'];
/** The methods a search config may ask for: the pipeline's, from the one table (engine/stats/windows.ts). */
export const CONFIG_METHODS = PIPELINE_LIMIT_METHODS;
export const CONFIG_BACKENDS = ['auto', 'webgpu', 'wasm', 'cpu'] as const;

// ---------------------------------------------------------------- the schema language
export type Schema =
  | { readonly type: 'number'; readonly integer?: boolean; readonly min?: number; readonly max?: number; readonly exclusiveMin?: boolean; readonly exclusiveMax?: boolean; readonly doc?: string }
  | { readonly type: 'string'; readonly enum?: readonly string[]; readonly nonEmpty?: boolean; readonly doc?: string }
  | { readonly type: 'boolean'; readonly doc?: string }
  | { readonly type: 'array'; readonly items: Schema; readonly minItems?: number; readonly maxItems?: number; readonly doc?: string }
  | { readonly type: 'object'; readonly properties: Readonly<Record<string, Schema>>; readonly required?: readonly string[]; readonly doc?: string }
  /** An object with arbitrary keys, each value of one schema (e.g. column mappings). */
  | { readonly type: 'map'; readonly values: Schema; readonly doc?: string };

const num = (min?: number, max?: number, o: { integer?: boolean; exclusiveMin?: boolean; exclusiveMax?: boolean; doc?: string } = {}): Schema => ({ type: 'number', min, max, ...o });
const int = (min: number, max: number, doc?: string): Schema => ({ type: 'number', integer: true, min, max, doc });
const str = (doc?: string): Schema => ({ type: 'string', nonEmpty: true, doc });

const INPUT: Schema = {
  type: 'object',
  doc: 'events from a file (CSV, JSON, Parquet or ROOT, by extension), read by engine/io',
  required: ['path'],
  properties: {
    path: str('file path, relative to the config file'),
    tree: str('ROOT: the TTree name'),
    columns: { type: 'map', values: str(), doc: 'analysis column -> column in the file' },
    selected: { type: 'boolean', doc: 'true: rows are selected candidates (only the scan variable is needed); default false: events, the selection is applied' },
    weight_column: str('column (after mapping) with per-event weights (backgrounds)'),
  },
};

export const CONFIG_SCHEMA: Schema = {
  type: 'object',
  required: ['analysis'],
  properties: {
    $schema: { type: 'string' },
    description: { type: 'string' },
    analysis: { type: 'string', enum: ANALYSES },
    seed: int(0, Number.MAX_SAFE_INTEGER, 'seed of every random number (default 1)'),
    lumi_fb: num(0, 1e5, { exclusiveMin: true, doc: 'integrated luminosity, fb^-1 (default: the analysis\'s)' }),
    cl: num(0.5, 1, { exclusiveMax: true, doc: 'confidence level (default 0.9)' }),
    method: { type: 'string', enum: CONFIG_METHODS },
    pseudo_experiments: int(0, 1_000_000, 'background-only pseudo-experiments for the look-elsewhere effect'),
    fit_pseudo_experiments: int(0, 1_000_000, 'fit searches: pseudo-experiments refitted for the fits\' look-elsewhere effect (default 100, at most pseudo_experiments)'),
    fit_pseudo_data: { type: 'string', enum: ['model', 'simulation'], doc: 'fit searches: those pseudo-experiments from the fits\' background model (default) or simulated again as the data are (slow)' },
    quick: { type: 'boolean', doc: 'small samples (tests, a first look)' },
    backend: { type: 'string', enum: CONFIG_BACKENDS },
    mlp: {
      type: 'object',
      properties: {
        keep_signal: num(0, 1, { exclusiveMin: true, doc: "searches with an MLP: its working point, the fraction of the training signal above each model's score cut (default the analysis's: 0.85 dark-higgsstrahlung, 0.7 the tau tau searches)" }),
      },
    },
    simulation: {
      type: 'object',
      properties: {
        max_events_per_background: int(1, 100_000_000),
        signal_events_per_point: int(1, 10_000_000),
        train_events: int(100, 10_000_000, 'dark-higgsstrahlung: MLP training events per class'),
        pseudo_data_max_s: num(0, 1e6, { doc: 'backgrounds whose independent pseudo-data sample costs at most this many seconds of generation (one WASM worker) get one; the others are resampled from the estimate (default 2, fit searches 5; results.json samples.data.backgrounds[].generation_cost_s)' }),
      },
    },
    inject: {
      type: 'object',
      required: ['events'],
      properties: {
        mass_GeV: num(0, 10.58, { exclusiveMin: true, doc: '1D searches: signal mass' }),
        m_A_GeV: num(0, 10.58, { exclusiveMin: true, doc: "dark-higgsstrahlung: A' mass" }),
        m_h_GeV: num(0, 10.58, { exclusiveMin: true, doc: "dark-higgsstrahlung: h' mass" }),
        events: int(0, 10_000_000, 'produced signal events (before any selection)'),
      },
    },
    selection: {
      type: 'object',
      properties: {
        cuts: {
          type: 'array',
          maxItems: 100,
          items: { type: 'object', required: ['column'], properties: { column: str(), min: num(), max: num(), abs: { type: 'boolean' } } },
        },
      },
    },
    grid: {
      type: 'object',
      properties: { min_GeV: num(), max_GeV: num(), k: num(0, 100, { exclusiveMin: true }), step: num(0, 100, { exclusiveMin: true }) },
    },
    inputs: {
      type: 'object',
      properties: { data: INPUT, backgrounds: { type: 'array', items: INPUT, minItems: 1, maxItems: 100 } },
    },
    output: { type: 'object', properties: { dir: str('output directory, relative to the config file') } },
  },
};

// ---------------------------------------------------------------- validation
function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function range(s: Extract<Schema, { type: 'number' }>): string {
  if (s.min === undefined && s.max === undefined) return '';
  const lo = s.min === undefined ? '(-inf' : `${s.exclusiveMin ? '(' : '['}${s.min}`;
  const hi = s.max === undefined ? 'inf)' : `${s.max}${s.exclusiveMax ? ')' : ']'}`;
  return ` in ${lo}, ${hi}`;
}

/** All violations of `schema` by `value`, each as 'path: message'. */
export function validate(value: unknown, schema: Schema, path = 'config'): string[] {
  const errs: string[] = [];
  switch (schema.type) {
    case 'number': {
      const what = schema.integer ? 'an integer' : 'a number';
      if (typeof value !== 'number' || !Number.isFinite(value)) errs.push(`${path}: expected ${what}${range(schema)}, got ${show(value)}`);
      else if (schema.integer && !Number.isSafeInteger(value)) errs.push(`${path}: expected an integer${range(schema)}, got ${value}`);
      else {
        const lowBad = schema.min !== undefined && (schema.exclusiveMin ? value <= schema.min : value < schema.min);
        const highBad = schema.max !== undefined && (schema.exclusiveMax ? value >= schema.max : value > schema.max);
        if (lowBad || highBad) errs.push(`${path}: expected ${what}${range(schema)}, got ${value}`);
      }
      break;
    }
    case 'string':
      if (typeof value !== 'string') errs.push(`${path}: expected ${schema.enum ? `one of ${schema.enum.join(', ')}` : 'a string'}, got ${show(value)}`);
      else if (schema.enum && !schema.enum.includes(value)) errs.push(`${path}: expected one of ${schema.enum.join(', ')}, got ${show(value)}`);
      else if (schema.nonEmpty && value === '') errs.push(`${path}: expected a non-empty string`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') errs.push(`${path}: expected true or false, got ${show(value)}`);
      break;
    case 'array':
      if (!Array.isArray(value)) errs.push(`${path}: expected an array, got ${show(value)}`);
      else {
        if (schema.minItems !== undefined && value.length < schema.minItems) errs.push(`${path}: expected at least ${schema.minItems} item(s), got ${value.length}`);
        if (schema.maxItems !== undefined && value.length > schema.maxItems) errs.push(`${path}: expected at most ${schema.maxItems} items, got ${value.length}`);
        value.forEach((v, i) => errs.push(...validate(v, schema.items, `${path}[${i}]`)));
      }
      break;
    case 'object':
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        errs.push(`${path}: expected an object, got ${show(value)}`);
        break;
      }
      const o = value as Record<string, unknown>;
      if (schema.type === 'map') {
        for (const [k, v] of Object.entries(o)) errs.push(...validate(v, schema.values, `${path}.${k}`));
        break;
      }
      for (const k of schema.required ?? []) if (!(k in o)) errs.push(`${path}.${k}: required field is missing`);
      for (const [k, v] of Object.entries(o)) {
        const sub = schema.properties[k];
        if (!sub) errs.push(`${path}.${k}: unknown field (allowed: ${Object.keys(schema.properties).join(', ')})`);
        else errs.push(...validate(v, sub, `${path}.${k}`));
      }
      break;
    }
  }
  return errs;
}

// ---------------------------------------------------------------- the typed config
export interface InputConfig {
  readonly path: string;
  readonly tree?: string;
  readonly columns?: Readonly<Record<string, string>>;
  readonly selected?: boolean;
  readonly weight_column?: string;
}
export interface CutConfig {
  readonly column: string;
  readonly min?: number;
  readonly max?: number;
  readonly abs?: boolean;
}
export interface AnalysisConfig {
  readonly description?: string;
  readonly analysis: AnalysisName;
  readonly seed?: number;
  readonly lumi_fb?: number;
  readonly cl?: number;
  readonly method?: PipelineLimitMethod;
  readonly pseudo_experiments?: number;
  readonly fit_pseudo_experiments?: number;
  readonly fit_pseudo_data?: 'model' | 'simulation';
  readonly quick?: boolean;
  readonly backend?: (typeof CONFIG_BACKENDS)[number];
  readonly simulation?: { readonly max_events_per_background?: number; readonly signal_events_per_point?: number; readonly train_events?: number; readonly pseudo_data_max_s?: number };
  readonly mlp?: { readonly keep_signal?: number };
  readonly inject?: { readonly mass_GeV?: number; readonly m_A_GeV?: number; readonly m_h_GeV?: number; readonly events: number };
  readonly selection?: { readonly cuts?: readonly CutConfig[] };
  readonly grid?: { readonly min_GeV?: number; readonly max_GeV?: number; readonly k?: number; readonly step?: number };
  readonly inputs?: { readonly data?: InputConfig; readonly backgrounds?: readonly InputConfig[] };
  readonly output?: { readonly dir?: string };
}

export class ConfigError extends Error {
  constructor(readonly source: string, readonly errors: readonly string[]) {
    super(`${source}: invalid config (${errors.length} error${errors.length === 1 ? '' : 's'}):\n  ${errors.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Checks that need more than one field or knowledge of the analysis: the injection's mass fields,
 * what the 2D analysis does not support, cut and grid ranges. `columnsOf(analysis)` lists the event
 * columns a cut may use (null: cuts are not supported).
 */
export function crossChecks(c: AnalysisConfig, columnsOf?: (a: AnalysisName) => readonly string[] | null): string[] {
  const errs: string[] = [];
  const twoD = c.analysis === 'dark-higgsstrahlung';
  if (c.inject) {
    if (twoD) {
      if (c.inject.mass_GeV !== undefined) errs.push('config.inject.mass_GeV: not used by dark-higgsstrahlung (give m_A_GeV and m_h_GeV)');
      for (const k of ['m_A_GeV', 'm_h_GeV'] as const) if (c.inject[k] === undefined) errs.push(`config.inject.${k}: required field is missing (dark-higgsstrahlung)`);
      if (c.inject.m_A_GeV !== undefined && c.inject.m_h_GeV !== undefined && c.inject.m_A_GeV + c.inject.m_h_GeV >= 10.58) errs.push(`config.inject: m_A_GeV + m_h_GeV must be below sqrt(s) = 10.58 GeV, got ${c.inject.m_A_GeV + c.inject.m_h_GeV}`);
    } else {
      for (const k of ['m_A_GeV', 'm_h_GeV'] as const) if (c.inject[k] !== undefined) errs.push(`config.inject.${k}: only for dark-higgsstrahlung (give mass_GeV)`);
      if (c.inject.mass_GeV === undefined) errs.push(`config.inject.mass_GeV: required field is missing (${c.analysis})`);
    }
  }
  if (twoD) {
    for (const k of ['selection', 'grid', 'inputs'] as const) if (c[k] !== undefined) errs.push(`config.${k}: not supported for dark-higgsstrahlung (its selection, MLP and 2D grid are fixed; see engine/analyses/searches.ts DARK_HIGGSSTRAHLUNG)`);
  } else if (c.simulation?.train_events !== undefined && !(MLP_ANALYSES as readonly string[]).includes(c.analysis)) errs.push(`config.simulation.train_events: only for ${MLP_ANALYSES.join(', ')} (the other searches have no MLP)`);
  if (c.mlp?.keep_signal !== undefined && !(MLP_ANALYSES as readonly string[]).includes(c.analysis)) errs.push(`config.mlp.keep_signal: only for ${MLP_ANALYSES.join(', ')} (the other searches have no MLP)`);
  const cols = columnsOf?.(c.analysis);
  (c.selection?.cuts ?? []).forEach((cut, i) => {
    if (cut.min === undefined && cut.max === undefined) errs.push(`config.selection.cuts[${i}]: give min and/or max`);
    if (cut.min !== undefined && cut.max !== undefined && !(cut.min <= cut.max)) errs.push(`config.selection.cuts[${i}].max: must be >= min (${cut.min}), got ${cut.max}`);
    if (cols && !cols.includes(cut.column)) errs.push(`config.selection.cuts[${i}].column: unknown column ${JSON.stringify(cut.column)} for ${c.analysis} (columns: ${cols.join(', ')})`);
  });
  const g = c.grid;
  if (g?.min_GeV !== undefined && g.max_GeV !== undefined && !(g.min_GeV < g.max_GeV)) errs.push(`config.grid.max_GeV: must be > min_GeV (${g.min_GeV}), got ${g.max_GeV}`);
  if (g?.min_GeV !== undefined && !(g.min_GeV >= 0)) errs.push(`config.grid.min_GeV: expected a number >= 0, got ${g.min_GeV}`);
  return errs;
}

/** JSON.parse + schema check shared by every config parser; throws a ConfigError listing every problem with its JSON path. */
export function parseValidated<T>(text: string, schema: Schema, source: string): T {
  let v: unknown;
  try {
    v = parseJsonText(text);
  } catch (e) {
    throw new ConfigError(source, [`config: ${(e as Error).message}`]);
  }
  const errs = validate(v, schema);
  if (errs.length) throw new ConfigError(source, errs);
  return v as T;
}

/** Parses and validates a config; throws a ConfigError listing every problem with its JSON path. */
export function parseConfig(text: string, source = 'config', columnsOf?: (a: AnalysisName) => readonly string[] | null): AnalysisConfig {
  const c = parseValidated<AnalysisConfig>(text, CONFIG_SCHEMA, source);
  const more = crossChecks(c, columnsOf);
  if (more.length) throw new ConfigError(source, more);
  return c;
}
