// The conformance cases of the gen_eemumu kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { BELLE2_DETECTOR } from '../../engine/generate/detector.js';
import { eemumuKernelInputs, eemumuKernelParams } from '../../engine/generate/gen-eemumu.js';
import { getProcess, kernelEventKey, resolveParams } from '../../engine/generate/index.js';

function mk(name: string, over: Record<string, number>, seed: number, first: number, count: number, itemOffset = 0, kernel: Record<string, number> = {}, process = 'eemumu'): ConformanceCase {
  const proc = getProcess(process);
  const p = resolveParams(proc, over);
  return { name, args: { count, itemOffset, params: { ...eemumuKernelParams(proc, p, BELLE2_DETECTOR, kernelEventKey(seed, proc), first), ...kernel }, inputs: eemumuKernelInputs(p) } };
}

export function cases(): ConformanceCase[] {
  return [
    mk('eemumu, tail bias (weighted), 1500 events', {}, 1, 0, 1500),
    mk('eemumu, unweighted, 1200 events at an item offset', { tailBias: 0 }, 2, 0, 1200, 300),
    mk('eemumu, tail bias, W_min = 1 GeV, last event indices', { wMin: 1 }, 3, 2 ** 32 - 400, 400),
    mk('eemumu, W_min = 0.3 GeV (the kernel\'s lower end), unweighted, 700 events', { wMin: 0.3, tailBias: 0 }, 4, 9000, 700),
    mk('eemumu, stratum inside R (its own proposal), 300 events', {}, 5, 0, 300, 0, { stratum: 1, tail: 0 }),
    mk('eemumu, stratum outside R with the tail bias, 800 events', {}, 6, 100, 800, 0, { stratum: 2 }),
    mk('eemumu regionStratum 1 (the process parameter: R\'s cells in every part and quarter), 1000 events at an item offset, last event indices', { regionStratum: 1 }, 10, 2 ** 32 - 1300, 1000, 300),
    mk('eemumu region 1 (R_Z, the Z\' -> invisible selection\'s region) regionStratum 1: R_Z\'s cells and thresholds, 800 events at an item offset', { regionStratum: 1, region: 1 }, 11, 5000, 800, 200),
    mk('eemumu region 1 (R_Z) regionStratum -1 with the tail bias, 800 events', { regionStratum: -1, region: 1 }, 12, 0, 800),
    mk('eemumu region 1 (R_Z) innerRegion 0 (R): inside R_Z, outside R (kernel stratum 5: R_Z\'s cells, R\'s trials rejected), 800 events at an item offset, last event indices', { regionStratum: 1, region: 1, innerRegion: 0 }, 16, 2 ** 32 - 1000, 800, 200),
    mk('eemumu_4trk trackerStratum 1 (the process parameter: both electrons in the tracker, B\'s cells), 1200 events at an item offset, last event indices', { trackerStratum: 1 }, 13, 2 ** 32 - 1500, 1200, 300, {}, 'eemumu_4trk'),
    mk('eemumu trackerStratum 1 (dimuon columns), 400 events', { trackerStratum: 1 }, 14, 77, 400),
    mk('eemumu_4trk trackerStratum -1 (outside B) with the tail bias, 1000 events', { trackerStratum: -1, tailBias: 1 }, 15, 3000, 1000, 0, {}, 'eemumu_4trk'),
    // the fourtrack family (eemumu_4trk): both electrons must be tracks, so few events pass at the defaults
    mk('eemumu_4trk (fourtrack columns), W_min = 4 GeV, 2000 events', { wMin: 4 }, 7, 0, 2000, 0, {}, 'eemumu_4trk'),
    mk('eemumu_4trk with the tail bias (weighted), at an item offset', { tailBias: 1 }, 8, 500, 1000, 200, {}, 'eemumu_4trk'),
    mk("eemumu_4trk, the electrons' acceptance opened (every electron a track: the writer's mu mu pair and 3x1 paths), 1500 events", {}, 9, 0, 1500, 0,
      { trk_cmin_e: -1, trk_cmax_e: 1, trk_ptmin_e: 0 }, 'eemumu_4trk'),
  ];
}
