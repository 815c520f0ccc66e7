import type { RefKernel } from '../types.js';
import { xdiv, xexp, xlog, xrecip, xsqrt } from '../lib/exactmath.js';
import { newStream, rsInit, rsUniform, type RStream } from '../lib/sampling.js';
import { FOURTRACK_COLUMN_NAMES, FOURTRACK_WORDS, FT_ACC, KIND_E, KIND_MU, fourtrackColumns, ftAddTrack, newFtEvent, type FtDet } from '../lib/fourtrack.js';
import { DIMUON_COLUMNS, DIMUON_WORDS, TRACK_PARAMS, TRIES, boostZ, dimuonColumns, disc, fm, track, twoBody, type V4 } from '../lib/genkin.js';

// TypeScript reference of gen_eemumu (twins: gen_eemumu.wgsl, wasm/gen_eemumu.ts): one two-photon
// e+e- -> e+e- mu+ mu- event per item in f32 from exact operations only, its own Philox stream
// (counter (block, event, 0, 0)), the dimuon family's columns and a per-event weight.
//
// Physics (equivalent-photon approximation, EPA): each beam lepton radiates a photon of energy
// fraction y and virtuality Q^2 with
//   dn = (alpha/pi) (dy/y) (dQ^2/Q^2) [1 - y + y^2/2 - (1 - y) Q^2_min/Q^2],  (1 - y) Q^2_min = m_e^2 y^2
// (Budnev, Ginzburg, Meledin, Serbo, Phys. Rep. 15 (1975) 181, eq. D.4); the photons fuse to
// mu+ mu- with the real-photon Breit-Wheeler cross section at W = M(mu mu), damped by W^2/(W^2 + Q^2)
// per photon (illustrative form of the suppression of virtual photons, ibid. sec. 5); the muons'
// polar angle from the gamma gamma -> l l distribution (engine/generate/physics.ts gammaGammaAngular).
// The target density in (ln y1, ln y2, ln Q1^2, ln Q2^2, phi1, phi2) is
//   f = F(y1, Q1^2) F(y2, Q2^2) D(W, Q1^2) D(W, Q2^2) sigma(W),  W > W_min,
// each ln Q^2 in its kinematic range [Q^2_min(y), Q^2_max(y)] (length r). Sampled by rejection:
// (v, d) = (ln y1 + ln y2, ln y1 - ln y2) from a 64 x 64 cell table (the host's envelope,
// engine/generate/gen-eemumu.ts: each cell's bound H of r1 r2 D1 D2 sigma, proven there; cell
// weights as integers summing to 2^23 so that a 23-bit uniform picks a cell exactly), flat in
// the cell, ln Q^2 flat in range, azimuths flat; accepted with a = F1 F2 r1 r2 D1 D2 sigma / H.
//
// Stable f32 kinematics. Photon k's lepton (energy e' = E (1 - y), momentum p') has
// 1 - cos = (Q^2 - Q^2_min) / (2 P p') and pT = p' sqrt((1 - cos)(1 + cos)); the photon's
// light-cone components along its beam, big Qb = (E - e') + (P - p') + p' (1 - cos) with
// P - p' = (E - e')(E + e') / (P + p'), small Qs = (pT^2 - Q^2) / Qb (so q^2 = -Q^2); then
//   W^2 = Qb1 Qb2 - Q1^2 - Q2^2 - 2 pT1.pT2 + Qs1 Qs2
// without the cancellation of E_sys^2 - p_sys^2, and the gamma gamma system (Qb1 + Qs2 along +z,
// Qs1 + Qb2 along -z, transverse -pT1 - pT2).
//
// The large-pT tail (tail = 1): the e e mu mu events that pass a dimuon + missing-momentum
// selection have one soft photon (y_k <= 0.2 at its cell's centre) so virtual that its lepton has
// pT > 0.5 GeV and still escapes the tracker (its CM angle inside the cone 1 - cos < omc_esc_k), the
// other photon hard (y_o >= 0.3). A fraction TAIL_ALPHA of the trials comes from that region: the
// cell from photon k's tail cells (their own 2^23 table), ln Q_k^2 flat in the tail interval I_k
// (lepton pT > 0.5 GeV, escaping, Q_k^2 < (y_k y_o s - W_min^2) / max(1e-3, 1 - y_o)); the
// mixture's density ratio to g0 is G = 1 - alpha + alpha/2 sum_k rho_k(cell) tf_k (rho_k: the
// tail table's cell probability over g0's; tf_k = r_k / |I_k| inside I_k, 0 outside, 1 where I_k
// is empty), a = f / (M g) = F1 F2 r1 r2 (1 - alpha) / G D1 D2 sigma / H. The event is chosen
// among the trials by Wald's identity (for rejection trials x_1..x_K stopped at the first
// acceptance and any region T: E[1(x_K not in T, in R) + sum_{j<=K} a(x_j) 1(x_j in T, in R)] =
// P_f(R)): the accepted trial outside T (weight 1) and every trial inside T (weight a_j) form an
// unbiased weighted set; one is returned, a tail trial with probability p = TAIL_PICK S / (S +
// TAIL_C0), S = sum_T a_j b_j, picked in proportion to a_j b_j (weighted reservoir: one uniform per
// tail trial), weight S / (p b_j) = (S + C0) / (TAIL_PICK b_j); else the accepted one, weight
// 1 / (1 - p) = (S + C0) / ((1 - TAIL_PICK) S + C0); no tail trial: weight 1; the accepted trial in T:
// a tail trial (p = 1), weight S / b_j. b = min(729, (pT / 0.5 GeV)^6) of the larger tail pT.
// Every weight is exact (no normalisation constant), E[weight] = 1.
//
// Strata (stratum = 1 / 2 / 0: inside R / outside R / everything; 5: inside R, outside the inner region r2_*): R = {some lepton k escapes with
// pT_k >= r_pt, the other escapes, the gamma gamma system has p* >= r_p and |cos theta*| < r_cos}
// (the region a dimuon + missing-momentum selection with its MLP keeps). Outside: the trials in R
// count as rejected (a = 0, also for the tail). Inside: its own proposal, exact on R, built where R's
// density lives: one lepton (k) escapes with pT_k >= r_pt (photon k soft and very virtual, ln Q_k^2 in
// the narrow J_k), the other photon mostly hard and quasi-real. (ln Q1^2, ln Q2^2) on the L-shaped set
// J1 x E2 (k = e-) or (E1 \ J1) x J2 (k = e+) (E_k: lepton k escapes; J_k: and has pT >= r_pt), in cells
// of (k, the other photon's part: ln Q_o^2 in (-inf, -4.625], (-4.625, -3], (-3, -1.5], (-1.5, ..),
// ln Q_k^2's quarter of J_k, v = ln y_k + ln y_o (32 rows: A = y1 y2 s nearly constant in a row),
// u = ln y_o (64 columns)) (R_CELLS), ln Q^2 flat in the cell's intervals. Each cell has the bound H_R
// of F1 F2 |J_k|/4 |O| D1 D2 sigma over it, 0 where necessary conditions of R fail in the whole cell
// (J_k empty, E_sys < r_p, pT_sys and pz_sys from the leptons' momentum and angle ranges unable to give
// p* >= r_p with |cos theta*| < r_cos, W <= W_min: gen-eemumu.ts regionBounds proves them); accepted with
// a = F1 F2 area D1 D2 sigma 1_R / H_R. Unweighted (tail ignored). ~17 trials per event (~260 with
// (v, d) cells and r1 r2 bounds before).
//
// Stratum B (stratum = 3; the process parameter trackerStratum 1): both scattered leptons inside the tracker's
// polar acceptance, each lepton's 1 - cos (CM, along its own beam) in [omc_bKlo, omc_bKhi] (the 17-150 deg lab cones,
// widened by 1e-3: gen-eemumu.ts B_OMC), i.e. ln Q_k^2 in B_k = [ln Q^2(omc_lo), ln Q^2(omc_hi)] (Q^2 = Q^2_min + 2 P p'
// (1 - cos)). Its own proposal: a (v, d) cell from B's table (bound H_B of F1 F2 |B1| |B2| D1 D2 sigma over the cell,
// gen-eemumu.ts trackerBounds), flat in the cell, both ln Q^2 flat in B_k, azimuths flat; accepted with a = F1 F2
// |B1| |B2| D1 D2 sigma / H_B. Unweighted (tail ignored), ~21 trials per event. Outside B (stratum = 4; trackerStratum
// -1): the bulk sampler with the trials in B rejected (a = 0, also for the tail). Outside B no event has four tracks
// (genkin track's acceptance is on the lepton's true lab direction: test/gen-eemumu-b.test.ts).
//
// Bounded loops: the rejection trials are independent, each accepted with probability p = Z / M
// (the proposal's mass over the target's): unweighted p ~ 0.23 (4.4 trials per event), with the tail
// mixture ~ 0.11, inside R ~ 0.057 (~17.5 trials per event); test/gen-eemumu.test.ts checks p > 0.2,
// > 0.1 and > 0.04, so TRIALS = 256 fails with probability < 0.9^256 < 2e-12 and TRIALS_R =
// 1024 with < 0.96^1024 < exp(-41) < 2e-18 (inside the region R_Z, gen-eemumu.ts EEMUMU_REGIONS: p ~ 0.094, test/gen-eemumu-rz.test.ts
// checks p > 0.06: < 0.94^1024 < 1e-27; stratum 5, R_Z minus R: p x (1 - sigma_R / sigma_RZ), 0.0954 (40 000 events), test/gen-eemumu-nested.test.ts
// checks p > 0.06) (TRIALS_B = 1024 inside B: p ~ 0.047, test/gen-eemumu-b.test.ts checks p > 0.04); an event that fails gets weight 0 and no
// accepted flag. The muons' angle by rejection from 2 / (1 - b^2 c^2) (TRIES, accepts >= 1/2).
// Output (family): 0, the dimuon family: the muons through genkin's track (3 normals + 1 uniform
// each), the electrons only through the track acceptance (no draws; n_extra_tracks counts accepted
// electrons too), genkin's dimuonColumns; 1, the fourtrack family (process eemumu_4trk): mu-, mu+, e-,
// e+ through lib/fourtrack (each track 3 normals + 1 uniform, electrons never muons), its columns.
const fr = Math.fround;
const add = (a: number, b: number) => fr(a + b);
const sub = (a: number, b: number) => fr(a - b);
const mul = (a: number, b: number) => fr(a * b);

/** Envelope table: NV x ND cells in (v, d) = (ln y1 + ln y2, ln y1 - ln y2), row-major. */
export const NV = 64, ND = 64, NC = NV * ND;
/** Cell weights of every table sum to 2^23: a uniform's 23 bits pick a cell exactly. */
export const CELL_TOTAL = 1 << 23;
/** The table input's sections (offsets in units of NC words): cumulative u32 weights of g0, of the tail cells of photon 1 and 2; f32 bits of 1/H, of the early-rejection bound, rho_1, rho_2 (NC words each); R's proposal (R_CELLS = 8 NC words each): cumulative u32 weights, f32 bits of 1/H_R and of R's early-rejection bound; B's proposal ((v, d) cells, NC words each): cumulative u32 weights, f32 bits of 1/H_B and of B's early-rejection bound. */
export const ENV = { CUM: 0, CUM_T1: 1, CUM_T2: 2, INV_H: 3, INV_R: 4, RHO1: 5, RHO2: 6, CUM_R: 7, INV_HR: 23, INV_RR: 39, CUM_B: 55, INV_HB: 56, INV_RB: 57 } as const;
export const ENV_WORDS = 58 * NC;

/** Rejection trials per event (stratum 0 and 2), inside R (stratum 1) and inside B (stratum 3). */
export const TRIALS = 256;
export const TRIALS_R = 1024;
export const TRIALS_B = 1024;
/** The tail bias: mixture fraction, pick fraction, scale of S, pT (GeV) above which a lepton is in the tail, the pick factor's cap (3^6). */
export const TAIL_ALPHA = 0.5, TAIL_PICK = 0.75, TAIL_C0 = Math.fround(0.05), TAIL_PT_GeV = 0.5, TAIL_B_MAX = 729;
/** The floor of 1 - y_o in the tail interval's W bound (f32, as the WGSL literal). */
const ONE_MINUS_YO_MIN = Math.fround(0.001);
/** Tail cells: photon k soft (y_k <= TAIL_YK_MAX at the cell's centre) and the other hard (y_o >= TAIL_YO_MIN). */
export const TAIL_YK_MAX = 0.2, TAIL_YO_MIN = 0.3;

/** The kernel's params in desc order (the header's 4 words come first). u32: the first five. */
export const GEN_EEMUMU_PARAM_NAMES = [
  'key0', 'key1', 'first', 'tail', 'stratum', 'family',
  'e_beam', 'p_beam', 'm_e', 'm_mu', 's', 'wmin2', 'ly', 'dv', 'dd', 'c_sig', 'omc_esc1', 'omc_esc2',
  'r_pt', 'r_p', 'r_cos', 'e_tot', 'pz_tot', 'g_cm', 'bg_cm',
  ...TRACK_PARAMS,
  // the fourtrack family (family = 1): the electrons' track sub-block, the pseudo-rest frame's tau boost
  ...TRACK_PARAMS.map((n) => `${n}_e` as const), 'g_tau', 'bg_tau',
  // the stratum B (stratum = 3): each lepton's 1 - cos (CM, along its own beam) in [omc_bKlo, omc_bKhi]
  'omc_b1lo', 'omc_b1hi', 'omc_b2lo', 'omc_b2hi',
  // stratum 5 (inside the region, outside an inner region contained in it): the inner region's r_pt, r_p, r_cos
  'r2_pt', 'r2_p', 'r2_cos',
] as const;
export const GEN_EEMUMU_U32_PARAMS = 6;
/** The family param: the columns written. */
export const FAMILY_DIMUON = 0, FAMILY_FOURTRACK = 1;
type Name = (typeof GEN_EEMUMU_PARAM_NAMES)[number];

/**
 * Output words per event, by family: dimuon (family 0): the dimuon columns (genkin DIMUON_COLUMNS),
 * the accepted flag (C_ACC), the event's weight (C_WEIGHT); fourtrack (family 1): the fourtrack
 * columns (lib/fourtrack FOURTRACK_COLUMN_NAMES), the accepted flag (F_ACC), the weight (F_WEIGHT).
 * The rest of the EE_WORDS are 0.
 */
export const GEN_EEMUMU_COLUMNS = { dimuon: DIMUON_COLUMNS, fourtrack: FOURTRACK_COLUMN_NAMES } as const;
export const EE_WORDS = 28;
/** Column words (KernelDesc.constants: generated into WGSL and AssemblyScript): genkin's DIMUON_WORDS and lib/fourtrack's FOURTRACK_WORDS, each family's weight after its accepted flag. */
export const GEN_EEMUMU_CONSTANTS = { ...DIMUON_WORDS, C_WEIGHT: DIMUON_WORDS.C_ACC + 1, ...FOURTRACK_WORDS, F_WEIGHT: FT_ACC + 1 } as const;
const C = GEN_EEMUMU_CONSTANTS;

const I = Object.fromEntries(GEN_EEMUMU_PARAM_NAMES.map((n, j) => [n, 4 + j])) as Record<Name, number>;

/** f32 view of a u32 table word. */
const bitsF = new Float32Array(1), bitsU = new Uint32Array(bitsF.buffer);
function tf(t: Uint32Array, sec: number, c: number): number {
  bitsU[0] = t[sec * NC + c];
  return bitsF[0];
}

/**
 * The first cell c with cum[c] > k (k in [0, 2^23)) of a section of cumulative weights: the count of
 * cells with cum <= k (cum[NC - 1] = 2^23 > k), in 12 fixed halvings (NC = 2^12; branch-free in the twins).
 */
function pickCell(t: Uint32Array, sec: number, k: number): number {
  const b = sec * NC;
  let pos = 0;
  for (let step = NC >>> 1; step > 0; step >>>= 1) if (t[b + pos + step - 1] <= k) pos += step;
  return pos;
}
/** A uniform's 23 bits: u = (2k + 1) 2^-24, k in [0, 2^23). */
const bits23 = (u: number) => (mul(u, 16777216) - 1) / 2;
/** Whether cell c belongs to a section's table (its weight is nonzero). */
const inTable = (t: Uint32Array, sec: number, c: number) => (c === 0 ? t[sec * NC] : t[sec * NC + c] - t[sec * NC + c - 1]) > 0;

/** One photon's lepton before its virtuality: energy fraction y, lepton energy e', momentum p', E - e', Q^2_min, ln Q^2 range. */
export interface Lep { y: number; e2: number; p2: number; ey: number; dp: number; qmin: number; lq0: number; r: number; twoPp: number }

/** Whether lepton() gives a lepton at y (its energy E (1 - y) above m_e). */
const leptonExists = (P: Float32Array, y: number) => mul(P[I.e_beam], sub(1, y)) > P[I.m_e];

export function lepton(P: Float32Array, y: number): Lep | null {
  const E = P[I.e_beam], Pb = P[I.p_beam], me = P[I.m_e];
  const e2 = mul(E, sub(1, y));
  if (!leptonExists(P, y)) return null;
  const p2 = xsqrt(mul(sub(e2, me), add(e2, me)));
  const ey = sub(E, e2), dp = xdiv(mul(ey, add(E, e2)), add(Pb, p2)); // E - e', P - p' = (E - e')(E + e') / (P + p')
  // Q^2_min = 2 ((E e' - m^2)^2 - P^2 p'^2) / (E e' - m^2 + P p') = 2 (m E y)^2 / (E e' - m^2 + P p') (no cancellation)
  const plus = add(sub(mul(E, e2), mul(me, me)), mul(Pb, p2));
  const mey = mul(me, mul(E, y));
  const qmin = xdiv(mul(2, fm(mey, mey)), plus);
  const lq0 = xlog(qmin), lq1 = xlog(mul(2, plus));
  return { y, e2, p2, ey, dp, qmin, lq0, r: sub(lq1, lq0), twoPp: mul(mul(2, Pb), p2) };
}

/** ln Q^2 at which lepton L has 1 - cos = omc (cos along its own beam). */
function lnQ2At(L: Lep, omc: number): number {
  return xlog(add(L.qmin, mul(L.twoPp, omc)));
}
/** 1 - cos at which lepton L has transverse momentum pt (needs p' > pt): (pt/p')^2 / (1 + sqrt(1 - (pt/p')^2)). */
function omcAtPt(L: Lep, pt: number): number {
  const x = xdiv(pt, L.p2), x2 = mul(x, x);
  return xdiv(x2, add(1, xsqrt(sub(1, x2))));
}

/** The photon of lepton L at ln Q^2 = t: Q^2, pT, 1 - cos, light-cone components. */
interface Pho { q: number; pt: number; omc: number; qb: number; qs: number }
function photonAt(L: Lep, t: number): Pho {
  const q = xexp(t);
  let omc = xdiv(sub(q, L.qmin), L.twoPp);
  omc = Math.min(2, Math.max(0, omc));
  const pt2 = fm(mul(L.p2, L.p2), fm(omc, sub(2, omc)));
  const pt = xsqrt(pt2);
  const qb = add(add(L.ey, L.dp), fm(L.p2, omc)); // (E - e') + (P - p') + p' (1 - cos)
  const qs = xdiv(sub(pt2, q), qb);
  return { q, pt, omc, qb, qs };
}

/** F(y, Q^2) of Budnev et al. eq. D.4 with (1 - y) Q^2_min = m_e^2 y^2, at least 0. */
function flux(P: Float32Array, y: number, q: number): number {
  const me = P[I.m_e];
  const f = sub(fluxMax(y), xdiv(fm(mul(me, me), mul(y, y)), q));
  return Math.max(0, f);
}
/** flux's bound at any Q^2: 1 - y + y^2/2. */
export const fluxMax = (y: number) => add(sub(1, y), mul(0.5, mul(y, y)));
/**
 * A bound of a lepton's ln Q^2 range r (lepton()) at energy fraction y = exp(lny), l0 = ln(2 E / m_e):
 * r = 2 ln(plus / (m_e E y)) with plus = E e' - m_e^2 + P p' <= 2 E^2 (1 - y), so r <= 2 (l0 - ln y +
 * ln(1 - y)) <= 2 (l0 - ln y - y) (test/gen-eemumu.test.ts checks it on the kernel's f32 r with the margin).
 */
export const rBound = (l0: number, lny: number, y: number) => mul(2, sub(sub(l0, lny), y));
/** The margin of the early rejections before the leptons and the photons (sampleBulk): covers the rounding of the bounds' products and xdiv (< 1 + 2^-20) and of rBound (< 1e-5). */
const PRE_MARGIN = Math.fround(1.0001);

/** sigma(gamma gamma -> mu mu)(W) (physics.ts sigmaGammaGammaToLL) x W^2 / ((W^2 + Q1^2)(W^2 + Q2^2)) W^2, GeV^-2 (the rejection's D1 D2 sigma). */
function ddSigma(P: Float32Array, w2: number, q1: number, q2: number): number {
  const mm = P[I.m_mu];
  const iw2 = xrecip(w2);
  const x = mul(mul(4, mul(mm, mm)), iw2);
  const b2 = sub(1, x), b = xsqrt(b2);
  const omb = xdiv(x, add(1, b));
  const L = xlog(xdiv(add(1, b), omb));
  const br = sub(mul(sub(3, mul(b2, b2)), L), mul(mul(2, b), sub(2, b2)));
  const sig = mul(mul(P[I.c_sig], iw2), br);
  return mul(mul(sig, xdiv(w2, add(w2, q1))), xdiv(w2, add(w2, q2)));
}

/** The tail interval of ln Q^2 of photon k (lepton L, the other photon's y_o), or null: pT > TAIL_PT, escaping, Q^2 < (y y_o s - W_min^2) / max(1e-3, 1 - y_o). */
function tailInterval(P: Float32Array, L: Lep, yo: number, omcEsc: number): [number, number] | null {
  if (!(L.p2 > TAIL_PT_GeV)) return null;
  const omcPt = omcAtPt(L, TAIL_PT_GeV);
  if (!(omcPt < omcEsc)) return null;
  const num = sub(mul(mul(L.y, yo), P[I.s]), P[I.wmin2]);
  if (!(num > 0)) return null;
  const lo = lnQ2At(L, omcPt);
  const hi = Math.min(lnQ2At(L, omcEsc), xlog(xdiv(num, Math.max(ONE_MINUS_YO_MIN, sub(1, yo)))));
  return lo < hi ? [lo, hi] : null;
}

/** R's intervals of photon k: escape E_k = [lq0, eHi], J_k = [jLo, eHi] (jLo = eHi + 1 when empty: pT_k >= rPt impossible while escaping); rPt: the region's r_pt. */
function rIntervals(L: Lep, omcEsc: number, rPt: number): [number, number] {
  const eHi = lnQ2At(L, omcEsc);
  if (!(L.p2 > rPt)) return [eHi, add(eHi, 1)];
  const omcPt = omcAtPt(L, rPt);
  if (!(omcPt < omcEsc)) return [eHi, add(eHi, 1)];
  return [eHi, lnQ2At(L, omcPt)];
}

/** One configuration: the leptons (CM, e- along +z), the gamma gamma system, W^2. */
interface Conf { em: V4; ep: V4; sys: V4; w2: number }

/** The leptons, system and W^2 from the two photons and their azimuths. */
function configure(L1: Lep, L2: Lep, g1: Pho, g2: Pho, c1: [number, number], c2: [number, number]): Conf {
  const x1 = fm(g1.pt, c1[0]), y1 = fm(g1.pt, c1[1]), x2 = fm(g2.pt, c2[0]), y2 = fm(g2.pt, c2[1]);
  const em: V4 = [L1.e2, x1, y1, sub(L1.p2, fm(L1.p2, g1.omc))];
  const ep: V4 = [L2.e2, x2, y2, -sub(L2.p2, fm(L2.p2, g2.omc))];
  const sp = add(g1.qb, g2.qs), sm = add(g1.qs, g2.qb);
  const sys: V4 = [mul(0.5, add(sp, sm)), -add(x1, x2), -add(y1, y2), mul(0.5, sub(sp, sm))];
  const dot = add(fm(x1, x2), fm(y1, y2));
  const w2 = add(sub(sub(sub(fm(g1.qb, g2.qb), g1.q), g2.q), mul(2, dot)), fm(g1.qs, g2.qs));
  return { em, ep, sys, w2 };
}

/** Whether the system of a configuration has p* >= rp and |cos theta*| < rc (a region's system part: R's r_p, r_cos or the inner region's). */
function sysInR(sys: V4, rp: number, rc: number): boolean {
  const pz2 = fm(sys[3], sys[3]);
  const p2 = add(add(fm(sys[1], sys[1]), fm(sys[2], sys[2])), pz2);
  return p2 >= mul(rp, rp) && pz2 < mul(mul(rc, rc), p2);
}

interface Chosen { conf: Conf | null; weight: number }

/** Rejection trials run by this reference since the last resetTrials() (the host's integral of R's cross-section fraction counts them). */
let trials = 0;
export const trialsRun = () => trials;
export function resetTrials(): void {
  trials = 0;
}

/** The EPA configuration of one event (strata 0, 2 and 4), with the tail bias when tail = 1. */
function sampleBulk(P: Float32Array, w: Uint32Array, t: Uint32Array, s: RStream): Chosen {
  const box = w[I.tail] !== 0, outside = w[I.stratum] === 2, outsideB = w[I.stratum] === 4;
  const ly = P[I.ly], dv = P[I.dv], dd = P[I.dd], wmin2 = P[I.wmin2];
  const oe1 = P[I.omc_esc1], oe2 = P[I.omc_esc2];
  const l0 = xlog(xdiv(mul(2, P[I.e_beam]), P[I.m_e])); // ln(2 E / m_e) (rBound)
  let S = 0, res: Conf | null = null, resB = 0;
  for (let it = 0; it < TRIALS; it++) {
    trials++;
    const uAcc = rsUniform(s);
    const uc = box ? rsUniform(s) : 1;
    const comp = uc < mul(TAIL_ALPHA, 0.5) ? 1 : uc < TAIL_ALPHA ? 2 : 0;
    const cell = pickCell(t, comp === 0 ? ENV.CUM : comp === 1 ? ENV.CUM_T1 : ENV.CUM_T2, bits23(rsUniform(s)));
    const ci = cell >>> 6, cj = cell & 63;
    const v = add(ly, mul(add(ci, rsUniform(s)), dv)), d = add(ly, mul(add(cj, rsUniform(s)), dd));
    if (!(Math.abs(d) <= -v)) continue;
    const lny1 = mul(0.5, add(v, d)), lny2 = mul(0.5, sub(v, d));
    const y1 = xexp(lny1), y2 = xexp(lny2);
    const t1Cell = box && inTable(t, ENV.CUM_T1, cell), t2Cell = box && inTable(t, ENV.CUM_T2, cell);
    // the early rejection below, before the leptons, where no trial of the cell is in T (f12 = F1 F2 r1 r2:
    // bf / G = 1), with F_k <= fluxMax(y_k), r_k <= rBound and a margin: rejects only trials it rejects,
    // after the draws they make before it (u1, u2, where both leptons exist)
    if (!t1Cell && !t2Cell && uAcc >= mul(mul(mul(mul(fluxMax(y1), fluxMax(y2)), mul(rBound(l0, lny1, y1), rBound(l0, lny2, y2))), tf(t, ENV.INV_R, cell)), PRE_MARGIN)) {
      if (leptonExists(P, y1) && leptonExists(P, y2)) {
        rsUniform(s);
        rsUniform(s);
      }
      continue;
    }
    const L1 = lepton(P, y1), L2 = lepton(P, y2);
    if (!L1 || !L2) continue;
    const i1 = t1Cell ? tailInterval(P, L1, L2.y, oe1) : null, i2 = t2Cell ? tailInterval(P, L2, L1.y, oe2) : null;
    const u1 = rsUniform(s), u2 = rsUniform(s);
    const t1 = comp === 1 && i1 ? add(i1[0], mul(sub(i1[1], i1[0]), u1)) : add(L1.lq0, mul(L1.r, u1));
    const t2 = comp === 2 && i2 ? add(i2[0], mul(sub(i2[1], i2[0]), u2)) : add(L2.lq0, mul(L2.r, u2));
    const in1 = i1 !== null && t1 >= i1[0] && t1 <= i1[1], in2 = i2 !== null && t2 >= i2[0] && t2 <= i2[1];
    let G = 1;
    if (box) {
      const tf1 = i1 ? (in1 ? xdiv(L1.r, sub(i1[1], i1[0])) : 0) : 1, tf2 = i2 ? (in2 ? xdiv(L2.r, sub(i2[1], i2[0])) : 0) : 1;
      G = add(sub(1, TAIL_ALPHA), mul(mul(TAIL_ALPHA, 0.5), add(mul(tf(t, ENV.RHO1, cell), tf1), mul(tf(t, ENV.RHO2, cell), tf2))));
    }
    const inT = in1 || in2, r12 = mul(L1.r, L2.r), bf = box ? sub(1, TAIL_ALPHA) : 1;
    // the early rejection below, before the photons, with F_k <= fluxMax(y_k) (its Q^2 term is >= 0), G
    // multiplied over and a margin (xdiv's and the products' rounding, < 1 + 2^-20): it rejects only
    // trials the check below rejects and draws nothing, so the events are those without it
    if (!inT && mul(uAcc, G) >= mul(mul(mul(mul(mul(fluxMax(L1.y), fluxMax(L2.y)), r12), bf), tf(t, ENV.INV_R, cell)), PRE_MARGIN)) continue;
    const g1 = photonAt(L1, t1), g2 = photonAt(L2, t2);
    const f12 = xdiv(mul(mul(mul(flux(P, L1.y, g1.q), flux(P, L2.y, g2.q)), r12), bf), G);
    // early rejection against the cell's bound of D1 D2 sigma (saves the azimuths) outside T
    if (!inT && uAcc >= mul(f12, tf(t, ENV.INV_R, cell))) continue;
    const c1 = disc(s), c2 = disc(s);
    const cf = configure(L1, L2, g1, g2, c1, c2);
    if (!(cf.w2 > wmin2)) continue;
    if (outside && inR(P, L1, L2, t1, t2, cf.sys)) continue;
    if (outsideB && inB(P, L1, L2, t1, t2)) continue;
    const a = mul(mul(f12, ddSigma(P, cf.w2, g1.q, g2.q)), tf(t, ENV.INV_H, cell));
    let b = 0;
    if (inT && a > 0) {
      const pt = Math.max(in1 ? g1.pt : 0, in2 ? g2.pt : 0);
      const rr = mul(pt, 1 / TAIL_PT_GeV), r2 = mul(rr, rr);
      b = Math.min(TAIL_B_MAX, mul(mul(r2, r2), r2));
      const ab = mul(a, b);
      S = add(S, ab);
      if (mul(rsUniform(s), S) < ab) (res = cf), (resB = b);
    }
    if (!(uAcc < a)) continue;
    if (S === 0) return { conf: cf, weight: 1 };
    if (inT) return { conf: res, weight: xdiv(S, resB) };
    // a tail trial with probability p = TAIL_PICK S / (S + C0), else the accepted one
    const sc = add(S, TAIL_C0);
    if (mul(rsUniform(s), sc) < mul(TAIL_PICK, S)) return { conf: res, weight: xdiv(sc, mul(TAIL_PICK, resB)) };
    return { conf: cf, weight: xdiv(sc, add(mul(sub(1, TAIL_PICK), S), TAIL_C0)) };
  }
  return { conf: null, weight: 0 };
}

/** Whether a configuration lies in the region with thresholds (rPt, rp, rc): R (the strata's region: r_pt, r_p, r_cos) or the inner region (r2_*). */
function inRegion(P: Float32Array, L1: Lep, L2: Lep, t1: number, t2: number, sys: V4, rPt: number, rp: number, rc: number): boolean {
  const [e1, j1] = rIntervals(L1, P[I.omc_esc1], rPt), [e2, j2] = rIntervals(L2, P[I.omc_esc2], rPt);
  const esc1 = t1 <= e1, esc2 = t2 <= e2;
  if (!(esc1 && esc2 && (t1 >= j1 || t2 >= j2))) return false;
  return sysInR(sys, rp, rc);
}
const inR = (P: Float32Array, L1: Lep, L2: Lep, t1: number, t2: number, sys: V4) => inRegion(P, L1, L2, t1, t2, sys, P[I.r_pt], P[I.r_p], P[I.r_cos]);

/**
 * R's proposal cells: cell = ((((k R_PARTS + part) R_NT + tb) R_ROWS + row) R_COLS + col), k: the lepton with pT >= r_pt
 * (0 the e-, 1 the e+), part: the other photon's ln Q_o^2 between R_TQ's edges, tb: the bin of
 * ln Q_k^2 in J_k (R_NT equal parts), row: v = ln y_k + ln y_o (R_ROWS of -ly / 32 = dd), col: u = ln y_o (R_COLS of -ly / 64 = dv).
 */
export const R_COL_BITS = 6, R_ROW_BITS = 5, R_NT_BITS = 2, R_PART_BITS = 2;
export const R_COLS = 1 << R_COL_BITS, R_ROWS = 1 << R_ROW_BITS, R_NT = 1 << R_NT_BITS, R_PARTS = 1 << R_PART_BITS, R_CELLS = 2 * R_PARTS * R_NT * R_ROWS * R_COLS;
/** The other photon's parts: ln Q_o^2 (GeV^2) in (-inf, R_TQ[0]], (R_TQ[0], R_TQ[1]], (R_TQ[1], R_TQ[2]], (R_TQ[2], inf) (exact in f32; part 0: Q_o^2 <= 0.0098 GeV^2, quasi-real). */
export const R_TQ = [-4.625, -3, -1.5] as const;

/** The first cell c with cum[c] > k among R's R_CELLS (binary search). */
function pickCellR(t: Uint32Array, k: number): number {
  let lo = 0, hi = R_CELLS - 1;
  const b = ENV.CUM_R * NC;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[b + mid] > k) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The EPA configuration of one event inside R (stratum 1): its own proposal, unweighted. Stratum 5 (inner): the trials
 * that also lie in the inner region (r2_pt, r2_p, r2_cos; the host checks it lies inside R) count as rejected, so the
 * events are exact on R minus the inner region (its sigma: sigma_R - sigma_inner).
 */
function sampleR(P: Float32Array, t: Uint32Array, s: RStream, inner: boolean): Chosen {
  const ly = P[I.ly], dv = P[I.dd], du = P[I.dv], wmin2 = P[I.wmin2];
  const ysMin = xdiv(P[I.r_p], P[I.e_beam]);
  for (let it = 0; it < TRIALS_R; it++) {
    trials++;
    const uAcc = rsUniform(s);
    const cell = pickCellR(t, bits23(rsUniform(s)));
    const k = cell >>> (R_COL_BITS + R_ROW_BITS + R_NT_BITS + R_PART_BITS), part = (cell >>> (R_COL_BITS + R_ROW_BITS + R_NT_BITS)) & (R_PARTS - 1);
    const tb = (cell >>> (R_COL_BITS + R_ROW_BITS)) & (R_NT - 1), ci = (cell >>> R_COL_BITS) & (R_ROWS - 1), cj = cell & (R_COLS - 1);
    const v = add(ly, mul(add(ci, rsUniform(s)), dv)), u = add(ly, mul(add(cj, rsUniform(s)), du));
    if (!(v <= u)) continue;
    const yk = xexp(sub(v, u)), yo = xexp(u);
    const y1 = k === 0 ? yk : yo, y2 = k === 0 ? yo : yk;
    if (!(add(y1, y2) >= ysMin)) continue;
    const L1 = lepton(P, y1), L2 = lepton(P, y2);
    if (!L1 || !L2) continue;
    const [e1, j1] = rIntervals(L1, P[I.omc_esc1], P[I.r_pt]), [e2, j2] = rIntervals(L2, P[I.omc_esc2], P[I.r_pt]);
    // k's ln Q^2 in bin tb of J_k; the other's in E_2 (k = 0) or E_1 \ J_1 (k = 1: the L-shaped set), its part
    const lJ1 = Math.max(0, sub(e1, j1)), lJ2 = Math.max(0, sub(e2, j2));
    const lJ = k === 0 ? lJ1 : lJ2;
    if (!(lJ > 0)) continue;
    const oLo = k === 0 ? L2.lq0 : L1.lq0, oHi = k === 0 ? e2 : sub(e1, lJ1);
    const lo = part === 0 ? oLo : Math.max(oLo, R_TQ[part - 1]), hi = part === R_PARTS - 1 ? oHi : Math.min(oHi, R_TQ[part]);
    const lO = sub(hi, lo);
    if (!(lO > 0)) continue;
    const lJb = mul(lJ, 1 / R_NT), area = mul(lJb, lO);
    const u1 = rsUniform(s), u2 = rsUniform(s);
    const tK = add(k === 0 ? j1 : j2, mul(lJb, add(tb, k === 0 ? u1 : u2))), tO = add(lo, mul(lO, k === 0 ? u2 : u1));
    const t1 = k === 0 ? tK : tO, t2 = k === 0 ? tO : tK;
    const g1 = photonAt(L1, t1), g2 = photonAt(L2, t2);
    const f12 = mul(mul(flux(P, y1, g1.q), flux(P, y2, g2.q)), area);
    if (uAcc >= mul(f12, tf(t, ENV.INV_RR, cell))) continue;
    const c1 = disc(s), c2 = disc(s);
    const cf = configure(L1, L2, g1, g2, c1, c2);
    if (!(cf.w2 > wmin2) || !sysInR(cf.sys, P[I.r_p], P[I.r_cos])) continue;
    if (inner && inRegion(P, L1, L2, t1, t2, cf.sys, P[I.r2_pt], P[I.r2_p], P[I.r2_cos])) continue;
    const a = mul(mul(f12, ddSigma(P, cf.w2, g1.q, g2.q)), tf(t, ENV.INV_HR, cell));
    if (uAcc < a) return { conf: cf, weight: 1 };
  }
  return { conf: null, weight: 0 };
}

/** B's ln Q^2 interval of a lepton: [ln Q^2(omc_lo), min(ln Q^2(omc_hi), lq0 + r)] (its 1 - cos in [omc_lo, omc_hi]). */
function bInterval(L: Lep, omcLo: number, omcHi: number): [number, number] {
  return [lnQ2At(L, omcLo), Math.min(lnQ2At(L, omcHi), add(L.lq0, L.r))];
}

/** Whether both leptons' ln Q^2 lie in their B intervals (the stratum B: both scattered leptons inside the tracker's polar acceptance, with a margin). */
export function inB(P: Float32Array, L1: Lep, L2: Lep, t1: number, t2: number): boolean {
  const [lo1, hi1] = bInterval(L1, P[I.omc_b1lo], P[I.omc_b1hi]), [lo2, hi2] = bInterval(L2, P[I.omc_b2lo], P[I.omc_b2hi]);
  return t1 >= lo1 && t1 <= hi1 && t2 >= lo2 && t2 <= hi2;
}

/**
 * The EPA configuration of one event inside B (stratum 3): both leptons' ln Q^2 flat in their B intervals, (v, d)
 * from B's own (v, d) cell table (bound H_B of F1 F2 |B1| |B2| D1 D2 sigma: gen-eemumu.ts trackerBounds), accepted
 * with a = F1 F2 |B1| |B2| D1 D2 sigma / H_B. Unweighted (tail ignored).
 */
function sampleB(P: Float32Array, t: Uint32Array, s: RStream): Chosen {
  const ly = P[I.ly], dv = P[I.dv], dd = P[I.dd], wmin2 = P[I.wmin2];
  for (let it = 0; it < TRIALS_B; it++) {
    trials++;
    const uAcc = rsUniform(s);
    const cell = pickCell(t, ENV.CUM_B, bits23(rsUniform(s)));
    const ci = cell >>> 6, cj = cell & 63;
    const v = add(ly, mul(add(ci, rsUniform(s)), dv)), d = add(ly, mul(add(cj, rsUniform(s)), dd));
    if (!(Math.abs(d) <= -v)) continue;
    const y1 = xexp(mul(0.5, add(v, d))), y2 = xexp(mul(0.5, sub(v, d)));
    const L1 = lepton(P, y1), L2 = lepton(P, y2);
    if (!L1 || !L2) continue;
    const [lo1, hi1] = bInterval(L1, P[I.omc_b1lo], P[I.omc_b1hi]), [lo2, hi2] = bInterval(L2, P[I.omc_b2lo], P[I.omc_b2hi]);
    const l1 = sub(hi1, lo1), l2 = sub(hi2, lo2);
    if (!(l1 > 0 && l2 > 0)) continue;
    const u1 = rsUniform(s), u2 = rsUniform(s);
    const g1 = photonAt(L1, add(lo1, mul(l1, u1))), g2 = photonAt(L2, add(lo2, mul(l2, u2)));
    const f12 = mul(mul(flux(P, y1, g1.q), flux(P, y2, g2.q)), mul(l1, l2));
    if (uAcc >= mul(f12, tf(t, ENV.INV_RB, cell))) continue;
    const c1 = disc(s), c2 = disc(s);
    const cf = configure(L1, L2, g1, g2, c1, c2);
    if (!(cf.w2 > wmin2)) continue;
    const a = mul(mul(f12, ddSigma(P, cf.w2, g1.q, g2.q)), tf(t, ENV.INV_HB, cell));
    if (uAcc < a) return { conf: cf, weight: 1 };
  }
  return { conf: null, weight: 0 };
}

/**
 * The muon pair of a gamma gamma system (mass^2 w2): cos theta* from gamma gamma -> l l
 * (physics.ts sampleGammaGammaCos: envelope 2 / (1 - b^2 c^2), a mixture of 1 / (1 -+ b c) by
 * inversion, accepted with N(c) / (2 (1 - b^2 c^2)) >= 1/2), azimuth from the disc; [mu-, mu+].
 */
function muonPair(P: Float32Array, s: RStream, sys: V4, w2: number): [V4, V4] {
  const mm = P[I.m_mu];
  const x = xdiv(mul(4, mul(mm, mm)), w2);
  const b2 = sub(1, x), b = xsqrt(b2);
  const ob = add(1, b), omb = xdiv(x, ob);
  const lr = xlog(xdiv(omb, ob));
  let c = 0;
  for (let it = 0; it < TRIES; it++) {
    const r = xexp(mul(rsUniform(s), lr));
    const c0 = xdiv(sub(1, mul(ob, r)), b);
    c = rsUniform(s) < 0.5 ? c0 : -c0;
    const s2 = mul(sub(1, c), add(1, c));
    const den = add(x, mul(b2, s2)); // 1 - b^2 c^2
    const num = sub(sub(add(1, mul(mul(2, b2), s2)), mul(b2, b2)), mul(mul(b2, b2), mul(s2, s2)));
    if (mul(mul(2, rsUniform(s)), den) <= num) break;
  }
  const W = xsqrt(w2);
  return twoBody(sys, W, w2, mm, mm, c, disc(s));
}

/** genkin track's acceptance alone (an electron: no response drawn). */
function accepted(P: Float32Array, q: V4): boolean {
  const b = I.trk_cmin;
  const pt2 = add(fm(q[1], q[1]), fm(q[2], q[2]));
  const pa = xsqrt(add(pt2, fm(q[3], q[3])));
  return xsqrt(pt2) > P[b + 2] && q[3] > mul(P[b], pa) && q[3] < mul(P[b + 1], pa);
}

/** The CM final state of one event (e-, e+, mu-, mu+) and its weight; null where the bounded loop failed. */
export function eemumuFinalState(P: Float32Array, w: Uint32Array, t: Uint32Array, s: RStream): { em: V4; ep: V4; muM: V4; muP: V4; weight: number } | null {
  const st = w[I.stratum];
  const ch = st === 1 || st === 5 ? sampleR(P, t, s, st === 5) : w[I.stratum] === 3 ? sampleB(P, t, s) : sampleBulk(P, w, t, s);
  if (!ch.conf) return null;
  const [muM, muP] = muonPair(P, s, ch.conf.sys, ch.conf.w2);
  return { em: ch.conf.em, ep: ch.conf.ep, muM, muP, weight: ch.weight };
}

/** One event into out[o .. o + EE_WORDS): the family's columns and the weight. */
function genEvent(P: Float32Array, w: Uint32Array, t: Uint32Array, d: FtDet, ev: number, s: RStream, out: Float32Array, o: number): void {
  rsInit(s, w[I.key0], w[I.key1], ev, 0, 0);
  for (let j = 0; j < EE_WORDS; j++) out[o + j] = 0;
  const fs = eemumuFinalState(P, w, t, s);
  if (!fs) return;
  if (w[I.family] === FAMILY_FOURTRACK) {
    // the four tracks in the order mu-, mu+, e-, e+ through lib/fourtrack (no photons, no truth mass)
    const e = newFtEvent();
    ftAddTrack(e, fs.muM, KIND_MU, -1);
    ftAddTrack(e, fs.muP, KIND_MU, 1);
    ftAddTrack(e, fs.em, KIND_E, -1);
    ftAddTrack(e, fs.ep, KIND_E, 1);
    fourtrackColumns(s, P, d, e, 0, out, o);
    out[o + C.F_WEIGHT] = fs.weight;
    return;
  }
  const g = P[I.g_cm], bg = P[I.bg_cm];
  const lp = boostZ(fs.muP, g, bg), lm = boostZ(fs.muM, g, bg);
  const tP = track(s, P, I.trk_cmin, lp, P[I.m_mu]), tM = track(s, P, I.trk_cmin, lm, P[I.m_mu]);
  const extra = (accepted(P, boostZ(fs.em, g, bg)) ? 1 : 0) + (accepted(P, boostZ(fs.ep, g, bg)) ? 1 : 0);
  dimuonColumns(out, o, tP, tM, lp, lm, 0, 0, extra, { eTot: P[I.e_tot], pzTot: P[I.pz_tot], g, bg, mMu: P[I.m_mu] });
  out[o + C.C_WEIGHT] = fs.weight;
}

// params: [item_offset, item_count, opaque_zero, reserved, <GEN_EEMUMU_PARAM_NAMES>]; inputs: [the envelope table (ENV sections)]
export const genEemumuRef: RefKernel = (p, [t], [out]) => {
  const P = new Float32Array(p.buffer, p.byteOffset, p.length);
  const o = new Float32Array(out.buffer, out.byteOffset, out.length);
  const s = newStream();
  const off = p[0], n = p[1], first = p[I.first];
  // the fourtrack writer's view of the params (e e mu mu has no pions: the muon sub-block stands in)
  const d: FtDet = {
    mu: I.trk_cmin, pi: I.trk_cmin, e: I.trk_cmin_e, mE: P[I.m_e], mMu: P[I.m_mu], mPi: P[I.m_mu],
    eTot: P[I.e_tot], pzTot: P[I.pz_tot], g: P[I.g_cm], bg: P[I.bg_cm], gTau: P[I.g_tau], bgTau: P[I.bg_tau],
  };
  for (let l = 0; l < n; l++) genEvent(P, p, t, d, (first + off + l) >>> 0, s, o, EE_WORDS * l);
};

/** Param index of a name (tests, the host's integral of R's cross-section fraction). */
export const EEMUMU_PARAM_INDEX = I;
