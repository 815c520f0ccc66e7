import { afterAll, describe, expect, it } from 'vitest';
import { windowCount } from '../kernels/window_count/desc.js';
import { cases as windowCountCases } from '../kernels/window_count/cases.js';
import { windowCountBrute, inside } from '../kernels/window_count/ref.js';
import { binEvents, decodeSums, packWindows, weightExponent } from '../kernels/window_count/layout.js';
import { runReference, WasmBackend, CpuBackend } from '../host/index.js';
import { makeEventTable } from '../engine/events.js';
import { darkHiggsstrahlungGrid, grid1D } from '../engine/windows.js';
import { countInWindows, scan, scanRows } from '../engine/scan.js';
import { betaI, gammaP, localSignificance, normalQuantileUpper, normalTail, poissonUpperTail, zBiPValue } from '../engine/stats/pvalue.js';
import { testWords } from '../kernels/testing.js';
import { tempDir } from './tmp.js';

const F32 = new Float32Array(1), U32 = new Uint32Array(F32.buffer);
const f = (bits: number) => ((U32[0] = bits), F32[0]);

describe('window_count: binned reference = brute force', () => {
  for (const c of windowCountCases()) {
    it(c.name, () => {
      const { win, ev_x, ev_y, ev_w } = c.args.inputs as Record<string, Uint32Array>;
      const weighted = c.args.params!.weighted === 1;
      const nEv = (c.args.inputs as Record<string, Float32Array>).cell_off.at(-1)!;
      const got = runReference(windowCount, c.args).sums;
      const want = windowCountBrute(win, new Float32Array(ev_x.buffer), new Float32Array(ev_y.buffer), weighted ? ev_w : undefined, nEv);
      expect(Array.from(got)).toEqual(Array.from(want));
    });
  }

  it('f32 membership agrees with exact double arithmetic away from the rim', () => {
    const c = windowCountCases()[0];
    const { win, ev_x, ev_y } = c.args.inputs as Record<string, Uint32Array>;
    const X = new Float32Array(ev_x.buffer), Y = new Float32Array(ev_y.buffer);
    let checked = 0, insideCount = 0;
    for (let i = 0; i < 50; i++) {
      const o = 8 * i, cx = f(win[o]), cy = f(win[o + 1]), ia = f(win[o + 2]), ib = f(win[o + 3]);
      for (let j = 0; j < X.length; j++) {
        const t = (X[j] - cx) ** 2 * ia + (Y[j] - cy) ** 2 * ib;
        if (Math.abs(t - 1) < 1e-5) continue;
        checked++;
        expect(inside(X[j], Y[j], cx, cy, ia, ib)).toBe(t <= 1);
        if (t <= 1) insideCount++;
      }
    }
    expect(checked).toBeGreaterThan(100000);
    expect(insideCount).toBeGreaterThan(1000);
  });

  it('boundary: on-axis rim points are inside, one quantum further out is outside', () => {
    // Below 1 GeV the 2^-24 quantum is exact in f32.
    const q = 2 ** -24;
    const ev = binEvents([0.75, 0.75 + q, 0.75 - q, 0.5, 0.5], [0.25, 0.25, 0.25, 0.75, 0.75 + q], undefined, { nx: 4, ny: 4 });
    const win = packWindows([0.5], [0.25], [0.25], [0.5], ev);
    const out = runReference(windowCount, { count: 1, params: { nx: 4, weighted: 0 }, inputs: { win, ev_x: ev.x, ev_y: ev.y, ev_w: ev.w, cell_off: ev.cellOff } }).sums;
    expect(out[0]).toBe(3); // (0.75, 0.25), (0.75 - q, 0.25), (0.5, 0.75)
  });

  it('carries: 64-bit weight sums and 96-bit squared sums are exact', () => {
    const c = windowCountCases().find((k) => k.name.startsWith('carries'))!;
    const out = runReference(windowCount, c.args).sums;
    const wq = 1e6 * 2 ** weightExponent(1e6);
    expect(wq).toBeLessThan(2 ** 24);
    const n = out[0];
    expect(n).toBe(80000);
    expect(out[2]).toBeGreaterThan(0); // sum_w high word
    expect(out[5]).toBeGreaterThan(0); // sum_w2 top word
    const sw = BigInt(out[1]) + (BigInt(out[2]) << 32n);
    const sw2 = BigInt(out[3]) + (BigInt(out[4]) << 32n) + (BigInt(out[5]) << 64n);
    expect(sw).toBe(BigInt(n) * BigInt(wq));
    expect(sw2).toBe(BigInt(n) * BigInt(wq) * BigInt(wq));
    expect(decodeSums(out, 0, weightExponent(1e6)).sumW).toBe(n * 1e6);
  });

  it('rejects coordinates and windows out of range, naming the column and row', () => {
    expect(() => binEvents([1, 2e4], [1, 1], undefined, { xName: 'm_mumu_GeV' })).toThrow(/column 'm_mumu_GeV', row 1/);
    const ev = binEvents([1], [1], undefined);
    expect(() => packWindows([1], [1], [0], [1], ev)).toThrow(/window 0: semi-axes/);
  });
});

describe('scan on cpu and wasm', () => {
  const U = 2 ** -32;
  const uni = (n: number, s: number, lo: number, hi: number) => Array.from(testWords(n, 900 + s), (u) => lo + (hi - lo) * u * U);
  const grid = darkHiggsstrahlungGrid({ xMin: 3, xMax: 3.6 });
  const n = 4000;
  const data = makeEventTable({ m_mumu_GeV: uni(n, 1, 2.8, 3.8), m_recoil_GeV: uni(n, 2, 0, 3.8) }, { required: ['m_mumu_GeV', 'm_recoil_GeV'] }).table;
  const bg = makeEventTable({ m_mumu_GeV: uni(n, 3, 2.8, 3.8), m_recoil_GeV: uni(n, 4, 0, 3.8), w: uni(n, 5, 0.5, 1.5) }, { required: ['m_mumu_GeV', 'm_recoil_GeV'], weightColumn: 'w' }).table;
  const wasm = WasmBackend.create({ workers: 2, minItemsPerWorker: 1 });
  afterAll(async () => (await wasm).dispose());

  it('counts and weight sums match a plain double-precision loop; backends agree', async () => {
    const r = await scan(new CpuBackend(), grid, data, { background: bg, signal: bg });
    const r2 = await scan(await wasm, grid, data, { background: bg, signal: bg });
    expect(grid.cx.length).toBeGreaterThan(100);
    expect(Array.from(r2.data.n)).toEqual(Array.from(r.data.n));
    expect(Array.from(r2.p!)).toEqual(Array.from(r.p!));
    const X = bg.columns.m_mumu_GeV, Y = bg.columns.m_recoil_GeV, W = bg.columns.w;
    let nonEmpty = 0;
    for (let i = 0; i < grid.cx.length; i++) {
      let sw = 0, sw2 = 0;
      for (let j = 0; j < n; j++) {
        const t = ((X[j] - grid.cx[i]) / grid.ax[i]) ** 2 + ((Y[j] - grid.cy[i]) / grid.ay[i]) ** 2;
        if (t <= 1) { sw += W[j]; sw2 += W[j] ** 2; }
      }
      if (sw > 0) nonEmpty++;
      expect(r.b![i]).toBeCloseTo(sw, 4); // weights are quantised to 24 bits
      expect(r.sigmaB![i]).toBeCloseTo(Math.sqrt(sw2), 4);
      expect(r.signal!.sumW[i]).toBe(r.b![i]);
      const s = localSignificance(r.data.n[i], r.b![i], r.sigmaB![i]);
      expect(r.p![i]).toBe(s.p);
    }
    expect(nonEmpty).toBeGreaterThan(50);
    const rows = scanRows(r);
    expect(Object.keys(rows[0])).toEqual(expect.arrayContaining(['centre_m_mumu_GeV', 'semi_axis_m_recoil_GeV', 'n', 'b', 'sigma_b', 'p_local', 'z_local', 'signal_sum_w']));
  });

  it('1D intervals count what a direct interval test counts', async () => {
    const g = grid1D({ variable: 'm_mumu_GeV', min: 3, max: 3.7, sigma: (m) => 0.002 * m + 0.01 });
    const s = await countInWindows(await wasm, g, data);
    const X = data.columns.m_mumu_GeV;
    for (let i = 0; i < g.cx.length; i++) {
      let k = 0;
      for (let j = 0; j < n; j++) if (Math.abs(X[j] - g.cx[i]) <= g.ax[i] * (1 - 1e-6)) k++;
      let k2 = 0;
      for (let j = 0; j < n; j++) if (Math.abs(X[j] - g.cx[i]) <= g.ax[i] * (1 + 1e-6)) k2++;
      expect(s.n[i]).toBeGreaterThanOrEqual(k);
      expect(s.n[i]).toBeLessThanOrEqual(k2);
    }
  });

  it('a missing column is an error naming it', async () => {
    const t = makeEventTable({ m_mumu_GeV: [1] }, {}).table;
    await expect(countInWindows(new CpuBackend(), grid, t)).rejects.toThrow(/m_recoil_GeV.*missing column/);
  });
});

describe('local p-value and Z', () => {
  it('Poisson tail, hand-computed', () => {
    // P(N >= 5 | 1) = 1 - e^-1 (1 + 1 + 1/2 + 1/6 + 1/24) = 0.0036598468
    expect(poissonUpperTail(5, 1)).toBeCloseTo(0.0036598468, 9);
    expect(poissonUpperTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 14);
    expect(poissonUpperTail(0, 3)).toBe(1);
    expect(poissonUpperTail(3, 0)).toBe(0);
    expect(gammaP(30, 10) / 2.509951200213578e-7).toBeCloseTo(1, 8); // P(N >= 30 | 10) = 1 - sum_{k<30} e^-10 10^k / k! (summed in python)
    expect(() => poissonUpperTail(1.5, 1)).toThrow(/integer/);
  });

  it('normal quantiles: 3 and 5 sigma, extreme tails', () => {
    expect(normalQuantileUpper(0.0013498980316301)).toBeCloseTo(3, 10);
    expect(normalQuantileUpper(2.866515718791939e-7)).toBeCloseTo(5, 9);
    expect(normalQuantileUpper(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantileUpper(0.8413447460685429)).toBeCloseTo(-1, 10);
    const z = normalQuantileUpper(1e-300);
    expect(normalTail(z) / 1e-300).toBeCloseTo(1, 8);
  });

  it('Z_Bi against the binomial sum (b = 4, sigma_b = 2: tau = 1, n_off = 4)', () => {
    // p = sum_{k=10}^{14} C(14, k) / 2^14 = (1001 + 364 + 91 + 14 + 1) / 16384
    expect(zBiPValue(10, 4, 2)).toBeCloseTo(1471 / 16384, 12);
    expect(betaI(0.5, 10, 5)).toBeCloseTo(1471 / 16384, 12);
    // sigma_b -> 0 approaches the Poisson tail; a larger sigma_b weakens the excess.
    expect(zBiPValue(8, 3, 1e-3) / poissonUpperTail(8, 3)).toBeCloseTo(1, 3);
    expect(zBiPValue(8, 3, 1)).toBeGreaterThan(poissonUpperTail(8, 3));
    const s = localSignificance(10, 4, 2);
    expect(s.method).toBe('z_bi');
    expect(normalTail(s.z)).toBeCloseTo(s.p, 12);
    expect(localSignificance(1, 4, 0)).toEqual({ p: poissonUpperTail(1, 4), z: 0, method: 'poisson' });
    expect(() => localSignificance(1, -1, 0)).toThrow(/background b/);
  });
});

describe('darkscan scan (CLI)', async () => {
  const { writeFileSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { scan: scanCmd } = await import('../engine/cli/scan.js');
  const dir = tempDir('scan');
  const grid = join(dir, 'grid.json');
  writeFileSync(grid, JSON.stringify({ schema: 'darkscan-windows/1', shape: 'ellipse', variables: ['m_mumu_GeV', 'm_recoil_GeV'], units: 'GeV', windows: [[1, 0.5, 0.1, 0.2], [3, 1, 0.05, 0.1]] }));
  writeFileSync(join(dir, 'data.csv'), 'm_mumu_GeV,m_recoil_GeV\n1,0.5\n1.05,0.6\n3,1\n7,2\n');
  writeFileSync(join(dir, 'bkg.json'), JSON.stringify({ columns: { m_mumu_GeV: [1, 1.01, 3], m_recoil_GeV: [0.5, 0.5, 1], w: [0.25, 0.5, 2] }, weight_column: 'w' }));
  writeFileSync(join(dir, 'bad.csv'), 'm_mumu_GeV,m_recoil_GeV\n1,0.5\n1,nan\n2,-2e4\n');
  const run = async (...a: string[]) => {
    const lines: string[] = [];
    await scanCmd.run(a, (s) => lines.push(s), {});
    return lines;
  };

  it('writes windows with centre, axes, n, b, sigma_b, p, Z and provenance', async () => {
    const out = join(dir, 'out.json');
    await run('--data', join(dir, 'data.csv'), '--grid', grid, '--background', join(dir, 'bkg.json'), '--signal', join(dir, 'bkg.json'), '--backend', 'cpu', '--out', out);
    const d = JSON.parse(readFileSync(out, 'utf8'));
    expect(d.backend).toBe('cpu');
    expect(d.grid.windows).toBe(2);
    expect(d.windows[0]).toMatchObject({ centre_m_mumu_GeV: 1, centre_m_recoil_GeV: 0.5, semi_axis_m_mumu_GeV: 0.1, n: 2, b: 0.75, signal_sum_w: 0.75 });
    expect(d.windows[0].sigma_b).toBeCloseTo(Math.sqrt(0.0625 + 0.25), 12);
    expect(d.windows[1]).toMatchObject({ n: 1, b: 2, sigma_b: 2 });
    expect(d.windows[0].p_local).toBe(localSignificance(2, 0.75, Math.sqrt(0.3125)).p);
    expect(d.inputs.background.weight_column).toBe('w');
  });

  it('bad rows are errors naming column and row; --drop-invalid drops and reports them', async () => {
    const out = join(dir, 'out2.json');
    await expect(run('--data', join(dir, 'bad.csv'), '--grid', grid, '--backend', 'cpu', '--out', out)).rejects.toThrow(/bad.csv: column 'm_recoil_GeV', row 1: value is NaN/);
    const lines = await run('--data', join(dir, 'bad.csv'), '--grid', grid, '--backend', 'cpu', '--out', out, '--drop-invalid');
    expect(lines.join('\n')).toMatch(/dropped 2 invalid rows/);
    const d = JSON.parse(readFileSync(out, 'utf8'));
    expect(d.inputs.data).toMatchObject({ events: 1, dropped_invalid: 2 });
    expect(d.windows[0].n).toBe(1);
    expect(d.windows[0].b).toBeUndefined();
    await expect(run('--data', join(dir, 'data.csv'), '--grid', 'nope', '--out', out)).rejects.toThrow(/--grid: expected dark-higgsstrahlung/);
    await expect(run('--grid', grid, '--out', out)).rejects.toThrow(/--data is required/);
  });
});
