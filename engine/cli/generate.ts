import { parseArgs } from 'node:util';
import { PROCESSES, generate, generateAtLuminosity, getProcess, type EventSample } from '../generate/index.js';
import { writeEvents } from '../io/index.js';
import { intArg, numArg, required, type Command } from './args.js';
import { checkOutputPath, FORCE_FLAG } from '../output.js';

function parseParams(list: string[] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of list ?? []) {
    const m = /^([A-Za-z_]\w*)=(.+)$/.exec(s);
    if (!m) throw new Error(`--param: expected NAME=VALUE, got '${s}'`);
    out[m[1]] = numArg(m[2], `--param ${m[1]}`);
  }
  return out;
}

const OPTIONS = {
  process: { type: 'string', arg: 'NAME', help: 'the process (`--list` shows them)' },
  events: { type: 'string', arg: 'N', help: 'simulate N events (or give --lumi)' },
  lumi: { type: 'string', arg: 'FB', help: 'simulate the expected number at this luminosity, fb^-1 (Poisson)' },
  seed: { type: 'string', arg: 'S', help: 'the seed (required)' },
  out: { type: 'string', arg: 'FILE', help: 'output FILE.csv or FILE.json' },
  param: { type: 'string', multiple: true, arg: 'NAME=VALUE', help: "a process parameter (`--list` shows each process's)" },
  'first-event': { type: 'string', default: '0', arg: 'I', help: 'first event index (events are a pure function of their index)' },
  all: { type: 'boolean', help: 'keep events outside the detector acceptance too' },
  'max-events': { type: 'string', arg: 'N', help: 'with --lumi: at most N events, weighted up (default: 5e6)' },
  list: { type: 'boolean', help: 'list the processes and their parameters' },
  ...FORCE_FLAG,
} as const;

export const generateCmd: Command = {
  summary: 'simulated Belle II events (signal or background) to CSV or JSON, from a seed',
  usage: 'generate --process NAME (--events N | --lumi FB) --seed S --out FILE.csv|FILE.json [--param NAME=VALUE ...] [--first-event I] [--all] [--max-events N] | generate --list',
  options: OPTIONS,
  async run(args, out) {
    const { values } = parseArgs({ args, options: OPTIONS });
    if (values.list) {
      for (const p of PROCESSES) {
        out(`${p.name.padEnd(18)} ${p.kind.padEnd(10)} ${p.description}`);
        out(`${''.padEnd(29)} params: ${Object.entries(p.defaults).map(([k, v]) => `${k}=${+v.toPrecision(6)}`).join(' ')}${p.illustrative ? '  [sigma illustrative]' : ''}`);
      }
      return 0;
    }
    const process = required(values.process, '--process', 'see darkscan generate --list');
    const seed = intArg(required(values.seed, '--seed', 'events are reproducible only from a seed'), '--seed');
    const file = required(values.out, '--out');
    if (!/\.(csv|json)$/i.test(file)) throw new Error(`--out: expected a .csv or .json file name, got '${file}'`);
    if ((values.events === undefined) === (values.lumi === undefined)) throw new Error('give exactly one of --events N and --lumi FB (integrated luminosity, fb^-1)');
    const params = parseParams(values.param);
    const acceptedOnly = !values.all;
    getProcess(process); // an unknown process is named before the output is looked at
    checkOutputPath(file, values.force);
    const t0 = performance.now();
    let s: EventSample;
    if (values.lumi !== undefined) {
      const maxEvents = values['max-events'] === undefined ? undefined : intArg(values['max-events'], '--max-events', 1);
      s = generateAtLuminosity({ process, seed, params, lumiFb: numArg(values.lumi, '--lumi', 0), acceptedOnly, maxEvents });
    } else {
      s = generate({ process, seed, params, events: intArg(values.events!, '--events', 0, 2 ** 32), firstEvent: intArg(values['first-event']!, '--first-event', 0, 2 ** 32 - 1), acceptedOnly });
    }
    const ms = performance.now() - t0;
    await writeEvents(file, s.columns, s.meta, s.units);
    out(`# darkscan generate: process=${s.process} seed=${s.seed}${s.lumiFb !== undefined ? ` lumi=${s.lumiFb} fb^-1 (expected ${(s.meta.expected_events as number).toPrecision(6)}, Poisson ${s.meta.poisson_events})` : ''}`);
    out(`generated ${s.nGenerated} events in ${(ms / 1000).toFixed(2)} s, kept ${s.length} (${acceptedOnly ? 'in acceptance' : 'all'})${s.meta.oversampled ? `, weight ${s.meta.event_weight} each` : ''}`);
    out(`sigma = ${s.sigmaFb.toPrecision(4)} fb${s.illustrative ? ' (illustrative)' : ''}: ${s.sigmaSource}`);
    out(`wrote ${file} (${Object.keys(s.columns).length} columns)`);
    return 0;
  },
};
