// `darkscan hypotest`: CLs, CLs+b, CLb and the expected CLs set at mu = 1 (pyhf's hypotest).
import { parseArgs } from 'node:util';
import { selectBackend } from '../../host/index.js';
import { hypotestAsymptotic, hypotestToys } from '../stats/index.js';
import { backendOptions, type Command } from './args.js';
import { MODEL_FLAGS, modelFromFlags, toyFlags } from './limit.js';

export function calculatorOf(s: string): 'asymptotic' | 'toys' {
  if (s !== 'asymptotic' && s !== 'toys') throw new Error(`--calculator: expected asymptotic or toys, got '${s}'`);
  return s;
}

export const hypotest: Command = {
  summary: 'hypothesis test at mu = 1 (signal S): CLs, CLs+b, CLb and the expected CLs set, asymptotic or from toys',
  usage: 'hypotest --observed N --signal S --background B [--background-uncertainty S] [--uncertainty-model gauss|lognormal|poisson] [--efficiency-uncertainty R] [--calculator asymptotic|toys] [--toys K] [--seed S] [--json]',
  async run(args, out) {
    const { values } = parseArgs({ args, options: { ...MODEL_FLAGS, calculator: { type: 'string', default: 'asymptotic' } } });
    const calc = calculatorOf(values.calculator!);
    const m = modelFromFlags(values, true);
    let r: { cls: number; clsb: number; clb: number; expected: number[] }, note = '';
    if (calc === 'toys') {
      const t = toyFlags(values);
      const backend = await selectBackend(backendOptions(values));
      try {
        r = await hypotestToys(m, 1, { backend, ...t });
      } finally {
        await backend.dispose();
      }
      note = `, ${t.toys} toys, seed ${t.seed}`;
    } else {
      r = hypotestAsymptotic(m, 1);
    }
    if (values.json) {
      out(JSON.stringify({ cls: r.cls, clsb: r.clsb, clb: r.clb, expected: r.expected }));
      return 0;
    }
    out(`# hypotest at mu = 1 (${calc}${note}): n = ${m.n}, s = ${m.sRef}, b = ${m.b}`);
    out(`CLs ${r.cls.toPrecision(6)}  CLs+b ${r.clsb.toPrecision(6)}  CLb ${r.clb.toPrecision(6)}`);
    out(`expected CLs [-2s, -1s, median, +1s, +2s]: ${r.expected.map((x) => x.toPrecision(5)).join(' ')}`);
    return 0;
  },
};
