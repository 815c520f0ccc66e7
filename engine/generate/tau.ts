// Four-track tau final states of the talk: the 'fourtrack' family (exactly four tracks) shared by
//  - Z' / ALP / leptophilic scalar -> tau tau in e+e- -> mu+ mu- tau+ tau- with 1-prong tau decays
//    (Belle II, PRL 131 (2023) 121802): two identified muons + two tracks, M(4 tracks) < 9.5 GeV,
//    scan of the recoil mass against the mu mu pair;
//  - tau -> l alpha, alpha invisible (Belle II, PRL 130 (2023) 181803): 3x1-prong tau pairs, the
//    lepton energy in the tau pseudo-rest frame (tau direction opposite to the 3-prong system,
//    E_tau = sqrt(s)/2).
// Processes (signals and the backgrounds the talk names): their definitions, cross sections and
// parameters here; their events from the gen_fourtrack kernel (kernels/gen_fourtrack: production,
// tau decays, detector and the fourtrack columns in f32; host params engine/generate/gen-fourtrack.ts).
// Tau decays: leptonic (Michel spectrum), pi nu, rho nu (rho -> pi pi0, pi0 -> gamma gamma),
// three-prong a1 nu (a1 -> 3 pi, flat phase space); tau polarisation and spin correlations
// neglected. The f64 host definitions the kernel replaced are kept only as the test's cross-check
// (test/f64-fourtrack.ts). The family's host reconstruction (reconstructFourTrack, called from
// index.ts after the common detector response) serves the host-generated four-track variants
// (eemumu_4trk).
import { M_E, M_MU, M_PI, M_TAU, boost, mass, minus, pabs, plus, type P4 } from './lorentz.js';
import { BETA_CM, P_INIT_LAB, S, SQRT_S, fourMuSpectrumFbPerGeV, tabulated } from './physics.js';
import type { Params, ProcessDef } from './processes.js';
import { BELLE2_DETECTOR } from './detector.js';

const NB = 1e6; // fb per nb
const SIGMA_TAUTAU_NB = 0.919; // Belle II Physics Book (PTEP 2019 123C01) Table 4 (KK2f)
const SIGMA_QQ_NB = 1.61 + 0.40 + 0.38 + 1.30; // u, d, s, c (Belle II Physics Book Table 4)
// Tau branching fractions, PDG 2024: e nu nu, mu nu nu, pi nu, pi pi0 nu (rho), three-prong (topological).
export const BR_TAU = { e: 0.1782, mu: 0.1739, pi: 0.1082, rho: 0.2549, threeProng: 0.152 } as const;
export const M_PI0 = 0.1349768, M_RHO = 0.77526, M_A1 = 1.23, W_A1 = 0.42; // PDG 2024 (a1 width: the middle of the PDG's 250-600 MeV range)
/** The a1 Breit-Wigner's cut: (3 m_pi, m_tau) less 1 MeV each side. */
export const A1_CUT: readonly [number, number] = [3 * M_PI + 1e-3, M_TAU - 1e-3];
/** qqbar_4trk (ILLUSTRATIVE): each pi+ pi- pair's mass uniform in 2 m_pi + [0, QQ_PAIR_RANGE) GeV; n pi0 carry n (m_pi0 + QQ_PI0_EXTRA). */
export const QQ_PAIR_RANGE = 3, QQ_PI0_EXTRA = 0.05;

export type OneProng = 'e' | 'mu' | 'pi' | 'rho';
export const ONE_PRONGS: readonly OneProng[] = ['e', 'mu', 'pi', 'rho'];
/** The 1-prong modes kept by the `oneProng` parameter (0 all four, 1 e, 2 mu, 3 pi and rho). */
export const MODES_1P: Readonly<Record<number, readonly OneProng[]>> = { 0: ONE_PRONGS, 1: ['e'], 2: ['mu'], 3: ['pi', 'rho'] };
const MODES = MODES_1P;
const brOf = (modes: readonly OneProng[]) => modes.reduce((s, m) => s + BR_TAU[m], 0);

function oneProngParam(p: Params) {
  if (!(p.oneProng in MODES)) throw new RangeError(`parameter oneProng = ${p.oneProng} must be 0 (e, mu, pi, rho), 1 (e), 2 (mu) or 3 (pi, rho)`);
}

/**
 * Forced muon fakes (importance sampling of the misidentification, for samples that reach a dimuon
 * selection only through pions taken for muons): with `forceFake` = 1 the generator relabels as
 * muons the pions that must fake, chosen uniformly among the candidates (one pion of the charge
 * opposite to a single true muon, else one opposite-charge pion pair; kernels/gen_fourtrack
 * forceFakes), and the cross section is multiplied by n_candidates x (f / eps_mu)^k (f the pion
 * fake rate, eps_mu the muon efficiency of detector.ts, k = 1 or 2 tracks forced), the probability
 * of that misidentification to first order in f. The detector then identifies the relabelled
 * tracks with eps_mu; a further pion can still fake at rate f (second order, kept).
 */
/** The cross-section factor of the forced fakes: n candidates x (f / eps_mu)^k. */
export function fakeFactor(nCandidates: number, k: 1 | 2): number {
  return nCandidates * (BELLE2_DETECTOR.piMuFakeRate / BELLE2_DETECTOR.muIdEfficiency) ** k;
}
/** Candidates of forced fakes in a 1+3-prong tau pair, per 1-prong mode: mu: 2 opposite pions of the 3 prongs (k = 1); e: 2 opposite pion pairs within the 3 prongs; pi, rho: 2 pairs within + 2 with the 1-prong pion (k = 2). */
const FAKES_1X3: Readonly<Record<number, number>> = { 1: fakeFactor(2, 2), 2: fakeFactor(2, 1), 3: fakeFactor(4, 2) };

// ------------------------------------------------------------------------------------ processes
/** e+e- -> tau+ tau- (gamma) in the 1+3-prong topology: one tau 1-prong, the other three-prong. */
const tautau1x3: ProcessDef = {
  name: 'tautau_1x3',
  id: 201,
  kind: 'background',
  family: 'fourtrack',
  description: 'e+e- -> tau+ tau- (gamma), 1+3 prong: one tau -> e/mu nu nu (Michel), pi nu or rho nu, the other -> a1 nu -> 3 pi nu; leading-log ISR',
  defaults: { oneProng: 0, forceFake: 0, isr: 1 },
  paramDocs: {
    oneProng: '1-prong modes generated: 0 e, mu, pi, rho; 1 e only; 2 mu only; 3 pi and rho (sigma scales with their branching fraction)',
    forceFake: '1: pions forced to fake muons so that an opposite-charge muon pair exists (the kernel\'s forced fakes; sigma scaled by the misidentification probability; needs oneProng 1, 2 or 3)',
    isr: '1: ISR, 0: Born',
  },
  check(p) {
    oneProngParam(p);
    if (p.forceFake !== 0 && p.forceFake !== 1) throw new RangeError(`parameter forceFake must be 0 or 1, got ${p.forceFake}`);
    if (p.forceFake && p.oneProng === 0) throw new RangeError('parameter forceFake = 1 needs oneProng 1, 2 or 3 (the fake count differs between the modes)');
  },
  sigmaFb: (p) => SIGMA_TAUTAU_NB * NB * 2 * BR_TAU.threeProng * brOf(MODES[p.oneProng]) * (p.forceFake ? FAKES_1X3[p.oneProng] : 1),
  sigmaSource: 'Belle II Physics Book Table 4: 0.919 nb (KK2f) x 2 B(3-prong) B(1-prong modes kept) (PDG 2024) (x the forced-fake probability where forceFake = 1)',
  illustrative: false,
  kernel: 'gen_fourtrack', // mode 0
};

/** tau -> l alpha (alpha invisible, mass mAlpha) against a three-prong tau. */
function tauToLAlpha(lepton: 'e' | 'mu', id: number): ProcessDef {
  const ml = lepton === 'e' ? M_E : M_MU;
  return {
    name: `tau_${lepton}alpha`,
    id,
    kind: 'signal',
    family: 'fourtrack',
    description: `e+e- -> tau+ tau-, tau -> ${lepton} alpha (alpha invisible; isotropic two-body decay in the tau rest frame), the other tau three-prong`,
    defaults: { mAlpha: 0.5, ratio: 1e-3, isr: 1 },
    paramDocs: { mAlpha: 'alpha mass, GeV', ratio: `B(tau -> ${lepton} alpha) / B(tau -> ${lepton} nu nu)`, isr: '1: ISR, 0: Born' },
    check(p) {
      if (!(p.mAlpha >= 0 && p.mAlpha < M_TAU - ml)) throw new RangeError(`parameter mAlpha = ${p.mAlpha} GeV must be in [0, ${M_TAU - ml})`);
      if (!(p.ratio > 0)) throw new RangeError(`parameter ratio must be > 0, got ${p.ratio}`);
    },
    sigmaFb: (p) => SIGMA_TAUTAU_NB * NB * 2 * BR_TAU.threeProng * BR_TAU[lepton] * p.ratio,
    sigmaSource: `sigma(tau tau) = 0.919 nb (Belle II Physics Book Table 4) x 2 B(3-prong) x B(tau -> ${lepton} nu nu) (PDG 2024) x ratio (input)`,
    illustrative: false,
    kernel: 'gen_fourtrack', // mode 1
  };
}

/**
 * e+e- -> mu+ mu- X, X -> tau+ tau- with both taus 1-prong (e, mu, pi, rho): the Z' of L_mu - L_tau,
 * a leptophilic scalar or an ALP radiated off a muon (PRL 131 (2023) 121802). Kinematics: flat
 * mu mu X three-body phase space (the radiation matrix element, which favours soft X, and the
 * spin of X are neglected), so the three models share these events; sigma x B is the input.
 */
const muMuTauTau: ProcessDef = {
  name: 'zp_tautau_1p',
  id: 202,
  kind: 'signal',
  family: 'fourtrack',
  description: "e+e- -> mu+ mu- X (X = Z', leptophilic scalar or ALP), X -> tau+ tau-, both taus 1-prong (e, mu, pi, rho)",
  defaults: { mX: 5, sigmaFb: 10, isr: 1 },
  paramDocs: { mX: 'X mass, GeV', sigmaFb: 'sigma(e+e- -> mu mu X) x B(X -> tau tau), fb (input; the 1-prong fraction is applied on top)', isr: '1: ISR, 0: Born' },
  check(p) {
    if (!(p.mX > 2 * M_TAU && p.mX + 2 * M_MU < SQRT_S)) throw new RangeError(`parameter mX = ${p.mX} GeV must be in (${2 * M_TAU}, ${SQRT_S - 2 * M_MU})`);
    if (!(p.sigmaFb > 0)) throw new RangeError(`parameter sigmaFb must be > 0, got ${p.sigmaFb}`);
  },
  sigmaFb: (p) => p.sigmaFb * brOf(ONE_PRONGS) ** 2,
  sigmaSource: 'illustrative: sigma x B(X -> tau tau) is an input (PRL 131 (2023) 121802 computes the models with MadGraph), x (1-prong fraction of the generated modes)^2 (PDG 2024)',
  illustrative: true,
  kernel: 'gen_fourtrack', // mode 2
};

/** mumutautau's gamma* mass range (GeV): tau tau threshold to the mu mu gamma* phase-space end, 1 MeV inside each. */
export const ttRange = (): [number, number] => [2 * M_TAU + 1e-3, SQRT_S - 2 * M_MU - 1e-3];
let ttSpectrum: ReturnType<typeof tabulated> | undefined;
const ttTable = () => (ttSpectrum ??= tabulated((m) => fourMuSpectrumFbPerGeV(m, M_TAU), ...ttRange()));

/** SM e+e- -> mu+ mu- gamma*, gamma* -> tau+ tau- (the four-muon process of processes.ts with a tau pair), both taus 1-prong. */
const smMuMuTauTau: ProcessDef = {
  name: 'mumutautau',
  id: 203,
  kind: 'background',
  family: 'fourtrack',
  description: 'e+e- -> mu+ mu- gamma*, gamma* -> tau+ tau- (SM), both taus 1-prong: Kroll-Wada x leading-log gamma* mass spectrum, flat mu mu gamma* phase space, no ISR (as the paper\'s simulation)',
  defaults: {},
  paramDocs: {},
  sigmaFb: () => ttTable().total * brOf(ONE_PRONGS) ** 2,
  sigmaSource: 'illustrative: sigma_mumu (1.148 nb, Belle II Physics Book Table 4) x leading-log radiator x Kroll-Wada conversion into tau tau (engine/generate/processes.ts fourMuSpectrumFbPerGeV), x (1-prong fraction)^2',
  illustrative: true,
  kernel: 'gen_fourtrack', // mode 3: the gamma* mass drawn exactly from ln(r / M) / M, times the threshold factor by rejection
};

/**
 * e+e- -> q qbar (u, d, s, c) with exactly four charged pions and n pi0 (0-2): ILLUSTRATIVE stand-in
 * for the continuum (Belle II uses KKMC + PYTHIA): flat phase space of the pions, the four-prong
 * fraction 0.15 of sigma(q qbar) an assumption. It enters the four-track selections only through
 * pions misidentified as muons.
 */
const qq4: ProcessDef = {
  name: 'qqbar_4trk',
  id: 204,
  kind: 'background',
  family: 'fourtrack',
  description: 'e+e- -> q qbar (uds c) as 4 pi+- + 0-2 pi0 in flat phase space (ILLUSTRATIVE continuum stand-in)',
  defaults: { forceFake: 0 },
  paramDocs: { forceFake: '1: one pi+ pi- pair forced to fake muons (the kernel\'s forced fakes; sigma x 4 (f / eps_mu)^2)' },
  check(p) {
    if (p.forceFake !== 0 && p.forceFake !== 1) throw new RangeError(`parameter forceFake must be 0 or 1, got ${p.forceFake}`);
  },
  sigmaFb: (p) => SIGMA_QQ_NB * NB * 0.15 * (p.forceFake ? fakeFactor(4, 2) : 1),
  sigmaSource: 'illustrative: sigma(uu, dd, ss, cc) = 3.69 nb (Belle II Physics Book Table 4) x an assumed four-prong fraction 0.15; flat phase space (x the forced-fake probability where forceFake = 1)',
  illustrative: true,
  kernel: 'gen_fourtrack', // mode 4
};

/** A process's events reconstructed as four tracks (e.g. the two-photon e e mu mu with both electrons in the tracker). */
export function fourTrackVariant(p: ProcessDef, name: string, id: number, note: string, defaults: Params = {}): ProcessDef {
  return { ...p, name, id, family: 'fourtrack', description: `${p.description}; ${note}`, defaults: { ...p.defaults, ...defaults } };
}

export const TAU_PROCESSES: readonly ProcessDef[] = [tautau1x3, tauToLAlpha('e', 205), tauToLAlpha('mu', 206), muMuTauTau, smMuMuTauTau, qq4];

// ------------------------------------------------------------------------- reconstruction
/** Columns of the 'fourtrack' family (units). */
export const FOURTRACK_COLUMNS: Record<string, string> = {
  n_tracks: 'count', charge_sum: 'e', n_mu_id: 'count', n_gamma: 'count', E_extra_GeV: 'GeV', m_4trk_GeV: 'GeV',
  // the mu mu pair (Z' -> tau tau): the opposite-charge identified muons with the largest CM momentum sum
  has_mumu: '0/1', m_mumu_GeV: 'GeV', m_recoil_GeV: 'GeV', p_mu1_cm_GeV: 'GeV', p_mu2_cm_GeV: 'GeV', p_trk1_cm_GeV: 'GeV', p_trk2_cm_GeV: 'GeV',
  m_trk_GeV: 'GeV', cos_recoil_trk_cm: '1', pt_4trk_cm_GeV: 'GeV', cos_mumu_cm: '1',
  // 3x1 topology (tau -> l alpha): one track opposite to the other three
  is_3x1: '0/1', lep_kind: 'code (0 none, 1 e, 2 mu-identified, 3 other)', p_lep_cm_GeV: 'GeV', E_lep_pseudo_GeV: 'GeV', cos_theta_lep_cm: '1', m_3prong_GeV: 'GeV', E_3prong_cm_GeV: 'GeV',
  truth_m_GeV: 'GeV',
};

export interface RecoTrack {
  kind: string;
  charge: number;
  /** Lab four-momentum (with the muon mass where identified as a muon). */
  p: P4;
  muId: boolean;
}

const cm = (p: P4): P4 => boost(p, 0, 0, -BETA_CM);
const cosBetween = (a: P4, b: P4) => (a[1] * b[1] + a[2] * b[2] + a[3] * b[3]) / Math.max(pabs(a) * pabs(b), 1e-300);

/** The fourtrack row of an event (tracks and photons in the lab, after the detector); accepted: exactly four tracks. */
export function reconstructFourTrack(tracks: readonly RecoTrack[], photons: readonly P4[], truth: Record<string, number>): { row: Record<string, number>; accepted: boolean } {
  const row: Record<string, number> = {};
  row.n_tracks = tracks.length;
  row.charge_sum = tracks.reduce((s, t) => s + t.charge, 0);
  row.n_mu_id = tracks.filter((t) => t.muId).length;
  row.n_gamma = photons.length;
  row.E_extra_GeV = photons.reduce((s, g) => s + g[0], 0);
  row.truth_m_GeV = truth.truth_m_X_GeV ?? truth.truth_m_alpha_GeV ?? 0;
  if (tracks.length !== 4) return { row, accepted: false };
  const all = tracks.reduce((s, t) => plus(s, t.p), [0, 0, 0, 0] as P4);
  row.m_4trk_GeV = mass(all);
  const c = tracks.map((t) => cm(t.p));
  row.pt_4trk_cm_GeV = Math.hypot(cm(all)[1], cm(all)[2]);
  // mu mu pair
  let best: [number, number] | null = null, bestP = -1;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
    if (tracks[i].charge > 0 && tracks[j].charge < 0 && tracks[i].muId && tracks[j].muId && pabs(c[i]) + pabs(c[j]) > bestP) (best = [i, j]), (bestP = pabs(c[i]) + pabs(c[j]));
  }
  row.has_mumu = best ? 1 : 0;
  row.m_recoil_GeV = -1;
  if (best) {
    const [i, j] = best;
    const others = [0, 1, 2, 3].filter((k) => k !== i && k !== j);
    const pair = plus(tracks[i].p, tracks[j].p), rest = plus(tracks[others[0]].p, tracks[others[1]].p);
    row.m_mumu_GeV = mass(pair);
    const rec = minus(P_INIT_LAB, pair);
    const r2 = rec[0] ** 2 - rec[1] ** 2 - rec[2] ** 2 - rec[3] ** 2;
    row.m_recoil_GeV = r2 > 0 ? Math.sqrt(r2) : -1;
    const [p1, p2] = [pabs(c[i]), pabs(c[j])].sort((x, y) => y - x);
    row.p_mu1_cm_GeV = p1;
    row.p_mu2_cm_GeV = p2;
    const [q1, q2] = [pabs(c[others[0]]), pabs(c[others[1]])].sort((x, y) => y - x);
    row.p_trk1_cm_GeV = q1;
    row.p_trk2_cm_GeV = q2;
    row.m_trk_GeV = mass(rest);
    row.cos_recoil_trk_cm = cosBetween(cm(rec), cm(rest));
    row.cos_mumu_cm = cosBetween(c[i], c[j]);
  }
  // 3x1: the track whose direction is opposite (cos < 0 in the CM) to each of the other three
  let lone = -1, nLone = 0;
  for (let i = 0; i < 4; i++) {
    if ([0, 1, 2, 3].every((k) => k === i || cosBetween(c[i], c[k]) < 0)) (lone = i), nLone++;
  }
  row.is_3x1 = nLone === 1 ? 1 : 0;
  row.lep_kind = 0;
  if (nLone === 1) {
    const t = tracks[lone];
    const three = [0, 1, 2, 3].filter((k) => k !== lone).reduce((s, k) => plus(s, c[k]), [0, 0, 0, 0] as P4);
    const q = three.slice(1).reduce((s, v) => s + v * v, 0) ** 0.5;
    // Electrons are identified perfectly (illustrative); muons by the KLM model of detector.ts.
    row.lep_kind = t.kind === 'e' ? 1 : t.muId ? 2 : 3;
    const ml = t.kind === 'e' ? M_E : M_MU;
    const l = c[lone];
    const lp = [Math.sqrt(pabs(l) ** 2 + ml * ml), l[1], l[2], l[3]] as P4;
    row.p_lep_cm_GeV = pabs(l);
    row.cos_theta_lep_cm = l[3] / Math.max(pabs(l), 1e-300);
    row.m_3prong_GeV = mass(three);
    row.E_3prong_cm_GeV = three[0];
    // pseudo-rest frame: tau along -(3-prong direction), E_tau = sqrt(s)/2 (PRL 130 (2023) 181803)
    const pt = Math.sqrt(S / 4 - M_TAU * M_TAU), b = pt / (SQRT_S / 2);
    // the tau moves along -three: into its rest frame with the opposite velocity, +b along three
    row.E_lep_pseudo_GeV = boost(lp, (three[1] / q) * b, (three[2] / q) * b, (three[3] / q) * b)[0];
  }
  return { row, accepted: true };
}

