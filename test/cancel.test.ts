// Issue 21, item 3: Ctrl-C stops a long in-memory scan (limits, look-elsewhere) within a second or
// two, leaves no output and exits 130; a second Ctrl-C exits at once. The real CLI (bin/, dist/)
// in a child process, sent SIGINT while it computes.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testWords } from '../kernels/testing.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'darkscan.js');
const dir = mkdtempSync('/tmp/darkscan-cancel-');

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

/** Runs the CLI, sends SIGINT `signals` times (100 ms apart) once `after` ms have passed; resolves with the exit code and the seconds from the first SIGINT to the exit. */
function interrupt(args: string[], after: number, signals = 1): Promise<{ code: number | null; seconds: number; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '', stdout = '', t0 = 0;
    p.stderr.on('data', (d) => { stderr += d; });
    p.stdout.on('data', (d) => { stdout += d; });
    const timer = setTimeout(() => {
      t0 = performance.now();
      for (let k = 0; k < signals; k++) setTimeout(() => p.kill('SIGINT'), 100 * k);
    }, after);
    p.on('error', reject);
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, seconds: t0 ? (performance.now() - t0) / 1000 : -1, stderr, stdout });
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
    it(`${what}: stops within 2 s of Ctrl-C, exit 130, no output`, async () => {
      const out = join(dir, `${extra.join('').replace(/\W/g, '')}.json`);
      const r = await interrupt([...(extra[2] === 'bayes' ? varied : base), ...extra, '--out', out], 2500);
      expect(r.seconds).toBeGreaterThan(0); // it was still running when interrupted
      expect(r.code).toBe(130);
      expect(r.seconds).toBeLessThan(2);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
      expect(r.stderr).toMatch(/interrupted/);
    }, 60_000);
  }

  it('a second Ctrl-C exits at once', async () => {
    const out = join(dir, 'twice.json');
    const r = await interrupt([...varied, '--limits', '--method', 'bayes', '--out', out], 2500, 2);
    expect(r.code).toBe(130);
    expect(r.seconds).toBeLessThan(1);
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

// The LLP sweep (one grid of 52 x 2000 cells: ~20 s on one core) and the binned-likelihood fits (an
// upper limit on each of 2000 patches: every fit stage is one kernel run over all patches) run in
// blocks with a checkpoint between them (engine/cancel.ts runCancellable).
describe('Ctrl-C during an LLP sweep and a patchset upper limit', () => {
  it('llp --demo (2000 lifetimes, bayes): stops within 2 s of Ctrl-C, exit 130, no output', async () => {
    const out = join(dir, 'llp.json'), plot = join(dir, 'llp.svg');
    const r = await interrupt(['llp', '--demo', '--backend', 'cpu', '--lifetimes', '1e-3:1e3:2000', '--method', 'bayes', '--out', out, '--plot', plot], 2500);
    expect(r.seconds).toBeGreaterThan(0);
    expect(r.code).toBe(130);
    expect(r.seconds).toBeLessThan(2);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(plot)).toBe(false);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/interrupted/);
  }, 60_000);

  it('upper-limit over a patchset of 2000 patches: stops within 2 s of Ctrl-C, exit 130, nothing on stdout', async () => {
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
    expect(r.seconds).toBeLessThan(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/interrupted/);
  }, 60_000);
});

// Issue 21, the gap left by item 3: MLP training was one synchronous call (seconds with a large
// training sample), so Ctrl-C during `run --config` waited for it. Training now checks the signal
// between minibatch steps (engine/nn/train.ts trainClassifierAsync) and reports each epoch
// (DARKSCAN_PROGRESS=1 prints progress lines when stderr is not a terminal).
describe('Ctrl-C during MLP training (run --config)', () => {
  it('stops within 1 s of Ctrl-C sent after epoch 2 has started, exit 130, no output', async () => {
    const sub = mkdtempSync(join(dir, 'train-'));
    const cfg = join(sub, 'config.json'), out = join(sub, 'out');
    // 40000 training events per class: about 0.3 s per epoch, 12 epochs.
    writeFileSync(cfg, JSON.stringify({ analysis: 'dark-higgsstrahlung', seed: 1, lumi_fb: 8.34, cl: 0.9, method: 'bayes', pseudo_experiments: 10, simulation: { train_events: 40000 } }));
    const r = await new Promise<{ code: number | null; seconds: number; stderr: string }>((resolve, reject) => {
      const p = spawn(process.execPath, [BIN, 'run', '--config', cfg, '--backend', 'cpu', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DARKSCAN_PROGRESS: '1' } });
      let stderr = '', t0 = 0;
      p.stderr.on('data', (d) => {
        stderr += d;
        if (!t0 && /training the MLP: epoch 2 \//.test(stderr)) {
          t0 = performance.now();
          p.kill('SIGINT');
        }
      });
      p.on('error', reject);
      p.on('exit', (code) => resolve({ code, seconds: t0 ? (performance.now() - t0) / 1000 : -1, stderr }));
    });
    expect(r.stderr).toMatch(/training the MLP: epoch 1 \/ 12/);
    expect(r.seconds).toBeGreaterThan(0); // interrupted during training
    expect(r.code).toBe(130);
    expect(r.seconds).toBeLessThan(1);
    expect(r.stderr).toMatch(/interrupted/);
    expect(r.stderr).not.toMatch(/epoch 4 \//); // stopped in epoch 2 (3 at most)
    expect(readdirSync(sub)).toEqual(['config.json']);
  }, 120_000);
});
