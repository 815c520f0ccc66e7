import type { RefKernel } from '../types.js';
import { xsqrt } from '../lib/exactmath.js';
import { newStream, rsInit, rsUniform, type RStream } from '../lib/sampling.js';
import {
  PHOTON_PARAMS, TRACK_PARAMS, boostZ, disc, fm, isrPhotonsSeen, isrRadiate, msq, ssqrt, threeBody, track, twoBody, type IsrSetup, type Track, type V4,
} from '../lib/genkin.js';
import { tauLeptonic } from '../lib/taudecay.js';

// TypeScript reference of gen_fourmuon (twins: gen_fourmuon.wgsl, wasm/gen_fourmuon.ts): one event
// of the four-muon family per item, in f32 from exact operations only, from its own Philox stream
// (counter (block, event, 0, 0); key engine/generate/index.ts kernelEventKey):
//   mode 0 (zp_mumu):   e+e- -> mu+ mu- Z', Z' -> mu+ mu- (L_mu - L_tau; M_Z' = m_x);
//   mode 1 (mumumumu):  e+e- -> mu+ mu- gamma*, gamma* -> mu+ mu-, M(gamma*) drawn first by inverse CDF
//                       from the tabulated Kroll-Wada x leading-log spectrum (physics.ts
//                       fourMuSpectrumFbPerGeV, tabulatedF32: the shared input `spec`);
//   mode 2 (zp_tautau): e+e- -> mu+ mu- Z', Z' -> tau+ tau- (isotropic), each tau -> mu nu nu unpolarised
//                       (kernels/lib/taudecay tauLeptonic: the Michel spectrum, PDG RPP "tau-lepton decay
//                       parameters"; the tau+ tau- spin correlation is neglected, as in the f64 generator).
// Then ISR from both beams (genkin isrRadiate: x = U^(2/beta), Kuraev & Fadin, Sov. J. Nucl. Phys.
// 41 (1985) 466; no generator cut, no angular stratum), retried until the system mass exceeds
// M_X + 2 m_mu; mu+ mu- X
// by flat three-body phase space in the system's rest frame (genkin threeBody, PDG RPP "Kinematics"
// eq. 49.21 with |M|^2 = const; the radiation matrix element, which favours soft X, is neglected);
// X -> mu+ mu- (mode 2: tau+ tau-) isotropic in its rest frame; boost to the lab; detector (genkin track, photon:
// engine/generate/detector.ts) for mu+ (a), mu- (b), mu+ (c), mu- (d) in that order, then the two
// ISR photons; the four-muon columns (engine/generate/index.ts reconstruct): the identified muons
// of each charge ordered by measured |p|, M_4mu, the four opposite-charge pair masses and their
// recoil masses, E_extra and n_gamma of the ISR photons the ECL sees, n_extra_tracks.
// Every loop is bounded: the binary search by 32 halvings (exact for any table below 2^32 points);
// genkin's ISR retry by ISR_TRIES (see desc.ts for its failure probability; the event is then
// Born), its disc point, three-body and normals by theirs.
const fr = Math.fround;
const add = (a: number, b: number) => fr(a + b);
const sub = (a: number, b: number) => fr(a - b);
const mul = (a: number, b: number) => fr(a * b);

/** Halvings of the table's binary search: enough for any n_tab < 2^32. */
export const SEARCH_STEPS = 32;

/** The kernel's params in desc order (the header's 4 words come first). u32: the first six. */
export const GEN_FOURMUON_PARAM_NAMES = [
  'key0', 'key1', 'first', 'mode', 'isr', 'n_tab',
  'm_x', 'm_mu', 'm_tau', 'emax_mu', 'xmin_mu', 'sqrt_s', 'e_beam', 'e_tot', 'pz_tot', 'g_cm', 'bg_cm', 'isr_exp', 'isr_a', 'isr_lr',
  ...TRACK_PARAMS, ...PHOTON_PARAMS,
] as const;
export const GEN_FOURMUON_U32_PARAMS = 6;
export type GenFourmuonParams = Record<(typeof GEN_FOURMUON_PARAM_NAMES)[number], number>;

/** Output words per event: the four-muon family's columns (engine/generate/index.ts FAMILY_COLUMNS order), then the accepted flag and pad words. */
export const GEN_FOURMUON_COLUMNS = [
  'mu1_px_GeV', 'mu1_py_GeV', 'mu1_pz_GeV', 'mu2_px_GeV', 'mu2_py_GeV', 'mu2_pz_GeV',
  'mu3_px_GeV', 'mu3_py_GeV', 'mu3_pz_GeV', 'mu4_px_GeV', 'mu4_py_GeV', 'mu4_pz_GeV',
  'm_4mu_GeV', 'm_mumu_13_GeV', 'm_mumu_14_GeV', 'm_mumu_23_GeV', 'm_mumu_24_GeV',
  'm_recoil_13_GeV', 'm_recoil_14_GeV', 'm_recoil_23_GeV', 'm_recoil_24_GeV',
  'E_extra_GeV', 'n_gamma', 'n_extra_tracks', 'truth_m_Zp_GeV',
] as const;
export const EV_WORDS = 28;
/** Word of the accepted flag (1: two identified, accepted muons of each charge; 0: not). */
export const C_ACC = 25;
/** Column words (KernelDesc.constants: generated into WGSL and AssemblyScript); pair j (13, 14, 23, 24) at C_MPAIR + j, its recoil at C_MREC + j. */
export const GEN_FOURMUON_CONSTANTS = { C_MU: 0, C_M4: 12, C_MPAIR: 13, C_MREC: 17, C_EEXTRA: 21, C_NGAM: 22, C_NEXTRA: 23, C_TRUTH: 24, C_ACC } as const;

/** Param index in the params block (header of 4 words first). */
const I = Object.fromEntries(GEN_FOURMUON_PARAM_NAMES.map((n, j) => [n, 4 + j])) as Record<(typeof GEN_FOURMUON_PARAM_NAMES)[number], number>;

/**
 * The gamma* mass of the uniform u from the table (physics.ts tabulatedF32: words [c | m | s] of
 * n + 1 each): a with c_a < u <= c_{a+1} by binary search (physics.ts tabulated's sample), then
 * m_a + (u - c_a) s_a.
 */
function tabMass(spec: Float32Array, n: number, u: number): number {
  let a = 0, b = n;
  for (let it = 0; it < SEARCH_STEPS && b - a > 1; it++) {
    const mid = (a + b) >>> 1;
    if (spec[mid] < u) a = mid;
    else b = mid;
  }
  return add(spec[n + 1 + a], fm(sub(u, spec[a]), spec[2 * (n + 1) + a]));
}

const add4 = (p: V4, q: V4): V4 => [add(p[0], q[0]), add(p[1], q[1]), add(p[2], q[2]), add(p[3], q[3])];

/** One event into out[o .. o + EV_WORDS). */
function genEvent(P: Float32Array, w: Uint32Array, q: IsrSetup, spec: Float32Array, ev: number, s: RStream, out: Float32Array, o: number): void {
  rsInit(s, w[I.key0], w[I.key1], ev, 0, 0);
  const mm = P[I.m_mu], rs = P[I.sqrt_s];
  const mx = w[I.mode] === 1 ? tabMass(spec, w[I.n_tab], rsUniform(s)) : P[I.m_x];
  // ---- ISR: retried until the system can make mu mu X
  let k1: V4 = [0, 0, 0, 0], k2: V4 = [0, 0, 0, 0], sys: V4 = [rs, 0, 0, 0];
  let m2 = mul(rs, rs);
  if (w[I.isr] !== 0) {
    const mMin = add(mx, mul(2, mm));
    q.mMin2 = mul(mMin, mMin);
    ({ k1, k2, sys, m2 } = isrRadiate(s, q));
  }
  // ---- mu+ mu- X (flat phase space), X -> mu+ mu- (tau+ tau-, each -> mu nu nu) isotropic
  const M = xsqrt(m2);
  const [a, b, x] = threeBody(s, sys, M, m2, mm, mm, mx);
  const tau = w[I.mode] === 2, md = tau ? P[I.m_tau] : mm;
  const cx = sub(mul(2, rsUniform(s)), 1);
  let [c, d] = twoBody(x, mx, mul(mx, mx), md, md, cx, disc(s));
  if (tau) {
    c = tauLeptonic(s, c, md, 1, mm, P[I.emax_mu], P[I.xmin_mu]);
    d = tauLeptonic(s, d, md, -1, mm, P[I.emax_mu], P[I.xmin_mu]);
  }
  // ---- lab frame, detector: tracks a, b, c, d, then the ISR photons
  const g = P[I.g_cm], bg = P[I.bg_cm];
  const t: Track[] = [a, b, c, d].map((q) => track(s, P, I.trk_cmin, boostZ(q, g, bg), mm));
  const [nGam, eExtra] = w[I.isr] !== 0 ? isrPhotonsSeen(s, P, I.g_emin, k1, k2, g, bg) : [0, 0];
  // ---- the four-muon columns (index.ts reconstruct)
  for (let j = 0; j < EV_WORDS; j++) out[o + j] = 0;
  const ok = t.map((q) => q.acc && q.id);
  let nAcc = 0, nMu = 0;
  for (let j = 0; j < 4; j++) {
    nAcc += t[j].acc ? 1 : 0;
    nMu += ok[j] ? 1 : 0;
  }
  out[o + GEN_FOURMUON_CONSTANTS.C_EEXTRA] = eExtra;
  out[o + GEN_FOURMUON_CONSTANTS.C_NGAM] = nGam;
  out[o + GEN_FOURMUON_CONSTANTS.C_NEXTRA] = nAcc - nMu;
  out[o + GEN_FOURMUON_CONSTANTS.C_TRUTH] = mx;
  if (nMu < 4) return;
  // each charge's muons by measured |p|, the harder first (a stable sort: a before c, b before d on a tie)
  const [p1, p2] = t[2].pm > t[0].pm ? [t[2], t[0]] : [t[0], t[2]];
  const [n1, n2] = t[3].pm > t[1].pm ? [t[3], t[1]] : [t[1], t[3]];
  const mu = [p1.p, p2.p, n1.p, n2.p];
  out[o + C_ACC] = 1;
  for (let j = 0; j < 4; j++) for (let k = 0; k < 3; k++) out[o + GEN_FOURMUON_CONSTANTS.C_MU + 3 * j + k] = mu[j][k + 1];
  out[o + GEN_FOURMUON_CONSTANTS.C_M4] = ssqrt(msq(add4(add4(mu[0], mu[1]), add4(mu[2], mu[3]))));
  const eTot = P[I.e_tot], pzTot = P[I.pz_tot];
  for (let j = 0; j < 4; j++) {
    const pr = add4(mu[j >> 1], mu[2 + (j & 1)]); // 13, 14, 23, 24
    out[o + GEN_FOURMUON_CONSTANTS.C_MPAIR + j] = ssqrt(msq(pr));
    out[o + GEN_FOURMUON_CONSTANTS.C_MREC + j] = ssqrt(msq([sub(eTot, pr[0]), -pr[1], -pr[2], sub(pzTot, pr[3])]));
  }
}

// params: [item_offset, item_count, opaque_zero, reserved, <GEN_FOURMUON_PARAM_NAMES>]; inputs: [spec]
export const genFourmuonRef: RefKernel = (p, [spec], [out]) => {
  const P = new Float32Array(p.buffer, p.byteOffset, p.length);
  const T = new Float32Array(spec.buffer, spec.byteOffset, spec.length);
  const o = new Float32Array(out.buffer, out.byteOffset, out.length);
  const s = newStream();
  const off = p[0], n = p[1], first = p[I.first];
  // no generator cut, no angular stratum; the threshold mMin2 is set per event
  const q: IsrSetup = {
    rs: P[I.sqrt_s], t: 0, mMin2: 0, eBeam: P[I.e_beam], isrExp: P[I.isr_exp], isrA: P[I.isr_a], isrLr: P[I.isr_lr],
    stMode: 0, stF0: 0, stF1: 0, stF2: 0, stF3: 0, stP: 0,
  };
  for (let l = 0; l < n; l++) genEvent(P, p, q, T, (first + off + l) >>> 0, s, o, EV_WORDS * l);
};
