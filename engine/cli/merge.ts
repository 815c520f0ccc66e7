import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { checkOutputPath, FORCE_FLAG, writeAtomic } from '../output.js';
import { ioError, parseJsonText } from '../io/text.js';
import { mergeShards, type ShardedOutput } from '../shard.js';
import type { Command } from './args.js';

const OPTIONS = { out: { type: 'string', arg: 'FILE', help: 'the merged output (the shard FILEs are the positional arguments)' }, ...FORCE_FLAG } as const;

export const merge: Command = {
  summary: 'join the JSON outputs of a sharded run (--shard i/n) into the unsharded result',
  usage: 'merge FILE... --out FILE',
  options: OPTIONS,
  async run(args, out) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
    if (positionals.length === 0) throw new Error('merge: give the shard files to merge');
    if (values.out) checkOutputPath(values.out, values.force);
    const parts = positionals.map((f) => {
      let text: string;
      try {
        text = readFileSync(f, 'utf8');
      } catch (e) {
        throw new Error(`merge: cannot read ${f}: ${ioError(f, e).message.replace(`${f}: `, '')}`);
      }
      try {
        return parseJsonText(text) as ShardedOutput;
      } catch (e) {
        throw new Error(`merge: ${f}: ${(e as Error).message}`);
      }
    });
    const merged = JSON.stringify(mergeShards(parts, positionals), null, 1);
    if (values.out) {
      writeAtomic(values.out, merged);
      out(`merged ${positionals.length} shards into ${values.out}`);
    } else out(merged);
    return 0;
  },
};
