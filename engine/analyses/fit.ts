// The fit model of the search pipeline (issue 15, item 3): where the papers fit the mass spectrum
// (Z' -> mu mu: PRD 109 (2024) 112015, fits to M(mu mu) per mass hypothesis), each mass hypothesis
// gets a binned HistFactory model of the scan variable around it (CERN-OPEN-2012-016; pyhf JSON):
//   signal      Gaussian of the resolution sigma(x) at the hypothesis, truncated to the fit range,
//               normalised to `signal_events_per_mu` events; normfactor 'mu' (the POI)
//   background  the selected simulation (weighted) in the same bins, smoothed by a quadratic
//               (smoothBackground), its statistical uncertainty as a tilt and a curvature (histosys), and a free
//               normalisation (normfactor bkg_norm_<channel>: the data's sidebands set the level);
//               with `edges` (one MLP per range of the scan variable) both ranges stop at the edges
//               of the range holding the hypothesis, where the background steps
//   data        the selected (pseudo-)data in the same bins.
// All hypotheses form ONE background-only workspace (one channel per hypothesis) and ONE patchset
// (one patch per hypothesis: keep its channel and observation, add the signal), so that pyhf reads
// exactly what was fitted; darkscan compiles the patched models and fits them all in batched
// kernel dispatches (engine/likelihood: upper limits with q~_mu, and q_0 for the local significance).
import type { Backend } from '../../host/backend.js';
import { compileModel, type CompiledModel } from '../likelihood/model.js';
import { FitSession, hypotests, upperLimits } from '../likelihood/infer.js';
import { applyPatch } from '../likelihood/patchset.js';
import { workspaceDigest, type Workspace, type Channel, type Observation } from '../likelihood/workspace.js';
import { normCdf } from '../stats/special.js';
import { ASYMPTOTIC_MIN_B } from '../stats/windows.js';
import type { Patchset } from '../likelihood/patchset.js';

/** How a search fits each mass hypothesis (the definition's `fit`). */
export interface FitSpec {
  /** Resolution of the scan variable at x (GeV): the width of the signal Gaussian and of the bins (absent: each hypothesis gives its own, FitWindowInput.sigma). */
  readonly sigma?: (x: number) => number;
  /** The fit range: x +- halfRangeSigma sigma(x). */
  readonly halfRangeSigma: number;
  /** Bins per sigma(x) (2 halfRangeSigma binsPerSigma bins in all). */
  readonly binsPerSigma: number;
  /** One line on the signal and background shapes, for results and the patchset description. */
  readonly doc: string;
  /**
   * Edges in the scan variable that no fit range crosses (the MLP ranges' edges: each range has its
   * own score cut, so the background steps there and a quadratic cannot follow): the fit range and
   * the background curve's range stop at the edges of the interval holding the hypothesis.
   */
  readonly edges?: readonly number[];
}

/**
 * The fit range of a hypothesis at x: x +- halfRangeSigma sigma(x), clipped to the interval
 * [edges[k], edges[k + 1]) holding x when the spec has edges (`clipped`: whether it was cut). `wide`: the
 * same for WIDE times the half range (the background curve's range).
 */
export function fitRange(spec: FitSpec, x: number, wide = 1, sigma = fitSigma(spec, x), edges = spec.edges): { lo: number; hi: number; clipped: boolean } {
  const half = wide * spec.halfRangeSigma * sigma;
  let lo = x - half, hi = x + half;
  if (!edges || edges.length < 2) return { lo, hi, clipped: false };
  let k = 0;
  while (k + 2 < edges.length && x >= edges[k + 1]) k++;
  const a = edges[k], b = edges[k + 1];
  const clipped = lo < a || hi > b;
  lo = Math.max(lo, a);
  hi = Math.min(hi, b);
  return { lo, hi, clipped };
}

/** The spec's resolution at x (a hypothesis without its own sigma needs the spec's). */
export function fitSigma(spec: FitSpec, x: number): number {
  if (!spec.sigma) throw new Error(`fit model: no resolution at x = ${x} (the spec has no sigma and the hypothesis gives none)`);
  return spec.sigma(x);
}

/** The POI's upper bound (in units of signal_events_per_mu). */
export const MU_MAX = 1000;
export const POI = 'mu';

/** One mass hypothesis: where it sits and the scale of its POI. */
export interface FitHypothesis {
  /** Window index in the grid. */
  readonly window: number;
  readonly mass_GeV: number;
  /** The sample (FitInputs.samples) it is fitted in, e.g. a decay channel; absent: the inputs' own. */
  readonly channel?: string;
  /** Centre and range in the scan variable. */
  readonly x_GeV: number;
  readonly lo_GeV: number;
  readonly hi_GeV: number;
  readonly bins: number;
  /** The bins' edges in the scan variable (bins + 1): pseudo-experiments are histogrammed in them (fitlee.ts). */
  readonly edges: readonly number[];
  /** Signal events at mu = 1 (all of the signal in the fit range). */
  readonly signalEventsPerMu: number;
  /** Background expected in the fit range (simulation, weighted). */
  readonly background: number;
  /** The signal per bin at mu = 1 (signalEventsPerMu events in all). */
  readonly signal: readonly number[];
}

export interface FitWindow {
  /** Upper limit on mu (CL), observed and expected [-2s, -1s, median, +1s, +2s]. */
  readonly muUp: number;
  readonly muUpExpected: number[];
  readonly muHat: number;
  readonly pLocal: number;
  readonly zLocal: number;
}

/** Sorted values with prefix sums of the weights and squared weights (histograms by binary search). */
export class Sorted {
  readonly x: Float64Array;
  readonly w1: Float64Array;
  readonly w2: Float64Array;
  constructor(x: ArrayLike<number>, w?: ArrayLike<number>) {
    const idx = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a] - x[b] || a - b);
    this.x = Float64Array.from(idx, (i) => x[i]);
    this.w1 = new Float64Array(idx.length + 1);
    this.w2 = new Float64Array(idx.length + 1);
    idx.forEach((i, k) => {
      const wi = w ? w[i] : 1;
      this.w1[k + 1] = this.w1[k] + wi;
      this.w2[k + 1] = this.w2[k] + wi * wi;
    });
  }
  /** Number of values < v. */
  below(v: number): number {
    let lo = 0, hi = this.x.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.x[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** Mean weight of the values in [lo, hi) (of all values when none is there; 1 when there are none). */
  meanWeight(lo: number, hi: number): number {
    const a = this.below(lo), b = this.below(hi);
    if (b > a) return (this.w1[b] - this.w1[a]) / (b - a);
    const n = this.x.length;
    return n ? this.w1[n] / n : 1;
  }
  /** Sums of w and w^2 in [edges[j], edges[j + 1]) per bin. */
  histogram(edges: readonly number[]): { sum: number[]; sum2: number[] } {
    const at = edges.map((e) => this.below(e));
    const sum: number[] = [], sum2: number[] = [];
    for (let j = 0; j + 1 < at.length; j++) {
      sum.push(this.w1[at[j + 1]] - this.w1[at[j]]);
      sum2.push(this.w2[at[j + 1]] - this.w2[at[j]]);
    }
    return { sum, sum2 };
  }
}

/** Largest relative tilt / curvature variation: both at |alpha| = 5 at once shift a bin by at most 2 x 5 x 0.1 = 100%, so the background stays >= 0. */
export const SHAPE_MAX_REL = 0.1;

/**
 * The background shape in a fit range from the weighted simulation. A quadratic (Legendre P0..P2
 * in u in [-1, 1]) is fitted by weighted least squares to the simulation histogram over a range
 * `wide` times the fit range (more simulated events, a smoother curve), each bin with the variance
 * sum w^2 (at least meanW^2: an empty bin holds less than about one simulated event); nominal: the
 * curve in the fit range's bins (at least the floor). Its statistical uncertainty (Barlow,
 * Beeston, CPC 77 (1993) 219: a weighted template needs one), the largest relative sqrt(P^T C P)
 * over the fit bins (C the coefficients' covariance) clamped to [1%, SHAPE_MAX_REL], enters as a
 * tilt and a curvature of that relative size (histosys, nominal x (1 +- t P1(u)) and
 * x (1 +- t P2(u)), multiplicative in shape so the background stays >= 0 with both at |alpha| <= 5);
 * the normalisation is free in the fit.
 */
export function smoothBackground(sum: readonly number[], sum2: readonly number[], meanW: number, wide: number, range?: { first: number; bins: number }): { nominal: number[]; rel: number; tilt: { hi: number[]; lo: number[] }; curvature: { hi: number[]; lo: number[] } } {
  // range: the fit range's bins within the wide histogram (default: the middle 1/wide of it).
  const nw = sum.length, nb = range ? range.bins : Math.round(nw / wide), first = range ? range.first : (nw - nb) / 2, floor = binFloor(nb);
  const legendre = (u: number) => [1, u, (3 * u * u - 1) / 2];
  const P = sum.map((_, j) => legendre(-1 + (2 * j + 1) / nw));
  const A = [[0, 0, 0], [0, 0, 0], [0, 0, 0]], r = [0, 0, 0];
  for (let j = 0; j < nw; j++) {
    const v = Math.max(sum2[j], meanW * meanW);
    for (let a = 0; a < 3; a++) {
      r[a] += (P[j][a] * sum[j]) / v;
      for (let b = 0; b < 3; b++) A[a][b] += (P[j][a] * P[j][b]) / v;
    }
  }
  const cov = invert3(A);
  const c = [0, 1, 2].map((a) => cov[a][0] * r[0] + cov[a][1] * r[1] + cov[a][2] * r[2]);
  const inRange = P.slice(first, first + nb);
  const nominal = inRange.map((p) => Math.max(c[0] * p[0] + c[1] * p[1] + c[2] * p[2], floor));
  let rel = 0.01;
  inRange.forEach((p, j) => {
    const v = [0, 1, 2].reduce((acc, a) => acc + p[a] * (cov[a][0] * p[0] + cov[a][1] * p[1] + cov[a][2] * p[2]), 0);
    if (nominal[j] > floor) rel = Math.max(rel, Math.sqrt(Math.max(v, 0)) / nominal[j]);
  });
  rel = Math.min(rel, SHAPE_MAX_REL);
  const local = nominal.map((_, j) => legendre(-1 + (2 * j + 1) / nb));
  const vary = (k: 1 | 2) => ({ hi: nominal.map((v, j) => v * (1 + rel * local[j][k])), lo: nominal.map((v, j) => v * (1 - rel * local[j][k])) });
  return { nominal, rel, tilt: vary(1), curvature: vary(2) };
}

function invert3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det],
  ];
}

/** Channel name of hypothesis k (pyhf names: any string; kept short and ordered). */
const channelName = (k: number) => `hyp_${String(k).padStart(5, '0')}`;
/** Patch name of a mass (the schema's [a-zA-Z0-9_]+). */
export const patchName = (m: number) => `mass_${m.toFixed(5).replace('.', 'p')}_GeV`;

/** The background curve is fitted to the simulation over this many times the fit range. */
export const WIDE = 3;

/** Background floor per bin: a bin without simulated background holds B_FLOOR spread over the range (engine/stats/pvalue.ts). */
const binFloor = (bins: number) => 0.01 / bins;

/** Data and background of one fit sample (scan-variable values). */
export interface FitSample {
  /** Scan-variable values of the data candidates. */
  readonly data: ArrayLike<number>;
  /** Background candidates and their weights (at the luminosity). */
  readonly background: ArrayLike<number>;
  readonly backgroundWeight: ArrayLike<number>;
}

/** One hypothesis to fit. */
export interface FitWindowInput {
  readonly window: number;
  /** Centre in the scan variable, mass and signal efficiency (selection x containment in the fit range; hypotheses with none are skipped). */
  readonly x: number;
  readonly mass: number;
  readonly efficiency: number;
  /** The sample it is fitted in (a key of FitInputs.samples, e.g. a decay channel; also ends its patch name); absent: the inputs' own data and background. */
  readonly channel?: string;
  /** Its resolution and range edges where they are not the spec's (e.g. per channel). */
  readonly sigma?: number;
  readonly edges?: readonly number[];
  /** Patch values (default [mass]; FitInputs.labels names them) and extra patch metadata. */
  readonly values?: readonly (number | string)[];
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface FitInputs extends Partial<FitSample> {
  readonly spec: FitSpec;
  readonly windows: readonly FitWindowInput[];
  /** Samples by name (FitWindowInput.channel): several spectra in one workspace and patchset. */
  readonly samples?: Readonly<Record<string, FitSample>>;
  /** With a luminosity the patches carry sigma_fb_per_mu (signal_events_per_mu / (efficiency x lumi)). */
  readonly lumiFb?: number;
  /** The patchset's labels (default ['mass_GeV']). */
  readonly labels?: readonly string[];
  readonly description: string;
}

export interface FitModels {
  readonly hypotheses: FitHypothesis[];
  /** The pyhf background-only workspace and patchset (one patch per hypothesis, in hypothesis order). */
  readonly workspace: Workspace;
  readonly patchset: Patchset;
}

/**
 * Signal events per unit of mu: the larger of 5 and the square root of the background in the fit
 * range, so that limits on mu are of order 1 (the fit's parameter scale) over every hypothesis.
 */
function signalUnit(b: number): number {
  return Math.max(5, Math.round(Math.sqrt(b)));
}

/** The background-only workspace and the patchset of every hypothesis with a signal efficiency. */
export function buildFitModels(inp: FitInputs): FitModels {
  const { spec } = inp;
  const nb = Math.round(2 * spec.halfRangeSigma * spec.binsPerSigma);
  const sorted = new Map<string | undefined, { data: Sorted; bg: Sorted }>();
  const sampleOf = (ch: string | undefined) => {
    let s = sorted.get(ch);
    if (!s) {
      const f = ch === undefined ? (inp.data && inp.background && inp.backgroundWeight ? (inp as FitSample) : undefined) : inp.samples?.[ch];
      if (!f) throw new Error(`fit model: no sample ${ch === undefined ? '(the inputs give no data / background)' : `'${ch}' (samples: ${Object.keys(inp.samples ?? {}).join(', ') || 'none'})`}`);
      sorted.set(ch, (s = { data: new Sorted(f.data), bg: new Sorted(f.background, f.backgroundWeight) }));
    }
    return s;
  };
  const channels: Channel[] = [], observations: Observation[] = [];
  const hypotheses: FitHypothesis[] = [];
  const patches: Patchset['patches'] = [];
  for (const win of inp.windows) {
    if (!(win.efficiency > 0)) continue;
    const { data, bg } = sampleOf(win.channel);
    const s = win.sigma ?? fitSigma(spec, win.x), ed = win.edges ?? spec.edges;
    if (!(s > 0)) throw new Error(`fit model: hypothesis at x = ${win.x}${win.channel ? ` (${win.channel})` : ''}: resolution ${s} must be > 0`);
    const r = fitRange(spec, win.x, 1, s, ed), w = fitRange(spec, win.x, WIDE, s, ed);
    let edges: number[], wEdges: number[], fitBins: { first: number; bins: number } | undefined;
    if (!r.clipped && !w.clipped) {
      const lo = win.x - spec.halfRangeSigma * s, width = s / spec.binsPerSigma;
      edges = Array.from({ length: nb + 1 }, (_, j) => (j === nb ? win.x + spec.halfRangeSigma * s : lo + j * width));
      // The simulation over WIDE times the range for the background curve.
      const half = WIDE * spec.halfRangeSigma * s;
      wEdges = Array.from({ length: WIDE * nb + 1 }, (_, j) => win.x - half + (j * 2 * half) / (WIDE * nb));
    } else {
      // The range or the background curve's range reaches an edge: nb bins over the (clipped) range;
      // the curve's range, clipped at the same interval's edges, in bins of the same width around it.
      const width = (r.hi - r.lo) / nb;
      const left = Math.floor((r.lo - w.lo) / width + 1e-9), right = Math.floor((w.hi - r.hi) / width + 1e-9);
      edges = Array.from({ length: nb + 1 }, (_, j) => (j === nb ? r.hi : r.lo + j * width));
      wEdges = Array.from({ length: left + nb + right + 1 }, (_, j) => (j === left + nb ? r.hi : r.lo + (j - left) * width));
      fitBins = { first: left, bins: nb };
    }
    const h = bg.histogram(edges), d = data.histogram(edges);
    const hw = bg.histogram(wEdges);
    const total = h.sum.reduce((a, v) => a + v, 0);
    const shape = smoothBackground(hw.sum, hw.sum2, bg.meanWeight(wEdges[0], wEdges[wEdges.length - 1]), WIDE, fitBins);
    // Signal: the resolution's Gaussian, bin by bin, renormalised to the range (PDG Statistics, the normal distribution).
    const g = edges.map((e) => normCdf((e - win.x) / s));
    const frac = g.slice(1).map((v, j) => v - g[j]);
    const fsum = frac.reduce((a, v) => a + v, 0);
    const unit = signalUnit(total);
    const sig = frac.map((f) => (unit * f) / fsum);
    const k = hypotheses.length, name = channelName(k);
    channels.push({
      name,
      samples: [{
        name: 'background',
        data: shape.nominal,
        modifiers: [
          { name: `bkg_norm_${name}`, type: 'normfactor', data: null },
          { name: `bkg_tilt_${name}`, type: 'histosys', data: { hi_data: shape.tilt.hi, lo_data: shape.tilt.lo } },
          { name: `bkg_curvature_${name}`, type: 'histosys', data: { hi_data: shape.curvature.hi, lo_data: shape.curvature.lo } },
        ],
      }],
    });
    observations.push({ name, data: d.sum });
    hypotheses.push({ window: win.window, mass_GeV: win.mass, ...(win.channel !== undefined ? { channel: win.channel } : {}), x_GeV: win.x, lo_GeV: edges[0], hi_GeV: edges[nb], bins: nb, edges, signalEventsPerMu: unit, background: total, signal: sig });
    patches.push({
      metadata: {
        name: patchName(win.mass) + (win.channel !== undefined ? `_${win.channel}` : ''), values: [...(win.values ?? [win.mass])], signal_events_per_mu: unit,
        ...(inp.lumiFb !== undefined ? { sigma_fb_per_mu: unit / (win.efficiency * inp.lumiFb) } : {}), window: win.window, range_GeV: [edges[0], edges[nb]], ...win.metadata,
      },
      patch: [
        // Keep this hypothesis' channel and observation only (RFC 6902 move / replace), then add the signal.
        // The copy onto itself makes the emptied list a fresh one (copy is a deep copy): python-jsonpatch
        // (pyhf) puts the patch's own [] into the workspace, and appending to it would change the patch,
        // so that applying it a second time gave two channels.
        { op: 'move', from: `/channels/${k}`, path: '/hypothesis_channel' },
        { op: 'replace', path: '/channels', value: [] },
        { op: 'copy', from: '/channels', path: '/channels' },
        { op: 'move', from: '/hypothesis_channel', path: '/channels/-' },
        { op: 'move', from: `/observations/${k}`, path: '/hypothesis_observation' },
        { op: 'replace', path: '/observations', value: [] },
        { op: 'copy', from: '/observations', path: '/observations' },
        { op: 'move', from: '/hypothesis_observation', path: '/observations/-' },
        { op: 'add', path: '/channels/0/samples/-', value: { name: 'signal', data: sig, modifiers: [{ name: POI, type: 'normfactor', data: null }] } },
      ],
    });
  }
  const workspace: Workspace = {
    channels, observations, version: '1.0.0',
    measurements: [{ name: 'fit_per_mass', config: { poi: POI, parameters: [{ name: POI, bounds: [[0, MU_MAX]] }] } }],
  };
  const patchset: Patchset = {
    metadata: {
      // The schema requires a HEPData reference: these models are simulation and have none.
      references: { hepdata: 'ins0000000' },
      digests: { sha256: workspaceDigest(workspace) },
      labels: [...(inp.labels ?? ['mass_GeV'])],
      description: `${inp.description} One patch per mass hypothesis; mu is in units of the patch's signal_events_per_mu; sigma = mu x sigma_fb_per_mu. (hepdata ins0000000: simulation, no HEPData record.)`,
    },
    patches,
    version: '1.0.0',
  };
  return { hypotheses, workspace, patchset };
}

/** The model of one hypothesis as its patch makes it (no JSON round trip of the whole workspace). */
export function hypothesisWorkspace(m: FitModels, k: number): Workspace {
  const sub: Workspace = { ...m.workspace, channels: [m.workspace.channels[k]], observations: [m.workspace.observations[k]] };
  // The patch with this hypothesis at index 0 of the one-channel workspace.
  const ops = m.patchset.patches[k].patch.map((op) => {
    const o = op as { op: string; from?: string; path: string };
    return o.from === `/channels/${k}` ? { ...o, from: '/channels/0' } : o.from === `/observations/${k}` ? { ...o, from: '/observations/0' } : o;
  });
  return applyPatch(sub, ops, `hypothesis ${k}`);
}

/** The compiled model of each hypothesis in `ks` (default: all), for a FitSession. */
export function hypothesisModels(m: FitModels, ks: readonly number[] = m.hypotheses.map((_, k) => k)): CompiledModel[] {
  return ks.map((k) => compileModel(hypothesisWorkspace(m, k), { source: `hypothesis ${k}` }));
}

/**
 * Fits every hypothesis in batched dispatches: upper limits on mu (asymptotic CLs, q~_mu, the
 * observed and expected set) and the discovery test (q_0) for the local significance.
 */
export async function fitHypotheses(backend: Backend, m: FitModels, cl: number, o: { signal?: AbortSignal; progress?: (s: string) => void } = {}): Promise<{ results: FitWindow[]; fits: number; unconverged: number }> {
  if (!m.hypotheses.length) return { results: [], fits: 0, unconverged: 0 };
  const models = hypothesisModels(m);
  const session = new FitSession(backend, models, { signal: o.signal, progress: o.progress });
  const targets = models.map((mod, i) => ({ model: i, data: mod.observed }));
  const ul = await upperLimits(session, targets, { cl, stat: 'qtilde' });
  const disc = await hypotests(session, targets, targets.map(() => [0]), 'q0');
  const results = ul.map((u, i) => {
    // Asymptotically Z = sqrt(q_0) and p = 1 - Phi(Z) (Cowan et al., EPJC 71 (2011) 1554, eqs. 52-53).
    const d = disc[i][0];
    return { muUp: u.obs, muUpExpected: [...u.exp], muHat: d.muhat, pLocal: d.cls, zLocal: Math.sqrt(Math.max(d.q, 0)) };
  });
  return { results, fits: session.fits, unconverged: session.unconverged };
}

/** Hypotheses whose fit range holds less background than this use the window's counting limit (asymptotic formulae invalid). */
export const FIT_MIN_B = ASYMPTOTIC_MIN_B;
