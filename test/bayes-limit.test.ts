// The Bayesian limits batched on the backend (issue 18, item 1: per-window limits as a kernel):
// limitsBatch against limitOne (the f64 host, engine/stats/exact.ts bayesUpper), window by window.
// Bits across backends: test/conformance.test.ts (kernel bayes_limit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WasmBackend, type Backend } from '../host/index.js';
import { limitOne, limitsBatch, windowLimits, type OneLimit } from '../engine/stats/windows.js';
import { BAYES_KERNEL_MAX, bayesLimitsOnBackend } from '../engine/stats/bayeskernel.js';
import type { CountingModel } from '../engine/stats/model.js';
import { testWords } from '../kernels/testing.js';

let wasm: Backend;
beforeAll(async () => {
  wasm = await WasmBackend.create({ workers: 2, minItemsPerWorker: 1 });
});
afterAll(async () => {
  await wasm.dispose();
});

/** Windows as a scan gives them: small and large backgrounds, deficits and excesses, with and without sigma_b. */
function windows(count: number, stream: number): CountingModel[] {
  const w = testWords(4 * count, stream);
  return Array.from({ length: count }, (_, i) => {
    const u = (k: number) => (w[4 * i + k] >>> 8) / 16777216;
    const b = [0.01, 0.5, 3, 12, 60, 400][w[4 * i + 3] % 6] * (0.2 + u(0));
    const n = Math.max(0, Math.round(b + (u(1) - 0.5) * 5 * Math.sqrt(b + 1)));
    const sigmaB = w[4 * i + 3] % 3 === 0 ? 0 : b * [0.05, 0.3, 0.9][w[4 * i + 2] % 3];
    return { n, b, sigmaB, uncertainty: sigmaB > 0 ? 'gauss' : 'none' };
  });
}

/** Relative agreement of two limits (and their bands), same method and reason. */
function expectClose(got: OneLimit | Error, want: OneLimit, tol: number, what: string): void {
  expect(got, what).not.toBeInstanceOf(Error);
  const g = got as OneLimit;
  expect([g.used, g.reason], what).toEqual([want.used, want.reason]);
  for (const [a, b] of [[g.up, want.up], ...g.exp.map((v, k) => [v, want.exp[k]])]) {
    expect(Math.abs(a / b - 1), `${what}: ${a} vs ${b}`).toBeLessThan(tol);
  }
}

describe('limitsBatch (bayes_limit kernel) against limitOne on the host', () => {
  it('bayes, 90% CL: every window and band point within 5e-5 relative', async () => {
    const ms = windows(120, 1);
    const got = await limitsBatch(wasm, ms, 'bayes', 0.9);
    ms.forEach((m, i) => expectClose(got[i], limitOne(m, 'bayes', 0.9), 5e-5, `window ${i} (n = ${m.n}, b = ${m.b}, sigma_b = ${m.sigmaB})`));
  }, 120_000);

  it('cls-asymptotic: windows below b = 10 take the batched Bayesian limit, the others the host asymptotic one (same bits)', async () => {
    const ms = windows(60, 2);
    const got = await limitsBatch(wasm, ms, 'cls-asymptotic', 0.95);
    let small = 0;
    ms.forEach((m, i) => {
      const want = limitOne(m, 'cls-asymptotic', 0.95);
      if (want.used === 'bayes') {
        small++;
        expectClose(got[i], want, 5e-5, `window ${i}`);
      } else expect(got[i], `window ${i}`).toEqual(want);
    });
    expect(small).toBeGreaterThan(10);
  }, 120_000);

  it('n = 0 gives -ln(1 - cl) for every background and uncertainty (to f32 rounding)', async () => {
    const ms: CountingModel[] = [0, 0.01, 1, 30, 60.7, 999].flatMap((b) => [0, 0.1, 0.5, 1].map((f) => ({ n: 0, b, sigmaB: b * f, uncertainty: b * f > 0 ? 'gauss' as const : 'none' as const })));
    const got = await limitsBatch(wasm, ms, 'bayes', 0.9);
    ms.forEach((m, i) => expect(Math.abs((got[i] as OneLimit).up / -Math.log(0.1) - 1), `b = ${m.b}, sigma_b = ${m.sigmaB}`).toBeLessThan(1e-7));
  });

  it('windows outside the kernel: beyond its counts, errors, and items it cannot bracket go to the host unchanged', async () => {
    const ms: CountingModel[] = [
      { n: 1950, b: 2 * BAYES_KERNEL_MAX, sigmaB: 0, uncertainty: 'none' }, // beyond the kernel's domain
      { n: 2 * BAYES_KERNEL_MAX, b: 1500, sigmaB: 100, uncertainty: 'gauss' },
      { n: 1.5, b: 3 }, // not a count: limitOne's error
      { n: 4, b: 0, sigmaB: 1, uncertainty: 'gauss' }, // sigma_b without background: limitOne's error
      { n: 5, b: 5, sigmaB: 1, uncertainty: 'lognormal' }, // another prior: the host
      { n: 7, b: 4, sigmaB: 1, uncertainty: 'gauss' }, // in the kernel
    ];
    const got = await limitsBatch(wasm, ms, 'bayes', 0.9);
    for (const i of [0, 1, 4]) expect(got[i], `window ${i}`).toEqual(limitOne(ms[i], 'bayes', 0.9));
    for (const i of [2, 3]) {
      expect(got[i]).toBeInstanceOf(Error);
      expect(() => limitOne(ms[i], 'bayes', 0.9)).toThrow((got[i] as Error).message);
    }
    expectClose(got[5], limitOne(ms[5], 'bayes', 0.9), 5e-5, 'window 5');
    // cl = 1 - 1e-9 with n <= 1: the limit (~21-24) lies above the kernel's bracket n + 12 + 6 sqrt(n + 1)
    // (made for cl <= 0.9999), the kernel says so, and the host computes these windows.
    const hi: CountingModel[] = [{ n: 0, b: 3 }, { n: 0, b: 50, sigmaB: 10, uncertainty: 'gauss' }, { n: 1, b: 0.5 }, { n: 1, b: 2, sigmaB: 1, uncertainty: 'gauss' }];
    const far = await limitsBatch(wasm, hi, 'bayes', 1 - 1e-9);
    hi.forEach((m, i) => expect(far[i], `window ${i}`).toEqual(limitOne(m, 'bayes', 1 - 1e-9)));
  }, 120_000);

  it('repeated items (same n, f32 b and sigma_b) are computed once, with the bits of computing each alone', async () => {
    const n = [2, 3, 2, 3, 2, 7, 3, 2], b = [0.5, 2, 0.5, 2, 0.5, 2, 2.0000000001, 0.5], sb = [0, 0.4, 0, 0.4, 0.1, 0.4, 0.4, -0];
    const seen: number[] = [];
    const got = await bayesLimitsOnBackend(wasm, n, b, sb, 0.9, undefined, (d, t) => seen.push(d / t));
    for (let i = 0; i < n.length; i++) {
      const alone = await bayesLimitsOnBackend(wasm, [n[i]], [b[i]], [sb[i]], 0.9);
      expect(Object.is(got[i], alone[0]), `item ${i}: ${got[i]} vs ${alone[0]}`).toBe(true);
    }
    expect(got[0]).toBe(got[2]);
    expect(got[0]).not.toBe(got[4]); // another sigma_b
    expect(got[1]).toBe(got[6]); // b equal in f32
    expect(seen.at(-1)).toBe(1); // progress in the caller's items, ending at all of them
  });

  it('windowLimits with a backend (scan --limits): bayes and cls-asymptotic through limitsBatch, bad windows named', async () => {
    const w = { n: [0, 3, 12, 40, 2, -1], b: [0.5, 2, 15, 30, 1, 1], sigmaB: [0, 0.4, 3, 5, 0.8, 0], sRef: [1, 2, 1, 0.5, 1, 1] };
    for (const method of ['bayes', 'cls-asymptotic'] as const) {
      const r = await windowLimits(w, method, 0.9, { backend: wasm });
      const ms = w.n.slice(0, 5).map((n, i) => ({ n, b: w.b[i], sigmaB: w.sigmaB[i], sRef: w.sRef[i], uncertainty: w.sigmaB[i] > 0 ? 'gauss' as const : 'none' as const }));
      const want = await limitsBatch(wasm, ms, method, 0.9);
      want.forEach((l, i) => {
        const x = l as OneLimit;
        expect([r.upper[i], ...r.expected.map((e) => e[i]), r.used![i]], `${method} window ${i}`).toEqual([x.up, ...x.exp, x.used]);
      });
      expect(r.failed.slice(0, 5)).toEqual([null, null, null, null, null]);
      expect(r.failed[5]).toMatch(/^window 5/);
      expect(r.upper[5]).toBeNaN();
      expect(r.computed).toMatch(/bayes_limit kernel/);
      if (method === 'cls-asymptotic') expect(r.used!.slice(0, 5)).toEqual(['bayes', 'bayes', 'cls-asymptotic', 'cls-asymptotic', 'bayes']);
      // Without a backend: the host computation, within the kernel's tolerance.
      const host = await windowLimits(w, method, 0.9);
      for (let i = 0; i < 5; i++) expect(Math.abs(r.upper[i] / host.upper[i] - 1), `${method} window ${i}`).toBeLessThan(5e-5);
    }
  });
});
