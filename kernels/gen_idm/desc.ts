import type { KernelDesc, ParamSpec } from '../types.js';
import { EV_WORDS, GEN_IDM_PARAM_NAMES, GEN_IDM_U32_PARAMS, genIdmRef } from './ref.js';
import philoxLib from '../philox/philox_lib.wgsl?raw';
import mathLib from '../lib/exactmath.wgsl?raw';
import samplingLib from '../lib/sampling.wgsl?raw';
import genkinLib from '../lib/genkin.wgsl?raw';
import wgsl from './gen_idm.wgsl?raw';

const DOCS: Partial<Record<(typeof GEN_IDM_PARAM_NAMES)[number], string>> = {
  key0: 'Philox key of the cell (engine/generate/idm.ts: foldIn(key(seed, IDM_STREAM), cell)); counter (block, event, 0, 0)',
  ct_mode: "0: c t log-uniform in [ct_min, ct_min e^ln_r]; 1: exponential with c tau = ctau",
  fixed: '1: every h\' flies with transverse beta gamma fixed_bgt (test mode)',
  m_chi2: 'm(chi1) + dm, GeV', ictau0: "1 / c tau0(m_h'), 1/cm (c tau at sin theta = 1)",
  m_red: "reduced mass of h' -> x x, GeV", sg_red: 'its smearing sigma, GeV (illustrative)',
};

/**
 * gen_idm: the iDM signal decays of the lifetime sweep (kernels/gen_idm/ref.ts): item l = event
 * item_offset + l of a cell; outputs per event c t / c tau0, lxy, M_red, chi2's transverse beta gamma,
 * c t and the chi2 decay's uniform. Bounded loops only in genkin's disc and sampling.ts's normal
 * (64 tries each, failure below 1e-42).
 */
export const genIdm: KernelDesc = {
  name: 'gen_idm',
  wgsl,
  wgslLibs: [philoxLib, mathLib, samplingLib, genkinLib],
  workgroupSize: 64,
  params: GEN_IDM_PARAM_NAMES.map((name, j): ParamSpec => ({ name, type: j < GEN_IDM_U32_PARAMS ? 'u32' : 'f32', doc: DOCS[name] })),
  inputs: [],
  outputs: [{ name: 'ev', type: 'f32', perItem: EV_WORDS, doc: 'ctNorm, lxy, mred, bgTChi2, ct, uChi2 (GEN_IDM_OUT)' }],
  ref: genIdmRef,
  exactness: 'bits',
};
