// Long toy runs: interrupted and resumed from a checkpoint, or split into shards and merged, they
// give the bits of one uninterrupted run.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../engine/cli/index.js';
import { tempDir } from './tmp.js';

const dir = tempDir('toyrun');
const MODEL = ['hypotest', '--observed', '7', '--signal', '4', '--background', '3.2', '--background-uncertainty', '0.8', '--calculator', 'toys', '--toys', '5000', '--seed', '9', '--json'];

async function run(argv: string[], ctx = {}): Promise<string> {
  const lines: string[] = [];
  await main(argv, (s) => lines.push(s), ctx);
  return lines.join('\n');
}

describe('toy checkpoint / resume', () => {
  it('a run stopped after two blocks resumes from its checkpoint to the same bits', async () => {
    const whole = JSON.parse(await run([...MODEL, '--backend', 'wasm', '--workers', '2']));
    const ckpt = join(dir, 'run.ckpt');
    const ac = new AbortController();
    let blocks = 0;
    await expect(run([...MODEL, '--backend', 'cpu', '--block', '1000', '--checkpoint', ckpt], {
      signal: ac.signal,
      progress: () => { if (++blocks === 2) ac.abort(new Error('stopped by the test')); },
    })).rejects.toThrow(/stopped by the test/);
    expect(JSON.parse(readFileSync(ckpt, 'utf8')).done).toBe(2000);
    const lines: string[] = [];
    await main([...MODEL.filter((a) => a !== '--json'), '--backend', 'wasm', '--block', '700', '--checkpoint', ckpt], (s) => lines.push(s));
    expect(lines[0]).toMatch(/2000 resumed from/);
    const resumed = JSON.parse(await run([...MODEL, '--backend', 'wasm', '--block', '700', '--checkpoint', join(dir, 'fresh.ckpt')]));
    expect(resumed).toEqual(whole);
    expect(existsSync(ckpt)).toBe(false); // removed once complete
    // The resumed text output carries the same CLs as the uninterrupted JSON.
    expect(lines[1]).toContain(`CLs ${whole.cls.toPrecision(6)}`);
  });

  it('a checkpoint of another run is refused, naming the difference', async () => {
    const ckpt = join(dir, 'other.ckpt');
    const ac = new AbortController();
    await expect(run([...MODEL, '--backend', 'cpu', '--block', '1000', '--checkpoint', ckpt], { signal: ac.signal, progress: () => ac.abort(new Error('stop')) })).rejects.toThrow(/stop/);
    const other = MODEL.map((a) => (a === '9' ? '10' : a));
    await expect(run([...other, '--backend', 'cpu', '--checkpoint', ckpt])).rejects.toThrow(/different run \(seed/);
    writeFileSync(ckpt, '{ truncated');
    await expect(run([...MODEL, '--backend', 'cpu', '--checkpoint', ckpt])).rejects.toThrow(/not readable JSON/);
  });

  it('toy shards on different backends merge to the unsharded result', async () => {
    const whole = JSON.parse(await run([...MODEL, '--backend', 'cpu']));
    const files = [];
    for (const [i, b] of ['wasm', 'cpu', 'wasm'].entries()) {
      const f = join(dir, `toys${i}.json`);
      writeFileSync(f, await run([...MODEL, '--shard', `${i}/3`, '--backend', b]));
      files.push(f);
    }
    const merged = JSON.parse(await run(['merge', ...files]));
    expect({ cls: merged.cls, clsb: merged.clsb, clb: merged.clb, expected: merged.expected }).toEqual(whole);
    expect(merged).toMatchObject({ kind: 'hypotest', toys: 5000, seed: 9 });
  });
});

describe('llp --shard', () => {
  it('mass shards merge to the unsharded sweep', async () => {
    const base = ['llp', '--demo', '--seed', '4', '--masses', '1,1.5,2,2.5,3', '--lifetimes', '1e-2:1e2:7', '--per-cell', '300'];
    const whole = join(dir, 'llp.json');
    await run([...base, '--backend', 'wasm', '--out', whole]);
    const parts = [0, 1].map((i) => join(dir, `llp${i}.json`));
    for (const [i, f] of parts.entries()) await run([...base, '--shard', `${i}/2`, '--backend', i ? 'cpu' : 'wasm', '--out', f]);
    const merged = JSON.parse(await run(['merge', ...parts]));
    const w = JSON.parse(readFileSync(whole, 'utf8'));
    expect(merged.cells).toEqual(w.cells);
    expect(merged.cells).toHaveLength(5);
  });
});
