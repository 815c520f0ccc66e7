// The conformance cases of the gen_dimuon kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { BELLE2_DETECTOR } from '../../engine/generate/detector.js';
import { dimuonKernelParams } from '../../engine/generate/gen-dimuon.js';
import { getProcess, kernelEventKey, resolveParams } from '../../engine/generate/index.js';

function mk(name: string, process: string, over: Record<string, number>, seed: number, first: number, count: number, itemOffset = 0): ConformanceCase {
  const proc = getProcess(process);
  return { name, args: { count, itemOffset, params: dimuonKernelParams(proc, resolveParams(proc, over), BELLE2_DETECTOR, kernelEventKey(seed, proc), first) } };
}

export function cases(): ConformanceCase[] {
  return [
    mk('mumu, ISR, no cut, 1000 events', 'mumu', { xMin: 0 }, 1, 0, 1000),
    mk('mumu, ISR cut xMin = 0.09 (the demo skim), 5003 events', 'mumu', { xMin: 0.09 }, 7, 123, 5003),
    mk('mumu, ISR angular stratum inside (0.7 <= |cos| < 0.8) with xMin = 0.09, 1500 events', 'mumu', { xMin: 0.09, isrCosStratum: 1 }, 8, 0, 1500),
    mk('mumu, ISR angular stratum outside (0 <= |cos| < 0.95), 1200 events', 'mumu', { isrCosStratum: -1, isrCosMin: 0, isrCosMax: 0.95 }, 9, 77, 1200),
    mk('mumu, ISR joint stratum inside (some photon x >= 0.09 at 0.7 <= |cos| < 0.8), 1000 events', 'mumu', { xMin: 0.09, isrCosStratum: 2 }, 10, 0, 1000),
    mk('mumu, Born, 257 events at an item offset', 'mumu', { isr: 0 }, 3, 0, 257, 1000),
    mk("darkhiggs mA = 4, mh = 2, 2000 events", 'darkhiggs', { mA: 4, mh: 2 }, 11, 0, 2000),
    mk("darkhiggs near threshold mA = 9, mh = 1.45, last event indices", 'darkhiggs', { mA: 9, mh: 1.45 }, 12, 2 ** 32 - 300, 300),
    mk("darkhiggs light A' mA = 0.25, mh = 0.05, Born", 'darkhiggs', { mA: 0.25, mh: 0.05, isr: 0 }, 13, 40000, 1001),
    mk("zp_inv mZp = 3, three-body, 2000 events", 'zp_inv', { mZp: 3 }, 14, 0, 2000),
    mk("zp_inv light mZp = 0.05, Born, 700 events", 'zp_inv', { mZp: 0.05, isr: 0 }, 15, 5000, 700),
    mk("zp_inv heavy mZp = 9.5, 600 events", 'zp_inv', { mZp: 9.5 }, 16, 0, 600),
  ];
}
