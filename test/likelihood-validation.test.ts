// pyhf's ROOT-validated cases (pyhf validation/test_validation.py; values in
// test/fixtures/pyhf/validation/expected.json): asymptotic CLs and the expected set to atol 1e-4.
// pyhf builds these models with modifier_settings {normsys: code1}, which leaves histosys at its
// builder default, code 0 (ROOT's piecewise-linear interpolation).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readWorkspace } from '../engine/likelihood/workspace.js';
import { compileModel } from '../engine/likelihood/model.js';
import { FitSession, hypotests, type TestStat } from '../engine/likelihood/infer.js';
import { CpuBackend } from '../host/cpu.js';

const dir = 'test/fixtures/pyhf/validation/';
const expected = JSON.parse(readFileSync(dir + 'expected.json', 'utf8')) as {
  cases: Record<string, { workspace: string; poi_value: number; test_stat: TestStat; calctype: string; normsys_interpcode: string; root: { obs: number; exp: number[] } }>;
};
const cases = Object.entries(expected.cases).filter(([, c]) => c.calctype === 'asymptotics');

describe('pyhf validation cases (ROOT HistFactory), asymptotic', () => {
  it('covers the cases the issue names', () => {
    expect(cases.map(([k]) => k)).toEqual(expect.arrayContaining(['1bin_shapesys', '1bin_lumi', '1bin_normsys', '2bin_histosys', '2bin_2channel', '2bin_2channel_couplednorm', '2bin_2channel_coupledhistosys', '2bin_2channel_coupledshapefactor']));
  });
  for (const [name, c] of cases) {
    it(`${name}: CLs and the expected set within 1e-4 of ROOT`, async () => {
      const ws = readWorkspace(readFileSync(dir + c.workspace, 'utf8'), c.workspace);
      const m = compileModel(ws, c.normsys_interpcode === 'code1' ? { normsysCode: 1, histosysCode: 0 } : {});
      const s = new FitSession(new CpuBackend(), [m]);
      const [[r]] = await hypotests(s, [{ model: 0, data: m.observed }], [[c.poi_value]], c.test_stat);
      expect(Math.abs(r.cls - c.root.obs), `CLs ${r.cls} vs ROOT ${c.root.obs}`).toBeLessThan(1e-4);
      r.expected.forEach((v, k) => expect(Math.abs(v - c.root.exp[k]), `expected[${k}] ${v} vs ROOT ${c.root.exp[k]}`).toBeLessThan(1e-4));
      expect(s.unconverged).toBe(0);
    });
  }
});
