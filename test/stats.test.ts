// engine/stats against published numbers (Poisson upper limits; Feldman & Cousins PRD 57 (1998) 3873 Table IV; Helene NIM 212 (1983) 319 for CLs with n) and scipy golden values
// (test/golden/make_stats_golden.py -> test/golden/stats.json; scipy is not needed here).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  bayesUpper, clsNUpper, discoveryAsymptotic, feldmanCousins, hypotestAsymptotic, makeModel, normCdf, normQuantile,
  poissonCdf, qTilde, upperLimitAsymptotic, type CountingModel, type UncertaintyModel,
} from '../engine/stats/index.js';

const golden = JSON.parse(readFileSync(new URL('./golden/stats.json', import.meta.url), 'utf8'));

interface PyModel { n: number; b: number; s_ref?: number; sigma_b?: number; kind?: string; eff_unc?: number }
const toModel = (m: PyModel): CountingModel => ({
  n: m.n, b: m.b, sRef: m.s_ref ?? 1, sigmaB: m.sigma_b ?? 0, uncertainty: (m.kind ?? 'none') as UncertaintyModel, effUnc: m.eff_unc ?? 0,
});
const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

describe('special functions', () => {
  it('normal CDF and quantile', () => {
    expect(normCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normCdf(-5)).toBeCloseTo(2.866515718791939e-7, 20);
    for (const p of [1e-10, 0.01, 0.3, 0.5, 0.9, 0.999999]) expect(normCdf(normQuantile(p)) / p).toBeCloseTo(1, 12);
  });
  it('Poisson CDF', () => {
    expect(poissonCdf(3, 2.5)).toBeCloseTo(0.7575761331330659, 14);
    expect(poissonCdf(0, 1)).toBeCloseTo(Math.exp(-1), 14);
  });
});

describe('published reference numbers', () => {
  it('classical Poisson upper limits, b = 0', () => {
    expect([0, 1, 2].map((n) => round(clsNUpper(n, 0, 0.9), 3))).toEqual([2.303, 3.89, 5.322]);
    expect([0, 1, 2].map((n) => round(clsNUpper(n, 0, 0.95), 3))).toEqual([2.996, 4.744, 6.296]);
  });
  it('Feldman-Cousins 1998 Table IV, b = 0, to the table digits', () => {
    const got = [0, 1, 2].map((n) => feldmanCousins(n, 0, 0.9)).map((r) => [round(r.lower, 2), round(r.upper, 2)]);
    expect(got).toEqual([[0, 2.44], [0.11, 4.36], [0.53, 5.91]]);
  });
  it('CLs with n as test statistic (Helene), b = 1, n = 1', () => {
    expect(round(clsNUpper(1, 1, 0.9), 3)).toBe(3.272);
    expect(round(clsNUpper(1, 1, 0.95), 3)).toBe(4.113);
  });
  it('Bayesian flat prior with known b equals CLs-n', () => {
    expect(bayesUpper({ n: 1, b: 1 }, 0.9)).toBeCloseTo(3.272, 3);
    expect(bayesUpper({ n: 4, b: 2.2 }, 0.95)).toBeCloseTo(clsNUpper(4, 2.2, 0.95), 9);
  });
});

describe('scipy golden values', () => {
  it('Poisson upper limits = chi2.ppf / 2', () => {
    for (const g of golden.poisson_upper) expect(clsNUpper(g.n, 0, g.cl)).toBeCloseTo(g.upper, 9);
  });
  it('CLs-n upper limits', () => {
    for (const g of golden.cls_n_upper) expect(clsNUpper(g.n, g.b, g.cl)).toBeCloseTo(g.upper, 8);
  });
  it('Bayesian upper limits with nuisances integrated (quadrature vs scipy quad: 1e-4 relative)', () => {
    for (const g of golden.bayes_upper) {
      const got = bayesUpper(toModel(g.model), g.cl);
      expect(Math.abs(got / g.upper - 1), JSON.stringify(g.model)).toBeLessThan(1e-4);
    }
  });
  it('Feldman-Cousins intervals (scipy on a 0.001 grid: agree to the grid step)', () => {
    for (const g of golden.fc) {
      const r = feldmanCousins(g.n, g.b, g.cl);
      expect(Math.abs(r.lower - g.lower), `n=${g.n} b=${g.b} lower`).toBeLessThanOrEqual(g.step);
      expect(Math.abs(r.upper - g.upper), `n=${g.n} b=${g.b} upper`).toBeLessThanOrEqual(g.step);
    }
  });
  it('asymptotic q~_mu CLs, expected set, upper limits and p0 to 1e-4', () => {
    for (const g of golden.asymptotic) {
      const m = toModel(g.model), what = JSON.stringify(g.model);
      const h = hypotestAsymptotic(m, 1);
      expect(Math.abs(h.cls - g.hypotest.cls), `${what} cls`).toBeLessThan(1e-4);
      expect(Math.abs(h.clsb - g.hypotest.clsb), `${what} clsb`).toBeLessThan(1e-4);
      expect(Math.abs(h.clb - g.hypotest.clb), `${what} clb`).toBeLessThan(1e-4);
      h.expected.forEach((v, i) => expect(Math.abs(v - g.hypotest.expected[i]), `${what} expected ${i}`).toBeLessThan(1e-4));
      const ul = upperLimitAsymptotic(m, 0.95);
      expect(Math.abs(ul.upper / g.upper95.upper - 1), `${what} upper`).toBeLessThan(1e-4);
      ul.expected!.forEach((v, i) => expect(Math.abs(v / g.upper95.expected[i] - 1), `${what} expected UL ${i}`).toBeLessThan(1e-4));
      const d = discoveryAsymptotic(m);
      expect(Math.abs(d.p0 - g.discovery.p0), `${what} p0`).toBeLessThan(1e-4);
      expect(Math.abs(d.z - g.discovery.z), `${what} z`).toBeLessThan(1e-4);
    }
  });
});

describe('model validation and limits of the test statistic', () => {
  it('rejects bad input with the field named', () => {
    expect(() => makeModel({ n: -1, b: 1 })).toThrow(/observed count n/);
    expect(() => makeModel({ n: 1.5, b: 1 })).toThrow(/observed count n/);
    expect(() => makeModel({ n: 1, b: Number.NaN })).toThrow(/background b/);
    expect(() => makeModel({ n: 1, b: 0, sigmaB: 1, uncertainty: 'gauss' })).toThrow(/background b must be > 0/);
    expect(() => makeModel({ n: 1, b: 1, sigmaB: 1, uncertainty: 'foo' as UncertaintyModel })).toThrow(/unknown uncertainty model/);
  });
  it('q~_mu is 0 above mu-hat and grows with mu', () => {
    const m = makeModel({ n: 10, b: 3, sigmaB: 1, uncertainty: 'poisson' });
    expect(qTilde(m, 5)).toBe(0);
    expect(qTilde(m, 10)).toBeGreaterThan(0);
    expect(qTilde(m, 20)).toBeGreaterThan(qTilde(m, 10));
  });
  it('small background uncertainty tends to the known-background result', () => {
    const a = hypotestAsymptotic({ n: 4, b: 3, sRef: 5 });
    for (const k of ['gauss', 'lognormal', 'poisson'] as const) {
      const b = hypotestAsymptotic({ n: 4, b: 3, sRef: 5, sigmaB: 1e-4, uncertainty: k });
      expect(b.cls).toBeCloseTo(a.cls, 4);
    }
  });
});

describe('limits for all windows at once', () => {
  it('windowLimits equals the single-window functions, and names a bad window', async () => {
    const { windowLimits } = await import('../engine/stats/index.js');
    const w = { n: [8, 13, 27], b: [12, 25, 40], sigmaB: [0.3, 0.5, 1], uncertainty: 'poisson' as const };
    const r = await windowLimits(w, 'cls-asymptotic', 0.95);
    [0, 1, 2].forEach((i) => expect(r.upper[i]).toBe(upperLimitAsymptotic({ n: w.n[i], b: w.b[i], sigmaB: w.sigmaB[i], uncertainty: 'poisson' }, 0.95).upper));
    expect(r.used).toEqual(['cls-asymptotic', 'cls-asymptotic', 'cls-asymptotic']);
    const c = await windowLimits({ n: [1, 2], b: [1, 0] }, 'cls-n', 0.9);
    expect(c.upper[0]).toBeCloseTo(3.272, 3);
    expect(c.upper[1]).toBeCloseTo(5.322, 3);
    const bad = await windowLimits({ n: [1, -2], b: [1, 1] }, 'bayes', 0.9);
    expect(bad.failed[1]).toMatch(/window 1/);
    expect(bad.failed[0]).toBeNull();
    expect(bad.upper[0]).toBeCloseTo(3.272, 3);
    await expect(windowLimits({ n: [1], b: [1, 1] }, 'bayes', 0.9)).rejects.toThrow(/n has 1 windows/);
  });
  it('small counts: cls-asymptotic is not used below b = 10; n = 0 gives s_up = 2.30 at 90% CL (asymptotic: 1.37)', async () => {
    const { windowLimits, limitOne, ASYMPTOTIC_MIN_B } = await import('../engine/stats/windows.js');
    expect(ASYMPTOTIC_MIN_B).toBe(10);
    const r = await windowLimits({ n: [0, 0, 0], b: [0.01, 0.5, 3], sigmaB: [0, 0.1, 1] }, 'cls-asymptotic', 0.9);
    for (const u of r.upper) expect(u).toBeCloseTo(-Math.log(0.1), 3);
    expect(r.used).toEqual(['bayes', 'bayes', 'bayes']);
    expect(upperLimitAsymptotic({ n: 0, b: 0.01 }, 0.9).upper).toBeLessThan(1.5); // what the old rule gave
    expect(limitOne({ n: 0, b: 0.01 }, 'cls-asymptotic', 0.9).reason).toMatch(/b < 10.*exact/);
  });
  it('limitOne catches only the no-bracket failure of bracketRoot', async () => {
    const { NoBracketError, bracketRoot } = await import('../engine/stats/special.js');
    expect(() => bracketRoot((x) => x + 1, 0, 1, 16)).toThrow(NoBracketError);
    const { limitOne } = await import('../engine/stats/windows.js');
    // a bad model is an error, not a quiet switch to another method
    expect(() => limitOne({ n: 5, b: 20, sigmaB: -1, uncertainty: 'gauss' }, 'cls-asymptotic', 0.9)).toThrow();
  });
});
