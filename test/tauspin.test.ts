// Polarized tau decays and the tau+ tau- spin correlation of the `tautau` process's f64 definition
// (physics.ts, test/f64-tautau.ts; the gen_tautau kernel against it: test/gen-tautau.test.ts): the decay angle to the flight direction follows the tau's helicity, and the two
// charged daughters' energies are correlated as the helicity structure of e+e- -> gamma* -> tau+ tau-
// requires (Tsai, PRD 4 (1971) 2821): pi pi and mu mu positively, mu pi negatively.
import { describe, expect, it } from 'vitest';
import { tauToLeptonNuNu, tauToPiNu } from '../engine/generate/physics.js';
import { f64Tautau } from './f64-tautau.js';
import { boost, M_MU, M_TAU, p4, pabs, type P4 } from '../engine/generate/lorentz.js';
import { EventRandom } from '../engine/generate/rng.js';
import { key } from '../engine/random.js';

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const corr = (x: number[], y: number[]) => {
  const mx = mean(x), my = mean(y);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < x.length; i++) (sxy += (x[i] - mx) * (y[i] - my)), (sxx += (x[i] - mx) ** 2), (syy += (y[i] - my) ** 2);
  return sxy / Math.sqrt(sxx * syy);
};

// A tau flying along an oblique direction (so the helicity axis is not a coordinate axis).
const TAU: P4 = p4(M_TAU, 1.9, -2.7, 3.6);
/** cos of a daughter's angle to the tau flight direction, in the tau rest frame. */
function cosToFlight(d: P4): number {
  const r = boost(d, -TAU[1] / TAU[0], -TAU[2] / TAU[0], -TAU[3] / TAU[0]);
  return (r[1] * TAU[1] + r[2] * TAU[2] + r[3] * TAU[3]) / (pabs(r) * pabs(TAU));
}

describe('polarized tau decays', () => {
  const N = 40_000;
  it('tau -> pi nu: <cos> = +-pol / 3 for tau-+ (pion along the tau- spin), 0 unpolarized; the two-body momentum', () => {
    const rng = new EventRandom(key(3, 501));
    for (const [pol, charge, want] of [[1, -1, 1 / 3], [1, 1, -1 / 3], [-1, -1, -1 / 3], [0.5, -1, 1 / 6], [0, -1, 0]] as const) {
      const cs: number[] = [];
      for (let i = 0; i < N; i++) {
        const [pi, nu] = tauToPiNu(rng.start(i), TAU, pol, charge);
        cs.push(cosToFlight(pi));
        if (i < 50) for (let k = 0; k < 4; k++) expect(pi[k] + nu[k]).toBeCloseTo(TAU[k], 9);
      }
      // sigma(<cos>) <= sqrt(1/3 / N) = 0.0029
      expect(Math.abs(mean(cs) - want)).toBeLessThan(0.012);
    }
  });
  it('tau -> mu nu nu: <cos> = -+pol / 9 for tau-+ (the hard lepton opposite to the tau- spin), the Michel <x> unchanged', () => {
    const rng = new EventRandom(key(3, 502));
    const emax = (M_TAU * M_TAU + M_MU * M_MU) / (2 * M_TAU);
    for (const [pol, charge, want] of [[1, -1, -1 / 9], [1, 1, 1 / 9], [-1, 1, -1 / 9], [0, 1, 0]] as const) {
      const cs: number[] = [], xs: number[] = [];
      for (let i = 0; i < N; i++) {
        const [mu, nn] = tauToLeptonNuNu(rng.start(i), TAU, M_MU, pol, charge);
        cs.push(cosToFlight(mu));
        xs.push(boost(mu, -TAU[1] / TAU[0], -TAU[2] / TAU[0], -TAU[3] / TAU[0])[0] / emax);
        if (i < 50) for (let k = 0; k < 4; k++) expect(mu[k] + nn[k]).toBeCloseTo(TAU[k], 9);
      }
      expect(Math.abs(mean(cs) - want)).toBeLessThan(0.012);
      // <x> of x^2 (3 - 2x) on [0, 1] is 0.7 (x > m_mu / E_max cut: +0.0001)
      expect(Math.abs(mean(xs) - 0.7)).toBeLessThan(0.005);
    }
  });
});

describe('tautau: tau+ tau- spin correlation', () => {
  it('charged daughters: CM energies correlated positively in pi pi and mu mu, negatively in mu pi', () => {
    const gen = f64Tautau(), rng = new EventRandom(key(4, 503)); // the f64 definition (the kernel's: test/gen-tautau.test.ts)
    const e: Record<string, [number[], number[]]> = { pipi: [[], []], mumu: [[], []], mupi: [[], []] };
    for (let i = 0; i < 80_000; i++) {
      const ev = gen(rng.start(i), { isr: 0, decayStratum: 0 });
      const [a, b] = ev.particles; // tau- then tau+ daughter
      const k = a.kind === 'pi' && b.kind === 'pi' ? 'pipi' : a.kind === 'mu' && b.kind === 'mu' ? 'mumu' : 'mupi';
      // mu pi: the muon's energy first, whichever tau it came from
      const [x, y] = k === 'mupi' && a.kind === 'pi' ? [b, a] : [a, b];
      e[k][0].push(x.p[0]);
      e[k][1].push(y.p[0]);
      expect(a.charge).toBe(-1);
      expect(b.charge).toBe(1);
    }
    // Without ISR E = gamma (E* + beta p* cos): corr(E1, E2) = corr(cos1, cos2). pi pi: <a1 a2> (1/3)^2 / (1/3)
    // with a1 a2 = 1 for opposite helicities, -1 for the (1 - beta^2) sin^2 part (~5%): ~0.30. mu pi: -(1/3)(1/9) / ... < 0.
    const c = Object.fromEntries(Object.entries(e).map(([k, [x, y]]) => [k, corr(x, y)]));
    expect(e.pipi[0].length).toBeGreaterThan(8000); // (0.1082 / 0.2821)^2 of 80 000
    expect(c.pipi).toBeGreaterThan(0.24);
    expect(c.pipi).toBeLessThan(0.36);
    expect(c.mumu).toBeGreaterThan(0.02);
    expect(c.mupi).toBeLessThan(-0.02);
  });
});
