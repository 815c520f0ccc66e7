import type { KernelDesc, ParamSpec } from '../types.js';
import { DIMUON_WORDS } from '../lib/genkin.js';
import { C_MODES, EV_WORDS, GEN_TAUTAU_PARAM_NAMES, GEN_TAUTAU_U32_PARAMS, genTautauRef } from './ref.js';
import philoxLib from '../philox/philox_lib.wgsl?raw';
import mathLib from '../lib/exactmath.wgsl?raw';
import samplingLib from '../lib/sampling.wgsl?raw';
import genkinLib from '../lib/genkin.wgsl?raw';
import tauLib from '../lib/taudecay.wgsl?raw';
import wgsl from './gen_tautau.wgsl?raw';

const DOCS: Partial<Record<(typeof GEN_TAUTAU_PARAM_NAMES)[number], string>> = {
  key0: 'Philox key of the events (engine/generate/index.ts kernelEventKey); counter (block, event, 0, 0)',
  first: 'event index of item 0',
  isr: '1: leading-log ISR from both beams, 0: Born',
  stratum: 'decay modes: 0 each tau mu nu nu with f_mu, else pi nu; 1 both mu nu nu; 2 one of each (1/2 each way); 3 both pi nu',
  skim: '1: stop an event whose daughters are not both identified as muons (drawn first): its words 0 but C_MODES',
  id_mu: 'muon identification efficiency', id_pi: 'probability that a pion is identified as a muon',
  mu_eff: '2: the identification is drawn first (id_mu, id_pi), track() always identifies',
  m_min: 'ISR retried until the system mass exceeds this (2 m_tau + 1 MeV), GeV',
  f_mu: 'B(tau -> mu nu nu) / (B(tau -> mu nu nu) + B(tau -> pi nu))',
  mich_emax: 'E_max = (m_tau^2 + m_mu^2) / 2 m_tau of the Michel spectrum, GeV', mich_xmin: 'm_mu / E_max',
  pi_p: 'pion momentum in the tau rest frame, GeV', pi_e: 'pion energy in the tau rest frame, GeV',
  isr_exp: '2 / beta (x = U^(2/beta))', isr_a: 'a = 1 - beta_e = m_e^2 / (2 E_beam^2) of a beam in the CM', isr_lr: 'ln(a / (2 - a))',
  g_cm: 'gamma of the CM in the lab', bg_cm: 'beta gamma of the CM in the lab',
  trk_cmin: 'track acceptance: cos(theta_max) < cos theta_lab', trk_cmax: '... < cos(theta_min)',
  ecl_c0: 'ECL polar ranges as (cos theta_hi, cos theta_lo) pairs: c0 c1, c2 c3, c4 c5',
};

/**
 * gen_tautau: e+e- -> tau+ tau- (gamma) with tau -> mu nu nu / pi nu as a kernel (kernels/gen_tautau/ref.ts):
 * item l = event first + item_offset + l; ISR, Born, the longitudinal spin correlation, polarized
 * decays, boosts, detector (pion misidentification) and the dimuon family's columns in f32. Bounded
 * loops: ISR 64 tries (failure < 1e-70, then Born), production angle 64 (< 1e-30, then the last
 * try), disc points 64 (< 1e-40 each), michelX 8 (< 1e-20, then the muon at rest), normals 64.
 */
export const genTautau: KernelDesc = {
  name: 'gen_tautau',
  wgsl,
  wgslLibs: [philoxLib, mathLib, samplingLib, genkinLib, tauLib],
  workgroupSize: 64,
  params: GEN_TAUTAU_PARAM_NAMES.map((name, j): ParamSpec => ({ name, type: j < GEN_TAUTAU_U32_PARAMS ? 'u32' : 'f32', doc: DOCS[name] })),
  inputs: [],
  outputs: [{ name: 'ev', type: 'f32', perItem: EV_WORDS, doc: 'the dimuon columns (GEN_DIMUON_COLUMNS order), accepted flag (C_ACC), true decay modes (C_MODES)' }],
  constants: { ...DIMUON_WORDS, C_MODES },
  ref: genTautauRef,
  exactness: 'bits',
};
