// Issue 21, item 4: every limit method on real grids. Mixed background-uncertainty models in one
// call, large deficits, huge b, n = 0 and b = 0: no failure of the whole scan; a window that cannot
// be computed carries its reason. Feldman-Cousins at large n has a bounded cost.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../host/index.js';
import { FC_MAX_COUNTS, feldmanCousins } from '../engine/stats/exact.js';
import { WINDOW_LIMIT_METHODS, windowLimits } from '../engine/stats/windows.js';

const backend = new CpuBackend();
const o = { backend, toys: 400, seed: 7 };

describe('windowLimits on real grids', () => {
  // Windows: b = 0 with n = 0, known b, b with uncertainty, a deficit far below b +- sigma_b, b beyond the model range.
  const grid = { n: [0, 3, 12, 100, 2e7], b: [0, 2.5, 10, 400, 2e7], sigmaB: [0, 0, 2, 20, 1e3] };

  for (const method of WINDOW_LIMIT_METHODS) {
    it(`${method}: one bad window never stops the others; each failure carries its reason`, async () => {
      const r = await windowLimits(grid, method, 0.9, o);
      expect(r.failed).toHaveLength(5);
      // b = 0, n = 0 (known b): the classical Poisson limit 2.303 (90%) for the exact methods.
      expect(r.failed[0]).toBeNull();
      if (method === 'cls-n' || method === 'bayes' || method === 'fc') expect(r.upper[0]).toBeCloseTo(method === 'fc' ? 2.44 : 2.303, 2);
      expect(r.failed[1]).toBeNull();
      expect(r.upper[1]).toBeGreaterThan(0);
      // b beyond the model's range: reported, NaN.
      expect(r.failed[4]).toMatch(/window 4: background b must be in \[0, 1e7\]/);
      expect(r.upper[4]).toBeNaN();
      for (let i = 0; i < 5; i++) expect(Number.isNaN(r.upper[i])).toBe(r.failed[i] !== null);
      if (method === 'fc' || method === 'cls-n') {
        expect(r.failed[2]).toMatch(/window 2: method .* assumes a known background/);
      } else {
        expect(r.failed[2]).toBeNull(); // mixed models in one call: known b and gauss
        expect(r.upper[2]).toBeGreaterThan(0);
      }
    }, 60_000);
  }

  it('cls (toys): a deficit the toys cannot reach is reported, not a silent bracket end', async () => {
    const r = await windowLimits(grid, 'cls', 0.9, o);
    expect(r.failed[3]).toMatch(/window 3: CLs stays above 0.1 .*deficit/);
  }, 60_000);

  it('cls (toys): a window keeps its toys whatever the models of the other windows', async () => {
    const mixed = await windowLimits({ n: [3, 12], b: [2.5, 10], sigmaB: [0, 2] }, 'cls', 0.9, o);
    const same = await windowLimits({ n: [3, 12], b: [2.5, 10], sigmaB: [1, 2] }, 'cls', 0.9, o);
    expect(mixed.upper[1]).toBe(same.upper[1]);
    expect(mixed.upper[0]).not.toBe(same.upper[0]);
  }, 60_000);
});

describe('Feldman-Cousins at large n', () => {
  it('n = 3000 finishes (the test timeout bounds it) and agrees with the Gaussian interval', () => {
    const r = feldmanCousins(3000, 0, 0.9);
    // Two-sided 90% Gaussian interval 3000 -+ 1.645 sqrt(3000) = [2909.9, 3090.1].
    expect(r.lower).toBeGreaterThan(2905);
    expect(r.upper).toBeLessThan(3095);
    expect(r.upper - r.lower).toBeCloseTo(2 * 1.6449 * Math.sqrt(3000), -1);
  }, 10_000);

  it(`refuses n + b above ${FC_MAX_COUNTS} at once, naming the alternatives`, () => {
    expect(() => feldmanCousins(1e8, 0, 0.9)).toThrow(/up to 10000 .*cls-asymptotic or bayes/);
  });
});
