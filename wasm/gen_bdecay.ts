// gen_bdecay: one B-decay event per item. Twin of kernels/gen_bdecay/{ref.ts,gen_bdecay.wgsl} (the
// physics, sources and draw order are documented in ref.ts); the same f32 operations in the same
// order. Four-vectors travel in genkin's globals (allocation-free): a function's result is (oE, oX, oY, oZ),
// a two-body decay's (aE..aZ), (bE..bZ).
import { ftz, xdiv, xexp, xlog, xrecip, xsqrt } from './lib/exactmath';
import { rsInit, rsUniform } from './lib/sampling';
import { PhotonDet, TrackDet, aE, aX, aY, aZ, bE, bX, bY, bZ, boostZ, dC, dS, disc, fm, msq, oE, oX, oY, oZ, p3sq, pStar, photonP4, ssqrt, tAcc, tPm, track, twoBody } from './lib/genkin';
import {
  Bufs, OUT_EV_STRIDE, Params, L_PK, L_PX1, L_PX2, L_MXX, L_MRED, L_MKXX, L_PS, L_FLIGHT, L_RHO, L_VZ, L_T, L_TAU, L_CTAU, L_MS,
  B_PK, B_MK, B_EG1, B_EG2, B_CG1, B_CG2, B_MGG, B_MBC, B_DE, B_NGAM, B_NTRK, B_MA, C_ACC,
} from './gen/gen_bdecay';

// @ts-ignore: decorator
@inline function put(o: usize, j: u32, v: f32): void { store<f32>(o + (<usize>j << 2), v); }

// photonSeen's result: energy, unit direction, acceptance.
let gE: f32 = 0, gUx: f32 = 0, gUy: f32 = 0, gUz: f32 = 1, gAcc = false;

/** ref.ts photonSeen: genkin's photonP4 as energy and unit direction. */
function photonSeen(P: Params, pd: PhotonDet, ke: f32, kx: f32, ky: f32, kz: f32): void {
  photonP4(pd, P.g_ang, ke, kx, ky, kz);
  const e = oE;
  if (e < 0.0) {
    gE = 0.0; gUx = 0.0; gUy = 0.0; gUz = 1.0; gAcc = false;
    return;
  }
  const ie: f32 = e > 0.0 ? xrecip(e) : 0.0;
  gE = e; gUx = fm(oX, ie); gUy = fm(oY, ie); gUz = fm(oZ, ie); gAcc = true;
}

// @ts-ignore: decorator
@inline function dist2(ux: f32, uy: f32, uz: f32, vx: f32, vy: f32, vz: f32): f32 {
  const x = ux - vx, y = uy - vy, z = uz - vz;
  return (fm(x, x) + fm(y, y)) + fm(z, z);
}

/** ref.ts pairMred2: M^2 - 4 m^2 of two tracks (energy, momentum vector, |p|) of mass m. */
function pairMred2(m: f32, ae: f32, ax: f32, ay: f32, az: f32, apm: f32, be: f32, bx: f32, by: f32, bz: f32, bpm: f32): f32 {
  const ia: f32 = apm > 0.0 ? xrecip(apm) : 0.0, ib: f32 = bpm > 0.0 ? xrecip(bpm) : 0.0;
  const pp = apm * bpm;
  const de = ae - be;
  const den = (ae * be + pp) - m * m;
  const t1: f32 = den > 0.0 ? xdiv((<f32>2.0 * fm(m, m)) * fm(de, de), den) : 0.0;
  return t1 + fm(pp, dist2(ax * ia, ay * ia, az * ia, bx * ib, by * ib, bz * ib));
}

/** The B of Upsilon(4S) -> B Bbar into (oE..oZ). */
function bMeson(P: Params): void {
  let c: f32 = 0;
  for (let it = 0; it < 64; it++) {
    c = <f32>2.0 * rsUniform() - <f32>1.0;
    if (rsUniform() <= <f32>1.0 - c * c) break;
  }
  disc();
  const p = P.p_b, mb = P.m_b;
  const pt = p * xsqrt(max<f32>(0.0, <f32>1.0 - c * c));
  oE = xsqrt(mb * mb + p * p);
  oX = ftz(pt * dC);
  oY = ftz(pt * dS);
  oZ = p * c;
}

/** Isotropic two-body decay of (pe..pz) (mass M) into (aE..aZ), (bE..bZ). */
function decay2(pe: f32, px: f32, py: f32, pz: f32, M: f32, ma: f32, mb: f32): void {
  const c: f32 = <f32>2.0 * rsUniform() - <f32>1.0;
  disc();
  twoBody(pe, px, py, pz, M, M * M, ma, mb, c);
}

// The kaon system's true tracks (CM) and mass hypotheses.
let k0e: f32 = 0, k0x: f32 = 0, k0y: f32 = 0, k0z: f32 = 0, k1e: f32 = 0, k1x: f32 = 0, k1y: f32 = 0, k1z: f32 = 0, k2e: f32 = 0, k2x: f32 = 0, k2y: f32 = 0, k2z: f32 = 0;
let km0: f32 = 0, km1: f32 = 0, km2: f32 = 0;

function kaonSystem(P: Params, kmode: u32, ke: f32, kx: f32, ky: f32, kz: f32): u32 {
  const mk = P.m_k, mpi = P.m_pi, mkc = P.m_kc;
  if (kmode == 0) {
    k0e = ke; k0x = kx; k0y = ky; k0z = kz;
    km0 = mkc;
    return 1;
  }
  if (kmode == 1 || kmode == 2) {
    const ma: f32 = kmode == 1 ? mpi : mkc;
    decay2(ke, kx, ky, kz, mk, ma, mpi);
    k0e = aE; k0x = aX; k0y = aY; k0z = aZ;
    k1e = bE; k1x = bX; k1y = bY; k1z = bZ;
    km0 = ma;
    km1 = mpi;
    return 2;
  }
  decay2(ke, kx, ky, kz, mk, P.m_k0, mpi);
  k2e = bE; k2x = bX; k2y = bY; k2z = bZ;
  decay2(aE, aX, aY, aZ, P.m_k0, mpi, mpi);
  k0e = aE; k0x = aX; k0y = aY; k0z = aZ;
  k1e = bE; k1x = bX; k1y = bY; k1z = bZ;
  km0 = mpi;
  km1 = mpi;
  km2 = mpi;
  return 3;
}

// The B candidate's K system and photons (CM).
let ce: f32 = 0, cx: f32 = 0, cy: f32 = 0, cz: f32 = 0, g1e: f32 = 0, g1x: f32 = 0, g1y: f32 = 0, g1z: f32 = 0, g2e: f32 = 0, g2x: f32 = 0, g2y: f32 = 0, g2z: f32 = 0;

/** proc 2: the combinatorial pseudo-parent -> K(*) gamma gamma (ref.ts combinatorial). */
function combinatorial(P: Params): void {
  const M = P.c_mlo + P.c_mw * rsUniform();
  const q = P.c_qmax * rsUniform();
  const c: f32 = <f32>2.0 * rsUniform() - <f32>1.0;
  disc();
  const pt = q * xsqrt(max<f32>(0.0, <f32>1.0 - c * c));
  const pe = xsqrt(M * M + q * q), px = ftz(pt * dC), py = ftz(pt * dS), pz = q * c;
  const mk = P.m_k, m2 = M * M, hi = M - mk;
  const wmax = pStar(m2, M, mk, 0.0) * P.c_wenv;
  let m23 = hi;
  for (let it = 0; it < 64; it++) {
    m23 = hi * rsUniform();
    const w = (pStar(m2, M, mk, m23) * (<f32>0.5 * m23)) * xexp(-(m23 * P.c_slope));
    if (rsUniform() * wmax <= w) break;
  }
  const c1: f32 = <f32>2.0 * rsUniform() - <f32>1.0;
  disc();
  twoBody(pe, px, py, pz, M, m2, mk, m23, c1);
  ce = aE; cx = aX; cy = aY; cz = aZ;
  decay2(bE, bX, bY, bZ, m23, 0.0, 0.0);
  g1e = aE; g1x = aX; g1y = aY; g1z = aZ;
  g2e = bE; g2x = bX; g2y = bY; g2z = bZ;
}

function llpEvent(P: Params, td: TrackDet, o: usize): void {
  bMeson(P);
  const mk = P.m_k, mS = P.m_x, md = P.m_d;
  decay2(oE, oX, oY, oZ, P.m_b, mk, mS);
  const ke = aE, kx = aX, ky = aY, kz = aZ, se = bE, sx = bX, sy = bY, sz = bZ;
  decay2(se, sx, sy, sz, mS, md, md);
  const x1e = aE, x1x = aX, x1y = aY, x1z = aZ, x2e = bE, x2x = bX, x2y = bY, x2z = bZ;
  const lt = -xlog(rsUniform());
  const g = P.g_cm, bg = P.bg_cm;
  boostZ(se, sx, sy, sz, g, bg);
  const ct = P.ctau_cm * lt;
  const f = xdiv(ct, mS);
  const spt = xsqrt(fm(oX, oX) + fm(oY, oY));
  put(o, L_FLIGHT, xsqrt(p3sq(oX, oY, oZ)) * f);
  put(o, L_RHO, spt * f);
  put(o, L_VZ, oZ * f);
  put(o, L_T, P.tau_ns * lt);
  put(o, L_TAU, P.tau_ns);
  put(o, L_CTAU, P.ctau_cm);
  put(o, L_MS, mS);
  boostZ(ke, kx, ky, kz, g, bg);
  track(td, P.m_kc, oE, oX, oY, oZ);
  const accK = tAcc, pmK = tPm, te = oE, tx = oX, ty = oY, tz = oZ;
  boostZ(x1e, x1x, x1y, x1z, g, bg);
  track(td, md, oE, oX, oY, oZ);
  const acc1 = tAcc, pm1 = tPm, ae = oE, ax = oX, ay = oY, az = oZ;
  boostZ(x2e, x2x, x2y, x2z, g, bg);
  track(td, md, oE, oX, oY, oZ);
  const acc2 = tAcc, pm2 = tPm, be = oE, bx = oX, by = oY, bz = oZ;
  if (!(accK && acc1 && acc2)) return;
  put(o, C_ACC, 1.0);
  put(o, L_PK, pmK);
  put(o, L_PX1, pm1);
  put(o, L_PX2, pm2);
  const mr2 = pairMred2(md, ae, ax, ay, az, pm1, be, bx, by, bz, pm2);
  put(o, L_MRED, xsqrt(mr2));
  put(o, L_MXX, xsqrt(mr2 + <f32>4.0 * fm(md, md)));
  const xe = ae + be, xx = ax + bx, xy = ay + by, xz = az + bz;
  put(o, L_PS, xsqrt(p3sq(xx, xy, xz)));
  put(o, L_MKXX, ssqrt(msq(te + xe, tx + xx, ty + xy, tz + xz)));
}

function bmesonEvent(P: Params, td: TrackDet, proc: u32, kmode: u32, o: usize): void {
  if (proc == 1) {
    bMeson(P);
    const mx = P.m_x;
    decay2(oE, oX, oY, oZ, P.m_b, P.m_k, mx);
    ce = aE; cx = aX; cy = aY; cz = aZ;
    decay2(bE, bX, bY, bZ, mx, 0.0, 0.0);
    g1e = aE; g1x = aX; g1y = aY; g1z = aZ;
    g2e = bE; g2x = bX; g2y = bY; g2z = bZ;
    put(o, B_MA, mx);
  } else combinatorial(P);
  const nk = kaonSystem(P, kmode, ce, cx, cy, cz);
  const g = P.g_cm, bg = P.bg_cm;
  let ntrk: f32 = 0;
  let allIn = true;
  let se: f32 = 0, sx: f32 = 0, sy: f32 = 0, sz: f32 = 0;
  for (let j: u32 = 0; j < nk; j++) {
    if (j == 0) boostZ(k0e, k0x, k0y, k0z, g, bg);
    else if (j == 1) boostZ(k1e, k1x, k1y, k1z, g, bg);
    else boostZ(k2e, k2x, k2y, k2z, g, bg);
    track(td, j == 0 ? km0 : j == 1 ? km1 : km2, oE, oX, oY, oZ);
    if (tAcc) ntrk += 1.0;
    else allIn = false;
    se = se + oE; sx = sx + oX; sy = sy + oY; sz = sz + oZ;
  }
  const pd = changetype<PhotonDet>(changetype<usize>(P) + offsetof<Params>('g_emin'));
  boostZ(g1e, g1x, g1y, g1z, g, bg);
  photonSeen(P, pd, oE, oX, oY, oZ);
  let ae = gE, aux = gUx, auy = gUy, auz = gUz;
  const aAcc = gAcc;
  boostZ(g2e, g2x, g2y, g2z, g, bg);
  photonSeen(P, pd, oE, oX, oY, oZ);
  let be = gE, bux = gUx, buy = gUy, buz = gUz;
  const ngam: f32 = <f32>((aAcc ? 1 : 0) + (gAcc ? 1 : 0));
  put(o, B_NGAM, ngam);
  put(o, B_NTRK, ntrk);
  if (!(allIn && ngam == <f32>2.0)) return;
  if (be > ae) {
    let t = ae; ae = be; be = t;
    t = aux; aux = bux; bux = t;
    t = auy; auy = buy; buy = t;
    t = auz; auz = buz; buz = t;
  }
  put(o, C_ACC, 1.0);
  put(o, B_PK, xsqrt(p3sq(sx, sy, sz)));
  put(o, B_MK, nk == 1 ? km0 : ssqrt(msq(se, sx, sy, sz)));
  put(o, B_EG1, ae);
  put(o, B_EG2, be);
  put(o, B_CG1, auz);
  put(o, B_CG2, buz);
  put(o, B_MGG, xsqrt(fm(fm(ae, be), dist2(aux, auy, auz, bux, buy, buz))));
  const ble = (se + ae) + be;
  const blx = (sx + fm(ae, aux)) + fm(be, bux);
  const bly = (sy + fm(ae, auy)) + fm(be, buy);
  const blz = (sz + fm(ae, auz)) + fm(be, buz);
  boostZ(ble, blx, bly, blz, g, -bg);
  const eb = P.e_beam;
  put(o, B_MBC, xsqrt(max<f32>(0.0, eb * eb - p3sq(oX, oY, oZ))));
  put(o, B_DE, oE - eb);
}

export function gen_bdecay(params: usize, bufs: usize): void {
  const P = changetype<Params>(params);
  const out = changetype<Bufs>(bufs).out_ev;
  const td = changetype<TrackDet>(changetype<usize>(P) + offsetof<Params>('trk_cmin'));
  const n = P.item_count, base = P.first + P.item_offset;
  const words = <u32>(OUT_EV_STRIDE >> 2);
  for (let l: u32 = 0; l < n; l++) {
    const o = out + <usize>l * OUT_EV_STRIDE;
    rsInit(P.key0, P.key1, base + l, 0, 0);
    for (let j: u32 = 0; j < words; j++) put(o, j, 0.0);
    if (P.proc == 0) llpEvent(P, td, o);
    else bmesonEvent(P, td, P.proc, P.kmode, o);
  }
}
