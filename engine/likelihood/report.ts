// What `darkscan fit`, `cls` and `upper-limit` and the page's Likelihood section share (issue 20):
// the models from a workspace text (and a patchset text), and the runs that build the JSON the
// CLI prints with --json (asymptotic and, for cls, toys). One function per command builds its document, so the page's downloads
// and the CLI's output are the same bytes for the same inputs and backend bits.
import { bestFits, hypotests, upperLimits, type BestFit, type FitSession, type Target, type TestStat } from './infer.js';
import { compileModel, type CompiledModel } from './model.js';
import { applyPatch, findPatch, readPatchset, verifyPatchset, type Patchset } from './patchset.js';
import { planToys, runToyBlocks, toyHypoTests, type ToyArrays, type ToyCounts, type ToyPlanHeader, type ToyTestResult } from './toycls.js';
import { readWorkspace, workspaceDigest, type Workspace } from './workspace.js';
import { DARKSCAN_VERSION } from '../version.js';

/** A named JSON text: a file's path on the CLI, a file (or archive member) name on the page. */
export interface NamedText {
  readonly name: string;
  readonly text: string;
}

/** The models to fit: the workspace itself, one patch, or every patch of a patchset. */
export interface LoadedModels {
  readonly models: CompiledModel[];
  /** Patch names (one per model) when a patchset was given without a patch name (every patch). */
  readonly patches?: string[];
  readonly provenance: Record<string, unknown>;
  /** Per model: its patch's index in the patchset (0 for a workspace). */
  readonly indices: number[];
  readonly workspace: Workspace;
  readonly patchset?: Patchset;
}

/** Reads, validates and compiles; errors name the source and the JSON path (WorkspaceError). */
export function loadModelsFromText(ws: NamedText, v: { patchset?: NamedText; patch?: string; measurement?: string } = {}): LoadedModels {
  const workspace = readWorkspace(ws.text, ws.name);
  const provenance: Record<string, unknown> = { workspace: ws.name, workspace_digest: `sha256:${workspaceDigest(workspace)}` };
  if (v.measurement !== undefined) provenance.measurement = v.measurement;
  if (v.patch !== undefined && v.patchset === undefined) throw new Error('--patch needs --patchset');
  if (v.patchset === undefined) return { models: [compileModel(workspace, { measurement: v.measurement, source: ws.name })], provenance, indices: [0], workspace };
  const psName = v.patchset.name;
  const ps = readPatchset(v.patchset.text, psName);
  verifyPatchset(ps, workspace, psName);
  provenance.patchset = psName;
  provenance.patchset_digest = `sha256:${workspaceDigest(ps)}`;
  const chosen = v.patch === undefined ? ps.patches : [findPatch(ps, v.patch, psName)];
  const models = chosen.map((p) => {
    const src = `${psName} (patch '${p.metadata.name}')`;
    return compileModel(applyPatch(workspace, p, psName), { measurement: v.measurement, source: src });
  });
  const indices = chosen.map((p) => ps.patches.indexOf(p));
  if (v.patch !== undefined) {
    provenance.patch = v.patch;
    return { models, provenance, indices, workspace, patchset: ps };
  }
  return { models, patches: chosen.map((p) => p.metadata.name), provenance, indices, workspace, patchset: ps };
}

export function targetsOf(models: readonly CompiledModel[]): Target[] {
  return models.map((m, i) => ({ model: i, data: m.observed }));
}

/** What every likelihood output records besides its results (toy runs add their seed: toyRunDocument). */
export function runRecord(session: FitSession, loaded: LoadedModels): Record<string, unknown> {
  return { backend: session.backend.name, ...loaded.provenance, fits: session.fits, fits_not_converged: session.unconverged, darkscan_version: DARKSCAN_VERSION };
}

/** One value per patch keyed by patch name, or the single result itself. */
export function perPatch<T extends object>(loaded: { readonly patches?: readonly string[] | null }, results: T[]): T | { patches: Record<string, T> } {
  if (!loaded.patches) return results[0];
  return { patches: Object.fromEntries(loaded.patches.map((n, i) => [n, results[i]])) };
}

/** perPatch's inverse for a command's text output: [patch name ('' for a single workspace), row] per target. */
export function patchRows<T>(loaded: { readonly patches?: readonly string[] | null }, fields: Record<string, unknown>): [string, T][] {
  return loaded.patches ? Object.entries(fields.patches as Record<string, T>) : [['', fields as T]];
}

/** `darkscan fit --json`: best fits (POI free, or held at `mu`) with uncertainties and twice_nll. */
export async function fitDocument(s: FitSession, loaded: LoadedModels, mu?: number): Promise<{ doc: Record<string, unknown>; rows: BestFit[] }> {
  const rows = await bestFits(s, targetsOf(loaded.models), mu);
  return { rows, doc: { ...perPatch(loaded, rows), ...(mu === undefined ? {} : { poi_value: mu }), ...runRecord(s, loaded) } };
}

export interface ClsRow {
  CLs_obs: number;
  CLs_exp: number[];
}

/** `darkscan cls --json` (asymptotic): CLs at `mu` and the expected set (pyhf cls keys). */
export async function clsDocument(s: FitSession, loaded: LoadedModels, o: { mu: number; stat: TestStat }): Promise<{ doc: Record<string, unknown>; rows: ClsRow[] }> {
  const res = await hypotests(s, targetsOf(loaded.models), loaded.models.map(() => [o.mu]), o.stat);
  const rows = res.map(([r]) => ({ CLs_obs: r.cls, CLs_exp: r.expected }));
  return { rows, doc: { ...perPatch(loaded, rows), poi_value: o.mu, test_stat: o.stat, calculator: 'asymptotic', ...runRecord(s, loaded) } };
}

export interface LimitRow {
  obs: number;
  exp: number[];
}

/** `darkscan upper-limit --json` (asymptotic): observed limit and the expected set at `cl`. */
export async function upperLimitDocument(s: FitSession, loaded: LoadedModels, o: { cl: number; stat: 'qtilde' | 'q' }): Promise<{ doc: Record<string, unknown>; rows: LimitRow[] }> {
  const res = await upperLimits(s, targetsOf(loaded.models), { cl: o.cl, stat: o.stat });
  const rows = res.map((r) => ({ obs: r.obs, exp: r.exp }));
  return { rows, doc: { ...perPatch(loaded, rows), cl: o.cl, test_stat: o.stat, calculator: 'asymptotic', ...runRecord(s, loaded) } };
}

/** The JSON of one toy hypothesis test: pyhf's keys, the tail probabilities and every statistical error. */
export function toyTestJson(r: ToyTestResult): Record<string, unknown> {
  return {
    CLs_obs: r.cls, CLs_exp: r.expected ?? null, CLsb_obs: r.clsb, CLb_obs: r.clb,
    CLs_obs_error: r.clsError, CLsb_obs_error: r.clsbError, CLb_obs_error: r.clbError, CLs_exp_error: r.expectedError ?? null,
    q_obs: r.qObs, toys_not_converged: { s_plus_b: r.notConverged.sb, b_only: r.notConverged.b },
  };
}

/** The results of `cls --calculator toys` from a finished run (or merged shards): rows and their fields. */
export function clsToyFields(plan: ToyPlanHeader, loaded: { readonly patches?: readonly string[] | null }, counts: ToyCounts, arrays: ToyArrays | undefined, mu: number, stat: TestStat): { rows: Record<string, unknown>[]; fields: Record<string, unknown> } {
  const rows = toyHypoTests(plan, counts, arrays).map(toyTestJson);
  return { rows, fields: { ...perPatch(loaded, rows), poi_value: mu, test_stat: stat } };
}

/** A finished toy run's document: the command's fields, the toy count and seed, the run record. */
export function toyRunDocument(fields: Record<string, unknown>, toys: number, seed: number, s: FitSession, loaded: LoadedModels): Record<string, unknown> {
  return { ...fields, calculator: 'toys', toys, seed, ...runRecord(s, loaded) };
}

/**
 * `darkscan cls --calculator toys --json` in one go (no shards, no checkpoint: the page): the
 * observed-data fits, `toys` s+b and b-only toys per patch from `seed` (streams by the patch's
 * index in the patchset, as the CLI), the document of toyRunDocument.
 */
export async function clsToysDocument(s: FitSession, loaded: LoadedModels, o: { mu: number; stat: TestStat; toys: number; seed: number; progress?: (msg: string) => void }): Promise<{ doc: Record<string, unknown>; rows: Record<string, unknown>[] }> {
  if (!(Number.isSafeInteger(o.toys) && o.toys >= 1)) throw new RangeError(`toys: expected an integer >= 1, got ${o.toys}`);
  if (!(Number.isInteger(o.seed) && o.seed >= 0 && o.seed <= 2 ** 32 - 1)) throw new RangeError(`seed: expected an integer in [0, 2^32 - 1], got ${o.seed}`);
  const points = loaded.models.map((_, t) => ({ target: t, mu: o.mu }));
  const plan = await planToys(s, targetsOf(loaded.models), points, o.stat, { stream: (t) => loaded.indices[t] });
  const run = await runToyBlocks(s.backend, s.packed, plan, { seed: o.seed, first: 0, end: o.toys, keep: true, maxIter: s.opts.maxIter, signal: s.opts.signal, progress: o.progress });
  const { rows, fields } = clsToyFields(plan, loaded, run.counts, run.arrays, o.mu, o.stat);
  return { rows, doc: toyRunDocument(fields, o.toys, o.seed, s, loaded) };
}
