// Translation of cross-section upper limits into couplings, one per search. Every model here has
// sigma = coupling^p x sigma(coupling = 1) at fixed mass, so coupling_UL = (sigma_UL / sigma(1))^(1/p).
// Whether sigma(1) is a cited formula or an illustrative estimate is recorded in `illustrative`
// and copied into every result.
import { getProcess, resolveParams } from '../generate/index.js';
import { S, SQRT_S } from '../generate/physics.js';
import { M_MU } from '../generate/lorentz.js';
import { BRANCHING_SOURCES, zPrimeBranchingFractions, type ZPrimeChannel } from '../generate/branching.js';

export interface Coupling {
  /** Result field / HEPData name, e.g. 'g_prime'. */
  readonly name: string;
  /** For plots, e.g. "g'". */
  readonly symbol: string;
  /** Units of the coupling ('' when dimensionless). */
  readonly units: string;
  /** sigma is proportional to coupling^power. */
  readonly power: number;
  /** Cross section (fb) of the searched final state at coupling = 1 and mass m (GeV; a second mass for two-mass models); NaN outside the model's range. */
  sigmaAtUnitFb(mGeV: number, m2GeV?: number): number;
  readonly formula: string;
  readonly source: string;
  readonly illustrative: boolean;
}

/** coupling_UL = (sigma_UL / sigma(1))^(1/power) at the masses (GeV); null when either is missing or not positive. */
export function couplingLimit(c: Coupling, masses: number | readonly number[], sigmaUpFb: number | null): number | null {
  return couplingLimitsAt(c, masses)(sigmaUpFb);
}

/** couplingLimit at fixed masses for several limits (observed and expected): sigma(1) computed once. */
export function couplingLimitsAt(c: Coupling, masses: number | readonly number[]): (sigmaUpFb: number | null) => number | null {
  let s1: number | undefined;
  return (sigmaUpFb) => {
    if (sigmaUpFb === null || !(sigmaUpFb > 0)) return null;
    if (s1 === undefined) {
      const m = typeof masses === 'number' ? [masses] : masses;
      s1 = c.sigmaAtUnitFb(m[0], m[1]);
    }
    if (!(s1 > 0) || !Number.isFinite(s1)) return null;
    return (sigmaUpFb / s1) ** (1 / c.power);
  };
}

/** sigma(e+e- -> mu+ mu-(gamma)) at sqrt(s) = 10.58 GeV, fb: 1.148 nb (Belle II Physics Book, PTEP 2019 123C01, Table 4). */
export const SIGMA_MUMU_FB = 1.148e6;

/**
 * L_mu - L_tau Z' radiated from the final-state muons of e+e- -> mu+ mu-, times B(Z' -> the searched
 * final state) of the model (engine/generate/branching.ts: mu mu, tau tau, nu nu widths; Bauer,
 * Foldenauer, Jaeckel, JHEP 07 (2018) 094). The production cross section is an ILLUSTRATIVE estimate
 * (no closed form exists; Belle II, PRL 124 (2020) 141801 and PRL 130 (2023) 231801, compute it with
 * MadGraph): the leading soft-collinear double logarithm of vector emission off a fermion pair with
 * the vector mass as cut-off (Sudakov form, cf. Peskin & Schroeder sec. 6.4),
 * sigma(g') = sigma_mumu x (alpha'/(2 pi)) ln^2(s/M^2) (1 - M^2/s)^2, alpha' = g'^2/(4 pi). It is
 * proportional to g'^2, which is all the translation g'_UL = sqrt(sigma_UL / sigma(g' = 1)) uses;
 * the M dependence and normalisation are only indicative.
 */
function zPrimeCoupling(channel: ZPrimeChannel): Coupling {
  return {
    name: 'g_prime',
    symbol: "g'",
    units: '',
    power: 2,
    sigmaAtUnitFb(m) {
      if (!(m > 0 && m < SQRT_S - 2 * M_MU)) return NaN;
      const alphaPrime = 1 / (4 * Math.PI);
      return SIGMA_MUMU_FB * (alphaPrime / (2 * Math.PI)) * Math.log(S / (m * m)) ** 2 * (1 - (m * m) / S) ** 2 * zPrimeBranchingFractions(m)[channel];
    },
    formula: `sigma(g') = sigma_mumu (g'^2 / (8 pi^2)) ln^2(s/M^2) (1 - M^2/s)^2 x B(Z' -> ${channel}), sigma_mumu = 1.148 nb; g'_UL = sqrt(sigma_UL / sigma(g' = 1))`,
    source: `illustrative leading double-log estimate (Sudakov form, Peskin & Schroeder sec. 6.4); Belle II PRL 124 (2020) 141801 uses MadGraph; sigma_mumu from the Belle II Physics Book Table 4; ${BRANCHING_SOURCES.zprime}`,
    illustrative: true,
  };
}
export const ZPRIME_G_INVISIBLE = zPrimeCoupling('invisible');
export const ZPRIME_G_MUMU = zPrimeCoupling('mumu');
export const ZPRIME_G_TAUTAU = zPrimeCoupling('tautau');

/**
 * Invisible dark photon, e+e- -> gamma A', sigma proportional to epsilon^2: the generator's own
 * definition (engine/generate processes.ts gamma_aprime_inv: 2 eps^2 (1 - M^2/s) x QED sigma(gamma
 * gamma) in the same angular cut, massless-A' limit), marked illustrative there and here.
 */
export const DARK_PHOTON_EPS: Coupling = {
  name: 'epsilon',
  symbol: 'ε',
  units: '',
  power: 2,
  sigmaAtUnitFb(m) {
    const proc = getProcess('gamma_aprime_inv');
    try {
      return proc.sigmaFb(resolveParams(proc, { mA: m, eps: 1 }));
    } catch {
      return NaN;
    }
  },
  formula: 'sigma(eps) = eps^2 x sigma(eps = 1) with sigma(eps = 1) = 2 (1 - M^2/s) sigma_QED(e+e- -> gamma gamma, |cos theta*| < cos 10 deg); eps_UL = sqrt(sigma_UL / sigma(eps = 1))',
  source: 'engine/generate gamma_aprime_inv (illustrative, massless-A\' limit of e+e- -> gamma A\')',
  illustrative: true,
};

/**
 * ALP coupling to photons: sigma(e+e- -> gamma a) = alpha g_agg^2 / 24 (1 - m_a^2/s)^3 (Dolan, Ferber,
 * Hearty, Kahlhoefer, Schmidt-Hoberg, JHEP 12 (2017) 094, eq. 2.3 with B(a -> gamma gamma) = 1),
 * the generator's gamma_alp cross section; g_UL = sqrt(sigma_UL / sigma(g = 1 GeV^-1)).
 */
export const ALP_G: Coupling = {
  name: 'g_agammagamma_GeV-1',
  symbol: 'g_aγγ',
  units: 'GeV^-1',
  power: 2,
  sigmaAtUnitFb(m) {
    const proc = getProcess('gamma_alp');
    try {
      return proc.sigmaFb(resolveParams(proc, { ma: m, gagg: 1 }));
    } catch {
      return NaN;
    }
  },
  formula: 'sigma = alpha g_agg^2 (1 - m_a^2/s)^3 / 24 (B(a -> gamma gamma) = 1); g_UL = sqrt(sigma_UL / sigma(g = 1 GeV^-1))',
  source: 'Dolan et al., JHEP 12 (2017) 094 (photon coupling only, Born level), as in engine/generate gamma_alp',
  illustrative: false,
};

/**
 * Dark Higgsstrahlung: sigma proportional to epsilon^2 alpha_D (power 1), the generator's darkhiggs
 * cross section (Batell, Pospelov, Ritz PRD 79 (2009) 115008 normalisation, illustrative) with
 * B(A' -> mu mu) from the R ratio; a function of (M_A', M_h').
 */
export const DARKHIGGS_EPS2ALPHAD: Coupling = {
  name: 'eps2_alphaD',
  symbol: 'ε²α_D',
  units: '',
  power: 1,
  sigmaAtUnitFb(mA: number, mh = 0): number {
    const proc = getProcess('darkhiggs');
    try {
      return proc.sigmaFb(resolveParams(proc, { mA, mh: Math.max(mh, 1e-3), eps2alphaD: 1 }));
    } catch {
      return NaN;
    }
  },
  formula: "sigma(e+e- -> A'h', A' -> mu mu) = eps^2 alpha_D x sigma(eps^2 alpha_D = 1), B(A' -> mu mu) from the R ratio included; limit = sigma_UL / sigma(1)",
  source: getProcess('darkhiggs').sigmaSource,
  illustrative: true,
};
