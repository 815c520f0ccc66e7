// `darkscan discovery`: p0 and Z of an excess (q_0, arXiv:1007.1727 eq. (12)), for one counting
// window (the flags) or for a pyhf workspace (and every patch of a patchset) given as WS.json.
import { parseArgs } from 'node:util';
import { discoveryAsymptotic, discoveryToys } from '../stats/index.js';
import { hypotests } from '../likelihood/infer.js';
import { withBackend, type Command, type Context, type Out } from './args.js';
import { calculatorOf } from './hypotest.js';
import { MODEL_FLAGS, modelFromFlags, toyFlags } from './limit.js';
import { LIKELIHOOD_FLAGS, loadModels, patchRows, perPatch, runRecord, targetsOf, withSession } from './likelihood.js';
import { planOf, printToyJson, registerToyFinisher, runToyJob, TOY_RUN_FLAGS } from './likelihood-toys.js';
import { toyDiscovery } from '../likelihood/toycls.js';

const OPTIONS = { ...MODEL_FLAGS, ...LIKELIHOOD_FLAGS, calculator: { type: 'string', default: 'asymptotic', arg: 'C', help: 'asymptotic or toys' }, ...TOY_RUN_FLAGS } as const;
type Values = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof OPTIONS }>>['values'];

/** JSON has no infinity: Z is null when no toy reached the observation (p0 = 0). */
const zJson = (z: number) => (Number.isFinite(z) ? z : null);

export const discovery: Command = {
  summary: 'discovery significance: p0 and Z of one counting window (flags) or of a pyhf workspace / every patch of a patchset (WS.json), asymptotic or from toys',
  usage: 'discovery (--observed N --background B [--background-uncertainty S] [--uncertainty-model gauss|lognormal|poisson] | WS.json [--patchset PS.json [--patch NAME]] [--measurement NAME]) [--calculator asymptotic|toys] [--toys K] [--seed S] [--backend B] [--json]',
  options: OPTIONS,
  async run(args, out, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
    const calc = calculatorOf(values.calculator!);
    if (positionals.length > 1) throw new Error(`discovery: one workspace file, got ${positionals.join(' ')}`);
    if (positionals.length === 1) return workspaceDiscovery(positionals[0], values, calc, out, ctx);
    for (const f of ['patchset', 'patch', 'measurement', 'shard', 'checkpoint', 'block'] as const) if (values[f] !== undefined) throw new Error(`discovery: --${f} applies to a workspace (darkscan discovery WS.json ...)`);
    const m = modelFromFlags(values);
    let r: { p0: number; z: number }, note = '';
    if (calc === 'toys') {
      const t = toyFlags(values);
      r = await withBackend(values, (backend) => discoveryToys(m, { backend, ...t }));
      note = `, ${t.toys} toys, seed ${t.seed}`;
    } else {
      r = discoveryAsymptotic(m);
    }
    if (values.json) {
      out(JSON.stringify({ p0: r.p0, z: zJson(r.z) }));
      return 0;
    }
    out(`# discovery (${calc}${note}): n = ${m.n}, b = ${m.b}`);
    out(`p0 ${r.p0.toPrecision(6)}  Z ${r.z.toPrecision(6)}`);
    return 0;
  },
};

registerToyFinisher('discovery', (h, counts) => {
  const rows = toyDiscovery(planOf(h), counts).map((r) => ({ p0: r.p0, z: zJson(r.z), p0_error: r.p0Error, q0: r.q0, toys_not_converged: r.notConverged }));
  return { ...perPatch(h, rows), test_stat: 'q0' };
});

/**
 * q_0 of the workspace's observed data: p0 as pyhf's hypotest(0, test_stat="q0"), Z = sqrt(q_0)
 * (asymptotic, arXiv:1007.1727 eq. 53); with toys, p0 = the fraction of toys generated at
 * fixed_poi_fit(0) with q_0 >= q_0,obs (pyhf's ToyCalculator) and Z = Phi^-1(1 - p0).
 */
async function workspaceDiscovery(file: string, values: Values, calc: 'asymptotic' | 'toys', out: Out, ctx: Context): Promise<number> {
  for (const f of ['observed', 'background', 'signal'] as const) if (values[f] !== undefined) throw new Error(`discovery: --${f} describes a counting window; a workspace has its own data`);
  if (calc !== 'toys' && (values.shard !== undefined || values.checkpoint !== undefined)) throw new Error('--shard and --checkpoint apply to --calculator toys');
  const loaded = loadModels(file, values);
  if (calc === 'toys') {
    const job = await runToyJob(values, loaded, ctx, { command: 'discovery', stat: 'q0', nullOnly: true, config: {}, points: async () => loaded.models.map((_, t) => ({ target: t, mu: 0 })) });
    const r = printToyJson(job, values.json, out);
    if (!r) return 0;
    const f = r.fields;
    const each = patchRows<{ p0: number; z: number | null; p0_error: number; toys_not_converged: number }>(loaded, f);
    out(`# discovery (q0, ${f.toys} toys, seed ${f.seed}; on ${r.session.backend.name})`);
    for (const [name, x] of each) out(`${name ? `${name}: ` : ''}p0 ${x.p0.toPrecision(5)} +- ${x.p0_error.toPrecision(2)}  Z ${x.z === null ? 'inf' : x.z.toPrecision(5)}${x.toys_not_converged ? `  (${x.toys_not_converged} toys not converged)` : ''}`);
    return 0;
  }
  const { result, session } = await withSession(values, loaded.models, ctx, (s) => hypotests(s, targetsOf(loaded.models), loaded.models.map(() => [0]), 'q0'));
  const rows = result.map(([r]) => ({ p0: r.cls, z: Math.sqrt(Math.max(r.q, 0)), q0: r.q, p0_exp: r.expected }));
  if (values.json) {
    out(JSON.stringify({ ...perPatch(loaded, rows), test_stat: 'q0', calculator: calc, ...runRecord(session, loaded) }));
    return 0;
  }
  out(`# discovery (q0, ${calc}; ${session.fits} fits on ${session.backend.name}${session.unconverged ? `, ${session.unconverged} not converged` : ''})`);
  rows.forEach((r, i) => out(`${loaded.patches ? `${loaded.patches[i]}: ` : ''}p0 ${r.p0.toPrecision(6)}  Z ${r.z.toPrecision(6)}  p0_exp [${r.p0_exp.map((x) => x.toPrecision(5)).join(', ')}]`));
  return 0;
}
