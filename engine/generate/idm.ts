// Inelastic dark matter with a dark Higgs (Duerr, Ferber, Garcia-Cely, Hearty, Schmidt-Hoberg,
// JHEP 04 (2021) 146, arXiv:2012.08595; searched by Belle II, arXiv:2505.09705): e+e- -> A' h',
// A' -> chi1 chi2, chi2 -> chi1 e+e- (displaced, non-pointing), h' -> mu mu, pi pi, K K (displaced,
// pointing, through its mixing sin(theta) with the SM Higgs). The model's widths and cross
// section, and signal decays for the lifetime sweep (engine/analyses/idm.ts). Units: GeV, cm.
import type { Backend } from '../../host/backend.js';
import { foldIn, key, uniforms } from '../random.js';
import { checkpoint } from '../cancel.js';
import { M_E, M_MU, boostFrom, twoBody } from './lorentz.js';
import { ALPHA, SQRT_S, toLab } from './physics.js';
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
  readonly ct: Float64Array;
  /** A uniform in [0, 1) per event for the chi2 decay (injection: c t2 = -c tau2 ln(1 - u)). */
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

/**
 * n signal events: A' h' in the CM frame with the A' direction isotropic (the Zh-like angular
 * distribution is not simulated), A' -> chi1 chi2 isotropic in the A' frame, boosted to the lab
 * (engine/generate/physics.ts toLab); h' proper decay length log-uniform in [CT_MIN_CM, CT_MAX_CM] (or
 * exponential with ctauCm), lxy = c t pT / m; M_red smeared with the LLP resolution (illustrative).
 * Randomness: Philox, key foldIn(key(seed, IDM_STREAM), cell), two blocks per event.
 */
export async function generateIdmDecays(o: IdmDecayOptions): Promise<IdmDecays> {
  await checkpoint(o.signal);
  const p = o.params, m2 = p.mChi1 + p.dm;
  const u = await uniforms(o.backend, foldIn(key(o.seed, IDM_STREAM), o.cell), { event: 0 }, 2 * o.n);
  const ctNorm = new Float32Array(o.n), lxy = new Float32Array(o.n), mred = new Float32Array(o.n), bgTChi2 = new Float32Array(o.n), ct = new Float64Array(o.n), uChi2 = new Float32Array(o.n);
  const ctau0 = darkHiggsCtau0Cm(o.mh), mx = DAUGHTER_MASS[o.channel], mr = reducedMass(o.mh, mx), sg = resolution(o.mh, o.channel);
  const lnR = Math.log(CT_MAX_CM / CT_MIN_CM);
  for (let k = 0; k < o.n; k++) {
    const r = u.subarray(8 * k, 8 * k + 8);
    const [A, H] = twoBody(SQRT_S, p.mA, o.mh, 2 * r[0] - 1, 2 * Math.PI * r[1]);
    const [, X2] = twoBody(p.mA, p.mChi1, m2, 2 * r[2] - 1, 2 * Math.PI * r[3]);
    const Hl = toLab(H), X2l = toLab(boostFrom(A, X2));
    const bgT = o.fixedBgT ?? Math.hypot(Hl[1], Hl[2]) / o.mh;
    ct[k] = o.ctauCm !== undefined ? -o.ctauCm * Math.log(1 - r[4]) : CT_MIN_CM * Math.exp(lnR * r[4]);
    ctNorm[k] = ct[k] / ctau0;
    lxy[k] = ct[k] * bgT;
    const gauss = Math.sqrt(-2 * Math.log(1 - r[5])) * Math.cos(2 * Math.PI * r[6]);
    mred[k] = Math.max(0, mr + sg * gauss);
    bgTChi2[k] = Math.hypot(X2l[1], X2l[2]) / m2;
    uChi2[k] = r[7];
  }
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
