// The conformance cases of the gen_fourmuon kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { BELLE2_DETECTOR } from '../../engine/generate/detector.js';
import { fourmuonKernelInputs, fourmuonKernelParams } from '../../engine/generate/gen-fourmuon.js';
import { getProcess, kernelEventKey, resolveParams } from '../../engine/generate/index.js';

function mk(name: string, process: string, over: Record<string, number>, seed: number, first: number, count: number, itemOffset = 0): ConformanceCase {
  const proc = getProcess(process);
  const params = fourmuonKernelParams(proc, resolveParams(proc, over), BELLE2_DETECTOR, kernelEventKey(seed, proc), first);
  return { name, args: { count, itemOffset, params, inputs: fourmuonKernelInputs() } };
}

export function cases(): ConformanceCase[] {
  return [
    mk("zp_mumu mZp = 3, ISR, 2000 events", 'zp_mumu', { mZp: 3 }, 1, 0, 2000),
    mk("zp_mumu light mZp = 0.22, Born, 700 events at an item offset", 'zp_mumu', { mZp: 0.22, isr: 0 }, 2, 5000, 700, 300),
    mk("zp_mumu heavy mZp = 10.1, ISR, last event indices", 'zp_mumu', { mZp: 10.1 }, 3, 2 ** 32 - 400, 400),
    mk('mumumumu, ISR, gamma* mass from the table, 3001 events', 'mumumumu', {}, 4, 123, 3001),
    mk('mumumumu, Born, 1000 events', 'mumumumu', { isr: 0 }, 5, 0, 1000),
    mk("zp_tautau mZp = 5, ISR, tau -> mu nu nu, 1500 events", 'zp_tautau', { mZp: 5 }, 6, 0, 1500),
    mk("zp_tautau near threshold mZp = 3.6, Born, 500 events at an item offset", 'zp_tautau', { mZp: 3.6, isr: 0 }, 7, 100, 500, 77),
  ];
}
