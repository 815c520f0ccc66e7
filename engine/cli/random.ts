import { parseArgs } from 'node:util';
import { selectBackend } from '../../host/index.js';
import { key, randomBits, uniforms, RANDOM_STREAM_VERSION } from '../random.js';
import { BACKEND_FLAGS, backendOptions, intArg, required, type Command } from './args.js';

export const random: Command = {
  summary: 'Philox4x32-10 draws for a key (seed, stream) and counters (event, window, toy)',
  usage: 'random --seed S [--stream K] [--blocks N] [--event E] [--window W] [--toy T] [--format u32|uniform] [--json]',
  async run(args, out) {
    const { values } = parseArgs({
      args,
      options: {
        seed: { type: 'string' }, stream: { type: 'string', default: '0' }, blocks: { type: 'string', default: '4' },
        event: { type: 'string', default: '0' }, window: { type: 'string', default: '0' }, toy: { type: 'string', default: '0' },
        format: { type: 'string', default: 'u32' }, json: { type: 'boolean' }, ...BACKEND_FLAGS,
      },
    });
    const seed = intArg(required(values.seed, '--seed', 'results are reproducible only from a seed'), '--seed');
    if (values.format !== 'u32' && values.format !== 'uniform') throw new Error(`--format: expected u32 or uniform, got '${values.format}'`);
    const stream = intArg(values.stream!, '--stream', 0, 0xffffffff);
    const blocks = intArg(values.blocks!, '--blocks', 1, 1 << 28);
    const counter = {
      event: intArg(values.event!, '--event', 0, 0xffffffff),
      window: intArg(values.window!, '--window', 0, 0xffffffff),
      toy: intArg(values.toy!, '--toy', 0, 0xffffffff),
    };
    const backend = await selectBackend(backendOptions(values));
    try {
      const k = key(seed, stream);
      const draws = values.format === 'u32' ? Array.from(await randomBits(backend, k, counter, blocks)) : Array.from(await uniforms(backend, k, counter, blocks));
      if (values.json) {
        out(JSON.stringify({ generator: 'philox4x32-10', stream_version: RANDOM_STREAM_VERSION, seed, stream, key: k, counter, format: values.format, backend: backend.name, values: draws }));
        return 0;
      }
      out(`# philox4x32-10 stream v${RANDOM_STREAM_VERSION} seed=${seed} stream=${stream} key=${k.map((x) => x.toString(16).padStart(8, '0')).join(':')} backend=${backend.name}`);
      for (let i = 0; i < draws.length; i += 4) {
        const row = draws.slice(i, i + 4);
        out(values.format === 'u32' ? row.map((x) => x.toString(16).padStart(8, '0')).join(' ') : row.map((x) => x.toPrecision(8)).join(' '));
      }
    } finally {
      await backend.dispose();
    }
    return 0;
  },
};
