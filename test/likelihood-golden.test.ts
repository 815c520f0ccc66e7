// Against pyhf 0.7.6 itself (test/golden/pyhf/results.json, made by make_golden.py beside it; CI
// needs no Python): every fixture workspace and every patch of the fixture patchsets, all fitted
// in batched dispatches. Tolerances are issue 13's: CLs within 2e-4 + 0.1%, mu-hat within 2e-3,
// twice NLL within 2e-3, upper limits within 1%. Where pyhf's SLSQP stops short of the minimum
// (a twice_nll above ours), mu-hat is compared with the looser bound its flat direction allows,
// and the test says so.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseWorkspace } from '../engine/likelihood/workspace.js';
import { applyPatch, parsePatchset } from '../engine/likelihood/patchset.js';
import { compileModel, type CompiledModel } from '../engine/likelihood/model.js';
import { FitSession, bestFits, hypotests, upperLimits, type Target } from '../engine/likelihood/infer.js';
import { CpuBackend } from '../host/cpu.js';

type Num = number | number[];
interface Golden {
  poi: string;
  fit: { bestfit: Record<string, Num>; twice_nll: number; uncertainties: Record<string, Num> };
  fixed_poi_fit: { poi_value: number; bestfit: Record<string, Num>; twice_nll: number };
  cls: Record<'qtilde' | 'q', { poi_value: number; CLs_obs: number; CLs_exp: number[] }>;
  discovery: { q0: number; p0: number; p0_exp: number[] };
  upper_limit: Record<string, { obs: number; exp: number[] }>;
}
const G = JSON.parse(readFileSync('test/golden/pyhf/results.json', 'utf8')) as {
  workspaces: Record<string, Golden>;
  patchsets: Record<string, Record<string, Golden>>;
};

// Every golden entry with its model.
const entries: { name: string; g: Golden; model: CompiledModel }[] = [];
for (const [rel, g] of Object.entries(G.workspaces)) {
  const ws = parseWorkspace(JSON.parse(readFileSync(`test/fixtures/pyhf/${rel}`, 'utf8')), rel);
  entries.push({ name: rel, g, model: compileModel(ws, { source: rel }) });
}
for (const [rel, patches] of Object.entries(G.patchsets)) {
  const bkg = JSON.parse(readFileSync(`test/fixtures/pyhf/${rel.replace('_patchset', '_bkg')}`, 'utf8'));
  const ps = parsePatchset(JSON.parse(readFileSync(`test/fixtures/pyhf/${rel}`, 'utf8')), rel);
  for (const p of ps.patches) entries.push({ name: `${rel} ${p.metadata.name}`, g: patches[p.metadata.name], model: compileModel(applyPatch(bkg, p, rel), { source: rel }) });
}
const models = entries.map((e) => e.model);
const targets: Target[] = models.map((m, i) => ({ model: i, data: m.observed }));
const session = new FitSession(new CpuBackend(), models);
const within = (ours: number, theirs: number, abs: number, rel = 0) => Math.abs(ours - theirs) <= abs + rel * Math.abs(theirs);

describe(`pyhf goldens: ${entries.length} workspaces and patches`, () => {
  it('best fits: twice_nll within 2e-3, mu-hat within 2e-3 (or pyhf is not at the minimum), POI held at 1 likewise', async () => {
    const free = await bestFits(session, targets);
    const cond = await bestFits(session, targets, 1);
    let looser = 0;
    entries.forEach(({ name, g, model }, i) => {
      expect(within(free[i].twice_nll, g.fit.twice_nll, 2e-3), `${name}: twice_nll ${free[i].twice_nll} vs pyhf ${g.fit.twice_nll}`).toBe(true);
      expect(within(cond[i].twice_nll, g.fixed_poi_fit.twice_nll, 2e-3), `${name}: twice_nll at POI = 1 ${cond[i].twice_nll} vs pyhf ${g.fixed_poi_fit.twice_nll}`).toBe(true);
      const mu = free[i].bestfit[model.poiName] as number, muPy = g.fit.bestfit[g.poi] as number;
      if (!within(mu, muPy, 2e-3)) {
        // pyhf stopped short: its twice_nll is above ours, and mu-hat moves along a flat direction.
        looser++;
        expect(free[i].twice_nll, `${name}: mu-hat ${mu} vs pyhf ${muPy} with pyhf not lower`).toBeLessThan(g.fit.twice_nll - 1e-5);
        expect(within(mu, muPy, 2e-2), `${name}: mu-hat ${mu} vs pyhf ${muPy}`).toBe(true);
      }
    });
    expect(looser, 'entries where pyhf is off its minimum').toBeLessThanOrEqual(Math.ceil(entries.length / 10));
  });

  it('uncertainties (inverse Hessian) within 5% of pyhf/minuit HESSE where no parameter is within 1 sigma of a bound', async () => {
    // Near a bound minuit's HESSE works in transformed parameters (its sin map flattens there:
    // e.g. mu-hat = 0.096 +- 13 from minuit where the Hessian says +- 2.3), which moves every
    // correlated error: those fits are not compared (ours hold a bound parameter fixed for the others).
    const free = await bestFits(session, targets);
    let compared = 0;
    entries.forEach(({ name, g, model }, i) => {
      const th = model.params.flatMap((s) => [free[i].bestfit[s.name]].flat());
      const un = model.params.flatMap((s) => [free[i].uncertainties[s.name]].flat());
      const nearBound = model.fit.params.some((p, j) => !p.fixed && (th[j] - p.lo < un[j] || p.hi - th[j] < un[j]));
      if (nearBound) return;
      compared++;
      for (const s of model.params) {
        [free[i].uncertainties[s.name]].flat().forEach((u, k) => {
          const theirs = [g.fit.uncertainties[s.name]].flat()[k];
          expect(within(u, theirs, 0, 0.05), `${name} ${s.name}[${k}]: ${u} vs minuit ${theirs}`).toBe(true);
        });
      }
    });
    expect(compared, 'fits compared').toBeGreaterThanOrEqual(8);
  });

  for (const stat of ['qtilde', 'q'] as const) {
    it(`CLs (${stat}) and the expected set within 2e-4 + 0.1%`, async () => {
      const res = await hypotests(session, targets, entries.map(({ g }) => [g.cls[stat].poi_value]), stat);
      entries.forEach(({ name, g }, i) => {
        const r = res[i][0], want = g.cls[stat];
        expect(within(r.cls, want.CLs_obs, 2e-4, 1e-3), `${name}: CLs ${r.cls} vs pyhf ${want.CLs_obs}`).toBe(true);
        r.expected.forEach((v, k) => expect(within(v, want.CLs_exp[k], 2e-4, 1e-3), `${name}: CLs_exp[${k}] ${v} vs pyhf ${want.CLs_exp[k]}`).toBe(true));
      });
    });
  }

  it('discovery: p0 and its expected set (q0) within 2e-4 + 0.1%', async () => {
    const res = await hypotests(session, targets, entries.map(() => [0]), 'q0');
    entries.forEach(({ name, g }, i) => {
      expect(within(res[i][0].cls, g.discovery.p0, 2e-4, 1e-3), `${name}: p0 ${res[i][0].cls} vs pyhf ${g.discovery.p0}`).toBe(true);
      res[i][0].expected.forEach((v, k) => expect(within(v, g.discovery.p0_exp[k], 2e-4, 1e-3), `${name}: p0_exp[${k}]`).toBe(true));
    });
  });

  it('upper limits at 95% and 90% CL within 1%', async () => {
    for (const cl of ['0.95', '0.90']) {
      const res = await upperLimits(session, targets, { cl: Number(cl) });
      entries.forEach(({ name, g }, i) => {
        const want = g.upper_limit[cl];
        expect(within(res[i].obs, want.obs, 0, 0.01), `${name} ${cl}: obs ${res[i].obs} vs pyhf ${want.obs}`).toBe(true);
        res[i].exp.forEach((v, k) => expect(within(v, want.exp[k], 0, 0.01), `${name} ${cl}: exp[${k}] ${v} vs pyhf ${want.exp[k]}`).toBe(true));
      });
    }
    expect(session.unconverged).toBe(0);
  });
});
