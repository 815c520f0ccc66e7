// darkscan cls | fit | upper-limit on pyhf workspaces and patchsets: pyhf's keys, provenance,
// one result per patch, --cl and --poi-value honoured, errors that name the file and JSON path.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../engine/cli/index.js';
import { tempDir } from './tmp.js';

const WS = 'test/fixtures/pyhf/workspaces/';
const PS = 'test/fixtures/pyhf/patchsets/';
async function json(argv: string[], backend = 'cpu') {
  const lines: string[] = [];
  const code = await main([...argv, '--json', '--backend', backend], (s) => lines.push(s));
  expect(code).toBe(0);
  return JSON.parse(lines.join('\n'));
}

describe('darkscan cls', () => {
  it('{CLs_obs, CLs_exp[5]} with backend, workspace digest, test statistic and fit counts', async () => {
    const j = await json(['cls', WS + 'sr_cr_shapefactor.json']);
    expect(j.CLs_exp).toHaveLength(5);
    expect(j.CLs_obs).toBeGreaterThan(0);
    expect(j.CLs_obs).toBeLessThan(1);
    for (let k = 1; k < 5; k++) expect(j.CLs_exp[k]).toBeGreaterThan(j.CLs_exp[k - 1]);
    expect(j.backend).toBe('cpu');
    expect(j.workspace_digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(j.test_stat).toBe('qtilde');
    expect(j.poi_value).toBe(1);
    expect(j.fits).toBe(5);
    expect(j.fits_not_converged).toBe(0);
  });
  it('--poi-value and --test-stat change the test; q and qtilde agree where mu-hat is well inside', async () => {
    const a = await json(['cls', WS + 'sr_cr_shapefactor.json', '--poi-value', '2']);
    const b = await json(['cls', WS + 'sr_cr_shapefactor.json', '--poi-value', '2', '--test-stat', 'q']);
    const c = await json(['cls', WS + 'sr_cr_shapefactor.json', '--poi-value', '1']);
    expect(a.CLs_obs).toBeLessThan(c.CLs_obs);
    expect(b.test_stat).toBe('q');
    expect(Math.abs(a.CLs_obs - b.CLs_obs)).toBeLessThan(0.05);
  });
  it('a patchset without --patch gives one entry per patch (one batched run); --patch one of them, the same numbers', async () => {
    const all = await json(['cls', PS + 'mass_scan_bkg.json', '--patchset', PS + 'mass_scan_patchset.json']);
    const names = JSON.parse(readFileSync(PS + 'mass_scan_patchset.json', 'utf8')).patches.map((p: { metadata: { name: string } }) => p.metadata.name);
    expect(Object.keys(all.patches)).toEqual(names);
    expect(all.fits).toBe(5 * names.length);
    expect(all.patchset_digest).toMatch(/^sha256:/);
    const one = await json(['cls', PS + 'mass_scan_bkg.json', '--patchset', PS + 'mass_scan_patchset.json', '--patch', names[2]]);
    expect(one.patch).toBe(names[2]);
    expect(one.CLs_obs).toBe(all.patches[names[2]].CLs_obs);
    expect(one.CLs_exp).toEqual(all.patches[names[2]].CLs_exp);
  });
  it('the same numbers on wasm (1 and 2 workers) as on the TypeScript reference: the fits are bit-identical', async () => {
    const args = ['cls', PS + 'mass_scan_bkg.json', '--patchset', PS + 'mass_scan_patchset.json'];
    const cpu = await json(args);
    for (const workers of ['1', '2']) {
      const w = await json([...args, '--workers', workers], 'wasm');
      expect(w.backend).toBe('wasm');
      expect(w.patches).toEqual(cpu.patches);
    }
    const ul = ['upper-limit', WS + 'sr_cr_shapefactor.json'];
    const a = await json(ul), b = await json(ul, 'wasm');
    expect([b.obs, ...b.exp]).toEqual([a.obs, ...a.exp]);
  });
  it('errors name the file and the JSON path; refused options say why', async () => {
    const dir = tempDir('ws');
    const ws = JSON.parse(readFileSync(WS + 'sr_cr_shapefactor.json', 'utf8'));
    ws.channels[0].samples[0].modifiers.push({ name: 'x', type: 'shapeshift', data: null });
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(ws));
    await expect(main(['cls', join(dir, 'bad.json'), '--json'], () => {})).rejects.toThrow(/bad\.json: channels\[0\]\.samples\[0\]\.modifiers\[\d+\]\.type: unknown modifier type 'shapeshift'/);
    await expect(main(['cls', WS + 'sr_cr_shapefactor.json', '--test-stat', 'q0'], () => {})).rejects.toThrow(/--test-stat/);
    await expect(main(['cls', WS + 'sr_cr_shapefactor.json', '--calculator', 'bootstrap'], () => {})).rejects.toThrow(/--calculator/);
    await expect(main(['cls', WS + 'sr_cr_shapefactor.json', '--shard', '0/2'], () => {})).rejects.toThrow(/--calculator toys/);
    await expect(main(['cls', PS + 'mass_scan_bkg.json', '--patchset', PS + 'mass_scan_patchset.json', '--patch', 'nope'], () => {})).rejects.toThrow(/no patch named 'nope'/);
  });
});

describe('darkscan fit', () => {
  it('{bestfit, uncertainties, twice_nll}: a list for a multi-bin parameter, a number for a scalar', async () => {
    const j = await json(['fit', WS + 'sr_cr_shapefactor.json']);
    expect(Object.keys(j.bestfit).sort()).toEqual(Object.keys(j.uncertainties).sort());
    expect(Array.isArray(j.bestfit.bkg_shape)).toBe(true);
    expect(typeof j.bestfit.mu_sig).toBe('number');
    expect(j.uncertainties.mu_sig).toBeGreaterThan(0);
    expect(Number.isFinite(j.twice_nll)).toBe(true);
    expect(['converged', 'converged_noise_floor']).toContain(j.status);
    expect(j.workspace_digest).toMatch(/^sha256:/);
  });
  it('--poi-value holds the POI (zero uncertainty) and the likelihood is not better than the free fit', async () => {
    const free = await json(['fit', WS + 'sr_cr_shapefactor.json']);
    const cond = await json(['fit', WS + 'sr_cr_shapefactor.json', '--poi-value', '2.5']);
    expect(cond.bestfit.mu_sig).toBe(2.5);
    expect(cond.uncertainties.mu_sig).toBe(0);
    expect(cond.poi_value).toBe(2.5);
    expect(cond.twice_nll).toBeGreaterThan(free.twice_nll);
  });
});

describe('darkscan upper-limit', () => {
  it('{obs, exp[5]} ascending; --cl 0.90 gives lower limits than the default 0.95 and is recorded', async () => {
    const a = await json(['upper-limit', WS + 'sr_cr_shapefactor.json']);
    const b = await json(['upper-limit', WS + 'sr_cr_shapefactor.json', '--cl', '0.90']);
    expect(a.cl).toBe(0.95);
    expect(b.cl).toBe(0.9);
    expect(a.exp).toHaveLength(5);
    for (let k = 1; k < 5; k++) expect(a.exp[k]).toBeGreaterThan(a.exp[k - 1]);
    expect(b.obs).toBeLessThan(a.obs);
    b.exp.forEach((v: number, k: number) => expect(v).toBeLessThan(a.exp[k]));
  });
  it('the limit is where CLs = 1 - CL: cls at the returned POI value gives 0.05', async () => {
    const ul = await json(['upper-limit', WS + 'sr_cr_shapefactor.json']);
    const c = await json(['cls', WS + 'sr_cr_shapefactor.json', '--poi-value', String(ul.obs)]);
    expect(Math.abs(c.CLs_obs - 0.05)).toBeLessThan(2e-4);
    const e = await json(['cls', WS + 'sr_cr_shapefactor.json', '--poi-value', String(ul.exp[2])]);
    expect(Math.abs(e.CLs_exp[2] - 0.05)).toBeLessThan(2e-4);
  });
});

describe('provenance of every likelihood output (engine/likelihood/report.ts runRecord)', () => {
  it('fit | cls | upper-limit | discovery --json carry darkscan_version; toy runs also their seed', async () => {
    const { DARKSCAN_VERSION } = await import('../engine/provenance.js');
    const ws = WS + 'sr_cr_shapefactor.json';
    for (const argv of [['fit', ws], ['cls', ws], ['upper-limit', ws], ['discovery', ws], ['fit', PS + 'mass_scan_bkg.json', '--patchset', PS + 'mass_scan_patchset.json']]) {
      const j = await json(argv);
      expect(j.darkscan_version, argv.join(' ')).toBe(DARKSCAN_VERSION);
      expect(j.seed, argv.join(' ')).toBeUndefined(); // asymptotic: nothing random
    }
    for (const argv of [['cls', ws, '--calculator', 'toys', '--toys', '50', '--seed', '5'], ['discovery', ws, '--calculator', 'toys', '--toys', '50', '--seed', '6']]) {
      const j = await json(argv);
      expect(j.darkscan_version, argv.join(' ')).toBe(DARKSCAN_VERSION);
      expect(j.seed, argv.join(' ')).toBe(Number(argv[argv.length - 1]));
    }
  });
});
