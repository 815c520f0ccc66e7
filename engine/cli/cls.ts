// `darkscan cls`: asymptotic CLs and the expected set of a pyhf workspace (pyhf cls), for every
// patch of a patchset in one batched dispatch.
import { parseArgs } from 'node:util';
import type { TestStat } from '../likelihood/infer.js';
import { clsDocument } from '../likelihood/report.js';
import type { Command } from './args.js';
import { LIKELIHOOD_FLAGS, loadModels, poiValue, withSession } from './likelihood.js';

export function testStatOf(s: string): TestStat {
  if (s !== 'qtilde' && s !== 'q') throw new Error(`--test-stat: expected qtilde or q, got '${s}'`);
  return s;
}

const OPTIONS = {
  ...LIKELIHOOD_FLAGS,
  'poi-value': { type: 'string', default: '1', arg: 'MU', help: 'the POI value tested' },
  'test-stat': { type: 'string', default: 'qtilde', arg: 'T', help: 'qtilde (q~_mu, arXiv:1007.1727 eq. 16) or q (q_mu, eq. 14)' },
  calculator: { type: 'string', default: 'asymptotic', arg: 'C', help: 'asymptotic (toys for workspaces: issue 14)' },
} as const;

export const cls: Command = {
  summary: 'asymptotic CLs of a pyhf JSON workspace (or of every patch of a patchset) at one POI value',
  usage: 'cls WS.json [--patchset PS.json [--patch NAME]] [--measurement NAME] [--poi-value 1] [--test-stat qtilde|q] [--calculator asymptotic] [--backend B] [--json]',
  options: OPTIONS,
  async run(args, out, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
    if (values.calculator !== 'asymptotic') throw new Error(`--calculator: only asymptotic is implemented for workspaces, got '${values.calculator}'`);
    if (positionals.length > 1) throw new Error(`cls: one workspace file, got ${positionals.join(' ')}`);
    const stat = testStatOf(values['test-stat']!);
    const mu = poiValue(values['poi-value'], 1)!;
    const loaded = loadModels(positionals[0], values);
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
