// The conformance cases of the gen_tautau kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { BELLE2_DETECTOR, type DetectorModel } from '../../engine/generate/detector.js';
import { tautauKernelParams } from '../../engine/generate/gen-tautau.js';
import { getProcess, kernelEventKey, resolveParams } from '../../engine/generate/index.js';

function mk(name: string, over: Record<string, number>, seed: number, first: number, count: number, itemOffset = 0, det: DetectorModel = BELLE2_DETECTOR): ConformanceCase {
  const proc = getProcess('tautau');
  return { name, args: { count, itemOffset, params: tautauKernelParams(proc, resolveParams(proc, over), det, kernelEventKey(seed, proc), first) } };
}

export function cases(): ConformanceCase[] {
  return [
    mk('tau tau, ISR, all decay modes, 3000 events', {}, 1, 0, 3000),
    mk('tau tau, both tau -> mu nu nu (stratum 1), 2000 events', { decayStratum: 1 }, 2, 500, 2000),
    mk('tau tau, mu nu nu + pi nu (stratum 2), 1500 events at an item offset', { decayStratum: 2 }, 3, 0, 1500, 700),
    mk('tau tau, both tau -> pi nu (stratum 3), Born, 1200 events', { decayStratum: 3, isr: 0 }, 4, 9000, 1200),
    mk('tau tau, last event indices', {}, 5, 2 ** 32 - 400, 400),
    mk('tau tau, pion misidentified every time (pi_fake = 1), 1000 events', { decayStratum: 3 }, 6, 0, 1000, 0, { ...BELLE2_DETECTOR, piMuFakeRate: 1 }),
    mk('tau tau, skim (events without two identified muons stop early), mu pi, 2000 events', { decayStratum: 2, skim: 1 }, 7, 300, 2000),
    mk('tau tau, skim, all modes, 1000 events', { skim: 1 }, 8, 0, 1000),
  ];
}
