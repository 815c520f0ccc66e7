// The page's Likelihood section without the DOM (issue 20): which of the loaded files are
// workspaces and patchsets, their summary, the runs (the CLI's own document builders of
// engine/likelihood/report.ts on the page's backend), and the Brazil plots and HEPData tables
// of the limits against the patches' metadata `values`.
import type { Backend } from '../host/backend.js';
import { FitSession, type TestStat } from '../engine/likelihood/infer.js';
import { parsePyJson } from '../engine/likelihood/pyjson.js';
import { clsDocument, clsToysDocument, fitDocument, loadModelsFromText, upperLimitDocument, type LoadedModels, type NamedText } from '../engine/likelihood/report.js';
import { hepdataLimitYaml, hepdataSubmissionYaml, type LimitTable } from '../engine/io/hepdata.js';
import { brazilPlot } from '../engine/plot/svg.js';
import { unpack } from './archive.js';
import { zipStore } from './zip.js';

export interface JsonFiles {
  readonly workspaces: NamedText[];
  readonly patchsets: NamedText[];
  /** Files not taken, each with the reason (shown on the page: nothing is dropped silently). */
  readonly ignored: { name: string; why: string }[];
}

/**
 * Sorts the given files (archives unpacked; a member is named `archive:path`) into pyhf
 * workspaces (an object with `channels`) and patchsets (with `patches`) by their top-level keys.
 */
export async function sortFiles(files: readonly { name: string; bytes: Uint8Array }[]): Promise<JsonFiles> {
  const out: JsonFiles = { workspaces: [], patchsets: [], ignored: [] };
  const dec = new TextDecoder('utf-8', { fatal: true });
  for (const f of files) {
    const members = await unpack(f.name, f.bytes);
    const single = members.length === 1 && members[0].bytes === f.bytes;
    for (const m of members) {
      const name = single ? f.name : `${f.name}:${m.name}`;
      if (!single && !/\.json$/i.test(m.name)) {
        out.ignored.push({ name, why: 'not a .json file' });
        continue;
      }
      let text: string;
      try {
        text = dec.decode(m.bytes);
      } catch {
        out.ignored.push({ name, why: 'not UTF-8 text' });
        continue;
      }
      let j: unknown;
      try {
        j = JSON.parse(text);
      } catch {
        // The reader's own message names the line and column.
        try {
          parsePyJson(text, name);
        } catch (e) {
          out.ignored.push({ name, why: (e as Error).message });
          continue;
        }
        // JSON.parse refused what the pyhf reader takes (NaN, Infinity): let the reader decide.
        j = parsePyJson(text, name);
      }
      const keys = j && typeof j === 'object' && !Array.isArray(j) ? Object.keys(j) : [];
      if (keys.includes('patches')) out.patchsets.push({ name, text });
      else if (keys.includes('channels')) out.workspaces.push({ name, text });
      else out.ignored.push({ name, why: `neither a pyhf workspace (no 'channels') nor a patchset (no 'patches')${keys.length ? `: top-level keys ${keys.slice(0, 6).join(', ')}` : ''}` });
    }
  }
  return out;
}

/** The patchset that belongs to a workspace: the one in the same archive folder, else the first. */
export function pairedPatchset(files: JsonFiles, ws: NamedText): NamedText | undefined {
  const dir = (n: string) => n.slice(0, n.lastIndexOf('/') + 1);
  return files.patchsets.find((p) => dir(p.name) === dir(ws.name)) ?? files.patchsets[0];
}

export interface Summary {
  channels: { name: string; bins: number }[];
  samples: string[];
  modifiers: Record<string, number>;
  parameters: number;
  parameter_components: number;
  poi: string;
  measurements: string[];
  observations: number;
  patches?: { count: number; labels: string[]; values: Record<string, (number | string)[]> };
}

/** Channels, bins, samples, modifiers (distinct name per type), parameters, patches. */
export function summarize(l: LoadedModels): Summary {
  const ws = l.workspace;
  const samples = new Set<string>();
  const mods = new Map<string, Set<string>>();
  const seen = (type: string, name: string) => (mods.get(type) ?? mods.set(type, new Set()).get(type)!).add(name);
  for (const ch of ws.channels) for (const s of ch.samples) {
    samples.add(s.name);
    for (const m of s.modifiers) seen(m.type, m.name);
  }
  // Modifiers the patches add (signal samples) count too.
  for (const p of l.patchset?.patches ?? []) for (const op of p.patch) {
    const v = (op as { value?: unknown }).value;
    const walk = (x: unknown): void => {
      if (Array.isArray(x)) x.forEach(walk);
      else if (x && typeof x === 'object') {
        const o = x as Record<string, unknown>;
        if (typeof o.type === 'string' && typeof o.name === 'string' && 'data' in o) seen(o.type, o.name);
        else Object.values(o).forEach(walk);
      }
    };
    walk(v);
  }
  const m = l.models[0];
  const ps = l.patchset;
  return {
    channels: ws.channels.map((c) => ({ name: c.name, bins: c.samples[0].data.length })),
    samples: [...samples],
    modifiers: Object.fromEntries([...mods].sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, s]) => [t, s.size])),
    parameters: m.params.length,
    parameter_components: m.fit.params.length,
    poi: m.poiName,
    measurements: ws.measurements.map((x) => x.name),
    observations: ws.observations.length,
    patches: ps && {
      count: ps.patches.length,
      labels: ps.metadata.labels,
      values: Object.fromEntries(ps.metadata.labels.map((lab, k) => [lab, [...new Set(ps.patches.map((p) => p.metadata.values[k]))]])),
    },
  };
}

export type LikelihoodRun =
  | { kind: 'fit'; poi?: number }
  | { kind: 'cls'; poi: number; stat: TestStat; toys?: { toys: number; seed: number } }
  | { kind: 'upper-limit'; cl: number; stat: 'qtilde' | 'q' };

/** Dispatches (batched fit rounds) a run usually takes: the page's progress fraction. */
const EXPECTED_DISPATCHES = { fit: 1, cls: 2, 'upper-limit': 8 } as const;

export interface RunOutput {
  readonly doc: Record<string, unknown>;
  readonly rows: unknown[];
  readonly seconds: number;
}

/** One run on `backend`, a fresh session as one CLI command: the CLI's JSON document. */
export async function runLikelihood(backend: Backend, loaded: LoadedModels, r: LikelihoodRun, o: { signal?: AbortSignal; progress?: (msg: string, fraction: number) => void } = {}): Promise<RunOutput> {
  let done = 0;
  const session = new FitSession(backend, loaded.models, {
    signal: o.signal,
    progress: (msg) => {
      done++;
      o.progress?.(msg, Math.min(0.95, done / (done + Math.max(1, EXPECTED_DISPATCHES[r.kind] - done))));
    },
  });
  const t0 = performance.now();
  const res = r.kind === 'fit' ? await fitDocument(session, loaded, r.poi)
    : r.kind === 'cls' && r.toys ? await clsToysDocument(session, loaded, { mu: r.poi, stat: r.stat, ...r.toys, progress: (msg) => o.progress?.(msg, toyFraction(msg, r.toys!.toys)) })
      : r.kind === 'cls' ? await clsDocument(session, loaded, { mu: r.poi, stat: r.stat })
        : await upperLimitDocument(session, loaded, { cl: r.cl, stat: r.stat });
  return { doc: res.doc, rows: res.rows, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The fraction of a toy run done, from runToyBlocks' progress messages: `toys: [a, b) of [0, K)
 * per set, S sets: d of n pseudo-experiments` (within a block) and `toys: e of [0, K) per set, ...`
 * (blocks done); test/archive.test.ts reads real messages through it.
 */
export function toyFraction(msg: string, toys: number): number {
  const b = /\[(\d+), (\d+)\) of \[\d+, \d+\) per set, \d+ sets: (\d+) of (\d+)/.exec(msg);
  if (b) return Math.min(0.99, (Number(b[1]) + ((Number(b[2]) - Number(b[1])) * Number(b[3])) / Math.max(1, Number(b[4]))) / toys);
  const e = /toys: (\d+) of \[/.exec(msg);
  return e ? Math.min(0.99, Number(e[1]) / toys) : 0.02;
}

/** Patches grouped for plots: x = the first metadata value, one group per value of the others. */
export interface PatchGroup {
  /** e.g. {ctau_mm: 1} for the rest of the labels; {} with one label. */
  readonly fixed: Record<string, number | string>;
  /** Indices into the patches, sorted by x. */
  readonly index: number[];
  readonly x: number[];
}

export function patchGroups(l: LoadedModels): { xLabel: string; groups: PatchGroup[] } | undefined {
  const ps = l.patchset;
  if (!ps || !l.patches) return undefined;
  const labels = ps.metadata.labels;
  const numeric = ps.patches.every((p) => typeof p.metadata.values[0] === 'number');
  const byKey = new Map<string, PatchGroup>();
  ps.patches.forEach((p, i) => {
    const rest = Object.fromEntries(labels.slice(1).map((lab, k) => [lab, p.metadata.values[k + 1]]));
    const key = JSON.stringify(rest);
    const g = byKey.get(key) ?? byKey.set(key, { fixed: rest, index: [], x: [] }).get(key)!;
    g.index.push(i);
    g.x.push(numeric ? (p.metadata.values[0] as number) : i);
  });
  for (const g of byKey.values()) {
    const order = g.index.map((_, k) => k).sort((a, b) => g.x[a] - g.x[b]);
    const idx = order.map((k) => g.index[k]), x = order.map((k) => g.x[k]);
    g.index.splice(0, g.index.length, ...idx);
    g.x.splice(0, g.x.length, ...x);
  }
  return { xLabel: numeric ? labels[0] ?? 'value' : 'patch index', groups: [...byKey.values()] };
}

const groupName = (g: PatchGroup) => Object.entries(g.fixed).map(([k, v]) => `${k} = ${v}`).join(', ');

export interface LimitFigure {
  readonly name: string;
  readonly svg: string;
  readonly table: LimitTable;
  /** Patches left out of plot and table (no limit found), by name. */
  readonly missing: string[];
}

/**
 * Brazil plots and HEPData tables of per-patch limits (upper-limit rows: obs, exp[5]) or of CLs at
 * a POI value (cls rows: CLs_obs, CLs_exp[5]) against the patches' first metadata value.
 */
export function limitFigures(l: LoadedModels, doc: Record<string, unknown>, rows: readonly unknown[]): LimitFigure[] {
  const pg = patchGroups(l);
  if (!pg) return [];
  const isUl = 'cl' in doc;
  const poi = l.models[0].poiName;
  const cl = isUl ? (doc.cl as number) : 0.95;
  const quant = isUl ? `${+(cl * 100).toPrecision(6)}% CL upper limit on ${poi}` : `CLs at ${poi} = ${doc.poi_value}`;
  return pg.groups.map((g, gi) => {
    const keep: number[] = [], missing: number[] = [];
    for (const i of g.index) {
      const r = rows[i] as { obs?: number; exp?: number[]; CLs_obs?: number; CLs_exp?: number[] };
      const v = [r.obs ?? r.CLs_obs!, ...(r.exp ?? r.CLs_exp!)];
      (v.every(Number.isFinite) ? keep : missing).push(i);
    }
    const get = (i: number) => rows[i] as { obs?: number; exp?: number[]; CLs_obs?: number; CLs_exp?: number[] };
    const obs = keep.map((i) => get(i).obs ?? get(i).CLs_obs!);
    const exp = keep.map((i) => get(i).exp ?? get(i).CLs_exp!);
    const x = keep.map((i) => g.x[g.index.indexOf(i)]);
    const names = missing.map((i) => l.patches![i]);
    const gname = groupName(g);
    const method = `${doc.calculator} CLs, ${doc.test_stat === 'q' ? 'q_mu (arXiv:1007.1727 eq. 14)' : 'q~_mu (arXiv:1007.1727 eq. 16)'}`;
    const psName = String(l.provenance.patchset).split(/[/:]/).pop();
    const note = `${psName} on ${doc.backend}${names.length ? `; ${names.length} without ${isUl ? 'a limit' : 'CLs'}` : ''}`;
    const svg = brazilPlot({
      title: `${quant} (${doc.calculator} CLs, ${doc.test_stat === 'q' ? 'q_μ' : 'q̃_μ'})${gname ? `, ${gname}` : ''}`,
      x: { label: pg.xLabel }, y: { label: isUl ? `${poi} upper limit` : 'CLs', log: true },
      mass: x, observed: obs, expected: exp, note,
    });
    const table: LimitTable = {
      mass: x, observed: obs,
      expectedMinus2: exp.map((e) => e[0]), expectedMinus1: exp.map((e) => e[1]), expected: exp.map((e) => e[2]), expectedPlus1: exp.map((e) => e[3]), expectedPlus2: exp.map((e) => e[4]),
      massName: pg.xLabel, massUnits: '', limitName: isUl ? poi : `CLs at ${poi} = ${doc.poi_value}`, limitUnits: '', cl,
      description: `darkscan ${isUl ? 'upper-limit' : 'cls'}: ${l.provenance.patchset} on ${doc.backend}; ${method}${names.length ? `; no ${isUl ? 'limit' : 'CLs'} for ${names.join(', ')}` : ''}`,
      qualifiers: g.fixed,
    };
    return { name: `${isUl ? 'limits' : 'cls'}${pg.groups.length > 1 ? `_${gi}` : ''}`, svg, table, missing: names };
  });
}

/** The HEPData download: one table (YAML), or a submission .zip with one table per group. */
export function hepdataOf(figs: readonly LimitFigure[]): { name: string; type: string; data: string | Uint8Array<ArrayBuffer> } {
  if (figs.length === 1) return { name: `${figs[0].name}.yaml`, type: 'application/x-yaml', data: hepdataLimitYaml(figs[0].table) };
  const files = figs.map((f) => ({ name: `${f.name}.yaml`, text: hepdataLimitYaml(f.table) }));
  const sub = hepdataSubmissionYaml(figs.map((f) => ({ name: f.name, description: f.table.description ?? f.name, dataFile: `${f.name}.yaml` })), 'darkscan: limits per patch of a pyhf patchset');
  return { name: 'hepdata-submission.zip', type: 'application/zip', data: zipStore([{ name: 'submission.yaml', text: sub }, ...files]) };
}

export { loadModelsFromText, type LoadedModels, type NamedText };
