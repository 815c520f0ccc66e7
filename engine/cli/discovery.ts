// `darkscan discovery`: p0 and Z of an excess (q_0, arXiv:1007.1727 eq. (12)).
import { parseArgs } from 'node:util';
import { discoveryAsymptotic, discoveryToys } from '../stats/index.js';
import { withBackend, type Command } from './args.js';
import { calculatorOf } from './hypotest.js';
import { MODEL_FLAGS, modelFromFlags, toyFlags } from './limit.js';

const OPTIONS = { ...MODEL_FLAGS, calculator: { type: 'string', default: 'asymptotic', arg: 'C', help: 'asymptotic or toys' } } as const;

export const discovery: Command = {
  summary: 'discovery significance of one window: p0 and Z, asymptotic or from background-only toys',
  usage: 'discovery --observed N --background B [--background-uncertainty S] [--uncertainty-model gauss|lognormal|poisson] [--calculator asymptotic|toys] [--toys K] [--seed S] [--json]',
  options: OPTIONS,
  async run(args, out) {
    const { values } = parseArgs({ args, options: OPTIONS });
    const calc = calculatorOf(values.calculator!);
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
      // JSON has no infinity: Z is null when no toy reached the observation (p0 = 0).
      out(JSON.stringify({ p0: r.p0, z: Number.isFinite(r.z) ? r.z : null }));
      return 0;
    }
    out(`# discovery (${calc}${note}): n = ${m.n}, b = ${m.b}`);
    out(`p0 ${r.p0.toPrecision(6)}  Z ${r.z.toPrecision(6)}`);
    return 0;
  },
};
