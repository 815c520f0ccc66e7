import type { RefKernel } from '../types.js';
import { xdiv, xexp, xsqrt } from '../lib/exactmath.js';
import { newStream, rsInit, rsUniform, type RStream } from '../lib/sampling.js';
import { PHOTON_PARAMS, TRACK_PARAMS, TRIES, boostZ, disc, isrRadiate, msq, photon, threeBody, twoBody, type IsrSetup, type V4 } from '../lib/genkin.js';
import { tauLeptonic } from '../lib/taudecay.js';
import { FOURTRACK_COLUMN_NAMES, FOURTRACK_WORDS, FT_ACC, KIND_E, KIND_MU, KIND_PI, ftAddTrack, fourtrackColumns, newFtEvent, type FtDet, type FtEvent } from '../lib/fourtrack.js';

// TypeScript reference of gen_fourtrack (twins: gen_fourtrack.wgsl, wasm/gen_fourtrack.ts): one event of
// the 'fourtrack' family (engine/generate/tau.ts: exactly four charged particles generated) per item,
// in f32 from exact operations only, from its own Philox stream (counter (block, event, 0, 0)):
//   mode 0 (tautau_1x3):   e+e- -> tau+ tau- (gamma), dsigma/dcos ~ 1 + c^2 + (1 - beta^2) sin^2
//                          (Peskin & Schroeder problem 5.2); a fair coin picks the 1-prong tau, the
//                          other decays to a1 nu, a1 -> 3 pi;
//   mode 1 (tau_lalpha):   the same pair, the 1-prong tau -> l alpha (isotropic two-body, alpha invisible);
//   mode 2 (zp_tautau_1p): e+e- -> mu+ mu- X by flat three-body phase space, X -> tau+ tau- isotropic,
//                          both taus 1-prong;
//   mode 3 (mumutautau):   e+e- -> mu+ mu- gamma*, gamma* -> tau+ tau- (no ISR), the gamma* mass from
//                          K(M) R(M) (Kroll-Wada x leading-log radiator, physics.ts fourMuSpectrumFbPerGeV),
//                          flat mu mu gamma* phase space, both taus 1-prong;
//   mode 4 (qqbar_4trk):   e+e- -> (pi+ pi-)(pi+ pi-)(n pi0), n = 0..2, by successive two- and
//                          three-body splits (ILLUSTRATIVE continuum stand-in, as tau.ts).
// 1-prong tau decays (the mode drawn by branching fraction, thresholds br_e, br_mu, br_pi):
// e / mu nu nu (Michel x from kernels/lib/taudecay tauLepton, isotropic: unpolarised), pi nu
// (isotropic two-body), rho nu with
// rho -> pi pi0, pi0 -> gamma gamma as isotropic two-body steps (rho at its pole mass). Three-prong:
// the a1 mass from a Breit-Wigner (Cauchy) cut to (a1_lo, a1_hi), then flat a1 -> 3 pi phase space.
// The Cauchy variate is tan of a uniform angle, v / |u| of a uniform point (u, v) of the unit disc
// (no trigonometry), retried until it lies in the cut: a try succeeds with probability
// pi/4 x 0.80 (the cut keeps 80% of the a1 line shape), so TRIES = 64 fail with probability < 1e-27
// (then the pole mass). ISR: genkin isrRadiate (as gen_dimuon's, no generator cut, no stratum),
// retried up to ISR_TRIES times until the system mass exceeds m_min (failure probability checked
// on the host, genkin.ts checkIsrReach, < 1e-9; then Born).
// Forced muon fakes (force_fake = 1, tau.ts forceMuonFakes): with one true muon, one pion of the
// opposite charge is relabelled a muon; with none, one pi+ pi- pair; chosen uniformly (1 uniform
// drawn only where there is a candidate).
// Photons (ISR, rho's pi0, q qbar's pi0s) meet the ECL as they are made (kernels/lib/genkin photon,
// in the lab, 1 normal each). The tracks' detector response and the fourtrack columns:
// kernels/lib/fourtrack (the family's one writer; three TRACK_PARAMS sub-blocks: muon, pion, electron).
const fr = Math.fround;
const add = (a: number, b: number) => fr(a + b);
const sub = (a: number, b: number) => fr(a - b);
const mul = (a: number, b: number) => fr(a * b);

export const MODE = { tautau_1x3: 0, tau_lalpha: 1, zp_tautau_1p: 2, mumutautau: 3, qqbar_4trk: 4 } as const;
const suffixed = <T extends readonly string[]>(names: T, sfx: string) => names.map((n) => `${n}${sfx}`);
/** The kernel's params in desc order (the header's 4 words come first). u32: the first seven. */
export const GEN_FOURTRACK_PARAM_NAMES = [
  'key0', 'key1', 'first', 'mode', 'isr', 'force_fake', 'lep_kind',
  'm_tau', 'm_mu', 'm_e', 'm_pi', 'm_pi0', 'm_rho', 'm_a1', 'a1_hw', 'a1_lo', 'a1_hi', 'br_e', 'br_mu', 'br_pi',
  'emax_e', 'xmin_e', 'emax_mu', 'xmin_mu',
  'm_x', 'm_l', 'm_min', 'sp_r', 'sp_t0', 'sp_t1', 'qq_w', 'qq_x',
  'sqrt_s', 'e_beam', 'e_tot', 'pz_tot', 'g_cm', 'bg_cm', 'isr_exp', 'isr_a', 'isr_lr', 'g_tau', 'bg_tau',
  ...TRACK_PARAMS, ...suffixed(TRACK_PARAMS, '_pi'), ...suffixed(TRACK_PARAMS, '_e'), ...PHOTON_PARAMS,
] as const;
export const GEN_FOURTRACK_U32_PARAMS = 7;

/** Output words per event: the fourtrack columns (kernels/lib/fourtrack FOURTRACK_COLUMN_NAMES), the accepted flag (FT_ACC) and two pads. */
export const GEN_FOURTRACK_COLUMNS = FOURTRACK_COLUMN_NAMES;
export const FT_EV_WORDS = 28;
export { FT_ACC, KIND_E, KIND_MU, KIND_PI };
/** Column words and track kinds (KernelDesc.constants: generated into WGSL and AssemblyScript). */
export const GEN_FOURTRACK_CONSTANTS = FOURTRACK_WORDS;

type Name = (typeof GEN_FOURTRACK_PARAM_NAMES)[number];
/** Param index in the params block (header of 4 words first). */
const I = Object.fromEntries(GEN_FOURTRACK_PARAM_NAMES.map((n, j) => [n, 4 + j])) as Record<Name, number>;

/** A photon of CM momentum k meets the ECL (lab frame): counted with its smeared energy if seen. Draws 1 normal. */
function addPhoton(s: RStream, P: Float32Array, e: FtEvent, k: V4): void {
  const en = photon(s, P, I.g_emin, boostZ(k, P[I.g_cm], P[I.bg_cm]));
  if (en >= 0) {
    e.nGam++;
    e.eExtra = add(e.eExtra, en);
  }
}

/** A uniform cos theta in [-1, 1). */
const ucos = (s: RStream) => sub(mul(2, rsUniform(s)), 1);

/** Isotropic two-body decay of P (mass M) into (ma, mb). */
function decay2(s: RStream, P: V4, M: number, ma: number, mb: number): [V4, V4] {
  const c = ucos(s);
  return twoBody(P, M, mul(M, M), ma, mb, c, disc(s));
}

/** c = P - a - b (the third body of threeBody). */
const rest3 = (P: V4, a: V4, b: V4): V4 => [sub(sub(P[0], a[0]), b[0]), sub(sub(P[1], a[1]), b[1]), sub(sub(P[2], a[2]), b[2]), sub(sub(P[3], a[3]), b[3])];

/** tau -> rho nu, rho -> pi pi0, pi0 -> gamma gamma (isotropic two-body steps, rho at its pole mass): the pion. */
function tauRhoNu(s: RStream, P: Float32Array, e: FtEvent, tau: V4): V4 {
  const mr = P[I.m_rho], m0 = P[I.m_pi0];
  const [rho] = decay2(s, tau, P[I.m_tau], mr, 0);
  const [pi, pi0] = decay2(s, rho, mr, P[I.m_pi], m0);
  const [g1, g2] = decay2(s, pi0, m0, 0, 0);
  addPhoton(s, P, e, g1);
  addPhoton(s, P, e, g2);
  return pi;
}

/** A 1-prong decay of tau (charge q), the mode drawn by branching fraction: e, mu nu nu, pi nu (isotropic two-body, unpolarised) or rho nu. */
function oneProng(s: RStream, P: Float32Array, e: FtEvent, tau: V4, q: number): void {
  const u = rsUniform(s);
  if (u < P[I.br_e]) ftAddTrack(e, tauLeptonic(s, tau, P[I.m_tau], q, P[I.m_e], P[I.emax_e], P[I.xmin_e]), KIND_E, q);
  else if (u < P[I.br_mu]) ftAddTrack(e, tauLeptonic(s, tau, P[I.m_tau], q, P[I.m_mu], P[I.emax_mu], P[I.xmin_mu]), KIND_MU, q);
  else if (u < P[I.br_pi]) ftAddTrack(e, decay2(s, tau, P[I.m_tau], P[I.m_pi], 0)[0], KIND_PI, q);
  else ftAddTrack(e, tauRhoNu(s, P, e, tau), KIND_PI, q);
}

/** The a1 mass: M + (Gamma / 2) v / |u| for (u, v) uniform in the unit disc, in (a1_lo, a1_hi) (bounded retry, see the header). */
function a1Mass(s: RStream, P: Float32Array): number {
  const m0 = P[I.m_a1], lo = P[I.a1_lo], hi = P[I.a1_hi];
  for (let it = 0; it < TRIES; it++) {
    const u = ucos(s), v = ucos(s);
    if (add(mul(u, u), mul(v, v)) < 1) {
      const m = add(m0, xdiv(mul(P[I.a1_hw], v), Math.abs(u)));
      if (m > lo && m < hi) return m;
    }
  }
  return m0;
}

/** tau -> a1 nu, a1 -> pi pi pi (flat phase space): two pions of the tau's charge q, one opposite. */
function threeProng(s: RStream, P: Float32Array, e: FtEvent, tau: V4, q: number): void {
  const m = a1Mass(s, P), mp = P[I.m_pi];
  const [a1] = decay2(s, tau, P[I.m_tau], m, 0);
  const [p1, p2] = threeBody(s, a1, m, mul(m, m), mp, mp, mp);
  ftAddTrack(e, p1, KIND_PI, q);
  ftAddTrack(e, p2, KIND_PI, q);
  ftAddTrack(e, rest3(a1, p1, p2), KIND_PI, -q);
}

/** ISR from both beams (genkin isrRadiate: retried until the system mass exceeds m_min, else Born): the system; its photons meet the ECL. */
function isrSystem(s: RStream, P: Float32Array, q: IsrSetup, e: FtEvent): V4 {
  const r = isrRadiate(s, q);
  addPhoton(s, P, e, r.k1);
  addPhoton(s, P, e, r.k2);
  return r.sys;
}

/** e+e- -> tau- tau+ in the system (mass M): 1 + c^2 + (1 - beta^2)(1 - c^2), beta^2 = 1 - 4 m_tau^2 / M^2, accepted against 2 (>= 2/3 per try). */
function tauPair(s: RStream, P: Float32Array, sys: V4, M: number, m2: number): [V4, V4] {
  const mt = P[I.m_tau], omb = xdiv(mul(4, mul(mt, mt)), m2);
  let c = 0;
  for (let it = 0; it < TRIES; it++) {
    c = ucos(s);
    const cc = mul(c, c);
    if (mul(rsUniform(s), 2) <= add(add(1, cc), mul(omb, sub(1, cc)))) break;
  }
  return twoBody(sys, M, m2, mt, mt, c, disc(s));
}

/**
 * The gamma* mass of mumutautau: density ln(r / M) / M (the radiator x the Kroll-Wada 1/M) drawn
 * exactly through t = ln(r / M), t^2 uniform in [t0, t1] (sp_t0, sp_t1: the squares at the range's
 * ends), times sqrt(1 - 4 m^2 / M^2)(1 + 2 m^2 / M^2) <= 1 by rejection (bounded; the factor is
 * 0.79 on average over the proposal, so 64 tries fail with probability < 1e-43).
 */
function gammaStarMass(s: RStream, P: Float32Array): number {
  const r = P[I.sp_r], t0 = P[I.sp_t0], t1 = P[I.sp_t1], mt2 = mul(P[I.m_tau], P[I.m_tau]);
  let m = 0;
  for (let it = 0; it < TRIES; it++) {
    const t = xsqrt(add(t0, mul(rsUniform(s), sub(t1, t0))));
    m = mul(r, xexp(-t));
    const rr = xdiv(mul(4, mt2), mul(m, m));
    const f = mul(xsqrt(Math.max(0, sub(1, rr))), add(1, mul(0.5, rr)));
    if (rsUniform(s) <= f) break;
  }
  return m;
}

/** Forced muon fakes (tau.ts forceMuonFakes) on the event's tracks. */
function forceFakes(s: RStream, e: FtEvent): void {
  let nMu = 0, muQ = 0, nPos = 0, nNeg = 0;
  for (let i = 0; i < 4; i++) {
    if (e.k[i] === KIND_MU) {
      nMu++;
      muQ = e.q[i];
    } else if (e.k[i] === KIND_PI) {
      if (e.q[i] > 0) nPos++;
      else nNeg++;
    }
  }
  if (nMu === 1) {
    const nOpp = muQ > 0 ? nNeg : nPos;
    if (nOpp === 0) return;
    const j = Math.min(nOpp - 1, Math.floor(mul(rsUniform(s), nOpp)));
    relabel(e, -muQ, j);
  } else if (nMu === 0 && nPos > 0 && nNeg > 0) {
    const k = Math.min(nPos * nNeg - 1, Math.floor(mul(rsUniform(s), nPos * nNeg)));
    relabel(e, 1, Math.floor(k / nNeg));
    relabel(e, -1, k % nNeg);
  }
}
/** The j-th pion (in track order) of charge q becomes a muon. */
function relabel(e: FtEvent, q: number, j: number): void {
  for (let i = 0, m = 0; i < 4; i++) {
    if (e.k[i] === KIND_PI && e.q[i] === q) {
      if (m === j) e.k[i] = KIND_MU;
      m++;
    }
  }
}

/** One event into out[o .. o + FT_EV_WORDS). */
function genEvent(P: Float32Array, w: Uint32Array, q: IsrSetup, d: FtDet, ev: number, s: RStream, out: Float32Array, o: number): void {
  rsInit(s, w[I.key0], w[I.key1], ev, 0, 0);
  const mode = w[I.mode], rs = P[I.sqrt_s];
  const e = newFtEvent();
  const cm: V4 = [rs, 0, 0, 0];
  let truth = 0;
  // ---- production and decays (CM frame)
  if (mode === MODE.qqbar_4trk) {
    const n0 = Math.floor(mul(rsUniform(s), 3));
    const mRest = mul(n0, add(P[I.m_pi0], P[I.qq_x]));
    const m2pi = mul(2, P[I.m_pi]);
    const mA = add(m2pi, mul(rsUniform(s), P[I.qq_w])), mB = add(m2pi, mul(rsUniform(s), P[I.qq_w]));
    let a: V4, b: V4, r: V4 = cm;
    if (n0 === 0) [a, b] = decay2(s, cm, rs, mA, mB);
    else {
      [a, b] = threeBody(s, cm, rs, mul(rs, rs), mA, mB, mRest);
      r = rest3(cm, a, b);
    }
    const [x1, y1] = decay2(s, a, mA, P[I.m_pi], P[I.m_pi]);
    ftAddTrack(e, x1, KIND_PI, 1);
    ftAddTrack(e, y1, KIND_PI, -1);
    const [x2, y2] = decay2(s, b, mB, P[I.m_pi], P[I.m_pi]);
    ftAddTrack(e, x2, KIND_PI, 1);
    ftAddTrack(e, y2, KIND_PI, -1);
    if (n0 === 1) {
      const [g1, g2] = decay2(s, r, mRest, 0, 0);
      addPhoton(s, P, e, g1);
      addPhoton(s, P, e, g2);
    } else if (n0 === 2) {
      const m0 = P[I.m_pi0];
      const [z1, z2] = decay2(s, r, mRest, m0, m0);
      for (const z of [z1, z2]) {
        const [g1, g2] = decay2(s, z, m0, 0, 0);
        addPhoton(s, P, e, g1);
        addPhoton(s, P, e, g2);
      }
    }
  } else if (mode === MODE.zp_tautau_1p || mode === MODE.mumutautau) {
    const mt = P[I.m_tau], mm = P[I.m_mu];
    const sys = mode === MODE.zp_tautau_1p && w[I.isr] !== 0 ? isrSystem(s, P, q, e) : cm;
    const m2 = msq(sys), M = xsqrt(m2);
    const mx = mode === MODE.zp_tautau_1p ? P[I.m_x] : gammaStarMass(s, P);
    truth = mx;
    const [a, b] = threeBody(s, sys, M, m2, mm, mm, mx);
    ftAddTrack(e, a, KIND_MU, 1);
    ftAddTrack(e, b, KIND_MU, -1);
    const [tm, tp] = decay2(s, rest3(sys, a, b), mx, mt, mt);
    oneProng(s, P, e, tm, -1);
    oneProng(s, P, e, tp, 1);
  } else {
    // tautau_1x3, tau_lalpha: the tau pair, a fair coin for the 1-prong tau (the factor 2 of sigma)
    const sys = w[I.isr] !== 0 ? isrSystem(s, P, q, e) : cm;
    const m2 = msq(sys);
    const [tm, tp] = tauPair(s, P, sys, xsqrt(m2), m2);
    const flip = rsUniform(s) < 0.5;
    const t1 = flip ? tp : tm, q1 = flip ? 1 : -1;
    if (mode === MODE.tau_lalpha) {
      const [l] = decay2(s, t1, P[I.m_tau], P[I.m_l], P[I.m_x]);
      ftAddTrack(e, l, w[I.lep_kind], q1);
      truth = P[I.m_x];
    } else oneProng(s, P, e, t1, q1);
    threeProng(s, P, e, flip ? tm : tp, -q1);
  }
  if (w[I.force_fake] !== 0) forceFakes(s, e);
  // ---- detector (lab frame) and the fourtrack columns (kernels/lib/fourtrack), the pads
  fourtrackColumns(s, P, d, e, truth, out, o);
  for (let j = FT_ACC + 1; j < FT_EV_WORDS; j++) out[o + j] = 0;
}

// params: [item_offset, item_count, opaque_zero, reserved, <GEN_FOURTRACK_PARAM_NAMES>]
export const genFourtrackRef: RefKernel = (p, _inputs, [out]) => {
  const P = new Float32Array(p.buffer, p.byteOffset, p.length);
  const o = new Float32Array(out.buffer, out.byteOffset, out.length);
  const s = newStream();
  const off = p[0], n = p[1], first = p[I.first];
  const q: IsrSetup = {
    rs: P[I.sqrt_s], t: 0, mMin2: mul(P[I.m_min], P[I.m_min]), eBeam: P[I.e_beam], isrExp: P[I.isr_exp], isrA: P[I.isr_a], isrLr: P[I.isr_lr],
    stMode: 0, stF0: 0, stF1: 0, stF2: 0, stF3: 0, stP: 0,
  };
  const d: FtDet = {
    mu: I.trk_cmin, pi: I.trk_cmin_pi, e: I.trk_cmin_e, mE: P[I.m_e], mMu: P[I.m_mu], mPi: P[I.m_pi],
    eTot: P[I.e_tot], pzTot: P[I.pz_tot], g: P[I.g_cm], bg: P[I.bg_cm], gTau: P[I.g_tau], bgTau: P[I.bg_tau],
  };
  for (let l = 0; l < n; l++) genEvent(P, p, q, d, (first + off + l) >>> 0, s, o, FT_EV_WORDS * l);
};
