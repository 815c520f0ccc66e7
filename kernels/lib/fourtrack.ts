// The 'fourtrack' family's detector response and columns (engine/generate/tau.ts: exactly four
// tracks) in f32 from exact operations only: the one four-track column writer of the generator
// kernels that make four charged particles (gen_fourtrack's tau pairs and q qbar, gen_eemumu's
// e e mu mu in its four-track mode). Twins: kernels/lib/fourtrack.wgsl, wasm/lib/fourtrack.ts (same
// operations in the same order). Needs genkin (track) and sampling (the detector's draws).
//
// Detector (genkin track, in the lab): per charged particle in the order made, 3 normals + 1
// uniform, the identification threshold that of its kind (three TRACK_PARAMS sub-blocks: muon
// mu_eff, pion the pion fake rate, electron 0: never a muon); a track identified as a muon takes
// the muon mass. Columns (the f64 definition they follow: test/f64-fourtrack.ts recoFourtrack):
// counts always; with exactly four accepted tracks the accepted flag, M(4 tracks), the mu mu pair
// (the opposite-charge identified muons with the largest CM momentum sum) and its recoil, and the
// 3x1 topology (one track opposite, cos < 0 in the CM, to each of the other three) with the
// lepton's energy in the tau pseudo-rest frame (tau along -(3-prong direction), E_tau = sqrt(s)/2,
// Belle II PRL 130 (2023) 181803).
import { xdiv, xsqrt } from './exactmath.js';
import { boostZ, fm, msq, p3sq, ssqrt, track, type V4 } from './genkin.js';
import type { RStream } from './sampling.js';

const fr = Math.fround;
const add = (a: number, b: number) => fr(a + b);
const sub = (a: number, b: number) => fr(a - b);
const mul = (a: number, b: number) => fr(a * b);

/** Track kinds. */
export const KIND_E = 1, KIND_MU = 2, KIND_PI = 3;

/** The fourtrack family's output words (engine/generate/tau.ts FOURTRACK_COLUMNS order), then the accepted flag (FOURTRACK_WORDS.F_ACC). */
export const FOURTRACK_COLUMN_NAMES = [
  'n_tracks', 'charge_sum', 'n_mu_id', 'n_gamma', 'E_extra_GeV', 'm_4trk_GeV',
  'has_mumu', 'm_mumu_GeV', 'm_recoil_GeV', 'p_mu1_cm_GeV', 'p_mu2_cm_GeV', 'p_trk1_cm_GeV', 'p_trk2_cm_GeV',
  'm_trk_GeV', 'cos_recoil_trk_cm', 'pt_4trk_cm_GeV', 'cos_mumu_cm',
  'is_3x1', 'lep_kind', 'p_lep_cm_GeV', 'E_lep_pseudo_GeV', 'cos_theta_lep_cm', 'm_3prong_GeV', 'E_3prong_cm_GeV',
  'truth_m_GeV',
] as const;
/** Word of the accepted flag (1: exactly four tracks, 0: not); the writer fills words 0 .. FT_ACC. */
export const FT_ACC = 25;
const col = Object.fromEntries(FOURTRACK_COLUMN_NAMES.map((c, j) => [c, j])) as Record<(typeof FOURTRACK_COLUMN_NAMES)[number], number>;
/** Column words and track kinds (KernelDesc.constants of the kernels that write the family: generated into WGSL and AssemblyScript, where lib/fourtrack reads them). */
export const FOURTRACK_WORDS = {
  F_NTRK: col.n_tracks, F_QSUM: col.charge_sum, F_NMU: col.n_mu_id, F_NGAM: col.n_gamma, F_EEXTRA: col.E_extra_GeV, F_M4: col.m_4trk_GeV,
  F_HASMM: col.has_mumu, F_MMM: col.m_mumu_GeV, F_MREC: col.m_recoil_GeV, F_PMU1: col.p_mu1_cm_GeV, F_PMU2: col.p_mu2_cm_GeV,
  F_PTRK1: col.p_trk1_cm_GeV, F_PTRK2: col.p_trk2_cm_GeV, F_MTRK: col.m_trk_GeV, F_CRT: col.cos_recoil_trk_cm, F_PT4: col.pt_4trk_cm_GeV,
  F_CMM: col.cos_mumu_cm, F_IS3X1: col.is_3x1, F_LEPK: col.lep_kind, F_PLEP: col.p_lep_cm_GeV, F_EPS: col.E_lep_pseudo_GeV,
  F_CLEP: col.cos_theta_lep_cm, F_M3: col.m_3prong_GeV, F_E3: col.E_3prong_cm_GeV, F_TRUTH: col.truth_m_GeV, F_ACC: FT_ACC,
  KIND_E, KIND_MU, KIND_PI,
} as const;
const C = FOURTRACK_WORDS;

/** The event being made: its four charged particles (CM frame), their kinds and charges; photons seen so far. */
export interface FtEvent { n: number; p: V4[]; k: number[]; q: number[]; nGam: number; eExtra: number }

export const newFtEvent = (): FtEvent => ({ n: 0, p: [], k: [], q: [], nGam: 0, eExtra: 0 });

export function ftAddTrack(e: FtEvent, p: V4, kind: number, q: number): void {
  e.p[e.n] = p;
  e.k[e.n] = kind;
  e.q[e.n] = q;
  e.n++;
}

/**
 * What the writer needs from its kernel's params: the indices in P of the three TRACK_PARAMS
 * sub-blocks (muon, pion, electron), the masses, the lab's initial state (e_tot, pz_tot), the CM
 * boost (g, bg) and the pseudo-rest frame's tau boost (gamma, beta gamma of a tau of energy sqrt(s)/2).
 */
export interface FtDet { mu: number; pi: number; e: number; mE: number; mMu: number; mPi: number; eTot: number; pzTot: number; g: number; bg: number; gTau: number; bgTau: number }

const cosNum = (a: V4, b: V4) => add(add(fm(a[1], b[1]), fm(a[2], b[2])), fm(a[3], b[3]));
/** cos of the angle between two momenta (0 where one vanishes). */
function cosBetween(a: V4, b: V4): number {
  const d2 = fm(p3sq(a), p3sq(b));
  return d2 > 0 ? xdiv(cosNum(a, b), xsqrt(d2)) : 0;
}
const sum4 = (a: V4, b: V4): V4 => [add(a[0], b[0]), add(a[1], b[1]), add(a[2], b[2]), add(a[3], b[3])];

/** The detector's view of e's four particles and the fourtrack columns into out[o .. o + FT_ACC] (truth: the truth_m_GeV column). */
export function fourtrackColumns(s: RStream, P: Float32Array, d: FtDet, e: FtEvent, truth: number, out: Float32Array, o: number): void {
  // ---- detector (lab frame): the tracks in order
  const g = d.g, bg = d.bg, mmu = d.mMu;
  const L: V4[] = [], c: V4[] = [], pc: number[] = [], id: boolean[] = [];
  let nTrk = 0, qSum = 0, nMu = 0;
  for (let i = 0; i < 4; i++) {
    const kind = e.k[i];
    const b = kind === KIND_MU ? d.mu : kind === KIND_PI ? d.pi : d.e;
    const t = track(s, P, b, boostZ(e.p[i], g, bg), kind === KIND_E ? d.mE : kind === KIND_MU ? mmu : d.mPi);
    // a track identified as a muon takes the muon mass
    L[i] = t.id && kind !== KIND_MU ? [xsqrt(add(mul(mmu, mmu), mul(t.pm, t.pm))), t.p[1], t.p[2], t.p[3]] : t.p;
    c[i] = boostZ(L[i], g, -bg);
    pc[i] = xsqrt(p3sq(c[i]));
    id[i] = t.id;
    if (t.acc) {
      nTrk++;
      qSum += e.q[i];
      if (t.id) nMu++;
    }
  }
  // ---- the fourtrack columns
  for (let j = 0; j <= C.F_ACC; j++) out[o + j] = 0;
  out[o + C.F_NTRK] = nTrk;
  out[o + C.F_QSUM] = qSum;
  out[o + C.F_NMU] = nMu;
  out[o + C.F_NGAM] = e.nGam;
  out[o + C.F_EEXTRA] = e.eExtra;
  out[o + C.F_TRUTH] = truth;
  if (nTrk !== 4) return;
  out[o + C.F_ACC] = 1;
  const all = sum4(sum4(sum4(L[0], L[1]), L[2]), L[3]);
  out[o + C.F_M4] = ssqrt(msq(all));
  out[o + C.F_PT4] = xsqrt(add(fm(all[1], all[1]), fm(all[2], all[2])));
  // the mu mu pair: opposite-charge identified muons with the largest CM momentum sum
  let bi = -1, bj = -1, bestP = -1;
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      if (e.q[i] > 0 && e.q[j] < 0 && id[i] && id[j] && add(pc[i], pc[j]) > bestP) {
        bi = i;
        bj = j;
        bestP = add(pc[i], pc[j]);
      }
    }
  }
  out[o + C.F_MREC] = -1;
  if (bi >= 0) {
    out[o + C.F_HASMM] = 1;
    let k1 = -1, k2 = -1;
    for (let k = 0; k < 4; k++) {
      if (k === bi || k === bj) continue;
      if (k1 < 0) k1 = k;
      else k2 = k;
    }
    const pair = sum4(L[bi], L[bj]), rest = sum4(L[k1], L[k2]);
    out[o + C.F_MMM] = ssqrt(msq(pair));
    const rec: V4 = [sub(d.eTot, pair[0]), -pair[1], -pair[2], sub(d.pzTot, pair[3])];
    const r2 = msq(rec);
    out[o + C.F_MREC] = r2 > 0 ? xsqrt(r2) : -1;
    out[o + C.F_PMU1] = Math.max(pc[bi], pc[bj]);
    out[o + C.F_PMU2] = Math.min(pc[bi], pc[bj]);
    out[o + C.F_PTRK1] = Math.max(pc[k1], pc[k2]);
    out[o + C.F_PTRK2] = Math.min(pc[k1], pc[k2]);
    out[o + C.F_MTRK] = ssqrt(msq(rest));
    out[o + C.F_CRT] = cosBetween(boostZ(rec, g, -bg), boostZ(rest, g, -bg));
    out[o + C.F_CMM] = cosBetween(c[bi], c[bj]);
  }
  // 3x1: the one track opposite (cos < 0 in the CM) to each of the other three
  let lone = -1, nLone = 0;
  for (let i = 0; i < 4; i++) {
    let opp = true;
    for (let k = 0; k < 4; k++) if (k !== i && !(cosNum(c[i], c[k]) < 0)) opp = false;
    if (opp) {
      lone = i;
      nLone++;
    }
  }
  if (nLone !== 1) return;
  out[o + C.F_IS3X1] = 1;
  let three: V4 = [0, 0, 0, 0];
  for (let k = 0; k < 4; k++) if (k !== lone) three = sum4(three, c[k]);
  const isE = e.k[lone] === KIND_E;
  // electrons identified perfectly (illustrative); muons by the KLM model
  out[o + C.F_LEPK] = isE ? 1 : id[lone] ? 2 : 3;
  const ml = isE ? d.mE : mmu, l = c[lone], pl = pc[lone];
  out[o + C.F_PLEP] = pl;
  out[o + C.F_CLEP] = pl > 0 ? xdiv(l[3], pl) : 0;
  out[o + C.F_M3] = ssqrt(msq(three));
  out[o + C.F_E3] = three[0];
  // E* = gamma E_l + beta gamma (n . l), n the 3-prong direction
  const q3 = xsqrt(p3sq(three));
  const nl = q3 > 0 ? xdiv(cosNum(three, l), q3) : 0;
  out[o + C.F_EPS] = add(mul(d.gTau, xsqrt(add(mul(ml, ml), mul(pl, pl)))), mul(d.bgTau, nl));
}
