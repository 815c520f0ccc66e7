// The fast-simulation detector: Belle II acceptance and resolution as simple parametrizations.
// Documented approximations (this is a fast simulation, not basf2/Geant4):
// - Tracks: found when 17 deg < theta_lab < 150 deg (CDC acceptance, Belle II TDR arXiv:1011.0352
//   sec. 6) and pT > 0.1 GeV (lower pT curls up). Perfect charge identification. Muon
//   identification (KLM): a muon is identified with probability 0.90, a pion misidentified as a
//   muon with probability 0.041 (Belle II KLM, Wang et al., NIM A / arXiv:2503.11351: pion fake rate
//   4.1% at 90% muon efficiency, p > 0.7 GeV; applied here at all momenta, illustrative below
//   0.7 GeV); electrons and kaons are never identified as muons.
//   Momentum: sigma_pT / pT = 0.0011 pT[GeV] (+) 0.0025 / beta (quadrature sum; Belle II Physics
//   Book, PTEP 2019 123C01, sec. 3.2, CDC+SVD helix fit), applied as a common scale factor to p;
//   angles smeared by a Gaussian of sigma_theta = sigma_phi = 1 mrad (illustrative).
// - Photons: detected in the ECL when E > 0.1 GeV and theta_lab lies in the forward endcap
//   12.4-31.4 deg, the barrel 32.2-128.7 deg or the backward endcap 130.7-155.1 deg (TDR sec. 10;
//   the gaps between them are where photons are lost). Energy: sigma_E / E = 0.066%/E (+)
//   0.81%/E^(1/4) (+) 1.34% (E in GeV; Belle ECL, NIM A 479 (2002) 117, kept for Belle II's same
//   CsI(Tl) crystals); angles smeared by 5 mrad (illustrative).
// - Neutrinos and invisible dark particles are never seen.
import type { EventRandom } from './rng.js';
import { M_MU, p4, pabs, theta, type P4 } from './lorentz.js';

const DEG = Math.PI / 180;

export interface DetectorModel {
  readonly trackThetaMinDeg: number;
  readonly trackThetaMaxDeg: number;
  readonly trackPtMinGeV: number;
  /** sigma_pT / pT = a pT (+) b / beta. */
  readonly trackResA: number;
  readonly trackResB: number;
  readonly trackAngleResRad: number;
  readonly photonEMinGeV: number;
  /** ECL regions [min, max] in lab polar angle, degrees. */
  readonly eclRegionsDeg: readonly (readonly [number, number])[];
  /** sigma_E / E = a / E (+) b / E^(1/4) (+) c. */
  readonly photonResA: number;
  readonly photonResB: number;
  readonly photonResC: number;
  readonly photonAngleResRad: number;
  /** Probability that a muon is identified as a muon, and that a pion is (misidentified). */
  readonly muIdEfficiency: number;
  readonly piMuFakeRate: number;
}

export const BELLE2_DETECTOR: DetectorModel = {
  trackThetaMinDeg: 17,
  trackThetaMaxDeg: 150,
  trackPtMinGeV: 0.1,
  trackResA: 0.0011,
  trackResB: 0.0025,
  trackAngleResRad: 0.001,
  photonEMinGeV: 0.1,
  eclRegionsDeg: [[12.4, 31.4], [32.2, 128.7], [130.7, 155.1]],
  photonResA: 0.00066,
  photonResB: 0.0081,
  photonResC: 0.0134,
  photonAngleResRad: 0.005,
  muIdEfficiency: 0.9,
  piMuFakeRate: 0.041,
};

/** Whether a charged track of true kind `kind` is identified as a muon, given a uniform draw u. */
export function identifiedAsMuon(kind: string, u: number, d: DetectorModel = BELLE2_DETECTOR): boolean {
  return kind === 'mu' ? u < d.muIdEfficiency : kind === 'pi' ? u < d.piMuFakeRate : false;
}

/** Whether a charged track with true lab momentum p is reconstructed. */
export function trackAccepted(p: P4, d: DetectorModel = BELLE2_DETECTOR): boolean {
  const th = theta(p) / DEG;
  return th > d.trackThetaMinDeg && th < d.trackThetaMaxDeg && Math.hypot(p[1], p[2]) > d.trackPtMinGeV;
}

/** Whether a photon with true lab momentum p makes an ECL cluster above threshold. */
export function photonAccepted(p: P4, d: DetectorModel = BELLE2_DETECTOR): boolean {
  if (p[0] < d.photonEMinGeV) return false;
  const th = theta(p) / DEG;
  for (const [lo, hi] of d.eclRegionsDeg) if (th > lo && th < hi) return true;
  return false;
}

/** Relative pT (= p) resolution of a track of mass m. */
export function trackSigmaRel(p: P4, m: number, d: DetectorModel = BELLE2_DETECTOR): number {
  const pt = Math.hypot(p[1], p[2]), pa = pabs(p), beta = pa / Math.sqrt(pa * pa + m * m);
  return Math.hypot(d.trackResA * pt, d.trackResB / beta);
}

export function photonSigmaRel(e: number, d: DetectorModel = BELLE2_DETECTOR): number {
  return Math.hypot(d.photonResA / e, d.photonResB / Math.pow(e, 0.25), d.photonResC);
}

function direction(p: P4, sigma: number, rng: EventRandom): [number, number] {
  const th = theta(p) + sigma * rng.normal();
  const ph = Math.atan2(p[2], p[1]) + sigma * rng.normal();
  return [th, ph];
}

/** Measured track four-vector (mass hypothesis m): smeared |p|, theta, phi. Always draws 3 normals. */
export function smearTrack(p: P4, m: number, rng: EventRandom, d: DetectorModel = BELLE2_DETECTOR): P4 {
  const rel = trackSigmaRel(p, m, d);
  const pa = pabs(p) * Math.max(0, 1 + rel * rng.normal());
  const [th, ph] = direction(p, d.trackAngleResRad, rng);
  return p4(m, pa * Math.sin(th) * Math.cos(ph), pa * Math.sin(th) * Math.sin(ph), pa * Math.cos(th));
}

/** Measured photon four-vector: smeared energy and direction. Always draws 3 normals. */
export function smearPhoton(p: P4, rng: EventRandom, d: DetectorModel = BELLE2_DETECTOR): P4 {
  const e = p[0] * Math.max(0, 1 + photonSigmaRel(p[0], d) * rng.normal());
  const [th, ph] = direction(p, d.photonAngleResRad, rng);
  return [e, e * Math.sin(th) * Math.cos(ph), e * Math.sin(th) * Math.sin(ph), e * Math.cos(th)];
}

export { M_MU };
