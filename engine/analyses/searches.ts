// The four one-dimensional searches of the talk as configurations of the generic pipeline
// (search1d.ts): selection, candidates, scan variable, resolution (window widths), signal masses,
// backgrounds, default luminosity and coupling. Resolutions are fits to this fast simulation's
// signal peaks (robust width 1.4826 x median absolute deviation, seed 1, 2000 events per mass),
// not Belle II's official functions.
import { S, SQRT_S } from '../generate/physics.js';
import { M_MU } from '../generate/lorentz.js';
import { ALP_G, DARK_PHOTON_EPS, ZPRIME_G_INVISIBLE, ZPRIME_G_MUMU } from './couplings.js';
import { FOURMU_PROXY, generateFourMuProxy } from './fourmu.js';
import type { Search1D, Search1DName } from './search1d.js';

type Cols = Readonly<Record<string, ArrayLike<number>>>;

/** One candidate per event: column `col`. */
function oneCandidate(col: string) {
  return (c: Cols, n: number) => {
    const x = new Float32Array(n), from = new Uint32Array(n);
    for (let i = 0; i < n; i++) (x[i] = c[col][i]), (from[i] = i);
    return { x, from };
  };
}

/** Several candidates per event: each of the columns `cols`. */
function manyCandidates(cols: readonly string[]) {
  return (c: Cols, n: number) => {
    const x = new Float32Array(n * cols.length), from = new Uint32Array(n * cols.length);
    let k = 0;
    for (let i = 0; i < n; i++) for (const col of cols) (x[k] = c[col][i]), (from[k++] = i);
    return { x, from };
  };
}

// ---------------------------------------------------------------------------- Z' -> invisible
/**
 * Recoil-mass resolution of the fast simulation: M_rec^2 = s - 2 sqrt(s) E*_mumu + M_mumu^2, so
 * dM_rec = sqrt(s) dE* / M_rec with dE* proportional to the pair momentum ~ (s - M^2) / (2 sqrt(s)):
 * sigma(M) = 0.0045 (s - M^2) / (2 M) GeV, floor 4 MeV (fit: 0.12 at 2 GeV, 0.043 at 5, 0.014 at 8).
 */
export const SIGMA_RECOIL_ZP = (m: number) => Math.max(0.004, (0.0045 * (S - m * m)) / (2 * Math.max(m, 0.05)));

export const ZPRIME_INVISIBLE: Search1D = {
  name: 'zprime-invisible',
  id: 1,
  title: "e+e- -> mu+ mu- Z', Z' -> invisible (L_mu - L_tau): bump in the recoil mass against mu+ mu-",
  reaction: "E+ E- --> MU+ MU- Z', Z' --> INVISIBLE",
  limitName: "sigma(e+e- -> mu+mu- Z', Z' -> invisible)",
  signal: { process: 'zp_inv', massParam: 'mZp' },
  eventColumns: ['n_gamma', 'n_extra_tracks', 'm2_recoil_GeV2', 'm_recoil_GeV', 'cos_theta_recoil_cm', 'p_mumu_cm_GeV'],
  selection: {
    tracks: 'exactly two muons of opposite charge, no other track',
    n_gamma: 'no photon candidate (E > 0.1 GeV in the ECL)',
    cos_theta_recoil_cm: '|cos theta*(recoil)| < 0.8: the missing momentum points into the barrel (lost ISR photons go along the beams)',
    p_mumu_cm_GeV: 'p*(mu mu) > 0.5 GeV',
    m2_recoil_GeV2: 'M_recoil^2 > 0',
  },
  select(c, n) {
    const m = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      m[i] = c.n_extra_tracks[i] === 0 && c.n_gamma[i] === 0 && Math.abs(c.cos_theta_recoil_cm[i]) < 0.8 && c.p_mumu_cm_GeV[i] > 0.5 && c.m2_recoil_GeV2[i] > 0 ? 1 : 0;
    }
    return m;
  },
  candidates: oneCandidate('m_recoil_GeV'),
  variable: 'm_recoil_GeV',
  variableLabel: 'M_recoil [GeV]',
  grid: { min: 0.5, max: 9.5, sigma: SIGMA_RECOIL_ZP, sigmaDoc: 'sigma(M_recoil) = max(0.004, 0.0045 (s - M^2) / (2 M)) [GeV] (fit to the fast simulation)' },
  massOf: (x) => x,
  peakOf: (m) => m,
  massName: "M_{Z'}",
  signalMasses: [0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 8.5, 9, 9.5],
  backgrounds: [
    // p*(mu mu) > 0.5 GeV is the lost ISR photon's momentum in mu mu (gamma): x_gamma > 0.09 is lossless (as in darkhiggs.ts).
    { name: 'mumu', params: { xMin: 0.09 }, note: 'generator skim x_gamma > 0.09 (lossless for p*(mumu) > 0.5 GeV)' },
    { name: 'tautau' },
    { name: 'eemumu' },
  ],
  defaultLumiFb: 79.7,
  lumiNote: "Default luminosity 79.7 fb^-1 and 90% CL, as in Belle II's Z' -> invisible search (PRL 130 (2023) 231801).",
  defaultCl: 0.9,
  defaultMethod: 'cls-asymptotic',
  coupling: ZPRIME_G_INVISIBLE,
  notes: ["Signal kinematics: flat three-body phase space for mu mu Z' (engine/generate zp_inv), so the efficiency map is approximate at low M_Z'."],
};

// ---------------------------------------------------------------------------- Z' -> mu mu
/** M_mumu resolution of the fast simulation: 0.0008 + 0.0022 M + 0.00015 M^2 GeV (1.8 MeV at 0.5, 5.2 at 2, 14.5 at 5, 37 at 10). */
export const SIGMA_MUMU_4MU = (m: number) => 0.0008 + 0.0022 * m + 0.00015 * m * m;
const PAIRS = ['m_mumu_13_GeV', 'm_mumu_14_GeV', 'm_mumu_23_GeV', 'm_mumu_24_GeV'];

export const ZPRIME_MUMU: Search1D = {
  name: 'zprime-mumu',
  id: 2,
  title: "e+e- -> mu+ mu- Z', Z' -> mu+ mu- (L_mu - L_tau): narrow peak in M_mumu in four-muon events",
  reaction: "E+ E- --> MU+ MU- Z', Z' --> MU+ MU-",
  limitName: "sigma(e+e- -> mu+mu- Z', Z' -> mu+mu-)",
  signal: { process: 'zp_mumu', massParam: 'mZp' },
  eventColumns: ['m_4mu_GeV', ...PAIRS, 'n_extra_tracks', 'E_extra_GeV'],
  selection: {
    tracks: 'four muons, two of each charge, no other track',
    m_4mu_GeV: '|M_4mu - sqrt(s)| < 0.5 GeV (nothing escapes)',
    E_extra_GeV: 'photon energy in the ECL < 1 GeV',
    candidates: 'every opposite-charge pair (four per event) is a candidate',
  },
  select(c, n) {
    const m = new Uint8Array(n);
    for (let i = 0; i < n; i++) m[i] = c.n_extra_tracks[i] === 0 && Math.abs(c.m_4mu_GeV[i] - SQRT_S) < 0.5 && c.E_extra_GeV[i] < 1 ? 1 : 0;
    return m;
  },
  candidates: manyCandidates(PAIRS),
  variable: 'm_mumu_GeV',
  variableLabel: 'M_μμ [GeV]',
  grid: { min: 0.22, max: 10, sigma: SIGMA_MUMU_4MU, sigmaDoc: 'sigma(M_mumu) = 0.0008 + 0.0022 M + 0.00015 M^2 [GeV] (fit to the fast simulation)' },
  massOf: (x) => x,
  peakOf: (m) => m,
  massName: "M_{Z'}",
  signalMasses: [0.22, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  backgrounds: [{
    name: FOURMU_PROXY,
    note: 'PROXY: engine/generate has no e+e- -> 4 mu background; mu mu gamma*(-> mu mu) built from zp_mumu kinematics with an illustrative Kroll-Wada mass spectrum (engine/analyses/fourmu.ts)',
    build: generateFourMuProxy,
  }],
  defaultLumiFb: 178,
  lumiNote: "Default luminosity 178 fb^-1 and 90% CL, as in Belle II's four-muon Z' search (PRD 109 (2024) 112015).",
  defaultCl: 0.9,
  defaultMethod: 'cls-asymptotic',
  coupling: ZPRIME_G_MUMU,
  notes: [
    'BACKGROUND IS A PROXY: the generator offers no Standard Model four-muon process; the background is mu mu gamma* (gamma* -> mu mu) with the zp_mumu kinematics and an illustrative mass spectrum (engine/analyses/fourmu.ts). Limits show the method, not the Belle II sensitivity.',
  ],
};

// ---------------------------------------------------------------------------- invisible dark photon
/** E*_gamma resolution: the ECL's sigma_E / E = 0.066%/E (+) 0.81%/E^(1/4) (+) 1.34% (engine/generate/detector.ts, Belle ECL NIM A 479 (2002) 117). */
export const SIGMA_EGAMMA_ECL = (e: number) => {
  const E = Math.max(e, 0.05);
  return E * Math.sqrt((0.00066 / E) ** 2 + (0.0081 / Math.sqrt(Math.sqrt(E))) ** 2 + 0.0134 ** 2);
};
/** E*_gamma of e+e- -> gamma X with M_X = m: (s - m^2) / (2 sqrt(s)). */
export const eGammaOfMass = (m: number) => (S - m * m) / (2 * SQRT_S);
export const massOfEGamma = (e: number) => Math.sqrt(Math.max(0, S - 2 * SQRT_S * e));

export const INVISIBLE_DARK_PHOTON: Search1D = {
  name: 'invisible-dark-photon',
  id: 3,
  title: "e+e- -> gamma A', A' -> invisible: bump in the single-photon CM energy E*_gamma",
  reaction: "E+ E- --> GAMMA A', A' --> INVISIBLE",
  limitName: "sigma(e+e- -> gamma A', A' -> invisible)",
  signal: { process: 'gamma_aprime_inv', massParam: 'mA' },
  eventColumns: ['n_gamma', 'n_tracks', 'E_cm_g1_GeV', 'cos_theta_g1'],
  selection: {
    n_gamma: 'exactly one photon candidate (E > 0.1 GeV in the ECL)',
    n_tracks: 'no track',
    cos_theta_g1: 'photon in the barrel: -0.62 < cos theta_lab < 0.84 (32.2-128.7 deg)',
  },
  select(c, n) {
    const m = new Uint8Array(n);
    for (let i = 0; i < n; i++) m[i] = c.n_gamma[i] === 1 && c.n_tracks[i] === 0 && c.cos_theta_g1[i] > -0.62 && c.cos_theta_g1[i] < 0.84 ? 1 : 0;
    return m;
  },
  candidates: oneCandidate('E_cm_g1_GeV'),
  variable: 'E_cm_gamma_GeV',
  variableLabel: 'E*_γ [GeV]',
  grid: { min: 1.0, max: 5.25, sigma: SIGMA_EGAMMA_ECL, sigmaDoc: 'sigma(E) = E sqrt((0.00066/E)^2 + (0.0081/E^(1/4))^2 + 0.0134^2) [GeV] (the fast simulation\'s ECL)' },
  massOf: massOfEGamma,
  peakOf: eGammaOfMass,
  massName: "M_{A'}",
  signalMasses: [0.5, 1, 2, 3, 4, 5, 6, 7, 8, 8.5, 9, 9.3, 9.6],
  backgrounds: [
    { name: 'gammagamma', note: 'e+e- -> gamma gamma (gamma) with all but one photon lost (gaps, outside the ECL)' },
    { name: 'eegamma', note: 'radiative Bhabha with both electrons outside the tracker (weighted: huge cross section)' },
  ],
  defaultLumiFb: 1,
  lumiNote: 'Default luminosity 1 fb^-1 (illustrative; the Belle II Physics Book, PTEP 2019 123C01, projects the single-photon search with 20 fb^-1): the pseudo-data are materialised event by event and radiative Bhabhas give ~1.3e6 single-photon candidates per fb^-1 here.',
  defaultCl: 0.9,
  defaultMethod: 'cls-asymptotic',
  coupling: DARK_PHOTON_EPS,
  notes: [
    'The fast simulation gives electrons outside the tracker acceptance no ECL response, so radiative Bhabhas with both electrons lost look like single photons; Belle II vetoes them with the ECL endcaps and the KLM. This background is therefore pessimistic.',
    "The scan is in E*_gamma; mass_GeV = sqrt(s - 2 sqrt(s) E*).",
  ],
};

// ---------------------------------------------------------------------------- ALP -> gamma gamma
/** Diphoton-mass resolution of the fast simulation: sqrt(0.0125^2 + (0.0115 M)^2) GeV (13 MeV at 0.2, 17 at 1, 38 at 3, 104 at 9). */
export const SIGMA_MGG = (m: number) => Math.hypot(0.0125, 0.0115 * m);
const GG_PAIRS = ['m_gg_12_GeV', 'm_gg_13_GeV', 'm_gg_23_GeV'];

export const ALP_GAMMAGAMMA: Search1D = {
  name: 'alp-gammagamma',
  id: 4,
  title: 'e+e- -> gamma a, a -> gamma gamma: peak in the diphoton mass of three-photon events',
  reaction: 'E+ E- --> GAMMA A, A --> GAMMA GAMMA',
  limitName: 'sigma(e+e- -> gamma a, a -> gamma gamma)',
  signal: { process: 'gamma_alp', massParam: 'ma' },
  eventColumns: ['n_gamma', 'n_tracks', 'm_ggg_GeV', ...GG_PAIRS],
  selection: {
    n_gamma: 'exactly three photon candidates (E > 0.1 GeV in the ECL)',
    n_tracks: 'no track',
    m_ggg_GeV: '|M_3gamma - sqrt(s)| < 0.5 GeV',
    candidates: 'every photon pair (three per event) is a candidate',
  },
  select(c, n) {
    const m = new Uint8Array(n);
    for (let i = 0; i < n; i++) m[i] = c.n_gamma[i] === 3 && c.n_tracks[i] === 0 && Math.abs(c.m_ggg_GeV[i] - SQRT_S) < 0.5 ? 1 : 0;
    return m;
  },
  candidates: manyCandidates(GG_PAIRS),
  variable: 'm_gg_GeV',
  variableLabel: 'M_γγ [GeV]',
  grid: { min: 0.2, max: 9.7, sigma: SIGMA_MGG, sigmaDoc: 'sigma(M_gg) = sqrt(0.0125^2 + (0.0115 M)^2) [GeV] (fit to the fast simulation)' },
  massOf: (x) => x,
  peakOf: (m) => m,
  massName: 'm_a',
  signalMasses: [0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9, 9.7],
  backgrounds: [
    { name: 'gammagamma', note: 'e+e- -> gamma gamma gamma: QED gamma gamma with a hard ISR photon in the ECL' },
    { name: 'eegamma', note: 'e+e- -> e+e- gamma(gamma): radiative Bhabha with both electrons outside the tracker and three photons seen (weighted: huge cross section)' },
  ],
  defaultLumiFb: 0.445,
  lumiNote: 'Default luminosity 0.445 fb^-1 and 95% CL, as in the Belle II ALP -> gamma gamma search (PRL 125 (2020) 161806).',
  defaultCl: 0.95,
  defaultMethod: 'cls-asymptotic',
  coupling: ALP_G,
  notes: ['e+e- -> e+e- gamma enters only with both electrons lost and three photons in the ECL: rare, so its simulated sample is small and heavily weighted.'],
};

export const SEARCHES_1D: Readonly<Record<Search1DName, Search1D>> = {
  'zprime-invisible': ZPRIME_INVISIBLE,
  'zprime-mumu': ZPRIME_MUMU,
  'invisible-dark-photon': INVISIBLE_DARK_PHOTON,
  'alp-gammagamma': ALP_GAMMAGAMMA,
};

/** Lowest mass the Z' -> mu mu search can hold (both muons of the Z'). */
export const ZPRIME_MUMU_MIN_GeV = 2 * M_MU;
