// The conformance cases of the gen_bdecay kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { BELLE2_DETECTOR } from '../../engine/generate/detector.js';
import { bdecayKernelParams } from '../../engine/generate/gen-bdecay.js';
import { getProcess, kernelEventKey, resolveParams } from '../../engine/generate/index.js';

function mk(name: string, process: string, over: Record<string, number>, seed: number, first: number, count: number, itemOffset = 0): ConformanceCase {
  const proc = getProcess(process);
  return { name, args: { count, itemOffset, params: bdecayKernelParams(proc, resolveParams(proc, over), BELLE2_DETECTOR, kernelEventKey(seed, proc), first) } };
}

export function cases(): ConformanceCase[] {
  return [
    mk('B+ -> K+ S, S -> mu mu, mS = 1.5, c tau = 2 cm, 1500 events', 'b2ks_mumu', { mS: 1.5, ctauCm: 2 }, 1, 0, 1500),
    mk('B+ -> K+ S, S -> e e near threshold mS = 0.0015, 1000 events', 'b2ks_ee', { mS: 0.0015 }, 2, 0, 1000),
    mk('B+ -> K+ S, S -> pi pi, mS = 4.5, long-lived, at an item offset', 'b2ks_pipi', { mS: 4.5, ctauCm: 300 }, 3, 100, 700, 333),
    mk('B+ -> K+ S, S -> K K, mS = 2, last event indices', 'b2ks_kk', { mS: 2 }, 4, 2 ** 32 - 600, 600),
    mk('B+ -> K+ a, a -> gamma gamma, ma = 2, 1500 events', 'b_ka_gg', { ma: 2 }, 5, 0, 1500),
    mk('B0 -> K0S a, light a (ma = 0.02), 1000 events', 'b_ka_gg', { ma: 0.02, mode: 1 }, 6, 0, 1000),
    mk('B0 -> K*0 a, ma = 4.3 (near the endpoint), 800 events', 'b_ka_gg', { ma: 4.3, mode: 2 }, 7, 9000, 800),
    mk('B+ -> K*+ pi0 (three tracks), 1200 events', 'b_kpi0', { mode: 3 }, 8, 0, 1200),
    mk('B+ -> K+ eta, 700 events', 'b_keta', {}, 9, 0, 700),
    mk('combinatorial K+ gamma gamma, 1500 events', 'b_kgg_comb', {}, 10, 0, 1500),
    mk('combinatorial K*+ gamma gamma, 900 events at an item offset', 'b_kgg_comb', { mode: 3 }, 11, 50, 900, 1000),
  ];
}
