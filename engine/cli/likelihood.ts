// What `darkscan cls`, `fit` and `upper-limit` share: reading a pyhf workspace (and a patchset),
// building the models, choosing the backend, and the provenance every output records.
import { readFileSync } from 'node:fs';
import { FitSession } from '../likelihood/infer.js';
import type { CompiledModel } from '../likelihood/model.js';
import { loadModelsFromText, type LoadedModels } from '../likelihood/report.js';
import { ioError } from '../io/text.js';
export { patchRows, perPatch, runRecord, targetsOf, type LoadedModels } from '../likelihood/report.js';
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

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${what} ${ioError(path, e).message}`); // 'workspace F.json: no such file'
  }
}

export function loadModels(file: string | undefined, v: LikelihoodFlagValues): LoadedModels {
  if (!file) throw new Error('a pyhf workspace JSON file is required (darkscan <command> WS.json ...)');
  const ws = { name: file, text: readText(file, 'workspace') };
  const patchset = v.patchset === undefined ? undefined : { name: v.patchset, text: readText(v.patchset, 'patchset') };
  return loadModelsFromText(ws, { patchset, patch: v.patch, measurement: v.measurement });
}

/** A session over the models, run on the chosen backend; disposes the backend afterwards. */
export async function withSession<T>(v: LikelihoodFlagValues, models: CompiledModel[], ctx: Context, f: (s: FitSession) => Promise<T>): Promise<{ result: T; session: FitSession }> {
  return withBackend(v, async (backend) => {
    const session = new FitSession(backend, models, { signal: ctx.signal, progress: ctx.progress });
    return { result: await f(session), session };
  });
}

export function poiValue(s: string | undefined, def?: number): number | undefined {
  return s === undefined ? def : numArg(s, '--poi-value');
}

