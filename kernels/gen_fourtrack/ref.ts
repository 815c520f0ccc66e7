import type { RefKernel } from '../types.js';
import { ftz, xdiv, xexp, xsqrt } from '../lib/exactmath.js';
import { newStream, rsInit, rsUniform, type RStream } from '../lib/sampling.js';
import { PHOTON_PARAMS, TRACK_PARAMS, TRIES, boostFrom, boostZ, disc, fm, isrRadiate, msq, p3sq, photon, ssqrt, threeBody, track, twoBody, type IsrSetup, type V4 } from '../lib/genkin.js';
import { tauLeptonic } from '../lib/taudecay.js';

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
// Detector (kernels/lib/genkin track / photon, in the lab): per track 3 normals + 1 uniform, the
// identification threshold that of its kind (muon: mu_eff, pion: the pion fake rate, electron: 0,
// never a muon; three TRACK_PARAMS sub-blocks); a track identified as a muon takes the muon mass.
// Photons (ISR, rho's pi0, q qbar's pi0s) meet the ECL as they are made (1 normal each).
// Reconstruction: engine/generate/tau.ts reconstructFourTrack in f32 (the fourtrack columns).
const fr = Math.fround;
const add = (a: number, b: number) => fr(a + b);
const sub = (a: number, b: number) => fr(a - b);
const mul = (a: number, b: number) => fr(a * b);

export const MODE = { tautau_1x3: 0, tau_lalpha: 1, zp_tautau_1p: 2, mumutautau: 3, qqbar_4trk: 4 } as const;
/** Track kinds. */
export const KIND_E = 1, KIND_MU = 2, KIND_PI = 3;

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

/** Output words per event: the fourtrack columns (engine/generate/tau.ts FOURTRACK_COLUMNS order), then the accepted flag and pads. */
export const GEN_FOURTRACK_COLUMNS = [
  'n_tracks', 'charge_sum', 'n_mu_id', 'n_gamma', 'E_extra_GeV', 'm_4trk_GeV',
  'has_mumu', 'm_mumu_GeV', 'm_recoil_GeV', 'p_mu1_cm_GeV', 'p_mu2_cm_GeV', 'p_trk1_cm_GeV', 'p_trk2_cm_GeV',
  'm_trk_GeV', 'cos_recoil_trk_cm', 'pt_4trk_cm_GeV', 'cos_mumu_cm',
  'is_3x1', 'lep_kind', 'p_lep_cm_GeV', 'E_lep_pseudo_GeV', 'cos_theta_lep_cm', 'm_3prong_GeV', 'E_3prong_cm_GeV',
  'truth_m_GeV',
] as const;
export const FT_EV_WORDS = 28;
/** Word of the accepted flag (1: exactly four tracks, 0: not). */
export const FT_ACC = 25;
const col = Object.fromEntries(GEN_FOURTRACK_COLUMNS.map((c, j) => [c, j])) as Record<(typeof GEN_FOURTRACK_COLUMNS)[number], number>;
/** Column words (KernelDesc.constants: generated into WGSL and AssemblyScript). */
export const GEN_FOURTRACK_CONSTANTS = {
  F_NTRK: col.n_tracks, F_QSUM: col.charge_sum, F_NMU: col.n_mu_id, F_NGAM: col.n_gamma, F_EEXTRA: col.E_extra_GeV, F_M4: col.m_4trk_GeV,
  F_HASMM: col.has_mumu, F_MMM: col.m_mumu_GeV, F_MREC: col.m_recoil_GeV, F_PMU1: col.p_mu1_cm_GeV, F_PMU2: col.p_mu2_cm_GeV,
  F_PTRK1: col.p_trk1_cm_GeV, F_PTRK2: col.p_trk2_cm_GeV, F_MTRK: col.m_trk_GeV, F_CRT: col.cos_recoil_trk_cm, F_PT4: col.pt_4trk_cm_GeV,
  F_CMM: col.cos_mumu_cm, F_IS3X1: col.is_3x1, F_LEPK: col.lep_kind, F_PLEP: col.p_lep_cm_GeV, F_EPS: col.E_lep_pseudo_GeV,
  F_CLEP: col.cos_theta_lep_cm, F_M3: col.m_3prong_GeV, F_E3: col.E_3prong_cm_GeV, F_TRUTH: col.truth_m_GeV, F_ACC: FT_ACC,
  KIND_E, KIND_MU, KIND_PI,
} as const;
const C = GEN_FOURTRACK_CONSTANTS;

type Name = (typeof GEN_FOURTRACK_PARAM_NAMES)[number];
/** Param index in the params block (header of 4 words first). */
const I = Object.fromEntries(GEN_FOURTRACK_PARAM_NAMES.map((n, j) => [n, 4 + j])) as Record<Name, number>;

/** The event being made: the four charged particles (CM frame), their kinds and charges; photons seen so far. */
interface Ev { n: number; p: V4[]; k: number[]; q: number[]; nGam: number; eExtra: number }

function addTrack(e: Ev, p: V4, kind: number, q: number): void {
  e.p[e.n] = p;
  e.k[e.n] = kind;
  e.q[e.n] = q;
  e.n++;
}

/** A photon of CM momentum k meets the ECL (lab frame): counted with its smeared energy if seen. Draws 1 normal. */
function addPhoton(s: RStream, P: Float32Array, e: Ev, k: V4): void {
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
function tauRhoNu(s: RStream, P: Float32Array, e: Ev, tau: V4): V4 {
  const mr = P[I.m_rho], m0 = P[I.m_pi0];
  const [rho] = decay2(s, tau, P[I.m_tau], mr, 0);
  const [pi, pi0] = decay2(s, rho, mr, P[I.m_pi], m0);
  const [g1, g2] = decay2(s, pi0, m0, 0, 0);
  addPhoton(s, P, e, g1);
  addPhoton(s, P, e, g2);
  return pi;
}

/** A 1-prong decay of tau (charge q), the mode drawn by branching fraction: e, mu nu nu, pi nu (isotropic two-body, unpolarised) or rho nu. */
function oneProng(s: RStream, P: Float32Array, e: Ev, tau: V4, q: number): void {
  const u = rsUniform(s);
  if (u < P[I.br_e]) addTrack(e, tauLeptonic(s, tau, P[I.m_tau], q, P[I.m_e], P[I.emax_e], P[I.xmin_e]), KIND_E, q);
  else if (u < P[I.br_mu]) addTrack(e, tauLeptonic(s, tau, P[I.m_tau], q, P[I.m_mu], P[I.emax_mu], P[I.xmin_mu]), KIND_MU, q);
  else if (u < P[I.br_pi]) addTrack(e, decay2(s, tau, P[I.m_tau], P[I.m_pi], 0)[0], KIND_PI, q);
  else addTrack(e, tauRhoNu(s, P, e, tau), KIND_PI, q);
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
function threeProng(s: RStream, P: Float32Array, e: Ev, tau: V4, q: number): void {
  const m = a1Mass(s, P), mp = P[I.m_pi];
  const [a1] = decay2(s, tau, P[I.m_tau], m, 0);
  const [p1, p2] = threeBody(s, a1, m, mul(m, m), mp, mp, mp);
  addTrack(e, p1, KIND_PI, q);
  addTrack(e, p2, KIND_PI, q);
  addTrack(e, rest3(a1, p1, p2), KIND_PI, -q);
}

/** ISR from both beams (genkin isrRadiate: retried until the system mass exceeds m_min, else Born): the system; its photons meet the ECL. */
function isrSystem(s: RStream, P: Float32Array, q: IsrSetup, e: Ev): V4 {
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
function forceFakes(s: RStream, e: Ev): void {
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
function relabel(e: Ev, q: number, j: number): void {
  for (let i = 0, m = 0; i < 4; i++) {
    if (e.k[i] === KIND_PI && e.q[i] === q) {
      if (m === j) e.k[i] = KIND_MU;
      m++;
    }
  }
}

const cosNum = (a: V4, b: V4) => add(add(fm(a[1], b[1]), fm(a[2], b[2])), fm(a[3], b[3]));
/** cos of the angle between two momenta (0 where one vanishes; tau.ts cosBetween). */
function cosBetween(a: V4, b: V4): number {
  const d2 = fm(p3sq(a), p3sq(b));
  return d2 > 0 ? xdiv(cosNum(a, b), xsqrt(d2)) : 0;
}
const sum4 = (a: V4, b: V4): V4 => [add(a[0], b[0]), add(a[1], b[1]), add(a[2], b[2]), add(a[3], b[3])];

/** One event into out[o .. o + FT_EV_WORDS). */
function genEvent(P: Float32Array, w: Uint32Array, q: IsrSetup, ev: number, s: RStream, out: Float32Array, o: number): void {
  rsInit(s, w[I.key0], w[I.key1], ev, 0, 0);
  const mode = w[I.mode], rs = P[I.sqrt_s];
  const e: Ev = { n: 0, p: [], k: [], q: [], nGam: 0, eExtra: 0 };
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
    addTrack(e, x1, KIND_PI, 1);
    addTrack(e, y1, KIND_PI, -1);
    const [x2, y2] = decay2(s, b, mB, P[I.m_pi], P[I.m_pi]);
    addTrack(e, x2, KIND_PI, 1);
    addTrack(e, y2, KIND_PI, -1);
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
    addTrack(e, a, KIND_MU, 1);
    addTrack(e, b, KIND_MU, -1);
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
      addTrack(e, l, w[I.lep_kind], q1);
      truth = P[I.m_x];
    } else oneProng(s, P, e, t1, q1);
    threeProng(s, P, e, flip ? tm : tp, -q1);
  }
  if (w[I.force_fake] !== 0) forceFakes(s, e);
  // ---- detector (lab frame): the tracks in order
  const g = P[I.g_cm], bg = P[I.bg_cm], mmu = P[I.m_mu];
  const L: V4[] = [], c: V4[] = [], pc: number[] = [], id: boolean[] = [];
  let nTrk = 0, qSum = 0, nMu = 0;
  for (let i = 0; i < 4; i++) {
    const kind = e.k[i];
    const b = kind === KIND_MU ? I.trk_cmin : kind === KIND_PI ? I.trk_cmin_pi : I.trk_cmin_e;
    const t = track(s, P, b, boostZ(e.p[i], g, bg), kind === KIND_E ? P[I.m_e] : kind === KIND_MU ? mmu : P[I.m_pi]);
    // a track identified as a muon takes the muon mass (index.ts reconstruct)
    L[i] = t.id && kind !== KIND_MU ? [xsqrt(add(mul(mmu, mmu), mul(t.pm, t.pm))), t.p[1], t.p[2], t.p[3]] : t.p;
    c[i] = boostZ(L[i], g, -bg);
    pc[i] = xsqrt(p3sq(c[i]));
    id[i] = t.id;
    if (t.acc) {
      nTrk++;
      qSum += e.q[i];
      if (t.id) nMu++;
    }
  }
  // ---- the fourtrack columns (tau.ts reconstructFourTrack)
  for (let j = 0; j < FT_EV_WORDS; j++) out[o + j] = 0;
  out[o + C.F_NTRK] = nTrk;
  out[o + C.F_QSUM] = qSum;
  out[o + C.F_NMU] = nMu;
  out[o + C.F_NGAM] = e.nGam;
  out[o + C.F_EEXTRA] = e.eExtra;
  out[o + C.F_TRUTH] = truth;
  if (nTrk !== 4) return;
  out[o + C.F_ACC] = 1;
  const all = sum4(sum4(sum4(L[0], L[1]), L[2]), L[3]);
  out[o + C.F_M4] = ssqrt(msq(all));
  out[o + C.F_PT4] = xsqrt(add(fm(all[1], all[1]), fm(all[2], all[2])));
  // the mu mu pair: opposite-charge identified muons with the largest CM momentum sum
  let bi = -1, bj = -1, bestP = -1;
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      if (e.q[i] > 0 && e.q[j] < 0 && id[i] && id[j] && add(pc[i], pc[j]) > bestP) {
        bi = i;
        bj = j;
        bestP = add(pc[i], pc[j]);
      }
    }
  }
  out[o + C.F_MREC] = -1;
  if (bi >= 0) {
    out[o + C.F_HASMM] = 1;
    let k1 = -1, k2 = -1;
    for (let k = 0; k < 4; k++) {
      if (k === bi || k === bj) continue;
      if (k1 < 0) k1 = k;
      else k2 = k;
    }
    const pair = sum4(L[bi], L[bj]), rest = sum4(L[k1], L[k2]);
    out[o + C.F_MMM] = ssqrt(msq(pair));
    const rec: V4 = [sub(P[I.e_tot], pair[0]), -pair[1], -pair[2], sub(P[I.pz_tot], pair[3])];
    const r2 = msq(rec);
    out[o + C.F_MREC] = r2 > 0 ? xsqrt(r2) : -1;
    out[o + C.F_PMU1] = Math.max(pc[bi], pc[bj]);
    out[o + C.F_PMU2] = Math.min(pc[bi], pc[bj]);
    out[o + C.F_PTRK1] = Math.max(pc[k1], pc[k2]);
    out[o + C.F_PTRK2] = Math.min(pc[k1], pc[k2]);
    out[o + C.F_MTRK] = ssqrt(msq(rest));
    out[o + C.F_CRT] = cosBetween(boostZ(rec, g, -bg), boostZ(rest, g, -bg));
    out[o + C.F_CMM] = cosBetween(c[bi], c[bj]);
  }
  // 3x1: the one track opposite (cos < 0 in the CM) to each of the other three
  let lone = -1, nLone = 0;
  for (let i = 0; i < 4; i++) {
    let opp = true;
    for (let k = 0; k < 4; k++) if (k !== i && !(cosNum(c[i], c[k]) < 0)) opp = false;
    if (opp) {
      lone = i;
      nLone++;
    }
  }
  if (nLone !== 1) return;
  out[o + C.F_IS3X1] = 1;
  let three: V4 = [0, 0, 0, 0];
  for (let k = 0; k < 4; k++) if (k !== lone) three = sum4(three, c[k]);
  const isE = e.k[lone] === KIND_E;
  // electrons identified perfectly (illustrative); muons by the KLM model
  out[o + C.F_LEPK] = isE ? 1 : id[lone] ? 2 : 3;
  const ml = isE ? P[I.m_e] : mmu, l = c[lone], pl = pc[lone];
  out[o + C.F_PLEP] = pl;
  out[o + C.F_CLEP] = pl > 0 ? xdiv(l[3], pl) : 0;
  out[o + C.F_M3] = ssqrt(msq(three));
  out[o + C.F_E3] = three[0];
  // pseudo-rest frame: the tau along -(3-prong direction), E_tau = sqrt(s) / 2 (PRL 130 (2023) 181803):
  // E* = gamma E_l + beta gamma (n . l), n the 3-prong direction
  const q3 = xsqrt(p3sq(three));
  const nl = q3 > 0 ? xdiv(cosNum(three, l), q3) : 0;
  out[o + C.F_EPS] = add(mul(P[I.g_tau], xsqrt(add(mul(ml, ml), mul(pl, pl)))), mul(P[I.bg_tau], nl));
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
  for (let l = 0; l < n; l++) genEvent(P, p, q, (first + off + l) >>> 0, s, o, FT_EV_WORDS * l);
};
