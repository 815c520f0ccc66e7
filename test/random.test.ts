import { afterAll, describe, expect, it } from 'vitest';
import { foldIn, key, randomBits, split, uniforms, RANDOM_STREAM_VERSION } from '../engine/random.js';
import { CpuBackend, WasmBackend } from '../host/index.js';
import { philoxBlock } from '../kernels/philox/ref.js';
import { PHILOX_KAT } from '../kernels/philox/cases.js';

const cpu = new CpuBackend();
const wasm = await WasmBackend.create({ workers: 2, minItemsPerWorker: 1 });
afterAll(() => wasm.dispose());

describe('Philox4x32-10 reference', () => {
  it('reproduces the three Random123 known-answer lines', () => {
    const out = new Uint32Array(4);
    for (const v of PHILOX_KAT) {
      philoxBlock(v.ctr[0], v.ctr[1], v.ctr[2], v.ctr[3], v.key[0], v.key[1], out, 0);
      expect(Array.from(out)).toEqual(v.out);
    }
  });
});

describe('keys', () => {
  it('are pure functions of (seed, stream)', () => {
    expect(key(42, 7)).toEqual(key(42, 7));
    expect(key(42, 7)).not.toEqual(key(42, 8));
    expect(key(42, 7)).not.toEqual(key(43, 7));
    expect(key(2 ** 40, 0)).not.toEqual(key(0, 0)); // high seed bits matter
  });
  it('split and foldIn give distinct keys, deterministically', () => {
    const k = key(1, 0);
    const [a, b, c] = split(k, 3);
    expect(new Set([a, b, c, k].map(String)).size).toBe(4);
    expect(split(k, 3)).toEqual([a, b, c]);
    expect(foldIn(k, 5)).toEqual(foldIn(k, 5));
    expect(foldIn(k, 5)).not.toEqual(foldIn(k, 6));
    expect(foldIn(k, 0)).not.toEqual(split(k, 1)[0]);
  });
  it('rejects bad seeds and streams', () => {
    expect(() => key(-1)).toThrow(/seed/);
    expect(() => key(1.5)).toThrow(/seed/);
    expect(() => key(Number.NaN)).toThrow(/seed/);
    expect(() => key(1, 2 ** 32)).toThrow(/stream/);
  });
  it('stream version is recorded', () => {
    expect(RANDOM_STREAM_VERSION).toBe(1);
  });
});

describe('draws', () => {
  const k = key(20261125, 3);
  it('do not depend on how the counter range is split', async () => {
    const whole = await randomBits(wasm, k, { event: 0, window: 2, toy: 9 }, 3000);
    const a = await randomBits(cpu, k, { event: 0, window: 2, toy: 9 }, 1234);
    const b = await randomBits(cpu, k, { event: 1234, window: 2, toy: 9 }, 3000 - 1234);
    expect(Array.from(whole)).toEqual([...a, ...b]);
  });
  it('differ between windows and toys', async () => {
    const a = await randomBits(cpu, k, { window: 0 }, 1);
    const b = await randomBits(cpu, k, { window: 1 }, 1);
    const c = await randomBits(cpu, k, { toy: 1 }, 1);
    expect(a).not.toEqual(b);
    expect(a).not.toEqual(c);
  });
  it('uniforms are the top 24 bits, in [0, 1), with mean and variance of U(0, 1)', async () => {
    const n = 1 << 16;
    const bits = await randomBits(wasm, k, {}, n);
    const u = await uniforms(wasm, k, {}, n);
    let sum = 0, sum2 = 0, min = 1, max = 0, notTop24 = 0;
    for (let i = 0; i < u.length; i++) {
      if (u[i] !== (bits[i] >>> 8) / 16777216) notTop24++;
      sum += u[i];
      sum2 += u[i] * u[i];
      min = Math.min(min, u[i]);
      max = Math.max(max, u[i]);
    }
    expect(notTop24).toBe(0);
    const N = u.length, mean = sum / N, varr = sum2 / N - mean * mean;
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // 5 sigma: sd(mean) = sqrt(1/12 / N); sd(var) ~ sqrt(1/180 / N)
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(varr - 1 / 12)).toBeLessThan(5 * Math.sqrt(1 / 180 / N));
  });
  it('bit 0 to 31 of the words are each set half of the time', async () => {
    const w = await randomBits(wasm, k, { toy: 77 }, 1 << 14);
    for (let bit = 0; bit < 32; bit++) {
      let c = 0;
      for (const x of w) c += (x >>> bit) & 1;
      expect(Math.abs(c / w.length - 0.5), `bit ${bit}`).toBeLessThan(5 * Math.sqrt(0.25 / w.length));
    }
  });
});
