// Window grids for mass scans: overlapping ellipses in two variables (dark Higgsstrahlung:
// (M_mumu, M_recoil)) and intervals in one (M_mumu, M_recoil, E_gamma). Centres step by a
// multiple of the local resolution; semi-axes are k times the resolution. Units: GeV throughout.

import { sqrtS, BELLE2_BEAMS, MUON_MASS_GeV } from './kinematics.js';
import { parseJsonText } from './io/text.js';

export type Resolution = (mGeV: number) => number;

export interface WindowGrid {
  /** Grid name, for provenance (e.g. 'dark-higgsstrahlung'). */
  readonly name: string;
  /** Event columns the windows are in: [x] or [x, y]. */
  readonly variables: readonly string[];
  /** 'ellipse': ((x-cx)/ax)^2 + ((y-cy)/ay)^2 <= 1; 'interval': ((x-cx)/ax)^2 <= 1, i.e. |x - cx| <= ax. */
  readonly shape: 'ellipse' | 'interval';
  /** Centres and semi-axes (GeV); for intervals cy = ay = 0. */
  readonly cx: Float64Array;
  readonly cy: Float64Array;
  readonly ax: Float64Array;
  readonly ay: Float64Array;
  /** How the grid was made (parameters, formulas), recorded in outputs. */
  readonly params: Readonly<Record<string, unknown>>;
}

export const GRID_SCHEMA = 'darkscan-windows/1';

// ---- Default resolution parametrisations (illustrative, smooth, documented; not Belle II's
// official functions: supply your own for a real analysis).

/** sigma(M_mumu) = 0.002 GeV + 0.002 M_mumu: 2.4 MeV near threshold, 23 MeV at 10.5 GeV. */
export const DEFAULT_SIGMA_MUMU: Resolution = (m) => 0.002 + 0.002 * m;
export const DEFAULT_SIGMA_MUMU_DOC = 'sigma_mumu(m) = 0.002 + 0.002 m [GeV]';

/**
 * sigma(M_recoil) = 0.030 + 0.25 / (1 + 4 M) GeV: the recoil resolution is poor at low recoil
 * mass (dM_rec = sqrt(s) dE* / M_rec grows as M_rec -> 0) and ~30-40 MeV at high mass.
 */
export const DEFAULT_SIGMA_RECOIL: Resolution = (m) => 0.03 + 0.25 / (1 + 4 * Math.max(m, 0));
export const DEFAULT_SIGMA_RECOIL_DOC = 'sigma_recoil(m) = 0.030 + 0.25 / (1 + 4 max(m, 0)) [GeV]';

/** Calorimeter-like photon energy resolution sigma_E / E = 0.02 (+) 0.01 / sqrt(E) (in quadrature). */
export const DEFAULT_SIGMA_EGAMMA: Resolution = (e) => Math.max(e, 1e-3) * Math.hypot(0.02, 0.01 / Math.sqrt(Math.max(e, 1e-3)));
export const DEFAULT_SIGMA_EGAMMA_DOC = 'sigma_E(E) = E * sqrt(0.02^2 + (0.01/sqrt(E))^2) [GeV]';

function checkPositive(v: number, what: string): number {
  if (!Number.isFinite(v) || !(v > 0)) throw new RangeError(`${what} must be a positive finite number, got ${v}`);
  return v;
}

/** Centres m_0 = min, m_{i+1} = m_i + step sigma(m_i), while m_i <= max. */
export function stepCentres(min: number, max: number, sigma: Resolution, step: number, what = 'sigma'): number[] {
  checkPositive(step, 'step');
  if (!(Number.isFinite(min) && Number.isFinite(max) && max >= min)) throw new RangeError(`range [${min}, ${max}] is invalid`);
  const out: number[] = [];
  for (let m = min; m <= max; ) {
    out.push(m);
    m += step * checkPositive(sigma(m), `${what}(${m})`);
    if (out.length > 1e7) throw new RangeError('grid: more than 1e7 centres (resolution too fine?)');
  }
  return out;
}

export interface Grid2DOptions {
  readonly sigmaX?: Resolution;
  readonly sigmaY?: Resolution;
  /** Semi-axes in units of sigma (default 2). */
  readonly k?: number;
  /** Step between neighbouring centres in units of sigma (default 2: neighbours overlap, as k > step / 2). */
  readonly step?: number;
  /** M_A' range, GeV (default [2 m_mu, 10.51]). */
  readonly xMin?: number;
  readonly xMax?: number;
  /** Lowest M_h', GeV (default 0). */
  readonly yMin?: number;
  readonly sqrtSGeV?: number;
  readonly sigmaXDoc?: string;
  readonly sigmaYDoc?: string;
}

/**
 * Dark Higgsstrahlung grid: ellipses centred on (M_A', M_h') with M_h' < M_A' and
 * M_A' + M_h' < sqrt(s), semi-axes (k sigma_x(M_A'), k sigma_y(M_h')). Defaults: k = 2, step = 2,
 * M_A' from 2 m_mu to 10.51 GeV, M_h' from 0, the default resolutions: 8960 windows (see
 * test/windows.test.ts, which checks this count).
 */
export function darkHiggsstrahlungGrid(o: Grid2DOptions = {}): WindowGrid {
  const sx = o.sigmaX ?? DEFAULT_SIGMA_MUMU, sy = o.sigmaY ?? DEFAULT_SIGMA_RECOIL;
  const k = checkPositive(o.k ?? 2, 'k'), step = checkPositive(o.step ?? 2, 'step');
  const rs = o.sqrtSGeV ?? sqrtS(BELLE2_BEAMS);
  const xMin = o.xMin ?? 2 * MUON_MASS_GeV, xMax = o.xMax ?? 10.51, yMin = o.yMin ?? 0;
  const cx: number[] = [], cy: number[] = [], ax: number[] = [], ay: number[] = [];
  const ys = stepCentres(yMin, rs, sy, step, 'sigmaY');
  for (const x of stepCentres(xMin, xMax, sx, step, 'sigmaX')) {
    const a = k * sx(x);
    for (const y of ys) {
      if (!(y < x && x + y < rs)) break; // centres ascend: once outside, the rest are too
      cx.push(x); cy.push(y); ax.push(a); ay.push(k * sy(y));
    }
  }
  return {
    name: 'dark-higgsstrahlung',
    variables: ['m_mumu_GeV', 'm_recoil_GeV'],
    shape: 'ellipse',
    cx: Float64Array.from(cx), cy: Float64Array.from(cy), ax: Float64Array.from(ax), ay: Float64Array.from(ay),
    params: {
      k, step, m_mumu_min_GeV: xMin, m_mumu_max_GeV: xMax, m_recoil_min_GeV: yMin, sqrt_s_GeV: rs,
      constraint: "M_h' < M_A' and M_A' + M_h' < sqrt(s)",
      sigma_x: o.sigmaX ? (o.sigmaXDoc ?? 'user-supplied') : DEFAULT_SIGMA_MUMU_DOC,
      sigma_y: o.sigmaY ? (o.sigmaYDoc ?? 'user-supplied') : DEFAULT_SIGMA_RECOIL_DOC,
    },
  };
}

export interface Grid1DOptions {
  readonly variable: string;
  readonly min: number;
  readonly max: number;
  readonly sigma: Resolution;
  readonly k?: number;
  readonly step?: number;
  readonly name?: string;
  readonly sigmaDoc?: string;
}

/** 1D scan: intervals [c - k sigma(c), c + k sigma(c)], centres stepping by step sigma. */
export function grid1D(o: Grid1DOptions): WindowGrid {
  const k = checkPositive(o.k ?? 2, 'k'), step = checkPositive(o.step ?? 2, 'step');
  const c = stepCentres(o.min, o.max, o.sigma, step);
  const n = c.length;
  return {
    name: o.name ?? `1d-${o.variable}`,
    variables: [o.variable],
    shape: 'interval',
    cx: Float64Array.from(c), cy: new Float64Array(n), ax: Float64Array.from(c, (m) => k * o.sigma(m)), ay: new Float64Array(n),
    params: { k, step, min_GeV: o.min, max_GeV: o.max, sigma: o.sigmaDoc ?? 'user-supplied' },
  };
}

/** Named default grids (the CLI's --grid values). */
export const NAMED_GRIDS: Record<string, () => WindowGrid> = {
  'dark-higgsstrahlung': () => darkHiggsstrahlungGrid(),
  'mumu-1d': () => grid1D({ name: 'mumu-1d', variable: 'm_mumu_GeV', min: 2 * MUON_MASS_GeV, max: 10.51, sigma: DEFAULT_SIGMA_MUMU, sigmaDoc: DEFAULT_SIGMA_MUMU_DOC }),
  'recoil-1d': () => grid1D({ name: 'recoil-1d', variable: 'm_recoil_GeV', min: 0, max: 10, sigma: DEFAULT_SIGMA_RECOIL, sigmaDoc: DEFAULT_SIGMA_RECOIL_DOC }),
  'egamma-1d': () => grid1D({ name: 'egamma-1d', variable: 'e_gamma_GeV', min: 0.5, max: 5.28, sigma: DEFAULT_SIGMA_EGAMMA, sigmaDoc: DEFAULT_SIGMA_EGAMMA_DOC }),
};

export function windowCount(g: WindowGrid): number {
  return g.cx.length;
}

/** JSON form: { schema, name, variables, shape, units, params, windows: [[cx, cy, ax, ay] | [c, a], ...] }. */
export function gridToJson(g: WindowGrid): string {
  const two = g.shape === 'ellipse';
  const windows = Array.from(g.cx, (_, i) => (two ? [g.cx[i], g.cy[i], g.ax[i], g.ay[i]] : [g.cx[i], g.ax[i]]));
  return JSON.stringify({ schema: GRID_SCHEMA, name: g.name, variables: g.variables, shape: g.shape, units: 'GeV', params: g.params, window_layout: two ? ['cx', 'cy', 'ax', 'ay'] : ['c', 'a'], windows });
}

/** Parses and validates a grid from JSON; errors name the field and the window index. */
export function gridFromJson(text: string, source = 'grid'): WindowGrid {
  let d: Record<string, unknown>;
  try {
    d = parseJsonText(text) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${source}: ${(e as Error).message}`);
  }
  if (typeof d !== 'object' || d === null || Array.isArray(d)) throw new Error(`${source}: expected an object`);
  if (d.schema !== GRID_SCHEMA) throw new Error(`${source}: field 'schema' must be '${GRID_SCHEMA}', got ${JSON.stringify(d.schema)}`);
  if (d.shape !== 'ellipse' && d.shape !== 'interval') throw new Error(`${source}: field 'shape' must be 'ellipse' or 'interval', got ${JSON.stringify(d.shape)}`);
  if (d.units !== undefined && d.units !== 'GeV') throw new Error(`${source}: field 'units' must be 'GeV', got ${JSON.stringify(d.units)}`);
  const nv = d.shape === 'ellipse' ? 2 : 1;
  const vars = d.variables;
  if (!Array.isArray(vars) || vars.length !== nv || !vars.every((v) => typeof v === 'string' && v !== '')) {
    throw new Error(`${source}: field 'variables' must be ${nv} column name(s) for shape '${d.shape}'`);
  }
  if (!Array.isArray(d.windows)) throw new Error(`${source}: field 'windows' must be an array`);
  const n = d.windows.length;
  const cx = new Float64Array(n), cy = new Float64Array(n), ax = new Float64Array(n), ay = new Float64Array(n);
  const per = 2 * nv;
  d.windows.forEach((w: unknown, i: number) => {
    if (!Array.isArray(w) || w.length !== per) throw new Error(`${source}: windows[${i}] must be an array of ${per} numbers`);
    w.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${source}: windows[${i}][${j}] is not a finite number: ${JSON.stringify(v)}`);
    });
    if (nv === 2) {
      cx[i] = w[0]; cy[i] = w[1]; ax[i] = w[2]; ay[i] = w[3];
      if (!(ay[i] > 0)) throw new Error(`${source}: windows[${i}] semi-axis ay must be > 0, got ${ay[i]}`);
    } else {
      cx[i] = w[0]; ax[i] = w[1];
    }
    if (!(ax[i] > 0)) throw new Error(`${source}: windows[${i}] semi-axis ${nv === 2 ? 'ax' : 'a'} must be > 0, got ${ax[i]}`);
    if (Math.abs(cx[i]) > 1e30 || ax[i] > 1e30 || ay[i] > 1e30) throw new Error(`${source}: windows[${i}] is out of range`);
  });
  const params = typeof d.params === 'object' && d.params !== null ? (d.params as Record<string, unknown>) : {};
  return { name: typeof d.name === 'string' ? d.name : source, variables: vars as string[], shape: d.shape, cx, cy, ax, ay, params };
}
