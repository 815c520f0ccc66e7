import type { KernelDesc, ParamSpec } from '../types.js';
import { EV_WORDS, GEN_DIMUON_CONSTANTS, GEN_DIMUON_PARAM_NAMES, GEN_DIMUON_U32_PARAMS, genDimuonRef } from './ref.js';
import { GENKIN_PARAM_DOCS } from '../lib/genkin.js';
import philoxLib from '../philox/philox_lib.wgsl?raw';
import mathLib from '../lib/exactmath.wgsl?raw';
import samplingLib from '../lib/sampling.wgsl?raw';
import genkinLib from '../lib/genkin.wgsl?raw';
import wgsl from './gen_dimuon.wgsl?raw';

const DOCS: Partial<Record<(typeof GEN_DIMUON_PARAM_NAMES)[number], string>> = {
  key0: 'Philox key of the events (engine/generate/gen-dimuon.ts kernelEventKey); counter (block, event, 0, 0)',
  first: 'event index of item 0',
  mode: '0: e+e- -> mu+ mu- (gamma) (Born 1 + cos^2); 1: A\'h\', A\' -> mu+ mu- (beta^2 sin^2 + 8 mA^2 / s\')',
  isr: '1: leading-log ISR from both beams, 0: Born',
  m_a: 'mass of the daughter along cos theta (mode 0: the muon, 1: A\'), GeV',
  m_b: 'the other daughter (mode 0: the muon, 1: h\'), GeV',
  m_min: 'ISR retried until the system mass exceeds this, GeV',
  ...GENKIN_PARAM_DOCS,
};

/**
 * gen_dimuon: the event generator's dimuon two-body processes (mumu, darkhiggs) as a kernel: item
 * l = event first + item_offset + l, ISR, production, decay, boost, detector and the dimuon
 * family's columns in f32 (kernels/gen_dimuon/ref.ts). The rejection loops are bounded (64 tries
 * each): the ISR loop's failure probability is (1 - P(m' > m_min))^64, < 1e-9 for every
 * allowed (mA, mh) (mA + mh < sqrt(s) - 0.1 GeV, checked on the host), else the event is Born.
 */
export const genDimuon: KernelDesc = {
  name: 'gen_dimuon',
  wgsl,
  wgslLibs: [philoxLib, mathLib, samplingLib, genkinLib],
  workgroupSize: 64,
  params: GEN_DIMUON_PARAM_NAMES.map((name, j): ParamSpec => ({ name, type: j < GEN_DIMUON_U32_PARAMS ? 'u32' : 'f32', doc: DOCS[name] })),
  inputs: [],
  outputs: [{ name: 'ev', type: 'f32', perItem: EV_WORDS, doc: 'the dimuon columns (GEN_DIMUON_COLUMNS order), accepted flag (C_ACC), pad' }],
  constants: GEN_DIMUON_CONSTANTS,
  ref: genDimuonRef,
  exactness: 'bits',
};
