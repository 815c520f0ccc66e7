import type { RefKernel } from '../types.js';
import { xdiv, xexp, xrecip, xsqrt } from '../lib/exactmath.js';
import { newStream, rsInit, rsUniform, type RStream } from '../lib/sampling.js';
import {
  PHOTON_PARAMS, TRACK_PARAMS, TRIES, boostZ, disc, fm, isrBorn, isrRadiate, msq, p3sq, photonP4, ssqrt, track, twoBody, type IsrSetup, type V4,
} from '../lib/genkin.js';

// TypeScript reference of gen_photons (twins: gen_photons.wgsl, wasm/gen_photons.ts): one event of
// the photons family per item, in f32 from exact operations only (kernels/lib/genkin.ts), from its
// own Philox stream (counter (block, event, 0, 0)). The physics of the f64 definitions it
// replaced (test/f64-photons.ts; engine/generate/index.ts reconstruct, detector.ts):
//   mode 0 (gammagamma):       e+e- -> gamma gamma, dsigma/dcos ~ (1 + c^2) / (1 - c^2) in |c| < cosMax
//                              (QED lowest order, Berends & Kleiss, Nucl. Phys. B 186 (1981) 22);
//   mode 1 (eegamma):          e+e- -> e+e-, ((3 + c^2) / (1 - c))^2 in |c_e-| < cosMax (Bhabha at high
//                              energy, PDG RPP "Cross-section formulae");
//   mode 2 (gamma_alp):        e+e- -> gamma a, 1 + c^2 (Dolan et al., JHEP 12 (2017) 094), a -> gamma gamma isotropic;
//   mode 3 (gamma_aprime_inv): e+e- -> gamma A', A' invisible, (1 + c^2) / (1 - c^2) in |c| < cosMax (massless limit).
// ISR (isr = 1): genkin isrRadiate above the threshold mass m_min, with gen_dimuon's generator cut
// max(x1, x2) >= xMin (t_min = xMin^(beta/2), 0: none) and angular stratum of the ISR photons
// (st_mode 1: some photon has lo <= |cos theta*| < hi, 2: none has, 0: no stratum; st_f0-3, st_p:
// samplePeaked's u intervals, engine/generate/genkin.ts isrSkimKernelParams); the ISR photons are
// photons of the event like the others. At t_min = 0, st_mode = 0 the draws are those of the
// kernel before these params (generator version 18).
// (1 + c^2) / (1 - c^2): envelope 2 / (1 - c^2) by inversion, c = tanh(y), y uniform in
// +-atanh(cosMax) (tanh y = (e^2y - 1) / (e^2y + 1)), accepted with (1 + c^2) / 2 >= 1/2.
// Bhabha: envelope 1 / (1 - c)^2 by inversion, c = 1 - 1 / (A + (B - A) u), A = 1 / (1 + cosMax),
// B = 1 / (1 - cosMax), accepted with (3 + c^2)^2 / 16 >= 9/16. 1 + c^2: flat envelope, >= 1/2.
// Each rejection loop is bounded at TRIES = 64 (failure < (7/16)^64 < 1e-22: the last candidate).
// Detector (lab): photons by genkin photonP4 (ECL acceptance, energy and direction smearing; 3
// normals each, whether or not seen), in the order hard photons, ISR photons (beam e- first),
// then the electrons by genkin track (mass m_e; 3 normals + 1 uniform each). The three most
// energetic photons (ties: the earlier) fill the columns; n_gamma counts every photon seen,
// E_total adds the photons' and the tracks' energies in that order. Accepted: n_gamma >= 1.
const fr = Math.fround;
const add = (a: number, b: number) => fr(a + b);
const sub = (a: number, b: number) => fr(a - b);
const mul = (a: number, b: number) => fr(a * b);

/** The kernel's params in desc order (the header's 4 words come first). u32: the first five. */
export const GEN_PHOTONS_PARAM_NAMES = [
  'key0', 'key1', 'first', 'mode', 'isr', 'st_mode',
  'm_x', 'gg_t', 'bh_a', 'bh_ba', 'm_min', 't_min', 'm_e', 'sqrt_s', 'e_beam', 'e_tot', 'pz_tot', 'g_cm', 'bg_cm', 'isr_exp', 'isr_a', 'isr_lr',
  ...TRACK_PARAMS, ...PHOTON_PARAMS, 'g_ang',
  'st_f0', 'st_f1', 'st_f2', 'st_f3', 'st_p',
] as const;
export const GEN_PHOTONS_U32_PARAMS = 6;

/** Output words per event: the photons family's columns (engine/generate/index.ts FAMILY_COLUMNS order), then the accepted flag. */
export const GEN_PHOTONS_COLUMNS = [
  'n_gamma', 'E_g1_GeV', 'E_g2_GeV', 'E_g3_GeV', 'E_cm_g1_GeV', 'E_cm_g2_GeV', 'E_cm_g3_GeV',
  'cos_theta_g1', 'cos_theta_g2', 'cos_theta_g3', 'm_gg_12_GeV', 'm_gg_13_GeV', 'm_gg_23_GeV', 'm_ggg_GeV',
  'm_recoil_g1_GeV', 'm2_recoil_g1_GeV2', 'n_tracks', 'E_total_GeV', 'truth_m_GeV',
] as const;
export const EV_WORDS = 20;
/** Word of the accepted flag (1: at least one photon seen). */
export const C_ACC = 19;
/** Column words (KernelDesc.constants: generated into WGSL and AssemblyScript). */
export const GEN_PHOTONS_CONSTANTS = {
  C_NGAM: 0, C_EG: 1, C_ECM: 4, C_COS: 7, C_MGG12: 10, C_MGG13: 11, C_MGG23: 12, C_MGGG: 13, C_MREC: 14, C_M2REC: 15,
  C_NTRK: 16, C_ETOT: 17, C_TRUTH: 18, C_ACC,
} as const;
const K = GEN_PHOTONS_CONSTANTS;

/** Param index in the params block (header of 4 words first). */
const I = Object.fromEntries(GEN_PHOTONS_PARAM_NAMES.map((n, j) => [n, 4 + j])) as Record<(typeof GEN_PHOTONS_PARAM_NAMES)[number], number>;

/** cos theta* from (1 + c^2) / (1 - c^2) on |c| < tanh(t) (t = atanh(cosMax)). */
function ggCos(s: RStream, t: number): number {
  let c = 0;
  for (let it = 0; it < TRIES; it++) {
    const e = xexp(mul(2, mul(t, sub(mul(2, rsUniform(s)), 1))));
    c = xdiv(sub(e, 1), add(e, 1));
    if (mul(rsUniform(s), 2) <= add(1, mul(c, c))) break;
  }
  return c;
}

/** cos theta*_e- from ((3 + c^2) / (1 - c))^2 on |c| < cosMax: a = 1 / (1 + cosMax), ba = 1 / (1 - cosMax) - a. */
function bhabhaCos(s: RStream, a: number, ba: number): number {
  let c = 0;
  for (let it = 0; it < TRIES; it++) {
    c = sub(1, xrecip(add(a, mul(ba, rsUniform(s)))));
    const f = add(3, mul(c, c));
    if (mul(rsUniform(s), 16) <= mul(f, f)) break;
  }
  return c;
}

/** cos theta* from 1 + c^2 on [-1, 1]. */
function bornCos(s: RStream): number {
  let c = 0;
  for (let it = 0; it < TRIES; it++) {
    c = sub(mul(2, rsUniform(s)), 1);
    if (mul(rsUniform(s), 2) <= add(1, mul(c, c))) break;
  }
  return c;
}

/**
 * The squared mass of two photons, 2 E1 E2 (1 - cos theta12) = E1 E2 |n1 - n2|^2 (n = p / E): no
 * cancellation (a collinear pair or an absent photon, E = 0, gives 0, not the f32 rounding of
 * E^2 - p^2, ~1 MeV at 5 GeV).
 */
function pairMass2(a: V4, b: V4): number {
  if (!(a[0] > 0 && b[0] > 0)) return 0;
  const ia = xrecip(a[0]), ib = xrecip(b[0]);
  const dx = sub(mul(a[1], ia), mul(b[1], ib)), dy = sub(mul(a[2], ia), mul(b[2], ib)), dz = sub(mul(a[3], ia), mul(b[3], ib));
  return mul(mul(a[0], b[0]), add(add(fm(dx, dx), fm(dy, dy)), fm(dz, dz)));
}

/** One event into out[o .. o + EV_WORDS). */
function genEvent(P: Float32Array, w: Uint32Array, q: IsrSetup, ev: number, s: RStream, out: Float32Array, o: number): void {
  rsInit(s, w[I.key0], w[I.key1], ev, 0, 0);
  const mode = w[I.mode], isr = w[I.isr] !== 0;
  const rs = P[I.sqrt_s], mx = P[I.m_x];
  // ---- ISR
  const { k1, k2, sys, m2 } = isr ? isrRadiate(s, q) : isrBorn(rs);
  const M = xsqrt(m2);
  // ---- production in the system's rest frame
  const c = mode === 1 ? bhabhaCos(s, P[I.bh_a], P[I.bh_ba]) : mode === 2 ? bornCos(s) : ggCos(s, P[I.gg_t]);
  const cs = disc(s);
  const hard: V4[] = [];
  const tracks: V4[] = [];
  if (mode === 0) hard.push(...twoBody(sys, M, m2, 0, 0, c, cs));
  else if (mode === 1) tracks.push(...twoBody(sys, M, m2, P[I.m_e], P[I.m_e], c, cs));
  else {
    const [g, a] = twoBody(sys, M, m2, 0, mx, c, cs);
    hard.push(g);
    if (mode === 2) {
      const c2 = sub(mul(2, rsUniform(s)), 1);
      hard.push(...twoBody(a, mx, mul(mx, mx), 0, 0, c2, disc(s)));
    }
  }
  if (isr) hard.push(k1, k2);
  // ---- lab frame, detector: the three most energetic photons seen, in descending energy
  const g = P[I.g_cm], bg = P[I.bg_cm];
  const top: V4[] = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]];
  const topE = [-1, -1, -1];
  let nGam = 0, eTot = 0;
  for (const h of hard) {
    const ph = photonP4(s, P, I.g_emin, boostZ(h, g, bg), P[I.g_ang]);
    if (ph.e < 0) continue;
    nGam++;
    eTot = add(eTot, ph.e);
    let j = 3;
    while (j > 0 && ph.e > topE[j - 1]) j--;
    if (j < 3) {
      for (let i = 2; i > j; i--) {
        top[i] = top[i - 1];
        topE[i] = topE[i - 1];
      }
      top[j] = ph.p;
      topE[j] = ph.e;
    }
  }
  let nTrk = 0;
  for (const t of tracks) {
    const tr = track(s, P, I.trk_cmin, boostZ(t, g, bg), P[I.m_e]);
    if (!tr.acc) continue;
    nTrk++;
    eTot = add(eTot, tr.p[0]);
  }
  // ---- the photons columns (index.ts reconstruct)
  out[o + K.C_NGAM] = nGam;
  for (let i = 0; i < 3; i++) {
    const p = top[i];
    out[o + K.C_EG + i] = p[0];
    out[o + K.C_ECM + i] = boostZ(p, g, -bg)[0];
    const pa2 = p3sq(p);
    out[o + K.C_COS + i] = p[0] > 0 && pa2 > 0 ? xdiv(p[3], xsqrt(pa2)) : 0;
  }
  const m12 = pairMass2(top[0], top[1]), m13 = pairMass2(top[0], top[2]), m23 = pairMass2(top[1], top[2]);
  out[o + K.C_MGG12] = xsqrt(m12);
  out[o + K.C_MGG13] = xsqrt(m13);
  out[o + K.C_MGG23] = xsqrt(m23);
  out[o + K.C_MGGG] = xsqrt(add(add(m12, m13), m23)); // massless: M^2 = sum of the pair masses^2
  const r2 = msq([sub(P[I.e_tot], top[0][0]), -top[0][1], -top[0][2], sub(P[I.pz_tot], top[0][3])]);
  out[o + K.C_MREC] = ssqrt(r2);
  out[o + K.C_M2REC] = r2;
  out[o + K.C_NTRK] = nTrk;
  out[o + K.C_ETOT] = eTot;
  out[o + K.C_TRUTH] = mx;
  out[o + C_ACC] = nGam >= 1 ? 1 : 0;
}

// params: [item_offset, item_count, opaque_zero, reserved, <GEN_PHOTONS_PARAM_NAMES>]
export const genPhotonsRef: RefKernel = (p, _inputs, [out]) => {
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
