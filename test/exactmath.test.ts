// Accuracy of the engine's own elementary functions against Math (double precision). Their
// bit-identity across backends is tested by the exactmath_probe kernel in the conformance suite;
// here: how far they are from the true function, in units of f32 ulp at the true value.
import { describe, expect, it } from 'vitest';
import { FTZ_BITS, bitsToF32, f32ToBits, xdiv, xexp, xlog, xrecip, xsqrt } from '../kernels/lib/exactmath.js';
import { testWords } from '../kernels/testing.js';

function ulpsOff(got: number, want: number): number {
  if (got === want) return 0;
  const e = Math.max(Math.floor(Math.log2(Math.abs(want))), -126);
  return Math.abs(got - want) / Math.pow(2, e - 23);
}

function sample(n: number, lo: number, hi: number, stream: number): number[] {
  const w = testWords(n, stream);
  return Array.from(w, (v) => Math.fround(lo + ((hi - lo) * (v >>> 8)) / 16777216));
}

function maxUlps(xs: number[], f: (x: number) => number, g: (x: number) => number): { ulps: number; at: number } {
  let worst = { ulps: 0, at: NaN };
  for (const x of xs) {
    const u = ulpsOff(f(x), g(x));
    if (u > worst.ulps) worst = { ulps: u, at: x };
  }
  return worst;
}

describe('exactmath accuracy (f32 ulps at the true value)', () => {
  it('xexp: <= 2 ulp on [-86, 88]', () => {
    const w = maxUlps(sample(200000, -86, 88, 1), xexp, Math.exp);
    expect(w.ulps, `worst at x=${w.at}`).toBeLessThanOrEqual(2);
  });
  it('xexp: exactly 0 below -86, clamped at 88, exp(0) = 1', () => {
    expect(xexp(-86.5)).toBe(0);
    expect(xexp(200)).toBe(xexp(88));
    expect(xexp(0)).toBe(1);
  });
  it('xlog: <= 2 ulp (or 1e-7 absolute near x = 1) over 1e-37..3e38', () => {
    const xs = sample(200000, -37, 38.5, 2).map((e) => Math.fround(Math.pow(10, e)));
    for (const x of [...xs, ...sample(50000, 0.5, 2, 3)]) {
      const got = xlog(x), want = Math.log(x);
      const ok = ulpsOff(got, want) <= 2 || Math.abs(got - want) <= 1e-7;
      if (!ok) expect.fail(`xlog(${x}) = ${got}, true ${want}`);
    }
    expect(xlog(1)).toBe(0);
    expect(xlog(0)).toBeCloseTo(-87.33654, 4);
  });
  it('xrecip <= 1.5 ulp for |x| in 1e-22..1e22, <= 2 ulp over 1e-30..1e30; xdiv <= 2 ulp', () => {
    const wide = sample(100000, -30, 30, 8).map((e, i) => Math.fround((i & 1 ? -1 : 1) * Math.pow(10, e)));
    const rw = maxUlps(wide, xrecip, (x) => 1 / x);
    expect(rw.ulps, `xrecip worst at ${rw.at}`).toBeLessThanOrEqual(2);
    const xs = sample(100000, -22, 22, 4).map((e, i) => Math.fround((i & 1 ? -1 : 1) * Math.pow(10, e)));
    const r = maxUlps(xs, xrecip, (x) => 1 / x);
    expect(r.ulps, `xrecip worst at ${r.at}`).toBeLessThanOrEqual(1.5);
    const ys = sample(100000, -10, 10, 5).map((e) => Math.fround(Math.pow(10, e)));
    let worst = 0;
    xs.forEach((x, i) => {
      if (Math.abs(x / ys[i]) > 1e-29) worst = Math.max(worst, ulpsOff(xdiv(x, ys[i]), x / ys[i]));
    });
    expect(worst, 'xdiv for |x / y| > 1e-29').toBeLessThanOrEqual(2);
    expect(xdiv(6, 3)).toBe(2);
  });
  it('xsqrt: <= 1 ulp over 1e-23..3e38 (its last correction is flushed below)', () => {
    const xs = sample(200000, -23, 38.5, 6).map((e) => Math.fround(Math.pow(10, e)));
    const w = maxUlps(xs, xsqrt, Math.sqrt);
    expect(w.ulps, `worst at ${w.at}`).toBeLessThanOrEqual(1);
    const tiny = maxUlps(sample(20000, -36, -23, 7).map((e) => Math.fround(Math.pow(10, e))), xsqrt, Math.sqrt);
    expect(tiny.ulps, `worst at ${tiny.at}`).toBeLessThanOrEqual(3);
    expect(xsqrt(4)).toBe(2);
    expect(xsqrt(0)).toBe(0);
  });
  it('flushes below 2^-100 to a signed zero', () => {
    expect(f32ToBits(xdiv(bitsToF32(FTZ_BITS - 1), 1))).toBe(0);
    expect(f32ToBits(xdiv(-bitsToF32(FTZ_BITS - 1), 1))).toBe(0x80000000);
  });
});
