// gen_dimuon: one dimuon event per item. Twin of kernels/gen_dimuon/{ref.ts,gen_dimuon.wgsl} (the
// physics, sources and draw order are documented in ref.ts); the same f32 operations in the same
// order. Four-vectors travel in globals (allocation-free): a function's result is (oE, oX, oY, oZ).
import { ftz, xdiv, xexp, xlog, xrecip, xsqrt } from './lib/exactmath';
import { rsInit, rsNormal, rsUniform } from './lib/sampling';
import {
  Bufs, OUT_EV_STRIDE, Params, C_MU1, C_MU2, C_PMU1, C_PMU2, C_CMU1, C_CMU2, C_MMUMU, C_MREC, C_M2REC, C_PT, C_PCM, C_CREC, C_CHEL,
  C_EEXTRA, C_NGAM, C_NEXTRA, C_TMMUMU, C_TMREC, C_ACC,
} from './gen/gen_dimuon';

// @ts-ignore: decorator
@inline function fm(a: f32, b: f32): f32 { return ftz(a * b); }

let oE: f32 = 0, oX: f32 = 0, oY: f32 = 0, oZ: f32 = 0;
let dC: f32 = 0, dS: f32 = 0;

// @ts-ignore: decorator
@inline function msq(e: f32, x: f32, y: f32, z: f32): f32 { return ((fm(e, e) - fm(x, x)) - fm(y, y)) - fm(z, z); }
// @ts-ignore: decorator
@inline function p3sq(x: f32, y: f32, z: f32): f32 { return (fm(x, x) + fm(y, y)) + fm(z, z); }
function ssqrt(m2: f32): f32 { return m2 >= 0.0 ? xsqrt(m2) : -xsqrt(-m2); }

/** q from the rest frame of P (mass M) into the frame where P has its momentum. */
function boostFrom(pe: f32, px: f32, py: f32, pz: f32, M: f32, qe: f32, qx: f32, qy: f32, qz: f32): void {
  const bp = (fm(px, qx) + fm(py, qy)) + fm(pz, qz);
  const iM = xrecip(M);
  const f = (xdiv(bp, pe + M) + qe) * iM;
  oE = (fm(pe, qe) + bp) * iM;
  oX = qx + fm(f, px);
  oY = qy + fm(f, py);
  oZ = qz + fm(f, pz);
}

function boostZ(e: f32, x: f32, y: f32, z: f32, g: f32, bg: f32): void {
  oE = g * e + bg * z;
  oX = x;
  oY = y;
  oZ = g * z + bg * e;
}

function disc(): void {
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

function pStar(m2: f32, M: f32, ma: f32, mb: f32): f32 {
  const sp = ma + mb, sd = ma - mb;
  const lam = max<f32>(0.0, (m2 - sp * sp) * (m2 - sd * sd));
  return xdiv(xsqrt(lam), <f32>2.0 * M);
}

let aE: f32 = 0, aX: f32 = 0, aY: f32 = 0, aZ: f32 = 0, bE: f32 = 0, bX: f32 = 0, bY: f32 = 0, bZ: f32 = 0;

/** Daughters into (aE..aZ), (bE..bZ); the azimuth from the last disc(). */
function twoBody(pe: f32, px: f32, py: f32, pz: f32, M: f32, m2: f32, ma: f32, mb: f32, c: f32): void {
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

function rotate(e: f32, x: f32, y: f32, z: f32, ca: f32, sa: f32, cb: f32, sb: f32, cg: f32, sg: f32): void {
  const x1 = fm(cg, x) - fm(sg, y), y1 = fm(sg, x) + fm(cg, y);
  const x2 = fm(cb, x1) + fm(sb, z), z2 = fm(cb, z) - fm(sb, x1);
  oE = e;
  oX = fm(ca, x2) - fm(sa, y1);
  oY = fm(sa, x2) + fm(ca, y1);
  oZ = z2;
}

/** mode 2: mu+ mu- Z' by flat three-body phase space (ref.ts threeBody); mu+ into (aE..aZ), mu- into (bE..bZ). */
function threeBody(P: Params, se: f32, sx: f32, sy: f32, sz: f32, M: f32, m2: f32): void {
  const mm = P.m_mu, mz = P.m_a;
  const lo = mm + mz, hi = M - mm;
  const wmax = pStar(m2, M, mm, lo) * pStar(hi * hi, hi, mm, mz);
  let m23 = lo;
  for (let it = 0; it < 256; it++) {
    m23 = lo + (hi - lo) * rsUniform();
    const w = pStar(m2, M, mm, m23) * pStar(m23 * m23, m23, mm, mz);
    if (rsUniform() * wmax <= w) break;
  }
  const c1: f32 = <f32>2.0 * rsUniform() - <f32>1.0;
  disc();
  twoBody(M, 0.0, 0.0, 0.0, M, m2, mm, m23, c1);
  const a0 = aE, a1 = aX, a2 = aY, a3 = aZ, x0 = bE, x1 = bX, x2 = bY, x3 = bZ;
  const c2: f32 = <f32>2.0 * rsUniform() - <f32>1.0;
  disc();
  twoBody(x0, x1, x2, x3, m23, m23 * m23, mm, mz, c2);
  const b0 = aE, b1 = aX, b2 = aY, b3 = aZ;
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
  aE = pe; aX = px; aY = py; aZ = pz;
}

function isrPhoton(P: Params, x: f32, uc: f32, dir: f32): void {
  const r = xexp(uc * P.isr_lr);
  let omc: f32 = <f32>2.0 * r - P.isr_a;
  if (omc < <f32>9.094947017729282e-13) omc = 0.0;
  const st = xsqrt(omc * (<f32>2.0 - omc));
  disc();
  const e = x * P.e_beam;
  const pt = e * st;
  oE = e;
  oX = ftz(pt * dC);
  oY = ftz(pt * dS);
  const pz = e * (<f32>1.0 - omc);
  oZ = dir > 0.0 ? pz : -pz;
}

function stratumIn(P: Params): f32 {
  const v = rsUniform() * P.st_p, w0 = P.st_f1 - P.st_f0;
  return v < w0 ? P.st_f0 + v : P.st_f2 + (v - w0);
}

function stratumOut(P: Params): f32 {
  const v = rsUniform() * (<f32>1.0 - P.st_p), o0 = P.st_f0, o1 = P.st_f2 - P.st_f1;
  if (v < o0) return v;
  const v1 = v - o0;
  return v1 < o1 ? P.st_f1 + v1 : P.st_f3 + (v1 - o1);
}

let uc1: f32 = 0, uc2: f32 = 0;

function stratumPair(P: Params): void {
  if (P.st_mode == 2) {
    uc1 = stratumOut(P);
    uc2 = stratumOut(P);
    return;
  }
  const p = P.st_p, q: f32 = <f32>1.0 - p;
  const r = rsUniform() * (<f32>1.0 - q * q);
  if (r < p * p) {
    uc1 = stratumIn(P);
    uc2 = stratumIn(P);
  } else if (r < p) {
    uc1 = stratumIn(P);
    uc2 = stratumOut(P);
  } else {
    uc1 = stratumOut(P);
    uc2 = stratumIn(P);
  }
}

function isrX(P: Params, u: f32): f32 {
  const x = xexp(P.isr_exp * xlog(u));
  return x < <f32>5.9604644775390625e-8 ? 0.0 : x;
}

// Track results: smeared four-vector (oE..oZ), |p| (tPm), acceptance and muon ID.
let tPm: f32 = 0, tAcc = false, tId = false;

function track(P: Params, qe: f32, qx: f32, qy: f32, qz: f32): void {
  const pt2 = fm(qx, qx) + fm(qy, qy);
  const pa = xsqrt(pt2 + fm(qz, qz));
  const pt = xsqrt(pt2);
  tAcc = pt > P.trk_ptmin && qz > P.trk_cmin * pa && qz < P.trk_cmax * pa;
  const n1 = rsNormal(), n2 = rsNormal(), n3 = rsNormal();
  tId = rsUniform() < P.mu_eff;
  const ra = P.trk_ra * pt, rb = xdiv(P.trk_rb * qe, pa);
  const rel = xsqrt(ra * ra + rb * rb);
  const pm = pa * max<f32>(0.0, <f32>1.0 + rel * n1);
  const ipa = xrecip(pa);
  const dx = qx * ipa, dy = qy * ipa, dz = qz * ipa, st = pt * ipa;
  const ist: f32 = st > 0.0 ? xrecip(st) : 0.0;
  const a2 = P.trk_ang * n2, a3 = P.trk_ang * n3;
  const ex = ftz(dz * (dx * ist)), ey = ftz(dz * (dy * ist));
  const ux = (dx + fm(a2, ex)) - fm(a3, dy);
  const uy = (dy + fm(a2, ey)) + fm(a3, dx);
  const uz = dz - fm(a2, st);
  const sc = xdiv(pm, xsqrt((fm(ux, ux) + fm(uy, uy)) + fm(uz, uz)));
  const m = P.m_mu;
  tPm = pm;
  oE = xsqrt(m * m + pm * pm);
  oX = ftz(sc * ux);
  oY = ftz(sc * uy);
  oZ = ftz(sc * uz);
}

function photon(P: Params, e: f32, z: f32): f32 {
  const n = rsNormal();
  const inEcl = (z > P.ecl_c0 * e && z < P.ecl_c1 * e) || (z > P.ecl_c2 * e && z < P.ecl_c3 * e) || (z > P.ecl_c4 * e && z < P.ecl_c5 * e);
  if (!(e > P.g_emin && inEcl)) return -1.0;
  const a = xdiv(P.g_ra, e), b = xdiv(P.g_rb, xsqrt(xsqrt(e))), c = P.g_rc;
  const rel = xsqrt((a * a + b * b) + c * c);
  return e * max<f32>(0.0, <f32>1.0 + rel * n);
}

// @ts-ignore: decorator
@inline function put(o: usize, j: u32, v: f32): void { store<f32>(o + (<usize>j << 2), v); }

function genEvent(P: Params, ev: u32, o: usize): void {
  rsInit(P.key0, P.key1, ev, 0, 0);
  const rs = P.sqrt_s;
  // ISR
  let k1e: f32 = 0, k1x: f32 = 0, k1y: f32 = 0, k1z: f32 = 0, k2e: f32 = 0, k2x: f32 = 0, k2y: f32 = 0, k2z: f32 = 0;
  let se: f32 = rs, sx: f32 = 0, sy: f32 = 0, sz: f32 = 0;
  let m2: f32 = rs * rs;
  if (P.isr != 0) {
    const t = P.t_min, mMin2 = P.m_min * P.m_min;
    let ok = false;
    for (let it = 0; it < 64 && !ok; it++) {
      let u1: f32, u2: f32;
      if (t > 0.0) {
        const sel = rsUniform(), a = rsUniform(), b = rsUniform();
        if (sel * (<f32>1.0 + t) < <f32>1.0) {
          u1 = t + (<f32>1.0 - t) * a;
          u2 = b;
        } else {
          u1 = t * a;
          u2 = t + (<f32>1.0 - t) * b;
        }
      } else {
        u1 = rsUniform();
        u2 = rsUniform();
      }
      const x1 = isrX(P, u1), x2 = isrX(P, u2);
      uc1 = -1.0;
      uc2 = -1.0;
      if (P.st_mode != 0) stratumPair(P);
      isrPhoton(P, x1, uc1 >= 0.0 ? uc1 : rsUniform(), 1.0);
      k1e = oE; k1x = oX; k1y = oY; k1z = oZ;
      isrPhoton(P, x2, uc2 >= 0.0 ? uc2 : rsUniform(), -1.0);
      k2e = oE; k2x = oX; k2y = oY; k2z = oZ;
      se = (rs - k1e) - k2e; sx = -k1x - k2x; sy = -k1y - k2y; sz = -k1z - k2z;
      m2 = msq(se, sx, sy, sz);
      ok = m2 > mMin2;
    }
    if (!ok) {
      k1e = 0; k1x = 0; k1y = 0; k1z = 0; k2e = 0; k2x = 0; k2y = 0; k2z = 0;
      se = rs; sx = 0; sy = 0; sz = 0;
      m2 = rs * rs;
    }
  }
  // production: two-body (modes 0, 1) or three-body (mode 2)
  const mode = P.mode;
  const M = xsqrt(m2);
  if (mode == 2) threeBody(P, se, sx, sy, sz, M, m2);
  else {
    const ma = P.m_a, mb = P.m_b;
    let bt2: f32 = 0, kk: f32 = 1, fmax: f32 = 2;
    if (mode == 1) {
      const sp = ma + mb, sd = ma - mb;
      const lam = max<f32>(0.0, (m2 - sp * sp) * (m2 - sd * sd));
      bt2 = xdiv(lam, m2 * m2);
      kk = xdiv(<f32>8.0 * (ma * ma), m2);
      fmax = bt2 + kk;
    }
    let c: f32 = 0;
    for (let it = 0; it < 64; it++) {
      c = <f32>2.0 * rsUniform() - <f32>1.0;
      const f: f32 = mode == 1 ? bt2 * (<f32>1.0 - c * c) + kk : <f32>1.0 + c * c;
      if (rsUniform() * fmax <= f) break;
    }
    disc();
    twoBody(se, sx, sy, sz, M, m2, ma, mb, c);
    if (mode == 1) {
      const c2: f32 = <f32>2.0 * rsUniform() - <f32>1.0;
      disc();
      twoBody(aE, aX, aY, aZ, ma, ma * ma, P.m_mu, P.m_mu, c2);
    }
  }
  // lab frame, detector
  const g = P.g_cm, bg = P.bg_cm;
  boostZ(aE, aX, aY, aZ, g, bg);
  const lpe = oE, lpx = oX, lpy = oY, lpz = oZ;
  boostZ(bE, bX, bY, bZ, g, bg);
  const lme = oE, lmx = oX, lmy = oY, lmz = oZ;
  track(P, lpe, lpx, lpy, lpz);
  const accP = tAcc, idP = tId, pmP = tPm, ae = oE, ax = oX, ay = oY, az = oZ;
  track(P, lme, lmx, lmy, lmz);
  const accM = tAcc, idM = tId, pmM = tPm, be = oE, bx = oX, by = oY, bz = oZ;
  let nGam: f32 = 0, eExtra: f32 = 0;
  if (P.isr != 0) {
    boostZ(k1e, k1x, k1y, k1z, g, bg);
    const e1 = photon(P, oE, oZ);
    boostZ(k2e, k2x, k2y, k2z, g, bg);
    const e2 = photon(P, oE, oZ);
    nGam = <f32>((e1 >= 0.0 ? 1 : 0) + (e2 >= 0.0 ? 1 : 0));
    eExtra = max<f32>(e1, 0.0) + max<f32>(e2, 0.0);
  }
  // the dimuon columns
  for (let j: u32 = 0; j < <u32>(OUT_EV_STRIDE >> 2); j++) put(o, j, 0.0);
  const okP = accP && idP, okM = accM && idM;
  const eTot = P.e_tot, pzTot = P.pz_tot;
  const te = lpe + lme, tx = lpx + lmx, ty = lpy + lmy, tz = lpz + lmz;
  put(o, C_TMMUMU, ssqrt(msq(te, tx, ty, tz)));
  put(o, C_TMREC, ssqrt(msq(eTot - te, -tx, -ty, pzTot - tz)));
  put(o, C_NGAM, nGam);
  put(o, C_EEXTRA, eExtra);
  put(o, C_NEXTRA, <f32>((accP ? 1 : 0) + (accM ? 1 : 0) - (okP ? 1 : 0) - (okM ? 1 : 0)));
  if (!(okP && okM)) return;
  put(o, C_ACC, 1.0);
  put(o, C_MU1, ax);
  put(o, C_MU1 + 1, ay);
  put(o, C_MU1 + 2, az);
  put(o, C_MU2, bx);
  put(o, C_MU2 + 1, by);
  put(o, C_MU2 + 2, bz);
  put(o, C_PMU1, pmP);
  put(o, C_PMU2, pmM);
  put(o, C_CMU1, pmP > 0.0 ? xdiv(az, pmP) : 0.0);
  put(o, C_CMU2, pmM > 0.0 ? xdiv(bz, pmM) : 0.0);
  const pe = ae + be, px = ax + bx, py = ay + by, pz = az + bz;
  put(o, C_MMUMU, ssqrt(msq(pe, px, py, pz)));
  const r2 = msq(eTot - pe, -px, -py, pzTot - pz);
  put(o, C_MREC, ssqrt(r2));
  put(o, C_M2REC, r2);
  put(o, C_PT, xsqrt(fm(px, px) + fm(py, py)));
  boostZ(pe, px, py, pz, g, -bg);
  const ce = oE, cx = oX, cy = oY, cz = oZ;
  const pcm = xsqrt(p3sq(cx, cy, cz));
  put(o, C_PCM, pcm);
  put(o, C_CREC, pcm > 0.0 ? -xdiv(cz, pcm) : 0.0);
  const mp = xsqrt(max<f32>(msq(ce, cx, cy, cz), P.m_mu * P.m_mu));
  boostZ(ae, ax, ay, az, g, -bg);
  boostFrom(ce, -cx, -cy, -cz, mp, oE, oX, oY, oZ);
  let vx: f32 = 0, vy: f32 = 0, vz: f32 = 1;
  if (pcm > 0.0) { vx = cx; vy = cy; vz = cz; }
  const num = (fm(oX, vx) + fm(oY, vy)) + fm(oZ, vz);
  const den2 = p3sq(oX, oY, oZ) * p3sq(vx, vy, vz);
  put(o, C_CHEL, den2 > 0.0 ? xdiv(num, xsqrt(den2)) : 0.0);
}

export function gen_dimuon(params: usize, bufs: usize): void {
  const P = changetype<Params>(params);
  const out = changetype<Bufs>(bufs).out_ev;
  const n = P.item_count, base = P.first + P.item_offset;
  for (let l: u32 = 0; l < n; l++) genEvent(P, base + l, out + <usize>l * OUT_EV_STRIDE);
}
