// The 'fourtrack' family's detector response and columns: twin of kernels/lib/fourtrack.{ts,wgsl} (see
// there for the definitions and the draw order); the same f32 operations in the same order. The
// event's four charged particles live in one of SLOTS static scratch slots (wasm/lib/slots.ts:
// workers share the memory): a kernel claims one per call (ftClaim / ftRelease), adds each event's
// particles (ftBegin, ftAddTrack), then fourtrackColumns writes the columns. The column words and
// kinds are FOURTRACK_WORDS (kernels/lib/fourtrack.ts), generated into gen_fourtrack's constants.
import { xdiv, xsqrt } from './exactmath';
import { claimSlot, releaseSlot } from './slots';
import { TrackDet, boostZ, fm, msq, oE, oX, oY, oZ, p3sq, ssqrt, tAcc, tId, tPm, track } from './genkin';
import {
  F_NTRK, F_QSUM, F_NMU, F_NGAM, F_EEXTRA, F_M4, F_HASMM, F_MMM, F_MREC, F_PMU1, F_PMU2, F_PTRK1, F_PTRK2,
  F_MTRK, F_CRT, F_PT4, F_CMM, F_IS3X1, F_LEPK, F_PLEP, F_EPS, F_CLEP, F_M3, F_E3, F_TRUTH, F_ACC, KIND_E, KIND_MU, KIND_PI,
} from '../gen/gen_fourtrack';

// Word offsets in a slot: the tracks' CM four-vectors (4 x 4), kinds (u32), charges; then the
// detector's lab four-vectors (4 x 4), their CM four-vectors (4 x 4), CM momenta, identification (u32).
const TP: u32 = 0, TK: u32 = 16, TQ: u32 = 20, TL: u32 = 24, TC: u32 = 40, TPC: u32 = 56, TID: u32 = 60;
const SLOT_WORDS: u32 = 64;
const SLOTS: u32 = 16;
const scratch: usize = memory.data(<i32>(SLOTS * SLOT_WORDS * 4), 16);
const locks: usize = memory.data(<i32>(SLOTS * 4), 4);
let S: usize = 0;
let slot: u32 = 0;
let evN: u32 = 0;

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
// @ts-ignore: decorator
@inline function put(o: usize, j: u32, v: f32): void { store<f32>(o + (<usize>j << 2), v); }

/** Claims a scratch slot for this call's events; ftRelease frees it. */
export function ftClaim(): void {
  slot = claimSlot(locks, SLOTS);
  S = scratch + <usize>slot * SLOT_WORDS * 4;
}
export function ftRelease(): void { releaseSlot(locks, slot); }
/** A new event: no particles yet. */
export function ftBegin(): void { evN = 0; }
export function ftAddTrack(e: f32, x: f32, y: f32, z: f32, kind: u32, q: f32): void {
  st4(TP + 4 * evN, e, x, y, z);
  su(TK + evN, kind);
  sf(TQ + evN, q);
  evN++;
}
/** Particle i's kind and charge; a new kind (forced fakes). */
export function ftKind(i: u32): u32 { return lu(TK + i); }
export function ftCharge(i: u32): f32 { return lf(TQ + i); }
export function ftSetKind(i: u32, kind: u32): void { su(TK + i, kind); }

// @ts-ignore: decorator
@inline function cosNum(a: u32, b: u32): f32 { return (fm(lf(a + 1), lf(b + 1)) + fm(lf(a + 2), lf(b + 2))) + fm(lf(a + 3), lf(b + 3)); }
function cosBetween(ax: f32, ay: f32, az: f32, bx: f32, by: f32, bz: f32): f32 {
  const d2 = fm(p3sq(ax, ay, az), p3sq(bx, by, bz));
  return d2 > 0.0 ? xdiv((fm(ax, bx) + fm(ay, by)) + fm(az, bz), xsqrt(d2)) : 0.0;
}

/**
 * The detector's view of the event's four particles and the fourtrack columns into the words at o
 * (0 .. F_ACC): fourtrack.ts fourtrackColumns with its FtDet as arguments (mu, pi, e: the three
 * track sub-blocks).
 */
export function fourtrackColumns(
  o: usize, mu: TrackDet, pi: TrackDet, e: TrackDet, mE: f32, mMu: f32, mPi: f32, eTot: f32, pzTot: f32, g: f32, bg: f32, gTau: f32, bgTau: f32,
  nGam: f32, eExtra: f32, truth: f32,
): void {
  // ---- detector (lab frame): the tracks in order
  const mmu = mMu;
  let nTrk: f32 = 0, qSum: f32 = 0, nMu: f32 = 0;
  for (let i: u32 = 0; i < 4; i++) {
    const kind = lu(TK + i);
    const td = kind == KIND_MU ? mu : kind == KIND_PI ? pi : e;
    const m = kind == KIND_E ? mE : kind == KIND_MU ? mmu : mPi;
    ld4(TP + 4 * i);
    boostZ(oE, oX, oY, oZ, g, bg);
    track(td, m, oE, oX, oY, oZ);
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
  // ---- the fourtrack columns
  for (let j: u32 = 0; j <= F_ACC; j++) put(o, j, 0.0);
  put(o, F_NTRK, nTrk);
  put(o, F_QSUM, qSum);
  put(o, F_NMU, nMu);
  put(o, F_NGAM, nGam);
  put(o, F_EEXTRA, eExtra);
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
    const ce = eTot - pe, cx = -px, cy = -py, cz = pzTot - pz;
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
  const ml = isE ? mE : mmu, pl = lf(TPC + lone);
  const lx = lf(TC + 4 * lone + 1), ly = lf(TC + 4 * lone + 2), lz = lf(TC + 4 * lone + 3);
  put(o, F_PLEP, pl);
  put(o, F_CLEP, pl > 0.0 ? xdiv(lz, pl) : <f32>0.0);
  put(o, F_M3, ssqrt(msq(te, tx, ty, tz)));
  put(o, F_E3, te);
  const q3 = xsqrt(p3sq(tx, ty, tz));
  const nl: f32 = q3 > 0.0 ? xdiv((fm(tx, lx) + fm(ty, ly)) + fm(tz, lz), q3) : <f32>0.0;
  put(o, F_EPS, gTau * xsqrt(ml * ml + pl * pl) + bgTau * nl);
}
