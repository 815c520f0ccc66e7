import type { KernelDesc, ParamSpec } from '../types.js';
import { EE_WORDS, GEN_EEMUMU_CONSTANTS, GEN_EEMUMU_PARAM_NAMES, GEN_EEMUMU_U32_PARAMS, NC, ENV, R_CELLS, genEemumuRef } from './ref.js';
import philoxLib from '../philox/philox_lib.wgsl?raw';
import mathLib from '../lib/exactmath.wgsl?raw';
import samplingLib from '../lib/sampling.wgsl?raw';
import genkinLib from '../lib/genkin.wgsl?raw';
import fourtrackLib from '../lib/fourtrack.wgsl?raw';
import wgsl from './gen_eemumu.wgsl?raw';

const DOCS: Partial<Record<(typeof GEN_EEMUMU_PARAM_NAMES)[number], string>> = {
  key0: 'Philox key of the events (engine/generate/index.ts kernelEventKey); counter (block, event, 0, 0)',
  first: 'event index of item 0',
  tail: '1: the large-pT tail oversampled, events weighted (mean weight 1); 0: unweighted',
  stratum: '0: every event; 1: only the region R (r_pt, r_p, r_cos), unweighted; 2: only outside R; 3: only B (both leptons inside the tracker, omc_b*), unweighted; 4: only outside B; 5: only R outside the inner region (r2_pt, r2_p, r2_cos; inside R), unweighted',
  omc_b1lo: 'B: the e-\'s 1 - cos (CM, along +z) in [omc_b1lo, omc_b1hi] (the tracker\'s 17-150 deg lab, widened: gen-eemumu.ts B_OMC)', omc_b2lo: 'B: the e+\'s 1 - cos (CM, along -z) in [omc_b2lo, omc_b2hi]',
  ly: 'ln(W_min^2 / s): the (v, d) domain and the table\'s origin', dv: 'cell width in v', dd: 'cell width in d',
  c_sig: '2 pi alpha^2 (the Breit-Wheeler cross section\'s prefactor)',
  omc_esc1: '1 - cos of the tracker\'s edge around the e- beam (CM; 17 deg lab)', omc_esc2: '... around the e+ beam (150 deg lab)',
  family: '0: the dimuon family\'s columns (eemumu); 1: the fourtrack family\'s (eemumu_4trk: both electrons as tracks)',
  trk_cmin_e: 'the electrons\' track sub-block (family 1; mu_eff_e = 0: never a muon)', g_tau: 'family 1: gamma and beta gamma of a tau of energy sqrt(s) / 2 (the pseudo-rest frame)',
  r_pt: 'R: a lepton escapes with pT >= r_pt (GeV)', r_p: 'R: p*(gamma gamma) >= r_p (GeV)', r_cos: 'R: |cos theta*(gamma gamma)| < r_cos',
  r2_pt: 'stratum 5: the inner region\'s r_pt (GeV; its thresholds no looser than R\'s: gen-eemumu.ts regionInside)', r2_p: 'stratum 5: the inner region\'s r_p (GeV)', r2_cos: 'stratum 5: the inner region\'s r_cos',
};

/**
 * gen_eemumu: the two-photon background e+e- -> e+e- mu+ mu- (equivalent photons with their Q^2,
 * Breit-Wheeler gamma gamma -> mu mu) as a kernel: item l = event first + item_offset + l, the EPA
 * rejection sampler with its weighted large-pT tail (or one stratum), the muon pair, boost,
 * detector and the dimuon family's columns (or the fourtrack family's: family = 1) plus the event's weight, in f32 (kernels/gen_eemumu/ref.ts).
 * The envelope table (engine/generate/gen-eemumu.ts eemumuTable) is a shared input.
 */
export const genEemumu: KernelDesc = {
  name: 'gen_eemumu',
  wgsl,
  wgslLibs: [philoxLib, mathLib, samplingLib, genkinLib, fourtrackLib],
  workgroupSize: 64,
  params: GEN_EEMUMU_PARAM_NAMES.map((name, j): ParamSpec => ({ name, type: j < GEN_EEMUMU_U32_PARAMS ? 'u32' : 'f32', doc: DOCS[name] })),
  inputs: [{ name: 'env', type: 'u32', reuse: true, doc: 'the envelope table: sections at ENV_* (ref.ts ENV; R\'s of R_CELLS words, B\'s of NC)' }],
  outputs: [{ name: 'ev', type: 'f32', perItem: EE_WORDS, doc: 'family 0: the dimuon columns (GEN_EEMUMU_COLUMNS.dimuon order), accepted flag (C_ACC), the event weight (C_WEIGHT); family 1: the fourtrack columns, F_ACC, F_WEIGHT' }],
  constants: { ...GEN_EEMUMU_CONSTANTS, NC, R_CELLS, ...Object.fromEntries(Object.entries(ENV).map(([k, v]) => [`ENV_${k}`, v * NC])) },
  ref: genEemumuRef,
  exactness: 'bits',
};
