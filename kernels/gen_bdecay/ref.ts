import type { RefKernel } from '../types.js';
import { ftz, xdiv, xexp, xlog, xrecip, xsqrt } from '../lib/exactmath.js';
import { newStream, rsInit, rsUniform, type RStream } from '../lib/sampling.js';
import { PHOTON_PARAMS, TRACK_PARAMS, TRIES, boostZ, disc, fm, msq, p3sq, pStar, photonP4, ssqrt, track, twoBody, type Track, type V4 } from '../lib/genkin.js';

// TypeScript reference of gen_bdecay (twins: gen_bdecay.wgsl, wasm/gen_bdecay.ts): one B-decay event
// per item, in f32 from exact operations only, from its own Philox stream (counter (block, event, 0, 0)).
// Upsilon(4S) -> B Bbar at rest in the CM, dN/dcos ~ 1 - cos^2 (P wave; the other B is not simulated),
// then per process (proc):
//   0 (llp, b2ks_*):    B+ -> K+ S, S -> x+ x- (mass m_d), both isotropic; proper time t = -tau ln U
//                       (U >= 2^-24: t <= 16.6 tau, the tail beyond has probability 6e-8);
//   1 (bmeson):         B -> K(*) X, X -> gamma gamma (b_ka_gg, b_kpi0, b_keta; X spin 0, isotropic);
//   2 (bmeson, comb):   a pseudo-parent of mass uniform in [c_mlo, c_mlo + c_mw] and CM momentum uniform in
//                       [0, c_qmax], isotropic, -> K(*) gamma gamma in flat three-body phase space weighted by
//                       exp(-M_gamma gamma c_slope) (b_kgg_comb, illustrative). M_gg = m23 is drawn with weight
//                       p1*(m23) (m23 / 2) exp(-m23 c_slope) (PDG RPP "Kinematics" eq. 49.21, |M|^2 = const)
//                       against the envelope p1*(0) / (2 e c_slope); then K and the gamma gamma system
//                       back to back, isotropic, and gamma gamma isotropic in their frame (decay3's extra
//                       random orientation is redundant: the chain is already uniformly oriented).
// The kaon system (kmode, bmeson only): 0 K+, 1 K0S -> pi+ pi-, 2 K*0 -> K+ pi-, 3 K*+ -> K0S pi+ with
// K0S -> pi+ pi- (isotropic two-body decays at the pole masses, at the B vertex).
// Detector (engine/generate/detector.ts, in the lab): the tracks and photons of the process, each smeared
// whether or not accepted (tracks 3 normals + 1 uniform, photons 3 normals: genkin's track and photonP4);
// track acceptance on the true momentum; photons in the ECL above g_emin, energy a / E (+) b / E^(1/4) (+) c,
// direction moved by g_ang n along e_theta and g_ang n sin(theta) along e_phi (detector.ts smears theta and
// phi: the same to first order). Columns: engine/generate/index.ts FAMILY_COLUMNS.llp / .bmeson (the reconstruction of
// index.ts before GENERATOR_VERSION 7); pair masses from cancellation-free forms (pairMred2, m_gg).
// Every loop is bounded (TRIES, TRIES3); the failure probabilities are in desc.ts.
const fr = Math.fround;
const add = (a: number, b: number) => fr(a + b);
const sub = (a: number, b: number) => fr(a - b);
const mul = (a: number, b: number) => fr(a * b);

/** The combinatorial M_gg rejection (accepts > 30% per try for every mode, test/gen-bdecay.test.ts): 64 tries fail with probability < 1e-10. */
export const TRIES3 = 64;

/** The kernel's params in desc order (the header's 4 words come first). u32: the first five. */
export const GEN_BDECAY_PARAM_NAMES = [
  'key0', 'key1', 'first', 'proc', 'kmode',
  'm_b', 'p_b', 'm_k', 'm_x', 'm_d', 'ctau_cm', 'tau_ns', 'm_kc', 'm_pi', 'm_k0',
  'c_mlo', 'c_mw', 'c_qmax', 'c_slope', 'c_wenv', 'e_beam', 'g_cm', 'bg_cm',
  ...TRACK_PARAMS, ...PHOTON_PARAMS, 'g_ang',
] as const;
export const GEN_BDECAY_U32_PARAMS = 5;
export type GenBdecayParams = Record<(typeof GEN_BDECAY_PARAM_NAMES)[number], number>;

/** Output words per event: the family's columns (FAMILY_COLUMNS order) from word 0, the accepted flag at C_ACC, pads. */
export const GEN_BDECAY_COLUMNS = {
  llp: [
    'p_K_GeV', 'p_x1_GeV', 'p_x2_GeV', 'm_xx_GeV', 'm_red_GeV', 'm_Kxx_GeV', 'p_S_GeV',
    'flight_cm', 'flight_rho_cm', 'vtx_z_cm', 't_proper_ns', 'tau_gen_ns', 'ctau_gen_cm', 'truth_m_S_GeV',
  ],
  bmeson: [
    'p_K_GeV', 'm_K_GeV', 'E_g1_GeV', 'E_g2_GeV', 'cos_theta_g1', 'cos_theta_g2', 'm_gg_GeV',
    'Mbc_GeV', 'DeltaE_GeV', 'n_gamma', 'n_tracks', 'truth_m_a_GeV',
  ],
} as const;
export const EV_WORDS = 16;
/** Word of the accepted flag (1: the family's candidate reconstructed, 0: not). */
export const C_ACC = 14;
/** Column words (KernelDesc.constants: generated into WGSL and AssemblyScript). */
export const GEN_BDECAY_CONSTANTS = {
  // llp
  L_PK: 0, L_PX1: 1, L_PX2: 2, L_MXX: 3, L_MRED: 4, L_MKXX: 5, L_PS: 6, L_FLIGHT: 7, L_RHO: 8, L_VZ: 9, L_T: 10, L_TAU: 11, L_CTAU: 12, L_MS: 13,
  // bmeson
  B_PK: 0, B_MK: 1, B_EG1: 2, B_EG2: 3, B_CG1: 4, B_CG2: 5, B_MGG: 6, B_MBC: 7, B_DE: 8, B_NGAM: 9, B_NTRK: 10, B_MA: 11,
  C_ACC,
} as const;
const K = GEN_BDECAY_CONSTANTS;

/** Param index in the params block (header of 4 words first). */
const I = Object.fromEntries(GEN_BDECAY_PARAM_NAMES.map((n, j) => [n, 4 + j])) as Record<(typeof GEN_BDECAY_PARAM_NAMES)[number], number>;


/** A measured photon: smeared energy e, unit direction u; acc: in the ECL above threshold. */
interface Photon { e: number; u: [number, number, number]; acc: boolean }

/** genkin's photonP4 (3 normals, always drawn) as energy and unit direction. */
function photonSeen(s: RStream, P: Float32Array, k: V4): Photon {
  const { e, p } = photonP4(s, P, I.g_emin, k, P[I.g_ang]);
  if (e < 0) return { e: 0, u: [0, 0, 1], acc: false };
  const ie = e > 0 ? xrecip(e) : 0;
  return { e, u: [fm(p[1], ie), fm(p[2], ie), fm(p[3], ie)], acc: true };
}

/** |u - v|^2 of two vectors (unit directions: 2 (1 - cos), exact for small angles). */
function dist2(u: readonly number[], v: readonly number[]): number {
  const x = sub(u[0], v[0]), y = sub(u[1], v[1]), z = sub(u[2], v[2]);
  return add(add(fm(x, x), fm(y, y)), fm(z, z));
}

/**
 * M_red^2 = M^2 - 4 m^2 of two tracks of mass m (energies E, momenta p, unit directions u) without
 * cancellation: 2 m^2 (E1 - E2)^2 / (E1 E2 + p1 p2 - m^2) + p1 p2 |u1 - u2|^2 (from (E1 E2 - m^2)^2 - p1^2 p2^2
 * = m^2 (E1 - E2)^2 and 1 - cos = |u1 - u2|^2 / 2).
 */
function pairMred2(m: number, a: Track, b: Track): number {
  const ia = a.pm > 0 ? xrecip(a.pm) : 0, ib = b.pm > 0 ? xrecip(b.pm) : 0;
  const ua = [mul(a.p[1], ia), mul(a.p[2], ia), mul(a.p[3], ia)], ub = [mul(b.p[1], ib), mul(b.p[2], ib), mul(b.p[3], ib)];
  const pp = mul(a.pm, b.pm);
  const de = sub(a.p[0], b.p[0]);
  const den = sub(add(mul(a.p[0], b.p[0]), pp), mul(m, m));
  const t1 = den > 0 ? xdiv(mul(mul(2, fm(m, m)), fm(de, de)), den) : 0;
  return add(t1, fm(pp, dist2(ua, ub)));
}

/** cos theta from the B production rejection (1 - c^2 on a flat envelope of 1), then the B along it. */
function bMeson(s: RStream, P: Float32Array): V4 {
  let c = 0;
  for (let it = 0; it < TRIES; it++) {
    c = sub(mul(2, rsUniform(s)), 1);
    if (rsUniform(s) <= sub(1, mul(c, c))) break;
  }
  const cs = disc(s);
  const p = P[I.p_b], mb = P[I.m_b];
  const pt = mul(p, xsqrt(Math.max(0, sub(1, mul(c, c)))));
  return [xsqrt(add(mul(mb, mb), mul(p, p))), ftz(mul(pt, cs[0])), ftz(mul(pt, cs[1])), mul(p, c)];
}

/** Isotropic two-body decay of P (mass M) to (ma, mb): draws c and a disc point. */
function decay2(s: RStream, P: V4, M: number, ma: number, mb: number): [V4, V4] {
  const c = sub(mul(2, rsUniform(s)), 1);
  return twoBody(P, M, mul(M, M), ma, mb, c, disc(s));
}

/** The kaon system's true tracks (CM frame) and their mass hypotheses: kmode 0 K+, 1 K0S, 2 K*0, 3 K*+. */
function kaonSystem(s: RStream, P: Float32Array, kmode: number, k: V4): { q: V4[]; m: number[] } {
  const mk = P[I.m_k], mpi = P[I.m_pi], mkc = P[I.m_kc];
  if (kmode === 0) return { q: [k], m: [mkc] };
  if (kmode === 1) return { q: decay2(s, k, mk, mpi, mpi), m: [mpi, mpi] };
  if (kmode === 2) return { q: decay2(s, k, mk, mkc, mpi), m: [mkc, mpi] };
  const [ks, pi] = decay2(s, k, mk, P[I.m_k0], mpi);
  const [a, b] = decay2(s, ks, P[I.m_k0], mpi, mpi);
  return { q: [a, b, pi], m: [mpi, mpi, mpi] };
}

/** proc 2: the combinatorial pseudo-parent -> K(*) gamma gamma (the header). Returns [K system, g1, g2] in the CM. */
function combinatorial(s: RStream, P: Float32Array): [V4, V4, V4] {
  const M = add(P[I.c_mlo], mul(P[I.c_mw], rsUniform(s)));
  const q = mul(P[I.c_qmax], rsUniform(s));
  const c = sub(mul(2, rsUniform(s)), 1);
  const cs = disc(s);
  const pt = mul(q, xsqrt(Math.max(0, sub(1, mul(c, c)))));
  const par: V4 = [xsqrt(add(mul(M, M), mul(q, q))), ftz(mul(pt, cs[0])), ftz(mul(pt, cs[1])), mul(q, c)];
  const mk = P[I.m_k], m2 = mul(M, M), hi = sub(M, mk);
  const wmax = mul(pStar(m2, M, mk, 0), P[I.c_wenv]);
  let m23 = hi;
  for (let it = 0; it < TRIES3; it++) {
    m23 = mul(hi, rsUniform(s));
    const w = mul(mul(pStar(m2, M, mk, m23), mul(0.5, m23)), xexp(-mul(m23, P[I.c_slope])));
    if (mul(rsUniform(s), wmax) <= w) break;
  }
  const c1 = sub(mul(2, rsUniform(s)), 1);
  const [kk, x] = twoBody(par, M, m2, mk, m23, c1, disc(s));
  const [g1, g2] = decay2(s, x, m23, 0, 0);
  return [kk, g1, g2];
}

/** The llp columns of proc 0. */
function llpEvent(s: RStream, P: Float32Array, out: Float32Array, o: number): void {
  const B = bMeson(s, P);
  const mk = P[I.m_k], mS = P[I.m_x], md = P[I.m_d];
  const [k, S] = decay2(s, B, P[I.m_b], mk, mS);
  const [x1, x2] = decay2(s, S, mS, md, md);
  const lt = -xlog(rsUniform(s)); // t / tau
  const g = P[I.g_cm], bg = P[I.bg_cm];
  const sl = boostZ(S, g, bg);
  const ct = mul(P[I.ctau_cm], lt);
  const f = xdiv(ct, mS); // flight = (p / m) c t
  const spt = xsqrt(add(fm(sl[1], sl[1]), fm(sl[2], sl[2])));
  out[o + K.L_FLIGHT] = mul(xsqrt(p3sq(sl)), f);
  out[o + K.L_RHO] = mul(spt, f);
  out[o + K.L_VZ] = mul(sl[3], f);
  out[o + K.L_T] = mul(P[I.tau_ns], lt);
  out[o + K.L_TAU] = P[I.tau_ns];
  out[o + K.L_CTAU] = P[I.ctau_cm];
  out[o + K.L_MS] = mS;
  const tk = track(s, P, I.trk_cmin, boostZ(k, g, bg), P[I.m_kc]);
  const t1 = track(s, P, I.trk_cmin, boostZ(x1, g, bg), md);
  const t2 = track(s, P, I.trk_cmin, boostZ(x2, g, bg), md);
  if (!(tk.acc && t1.acc && t2.acc)) return;
  out[o + C_ACC] = 1;
  out[o + K.L_PK] = tk.pm;
  out[o + K.L_PX1] = t1.pm;
  out[o + K.L_PX2] = t2.pm;
  const mr2 = pairMred2(md, t1, t2);
  out[o + K.L_MRED] = xsqrt(mr2);
  out[o + K.L_MXX] = xsqrt(add(mr2, mul(4, fm(md, md))));
  const xx: V4 = [add(t1.p[0], t2.p[0]), add(t1.p[1], t2.p[1]), add(t1.p[2], t2.p[2]), add(t1.p[3], t2.p[3])];
  out[o + K.L_PS] = xsqrt(p3sq(xx));
  const m2 = msq([add(tk.p[0], xx[0]), add(tk.p[1], xx[1]), add(tk.p[2], xx[2]), add(tk.p[3], xx[3])]);
  out[o + K.L_MKXX] = ssqrt(m2);
}

/** The bmeson columns of procs 1 and 2. */
function bmesonEvent(s: RStream, P: Float32Array, proc: number, kmode: number, out: Float32Array, o: number): void {
  let k: V4, g1: V4, g2: V4;
  if (proc === 1) {
    const B = bMeson(s, P);
    const mx = P[I.m_x];
    const [kk, x] = decay2(s, B, P[I.m_b], P[I.m_k], mx);
    [g1, g2] = decay2(s, x, mx, 0, 0);
    k = kk;
    out[o + K.B_MA] = mx;
  } else [k, g1, g2] = combinatorial(s, P);
  const ks = kaonSystem(s, P, kmode, k);
  const g = P[I.g_cm], bg = P[I.bg_cm];
  let nTrk = 0, all = true;
  let sum: V4 = [0, 0, 0, 0];
  for (let j = 0; j < ks.q.length; j++) {
    const t = track(s, P, I.trk_cmin, boostZ(ks.q[j], g, bg), ks.m[j]);
    if (t.acc) nTrk++;
    else all = false;
    sum = [add(sum[0], t.p[0]), add(sum[1], t.p[1]), add(sum[2], t.p[2]), add(sum[3], t.p[3])];
  }
  let a = photonSeen(s, P, boostZ(g1, g, bg)), b = photonSeen(s, P, boostZ(g2, g, bg));
  const nGam = (a.acc ? 1 : 0) + (b.acc ? 1 : 0);
  out[o + K.B_NGAM] = nGam;
  out[o + K.B_NTRK] = nTrk;
  if (!(all && nGam === 2)) return;
  if (b.e > a.e) [a, b] = [b, a]; // g1: the more energetic
  out[o + C_ACC] = 1;
  out[o + K.B_PK] = xsqrt(p3sq(sum));
  out[o + K.B_MK] = ks.q.length === 1 ? ks.m[0] : ssqrt(msq(sum)); // one track: its mass hypothesis
  out[o + K.B_EG1] = a.e;
  out[o + K.B_EG2] = b.e;
  out[o + K.B_CG1] = a.u[2];
  out[o + K.B_CG2] = b.u[2];
  out[o + K.B_MGG] = xsqrt(fm(fm(a.e, b.e), dist2(a.u, b.u))); // M^2 = 2 E1 E2 (1 - cos)
  const Bl: V4 = [
    add(add(sum[0], a.e), b.e),
    add(add(sum[1], fm(a.e, a.u[0])), fm(b.e, b.u[0])),
    add(add(sum[2], fm(a.e, a.u[1])), fm(b.e, b.u[1])),
    add(add(sum[3], fm(a.e, a.u[2])), fm(b.e, b.u[2])),
  ];
  const Bc = boostZ(Bl, g, -bg);
  const eb = P[I.e_beam];
  out[o + K.B_MBC] = xsqrt(Math.max(0, sub(mul(eb, eb), p3sq(Bc)))); // M_bc = sqrt(s / 4 - p*_B^2)
  out[o + K.B_DE] = sub(Bc[0], eb); // Delta E = E*_B - sqrt(s) / 2
}

/** One event into out[o .. o + EV_WORDS). */
function genEvent(P: Float32Array, w: Uint32Array, ev: number, s: RStream, out: Float32Array, o: number): void {
  rsInit(s, w[I.key0], w[I.key1], ev, 0, 0);
  for (let j = 0; j < EV_WORDS; j++) out[o + j] = 0;
  const proc = w[I.proc];
  if (proc === 0) llpEvent(s, P, out, o);
  else bmesonEvent(s, P, proc, w[I.kmode], out, o);
}

// params: [item_offset, item_count, opaque_zero, reserved, <GEN_BDECAY_PARAM_NAMES>]
export const genBdecayRef: RefKernel = (p, _inputs, [out]) => {
  const P = new Float32Array(p.buffer, p.byteOffset, p.length);
  const o = new Float32Array(out.buffer, out.byteOffset, out.length);
  const s = newStream();
  const off = p[0], n = p[1], first = p[I.first];
  for (let l = 0; l < n; l++) genEvent(P, p, (first + off + l) >>> 0, s, o, EV_WORDS * l);
};
