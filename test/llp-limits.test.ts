// LLP limits, backgrounds, mixing angle and the `darkscan llp` command.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brBtoKSPerTheta2, combineChannels, signalUpperLimit, theta2Limit } from '../engine/llp/limits.js';
import { scalarBranchingFractions } from '../engine/generate/branching.js';
import { sidebandCounts } from '../engine/llp/background.js';
import { generateLlpSample } from '../engine/llp/sample.js';
import { CpuBackend } from '../host/index.js';
import { main } from '../engine/cli/index.js';
import { tempDir } from './tmp.js';

describe('combination (product of Poisson likelihoods, flat prior)', () => {
  it('one channel reproduces the classical Poisson and CLs-n limits', () => {
    expect(combineChannels([{ n: 0, b: 0, a: 1 }], 0.9)).toBeCloseTo(2.303, 2);
    expect(combineChannels([{ n: 2, b: 0, a: 1 }], 0.95)).toBeCloseTo(6.296, 2);
    expect(combineChannels([{ n: 1, b: 1, a: 1 }], 0.9)).toBeCloseTo(3.272, 2);
    expect(combineChannels([{ n: 1, b: 1, a: 10 }], 0.95)).toBeCloseTo(0.4113, 3);
  });
  it('two empty channels of equal sensitivity act as one with twice the sensitivity', () => {
    expect(combineChannels([{ n: 0, b: 0, a: 1 }, { n: 0, b: 0, a: 1 }], 0.9)).toBeCloseTo(2.303 / 2, 3);
    // a channel without efficiency adds nothing
    expect(combineChannels([{ n: 0, b: 0, a: 1 }, { n: 3, b: 0.5, a: 0 }], 0.9)).toBeCloseTo(2.303, 2);
    expect(combineChannels([{ n: 0, b: 0, a: 0 }], 0.9)).toBe(Infinity);
  });
  it('per-window methods agree with the reference numbers', () => {
    expect(signalUpperLimit({ n: 1, b: 1 }, 'cls-n', 0.95)).toBeCloseTo(4.113, 2);
    expect(signalUpperLimit({ n: 0, b: 0 }, 'bayes', 0.9)).toBeCloseTo(2.303, 2);
    expect(signalUpperLimit({ n: 15, b: 15 }, 'cls-asymptotic', 0.95)).toBeGreaterThan(3);
    // small counts: the table's rule, the exact limit (not the asymptotic 1.37 at n = 0)
    expect(signalUpperLimit({ n: 0, b: 0.01 }, 'cls-asymptotic', 0.9)).toBeCloseTo(2.303, 2);
  });
});

describe('mixing angle hook', () => {
  it('B(B -> K S) / theta^2 is ~0.5 at small mass and vanishes at the endpoint', () => {
    const r0 = brBtoKSPerTheta2(0.1);
    expect(r0).toBeGreaterThan(0.2);
    expect(r0).toBeLessThan(1.5);
    expect(brBtoKSPerTheta2(4.7856)).toBeLessThan(0.05 * r0);
    expect(brBtoKSPerTheta2(2)).toBeLessThan(r0 * 1.5);
    expect(theta2Limit(1e-7, 1, 0.25)).toBeCloseTo(1e-7 / (0.25 * brBtoKSPerTheta2(1)), 12);
    expect(theta2Limit(1e-7, 1, 0)).toBe(Infinity);
    expect(() => brBtoKSPerTheta2(5)).toThrow(/mS = 5/);
  });
});

describe('branching fractions of the Higgs-mixed scalar (the model of the combination)', () => {
  it('sum to at most 1 over ee, mumu, pipi, KK; leptons only below 2 m_pi; never 1 in every channel', () => {
    for (const m of [0.1, 0.25, 0.5, 1, 1.5, 2.5, 4]) {
      const b = scalarBranchingFractions(m);
      const sum = b.ee + b.mumu + b.pipi + b.KK;
      expect(sum).toBeLessThanOrEqual(1 + 1e-12);
      expect(Object.values(b).every((v) => v >= 0 && v <= 1)).toBe(true);
    }
    const low = scalarBranchingFractions(0.25);
    expect(low.ee + low.mumu).toBeCloseTo(1, 12);
    expect(low.mumu).toBeGreaterThan(0.99); // Gamma ~ m_l^2: mu mu dominates once open
    expect(scalarBranchingFractions(0.1).ee).toBeCloseTo(1, 12);
  });
  it('the combination weights each channel by the model\'s B(S -> xx): a channel the model closes adds nothing', () => {
    // two channels with equal efficiency, B = 0.5 each: as one channel with B = 1
    expect(combineChannels([{ n: 0, b: 0, a: 0.5 }, { n: 0, b: 0, a: 0.5 }], 0.9)).toBeCloseTo(2.303, 2);
    expect(combineChannels([{ n: 0, b: 0, a: 1 }, { n: 0, b: 0, a: 0 }], 0.9)).toBeCloseTo(2.303, 2);
  });
});

describe('sideband background', () => {
  it('flat background: b is the window share of the sidebands', () => {
    // 1 event every 1 MeV in [0, 2] GeV, channel 1 (mumu), all displaced.
    const mred = Float64Array.from({ length: 2000 }, (_, i) => (i + 0.5) * 1e-3);
    const data = { mred, lxy: new Float64Array(2000).fill(1), channel: new Uint8Array(2000).fill(1) };
    const [w] = sidebandCounts(data, [{ lo: 1.0, hi: 1.1 }], ['mumu'], [0.05, 60], 2);
    expect(w.n).toBe(100);
    expect(w.b).toBeCloseTo(100, 6);
    const [prompt] = sidebandCounts(data, [{ lo: 1.0, hi: 1.1 }], ['mumu'], [2, 60], 2);
    expect(prompt.n).toBe(0);
    const [clipped] = sidebandCounts(data, [{ lo: 0.05, hi: 0.15 }], ['mumu'], [0.05, 60], 2);
    expect(clipped.b).toBeCloseTo(100, 6);
  });
});

describe('darkscan llp', () => {
  const dir = tempDir('llp');
  it('--demo writes the JSON result with units, seed and finite limits', async () => {
    const lines: string[] = [];
    const out = join(dir, 'demo.json');
    const code = await main(['llp', '--demo', '--seed', '5', '--backend', 'cpu', '--per-cell', '300', '--masses', '1.5,2.5', '--channels', 'mumu,pipi', '--lifetimes', '0.01:100:5', '--out', out, '--plot', join(dir, 'demo.svg')], (s) => lines.push(s));
    expect(code).toBe(0);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.schema).toBe('darkscan-llp/1');
    expect(j.seed).toBe(5);
    expect(j.units.ctau).toBe('cm');
    expect(j.cells).toHaveLength(2);
    expect(j.cells[0].channels[1].efficiency).toHaveLength(5);
    expect(j.cells[1].combined_limit.every((x: number | null) => x !== null && x > 0)).toBe(true);
    // the combination is made under a stated model, never with B(S -> xx) = 1 in every channel
    expect(j.br_model).toMatch(/Higgs-mixed scalar/);
    const brs = j.cells[0].channels.map((c: { br_model: number }) => c.br_model);
    expect(brs.reduce((a: number, v: number) => a + v, 0)).toBeLessThanOrEqual(1);
    expect(readFileSync(join(dir, 'demo.svg'), 'utf8')).toMatch(/^<svg/);
    expect(lines.join('\n')).toMatch(/2 masses x 2 channels x 5 lifetimes/);
  });
  it('reads signal and data files (CSV), and names a missing column', async () => {
    const s = await generateLlpSample({ masses: [2], channels: ['ee', 'KK'], perCell: 200, ctauGenCm: 2, seed: 9, backend: new CpuBackend() });
    const rows = ['ct_cm,lxy_cm,mred_GeV,m_S_GeV,channel,ctau_gen_cm'];
    for (let i = 0; i < s.ct.length; i++) rows.push(`${s.ct[i]},${s.lxy[i]},${s.mred[i]},${s.mS[i]},${s.channel[i]},2`);
    writeFileSync(join(dir, 'sig.csv'), rows.join('\n'));
    writeFileSync(join(dir, 'data.csv'), 'mred_GeV,lxy_cm,channel\n1.9,1,0\n1.5,1,3\n');
    const out = join(dir, 'files.json');
    expect(await main(['llp', '--signal', join(dir, 'sig.csv'), '--data', join(dir, 'data.csv'), '--channels', 'ee,KK', '--lifetimes', '0.1:2:3', '--backend', 'cpu', '--out', out], () => {})).toBe(0);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.masses_GeV).toEqual([2]);
    expect(j.cells[0].channels[0].efficiency[1]).toBeGreaterThan(0.3);
    // one generated c tau (2 cm): longer lifetimes would need unbounded weights, refused
    await expect(main(['llp', '--signal', join(dir, 'sig.csv'), '--data', join(dir, 'data.csv'), '--channels', 'ee,KK', '--lifetimes', '0.1:10:3', '--backend', 'cpu'], () => {})).rejects.toThrow(/c\*tau = 10 cm\) is above the longest generated c\*tau \(2 cm\)/);
    writeFileSync(join(dir, 'bad.csv'), 'mred_GeV,channel\n1,0\n');
    await expect(main(['llp', '--signal', join(dir, 'sig.csv'), '--data', join(dir, 'bad.csv'), '--backend', 'cpu'], () => {})).rejects.toThrow(/bad.csv: missing column: one of lxy_cm, flight_rho_cm/);
    await expect(main(['llp', '--demo', '--method', 'fc'], () => {})).rejects.toThrow(/--method/);
  });
});
