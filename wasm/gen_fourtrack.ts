// gen_fourtrack: one fourtrack event per item. Twin of kernels/gen_fourtrack/{ref.ts,gen_fourtrack.wgsl}
// (the physics, sources, bounds and draw order are documented in ref.ts); the same f32 operations in
// the same order. Kinematics and detector response: wasm/lib/genkin.ts, tau -> l nu nu's Michel
// spectrum: wasm/lib/taudecay.ts (results in their globals). The event's four tracks, their detector
// response and the fourtrack columns: wasm/lib/fourtrack.ts (its scratch slot claimed per call).
import { xdiv, xexp, xsqrt } from './lib/exactmath';
import { rsInit, rsUniform } from './lib/sampling';
import {
  PhotonDet, TrackDet, aE, aX, aY, aZ, bE, bX, bY, bZ, boostZ, disc, isrRadiate, isrSetup, k1e, k1x, k1y, k1z, k2e, k2x, k2y, k2z, msq, oE, oX, oY, oZ, se, sx, sy, sz,
  photon, threeBody, twoBody,
} from './lib/genkin';
import { tauLeptonic } from './lib/taudecay';
import { ftAddTrack, ftBegin, ftCharge, ftClaim, ftKind, ftRelease, ftSetKind, fourtrackColumns } from './lib/fourtrack';
import { Bufs, OUT_EV_STRIDE, Params, F_ACC, KIND_E, KIND_MU, KIND_PI } from './gen/gen_fourtrack';

// @ts-ignore: decorator
@inline function put(o: usize, j: u32, v: f32): void { store<f32>(o + (<usize>j << 2), v); }

let P: Params = changetype<Params>(0);
let evNGam: f32 = 0, evEExtra: f32 = 0;
/** This file's four-vector results (tauRhoNu's pion, isrSystem's system). */
let vE: f32 = 0, vX: f32 = 0, vY: f32 = 0, vZ: f32 = 0;

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
    ftAddTrack(oE, oX, oY, oZ, KIND_E, q);
  } else if (u < P.br_mu) {
    tauLeptonic(te, tx, ty, tz, P.m_tau, q, P.m_mu, P.emax_mu, P.xmin_mu);
    ftAddTrack(oE, oX, oY, oZ, KIND_MU, q);
  } else if (u < P.br_pi) {
    decay2(te, tx, ty, tz, P.m_tau, P.m_pi, 0.0);
    ftAddTrack(aE, aX, aY, aZ, KIND_PI, q);
  } else {
    tauRhoNu(te, tx, ty, tz);
    ftAddTrack(vE, vX, vY, vZ, KIND_PI, q);
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
  ftAddTrack(aE, aX, aY, aZ, KIND_PI, q);
  ftAddTrack(bE, bX, bY, bZ, KIND_PI, q);
  ftAddTrack((ae - aE) - bE, (ax - aX) - bX, (ay - aY) - bY, (az - aZ) - bZ, KIND_PI, -q);
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
    if (ftKind(i) == KIND_PI && ftCharge(i) == q) {
      if (m == j) ftSetKind(i, KIND_MU);
      m++;
    }
  }
}

function forceFakes(): void {
  let nMu: u32 = 0, muQ: f32 = 0, nPos: u32 = 0, nNeg: u32 = 0;
  for (let i: u32 = 0; i < 4; i++) {
    const k = ftKind(i);
    if (k == KIND_MU) {
      nMu++;
      muQ = ftCharge(i);
    } else if (k == KIND_PI) {
      if (ftCharge(i) > 0.0) nPos++;
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

function genEvent(ev: u32, o: usize): void {
  rsInit(P.key0, P.key1, ev, 0, 0);
  const mode = P.mode, rs = P.sqrt_s;
  ftBegin();
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
    ftAddTrack(aE, aX, aY, aZ, KIND_PI, 1.0);
    ftAddTrack(bE, bX, bY, bZ, KIND_PI, -1.0);
    decay2(b0, b1, b2, b3, mB, P.m_pi, P.m_pi);
    ftAddTrack(aE, aX, aY, aZ, KIND_PI, 1.0);
    ftAddTrack(bE, bX, bY, bZ, KIND_PI, -1.0);
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
    ftAddTrack(aE, aX, aY, aZ, KIND_MU, 1.0);
    ftAddTrack(bE, bX, bY, bZ, KIND_MU, -1.0);
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
      ftAddTrack(aE, aX, aY, aZ, P.lep_kind, q1);
      truth = P.m_x;
    } else oneProng(t1e, t1x, t1y, t1z, q1);
    threeProng(t3e, t3x, t3y, t3z, -q1);
  }
  if (P.force_fake != 0) forceFakes();
  // ---- detector (lab frame) and the fourtrack columns (lib/fourtrack), the pads
  const tb = changetype<usize>(P);
  fourtrackColumns(
    o, changetype<TrackDet>(tb + offsetof<Params>('trk_cmin')), changetype<TrackDet>(tb + offsetof<Params>('trk_cmin_pi')), changetype<TrackDet>(tb + offsetof<Params>('trk_cmin_e')),
    P.m_e, P.m_mu, P.m_pi, P.e_tot, P.pz_tot, P.g_cm, P.bg_cm, P.g_tau, P.bg_tau, evNGam, evEExtra, truth,
  );
  for (let j: u32 = F_ACC + 1; j < <u32>(OUT_EV_STRIDE >> 2); j++) put(o, j, 0.0);
}

export function gen_fourtrack(params: usize, bufs: usize): void {
  P = changetype<Params>(params);
  const out = changetype<Bufs>(bufs).out_ev;
  isrSetup(P.sqrt_s, 0.0, P.m_min * P.m_min, P.e_beam, P.isr_exp, P.isr_a, P.isr_lr, 0, 0.0, 0.0, 0.0, 0.0, 0.0);
  ftClaim();
  const n = P.item_count, base = P.first + P.item_offset;
  for (let l: u32 = 0; l < n; l++) genEvent(base + l, out + <usize>l * OUT_EV_STRIDE);
  ftRelease();
}
