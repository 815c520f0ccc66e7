// B+ -> K+ a, a -> gamma gamma (Belle, JHEP 12 (2025) 109, arXiv:2507.01249: 711 fb^-1, 772e6 B Bbar,
// 90% CL): a scan of M_gamma gamma in K+ gamma gamma candidates with the B reconstructed (M_bc,
// Delta E), limits on B(B+ -> K+ a) x B(a -> gamma gamma) and on the ALP-W coupling g_aW.
// The definition for the one pipeline (search.ts), registered in searches.ts.
import { M_B, M_K } from '../generate/lorentz.js';
import { CHARGED_B_PER_FB } from '../generate/bmeson.js';
import { HIGGS_MIXED_SCALAR } from '../llp/limits.js';
import type { Coupling } from './couplings.js';

const G_F = 1.1663788e-5, M_W = 80.3692, M_T = 172.57, VTB_VTS = 0.0411, TAU_BPLUS_S = 1.638e-12, HBAR_GeV_s = 6.582119569e-25; // PDG 2024

/**
 * B(B+ -> K+ a) / g_aW^2 (g_aW in GeV^-1), the W loop of an ALP coupled to SU(2) gauge bosons
 * (Izaguirre, Lin, Shuve, PRL 118 (2017) 111802, eqs. 3-4):
 * Gamma = mB^3 |g_abs|^2 / (64 pi) (1 - mK^2/mB^2)^2 f0(ma^2)^2 lambda^(1/2)(1, mK^2/mB^2, ma^2/mB^2),
 * g_abs = 3 sqrt2 G_F mW^2 g_aW / (16 pi^2) |Vtb Vts*| f(mt^2/mW^2), f(x) = x (1 + x (ln x - 1)) / (1 - x)^2
 * (the charm term is negligible); f0 of Ball & Zwicky PRD 71 (2005) 014015 (engine/llp/limits.ts).
 */
export function brBtoKaPerGaw2(ma: number): number {
  if (!(ma >= 0 && ma < M_B - M_K)) return NaN;
  const x = (M_T * M_T) / (M_W * M_W);
  const f = (x * (1 + x * (Math.log(x) - 1))) / (1 - x) ** 2;
  const gabs = ((3 * Math.SQRT2 * G_F * M_W * M_W) / (16 * Math.PI * Math.PI)) * VTB_VTS * f;
  const rK = (M_K * M_K) / (M_B * M_B), ra = (ma * ma) / (M_B * M_B);
  const lam = Math.max(0, 1 + rK * rK + ra * ra - 2 * (rK + ra + rK * ra));
  const width = ((M_B ** 3 * gabs * gabs) / (64 * Math.PI)) * (1 - rK) ** 2 * HIGGS_MIXED_SCALAR.f0(ma * ma) ** 2 * Math.sqrt(lam);
  return width / (HBAR_GeV_s / TAU_BPLUS_S);
}

/** g_aW from the cross section of e+e- -> B Bbar, B+ -> K+ a, a -> gamma gamma (B(a -> gamma gamma) = 1 assumed). */
export const ALP_G_AW: Coupling = {
  name: 'g_aW',
  symbol: 'g_aW',
  units: 'GeV^-1',
  power: 2,
  sigmaAtUnitFb: (ma) => CHARGED_B_PER_FB * brBtoKaPerGaw2(ma),
  formula: 'sigma = 2 sigma_BB f+- x B(B+ -> K+ a)(g_aW) x B(a -> gamma gamma), B(B+ -> K+ a) proportional to g_aW^2, B(a -> gamma gamma) = 1; g_UL = sqrt(sigma_UL / sigma(g_aW = 1 GeV^-1))',
  source: 'Izaguirre, Lin, Shuve, PRL 118 (2017) 111802 (W loop, eqs. 3-4), f0 of Ball & Zwicky PRD 71 (2005) 014015; sigma_BB = 1.05 nb, f+- = 0.514',
  illustrative: false,
};

/** M_gamma gamma resolution of the fast simulation (robust width of B+ -> K+ a signal, seed 1, 4000 events per mass): sqrt(0.0068^2 + (0.0106 M)^2) GeV. */
export const SIGMA_MGG_B = (m: number) => Math.hypot(0.0068, 0.0106 * m);

/** The search as the 1D bump-hunt spec of searches.ts (search1D). */
export const B_K_ALP_SPEC = {
  name: 'b-k-alp-gammagamma' as const,
  id: 1603,
  title: 'B+ -> K+ a, a -> gamma gamma: peak in M_gamma gamma of K+ gamma gamma candidates with the B reconstructed (M_bc, Delta E)',
  reaction: 'B+ --> K+ A, A --> GAMMA GAMMA',
  limitName: "sigma(e+e- -> B Bbar, B+ -> K+ a, a -> gamma gamma)",
  paper: { lumiFb: 711, cl: 0.9, method: 'cls-asymptotic' as const, source: 'Belle, JHEP 12 (2025) 109, arXiv:2507.01249 (711 fb^-1, 772e6 B Bbar pairs, 90% CL; K+ mode here)' },
  signal: { process: 'b_ka_gg', massParam: 'ma' },
  eventColumns: ['n_gamma', 'n_tracks', 'Mbc_GeV', 'DeltaE_GeV', 'm_gg_GeV', 'E_g1_GeV', 'E_g2_GeV'],
  selection: {
    tracks: 'one K+ candidate (the B daughter; kaon identification is not simulated)',
    n_gamma: 'two photon candidates (E > the ECL threshold), the a -> gamma gamma pair',
    Mbc_GeV: 'M_bc = sqrt(s/4 - p*_B^2) > 5.27 GeV',
    DeltaE_GeV: '-0.15 < Delta E = E*_B - sqrt(s)/2 < 0.10 GeV',
    note: "simplified from the paper: no continuum-suppression BDT and no pi0 / eta veto (B+ -> K+ pi0 and K+ eta are simulated backgrounds, so windows there have the peaks in b)",
  },
  select(c: Readonly<Record<string, ArrayLike<number>>>, n: number): Uint8Array {
    const m = new Uint8Array(n);
    for (let i = 0; i < n; i++) m[i] = c.n_gamma[i] === 2 && c.Mbc_GeV[i] > 5.27 && c.DeltaE_GeV[i] > -0.15 && c.DeltaE_GeV[i] < 0.1 ? 1 : 0;
    return m;
  },
  variable: 'm_gg_GeV',
  variableLabel: 'M_γγ [GeV]',
  grid: { min: 0.16, max: 4.5, sigma: SIGMA_MGG_B, sigmaDoc: 'sigma(M_gg) = sqrt(0.0068^2 + (0.0106 M)^2) [GeV] (fit to the fast simulation)' },
  massName: 'm_a',
  signalMasses: [0.16, 0.3, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5],
  backgrounds: [
    { name: 'b_kgg_comb', note: 'combinatorial K+ gamma gamma from continuum and generic B decays (ILLUSTRATIVE shape and 60 fb rate)' },
    { name: 'b_kpi0', note: 'B+ -> K+ pi0, pi0 -> gamma gamma (PDG 2024): peaks at 0.135 GeV' },
    { name: 'b_keta', note: 'B+ -> K+ eta, eta -> gamma gamma (PDG 2024): peaks at 0.548 GeV' },
  ],
  coupling: ALP_G_AW,
  branchingFraction: { name: 'B(B+ -> K+ a) x B(a -> gamma gamma)', symbol: 'B(B+ → K+ a) × B(a → γγ)', fbPerUnit: CHARGED_B_PER_FB, source: 'B = sigma / (2 sigma_BB f+-), sigma_BB = 1.05 nb (Belle II Physics Book), f+- = 0.514 (PDG 2024): 747e6 B Bbar at 711 fb^-1 against the paper\'s 772e6' },
  notes: [
    'Only the B+ -> K+ a mode of the paper (K+, K0S, K*+, K*0) is simulated; the other B of the event is not simulated.',
    'The combinatorial background (b_kgg_comb) is an illustrative shape and rate, not Belle\'s continuum and generic-B simulation; with no continuum suppression and perfect kaon ID the signal efficiency (~0.8) is far above the paper\'s.',
    'M_bc resolution (~1.3 MeV) has no beam-energy spread.',
  ],
};
