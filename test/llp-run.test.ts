// `darkscan run --config` for the B -> K S LLP searches (engine/analyses/llp-b.ts; Belle II PRD 108
// (2023) L111104): the committed configs parse, run writes results.json, hepdata.yaml and SVG
// plots, its limits equal `darkscan llp --demo` with the same settings (one code path: the
// pipeline's runSearch with the definitions of engine/analyses/searches-llp.ts), a bad field is
// named by its JSON path, existing results need --force.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../engine/cli/index.js';
import { configAnalysis, LLP_TYPE_ANALYSES } from '../engine/analyses/idm.js';
import { LLP_B_ANALYSES, LLP_B_PRODUCTION, NBB_PER_FB, parseLlpBConfig } from '../engine/analyses/llp-b.js';
import { tempDir } from './tmp.js';

const CONFIGS = join(import.meta.dirname, '../engine/analyses/configs');

describe('B -> K S LLP configs', () => {
  it('one committed config per production mode, each valid and run by `run` through the cell model (own schema)', () => {
    const found = new Map<string, string>();
    for (const f of readdirSync(CONFIGS).filter((x) => x.endsWith('.json'))) {
      const text = readFileSync(join(CONFIGS, f), 'utf8');
      const a = configAnalysis(text) ?? '';
      if ((LLP_B_ANALYSES as string[]).includes(a)) found.set(a, parseLlpBConfig(text, f).paper!);
    }
    expect([...found.keys()].sort()).toEqual(['b-kplus-llp', 'b-kstar0-llp']);
    for (const p of found.values()) expect(p).toMatch(/PRD 108 \(2023\) L111104/);
    for (const a of LLP_B_ANALYSES) expect(LLP_TYPE_ANALYSES as readonly string[]).toContain(a);
    expect(LLP_B_PRODUCTION).toEqual({ 'b-kplus-llp': 'K+', 'b-kstar0-llp': 'K*0' });
  });

  it('names a bad field by its JSON path', () => {
    const base = JSON.parse(readFileSync(join(CONFIGS, 'b-kstar0-llp.json'), 'utf8'));
    const err = (v: unknown) => { try { parseLlpBConfig(JSON.stringify(v), 'x.json'); return ''; } catch (e) { return (e as Error).message; } };
    expect(err({ ...base, channels: ['ee', 'tautau'] })).toMatch(/config\.channels\[1\]: expected one of ee, mumu, pipi, KK/);
    expect(err({ ...base, lifetimes_cm: { min: 1, max: 10, n: 'x' } })).toMatch(/config\.lifetimes_cm\.n: expected/);
    expect(err({ ...base, lumi_fb: 189 })).toMatch(/config\.lumi_fb: give n_BBbar or lumi_fb, not both/);
    expect(err({ ...base, lxy_cm: [5, 1] })).toMatch(/config\.lxy_cm\[1\]: must be > lxy_cm\[0\]/);
    expect(err({ ...base, nbb: 1 })).toMatch(/config\.nbb: unknown field/);
    expect(err(base)).toBe('');
  });
});

describe('darkscan run --config b-kstar0-llp / b-kplus-llp', () => {
  const dir = tempDir('llprun');
  // model 'window': the counting limits of `llp --demo` (the fit model: test/llpfit.test.ts).
  const small = { seed: 7, model: 'window', masses_GeV: [1.5, 2.5, 3.5], lifetimes_cm: { min: 0.01, max: 100, n: 5 }, channels: ['mumu', 'pipi'], simulation: { events_per_cell: 200 } };

  for (const [analysis, production] of Object.entries(LLP_B_PRODUCTION)) {
    it(`${analysis}: results.json, hepdata.yaml, SVGs; limits equal llp --demo --production ${production}`, async () => {
      const cfgPath = join(dir, `${analysis}.json`);
      const cfg = { ...JSON.parse(readFileSync(join(CONFIGS, `${analysis}.json`), 'utf8')), ...small, cl: 0.9, n_BBbar: undefined, lumi_fb: 100 };
      writeFileSync(cfgPath, JSON.stringify(cfg));
      const out = join(dir, `out-${analysis}`), lines: string[] = [];
      expect(await main(['run', '--config', cfgPath, '--out', out, '--backend', 'wasm', '--workers', '2', '--json'], (s) => lines.push(s))).toBe(0);
      const files = JSON.parse(lines[0]).files.map((f: string) => f.slice(out.length + 1)).sort();
      expect(files).toEqual(['hepdata.yaml', ...[0, 1, 2, 3, 4].map((j) => `hepdata_ctau${j}.yaml`), 'limit_combined.svg', 'limit_mumu.svg', 'limit_pipi.svg', 'results.json'].sort());
      const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
      expect(r).toMatchObject({ analysis, production, seed: 7, cl: 0.9, lumi_fb: 100, demo: true });
      expect(r.n_BBbar).toBeCloseTo(100 * NBB_PER_FB, 0);
      expect(r.darkscan_version).toMatch(/\d/);
      expect(r.config.sha256).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(r.illustrative).toMatch(/illustrative background/);
      // the pipeline's per-window method and reason (engine/analyses/cells.ts, the one table's cls-n)
      for (const c of r.cells) for (const ch of c.channels) expect(ch).toMatchObject({ limit_method: 'cls-n', limit_method_reason: expect.stringMatching(/^requested/) });
      expect(r.limit_method_counts).toEqual({ 'cls-n: requested': 6 });
      // the same computation as the llp command with the same settings
      const llpOut = join(dir, `llp-${analysis}.json`);
      await main(['llp', '--demo', '--production', production, '--seed', '7', '--masses', '1.5,2.5,3.5', '--lifetimes', '0.01:100:5', '--channels', 'mumu,pipi',
        '--per-cell', '200', '--cl', '0.9', '--nbb', String(100 * NBB_PER_FB), '--backend', 'wasm', '--workers', '2', '--out', llpOut], () => {});
      const l = JSON.parse(readFileSync(llpOut, 'utf8'));
      expect(r.cells).toEqual(l.cells);
      expect(r.cells.flatMap((c: { combined_limit: (number | null)[] }) => c.combined_limit).some((x: number | null) => x !== null && x > 0 && x < 1)).toBe(true);
      // the run's own: the config's paper text, the timing
      const { sweep_ms: _a, timing_s: _t, paper: _p, ...rest } = l;
      for (const [k, v] of Object.entries(rest)) expect(r[k], k).toEqual(v);
      // hepdata: a table per lifetime, limits per channel and combined vs m_S
      expect(readFileSync(join(out, 'hepdata.yaml'), 'utf8')).toMatch(/data_file: "hepdata_ctau4\.yaml"/);
      const t = readFileSync(join(out, 'hepdata_ctau2.yaml'), 'utf8');
      expect(t).toMatch(/S -> mumu\)[\s\S]*S -> pipi\)[\s\S]*channels combined/);
      expect(t).toContain(`  - {value: ${r.cells[1].channels[0].limit[2]}}`);
      expect(readFileSync(join(out, 'limit_pipi.svg'), 'utf8')).toMatch(/^<svg[\s\S]*m_S \[GeV\]/);
      // existing results: refused without --force
      await expect(main(['run', '--config', cfgPath, '--out', out], () => {})).rejects.toThrow(/--force/);
      expect(await main(['run', '--config', cfgPath, '--out', out, '--force', '--backend', 'cpu'], () => {})).toBe(0);
      expect(existsSync(join(out, 'results.json'))).toBe(true);
    }, 60_000);
  }

  it('a bad field in the config file: run names the file and the JSON path', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ analysis: 'b-kplus-llp', masses_GeV: [1, 'two'] }));
    await expect(main(['run', '--config', bad, '--out', join(dir, 'o2')], () => {})).rejects.toThrow(/bad\.json[\s\S]*config\.masses_GeV\[1\]: expected a number/);
    writeFileSync(bad, JSON.stringify({ analysis: 'b-kplus-llp', output: { dir: '../../elsewhere' } }));
    await expect(main(['run', '--config', bad], () => {})).rejects.toThrow(/outside the config's folder/);
  });
});
