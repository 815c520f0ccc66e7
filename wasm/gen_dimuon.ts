// gen_dimuon: one dimuon event per item. Twin of kernels/gen_dimuon/{ref.ts,gen_dimuon.wgsl} (the
// physics, sources and draw order are documented in ref.ts); the same f32 operations in the same
// order. The kinematics and detector response are wasm/lib/genkin.ts (results in its globals).
import { xdiv, xsqrt } from './lib/exactmath';
import { rsInit, rsUniform } from './lib/sampling';
import {
  DM_ACC, PhotonDet, TrackDet, aE, aX, aY, aZ, bE, bX, bY, bZ, boostZ, dimuonColumns, disc, isrBorn, isrM2, isrRadiate, isrSetup, k1e, k1x, k1y, k1z, k2e, k2x, k2y, k2z,
  isrPhotonsSeen, oE, oX, oY, oZ, se, seenE, seenN, sx, sy, sz, tAcc, tId, tPm, threeBody, track, twoBody,
} from './lib/genkin';
import { Bufs, OUT_EV_STRIDE, Params } from './gen/gen_dimuon';

// @ts-ignore: decorator
@inline function put(o: usize, j: u32, v: f32): void { store<f32>(o + (<usize>j << 2), v); }

function genEvent(P: Params, ev: u32, o: usize): void {
  rsInit(P.key0, P.key1, ev, 0, 0);
  // ISR
  if (P.isr != 0) isrRadiate();
  else isrBorn();
  const m2 = isrM2;
  // production: two-body (modes 0, 1) or three-body (mode 2)
  const mode = P.mode;
  const M = xsqrt(m2);
  if (mode == 2) threeBody(se, sx, sy, sz, M, m2, P.m_mu, P.m_mu, P.m_a);
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
  const td = changetype<TrackDet>(changetype<usize>(P) + offsetof<Params>('trk_cmin'));
  track(td, P.m_mu, lpe, lpx, lpy, lpz);
  const accP = tAcc, idP = tId, pmP = tPm, ae = oE, ax = oX, ay = oY, az = oZ;
  track(td, P.m_mu, lme, lmx, lmy, lmz);
  const accM = tAcc, idM = tId, pmM = tPm, be = oE, bx = oX, by = oY, bz = oZ;
  let nGam: f32 = 0, eExtra: f32 = 0;
  if (P.isr != 0) {
    isrPhotonsSeen(changetype<PhotonDet>(changetype<usize>(P) + offsetof<Params>('g_emin')), k1e, k1x, k1y, k1z, k2e, k2x, k2y, k2z, g, bg);
    nGam = seenN;
    eExtra = seenE;
  }
  // the dimuon columns, the pad word
  dimuonColumns(o, accP, idP, pmP, ae, ax, ay, az, accM, idM, pmM, be, bx, by, bz, lpe, lpx, lpy, lpz, lme, lmx, lmy, lmz, nGam, eExtra, 0.0, P.e_tot, P.pz_tot, g, bg, P.m_mu);
  put(o, DM_ACC + 1, 0.0);
}

export function gen_dimuon(params: usize, bufs: usize): void {
  const P = changetype<Params>(params);
  const out = changetype<Bufs>(bufs).out_ev;
  const n = P.item_count, base = P.first + P.item_offset;
  isrSetup(P.sqrt_s, P.t_min, P.m_min * P.m_min, P.e_beam, P.isr_exp, P.isr_a, P.isr_lr, P.st_mode, P.st_f0, P.st_f1, P.st_f2, P.st_f3, P.st_p);
  for (let l: u32 = 0; l < n; l++) genEvent(P, base + l, out + <usize>l * OUT_EV_STRIDE);
}
