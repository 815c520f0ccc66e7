// The f64 host definitions of mumu, darkhiggs and zp_inv that the gen_dimuon kernel replaced (engine/generate/
// processes.ts before GENERATOR_VERSION 4), kept only as an independent cross-check of the kernel:
// test/gen-dimuon.test.ts compares their samples with the kernel's, bench/generate.ts their speed.
// They run through the host chain (engine/generate/index.ts generateHost).
import { getProcess, type ProcessDef } from '../engine/generate/index.js';
import { M_MU } from '../engine/generate/lorentz.js';
import { decay2, decay3, noRadiation, produce2, radiate, sampleCos } from '../engine/generate/physics.js';
import type { EventRandom } from '../engine/generate/rng.js';
import type { GenEvent, GenParticle, Params } from '../engine/generate/processes.js';

const mu = (charge: number, p: GenParticle['p']): GenParticle => ({ kind: 'mu', charge, p });
const isrOrNot = (rng: EventRandom, p: Params, mMin: number, xMin = 0) => (p.isr ? radiate(rng, mMin, xMin) : noRadiation());
const sysMass2 = (q: number[]) => q[0] ** 2 - q[1] ** 2 - q[2] ** 2 - q[3] ** 2;

/** The f64 definitions the kernel replaced (engine/generate/processes.ts before GENERATOR_VERSION 4). */
export const F64: Record<string, (rng: EventRandom, p: Params) => GenEvent> = {
  mumu(rng, p) {
    const r = isrOrNot(rng, p, 2 * M_MU + 1e-3, p.xMin);
    const c = sampleCos(rng, (x) => 1 + x * x, 2);
    const [a, b] = produce2(r.system, M_MU, M_MU, c, rng.between(0, 2 * Math.PI));
    return { particles: [mu(-1, a), mu(1, b), ...r.photons.map((q) => ({ kind: 'gamma' as const, charge: 0, p: q }))], truth: {} };
  },
  zp_inv(rng, p) {
    const r = isrOrNot(rng, p, p.mZp + 2 * M_MU);
    const [a, b, z] = decay3(rng, r.system, M_MU, M_MU, p.mZp);
    return { particles: [mu(1, a), mu(-1, b), ...r.photons.map((q) => ({ kind: 'gamma' as const, charge: 0, p: q })), { kind: 'invisible', charge: 0, p: z }], truth: { truth_m_Zp_GeV: p.mZp } };
  },
  darkhiggs(rng, p) {
    const r = isrOrNot(rng, p, p.mA + p.mh);
    const s2 = sysMass2(r.system);
    const bt = (2 * (Math.sqrt((s2 - (p.mA + p.mh) ** 2) * (s2 - (p.mA - p.mh) ** 2)) / (2 * Math.sqrt(s2)))) / Math.sqrt(s2);
    const k = (8 * p.mA ** 2) / s2;
    const c = sampleCos(rng, (x) => bt * bt * (1 - x * x) + k, bt * bt + k);
    const [A, h] = produce2(r.system, p.mA, p.mh, c, rng.between(0, 2 * Math.PI));
    const [m1, m2] = decay2(rng, A, M_MU, M_MU);
    return { particles: [mu(1, m1), mu(-1, m2), { kind: 'invisible', charge: 0, p: h }, ...r.photons.map((q) => ({ kind: 'gamma' as const, charge: 0, p: q }))], truth: {} };
  },
};

export function f64Def(name: string): ProcessDef {
  const def = getProcess(name);
  return { ...def, generate: F64[name] };
}
