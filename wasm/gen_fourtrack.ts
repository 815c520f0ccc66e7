// gen_fourtrack: one fourtrack event per item. Twin of kernels/gen_fourtrack/{ref.ts,gen_fourtrack.wgsl}
// (the physics, sources, bounds and draw order are documented in ref.ts); the same f32 operations in
// the same order. Kinematics and detector response: wasm/lib/genkin.ts, tau -> l nu nu's Michel
// spectrum: wasm/lib/taudecay.ts (results in their globals). The event's four tracks live in one of
// SLOTS static scratch slots (wasm/lib/slots.ts: workers share the memory).
import { ftz, xdiv, xexp, xsqrt } from './lib/exactmath';
import { rsInit, rsUniform } from './lib/sampling';
import { claimSlot, releaseSlot } from './lib/slots';
import {
  PhotonDet, TrackDet, aE, aX, aY, aZ, bE, bX, bY, bZ, boostFrom, boostZ, disc, dC, dS, fm, isrRadiate, isrSetup, k1e, k1x, k1y, k1z, k2e, k2x, k2y, k2z, msq, oE, oX, oY, oZ, se, sx, sy, sz,
  p3sq, photon, ssqrt, tAcc, tId, tPm, threeBody, track, twoBody,
} from './lib/genkin';
import { tauLeptonic } from './lib/taudecay';
import {
  Bufs, OUT_EV_STRIDE, Params, F_NTRK, F_QSUM, F_NMU, F_NGAM, F_EEXTRA, F_M4, F_HASMM, F_MMM, F_MREC, F_PMU1, F_PMU2, F_PTRK1, F_PTRK2,
  F_MTRK, F_CRT, F_PT4, F_CMM, F_IS3X1, F_LEPK, F_PLEP, F_EPS, F_CLEP, F_M3, F_E3, F_TRUTH, F_ACC, KIND_E, KIND_MU, KIND_PI,
} from './gen/gen_fourtrack';

// Word offsets in a slot: the tracks' CM four-vectors (4 x 4), kinds (u32), charges; then the
// detector's lab four-vectors (4 x 4), their CM four-vectors (4 x 4), CM momenta, identification (u32).
const TP: u32 = 0, TK: u32 = 16, TQ: u32 = 20, TL: u32 = 24, TC: u32 = 40, TPC: u32 = 56, TID: u32 = 60;
const SLOT_WORDS: u32 = 64;
const SLOTS: u32 = 16;
const scratch: usize = memory.data(<i32>(SLOTS * SLOT_WORDS * 4), 16);
const locks: usize = memory.data(<i32>(SLOTS * 4), 4);
let S: usize = 0;

// @ts-ignore: decorator
@inline function lf(off: u32): f32 { return load<f32>(S + (<usize>off << 2)); }
// @ts-ignore: decorator
@inline function sf(off: u32, v: f32): void { store<f32>(S + (<usize>off << 2), v); }
// @ts-ignore: decorator
@inline function lu(off: u32): u32 { return load<u32>(S + (<usize>off << 2)); }
// @ts-ignore: decorator
@inline function su(off: u32, v: u32): void { store<u32>(S + (<usize>off << 2), v); }
/** Four-vector at word `off` into (oE..oZ); (e, x, y, z) into word `off`. */
// @ts-ignore: decorator
@inline function ld4(off: u32): void { oE = lf(off); oX = lf(off + 1); oY = lf(off + 2); oZ = lf(off + 3); }
// @ts-ignore: decorator
@inline function st4(off: u32, e: f32, x: f32, y: f32, z: f32): void { sf(off, e); sf(off + 1, x); sf(off + 2, y); sf(off + 3, z); }

let P: Params = changetype<Params>(0);
let evN: u32 = 0, evNGam: f32 = 0, evEExtra: f32 = 0;
/** This file's four-vector results (tauRhoNu's pion, isrSystem's system). */
let vE: f32 = 0, vX: f32 = 0, vY: f32 = 0, vZ: f32 = 0;

function addTrack(e: f32, x: f32, y: f32, z: f32, kind: u32, q: f32): void {
  st4(TP + 4 * evN, e, x, y, z);
  su(TK + evN, kind);
  sf(TQ + evN, q);
  evN++;
}

function addPhoton(e: f32, x: f32, y: f32, z: f32): void {
  boostZ(e, x, y, z, P.g_cm, P.bg_cm);
  const en = photon(changetype<PhotonDet>(changetype<usize>(P) + offsetof<Params>('g_emin')), oE, oZ);
  if (en >= 0.0) {
    evNGam += 1.0;
    evEExtra = evEExtra + en;
  }
}

// @ts-ignore: decorator
@inline function ucos(): f32 { return <f32>2.0 * rsUniform() - <f32>1.0; }

/** Isotropic two-body decay into (aE..aZ), (bE..bZ). */
function decay2(pe: f32, px: f32, py: f32, pz: f32, M: f32, ma: f32, mb: f32): void {
  const c = ucos();
  disc();
  twoBody(pe, px, py, pz, M, M * M, ma, mb, c);
}

/** tau -> rho nu, rho -> pi pi0, pi0 -> gamma gamma: the pion into (vE..vZ). */
function tauRhoNu(te: f32, tx: f32, ty: f32, tz: f32): void {
  const mr = P.m_rho, m0 = P.m_pi0;
  decay2(te, tx, ty, tz, P.m_tau, mr, 0.0);
  decay2(aE, aX, aY, aZ, mr, P.m_pi, m0);
  const pe = aE, px = aX, py = aY, pz = aZ;
  decay2(bE, bX, bY, bZ, m0, 0.0, 0.0);
  const g2e = bE, g2x = bX, g2y = bY, g2z = bZ;
  addPhoton(aE, aX, aY, aZ);
  addPhoton(g2e, g2x, g2y, g2z);
  vE = pe; vX = px; vY = py; vZ = pz;
}


function oneProng(te: f32, tx: f32, ty: f32, tz: f32, q: f32): void {
  const u = rsUniform();
  if (u < P.br_e) {
    tauLeptonic(te, tx, ty, tz, P.m_tau, q, P.m_e, P.emax_e, P.xmin_e);
    addTrack(oE, oX, oY, oZ, KIND_E, q);
  } else if (u < P.br_mu) {
    tauLeptonic(te, tx, ty, tz, P.m_tau, q, P.m_mu, P.emax_mu, P.xmin_mu);
    addTrack(oE, oX, oY, oZ, KIND_MU, q);
  } else if (u < P.br_pi) {
    decay2(te, tx, ty, tz, P.m_tau, P.m_pi, 0.0);
    addTrack(aE, aX, aY, aZ, KIND_PI, q);
  } else {
    tauRhoNu(te, tx, ty, tz);
    addTrack(vE, vX, vY, vZ, KIND_PI, q);
  }
}

function a1Mass(): f32 {
  const m0 = P.m_a1;
  for (let it = 0; it < 64; it++) {
    const u = ucos(), v = ucos();
    if (u * u + v * v < <f32>1.0) {
      const m = m0 + xdiv(P.a1_hw * v, abs<f32>(u));
      if (m > P.a1_lo && m < P.a1_hi) return m;
    }
  }
  return m0;
}

function threeProng(te: f32, tx: f32, ty: f32, tz: f32, q: f32): void {
  const m = a1Mass(), mp = P.m_pi;
  decay2(te, tx, ty, tz, P.m_tau, m, 0.0);
  const ae = aE, ax = aX, ay = aY, az = aZ;
  threeBody(ae, ax, ay, az, m, m * m, mp, mp, mp);
  addTrack(aE, aX, aY, aZ, KIND_PI, q);
  addTrack(bE, bX, bY, bZ, KIND_PI, q);
  addTrack((ae - aE) - bE, (ax - aX) - bX, (ay - aY) - bY, (az - aZ) - bZ, KIND_PI, -q);
}

/** ISR (genkin isrRadiate, set up per call): the system into (vE..vZ); its photons meet the ECL. */
function isrSystem(): void {
  isrRadiate();
  const k2e_ = k2e, k2x_ = k2x, k2y_ = k2y, k2z_ = k2z;
  vE = se; vX = sx; vY = sy; vZ = sz;
  addPhoton(k1e, k1x, k1y, k1z);
  addPhoton(k2e_, k2x_, k2y_, k2z_);
}

/** tau-, tau+ into (aE..aZ), (bE..bZ). */
function tauPair(se: f32, sx: f32, sy: f32, sz: f32, M: f32, m2: f32): void {
  const mt = P.m_tau, omb = xdiv(<f32>4.0 * (mt * mt), m2);
  let c: f32 = 0;
  for (let it = 0; it < 64; it++) {
    c = ucos();
    const cc = c * c;
    if (rsUniform() * <f32>2.0 <= (<f32>1.0 + cc) + omb * (<f32>1.0 - cc)) break;
  }
  disc();
  twoBody(se, sx, sy, sz, M, m2, mt, mt, c);
}

function gammaStarMass(): f32 {
  const r = P.sp_r, t0 = P.sp_t0, t1 = P.sp_t1, mt2 = P.m_tau * P.m_tau;
  let m: f32 = 0;
  for (let it = 0; it < 64; it++) {
    const t = xsqrt(t0 + rsUniform() * (t1 - t0));
    m = r * xexp(-t);
    const rr = xdiv(<f32>4.0 * mt2, m * m);
    const f = xsqrt(max<f32>(0.0, <f32>1.0 - rr)) * (<f32>1.0 + <f32>0.5 * rr);
    if (rsUniform() <= f) break;
  }
  return m;
}

function relabel(q: f32, j: u32): void {
  let m: u32 = 0;
  for (let i: u32 = 0; i < 4; i++) {
    if (lu(TK + i) == KIND_PI && lf(TQ + i) == q) {
      if (m == j) su(TK + i, KIND_MU);
      m++;
    }
  }
}

function forceFakes(): void {
  let nMu: u32 = 0, muQ: f32 = 0, nPos: u32 = 0, nNeg: u32 = 0;
  for (let i: u32 = 0; i < 4; i++) {
    const k = lu(TK + i);
    if (k == KIND_MU) {
      nMu++;
      muQ = lf(TQ + i);
    } else if (k == KIND_PI) {
      if (lf(TQ + i) > 0.0) nPos++;
      else nNeg++;
    }
  }
  if (nMu == 1) {
    const nOpp = muQ > 0.0 ? nNeg : nPos;
    if (nOpp == 0) return;
    const j = min<u32>(nOpp - 1, <u32>floor<f32>(rsUniform() * <f32>nOpp));
    relabel(-muQ, j);
  } else if (nMu == 0 && nPos > 0 && nNeg > 0) {
    const nn = nPos * nNeg;
    const k = min<u32>(nn - 1, <u32>floor<f32>(rsUniform() * <f32>nn));
    relabel(1.0, k / nNeg);
    relabel(-1.0, k % nNeg);
  }
}

// @ts-ignore: decorator
@inline function cosNum(a: u32, b: u32): f32 { return (fm(lf(a + 1), lf(b + 1)) + fm(lf(a + 2), lf(b + 2))) + fm(lf(a + 3), lf(b + 3)); }
function cosBetween(ax: f32, ay: f32, az: f32, bx: f32, by: f32, bz: f32): f32 {
  const d2 = fm(p3sq(ax, ay, az), p3sq(bx, by, bz));
  return d2 > 0.0 ? xdiv((fm(ax, bx) + fm(ay, by)) + fm(az, bz), xsqrt(d2)) : 0.0;
}

// @ts-ignore: decorator
@inline function put(o: usize, j: u32, v: f32): void { store<f32>(o + (<usize>j << 2), v); }

function genEvent(ev: u32, o: usize): void {
  rsInit(P.key0, P.key1, ev, 0, 0);
  const mode = P.mode, rs = P.sqrt_s;
  evN = 0;
  evNGam = 0.0;
  evEExtra = 0.0;
  let truth: f32 = 0;
  // ---- production and decays (CM frame)
  if (mode == 4) {
    const n0 = floor<f32>(rsUniform() * <f32>3.0);
    const mRest = n0 * (P.m_pi0 + P.qq_x);
    const m2pi = <f32>2.0 * P.m_pi;
    const mA = m2pi + rsUniform() * P.qq_w, mB = m2pi + rsUniform() * P.qq_w;
    let re = rs, rx: f32 = 0, ry: f32 = 0, rz: f32 = 0;
    if (n0 == 0.0) decay2(rs, 0.0, 0.0, 0.0, rs, mA, mB);
    else {
      threeBody(rs, 0.0, 0.0, 0.0, rs, rs * rs, mA, mB, mRest);
      re = (rs - aE) - bE; rx = (<f32>0.0 - aX) - bX; ry = (<f32>0.0 - aY) - bY; rz = (<f32>0.0 - aZ) - bZ;
    }
    const b0 = bE, b1 = bX, b2 = bY, b3 = bZ;
    decay2(aE, aX, aY, aZ, mA, P.m_pi, P.m_pi);
    addTrack(aE, aX, aY, aZ, KIND_PI, 1.0);
    addTrack(bE, bX, bY, bZ, KIND_PI, -1.0);
    decay2(b0, b1, b2, b3, mB, P.m_pi, P.m_pi);
    addTrack(aE, aX, aY, aZ, KIND_PI, 1.0);
    addTrack(bE, bX, bY, bZ, KIND_PI, -1.0);
    if (n0 == 1.0) {
      decay2(re, rx, ry, rz, mRest, 0.0, 0.0);
      const g2e = bE, g2x = bX, g2y = bY, g2z = bZ;
      addPhoton(aE, aX, aY, aZ);
      addPhoton(g2e, g2x, g2y, g2z);
    } else if (n0 == 2.0) {
      const m0 = P.m_pi0;
      decay2(re, rx, ry, rz, mRest, m0, m0);
      const z2e = bE, z2x = bX, z2y = bY, z2z = bZ;
      decay2(aE, aX, aY, aZ, m0, 0.0, 0.0);
      let g2e = bE, g2x = bX, g2y = bY, g2z = bZ;
      addPhoton(aE, aX, aY, aZ);
      addPhoton(g2e, g2x, g2y, g2z);
      decay2(z2e, z2x, z2y, z2z, m0, 0.0, 0.0);
      g2e = bE; g2x = bX; g2y = bY; g2z = bZ;
      addPhoton(aE, aX, aY, aZ);
      addPhoton(g2e, g2x, g2y, g2z);
    }
  } else if (mode == 2 || mode == 3) {
    const mt = P.m_tau, mm = P.m_mu;
    let pe = rs, px: f32 = 0, py: f32 = 0, pz: f32 = 0;
    if (mode == 2 && P.isr != 0) {
      isrSystem();
      pe = vE; px = vX; py = vY; pz = vZ;
    }
    const m2 = msq(pe, px, py, pz), M = xsqrt(m2);
    const mx = mode == 2 ? P.m_x : gammaStarMass();
    truth = mx;
    threeBody(pe, px, py, pz, M, m2, mm, mm, mx);
    addTrack(aE, aX, aY, aZ, KIND_MU, 1.0);
    addTrack(bE, bX, bY, bZ, KIND_MU, -1.0);
    decay2((pe - aE) - bE, (px - aX) - bX, (py - aY) - bY, (pz - aZ) - bZ, mx, mt, mt);
    const tpe = bE, tpx = bX, tpy = bY, tpz = bZ;
    oneProng(aE, aX, aY, aZ, -1.0);
    oneProng(tpe, tpx, tpy, tpz, 1.0);
  } else {
    let pe = rs, px: f32 = 0, py: f32 = 0, pz: f32 = 0;
    if (P.isr != 0) {
      isrSystem();
      pe = vE; px = vX; py = vY; pz = vZ;
    }
    const m2 = msq(pe, px, py, pz);
    tauPair(pe, px, py, pz, xsqrt(m2), m2);
    const flip = rsUniform() < <f32>0.5;
    const q1: f32 = flip ? 1.0 : -1.0;
    // the 1-prong tau t1 (flip: tau+), the three-prong tau t3
    const t1e = flip ? bE : aE, t1x = flip ? bX : aX, t1y = flip ? bY : aY, t1z = flip ? bZ : aZ;
    const t3e = flip ? aE : bE, t3x = flip ? aX : bX, t3y = flip ? aY : bY, t3z = flip ? aZ : bZ;
    if (mode == 1) {
      decay2(t1e, t1x, t1y, t1z, P.m_tau, P.m_l, P.m_x);
      addTrack(aE, aX, aY, aZ, P.lep_kind, q1);
      truth = P.m_x;
    } else oneProng(t1e, t1x, t1y, t1z, q1);
    threeProng(t3e, t3x, t3y, t3z, -q1);
  }
  if (P.force_fake != 0) forceFakes();
  // ---- detector (lab frame): the tracks in order
  const g = P.g_cm, bg = P.bg_cm, mmu = P.m_mu;
  let nTrk: f32 = 0, qSum: f32 = 0, nMu: f32 = 0;
  for (let i: u32 = 0; i < 4; i++) {
    const kind = lu(TK + i);
    const off = kind == KIND_MU ? offsetof<Params>('trk_cmin') : kind == KIND_PI ? offsetof<Params>('trk_cmin_pi') : offsetof<Params>('trk_cmin_e');
    const m = kind == KIND_E ? P.m_e : kind == KIND_MU ? mmu : P.m_pi;
    ld4(TP + 4 * i);
    boostZ(oE, oX, oY, oZ, g, bg);
    track(changetype<TrackDet>(changetype<usize>(P) + off), m, oE, oX, oY, oZ);
    const le = tId && kind != KIND_MU ? xsqrt(mmu * mmu + tPm * tPm) : oE;
    const lx = oX, ly = oY, lz = oZ;
    st4(TL + 4 * i, le, lx, ly, lz);
    boostZ(le, lx, ly, lz, g, -bg);
    st4(TC + 4 * i, oE, oX, oY, oZ);
    sf(TPC + i, xsqrt(p3sq(oX, oY, oZ)));
    su(TID + i, tId ? 1 : 0);
    if (tAcc) {
      nTrk += 1.0;
      qSum = qSum + lf(TQ + i);
      if (tId) nMu += 1.0;
    }
  }
  // ---- the fourtrack columns (tau.ts reconstructFourTrack)
  for (let j: u32 = 0; j < <u32>(OUT_EV_STRIDE >> 2); j++) put(o, j, 0.0);
  put(o, F_NTRK, nTrk);
  put(o, F_QSUM, qSum);
  put(o, F_NMU, nMu);
  put(o, F_NGAM, evNGam);
  put(o, F_EEXTRA, evEExtra);
  put(o, F_TRUTH, truth);
  if (nTrk != 4.0) return;
  put(o, F_ACC, 1.0);
  const ae = ((lf(TL) + lf(TL + 4)) + lf(TL + 8)) + lf(TL + 12);
  const ax = ((lf(TL + 1) + lf(TL + 5)) + lf(TL + 9)) + lf(TL + 13);
  const ay = ((lf(TL + 2) + lf(TL + 6)) + lf(TL + 10)) + lf(TL + 14);
  const az = ((lf(TL + 3) + lf(TL + 7)) + lf(TL + 11)) + lf(TL + 15);
  put(o, F_M4, ssqrt(msq(ae, ax, ay, az)));
  put(o, F_PT4, xsqrt(fm(ax, ax) + fm(ay, ay)));
  let bi: i32 = -1, bj: i32 = -1, bestP: f32 = -1.0;
  for (let i: u32 = 0; i < 4; i++) {
    for (let j: u32 = 0; j < 4; j++) {
      if (lf(TQ + i) > 0.0 && lf(TQ + j) < 0.0 && lu(TID + i) != 0 && lu(TID + j) != 0 && lf(TPC + i) + lf(TPC + j) > bestP) {
        bi = <i32>i;
        bj = <i32>j;
        bestP = lf(TPC + i) + lf(TPC + j);
      }
    }
  }
  put(o, F_MREC, -1.0);
  if (bi >= 0) {
    put(o, F_HASMM, 1.0);
    let k1: i32 = -1, k2: i32 = -1;
    for (let k: i32 = 0; k < 4; k++) {
      if (k == bi || k == bj) continue;
      if (k1 < 0) k1 = k;
      else k2 = k;
    }
    const i = <u32>bi, j = <u32>bj, a = <u32>k1, b = <u32>k2;
    const pe = lf(TL + 4 * i) + lf(TL + 4 * j), px = lf(TL + 4 * i + 1) + lf(TL + 4 * j + 1);
    const py = lf(TL + 4 * i + 2) + lf(TL + 4 * j + 2), pz = lf(TL + 4 * i + 3) + lf(TL + 4 * j + 3);
    const re = lf(TL + 4 * a) + lf(TL + 4 * b), rx = lf(TL + 4 * a + 1) + lf(TL + 4 * b + 1);
    const ry = lf(TL + 4 * a + 2) + lf(TL + 4 * b + 2), rz = lf(TL + 4 * a + 3) + lf(TL + 4 * b + 3);
    put(o, F_MMM, ssqrt(msq(pe, px, py, pz)));
    const ce = P.e_tot - pe, cx = -px, cy = -py, cz = P.pz_tot - pz;
    const r2 = msq(ce, cx, cy, cz);
    put(o, F_MREC, r2 > 0.0 ? xsqrt(r2) : <f32>-1.0);
    put(o, F_PMU1, max<f32>(lf(TPC + i), lf(TPC + j)));
    put(o, F_PMU2, min<f32>(lf(TPC + i), lf(TPC + j)));
    put(o, F_PTRK1, max<f32>(lf(TPC + a), lf(TPC + b)));
    put(o, F_PTRK2, min<f32>(lf(TPC + a), lf(TPC + b)));
    put(o, F_MTRK, ssqrt(msq(re, rx, ry, rz)));
    boostZ(ce, cx, cy, cz, g, -bg);
    const cX = oX, cY = oY, cZ = oZ;
    boostZ(re, rx, ry, rz, g, -bg);
    put(o, F_CRT, cosBetween(cX, cY, cZ, oX, oY, oZ));
    put(o, F_CMM, cosBetween(lf(TC + 4 * i + 1), lf(TC + 4 * i + 2), lf(TC + 4 * i + 3), lf(TC + 4 * j + 1), lf(TC + 4 * j + 2), lf(TC + 4 * j + 3)));
  }
  let lone: u32 = 0, nLone: u32 = 0;
  for (let i: u32 = 0; i < 4; i++) {
    let opp = true;
    for (let k: u32 = 0; k < 4; k++) if (k != i && !(cosNum(TC + 4 * i, TC + 4 * k) < 0.0)) opp = false;
    if (opp) {
      lone = i;
      nLone++;
    }
  }
  if (nLone != 1) return;
  put(o, F_IS3X1, 1.0);
  let te: f32 = 0, tx: f32 = 0, ty: f32 = 0, tz: f32 = 0;
  for (let k: u32 = 0; k < 4; k++) {
    if (k == lone) continue;
    te = te + lf(TC + 4 * k); tx = tx + lf(TC + 4 * k + 1); ty = ty + lf(TC + 4 * k + 2); tz = tz + lf(TC + 4 * k + 3);
  }
  const isE = lu(TK + lone) == KIND_E;
  put(o, F_LEPK, isE ? <f32>1.0 : lu(TID + lone) != 0 ? <f32>2.0 : <f32>3.0);
  const ml = isE ? P.m_e : mmu, pl = lf(TPC + lone);
  const lx = lf(TC + 4 * lone + 1), ly = lf(TC + 4 * lone + 2), lz = lf(TC + 4 * lone + 3);
  put(o, F_PLEP, pl);
  put(o, F_CLEP, pl > 0.0 ? xdiv(lz, pl) : <f32>0.0);
  put(o, F_M3, ssqrt(msq(te, tx, ty, tz)));
  put(o, F_E3, te);
  const q3 = xsqrt(p3sq(tx, ty, tz));
  const nl: f32 = q3 > 0.0 ? xdiv((fm(tx, lx) + fm(ty, ly)) + fm(tz, lz), q3) : <f32>0.0;
  put(o, F_EPS, P.g_tau * xsqrt(ml * ml + pl * pl) + P.bg_tau * nl);
}

export function gen_fourtrack(params: usize, bufs: usize): void {
  P = changetype<Params>(params);
  const out = changetype<Bufs>(bufs).out_ev;
  isrSetup(P.sqrt_s, 0.0, P.m_min * P.m_min, P.e_beam, P.isr_exp, P.isr_a, P.isr_lr, 0, 0.0, 0.0, 0.0, 0.0, 0.0);
  const s = claimSlot(locks, SLOTS);
  S = scratch + <usize>s * SLOT_WORDS * 4;
  const n = P.item_count, base = P.first + P.item_offset;
  for (let l: u32 = 0; l < n; l++) genEvent(base + l, out + <usize>l * OUT_EV_STRIDE);
  releaseSlot(locks, s);
}
