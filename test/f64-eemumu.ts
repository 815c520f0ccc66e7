// The f64 host e e mu mu generator that the gen_eemumu kernel replaced (engine/generate/twophoton.ts
// and processes.ts eemumu before GENERATOR_VERSION 7), kept only as an independent cross-check of the
// kernel: test/gen-eemumu.test.ts and test/twophoton.test.ts compare their samples, bench/generate.ts
// their speed. It runs through the host chain (engine/generate/index.ts generateHost).
//
// Two-photon e+e- -> e+e- mu+ mu- in the equivalent-photon approximation (EPA): each beam lepton
// radiates a photon of energy fraction y and virtuality Q^2 with
//   dn = (alpha/pi) (dy/y) (dQ^2/Q^2) [1 - y + y^2/2 - (1 - y) Q^2_min/Q^2],  Q^2_min = m_e^2 y^2/(1 - y)
// (Budnev, Ginzburg, Meledin, Serbo, Phys. Rep. 15 (1975) 181, eq. D.4), the photons fuse to mu+ mu-
// with the real-photon Breit-Wheeler cross section at W = M(mu mu), damped by W^2/(W^2 + Q^2) per
// photon (illustrative form of the suppression of virtual photons, ibid. sec. 5). The target density
// in (ln y1, ln y2, ln Q1^2, ln Q2^2, phi1, phi2) is
//   f = F(y1, Q1^2) F(y2, Q2^2) D(W, Q1^2) D(W, Q2^2) sigma(W),  y_i >= W_min^2/s, W > W_min,
// with each Q^2 in its kinematic range [Q^2_min(y), Q^2_max(y)]. It is sampled by rejection
// (exact, unit weight) from a proposal that already follows it closely:
//   - (v, d) = (ln y1 + ln y2, ln y1 - ln y2) from a tabulated piecewise-constant envelope of the
//     bounds below (2D cells; a cell that crosses the edge |d| <= -v rejects the outside),
//   - ln Q^2 of each photon flat in its own kinematic range (length r_i),
//   - azimuths flat;
// accepted with a = F1 F2 D1 D2 sigma(W) r1 r2 / H_cell <= 1, H_cell bounding over the cell
//   r1 r2 <= 4 (L0 - ln y1)(L0 - ln y2),  r_i <= 2 ln(2E/(m_e y_i)) = 2 (L0 - ln y_i);
//   D1 D2 sigma(W) <= 2 c(sqrt(A)) / (A + W_min^2),  A = y1 y2 s,  c(W) = W^2 sigma(W) increasing in W.
// Kinematics behind the second bound (light-cone components, massless leptons; a = Q1^2, b = Q2^2):
// |q_iT|^2 = Q_i^2 (1 - y_i - Q_i^2/s) and W^2 = A - (sqrt(a beta) - sqrt(b alpha))^2 - 2 (q1T.q2T +
// |q1T||q2T|), alpha = 1 - y1 - a/s, beta = 1 - y2 - b/s, so W^2 <= A (the sampler checks it); and
// W^2 >= A - (sqrt a + sqrt b)^2. Hence D1 D2 sigma = c(W) W^2/((W^2 + a)(W^2 + b)) <= c(W)/(W^2 + a + b)
// with W^2 + a + b >= max(W_min^2 + a + b, A - a - b) >= (A + W_min^2)/2. F <= 1 - y + y^2/2 <= 1.
// W^2 <= A also means y1 y2 >= W_min^2/s: the (v, d) domain is v in [ln(W_min^2/s), 0], |d| <= -v.
import { getProcess, type EventRandom, type ProcessDef } from '../engine/generate/index.js';
import { M_E, M_MU, type P4 } from '../engine/generate/lorentz.js';
import { BETA_CM, S, SQRT_S, produce2, sampleGammaGammaCos, sigmaGammaGammaToLL } from '../engine/generate/physics.js';
import type { GenEvent, Params } from '../engine/generate/processes.js';
// c(W) = W^2 sigma(gamma gamma -> mu mu)(W): the one definition, the kernel's host code's (its monotonicity: test/gen-eemumu.test.ts)
import { cGammaGamma } from '../engine/generate/gen-eemumu.js';

const E = SQRT_S / 2;
const P = Math.sqrt(E * E - M_E * M_E);
const L0 = Math.log((2 * E) / M_E);


/** Photon i's scattered lepton: energy fraction y, virtuality q2, the lepton's CM energy, momentum and cos(angle to its beam). */
export interface EpaPhoton {
  y: number;
  q2: number;
  e2: number;
  p2: number;
  cos: number;
}

/** Kinematic Q^2 range of a photon of energy fraction y (GeV^2): Q^2 = 2 (E E' - p p' cos) - 2 m^2 at cos = +1, -1; null when E' <= m_e. */
export function q2Range(y: number): [number, number] | null {
  const e2 = E * (1 - y);
  if (!(e2 > M_E)) return null;
  const p2 = Math.sqrt(e2 * e2 - M_E * M_E);
  const plus = E * e2 - M_E * M_E + P * p2;
  // Q^2_min = 2 ((E E' - m^2)^2 - p^2 p'^2)/(E E' - m^2 + p p') = 2 m^2 y^2 E^2 / (E E' - m^2 + p p') (no cancellation)
  return [(2 * M_E * M_E * y * y * E * E) / plus, 2 * plus];
}

/** The scattered lepton of a photon (y, Q^2 in range), cos of its angle to its own beam. */
function photon(y: number, q2: number): EpaPhoton {
  const e2 = E * (1 - y), p2 = Math.sqrt(e2 * e2 - M_E * M_E);
  const c = (2 * E * e2 - 2 * M_E * M_E - q2) / (2 * P * p2);
  return { y, q2, e2, p2, cos: Math.min(1, Math.max(-1, c)) };
}

/** Four-momentum of the scattered lepton; dir = +1 for the beam along +z, -1 for the other. */
export function scatteredP4(ph: EpaPhoton, phi: number, dir: number): P4 {
  const st = Math.sqrt(Math.max(0, 1 - ph.cos * ph.cos));
  return [ph.e2, ph.p2 * st * Math.cos(phi), ph.p2 * st * Math.sin(phi), dir * ph.p2 * ph.cos];
}

/** Photon flux bracket of Budnev et al. eq. D.4: 1 - y + y^2/2 - (1 - y) Q^2_min/Q^2 with (1 - y) Q^2_min = m_e^2 y^2. */
export const epaFlux = (y: number, q2: number): number => 1 - y + (y * y) / 2 - (M_E * M_E * y * y) / q2;

/** W^2/(W^2 + Q^2): the damping of a virtual photon (illustrative, Budnev et al. sec. 5). */
const damp = (w2: number, q2: number): number => w2 / (w2 + q2);

const NV = 64, ND = 64;
/** Tail proposal cells (energy fractions): the pairs that pass have one soft, very virtual photon (y_k) and one hard, quasi-real one (y_o). */
const TAIL_YK_MAX = 0.2, TAIL_YO_MIN = 0.3;
/** W^2 <= A holds up to terms of order m_e^2/s; beyond this the sampler stops with an error. */
const W2_OVER_A_MAX = 1 + 1e-6;
interface Envelope {
  ly: number;
  wMin2: number;
  /** Cell bounds H and their cumulative sum x cell area, row-major (v, d): cell (i, j) covers v in [ly + i dv, ..), d in [ly + j dd, ..). */
  h: Float64Array;
  cum: Float64Array;
  dv: number;
  dd: number;
  /** The tail proposal's cells for photon k soft (k = 0, 1): cumulative H x area over them (0 elsewhere), and membership. */
  cumTail: [Float64Array, Float64Array];
  inTail: [Uint8Array, Uint8Array];
}
const envelopes = new Map<number, Envelope>();

function envelopeFor(wMin: number): Envelope {
  let env = envelopes.get(wMin);
  if (env) return env;
  const ly = Math.log((wMin * wMin) / S), wMin2 = wMin * wMin;
  const dv = -ly / NV, dd = (-2 * ly) / ND;
  const h = new Float64Array(NV * ND), cum = new Float64Array(NV * ND);
  let tot = 0;
  for (let i = 0; i < NV; i++) {
    const v0 = ly + i * dv, v1 = i === NV - 1 ? 0 : v0 + dv;
    for (let j = 0; j < ND; j++) {
      const d0 = ly + j * dd, d1 = j === ND - 1 ? -ly : d0 + dd;
      const aMin = d0 <= 0 && 0 <= d1 ? 0 : Math.min(Math.abs(d0), Math.abs(d1));
      let hc = 0;
      if (aMin <= -v0) {
        // sup over the cell: 4 ((L0 - v/2)^2 - d^2/4) at v0, |d| = aMin; c(sqrt(A)) at v1; 1/(A + W_min^2) at v0
        const r = 4 * ((L0 - v0 / 2) ** 2 - (aMin * aMin) / 4);
        hc = r * ((2 * cGammaGamma(Math.sqrt(Math.exp(v1) * S * W2_OVER_A_MAX))) / (Math.exp(v0) * S + wMin2));
      }
      h[i * ND + j] = hc;
      tot += hc * dv * dd;
      cum[i * ND + j] = tot;
    }
  }
  // tail cells: centre with the soft photon at y_k <= TAIL_YK_MAX and the other at y_o >= TAIL_YO_MIN
  const cumTail: [Float64Array, Float64Array] = [new Float64Array(NV * ND), new Float64Array(NV * ND)];
  const inTail: [Uint8Array, Uint8Array] = [new Uint8Array(NV * ND), new Uint8Array(NV * ND)];
  for (let k = 0; k < 2; k++) {
    let t = 0;
    for (let c = 0; c < NV * ND; c++) {
      const vc = ly + (Math.floor(c / ND) + 0.5) * dv, dc = ly + ((c % ND) + 0.5) * dd;
      const lSoft = k === 0 ? (vc + dc) / 2 : (vc - dc) / 2, lHard = vc - lSoft;
      if (h[c] > 0 && lSoft <= Math.log(TAIL_YK_MAX) && lHard >= Math.log(TAIL_YO_MIN)) {
        inTail[k][c] = 1;
        t += h[c] * dv * dd;
      }
      cumTail[k][c] = t;
    }
  }
  env = { ly, wMin2, h, cum, dv, dd, cumTail, inTail };
  envelopes.set(wMin, env);
  return env;
}

/** One accepted gamma gamma -> mu mu configuration: the two photons, their leptons' azimuths, W, and its weight. */
export interface EpaEvent {
  ph1: EpaPhoton;
  ph2: EpaPhoton;
  phi1: number;
  phi2: number;
  /** Scattered e- (beam along +z) and e+ (along -z), CM frame. */
  em: P4;
  ep: P4;
  /** The gamma gamma system (CM frame) and its mass. */
  sys: P4;
  w: number;
  /** Event weight (mean 1): 1 without the tail bias. */
  weight: number;
}

// ------------------------------------------------------------------------- the tail bias
// The e e mu mu events that pass a dimuon + missing-momentum selection (and the A'h' MLP) are rare:
// one soft photon (y_k <= 0.2) so virtual that its lepton has pT ~ 1.5-2 GeV and still escapes down
// the beam pipe, the other photon hard (y_o >= 0.3). With `tail` on, a fraction TAIL_ALPHA of the
// trials comes from such a proposal: (v, d) from g0's table restricted to the cells with photon k
// soft and the other hard, ln Q_k^2 flat in the interval I_k(y1, y2) where the lepton has pT >
// TAIL_PT, escapes the tracker and W > W_min stays possible (the proposal g is the mixture
// (1 - alpha) g0 + alpha/2 g_1 + alpha/2 g_2, the acceptance f/(M g) with M = M0/(1 - alpha)). The
// event is then chosen among the trials: by Wald's identity, for rejection trials x_1..x_K stopped
// at the first acceptance and any region T,
//   E[ 1(x_K not in T, x_K in R) + sum_{j<=K} a(x_j) 1(x_j in T, x_j in R) ] = P_f(R)
// (a = acceptance probability; E[K] = M/Z), so the accepted trial outside T (weight 1) and every
// trial inside T = {(v, d) in photon k's tail cells, t_k in I_k; k = 1 or 2} (weight a_j) form an
// unbiased weighted set. One of them is returned, candidate j with probability pi_j and weight (its
// weight)/pi_j: a tail trial with probability p = TAIL_PICK S/(S + TAIL_C0), S = sum_T a_j b_j
// (j in proportion to a_j b_j, weight S / (p b_j)), else the accepted one (weight 1 / (1 - p));
// with no tail trial the accepted one, weight 1; with the accepted trial in T a tail trial (p = 1).
// Every weight is exact (no normalisation constant), E[weight] = 1.
const TAIL_ALPHA = 0.5;
const TAIL_PICK = 0.75;
/** S/(S + TAIL_C0) scales the tail's pick: an event whose tail trials carry little weight returns its accepted trial (weights stay within ~1e-4..15). */
const TAIL_C0 = 0.05;
/** pT (GeV) above which a scattered lepton counts as the tail. */
export const TAIL_PT_GeV = 0.5;
/** Tail trials are picked in proportion to a_j b_j, b = min(TAIL_B_MAX, (pT / TAIL_PT)^TAIL_POWER) of the larger tail pT: the pairs that pass need pT(mu mu) ~ 2 GeV. */
const TAIL_POWER = 6, TAIL_B_MAX = 729;
/** The tracker's polar acceptance (17-150 deg lab, detector.ts) as a CM cone around each beam: cos(theta*) = (cos theta_lab -+ beta)/(1 -+ beta cos theta_lab). */
const COS_ESCAPE = [(Math.cos((17 * Math.PI) / 180) - BETA_CM) / (1 - BETA_CM * Math.cos((17 * Math.PI) / 180)), (Math.cos((30 * Math.PI) / 180) + BETA_CM) / (1 + BETA_CM * Math.cos((30 * Math.PI) / 180))];

/**
 * The tail interval of ln Q^2 for photon k (0: from the e-, 1: from the e+) of energy fraction y when
 * the other photon has y_o, or null when empty: the lepton has pT > TAIL_PT and escapes the
 * tracker, and Q^2 < (y y_o s - W_min^2)/(1 - y_o) (beyond, W^2 ~ A - Q^2 (1 - y_o) < W_min^2).
 */
function tailInterval(y: number, yo: number, k: number, wMin2: number): [number, number] | null {
  const e2 = E * (1 - y);
  if (!(e2 > M_E)) return null;
  const p2 = Math.sqrt(e2 * e2 - M_E * M_E);
  if (!(p2 > TAIL_PT_GeV)) return null;
  const cPt = Math.sqrt(1 - (TAIL_PT_GeV / p2) ** 2), cEsc = COS_ESCAPE[k];
  if (!(cEsc < cPt)) return null;
  const q2 = (c: number) => 2 * (E * e2 - M_E * M_E - P * p2 * c);
  const lo = Math.log(q2(cPt)), hi = Math.min(Math.log(q2(cEsc)), Math.log(Math.max(1e-30, (y * yo * S - wMin2) / Math.max(1e-3, 1 - yo))));
  return lo < hi ? [lo, hi] : null;
}

interface Trial {
  ev: EpaEvent | null;
  /** Acceptance probability a(x) (0 outside the target's support), whether x is in T, and its pick factor b. */
  a: number;
  tail: boolean;
  b: number;
  accepted: boolean;
}

/** One rejection trial. tail: the biased mixture proposal; T membership and a are computed in full for tail trials. */

/** One rejection trial. tail: the biased mixture proposal; T membership and a are computed in full for tail trials. */
function trial(rng: EventRandom, env: Envelope, tail: boolean): Trial {
  const { ly, cum, h, dv, dd, wMin2 } = env;
  const none: Trial = { ev: null, a: 0, tail: false, b: 0, accepted: false };
  const total = cum[cum.length - 1], totTail = [env.cumTail[0][NV * ND - 1], env.cumTail[1][NV * ND - 1]];
  const box = tail && totTail[0] > 0 && totTail[1] > 0;
  const uAcc = rng.uniform32();
  // the mixture component: 0 = g0; 1 or 2 = g0 on the tail cells of photon 1 or 2 soft, its ln Q^2 in its tail interval
  const uc = box ? rng.uniform32() : 1;
  const comp = uc < TAIL_ALPHA / 2 ? 1 : uc < TAIL_ALPHA ? 2 : 0;
  // cell by inversion of the cumulative table, (v, d) flat in it
  const cm = comp === 0 ? cum : env.cumTail[comp - 1];
  const u = rng.uniform32() * cm[cm.length - 1];
  let lo = 0, hi = cm.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cm[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  const cell = lo, ci = (lo / ND) | 0, cj = lo - ci * ND;
  const v = ly + (ci + rng.uniform32()) * dv, d = ly + (cj + rng.uniform32()) * dd;
  if (!(Math.abs(d) <= -v)) return none;
  const ly1 = (v + d) / 2, ly2 = (v - d) / 2;
  const y1 = Math.exp(ly1), y2 = Math.exp(ly2);
  const k1 = q2Range(y1), k2 = q2Range(y2);
  if (!k1 || !k2) return none;
  const r1 = Math.log(k1[1] / k1[0]), r2 = Math.log(k2[1] / k2[0]);
  // T = {cell in photon k's tail cells and t_k in its tail interval, k = 1 or 2}
  const i1 = box && env.inTail[0][cell] ? tailInterval(y1, y2, 0, wMin2) : null, i2 = box && env.inTail[1][cell] ? tailInterval(y2, y1, 1, wMin2) : null;
  const u1 = rng.uniform32(), u2 = rng.uniform32();
  const t1 = comp === 1 && i1 ? i1[0] + (i1[1] - i1[0]) * u1 : Math.log(k1[0]) + r1 * u1;
  const t2 = comp === 2 && i2 ? i2[0] + (i2[1] - i2[0]) * u2 : Math.log(k2[0]) + r2 * u2;
  const q1 = Math.exp(t1), q2 = Math.exp(t2);
  const in1 = i1 !== null && t1 >= i1[0] && t1 <= i1[1], in2 = i2 !== null && t2 >= i2[0] && t2 <= i2[1];
  // g / g0 of the mixture (1 without the bias): g0 in (ln y1, ln y2) is 2 h[cell] / total, a box 1 / (its area)
  // g / g0 of the mixture (1 without the bias): on a tail cell set the component's density is total/totTail times g0's
  let G = 1;
  if (box) {
    const tf = (iv: [number, number] | null, inside: boolean, r: number) => (iv ? (inside ? r / (iv[1] - iv[0]) : 0) : 1);
    G = 1 - TAIL_ALPHA + (TAIL_ALPHA / 2) * ((env.inTail[0][cell] ? (total / totTail[0]) * tf(i1, in1, r1) : 0) + (env.inTail[1][cell] ? (total / totTail[1]) * tf(i2, in2, r2) : 0));
  }
  const A = y1 * y2 * S;
  const f12 = (epaFlux(y1, q1) * epaFlux(y2, q2) * r1 * r2 * (box ? 1 - TAIL_ALPHA : 1)) / G / h[cell];
  const inT = in1 || in2;
  // early rejection against the bound of D1 D2 sigma (saves the azimuth draws) outside T
  if (!inT && uAcc >= (f12 * 2 * cGammaGamma(Math.sqrt(A * W2_OVER_A_MAX))) / (A + wMin2)) return none;
  const ph1 = photon(y1, q1), ph2 = photon(y2, q2);
  const phi1 = 2 * Math.PI * rng.uniform32(), phi2 = 2 * Math.PI * rng.uniform32();
  const em = scatteredP4(ph1, phi1, 1), ep = scatteredP4(ph2, phi2, -1);
  const sys: P4 = [2 * E - em[0] - ep[0], -em[1] - ep[1], -em[2] - ep[2], -em[3] - ep[3]];
  const w2 = sys[0] ** 2 - sys[1] ** 2 - sys[2] ** 2 - sys[3] ** 2;
  if (w2 > A * W2_OVER_A_MAX) throw new Error(`e e mu mu sampler: W^2 = ${w2} > y1 y2 s = ${A} (a bug in the kinematics)`);
  if (!(w2 > wMin2)) return none;
  const w = Math.sqrt(w2);
  const a = f12 * damp(w2, q1) * damp(w2, q2) * sigmaGammaGammaToLL(w, M_MU);
  if (a > 1 + 1e-9) throw new Error(`e e mu mu sampler: acceptance ${a} > 1 at y = ${y1}, ${y2}, Q^2 = ${q1}, ${q2} (a bug in the envelope)`);
  const pt = (ph: EpaPhoton) => ph.p2 * Math.sqrt(Math.max(0, 1 - ph.cos * ph.cos));
  const b = inT ? Math.min(TAIL_B_MAX, (Math.max(in1 ? pt(ph1) : 0, in2 ? pt(ph2) : 0) / TAIL_PT_GeV) ** TAIL_POWER) : 0;
  return { ev: { ph1, ph2, phi1, phi2, em, ep, sys, w, weight: 1 }, a, tail: inT, b, accepted: uAcc < a };
}

/**
 * One configuration of the EPA density above (W > wMin). tail = false: by rejection, exact, unit
 * weight (5-8 32-bit draws per trial, about 3.5 trials). tail = true: the large-pT tail oversampled, the
 * event weighted so that weighted sums stay unbiased (see the tail bias above).
 */
export function sampleEpa(rng: EventRandom, wMin: number, tail = false): EpaEvent {
  const env = envelopeFor(wMin);
  const tails: { ev: EpaEvent; ab: number; b: number }[] = [];
  let sumAb = 0;
  for (;;) {
    const t = trial(rng, env, tail);
    if (t.tail && t.a > 0) {
      tails.push({ ev: t.ev!, ab: t.a * t.b, b: t.b });
      sumAb += t.a * t.b;
    }
    if (!t.accepted) continue;
    const bulk = t.tail ? null : t.ev!;
    if (!tails.length) return bulk!;
    // a tail trial with probability p = TAIL_PICK S/(S + TAIL_C0), S = sum a b (1 without an accepted trial outside T), picked in proportion to a b
    const pT = bulk ? (TAIL_PICK * sumAb) / (sumAb + TAIL_C0) : 1;
    const u = rng.uniform32();
    if (u >= pT) return { ...bulk!, weight: 1 / (1 - pT) };
    let x = (u / pT) * sumAb, k = 0;
    while (k < tails.length - 1 && x >= tails[k].ab) x -= tails[k++].ab;
    return { ...tails[k].ev, weight: sumAb / (pT * tails[k].b) };
  }
}

/** The f64 eemumu event (processes.ts before GENERATOR_VERSION 7): the EPA configuration, gamma gamma -> mu mu. */
export function f64Eemumu(rng: EventRandom, p: Params): GenEvent {
  const { em, ep, sys, w, weight } = sampleEpa(rng, p.wMin, p.tailBias !== 0);
  const b = Math.sqrt(1 - (4 * M_MU * M_MU) / (w * w));
  const c = sampleGammaGammaCos(rng, b);
  const [a, d] = produce2(sys, M_MU, M_MU, c, rng.between(0, 2 * Math.PI));
  return {
    particles: [{ kind: 'mu', charge: -1, p: a }, { kind: 'mu', charge: 1, p: d }, { kind: 'e', charge: -1, p: em }, { kind: 'e', charge: 1, p: ep }],
    truth: { truth_W_GeV: w },
    weight,
  };
}

/** eemumu with its f64 host definition (for generateHost). */
export function f64EemumuDef(): ProcessDef {
  return { ...getProcess('eemumu'), kernel: undefined, generate: f64Eemumu };
}
