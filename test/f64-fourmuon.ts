// The f64 host definitions of the four-muon family that the gen_fourmuon kernel replaced (engine/generate/
// processes.ts before GENERATOR_VERSION 9: zp_mumu, mumumumu; 10: zp_tautau) and the family's host
// reconstruction (engine/generate/index.ts reconstruct before version 10), kept only as an independent
// cross-check of the kernel: test/gen-fourmuon.test.ts compares their samples with the kernel's,
// bench/generate.ts their speed. They run through the host chain (engine/generate/index.ts
// generateHost with recoFourmuon: toLab, detector.ts, then the row below).
import { getProcess, type HostReco, type ProcessDef } from '../engine/generate/index.js';
import { M_MU, M_TAU, mass, minus, pabs, plus, type P4 } from '../engine/generate/lorentz.js';
import { P_INIT_LAB, decay2, decay3, noRadiation, radiate, tabulated, tauToMuNuNu } from '../engine/generate/physics.js';
import { FOURMU_M_HI, FOURMU_M_LO, FOURMU_TABLE_N, fourMuSpectrumFbPerGeV, type GenEvent, type GenParticle, type Params } from '../engine/generate/processes.js';
import type { EventRandom } from '../engine/generate/rng.js';

const mu = (charge: number, p: GenParticle['p']): GenParticle => ({ kind: 'mu', charge, p });

/** mu+ mu- X, X -> mu+ mu- (X = Z' or gamma*), ISR, flat three-body phase space: the former processes.ts muMuPair. */
function muMuPair(rng: EventRandom, p: Params, mX: number): GenParticle[] {
  const r = p.isr ? radiate(rng, mX + 2 * M_MU) : noRadiation();
  const [a, b, z] = decay3(rng, r.system, M_MU, M_MU, mX);
  const [c, d] = decay2(rng, z, M_MU, M_MU);
  return [mu(1, a), mu(-1, b), mu(1, c), mu(-1, d), ...r.photons.map((q) => ({ kind: 'gamma' as const, charge: 0, p: q }))];
}

let table: ReturnType<typeof tabulated> | undefined;
/** The former f64 inverse-CDF sampler of the gamma* mass (the same 20000-interval log grid and trapezoids as the kernel's f32 table). */
export const fourMuF64Table = () => (table ??= tabulated(fourMuSpectrumFbPerGeV, FOURMU_M_LO, FOURMU_M_HI, FOURMU_TABLE_N));

/** Z' -> tau tau, both tau -> mu nu nu (unpolarised Michel), ISR, flat mu mu Z' phase space: the former processes.ts zp_tautau. */
function zpTauTau(rng: EventRandom, p: Params, mZp: number): GenParticle[] {
  const r = p.isr ? radiate(rng, mZp + 2 * M_MU) : noRadiation();
  const [a, b, z] = decay3(rng, r.system, M_MU, M_MU, mZp);
  const [t1, t2] = decay2(rng, z, M_TAU, M_TAU);
  const [m1, n1] = tauToMuNuNu(rng, t1), [m2, n2] = tauToMuNuNu(rng, t2);
  return [mu(1, a), mu(-1, b), ...r.photons.map((q) => ({ kind: 'gamma' as const, charge: 0, p: q })), mu(1, m1), mu(-1, m2), { kind: 'invisible', charge: 0, p: n1 }, { kind: 'invisible', charge: 0, p: n2 }];
}

/** Broken variants the statistical test must reject: the Z' mass scaled by zpScale, the gamma* mass drawn at u^uPower instead of u. */
export interface Broken { zpScale?: number; uPower?: number }

/** The f64 definitions the kernel replaced (`broken`: a deliberately wrong variant). */
export function f64Generate(name: string, broken: Broken = {}): (rng: EventRandom, p: Params) => GenEvent {
  const k = broken.zpScale ?? 1;
  if (name === 'zp_mumu') return (rng, p) => ({ particles: muMuPair(rng, p, p.mZp * k), truth: { truth_m_Zp_GeV: p.mZp * k } });
  if (name === 'zp_tautau') return (rng, p) => ({ particles: zpTauTau(rng, p, p.mZp * k), truth: { truth_m_Zp_GeV: p.mZp * k } });
  if (name === 'mumumumu') {
    const e = broken.uPower ?? 1;
    return (rng, p) => {
      const m = fourMuF64Table().sample(rng.uniform() ** e);
      return { particles: muMuPair(rng, p, m), truth: { truth_m_Zp_GeV: m } };
    };
  }
  throw new Error(`f64-fourmuon: no f64 definition of ${name}`);
}

export function f64FourmuonDef(name: string, broken: Broken = {}): ProcessDef {
  return { ...getProcess(name), generate: f64Generate(name, broken) };
}

const recoil = (pair: P4): number => mass(minus(P_INIT_LAB, pair));

/**
 * The four-muon family's row (the former index.ts reconstruct branch): the identified muons of each
 * charge by falling |p|, the first two of each; M_4mu, the four opposite-charge pairs' masses and
 * recoil masses; n_gamma, E_extra of the photons seen; n_extra_tracks.
 */
export const recoFourmuon: HostReco = (tracks, photons, ev) => {
  const row: Record<string, number> = {};
  const mus = tracks.filter((t) => t.muId);
  const pos = mus.filter((t) => t.charge > 0).sort((x, y) => pabs(y.p) - pabs(x.p));
  const neg = mus.filter((t) => t.charge < 0).sort((x, y) => pabs(y.p) - pabs(x.p));
  row.n_gamma = photons.length;
  row.E_extra_GeV = photons.reduce((s, g) => s + g[0], 0);
  row.n_extra_tracks = tracks.length - Math.min(pos.length, 2) - Math.min(neg.length, 2);
  row.truth_m_Zp_GeV = ev.truth.truth_m_Zp_GeV ?? 0;
  if (pos.length < 2 || neg.length < 2) return { row, accepted: false };
  const m = [pos[0].p, pos[1].p, neg[0].p, neg[1].p];
  m.forEach((p, i) => {
    row[`mu${i + 1}_px_GeV`] = p[1];
    row[`mu${i + 1}_py_GeV`] = p[2];
    row[`mu${i + 1}_pz_GeV`] = p[3];
  });
  row.m_4mu_GeV = mass(plus(plus(m[0], m[1]), plus(m[2], m[3])));
  for (const [i, j] of [[1, 3], [1, 4], [2, 3], [2, 4]]) {
    const pr = plus(m[i - 1], m[j - 1]);
    row[`m_mumu_${i}${j}_GeV`] = mass(pr);
    row[`m_recoil_${i}${j}_GeV`] = recoil(pr);
  }
  return { row, accepted: true };
};
