import type { KernelDesc, ParamSpec } from '../types.js';
import { EV_WORDS, GEN_PHOTONS_CONSTANTS, GEN_PHOTONS_PARAM_NAMES, GEN_PHOTONS_U32_PARAMS, genPhotonsRef } from './ref.js';
import { GENKIN_PARAM_DOCS } from '../lib/genkin.js';
import philoxLib from '../philox/philox_lib.wgsl?raw';
import mathLib from '../lib/exactmath.wgsl?raw';
import samplingLib from '../lib/sampling.wgsl?raw';
import genkinLib from '../lib/genkin.wgsl?raw';
import wgsl from './gen_photons.wgsl?raw';

const DOCS: Partial<Record<(typeof GEN_PHOTONS_PARAM_NAMES)[number], string>> = {
  key0: 'Philox key of the events (engine/generate/index.ts kernelEventKey); counter (block, event, 0, 0)',
  first: 'event index of item 0',
  mode: '0: gamma gamma; 1: e+e- (Bhabha); 2: gamma a, a -> gamma gamma; 3: gamma A\', A\' invisible',
  isr: '1: leading-log ISR from both beams (genkin isrRadiate), 0: Born',
  m_x: 'mass of the ALP (mode 2) or A\' (mode 3), GeV; 0 otherwise (the truth_m_GeV column)',
  gg_t: 'atanh(cosMax) of the (1 + c^2) / (1 - c^2) sampler (modes 0, 3)',
  bh_a: 'Bhabha envelope: 1 / (1 + cosMax)', bh_ba: 'Bhabha envelope: 1 / (1 - cosMax) - 1 / (1 + cosMax)',
  m_min: 'ISR retried until the system mass exceeds this, GeV',
  m_e: 'electron mass, GeV',
  g_ang: 'photon angular resolution, rad',
  ...GENKIN_PARAM_DOCS,
};

/**
 * gen_photons: the event generator's photons family (gammagamma, eegamma, gamma_alp,
 * gamma_aprime_inv) as a kernel: item l = event first + item_offset + l, ISR, production, decay,
 * boost, detector and the photons family's columns in f32 (kernels/gen_photons/ref.ts). The
 * rejection loops are bounded (64 tries; each accepts >= 7/16 of its tries: failure < 1e-22, then
 * the last candidate); the ISR loop's failure probability is < 1e-9 (checked on the host,
 * engine/generate/genkin.ts checkIsrReach), else the event is Born.
 */
export const genPhotons: KernelDesc = {
  name: 'gen_photons',
  wgsl,
  wgslLibs: [philoxLib, mathLib, samplingLib, genkinLib],
  workgroupSize: 64,
  params: GEN_PHOTONS_PARAM_NAMES.map((name, j): ParamSpec => ({ name, type: j < GEN_PHOTONS_U32_PARAMS ? 'u32' : 'f32', doc: DOCS[name] })),
  inputs: [],
  outputs: [{ name: 'ev', type: 'f32', perItem: EV_WORDS, doc: 'the photons columns (GEN_PHOTONS_COLUMNS order), accepted flag (C_ACC)' }],
  constants: GEN_PHOTONS_CONSTANTS,
  ref: genPhotonsRef,
  exactness: 'bits',
};
