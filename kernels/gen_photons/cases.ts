// The conformance cases of the gen_photons kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { BELLE2_DETECTOR } from '../../engine/generate/detector.js';
import { photonsKernelParams } from '../../engine/generate/gen-photons.js';
import { getProcess, kernelEventKey, resolveParams } from '../../engine/generate/index.js';

function mk(name: string, process: string, over: Record<string, number>, seed: number, first: number, count: number, itemOffset = 0): ConformanceCase {
  const proc = getProcess(process);
  return { name, args: { count, itemOffset, params: photonsKernelParams(proc, resolveParams(proc, over), BELLE2_DETECTOR, kernelEventKey(seed, proc), first) } };
}

export function cases(): ConformanceCase[] {
  return [
    mk('gammagamma, ISR, 2000 events', 'gammagamma', {}, 1, 0, 2000),
    mk('gammagamma, Born, 300 events at an item offset', 'gammagamma', { isr: 0 }, 2, 0, 300, 500),
    mk('eegamma, ISR, 2000 events', 'eegamma', {}, 3, 77, 2000),
    mk('eegamma, Born, wide cut cosMax = 0.999, last event indices', 'eegamma', { isr: 0, cosMax: 0.999 }, 4, 2 ** 32 - 400, 400),
    mk('eegamma, ISR skim xMin = 0.15 and angular stratum inside (0 <= |cos| < 0.8), 1500 events', 'eegamma', { xMin: 0.15, isrCosStratum: 1, isrCosMin: 0, isrCosMax: 0.8 }, 21, 0, 1500),
    mk('eegamma, ISR angular stratum outside (0 <= |cos| < 0.8), 1200 events at an item offset', 'eegamma', { isrCosStratum: -1, isrCosMin: 0, isrCosMax: 0.8 }, 22, 300, 1200, 64),
    mk('eegamma, ISR angular stratum inside a ring (0.7 <= |cos| < 0.9), last event indices', 'eegamma', { isrCosStratum: 1, isrCosMin: 0.7, isrCosMax: 0.9 }, 23, 2 ** 32 - 500, 500),
    mk('gammagamma, ISR skim xMin = 0.3, 1000 events', 'gammagamma', { xMin: 0.3 }, 24, 0, 1000),
    mk('eegamma, joint stratum inside (some photon x >= 0.14 at |cos| < 0.85), 1500 events', 'eegamma', { xMin: 0.14, isrCosStratum: 2, isrCosMin: 0, isrCosMax: 0.85 }, 25, 0, 1500),
    mk('eegamma, joint stratum outside (no photon x >= 0.14 at |cos| < 0.85), 1000 events at an item offset', 'eegamma', { xMin: 0.14, isrCosStratum: -2, isrCosMin: 0, isrCosMax: 0.85 }, 26, 900, 1000, 100),
    mk('eegamma, joint stratum inside, a wide bound (x >= 0.01, 0.3 <= |cos| < 0.99), last event indices', 'eegamma', { xMin: 0.01, isrCosStratum: 2, isrCosMin: 0.3, isrCosMax: 0.99 }, 27, 2 ** 32 - 600, 600),
    mk('gamma_alp ma = 1, 1500 events', 'gamma_alp', { ma: 1 }, 5, 0, 1500),
    mk('gamma_alp light ma = 0.2, ISR, 1000 events', 'gamma_alp', { ma: 0.2, isr: 1 }, 6, 1000, 1000),
    mk('gamma_alp heavy ma = 9.7, 700 events', 'gamma_alp', { ma: 9.7 }, 7, 0, 700),
    mk("gamma_aprime_inv mA = 4, 1200 events", 'gamma_aprime_inv', { mA: 4 }, 8, 0, 1200),
    mk("gamma_aprime_inv massless, ISR, 1000 events", 'gamma_aprime_inv', { mA: 0, isr: 1 }, 9, 0, 1000),
    mk("gamma_aprime_inv mA = 9.6, 600 events", 'gamma_aprime_inv', { mA: 9.6 }, 10, 0, 600),
  ];
}
