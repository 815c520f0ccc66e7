// The `darkscan` command line. Every subcommand takes --backend (else $DARKSCAN_BACKEND, else auto).
import { parseArgs } from 'node:util';
import { parseBackendChoice, probeBackends, selectBackend, type BackendOptions } from '../host/index.js';
import { key, randomBits, uniforms, RANDOM_STREAM_VERSION } from './random.js';

const USAGE = `usage: darkscan <command> [options]

commands:
  backends [--json]                 each backend: available or why not, adapter, limits, workers
  random --seed S [--stream K] [--blocks N] [--event E] [--window W] [--toy T]
         [--format u32|uniform] [--json]
                                    Philox4x32-10 draws for a key (seed, stream) and counters

common options:
  --backend auto|webgpu|wasm|cpu    (default: $DARKSCAN_BACKEND, else auto: webgpu, wasm, cpu)
  --workers N                       WASM worker threads (default: all cores)
`;

type Out = (s: string) => void;

function backendOptions(v: { backend?: string; workers?: string }): BackendOptions {
  const workers = v.workers === undefined ? undefined : intArg(v.workers, '--workers', 1);
  return {
    backend: v.backend === undefined ? undefined : parseBackendChoice(v.backend, '--backend'),
    wasm: { workers },
  };
}

function intArg(s: string, flag: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = Number(s);
  if (!/^\d+$/.test(s.trim()) || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new Error(`${flag}: expected an integer in [${min}, ${max}], got '${s}'`);
  }
  return v;
}

async function cmdBackends(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, workers: { type: 'string' } } });
  const infos = await probeBackends(backendOptions(values));
  if (values.json) {
    out(JSON.stringify({ backends: infos }, null, 2));
    return 0;
  }
  for (const b of infos) {
    out(`${b.name.padEnd(7)} ${b.available ? 'available' : `unavailable: ${b.reason}`}`);
    for (const [k, v] of Object.entries(b.details)) out(`        ${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  }
  return 0;
}

async function cmdRandom(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      seed: { type: 'string' }, stream: { type: 'string', default: '0' }, blocks: { type: 'string', default: '4' },
      event: { type: 'string', default: '0' }, window: { type: 'string', default: '0' }, toy: { type: 'string', default: '0' },
      format: { type: 'string', default: 'u32' }, json: { type: 'boolean' }, backend: { type: 'string' }, workers: { type: 'string' },
    },
  });
  if (values.seed === undefined) throw new Error('random: --seed is required (results are reproducible only from a seed)');
  if (values.format !== 'u32' && values.format !== 'uniform') throw new Error(`--format: expected u32 or uniform, got '${values.format}'`);
  const seed = intArg(values.seed, '--seed');
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
    const values_ = values.format === 'u32' ? Array.from(await randomBits(backend, k, counter, blocks)) : Array.from(await uniforms(backend, k, counter, blocks));
    if (values.json) {
      out(JSON.stringify({ generator: 'philox4x32-10', stream_version: RANDOM_STREAM_VERSION, seed, stream, key: k, counter, format: values.format, backend: backend.name, values: values_ }));
    } else {
      out(`# philox4x32-10 stream v${RANDOM_STREAM_VERSION} seed=${seed} stream=${stream} key=${k.map((x) => x.toString(16).padStart(8, '0')).join(':')} backend=${backend.name}`);
      for (let i = 0; i < values_.length; i += 4) {
        const row = values_.slice(i, i + 4);
        out(values.format === 'u32' ? row.map((x) => x.toString(16).padStart(8, '0')).join(' ') : row.map((x) => x.toPrecision(8)).join(' '));
      }
    }
  } finally {
    await backend.dispose();
  }
  return 0;
}

const COMMANDS: Record<string, (args: string[], out: Out) => Promise<number>> = {
  backends: cmdBackends,
  random: cmdRandom,
};

export async function main(argv: string[], out: Out = (s) => console.log(s)): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    out(USAGE);
    return cmd ? 0 : 2;
  }
  const run = COMMANDS[cmd];
  if (!run) throw new Error(`unknown command '${cmd}'\n${USAGE}`);
  return run(rest, out);
}
