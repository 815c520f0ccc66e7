// `darkscan scan --limits / --global`: limits for every window of a scan, and the look-elsewhere
// global significance of its most significant window.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../engine/cli/index.js';
import { testWords } from '../kernels/testing.js';
import { tempDir } from './tmp.js';

const dir = tempDir('scanlim');

/** m_mumu uniform in [0.5, 10]; `peak` adds events at 5 GeV +- 10 MeV. */
function csv(name: string, n: number, stream: number, weight?: number, peak = 0): string {
  const w = testWords(2 * (n + peak), stream);
  const lines = [weight === undefined ? 'm_mumu_GeV' : 'm_mumu_GeV,weight'];
  for (let i = 0; i < n + peak; i++) {
    const u = (w[2 * i] >>> 8) / 16777216;
    const m = i < n ? 0.5 + 9.5 * u : 5 + 0.02 * (u - 0.5);
    lines.push(weight === undefined ? m.toFixed(6) : `${m.toFixed(6)},${weight}`);
  }
  const f = join(dir, name);
  writeFileSync(f, lines.join('\n') + '\n');
  return f;
}

async function run(argv: string[]): Promise<void> {
  await main(argv, () => {});
}

describe('scan --limits --global', () => {
  const data = csv('data.csv', 2000, 1, undefined, 40);
  const bkg = csv('bkg.csv', 8000, 2, 0.25);
  const base = ['scan', '--data', data, '--background', bkg, '--grid', 'mumu-1d', '--backend', 'wasm', '--workers', '2'];

  it('adds ordered limits to every window and a global p for the excess', async () => {
    const out = join(dir, 'lim.json');
    await run([...base, '--limits', '--method', 'bayes', '--global', '--pseudo-experiments', '200', '--seed', '5', '--out', out]);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.limits).toMatchObject({ method: 'bayes', cl: 0.9 });
    for (const w of doc.windows) {
      const e = w.expected_upper_limit_events;
      expect(w.upper_limit_events).toBeGreaterThan(0);
      expect(e[0] <= e[1] && e[1] <= e[2] && e[2] <= e[3] && e[3] <= e[4]).toBe(true);
    }
    const g = doc.global;
    const best = doc.windows[g.window];
    expect(Math.abs(best.centre_m_mumu_GeV - 5)).toBeLessThan(best.semi_axis_m_mumu_GeV);
    expect(g.maxLocalZ).toBeGreaterThan(4);
    expect(g.pGlobal).toBeLessThan(0.01);
    expect(g.seed).toBe(5);
    expect(best.upper_limit_events).toBeGreaterThan(best.expected_upper_limit_events[4]);
  });

  it('sharded limits merge to the unsharded numbers; sharded --global is refused', async () => {
    const whole = join(dir, 'whole.json');
    await run([...base, '--limits', '--out', whole]);
    const parts = [0, 1].map((i) => join(dir, `part${i}.json`));
    for (const [i, f] of parts.entries()) await run([...base, '--limits', '--shard', `${i}/2`, '--backend', i ? 'cpu' : 'wasm', '--out', f]);
    const merged = join(dir, 'merged.json');
    await run(['merge', ...parts, '--out', merged]);
    expect(JSON.parse(readFileSync(merged, 'utf8')).windows).toEqual(JSON.parse(readFileSync(whole, 'utf8')).windows);
    await expect(run([...base, '--global', '--seed', '1', '--shard', '0/2', '--out', join(dir, 'x.json')])).rejects.toThrow(/--global needs every window/);
    await expect(run([...base, '--global', '--out', join(dir, 'x.json')])).rejects.toThrow(/--seed is required/);
    await expect(run(['scan', '--data', data, '--grid', 'mumu-1d', '--limits', '--out', join(dir, 'x.json')])).rejects.toThrow(/need --background/);
    await expect(run([...base, '--method', 'bayes', '--out', join(dir, 'x.json')])).rejects.toThrow(/--method applies only with --limits/);
    await expect(run([...base, '--pseudo-experiments', '10', '--limits', '--out', join(dir, 'x.json')])).rejects.toThrow(/--pseudo-experiments applies only with --global/);
  });
});
