// B0 -> K*0(-> K+ pi-) S beside B+ -> K+ S in the LLP search (Belle II PRD 108 (2023) L111104):
// kinematics and counts of the second production mode, its theta^2 conversion, an injected signal
// found in its window, background-only pseudo-data without an excess, and the CLI's errors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../host/index.js';
import { main } from '../engine/cli/index.js';
import { generateLlpSample, PRODUCTIONS } from '../engine/llp/sample.js';
import { bMesonCount, brB0toKstarSPerTheta2, brBtoKSPerTheta2, chargedBCount, productionPerTheta2 } from '../engine/llp/limits.js';
import { demoData } from '../engine/llp/analysis.js';
import { massWindow } from '../engine/llp/sweep.js';
import { sidebandCounts } from '../engine/llp/background.js';
import { tempDir } from './tmp.js';

const cpu = new CpuBackend();

describe('B0 -> K*0 S production', () => {
  it('is generated up to mB0 - mK*0 and is slower than B+ -> K+ S at the same mass (heavier recoil)', async () => {
    const o = { masses: [3], channels: ['mumu'] as const, perCell: 4000, ctauGenCm: 1, seed: 3, backend: cpu };
    const k = await generateLlpSample({ ...o, channels: [...o.channels] });
    const ks = await generateLlpSample({ ...o, channels: [...o.channels], production: 'K*0' });
    const meanBgT = (s: typeof k) => s.lxy.reduce((a, v, i) => a + v / s.ct[i], 0) / s.ct.length;
    // S momentum in the B frame: 1.80 GeV (K+) vs 1.55 GeV (K*0) at mS = 3 GeV: lower transverse boost
    expect(meanBgT(ks)).toBeLessThan(0.95 * meanBgT(k));
    expect(ks.meta.production).toBe('K*0');
    expect(Array.from(ks.ct.subarray(0, 8))).not.toEqual(Array.from(k.ct.subarray(0, 8)));
    await expect(generateLlpSample({ ...o, channels: ['mumu'], masses: [4.5], production: 'K*0' })).rejects.toThrow(/4.5 GeV is outside .*4.384.* B0 -> K\*0/);
    // 4.5 GeV is allowed for B+ -> K+ S (endpoint 4.786)
    await expect(generateLlpSample({ ...o, channels: ['mumu'], masses: [4.5], perCell: 10 })).resolves.toBeTruthy();
  });
  it('counts B0 mesons with f00 = 0.486 and converts to theta^2 with A0 and B(K*0 -> K+ pi-) = 2/3', () => {
    expect(bMesonCount(198e6, 'K*0')).toBeCloseTo(2 * 198e6 * 0.486, -2);
    expect(bMesonCount(198e6, 'K+')).toBe(chargedBCount(198e6));
    const r0 = brB0toKstarSPerTheta2(0.1);
    // comparable to B+ -> K+ S at small mass (A0(0) = 0.374 vs f0(0) = 0.33), vanishing at the endpoint
    expect(r0 / brBtoKSPerTheta2(0.1)).toBeGreaterThan(0.5);
    expect(r0 / brBtoKSPerTheta2(0.1)).toBeLessThan(2);
    expect(brB0toKstarSPerTheta2(4.38)).toBeLessThan(1e-2 * r0); // P-wave: lambda^(3/2)
    expect(productionPerTheta2('K*0', 2)).toBeCloseTo((2 / 3) * brB0toKstarSPerTheta2(2), 12);
    expect(() => brB0toKstarSPerTheta2(4.5)).toThrow(/B0 -> K\*0 S/);
    expect(PRODUCTIONS['K*0'].kDecay).toBeCloseTo(2 / 3, 12);
  });
});

describe('B0 -> K*0 S: injected signal and background-only pseudo-data', () => {
  const channels = ['mumu', 'pipi'] as const;
  const masses = [1, 1.5, 2, 2.5, 3];
  it('an injected 40-decay signal at 2 GeV (mumu) stands out of its sidebands; background alone does not', async () => {
    const lxy: [number, number] = [0.05, 60];
    const bg = await demoData(cpu, 4, 2000, [...channels], undefined, 'K*0');
    const windows = masses.flatMap((m) => channels.map((c) => massWindow(m, c)));
    const z = (n: number, b: number, s: number) => (n - b) / Math.sqrt(b + s * s + 1);
    const bgOnly = sidebandCounts(bg, windows, [...channels], lxy);
    for (const w of bgOnly) expect(Math.abs(z(w.n, w.b, w.sigmaB ?? 0))).toBeLessThan(4);
    const sig = await generateLlpSample({ masses: [2], channels: ['mumu'], perCell: 40, ctauGenCm: 1, seed: 8, backend: cpu, production: 'K*0' });
    const data = {
      mred: Float64Array.from([...bg.mred, ...sig.mred]), lxy: Float64Array.from([...bg.lxy, ...sig.lxy]),
      channel: Uint8Array.from([...bg.channel, ...sig.channel]),
    };
    const withSig = sidebandCounts(data, windows, [...channels], lxy);
    const at = masses.indexOf(2) * channels.length; // (2 GeV, mumu)
    expect(withSig[at].n - bgOnly[at].n).toBeGreaterThan(25);
    expect(z(withSig[at].n, withSig[at].b, withSig[at].sigmaB ?? 0)).toBeGreaterThan(5);
  });
});

describe('darkscan llp --production K*0', () => {
  const dir = tempDir('llp-kstar');
  it('writes the B0 -> K*0 S result with its B count and theta^2 conversion', async () => {
    const out = join(dir, 'kstar.json');
    const lines: string[] = [];
    expect(await main(['llp', '--demo', '--production', 'K*0', '--backend', 'cpu', '--per-cell', '300', '--masses', '1.5,3', '--channels', 'mumu,KK', '--lifetimes', '0.01:100:5', '--out', out], (s) => lines.push(s))).toBe(0);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.production).toBe('K*0');
    expect(j.production_mode).toMatch(/B0 -> K\*0/);
    expect(j.n_B).toBeCloseTo(2 * 198e6 * 0.486, -2);
    expect(j.n_Bcharged).toBeUndefined();
    expect(j.units.limits).toMatch(/B\(B0 -> K\*0 S\) x B\(K\*0 -> K\+ pi-\)/);
    const c = j.cells[0].channels[0];
    const k = c.limit.findIndex((x: number | null) => x !== null);
    expect(c.theta2_limit[k]).toBeCloseTo(c.limit[k] / (c.br_model * productionPerTheta2('K*0', 1.5)), 3);
    expect(lines[0]).toMatch(/B0 -> K\*0/);
  });
  it('names a bad production mode and a mass beyond the K*0 endpoint', async () => {
    await expect(main(['llp', '--demo', '--production', 'K0', '--backend', 'cpu'], () => {})).rejects.toThrow(/--production: unknown production mode 'K0' \(expected K\+ or K\*0/);
    await expect(main(['llp', '--demo', '--production', 'K*0', '--masses', '4.5', '--backend', 'cpu'], () => {})).rejects.toThrow(/4.5 GeV is outside/);
  });
});
