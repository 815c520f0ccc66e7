// `darkscan upper-limit`: asymptotic CLs upper limits on the POI, observed and expected set
// (pyhf upper-limit), at any confidence level, for every patch of a patchset in batched dispatches.
import { parseArgs } from 'node:util';
import { upperLimitDocument } from '../likelihood/report.js';
import { numArg, type Command } from './args.js';
import { testStatOf } from './cls.js';
import { LIKELIHOOD_FLAGS, loadModels, withSession } from './likelihood.js';

const OPTIONS = {
  ...LIKELIHOOD_FLAGS,
  cl: { type: 'string', default: '0.95', arg: 'CL', help: 'confidence level: the limit is where CLs = 1 - CL' },
  'test-stat': { type: 'string', default: 'qtilde', arg: 'T', help: 'qtilde or q' },
  calculator: { type: 'string', default: 'asymptotic', arg: 'C', help: 'asymptotic (toys for workspaces: issue 14)' },
} as const;

export const upperLimit: Command = {
  summary: 'asymptotic CLs upper limit on the POI of a pyhf JSON workspace (or of every patch), observed and expected set',
  usage: 'upper-limit WS.json [--patchset PS.json [--patch NAME]] [--measurement NAME] [--cl 0.95] [--test-stat qtilde|q] [--backend B] [--json]',
  options: OPTIONS,
  async run(args, out, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
    if (values.calculator !== 'asymptotic') throw new Error(`--calculator: only asymptotic is implemented for workspaces, got '${values.calculator}'`);
    if (positionals.length > 1) throw new Error(`upper-limit: one workspace file, got ${positionals.join(' ')}`);
    const cl = numArg(values.cl!, '--cl', 0, 1);
    if (!(cl > 0 && cl < 1)) throw new Error(`--cl: expected a number in (0, 1), got '${values.cl}'`);
    const stat = testStatOf(values['test-stat']!);
    if (stat !== 'qtilde' && stat !== 'q') throw new Error('--test-stat: qtilde or q');
    const loaded = loadModels(positionals[0], values);
    const { result: { doc, rows }, session } = await withSession(values, loaded.models, ctx, (s) => upperLimitDocument(s, loaded, { cl, stat }));
    if (values.json) {
      out(JSON.stringify(doc));
      return 0;
    }
    out(`# ${cl * 100}% CL upper limits on ${loaded.models[0].poiName} (${stat}, asymptotic; ${session.fits} fits on ${session.backend.name}${session.unconverged ? `, ${session.unconverged} not converged` : ''})`);
    rows.forEach((r, i) => out(`${loaded.patches ? `${loaded.patches[i]}: ` : ''}obs ${r.obs.toPrecision(6)}  exp [${r.exp.map((x) => x.toPrecision(5)).join(', ')}]`));
    return 0;
  },
};
