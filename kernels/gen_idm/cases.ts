// The conformance cases of the gen_idm kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { idmKernelParams, type IdmParams } from '../../engine/generate/idm.js';

const SET: IdmParams = { mA: 2.5, mChi1: 0.5, dm: 0.1, alphaD: 0.1, eps: 1e-3 };

export function cases(): ConformanceCase[] {
  return [
    { name: "log-uniform c t, h' -> mu mu at 1 GeV, 2000 events", args: { count: 2000, params: idmKernelParams({ params: SET, mh: 1, channel: 'mumu', seed: 1, cell: 0 }) } },
    { name: "exponential c t (injection), h' -> pi pi at 1.9 GeV near threshold mA + mh, at an item offset", args: { count: 900, itemOffset: 4000, params: idmKernelParams({ params: { ...SET, mA: 8.5 }, mh: 2.0, channel: 'pipi', seed: 2, cell: 0x7f000001, ctauCm: 3 }) } },
    { name: "fixed transverse beta gamma, h' -> K K, light chi (dm = 2 MeV), 700 events", args: { count: 700, params: idmKernelParams({ params: { ...SET, mChi1: 0.01, dm: 0.002 }, mh: 1.2, channel: 'KK', seed: 3, cell: 17, fixedBgT: 0.5 }) } },
  ];
}
