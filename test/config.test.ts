// Analysis config validation: every error names its JSON path; the committed examples are valid.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANALYSES, parseConfig, validate, CONFIG_SCHEMA } from '../engine/config.js';
import { loadConfig } from '../engine/analyses/run.js';
import { errorsOf } from './config-errors.js';
import { configAnalysis, LLP_TYPE_ANALYSES } from '../engine/analyses/idm.js';

const DIR = join(import.meta.dirname, '../engine/analyses/configs');

describe('analysis config schema', () => {
  it('accepts every committed example config', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    const analyses = new Set<string>();
    for (const f of files) {
      const text = readFileSync(join(DIR, f), 'utf8');
      // LLP-type searches have their own schema (engine/analyses/idm.ts, llp-b.ts; test/idm.test.ts, test/llp-run.test.ts)
      if ((LLP_TYPE_ANALYSES as readonly string[]).includes(configAnalysis(text) ?? '')) continue;
      analyses.add(loadConfig(text, f).analysis);
    }
    expect([...analyses].sort()).toEqual(['alp-gammagamma', 'alp-tautau', 'b-k-alp-gammagamma', 'b-k0s-alp-gammagamma', 'b-kstar0-alp-gammagamma', 'b-kstarplus-alp-gammagamma', 'dark-higgsstrahlung', 'invisible-dark-photon', 'scalar-tautau', 'tau-ealpha', 'tau-mualpha', 'zprime-invisible', 'zprime-mumu', 'zprime-tautau']);
  });

  it('names the path of a wrong type deep inside arrays', () => {
    const errs = errorsOf({
      analysis: 'zprime-invisible',
      selection: { cuts: [{ column: 'n_gamma', max: 0 }, { column: 'p_mumu_cm_GeV', min: 0.5 }, { column: 'E_extra_GeV', max: 'abc' }] },
    });
    expect(errs).toEqual(['config.selection.cuts[2].max: expected a number, got "abc"']);
  });

  it('reports unknown fields, wrong types, out-of-range values and missing fields, all at once', () => {
    const errs = errorsOf({ analysis: 'zprime-mumu', lumi: 3, seed: -1, cl: 1.5, pseudo_experiments: 2.5, quick: 'yes', inject: { mass_GeV: 3 }, output: { dir: 7 } });
    expect(errs).toContain('config.lumi: unknown field (allowed: $schema, description, analysis, seed, lumi_fb, cl, method, pseudo_experiments, fit_pseudo_experiments, fit_pseudo_data, quick, backend, mlp, simulation, inject, selection, grid, inputs, output)');
    expect(errs).toContain(`config.seed: expected an integer in [0, ${Number.MAX_SAFE_INTEGER}], got -1`);
    expect(errs).toContain('config.cl: expected a number in [0.5, 1), got 1.5');
    expect(errs).toContain(`config.pseudo_experiments: expected an integer in [0, 1000000], got 2.5`);
    expect(errs).toContain('config.quick: expected true or false, got "yes"');
    expect(errs).toContain('config.inject.events: required field is missing');
    expect(errs).toContain('config.output.dir: expected a string, got 7');
    expect(errs).toHaveLength(7);
  });

  it('checks the analysis name, enums and nested input files', () => {
    expect(errorsOf({ seed: 1 })).toEqual(['config.analysis: required field is missing']);
    expect(errorsOf({ analysis: 'zprime' })[0]).toBe(`config.analysis: expected one of ${ANALYSES.join(', ')}, got "zprime"`);
    expect(ANALYSES.slice(0, 9)).toEqual(['dark-higgsstrahlung', 'zprime-invisible', 'zprime-mumu', 'invisible-dark-photon', 'alp-gammagamma', 'b-k-alp-gammagamma', 'b-k0s-alp-gammagamma', 'b-kstar0-alp-gammagamma', 'b-kstarplus-alp-gammagamma']);
    expect(errorsOf({ analysis: 'alp-gammagamma', method: 'cls' })).toEqual(['config.method: expected one of cls-asymptotic, bayes, got "cls"']);
    expect(errorsOf({ analysis: 'alp-gammagamma', inputs: { backgrounds: [{ path: 'a.csv' }, { columns: { m_gg_GeV: 3 }, selected: 1 }] } })).toEqual([
      'config.inputs.backgrounds[1].path: required field is missing',
      'config.inputs.backgrounds[1].columns.m_gg_GeV: expected a string, got 3',
      'config.inputs.backgrounds[1].selected: expected true or false, got 1',
    ]);
    expect(errorsOf({ analysis: 'alp-gammagamma', lumi_fb: 0 })).toEqual(['config.lumi_fb: expected a number in (0, 100000], got 0']);
    expect(errorsOf({ analysis: 'alp-gammagamma', grid: [] })).toEqual(['config.grid: expected an object, got an array']);
  });

  it('mlp.keep_signal: the MLP working point, in (0, 1], only for searches with an MLP', () => {
    expect(errorsOf({ analysis: 'dark-higgsstrahlung', mlp: { keep_signal: 0.7 } })).toEqual([]);
    expect(errorsOf({ analysis: 'zprime-tautau', mlp: { keep_signal: 1 } })).toEqual([]);
    expect(errorsOf({ analysis: 'dark-higgsstrahlung', mlp: { keep_signal: 0 } })).toEqual(['config.mlp.keep_signal: expected a number in (0, 1], got 0']);
    expect(errorsOf({ analysis: 'dark-higgsstrahlung', mlp: { keep_signal: 1.2, cut: 3 } })).toEqual(['config.mlp.keep_signal: expected a number in (0, 1], got 1.2', 'config.mlp.cut: unknown field (allowed: keep_signal)']);
    expect(errorsOf({ analysis: 'zprime-invisible', mlp: { keep_signal: 0.7 } })).toEqual(['config.mlp.keep_signal: only for dark-higgsstrahlung, zprime-tautau, scalar-tautau, alp-tautau (the other searches have no MLP)']);
  });

  it('checks what depends on the analysis: injection masses, cut columns, ranges, 2D restrictions', () => {
    expect(errorsOf({ analysis: 'dark-higgsstrahlung', inject: { mass_GeV: 3, events: 10 } })).toEqual([
      'config.inject.mass_GeV: not used by dark-higgsstrahlung (give m_A_GeV and m_h_GeV)',
      'config.inject.m_A_GeV: required field is missing (dark-higgsstrahlung)',
      'config.inject.m_h_GeV: required field is missing (dark-higgsstrahlung)',
    ]);
    expect(errorsOf({ analysis: 'zprime-invisible', inject: { m_A_GeV: 3, events: 10 } })).toEqual([
      'config.inject.m_A_GeV: only for dark-higgsstrahlung (give mass_GeV)',
      'config.inject.mass_GeV: required field is missing (zprime-invisible)',
    ]);
    expect(errorsOf({ analysis: 'dark-higgsstrahlung', selection: { cuts: [] } })[0]).toMatch(/^config\.selection: not supported for dark-higgsstrahlung/);
    const cut = errorsOf({ analysis: 'alp-gammagamma', selection: { cuts: [{ column: 'm_recoil_GeV', min: 1 }, { column: 'n_gamma', min: 3, max: 2 }, { column: 'n_gamma' }] } });
    expect(cut[0]).toMatch(/^config\.selection\.cuts\[0\]\.column: unknown column "m_recoil_GeV" for alp-gammagamma \(columns: weight, n_gamma, /);
    expect(cut[1]).toBe('config.selection.cuts[1].max: must be >= min (3), got 2');
    expect(cut[2]).toBe('config.selection.cuts[2]: give min and/or max');
    expect(errorsOf({ analysis: 'zprime-mumu', grid: { min_GeV: 5, max_GeV: 4 } })).toEqual(['config.grid.max_GeV: must be > min_GeV (5), got 4']);
    // A mass the signal process cannot produce (below the mu mu threshold).
    expect(errorsOf({ analysis: 'zprime-mumu', inject: { mass_GeV: 0.1, events: 10 } })[0]).toMatch(/^config\.inject\.mass_GeV: parameter mZp = 0\.1 GeV is below the decay threshold/);
  });

  it('rejects invalid JSON with a clear message, and the schema validator stands alone', () => {
    expect(() => parseConfig('{"analysis": ', 'bad.json')).toThrow(/bad\.json: invalid config \(1 error\):\n {2}config: invalid JSON/);
    expect(() => parseConfig('{\n  "analysis": "zprime-mumu",\n  "seed": 1,\n}', 'bad.json')).toThrow(/config: invalid JSON at line 4 column 1: Expected double-quoted property name/);
    expect(validate({ analysis: 'zprime-mumu' }, CONFIG_SCHEMA)).toEqual([]);
    expect(validate([], CONFIG_SCHEMA)).toEqual(['config: expected an object, got an array']);
  });
});
