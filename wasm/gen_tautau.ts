// gen_tautau: one e+e- -> tau+ tau- (gamma) event per item. Twin of kernels/gen_tautau/{ref.ts,gen_tautau.wgsl}
// (the physics, sources and draw order are documented in ref.ts); the same f32 operations in the
// same order. Kinematics and detector response: wasm/lib/genkin.ts; the decays: wasm/lib/taudecay.ts.
import { xdiv, xsqrt } from './lib/exactmath';
import { rsInit, rsUniform } from './lib/sampling';
import {
  PhotonDet, TrackDet, boostFrom, boostZ, dC, dS, dimuonColumns, disc, fm, isrBorn, isrM2, isrPhotonsSeen, isrRadiate, isrSetup, k1e, k1x, k1y, k1z, k2e, k2x, k2y, k2z,
  oE, oX, oY, oZ, pStar, se, seenE, seenN, sx, sy, sz, tAcc, tPm, track,
} from './lib/genkin';
import { hfX, hfY, hfZ, helicityFrame, tauLepton, tauPion, tdC, tdE, tdP } from './lib/taudecay';
import { Bufs, C_MODES, OUT_EV_STRIDE, Params } from './gen/gen_tautau';

// @ts-ignore: decorator
@inline function put(o: usize, j: u32, v: f32): void { store<f32>(o + (<usize>j << 2), v); }

/** One tau's visible daughter in the pair's rest frame into (oE..oZ) (ref.ts decayTau). */
function decayTau(P: Params, isMu: bool, h: f32, q: f32, te: f32, tx: f32, ty: f32, tz: f32, c: f32, st: f32, cph: f32, sph: f32, flip: bool): void {
  let e = P.pi_e, p = P.pi_p, ct: f32;
  if (isMu) {
    tauLepton(h, q, P.mich_emax, P.m_mu, P.mich_xmin);
    e = tdE;
    p = tdP;
    ct = tdC;
  } else ct = tauPion(h, q);
  const sp = xsqrt(max<f32>(0.0, <f32>1.0 - ct * ct));
  disc();
  const pt = p * sp;
  helicityFrame(fm(pt, dC), fm(pt, dS), p * ct, c, st, cph, sph, flip);
  boostFrom(te, tx, ty, tz, P.m_tau, e, hfX, hfY, hfZ);
}

function genEvent(P: Params, ev: u32, o: usize): void {
  rsInit(P.key0, P.key1, ev, 0, 0);
  // decay modes
  let muM: bool, muP: bool;
  const st0 = P.stratum;
  if (st0 == 0) {
    muM = rsUniform() < P.f_mu;
    muP = rsUniform() < P.f_mu;
  } else if (st0 == 2) {
    muM = rsUniform() < <f32>0.5;
    muP = !muM;
  } else {
    muM = st0 == 1;
    muP = muM;
  }
  // identification of the charged daughters (as muons), first: skim stops the event here
  const idM = rsUniform() < (muM ? P.id_mu : P.id_pi);
  const idP = rsUniform() < (muP ? P.id_mu : P.id_pi);
  const modes = <f32>((muM ? 0 : 1) + (muP ? 0 : 2));
  if (P.skim != 0 && !(idM && idP)) {
    for (let j: u32 = 0; j < <u32>(OUT_EV_STRIDE >> 2); j++) put(o, j, 0.0);
    put(o, C_MODES, modes);
    return;
  }
  // ISR (no generator cut, no angular stratum)
  if (P.isr != 0) isrRadiate();
  else isrBorn();
  const m2 = isrM2;
  const M = xsqrt(m2);
  // production angle: 1 + c^2 + (1 - beta^2)(1 - c^2) <= 2
  const mt = P.m_tau;
  const omb2 = xdiv(<f32>4.0 * (mt * mt), m2);
  let c: f32 = 0, c2: f32 = 0;
  for (let it = 0; it < 64; it++) {
    c = <f32>2.0 * rsUniform() - <f32>1.0;
    c2 = c * c;
    if (rsUniform() * <f32>2.0 <= (<f32>1.0 + c2) + omb2 * (<f32>1.0 - c2)) break;
  }
  disc();
  const cph = dC, sph = dS;
  // helicities
  const hM: f32 = rsUniform() < <f32>0.5 ? 1.0 : -1.0;
  const same = omb2 * (<f32>1.0 - c2);
  const hP: f32 = rsUniform() * ((<f32>1.0 + c2) + same) < same ? hM : -hM;
  // the taus in the pair's rest frame (tau- along n), their decays, boosts to the CM and the lab
  const ps = pStar(m2, M, mt, mt), et = M * <f32>0.5;
  const st = xsqrt(max<f32>(0.0, <f32>1.0 - c2));
  const pt = ps * st;
  const nx = pt * cph, ny = pt * sph, nz = ps * c;
  decayTau(P, muM, hM, -1.0, et, nx, ny, nz, c, st, cph, sph, false);
  const dme = oE, dmx = oX, dmy = oY, dmz = oZ;
  decayTau(P, muP, hP, 1.0, et, -nx, -ny, -nz, c, st, cph, sph, true);
  const dpe = oE, dpx = oX, dpy = oY, dpz = oZ;
  const g = P.g_cm, bg = P.bg_cm;
  boostFrom(se, sx, sy, sz, M, dme, dmx, dmy, dmz);
  boostZ(oE, oX, oY, oZ, g, bg);
  const lme = oE, lmx = oX, lmy = oY, lmz = oZ;
  boostFrom(se, sx, sy, sz, M, dpe, dpx, dpy, dpz);
  boostZ(oE, oX, oY, oZ, g, bg);
  const lpe = oE, lpx = oX, lpy = oY, lpz = oZ;
  const td = changetype<TrackDet>(changetype<usize>(P) + offsetof<Params>('trk_cmin'));
  track(td, P.m_mu, lpe, lpx, lpy, lpz); // its identification: idP, drawn first
  const accP = tAcc, pmP = tPm, ae = oE, ax = oX, ay = oY, az = oZ;
  track(td, P.m_mu, lme, lmx, lmy, lmz);
  const accM = tAcc, pmM = tPm, be = oE, bx = oX, by = oY, bz = oZ;
  let nGam: f32 = 0, eExtra: f32 = 0;
  if (P.isr != 0) {
    isrPhotonsSeen(changetype<PhotonDet>(changetype<usize>(P) + offsetof<Params>('g_emin')), k1e, k1x, k1y, k1z, k2e, k2x, k2y, k2z, g, bg);
    nGam = seenN;
    eExtra = seenE;
  }
  dimuonColumns(o, accP, idP, pmP, ae, ax, ay, az, accM, idM, pmM, be, bx, by, bz, lpe, lpx, lpy, lpz, lme, lmx, lmy, lmz, nGam, eExtra, 0.0, P.e_tot, P.pz_tot, g, bg, P.m_mu);
  put(o, C_MODES, modes);
}

export function gen_tautau(params: usize, bufs: usize): void {
  const P = changetype<Params>(params);
  const out = changetype<Bufs>(bufs).out_ev;
  const n = P.item_count, base = P.first + P.item_offset;
  isrSetup(P.sqrt_s, 0.0, P.m_min * P.m_min, P.e_beam, P.isr_exp, P.isr_a, P.isr_lr, 0, 0.0, 0.0, 0.0, 0.0, 0.0);
  for (let l: u32 = 0; l < n; l++) genEvent(P, base + l, out + <usize>l * OUT_EV_STRIDE);
}
