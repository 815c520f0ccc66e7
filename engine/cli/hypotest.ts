// `darkscan hypotest`: CLs, CLs+b, CLb and the expected CLs set at mu = 1 (pyhf's hypotest).
import { parseArgs } from 'node:util';
import { hypotestAsymptotic } from '../stats/index.js';
import { hypotestFromToys } from '../stats/toys.js';
import { runToys } from '../stats/toyrun.js';
import { parseShard, registerMergeFinalizer, shardRange, type ShardedOutput } from '../shard.js';
import { intArg, withBackend, type Command } from './args.js';
import { MODEL_FLAGS, modelFromFlags, toyFlags } from './limit.js';

export function calculatorOf(s: string): 'asymptotic' | 'toys' {
  if (s !== 'asymptotic' && s !== 'toys') throw new Error(`--calculator: expected asymptotic or toys, got '${s}'`);
  return s;
}

const OPTIONS = {
  ...MODEL_FLAGS,
  calculator: { type: 'string', default: 'asymptotic', arg: 'C', help: 'asymptotic or toys' },
  shard: { type: 'string', arg: 'i/n', help: 'toys: compute toy range i of n (0-based; needs --json); merge with `darkscan merge`' },
  checkpoint: { type: 'string', arg: 'FILE', help: 'toys: save progress to FILE and resume from it' },
  block: { type: 'string', arg: 'K', help: 'toys per checkpointed block (default: automatic)' },
} as const;

export const hypotest: Command = {
  summary: 'hypothesis test at mu = 1 (signal S): CLs, CLs+b, CLb and the expected CLs set, asymptotic or from toys',
  usage: 'hypotest --observed N --signal S --background B [--background-uncertainty S] [--uncertainty-model gauss|lognormal|poisson] [--efficiency-uncertainty R] [--calculator asymptotic|toys] [--toys K] [--seed S] [--shard i/n] [--checkpoint FILE] [--block K] [--json]',
  options: OPTIONS,
  async run(args, out, ctx) {
    const { values } = parseArgs({ args, options: OPTIONS });
    const calc = calculatorOf(values.calculator!);
    const m = modelFromFlags(values, true);
    let r: { cls: number; clsb: number; clb: number; expected: number[] }, note = '';
    const shard = values.shard === undefined ? undefined : parseShard(values.shard);
    if (calc !== 'toys' && (shard || values.checkpoint)) throw new Error('--shard and --checkpoint apply to --calculator toys');
    if (shard && !values.json) throw new Error('hypotest: --shard writes JSON for `darkscan merge`: add --json');
    if (calc === 'toys') {
      const t = toyFlags(values);
      const [first, end] = shard ? shardRange(t.toys, shard) : [0, t.toys];
      const run = await withBackend(values, (backend) => runToys(m, 1, {
        backend, seed: t.seed, first, end, checkpoint: values.checkpoint, signal: ctx?.signal, progress: ctx?.progress,
        block: values.block === undefined ? undefined : intArg(values.block, '--block', 1, 1 << 26),
      }));
      if (shard) {
        out(JSON.stringify({
          kind: 'hypotest-toys', mu: 1, model: { n: m.n, s: m.sRef, b: m.b, sigma_b: m.sigmaB, uncertainty: m.kind }, seed: t.seed, toys: t.toys, q_obs: run.qObs,
          shard: { index: shard.index, count: shard.count, total: t.toys, first, end, key: 'q' },
          q: Array.from(run.qsb, (v, i) => [v, run.qb[i]]),
        }));
        return 0;
      }
      r = hypotestFromToys(1, run.qObs, run.qsb, run.qb, t.seed);
      note = `, ${t.toys} toys, seed ${t.seed}${run.resumed ? `, ${run.resumed} resumed from ${values.checkpoint}` : ''}`;
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

// Merged toy shards: the test from all toys, the same numbers as one unsharded run.
registerMergeFinalizer('hypotest-toys', (merged: ShardedOutput) => {
  const q = merged.q as [number, number][];
  const r = hypotestFromToys(merged.mu as number, merged.q_obs as number, Float32Array.from(q, (x) => x[0]), Float32Array.from(q, (x) => x[1]), merged.seed as number);
  return { kind: 'hypotest', cls: r.cls, clsb: r.clsb, clb: r.clb, expected: r.expected, toys: r.toys, seed: r.seed };
});
