// Asymptotic CLs and discovery significance from q~_mu and q_0 with the Asimov data set:
// Cowan, Cranmer, Gross, Vitells, "Asymptotic formulae for likelihood-based tests of new
// physics", Eur. Phys. J. C 71 (2011) 1554, arXiv:1007.1727. Conventions as pyhf's
// AsymptoticCalculator (expected set ordered [-2s, -1s, median, +1s, +2s], ascending CLs).
import { asimov, makeModel, q0, qTilde, type CountingModel, type Model } from './model.js';
import { bracketRoot, normCdf, normSf } from './special.js';

export interface HypoTest {
  readonly mu: number;
  readonly cls: number;
  readonly clsb: number;
  readonly clb: number;
  /** Expected CLs at the -2, -1, 0, +1, +2 sigma points of the background-only distribution. */
  readonly expected: [number, number, number, number, number];
  readonly qObs: number;
  readonly qAsimov: number;
}

/** The five band points N: CLs_exp(N) = Phi(-(N + sqrt q_A)) / Phi(-N), N = 2, 1, 0, -1, -2. */
export const BAND_N = [2, 1, 0, -1, -2] as const;

/** p-values from sqrt(q~) and sqrt(q~_A): arXiv:1007.1727 eqs. (65)-(66) (q~ <= q_A and q~ > q_A). */
export function clsFromQ(q: number, qA: number): { clsb: number; clb: number; cls: number } {
  const sq = Math.sqrt(Math.max(q, 0)), sA = Math.sqrt(Math.max(qA, 0));
  let clsb: number, clb: number;
  if (sq <= sA || sA === 0) {
    clsb = normSf(sq); // eq. (65): p_mu = 1 - Phi(sqrt q~)
    clb = normCdf(sA - sq); // 1 - p_b, p_b = 1 - Phi(sqrt q_A - sqrt q~)
  } else {
    clsb = normSf((q + qA) / (2 * sA)); // eq. (66)
    clb = normSf((q - qA) / (2 * sA));
  }
  return { clsb, clb, cls: clb > 0 ? clsb / clb : 1 };
}

export function expectedCls(qA: number): [number, number, number, number, number] {
  const sA = Math.sqrt(Math.max(qA, 0));
  return BAND_N.map((N) => normSf(N + sA) / normSf(N)) as [number, number, number, number, number];
}

/** CLs, CLs+b, CLb and the expected set at signal strength mu (asymptotic). */
export function hypotestAsymptotic(model: CountingModel | Model, mu = 1): HypoTest {
  const m = 'kind' in model ? model : makeModel(model);
  const qObs = qTilde(m, mu);
  const A = asimov(m, 0);
  const qA = qTilde(m, mu, A.n, A.aux);
  const r = clsFromQ(qObs, qA);
  return { mu, ...r, expected: expectedCls(qA), qObs, qAsimov: qA };
}

export interface UpperLimit {
  readonly upper: number;
  /** Expected upper limits [-2s, -1s, median, +1s, +2s] (ascending), or null. */
  readonly expected: [number, number, number, number, number] | null;
}

/** A scale for bracketing mu: a few standard deviations of n over s_ref. */
export function muScale(m: Model): number {
  return (m.n + m.b + 3 * Math.sqrt(m.n + m.b + m.sigmaB ** 2) + m.sigmaB + 3) / m.sRef;
}

/** Asymptotic CLs upper limit on mu at confidence level cl (observed and expected bands). */
export function upperLimitAsymptotic(model: CountingModel | Model, cl = 0.95): UpperLimit {
  const m = 'kind' in model ? model : makeModel(model);
  if (!(cl > 0 && cl < 1)) throw new RangeError(`cl must be in (0, 1), got ${cl}`);
  const alpha = 1 - cl;
  const A = asimov(m, 0);
  const lo = 1e-9 / m.sRef, hi = muScale(m);
  const upper = bracketRoot((mu) => clsFromQ(qTilde(m, mu), qTilde(m, mu, A.n, A.aux)).cls - alpha, lo, hi, 1e9, 1e-10);
  const expected = BAND_N.map((N) =>
    bracketRoot((mu) => {
      const sA = Math.sqrt(qTilde(m, mu, A.n, A.aux));
      return normSf(N + sA) / normSf(N) - alpha;
    }, lo, hi, 1e9, 1e-10),
  ) as [number, number, number, number, number];
  return { upper, expected };
}

/** Discovery: p0 = 1 - Phi(sqrt q_0), Z = sqrt q_0 (arXiv:1007.1727 eqs. (52)-(53)). */
export function discoveryAsymptotic(model: CountingModel | Model): { p0: number; z: number; q0: number } {
  const m = 'kind' in model ? model : makeModel(model);
  const q = q0(m);
  const z = Math.sqrt(q);
  return { p0: normSf(z), z, q0: q };
}
