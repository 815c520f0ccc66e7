import type { KernelDesc, ParamSpec } from '../types.js';
import { EV_WORDS, GEN_BDECAY_CONSTANTS, GEN_BDECAY_PARAM_NAMES, GEN_BDECAY_U32_PARAMS, genBdecayRef } from './ref.js';
import philoxLib from '../philox/philox_lib.wgsl?raw';
import mathLib from '../lib/exactmath.wgsl?raw';
import samplingLib from '../lib/sampling.wgsl?raw';
import genkinLib from '../lib/genkin.wgsl?raw';
import wgsl from './gen_bdecay.wgsl?raw';

const DOCS: Partial<Record<(typeof GEN_BDECAY_PARAM_NAMES)[number], string>> = {
  key0: 'Philox key of the events (engine/generate/index.ts kernelEventKey); counter (block, event, 0, 0)',
  first: 'event index of item 0',
  proc: '0: B+ -> K+ S, S -> x+ x- with lifetime (llp); 1: B -> K(*) X, X -> gamma gamma (bmeson); 2: combinatorial K(*) gamma gamma (bmeson)',
  kmode: 'bmeson kaon system: 0 K+, 1 K0S -> pi+ pi-, 2 K*0 -> K+ pi-, 3 K*+ -> K0S pi+',
  m_b: 'B mass, GeV', p_b: 'B momentum in Upsilon(4S) -> B Bbar, GeV (host f64)', m_k: 'kaon system mass, GeV',
  m_x: 'S (proc 0) or X (proc 1) mass, GeV', m_d: 'S daughter mass, GeV', ctau_cm: 'S c tau, cm', tau_ns: 'S tau, ns',
  m_kc: 'K+ mass (track hypothesis)', m_pi: 'pi+ mass', m_k0: 'K0S mass (K*+ -> K0S pi+)',
  c_mlo: 'proc 2: pseudo-parent mass low edge, GeV', c_mw: '... its width, GeV', c_qmax: '... its largest CM momentum, GeV',
  c_slope: '... M_gamma gamma weight exp(-M c_slope), 1/GeV', c_wenv: '1 / (2 e c_slope): the maximum of (m / 2) exp(-m c_slope)',
  e_beam: 'sqrt(s) / 2, GeV', g_cm: 'gamma of the CM in the lab', bg_cm: 'beta gamma of the CM in the lab',
  trk_cmin: 'track acceptance: cos(theta_max) < cos theta_lab', trk_cmax: '... < cos(theta_min)',
  ecl_c0: 'ECL polar ranges as (cos theta_hi, cos theta_lo) pairs: c0 c1, c2 c3, c4 c5', g_ang: 'photon angular resolution, rad',
};

/**
 * gen_bdecay: the event generator's B-decay processes as a kernel (kernels/gen_bdecay/ref.ts): item
 * l = event first + item_offset + l; Upsilon(4S) -> B Bbar, the B decay chain, boost, detector and the
 * family's columns (llp or bmeson) in f32. One kernel for both families: they share the B production,
 * the two-body chain and the track response; the families differ in their last step (a lifetime, or
 * photons) and in the columns, which start at word 0 in each family's order. Bounded loops: the B
 * production angle (64 tries, failure (1/3)^64 < 1e-30), disc points (64, (1 - pi/4)^64 < 1e-42), the
 * combinatorial M_gamma gamma (64 tries at > 30% acceptance: < 1e-10, then the last candidate), normals
 * (sampling.ts, 64 tries).
 */
export const genBdecay: KernelDesc = {
  name: 'gen_bdecay',
  wgsl,
  wgslLibs: [philoxLib, mathLib, samplingLib, genkinLib],
  workgroupSize: 64,
  params: GEN_BDECAY_PARAM_NAMES.map((name, j): ParamSpec => ({ name, type: j < GEN_BDECAY_U32_PARAMS ? 'u32' : 'f32', doc: DOCS[name] })),
  inputs: [],
  outputs: [{ name: 'ev', type: 'f32', perItem: EV_WORDS, doc: 'the family columns (GEN_BDECAY_COLUMNS[family] order), accepted flag (C_ACC), pad' }],
  constants: GEN_BDECAY_CONSTANTS,
  ref: genBdecayRef,
  exactness: 'bits',
};
