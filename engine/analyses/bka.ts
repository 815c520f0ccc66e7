// B -> K(*) a, a -> gamma gamma (Belle, JHEP 12 (2025) 109, arXiv:2507.01249: 711 fb^-1, 772e6 B Bbar,
// 90% CL; modes B+ -> K+, B0 -> K0S, B0 -> K*0, B+ -> K*+): a scan of M_gamma gamma in K(*) gamma gamma
// candidates with the B reconstructed (M_bc, Delta E), limits on B(B -> K(*) a) x B(a -> gamma gamma)
// and on the ALP-W coupling g_aW. Definitions for the one pipeline (search.ts), registered in searches.ts.
import { B_MODES, bPerFb, type BMode } from '../generate/bmeson.js';
import { HIGGS_MIXED_SCALAR, a0BtoKstar } from '../llp/limits.js';
import type { Coupling } from './couplings.js';

const G_F = 1.1663788e-5, M_W = 80.3692, M_T = 172.57, VTB_VTS = 0.0411, HBAR_GeV_s = 6.582119569e-25; // PDG 2024

/**
 * B(B -> K(*) a) / g_aW^2 (g_aW in GeV^-1), the W loop of an ALP coupled to SU(2) gauge bosons
 * (Izaguirre, Lin, Shuve, PRL 118 (2017) 111802, eqs. 3-4):
 * K:  Gamma = mB^3 |g_abs|^2 / (64 pi) (1 - mK^2/mB^2)^2 f0(ma^2)^2 lambda^(1/2)(1, mK^2/mB^2, ma^2/mB^2),
 * K*: Gamma = mB^3 |g_abs|^2 / (64 pi) A0(ma^2)^2 lambda^(3/2)(1, mK*^2/mB^2, ma^2/mB^2),
 * g_abs = 3 sqrt2 G_F mW^2 g_aW / (16 pi^2) |Vtb Vts*| f(mt^2/mW^2), f(x) = x (1 + x (ln x - 1)) / (1 - x)^2
 * (the charm term is negligible); f0 of Ball & Zwicky PRD 71 (2005) 014015, A0 of PRD 71 (2005) 014029
 * (engine/llp/limits.ts). Default: B+ -> K+ a.
 */
export function brBtoKaPerGaw2(ma: number, mode: BMode = B_MODES[0]): number {
  if (!(ma >= 0 && ma < mode.mB - mode.mK)) return NaN;
  const x = (M_T * M_T) / (M_W * M_W);
  const f = (x * (1 + x * (Math.log(x) - 1))) / (1 - x) ** 2;
  const gabs = ((3 * Math.SQRT2 * G_F * M_W * M_W) / (16 * Math.PI * Math.PI)) * VTB_VTS * f;
  const rK = (mode.mK * mode.mK) / (mode.mB * mode.mB), ra = (ma * ma) / (mode.mB * mode.mB);
  const lam = Math.max(0, 1 + rK * rK + ra * ra - 2 * (rK + ra + rK * ra));
  const had = mode.spin === 'P' ? (1 - rK) ** 2 * HIGGS_MIXED_SCALAR.f0(ma * ma) ** 2 * Math.sqrt(lam) : a0BtoKstar(ma * ma) ** 2 * lam ** 1.5;
  const width = ((mode.mB ** 3 * gabs * gabs) / (64 * Math.PI)) * had;
  return width / (HBAR_GeV_s / mode.tauB_s);
}

/** g_aW from the cross section of e+e- -> B Bbar, B -> K(*) a, a -> gamma gamma (B(a -> gamma gamma) = 1 assumed). */
export function alpGaw(mode: BMode): Coupling {
  return {
    name: 'g_aW',
    symbol: 'g_aW',
    units: 'GeV^-1',
    power: 2,
    sigmaAtUnitFb: (ma) => bPerFb(mode) * brBtoKaPerGaw2(ma, mode),
    formula: `sigma = 2 sigma_BB f x B(${mode.decay}) x B(${mode.b} -> ${mode.key} a)(g_aW) x B(a -> gamma gamma), B(B -> K(*) a) proportional to g_aW^2, B(a -> gamma gamma) = 1; g_UL = sqrt(sigma_UL / sigma(g_aW = 1 GeV^-1))`,
    source: 'Izaguirre, Lin, Shuve, PRL 118 (2017) 111802 (W loop, eqs. 3-4), f0 / A0 of Ball & Zwicky PRD 71 (2005) 014015 / 014029; sigma_BB = 1.05 nb, f+- = 0.514, f00 = 0.486',
    illustrative: false,
  };
}
export const ALP_G_AW = alpGaw(B_MODES[0]);

/** M_gamma gamma resolution of the fast simulation (robust width of B+ -> K+ a signal, seed 1, 4000 events per mass): sqrt(0.0068^2 + (0.0106 M)^2) GeV. */
export const SIGMA_MGG_B = (m: number) => Math.hypot(0.0068, 0.0106 * m);

/** Search names per mode (B_MODES order) and their stable ids (folded into the random key). */
export const B_K_ALP_NAMES = ['b-k-alp-gammagamma', 'b-k0s-alp-gammagamma', 'b-kstar0-alp-gammagamma', 'b-kstarplus-alp-gammagamma'] as const;
const IDS = [1603, 1604, 1605, 1606];

/** The search of one kaon mode as the 1D bump-hunt spec of searches.ts (search1D). */
export function bKAlpSpec(modeIndex: number) {
  const mode = B_MODES[modeIndex], vector = mode.spin === 'V';
  const mMax = vector ? 4.2 : 4.5; // the paper's scan ranges: 0.16-4.50 GeV (K modes), 0.16-4.20 GeV (K* modes)
  const sel = `${mode.b} -> ${mode.key} a`;
  return {
    name: B_K_ALP_NAMES[modeIndex],
    id: IDS[modeIndex],
    title: `${sel}, a -> gamma gamma: peak in M_gamma gamma of ${mode.key} gamma gamma candidates with the B reconstructed (M_bc, Delta E)`,
    reaction: `${mode.b.toUpperCase()} --> ${mode.key.toUpperCase()} A, A --> GAMMA GAMMA`,
    limitName: `sigma(e+e- -> B Bbar, ${sel}, ${mode.decay === mode.key ? '' : `${mode.decay}, `}a -> gamma gamma)`,
    paper: { lumiFb: 711, cl: 0.9, method: 'cls-asymptotic' as const, source: `Belle, JHEP 12 (2025) 109, arXiv:2507.01249 (711 fb^-1, 772e6 B Bbar pairs, 90% CL; ${sel} here)` },
    signal: { process: 'b_ka_gg', massParam: 'ma', params: { mode: modeIndex } },
    eventColumns: ['n_gamma', 'n_tracks', 'Mbc_GeV', 'DeltaE_GeV', 'm_gg_GeV', 'm_K_GeV', 'E_g1_GeV', 'E_g2_GeV'],
    selection: {
      tracks: `the ${mode.key} candidate (${mode.decay}; every track of it reconstructed; particle identification is not simulated)`,
      ...(vector ? { m_K_GeV: `|M(${mode.decay.split(',')[0].split('-> ')[1]}) - ${mode.mK}| < 0.075 GeV` } : {}),
      n_gamma: 'two photon candidates (E > the ECL threshold), the a -> gamma gamma pair',
      Mbc_GeV: 'M_bc = sqrt(s/4 - p*_B^2) > 5.27 GeV',
      DeltaE_GeV: '-0.15 < Delta E = E*_B - sqrt(s)/2 < 0.10 GeV',
      note: 'simplified from the paper: no continuum-suppression BDT and no pi0 / eta veto (B -> K(*) pi0 and K(*) eta are simulated backgrounds, so windows there have the peaks in b)',
    },
    select(c: Readonly<Record<string, ArrayLike<number>>>, n: number): Uint8Array {
      const m = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        m[i] = c.n_gamma[i] === 2 && c.Mbc_GeV[i] > 5.27 && c.DeltaE_GeV[i] > -0.15 && c.DeltaE_GeV[i] < 0.1 && (!vector || Math.abs(c.m_K_GeV[i] - mode.mK) < 0.075) ? 1 : 0;
      }
      return m;
    },
    variable: 'm_gg_GeV',
    variableLabel: 'M_γγ [GeV]',
    grid: { min: 0.16, max: mMax, sigma: SIGMA_MGG_B, sigmaDoc: 'sigma(M_gg) = sqrt(0.0068^2 + (0.0106 M)^2) [GeV] (fit to the fast simulation, K+ mode)' },
    massName: 'm_a',
    signalMasses: [0.16, 0.3, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 3.5, 4, mMax],
    backgrounds: [
      { name: 'b_kgg_comb', params: { mode: modeIndex }, note: `combinatorial ${mode.key} gamma gamma from continuum and generic B decays (ILLUSTRATIVE shape and rate)` },
      { name: 'b_kpi0', params: { mode: modeIndex }, note: `${mode.b} -> ${mode.key} pi0, pi0 -> gamma gamma (PDG 2024): peaks at 0.135 GeV` },
      { name: 'b_keta', params: { mode: modeIndex }, note: `${mode.b} -> ${mode.key} eta, eta -> gamma gamma (PDG 2024): peaks at 0.548 GeV` },
    ],
    coupling: alpGaw(mode),
    branchingFraction: {
      name: `B(${sel}) x B(a -> gamma gamma)`, symbol: `B(${mode.b} → ${mode.key} a) × B(a → γγ)`, fbPerUnit: bPerFb(mode),
      source: `B = sigma / (2 sigma_BB f B(${mode.decay})), sigma_BB = 1.05 nb (Belle II Physics Book), f = ${mode.f} (PDG 2024): 747e6 B Bbar at 711 fb^-1 against the paper's 772e6`,
    },
    notes: [
      `One mode of the paper (${sel}); the other B of the event is not simulated; the kaon system is generated at its pole mass.`,
      'The combinatorial background (b_kgg_comb) is an illustrative shape and rate, not Belle\'s continuum and generic-B simulation; with no continuum suppression and perfect particle identification the signal efficiency is far above the paper\'s.',
      'M_bc resolution (~1.3 MeV) has no beam-energy spread.',
    ],
  };
}
