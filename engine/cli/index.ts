// The `darkscan` command line: one module per subcommand, registered below.
import { helpText, type Command, type Context, type Out } from './args.js';
import { backends } from './backends.js';
import { random } from './random.js';
import { generateCmd } from './generate.js';
import { merge } from './merge.js';
import { scan } from './scan.js';
import { llp } from './llp.js';
import { serve } from './serve.js';
import { infer } from './infer.js';
import { limit } from './limit.js';
import { hypotest } from './hypotest.js';
import { discovery } from './discovery.js';
import { demo } from './demo.js';
import { run } from './run.js';
import { cls } from './cls.js';
import { fitCmd } from './fit.js';
import { upperLimit } from './upper-limit.js';

export const COMMANDS: Record<string, Command> = {
  demo,
  backends,
  random,
  generate: generateCmd,
  merge,
  scan,
  llp,
  serve,
  infer,
  limit,
  hypotest,
  discovery,
  run,
  cls,
  fit: fitCmd,
  'upper-limit': upperLimit,
};

function usage(): string {
  const lines = ['usage: darkscan <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`, `             darkscan ${c.usage}`);
  lines.push('', 'options of every computing command:');
  lines.push('  --backend auto|webgpu|wasm|cpu   default $DARKSCAN_BACKEND, else auto (a hardware GPU, then wasm, then cpu)');
  lines.push('  --workers N                      WASM worker threads (default: all cores)');
  return lines.join('\n');
}

export async function main(argv: string[], out: Out = (s) => console.log(s), ctx: Context = {}): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    out(usage());
    return cmd ? 0 : 2;
  }
  const c = COMMANDS[cmd];
  if (!c) throw new Error(`unknown command '${cmd}'\n${usage()}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    out(helpText(c));
    return 0;
  }
  return c.run(rest, out, ctx);
}
