// gen_eemumu: one two-photon e+e- -> e+e- mu+ mu- event per item. Twin of kernels/gen_eemumu/{ref.ts,
// gen_eemumu.wgsl} (the physics, sources, bounds and draw order are documented in ref.ts); the same
// f32 operations in the same order. Allocation-free: a photon's lepton, photon and configuration
// travel in globals (per instance: workers share the memory, not the globals).
import { xdiv, xexp, xlog, xrecip, xsqrt } from './lib/exactmath';
import { rsInit, rsUniform } from './lib/sampling';
import { S, ftz4, xdiv4, xexp4, xlog4, xsqrt4 } from './lib/exactmath4';
import { TrackDet, aE, aX, aY, aZ, bE, bX, bY, bZ, boostZ, dC, dS, dimuonColumns, disc, fm, oE, oX, oY, oZ, tAcc, tId, tPm, track, twoBody } from './lib/genkin';
import { ftAddTrack, ftBegin, ftClaim, ftRelease, fourtrackColumns } from './lib/fourtrack';
import {
  Bufs, OUT_EV_STRIDE, Params, C_WEIGHT, F_WEIGHT, KIND_E, KIND_MU, NC, ENV_CUM, ENV_CUM_T1, ENV_CUM_T2, ENV_CUM_R, ENV_INV_H, ENV_INV_R, ENV_RHO1, ENV_RHO2,
  ENV_INV_HR, ENV_INV_RR, R_CELLS, ENV_CUM_B, ENV_INV_HB, ENV_INV_RB,
} from './gen/gen_eemumu';

const TRIALS = 256;
const TRIALS_R = 1024;
const TRIALS_B = 1024;
const TAIL_PICK: f32 = 0.75;
const TAIL_C0: f32 = 0.05;
const TAIL_B_MAX: f32 = 729.0;
const PRE_MARGIN: f32 = 1.0001;

// @ts-ignore: decorator
@inline function put(o: usize, j: u32, v: f32): void { store<f32>(o + (<usize>j << 2), v); }

let env: usize = 0;
// @ts-ignore: decorator
@inline function tabU(off: u32, c: u32): u32 { return load<u32>(env + (<usize>(off + c) << 2)); }
// @ts-ignore: decorator
@inline function tabF(off: u32, c: u32): f32 { return load<f32>(env + (<usize>(off + c) << 2)); }

/** ref.ts pickCell: the first cell with cum > k, as the count of cells with cum <= k in 12 fixed halvings (NC = 2^12), branch-free. */
function pickCell(off: u32, k: u32): u32 {
  let pos: u32 = 0;
  for (let step: u32 = NC >> 1; step > 0; step >>= 1) pos = select<u32>(pos + step, pos, tabU(off, pos + step - 1) <= k);
  return pos;
}

function bits23(u: f32): u32 { return (<u32>(u * <f32>16777216.0) - 1) >> 1; }

function inTable(off: u32, c: u32): bool {
  if (c == 0) return tabU(off, 0) > 0;
  return tabU(off, c) - tabU(off, c - 1) > 0;
}

// lepton(): the lepton of a photon of energy fraction y (ref.ts Lep)
let lOk = false, lY: f32 = 0, lE2: f32 = 0, lP2: f32 = 0, lEy: f32 = 0, lDp: f32 = 0, lQmin: f32 = 0, lLq0: f32 = 0, lR: f32 = 0, lTpp: f32 = 0;
let l1Y: f32 = 0, l1E2: f32 = 0, l1P2: f32 = 0, l1Ey: f32 = 0, l1Dp: f32 = 0, l1Qmin: f32 = 0, l1Lq0: f32 = 0, l1R: f32 = 0, l1Tpp: f32 = 0;
let l2Y: f32 = 0, l2E2: f32 = 0, l2P2: f32 = 0, l2Ey: f32 = 0, l2Dp: f32 = 0, l2Qmin: f32 = 0, l2Lq0: f32 = 0, l2R: f32 = 0, l2Tpp: f32 = 0;

function lepton(P: Params, y: f32): void {
  const E = P.e_beam, pb = P.p_beam, me = P.m_e;
  const e2 = E * (<f32>1.0 - y);
  lOk = e2 > me;
  if (!lOk) return;
  const p2 = xsqrt((e2 - me) * (e2 + me));
  const ey = E - e2;
  const dp = xdiv(ey * (E + e2), pb + p2);
  const plus = (E * e2 - me * me) + pb * p2;
  const mey = me * (E * y);
  const qmin = xdiv(<f32>2.0 * fm(mey, mey), plus);
  const lq0 = xlog(qmin), lq1 = xlog(<f32>2.0 * plus);
  lY = y; lE2 = e2; lP2 = p2; lEy = ey; lDp = dp; lQmin = qmin; lLq0 = lq0; lR = lq1 - lq0; lTpp = (<f32>2.0 * pb) * p2;
}
/**
 * lepton() of y1 and y2 at once in two lanes (the SIMD build: exactmath4's lane twins give each lane the
 * scalar bits) into l1*, l2*; false where either lepton does not exist (lepton()'s lOk).
 */
function leptonPair(P: Params, y1: f32, y2: f32): bool {
  const E = P.e_beam, pb = P.p_beam, me = P.m_e;
  if (!(E * (<f32>1.0 - y1) > me) || !(E * (<f32>1.0 - y2) > me)) return false;
  const vy = lane2(y1, y2);
  const vE = S(E), vme = S(me), vpb = S(pb);
  const e2 = f32x4.mul(vE, f32x4.sub(S(1.0), vy));
  const p2 = xsqrt4(f32x4.mul(f32x4.sub(e2, vme), f32x4.add(e2, vme)));
  const ey = f32x4.sub(vE, e2);
  const dp = xdiv4(f32x4.mul(ey, f32x4.add(vE, e2)), f32x4.add(vpb, p2));
  const plus = f32x4.add(f32x4.sub(f32x4.mul(vE, e2), S(me * me)), f32x4.mul(vpb, p2));
  const mey = f32x4.mul(vme, f32x4.mul(vE, vy));
  const qmin = xdiv4(f32x4.mul(S(2.0), ftz4(f32x4.mul(mey, mey))), plus);
  const lq0 = xlog4(qmin), lq1 = xlog4(f32x4.mul(S(2.0), plus));
  const r = f32x4.sub(lq1, lq0), tpp = f32x4.mul(S(<f32>2.0 * pb), p2);
  l1Y = y1; l1E2 = f32x4.extract_lane(e2, 0); l1P2 = f32x4.extract_lane(p2, 0); l1Ey = f32x4.extract_lane(ey, 0); l1Dp = f32x4.extract_lane(dp, 0);
  l1Qmin = f32x4.extract_lane(qmin, 0); l1Lq0 = f32x4.extract_lane(lq0, 0); l1R = f32x4.extract_lane(r, 0); l1Tpp = f32x4.extract_lane(tpp, 0);
  l2Y = y2; l2E2 = f32x4.extract_lane(e2, 1); l2P2 = f32x4.extract_lane(p2, 1); l2Ey = f32x4.extract_lane(ey, 1); l2Dp = f32x4.extract_lane(dp, 1);
  l2Qmin = f32x4.extract_lane(qmin, 1); l2Lq0 = f32x4.extract_lane(lq0, 1); l2R = f32x4.extract_lane(r, 1); l2Tpp = f32x4.extract_lane(tpp, 1);
  return true;
}

/** (a, b, a, b): the two lanes of the pair functions (lanes 2, 3 repeat them). */
// @ts-ignore: decorator
@inline function lane2(a: f32, b: f32): v128 { return f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(a), 1, b), 3, b); }

/** photonAt() of both photons (l1*, t1 and l2*, t2) in two lanes (the SIMD build) into g1*, g2*. */
function photonPair(t1: f32, t2: f32): void {
  const p2 = lane2(l1P2, l2P2), qmin = lane2(l1Qmin, l2Qmin);
  const q = xexp4(lane2(t1, t2));
  const omc = f32x4.min(S(2.0), f32x4.max(S(0.0), xdiv4(f32x4.sub(q, qmin), lane2(l1Tpp, l2Tpp))));
  const pt2 = ftz4(f32x4.mul(f32x4.mul(p2, p2), ftz4(f32x4.mul(omc, f32x4.sub(S(2.0), omc)))));
  const pt = xsqrt4(pt2);
  const qb = f32x4.add(f32x4.add(lane2(l1Ey, l2Ey), lane2(l1Dp, l2Dp)), ftz4(f32x4.mul(p2, omc)));
  const qs = xdiv4(f32x4.sub(pt2, q), qb);
  g1Q = f32x4.extract_lane(q, 0); g1Pt = f32x4.extract_lane(pt, 0); g1Omc = f32x4.extract_lane(omc, 0); g1Qb = f32x4.extract_lane(qb, 0); g1Qs = f32x4.extract_lane(qs, 0);
  g2Q = f32x4.extract_lane(q, 1); g2Pt = f32x4.extract_lane(pt, 1); g2Omc = f32x4.extract_lane(omc, 1); g2Qb = f32x4.extract_lane(qb, 1); g2Qs = f32x4.extract_lane(qs, 1);
}

/** lepton() of y1 into l1*, of y2 into l2* (in two lanes in the SIMD build); false where either does not exist. */
function leptons(P: Params, y1: f32, y2: f32): bool {
  if (ASC_FEATURE_SIMD) return leptonPair(P, y1, y2);
  lepton(P, y1);
  if (!lOk) return false;
  keep1();
  lepton(P, y2);
  if (!lOk) return false;
  keep2();
  return true;
}

function keep1(): void { l1Y = lY; l1E2 = lE2; l1P2 = lP2; l1Ey = lEy; l1Dp = lDp; l1Qmin = lQmin; l1Lq0 = lLq0; l1R = lR; l1Tpp = lTpp; }
function keep2(): void { l2Y = lY; l2E2 = lE2; l2P2 = lP2; l2Ey = lEy; l2Dp = lDp; l2Qmin = lQmin; l2Lq0 = lLq0; l2R = lR; l2Tpp = lTpp; }

// @ts-ignore: decorator
@inline function lnQ2At(qmin: f32, tpp: f32, omc: f32): f32 { return xlog(qmin + tpp * omc); }

function omcAtPt(p2: f32, pt: f32): f32 {
  const x = xdiv(pt, p2), x2 = x * x;
  return xdiv(x2, <f32>1.0 + xsqrt(<f32>1.0 - x2));
}

// photonAt(): a photon's Q^2, pT, 1 - cos, light-cone components
let gQ: f32 = 0, gPt: f32 = 0, gOmc: f32 = 0, gQb: f32 = 0, gQs: f32 = 0;
let g1Q: f32 = 0, g1Pt: f32 = 0, g1Omc: f32 = 0, g1Qb: f32 = 0, g1Qs: f32 = 0;
let g2Q: f32 = 0, g2Pt: f32 = 0, g2Omc: f32 = 0, g2Qb: f32 = 0, g2Qs: f32 = 0;

function photonAt(p2: f32, ey: f32, dp: f32, qmin: f32, tpp: f32, t: f32): void {
  const q = xexp(t);
  const omc = min<f32>(2.0, max<f32>(0.0, xdiv(q - qmin, tpp)));
  const pt2 = fm(p2 * p2, fm(omc, <f32>2.0 - omc));
  gQ = q;
  gPt = xsqrt(pt2);
  gOmc = omc;
  gQb = (ey + dp) + fm(p2, omc);
  gQs = xdiv(pt2 - q, gQb);
}

// @ts-ignore: decorator
@inline function fluxMax(y: f32): f32 { return (<f32>1.0 - y) + <f32>0.5 * (y * y); }
// @ts-ignore: decorator
@inline function rBound(l0: f32, lny: f32, y: f32): f32 { return <f32>2.0 * ((l0 - lny) - y); }
/** photonAt() of the photon of l1* at t1 into g1*, of l2* at t2 into g2* (in two lanes in the SIMD build). */
function photons(t1: f32, t2: f32): void {
  if (ASC_FEATURE_SIMD) {
    photonPair(t1, t2);
    return;
  }
  photonAt(l1P2, l1Ey, l1Dp, l1Qmin, l1Tpp, t1);
  g1Q = gQ; g1Pt = gPt; g1Omc = gOmc; g1Qb = gQb; g1Qs = gQs;
  photonAt(l2P2, l2Ey, l2Dp, l2Qmin, l2Tpp, t2);
  g2Q = gQ; g2Pt = gPt; g2Omc = gOmc; g2Qb = gQb; g2Qs = gQs;
}

function flux(P: Params, y: f32, q: f32): f32 {
  const me = P.m_e;
  const f = fluxMax(y) - xdiv(fm(me * me, y * y), q);
  return max<f32>(0.0, f);
}

function ddSigma(P: Params, w2: f32, q1: f32, q2: f32): f32 {
  const mm = P.m_mu;
  const iw2 = xrecip(w2);
  const x = (<f32>4.0 * (mm * mm)) * iw2;
  const b2 = <f32>1.0 - x, b = xsqrt(b2);
  const omb = xdiv(x, <f32>1.0 + b);
  const L = xlog(xdiv(<f32>1.0 + b, omb));
  const br = (<f32>3.0 - b2 * b2) * L - (<f32>2.0 * b) * (<f32>2.0 - b2);
  const sig = (P.c_sig * iw2) * br;
  return (sig * xdiv(w2, w2 + q1)) * xdiv(w2, w2 + q2);
}

// tailInterval(): (iLo, iHi), iOk
let iOk = false, iLo: f32 = 0, iHi: f32 = 0;
function tailInterval(P: Params, y: f32, p2: f32, qmin: f32, tpp: f32, yo: f32, omcEsc: f32): void {
  iOk = false;
  if (!(p2 > <f32>0.5)) return;
  const omcPt = omcAtPt(p2, 0.5);
  if (!(omcPt < omcEsc)) return;
  const num = (y * yo) * P.s - P.wmin2;
  if (!(num > 0.0)) return;
  const lo = lnQ2At(qmin, tpp, omcPt);
  const hi = min<f32>(lnQ2At(qmin, tpp, omcEsc), xlog(xdiv(num, max<f32>(0.001, <f32>1.0 - yo))));
  iOk = lo < hi;
  iLo = lo;
  iHi = hi;
}

// rIntervals(): (rE, rJ) = escape's upper ln Q^2, J's lower ln Q^2
let rE: f32 = 0, rJ: f32 = 0;
function rIntervals(p2: f32, qmin: f32, tpp: f32, omcEsc: f32, rPt: f32): void {
  rE = lnQ2At(qmin, tpp, omcEsc);
  rJ = rE + <f32>1.0;
  if (!(p2 > rPt)) return;
  const omcPt = omcAtPt(p2, rPt);
  if (!(omcPt < omcEsc)) return;
  rJ = lnQ2At(qmin, tpp, omcPt);
}

// configure(): the leptons, the system, W^2 (from l1*, l2*, g1*, g2* and the azimuths)
let emE: f32 = 0, emX: f32 = 0, emY: f32 = 0, emZ: f32 = 0, epE: f32 = 0, epX: f32 = 0, epY: f32 = 0, epZ: f32 = 0;
let syE: f32 = 0, syX: f32 = 0, syY: f32 = 0, syZ: f32 = 0, cfW2: f32 = 0;
function configure(c1c: f32, c1s: f32, c2c: f32, c2s: f32): void {
  const x1 = fm(g1Pt, c1c), y1 = fm(g1Pt, c1s), x2 = fm(g2Pt, c2c), y2 = fm(g2Pt, c2s);
  emE = l1E2; emX = x1; emY = y1; emZ = l1P2 - fm(l1P2, g1Omc);
  epE = l2E2; epX = x2; epY = y2; epZ = -(l2P2 - fm(l2P2, g2Omc));
  const sp = g1Qb + g2Qs, sm = g1Qs + g2Qb;
  syE = <f32>0.5 * (sp + sm); syX = -(x1 + x2); syY = -(y1 + y2); syZ = <f32>0.5 * (sp - sm);
  const dot = fm(x1, x2) + fm(y1, y2);
  cfW2 = (((fm(g1Qb, g2Qb) - g1Q) - g2Q) - <f32>2.0 * dot) + fm(g1Qs, g2Qs);
}

function sysInR(rp: f32, rc: f32): bool {
  const pz2 = fm(syZ, syZ);
  const p2 = (fm(syX, syX) + fm(syY, syY)) + pz2;
  return p2 >= rp * rp && pz2 < (rc * rc) * p2;
}

/** ref.ts inRegion: whether the configuration lies in the region (rPt, rp, rc): R's r_* or the inner region's r2_*. */
function inRegion(P: Params, t1: f32, t2: f32, rPt: f32, rp: f32, rc: f32): bool {
  rIntervals(l1P2, l1Qmin, l1Tpp, P.omc_esc1, rPt);
  const e1 = rE, j1 = rJ;
  rIntervals(l2P2, l2Qmin, l2Tpp, P.omc_esc2, rPt);
  const e2 = rE, j2 = rJ;
  const esc1 = t1 <= e1, esc2 = t2 <= e2;
  if (!(esc1 && esc2 && (t1 >= j1 || t2 >= j2))) return false;
  return sysInR(rp, rc);
}

function inR(P: Params, t1: f32, t2: f32): bool { return inRegion(P, t1, t2, P.r_pt, P.r_p, P.r_cos); }

// the chosen configuration and its weight (chOk false: the bounded loop failed)
let chOk = false, chWeight: f32 = 0;
let chEmE: f32 = 0, chEmX: f32 = 0, chEmY: f32 = 0, chEmZ: f32 = 0, chEpE: f32 = 0, chEpX: f32 = 0, chEpY: f32 = 0, chEpZ: f32 = 0;
let chSyE: f32 = 0, chSyX: f32 = 0, chSyY: f32 = 0, chSyZ: f32 = 0, chW2: f32 = 0;
function chooseCf(weight: f32): void {
  chOk = true;
  chEmE = emE; chEmX = emX; chEmY = emY; chEmZ = emZ; chEpE = epE; chEpX = epX; chEpY = epY; chEpZ = epZ;
  chSyE = syE; chSyX = syX; chSyY = syY; chSyZ = syZ; chW2 = cfW2;
  chWeight = weight;
}

function sampleBulk(P: Params): void {
  const box = P.tail != 0, outside = P.stratum == 2, outsideB = P.stratum == 4;
  const l0 = xlog(xdiv(<f32>2.0 * P.e_beam, P.m_e)); // ln(2 E / m_e) (ref.ts rBound)
  let S: f32 = 0, resB: f32 = 0;
  let rEmE: f32 = 0, rEmX: f32 = 0, rEmY: f32 = 0, rEmZ: f32 = 0, rEpE: f32 = 0, rEpX: f32 = 0, rEpY: f32 = 0, rEpZ: f32 = 0;
  let rSyE: f32 = 0, rSyX: f32 = 0, rSyY: f32 = 0, rSyZ: f32 = 0, rW2: f32 = 0;
  chOk = false;
  for (let it = 0; it < TRIALS; it++) {
    const uAcc = rsUniform();
    const uc: f32 = box ? rsUniform() : 1.0;
    let comp: u32 = 0, off: u32 = ENV_CUM;
    if (uc < <f32>0.25) { comp = 1; off = ENV_CUM_T1; } else if (uc < <f32>0.5) { comp = 2; off = ENV_CUM_T2; }
    const cell = pickCell(off, bits23(rsUniform()));
    const ci = cell >> 6, cj = cell & 63;
    const v = P.ly + (<f32>ci + rsUniform()) * P.dv;
    const d = P.ly + (<f32>cj + rsUniform()) * P.dd;
    if (!(abs<f32>(d) <= -v)) continue;
    const lny1 = <f32>0.5 * (v + d), lny2 = <f32>0.5 * (v - d);
    const y1 = xexp(lny1), y2 = xexp(lny2);
    const t1Cell = box && inTable(ENV_CUM_T1, cell), t2Cell = box && inTable(ENV_CUM_T2, cell);
    // ref.ts: the early rejection before the leptons
    if (!t1Cell && !t2Cell && uAcc >= ((fluxMax(y1) * fluxMax(y2)) * (rBound(l0, lny1, y1) * rBound(l0, lny2, y2))) * tabF(ENV_INV_R, cell) * PRE_MARGIN) {
      if (P.e_beam * (<f32>1.0 - y1) > P.m_e && P.e_beam * (<f32>1.0 - y2) > P.m_e) { // ref.ts leptonExists
        rsUniform();
        rsUniform();
      }
      continue;
    }
    if (!leptons(P, y1, y2)) continue;
    let i1 = false, i1Lo: f32 = 0, i1Hi: f32 = 0, i2 = false, i2Lo: f32 = 0, i2Hi: f32 = 0;
    if (t1Cell) { tailInterval(P, l1Y, l1P2, l1Qmin, l1Tpp, l2Y, P.omc_esc1); i1 = iOk; i1Lo = iLo; i1Hi = iHi; }
    if (t2Cell) { tailInterval(P, l2Y, l2P2, l2Qmin, l2Tpp, l1Y, P.omc_esc2); i2 = iOk; i2Lo = iLo; i2Hi = iHi; }
    const u1 = rsUniform(), u2 = rsUniform();
    const t1: f32 = comp == 1 && i1 ? i1Lo + (i1Hi - i1Lo) * u1 : l1Lq0 + l1R * u1;
    const t2: f32 = comp == 2 && i2 ? i2Lo + (i2Hi - i2Lo) * u2 : l2Lq0 + l2R * u2;
    const in1 = i1 && t1 >= i1Lo && t1 <= i1Hi, in2 = i2 && t2 >= i2Lo && t2 <= i2Hi;
    let G: f32 = 1.0, bf: f32 = 1.0;
    if (box) {
      const tf1: f32 = i1 ? (in1 ? xdiv(l1R, i1Hi - i1Lo) : 0.0) : 1.0;
      const tf2: f32 = i2 ? (in2 ? xdiv(l2R, i2Hi - i2Lo) : 0.0) : 1.0;
      G = <f32>0.5 + <f32>0.25 * (tabF(ENV_RHO1, cell) * tf1 + tabF(ENV_RHO2, cell) * tf2);
      bf = 0.5;
    }
    const inT = in1 || in2;
    const r12 = l1R * l2R;
    // ref.ts: the early rejection before the photons
    if (!inT && uAcc * G >= ((fluxMax(l1Y) * fluxMax(l2Y)) * r12) * bf * tabF(ENV_INV_R, cell) * PRE_MARGIN) continue;
    photons(t1, t2);
    const f12 = xdiv(((flux(P, l1Y, g1Q) * flux(P, l2Y, g2Q)) * r12) * bf, G);
    if (!inT && uAcc >= f12 * tabF(ENV_INV_R, cell)) continue;
    disc();
    const c1c = dC, c1s = dS;
    disc();
    configure(c1c, c1s, dC, dS);
    if (!(cfW2 > P.wmin2)) continue;
    if (outside && inR(P, t1, t2)) continue;
    if (outsideB && inB(P, t1, t2)) continue;
    const a = (f12 * ddSigma(P, cfW2, g1Q, g2Q)) * tabF(ENV_INV_H, cell);
    if (inT && a > 0.0) {
      let pt: f32 = in1 ? g1Pt : 0.0;
      if (in2) pt = max<f32>(pt, g2Pt);
      const rr = pt * <f32>2.0, r2 = rr * rr;
      const b = min<f32>(TAIL_B_MAX, (r2 * r2) * r2);
      const ab = a * b;
      S = S + ab;
      if (rsUniform() * S < ab) {
        rEmE = emE; rEmX = emX; rEmY = emY; rEmZ = emZ; rEpE = epE; rEpX = epX; rEpY = epY; rEpZ = epZ;
        rSyE = syE; rSyX = syX; rSyY = syY; rSyZ = syZ; rW2 = cfW2;
        resB = b;
      }
    }
    if (!(uAcc < a)) continue;
    if (S == 0.0) { chooseCf(1.0); return; }
    const sc = S + TAIL_C0;
    let pickRes = inT;
    let wt: f32 = 0;
    if (inT) wt = xdiv(S, resB);
    else if (rsUniform() * sc < TAIL_PICK * S) {
      pickRes = true;
      wt = xdiv(sc, TAIL_PICK * resB);
    } else wt = xdiv(sc, <f32>0.25 * S + TAIL_C0);
    if (pickRes) {
      emE = rEmE; emX = rEmX; emY = rEmY; emZ = rEmZ; epE = rEpE; epX = rEpX; epY = rEpY; epZ = rEpZ;
      syE = rSyE; syX = rSyX; syY = rSyY; syZ = rSyZ; cfW2 = rW2;
    }
    chooseCf(wt);
    return;
  }
}

// R's proposal (ref.ts sampleR): cell = ((((k 4 + part) 4 + tb) 32 + row) 64 + col) among R_CELLS
function pickCellR(k: u32): u32 {
  let lo: u32 = 0, hi: u32 = R_CELLS - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tabU(ENV_CUM_R, mid) > k) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** ref.ts sampleR: R (stratum 1), or R minus the inner region r2_* (stratum 5: its trials count as rejected). */
function sampleR(P: Params): void {
  chOk = false;
  const inner = P.stratum == 5;
  const ysMin = xdiv(P.r_p, P.e_beam);
  for (let it = 0; it < TRIALS_R; it++) {
    const uAcc = rsUniform();
    const cell = pickCellR(bits23(rsUniform()));
    const k = cell >> 15, part = (cell >> 13) & 3, tb = (cell >> 11) & 3, ci = (cell >> 6) & 31, cj = cell & 63;
    const v = P.ly + (<f32>ci + rsUniform()) * P.dd;
    const u = P.ly + (<f32>cj + rsUniform()) * P.dv;
    if (!(v <= u)) continue;
    const yk = xexp(v - u), yo = xexp(u);
    const y1 = k == 0 ? yk : yo, y2 = k == 0 ? yo : yk;
    if (!(y1 + y2 >= ysMin)) continue;
    if (!leptons(P, y1, y2)) continue;
    rIntervals(l1P2, l1Qmin, l1Tpp, P.omc_esc1, P.r_pt);
    const e1 = rE, j1 = rJ;
    rIntervals(l2P2, l2Qmin, l2Tpp, P.omc_esc2, P.r_pt);
    const e2 = rE, j2 = rJ;
    const lj1 = max<f32>(0.0, e1 - j1), lj2 = max<f32>(0.0, e2 - j2);
    const lj = k == 0 ? lj1 : lj2;
    if (!(lj > 0.0)) continue;
    const oLo = k == 0 ? l2Lq0 : l1Lq0, oHi = k == 0 ? e2 : e1 - lj1;
    const lo = part == 0 ? oLo : max<f32>(oLo, rTq(part - 1)), hi = part == 3 ? oHi : min<f32>(oHi, rTq(part));
    const lO = hi - lo;
    if (!(lO > 0.0)) continue;
    const ljb = lj * <f32>0.25, area = ljb * lO;
    const u1 = rsUniform(), u2 = rsUniform();
    const tK = (k == 0 ? j1 : j2) + ljb * (<f32>tb + (k == 0 ? u1 : u2)), tO = lo + lO * (k == 0 ? u2 : u1);
    const t1 = k == 0 ? tK : tO, t2 = k == 0 ? tO : tK;
    photons(t1, t2);
    const f12 = (flux(P, y1, g1Q) * flux(P, y2, g2Q)) * area;
    if (uAcc >= f12 * tabF(ENV_INV_RR, cell)) continue;
    disc();
    const c1c = dC, c1s = dS;
    disc();
    configure(c1c, c1s, dC, dS);
    if (!(cfW2 > P.wmin2) || !sysInR(P.r_p, P.r_cos)) continue;
    if (inner && inRegion(P, t1, t2, P.r2_pt, P.r2_p, P.r2_cos)) continue;
    const a = (f12 * ddSigma(P, cfW2, g1Q, g2Q)) * tabF(ENV_INV_HR, cell);
    if (uAcc < a) { chooseCf(1.0); return; }
  }
}

/** The other photon's part edges (ref.ts R_TQ): ln Q_o^2, GeV^2. */
@inline function rTq(j: u32): f32 { return j == 0 ? <f32>-4.625 : j == 1 ? <f32>-3.0 : <f32>-1.5; }

// bInterval(): B's ln Q^2 interval of a lepton (ref.ts), (bLo, bHi)
let bLo: f32 = 0, bHi: f32 = 0;
function bInterval(qmin: f32, tpp: f32, lq0: f32, r: f32, omcLo: f32, omcHi: f32): void {
  bLo = lnQ2At(qmin, tpp, omcLo);
  bHi = min<f32>(lnQ2At(qmin, tpp, omcHi), lq0 + r);
}

/** Whether both leptons' (l1*, l2*) ln Q^2 lie in their B intervals (ref.ts inB). */
function inB(P: Params, t1: f32, t2: f32): bool {
  bInterval(l1Qmin, l1Tpp, l1Lq0, l1R, P.omc_b1lo, P.omc_b1hi);
  const lo1 = bLo, hi1 = bHi;
  bInterval(l2Qmin, l2Tpp, l2Lq0, l2R, P.omc_b2lo, P.omc_b2hi);
  return t1 >= lo1 && t1 <= hi1 && t2 >= bLo && t2 <= bHi;
}

/** The stratum B (ref.ts sampleB): both leptons' ln Q^2 flat in their B intervals, (v, d) from B's cells. */
function sampleB(P: Params): void {
  chOk = false;
  for (let it = 0; it < TRIALS_B; it++) {
    const uAcc = rsUniform();
    const cell = pickCell(ENV_CUM_B, bits23(rsUniform()));
    const ci = cell >> 6, cj = cell & 63;
    const v = P.ly + (<f32>ci + rsUniform()) * P.dv;
    const d = P.ly + (<f32>cj + rsUniform()) * P.dd;
    if (!(abs<f32>(d) <= -v)) continue;
    const y1 = xexp(<f32>0.5 * (v + d)), y2 = xexp(<f32>0.5 * (v - d));
    if (!leptons(P, y1, y2)) continue;
    bInterval(l1Qmin, l1Tpp, l1Lq0, l1R, P.omc_b1lo, P.omc_b1hi);
    const lo1 = bLo, hi1 = bHi;
    bInterval(l2Qmin, l2Tpp, l2Lq0, l2R, P.omc_b2lo, P.omc_b2hi);
    const lo2 = bLo, hi2 = bHi;
    const len1 = hi1 - lo1, len2 = hi2 - lo2;
    if (!(len1 > 0.0 && len2 > 0.0)) continue;
    const u1 = rsUniform(), u2 = rsUniform();
    photons(lo1 + len1 * u1, lo2 + len2 * u2);
    const f12 = (flux(P, y1, g1Q) * flux(P, y2, g2Q)) * (len1 * len2);
    if (uAcc >= f12 * tabF(ENV_INV_RB, cell)) continue;
    disc();
    const c1c = dC, c1s = dS;
    disc();
    configure(c1c, c1s, dC, dS);
    if (!(cfW2 > P.wmin2)) continue;
    const a = (f12 * ddSigma(P, cfW2, g1Q, g2Q)) * tabF(ENV_INV_HB, cell);
    if (uAcc < a) { chooseCf(1.0); return; }
  }
}

/** The muon pair of the chosen system: (aE..aZ) = mu-, (bE..bZ) = mu+ (ref.ts muonPair). */
function muonPair(P: Params): void {
  const mm = P.m_mu;
  const x = xdiv(<f32>4.0 * (mm * mm), chW2);
  const b2 = <f32>1.0 - x, b = xsqrt(b2);
  const ob = <f32>1.0 + b, omb = xdiv(x, ob);
  const lr = xlog(xdiv(omb, ob));
  let c: f32 = 0;
  for (let it = 0; it < 64; it++) {
    const r = xexp(rsUniform() * lr);
    const c0 = xdiv(<f32>1.0 - ob * r, b);
    c = rsUniform() < <f32>0.5 ? c0 : -c0;
    const s2 = (<f32>1.0 - c) * (<f32>1.0 + c);
    const den = x + b2 * s2;
    const num = ((<f32>1.0 + (<f32>2.0 * b2) * s2) - b2 * b2) - (b2 * b2) * (s2 * s2);
    if ((<f32>2.0 * rsUniform()) * den <= num) break;
  }
  const W = xsqrt(chW2);
  disc();
  twoBody(chSyE, chSyX, chSyY, chSyZ, W, chW2, mm, mm, c);
}

function accepted(P: Params, x: f32, y: f32, z: f32): bool {
  const pt2 = fm(x, x) + fm(y, y);
  const pa = xsqrt(pt2 + fm(z, z));
  return xsqrt(pt2) > P.trk_ptmin && z > P.trk_cmin * pa && z < P.trk_cmax * pa;
}

function genEvent(P: Params, ev: u32, o: usize): void {
  rsInit(P.key0, P.key1, ev, 0, 0);
  for (let j: u32 = 0; j < <u32>(OUT_EV_STRIDE >> 2); j++) put(o, j, 0.0);
  if (P.stratum == 1 || P.stratum == 5) sampleR(P);
  else if (P.stratum == 3) sampleB(P);
  else sampleBulk(P);
  if (!chOk) return;
  muonPair(P);
  const g = P.g_cm, bg = P.bg_cm;
  if (P.family == 1) {
    // the fourtrack family: mu-, mu+, e-, e+ through lib/fourtrack (ref.ts genEvent)
    ftBegin();
    ftAddTrack(aE, aX, aY, aZ, KIND_MU, -1.0);
    ftAddTrack(bE, bX, bY, bZ, KIND_MU, 1.0);
    ftAddTrack(chEmE, chEmX, chEmY, chEmZ, KIND_E, -1.0);
    ftAddTrack(chEpE, chEpX, chEpY, chEpZ, KIND_E, 1.0);
    const tb = changetype<usize>(P);
    const tdMu = changetype<TrackDet>(tb + offsetof<Params>('trk_cmin'));
    fourtrackColumns(o, tdMu, tdMu, changetype<TrackDet>(tb + offsetof<Params>('trk_cmin_e')), P.m_e, P.m_mu, P.m_mu, P.e_tot, P.pz_tot, g, bg, P.g_tau, P.bg_tau, 0.0, 0.0, 0.0);
    put(o, F_WEIGHT, chWeight);
    return;
  }
  const mme = aE, mmx = aX, mmy = aY, mmz = aZ;
  boostZ(bE, bX, bY, bZ, g, bg);
  const lpe = oE, lpx = oX, lpy = oY, lpz = oZ;
  boostZ(mme, mmx, mmy, mmz, g, bg);
  const lme = oE, lmx = oX, lmy = oY, lmz = oZ;
  const td = changetype<TrackDet>(changetype<usize>(P) + offsetof<Params>('trk_cmin'));
  track(td, P.m_mu, lpe, lpx, lpy, lpz);
  const accP = tAcc, idP = tId, pmP = tPm, ae = oE, ax = oX, ay = oY, az = oZ;
  track(td, P.m_mu, lme, lmx, lmy, lmz);
  const accM = tAcc, idM = tId, pmM = tPm, be = oE, bx = oX, by = oY, bz = oZ;
  boostZ(chEmE, chEmX, chEmY, chEmZ, g, bg);
  const x1 = accepted(P, oX, oY, oZ);
  boostZ(chEpE, chEpX, chEpY, chEpZ, g, bg);
  const x2 = accepted(P, oX, oY, oZ);
  const extra = <f32>((x1 ? 1 : 0) + (x2 ? 1 : 0));
  // the dimuon columns (genkin dimuonColumns), the weight
  dimuonColumns(o, accP, idP, pmP, ae, ax, ay, az, accM, idM, pmM, be, bx, by, bz, lpe, lpx, lpy, lpz, lme, lmx, lmy, lmz, 0.0, 0.0, extra, P.e_tot, P.pz_tot, g, bg, P.m_mu);
  put(o, C_WEIGHT, chWeight);
}

export function gen_eemumu(params: usize, bufs: usize): void {
  const P = changetype<Params>(params);
  const B = changetype<Bufs>(bufs);
  env = B.in_env;
  const out = B.out_ev;
  const n = P.item_count, base = P.first + P.item_offset;
  const four = P.family == 1;
  if (four) ftClaim();
  for (let l: u32 = 0; l < n; l++) genEvent(P, base + l, out + <usize>l * OUT_EV_STRIDE);
  if (four) ftRelease();
}
