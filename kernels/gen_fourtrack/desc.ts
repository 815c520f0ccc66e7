import type { KernelDesc, ParamSpec } from '../types.js';
import { FT_EV_WORDS, GEN_FOURTRACK_CONSTANTS, GEN_FOURTRACK_PARAM_NAMES, GEN_FOURTRACK_U32_PARAMS, genFourtrackRef } from './ref.js';
import philoxLib from '../philox/philox_lib.wgsl?raw';
import mathLib from '../lib/exactmath.wgsl?raw';
import samplingLib from '../lib/sampling.wgsl?raw';
import genkinLib from '../lib/genkin.wgsl?raw';
import taudecayLib from '../lib/taudecay.wgsl?raw';
import fourtrackLib from '../lib/fourtrack.wgsl?raw';
import wgsl from './gen_fourtrack.wgsl?raw';

const DOCS: Partial<Record<(typeof GEN_FOURTRACK_PARAM_NAMES)[number], string>> = {
  key0: 'Philox key of the events (engine/generate/index.ts kernelEventKey); counter (block, event, 0, 0)',
  first: 'event index of item 0',
  mode: '0 tautau_1x3, 1 tau_lalpha, 2 zp_tautau_1p, 3 mumutautau, 4 qqbar_4trk (ref.ts header)',
  isr: '1: leading-log ISR from both beams (modes 0-2), 0: Born',
  force_fake: '1: pions forced to fake muons (tau.ts forceMuonFakes)',
  lep_kind: 'mode 1: the lepton of tau -> l alpha (1 e, 2 mu)',
  a1_hw: 'half the a1 width, GeV', a1_lo: 'the a1 mass cut (lo, hi), GeV',
  br_e: '1-prong mode thresholds: u < br_e e, < br_mu mu, < br_pi pi, else rho',
  emax_e: 'tau -> l nu nu: E_max = (m_tau^2 + m_l^2) / 2 m_tau, x_min = m_l / E_max',
  m_x: 'mode 2: the X mass; mode 1: the alpha mass, GeV',
  m_l: 'mode 1: the lepton mass, GeV',
  m_min: 'ISR retried until the system mass exceeds this, GeV',
  sp_r: "mode 3: the radiator's r = sqrt(s) - 2 m_mu (density ln(r / M) / M); sp_t0, sp_t1: ln(r / M)^2 at the range's ends",
  qq_w: 'mode 4: pi+ pi- pair masses 2 m_pi + [0, qq_w); qq_x: the extra mass per pi0, GeV',
  g_tau: 'gamma and beta gamma of a tau of energy sqrt(s) / 2 (the pseudo-rest frame)',
  mu_eff_pi: 'the identification threshold of pions (the pion fake rate); mu_eff_e: of electrons (0)',
};

/**
 * gen_fourtrack: the event generator's fourtrack family (engine/generate/tau.ts: tau pairs in the
 * 1+3-prong topology, tau -> l alpha, mu mu X -> mu mu tau tau, SM mu mu tau tau, the q qbar
 * four-pion stand-in) as a kernel: item l = event first + item_offset + l; production, tau decays,
 * boost, detector and the fourtrack columns in f32 (kernels/gen_fourtrack/ref.ts). Every loop is
 * bounded with its failure probability stated in ref.ts (ISR: checked on the host, < 1e-9).
 */
export const genFourtrack: KernelDesc = {
  name: 'gen_fourtrack',
  wgsl,
  wgslLibs: [philoxLib, mathLib, samplingLib, genkinLib, taudecayLib, fourtrackLib],
  workgroupSize: 64,
  params: GEN_FOURTRACK_PARAM_NAMES.map((name, j): ParamSpec => ({ name, type: j < GEN_FOURTRACK_U32_PARAMS ? 'u32' : 'f32', doc: DOCS[name] })),
  inputs: [],
  outputs: [{ name: 'ev', type: 'f32', perItem: FT_EV_WORDS, doc: 'the fourtrack columns (GEN_FOURTRACK_COLUMNS order), accepted flag (F_ACC), pads' }],
  constants: GEN_FOURTRACK_CONSTANTS,
  ref: genFourtrackRef,
  exactness: 'bits',
};
