// The processes the generator knows: signals of the Belle II dark-sector talk and their main
// backgrounds. Each returns the final state in the CM frame plus truth values; engine/generate/
// index.ts boosts to the lab, applies the detector and fills columns.
//
// Cross sections: backgrounds from the Belle II Physics Book (E. Kou et al., PTEP 2019 123C01,
// Table 4, at sqrt(s) = 10.58 GeV, with the generator cuts stated there); signals are model
// dependent and marked `illustrative` (their couplings are parameters).
import type { EventRandom } from './rng.js';
import type { GenKernelName } from './index.js';
import { brAPrimeToMuMu } from './branching.js';
import { B_MESON_PROCESSES, BR_BPLUS_BMINUS, NB, SIGMA_BB_NB } from './bmeson.js';
import { M_B, M_E, M_K, M_MU, M_PI, M_TAU, boostFrom, type P4 } from './lorentz.js';
import {
  ALPHA, GEV2_TO_FB, ISR_SKIM_DEFAULTS, ISR_SKIM_DOCS, S, SQRT_S, checkIsrSkim, gammaGammaAngular, isotropic, isrCosStratum, isrSkimFraction,
  fourMuSpectrumFbPerGeV, tabulatedF32,
} from './physics.js';
import { TAU_PROCESSES, fourTrackVariant } from './tau.js';
import { BR_TAU_MUNUNU, BR_TAU_PINU, tauModeFraction } from './gen-tautau.js';
import { B_MARGIN, EEMUMU_B_FRACTION, EEMUMU_REGIONS, eemumuInnerRegion, eemumuRegion } from './gen-eemumu.js';

export type Kind = 'mu' | 'e' | 'pi' | 'K' | 'gamma' | 'invisible';
export interface GenParticle {
  kind: Kind;
  charge: number;
  /** CM-frame four-momentum. */
  p: P4;
  /** 'K' marks the kaon from B -> K S (the LLP family tells it from S -> K K daughters), and the kaon system's tracks of B -> K(*) a (bmeson family). */
  role?: 'K';
}
export interface GenEvent {
  particles: GenParticle[];
  truth: Record<string, number>;
  /** LLP: the decay vertex of the long-lived particle is set by the reconstruction from these. */
  llp?: { p: P4; properTimeNs: number };
  /** Importance weight of this event (default 1), multiplied into the sample's weight column; its mean over events is 1. */
  weight?: number;
}
export type Family = 'dimuon' | 'fourmuon' | 'photons' | 'llp' | 'bmeson' | 'fourtrack';
export type Params = Record<string, number>;

export interface ProcessDef {
  readonly name: string;
  /** Stable numeric id: folded into the random key, so processes never share draws. Never reuse. */
  readonly id: number;
  readonly kind: 'signal' | 'background';
  readonly family: Family;
  readonly description: string;
  readonly defaults: Readonly<Params>;
  /** Units and meaning of each parameter. */
  readonly paramDocs: Readonly<Record<string, string>>;
  /** Cross section (times branching fractions of the generated final state) after generator cuts, fb. */
  sigmaFb(p: Params): number;
  readonly sigmaSource: string;
  readonly illustrative: boolean;
  /** Throws a RangeError naming the parameter when the parameters are unphysical. */
  check?(p: Params): void;
  /** The host generator (f64); absent where a kernel generates the process (`kernel`). */
  generate?(rng: EventRandom, p: Params): GenEvent;
  /** The generator kernel that generates the process's events and columns (engine/generate/index.ts GEN_KERNELS), instead of `generate`. */
  readonly kernel?: GenKernelName;
  /** Parameter overrides under which every event has weight 1 (processes whose generate returns importance weights). */
  readonly unweighted?: Readonly<Params>;
}



function positive(p: Params, ...names: string[]) {
  for (const n of names) if (!(p[n] > 0)) throw new RangeError(`parameter ${n} must be > 0, got ${p[n]}`);
}

// ------------------------------------------------------------------------------------ signals
const darkHiggs: ProcessDef = {
  name: 'darkhiggs',
  id: 1,
  kind: 'signal',
  family: 'dimuon',
  description: "e+e- -> A' h', A' -> mu+ mu-, h' invisible (dark Higgsstrahlung; 2D peak in M_mumu, M_recoil)",
  defaults: { mA: 4, mh: 2, eps2alphaD: 1e-8, isr: 1 },
  paramDocs: { mA: "A' mass, GeV", mh: "h' mass, GeV", eps2alphaD: 'epsilon^2 alpha_D (sigma includes B(A\' -> mu mu) from the R ratio, engine/generate/branching.ts)', isr: '1: radiate ISR photons, 0: Born' },
  check(p) {
    positive(p, 'mA', 'mh');
    if (p.mA <= 2 * M_MU) throw new RangeError(`parameter mA = ${p.mA} GeV is below the mu mu threshold ${2 * M_MU}`);
    if (p.mA + p.mh >= SQRT_S) throw new RangeError(`parameters mA + mh = ${p.mA + p.mh} GeV exceed sqrt(s) = ${SQRT_S}`);
  },
  // Shape of e+e- -> Z h (Barger et al., PRD 49 (1994) 79): sqrt(lambda)(lambda + 12 mA^2/s)/(1 - mA^2/s)^2,
  // normalized to pi alpha eps^2 alpha_D / (3 s) after Batell, Pospelov, Ritz PRD 79 (2009) 115008;
  // times B(A' -> mu mu) from the R ratio (branching.ts, Ilten et al. arXiv:1801.04847).
  sigmaFb(p) {
    const a = p.mA ** 2 / S;
    const lam = (1 - (p.mA + p.mh) ** 2 / S) * (1 - (p.mA - p.mh) ** 2 / S);
    return ((Math.PI * ALPHA * p.eps2alphaD) / (3 * S)) * (Math.sqrt(lam) * (lam + 12 * a)) / (1 - a) ** 2 * brAPrimeToMuMu(p.mA) * GEV2_TO_FB;
  },
  sigmaSource: 'illustrative: e+e- -> Zh shape (Barger et al. PRD 49 (1994) 79) with the A\'h\' normalization of Batell, Pospelov, Ritz PRD 79 (2009) 115008; Born level; x B(A\' -> mu mu) from the R ratio (Ilten et al. arXiv:1801.04847, engine/generate/branching.ts)',
  illustrative: true,
  // kernels/gen_dimuon (mode 1): ISR; dsigma/dcos ~ beta^2 sin^2 + 8 mA^2 / s' (Z h analogue, Barger et al. 1994 eq. 2);
  // A' -> mu mu isotropic in the A' rest frame (A' polarization neglected)
  kernel: 'gen_dimuon',
};

function zPrime(decay: 'inv' | 'mumu' | 'tautau', id: number): ProcessDef {
  const family: Family = decay === 'inv' ? 'dimuon' : 'fourmuon';
  const minMass = decay === 'mumu' ? 2 * M_MU : decay === 'tautau' ? 2 * M_TAU : 0;
  return {
    name: `zp_${decay}`,
    id,
    kind: 'signal',
    family,
    description: `e+e- -> mu+ mu- Z' (L_mu - L_tau), Z' -> ${decay === 'inv' ? 'invisible' : decay === 'mumu' ? 'mu+ mu-' : 'tau+ tau-, both tau -> mu nu nu'}`,
    defaults: { mZp: decay === 'tautau' ? 5 : 3, sigmaFb: 10, isr: 1 },
    paramDocs: { mZp: "Z' mass, GeV", sigmaFb: 'cross section x branching fractions, fb (illustrative input)', isr: '1: ISR, 0: Born' },
    check(p) {
      positive(p, 'mZp');
      if (p.mZp <= minMass) throw new RangeError(`parameter mZp = ${p.mZp} GeV is below the decay threshold ${minMass}`);
      if (p.mZp + 2 * M_MU >= SQRT_S) throw new RangeError(`parameter mZp = ${p.mZp} GeV: no phase space at sqrt(s)`);
    },
    sigmaFb: (p) => p.sigmaFb,
    sigmaSource: "illustrative: an input (sigma scales as g'^2; see Belle II PRL 130 (2023) 231801)",
    illustrative: true,
    // Z' -> invisible: kernels/gen_dimuon (mode 2): ISR, flat mu mu Z' three-body phase space (the radiation
    // matrix element, which favours soft Z', is neglected). Z' -> mu mu / tau tau: kernels/gen_fourmuon (modes 0, 2),
    // the same three-body phase space, Z' -> mu+ mu- / tau+ tau- isotropic in its rest frame, tau -> mu nu nu unpolarised.
    kernel: decay === 'inv' ? ('gen_dimuon' as const) : ('gen_fourmuon' as const),
  };
}

// ------------------------------------------------------------------ SM e+e- -> mu+ mu- mu+ mu-
// The dominant SM diagram at 10.58 GeV: mu+ mu- with a virtual photon radiated off the muons that
// converts to a second mu+ mu- pair, the Kroll-Wada x leading-log gamma* mass spectrum of
// physics.ts fourMuSpectrumFbPerGeV; kinematics: mu mu gamma* by flat three-body phase space,
// gamma* -> mu mu isotropic, ISR. ILLUSTRATIVE (leading-log, no interference, no e e -> e e mu mu
// with misidentified electrons): Belle II (PRD 109 (2024) 112015) uses AAFH/KKMC.
/** The gamma* mass range of the four-muon background, GeV. */
export const FOURMU_M_LO = 2 * M_MU + 1e-3;
export const FOURMU_M_HI = SQRT_S - 2 * M_MU - 1e-3;
/** Points of the tabulated gamma* mass spectrum (log-spaced intervals). */
export const FOURMU_TABLE_N = 20000;
export { fourMuSpectrumFbPerGeV };

let fourMuTable: ReturnType<typeof tabulatedF32> | undefined;
/** The spectrum tabulated in f32 for the gen_fourmuon kernel's inverse-CDF draw of the gamma* mass (physics.ts tabulatedF32; one array, kept resident by the backends). */
export const fourMuSpectrumTable = () => (fourMuTable ??= tabulatedF32(fourMuSpectrumFbPerGeV, FOURMU_M_LO, FOURMU_M_HI, FOURMU_TABLE_N));

const fourMu: ProcessDef = {
  name: 'mumumumu',
  id: 106,
  kind: 'background',
  family: 'fourmuon',
  description: 'e+e- -> mu+ mu- gamma*, gamma* -> mu+ mu- (SM four muons): Kroll-Wada x leading-log gamma* mass spectrum, flat mu mu gamma* phase space, ISR',
  defaults: { isr: 1 },
  paramDocs: { isr: '1: ISR, 0: Born' },
  sigmaFb: () => fourMuSpectrumTable().total,
  sigmaSource: 'illustrative: sigma_mumu (1.148 nb, Belle II Physics Book Table 4) x leading-log radiator x Kroll-Wada conversion, integrated over M(gamma*) (engine/generate/processes.ts)',
  illustrative: true,
  // kernels/gen_fourmuon (mode 1): the gamma* mass by inverse CDF from the tabulated spectrum, ISR, flat mu mu gamma*
  // three-body phase space (the radiation matrix element, which favours soft gamma*, is neglected), gamma* -> mu mu isotropic
  kernel: 'gen_fourmuon',
};

const gammaAPrime: ProcessDef = {
  name: 'gamma_aprime_inv',
  id: 5,
  kind: 'signal',
  family: 'photons',
  description: "e+e- -> gamma A', A' invisible (single photon with E* = (s - M^2) / 2 sqrt(s))",
  defaults: { mA: 4, eps: 1e-3, cosMax: Math.cos((10 * Math.PI) / 180), isr: 0 },
  paramDocs: { mA: "A' mass, GeV", eps: 'kinetic mixing epsilon', cosMax: 'generator cut |cos theta*_gamma| < cosMax', isr: '1: ISR, 0: Born' },
  check(p) {
    if (!(p.mA >= 0 && p.mA < SQRT_S)) throw new RangeError(`parameter mA = ${p.mA} GeV must be in [0, sqrt(s))`);
  },
  // Illustrative: sigma(gamma A') ~ 2 eps^2 sigma(gamma gamma) (1 - mA^2/s), sigma(gamma gamma) in the same cut.
  sigmaFb: (p) => 2 * p.eps ** 2 * (1 - p.mA ** 2 / S) * ((2 * Math.PI * ALPHA ** 2) / S) * (Math.log((1 + p.cosMax) / (1 - p.cosMax)) - p.cosMax) * GEV2_TO_FB,
  sigmaSource: 'illustrative: 2 eps^2 (1 - M^2/s) x QED sigma(e+e- -> gamma gamma) in the angular cut (massless-A\' limit)',
  illustrative: true,
  // kernels/gen_photons (mode 3): ISR above mA; dsigma/dcos ~ (1 + c^2)/(1 - c^2), the massless limit of e+e- -> gamma A'
  kernel: 'gen_photons',
};

const gammaAlp: ProcessDef = {
  name: 'gamma_alp',
  id: 6,
  kind: 'signal',
  family: 'photons',
  description: 'e+e- -> gamma a, a -> gamma gamma (ALP-strahlung, prompt decay)',
  defaults: { ma: 1, gagg: 1e-3, isr: 0 },
  paramDocs: { ma: 'ALP mass, GeV', gagg: 'g_a gamma gamma, GeV^-1', isr: '1: ISR, 0: Born' },
  check(p) {
    if (!(p.ma > 0 && p.ma < SQRT_S)) throw new RangeError(`parameter ma = ${p.ma} GeV must be in (0, sqrt(s))`);
  },
  // sigma = alpha g^2 / 24 (1 - m^2/s)^3 (Dolan, Ferber, Hearty, Kahlhoefer, Schmidt-Hoberg, JHEP 12 (2017) 094).
  sigmaFb: (p) => ((ALPHA * p.gagg ** 2) / 24) * (1 - p.ma ** 2 / S) ** 3 * GEV2_TO_FB,
  sigmaSource: 'Dolan et al., JHEP 12 (2017) 094 (photon coupling only, Born level)',
  illustrative: false,
  // kernels/gen_photons (mode 2): ISR above ma; 1 + c^2, a -> gamma gamma isotropic
  kernel: 'gen_photons',
};

function bToKS(ch: 'ee' | 'mumu' | 'pipi' | 'KK', id: number): ProcessDef {
  const m = ch === 'ee' ? M_E : ch === 'mumu' ? M_MU : ch === 'pipi' ? M_PI : M_K;
  return {
    name: `b2ks_${ch.toLowerCase()}`,
    id,
    kind: 'signal',
    family: 'llp',
    description: `Upsilon(4S) -> B+ B-, B+ -> K+ S, S -> ${ch} with lifetime (displaced vertex; the other B is not simulated)`,
    defaults: { mS: 1, ctauCm: 1, br: 1e-6 },
    paramDocs: { mS: 'S mass, GeV', ctauCm: 'S proper decay length c tau_gen, cm', br: 'B(B+ -> K+ S) x B(S -> xx)' },
    check(p) {
      positive(p, 'ctauCm');
      if (!(p.mS > 2 * m && p.mS < M_B - M_K)) throw new RangeError(`parameter mS = ${p.mS} GeV must be in (${2 * m}, ${M_B - M_K})`);
    },
    sigmaFb: (p) => 2 * SIGMA_BB_NB * NB * BR_BPLUS_BMINUS * p.br,
    sigmaSource: 'sigma(e+e- -> B Bbar) = 1.05 nb (Belle II Physics Book Table 4) x B(Y4S -> B+B-) = 0.514 x 2 B per event x br (input)',
    illustrative: false,
    // kernels/gen_bdecay (proc 0): Y(4S) -> B B with dN/dcos ~ sin^2 theta, B+ -> K+ S and S -> x x isotropic,
    // proper time exponential; the flight from the S momentum (engine/generate/gen-bdecay.ts)
    kernel: 'gen_bdecay',
  };
}

// ---------------------------------------------------------------------------------- backgrounds
/** The ISR skim's angular stratum from a process's parameters (undefined: none; physics.ts). */
export { isrCosStratum };

const mumu: ProcessDef = {
  name: 'mumu',
  id: 101,
  kind: 'background',
  family: 'dimuon',
  description: 'e+e- -> mu+ mu- (gamma): Born 1 + cos^2 with leading-log ISR from both beams',
  defaults: { isr: 1, ...ISR_SKIM_DEFAULTS },
  paramDocs: { isr: '1: ISR, 0: Born', ...ISR_SKIM_DOCS },
  check: checkIsrSkim,
  sigmaFb: (p) => 1.148 * NB * isrSkimFraction(p),
  sigmaSource: 'Belle II Physics Book (PTEP 2019 123C01) Table 4: 1.148 nb (KKMC), times the ISR-cut fraction of this generator',
  illustrative: false,
  kernel: 'gen_dimuon', // kernels/gen_dimuon (mode 0): ISR with the xMin cut and the angular stratum, Born 1 + cos^2 (Peskin & Schroeder eq. 5.12)
};

const tautau: ProcessDef = {
  name: 'tautau',
  id: 102,
  kind: 'background',
  family: 'dimuon',
  description: 'e+e- -> tau+ tau- (gamma), each tau -> mu nu nu (Michel spectrum) or pi nu with the longitudinal tau+ tau- spin correlation; leading-log ISR. A pion passes a dimuon selection only when misidentified as a muon (detector.ts)',
  defaults: { isr: 1, decayStratum: 0, skim: 0 },
  paramDocs: {
    isr: '1: ISR, 0: Born',
    decayStratum: 'decay-mode stratum (sigma scales accordingly; the three add up to the whole): 1 both tau -> mu nu nu, 2 one mu nu nu and one pi nu, 3 both pi nu, 0 all',
    skim: '1: an event whose two charged daughters are not both identified as muons (drawn first) is not simulated further: not accepted, its columns 0; the accepted events are those of skim 0, bit for bit (for dimuon selections; sigma unchanged)',
  },
  check(p) {
    if (![0, 1, 2, 3].includes(p.decayStratum)) throw new RangeError(`parameter decayStratum must be 0, 1, 2 or 3, got ${p.decayStratum}`);
    if (p.skim !== 0 && p.skim !== 1) throw new RangeError(`parameter skim must be 0 or 1, got ${p.skim}`);
  },
  sigmaFb: (p) => 0.919 * NB * (BR_TAU_MUNUNU + BR_TAU_PINU) ** 2 * tauModeFraction(p.decayStratum),
  sigmaSource: 'Belle II Physics Book Table 4: 0.919 nb (KK2f), x (B(tau -> mu nu nu) + B(tau -> pi nu))^2 = (0.1739 + 0.1082)^2 (PDG 2024), x the decay-mode stratum\'s share',
  illustrative: false,
  // kernels/gen_tautau: ISR, Born 1 + c^2 + (1 - beta^2) sin^2 (Peskin & Schroeder problem 5.2), the longitudinal spin
  // correlation (Tsai, PRD 4 (1971) 2821), polarized tau -> mu nu nu (Michel) / pi nu (kernels/lib/taudecay)
  kernel: 'gen_tautau',
};

// Two-photon e+e- -> e+e- mu+ mu-: the gen_eemumu kernel (kernels/gen_eemumu, engine/generate/gen-eemumu.ts).
const EEMM_WMIN = 0.5;

const eemumu: ProcessDef = {
  name: 'eemumu',
  id: 103,
  kind: 'background',
  family: 'dimuon',
  description: 'e+e- -> e+e- mu+ mu- via gamma* gamma* fusion: equivalent photons with their energy and virtuality spectra (Budnev et al. 1975), Breit-Wheeler gamma gamma -> mu mu; the scattered e+ e- at their angles, so tagged (an e in the tracker) and untagged events both appear',
  defaults: { wMin: EEMM_WMIN, tailBias: 1, regionStratum: 0, region: 0, innerRegion: -1, trackerStratum: 0 },
  paramDocs: {
    wMin: 'generator cut on the mu mu mass W, GeV (the cited sigma assumes 0.5)',
    tailBias: '1: oversample scattered leptons with large pT that escape the tracker, events weighted (mean weight 1; kernels/gen_eemumu); 0: unweighted',
    regionStratum: 'stratum of the region (parameter region) that a dimuon + missing-momentum selection keeps (sigma scales accordingly, the two add up to the whole): 1 inside (unweighted, its own proposal), -1 outside, 0 all',
    region: `the region of regionStratum (engine/generate/gen-eemumu.ts EEMUMU_REGIONS): ${EEMUMU_REGIONS.map((r, i) => `${i}, ${r.name}: a lepton escapes the tracker with pT >= ${r.ptGeV} GeV, the other escapes, p*(mu mu) >= ${r.pGeV} GeV, |cos theta*(mu mu)| < ${r.cosMax} (${r.keeps})`).join('; ')}`,
    innerRegion: 'with regionStratum 1: an EEMUMU_REGIONS index of a region inside region (its thresholds no looser), whose events are left out (rejected trials: exact on region minus innerRegion; sigma x (sigma_region - sigma_inner) / sigma), e.g. region 1, innerRegion 0: inside R_Z, outside R; -1 none',
    trackerStratum: `stratum B where both scattered leptons are inside the tracker's polar acceptance (17-150 deg lab, widened by ${B_MARGIN} in 1 - cos; outside it no event has four tracks; sigma x sigma_B / sigma): 1 inside B (unweighted, its own proposal), -1 outside B (the two add up to the whole), 0 all`,
  },
  check(p) {
    if (!(p.wMin > 2 * M_MU && p.wMin < SQRT_S)) throw new RangeError(`parameter wMin = ${p.wMin} GeV must be in (${2 * M_MU}, sqrt(s))`);
    if (p.tailBias !== 0 && p.tailBias !== 1) throw new RangeError(`parameter tailBias must be 0 or 1, got ${p.tailBias}`);
    if (![-1, 0, 1].includes(p.regionStratum)) throw new RangeError(`parameter regionStratum must be -1, 0 or 1, got ${p.regionStratum}`);
    if (p.regionStratum !== 0 && p.wMin !== EEMM_WMIN) throw new RangeError(`parameter regionStratum = ${p.regionStratum} needs wMin = ${EEMM_WMIN} GeV (sigma_R / sigma is recorded there), got ${p.wMin}`);
    eemumuRegion(p);
    const inner = eemumuInnerRegion(p);
    if (inner && p.regionStratum !== 1) throw new RangeError(`parameter innerRegion = ${p.innerRegion} needs regionStratum = 1 (inside region, outside innerRegion), got ${p.regionStratum}`);
    if (p.region !== 0 && p.regionStratum === 0) throw new RangeError(`parameter region = ${p.region} selects the region of regionStratum, which is 0 (all events): set regionStratum 1 or -1, or leave region at 0`);
    if (![-1, 0, 1].includes(p.trackerStratum)) throw new RangeError(`parameter trackerStratum must be -1, 0 or 1, got ${p.trackerStratum}`);
    if (p.trackerStratum !== 0 && p.wMin !== EEMM_WMIN) throw new RangeError(`parameter trackerStratum = ${p.trackerStratum} needs wMin = ${EEMM_WMIN} GeV (sigma_B / sigma is recorded there), got ${p.wMin}`);
    if (p.trackerStratum !== 0 && p.regionStratum !== 0) throw new RangeError(`parameters trackerStratum = ${p.trackerStratum} and regionStratum = ${p.regionStratum} together: give one (B lies outside every region)`);
  },
  sigmaFb: (p) => 18.9 * NB * (p.regionStratum === 1 ? eemumuRegion(p).fraction.value - (eemumuInnerRegion(p)?.fraction.value ?? 0) : p.regionStratum === -1 ? 1 - eemumuRegion(p).fraction.value : 1) * (p.trackerStratum === 1 ? EEMUMU_B_FRACTION.value : p.trackerStratum === -1 ? 1 - EEMUMU_B_FRACTION.value : 1),
  sigmaSource: `Belle II Physics Book Table 4: 18.9 nb (AAFH, W_mumu > 0.5 GeV); the EPA shape here is approximate; regionStratum: x sigma_region / sigma (${EEMUMU_REGIONS.map((r) => `${r.name} ${r.fraction.value.toExponential(3)} +- ${r.fraction.error.toExponential(1)}`).join(', ')}: this generator's EPA, engine/generate/gen-eemumu.ts EEMUMU_REGIONS) or 1 minus it (innerRegion: the region's minus the inner region's); trackerStratum: x sigma_B / sigma = ${EEMUMU_B_FRACTION.value.toExponential(3)} +- ${EEMUMU_B_FRACTION.error.toExponential(1)} (EEMUMU_B_FRACTION) or 1 minus it`,
  illustrative: false,
  unweighted: { tailBias: 0 },
  // kernels/gen_eemumu: the EPA rejection sampler with its weighted large-pT tail, gamma gamma -> mu mu, detector, dimuon columns and weights
  kernel: 'gen_eemumu',
};

const gammagamma: ProcessDef = {
  name: 'gammagamma',
  id: 104,
  kind: 'background',
  family: 'photons',
  description: 'e+e- -> gamma gamma (gamma): QED (1 + c^2)/(1 - c^2) in |cos theta*| < cosMax, third photon from leading-log ISR',
  defaults: { cosMax: Math.cos((10 * Math.PI) / 180), isr: 1, ...ISR_SKIM_DEFAULTS },
  paramDocs: { cosMax: 'generator cut |cos theta*| < cosMax (the cited sigma assumes 10-170 deg)', isr: '1: ISR, 0: Born', ...ISR_SKIM_DOCS },
  check: checkIsrSkim,
  sigmaFb: (p) => 3.30 * NB * isrSkimFraction(p),
  sigmaSource: 'Belle II Physics Book Table 4: 3.30 nb (BabaYaga@NLO, 10 < theta*_gamma < 170 deg), times the ISR-skim fraction of this generator (xMin, isrCosStratum)',
  illustrative: false,
  // kernels/gen_photons (mode 0): ISR with the xMin cut and the angular stratum; QED (1 + c^2)/(1 - c^2) in |cos theta*| < cosMax
  kernel: 'gen_photons',
};

const eegamma: ProcessDef = {
  name: 'eegamma',
  id: 105,
  kind: 'background',
  family: 'photons',
  description: 'e+e- -> e+e- (gamma): Bhabha ((3 + c^2)/(1 - c))^2 in |cos theta*_e| < cosMax, photons from leading-log ISR',
  defaults: { cosMax: Math.cos((10 * Math.PI) / 180), isr: 1, ...ISR_SKIM_DEFAULTS },
  paramDocs: { cosMax: 'generator cut on the e- angle (the cited sigma assumes 10-170 deg)', isr: '1: ISR, 0: Born', ...ISR_SKIM_DOCS },
  check: checkIsrSkim,
  sigmaFb: (p) => 300 * NB * isrSkimFraction(p),
  sigmaSource: 'Belle II Physics Book Table 4: 300 nb (BabaYaga@NLO, 10 < theta*_e < 170 deg), times the ISR-skim fraction of this generator (xMin, isrCosStratum)',
  illustrative: false,
  // kernels/gen_photons (mode 1): ISR with the xMin cut and the angular stratum; Bhabha ((3 + c^2)/(1 - c))^2 (PDG RPP "Cross-section formulae") in |cos theta*_e| < cosMax
  kernel: 'gen_photons',
};

export const PROCESSES: readonly ProcessDef[] = [
  darkHiggs, zPrime('inv', 2), zPrime('mumu', 3), zPrime('tautau', 4), gammaAPrime, gammaAlp,
  bToKS('ee', 7), bToKS('mumu', 8), bToKS('pipi', 9), bToKS('KK', 10),
  mumu, tautau, eemumu, gammagamma, eegamma, fourMu,
  ...B_MESON_PROCESSES,
  ...TAU_PROCESSES,
  // kernels/gen_eemumu (family 1): e e mu mu's events with the fourtrack family's columns
  fourTrackVariant(eemumu, 'eemumu_4trk', 207, 'reconstructed as four tracks (both electrons in the tracker; unweighted by default: the tail bias favours electrons outside it)', { tailBias: 0 }),
];

export function getProcess(name: string): ProcessDef {
  const p = PROCESSES.find((q) => q.name === name);
  if (!p) throw new Error(`unknown process '${name}' (known: ${PROCESSES.map((q) => q.name).join(', ')})`);
  return p;
}

export { boostFrom, gammaGammaAngular, isotropic };
