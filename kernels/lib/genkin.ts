// Event-generator kinematics in f32 from exact operations only: the building blocks of the
// generator kernels (kernels/gen_*), bit-identical on every backend. Twins: kernels/lib/genkin.wgsl,
// wasm/lib/genkin.ts (same operations in the same order). Four-vectors are (E, px, py, pz).
// Randomness from a sampling.ts stream; every loop is bounded (TRIES, TRIES3: the failure
// probabilities are stated where they are used).
//
// Parameters a function needs from its kernel's params come as explicit arguments, or, for the
// detector response, as a params sub-block: the words TRACK_PARAMS / PHOTON_PARAMS (in that order,
// contiguous in the kernel's params; engine/generate/genkin.ts fills them from a DetectorModel),
// read here from P at the sub-block's first index, in WGSL from a TrackDet / PhotonDet struct the
// kernel builds from its P, in AssemblyScript through a TrackDet / PhotonDet view of the params.
import { ftz, xdiv, xexp, xlog, xrecip, xsqrt } from './exactmath.js';
import { rsNormal, rsUniform, type RStream } from './sampling.js';

const fr = Math.fround;
const add = (a: number, b: number) => fr(a + b);
const sub = (a: number, b: number) => fr(a - b);
const mul = (a: number, b: number) => fr(a * b);
/** A product of two operands that may both be small: flushed below 2^-100 like every backend. */
export const fm = (a: number, b: number) => ftz(fr(a * b));

/** Bound of the ISR system-mass retry (isrRadiate; its failure probability is checked on the host, engine/generate/genkin.ts isrReach). */
export const ISR_TRIES = 64;
/** Bound of the disc-point rejection (accepts pi / 4 per try: 64 tries fail with probability < 1e-42). */
export const TRIES = 64;
/** The three-body m23 rejection accepts ~25% of tries at worst (small third mass): 256 tries fail with probability < 1e-30. */
export const TRIES3 = 256;
/** x below 2^-24 (photon energy < 3e-7 GeV) is no photon; 1 - |cos| below 2^-40 is collinear. */
const X_FLOOR = 5.9604644775390625e-8;
const OMC_FLOOR = 9.094947017729282e-13;

/** The track-response sub-block (track()): acceptance cosines, pT threshold, resolutions, identification efficiency. */
export const TRACK_PARAMS = ['trk_cmin', 'trk_cmax', 'trk_ptmin', 'trk_ra', 'trk_rb', 'trk_ang', 'mu_eff'] as const;
/** The photon-response sub-block (photon()): energy threshold, three ECL polar ranges as cosine pairs, energy resolution terms. */
export const PHOTON_PARAMS = ['g_emin', 'ecl_c0', 'ecl_c1', 'ecl_c2', 'ecl_c3', 'ecl_c4', 'ecl_c5', 'g_ra', 'g_rb', 'g_rc'] as const;

/** Docs of the beam, ISR and detector params every generator kernel shares (engine/generate/genkin.ts fills them). */
export const GENKIN_PARAM_DOCS = {
  isr_exp: '2 / beta (x = U^(2/beta))',
  isr_a: 'a = 1 - beta_e = m_e^2 / (2 E_beam^2) of a beam in the CM',
  isr_lr: 'ln(a / (2 - a))',
  t_min: 'xMin^(beta/2): ISR generator cut max(x1, x2) >= xMin, sampled exactly (0: no cut)',
  st_mode: 'angular stratum of the ISR photons: 1 some photon has lo <= |cos theta*| < hi, 2 none has, 0 no stratum (engine/generate/genkin.ts isrSkimKernelParams)',
  st_f0: 'stratum: samplePeaked\'s u intervals [st_f0, st_f1) and [st_f2, st_f3) where lo <= |c| < hi', st_p: 'stratum: their total width',
  g_cm: 'gamma of the CM in the lab', bg_cm: 'beta gamma of the CM in the lab',
  trk_cmin: 'track acceptance: cos(theta_max) < cos theta_lab', trk_cmax: '... < cos(theta_min)',
  ecl_c0: 'ECL polar ranges as (cos theta_hi, cos theta_lo) pairs: c0 c1, c2 c3, c4 c5',
} as const;

export type V4 = [number, number, number, number];

export function msq(q: V4): number {
  return sub(sub(sub(fm(q[0], q[0]), fm(q[1], q[1])), fm(q[2], q[2])), fm(q[3], q[3]));
}
export function p3sq(q: V4): number {
  return add(add(fm(q[1], q[1]), fm(q[2], q[2])), fm(q[3], q[3]));
}
/** sign(m2) sqrt(|m2|): engine/generate/lorentz.ts mass. */
export function ssqrt(m2: number): number {
  return m2 >= 0 ? xsqrt(m2) : -xsqrt(-m2);
}
/** q from the rest frame of P (mass M) into the frame where P has its momentum: q + P ((P.q) / (M (P0 + M)) + q0 / M). */
export function boostFrom(P: V4, M: number, q: V4): V4 {
  const bp = add(add(fm(P[1], q[1]), fm(P[2], q[2])), fm(P[3], q[3]));
  const iM = xrecip(M);
  const f = mul(add(xdiv(bp, add(P[0], M)), q[0]), iM);
  return [mul(add(fm(P[0], q[0]), bp), iM), add(q[1], fm(f, P[1])), add(q[2], fm(f, P[2])), add(q[3], fm(f, P[3]))];
}
/** Boost along z: E' = g E + bg pz, pz' = g pz + bg E (bg < 0: lab -> CM). */
export function boostZ(q: V4, g: number, bg: number): V4 {
  return [add(mul(g, q[0]), mul(bg, q[3])), q[1], q[2], add(mul(g, q[3]), mul(bg, q[0]))];
}

/** A uniform point of the unit disc as an azimuth without trigonometry: [cos phi, sin phi] = [(u^2 - v^2) / r^2, 2 u v / r^2]. */
export function disc(s: RStream): [number, number] {
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
export function pStar(m2: number, M: number, ma: number, mb: number): number {
  const sp = add(ma, mb), sd = sub(ma, mb);
  const lam = Math.max(0, mul(sub(m2, mul(sp, sp)), sub(m2, mul(sd, sd))));
  return xdiv(xsqrt(lam), mul(2, M));
}

/** Daughters (masses ma, mb) of P (mass M, M^2 = m2) with daughter a along (c, phi) in P's rest frame, cs = [cos phi, sin phi]. */
export function twoBody(P: V4, M: number, m2: number, ma: number, mb: number, c: number, cs: [number, number]): [V4, V4] {
  const p = pStar(m2, M, ma, mb);
  const st = xsqrt(Math.max(0, sub(1, mul(c, c))));
  const pt = mul(p, st);
  const x = ftz(mul(pt, cs[0])), y = ftz(mul(pt, cs[1])), z = mul(p, c);
  const p2 = mul(p, p);
  const a: V4 = [xsqrt(add(mul(ma, ma), p2)), x, y, z];
  const b: V4 = [xsqrt(add(mul(mb, mb), p2)), -x, -y, -z];
  return [boostFrom(P, M, a), boostFrom(P, M, b)];
}

/** Rz(alpha) Ry(beta) Rz(gamma) q (physics.ts decay3's rotate), from the cosines and sines. */
export function rotate(q: V4, ca: number, sa: number, cb: number, sb: number, cg: number, sg: number): V4 {
  const x1 = sub(fm(cg, q[1]), fm(sg, q[2])), y1 = add(fm(sg, q[1]), fm(cg, q[2]));
  const x2 = add(fm(cb, x1), fm(sb, q[3])), z2 = sub(fm(cb, q[3]), fm(sb, x1));
  return [q[0], sub(fm(ca, x2), fm(sa, y1)), add(fm(sa, x2), fm(ca, y1)), z2];
}

/**
 * sys (mass M, M^2 = m2) -> a b c by flat three-body phase space in sys's rest frame (physics.ts
 * decay3: m23 = M(b c) uniform, accepted with p1* p23* / (their separate maxima), PDG RPP
 * "Kinematics" eq. 49.21 with |M|^2 = const; a isotropic, b c isotropic in their frame, then a
 * uniform orientation), boosted with sys. Returns a, b, c.
 */
export function threeBody(s: RStream, sys: V4, M: number, m2: number, ma: number, mb: number, mc: number): [V4, V4, V4] {
  const lo = add(mb, mc), hi = sub(M, ma);
  const wmax = mul(pStar(m2, M, ma, lo), pStar(mul(hi, hi), hi, mb, mc));
  let m23 = lo;
  for (let it = 0; it < TRIES3; it++) {
    m23 = add(lo, mul(sub(hi, lo), rsUniform(s)));
    const w = mul(pStar(m2, M, ma, m23), pStar(mul(m23, m23), m23, mb, mc));
    if (mul(rsUniform(s), wmax) <= w) break;
  }
  const rest: V4 = [M, 0, 0, 0];
  const c1 = sub(mul(2, rsUniform(s)), 1);
  const [a, x] = twoBody(rest, M, m2, ma, m23, c1, disc(s));
  const c2 = sub(mul(2, rsUniform(s)), 1);
  const [b, c] = twoBody(x, m23, mul(m23, m23), mb, mc, c2, disc(s));
  const cb = sub(mul(2, rsUniform(s)), 1), sb = xsqrt(Math.max(0, sub(1, mul(cb, cb))));
  const al = disc(s), ga = disc(s);
  const r = (q: V4) => boostFrom(sys, M, rotate(q, al[0], al[1], cb, sb, ga[0], ga[1]));
  return [r(a), r(b), r(c)];
}

/**
 * The uniforms (u1, u2) of the two beams' ISR energy fractions x = u^(2/beta) under the generator
 * cut max(x1, x2) >= xMin, sampled exactly: with t = xMin^(beta/2) > 0, (u1, u2) uniform on the
 * unit square less [0, t)^2 (3 draws); t = 0: no cut (2 draws).
 */
export function isrUniforms(s: RStream, t: number): [number, number] {
  if (t > 0) {
    const sel = rsUniform(s), a = rsUniform(s), b = rsUniform(s);
    if (mul(sel, add(1, t)) < 1) return [add(t, mul(sub(1, t), a)), b];
    return [mul(t, a), add(t, mul(sub(1, t), b))];
  }
  const u1 = rsUniform(s);
  return [u1, rsUniform(s)];
}

/** An ISR energy fraction x = u^(2/beta) (Kuraev & Fadin, Sov. J. Nucl. Phys. 41 (1985) 466); isrExp = 2 / beta. Below 2^-24: 0. */
export function isrX(u: number, isrExp: number): number {
  const x = xexp(mul(isrExp, xlog(u)));
  return x < X_FLOOR ? 0 : x;
}

/**
 * An ISR photon of energy fraction x of eBeam along beam `dir` (+1: e-, -1: e+), its polar angle
 * from the uniform uc (the inverse CDF of 1/(1 - beta_e cos), physics.ts samplePeaked; isrA =
 * 1 - beta_e, isrLr = ln(a / (2 - a))). Draws a disc point.
 */
export function isrPhoton(s: RStream, x: number, uc: number, dir: number, eBeam: number, isrA: number, isrLr: number): V4 {
  const r = xexp(mul(uc, isrLr)); // (a / (2 - a))^u; 1 - c = ((2 - a) r - a) / (1 - a) = 2 r - a in f32
  let omc = sub(mul(2, r), isrA);
  if (omc < OMC_FLOOR) omc = 0;
  const st = xsqrt(mul(omc, sub(2, omc)));
  const cs = disc(s);
  const e = mul(x, eBeam);
  const pt = mul(e, st);
  return [e, ftz(mul(pt, cs[0])), ftz(mul(pt, cs[1])), dir * mul(e, sub(1, omc))];
}

/**
 * What isrRadiate needs: sqrt(s) = rs, the cut t = xMin^(beta/2) (0: none), the system's squared
 * threshold mass, the beam energy and ISR constants (isrX, isrPhoton), and an angular stratum of
 * the photons (stMode 1: some photon has st_lo <= |cos theta*| < st_hi, 2: none has, 0: no
 * stratum; physics.ts isrAngularFraction): samplePeaked's u intervals [f0, f1) and [f2, f3) where
 * |c| lies in the stratum, p = their total width. stMode 3 / 4: a joint stratum of energy and
 * angle (physics.ts isrSkimFraction): some photon / no photon is "hard in the stratum", x >= xMin
 * (its uniform >= t) and |c| in the stratum; t is then its bound, not the cut on max(x1, x2).
 */
export interface IsrSetup {
  rs: number; t: number; mMin2: number; eBeam: number; isrExp: number; isrA: number; isrLr: number;
  stMode: number; stF0: number; stF1: number; stF2: number; stF3: number; stP: number;
}
/** The two ISR photons (zero without radiation), the system left for the hard process and its squared mass. */
export interface Isr { k1: V4; k2: V4; sys: V4; m2: number }

function stratumIn(s: RStream, q: IsrSetup): number {
  const v = mul(rsUniform(s), q.stP), w0 = sub(q.stF1, q.stF0);
  return v < w0 ? add(q.stF0, v) : add(q.stF2, sub(v, w0));
}
function stratumOut(s: RStream, q: IsrSetup): number {
  const v = mul(rsUniform(s), sub(1, q.stP)), o0 = q.stF0, o1 = sub(q.stF2, q.stF1);
  if (v < o0) return v;
  const v1 = sub(v, o0);
  return v1 < o1 ? add(q.stF1, v1) : add(q.stF3, sub(v1, o1));
}
/** Both photons' angle uniforms in the stratum: inside, (in, in) with probability p^2, (in, out) and (out, in) p (1 - p) each, over 1 - (1 - p)^2. */
function stratumPair(s: RStream, q: IsrSetup): [number, number] {
  if (q.stMode === 2) {
    const a = stratumOut(s, q);
    return [a, stratumOut(s, q)];
  }
  const p = q.stP, r0 = sub(1, p);
  const r = mul(rsUniform(s), sub(1, mul(r0, r0)));
  if (r < mul(p, p)) {
    const a = stratumIn(s, q);
    return [a, stratumIn(s, q)];
  }
  if (r < p) {
    const a = stratumIn(s, q);
    return [a, stratumOut(s, q)];
  }
  const a = stratumOut(s, q);
  return [a, stratumIn(s, q)];
}

/** A photon hard in the joint stratum: its uniform in [t, 1), its angle's in the stratum (2 draws + stratumIn's 1). */
function jointIn(s: RStream, q: IsrSetup): [number, number] {
  const u = add(q.t, mul(sub(1, q.t), rsUniform(s)));
  return [u, stratumIn(s, q)];
}
/** A photon not hard in the joint stratum: (u, uc) uniform on the unit square less [t, 1) x the stratum (measure 1 - g, g = (1 - t) p). */
function jointOut(s: RStream, q: IsrSetup, g: number): [number, number] {
  if (mul(rsUniform(s), sub(1, g)) < q.t) {
    const u = mul(q.t, rsUniform(s));
    return [u, rsUniform(s)];
  }
  const u = add(q.t, mul(sub(1, q.t), rsUniform(s)));
  return [u, stratumOut(s, q)];
}
/** Both photons' (energy uniform, angle uniform) in the joint stratum (stMode 3: some photon hard in it, as stratumPair with g = (1 - t) p; 4: none). */
function jointPair(s: RStream, q: IsrSetup): [number, number, number, number] {
  const g = mul(sub(1, q.t), q.stP);
  let a: [number, number], b: [number, number];
  if (q.stMode === 4) {
    a = jointOut(s, q, g);
    b = jointOut(s, q, g);
  } else {
    const r0 = sub(1, g);
    const r = mul(rsUniform(s), sub(1, mul(r0, r0)));
    if (r < mul(g, g)) {
      a = jointIn(s, q);
      b = jointIn(s, q);
    } else if (r < g) {
      a = jointIn(s, q);
      b = jointOut(s, q, g);
    } else {
      a = jointOut(s, q, g);
      b = jointIn(s, q);
    }
  }
  return [a[0], a[1], b[0], b[1]];
}

/**
 * Leading-log ISR from both beams (physics.ts radiate): each radiates one photon (isrUniforms,
 * isrX, isrPhoton; beam e- first), retried until the system's squared mass exceeds mMin2, at most
 * ISR_TRIES times; past that the event is Born (no photons, the full CM).
 */
export function isrRadiate(s: RStream, q: IsrSetup): Isr {
  const rs = q.rs;
  let k1: V4 = [0, 0, 0, 0], k2: V4 = [0, 0, 0, 0], sys: V4 = [rs, 0, 0, 0];
  let m2 = mul(rs, rs);
  let ok = false;
  for (let it = 0; it < ISR_TRIES && !ok; it++) {
    let u1: number, u2: number, uc1 = -1, uc2 = -1;
    if (q.stMode >= 3) [u1, uc1, u2, uc2] = jointPair(s, q);
    else {
      [u1, u2] = isrUniforms(s, q.t);
      if (q.stMode !== 0) [uc1, uc2] = stratumPair(s, q);
    }
    const x1 = isrX(u1, q.isrExp), x2 = isrX(u2, q.isrExp);
    k1 = isrPhoton(s, x1, uc1 >= 0 ? uc1 : rsUniform(s), 1, q.eBeam, q.isrA, q.isrLr);
    k2 = isrPhoton(s, x2, uc2 >= 0 ? uc2 : rsUniform(s), -1, q.eBeam, q.isrA, q.isrLr);
    sys = [sub(sub(rs, k1[0]), k2[0]), sub(-k1[1], k2[1]), sub(-k1[2], k2[2]), sub(-k1[3], k2[3])];
    m2 = msq(sys);
    ok = m2 > q.mMin2;
  }
  return ok ? { k1, k2, sys, m2 } : isrBorn(rs);
}

/** No radiation: the full CM (isrRadiate's fallback; a kernel's event without ISR). */
export function isrBorn(rs: number): Isr {
  return { k1: [0, 0, 0, 0], k2: [0, 0, 0, 0], sys: [rs, 0, 0, 0], m2: mul(rs, rs) };
}

export interface Track { p: V4; pm: number; acc: boolean; id: boolean }

/**
 * The direction of q (|q| = pa, transverse pt) turned by the small angles a2 along e_theta and a3
 * sin(theta) along e_phi (detector.ts smears theta and phi by the same sigma: equal to first
 * order), not normalised.
 */
function turn(q: V4, pa: number, pt: number, a2: number, a3: number): [number, number, number] {
  const ipa = xrecip(pa);
  const dx = mul(q[1], ipa), dy = mul(q[2], ipa), dz = mul(q[3], ipa), st = mul(pt, ipa);
  const ist = st > 0 ? xrecip(st) : 0;
  // e_theta = (cos th cos ph, cos th sin ph, -sin th), sin th e_phi = (-dy, dx, 0)
  const ex = ftz(mul(dz, mul(dx, ist))), ey = ftz(mul(dz, mul(dy, ist)));
  const ux = sub(add(dx, fm(a2, ex)), fm(a3, dy));
  const uy = add(add(dy, fm(a2, ey)), fm(a3, dx));
  return [ux, uy, sub(dz, fm(a2, st))];
}

/**
 * Detector response of a charged track of true lab momentum q and mass m (engine/generate/detector.ts,
 * in the lab), with the TRACK_PARAMS sub-block at P[b ..]: acceptance on the true momentum
 * (polar-angle window as cosines, pT > trk_ptmin), sigma_p / p = a pT (+) b / beta, the direction
 * moved by sigma n2 along e_theta and sigma n3 sin(theta) along e_phi (detector.ts smears theta and
 * phi by sigma: the same to first order in sigma = 1 mrad), identification u < mu_eff. Draws 3
 * normals + 1 uniform whether or not accepted.
 */
export function track(s: RStream, P: Float32Array, b: number, q: V4, m: number): Track {
  const pt2 = add(fm(q[1], q[1]), fm(q[2], q[2]));
  const pa = xsqrt(add(pt2, fm(q[3], q[3])));
  const pt = xsqrt(pt2);
  const acc = pt > P[b + 2] && q[3] > mul(P[b], pa) && q[3] < mul(P[b + 1], pa);
  const n1 = rsNormal(s), n2 = rsNormal(s), n3 = rsNormal(s);
  const id = rsUniform(s) < P[b + 6];
  const ra = mul(P[b + 3], pt), rb = xdiv(mul(P[b + 4], q[0]), pa); // b / beta = b E / p
  const rel = xsqrt(add(mul(ra, ra), mul(rb, rb)));
  const pm = mul(pa, Math.max(0, add(1, mul(rel, n1))));
  const a2 = mul(P[b + 5], n2), a3 = mul(P[b + 5], n3);
  const [ux, uy, uz] = turn(q, pa, pt, a2, a3);
  const sc = xdiv(pm, xsqrt(add(add(fm(ux, ux), fm(uy, uy)), fm(uz, uz))));
  return { p: [xsqrt(add(mul(m, m), mul(pm, pm))), ftz(mul(sc, ux)), ftz(mul(sc, uy)), ftz(mul(sc, uz))], pm, acc, id };
}

/**
 * Smeared energy of a photon of true lab momentum k if the ECL sees it, else -1, with the
 * PHOTON_PARAMS sub-block at P[b ..]: accepted above g_emin in one of the three ECL polar ranges,
 * energy smeared by a / E (+) b / E^(1/4) (+) c (detector.ts). Draws 1 normal whether or not seen.
 */
export function photon(s: RStream, P: Float32Array, b: number, k: V4): number {
  const n = rsNormal(s);
  const e = k[0], z = k[3];
  const inEcl =
    (z > mul(P[b + 1], e) && z < mul(P[b + 2], e)) ||
    (z > mul(P[b + 3], e) && z < mul(P[b + 4], e)) ||
    (z > mul(P[b + 5], e) && z < mul(P[b + 6], e));
  if (!(e > P[b] && inEcl)) return -1;
  const a = xdiv(P[b + 7], e), bb = xdiv(P[b + 8], xsqrt(xsqrt(e))), c = P[b + 9];
  const rel = xsqrt(add(add(mul(a, a), mul(bb, bb)), mul(c, c)));
  return mul(e, Math.max(0, add(1, mul(rel, n))));
}

/**
 * The ECL's view of the two ISR photons k1, k2 (CM frame, boosted to the lab by g, bg), with the
 * PHOTON_PARAMS sub-block at P[b ..]: [photons seen, their summed smeared energy] (the families'
 * n_gamma and E_extra). Draws 2 normals (photon, k1 first).
 */
export function isrPhotonsSeen(s: RStream, P: Float32Array, b: number, k1: V4, k2: V4, g: number, bg: number): [number, number] {
  const e1 = photon(s, P, b, boostZ(k1, g, bg)), e2 = photon(s, P, b, boostZ(k2, g, bg));
  return [(e1 >= 0 ? 1 : 0) + (e2 >= 0 ? 1 : 0), add(Math.max(e1, 0), Math.max(e2, 0))];
}

/**
 * A photon of true lab momentum k measured by the ECL (PHOTON_PARAMS sub-block at P[b ..], angular
 * resolution ang): photon()'s acceptance and energy, the direction turned by ang n2 along e_theta
 * and ang n3 sin(theta) along e_phi (detector.ts smearPhoton, to first order), massless. Draws 3
 * normals whether or not seen. e = -1 (and p = 0) when not seen.
 */
export function photonP4(s: RStream, P: Float32Array, b: number, k: V4, ang: number): { e: number; p: V4 } {
  const e = photon(s, P, b, k);
  const n2 = rsNormal(s), n3 = rsNormal(s);
  if (e < 0) return { e: -1, p: [0, 0, 0, 0] };
  const pt2 = add(fm(k[1], k[1]), fm(k[2], k[2]));
  const pa = xsqrt(add(pt2, fm(k[3], k[3])));
  const [ux, uy, uz] = turn(k, pa, xsqrt(pt2), mul(ang, n2), mul(ang, n3));
  const sc = xdiv(e, xsqrt(add(add(fm(ux, ux), fm(uy, uy)), fm(uz, uz))));
  return { e, p: [e, ftz(mul(sc, ux)), ftz(mul(sc, uy)), ftz(mul(sc, uz))] };
}

/** The dimuon family's output words (engine/generate/index.ts FAMILY_COLUMNS order), then the accepted flag (DIMUON_WORDS.C_ACC); the kernels' events are DIMUON_EV_WORDS words. */
export const DIMUON_COLUMNS = [
  'mu1_px_GeV', 'mu1_py_GeV', 'mu1_pz_GeV', 'mu2_px_GeV', 'mu2_py_GeV', 'mu2_pz_GeV',
  'p_mu1_GeV', 'p_mu2_GeV', 'cos_theta_mu1', 'cos_theta_mu2',
  'm_mumu_GeV', 'm_recoil_GeV', 'm2_recoil_GeV2', 'pt_mumu_GeV', 'p_mumu_cm_GeV',
  'cos_theta_recoil_cm', 'cos_helicity', 'E_extra_GeV', 'n_gamma', 'n_extra_tracks',
  'truth_m_mumu_GeV', 'truth_m_recoil_GeV',
] as const;
export const DIMUON_EV_WORDS = 24;
/** Column words of the dimuon family (KernelDesc.constants of its kernels: generated into WGSL and AssemblyScript; genkin.wgsl's DM_* mirror them). */
export const DIMUON_WORDS = {
  C_MU1: 0, C_MU2: 3, C_PMU1: 6, C_PMU2: 7, C_CMU1: 8, C_CMU2: 9, C_MMUMU: 10, C_MREC: 11, C_M2REC: 12, C_PT: 13, C_PCM: 14,
  C_CREC: 15, C_CHEL: 16, C_EEXTRA: 17, C_NGAM: 18, C_NEXTRA: 19, C_TMMUMU: 20, C_TMREC: 21, C_ACC: 22,
} as const;

/** The lab frame's initial state and CM boost that the dimuon columns need (beamKernelParams' e_tot, pz_tot, g_cm, bg_cm). */
export interface DimuonFrame { eTot: number; pzTot: number; g: number; bg: number; mMu: number }

/**
 * The dimuon family's columns (engine/generate/index.ts reconstruct) into out[o .. o + 23) from the
 * two tracks: tP the mu+ candidate of true lab momentum lp, tM the mu- candidate of lm (a track is a
 * muon when accepted and identified); the truth pair, n_gamma, E_extra and n_extra_tracks always,
 * the rest (and the accepted flag) only when both are muons, else 0; extraTrk: accepted tracks of
 * other particles (added to n_extra_tracks; gen_eemumu's electrons). Helicity angle: the mu+ in the
 * pair's rest frame against the pair's CM direction.
 */
export function dimuonColumns(out: Float32Array, o: number, tP: Track, tM: Track, lp: V4, lm: V4, nGam: number, eExtra: number, extraTrk: number, f: DimuonFrame): void {
  const W = DIMUON_WORDS;
  for (let j = 0; j <= W.C_ACC; j++) out[o + j] = 0;
  const okP = tP.acc && tP.id, okM = tM.acc && tM.id;
  const eTot = f.eTot, pzTot = f.pzTot, g = f.g, bg = f.bg;
  const tp: V4 = [add(lp[0], lm[0]), add(lp[1], lm[1]), add(lp[2], lm[2]), add(lp[3], lm[3])];
  out[o + W.C_TMMUMU] = ssqrt(msq(tp));
  out[o + W.C_TMREC] = ssqrt(msq([sub(eTot, tp[0]), -tp[1], -tp[2], sub(pzTot, tp[3])]));
  out[o + W.C_NGAM] = nGam;
  out[o + W.C_EEXTRA] = eExtra;
  out[o + W.C_NEXTRA] = (tP.acc ? 1 : 0) + (tM.acc ? 1 : 0) - (okP ? 1 : 0) - (okM ? 1 : 0) + extraTrk;
  if (!(okP && okM)) return;
  const a = tP.p, b = tM.p;
  out[o + W.C_ACC] = 1;
  out[o + W.C_MU1] = a[1];
  out[o + W.C_MU1 + 1] = a[2];
  out[o + W.C_MU1 + 2] = a[3];
  out[o + W.C_MU2] = b[1];
  out[o + W.C_MU2 + 1] = b[2];
  out[o + W.C_MU2 + 2] = b[3];
  out[o + W.C_PMU1] = tP.pm;
  out[o + W.C_PMU2] = tM.pm;
  out[o + W.C_CMU1] = tP.pm > 0 ? xdiv(a[3], tP.pm) : 0;
  out[o + W.C_CMU2] = tM.pm > 0 ? xdiv(b[3], tM.pm) : 0;
  const pr: V4 = [add(a[0], b[0]), add(a[1], b[1]), add(a[2], b[2]), add(a[3], b[3])];
  out[o + W.C_MMUMU] = ssqrt(msq(pr));
  const r2 = msq([sub(eTot, pr[0]), -pr[1], -pr[2], sub(pzTot, pr[3])]);
  out[o + W.C_MREC] = ssqrt(r2);
  out[o + W.C_M2REC] = r2;
  out[o + W.C_PT] = xsqrt(add(fm(pr[1], pr[1]), fm(pr[2], pr[2])));
  const pc = boostZ(pr, g, -bg);
  const pcm = xsqrt(p3sq(pc));
  out[o + W.C_PCM] = pcm;
  out[o + W.C_CREC] = pcm > 0 ? -xdiv(pc[3], pcm) : 0;
  const mp = xsqrt(Math.max(msq(pc), mul(f.mMu, f.mMu)));
  const ar = boostFrom([pc[0], -pc[1], -pc[2], -pc[3]], mp, boostZ(a, g, -bg));
  const v: V4 = pcm > 0 ? pc : [0, 0, 0, 1];
  const num = add(add(fm(ar[1], v[1]), fm(ar[2], v[2])), fm(ar[3], v[3]));
  const den2 = mul(p3sq(ar), p3sq(v));
  out[o + W.C_CHEL] = den2 > 0 ? xdiv(num, xsqrt(den2)) : 0;
}
