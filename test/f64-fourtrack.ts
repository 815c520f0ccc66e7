// The f64 host definitions of the fourtrack family's processes that the gen_fourtrack kernel replaced
// (engine/generate/tau.ts before GENERATOR_VERSION 7), kept only as an independent cross-check of
// the kernel: test/gen-fourtrack.test.ts compares their samples with the kernel's, bench/generate.ts
// their speed. They run through the host chain (engine/generate/index.ts generateHost: toLab,
// detector.ts, then recoFourtrack below, the family's f64 reconstruction).
import { getProcess, type HostReco, type ProcessDef } from '../engine/generate/index.js';
import { M_E, M_MU, M_PI, M_TAU, boost, mass, minus, pabs, plus, type P4 } from '../engine/generate/lorentz.js';
import { BETA_CM, P_INIT_LAB, S, SQRT_S, decay2, decay3, fourMuSpectrumFbPerGeV, noRadiation, produce2, radiate, sampleCos, tabulated, tauToLeptonNuNu, tauToPiNu, type IsrResult } from '../engine/generate/physics.js';
import type { EventRandom } from '../engine/generate/rng.js';
import type { GenEvent, GenParticle, Kind, Params } from '../engine/generate/processes.js';
import { A1_CUT, BR_TAU, M_A1, M_PI0, M_RHO, MODES_1P as MODES, ONE_PRONGS, W_A1, ttRange, type OneProng } from '../engine/generate/tau.js';

const brOf = (modes: readonly OneProng[]) => modes.reduce((s, m) => s + BR_TAU[m], 0);
const inv = (p: P4): GenParticle => ({ kind: 'invisible', charge: 0, p });
const gam = (p: P4): GenParticle => ({ kind: 'gamma', charge: 0, p });
const trk = (kind: Kind, charge: number, p: P4): GenParticle => ({ kind, charge, p });
const gammas = (r: IsrResult): GenParticle[] => r.photons.map(gam);
const isrOrNot = (rng: EventRandom, p: Params, mMin: number) => (p.isr ? radiate(rng, mMin) : noRadiation());

/** A 1-prong tau decay of mode `m` (charge q of the tau). */
function oneProng(rng: EventRandom, tau: P4, q: number, m: OneProng): GenParticle[] {
  if (m === 'e' || m === 'mu') {
    const [l, nn] = tauToLeptonNuNu(rng, tau, m === 'e' ? M_E : M_MU);
    return [trk(m, q, l), inv(nn)];
  }
  if (m === 'pi') {
    const [pi, nu] = tauToPiNu(rng, tau);
    return [trk('pi', q, pi), inv(nu)];
  }
  // tau -> rho nu, rho -> pi pi0, pi0 -> gamma gamma: isotropic two-body steps (rho at its pole mass).
  const [rho, nu] = decay2(rng, tau, M_RHO, 0);
  const [pi, pi0] = decay2(rng, rho, M_PI, M_PI0);
  const [g1, g2] = decay2(rng, pi0, 0, 0);
  return [trk('pi', q, pi), gam(g1), gam(g2), inv(nu)];
}

/** A 1-prong decay with the mode drawn by branching fraction among `modes`. */
function oneProngOf(rng: EventRandom, tau: P4, q: number, modes: readonly OneProng[]): GenParticle[] {
  let u = rng.uniform() * brOf(modes);
  for (const m of modes) {
    if (u < BR_TAU[m]) return oneProng(rng, tau, q, m);
    u -= BR_TAU[m];
  }
  return oneProng(rng, tau, q, modes[modes.length - 1]);
}

/** tau -> a1 nu, a1 -> pi pi pi (flat phase space), the a1 mass from a Breit-Wigner cut to (3 m_pi, m_tau). */
function threeProng(rng: EventRandom, tau: P4, q: number): GenParticle[] {
  const [lo, hi] = A1_CUT;
  let m = 0;
  do m = M_A1 + (W_A1 / 2) * Math.tan(Math.PI * (rng.uniform() - 0.5));
  while (!(m > lo && m < hi));
  const [a1, nu] = decay2(rng, tau, m, 0);
  const [p1, p2, p3] = decay3(rng, a1, M_PI, M_PI, M_PI);
  return [trk('pi', q, p1), trk('pi', q, p2), trk('pi', -q, p3), inv(nu)];
}

/** e+e- -> tau+ tau- at the system's mass: 1 + c^2 + (1 - beta^2) sin^2 (Peskin & Schroeder problem 5.2). */
function tauPair(rng: EventRandom, system: P4): [P4, P4] {
  const s2 = system[0] ** 2 - system[1] ** 2 - system[2] ** 2 - system[3] ** 2, b2 = 1 - (4 * M_TAU * M_TAU) / s2;
  const c = sampleCos(rng, (x) => 1 + x * x + (1 - b2) * (1 - x * x), 2);
  return produce2(system, M_TAU, M_TAU, c, rng.between(0, 2 * Math.PI));
}

/** tau.ts forceMuonFakes before the kernel. */
function forceMuonFakes(rng: EventRandom, particles: GenParticle[]): void {
  const mus = particles.filter((q) => q.kind === 'mu'), pis = particles.filter((q) => q.kind === 'pi');
  if (mus.length === 1) {
    const opp = pis.filter((q) => q.charge === -mus[0].charge);
    if (opp.length) opp[Math.min(opp.length - 1, Math.floor(rng.uniform() * opp.length))].kind = 'mu';
    return;
  }
  if (mus.length === 0) {
    const pos = pis.filter((q) => q.charge > 0), neg = pis.filter((q) => q.charge < 0);
    if (!pos.length || !neg.length) return;
    const k = Math.min(pos.length * neg.length - 1, Math.floor(rng.uniform() * pos.length * neg.length));
    pos[Math.floor(k / neg.length)].kind = 'mu';
    neg[k % neg.length].kind = 'mu';
  }
}
let ttSpectrum: ReturnType<typeof tabulated> | undefined;
const ttTable = () => (ttSpectrum ??= tabulated((m) => fourMuSpectrumFbPerGeV(m, M_TAU), ...ttRange()));

/** The f64 definitions the kernel replaced (engine/generate/tau.ts before GENERATOR_VERSION 7). */
export const F64: Record<string, (rng: EventRandom, p: Params) => GenEvent> = {
  tautau_1x3(rng, p) {
    const r = isrOrNot(rng, p, 2 * M_TAU + 1e-3);
    const [tm, tp] = tauPair(rng, r.system);
    // which tau decays to 1 prong: a fair coin (the factor 2 of sigma)
    const flip = rng.uniform() < 0.5;
    const a = oneProngOf(rng, flip ? tp : tm, flip ? 1 : -1, MODES[p.oneProng]);
    const b = threeProng(rng, flip ? tm : tp, flip ? -1 : 1);
    const particles = [...a, ...b, ...gammas(r)];
    if (p.forceFake) forceMuonFakes(rng, particles);
    return { particles, truth: {} };
  },
  tau_lalpha(rng, p) {
    const lepton = p.lepton === 1 ? 'e' : 'mu', ml = lepton === 'e' ? M_E : M_MU;
    const r = isrOrNot(rng, p, 2 * M_TAU + 1e-3);
    const [tm, tp] = tauPair(rng, r.system);
    const flip = rng.uniform() < 0.5;
    const [l, a] = decay2(rng, flip ? tp : tm, ml, p.mAlpha);
    const b = threeProng(rng, flip ? tm : tp, flip ? -1 : 1);
    return { particles: [trk(lepton, flip ? 1 : -1, l), inv(a), ...b, ...gammas(r)], truth: { truth_m_alpha_GeV: p.mAlpha } };
  },
  zp_tautau_1p(rng, p) {
    const r = isrOrNot(rng, p, p.mX + 2 * M_MU);
    const [a, b, x] = decay3(rng, r.system, M_MU, M_MU, p.mX);
    const [tm, tp] = decay2(rng, x, M_TAU, M_TAU);
    return {
      particles: [trk('mu', 1, a), trk('mu', -1, b), ...oneProngOf(rng, tm, -1, ONE_PRONGS), ...oneProngOf(rng, tp, 1, ONE_PRONGS), ...gammas(r)],
      truth: { truth_m_X_GeV: p.mX },
    };
  },
  mumutautau(rng) {
    const m = ttTable().sample(rng.uniform());
    const [a, b, x] = decay3(rng, [SQRT_S, 0, 0, 0], M_MU, M_MU, m);
    const [tm, tp] = decay2(rng, x, M_TAU, M_TAU);
    return { particles: [trk('mu', 1, a), trk('mu', -1, b), ...oneProngOf(rng, tm, -1, ONE_PRONGS), ...oneProngOf(rng, tp, 1, ONE_PRONGS)], truth: { truth_m_X_GeV: m } };
  },
  qqbar_4trk(rng, p) {
    const nPi0 = Math.floor(rng.uniform() * 3);
    // flat n-body phase space by successive three-body splits: (pi+ pi-) (pi+ pi-) (rest)
    const rest = nPi0 === 0 ? 0 : nPi0 * M_PI0 + 0.05 * nPi0;
    const mA = 2 * M_PI + rng.uniform() * 3, mB = 2 * M_PI + rng.uniform() * 3;
    const out: GenParticle[] = [];
    const parts: P4[] = nPi0 === 0 ? [...produce2([SQRT_S, 0, 0, 0], mA, mB, rng.between(-1, 1), rng.between(0, 2 * Math.PI))] : decay3(rng, [SQRT_S, 0, 0, 0], mA, mB, rest);
    for (const pp of parts.slice(0, 2)) {
      const [x, y] = decay2(rng, pp, M_PI, M_PI);
      out.push(trk('pi', 1, x), trk('pi', -1, y));
    }
    if (nPi0 > 0) {
      const pi0s = nPi0 === 1 ? [parts[2]] : decay2(rng, parts[2], M_PI0, M_PI0);
      for (const z of pi0s) out.push(...decay2(rng, z, 0, 0).map(gam));
    }
    if (p.forceFake) forceMuonFakes(rng, out);
    return { particles: out, truth: {} };
  },
};

export function f64FourtrackDef(name: string): ProcessDef {
  const def = getProcess(name);
  const gen = name === 'tau_ealpha' || name === 'tau_mualpha' ? F64.tau_lalpha : F64[name];
  const lepton = name === 'tau_ealpha' ? 'e' : 'mu';
  return { ...def, kernel: undefined, generate: name.startsWith('tau_') ? (rng, p) => gen(rng, { ...p, lepton: lepton === 'e' ? 1 : 2 }) : gen };
}

// ------------------------------------------------------------------------- reconstruction
const cm = (p: P4): P4 => boost(p, 0, 0, -BETA_CM);
const cosBetween = (a: P4, b: P4) => (a[1] * b[1] + a[2] * b[2] + a[3] * b[3]) / Math.max(pabs(a) * pabs(b), 1e-300);

/**
 * The fourtrack row of an event (tracks and photons in the lab, after the host detector chain);
 * accepted: exactly four tracks. The family's f64 host reconstruction (engine/generate/tau.ts
 * reconstructFourTrack until GENERATOR_VERSION 16), whose f32 twin is kernels/lib/fourtrack.
 */
export const recoFourtrack: HostReco = (tracks, photons, ev) => {
  const truth = ev.truth;
  const row: Record<string, number> = {};
  row.n_tracks = tracks.length;
  row.charge_sum = tracks.reduce((s, t) => s + t.charge, 0);
  row.n_mu_id = tracks.filter((t) => t.muId).length;
  row.n_gamma = photons.length;
  row.E_extra_GeV = photons.reduce((s, g) => s + g[0], 0);
  row.truth_m_GeV = truth.truth_m_X_GeV ?? truth.truth_m_alpha_GeV ?? 0;
  if (tracks.length !== 4) return { row, accepted: false };
  const all = tracks.reduce((s, t) => plus(s, t.p), [0, 0, 0, 0] as P4);
  row.m_4trk_GeV = mass(all);
  const c = tracks.map((t) => cm(t.p));
  row.pt_4trk_cm_GeV = Math.hypot(cm(all)[1], cm(all)[2]);
  // mu mu pair
  let best: [number, number] | null = null, bestP = -1;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
    if (tracks[i].charge > 0 && tracks[j].charge < 0 && tracks[i].muId && tracks[j].muId && pabs(c[i]) + pabs(c[j]) > bestP) (best = [i, j]), (bestP = pabs(c[i]) + pabs(c[j]));
  }
  row.has_mumu = best ? 1 : 0;
  row.m_recoil_GeV = -1;
  if (best) {
    const [i, j] = best;
    const others = [0, 1, 2, 3].filter((k) => k !== i && k !== j);
    const pair = plus(tracks[i].p, tracks[j].p), rest = plus(tracks[others[0]].p, tracks[others[1]].p);
    row.m_mumu_GeV = mass(pair);
    const rec = minus(P_INIT_LAB, pair);
    const r2 = rec[0] ** 2 - rec[1] ** 2 - rec[2] ** 2 - rec[3] ** 2;
    row.m_recoil_GeV = r2 > 0 ? Math.sqrt(r2) : -1;
    const [p1, p2] = [pabs(c[i]), pabs(c[j])].sort((x, y) => y - x);
    row.p_mu1_cm_GeV = p1;
    row.p_mu2_cm_GeV = p2;
    const [q1, q2] = [pabs(c[others[0]]), pabs(c[others[1]])].sort((x, y) => y - x);
    row.p_trk1_cm_GeV = q1;
    row.p_trk2_cm_GeV = q2;
    row.m_trk_GeV = mass(rest);
    row.cos_recoil_trk_cm = cosBetween(cm(rec), cm(rest));
    row.cos_mumu_cm = cosBetween(c[i], c[j]);
  }
  // 3x1: the track whose direction is opposite (cos < 0 in the CM) to each of the other three
  let lone = -1, nLone = 0;
  for (let i = 0; i < 4; i++) {
    if ([0, 1, 2, 3].every((k) => k === i || cosBetween(c[i], c[k]) < 0)) (lone = i), nLone++;
  }
  row.is_3x1 = nLone === 1 ? 1 : 0;
  row.lep_kind = 0;
  if (nLone === 1) {
    const t = tracks[lone];
    const three = [0, 1, 2, 3].filter((k) => k !== lone).reduce((s, k) => plus(s, c[k]), [0, 0, 0, 0] as P4);
    const q = three.slice(1).reduce((s, v) => s + v * v, 0) ** 0.5;
    // Electrons are identified perfectly (illustrative); muons by the KLM model of detector.ts.
    row.lep_kind = t.kind === 'e' ? 1 : t.muId ? 2 : 3;
    const ml = t.kind === 'e' ? M_E : M_MU;
    const l = c[lone];
    const lp = [Math.sqrt(pabs(l) ** 2 + ml * ml), l[1], l[2], l[3]] as P4;
    row.p_lep_cm_GeV = pabs(l);
    row.cos_theta_lep_cm = l[3] / Math.max(pabs(l), 1e-300);
    row.m_3prong_GeV = mass(three);
    row.E_3prong_cm_GeV = three[0];
    // pseudo-rest frame: tau along -(3-prong direction), E_tau = sqrt(s)/2 (PRL 130 (2023) 181803)
    const pt = Math.sqrt(S / 4 - M_TAU * M_TAU), b = pt / (SQRT_S / 2);
    // the tau moves along -three: into its rest frame with the opposite velocity, +b along three
    row.E_lep_pseudo_GeV = boost(lp, (three[1] / q) * b, (three[2] / q) * b, (three[3] / q) * b)[0];
  }
  return { row, accepted: true };
};
