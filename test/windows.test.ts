import { describe, expect, it } from 'vitest';
import { darkHiggsstrahlungGrid, grid1D, gridFromJson, gridToJson, NAMED_GRIDS, DEFAULT_SIGMA_MUMU, DEFAULT_SIGMA_RECOIL } from '../engine/windows.js';
import { sqrtS } from '../engine/kinematics.js';

describe('window grids', () => {
  it('default dark Higgsstrahlung grid: 8960 overlapping ellipses inside the kinematic triangle', () => {
    const g = darkHiggsstrahlungGrid();
    expect(g.cx.length).toBe(8960);
    const rs = sqrtS();
    for (let i = 0; i < g.cx.length; i++) {
      expect(g.cy[i] < g.cx[i] && g.cx[i] + g.cy[i] < rs).toBe(true);
      expect(g.ax[i]).toBeCloseTo(2 * DEFAULT_SIGMA_MUMU(g.cx[i]), 12);
      expect(g.ay[i]).toBeCloseTo(2 * DEFAULT_SIGMA_RECOIL(g.cy[i]), 12);
    }
    // Neighbours in M_recoil (same M_A') overlap: centre distance < sum of semi-axes.
    let pairs = 0;
    for (let i = 0; i + 1 < g.cx.length; i++) {
      if (g.cx[i + 1] !== g.cx[i]) continue;
      expect(g.cy[i + 1] - g.cy[i]).toBeLessThan(g.ay[i] + g.ay[i + 1]);
      pairs++;
    }
    expect(pairs).toBeGreaterThan(8000);
    // Neighbours in M_A' overlap: the x centres step by 2 sigma, semi-axes are 2 sigma.
    const xs = [...new Set(g.cx)];
    for (let j = 0; j + 1 < xs.length; j++) expect(xs[j + 1] - xs[j]).toBeLessThan(2 * DEFAULT_SIGMA_MUMU(xs[j]) * 2);
    expect(g.params.k).toBe(2);
  });

  it('user resolution functions and step change the grid', () => {
    const g = darkHiggsstrahlungGrid({ sigmaX: () => 0.5, sigmaY: () => 0.5, step: 2, k: 1.5, xMin: 1, xMax: 5 });
    // x = 1,2,3,4,5; y = 0,1,2,3,4,...: y < x and x + y < 10.583.
    expect(g.cx.length).toBe(1 + 2 + 3 + 4 + 5);
    expect(g.ax[0]).toBe(0.75);
    expect(g.params.sigma_x).toBe('user-supplied');
    expect(() => darkHiggsstrahlungGrid({ sigmaX: () => 0 })).toThrow(/sigmaX\(.*\) must be a positive/);
  });

  it('1D grids: resolution-dependent intervals in M_mumu, M_recoil and E_gamma', () => {
    for (const name of ['mumu-1d', 'recoil-1d', 'egamma-1d']) {
      const g = NAMED_GRIDS[name]();
      expect(g.shape).toBe('interval');
      expect(g.cx.length).toBeGreaterThan(20);
      for (let i = 0; i + 1 < g.cx.length; i++) {
        expect(g.cx[i + 1]).toBeGreaterThan(g.cx[i]);
        expect(g.cx[i + 1] - g.cx[i]).toBeLessThan(g.ax[i] + g.ax[i + 1]);
      }
    }
    const g = grid1D({ variable: 'x', min: 1, max: 2, sigma: () => 0.25, step: 2, k: 1 });
    expect(Array.from(g.cx)).toEqual([1, 1.5, 2]);
    expect(Array.from(g.ax)).toEqual([0.25, 0.25, 0.25]);
  });

  it('round-trips through JSON and validates it', () => {
    for (const g of [darkHiggsstrahlungGrid({ xMin: 9, xMax: 9.2 }), NAMED_GRIDS['egamma-1d']()]) {
      const back = gridFromJson(gridToJson(g));
      expect(back.shape).toBe(g.shape);
      expect(back.variables).toEqual(g.variables);
      expect(Array.from(back.cx)).toEqual(Array.from(g.cx));
      expect(Array.from(back.ay)).toEqual(Array.from(g.ay));
    }
    const base = { schema: 'darkscan-windows/1', shape: 'ellipse', variables: ['a', 'b'], units: 'GeV' };
    const bad = (o: object) => () => gridFromJson(JSON.stringify({ ...base, ...o }), 'g.json');
    expect(bad({ windows: [[1, 1, 0.1, 0.1], [1, 1, 0, 0.1]] })).toThrow(/g.json: windows\[1\] semi-axis ax must be > 0/);
    expect(bad({ windows: [[1, 1, 0.1]] })).toThrow(/windows\[0\] must be an array of 4/);
    expect(bad({ windows: [[1, null, 0.1, 0.1]] })).toThrow(/windows\[0\]\[1\] is not a finite/);
    expect(bad({ schema: 'x', windows: [] })).toThrow(/'schema'/);
    expect(bad({ variables: ['a'], windows: [] })).toThrow(/'variables'/);
    expect(bad({ units: 'MeV', windows: [] })).toThrow(/'units'/);
    expect(() => gridFromJson('{', 'g.json')).toThrow(/invalid JSON/);
  });
});
