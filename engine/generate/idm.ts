// Inelastic dark matter with a dark Higgs (Duerr, Ferber, Garcia-Cely, Hearty, Schmidt-Hoberg,
// JHEP 04 (2021) 146, arXiv:2012.08595; searched by Belle II, arXiv:2505.09705): e+e- -> A' h',
// A' -> chi1 chi2, chi2 -> chi1 e+e- (displaced, non-pointing), h' -> mu mu, pi pi, K K (displaced,
// pointing, through its mixing sin(theta) with the SM Higgs). The model's widths and cross
// section, and signal decays for the lifetime sweep (engine/analyses/idm.ts). Units: GeV, cm.
import type { Backend } from '../../host/backend.js';
import { foldIn, key } from '../random.js';
import { checkpoint } from '../cancel.js';
import { M_E, M_MU } from './lorentz.js';
import { ALPHA, SQRT_S } from './physics.js';
import { beamKernelParams } from './genkin.js';
import { genIdm } from '../../kernels/gen_idm/desc.js';
import { EV_WORDS, GEN_IDM_OUT } from '../../kernels/gen_idm/ref.js';
import { scalarBranchingFractions, brAPrimeToMuMu } from './branching.js';
import { getProcess, resolveParams } from './index.js';
import { CHANNELS, DAUGHTER_MASS, reducedMass, resolution, type Channel } from '../llp/sample.js';

/** hbar c in GeV cm (PDG 2024). */
export const HBARC_GeV_CM = 1.973269804e-14;
const G_F = 1.1663788e-5; // GeV^-2, PDG 2024

/** One point of the model's other parameters (the (m_h', sin theta) plane is scanned for each). */
export interface IdmParams {
  readonly mA: number;
  readonly mChi1: number;
  /** m(chi2) - m(chi1), GeV. */
  readonly dm: number;
  readonly alphaD: number;
  /** Kinetic mixing epsilon. */
  readonly eps: number;
}

/** The h' final states of the search (engine/llp CHANNELS names). */
export const IDM_FINAL_STATES = ['mumu', 'pipi', 'KK'] as const satisfies readonly Channel[];
export type IdmFinalState = (typeof IDM_FINAL_STATES)[number];

/** Checks the model's mass ordering; returns the problems (empty: fine). */
export function idmParamProblems(p: IdmParams): string[] {
  const out: string[] = [];
  if (!(p.mA > 2 * p.mChi1 + p.dm)) out.push(`m_A_GeV (${p.mA}) must exceed m(chi1) + m(chi2) = ${2 * p.mChi1 + p.dm} (A' -> chi1 chi2 on shell)`);
  if (!(p.mA < SQRT_S)) out.push(`m_A_GeV (${p.mA}) must be below sqrt(s) = ${SQRT_S.toFixed(3)}`);
  if (!(p.dm > 2 * M_E && p.dm < 2 * M_MU)) out.push(`dm_GeV (${p.dm}) must lie in (2 m_e, 2 m_mu) = (0.00102, 0.2113): chi2 -> chi1 e+e- is the only decay modelled`);
  return out;
}

/**
 * Gamma(chi2 -> chi1 e+e-) = 4 eps^2 alpha alpha_D dm^5 / (15 pi m_A'^4) (Izaguirre, Krnjaic, Shuve,
 * PRD 93 (2016) 063523, for dm << m(chi1), m_A'); the only decay for dm < 2 m_mu, so B = 1.
 */
export function chi2Width(p: IdmParams): number {
  return (4 * p.eps * p.eps * ALPHA * p.alphaD * p.dm ** 5) / (15 * Math.PI * p.mA ** 4);
}

/** c tau of chi2, cm. */
export function chi2CtauCm(p: IdmParams): number {
  return HBARC_GeV_CM / chi2Width(p);
}

/**
 * c tau of h' at sin(theta) = 1, cm: Gamma_tot = Gamma(h' -> e e) / B(h' -> e e) with the SM-like
 * Gamma(h' -> l l) = sin^2(theta) G_F m_l^2 m_h' beta^3 / (4 sqrt2 pi) (Higgs-mixed scalar; the
 * branching fractions of engine/generate/branching.ts scalarBranchingFractions). c tau(theta) = this / sin^2(theta).
 */
export function darkHiggsCtau0Cm(mh: number): number {
  const b = 1 - (4 * M_E * M_E) / (mh * mh);
  const gee = (G_F * M_E * M_E * mh * b ** 1.5) / (4 * Math.SQRT2 * Math.PI);
  return HBARC_GeV_CM / (gee / scalarBranchingFractions(mh).ee);
}

/**
 * sigma(e+e- -> A' h') in fb: the dark Higgsstrahlung cross section of the generator's darkhiggs
 * process (Zh shape, Barger et al. PRD 49 (1994) 79, normalised after Batell, Pospelov, Ritz PRD 79
 * (2009) 115008; ILLUSTRATIVE) without its B(A' -> mu mu): here A' -> chi1 chi2 with B = 1
 * (alpha_D >> eps^2 alpha). Independent of theta (the talk: "process cross section does not depend on theta").
 */
export function sigmaIdmFb(p: IdmParams, mh: number): number {
  const proc = getProcess('darkhiggs');
  return proc.sigmaFb(resolveParams(proc, { mA: p.mA, mh, eps2alphaD: p.eps * p.eps * p.alphaD })) / brAPrimeToMuMu(p.mA);
}
export const IDM_SIGMA_SOURCE = `ILLUSTRATIVE: ${getProcess('darkhiggs').sigmaSource.replace(/; x B\(A' -> mu mu\).*$/, '')}; A' -> chi1 chi2 with B = 1`;

/** Philox stream of the iDM signal decays (engine/random.ts key(seed, stream)). */
export const IDM_STREAM = 0x1d30001;
/** Proper decay lengths are drawn log-uniform in [CT_MIN, CT_MAX] cm (importance sampling, reweighted to each lifetime). */
export const CT_MIN_CM = 1e-4, CT_MAX_CM = 1e5;

export interface IdmDecays {
  /** Proper decay length of h' in units of c tau0(m_h') (c tau at sin theta = 1): c t / c tau0. */
  readonly ctNorm: Float32Array;
  /** Transverse flight distance of h', cm. */
  readonly lxy: Float32Array;
  /** Reduced mass of the h' -> x x pair, GeV (smeared). */
  readonly mred: Float32Array;
  /** Transverse beta gamma of chi2 (its acceptance is computed from it analytically). */
  readonly bgTChi2: Float32Array;
  /** Physical proper decay length of h', cm. */
  readonly ct: Float32Array;
  /** A uniform in (0, 1) per event for the chi2 decay (injection: c t2 = -c tau2 ln(1 - u)). */
  readonly uChi2: Float32Array;
}

export interface IdmDecayOptions {
  readonly params: IdmParams;
  readonly mh: number;
  readonly channel: IdmFinalState;
  readonly n: number;
  readonly seed: number;
  /** Cell index folded into the key (distinct per (set, m_h', final state)). */
  readonly cell: number;
  readonly backend: Backend;
  /** Test mode: every h' flies with this transverse beta gamma. */
  readonly fixedBgT?: number;
  /** Physical c t drawn from an exponential with this c tau (injection) instead of log-uniform. */
  readonly ctauCm?: number;
  readonly signal?: AbortSignal;
}

/** The gen_idm kernel's params of a cell (kernels/gen_idm/ref.ts). */
export function idmKernelParams(o: Omit<IdmDecayOptions, 'n' | 'backend' | 'signal'>): Record<string, number> {
  const p = o.params, k = foldIn(key(o.seed, IDM_STREAM), o.cell);
  const beam = beamKernelParams();
  // f32 bounds: c tau and the transverse beta gamma stay far from subnormal and overflow
  if (o.ctauCm !== undefined && !(o.ctauCm >= 1e-12 && o.ctauCm <= 1e20)) throw new RangeError(`iDM decays: c tau = ${o.ctauCm} cm must lie in [1e-12, 1e20] for the gen_idm kernel`);
  if (o.fixedBgT !== undefined && !(o.fixedBgT >= 0 && o.fixedBgT <= 1e6)) throw new RangeError(`iDM decays: fixedBgT = ${o.fixedBgT} must lie in [0, 1e6]`);
  return {
    key0: k[0], key1: k[1], ct_mode: o.ctauCm !== undefined ? 1 : 0, fixed: o.fixedBgT !== undefined ? 1 : 0,
    sqrt_s: SQRT_S, m_a: p.mA, m_h: o.mh, m_chi1: p.mChi1, m_chi2: p.mChi1 + p.dm, g_cm: beam.g_cm, bg_cm: beam.bg_cm,
    ct_min: CT_MIN_CM, ln_r: Math.log(CT_MAX_CM / CT_MIN_CM), ctau: o.ctauCm ?? 0, ictau0: 1 / darkHiggsCtau0Cm(o.mh), fixed_bgt: o.fixedBgT ?? 0,
    m_red: reducedMass(o.mh, DAUGHTER_MASS[o.channel]), sg_red: resolution(o.mh, o.channel),
  };
}

/**
 * n signal events of a cell from the gen_idm kernel on the backend (kernels/gen_idm: f32 from exact
 * ops, the same bits on every backend): A' h' in the CM frame with the A' direction isotropic (the
 * Zh-like angular distribution is not simulated), A' -> chi1 chi2 isotropic in the A' frame, boosted to
 * the lab; h' proper decay length log-uniform in [CT_MIN_CM, CT_MAX_CM] (or exponential with ctauCm),
 * lxy = c t pT / m; M_red smeared with the LLP resolution (illustrative). Randomness: Philox, key
 * foldIn(key(seed, IDM_STREAM), cell), counter (block, event, 0, 0).
 */
export async function generateIdmDecays(o: IdmDecayOptions): Promise<IdmDecays> {
  await checkpoint(o.signal);
  const params = idmKernelParams(o);
  const cols = GEN_IDM_OUT.map(() => new Float32Array(o.n));
  if (o.n > 0) {
    const w = (await o.backend.run(genIdm, { count: o.n, params, signal: o.signal })).ev;
    const ev = new Float32Array(w.buffer, w.byteOffset, w.length);
    for (let k = 0; k < o.n; k++) for (let j = 0; j < EV_WORDS; j++) cols[j][k] = ev[k * EV_WORDS + j];
  }
  const [ctNorm, lxy, mred, bgTChi2, ct, uChi2] = cols;
  return { ctNorm, lxy, mred, bgTChi2, ct, uChi2 };
}

/** P(chi2 decays with transverse flight < lxyMax) for transverse beta gamma bgT: 1 - exp(-lxyMax / (bgT c tau)). */
export function chi2Acceptance(bgT: number, ctauCm: number, lxyMaxCm: number): number {
  return bgT > 0 ? -Math.expm1(-lxyMaxCm / (bgT * ctauCm)) : 1;
}

/** The channel index of a final state in engine/llp CHANNELS (the kernel's and the sideband code's numbering). */
export function channelIndex(c: IdmFinalState): number {
  return CHANNELS.indexOf(c);
}
