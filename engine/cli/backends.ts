import { parseArgs } from 'node:util';
import { pickAuto, probeBackends } from '../../host/index.js';
import { BACKEND_FLAGS, backendOptions, type Command } from './args.js';

const OPTIONS = { json: { type: 'boolean', help: 'print JSON: every backend and the auto choice' }, ...BACKEND_FLAGS } as const;

export const backends: Command = {
  summary: 'each backend: available or why not, adapter, limits, WASM SIMD/threads, workers',
  usage: 'backends [--json] [--workers N]',
  options: OPTIONS,
  async run(args, out) {
    const { values } = parseArgs({ args, options: OPTIONS });
    const infos = await probeBackends(backendOptions(values));
    const auto = pickAuto(infos);
    if (values.json) {
      out(JSON.stringify({ backends: infos, auto }, null, 2));
      return 0;
    }
    for (const b of infos) {
      out(`${b.name.padEnd(7)} ${b.available ? 'available' : `unavailable: ${b.reason}`}`);
      for (const [k, v] of Object.entries(b.details)) out(`        ${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
    }
    out(`auto    -> ${auto.backend}: ${auto.reason}`);
    return 0;
  },
};
