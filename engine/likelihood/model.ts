// A pyhf workspace + measurement -> the HistFactory model the fit kernel packs (FitModel), with
// pyhf's parameter names, defaults and constraints, and the observed data block.
// Formulas and defaults follow pyhf 0.7 (pyhf/modifiers/<type>.py required_parset,
// pyhf/constraints.py) and the HistFactory note CERN-OPEN-2012-016:
//   lambda_cb = sum_s (nom_csb + sum_histosys delta_csb(alpha)) * prod_multiplicative kappa_csb(theta)
//   L = prod_cb Pois(n_cb | lambda_cb) * prod_normal N(a | theta, sigma) * prod_shapesys Pois(a | tau gamma)
// Channels, samples and parameters are taken in name order as pyhf does (mixins.py, pdf.py).
import type { AddRec, FitEntry, FitModel, FitParam, MulRec } from '../../kernels/fit/layout.js';
import { checkFitModel } from '../../kernels/fit/layout.js';
import { measurement as getMeasurement, parameterShapes, WorkspaceError, type Measurement, type ParameterKind, type Workspace } from './workspace.js';

export interface ModelOptions {
  /** Measurement name (default: the first, as pyhf). */
  readonly measurement?: string;
  /** normsys interpolation: 4 (pyhf's default) or 1 (piecewise exponential, pyhf's validation against ROOT). */
  readonly normsysCode?: 1 | 4;
  /** histosys interpolation: 4 (code 4p, pyhf's default) or 0 (piecewise linear, ROOT's; what pyhf uses when modifier_settings names only normsys). */
  readonly histosysCode?: 0 | 4;
  /** Source name for errors. */
  readonly source?: string;
}

/** One named parameter (a scalar or a per-bin set) and where its components sit in theta. */
export interface ParamSlice {
  readonly name: string;
  readonly kind: ParameterKind;
  readonly start: number;
  readonly n: number;
  readonly types: readonly string[];
}

export interface CompiledModel {
  readonly fit: FitModel;
  readonly params: readonly ParamSlice[];
  readonly poiName: string;
  readonly poi: number;
  readonly channels: readonly { readonly name: string; readonly nbins: number }[];
  /** Observed data block: main counts by channel, then Gaussian and Poisson auxiliary data. */
  readonly observed: Float64Array;
  readonly measurement: string;
}

const byName = <T extends { name: string }>(a: readonly T[]) => [...a].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));

/**
 * Builds the model of `ws` for one measurement. Per pyhf: normfactor (inits 1, bounds [0, 10]),
 * shapefactor (1, [0, 10] per bin), lumi (inits / bounds / auxdata / sigmas from the measurement),
 * normsys and histosys (0, [-5, 5], N(0 | alpha, 1)), staterror (1, [1e-10, 10],
 * N(1 | gamma, sigma_rel) with sigma_rel = sqrt(sum_s delta_s^2) / sum_s nom_s over the samples
 * carrying it; sigma_rel = 0 fixes the bin), shapesys (1, [1e-10, 10], Pois(tau | tau gamma),
 * tau = (nom / sigma)^2; a bin with nom or sigma 0 is fixed). The measurement's parameter
 * configuration (inits, bounds, fixed, auxdata, sigmas, factors) overrides the defaults.
 */
export function compileModel(ws: Workspace, opts: ModelOptions = {}): CompiledModel {
  const source = opts.source ?? '<workspace>';
  const meas: Measurement = getMeasurement(ws, opts.measurement, source);
  const mIndex = ws.measurements.indexOf(meas);
  const shapes = parameterShapes(ws, source);
  const channels = byName(ws.channels).map((ch) => ({ ch, nbins: ch.samples[0].data.length }));

  // Per-bin nominal and staterror sums (staterror sigma_rel needs every sample carrying it).
  const statNom = new Map<string, number[]>(), statVar = new Map<string, number[]>();
  for (const { ch } of channels) {
    for (const s of ch.samples) {
      for (const m of s.modifiers) {
        if (m.type !== 'staterror') continue;
        const nom = statNom.get(m.name) ?? new Array(s.data.length).fill(0);
        const vr = statVar.get(m.name) ?? new Array(s.data.length).fill(0);
        s.data.forEach((v, i) => { nom[i] += v; vr[i] += m.data[i] * m.data[i]; });
        statNom.set(m.name, nom);
        statVar.set(m.name, vr);
      }
    }
  }

  // Parameters in name order; defaults per modifier type, then the measurement's configuration.
  const slices: ParamSlice[] = [];
  const params: FitParam[] = [];
  const aux: { p: number; kind: 'normal' | 'poisson'; value: number; sigma?: number; tau?: number }[] = [];
  const names = [...shapes.keys()].sort();
  const cfgOf = new Map(meas.config.parameters.map((p, k) => [p.name, { p, k }]));
  const shapesysTau = new Map<string, number[]>();
  for (const { ch } of channels) for (const s of ch.samples) for (const m of s.modifiers) {
    if (m.type === 'shapesys' && !shapesysTau.has(m.name)) shapesysTau.set(m.name, m.data.map((u, i) => (u > 0 && s.data[i] > 0 ? (s.data[i] / u) ** 2 : -1)));
  }
  for (const name of names) {
    const sh = shapes.get(name)!;
    const start = params.length;
    const cfg = cfgOf.get(name);
    const cpath = cfg ? `measurements[${mIndex}].config.parameters[${cfg.k}]` : '';
    const t = sh.types;
    let inits: number[], bounds: [number, number][], fixed: boolean[];
    let auxd: number[] | undefined, sig: number[] | undefined, fac: number[] | undefined;
    const n = sh.n;
    const rep = <T>(v: T) => new Array<T>(n).fill(v);
    if (t.includes('normfactor') || t.includes('shapefactor')) {
      inits = rep(1); bounds = rep([0, 10]); fixed = rep(false);
    } else if (t.includes('lumi')) {
      inits = cfg?.p.inits ?? [NaN]; bounds = (cfg?.p.bounds as [number, number][]) ?? [[NaN, NaN]]; fixed = [false];
      auxd = cfg?.p.auxdata; sig = cfg?.p.sigmas;
      if (!auxd || !sig || !cfg?.p.inits || !cfg?.p.bounds) throw new WorkspaceError(source, `measurements[${mIndex}].config.parameters`, `the lumi modifier needs 'lumi' inits, bounds, auxdata and sigmas in the measurement`);
    } else if (t.includes('normsys') || t.includes('histosys')) {
      inits = [0]; bounds = [[-5, 5]]; fixed = [false]; auxd = [0]; sig = [1];
    } else if (t.includes('staterror')) {
      const nom = statNom.get(name)!, vr = statVar.get(name)!;
      // relative uncertainty of the summed samples (pyhf modifiers/staterror.py)
      const rel = nom.map((v, i) => (v > 0 ? Math.sqrt(vr[i]) / v : 0));
      inits = rep(1); bounds = rep([1e-10, 10]); fixed = rel.map((r) => r === 0);
      auxd = rep(1); sig = rel.map((r) => (r === 0 ? 1 : r));
    } else {
      // shapesys: tau = (nom / sigma)^2, auxdata = tau (pyhf modifiers/shapesys.py)
      const tau = shapesysTau.get(name)!;
      inits = rep(1); bounds = rep([1e-10, 10]); fixed = tau.map((x) => x < 0);
      fac = tau.map((x) => (x < 0 ? 1 : x)); auxd = fac.slice();
    }
    if (cfg) {
      if (cfg.p.inits) inits = cfg.p.inits.slice();
      if (cfg.p.bounds) bounds = cfg.p.bounds.map((b) => [b[0], b[1]] as [number, number]);
      if (cfg.p.fixed !== undefined) fixed = rep(cfg.p.fixed);
      if (cfg.p.auxdata) auxd = cfg.p.auxdata.slice();
      if (cfg.p.sigmas) sig = cfg.p.sigmas.slice();
      if (cfg.p.factors) fac = cfg.p.factors.slice();
    }
    for (let i = 0; i < n; i++) {
      if (!(bounds[i][0] <= inits[i] && inits[i] <= bounds[i][1]) && !fixed[i]) {
        throw new WorkspaceError(source, cpath || `measurements[${mIndex}].config.parameters`, `initial value ${inits[i]} of '${name}'${n > 1 ? `[${i}]` : ''} is outside its bounds [${bounds[i][0]}, ${bounds[i][1]}]`);
      }
      params.push({ init: inits[i], lo: bounds[i][0], hi: bounds[i][1], fixed: fixed[i] });
      if (sh.kind === 'normal') {
        if (!(sig![i] > 0)) throw new WorkspaceError(source, cpath, `sigma ${sig![i]} of '${name}'${n > 1 ? `[${i}]` : ''} must be > 0`);
        aux.push({ p: start + i, kind: 'normal', value: auxd![i], sigma: sig![i] });
      } else if (sh.kind === 'poisson') {
        aux.push({ p: start + i, kind: 'poisson', value: auxd![i], tau: fac![i] });
      }
    }
    slices.push({ name, kind: sh.kind, start, n, types: t });
  }
  const index = new Map(slices.map((s) => [s.name, s]));
  const poiSlice = index.get(meas.config.poi)!;

  // Main bins: channels and samples in name order.
  const bins: FitEntry[][] = [];
  const observed: number[] = [];
  for (const { ch, nbins } of channels) {
    const obs = ws.observations.find((o) => o.name === ch.name)!;
    const samples = byName(ch.samples);
    for (let b = 0; b < nbins; b++) {
      bins.push(samples.map((s) => {
        const add: AddRec[] = [];
        const mul: MulRec[] = [];
        for (const m of s.modifiers) {
          const sl = index.get(m.name)!;
          switch (m.type) {
            case 'histosys':
              add.push({ p: sl.start, du: m.data.hi_data[b] - s.data[b], dd: s.data[b] - m.data.lo_data[b], code: opts.histosysCode ?? 4 });
              break;
            case 'normsys':
              mul.push({ kind: 'normsys', p: sl.start, up: m.data.hi, dn: m.data.lo, code: opts.normsysCode ?? 4 });
              break;
            case 'normfactor':
            case 'lumi':
              mul.push({ kind: 'linear', p: sl.start });
              break;
            default: // shapefactor, shapesys, staterror: one parameter per bin
              mul.push({ kind: 'linear', p: sl.start + b });
          }
        }
        return { nom: s.data[b], add, mul };
      }));
      observed.push(obs.data[b]);
    }
  }
  const gauss = aux.filter((a) => a.kind === 'normal').map((a) => ({ p: a.p, sigma: a.sigma! }));
  const pois = aux.filter((a) => a.kind === 'poisson').map((a) => ({ p: a.p, tau: a.tau! }));
  for (const a of aux) if (a.kind === 'normal') observed.push(a.value);
  for (const a of aux) if (a.kind === 'poisson') observed.push(a.value);
  const fit: FitModel = { params, poi: poiSlice.start, bins, gauss, pois };
  checkFitModel(fit, source);
  return {
    fit,
    params: slices,
    poiName: meas.config.poi,
    poi: poiSlice.start,
    channels: channels.map(({ ch, nbins }) => ({ name: ch.name, nbins })),
    observed: Float64Array.from(observed),
    measurement: meas.name,
  };
}

/** pyhf-style {name: value | [values]}: a list for a parameter with several components (pyhf par_slice). */
export function namedValues(m: CompiledModel, theta: ArrayLike<number>): Record<string, number | number[]> {
  const out: Record<string, number | number[]> = {};
  for (const s of m.params) {
    const v = Array.from({ length: s.n }, (_, i) => theta[s.start + i]);
    out[s.name] = s.n === 1 ? v[0] : v;
  }
  return out;
}
