// The dark Higgsstrahlung demo on the page, without the DOM: options (the same as
// `darkscan demo --quick` by default), progress messages of the search pipeline mapped to a fraction,
// and the report files (engine/analyses/render.ts, the same as Node's writeReport).
import type { Backend } from '../host/backend.js';
import { runSearch, type SearchOptions, type SearchResult } from '../engine/analyses/search.js';
import { DARK_HIGGSSTRAHLUNG } from '../engine/analyses/searches.js';
import { renderReport, type ReportFile } from '../engine/analyses/render.js';
import { zipStore } from './zip.js';

/** `darkscan demo --quick` (engine/cli/demo.ts): what the page runs by default. */
export const QUICK = { seed: 1, pseudoExperiments: 20, maxEventsPerBackground: 30_000, signalEventsPerPoint: 400, trainEvents: 3000 } as const;

export interface Injection { mA: number; mh: number; events: number }
export type DemoSettings = { -readonly [K in keyof typeof QUICK]: number } & { inject?: Injection };

/**
 * Checks the settings (integers: seed, pseudo-experiments, sample sizes >= 1; an injected signal
 * within the ranges `darkscan demo --inject` takes) and names the bad one.
 */
export function checkSettings(s: Partial<DemoSettings>): DemoSettings {
  const out = { ...QUICK } as DemoSettings;
  const limits: Record<keyof typeof QUICK, [number, number]> = {
    seed: [0, 2 ** 32 - 1], pseudoExperiments: [0, 100_000], maxEventsPerBackground: [1, 1 << 24], signalEventsPerPoint: [1, 1 << 20], trainEvents: [1, 1 << 20],
  };
  for (const k of Object.keys(s) as (keyof DemoSettings)[]) {
    if (k === 'inject') continue;
    if (!(k in limits)) throw new Error(`demo: unknown option '${k}' (have ${Object.keys(limits).join(', ')}, inject)`);
    const v = s[k]!, [lo, hi] = limits[k];
    if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`demo: ${k} must be an integer in [${lo}, ${hi}], got ${v}`);
    out[k] = v;
  }
  if (s.inject) {
    const { mA, mh, events } = s.inject;
    // The ranges of engine/cli/demo.ts --inject; the signal needs M_h' < M_A' and M_A' + M_h' < sqrt(s).
    if (!(mA >= 0.22 && mA <= 10.5)) throw new Error(`demo: inject M_A' must be in [0.22, 10.5] GeV, got ${mA}`);
    if (!(mh >= 0.001 && mh <= 10.5)) throw new Error(`demo: inject M_h' must be in [0.001, 10.5] GeV, got ${mh}`);
    if (!(mh < mA && mA + mh < 10.58)) throw new Error(`demo: inject needs M_h' < M_A' and M_A' + M_h' < 10.58 GeV, got M_A' = ${mA}, M_h' = ${mh}`);
    if (!Number.isInteger(events) || events < 0 || events > 1e7) throw new Error(`demo: inject events must be an integer in [0, 1e7], got ${events}`);
    if (events > 0) out.inject = { mA, mh, events };
  }
  return out;
}

/** The fraction of the run done when the pipeline reports `msg` (stages in the pipeline's order, weighted by their usual time). */
export function progressFraction(msg: string): number | undefined {
  let m: RegExpMatchArray | null;
  if (msg.startsWith('training')) return 0.03;
  if (msg.startsWith('signal efficiency')) return 0.15;
  if (msg.startsWith('simulating')) return 0.2;
  if (msg.startsWith('selecting')) return 0.4;
  if (msg.startsWith('scanning')) return 0.45;
  if ((m = msg.match(/^limits: window (\d+) \/ (\d+)/))) return 0.5 + (0.2 * Number(m[1])) / Number(m[2]);
  if ((m = msg.match(/^look-elsewhere: pseudo-experiment (\d+) \/ (\d+)/))) return 0.7 + (0.3 * Number(m[1])) / Number(m[2]);
  return undefined;
}

export interface DemoRun {
  readonly result: SearchResult;
  readonly files: ReportFile[];
  readonly seconds: number;
}

export async function runDemo(backend: Backend, s: DemoSettings, o: { progress?: (msg: string, fraction: number) => void; signal?: AbortSignal } = {}): Promise<DemoRun> {
  let done = 0;
  const { inject, ...sizes } = s;
  const opts: SearchOptions = {
    ...sizes,
    inject: inject ? { masses: [inject.mA, inject.mh], events: inject.events } : undefined,
    signal: o.signal,
    progress: (msg) => {
      done = Math.max(done, progressFraction(msg) ?? done);
      o.progress?.(msg, done);
    },
  };
  const t0 = performance.now();
  const result = await runSearch(backend, DARK_HIGGSSTRAHLUNG, opts);
  const seconds = (performance.now() - t0) / 1000;
  return { result, files: renderReport(result), seconds };
}

/** The HEPData submission as one archive: submission.yaml (Node's hepdata.yaml) and its tables. */
export function hepdataZip(files: readonly ReportFile[]): Uint8Array<ArrayBuffer> {
  const sub = files.find((f) => f.name === 'hepdata.yaml');
  if (!sub) throw new Error('demo: no hepdata.yaml in the report');
  return zipStore([{ name: 'submission.yaml', text: sub.text }, ...files.filter((f) => f.kind === 'hepdata' && f.name !== 'hepdata.yaml')]);
}
