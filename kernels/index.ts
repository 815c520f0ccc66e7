import type { KernelDesc } from './types.js';
import { philox } from './philox/desc.js';
import { exactmathProbe } from './exactmath/desc.js';
import { windowCount } from './window_count/desc.js';
import { llpSweep } from './llp_sweep/desc.js';
import { mlp } from './mlp/desc.js';
import { toys } from './toys/desc.js';
import { df32Probe } from './df32/desc.js';
import { fit } from './fit/desc.js';
import { binRange } from './bin_range/desc.js';
import { binCount } from './bin_count/desc.js';
import { binScatter } from './bin_scatter/desc.js';
import { toyfit } from './toyfit/desc.js';
import { eventBlocks } from './event_blocks/desc.js';
import { bayesLimit } from './bayes_limit/desc.js';
import { mlpTrain } from './mlp_train/desc.js';
import { genDimuon } from './gen_dimuon/desc.js';
import { genFourtrack } from './gen_fourtrack/desc.js';
import { genBdecay } from './gen_bdecay/desc.js';
import { genFourmuon } from './gen_fourmuon/desc.js';
import { genPhotons } from './gen_photons/desc.js';
import { genTautau } from './gen_tautau/desc.js';
import { genIdm } from './gen_idm/desc.js';
import { genEemumu } from './gen_eemumu/desc.js';

/** Every kernel the engine dispatches. A new kernel adds one line here (build.mjs exports its wasm twin). */
export const KERNELS: readonly KernelDesc[] = [
  philox,
  exactmathProbe,
  windowCount,
  llpSweep,
  mlp,
  toys,
  df32Probe,
  fit,
  binRange,
  binCount,
  binScatter,
  toyfit,
  eventBlocks,
  bayesLimit,
  mlpTrain,
  genDimuon,
  genFourtrack,
  genBdecay,
  genFourmuon,
  genPhotons,
  genTautau,
  genIdm,
  genEemumu,
];

export function kernelByName(name: string): KernelDesc {
  const k = KERNELS.find((d) => d.name === name);
  if (!k) throw new Error(`unknown kernel '${name}'`);
  return k;
}

export type { KernelDesc } from './types.js';
