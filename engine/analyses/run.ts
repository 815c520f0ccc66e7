// Runs an analysis config (engine/config.ts) end to end: input files through engine/io, the search
// through the one pipeline (search.ts), and the report (results.json, HEPData, SVG).
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Backend } from '../../host/backend.js';
import { getProcess, resolveParams } from '../generate/index.js';
import { ConfigError, parseConfig, type AnalysisConfig, type AnalysisName, type InputConfig } from '../config.js';
import { readEvents } from '../io/index.js';
import { availableColumns, runSearch, signalParams, type InputEvents, type SearchOptions, type SearchResult } from './search.js';
import { SEARCHES } from './searches.js';

/** Event columns a configured cut may use, per analysis (null: cuts not supported). */
export function cutColumns(a: AnalysisName): readonly string[] | null {
  return a === 'dark-higgsstrahlung' ? null : availableColumns(SEARCHES[a]);
}

/** Parses a config file's text with the analysis-aware checks. */
export function loadConfig(text: string, source: string): AnalysisConfig {
  const c = parseConfig(text, source, cutColumns);
  // The injected mass must be one the signal process can produce.
  if (c.inject && c.analysis !== 'dark-higgsstrahlung') {
    const def = SEARCHES[c.analysis];
    const proc = getProcess(def.signal.process);
    try {
      resolveParams(proc, signalParams(def, [c.inject.mass_GeV!]));
    } catch (e) {
      throw new ConfigError(source, [`config.inject.mass_GeV: ${(e as Error).message} (process ${proc.name})`]);
    }
  }
  return c;
}

/**
 * Sample sizes of quick mode (tests, a first look) and of the default. pseudoDataMaxSeconds: the --quick run's cap
 * on a config's pseudo-data budget (simulation.pseudo_data_max_s), the paper configs' 45 s before zprime-invisible.json
 * raised its own to 700 s (e e mu mu inside R_Z, 62 M events): a quick run buys no sample of minutes.
 */
export const QUICK = { pseudoExperiments: 10, maxEventsPerBackground: 20_000, signalEventsPerPoint: 500, trainEvents: 2000, darkHiggsPseudo: 10, darkHiggsSignal: 300, pseudoDataMaxSeconds: 45 };

export interface RunOptions {
  /** Directory that relative paths in the config are resolved against (the config file's). */
  readonly baseDir: string;
  /** true: quick sample sizes whatever the config says (the CLI's --quick). */
  readonly quick?: boolean;
  readonly progress?: (s: string) => void;
  readonly signal?: AbortSignal;
  /** Fit-model searches: the fitted pyhf workspace and patchset (for --export-pyhf). */
  readonly onFitModels?: SearchOptions['onFitModels'];
}


async function readInput(inp: InputConfig, where: string, baseDir: string): Promise<InputEvents> {
  const path = isAbsolute(inp.path) ? inp.path : resolve(baseDir, inp.path);
  let table;
  try {
    // With a mapping, only mapped columns are read: keep every other column the file has by
    // reading without one and renaming.
    const all = await readEvents(path, { tree: inp.tree });
    const cols = { ...all.columns };
    for (const [to, from] of Object.entries(inp.columns ?? {})) {
      if (!all.columns[from]) throw new Error(`column '${from}' (for '${to}') not found; available: ${Object.keys(all.columns).join(', ') || 'none'}`);
      cols[to] = all.columns[from];
    }
    table = { ...all, columns: cols };
  } catch (e) {
    throw new Error(`${where} (${path}): ${(e as Error).message}`);
  }
  return { table, selected: inp.selected ?? false, weightColumn: inp.weight_column, where };
}

/** Runs a validated config on a backend. */
export async function runConfig(backend: Backend, c: AnalysisConfig, o: RunOptions): Promise<SearchResult> {
  // --quick (o.quick) forces the quick sizes; config.quick only fills the sizes the config leaves out.
  const quick = o.quick ?? c.quick ?? false;
  const sim = o.quick ? {} : (c.simulation ?? {});
  if (o.quick) c = { ...c, pseudo_experiments: undefined, fit_pseudo_experiments: undefined };
  const def = SEARCHES[c.analysis];
  const inputs = c.inputs
    ? {
        data: c.inputs.data ? await readInput(c.inputs.data, 'config.inputs.data', o.baseDir) : undefined,
        backgrounds: c.inputs.backgrounds ? await Promise.all(c.inputs.backgrounds.map((b, i) => readInput(b, `config.inputs.backgrounds[${i}]`, o.baseDir))) : undefined,
      }
    : undefined;
  const twoD = c.analysis === 'dark-higgsstrahlung';
  const inject = c.inject ? { masses: twoD ? [c.inject.m_A_GeV!, c.inject.m_h_GeV!] : [c.inject.mass_GeV!], events: c.inject.events } : undefined;
  return runSearch(backend, def, {
    seed: c.seed ?? 1, lumiFb: c.lumi_fb, cl: c.cl, method: c.method,
    pseudoExperiments: c.pseudo_experiments ?? (quick ? (twoD ? QUICK.darkHiggsPseudo : QUICK.pseudoExperiments) : undefined),
    fitPseudoExperiments: c.fit_pseudo_experiments, fitPseudoData: c.fit_pseudo_data,
    maxEventsPerBackground: sim.max_events_per_background ?? (quick ? QUICK.maxEventsPerBackground : undefined),
    signalEventsPerPoint: sim.signal_events_per_point ?? (quick ? (twoD ? QUICK.darkHiggsSignal : QUICK.signalEventsPerPoint) : undefined),
    trainEvents: sim.train_events ?? (quick && def.mlp ? QUICK.trainEvents : undefined),
    // not a sample size: kept with --quick, up to QUICK.pseudoDataMaxSeconds
    pseudoDataMaxSeconds: o.quick && c.simulation?.pseudo_data_max_s !== undefined ? Math.min(c.simulation.pseudo_data_max_s, QUICK.pseudoDataMaxSeconds) : c.simulation?.pseudo_data_max_s,
    mlpKeepSignal: c.mlp?.keep_signal,
    inject,
    cuts: c.selection?.cuts,
    grid: c.grid ? { min: c.grid.min_GeV, max: c.grid.max_GeV, k: c.grid.k, step: c.grid.step } : undefined,
    inputs, progress: o.progress, signal: o.signal, onFitModels: o.onFitModels,
  });
}

/** The output directory: --out, else config.output.dir (relative to the config file), else `<analysis>-out`. */
export function outputDir(c: AnalysisConfig, configPath: string, out?: string): string {
  if (out !== undefined) return resolve(out);
  if (c.output?.dir) return isAbsolute(c.output.dir) ? c.output.dir : resolve(dirname(configPath), c.output.dir);
  return resolve(`${c.analysis}-out`);
}
