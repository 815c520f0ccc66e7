// pyhf patchsets (schema 1.0.0, pyhf/patchset.py): one background-only workspace plus one RFC 6902
// patch per signal hypothesis. The background workspace is checked against metadata.digests
// before a patch is applied, as PatchSet.apply does; the patched workspace is validated again.
import { applyJsonPatch, checkPatchOp, pyEqual, type JsonPatchOp } from './jsonpatch.js';
import { parsePyJson } from './pyjson.js';
import { Checker, parseWorkspace, workspaceDigest, WorkspaceError, type DigestAlgorithm, type Workspace } from './workspace.js';

export interface PatchMetadata {
  name: string;
  values: (number | string)[];
  [extra: string]: unknown;
}
export interface Patch {
  metadata: PatchMetadata;
  patch: JsonPatchOp[];
}
export interface PatchsetMetadata {
  digests: { md5?: string; sha256?: string };
  labels: string[];
  description: string;
  references: { hepdata?: string };
  [extra: string]: unknown;
}
export interface Patchset {
  metadata: PatchsetMetadata;
  patches: Patch[];
  version: '1.0.0';
}

const NAME = /^[a-zA-Z0-9_]+$/;

/** Validates a parsed patchset (schema + pyhf's unique names / values and label counts). */
export function parsePatchset(json: unknown, source = '<patchset>'): Patchset {
  const c = new Checker(source);
  const p = c.object(json, '', ['metadata', 'patches', 'version']);
  if (p.version !== '1.0.0') c.fail('version', `unsupported patchset version ${JSON.stringify(p.version)} (this reads pyhf spec 1.0.0)`);
  const md = c.object(p.metadata, 'metadata', ['references', 'digests', 'labels', 'description'], [], true);
  const dg = c.object(md.digests, 'metadata.digests', [], ['md5', 'sha256']);
  if (!Object.keys(dg).length) c.fail('metadata.digests', 'needs an md5 or sha256 digest of the background-only workspace');
  if (dg.md5 !== undefined && !/^[a-f0-9]{32}$/.test(c.string(dg.md5, 'metadata.digests.md5'))) c.fail('metadata.digests.md5', `not an md5 hex digest: ${JSON.stringify(dg.md5)}`);
  if (dg.sha256 !== undefined && !/^[a-fA-F0-9]{64}$/.test(c.string(dg.sha256, 'metadata.digests.sha256')))
    c.fail('metadata.digests.sha256', `not a sha256 hex digest: ${JSON.stringify(dg.sha256)}`);
  const refs = c.object(md.references, 'metadata.references', [], ['hepdata']);
  if (!Object.keys(refs).length) c.fail('metadata.references', 'needs at least one reference (e.g. {"hepdata": "ins1234567"})');
  if (refs.hepdata !== undefined && !/^ins[0-9]{7}$/.test(c.string(refs.hepdata, 'metadata.references.hepdata')))
    c.fail('metadata.references.hepdata', `expected 'ins' and 7 digits, got ${JSON.stringify(refs.hepdata)}`);
  c.string(md.description, 'metadata.description');
  const labels = c.array(md.labels, 'metadata.labels', 1).map((l, k) => {
    const s = c.string(l, `metadata.labels[${k}]`);
    if (!NAME.test(s)) c.fail(`metadata.labels[${k}]`, `'${s}' must match ${NAME.source}`);
    return s;
  });
  const patches = c.array(p.patches, 'patches', 1);
  patches.forEach((x, k) => {
    const pp = `patches[${k}]`;
    const patch = c.object(x, pp, ['metadata', 'patch']);
    const pm = c.object(patch.metadata, `${pp}.metadata`, ['name', 'values'], [], true);
    const name = c.string(pm.name, `${pp}.metadata.name`);
    if (!NAME.test(name)) c.fail(`${pp}.metadata.name`, `'${name}' must match ${NAME.source}`);
    const values = c.array(pm.values, `${pp}.metadata.values`);
    values.forEach((v, j) => {
      if (typeof v !== 'string') c.number(v, `${pp}.metadata.values[${j}]`);
    });
    if (values.length !== labels.length) c.fail(`${pp}.metadata.values`, `${values.length} values for ${labels.length} labels (${labels.join(', ')})`);
    c.array(patch.patch, `${pp}.patch`).forEach((op, j) => {
      try {
        checkPatchOp(op, `${pp}.patch[${j}]`);
      } catch (e) {
        c.fail('', (e as Error).message);
      }
    });
  });
  const ps = json as Patchset;
  c.unique(
    ps.patches.map((q) => q.metadata.name),
    (k) => `patches[${k}].metadata.name`,
    'patch name',
  );
  ps.patches.forEach((q, k) => {
    const j = ps.patches.findIndex((o) => pyEqual(o.metadata.values, q.metadata.values));
    if (j < k) c.fail(`patches[${k}].metadata.values`, `duplicate values ${JSON.stringify(q.metadata.values)} (also patches[${j}])`);
  });
  return ps;
}

/** Reads patchset JSON text (keeping Python's int/float distinction in the patch values). */
export function readPatchset(text: string, source = '<patchset>'): Patchset {
  return parsePatchset(parsePyJson(text, source), source);
}

/** Checks the background-only workspace against every digest in the patchset (PatchSet.verify). */
export function verifyPatchset(ps: Patchset, ws: unknown, source = '<patchset>'): void {
  for (const [alg, want] of Object.entries(ps.metadata.digests) as [DigestAlgorithm, string][]) {
    const got = workspaceDigest(ws, alg);
    if (got !== want.toLowerCase())
      throw new WorkspaceError(source, `metadata.digests.${alg}`, `the background-only workspace does not match this patchset (digest verification failed for '${alg}': expected ${want}, got ${got})`);
  }
}

/** A patch by name or by its values (PatchSet.__getitem__). */
export function findPatch(ps: Patchset, key: string | readonly (number | string)[], source = '<patchset>'): Patch {
  const hit = typeof key === 'string' ? ps.patches.find((p) => p.metadata.name === key) : ps.patches.find((p) => pyEqual(p.metadata.values, key));
  if (!hit) throw new WorkspaceError(source, 'patches', `no patch ${typeof key === 'string' ? `named '${key}'` : `with values ${JSON.stringify(key)}`} (have: ${ps.patches.map((p) => p.metadata.name).join(', ')})`);
  return hit;
}

/** Applies one patch to a workspace (a deep copy; jsonpatch semantics) and validates the result. */
export function applyPatch(ws: unknown, patch: Patch | readonly unknown[], source = '<patched workspace>'): Workspace {
  const ops = Array.isArray(patch) ? patch : (patch as Patch).patch;
  const name = Array.isArray(patch) ? source : `${source} (patch '${(patch as Patch).metadata.name}')`;
  let out: unknown;
  try {
    out = applyJsonPatch(ws, ops, 'patch');
  } catch (e) {
    throw new WorkspaceError(name, '', (e as Error).message);
  }
  return parseWorkspace(out, name);
}

/** PatchSet.apply: verify the digests, then apply the patch named (or with the values) `key`. */
export function patchedWorkspace(ps: Patchset, ws: unknown, key: string | readonly (number | string)[], source = '<patchset>'): Workspace {
  verifyPatchset(ps, ws, source);
  return applyPatch(ws, findPatch(ps, key, source), source);
}
