import type { KernelDesc, ParamSpec } from '../types.js';
import { EV_WORDS, GEN_FOURMUON_CONSTANTS, GEN_FOURMUON_PARAM_NAMES, GEN_FOURMUON_U32_PARAMS, genFourmuonRef } from './ref.js';
import { GENKIN_PARAM_DOCS } from '../lib/genkin.js';
import philoxLib from '../philox/philox_lib.wgsl?raw';
import mathLib from '../lib/exactmath.wgsl?raw';
import samplingLib from '../lib/sampling.wgsl?raw';
import genkinLib from '../lib/genkin.wgsl?raw';
import taudecayLib from '../lib/taudecay.wgsl?raw';
import wgsl from './gen_fourmuon.wgsl?raw';

const DOCS: Partial<Record<(typeof GEN_FOURMUON_PARAM_NAMES)[number], string>> = {
  key0: 'Philox key of the events (engine/generate/index.ts kernelEventKey); counter (block, event, 0, 0)',
  first: 'event index of item 0',
  mode: "0: e+e- -> mu+ mu- Z', Z' -> mu+ mu- (M_Z' = m_x); 1: e+e- -> mu+ mu- gamma*, gamma* -> mu+ mu- (M(gamma*) from the table `spec`); 2: e+e- -> mu+ mu- Z', Z' -> tau+ tau-, both tau -> mu nu nu",
  isr: '1: leading-log ISR from both beams, 0: Born',
  n_tab: 'intervals of the table `spec` (mode 1)',
  m_x: "modes 0, 2: the Z' mass, GeV",
  emax_mu: 'tau -> mu nu nu: the largest muon energy in the tau rest frame, (m_tau^2 + m_mu^2) / 2 m_tau, GeV', xmin_mu: 'm_mu / emax_mu',
  ...GENKIN_PARAM_DOCS,
};

/**
 * gen_fourmuon: the event generator's four-muon processes (zp_mumu, mumumumu, zp_tautau) as a kernel: item
 * l = event first + item_offset + l; the gamma* mass (mode 1) by a bounded binary search of the
 * tabulated inverse CDF, ISR, mu mu X three-body phase space, X -> mu mu, boost, detector and the
 * four-muon family's columns in f32 (kernels/gen_fourmuon/ref.ts). The ISR retry is bounded at 64
 * tries: it accepts at least whenever x1 + x2 < 1 - m_min^2 / s, probability >= ((1 - m_min^2 / s)
 * / 2)^beta per try, so it fails (the event is then Born) with probability < 5e-17 for the
 * heaviest gamma* (m_min = sqrt(s) - 1 MeV) and < 1e-9 for every Z' mass the host accepts with ISR
 * (engine/generate/gen-fourmuon.ts checks it).
 */
export const genFourmuon: KernelDesc = {
  name: 'gen_fourmuon',
  wgsl,
  wgslLibs: [philoxLib, mathLib, samplingLib, genkinLib, taudecayLib],
  workgroupSize: 64,
  params: GEN_FOURMUON_PARAM_NAMES.map((name, j): ParamSpec => ({ name, type: j < GEN_FOURMUON_U32_PARAMS ? 'u32' : 'f32', doc: DOCS[name] })),
  inputs: [
    {
      name: 'spec', type: 'f32', reuse: true,
      doc: 'mode 1: the gamma* mass spectrum tabulated (engine/generate/physics.ts tabulatedF32): normalised CDF c_0..c_n, masses m_0..m_n (GeV), inverse-CDF slopes s_0..s_n; mode 0: any array (unread)',
    },
  ],
  outputs: [{ name: 'ev', type: 'f32', perItem: EV_WORDS, doc: 'the four-muon columns (GEN_FOURMUON_COLUMNS order), accepted flag (C_ACC), pad' }],
  constants: GEN_FOURMUON_CONSTANTS,
  ref: genFourmuonRef,
  exactness: 'bits',
};
