// What `darkscan cls`, `fit` and `upper-limit` share: reading a pyhf workspace (and a patchset),
// building the models, choosing the backend, and the provenance every output records.
import { readFileSync } from 'node:fs';
import { FitSession, type Target } from '../likelihood/infer.js';
import { compileModel, type CompiledModel } from '../likelihood/model.js';
import { applyPatch, findPatch, readPatchset, verifyPatchset } from '../likelihood/patchset.js';
import { readWorkspace, workspaceDigest } from '../likelihood/workspace.js';
import { BACKEND_FLAGS, numArg, withBackend, type Context } from './args.js';

export const LIKELIHOOD_FLAGS = {
  ...BACKEND_FLAGS,
  patchset: { type: 'string', arg: 'PS.json', help: 'a pyhf patchset for WS.json (its background-only workspace): every patch, or the one --patch names' },
  patch: { type: 'string', arg: 'NAME', help: 'one patch of --patchset, by name' },
  measurement: { type: 'string', arg: 'NAME', help: "the workspace's measurement (default: the first, as pyhf)" },
  json: { type: 'boolean', help: "JSON on stdout with pyhf's keys, the backend, the workspace digest and fit counts" },
} as const;

export interface LikelihoodFlagValues {
  backend?: string;
  workers?: string;
  patchset?: string;
  patch?: string;
  measurement?: string;
}

/** The models to fit: the workspace itself, one patch, or every patch of a patchset. */
export interface LoadedModels {
  readonly models: CompiledModel[];
  /** Patch names (one per model) when a patchset was given without --patch (every patch). */
  readonly patches?: string[];
  readonly provenance: Record<string, unknown>;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${what} ${path}: ${(e as Error).message}`);
  }
}

export function loadModels(file: string | undefined, v: LikelihoodFlagValues): LoadedModels {
  if (!file) throw new Error('a pyhf workspace JSON file is required (darkscan <command> WS.json ...)');
  const ws = readWorkspace(readText(file, 'workspace'), file);
  const provenance: Record<string, unknown> = { workspace: file, workspace_digest: `sha256:${workspaceDigest(ws)}` };
  if (v.measurement !== undefined) provenance.measurement = v.measurement;
  if (v.patch !== undefined && v.patchset === undefined) throw new Error('--patch needs --patchset');
  if (v.patchset === undefined) return { models: [compileModel(ws, { measurement: v.measurement, source: file })], provenance };
  const ps = readPatchset(readText(v.patchset, 'patchset'), v.patchset);
  verifyPatchset(ps, ws, v.patchset);
  provenance.patchset = v.patchset;
  provenance.patchset_digest = `sha256:${workspaceDigest(ps)}`;
  const chosen = v.patch === undefined ? ps.patches : [findPatch(ps, v.patch, v.patchset)];
  const models = chosen.map((p) => {
    const src = `${v.patchset} (patch '${p.metadata.name}')`;
    return compileModel(applyPatch(ws, p, v.patchset), { measurement: v.measurement, source: src });
  });
  if (v.patch !== undefined) {
    provenance.patch = v.patch;
    return { models, provenance };
  }
  return { models, patches: chosen.map((p) => p.metadata.name), provenance };
}

/** A session over the models, run on the chosen backend; disposes the backend afterwards. */
export async function withSession<T>(v: LikelihoodFlagValues, models: CompiledModel[], ctx: Context, f: (s: FitSession) => Promise<T>): Promise<{ result: T; session: FitSession }> {
  return withBackend(v, async (backend) => {
    const session = new FitSession(backend, models, { signal: ctx.signal, progress: ctx.progress });
    return { result: await f(session), session };
  });
}

export function targetsOf(models: readonly CompiledModel[]): Target[] {
  return models.map((m, i) => ({ model: i, data: m.observed }));
}

/** What every likelihood output records besides its results. */
export function runRecord(session: FitSession, loaded: LoadedModels): Record<string, unknown> {
  return { backend: session.backend.name, ...loaded.provenance, fits: session.fits, fits_not_converged: session.unconverged };
}

export function poiValue(s: string | undefined, def?: number): number | undefined {
  return s === undefined ? def : numArg(s, '--poi-value');
}

/** One value per patch keyed by patch name, or the single result itself. */
export function perPatch<T extends object>(loaded: LoadedModels, results: T[]): T | { patches: Record<string, T> } {
  if (!loaded.patches) return results[0];
  return { patches: Object.fromEntries(loaded.patches.map((n, i) => [n, results[i]])) };
}
