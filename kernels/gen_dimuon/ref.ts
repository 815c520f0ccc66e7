import type { RefKernel } from '../types.js';
import { ftz, xdiv, xexp, xlog, xrecip, xsqrt } from '../lib/exactmath.js';
import { newStream, rsInit, rsNormal, rsUniform, type RStream } from '../lib/sampling.js';

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
/** A product of two operands that may both be small: flushed below 2^-100 like every backend. */
const fm = (a: number, b: number) => ftz(fr(a * b));

/** Bounds of the rejection loops (ISR system mass, disc point, production angle, normals in sampling.ts). */
export const ISR_TRIES = 64;
export const TRIES = 64;
/** The three-body m23 rejection accepts ~25% of tries at worst (small M_Z'): 256 tries fail with probability < 1e-30. */
export const TRIES3 = 256;
/** x below 2^-24 (photon energy < 3e-7 GeV) is no photon; 1 - |cos| below 2^-40 is collinear. */
const X_FLOOR = 5.9604644775390625e-8;
const OMC_FLOOR = 9.094947017729282e-13;

/** The kernel's params in desc order (the header's 4 words come first). u32: the first five. */
export const GEN_DIMUON_PARAM_NAMES = [
  'key0', 'key1', 'first', 'mode', 'isr', 'st_mode',
  'm_a', 'm_b', 'm_min', 't_min', 'm_mu', 'sqrt_s', 'e_beam', 'e_tot', 'pz_tot', 'g_cm', 'bg_cm', 'isr_exp', 'isr_a', 'isr_lr',
  'trk_cmin', 'trk_cmax', 'trk_ptmin', 'trk_ra', 'trk_rb', 'trk_ang', 'mu_eff',
  'g_emin', 'ecl_c0', 'ecl_c1', 'ecl_c2', 'ecl_c3', 'ecl_c4', 'ecl_c5', 'g_ra', 'g_rb', 'g_rc',
  'st_f0', 'st_f1', 'st_f2', 'st_f3', 'st_p',
] as const;
export const GEN_DIMUON_U32_PARAMS = 6;
export type GenDimuonParams = Record<(typeof GEN_DIMUON_PARAM_NAMES)[number], number>;

/** Output words per event: the dimuon family's columns (engine/generate/index.ts FAMILY_COLUMNS order), then the accepted flag and a pad word. */
export const GEN_DIMUON_COLUMNS = [
  'mu1_px_GeV', 'mu1_py_GeV', 'mu1_pz_GeV', 'mu2_px_GeV', 'mu2_py_GeV', 'mu2_pz_GeV',
  'p_mu1_GeV', 'p_mu2_GeV', 'cos_theta_mu1', 'cos_theta_mu2',
  'm_mumu_GeV', 'm_recoil_GeV', 'm2_recoil_GeV2', 'pt_mumu_GeV', 'p_mumu_cm_GeV',
  'cos_theta_recoil_cm', 'cos_helicity', 'E_extra_GeV', 'n_gamma', 'n_extra_tracks',
  'truth_m_mumu_GeV', 'truth_m_recoil_GeV',
] as const;
export const EV_WORDS = 24;
/** Word of the accepted flag (1: both muons identified and accepted, 0: not). */
export const C_ACC = 22;
/** Column words (KernelDesc.constants: generated into WGSL and AssemblyScript). */
export const GEN_DIMUON_CONSTANTS = {
  C_MU1: 0, C_MU2: 3, C_PMU1: 6, C_PMU2: 7, C_CMU1: 8, C_CMU2: 9, C_MMUMU: 10, C_MREC: 11, C_M2REC: 12, C_PT: 13, C_PCM: 14,
  C_CREC: 15, C_CHEL: 16, C_EEXTRA: 17, C_NGAM: 18, C_NEXTRA: 19, C_TMMUMU: 20, C_TMREC: 21, C_ACC,
} as const;

type V4 = [number, number, number, number];

function msq(q: V4): number {
  return sub(sub(sub(fm(q[0], q[0]), fm(q[1], q[1])), fm(q[2], q[2])), fm(q[3], q[3]));
}
function p3sq(q: V4): number {
  return add(add(fm(q[1], q[1]), fm(q[2], q[2])), fm(q[3], q[3]));
}
/** sign(m2) sqrt(|m2|): engine/generate/lorentz.ts mass. */
function ssqrt(m2: number): number {
  return m2 >= 0 ? xsqrt(m2) : -xsqrt(-m2);
}
/** q from the rest frame of P (mass M) into the frame where P has its momentum: q + P ((P.q) / (M (P0 + M)) + q0 / M). */
function boostFrom(P: V4, M: number, q: V4): V4 {
  const bp = add(add(fm(P[1], q[1]), fm(P[2], q[2])), fm(P[3], q[3]));
  const iM = xrecip(M);
  const f = mul(add(xdiv(bp, add(P[0], M)), q[0]), iM);
  return [mul(add(fm(P[0], q[0]), bp), iM), add(q[1], fm(f, P[1])), add(q[2], fm(f, P[2])), add(q[3], fm(f, P[3]))];
}
/** Boost along z: E' = g E + bg pz, pz' = g pz + bg E (bg < 0: lab -> CM). */
function boostZ(q: V4, g: number, bg: number): V4 {
  return [add(mul(g, q[0]), mul(bg, q[3])), q[1], q[2], add(mul(g, q[3]), mul(bg, q[0]))];
}

/** A uniform point of the unit disc: [cos phi, sin phi]. */
function disc(s: RStream): [number, number] {
  for (let it = 0; it < TRIES; it++) {
    const u = sub(mul(2, rsUniform(s)), 1), v = sub(mul(2, rsUniform(s)), 1);
    const r2 = add(mul(u, u), mul(v, v));
    if (r2 < 1) {
      const ir = xrecip(r2);
      return [mul(sub(mul(u, u), mul(v, v)), ir), mul(mul(2, mul(u, v)), ir)];
    }
  }
  return [1, 0];
}

/** Two-body momentum sqrt(max(0, (m2 - (ma + mb)^2)(m2 - (ma - mb)^2))) / (2 M). */
function pStar(m2: number, M: number, ma: number, mb: number): number {
  const sp = add(ma, mb), sd = sub(ma, mb);
  const lam = Math.max(0, mul(sub(m2, mul(sp, sp)), sub(m2, mul(sd, sd))));
  return xdiv(xsqrt(lam), mul(2, M));
}

/** Daughters (masses ma, mb) of P (mass M) with daughter a along (c, phi) in P's rest frame. */
function twoBody(P: V4, M: number, m2: number, ma: number, mb: number, c: number, cs: [number, number]): [V4, V4] {
  const p = pStar(m2, M, ma, mb);
  const st = xsqrt(Math.max(0, sub(1, mul(c, c))));
  const pt = mul(p, st);
  const x = ftz(mul(pt, cs[0])), y = ftz(mul(pt, cs[1])), z = mul(p, c);
  const p2 = mul(p, p);
  const a: V4 = [xsqrt(add(mul(ma, ma), p2)), x, y, z];
  const b: V4 = [xsqrt(add(mul(mb, mb), p2)), -x, -y, -z];
  return [boostFrom(P, M, a), boostFrom(P, M, b)];
}

/**
 * An ISR photon of energy fraction x along beam `dir` (+1: e-, -1: e+), its polar angle from the
 * uniform uc (the inverse CDF of 1/(1 - beta_e c), physics.ts samplePeaked). Draws a disc point.
 */
function isrPhoton(s: RStream, P: Float32Array, x: number, uc: number, dir: number): V4 {
  const r = xexp(mul(uc, P[I.isr_lr])); // (a / (2 - a))^u; 1 - c = ((2 - a) r - a) / (1 - a) = 2 r - a in f32
  let omc = sub(mul(2, r), P[I.isr_a]);
  if (omc < OMC_FLOOR) omc = 0;
  const st = xsqrt(mul(omc, sub(2, omc)));
  const cs = disc(s);
  const e = mul(x, P[I.e_beam]);
  const pt = mul(e, st);
  return [e, ftz(mul(pt, cs[0])), ftz(mul(pt, cs[1])), dir * mul(e, sub(1, omc))];
}

/**
 * The angular stratum (st_mode 1: some ISR photon has st_lo <= |cos theta*| < st_hi, 2: none has;
 * physics.ts isrAngularFraction): samplePeaked's uniform drawn on the u intervals where |c| lies in
 * the stratum, [f0, f1) and [f2, f3) (probability p in all), or outside them.
 */
function stratumIn(s: RStream, P: Float32Array): number {
  const v = mul(rsUniform(s), P[I.st_p]), w0 = sub(P[I.st_f1], P[I.st_f0]);
  return v < w0 ? add(P[I.st_f0], v) : add(P[I.st_f2], sub(v, w0));
}
function stratumOut(s: RStream, P: Float32Array): number {
  const v = mul(rsUniform(s), sub(1, P[I.st_p])), o0 = P[I.st_f0], o1 = sub(P[I.st_f2], P[I.st_f1]);
  if (v < o0) return v;
  const v1 = sub(v, o0);
  return v1 < o1 ? add(P[I.st_f1], v1) : add(P[I.st_f3], sub(v1, o1));
}
/** Both photons' angle uniforms in the stratum: inside, (in, in) with probability p^2, (in, out) and (out, in) p (1 - p) each, over 1 - (1 - p)^2. */
function stratumPair(s: RStream, P: Float32Array, w: Uint32Array): [number, number] {
  if (w[I.st_mode] === 2) {
    const a = stratumOut(s, P);
    return [a, stratumOut(s, P)];
  }
  const p = P[I.st_p], q = sub(1, p);
  const r = mul(rsUniform(s), sub(1, mul(q, q)));
  if (r < mul(p, p)) {
    const a = stratumIn(s, P);
    return [a, stratumIn(s, P)];
  }
  if (r < p) {
    const a = stratumIn(s, P);
    return [a, stratumOut(s, P)];
  }
  const a = stratumOut(s, P);
  return [a, stratumIn(s, P)];
}

function isrX(u: number, P: Float32Array): number {
  const x = xexp(mul(P[I.isr_exp], xlog(u)));
  return x < X_FLOOR ? 0 : x;
}

interface Track { p: V4; pm: number; acc: boolean; id: boolean }

/** Detector response of a muon of true lab momentum q: acceptance, smeared momentum, muon ID. */
function track(s: RStream, P: Float32Array, q: V4): Track {
  const pt2 = add(fm(q[1], q[1]), fm(q[2], q[2]));
  const pa = xsqrt(add(pt2, fm(q[3], q[3])));
  const pt = xsqrt(pt2);
  const acc = pt > P[I.trk_ptmin] && q[3] > mul(P[I.trk_cmin], pa) && q[3] < mul(P[I.trk_cmax], pa);
  const n1 = rsNormal(s), n2 = rsNormal(s), n3 = rsNormal(s);
  const id = rsUniform(s) < P[I.mu_eff];
  const ra = mul(P[I.trk_ra], pt), rb = xdiv(mul(P[I.trk_rb], q[0]), pa); // b / beta = b E / p
  const rel = xsqrt(add(mul(ra, ra), mul(rb, rb)));
  const pm = mul(pa, Math.max(0, add(1, mul(rel, n1))));
  const ipa = xrecip(pa);
  const dx = mul(q[1], ipa), dy = mul(q[2], ipa), dz = mul(q[3], ipa), st = mul(pt, ipa);
  const ist = st > 0 ? xrecip(st) : 0;
  const a2 = mul(P[I.trk_ang], n2), a3 = mul(P[I.trk_ang], n3);
  // e_theta = (cos th cos ph, cos th sin ph, -sin th), sin th e_phi = (-dy, dx, 0)
  const ex = ftz(mul(dz, mul(dx, ist))), ey = ftz(mul(dz, mul(dy, ist)));
  const ux = sub(add(dx, fm(a2, ex)), fm(a3, dy));
  const uy = add(add(dy, fm(a2, ey)), fm(a3, dx));
  const uz = sub(dz, fm(a2, st));
  const sc = xdiv(pm, xsqrt(add(add(fm(ux, ux), fm(uy, uy)), fm(uz, uz))));
  const m = P[I.m_mu];
  return { p: [xsqrt(add(mul(m, m), mul(pm, pm))), ftz(mul(sc, ux)), ftz(mul(sc, uy)), ftz(mul(sc, uz))], pm, acc, id };
}

/** Smeared energy of an ISR photon of true lab momentum k if the ECL sees it, else -1. Draws 1 normal. */
function photon(s: RStream, P: Float32Array, k: V4): number {
  const n = rsNormal(s);
  const e = k[0], z = k[3];
  const inEcl =
    (z > mul(P[I.ecl_c0], e) && z < mul(P[I.ecl_c1], e)) ||
    (z > mul(P[I.ecl_c2], e) && z < mul(P[I.ecl_c3], e)) ||
    (z > mul(P[I.ecl_c4], e) && z < mul(P[I.ecl_c5], e));
  if (!(e > P[I.g_emin] && inEcl)) return -1;
  const a = xdiv(P[I.g_ra], e), b = xdiv(P[I.g_rb], xsqrt(xsqrt(e))), c = P[I.g_rc];
  const rel = xsqrt(add(add(mul(a, a), mul(b, b)), mul(c, c)));
  return mul(e, Math.max(0, add(1, mul(rel, n))));
}

/** Param index in the params block (header of 4 words first). */
const I = Object.fromEntries(GEN_DIMUON_PARAM_NAMES.map((n, j) => [n, 4 + j])) as Record<(typeof GEN_DIMUON_PARAM_NAMES)[number], number>;

/** Rz(alpha) Ry(beta) Rz(gamma) q (physics.ts decay3's rotate), from the cosines and sines. */
function rotate(q: V4, ca: number, sa: number, cb: number, sb: number, cg: number, sg: number): V4 {
  const x1 = sub(fm(cg, q[1]), fm(sg, q[2])), y1 = add(fm(sg, q[1]), fm(cg, q[2]));
  const x2 = add(fm(cb, x1), fm(sb, q[3])), z2 = sub(fm(cb, q[3]), fm(sb, x1));
  return [q[0], sub(fm(ca, x2), fm(sa, y1)), add(fm(sa, x2), fm(ca, y1)), z2];
}

/**
 * mode 2 (zp_inv): e+e- -> mu+ mu- Z' by flat three-body phase space in the system's rest frame
 * (physics.ts decay3: m23 = M(mu- Z') uniform, accepted with p1* p23* / (their separate maxima),
 * PDG RPP "Kinematics" eq. 49.21 with |M|^2 = const; mu+ isotropic, mu- Z' isotropic in their
 * frame, then a uniform orientation), boosted with the system. Returns mu+, mu-.
 */
function threeBody(s: RStream, P: Float32Array, sys: V4, M: number, m2: number): [V4, V4] {
  const mm = P[I.m_mu], mz = P[I.m_a];
  const lo = add(mm, mz), hi = sub(M, mm);
  const wmax = mul(pStar(m2, M, mm, lo), pStar(mul(hi, hi), hi, mm, mz));
  let m23 = lo;
  for (let it = 0; it < TRIES3; it++) {
    m23 = add(lo, mul(sub(hi, lo), rsUniform(s)));
    const w = mul(pStar(m2, M, mm, m23), pStar(mul(m23, m23), m23, mm, mz));
    if (mul(rsUniform(s), wmax) <= w) break;
  }
  const rest: V4 = [M, 0, 0, 0];
  const c1 = sub(mul(2, rsUniform(s)), 1);
  const [a, x] = twoBody(rest, M, m2, mm, m23, c1, disc(s));
  const c2 = sub(mul(2, rsUniform(s)), 1);
  const [b] = twoBody(x, m23, mul(m23, m23), mm, mz, c2, disc(s));
  const cb = sub(mul(2, rsUniform(s)), 1), sb = xsqrt(Math.max(0, sub(1, mul(cb, cb))));
  const al = disc(s), ga = disc(s);
  const r = (q: V4) => boostFrom(sys, M, rotate(q, al[0], al[1], cb, sb, ga[0], ga[1]));
  return [r(a), r(b)];
}

/** One event into out[o .. o + EV_WORDS). */
function genEvent(P: Float32Array, w: Uint32Array, ev: number, s: RStream, out: Float32Array, o: number): void {
  rsInit(s, w[I.key0], w[I.key1], ev, 0, 0);
  const mode = w[I.mode];
  const rs = P[I.sqrt_s];
  // ---- ISR
  let k1: V4 = [0, 0, 0, 0], k2: V4 = [0, 0, 0, 0], sys: V4 = [rs, 0, 0, 0];
  let m2 = mul(rs, rs);
  if (w[I.isr] !== 0) {
    const t = P[I.t_min], mMin2 = mul(P[I.m_min], P[I.m_min]);
    let ok = false;
    for (let it = 0; it < ISR_TRIES && !ok; it++) {
      let u1: number, u2: number;
      if (t > 0) {
        const sel = rsUniform(s), a = rsUniform(s), b = rsUniform(s);
        if (mul(sel, add(1, t)) < 1) {
          u1 = add(t, mul(sub(1, t), a));
          u2 = b;
        } else {
          u1 = mul(t, a);
          u2 = add(t, mul(sub(1, t), b));
        }
      } else {
        u1 = rsUniform(s);
        u2 = rsUniform(s);
      }
      const x1 = isrX(u1, P), x2 = isrX(u2, P);
      const [uc1, uc2] = w[I.st_mode] !== 0 ? stratumPair(s, P, w) : [-1, -1];
      k1 = isrPhoton(s, P, x1, uc1 >= 0 ? uc1 : rsUniform(s), 1);
      k2 = isrPhoton(s, P, x2, uc2 >= 0 ? uc2 : rsUniform(s), -1);
      sys = [sub(sub(rs, k1[0]), k2[0]), sub(-k1[1], k2[1]), sub(-k1[2], k2[2]), sub(-k1[3], k2[3])];
      m2 = msq(sys);
      ok = m2 > mMin2;
    }
    if (!ok) {
      k1 = [0, 0, 0, 0];
      k2 = [0, 0, 0, 0];
      sys = [rs, 0, 0, 0];
      m2 = mul(rs, rs);
    }
  }
  const M = xsqrt(m2);
  let muP: V4, muM: V4;
  if (mode === 2) [muP, muM] = threeBody(s, P, sys, M, m2);
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
  const tP = track(s, P, lp), tM = track(s, P, lm);
  let nGam = 0, eExtra = 0;
  if (w[I.isr] !== 0) {
    const e1 = photon(s, P, boostZ(k1, g, bg)), e2 = photon(s, P, boostZ(k2, g, bg));
    nGam = (e1 >= 0 ? 1 : 0) + (e2 >= 0 ? 1 : 0);
    eExtra = add(Math.max(e1, 0), Math.max(e2, 0));
  }
  // ---- the dimuon columns (index.ts reconstruct)
  for (let j = 0; j < EV_WORDS; j++) out[o + j] = 0;
  const okP = tP.acc && tP.id, okM = tM.acc && tM.id;
  const eTot = P[I.e_tot], pzTot = P[I.pz_tot];
  const tp: V4 = [add(lp[0], lm[0]), add(lp[1], lm[1]), add(lp[2], lm[2]), add(lp[3], lm[3])];
  out[o + GEN_DIMUON_CONSTANTS.C_TMMUMU] = ssqrt(msq(tp));
  out[o + GEN_DIMUON_CONSTANTS.C_TMREC] = ssqrt(msq([sub(eTot, tp[0]), -tp[1], -tp[2], sub(pzTot, tp[3])]));
  out[o + GEN_DIMUON_CONSTANTS.C_NGAM] = nGam;
  out[o + GEN_DIMUON_CONSTANTS.C_EEXTRA] = eExtra;
  out[o + GEN_DIMUON_CONSTANTS.C_NEXTRA] = (tP.acc ? 1 : 0) + (tM.acc ? 1 : 0) - (okP ? 1 : 0) - (okM ? 1 : 0);
  if (!(okP && okM)) return;
  const a = tP.p, b = tM.p;
  out[o + C_ACC] = 1;
  out[o + 0] = a[1];
  out[o + 1] = a[2];
  out[o + 2] = a[3];
  out[o + 3] = b[1];
  out[o + 4] = b[2];
  out[o + 5] = b[3];
  out[o + GEN_DIMUON_CONSTANTS.C_PMU1] = tP.pm;
  out[o + GEN_DIMUON_CONSTANTS.C_PMU2] = tM.pm;
  out[o + GEN_DIMUON_CONSTANTS.C_CMU1] = tP.pm > 0 ? xdiv(a[3], tP.pm) : 0;
  out[o + GEN_DIMUON_CONSTANTS.C_CMU2] = tM.pm > 0 ? xdiv(b[3], tM.pm) : 0;
  const pr: V4 = [add(a[0], b[0]), add(a[1], b[1]), add(a[2], b[2]), add(a[3], b[3])];
  const mm2 = msq(pr);
  out[o + GEN_DIMUON_CONSTANTS.C_MMUMU] = ssqrt(mm2);
  const r2 = msq([sub(eTot, pr[0]), -pr[1], -pr[2], sub(pzTot, pr[3])]);
  out[o + GEN_DIMUON_CONSTANTS.C_MREC] = ssqrt(r2);
  out[o + GEN_DIMUON_CONSTANTS.C_M2REC] = r2;
  out[o + GEN_DIMUON_CONSTANTS.C_PT] = xsqrt(add(fm(pr[1], pr[1]), fm(pr[2], pr[2])));
  const pc = boostZ(pr, g, -bg);
  const pcm = xsqrt(p3sq(pc));
  out[o + GEN_DIMUON_CONSTANTS.C_PCM] = pcm;
  out[o + GEN_DIMUON_CONSTANTS.C_CREC] = pcm > 0 ? -xdiv(pc[3], pcm) : 0;
  // helicity angle: mu+ in the pair rest frame against the pair direction in the CM
  const mp = xsqrt(Math.max(msq(pc), mul(P[I.m_mu], P[I.m_mu])));
  const ar = boostFrom([pc[0], -pc[1], -pc[2], -pc[3]], mp, boostZ(a, g, -bg));
  const v: V4 = pcm > 0 ? pc : [0, 0, 0, 1];
  const num = add(add(fm(ar[1], v[1]), fm(ar[2], v[2])), fm(ar[3], v[3]));
  const den2 = mul(p3sq(ar), p3sq(v));
  out[o + GEN_DIMUON_CONSTANTS.C_CHEL] = den2 > 0 ? xdiv(num, xsqrt(den2)) : 0;
}

// params: [item_offset, item_count, opaque_zero, reserved, <GEN_DIMUON_PARAM_NAMES>]
export const genDimuonRef: RefKernel = (p, _inputs, [out]) => {
  const P = new Float32Array(p.buffer, p.byteOffset, p.length);
  const o = new Float32Array(out.buffer, out.byteOffset, out.length);
  const s = newStream();
  const off = p[0], n = p[1], first = p[I.first];
  for (let l = 0; l < n; l++) genEvent(P, p, (first + off + l) >>> 0, s, o, EV_WORDS * l);
};
