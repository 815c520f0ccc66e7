// The f64 host definitions of gammagamma, eegamma, gamma_alp and gamma_aprime_inv that the gen_photons
// kernel replaced (engine/generate/processes.ts before GENERATOR_VERSION 10) and the photons family's
// host reconstruction (engine/generate/index.ts reconstruct, photons branch), kept only as an
// independent cross-check of the kernel: test/gen-photons.test.ts compares their samples with the
// kernel's, bench/generate.ts their speed. They run through the host chain (engine/generate/index.ts
// generateHost with recoPhotons: toLab, detector.ts smearPhoton / smearTrack).
import { getProcess, type HostReco, type ProcessDef } from '../engine/generate/index.js';
import { M_E, mass, minus, plus, pabs, boost, type P4 } from '../engine/generate/lorentz.js';
import { BETA_CM, P_INIT_LAB, decay2, noRadiation, produce2, radiate, sampleCos } from '../engine/generate/physics.js';
import type { EventRandom } from '../engine/generate/rng.js';
import type { GenEvent, GenParticle, Params } from '../engine/generate/processes.js';

const isrOrNot = (rng: EventRandom, p: Params, mMin: number) => (p.isr ? radiate(rng, mMin) : noRadiation());
const G = (q: GenParticle['p']): GenParticle => ({ kind: 'gamma', charge: 0, p: q });

/** (1 + c^2)/(1 - c^2) on |c| < cmax by the envelope 2/(1 - c^2): c = tanh(uniform in +-atanh(cmax)). */
function sampleGammaGammaLike(rng: EventRandom, cmax: number): number {
  const t = Math.atanh(cmax);
  for (;;) {
    const c = Math.tanh(rng.between(-t, t));
    if (rng.uniform() * 2 <= 1 + c * c) return c;
  }
}

/** The f64 definitions the kernel replaced. */
export const F64: Record<string, (rng: EventRandom, p: Params) => GenEvent> = {
  gamma_aprime_inv(rng, p) {
    const r = isrOrNot(rng, p, p.mA + 1e-3);
    // dsigma/dcos ~ (1 + c^2)/(1 - c^2), the massless limit of e+e- -> gamma A'.
    const c = sampleGammaGammaLike(rng, p.cosMax);
    const [g, a] = produce2(r.system, 0, p.mA, c, rng.between(0, 2 * Math.PI));
    return { particles: [G(g), { kind: 'invisible', charge: 0, p: a }, ...r.photons.map(G)], truth: { truth_m_GeV: p.mA } };
  },
  gamma_alp(rng, p) {
    const r = isrOrNot(rng, p, p.ma + 1e-3);
    const c = sampleCos(rng, (x) => 1 + x * x, 2);
    const [g, a] = produce2(r.system, 0, p.ma, c, rng.between(0, 2 * Math.PI));
    const [g1, g2] = decay2(rng, a, 0, 0);
    return { particles: [G(g), G(g1), G(g2), ...r.photons.map(G)], truth: { truth_m_GeV: p.ma } };
  },
  gammagamma(rng, p) {
    const r = isrOrNot(rng, p, 0.01);
    const c = sampleGammaGammaLike(rng, p.cosMax);
    const [a, b] = produce2(r.system, 0, 0, c, rng.between(0, 2 * Math.PI));
    return { particles: [G(a), G(b), ...r.photons.map(G)], truth: {} };
  },
  eegamma(rng, p) {
    const r = isrOrNot(rng, p, 2 * M_E + 0.01);
    // Bhabha at high energy: dsigma/dOmega = (alpha^2 / 4s) ((3 + c^2)/(1 - c))^2 (PDG RPP "Cross-section formulae").
    // Envelope 1/(1-c)^2 sampled by inversion, accepted with (3 + c^2)^2 / 16 <= 1.
    const A = 1 / (1 + p.cosMax), B = 1 / (1 - p.cosMax);
    let c = 0;
    for (;;) {
      c = 1 - 1 / (A + (B - A) * rng.uniform());
      if (rng.uniform() * 16 <= (3 + c * c) ** 2) break;
    }
    const [a, b] = produce2(r.system, M_E, M_E, c, rng.between(0, 2 * Math.PI));
    return { particles: [{ kind: 'e', charge: -1, p: a }, { kind: 'e', charge: 1, p: b }, ...r.photons.map(G)], truth: {} };
  },
};

export function f64Def(name: string): ProcessDef {
  const def = getProcess(name);
  return { ...def, generate: F64[name] };
}

const recoil2 = (q: P4): number => {
  const r = minus(P_INIT_LAB, q);
  return r[0] * r[0] - r[1] * r[1] - r[2] * r[2] - r[3] * r[3];
};

/** The photons family's row (index.ts reconstruct before GENERATOR_VERSION 10): the three most energetic photons, counts, energies. */
export const recoPhotons: HostReco = (tracks, photons, ev) => {
  const row: Record<string, number> = {};
  row.n_gamma = photons.length;
  row.n_tracks = tracks.length;
  row.E_total_GeV = photons.reduce((s, g) => s + g[0], 0) + tracks.reduce((s, t) => s + t.p[0], 0);
  row.truth_m_GeV = ev.truth.truth_m_GeV ?? 0;
  const g = [0, 1, 2].map((i) => photons[i] ?? ([0, 0, 0, 0] as P4));
  g.forEach((p, i) => {
    row[`E_g${i + 1}_GeV`] = p[0];
    row[`E_cm_g${i + 1}_GeV`] = boost(p, 0, 0, -BETA_CM)[0];
    row[`cos_theta_g${i + 1}`] = p[0] > 0 ? p[3] / Math.max(pabs(p), 1e-300) : 0;
  });
  row.m_gg_12_GeV = Math.max(0, mass(plus(g[0], g[1])));
  row.m_gg_13_GeV = Math.max(0, mass(plus(g[0], g[2])));
  row.m_gg_23_GeV = Math.max(0, mass(plus(g[1], g[2])));
  row.m_ggg_GeV = Math.max(0, mass(plus(plus(g[0], g[1]), g[2])));
  row.m_recoil_g1_GeV = mass(minus(P_INIT_LAB, g[0]));
  row.m2_recoil_g1_GeV2 = recoil2(g[0]);
  return { row, accepted: photons.length >= 1 };
};
