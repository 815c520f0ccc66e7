// pyhf JSON workspaces, schema version 1.0.0 (pyhf/schemas/1.0.0/defs.json; HistFactory,
// CERN-OPEN-2012-016): types with the JSON's own field names, and a validator whose errors name
// the JSON path. It checks what the schema checks plus what pyhf refuses when it builds the model
// (pyhf/mixins.py duplicates, pyhf/parameters/utils.py name reuse and user-config sizes,
// pyhf/pdf.py sample sizes and the POI), and a few things pyhf lets through silently
// (observations that match no channel, inits outside bounds, non-finite numbers). Configuration
// for a parameter no modifier declares is accepted as pyhf does, and listed by unusedParameters.
import { md5Hex, sha256Hex } from './hash.js';
import { parsePyJson, pyJsonDumps } from './pyjson.js';

export interface Workspace {
  channels: Channel[];
  observations: Observation[];
  measurements: Measurement[];
  version: '1.0.0';
}
export interface Channel {
  name: string;
  samples: Sample[];
}
export interface Sample {
  name: string;
  data: number[];
  modifiers: Modifier[];
}
export interface NormFactor {
  name: string;
  type: 'normfactor';
  data: null;
}
export interface ShapeFactor {
  name: string;
  type: 'shapefactor';
  data: null;
}
export interface Lumi {
  name: 'lumi';
  type: 'lumi';
  data: null;
}
export interface NormSys {
  name: string;
  type: 'normsys';
  data: { hi: number; lo: number };
}
export interface HistoSys {
  name: string;
  type: 'histosys';
  data: { hi_data: number[]; lo_data: number[] };
}
export interface ShapeSys {
  name: string;
  type: 'shapesys';
  data: number[];
}
export interface StatError {
  name: string;
  type: 'staterror';
  data: number[];
}
export type Modifier = NormFactor | ShapeFactor | Lumi | NormSys | HistoSys | ShapeSys | StatError;
export type ModifierType = Modifier['type'];
export const MODIFIER_TYPES: readonly ModifierType[] = ['histosys', 'lumi', 'normfactor', 'normsys', 'shapefactor', 'shapesys', 'staterror'];

export interface ParameterConfig {
  name: string;
  inits?: number[];
  bounds?: [number, number][];
  fixed?: boolean;
  auxdata?: number[];
  sigmas?: number[];
  factors?: number[];
}
export interface Measurement {
  name: string;
  config: { poi: string; parameters: ParameterConfig[] };
}
export interface Observation {
  name: string;
  data: number[];
}

/** A workspace or patchset that does not validate; `path` is the JSON path (`channels[1].samples[0]`). */
export class WorkspaceError extends Error {
  constructor(readonly source: string, readonly path: string, message: string) {
    super(`${source}: ${path ? `${path}: ` : ''}${message}`);
    this.name = 'WorkspaceError';
  }
}

/** How pyhf constrains a parameter (paramset_type in pyhf/modifiers/<type>.py required_parset). */
export type ParameterKind = 'unconstrained' | 'normal' | 'poisson';
/** One parameter of the model as the modifiers declare it: kind, size, and where it is first used. */
export interface ParameterShape {
  name: string;
  kind: ParameterKind;
  n: number;
  types: ModifierType[];
  firstPath: string;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === 'object' && !Array.isArray(x);
const fmt = (x: unknown) => (x === undefined ? 'nothing' : JSON.stringify(x));

/** Validation helpers bound to a source name. */
export class Checker {
  constructor(readonly source: string) {}
  fail(path: string, msg: string): never {
    throw new WorkspaceError(this.source, path, msg);
  }
  object(x: unknown, path: string, required: readonly string[], optional: readonly string[] = [], extraOk = false): Obj {
    if (!isObj(x)) this.fail(path, `expected an object, got ${fmt(x)}`);
    for (const k of required) if (!(k in x)) this.fail(path, `missing '${k}'`);
    if (!extraOk) for (const k of Object.keys(x)) if (!required.includes(k) && !optional.includes(k)) this.fail(path ? `${path}.${k}` : k, `unknown field (allowed: ${[...required, ...optional].join(', ')})`);
    return x;
  }
  array(x: unknown, path: string, minItems = 0): unknown[] {
    if (!Array.isArray(x)) this.fail(path, `expected an array, got ${fmt(x)}`);
    if (x.length < minItems) this.fail(path, `needs at least ${minItems} item${minItems > 1 ? 's' : ''}`);
    return x;
  }
  string(x: unknown, path: string): string {
    if (typeof x !== 'string') this.fail(path, `expected a string, got ${fmt(x)}`);
    return x;
  }
  number(x: unknown, path: string): number {
    if (typeof x !== 'number' || !Number.isFinite(x)) this.fail(path, `expected a finite number, got ${fmt(x)}`);
    return x;
  }
  numbers(x: unknown, path: string, o: { n?: number; what?: string; min?: number; minItems?: number } = {}): number[] {
    const a = this.array(x, path, o.minItems ?? 1);
    if (o.n !== undefined && a.length !== o.n) this.fail(path, `${a.length} values for ${o.n} ${o.what ?? 'bins'}`);
    a.forEach((v, k) => {
      this.number(v, `${path}[${k}]`);
      if (o.min !== undefined && (v as number) < o.min) this.fail(`${path}[${k}]`, `${v} is negative`);
    });
    return a as number[];
  }
  unique(names: readonly string[], path: (k: number) => string, what: string): void {
    const seen = new Map<string, number>();
    names.forEach((n, k) => {
      const j = seen.get(n);
      if (j !== undefined) this.fail(path(k), `duplicate ${what} '${n}' (also ${path(j)})`);
      seen.set(n, k);
    });
  }
}

/** The signature two modifiers sharing a parameter name must agree on (pyhf InvalidNameReuse). */
function requirement(m: Modifier, nbins: number, sampleData: number[]): { kind: ParameterKind; n: number; sig: string } {
  switch (m.type) {
    case 'normfactor':
      return { kind: 'unconstrained', n: 1, sig: 'normfactor' };
    case 'shapefactor':
      return { kind: 'unconstrained', n: nbins, sig: `shapefactor/${nbins}` };
    case 'lumi':
      return { kind: 'normal', n: 1, sig: 'lumi' };
    case 'normsys':
    case 'histosys': // identical required_parset: a normsys and a histosys of one name share it
      return { kind: 'normal', n: 1, sig: 'normsys|histosys' };
    case 'staterror':
      return { kind: 'normal', n: nbins, sig: `staterror/${nbins}` };
    case 'shapesys': {
      // tau = (b / sigma_b)^2 per bin enters the requirement (pyhf/modifiers/shapesys.py).
      const factors = m.data.map((u, k) => (u > 0 && sampleData[k] > 0 ? (sampleData[k] / u) ** 2 : 1));
      return { kind: 'poisson', n: nbins, sig: `shapesys/${factors.join(',')}` };
    }
  }
}

function checkModifier(c: Checker, x: unknown, path: string, nbins: number): Modifier {
  const m = c.object(x, path, ['name', 'type', 'data']);
  const type = c.string(m.type, `${path}.type`);
  const name = c.string(m.name, `${path}.name`);
  if (!(MODIFIER_TYPES as readonly string[]).includes(type)) c.fail(`${path}.type`, `unknown modifier type '${type}' (known: ${MODIFIER_TYPES.join(', ')})`);
  const d = `${path}.data`;
  switch (type as ModifierType) {
    case 'lumi':
      if (name !== 'lumi') c.fail(`${path}.name`, `a lumi modifier must be named 'lumi' (spec 1.0.0), got '${name}'`);
    // falls through
    case 'normfactor':
    case 'shapefactor':
      if (m.data !== null) c.fail(d, `a ${type} modifier has data null, got ${fmt(m.data)}`);
      break;
    case 'normsys': {
      const o = c.object(m.data, d, ['hi', 'lo']);
      // Interpolation code 4 takes log(hi), log(lo) (pyhf/interpolators/code4.py).
      for (const k of ['hi', 'lo']) if (c.number(o[k], `${d}.${k}`) <= 0) c.fail(`${d}.${k}`, `${o[k]} must be > 0 (a normsys factor; code 4 interpolates its logarithm)`);
      break;
    }
    case 'histosys': {
      const o = c.object(m.data, d, ['hi_data', 'lo_data']);
      c.numbers(o.hi_data, `${d}.hi_data`, { n: nbins });
      c.numbers(o.lo_data, `${d}.lo_data`, { n: nbins });
      break;
    }
    case 'shapesys':
    case 'staterror':
      c.numbers(m.data, d, { n: nbins, min: 0 });
      break;
  }
  return m as unknown as Modifier;
}

/** Parameters of the model: one entry per parameter name, checked for consistent reuse. */
export function parameterShapes(ws: Workspace, source = '<workspace>'): Map<string, ParameterShape> {
  const c = new Checker(source);
  const out = new Map<string, ParameterShape & { sig: string }>();
  ws.channels.forEach((ch, ci) => {
    const nbins = ch.samples[0].data.length;
    ch.samples.forEach((s, si) =>
      s.modifiers.forEach((m, mi) => {
        const path = `channels[${ci}].samples[${si}].modifiers[${mi}]`;
        const r = requirement(m, nbins, s.data);
        const prev = out.get(m.name);
        if (!prev) out.set(m.name, { name: m.name, kind: r.kind, n: r.n, types: [m.type], firstPath: path, sig: r.sig });
        else {
          if (prev.sig !== r.sig)
            c.fail(
              path,
              prev.types.includes(m.type)
                ? `${m.type} '${m.name}' is declared again with a different shape or data than at ${prev.firstPath} (pyhf refuses the reuse: use unique modifier names)`
                : `parameter '${m.name}' is a ${m.type} here but a ${prev.types.join('/')} at ${prev.firstPath} (pyhf refuses the reuse: use unique modifier names)`,
            );
          if (!prev.types.includes(m.type)) prev.types.push(m.type);
        }
      }),
    );
  });
  return new Map([...out].map(([k, { sig: _sig, ...v }]) => [k, v]));
}

function checkMeasurement(c: Checker, x: unknown, path: string, params: Map<string, ParameterShape>): void {
  const m = c.object(x, path, ['name', 'config']);
  c.string(m.name, `${path}.name`);
  const cfg = c.object(m.config, `${path}.config`, ['poi', 'parameters']);
  c.string(cfg.poi, `${path}.config.poi`); // declared? checked by measurement(): a background-only workspace of a patchset may lack it
  const list = c.array(cfg.parameters, `${path}.config.parameters`);
  const names = list.map((p, k) => {
    const pathK = `${path}.config.parameters[${k}]`;
    const o = c.object(p, pathK, ['name'], ['inits', 'bounds', 'fixed', 'auxdata', 'sigmas', 'factors']);
    const name = c.string(o.name, `${pathK}.name`);
    // pyhf ignores config for a parameter no modifier declares (its own validation workspaces have
    // one for an absent lumi): accepted, checked for shape as far as possible, listed by unusedParameters.
    const shape: Pick<ParameterShape, 'n' | 'kind' | 'types'> = params.get(name) ?? {
      n: Array.isArray(o.inits) ? o.inits.length : Array.isArray(o.bounds) ? o.bounds.length : Array.isArray(o.auxdata) ? o.auxdata.length : 1,
      kind: 'normal',
      types: [],
    };
    const what = `components of '${name}'`;
    if (o.fixed !== undefined && typeof o.fixed !== 'boolean') c.fail(`${pathK}.fixed`, `expected true or false, got ${fmt(o.fixed)}`);
    if (o.inits !== undefined) c.numbers(o.inits, `${pathK}.inits`, { n: shape.n, what });
    let bounds: unknown[] | undefined;
    if (o.bounds !== undefined) {
      bounds = c.array(o.bounds, `${pathK}.bounds`, 1);
      if (bounds.length !== shape.n) c.fail(`${pathK}.bounds`, `${bounds.length} values for ${shape.n} ${what}`);
      bounds.forEach((b, j) => {
        const [lo, hi] = c.numbers(b, `${pathK}.bounds[${j}]`, { n: 2, what: 'ends (lo, hi)' });
        if (!(lo <= hi)) c.fail(`${pathK}.bounds[${j}]`, `lower bound ${lo} is above upper bound ${hi}`);
      });
    }
    if (o.inits !== undefined && bounds !== undefined)
      (o.inits as number[]).forEach((v, j) => {
        const [lo, hi] = bounds![j] as number[];
        if (v < lo || v > hi) c.fail(`${pathK}.inits[${j}]`, `initial value ${v} is outside its bounds [${lo}, ${hi}]`);
      });
    for (const k of ['auxdata', 'sigmas'] as const) {
      if (o[k] === undefined) continue;
      if (shape.kind === 'unconstrained') c.fail(`${pathK}.${k}`, `'${name}' is an unconstrained ${shape.types.join('/')}: it has no ${k}`);
      if (k === 'sigmas' && shape.kind === 'poisson') c.fail(`${pathK}.sigmas`, `'${name}' is a Poisson-constrained shapesys: it has no sigmas`);
      c.numbers(o[k], `${pathK}.${k}`, { n: shape.n, what, min: k === 'sigmas' ? 0 : undefined });
    }
    if (o.factors !== undefined) {
      if (shape.kind !== 'poisson') c.fail(`${pathK}.factors`, `'${name}' is a ${shape.types.join('/')}: only a shapesys has factors`);
      c.numbers(o.factors, `${pathK}.factors`, { n: shape.n, what });
    }
    return name;
  });
  c.unique(names, (k) => `${path}.config.parameters[${k}].name`, 'parameter');
  // lumi has no defaults: pyhf needs its inits, bounds, auxdata and sigmas from the measurement
  // (pyhf/modifiers/lumi.py required_parset is all None; without them pyhf fails with a TypeError).
  if (params.has('lumi')) {
    const k = (list as ParameterConfig[]).findIndex((p) => p.name === 'lumi');
    const cfgLumi = (list as ParameterConfig[])[k];
    const missing = (['inits', 'bounds', 'auxdata', 'sigmas'] as const).filter((f) => cfgLumi?.[f] === undefined);
    if (missing.length)
      c.fail(
        k < 0 ? `${path}.config.parameters` : `${path}.config.parameters[${k}]`,
        `the model has a lumi modifier, so the measurement must give 'lumi' ${missing.join(', ')} (e.g. {"name": "lumi", "auxdata": [1.0], "sigmas": [0.017], "inits": [1.0], "bounds": [[0.5, 1.5]]})`,
      );
  }
}

/**
 * Validates a parsed pyhf workspace (spec 1.0.0) and returns it typed (the same object, so a tree
 * from `parsePyJson` keeps what `workspaceDigest` needs). Errors name the JSON path.
 */
export function parseWorkspace(json: unknown, source = '<workspace>'): Workspace {
  const c = new Checker(source);
  const w = c.object(json, '', ['channels', 'measurements', 'observations', 'version']);
  if (w.version !== '1.0.0') c.fail('version', `unsupported workspace version ${fmt(w.version)} (this reads pyhf spec 1.0.0)`);
  const channels = c.array(w.channels, 'channels', 1);
  const nbinsOf = new Map<string, number>();
  channels.forEach((chx, ci) => {
    const p = `channels[${ci}]`;
    const ch = c.object(chx, p, ['name', 'samples']);
    const cname = c.string(ch.name, `${p}.name`);
    const samples = c.array(ch.samples, `${p}.samples`, 1);
    let nbins = -1;
    samples.forEach((sx, si) => {
      const sp = `${p}.samples[${si}]`;
      const s = c.object(sx, sp, ['name', 'data', 'modifiers']);
      c.string(s.name, `${sp}.name`);
      const data = c.numbers(s.data, `${sp}.data`, nbins < 0 ? {} : { n: nbins, what: `bins (channel '${cname}' has ${nbins}, from samples[0])` });
      nbins = data.length;
      const mods = c.array(s.modifiers, `${sp}.modifiers`).map((m, mi) => checkModifier(c, m, `${sp}.modifiers[${mi}]`, nbins));
      mods.forEach((m, k) => {
        const j = mods.findIndex((o) => o.name === m.name && o.type === m.type);
        if (j < k) c.fail(`${sp}.modifiers[${k}]`, `duplicate ${m.type} modifier '${m.name}' on one sample (also ${sp}.modifiers[${j}])`);
      });
    });
    c.unique(
      (samples as Sample[]).map((s) => s.name),
      (k) => `${p}.samples[${k}].name`,
      `sample in channel '${cname}'`,
    );
    nbinsOf.set(cname, nbins);
  });
  const ws = json as Workspace;
  c.unique(
    ws.channels.map((ch) => ch.name),
    (k) => `channels[${k}].name`,
    'channel',
  );

  const obs = c.array(w.observations, 'observations', 1);
  obs.forEach((ox, k) => {
    const p = `observations[${k}]`;
    const o = c.object(ox, p, ['name', 'data']);
    const name = c.string(o.name, `${p}.name`);
    const nb = nbinsOf.get(name);
    if (nb === undefined) c.fail(`${p}.name`, `observation '${name}' matches no channel (channels: ${[...nbinsOf.keys()].join(', ')})`);
    c.numbers(o.data, `${p}.data`, { n: nb, what: `bins of channel '${name}'`, min: 0 });
  });
  c.unique(
    ws.observations.map((o) => o.name),
    (k) => `observations[${k}].name`,
    'observation',
  );
  for (const [k, ch] of ws.channels.entries())
    if (!ws.observations.some((o) => o.name === ch.name)) c.fail('observations', `no observation for channel '${ch.name}' (channels[${k}])`);

  const params = parameterShapes(ws, source);
  c.array(w.measurements, 'measurements', 1).forEach((m, k) => checkMeasurement(c, m, `measurements[${k}]`, params));
  c.unique(
    ws.measurements.map((m) => m.name),
    (k) => `measurements[${k}].name`,
    'measurement',
  );
  return ws;
}

/** Parameters a measurement configures that no modifier declares (pyhf ignores them silently). */
export function unusedParameters(ws: Workspace, m: Measurement = ws.measurements[0]): string[] {
  const params = parameterShapes(ws);
  return m.config.parameters.map((p) => p.name).filter((n) => !params.has(n));
}

/** Reads workspace JSON text (keeping Python's int/float distinction for the digest). */
export function readWorkspace(text: string, source = '<workspace>'): Workspace {
  return parseWorkspace(parsePyJson(text, source), source);
}

/**
 * The measurement by name, or the first one (pyhf Workspace.get_measurement), checked for a model:
 * its POI must be a scalar parameter some modifier declares (pyhf/pdf.py set_poi). A background-only
 * workspace (patchset) passes parseWorkspace without its signal, but not this.
 */
export function measurement(ws: Workspace, name?: string, source = '<workspace>'): Measurement {
  const k = name === undefined ? 0 : ws.measurements.findIndex((x) => x.name === name);
  if (k < 0) throw new WorkspaceError(source, 'measurements', `no measurement named '${name}' (have: ${ws.measurements.map((x) => x.name).join(', ')})`);
  const m = ws.measurements[k];
  const params = parameterShapes(ws, source);
  const pp = params.get(m.config.poi);
  const path = `measurements[${k}].config.poi`;
  if (!pp) throw new WorkspaceError(source, path, `the parameter of interest '${m.config.poi}' is not declared by any modifier (parameters: ${[...params.keys()].join(', ')})`);
  if (pp.n !== 1) throw new WorkspaceError(source, path, `the parameter of interest '${m.config.poi}' has ${pp.n} components (a ${pp.types.join('/')}); pyhf supports only a scalar POI`);
  return m;
}

export type DigestAlgorithm = 'sha256' | 'md5';
/** pyhf.utils.digest: hash of json.dumps(obj, sort_keys=True, ensure_ascii=False) in UTF-8. */
export function workspaceDigest(json: unknown, algorithm: DigestAlgorithm = 'sha256'): string {
  const text = pyJsonDumps(json);
  return algorithm === 'sha256' ? sha256Hex(text) : md5Hex(text);
}
