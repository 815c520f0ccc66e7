// `darkscan upper-limit`: CLs upper limits on the POI, observed and expected set (pyhf
// upper-limit), at any confidence level, for every patch of a patchset in batched dispatches;
// asymptotic, or from toys on a scan of POI values (pyhf's upper_limit with a scan).
import { parseArgs } from 'node:util';
import { upperLimits } from '../likelihood/infer.js';
import { upperLimitDocument } from '../likelihood/report.js';
import { toyHypoTests, toyUpperLimits } from '../likelihood/toycls.js';
import { intArg, numArg, type Command } from './args.js';
import { testStatOf } from './cls.js';
import { calculatorOf } from './hypotest.js';
import { LIKELIHOOD_FLAGS, loadModels, patchRows, perPatch, targetsOf, withSession } from './likelihood.js';
import { planOf, printToyJson, registerToyFinisher, runToyJob, TOY_FLAGS } from './likelihood-toys.js';

const OPTIONS = {
  ...LIKELIHOOD_FLAGS,
  cl: { type: 'string', default: '0.95', arg: 'CL', help: 'confidence level: the limit is where CLs = 1 - CL' },
  'test-stat': { type: 'string', default: 'qtilde', arg: 'T', help: 'qtilde or q' },
  calculator: { type: 'string', default: 'asymptotic', arg: 'C', help: 'asymptotic, or toys (CLs from toys on a POI scan)' },
  scan: { type: 'string', arg: 'LO:HI:N', help: 'toys: N POI values from LO to HI (default: 16 up to 1.5x the asymptotic +2 sigma or observed limit, whichever is larger)' },
  ...TOY_FLAGS,
} as const;

const SCAN_POINTS = 16;

/** "LO:HI:N" -> N evenly spaced POI values (numpy.linspace). */
export function scanArg(s: string): number[] {
  const m = s.split(':');
  if (m.length !== 3) throw new Error(`--scan: expected LO:HI:N (e.g. 0.1:5:20), got '${s}'`);
  const lo = numArg(m[0], '--scan LO', 0), hi = numArg(m[1], '--scan HI', 0), n = intArg(m[2], '--scan N', 2, 1000);
  if (!(hi > lo)) throw new Error(`--scan: HI must exceed LO, got '${s}'`);
  return Array.from({ length: n }, (_, k) => lo + ((hi - lo) * k) / (n - 1));
}

registerToyFinisher('upper-limit', (h, counts, arrays) => {
  const plan = planOf(h);
  const cl = h.config.cl as number;
  const tests = toyHypoTests(plan, counts, arrays);
  const targets = Math.max(...h.points.map((p) => p.target)) + 1;
  const rows = toyUpperLimits(plan, tests, targets, 1 - cl).map((u) => ({
    obs: u.obs, exp: u.exp, obs_error: u.obsError, exp_error: u.expError,
    scan: { poi_values: u.scan, CLs_obs: u.cls, CLs_exp: u.clsExp },
  }));
  const bad = tests.reduce((a, t) => a + t.notConverged.sb + t.notConverged.b, 0);
  return { ...perPatch(h, rows), cl, test_stat: h.test_stat, toys_not_converged: bad };
});

export const upperLimit: Command = {
  summary: 'CLs upper limit on the POI of a pyhf JSON workspace (or of every patch), observed and expected set, asymptotic or from toys',
  usage: 'upper-limit WS.json [--patchset PS.json [--patch NAME]] [--measurement NAME] [--cl 0.95] [--test-stat qtilde|q] [--calculator asymptotic|toys [--scan LO:HI:N] [--toys K] [--seed S] [--shard i/n] [--checkpoint FILE]] [--backend B] [--json]',
  options: OPTIONS,
  async run(args, out, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
    const calc = calculatorOf(values.calculator!);
    if (calc !== 'toys' && (values.shard !== undefined || values.checkpoint !== undefined || values.scan !== undefined)) throw new Error('--scan, --shard and --checkpoint apply to --calculator toys');
    if (positionals.length > 1) throw new Error(`upper-limit: one workspace file, got ${positionals.join(' ')}`);
    const cl = numArg(values.cl!, '--cl', 0, 1);
    if (!(cl > 0 && cl < 1)) throw new Error(`--cl: expected a number in (0, 1), got '${values.cl}'`);
    const stat = testStatOf(values['test-stat']!);
    if (stat !== 'qtilde' && stat !== 'q') throw new Error('--test-stat: qtilde or q');
    const loaded = loadModels(positionals[0], values);
    if (calc === 'toys') {
      const given = values.scan === undefined ? undefined : scanArg(values.scan);
      const job = await runToyJob(values, loaded, ctx, {
        command: 'upper-limit', stat, config: { cl, scan: values.scan ?? null },
        async points(s) {
          let grids: number[][];
          if (given) grids = loaded.models.map(() => given);
          else {
            // The default scan reaches past the asymptotic limits (observed and +2 sigma expected).
            const asy = await upperLimits(s, targetsOf(loaded.models), { cl, stat });
            grids = asy.map((u) => {
              const top = 1.5 * Math.max(...[u.obs, ...u.exp].filter(Number.isFinite), 0);
              if (!(top > 0)) throw new Error('upper-limit: no asymptotic limit to place the toy scan; give --scan LO:HI:N');
              return Array.from({ length: SCAN_POINTS }, (_, k) => (top * (k + 1)) / SCAN_POINTS);
            });
          }
          return grids.flatMap((g, t) => g.map((mu) => ({ target: t, mu })));
        },
      });
      const r = printToyJson(job, values.json, out);
      if (!r) return 0;
      const f = r.fields;
      const each = patchRows<{ obs: number; exp: number[]; obs_error: number; exp_error: number[] }>(loaded, f);
      out(`# ${cl * 100}% CL upper limits on ${loaded.models[0].poiName} (${stat}, ${f.toys} toys per hypothesis and POI value, seed ${f.seed}; on ${r.session.backend.name}${f.toys_not_converged ? `, ${f.toys_not_converged} toys not converged` : ''})`);
      for (const [name, x] of each) out(`${name ? `${name}: ` : ''}obs ${x.obs.toPrecision(5)} +- ${x.obs_error.toPrecision(2)}  exp [${x.exp.map((v, k) => `${v.toPrecision(4)} +- ${x.exp_error[k].toPrecision(2)}`).join(', ')}]`);
      return 0;
    }
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
