// darkscan limit | hypotest | discovery: JSON keys exactly as issue 5 specifies, published
// numbers through the CLI, toys reproducible from the seed on every backend.
import { describe, expect, it } from 'vitest';
import { main } from '../engine/cli/index.js';
import { ALLOW_NO_WEBGPU } from './backends.js';

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(argv, (s) => lines.push(s));
  return { code, out: lines.join('\n') };
}
const json = async (argv: string[]) => {
  const r = await run([...argv, '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.out);
};
const r2 = (x: number) => Math.round(x * 100) / 100;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

describe('darkscan limit', () => {
  it('keys exactly {method, cl, upper, lower, expected, toys, seed}', async () => {
    for (const method of ['cls', 'cls-asymptotic', 'bayes', 'fc', 'cls-n']) {
      const j = await json(['limit', '--observed', '2', '--background', '1.5', '--method', method, '--toys', '500', '--backend', 'cpu']);
      expect(Object.keys(j), method).toEqual(['method', 'cl', 'upper', 'lower', 'expected', 'toys', 'seed']);
      expect(j.method).toBe(method);
      expect(j.cl).toBe(0.9);
      expect(j.expected).toHaveLength(5);
      expect(j.lower === null).toBe(method !== 'fc');
      expect(j.toys).toBe(method === 'cls' ? 500 : null);
      expect(j.seed).toBe(method === 'cls' ? 1 : null);
    }
  });
  it('Poisson limits b = 0 (2.303, 3.890, 5.322) and Feldman-Cousins Table IV to the table digits', async () => {
    const ul = [];
    for (const n of [0, 1, 2]) ul.push(r3((await json(['limit', '--observed', `${n}`, '--background', '0', '--method', 'cls-n'])).upper));
    expect(ul).toEqual([2.303, 3.89, 5.322]);
    const fc = [];
    for (const n of [0, 1, 2]) {
      const j = await json(['limit', '--observed', `${n}`, '--background', '0', '--method', 'fc']);
      fc.push([r2(j.lower), r2(j.upper)]);
    }
    expect(fc).toEqual([[0, 2.44], [0.11, 4.36], [0.53, 5.91]]);
  });
  it('Helene: b = 1, n = 1 gives 3.272 (90%) and 4.113 (95%), bayes and cls-n', async () => {
    for (const m of ['bayes', 'cls-n']) {
      expect(r3((await json(['limit', '--observed', '1', '--background', '1', '--method', m])).upper)).toBe(3.272);
      expect(r3((await json(['limit', '--observed', '1', '--background', '1', '--method', m, '--cl', '0.95'])).upper)).toBe(4.113);
    }
  });
  it('toy CLs: same JSON on every backend for one seed, another seed differs', async () => {
    const args = ['limit', '--observed', '4', '--background', '3', '--background-uncertainty', '1', '--uncertainty-model', 'poisson', '--toys', '2000', '--seed', '11'];
    const a = await json([...args, '--backend', 'cpu']);
    expect(a.seed).toBe(11);
    for (const be of ['wasm', ...(ALLOW_NO_WEBGPU ? [] : ['webgpu'])]) expect(await json([...args, '--backend', be, '--workers', '2'])).toEqual(a);
    const b = await json([...args.slice(0, -1), '12', '--backend', 'wasm']);
    expect(b.upper).not.toBe(a.upper);
  });
  it('clear errors', async () => {
    await expect(run(['limit', '--observed', '1.5', '--background', '1', '--json'])).rejects.toThrow(/--observed/);
    await expect(run(['limit', '--observed', '1', '--json'])).rejects.toThrow(/--background is required/);
    await expect(run(['limit', '--observed', '1', '--background', '1', '--method', 'foo'])).rejects.toThrow(/--method/);
    await expect(run(['limit', '--observed', '1', '--background', '1', '--uncertainty-model', 'foo'])).rejects.toThrow(/--uncertainty-model/);
    await expect(run(['limit', '--observed', '1', '--background', '1', '--background-uncertainty', '0.5', '--method', 'fc'])).rejects.toThrow(/known background/);
  });
});

describe('darkscan hypotest / discovery', () => {
  it('hypotest keys exactly {cls, clsb, clb, expected}; asymptotic matches pyhf-style values', async () => {
    const j = await json(['hypotest', '--observed', '5', '--signal', '3', '--background', '5', '--background-uncertainty', '1', '--uncertainty-model', 'poisson']);
    expect(Object.keys(j)).toEqual(['cls', 'clsb', 'clb', 'expected']);
    expect(j.expected).toHaveLength(5);
    expect(j.cls).toBeCloseTo(j.clsb / j.clb, 12);
    const t = await json(['hypotest', '--observed', '5', '--signal', '3', '--background', '5', '--calculator', 'toys', '--toys', '3000', '--backend', 'wasm']);
    expect(Object.keys(t)).toEqual(['cls', 'clsb', 'clb', 'expected']);
  });
  it('discovery keys exactly {p0, z}; toys with known b agree with P(N >= n | b)', async () => {
    const a = await json(['discovery', '--observed', '12', '--background', '5']);
    expect(Object.keys(a)).toEqual(['p0', 'z']);
    const t = await json(['discovery', '--observed', '9', '--background', '4', '--calculator', 'toys', '--toys', '20000', '--backend', 'wasm']);
    expect(Object.keys(t)).toEqual(['p0', 'z']);
    const want = 0.021363434487984; // P(N >= 9 | 4) = scipy.stats.poisson.sf(8, 4)
    expect(Math.abs(t.p0 - want) / Math.sqrt((want * (1 - want)) / 20000)).toBeLessThan(4);
  });
});
