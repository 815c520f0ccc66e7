// The conformance cases of the gen_fourtrack kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { BELLE2_DETECTOR } from '../../engine/generate/detector.js';
import { fourtrackKernelParams } from '../../engine/generate/gen-fourtrack.js';
import { getProcess, kernelEventKey, resolveParams } from '../../engine/generate/index.js';

function mk(name: string, process: string, over: Record<string, number>, seed: number, first: number, count: number, itemOffset = 0): ConformanceCase {
  const proc = getProcess(process);
  return { name, args: { count, itemOffset, params: fourtrackKernelParams(proc, resolveParams(proc, over), BELLE2_DETECTOR, kernelEventKey(seed, proc), first) } };
}

export function cases(): ConformanceCase[] {
  return [
    mk('tautau_1x3, all 1-prong modes, ISR, 1500 events', 'tautau_1x3', {}, 1, 0, 1500),
    mk('tautau_1x3 mu, Born, 600 events at an item offset', 'tautau_1x3', { oneProng: 2, isr: 0 }, 2, 0, 600, 700),
    mk('tautau_1x3 pi / rho with forced fakes, 1000 events', 'tautau_1x3', { oneProng: 3, forceFake: 1 }, 3, 12345, 1000),
    mk('tautau_1x3 e with forced fakes, last event indices', 'tautau_1x3', { oneProng: 1, forceFake: 1 }, 4, 2 ** 32 - 400, 400),
    mk('tau_ealpha mAlpha = 1.2, 800 events', 'tau_ealpha', { mAlpha: 1.2 }, 5, 0, 800),
    mk('tau_mualpha massless alpha, Born, 500 events', 'tau_mualpha', { mAlpha: 0, isr: 0 }, 6, 99, 500),
    mk('zp_tautau_1p mX = 5, 1200 events', 'zp_tautau_1p', { mX: 5 }, 7, 0, 1200),
    mk('zp_tautau_1p heavy mX = 9.5, 500 events', 'zp_tautau_1p', { mX: 9.5 }, 8, 0, 500),
    mk('mumutautau, 1000 events', 'mumutautau', {}, 9, 4000, 1000),
    mk('qqbar_4trk, 1000 events', 'qqbar_4trk', {}, 10, 0, 1000),
    mk('qqbar_4trk with forced fakes, 700 events', 'qqbar_4trk', { forceFake: 1 }, 11, 500, 700),
  ];
}
