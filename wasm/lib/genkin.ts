// Event-generator kinematics: twin of kernels/lib/genkin.ts (the physics, sources, draw order and
// bounds are documented there); the same f32 operations in the same order (WebAssembly never fuses
// a*b+c). Four-vectors travel in globals (allocation-free): a function's four-vector result is
// (oE, oX, oY, oZ); disc() leaves (dC, dS); twoBody / threeBody leave (aE..aZ), (bE..bZ) (threeBody also (cE..cZ)); track
// leaves its smeared four-vector in (oE..oZ) and tPm, tAcc, tId. The detector response reads its
// params sub-blocks through TrackDet / PhotonDet views: changetype<TrackDet>(changetype<usize>(P)
// + offsetof<Params>('trk_cmin')) (genkin.ts TRACK_PARAMS / PHOTON_PARAMS order).
import { ftz, xdiv, xexp, xlog, xrecip, xsqrt } from './exactmath';
import { rsNormal, rsUniform } from './sampling';

// @ts-ignore: decorator
@inline export function fm(a: f32, b: f32): f32 { return ftz(a * b); }

export let oE: f32 = 0, oX: f32 = 0, oY: f32 = 0, oZ: f32 = 0;
export let dC: f32 = 0, dS: f32 = 0;
export let aE: f32 = 0, aX: f32 = 0, aY: f32 = 0, aZ: f32 = 0, bE: f32 = 0, bX: f32 = 0, bY: f32 = 0, bZ: f32 = 0;
export let cE: f32 = 0, cX: f32 = 0, cY: f32 = 0, cZ: f32 = 0;

// @ts-ignore: decorator
@inline export function msq(e: f32, x: f32, y: f32, z: f32): f32 { return ((fm(e, e) - fm(x, x)) - fm(y, y)) - fm(z, z); }
// @ts-ignore: decorator
@inline export function p3sq(x: f32, y: f32, z: f32): f32 { return (fm(x, x) + fm(y, y)) + fm(z, z); }
export function ssqrt(m2: f32): f32 { return m2 >= 0.0 ? xsqrt(m2) : -xsqrt(-m2); }

/** q from the rest frame of P (mass M) into the frame where P has its momentum. */
export function boostFrom(pe: f32, px: f32, py: f32, pz: f32, M: f32, qe: f32, qx: f32, qy: f32, qz: f32): void {
  const bp = (fm(px, qx) + fm(py, qy)) + fm(pz, qz);
  const iM = xrecip(M);
  const f = (xdiv(bp, pe + M) + qe) * iM;
  oE = (fm(pe, qe) + bp) * iM;
  oX = qx + fm(f, px);
  oY = qy + fm(f, py);
  oZ = qz + fm(f, pz);
}

export function boostZ(e: f32, x: f32, y: f32, z: f32, g: f32, bg: f32): void {
  oE = g * e + bg * z;
  oX = x;
  oY = y;
  oZ = g * z + bg * e;
}

export function disc(): void {
  for (let it = 0; it < 64; it++) {
    const u: f32 = <f32>2.0 * rsUniform() - <f32>1.0;
    const v: f32 = <f32>2.0 * rsUniform() - <f32>1.0;
    const r2 = u * u + v * v;
    if (r2 < <f32>1.0) {
      const ir = xrecip(r2);
      dC = (u * u - v * v) * ir;
      dS = (<f32>2.0 * (u * v)) * ir;
      return;
    }
  }
  dC = 1.0;
  dS = 0.0;
}

export function pStar(m2: f32, M: f32, ma: f32, mb: f32): f32 {
  const sp = ma + mb, sd = ma - mb;
  const lam = max<f32>(0.0, (m2 - sp * sp) * (m2 - sd * sd));
  return xdiv(xsqrt(lam), <f32>2.0 * M);
}

/** Daughters into (aE..aZ), (bE..bZ); the azimuth from the last disc(). */
export function twoBody(pe: f32, px: f32, py: f32, pz: f32, M: f32, m2: f32, ma: f32, mb: f32, c: f32): void {
  const p = pStar(m2, M, ma, mb);
  const st = xsqrt(max<f32>(0.0, <f32>1.0 - c * c));
  const pt = p * st;
  const x = ftz(pt * dC), y = ftz(pt * dS), z = p * c;
  const p2 = p * p;
  boostFrom(pe, px, py, pz, M, xsqrt(ma * ma + p2), x, y, z);
  aE = oE; aX = oX; aY = oY; aZ = oZ;
  boostFrom(pe, px, py, pz, M, xsqrt(mb * mb + p2), -x, -y, -z);
  bE = oE; bX = oX; bY = oY; bZ = oZ;
}

export function rotate(e: f32, x: f32, y: f32, z: f32, ca: f32, sa: f32, cb: f32, sb: f32, cg: f32, sg: f32): void {
  const x1 = fm(cg, x) - fm(sg, y), y1 = fm(sg, x) + fm(cg, y);
  const x2 = fm(cb, x1) + fm(sb, z), z2 = fm(cb, z) - fm(sb, x1);
  oE = e;
  oX = fm(ca, x2) - fm(sa, y1);
  oY = fm(sa, x2) + fm(ca, y1);
  oZ = z2;
}

/** sys -> a b c by flat three-body phase space (genkin.ts threeBody); a into (aE..aZ), b into (bE..bZ), c into (cE..cZ). */
export function threeBody(se: f32, sx: f32, sy: f32, sz: f32, M: f32, m2: f32, ma: f32, mb: f32, mc: f32): void {
  const lo = mb + mc, hi = M - ma;
  const wmax = pStar(m2, M, ma, lo) * pStar(hi * hi, hi, mb, mc);
  let m23 = lo;
  for (let it = 0; it < 256; it++) {
    m23 = lo + (hi - lo) * rsUniform();
    const w = pStar(m2, M, ma, m23) * pStar(m23 * m23, m23, mb, mc);
    if (rsUniform() * wmax <= w) break;
  }
  const c1: f32 = <f32>2.0 * rsUniform() - <f32>1.0;
  disc();
  twoBody(M, 0.0, 0.0, 0.0, M, m2, ma, m23, c1);
  const a0 = aE, a1 = aX, a2 = aY, a3 = aZ, x0 = bE, x1 = bX, x2 = bY, x3 = bZ;
  const c2: f32 = <f32>2.0 * rsUniform() - <f32>1.0;
  disc();
  twoBody(x0, x1, x2, x3, m23, m23 * m23, mb, mc, c2);
  const b0 = aE, b1 = aX, b2 = aY, b3 = aZ, c0 = bE, c1_ = bX, c2_ = bY, c3 = bZ;
  const cb: f32 = <f32>2.0 * rsUniform() - <f32>1.0;
  const sb = xsqrt(max<f32>(0.0, <f32>1.0 - cb * cb));
  disc();
  const ca = dC, sa = dS;
  disc();
  const cg = dC, sg = dS;
  rotate(a0, a1, a2, a3, ca, sa, cb, sb, cg, sg);
  boostFrom(se, sx, sy, sz, M, oE, oX, oY, oZ);
  const pe = oE, px = oX, py = oY, pz = oZ;
  rotate(b0, b1, b2, b3, ca, sa, cb, sb, cg, sg);
  boostFrom(se, sx, sy, sz, M, oE, oX, oY, oZ);
  bE = oE; bX = oX; bY = oY; bZ = oZ;
  rotate(c0, c1_, c2_, c3, ca, sa, cb, sb, cg, sg);
  boostFrom(se, sx, sy, sz, M, oE, oX, oY, oZ);
  cE = oE; cX = oX; cY = oY; cZ = oZ;
  aE = pe; aX = px; aY = py; aZ = pz;
}

/** isrUniforms' (u1, u2) (genkin.ts). */
export let isrU1: f32 = 0, isrU2: f32 = 0;

export function isrUniforms(t: f32): void {
  if (t > 0.0) {
    const sel = rsUniform(), a = rsUniform(), b = rsUniform();
    if (sel * (<f32>1.0 + t) < <f32>1.0) {
      isrU1 = t + (<f32>1.0 - t) * a;
      isrU2 = b;
    } else {
      isrU1 = t * a;
      isrU2 = t + (<f32>1.0 - t) * b;
    }
    return;
  }
  isrU1 = rsUniform();
  isrU2 = rsUniform();
}

export function isrX(u: f32, isrExp: f32): f32 {
  const x = xexp(isrExp * xlog(u));
  return x < <f32>5.9604644775390625e-8 ? 0.0 : x;
}

/** The photon into (oE..oZ). */
export function isrPhoton(x: f32, uc: f32, dir: f32, eBeam: f32, isrA: f32, isrLr: f32): void {
  const r = xexp(uc * isrLr);
  let omc: f32 = <f32>2.0 * r - isrA;
  if (omc < <f32>9.094947017729282e-13) omc = 0.0;
  const st = xsqrt(omc * (<f32>2.0 - omc));
  disc();
  const e = x * eBeam;
  const pt = e * st;
  oE = e;
  oX = ftz(pt * dC);
  oY = ftz(pt * dS);
  const pz = e * (<f32>1.0 - omc);
  oZ = dir > 0.0 ? pz : -pz;
}

// genkin.ts IsrSetup, set by isrSetup (once per dispatch).
let qRs: f32 = 0, qT: f32 = 0, qMin2: f32 = 0, qEBeam: f32 = 0, qExp: f32 = 0, qA: f32 = 0, qLr: f32 = 0;
let qStMode: u32 = 0, qF0: f32 = 0, qF1: f32 = 0, qF2: f32 = 0, qF3: f32 = 0, qP: f32 = 0;

export function isrSetup(rs: f32, t: f32, mMin2: f32, eBeam: f32, isrExp: f32, isrA: f32, isrLr: f32, stMode: u32, f0: f32, f1: f32, f2: f32, f3: f32, p: f32): void {
  qRs = rs; qT = t; qMin2 = mMin2; qEBeam = eBeam; qExp = isrExp; qA = isrA; qLr = isrLr;
  qStMode = stMode; qF0 = f0; qF1 = f1; qF2 = f2; qF3 = f3; qP = p;
}

function stratumIn(): f32 {
  const v = rsUniform() * qP, w0 = qF1 - qF0;
  return v < w0 ? qF0 + v : qF2 + (v - w0);
}

function stratumOut(): f32 {
  const v = rsUniform() * (<f32>1.0 - qP), o0 = qF0, o1 = qF2 - qF1;
  if (v < o0) return v;
  const v1 = v - o0;
  return v1 < o1 ? qF1 + v1 : qF3 + (v1 - o1);
}

let uc1: f32 = 0, uc2: f32 = 0;

function stratumPair(): void {
  if (qStMode == 2) {
    uc1 = stratumOut();
    uc2 = stratumOut();
    return;
  }
  const p = qP, r0: f32 = <f32>1.0 - p;
  const r = rsUniform() * (<f32>1.0 - r0 * r0);
  if (r < p * p) {
    uc1 = stratumIn();
    uc2 = stratumIn();
  } else if (r < p) {
    uc1 = stratumIn();
    uc2 = stratumOut();
  } else {
    uc1 = stratumOut();
    uc2 = stratumIn();
  }
}

// genkin.ts jointIn / jointOut / jointPair: the joint stratum of energy and angle (stMode 3, 4), into (ju, juc).
let ju: f32 = 0, juc: f32 = 0, ju1: f32 = 0;

function jointIn(): void {
  ju = qT + (<f32>1.0 - qT) * rsUniform();
  juc = stratumIn();
}

function jointOut(g: f32): void {
  if (rsUniform() * (<f32>1.0 - g) < qT) {
    ju = qT * rsUniform();
    juc = rsUniform();
    return;
  }
  ju = qT + (<f32>1.0 - qT) * rsUniform();
  juc = stratumOut();
}

/** Into (isrU1, uc1, isrU2, uc2). */
function jointPair(): void {
  const g: f32 = (<f32>1.0 - qT) * qP;
  let second = false; // the second photon in (1: in, 0: out)
  if (qStMode == 4) {
    jointOut(g);
  } else {
    const r0: f32 = <f32>1.0 - g;
    const r = rsUniform() * (<f32>1.0 - r0 * r0);
    if (r < g * g) {
      jointIn();
      second = true;
    } else if (r < g) {
      jointIn();
    } else {
      jointOut(g);
      second = true;
    }
  }
  ju1 = ju;
  uc1 = juc;
  if (second) jointIn();
  else jointOut(g);
  isrU1 = ju1;
  isrU2 = ju;
  uc2 = juc;
}

// isrRadiate's results (genkin.ts Isr): the photons k1, k2, the system s and its squared mass.
export let k1e: f32 = 0, k1x: f32 = 0, k1y: f32 = 0, k1z: f32 = 0, k2e: f32 = 0, k2x: f32 = 0, k2y: f32 = 0, k2z: f32 = 0;
export let se: f32 = 0, sx: f32 = 0, sy: f32 = 0, sz: f32 = 0, isrM2: f32 = 0;

export function isrRadiate(): void {
  const rs = qRs;
  let ok = false;
  for (let it = 0; it < 64 && !ok; it++) {
    uc1 = -1.0;
    uc2 = -1.0;
    if (qStMode >= 3) jointPair();
    else {
      isrUniforms(qT);
      if (qStMode != 0) stratumPair();
    }
    const x1 = isrX(isrU1, qExp), x2 = isrX(isrU2, qExp);
    isrPhoton(x1, uc1 >= 0.0 ? uc1 : rsUniform(), 1.0, qEBeam, qA, qLr);
    k1e = oE; k1x = oX; k1y = oY; k1z = oZ;
    isrPhoton(x2, uc2 >= 0.0 ? uc2 : rsUniform(), -1.0, qEBeam, qA, qLr);
    k2e = oE; k2x = oX; k2y = oY; k2z = oZ;
    se = (rs - k1e) - k2e; sx = -k1x - k2x; sy = -k1y - k2y; sz = -k1z - k2z;
    isrM2 = msq(se, sx, sy, sz);
    ok = isrM2 > qMin2;
  }
  if (!ok) isrBorn();
}

/** No radiation: the full CM (isrRadiate's fallback; a kernel's event without ISR). */
export function isrBorn(): void {
  k1e = 0; k1x = 0; k1y = 0; k1z = 0; k2e = 0; k2x = 0; k2y = 0; k2z = 0;
  se = qRs; sx = 0; sy = 0; sz = 0;
  isrM2 = qRs * qRs;
}

/** genkin.ts TRACK_PARAMS, in order. */
// @ts-ignore: decorator
@unmanaged export class TrackDet { cmin: f32; cmax: f32; ptmin: f32; ra: f32; rb: f32; ang: f32; id_eff: f32; }
/** genkin.ts PHOTON_PARAMS, in order. */
// @ts-ignore: decorator
@unmanaged export class PhotonDet { emin: f32; c0: f32; c1: f32; c2: f32; c3: f32; c4: f32; c5: f32; ra: f32; rb: f32; rc: f32; }

// turn's result (genkin.ts turn): q's direction turned by a2 along e_theta and a3 sin(theta) along e_phi, not normalised.
let uX: f32 = 0, uY: f32 = 0, uZ: f32 = 0;

function turn(qx: f32, qy: f32, qz: f32, pa: f32, pt: f32, a2: f32, a3: f32): void {
  const ipa = xrecip(pa);
  const dx = qx * ipa, dy = qy * ipa, dz = qz * ipa, st = pt * ipa;
  const ist: f32 = st > 0.0 ? xrecip(st) : 0.0;
  const ex = ftz(dz * (dx * ist)), ey = ftz(dz * (dy * ist));
  uX = (dx + fm(a2, ex)) - fm(a3, dy);
  uY = (dy + fm(a2, ey)) + fm(a3, dx);
  uZ = dz - fm(a2, st);
}

// track's results besides (oE..oZ): |p|, acceptance, identification.
export let tPm: f32 = 0, tAcc = false, tId = false;

export function track(d: TrackDet, m: f32, qe: f32, qx: f32, qy: f32, qz: f32): void {
  const pt2 = fm(qx, qx) + fm(qy, qy);
  const pa = xsqrt(pt2 + fm(qz, qz));
  const pt = xsqrt(pt2);
  tAcc = pt > d.ptmin && qz > d.cmin * pa && qz < d.cmax * pa;
  const n1 = rsNormal(), n2 = rsNormal(), n3 = rsNormal();
  tId = rsUniform() < d.id_eff;
  const ra = d.ra * pt, rb = xdiv(d.rb * qe, pa);
  const rel = xsqrt(ra * ra + rb * rb);
  const pm = pa * max<f32>(0.0, <f32>1.0 + rel * n1);
  turn(qx, qy, qz, pa, pt, d.ang * n2, d.ang * n3);
  const ux = uX, uy = uY, uz = uZ;
  const sc = xdiv(pm, xsqrt((fm(ux, ux) + fm(uy, uy)) + fm(uz, uz)));
  tPm = pm;
  oE = xsqrt(m * m + pm * pm);
  oX = ftz(sc * ux);
  oY = ftz(sc * uy);
  oZ = ftz(sc * uz);
}

export function photon(d: PhotonDet, e: f32, z: f32): f32 {
  const n = rsNormal();
  const inEcl = (z > d.c0 * e && z < d.c1 * e) || (z > d.c2 * e && z < d.c3 * e) || (z > d.c4 * e && z < d.c5 * e);
  if (!(e > d.emin && inEcl)) return -1.0;
  const a = xdiv(d.ra, e), b = xdiv(d.rb, xsqrt(xsqrt(e))), c = d.rc;
  const rel = xsqrt((a * a + b * b) + c * c);
  return e * max<f32>(0.0, <f32>1.0 + rel * n);
}

// isrPhotonsSeen's results: photons seen, their summed smeared energy.
export let seenN: f32 = 0, seenE: f32 = 0;

/** genkin.ts isrPhotonsSeen: the ISR photons k1, k2 (CM frame) through the ECL. */
export function isrPhotonsSeen(d: PhotonDet, k1e: f32, k1x: f32, k1y: f32, k1z: f32, k2e: f32, k2x: f32, k2y: f32, k2z: f32, g: f32, bg: f32): void {
  boostZ(k1e, k1x, k1y, k1z, g, bg);
  const e1 = photon(d, oE, oZ);
  boostZ(k2e, k2x, k2y, k2z, g, bg);
  const e2 = photon(d, oE, oZ);
  seenN = <f32>((e1 >= 0.0 ? 1 : 0) + (e2 >= 0.0 ? 1 : 0));
  seenE = max<f32>(e1, 0.0) + max<f32>(e2, 0.0);
}

/** genkin.ts photonP4: the measured photon into (oE..oZ), oE = -1 when not seen. */
export function photonP4(d: PhotonDet, ang: f32, ke: f32, kx: f32, ky: f32, kz: f32): void {
  const e = photon(d, ke, kz);
  const n2 = rsNormal(), n3 = rsNormal();
  if (e < 0.0) {
    oE = -1.0; oX = 0; oY = 0; oZ = 0;
    return;
  }
  const pt2 = fm(kx, kx) + fm(ky, ky);
  const pa = xsqrt(pt2 + fm(kz, kz));
  turn(kx, ky, kz, pa, xsqrt(pt2), ang * n2, ang * n3);
  const sc = xdiv(e, xsqrt((fm(uX, uX) + fm(uY, uY)) + fm(uZ, uZ)));
  oE = e;
  oX = ftz(sc * uX);
  oY = ftz(sc * uY);
  oZ = ftz(sc * uZ);
}

// The dimuon family's words (kernels/lib/genkin.ts DIMUON_WORDS).
const DM_MU1: u32 = 0, DM_MU2: u32 = 3, DM_PMU1: u32 = 6, DM_PMU2: u32 = 7, DM_CMU1: u32 = 8, DM_CMU2: u32 = 9, DM_MMUMU: u32 = 10, DM_MREC: u32 = 11;
const DM_M2REC: u32 = 12, DM_PT: u32 = 13, DM_PCM: u32 = 14, DM_CREC: u32 = 15, DM_CHEL: u32 = 16, DM_EEXTRA: u32 = 17, DM_NGAM: u32 = 18;
const DM_NEXTRA: u32 = 19, DM_TMMUMU: u32 = 20, DM_TMREC: u32 = 21;
export const DM_ACC: u32 = 22;

// @ts-ignore: decorator
@inline function dmPut(o: usize, j: u32, v: f32): void { store<f32>(o + (<usize>j << 2), v); }

/**
 * The dimuon columns into the words at o (kernels/lib/genkin.ts dimuonColumns): the mu+ candidate
 * (accepted accP, identified idP, |p| pmP, smeared four-vector ae..az) of true lab momentum lp*, the
 * mu- candidate likewise (b*, lm*); extraTrk: accepted tracks of other particles (added to n_extra_tracks).
 */
export function dimuonColumns(
  o: usize, accP: bool, idP: bool, pmP: f32, ae: f32, ax: f32, ay: f32, az: f32, accM: bool, idM: bool, pmM: f32, be: f32, bx: f32, by: f32, bz: f32,
  lpe: f32, lpx: f32, lpy: f32, lpz: f32, lme: f32, lmx: f32, lmy: f32, lmz: f32, nGam: f32, eExtra: f32, extraTrk: f32, eTot: f32, pzTot: f32, g: f32, bg: f32, mMu: f32,
): void {
  for (let j: u32 = 0; j <= DM_ACC; j++) dmPut(o, j, 0.0);
  const okP = accP && idP, okM = accM && idM;
  const te = lpe + lme, tx = lpx + lmx, ty = lpy + lmy, tz = lpz + lmz;
  dmPut(o, DM_TMMUMU, ssqrt(msq(te, tx, ty, tz)));
  dmPut(o, DM_TMREC, ssqrt(msq(eTot - te, -tx, -ty, pzTot - tz)));
  dmPut(o, DM_NGAM, nGam);
  dmPut(o, DM_EEXTRA, eExtra);
  dmPut(o, DM_NEXTRA, <f32>((accP ? 1 : 0) + (accM ? 1 : 0) - (okP ? 1 : 0) - (okM ? 1 : 0)) + extraTrk);
  if (!(okP && okM)) return;
  dmPut(o, DM_ACC, 1.0);
  dmPut(o, DM_MU1, ax);
  dmPut(o, DM_MU1 + 1, ay);
  dmPut(o, DM_MU1 + 2, az);
  dmPut(o, DM_MU2, bx);
  dmPut(o, DM_MU2 + 1, by);
  dmPut(o, DM_MU2 + 2, bz);
  dmPut(o, DM_PMU1, pmP);
  dmPut(o, DM_PMU2, pmM);
  dmPut(o, DM_CMU1, pmP > 0.0 ? xdiv(az, pmP) : 0.0);
  dmPut(o, DM_CMU2, pmM > 0.0 ? xdiv(bz, pmM) : 0.0);
  const pe = ae + be, px = ax + bx, py = ay + by, pz = az + bz;
  dmPut(o, DM_MMUMU, ssqrt(msq(pe, px, py, pz)));
  const r2 = msq(eTot - pe, -px, -py, pzTot - pz);
  dmPut(o, DM_MREC, ssqrt(r2));
  dmPut(o, DM_M2REC, r2);
  dmPut(o, DM_PT, xsqrt(fm(px, px) + fm(py, py)));
  boostZ(pe, px, py, pz, g, -bg);
  const ce = oE, cx = oX, cy = oY, cz = oZ;
  const pcm = xsqrt(p3sq(cx, cy, cz));
  dmPut(o, DM_PCM, pcm);
  dmPut(o, DM_CREC, pcm > 0.0 ? -xdiv(cz, pcm) : 0.0);
  const mp = xsqrt(max<f32>(msq(ce, cx, cy, cz), mMu * mMu));
  boostZ(ae, ax, ay, az, g, -bg);
  boostFrom(ce, -cx, -cy, -cz, mp, oE, oX, oY, oZ);
  let vx: f32 = 0, vy: f32 = 0, vz: f32 = 1;
  if (pcm > 0.0) { vx = cx; vy = cy; vz = cz; }
  const num = (fm(oX, vx) + fm(oY, vy)) + fm(oZ, vz);
  const den2 = p3sq(oX, oY, oZ) * p3sq(vx, vy, vz);
  dmPut(o, DM_CHEL, den2 > 0.0 ? xdiv(num, xsqrt(den2)) : 0.0);
}
