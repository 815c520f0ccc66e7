// Host side of the generator kernels' shared params (kernels/lib/genkin.ts): the beam and ISR
// constants and the detector-response sub-blocks (TRACK_PARAMS, PHOTON_PARAMS) from a
// DetectorModel, in f64 (packParams rounds them to f32). Every generator kernel's host params
// (engine/generate/gen-*.ts) spread these.
import { ISR_TRIES, type PHOTON_PARAMS, type TRACK_PARAMS } from '../../kernels/lib/genkin.js';
import type { DetectorModel } from './detector.js';
import { BETA_CM, ISR_A, ISR_BETA, P_INIT_LAB, SQRT_S, isrCosStratum, peakedCdf } from './physics.js';
import { M_TAU } from './lorentz.js';
import type { ProcessDef } from './processes.js';

const DEG = Math.PI / 180;

/** sqrt(s), the beam energy in the CM, the initial state in the lab, the CM boost, and the ISR constants of genkin's isrX / isrPhoton. */
export function beamKernelParams() {
  const g = 1 / Math.sqrt(1 - BETA_CM * BETA_CM);
  return {
    sqrt_s: SQRT_S, e_beam: SQRT_S / 2, e_tot: P_INIT_LAB[0], pz_tot: P_INIT_LAB[3], g_cm: g, bg_cm: BETA_CM * g,
    isr_exp: 2 / ISR_BETA, isr_a: ISR_A, isr_lr: Math.log(ISR_A / (2 - ISR_A)),
  };
}

/**
 * isrRadiate's skim params from a process's parameters (physics.ts ISR_SKIM_DEFAULTS; absent ones:
 * no skim): t_min = xMin^(beta/2) (0: no cut) and the angular stratum as samplePeaked's u intervals
 * of lo <= |c| < hi (st_mode 1 inside, 2 outside, 0 none; the joint stratum of energy and angle, 3
 * inside, 4 outside, t_min its energy bound). Without ISR: none.
 */
export function isrSkimKernelParams(p: Readonly<Record<string, number>>, isr: boolean) {
  const xMin = p.xMin ?? 0;
  const st = isr ? isrCosStratum(p) : undefined;
  const f = st ? [peakedCdf(-st.hi), peakedCdf(-st.lo), peakedCdf(st.lo), peakedCdf(st.hi)] : [0, 0, 0, 0];
  return {
    t_min: isr && xMin > 0 ? Math.pow(xMin, ISR_BETA / 2) : 0, st_mode: st ? (st.inside ? 1 : 2) + (st.xMin !== undefined ? 2 : 0) : 0,
    st_f0: f[0], st_f1: f[1], st_f2: f[2], st_f3: f[3], st_p: f[1] - f[0] + (f[3] - f[2]),
  };
}

/** genkin's track sub-block: the polar-angle window as lab cosines, pT threshold, resolutions, muon identification efficiency. */
export function trackKernelParams(det: DetectorModel): Record<(typeof TRACK_PARAMS)[number], number> {
  return {
    trk_cmin: Math.cos(det.trackThetaMaxDeg * DEG), trk_cmax: Math.cos(det.trackThetaMinDeg * DEG), trk_ptmin: det.trackPtMinGeV,
    trk_ra: det.trackResA, trk_rb: det.trackResB, trk_ang: det.trackAngleResRad, mu_eff: det.muIdEfficiency,
  };
}

/** genkin's track sub-block under a suffix (the kernels' pion and electron sub-blocks, lib/fourtrack) with its own identification threshold (the pion fake rate; electrons 0). */
export function trackKernelParamsAs(det: DetectorModel, suffix: string, idThreshold: number): Record<string, number> {
  return Object.fromEntries(Object.entries({ ...trackKernelParams(det), mu_eff: idThreshold }).map(([n, v]) => [`${n}${suffix}`, v]));
}

/** lib/fourtrack's pseudo-rest frame: gamma and beta gamma of a tau of energy sqrt(s) / 2 (Belle II PRL 130 (2023) 181803). */
export function pseudoRestKernelParams(): { g_tau: number; bg_tau: number } {
  const pt = Math.sqrt((SQRT_S * SQRT_S) / 4 - M_TAU * M_TAU);
  return { g_tau: SQRT_S / 2 / M_TAU, bg_tau: pt / M_TAU };
}

/** genkin's photon sub-block: threshold, the ECL polar ranges as (cos theta_hi, cos theta_lo) pairs (at most 3; [2, 2]: empty), resolution terms. */
export function photonKernelParams(det: DetectorModel, kernel: string): Record<(typeof PHOTON_PARAMS)[number], number> {
  if (det.eclRegionsDeg.length > 3) throw new RangeError(`${kernel}: the detector model has ${det.eclRegionsDeg.length} ECL regions; the kernel takes at most 3`);
  const ecl = [0, 1, 2].flatMap((i) => {
    const r = det.eclRegionsDeg[i];
    return r ? [Math.cos(r[1] * DEG), Math.cos(r[0] * DEG)] : [2, 2];
  });
  return {
    g_emin: det.photonEMinGeV, ecl_c0: ecl[0], ecl_c1: ecl[1], ecl_c2: ecl[2], ecl_c3: ecl[3], ecl_c4: ecl[4], ecl_c5: ecl[5],
    g_ra: det.photonResA, g_rb: det.photonResB, g_rc: det.photonResC,
  };
}

/**
 * The largest failure probability of the kernels' bounded ISR loop (genkin isrRadiate) we accept
 * (the event is then Born). The loop accepts whenever x1 + x2 < 1 - m_min^2 / s (then s' >= s (1 -
 * x1 - x2)), which has probability >= ((1 - m_min^2 / s) / 2)^beta per try.
 */
const ISR_FAIL_MAX = 1e-9;

/** The bound above on the probability that isrRadiate's ISR_TRIES all leave the system below mMin GeV. */
export function isrFailBound(mMin: number): number {
  return Math.pow(1 - Math.pow((1 - (mMin * mMin) / (SQRT_S * SQRT_S)) / 2, ISR_BETA), ISR_TRIES);
}

/** Refuses ISR for a process whose threshold `what` = mMin GeV lies too close to sqrt(s) for isrRadiate's ISR_TRIES (or above it: the bound is then NaN). */
export function checkIsrReach(proc: ProcessDef, what: string, mMin: number): void {
  const fail = isrFailBound(mMin);
  if (!(fail <= ISR_FAIL_MAX)) throw new RangeError(`process ${proc.name}: the threshold ${what} = ${mMin} GeV lies too close to sqrt(s) = ${SQRT_S} GeV for ISR (the generator's bounded retry would fall back to Born with probability up to ${fail.toExponential(1)}); use isr = 0`);
}
