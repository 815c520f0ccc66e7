// The f64 host definitions of zp_mumu and mumumumu that the gen_fourmuon kernel replaced (engine/generate/
// processes.ts before GENERATOR_VERSION 9), kept only as an independent cross-check of the kernel:
// test/gen-fourmuon.test.ts compares their samples with the kernel's, bench/generate.ts their speed.
// They run through the host chain (engine/generate/index.ts generateHost: toLab, detector.ts, reconstruct).
import { getProcess, type ProcessDef } from '../engine/generate/index.js';
import { M_MU } from '../engine/generate/lorentz.js';
import { decay2, decay3, noRadiation, radiate, tabulated } from '../engine/generate/physics.js';
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

/** Broken variants the statistical test must reject: the Z' mass scaled by zpScale, the gamma* mass drawn at u^uPower instead of u. */
export interface Broken { zpScale?: number; uPower?: number }

/** The f64 definitions the kernel replaced (`broken`: a deliberately wrong variant). */
export function f64Generate(name: string, broken: Broken = {}): (rng: EventRandom, p: Params) => GenEvent {
  if (name === 'zp_mumu') {
    const k = broken.zpScale ?? 1;
    return (rng, p) => ({ particles: muMuPair(rng, p, p.mZp * k), truth: { truth_m_Zp_GeV: p.mZp * k } });
  }
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
