import { describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { main } from '../engine/cli/index.js';
import { ALLOW_NO_WEBGPU } from './backends.js';
import { tempDir } from './tmp.js';

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(argv, (s) => lines.push(s));
  return { code, out: lines.join('\n') };
}

describe('darkscan backends', () => {
  it('--json lists all three backends with adapter information and worker count', async () => {
    const { code, out } = await run(['backends', '--json', '--workers', '2']);
    expect(code).toBe(0);
    const { backends } = JSON.parse(out);
    expect(backends.map((b: { name: string }) => b.name)).toEqual(['webgpu', 'wasm', 'cpu']);
    const [gpu, wasm, cpu] = backends;
    if (!ALLOW_NO_WEBGPU) {
      expect(gpu.available).toBe(true);
      for (const k of ['vendor', 'architecture', 'description']) expect(typeof gpu.details[k]).toBe('string');
      expect(gpu.details.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
    }
    expect(wasm.available).toBe(true);
    expect(wasm.details).toMatchObject({ simd: true, threads: true, workers: 2, build: 'simd' });
    expect(cpu.available).toBe(true);
  });
});

describe('darkscan random', () => {
  it('prints the same draws on every backend, with seed and key', async () => {
    const outs = [];
    for (const backend of ['cpu', 'wasm', ...(ALLOW_NO_WEBGPU ? [] : ['webgpu'])]) {
      const { out } = await run(['random', '--seed', '42', '--stream', '3', '--blocks', '300', '--toy', '5', '--backend', backend, '--workers', '2', '--json']);
      const j = JSON.parse(out);
      expect(j).toMatchObject({ seed: 42, stream: 3, generator: 'philox4x32-10', stream_version: 1, provenance: { backend } });
      expect(j.blocks).toHaveLength(300);
      expect(j.blocks[0]).toHaveLength(4);
      outs.push(j.blocks);
    }
    for (const o of outs) expect(o).toEqual(outs[0]);
  });
  it('bad arguments are clear errors', async () => {
    await expect(run(['random'])).rejects.toThrow(/--seed is required/);
    await expect(run(['random', '--seed', 'x'])).rejects.toThrow(/--seed: expected an integer/);
    await expect(run(['random', '--seed', '1', '--format', 'f64'])).rejects.toThrow(/--format/);
    await expect(run(['random', '--seed', '1', '--backend', 'tpu'])).rejects.toThrow(/--backend: unknown backend 'tpu'/);
    await expect(run(['frobnicate'])).rejects.toThrow(/unknown command 'frobnicate'/);
  });
  it('the installed bin runs as a process and exits non-zero on errors', () => {
    const ok = execFileSync(process.execPath, ['bin/darkscan.js', 'random', '--seed', '1', '--blocks', '1', '--backend', 'cpu'], { encoding: 'utf8' });
    expect(ok).toMatch(/^# philox4x32-10 stream v1 seed=1/);
    let code = 0;
    try {
      execFileSync(process.execPath, ['bin/darkscan.js', 'random'], { stdio: 'pipe' });
    } catch (e) {
      code = (e as { status: number }).status;
    }
    expect(code).toBe(1);
  });
});

describe('sharding', () => {
  it('random --shard i/n on three shards, merged, equals the unsharded run; gaps and mixes are refused', async () => {
    const { writeFileSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = tempDir('shard');
    const base = ['random', '--seed', '7', '--blocks', '1001', '--toy', '3', '--json'];
    const whole = JSON.parse((await run([...base, '--backend', 'wasm', '--workers', '2'])).out);
    const files = [];
    for (const [i, backend] of [[0, 'cpu'], [1, ALLOW_NO_WEBGPU ? 'cpu' : 'webgpu'], [2, 'wasm']] as const) {
      const f = join(dir, `s${i}.json`);
      writeFileSync(f, (await run([...base, '--shard', `${i}/3`, '--backend', backend])).out);
      files.push(f);
    }
    const outFile = join(dir, 'merged.json');
    expect((await run(['merge', files[2], files[0], files[1], '--out', outFile])).code).toBe(0);
    const merged = JSON.parse(readFileSync(outFile, 'utf8'));
    expect(merged.blocks).toEqual(whole.blocks);
    expect(merged.shard).toBeUndefined();
    await expect(run(['merge', files[0], files[2]])).rejects.toThrow(/items \[\d+, \d+\) are missing/);
    const other = join(dir, 'other.json');
    writeFileSync(other, (await run(['random', '--seed', '8', '--blocks', '1001', '--toy', '3', '--json', '--shard', '1/3', '--backend', 'cpu'])).out);
    await expect(run(['merge', files[0], other, files[2]])).rejects.toThrow(/different inputs or options/);
    await expect(run(['random', '--seed', '1', '--shard', '3/3', '--json'])).rejects.toThrow(/0 <= i < n/);
  });
});

describe('withBackend (every command that computes)', () => {
  it('hands the selected backend to the work, returns its result and disposes of the backend, also when the work throws', async () => {
    const { withBackend } = await import('../engine/cli/args.js');
    const { CpuBackend } = await import('../host/index.js');
    const dispose = vi.spyOn(CpuBackend.prototype, 'dispose');
    try {
      expect(await withBackend({ backend: 'cpu' }, async (b) => b.name)).toBe('cpu');
      expect(dispose).toHaveBeenCalledTimes(1);
      await expect(withBackend({ backend: 'cpu' }, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
      expect(dispose).toHaveBeenCalledTimes(2);
    } finally {
      dispose.mockRestore();
    }
  });
});

describe('scan in steps: validate before any work', () => {
  it('validateScan plans the shard and digests the inputs; a bad flag or missing input fails there, before a backend exists', async () => {
    const { validateScan } = await import('../engine/cli/scan.js');
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = tempDir('validate');
    const data = join(dir, 'd.csv');
    writeFileSync(data, 'm_mumu_GeV,m_recoil_GeV\n4,2\n');
    const plan = await validateScan({ data, grid: 'dark-higgsstrahlung', out: join(dir, 'o.json'), shard: '1/4' });
    expect([plan.first, plan.end, plan.total]).toEqual([2240, 4480, 8960]);
    expect(plan.grid.cx.length).toBe(2240);
    expect(plan.digests.get(data)).toMatch(/^sha256:[0-9a-f]{64}$/);
    await expect(validateScan({ data: join(dir, 'missing.csv'), grid: 'dark-higgsstrahlung', out: join(dir, 'o.json') })).rejects.toThrow(/missing\.csv/);
    await expect(validateScan({ data, grid: 'dark-higgsstrahlung', out: join(dir, 'o.json'), method: 'bayes' })).rejects.toThrow(/--method applies only with --limits/);
  });
});
