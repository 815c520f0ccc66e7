import type { RefKernel } from '../types.js';
import { xdiv, xsqrt } from '../lib/exactmath.js';
import { newStream, rsInit, rsUniform, type RStream } from '../lib/sampling.js';
import {
  DIMUON_COLUMNS, DIMUON_EV_WORDS, DIMUON_WORDS, PHOTON_PARAMS, TRACK_PARAMS, TRIES, boostZ, dimuonColumns, disc, isrBorn, isrPhotonsSeen, isrRadiate, threeBody, track, twoBody, type IsrSetup, type V4,
} from '../lib/genkin.js';

// TypeScript reference of gen_dimuon (twins: gen_dimuon.wgsl, wasm/gen_dimuon.ts): one event of
// the dimuon family's two-body processes per item, in f32 from exact operations only, from its own
// Philox stream (counter (block, event, 0, 0)). The physics is that of engine/generate
// (physics.ts radiate / sampleCos / produce2 / decay2, detector.ts, index.ts reconstruct):
//   mode 0 (mumu):      e+e- -> mu+ mu- (gamma), Born 1 + cos^2 (Peskin & Schroeder eq. 5.12);
//   mode 1 (darkhiggs): e+e- -> A' h', dsigma/dcos ~ beta^2 sin^2 + 8 mA^2 / s' (Barger et al.,
//                       PRD 49 (1994) 79, eq. 2), A' -> mu+ mu- isotropic in its rest frame;
//   mode 2 (zp_inv):    e+e- -> mu+ mu- Z' (Z' invisible, mass m_a), flat three-body phase space (threeBody).
// ISR (isr = 1): each beam radiates one photon, x = U^(2/beta) (Kuraev & Fadin, Sov. J. Nucl. Phys.
// 41 (1985) 466), polar angle to its beam from 1/(1 - beta_e cos), retried until the system mass
// exceeds m_min. The generator cut max(x1, x2) >= xMin is sampled exactly: with t = xMin^(beta/2),
// (U1, U2) uniform on the unit square less [0, t)^2. Azimuths without trigonometry: a point (u, v)
// uniform in the unit disc, cos phi = (u^2 - v^2) / r^2, sin phi = 2 u v / r^2.
// An angular stratum of the ISR photons (st_mode) draws their angles on the inverse CDF's intervals.
// Every loop is bounded (ISR_TRIES, TRIES): past it the event takes no radiation / the last
// candidate (probability < 1e-9 for every parameter set the processes allow, see desc.ts).
// Detector (detector.ts, in the lab): track acceptance on the true momentum (polar-angle window
// as cosines, pT > pt_min), sigma_p / p = a pT (+) b / beta, the direction moved by sigma n2 along
// e_theta and sigma n3 sin(theta) along e_phi (detector.ts smears theta and phi by sigma: the same
// to first order in sigma = 1 mrad), muon ID u < mu_eff; ISR photons: accepted above g_emin in one
// of the three ECL polar ranges, energy smeared by a / E (+) b / E^(1/4) (+) c. Draws per track:
// 3 normals + 1 uniform, per photon 1 normal, whether or not accepted.
// Products that can underflow (two small operands) pass through ftz, so no value is subnormal.
const fr = Math.fround;
const add = (a: number, b: number) => fr(a + b);
const sub = (a: number, b: number) => fr(a - b);
const mul = (a: number, b: number) => fr(a * b);

/** The kernel's params in desc order (the header's 4 words come first). u32: the first five. */
export const GEN_DIMUON_PARAM_NAMES = [
  'key0', 'key1', 'first', 'mode', 'isr', 'st_mode',
  'm_a', 'm_b', 'm_min', 't_min', 'm_mu', 'sqrt_s', 'e_beam', 'e_tot', 'pz_tot', 'g_cm', 'bg_cm', 'isr_exp', 'isr_a', 'isr_lr',
  ...TRACK_PARAMS, ...PHOTON_PARAMS,
  'st_f0', 'st_f1', 'st_f2', 'st_f3', 'st_p',
] as const;
export const GEN_DIMUON_U32_PARAMS = 6;
export type GenDimuonParams = Record<(typeof GEN_DIMUON_PARAM_NAMES)[number], number>;

/** Output words per event: the dimuon family's columns (genkin DIMUON_COLUMNS), then the accepted flag and a pad word. */
export const GEN_DIMUON_COLUMNS = DIMUON_COLUMNS;
export const EV_WORDS = DIMUON_EV_WORDS;
/** Word of the accepted flag (1: both muons identified and accepted, 0: not). */
export const C_ACC = DIMUON_WORDS.C_ACC;
/** Column words (KernelDesc.constants: generated into WGSL and AssemblyScript). */
export const GEN_DIMUON_CONSTANTS = DIMUON_WORDS;

/** Param index in the params block (header of 4 words first). */
const I = Object.fromEntries(GEN_DIMUON_PARAM_NAMES.map((n, j) => [n, 4 + j])) as Record<(typeof GEN_DIMUON_PARAM_NAMES)[number], number>;

/** One event into out[o .. o + EV_WORDS). */
function genEvent(P: Float32Array, w: Uint32Array, q: IsrSetup, ev: number, s: RStream, out: Float32Array, o: number): void {
  rsInit(s, w[I.key0], w[I.key1], ev, 0, 0);
  const mode = w[I.mode];
  const rs = P[I.sqrt_s];
  // ---- ISR
  const { k1, k2, sys, m2 } = w[I.isr] !== 0 ? isrRadiate(s, q) : isrBorn(rs);
  const M = xsqrt(m2);
  let muP: V4, muM: V4;
  if (mode === 2) [muP, muM] = threeBody(s, sys, M, m2, P[I.m_mu], P[I.m_mu], P[I.m_a]);
  else {
    // ---- production angle by rejection, azimuth, two-body production in the system's rest frame
    const ma = P[I.m_a], mb = P[I.m_b];
    let bt2 = 0, kk = 1, fmax = 2; // mumu: 1 + c^2 <= 2
    if (mode === 1) {
      const sp = add(ma, mb), sd = sub(ma, mb);
      const lam = Math.max(0, mul(sub(m2, mul(sp, sp)), sub(m2, mul(sd, sd))));
      bt2 = xdiv(lam, mul(m2, m2));
      kk = xdiv(mul(8, mul(ma, ma)), m2);
      fmax = add(bt2, kk);
    }
    let c = 0;
    for (let it = 0; it < TRIES; it++) {
      c = sub(mul(2, rsUniform(s)), 1);
      const f = mode === 1 ? add(mul(bt2, sub(1, mul(c, c))), kk) : add(1, mul(c, c));
      if (mul(rsUniform(s), fmax) <= f) break;
    }
    const [qa, qb] = twoBody(sys, M, m2, ma, mb, c, disc(s));
    if (mode === 1) {
      // A' -> mu+ mu- isotropic in the A' rest frame
      const c2 = sub(mul(2, rsUniform(s)), 1);
      [muP, muM] = twoBody(qa, ma, mul(ma, ma), P[I.m_mu], P[I.m_mu], c2, disc(s));
    } else {
      muP = qa;
      muM = qb;
    }
  }
  // ---- lab frame, detector
  const g = P[I.g_cm], bg = P[I.bg_cm];
  const lp = boostZ(muP, g, bg), lm = boostZ(muM, g, bg);
  const tP = track(s, P, I.trk_cmin, lp, P[I.m_mu]), tM = track(s, P, I.trk_cmin, lm, P[I.m_mu]);
  const [nGam, eExtra] = w[I.isr] !== 0 ? isrPhotonsSeen(s, P, I.g_emin, k1, k2, g, bg) : [0, 0];
  // ---- the dimuon columns (index.ts reconstruct), the pad word
  dimuonColumns(out, o, tP, tM, lp, lm, nGam, eExtra, 0, { eTot: P[I.e_tot], pzTot: P[I.pz_tot], g, bg, mMu: P[I.m_mu] });
  out[o + EV_WORDS - 1] = 0;
}

// params: [item_offset, item_count, opaque_zero, reserved, <GEN_DIMUON_PARAM_NAMES>]
export const genDimuonRef: RefKernel = (p, _inputs, [out]) => {
  const P = new Float32Array(p.buffer, p.byteOffset, p.length);
  const o = new Float32Array(out.buffer, out.byteOffset, out.length);
  const s = newStream();
  const off = p[0], n = p[1], first = p[I.first];
  const q: IsrSetup = {
    rs: P[I.sqrt_s], t: P[I.t_min], mMin2: fr(P[I.m_min] * P[I.m_min]), eBeam: P[I.e_beam], isrExp: P[I.isr_exp], isrA: P[I.isr_a], isrLr: P[I.isr_lr],
    stMode: p[I.st_mode], stF0: P[I.st_f0], stF1: P[I.st_f1], stF2: P[I.st_f2], stF3: P[I.st_f3], stP: P[I.st_p],
  };
  for (let l = 0; l < n; l++) genEvent(P, p, q, (first + off + l) >>> 0, s, o, EV_WORDS * l);
};
