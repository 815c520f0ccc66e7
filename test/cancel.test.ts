// Issue 21, item 3: Ctrl-C stops a long in-memory scan (limits, look-elsewhere) within a second or
// two of CPU (see PROMPT_CPU_S below for why CPU, not wall, seconds), leaves no output and exits 130; a second Ctrl-C exits at once. The real CLI (bin/, dist/)
// in a child process, sent SIGINT while it computes.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testWords } from '../kernels/testing.js';
import { tempDir } from './tmp.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'darkscan.js');
const dir = tempDir('cancel');

/** `vary`: weights spread over [0.5, 1.5) x weight, so that windows have distinct backgrounds (the bayes_limit kernel computes each distinct window once). */
function sample(name: string, n: number, stream: number, weight?: number, vary = false): string {
  const w = testWords(2 * n, stream);
  const lines = [weight === undefined ? 'm_mumu_GeV,m_recoil_GeV' : 'm_mumu_GeV,m_recoil_GeV,weight'];
  for (let i = 0; i < n; i++) {
    const x = 0.3 + 9 * (w[2 * i] >>> 8) / 16777216, y = x * ((w[2 * i + 1] >>> 8) / 16777216);
    lines.push(`${x.toFixed(5)},${y.toFixed(5)}${weight === undefined ? '' : `,${vary ? (weight * (0.5 + (i % 97) / 97)).toFixed(4) : weight}`}`);
  }
  const f = join(dir, name);
  writeFileSync(f, lines.join('\n') + '\n');
  return f;
}

// What "stops promptly" is measured in: the CPU seconds the child uses after the first SIGINT
// (user + system, all its threads, from /proc/<pid>/stat), not wall seconds. Wall time from the
// signal to the exit stretches with the machine's load (the former "< 2 s wall" checks failed at
// load 12-14 on 2 cores and passed on rerun), while the CPU a process burns to reach its next
// checkpoint and exit barely does. Measured at load ~8: 0.01-0.18 s CPU after the signal (cls toys
// 0.5 s; the MLP 0.18 s). The bounds stay able to fail: each command, left to run, needs far more
// CPU after the signal than PROMPT_CPU_S (quiet, whole run: scan --limits bayes 5.6 s CPU,
// --global and cls > 100 s, llp 14.6 s, upper-limit 21 s; a loaded machine has done less of it
// by the signal), and the MLP check also asserts the epoch it stopped in. A wall bound stays,
// wide enough for any load, for a process that stops computing but does not exit.
const PROMPT_CPU_S = 1.5; // "within a second or two" of Ctrl-C
const AT_ONCE_CPU_S = 0.75; // a second Ctrl-C; training checks between minibatch dispatches (~100 ms)
const HANG_WALL_S = 15;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** CPU seconds (user + system) process `pid` has used so far, or undefined once it has gone. */
function cpuSeconds(pid: number): number | undefined {
  let stat: string;
  try { stat = readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { return undefined; }
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields 3.. of proc(5); utime, stime are 14, 15
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

/** Follows the CPU time of a child from now on (sampled every 10 ms until it exits). */
function cpuSince(pid: number): () => number {
  const cpu0 = cpuSeconds(pid);
  if (cpu0 === undefined) throw new Error(`cancel.test: cannot read /proc/${pid}/stat (these checks need Linux /proc)`);
  let last = cpu0;
  const poll = setInterval(() => { last = cpuSeconds(pid) ?? last; }, 10);
  return () => { clearInterval(poll); return last - cpu0; };
}

type Stopped = { code: number | null; seconds: number; cpuSeconds: number; stderr: string; stdout: string };

/** Runs the CLI and sends SIGINT `signals` times (100 ms apart) once `after` ms have passed, or
 * once stderr matches `after`; resolves with the exit code, and the wall and CPU seconds from the
 * first SIGINT to the exit (-1 if it exited before). */
function interrupt(args: string[], after: number | RegExp, signals = 1, env?: Record<string, string>): Promise<Stopped> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '', stdout = '', t0 = 0, cpu: (() => number) | undefined;
    const stop = (): void => {
      cpu = cpuSince(p.pid!);
      t0 = performance.now();
      for (let k = 0; k < signals; k++) setTimeout(() => p.kill('SIGINT'), 100 * k);
    };
    p.stderr.on('data', (d) => {
      stderr += d;
      if (!t0 && after instanceof RegExp && after.test(stderr)) stop();
    });
    p.stdout.on('data', (d) => { stdout += d; });
    const timer = typeof after === 'number' ? setTimeout(stop, after) : undefined;
    p.on('error', reject);
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, seconds: t0 ? (performance.now() - t0) / 1000 : -1, cpuSeconds: cpu ? cpu() : -1, stderr, stdout });
    });
  });
}

describe('Ctrl-C during long work', () => {
  const data = sample('data.csv', 3000, 1);
  const bkg = sample('bkg.csv', 6000, 2, 0.5), bkgVaried = sample('bkg-varied.csv', 6000, 2, 0.5, true);
  const base = ['scan', '--data', data, '--background', bkg, '--grid', 'dark-higgsstrahlung', '--backend', 'cpu'];
  const varied = ['scan', '--data', data, '--background', bkgVaried, '--grid', 'dark-higgsstrahlung', '--backend', 'cpu'];

  for (const [what, extra] of [
    ['scan --limits (bayes, 8960 distinct windows, in memory)', ['--limits', '--method', 'bayes']],
    ['scan --global (pseudo-experiments)', ['--global', '--pseudo-experiments', '100000', '--seed', '1']],
    ['scan --limits --method cls (toys)', ['--limits', '--method', 'cls', '--toys', '20000', '--seed', '1']],
  ] as const) {
    it(`${what}: stops within 1.5 s CPU of Ctrl-C, exit 130, no output`, async () => {
      const out = join(dir, `${extra.join('').replace(/\W/g, '')}.json`);
      const r = await interrupt([...(extra[2] === 'bayes' ? varied : base), ...extra, '--out', out], 2500);
      expect(r.seconds).toBeGreaterThan(0); // it was still running when interrupted
      expect(r.code).toBe(130);
      expect(r.cpuSeconds).toBeLessThan(PROMPT_CPU_S);
      expect(r.seconds).toBeLessThan(HANG_WALL_S);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
      expect(r.stderr).toMatch(/interrupted/);
    }, 60_000);
  }

  it('a second Ctrl-C exits at once', async () => {
    const out = join(dir, 'twice.json');
    const r = await interrupt([...varied, '--limits', '--method', 'bayes', '--out', out], 2500, 2);
    expect(r.code).toBe(130);
    expect(r.cpuSeconds).toBeLessThan(AT_ONCE_CPU_S);
    expect(r.seconds).toBeLessThan(HANG_WALL_S);
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

// The LLP sweep (one grid of 52 x 2000 cells: ~20 s on one core) and the binned-likelihood fits (an
// upper limit on each of 2000 patches: every fit stage is one kernel run over all patches) run in
// blocks with a checkpoint between them (engine/cancel.ts runCancellable).
describe('Ctrl-C during an LLP sweep and a patchset upper limit', () => {
  it('llp --demo (2000 lifetimes, bayes): stops within 1.5 s CPU of Ctrl-C, exit 130, no output', async () => {
    const out = join(dir, 'llp.json'), plot = join(dir, 'llp.svg');
    const r = await interrupt(['llp', '--demo', '--backend', 'cpu', '--lifetimes', '1e-3:1e3:2000', '--method', 'bayes', '--out', out, '--plot', plot], 2500);
    expect(r.seconds).toBeGreaterThan(0);
    expect(r.code).toBe(130);
    expect(r.cpuSeconds).toBeLessThan(PROMPT_CPU_S);
    expect(r.seconds).toBeLessThan(HANG_WALL_S);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(plot)).toBe(false);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/interrupted/);
  }, 60_000);

  it('upper-limit over a patchset of 2000 patches: stops within 1.5 s CPU of Ctrl-C, exit 130, nothing on stdout', async () => {
    const PS = join(import.meta.dirname, 'fixtures', 'pyhf', 'patchsets');
    const ps = JSON.parse(readFileSync(join(PS, 'mass_scan_patchset.json'), 'utf8'));
    const base = ps.patches as { metadata: { name: string; values: number[] } }[];
    // The fixture's patches repeated under new names (the background-only workspace and digests unchanged).
    ps.patches = Array.from({ length: Math.ceil(2000 / base.length) }, (_, k) => base.map((p) => ({ ...p, metadata: { name: `${p.metadata.name}_r${k}`, values: p.metadata.values.map((v) => v + 1000 * k) } }))).flat();
    const big = join(dir, 'big_patchset.json');
    writeFileSync(big, JSON.stringify(ps));
    const r = await interrupt(['upper-limit', join(PS, 'mass_scan_bkg.json'), '--patchset', big, '--backend', 'cpu', '--json'], 2500);
    expect(r.seconds).toBeGreaterThan(0);
    expect(r.code).toBe(130);
    expect(r.cpuSeconds).toBeLessThan(PROMPT_CPU_S);
    expect(r.seconds).toBeLessThan(HANG_WALL_S);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/interrupted/);
  }, 60_000);
});

// Issue 21, the gap left by item 3: MLP training was one synchronous call (seconds with a large
// training sample), so Ctrl-C during `run --config` waited for it. Training now checks the signal
// between minibatch steps (engine/nn/train.ts trainClassifierAsync) and reports each epoch
// (DARKSCAN_PROGRESS=1 prints progress lines when stderr is not a terminal).
describe('Ctrl-C during MLP training (run --config)', () => {
  it('stops within 0.75 s CPU of Ctrl-C sent after epoch 2 has started, exit 130, no output', async () => {
    const sub = mkdtempSync(join(dir, 'train-'));
    const cfg = join(sub, 'config.json'), out = join(sub, 'out');
    // 40000 training events per class: about 0.3 s per epoch, 12 epochs.
    writeFileSync(cfg, JSON.stringify({ analysis: 'dark-higgsstrahlung', seed: 1, lumi_fb: 8.34, cl: 0.9, method: 'bayes', pseudo_experiments: 10, simulation: { train_events: 40000 } }));
    const r = await interrupt(['run', '--config', cfg, '--backend', 'cpu', '--out', out], /training the MLP: epoch 2 \//, 1, { DARKSCAN_PROGRESS: '1' });
    expect(r.stderr).toMatch(/training the MLP: epoch 1 \/ 12/);
    expect(r.seconds).toBeGreaterThan(0); // interrupted during training
    expect(r.code).toBe(130);
    expect(r.cpuSeconds).toBeLessThan(AT_ONCE_CPU_S);
    expect(r.seconds).toBeLessThan(HANG_WALL_S);
    expect(r.stderr).toMatch(/interrupted/);
    expect(r.stderr).not.toMatch(/epoch 4 \//); // stopped in epoch 2 (3 at most)
    expect(readdirSync(sub)).toEqual(['config.json']);
  }, 120_000);
});
