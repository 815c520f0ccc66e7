// `darkscan limit`: the upper limit (and interval) on the signal count of one counting window.
import { parseArgs } from 'node:util';
import {
  bayesUpper, clsNUpper, expectedFromCounts, feldmanCousins, makeModel, upperLimitAsymptotic, upperLimitsToys,
  UNCERTAINTY_MODELS, type Model, type UncertaintyModel,
} from '../stats/index.js';
import { BACKEND_FLAGS, intArg, numArg, required, withBackend, type Command } from './args.js';

import { parseLimitMethod, type WindowLimitMethod } from '../stats/windows.js';

/** Flags of the counting model, shared by limit, hypotest and discovery. */
export const MODEL_FLAGS = {
  observed: { type: 'string', arg: 'N', help: 'observed events' },
  background: { type: 'string', arg: 'B', help: 'expected background events' },
  signal: { type: 'string', arg: 'S', help: 'signal events at mu = 1 (limits are then on mu; default: 1, limits on signal events)' },
  'background-uncertainty': { type: 'string', default: '0', arg: 'SIGMA', help: 'absolute uncertainty on the background, events' },
  'uncertainty-model': { type: 'string', default: 'gauss', arg: 'M', help: 'constraint of the background: gauss, lognormal or poisson' },
  'efficiency-uncertainty': { type: 'string', default: '0', arg: 'R', help: 'relative uncertainty on the signal efficiency' },
  toys: { type: 'string', default: '10000', arg: 'K', help: 'toys per hypothesis (toy methods)' },
  seed: { type: 'string', default: '1', arg: 'S', help: 'seed of the toys' },
  json: { type: 'boolean', help: 'print JSON' },
  ...BACKEND_FLAGS,
} as const;

export interface ModelFlagValues {
  observed?: string; background?: string; signal?: string; 'background-uncertainty'?: string; 'uncertainty-model'?: string;
  'efficiency-uncertainty'?: string; toys?: string; seed?: string;
}

export function modelFromFlags(v: ModelFlagValues, signalRequired = false): Model {
  const n = intArg(required(v.observed, '--observed'), '--observed', 0, 1e8);
  const b = numArg(required(v.background, '--background'), '--background', 0, 1e7);
  const sRef = signalRequired ? numArg(required(v.signal, '--signal'), '--signal', 1e-12, 1e7) : v.signal ? numArg(v.signal, '--signal', 1e-12, 1e7) : 1;
  const sigmaB = numArg(v['background-uncertainty']!, '--background-uncertainty', 0, 1e7);
  const kind = v['uncertainty-model']!;
  if (!(UNCERTAINTY_MODELS as readonly string[]).includes(kind) || kind === 'none') throw new Error(`--uncertainty-model: expected gauss, lognormal or poisson, got '${kind}'`);
  const effUnc = numArg(v['efficiency-uncertainty']!, '--efficiency-uncertainty', 0, 10);
  return makeModel({ n, b, sRef, sigmaB, uncertainty: kind as UncertaintyModel, effUnc }, 'model');
}

export function toyFlags(v: ModelFlagValues): { toys: number; seed: number } {
  return { toys: intArg(v.toys!, '--toys', 1, 1e8), seed: intArg(v.seed!, '--seed') };
}

const OPTIONS = {
  ...MODEL_FLAGS,
  method: { type: 'string', default: 'cls', arg: 'M', help: 'cls (toys), cls-asymptotic, bayes, fc (Feldman-Cousins) or cls-n' },
  cl: { type: 'string', default: '0.9', arg: 'CL', help: 'confidence level' },
} as const;

export const limit: Command = {
  summary: 'upper limit on the signal count of one window: CLs from toys or asymptotic, Bayesian, Feldman-Cousins',
  usage: 'limit --observed N --background B [--background-uncertainty S] [--uncertainty-model gauss|lognormal|poisson] [--efficiency-uncertainty R] [--signal S_REF] [--method cls|cls-asymptotic|bayes|fc|cls-n] [--cl 0.9] [--toys K] [--seed S] [--json]',
  options: OPTIONS,
  async run(args, out, ctx) {
    const { values } = parseArgs({ args, options: OPTIONS });
    const method: WindowLimitMethod = parseLimitMethod(values.method!);
    const cl = numArg(values.cl!, '--cl', 0.5, 0.999999);
    const m = modelFromFlags(values);
    let upper: number, lower: number | null = null, expected: number[] | null = null, toys: number | null = null, seed: number | null = null;
    const knownB = (what: string) => {
      if (m.kind !== 'none' || m.effUnc > 0) throw new Error(`--method ${what} assumes a known background: drop --background-uncertainty / --efficiency-uncertainty`);
    };
    switch (method) {
      case 'cls': {
        const t = toyFlags(values);
        const r = await withBackend(values, (backend) => upperLimitsToys([m], cl, { backend, ...t, expected: true, signal: ctx?.signal }));
        if (r.failed[0]) throw new Error(r.failed[0].replace(/^window 0: /, ''));
        upper = r.upper[0];
        expected = r.expected!.map((a) => a[0]);
        ({ toys, seed } = t);
        break;
      }
      case 'cls-asymptotic': {
        const r = upperLimitAsymptotic(m, cl);
        upper = r.upper;
        expected = r.expected;
        break;
      }
      case 'bayes':
        upper = bayesUpper(m, cl);
        // Expected: the limit at the Poisson(b) quantiles of n (nominal b), same priors.
        expected = expectedFromCounts(m.b, (n) => bayesUpper({ ...m, n }, cl));
        break;
      case 'fc': {
        knownB('fc');
        const r = feldmanCousins(m.n, m.b, cl);
        upper = r.upper / m.sRef;
        lower = r.lower / m.sRef;
        expected = expectedFromCounts(m.b, (n) => feldmanCousins(n, m.b, cl).upper / m.sRef);
        break;
      }
      case 'cls-n':
        knownB('cls-n');
        upper = clsNUpper(m.n, m.b, cl) / m.sRef;
        expected = expectedFromCounts(m.b, (n) => clsNUpper(n, m.b, cl) / m.sRef);
        break;
    }
    if (values.json) {
      out(JSON.stringify({ method, cl, upper, lower, expected, toys, seed }));
      return 0;
    }
    const unit = m.sRef === 1 ? 'signal events' : `mu (signal = mu x ${m.sRef} events)`;
    out(`# ${method} at ${cl * 100}% CL, n = ${m.n}, b = ${m.b}${m.kind !== 'none' ? ` +- ${m.sigmaB} (${m.kind})` : ''}${toys ? `, ${toys} toys, seed ${seed}` : ''}; limits on ${unit}`);
    out(`upper ${upper.toPrecision(6)}${lower !== null ? `  lower ${lower.toPrecision(6)}` : ''}`);
    if (expected) out(`expected [-2s, -1s, median, +1s, +2s]: ${expected.map((x) => x.toPrecision(5)).join(' ')}`);
    return 0;
  },
};
