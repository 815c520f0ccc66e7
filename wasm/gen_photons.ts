// gen_photons: one photons-family event per item. Twin of kernels/gen_photons/{ref.ts,gen_photons.wgsl}
// (the physics, sources and draw order are documented in ref.ts); the same f32 operations in the
// same order. The kinematics and detector response are wasm/lib/genkin.ts (results in its globals).
import { xdiv, xexp, xrecip, xsqrt } from './lib/exactmath';
import { rsInit, rsUniform } from './lib/sampling';
import {
  PhotonDet, TrackDet, aE, aX, aY, aZ, bE, bX, bY, bZ, boostZ, disc, fm, isrBorn, isrM2, isrRadiate, isrSetup, k1e, k1x, k1y, k1z, k2e, k2x, k2y, k2z,
  msq, oE, oX, oY, oZ, p3sq, photonP4, se, ssqrt, sx, sy, sz, tAcc, track, twoBody,
} from './lib/genkin';
import {
  Bufs, OUT_EV_STRIDE, Params, C_NGAM, C_EG, C_ECM, C_COS, C_MGG12, C_MGG13, C_MGG23, C_MGGG, C_MREC, C_M2REC, C_NTRK, C_ETOT, C_TRUTH, C_ACC,
} from './gen/gen_photons';

function ggCos(t: f32): f32 {
  let c: f32 = 0;
  for (let it = 0; it < 64; it++) {
    const e = xexp(<f32>2.0 * (t * (<f32>2.0 * rsUniform() - <f32>1.0)));
    c = xdiv(e - <f32>1.0, e + <f32>1.0);
    if (rsUniform() * <f32>2.0 <= <f32>1.0 + c * c) break;
  }
  return c;
}

function bhabhaCos(a: f32, ba: f32): f32 {
  let c: f32 = 0;
  for (let it = 0; it < 64; it++) {
    c = <f32>1.0 - xrecip(a + ba * rsUniform());
    const f = <f32>3.0 + c * c;
    if (rsUniform() * <f32>16.0 <= f * f) break;
  }
  return c;
}

function bornCos(): f32 {
  let c: f32 = 0;
  for (let it = 0; it < 64; it++) {
    c = <f32>2.0 * rsUniform() - <f32>1.0;
    if (rsUniform() * <f32>2.0 <= <f32>1.0 + c * c) break;
  }
  return c;
}

// The three most energetic photons seen (descending; E = -1 while empty), their count and the energy sum.
let t0e: f32 = 0, t0x: f32 = 0, t0y: f32 = 0, t0z: f32 = 0, t1e: f32 = 0, t1x: f32 = 0, t1y: f32 = 0, t1z: f32 = 0;
let t2e: f32 = 0, t2x: f32 = 0, t2y: f32 = 0, t2z: f32 = 0;
let nGam: f32 = 0, eTot: f32 = 0;

function see(P: Params, pd: PhotonDet, e: f32, x: f32, y: f32, z: f32): void {
  boostZ(e, x, y, z, P.g_cm, P.bg_cm);
  photonP4(pd, P.g_ang, oE, oX, oY, oZ);
  const pe = oE;
  if (pe < 0.0) return;
  nGam += 1.0;
  eTot = eTot + pe;
  if (pe > t0e) {
    t2e = t1e; t2x = t1x; t2y = t1y; t2z = t1z;
    t1e = t0e; t1x = t0x; t1y = t0y; t1z = t0z;
    t0e = pe; t0x = oX; t0y = oY; t0z = oZ;
  } else if (pe > t1e) {
    t2e = t1e; t2x = t1x; t2y = t1y; t2z = t1z;
    t1e = pe; t1x = oX; t1y = oY; t1z = oZ;
  } else if (pe > t2e) {
    t2e = pe; t2x = oX; t2y = oY; t2z = oZ;
  }
}

// @ts-ignore: decorator
@inline function put(o: usize, j: u32, v: f32): void { store<f32>(o + (<usize>j << 2), v); }

/** ref.ts pairMass2: E1 E2 |n1 - n2|^2. */
function pairMass2(ae: f32, ax: f32, ay: f32, az: f32, be: f32, bx: f32, by: f32, bz: f32): f32 {
  if (!(ae > 0.0 && be > 0.0)) return 0.0;
  const ia = xrecip(ae), ib = xrecip(be);
  const dx = ax * ia - bx * ib, dy = ay * ia - by * ib, dz = az * ia - bz * ib;
  return (ae * be) * ((fm(dx, dx) + fm(dy, dy)) + fm(dz, dz));
}

function column(P: Params, o: usize, i: u32, e: f32, x: f32, y: f32, z: f32): void {
  put(o, C_EG + i, e);
  boostZ(e, x, y, z, P.g_cm, -P.bg_cm);
  put(o, C_ECM + i, oE);
  const pa2 = p3sq(x, y, z);
  put(o, C_COS + i, e > 0.0 && pa2 > 0.0 ? xdiv(z, xsqrt(pa2)) : 0.0);
}

function genEvent(P: Params, ev: u32, o: usize): void {
  rsInit(P.key0, P.key1, ev, 0, 0);
  const mx = P.m_x, isr = P.isr != 0, mode = P.mode;
  // ISR
  if (isr) isrRadiate();
  else isrBorn();
  const m2 = isrM2;
  const M = xsqrt(m2);
  // production
  const c: f32 = mode == 1 ? bhabhaCos(P.bh_a, P.bh_ba) : mode == 2 ? bornCos() : ggCos(P.gg_t);
  disc();
  t0e = -1.0; t0x = 0; t0y = 0; t0z = 0;
  t1e = -1.0; t1x = 0; t1y = 0; t1z = 0;
  t2e = -1.0; t2x = 0; t2y = 0; t2z = 0;
  nGam = 0;
  eTot = 0;
  const pd = changetype<PhotonDet>(changetype<usize>(P) + offsetof<Params>('g_emin'));
  let ta0: f32 = 0, ta1: f32 = 0, ta2: f32 = 0, ta3: f32 = 0, tb0: f32 = 0, tb1: f32 = 0, tb2: f32 = 0, tb3: f32 = 0;
  if (mode == 0) {
    twoBody(se, sx, sy, sz, M, m2, 0.0, 0.0, c);
    const b0 = bE, b1 = bX, b2 = bY, b3 = bZ;
    see(P, pd, aE, aX, aY, aZ);
    see(P, pd, b0, b1, b2, b3);
  } else if (mode == 1) {
    twoBody(se, sx, sy, sz, M, m2, P.m_e, P.m_e, c);
    ta0 = aE; ta1 = aX; ta2 = aY; ta3 = aZ;
    tb0 = bE; tb1 = bX; tb2 = bY; tb3 = bZ;
  } else {
    twoBody(se, sx, sy, sz, M, m2, 0.0, mx, c);
    const g0 = aE, g1 = aX, g2 = aY, g3 = aZ;
    if (mode == 2) {
      const c2: f32 = <f32>2.0 * rsUniform() - <f32>1.0;
      disc();
      twoBody(bE, bX, bY, bZ, mx, mx * mx, 0.0, 0.0, c2);
      const h0 = aE, h1 = aX, h2 = aY, h3 = aZ, j0 = bE, j1 = bX, j2 = bY, j3 = bZ;
      see(P, pd, g0, g1, g2, g3);
      see(P, pd, h0, h1, h2, h3);
      see(P, pd, j0, j1, j2, j3);
    } else {
      see(P, pd, g0, g1, g2, g3);
    }
  }
  if (isr) {
    see(P, pd, k1e, k1x, k1y, k1z);
    see(P, pd, k2e, k2x, k2y, k2z);
  }
  let nTrk: f32 = 0;
  if (mode == 1) {
    const td = changetype<TrackDet>(changetype<usize>(P) + offsetof<Params>('trk_cmin'));
    boostZ(ta0, ta1, ta2, ta3, P.g_cm, P.bg_cm);
    track(td, P.m_e, oE, oX, oY, oZ);
    if (tAcc) {
      nTrk += 1.0;
      eTot = eTot + oE;
    }
    boostZ(tb0, tb1, tb2, tb3, P.g_cm, P.bg_cm);
    track(td, P.m_e, oE, oX, oY, oZ);
    if (tAcc) {
      nTrk += 1.0;
      eTot = eTot + oE;
    }
  }
  // the photons columns
  if (t0e < 0.0) t0e = 0;
  if (t1e < 0.0) t1e = 0;
  if (t2e < 0.0) t2e = 0;
  put(o, C_NGAM, nGam);
  column(P, o, 0, t0e, t0x, t0y, t0z);
  column(P, o, 1, t1e, t1x, t1y, t1z);
  column(P, o, 2, t2e, t2x, t2y, t2z);
  const m12 = pairMass2(t0e, t0x, t0y, t0z, t1e, t1x, t1y, t1z);
  const m13 = pairMass2(t0e, t0x, t0y, t0z, t2e, t2x, t2y, t2z);
  const m23 = pairMass2(t1e, t1x, t1y, t1z, t2e, t2x, t2y, t2z);
  put(o, C_MGG12, xsqrt(m12));
  put(o, C_MGG13, xsqrt(m13));
  put(o, C_MGG23, xsqrt(m23));
  put(o, C_MGGG, xsqrt((m12 + m13) + m23));
  const r2 = msq(P.e_tot - t0e, -t0x, -t0y, P.pz_tot - t0z);
  put(o, C_MREC, ssqrt(r2));
  put(o, C_M2REC, r2);
  put(o, C_NTRK, nTrk);
  put(o, C_ETOT, eTot);
  put(o, C_TRUTH, mx);
  put(o, C_ACC, nGam >= 1.0 ? 1.0 : 0.0);
}

export function gen_photons(params: usize, bufs: usize): void {
  const P = changetype<Params>(params);
  const out = changetype<Bufs>(bufs).out_ev;
  const n = P.item_count, base = P.first + P.item_offset;
  isrSetup(P.sqrt_s, P.t_min, P.m_min * P.m_min, P.e_beam, P.isr_exp, P.isr_a, P.isr_lr, P.st_mode, P.st_f0, P.st_f1, P.st_f2, P.st_f3, P.st_p);
  for (let l: u32 = 0; l < n; l++) genEvent(P, base + l, out + <usize>l * OUT_EV_STRIDE);
}
