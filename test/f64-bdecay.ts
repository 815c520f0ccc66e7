// The f64 host definitions of the B-decay processes that the gen_bdecay kernel replaced (engine/generate/
// processes.ts bToKS and engine/generate/bmeson.ts before GENERATOR_VERSION 7) and their families'
// host reconstruction (engine/generate/index.ts reconstruct, llp and bmeson branches), kept only as an
// independent cross-check of the kernel: test/gen-bdecay.test.ts compares their samples with the
// kernel's, bench/generate.ts their speed. They run through the host chain (generateHost with reco).
import { getProcess, type HostReco, type ProcessDef } from '../engine/generate/index.js';
import { B_MODES, COMBINATORIAL, M_ETA, M_K0, M_PI0, type BMode } from '../engine/generate/bmeson.js';
import { M_B, M_E, M_K, M_MU, M_PI, boost, mass, pabs, plus, type P4 } from '../engine/generate/lorentz.js';
import { BETA_CM, C_CM_PER_NS, SQRT_S, decay2, decay3, produce2, sampleCos, toLab } from '../engine/generate/physics.js';
import type { EventRandom } from '../engine/generate/rng.js';
import type { GenEvent, GenParticle, Kind, Params } from '../engine/generate/processes.js';

const G = (p: P4): GenParticle => ({ kind: 'gamma', charge: 0, p });
const kTrack = (kind: 'K' | 'pi', charge: number, p: P4): GenParticle => ({ kind, charge, p, role: 'K' });
const toCM = (p: P4): P4 => boost(p, 0, 0, -BETA_CM);
const cosTh = (p: P4): number => p[3] / Math.max(pabs(p), 1e-300);

/** B+ -> K+ S, S -> x x with lifetime (processes.ts bToKS). */
function bToKS(kind: Kind, m: number) {
  return (rng: EventRandom, p: Params): GenEvent => {
    // Y(4S) (1--) -> B B: dN/dcos ~ sin^2 theta; B at rest in the Y(4S) = CM frame otherwise.
    const c = sampleCos(rng, (x) => 1 - x * x, 1);
    const [B] = produce2([SQRT_S, 0, 0, 0], M_B, M_B, c, rng.between(0, 2 * Math.PI));
    const [K, Sp] = decay2(rng, B, M_K, p.mS);
    const [x1, x2] = decay2(rng, Sp, m, m);
    const tNs = rng.exponential(p.ctauCm / 29.9792458);
    return {
      particles: [{ kind: 'K', charge: 1, p: K, role: 'K' }, { kind, charge: 1, p: x1 }, { kind, charge: -1, p: x2 }],
      truth: { truth_m_S_GeV: p.mS, ctau_gen_cm: p.ctauCm, tau_gen_ns: p.ctauCm / 29.9792458, t_proper_ns: tNs },
      llp: { p: Sp, properTimeNs: tNs },
    };
  };
}

/** The kaon system's tracks (bmeson.ts kaonSystem). */
function kaonSystem(rng: EventRandom, mode: BMode, k: P4): GenParticle[] {
  if (mode.key === 'K+') return [kTrack('K', 1, k)];
  if (mode.key === 'K0S') {
    const [a, b] = decay2(rng, k, M_PI, M_PI);
    return [kTrack('pi', 1, a), kTrack('pi', -1, b)];
  }
  if (mode.key === 'K*0') {
    const [a, b] = decay2(rng, k, M_K, M_PI);
    return [kTrack('K', 1, a), kTrack('pi', -1, b)];
  }
  const [ks, pi] = decay2(rng, k, M_K0, M_PI);
  const [a, b] = decay2(rng, ks, M_PI, M_PI);
  return [kTrack('pi', 1, a), kTrack('pi', -1, b), kTrack('pi', 1, pi)];
}

/** B -> K(*) X, X -> gamma gamma (bmeson.ts kGammaGamma). */
function kGammaGamma(mX: (p: Params) => number) {
  return (rng: EventRandom, p: Params): GenEvent => {
    const mode = B_MODES[p.mode], m = mX(p);
    const c = sampleCos(rng, (x) => 1 - x * x, 1);
    const [B] = produce2([SQRT_S, 0, 0, 0], mode.mB, mode.mB, c, rng.between(0, 2 * Math.PI));
    const [k, x] = decay2(rng, B, mode.mK, m);
    const [g1, g2] = decay2(rng, x, 0, 0);
    return { particles: [...kaonSystem(rng, mode, k), G(g1), G(g2)], truth: { truth_m_a_GeV: m } };
  };
}

/** Combinatorial K(*) gamma gamma (bmeson.ts kggCombinatorial). */
function combinatorial(rng: EventRandom, p: Params): GenEvent {
  const mode = B_MODES[p.mode];
  const M = rng.between(COMBINATORIAL.mLoGeV, COMBINATORIAL.mHiGeV), q = rng.between(0, COMBINATORIAL.qMaxGeV);
  const [c, phi] = [rng.between(-1, 1), rng.between(0, 2 * Math.PI)];
  const s = Math.sqrt(1 - c * c);
  const parent: P4 = [Math.hypot(M, q), q * s * Math.cos(phi), q * s * Math.sin(phi), q * c];
  for (;;) {
    const [k, g1, g2] = decay3(rng, parent, mode.mK, 0, 0);
    const m = Math.sqrt(Math.max(0, 2 * (g1[0] * g2[0] - g1[1] * g2[1] - g1[2] * g2[2] - g1[3] * g2[3])));
    if (rng.uniform() <= Math.exp(-m / COMBINATORIAL.mScaleGeV)) return { particles: [...kaonSystem(rng, mode, k), G(g1), G(g2)], truth: { truth_m_a_GeV: 0 } };
  }
}

const trackMass = (kind: string) => (kind === 'mu' ? M_MU : kind === 'e' ? M_E : kind === 'pi' ? M_PI : M_K);

/** The llp family's row (index.ts reconstruct): K + x+ x- from a displaced vertex. */
export const recoLlp: HostReco = (tracks, _photons, ev) => {
  const row: Record<string, number> = {};
  const llp = ev.llp!;
  const sLab = toLab(llp.p);
  const bg = pabs(sLab) / mass(sLab);
  const L = bg * C_CM_PER_NS * llp.properTimeNs; // flight length = beta gamma c t
  const u = pabs(sLab);
  row.flight_cm = L;
  row.flight_rho_cm = (L * Math.hypot(sLab[1], sLab[2])) / u;
  row.vtx_z_cm = (L * sLab[3]) / u;
  row.t_proper_ns = llp.properTimeNs;
  row.tau_gen_ns = ev.truth.tau_gen_ns;
  row.ctau_gen_cm = ev.truth.ctau_gen_cm;
  row.truth_m_S_GeV = ev.truth.truth_m_S_GeV;
  const K = tracks.find((t) => t.role === 'K');
  const xs = tracks.filter((t) => t !== K);
  const x1 = xs.find((t) => t.charge > 0), x2 = xs.find((t) => t.charge < 0);
  if (!K || !x1 || !x2) return { row, accepted: false };
  const xx = plus(x1.p, x2.p);
  const mx = trackMass(x1.kind);
  row.p_K_GeV = pabs(K.p);
  row.p_x1_GeV = pabs(x1.p);
  row.p_x2_GeV = pabs(x2.p);
  row.m_xx_GeV = mass(xx);
  row.m_red_GeV = Math.sqrt(Math.max(0, row.m_xx_GeV ** 2 - 4 * mx * mx)); // M_red = sqrt(M^2 - 4 m^2) (Belle II, arXiv:2306.02830)
  row.m_Kxx_GeV = mass(plus(K.p, xx));
  row.p_S_GeV = pabs(xx);
  return { row, accepted: true };
};

/** The bmeson family's row (index.ts reconstruct): the B -> K(*) gamma gamma candidate, M_bc and Delta E in the CM. */
export const recoBmeson: HostReco = (tracks, photons, ev) => {
  const row: Record<string, number> = {};
  row.n_gamma = photons.length;
  row.n_tracks = tracks.length;
  row.truth_m_a_GeV = ev.truth.truth_m_a_GeV ?? 0;
  const ks = tracks.filter((t) => t.role === 'K');
  if (ks.length === 0 || ks.length < ev.particles.filter((q) => q.role === 'K').length || photons.length < 2) return { row, accepted: false };
  const K = ks.reduce<P4>((a, t) => plus(a, t.p), [0, 0, 0, 0]);
  const [g1, g2] = photons;
  const gg = plus(g1, g2), B = toCM(plus(K, gg));
  row.p_K_GeV = pabs(K);
  row.m_K_GeV = mass(K);
  row.E_g1_GeV = g1[0];
  row.E_g2_GeV = g2[0];
  row.cos_theta_g1 = cosTh(g1);
  row.cos_theta_g2 = cosTh(g2);
  row.m_gg_GeV = Math.max(0, mass(gg));
  row.Mbc_GeV = Math.sqrt(Math.max(0, (SQRT_S * SQRT_S) / 4 - pabs(B) ** 2));
  row.DeltaE_GeV = B[0] - SQRT_S / 2;
  return { row, accepted: true };
};

/** The f64 definitions the kernel replaced, by process name. */
export const F64: Record<string, (rng: EventRandom, p: Params) => GenEvent> = {
  b2ks_ee: bToKS('e', M_E), b2ks_mumu: bToKS('mu', M_MU), b2ks_pipi: bToKS('pi', M_PI), b2ks_kk: bToKS('K', M_K),
  b_ka_gg: kGammaGamma((p) => p.ma), b_kpi0: kGammaGamma(() => M_PI0), b_keta: kGammaGamma(() => M_ETA), b_kgg_comb: combinatorial,
};

/** The process with its former f64 generator, and its family's host reconstruction. */
export function f64Def(name: string): { def: ProcessDef; reco: HostReco } {
  const def = getProcess(name);
  return { def: { ...def, generate: F64[name] }, reco: def.family === 'llp' ? recoLlp : recoBmeson };
}
