// The f64 host definition of tau tau that the gen_tautau kernel replaced (engine/generate/processes.ts
// at GENERATOR_VERSION 5-6, plus the decay-mode stratum), kept only as an independent cross-check of the
// kernel: test/gen-tautau.test.ts compares their samples, bench/generate.ts their speed. It runs
// through the host chain (engine/generate/index.ts generateHost: toLab, detector.ts, reconstruct).
// `broken` switches a piece of the physics off, for the test's negative controls.
import { getProcess, type ProcessDef } from '../engine/generate/index.js';
import { BR_TAU_MUNUNU, BR_TAU_PINU } from '../engine/generate/gen-tautau.js';
import { M_TAU, type P4 } from '../engine/generate/lorentz.js';
import { noRadiation, produce2, radiate, sampleCos, tauToMuNuNu, tauToPiNu } from '../engine/generate/physics.js';
import type { EventRandom } from '../engine/generate/rng.js';
import type { GenEvent, GenParticle, Params } from '../engine/generate/processes.js';

export interface Broken {
  /** h(tau+) drawn independently of h(tau-) (no spin correlation). */
  readonly noSpinCorrelation?: boolean;
  /** Unpolarized decays (pol = 0). */
  readonly unpolarized?: boolean;
}

/** One tau decay (helicity h, charge q, mode mu or pi). */
function tauDecay(rng: EventRandom, tau: P4, h: number, q: number, isMu: boolean): GenParticle[] {
  if (isMu) {
    const [m, n] = tauToMuNuNu(rng, tau, h, q);
    return [{ kind: 'mu', charge: q, p: m }, { kind: 'invisible', charge: 0, p: n }];
  }
  const [pi, n] = tauToPiNu(rng, tau, h, q);
  return [{ kind: 'pi', charge: q, p: pi }, { kind: 'invisible', charge: 0, p: n }];
}

/** tau tau in f64 (the former processes.ts definition; decayStratum as the kernel's). */
export function f64Tautau(broken: Broken = {}): (rng: EventRandom, p: Params) => GenEvent {
  const fMu = BR_TAU_MUNUNU / (BR_TAU_MUNUNU + BR_TAU_PINU);
  return (rng, p) => {
    const r = p.isr ? radiate(rng, 2 * M_TAU + 1e-3) : noRadiation();
    const sys = r.system;
    const s2 = sys[0] ** 2 - sys[1] ** 2 - sys[2] ** 2 - sys[3] ** 2, b2 = 1 - (4 * M_TAU * M_TAU) / s2;
    // e+e- -> f fbar with mass: 1 + c^2 + (1 - beta^2) sin^2 (Peskin & Schroeder problem 5.2)
    const c = sampleCos(rng, (x) => 1 + x * x + (1 - b2) * (1 - x * x), 2);
    const [t1, t2] = produce2(sys, M_TAU, M_TAU, c, rng.between(0, 2 * Math.PI));
    // longitudinal spin correlation (Tsai, PRD 4 (1971) 2821): 1 + c^2 opposite helicities, (1 - beta^2) sin^2 equal ones
    const hMinus = rng.uniform() < 0.5 ? 1 : -1;
    const same = (1 - b2) * (1 - c * c);
    let hPlus = rng.uniform() * (1 + c * c + same) < same ? hMinus : -hMinus;
    if (broken.noSpinCorrelation) hPlus = rng.uniform() < 0.5 ? 1 : -1;
    const pol = broken.unpolarized ? 0 : 1;
    let muM: boolean, muP: boolean;
    if (p.decayStratum === 0) {
      muM = rng.uniform() < fMu;
      muP = rng.uniform() < fMu;
    } else if (p.decayStratum === 2) {
      muM = rng.uniform() < 0.5;
      muP = !muM;
    } else muM = muP = p.decayStratum === 1;
    const d1 = tauDecay(rng, t1, pol * hMinus, -1, muM), d2 = tauDecay(rng, t2, pol * hPlus, 1, muP);
    return { particles: [d1[0], d2[0], d1[1], d2[1], ...r.photons.map((q) => ({ kind: 'gamma' as const, charge: 0, p: q }))], truth: {} };
  };
}

export function f64TautauDef(broken: Broken = {}): ProcessDef {
  return { ...getProcess('tautau'), generate: f64Tautau(broken) };
}
