import { parseArgs } from 'node:util';
import { key, randomBits, uniforms, RANDOM_STREAM_VERSION } from '../random.js';
import { parseShard, shardRange } from '../shard.js';
import { BACKEND_FLAGS, intArg, required, withBackend, type Command } from './args.js';

const OPTIONS = {
  seed: { type: 'string', arg: 'S', help: 'the key seed (required)' },
  stream: { type: 'string', default: '0', arg: 'K', help: 'the key stream' },
  blocks: { type: 'string', default: '4', arg: 'N', help: 'Philox blocks (4 words each)' },
  event: { type: 'string', default: '0', arg: 'E', help: 'counter word 1: event index' },
  window: { type: 'string', default: '0', arg: 'W', help: 'counter word 2: window index' },
  toy: { type: 'string', default: '0', arg: 'T', help: 'counter word 3: toy index' },
  format: { type: 'string', default: 'u32', arg: 'F', help: 'u32 words or uniform f32 in (0, 1)' },
  json: { type: 'boolean', help: 'print JSON (key, counters, draws)' },
  shard: { type: 'string', arg: 'i/n', help: 'compute block range i of n (0-based); merge with `darkscan merge`' },
  ...BACKEND_FLAGS,
} as const;

export const random: Command = {
  summary: 'Philox4x32-10 draws for a key (seed, stream) and counters (event, window, toy)',
  usage: 'random --seed S [--stream K] [--blocks N] [--event E] [--window W] [--toy T] [--format u32|uniform] [--json] [--shard i/n]',
  options: OPTIONS,
  async run(args, out) {
    const { values } = parseArgs({ args, options: OPTIONS });
    const seed = intArg(required(values.seed, '--seed', 'results are reproducible only from a seed'), '--seed');
    if (values.format !== 'u32' && values.format !== 'uniform') throw new Error(`--format: expected u32 or uniform, got '${values.format}'`);
    const stream = intArg(values.stream!, '--stream', 0, 0xffffffff);
    const blocks = intArg(values.blocks!, '--blocks', 1, 1 << 28);
    const counter = {
      event: intArg(values.event!, '--event', 0, 0xffffffff),
      window: intArg(values.window!, '--window', 0, 0xffffffff),
      toy: intArg(values.toy!, '--toy', 0, 0xffffffff),
    };
    const shard = values.shard === undefined ? undefined : parseShard(values.shard);
    if (shard && !values.json) throw new Error('random: --shard writes JSON for `darkscan merge`: add --json');
    const [first, end] = shard ? shardRange(blocks, shard) : [0, blocks];
    return withBackend(values, async (backend) => {
      const k = key(seed, stream);
      const c = { ...counter, event: (counter.event + first) >>> 0 };
      const n = end - first;
      const draws = n === 0 ? [] : values.format === 'u32' ? Array.from(await randomBits(backend, k, c, n)) : Array.from(await uniforms(backend, k, c, n));
      if (values.json) {
        const rows = Array.from({ length: n }, (_, i) => draws.slice(4 * i, 4 * i + 4));
        out(JSON.stringify({
          kind: 'random', generator: 'philox4x32-10', stream_version: RANDOM_STREAM_VERSION, seed, stream, key: k, counter, format: values.format,
          ...(shard ? { shard: { index: shard.index, count: shard.count, total: blocks, first, end, key: 'blocks' } } : {}),
          blocks: rows, provenance: { backend: backend.name },
        }));
        return 0;
      }
      out(`# philox4x32-10 stream v${RANDOM_STREAM_VERSION} seed=${seed} stream=${stream} key=${k.map((x) => x.toString(16).padStart(8, '0')).join(':')} backend=${backend.name}`);
      for (let i = 0; i < draws.length; i += 4) {
        const row = draws.slice(i, i + 4);
        out(values.format === 'u32' ? row.map((x) => x.toString(16).padStart(8, '0')).join(' ') : row.map((x) => x.toPrecision(8)).join(' '));
      }
      return 0;
    });
  },
};
