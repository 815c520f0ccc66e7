// `darkscan cls`: CLs and the expected set of a pyhf workspace (pyhf cls), asymptotic or from toys
// (pyhf's ToyCalculator), for every patch of a patchset in one batched run.
import { parseArgs } from 'node:util';
import type { TestStat } from '../likelihood/infer.js';
import { clsDocument, clsToyFields } from '../likelihood/report.js';
import type { Command } from './args.js';
import { calculatorOf } from './hypotest.js';
import { LIKELIHOOD_FLAGS, loadModels, patchRows, poiValue, withSession } from './likelihood.js';
import { planOf, printToyJson, registerToyFinisher, runToyJob, TOY_FLAGS } from './likelihood-toys.js';

export function testStatOf(s: string): TestStat {
  if (s !== 'qtilde' && s !== 'q') throw new Error(`--test-stat: expected qtilde or q, got '${s}'`);
  return s;
}

const OPTIONS = {
  ...LIKELIHOOD_FLAGS,
  'poi-value': { type: 'string', default: '1', arg: 'MU', help: 'the POI value tested' },
  'test-stat': { type: 'string', default: 'qtilde', arg: 'T', help: 'qtilde (q~_mu, arXiv:1007.1727 eq. 16) or q (q_mu, eq. 14)' },
  calculator: { type: 'string', default: 'asymptotic', arg: 'C', help: "asymptotic or toys (pyhf's ToyCalculator)" },
  ...TOY_FLAGS,
} as const;

registerToyFinisher('cls', (h, counts, arrays) => clsToyFields(planOf(h), h, counts, arrays, h.config.poi_value as number, h.test_stat).fields);

export const cls: Command = {
  summary: 'CLs of a pyhf JSON workspace (or of every patch of a patchset) at one POI value, asymptotic or from toys',
  usage: 'cls WS.json [--patchset PS.json [--patch NAME]] [--measurement NAME] [--poi-value 1] [--test-stat qtilde|q] [--calculator asymptotic|toys [--toys K] [--seed S] [--shard i/n] [--checkpoint FILE]] [--backend B] [--json]',
  options: OPTIONS,
  async run(args, out, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
    const calc = calculatorOf(values.calculator!);
    if (calc !== 'toys' && (values.shard !== undefined || values.checkpoint !== undefined)) throw new Error('--shard and --checkpoint apply to --calculator toys');
    if (positionals.length > 1) throw new Error(`cls: one workspace file, got ${positionals.join(' ')}`);
    const stat = testStatOf(values['test-stat']!);
    const mu = poiValue(values['poi-value'], 1)!;
    const loaded = loadModels(positionals[0], values);
    if (calc === 'toys') {
      const job = await runToyJob(values, loaded, ctx, { command: 'cls', stat, config: { poi_value: mu }, points: async () => loaded.models.map((_, t) => ({ target: t, mu })) });
      const r = printToyJson(job, values.json, out);
      if (!r) return 0;
      const f = r.fields;
      const each = patchRows<Record<string, unknown>>(loaded, f);
      out(`# CLs at ${loaded.models[0].poiName} = ${mu} (${stat}, ${f.toys} toys per hypothesis, seed ${f.seed}; on ${r.session.backend.name}${r.resumed ? `, ${r.resumed} resumed` : ''})`);
      for (const [name, x] of each) {
        const nc = x.toys_not_converged as { s_plus_b: number; b_only: number };
        const exp = x.CLs_exp as number[], ee = x.CLs_exp_error as number[];
        out(`${name ? `${name}: ` : ''}CLs_obs ${(x.CLs_obs as number).toPrecision(5)} +- ${(x.CLs_obs_error as number).toPrecision(2)}  CLs_exp [${exp.map((v, k) => `${v.toPrecision(4)} +- ${ee[k].toPrecision(2)}`).join(', ')}]${nc.s_plus_b + nc.b_only ? `  (${nc.s_plus_b} s+b, ${nc.b_only} b-only toys not converged)` : ''}`);
      }
      return 0;
    }
    const { result: { doc, rows }, session } = await withSession(values, loaded.models, ctx, (s) => clsDocument(s, loaded, { mu, stat }));
    if (values.json) {
      out(JSON.stringify(doc));
      return 0;
    }
    out(`# CLs at ${loaded.models[0].poiName} = ${mu} (${stat}, asymptotic; ${session.fits} fits on ${session.backend.name}${session.unconverged ? `, ${session.unconverged} not converged` : ''})`);
    rows.forEach((r, i) => out(`${loaded.patches ? `${loaded.patches[i]}: ` : ''}CLs_obs ${r.CLs_obs.toPrecision(6)}  CLs_exp [${r.CLs_exp.map((x) => x.toPrecision(5)).join(', ')}]`));
    return 0;
  },
};
