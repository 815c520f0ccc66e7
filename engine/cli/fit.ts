// `darkscan fit`: the maximum-likelihood fit of a pyhf workspace (pyhf fit): best-fit values,
// Hessian uncertainties and twice the negative log-likelihood with its constants.
import { parseArgs } from 'node:util';
import { fitDocument } from '../likelihood/report.js';
import type { Command } from './args.js';
import { LIKELIHOOD_FLAGS, loadModels, poiValue, withSession } from './likelihood.js';

const OPTIONS = { ...LIKELIHOOD_FLAGS, 'poi-value': { type: 'string', arg: 'MU', help: 'hold the POI at MU (default: fitted)' } } as const;

export const fitCmd: Command = {
  summary: 'maximum-likelihood fit of a pyhf JSON workspace: bestfit, uncertainties, twice_nll (POI free or held at --poi-value)',
  usage: 'fit WS.json [--patchset PS.json [--patch NAME]] [--measurement NAME] [--poi-value MU] [--backend B] [--json]',
  options: OPTIONS,
  async run(args, out, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
    if (positionals.length > 1) throw new Error(`fit: one workspace file, got ${positionals.join(' ')}`);
    const mu = poiValue(values['poi-value']);
    const loaded = loadModels(positionals[0], values);
    const { result: { doc, rows: result }, session } = await withSession(values, loaded.models, ctx, (s) => fitDocument(s, loaded, mu));
    if (values.json) {
      out(JSON.stringify(doc));
      return 0;
    }
    result.forEach((r, i) => {
      out(`# ${loaded.patches ? `patch ${loaded.patches[i]}: ` : ''}fit on ${session.backend.name} (${r.status}, ${r.iterations} iterations), twice_nll ${r.twice_nll.toFixed(6)}`);
      for (const [k, v] of Object.entries(r.bestfit)) {
        const u = r.uncertainties[k];
        const fmt = (x: number | number[]) => (Array.isArray(x) ? `[${x.map((y) => y.toPrecision(6)).join(', ')}]` : x.toPrecision(6));
        out(`${k.padEnd(24)} ${fmt(v)} +- ${fmt(u)}`);
      }
    });
    return 0;
  },
};
