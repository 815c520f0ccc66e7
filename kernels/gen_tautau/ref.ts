import type { RefKernel } from '../types.js';
import { xdiv, xsqrt } from '../lib/exactmath.js';
import { newStream, rsInit, rsUniform, type RStream } from '../lib/sampling.js';
import { helicityFrame, tauLepton, tauPion } from '../lib/taudecay.js';
import {
  DIMUON_COLUMNS, DIMUON_EV_WORDS, PHOTON_PARAMS, TRACK_PARAMS, TRIES, boostFrom, boostZ, dimuonColumns, disc, fm, isrBorn, isrPhotonsSeen, isrRadiate, pStar, track, type IsrSetup, type V4,
} from '../lib/genkin.js';

// TypeScript reference of gen_tautau (twins: gen_tautau.wgsl, wasm/gen_tautau.ts): one e+e- ->
// tau+ tau- (gamma) event per item, in f32 from exact operations only, from its own Philox stream
// (counter (block, event, 0, 0)), with the dimuon family's columns. The f64 definition it replaced
// is test/f64-tautau.ts (GENERATOR_VERSION 5's processes.ts tautau):
// - ISR from both beams (Kuraev & Fadin), retried until the system mass exceeds
//   2 m_tau + 1 MeV (genkin isrRadiate, ISR_TRIES; past it the event is Born: probability < 1e-70);
// - Born e+e- -> f fbar with mass: 1 + c^2 + (1 - beta^2) sin^2 (Peskin & Schroeder problem 5.2),
//   by rejection against 2 (TRIES, acceptance >= 2/3: failure < 1e-30; then the last c), c the
//   tau-'s angle to the e- beam in the system's rest frame;
// - the longitudinal spin correlation (Tsai, PRD 4 (1971) 2821): h(tau-) = +-1 equally, h(tau+) =
//   h(tau-) with probability (1 - beta^2) sin^2 / (1 + c^2 + (1 - beta^2) sin^2) (the helicity-flip
//   part), else -h(tau-); transverse correlations neglected;
// - each tau -> mu nu nu (probability f_mu = B_mu / (B_mu + B_pi)) or pi nu, polarized along its
//   flight in the pair's rest frame (kernels/lib/taudecay), or the modes of a stratum (param
//   stratum: 1 both mu, 2 one mu and one pi (which one: 1/2 each), 3 both pi; 0 all);
// - the decay products boosted tau rest frame -> pair rest frame -> CM -> lab; detector: a muon is
//   identified with id_mu, a pion misidentified as a muon with id_pi (its four-vector then takes
//   the muon mass); ISR photons in the ECL; the dimuon columns from the two tracks.
// Draw order: the decay modes and both daughters' identification first (a flat probability, drawn
// before the kinematics), then ISR, production, helicities, decays, tracks, photons. skim = 1 stops
// an event whose daughters are not both identified right there (it cannot pass: every word 0 but
// C_MODES); its accepted events are skim 0's, bit for bit.
// Word C_MODES (the family's pad word, not a column): bit 0 tau- -> pi nu, bit 1 tau+ -> pi nu.

const fr = Math.fround;
const add = (a: number, b: number) => fr(a + b);
const sub = (a: number, b: number) => fr(a - b);
const mul = (a: number, b: number) => fr(a * b);

/**
 * The kernel's params in desc order (the header's 4 words come first). u32: the first six. The
 * identification is drawn first (id_mu for a muon, id_pi for a pion taken for a muon), so the track
 * sub-block's mu_eff is 2 (track's own draw always identifies).
 */
export const GEN_TAUTAU_PARAM_NAMES = [
  'key0', 'key1', 'first', 'isr', 'stratum', 'skim',
  'm_tau', 'm_mu', 'm_min', 'f_mu', 'mich_emax', 'mich_xmin', 'pi_p', 'pi_e', 'id_mu', 'id_pi',
  'sqrt_s', 'e_beam', 'e_tot', 'pz_tot', 'g_cm', 'bg_cm', 'isr_exp', 'isr_a', 'isr_lr',
  ...TRACK_PARAMS, ...PHOTON_PARAMS,
] as const;
export const GEN_TAUTAU_U32_PARAMS = 6;
export type GenTautauParams = Record<(typeof GEN_TAUTAU_PARAM_NAMES)[number], number>;
/** Output words per event: the dimuon family's columns (genkin DIMUON_COLUMNS), the accepted flag, the true decay modes. */
export const GEN_TAUTAU_COLUMNS = DIMUON_COLUMNS;
export const EV_WORDS = DIMUON_EV_WORDS;
/** Word of the true decay modes (bit 0: tau- -> pi nu, bit 1: tau+ -> pi nu). */
export const C_MODES = 23;

/** One tau's visible daughter in the pair's rest frame: the tau along +-n (n from c, st, cph, sph; flip: along -n), helicity h, charge q. */
function decayTau(s: RStream, Q: GenTautauParams, isMu: boolean, h: number, q: number, tau: V4, c: number, st: number, cph: number, sph: number, flip: boolean): V4 {
  let e: number, p: number, ct: number;
  if (isMu) [e, p, ct] = tauLepton(s, h, q, Q.mich_emax, Q.m_mu, Q.mich_xmin);
  else [e, p, ct] = [Q.pi_e, Q.pi_p, tauPion(s, h, q)];
  const sp = xsqrt(Math.max(0, sub(1, mul(ct, ct))));
  const [dc, ds] = disc(s);
  const pt = mul(p, sp);
  const v = helicityFrame(fm(pt, dc), fm(pt, ds), mul(p, ct), c, st, cph, sph, flip);
  return boostFrom(tau, Q.m_tau, [e, v[0], v[1], v[2]]);
}

function genEvent(Q: GenTautauParams, P: Float32Array, q: IsrSetup, ev: number, s: RStream, out: Float32Array, o: number): void {
  rsInit(s, Q.key0, Q.key1, ev, 0, 0);
  // ---- decay modes
  let muM: boolean, muP: boolean;
  const st0 = Q.stratum;
  if (st0 === 0) {
    muM = rsUniform(s) < Q.f_mu;
    muP = rsUniform(s) < Q.f_mu;
  } else if (st0 === 2) {
    muM = rsUniform(s) < 0.5;
    muP = !muM;
  } else {
    muM = st0 === 1;
    muP = muM;
  }
  // ---- identification of the charged daughters (as muons), first: skim stops the event here
  const idM = rsUniform(s) < (muM ? Q.id_mu : Q.id_pi), idP = rsUniform(s) < (muP ? Q.id_mu : Q.id_pi);
  const modes = (muM ? 0 : 1) + (muP ? 0 : 2);
  if (Q.skim !== 0 && !(idM && idP)) {
    for (let j = 0; j < EV_WORDS; j++) out[o + j] = 0;
    out[o + C_MODES] = modes;
    return;
  }
  const rs = Q.sqrt_s;
  // ---- ISR (no generator cut, no angular stratum)
  const { k1, k2, sys, m2 } = Q.isr !== 0 ? isrRadiate(s, q) : isrBorn(rs);
  const M = xsqrt(m2);
  // ---- production angle: 1 + c^2 + (1 - beta^2)(1 - c^2) <= 2
  const mt = Q.m_tau;
  const omb2 = xdiv(mul(4, mul(mt, mt)), m2); // 1 - beta^2
  let c = 0, c2 = 0;
  for (let it = 0; it < TRIES; it++) {
    c = sub(mul(2, rsUniform(s)), 1);
    c2 = mul(c, c);
    if (mul(rsUniform(s), 2) <= add(add(1, c2), mul(omb2, sub(1, c2)))) break;
  }
  const [cph, sph] = disc(s);
  // ---- helicities
  const hM = rsUniform(s) < 0.5 ? 1 : -1;
  const same = mul(omb2, sub(1, c2));
  const hP = mul(rsUniform(s), add(add(1, c2), same)) < same ? hM : -hM;
  // ---- the taus in the pair's rest frame (tau- along n), their decays, boosts to the CM and the lab
  const ps = pStar(m2, M, mt, mt), et = mul(M, 0.5);
  const st = xsqrt(Math.max(0, sub(1, c2)));
  const pt = mul(ps, st);
  const nx = mul(pt, cph), ny = mul(pt, sph), nz = mul(ps, c);
  const dM = decayTau(s, Q, muM, hM, -1, [et, nx, ny, nz], c, st, cph, sph, false);
  const dP = decayTau(s, Q, muP, hP, 1, [et, -nx, -ny, -nz], c, st, cph, sph, true);
  const g = Q.g_cm, bg = Q.bg_cm;
  const lm = boostZ(boostFrom(sys, M, dM), g, bg), lp = boostZ(boostFrom(sys, M, dP), g, bg);
  // a pion's four-vector takes the muon mass (the analysis's hypothesis); the identification was drawn first
  const tP = { ...track(s, P, I.trk_cmin, lp, Q.m_mu), id: idP }, tM = { ...track(s, P, I.trk_cmin, lm, Q.m_mu), id: idM };
  const [nGam, eExtra] = Q.isr !== 0 ? isrPhotonsSeen(s, P, I.g_emin, k1, k2, g, bg) : [0, 0];
  dimuonColumns(out, o, tP, tM, lp, lm, nGam, eExtra, 0, { eTot: Q.e_tot, pzTot: Q.pz_tot, g, bg, mMu: Q.m_mu });
  out[o + C_MODES] = modes;
}

/** Param index in the params block (header of 4 words first). */
const I = Object.fromEntries(GEN_TAUTAU_PARAM_NAMES.map((n, j) => [n, 4 + j])) as Record<(typeof GEN_TAUTAU_PARAM_NAMES)[number], number>;

// params: [item_offset, item_count, opaque_zero, reserved, <GEN_TAUTAU_PARAM_NAMES>]
export const genTautauRef: RefKernel = (p, _inputs, [out]) => {
  const P = new Float32Array(p.buffer, p.byteOffset, p.length);
  const Q = Object.fromEntries(GEN_TAUTAU_PARAM_NAMES.map((n, j) => [n, j < GEN_TAUTAU_U32_PARAMS ? p[4 + j] : P[4 + j]])) as GenTautauParams;
  const o = new Float32Array(out.buffer, out.byteOffset, out.length);
  const s = newStream();
  const q: IsrSetup = { rs: Q.sqrt_s, t: 0, mMin2: mul(Q.m_min, Q.m_min), eBeam: Q.e_beam, isrExp: Q.isr_exp, isrA: Q.isr_a, isrLr: Q.isr_lr, stMode: 0, stF0: 0, stF1: 0, stF2: 0, stF3: 0, stP: 0 };
  const off = p[0], n = p[1];
  for (let l = 0; l < n; l++) genEvent(Q, P, q, (Q.first + off + l) >>> 0, s, o, EV_WORDS * l);
};
