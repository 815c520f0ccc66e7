// gen_fourmuon: one four-muon event per item. Twin of kernels/gen_fourmuon/{ref.ts,gen_fourmuon.wgsl}
// (the physics, sources and draw order are documented in ref.ts); the same f32 operations in the
// same order. The kinematics and detector response from lib/genkin (results in its globals).
import { xsqrt } from './lib/exactmath';
import { rsInit, rsUniform } from './lib/sampling';
import {
  PhotonDet, TrackDet, aE, aX, aY, aZ, bE, bX, bY, bZ, cE, cX, cY, cZ, boostZ, disc, fm, isrM2, isrRadiate, isrSetup, k1e, k1x, k1y, k1z, k2e, k2x, k2y, k2z,
  isrPhotonsSeen, msq, oE, oX, oY, oZ, se, seenE, seenN, ssqrt, sx, sy, sz, tAcc, tId, tPm, threeBody, track, twoBody,
} from './lib/genkin';
import { tauLeptonic } from './lib/taudecay';
import { Bufs, OUT_EV_STRIDE, Params, C_MU, C_M4, C_MPAIR, C_MREC, C_EEXTRA, C_NGAM, C_NEXTRA, C_TRUTH, C_ACC } from './gen/gen_fourmuon';

// @ts-ignore: decorator
@inline function put(o: usize, j: u32, v: f32): void { store<f32>(o + (<usize>j << 2), v); }
// @ts-ignore: decorator
@inline function tab(spec: usize, i: u32): f32 { return load<f32>(spec + (<usize>i << 2)); }

/** The gamma* mass of the uniform u from the table ([c | m | s], n + 1 words each): bounded binary search (ref.ts tabMass). */
function tabMass(spec: usize, n: u32, u: f32): f32 {
  let a: u32 = 0, b: u32 = n;
  for (let it = 0; it < 32 && b - a > 1; it++) {
    const mid = (a + b) >> 1;
    if (tab(spec, mid) < u) a = mid;
    else b = mid;
  }
  return tab(spec, n + 1 + a) + fm(u - tab(spec, a), tab(spec, 2 * (n + 1) + a));
}

/** Pair j of the columns (13, 14, 23, 24): its mass and recoil mass. */
function pair(P: Params, o: usize, j: u32, e1: f32, x1: f32, y1: f32, z1: f32, e2: f32, x2: f32, y2: f32, z2: f32): void {
  const pe = e1 + e2, px = x1 + x2, py = y1 + y2, pz = z1 + z2;
  put(o, C_MPAIR + j, ssqrt(msq(pe, px, py, pz)));
  put(o, C_MREC + j, ssqrt(msq(P.e_tot - pe, -px, -py, P.pz_tot - pz)));
}

// @ts-ignore: decorator
@inline function put3(o: usize, j: u32, x: f32, y: f32, z: f32): void { put(o, C_MU + 3 * j, x); put(o, C_MU + 3 * j + 1, y); put(o, C_MU + 3 * j + 2, z); }

/** A muon (CM frame) boosted to the lab and through the tracker: genkin track's results. */
function trackLab(td: TrackDet, m: f32, e: f32, x: f32, y: f32, z: f32, g: f32, bg: f32): void {
  boostZ(e, x, y, z, g, bg);
  track(td, m, oE, oX, oY, oZ);
}

function genEvent(P: Params, spec: usize, ev: u32, o: usize): void {
  rsInit(P.key0, P.key1, ev, 0, 0);
  const mm = P.m_mu, rs = P.sqrt_s;
  const mx: f32 = P.mode == 1 ? tabMass(spec, P.n_tab, rsUniform()) : P.m_x;
  // ISR: retried until the system can make mu mu X (no generator cut, no angular stratum)
  let q1e: f32 = 0, q1x: f32 = 0, q1y: f32 = 0, q1z: f32 = 0, q2e: f32 = 0, q2x: f32 = 0, q2y: f32 = 0, q2z: f32 = 0;
  let ye: f32 = rs, yx: f32 = 0, yy: f32 = 0, yz: f32 = 0;
  let m2: f32 = rs * rs;
  if (P.isr != 0) {
    const mMin = mx + <f32>2.0 * mm;
    isrSetup(rs, 0.0, mMin * mMin, P.e_beam, P.isr_exp, P.isr_a, P.isr_lr, 0, 0.0, 0.0, 0.0, 0.0, 0.0);
    isrRadiate();
    q1e = k1e; q1x = k1x; q1y = k1y; q1z = k1z; q2e = k2e; q2x = k2x; q2y = k2y; q2z = k2z;
    ye = se; yx = sx; yy = sy; yz = sz;
    m2 = isrM2;
  }
  // mu+ mu- X (flat phase space), X -> mu+ mu- (tau+ tau-, each -> mu nu nu) isotropic
  const M = xsqrt(m2);
  threeBody(ye, yx, yy, yz, M, m2, mm, mm, mx);
  const ae = aE, ax = aX, ay = aY, az = aZ, be = bE, bx = bX, by = bY, bz = bZ, xe = cE, xx = cX, xy = cY, xz = cZ;
  const tau = P.mode == 2, md: f32 = tau ? P.m_tau : mm;
  const cx: f32 = <f32>2.0 * rsUniform() - <f32>1.0;
  disc();
  twoBody(xe, xx, xy, xz, mx, mx * mx, md, md, cx);
  // lab frame, detector: tracks a, b, c, d, then the ISR photons
  const g = P.g_cm, bg = P.bg_cm;
  const td = changetype<TrackDet>(changetype<usize>(P) + offsetof<Params>('trk_cmin'));
  let ce = aE, cX_ = aX, cY_ = aY, cZ_ = aZ, de = bE, dX_ = bX, dY_ = bY, dZ_ = bZ;
  if (tau) {
    tauLeptonic(ce, cX_, cY_, cZ_, md, 1.0, mm, P.emax_mu, P.xmin_mu);
    ce = oE; cX_ = oX; cY_ = oY; cZ_ = oZ;
    tauLeptonic(de, dX_, dY_, dZ_, md, -1.0, mm, P.emax_mu, P.xmin_mu);
    de = oE; dX_ = oX; dY_ = oY; dZ_ = oZ;
  }
  trackLab(td, mm, ae, ax, ay, az, g, bg);
  const accA = tAcc, okA = tAcc && tId, pmA = tPm, tae = oE, tax = oX, tay = oY, taz = oZ;
  trackLab(td, mm, be, bx, by, bz, g, bg);
  const accB = tAcc, okB = tAcc && tId, pmB = tPm, tbe = oE, tbx = oX, tby = oY, tbz = oZ;
  trackLab(td, mm, ce, cX_, cY_, cZ_, g, bg);
  const accC = tAcc, okC = tAcc && tId, pmC = tPm, tce = oE, tcx = oX, tcy = oY, tcz = oZ;
  trackLab(td, mm, de, dX_, dY_, dZ_, g, bg);
  const accD = tAcc, okD = tAcc && tId, pmD = tPm, tde = oE, tdx = oX, tdy = oY, tdz = oZ;
  let nGam: f32 = 0, eExtra: f32 = 0;
  if (P.isr != 0) {
    isrPhotonsSeen(changetype<PhotonDet>(changetype<usize>(P) + offsetof<Params>('g_emin')), q1e, q1x, q1y, q1z, q2e, q2x, q2y, q2z, g, bg);
    nGam = seenN;
    eExtra = seenE;
  }
  // the four-muon columns
  for (let j: u32 = 0; j < <u32>(OUT_EV_STRIDE >> 2); j++) put(o, j, 0.0);
  const nAcc = (accA ? 1 : 0) + (accB ? 1 : 0) + (accC ? 1 : 0) + (accD ? 1 : 0);
  const nMu = (okA ? 1 : 0) + (okB ? 1 : 0) + (okC ? 1 : 0) + (okD ? 1 : 0);
  put(o, C_EEXTRA, eExtra);
  put(o, C_NGAM, nGam);
  put(o, C_NEXTRA, <f32>(nAcc - nMu));
  put(o, C_TRUTH, mx);
  if (nMu < 4) return;
  // each charge's muons by measured |p|, the harder first (a before c, b before d on a tie)
  const sp = pmC > pmA, sn = pmD > pmB;
  const e1 = sp ? tce : tae, x1 = sp ? tcx : tax, y1 = sp ? tcy : tay, z1 = sp ? tcz : taz;
  const e2 = sp ? tae : tce, x2 = sp ? tax : tcx, y2 = sp ? tay : tcy, z2 = sp ? taz : tcz;
  const e3 = sn ? tde : tbe, x3 = sn ? tdx : tbx, y3 = sn ? tdy : tby, z3 = sn ? tdz : tbz;
  const e4 = sn ? tbe : tde, x4 = sn ? tbx : tdx, y4 = sn ? tby : tdy, z4 = sn ? tbz : tdz;
  put(o, C_ACC, 1.0);
  put3(o, 0, x1, y1, z1);
  put3(o, 1, x2, y2, z2);
  put3(o, 2, x3, y3, z3);
  put3(o, 3, x4, y4, z4);
  put(o, C_M4, ssqrt(msq((e1 + e2) + (e3 + e4), (x1 + x2) + (x3 + x4), (y1 + y2) + (y3 + y4), (z1 + z2) + (z3 + z4))));
  pair(P, o, 0, e1, x1, y1, z1, e3, x3, y3, z3);
  pair(P, o, 1, e1, x1, y1, z1, e4, x4, y4, z4);
  pair(P, o, 2, e2, x2, y2, z2, e3, x3, y3, z3);
  pair(P, o, 3, e2, x2, y2, z2, e4, x4, y4, z4);
}

export function gen_fourmuon(params: usize, bufs: usize): void {
  const P = changetype<Params>(params);
  const B = changetype<Bufs>(bufs);
  const spec = B.in_spec, out = B.out_ev;
  const n = P.item_count, base = P.first + P.item_offset;
  for (let l: u32 = 0; l < n; l++) genEvent(P, spec, base + l, out + <usize>l * OUT_EV_STRIDE);
}
