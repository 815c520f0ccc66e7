// Accuracy of the df32 (double-f32) library against float64, and its exactness claims. Its
// bit-identity across backends is tested by the `df32` probe kernel in the conformance suite.
// Errors are in units of u = 2^-48 (df32's precision), relative to the true value unless noted.
import { describe, expect, it } from 'vitest';
import {
  accAdd, accValue, dfAdd, dfAddF, dfDiv, dfExp, dfFromF32, dfLog, dfLt, dfMul, dfMulF, dfSub, fastTwoSum, split, twoProd,
  twoSum, DF_ZERO, type DF,
} from '../kernels/lib/df32.js';
import { df32Probe } from '../kernels/df32/desc.js';
import { cases as df32Cases } from '../kernels/df32/cases.js';
import { DF32_OPS, DF32_OUT_WORDS } from '../kernels/df32/ref.js';
import { DF_OUT_OP_WORDS } from '../kernels/df32/layout.js';
import { runReference } from '../host/index.js';
import { bitsToF32 } from '../kernels/bits.js';
import { testWords } from '../kernels/testing.js';

const fr = Math.fround;
const U = 2 ** -48;
const val = (a: DF) => a.hi + a.lo;

/** The df32 nearest a double (normalized as the library's values are). */
function dfOf(v: number): DF {
  const hi = fr(v);
  return dfAddF(dfFromF32(hi), fr(v - hi));
}

/** n doubles with |v| in 2^[e0, e1 + 1), random signs and 53-bit mantissas. */
function sample(n: number, e0: number, e1: number, stream: number, signed = true): number[] {
  const w = testWords(2 * n, stream);
  return Array.from({ length: n }, (_, i) => {
    const u = (w[2 * i] >>> 8) / 16777216 + (w[2 * i + 1] >>> 8) / 2 ** 48;
    return (signed && w[2 * i + 1] & 1 ? -1 : 1) * 2 ** (e0 + (e1 - e0) * u) * (1 + (w[2 * i] & 0xff) / 256);
  });
}

function worstRel(xs: number[], ys: number[], f: (a: DF, b: DF) => DF, g: (a: number, b: number) => number, floor = 2 ** -50) {
  let worst = 0, at = '';
  xs.forEach((x, i) => {
    const a = dfOf(x), b = dfOf(ys[i]);
    const want = g(val(a), val(b));
    if (!(Math.abs(want) >= floor)) return;
    const err = Math.abs(val(f(a, b)) - want) / Math.abs(want) / U;
    if (err > worst) [worst, at] = [err, `${x}, ${ys[i]}`];
  });
  return { worst, at };
}

/** Number of significant bits of an f32. */
const sigBits = (x: number) => {
  if (x === 0) return 0;
  let m = Math.abs(x) / 2 ** Math.floor(Math.log2(Math.abs(x)));
  let n = 1;
  while (m !== Math.floor(m)) { m *= 2; n++; }
  return n;
};

describe('df32 error-free transformations (exact)', () => {
  const xs = sample(50000, -40, 40, 1).map(fr), ys = sample(50000, -40, 40, 2).map(fr);
  it('twoSum: s + e = a + b exactly, s = fl(a + b); fastTwoSum too when |a| >= |b|', () => {
    xs.forEach((a, i) => {
      const b = ys[i];
      if (Math.abs(Math.log2(Math.abs(a / b))) > 25) return; // a + b exact in float64 only then
      const s = twoSum(a, b);
      expect(s.hi).toBe(fr(a + b));
      expect(s.hi + s.lo).toBe(a + b);
      const f = Math.abs(a) >= Math.abs(b) ? fastTwoSum(a, b) : fastTwoSum(b, a);
      expect([f.hi, f.lo]).toEqual([s.hi, s.lo]);
    });
  });
  it('split: a = hi + lo exactly, each of at most 12 significant bits', () => {
    for (const a of [...xs, fr(2 ** 114 * 1.999), fr(1 + 2 ** -23), fr(-16777215)]) {
      const s = split(a);
      expect(s.hi + s.lo).toBe(a);
      expect(sigBits(s.hi)).toBeLessThanOrEqual(12);
      expect(sigBits(s.lo)).toBeLessThanOrEqual(12);
    }
  });
  it('twoProd: p + e = a b exactly (float64 holds the 48-bit product) where |a b| >= 2^-52; within 2^-100 below', () => {
    let checked = 0;
    xs.forEach((a, i) => {
      const b = ys[i];
      const p = twoProd(a, b);
      expect(p.hi).toBe(Math.abs(a * b) < 2 ** -100 ? 0 : fr(a * b));
      if (Math.abs(a * b) < 2 ** -52) {
        expect(Math.abs(p.hi + p.lo - a * b)).toBeLessThan(2 ** -100);
        return;
      }
      if (p.hi + p.lo !== a * b) expect.fail(`twoProd(${a}, ${b}) = ${p.hi} + ${p.lo}, exact ${a * b}`);
      checked++;
    });
    expect(checked).toBeGreaterThan(30000);
  });
});

describe('df32 arithmetic vs float64 (errors in u = 2^-48)', () => {
  const xs = sample(100000, -50, 50, 3), ys = sample(100000, -50, 50, 4);
  // Cancelling pairs: b = -a (1 + 2^-k), results far below the operands.
  const cs = sample(20000, -30, 30, 5), cy = cs.map((x, i) => -x * (1 + 2 ** -(10 + (i % 30))));
  it('add, sub: <= 2 u relative (cancellation included)', () => {
    for (const [f, g] of [[dfAdd, (a: number, b: number) => a + b], [dfSub, (a: number, b: number) => a - b]] as const) {
      for (const [a, b] of [[xs, ys], [cs, cy], [cs, cy.map((v) => -v)]]) {
        const w = worstRel(a, b, f, g);
        expect(w.worst, `worst at ${w.at}`).toBeLessThanOrEqual(2);
      }
    }
  });
  it('mul <= 4 u, mulF <= 3 u, div <= 4 u relative (results >= 2^-50)', () => {
    const m = worstRel(xs, ys, dfMul, (a, b) => a * b);
    expect(m.worst, `mul worst at ${m.at}`).toBeLessThanOrEqual(4);
    const mf = worstRel(xs, ys.map(fr), (a, b) => dfMulF(a, b.hi), (a, b) => a * b);
    expect(mf.worst, `mulF worst at ${mf.at}`).toBeLessThanOrEqual(3);
    const d = worstRel(xs, ys, dfDiv, (a, b) => a / b);
    expect(d.worst, `div worst at ${d.worst}`).toBeLessThanOrEqual(4);
    expect(val(dfDiv(dfOf(6), dfOf(3)))).toBe(2);
    expect(val(dfDiv(dfOf(1), dfOf(3)))).toBeCloseTo(1 / 3, 15);
  });
  it('log: <= 6 u relative over 2^[-100, 125]; absolute <= 1 u near 1 (the deviance regime)', () => {
    const ws = sample(100000, -99, 124, 6, false);
    const w = worstRel(ws, ws, (a) => dfLog(a), (a) => Math.log(a), 0);
    expect(w.worst, `worst at ${w.at}`).toBeLessThanOrEqual(6);
    let abs = 0;
    for (const d of sample(50000, -45, -2, 7)) {
      const a = dfOf(1 + d);
      abs = Math.max(abs, Math.abs(val(dfLog(a)) - Math.log1p(val(a) - 1)) / U);
    }
    expect(abs).toBeLessThanOrEqual(1);
    expect(val(dfLog(dfOf(1)))).toBe(0);
    expect(Math.abs(val(dfLog(dfOf(2))) - Math.LN2)).toBeLessThan(2 * U);
  });
  it('log clamps its argument into [2^-100, 2^125]', () => {
    expect(dfLog(dfOf(0))).toEqual(dfLog(dfOf(2 ** -100)));
    expect(dfLog(dfOf(-3))).toEqual(dfLog(dfOf(2 ** -100)));
    expect(dfLog(dfOf(3e38))).toEqual(dfLog(dfOf(2 ** 125)));
    expect(Math.abs(val(dfLog(dfOf(2 ** -100))) + 100 * Math.LN2)).toBeLessThan(100 * U);
  });
  it('exp: <= (4 + |x|) u relative for x in [-34, 88] (|x| u: the df32 argument itself); 0 below -70', () => {
    const zs = sample(100000, -6, 6, 8).filter((x) => x > -34 && x < 88);
    let worst = 0, at = 0;
    for (const z of zs) {
      const a = dfOf(z);
      const err = Math.abs(val(dfExp(a)) - Math.exp(val(a))) / Math.exp(val(a)) / U / (4 + Math.abs(z));
      if (err > worst) [worst, at] = [err, z];
    }
    expect(worst, `worst at ${at}`).toBeLessThanOrEqual(1);
    expect(val(dfExp(dfOf(0)))).toBe(1);
    expect(dfExp(dfOf(-70.5))).toEqual(DF_ZERO);
    expect(dfExp(dfOf(100))).toEqual(dfExp(dfOf(88)));
  });
  it('compensated sums of 10^4 f32 terms of mixed sign: dfAddF and accAdd within their bounds (< 1e-12, 1e-10 relative), plain f32 far off', () => {
    const ts = sample(10000, -10, 20, 9).map(fr);
    let acc = DF_ZERO, full = DF_ZERO, plain = 0, exact = 0n;
    const SCALE = 2 ** 80; // every term is an integer multiple of 2^-80 here: exact BigInt sum
    for (const t of ts) {
      acc = accAdd(acc, t);
      full = dfAddF(full, t);
      plain = fr(plain + t);
      exact += BigInt(t * SCALE);
    }
    const want = Number(exact) / SCALE;
    const sumAbs = ts.reduce((a, t) => a + Math.abs(t), 0);
    // Neumaier: |error| <= u |S| + 2 n u^2 sum |x| with u = 2^-24 (Higham, Accuracy and Stability, 4.3)
    expect(Math.abs(val(accValue(acc)) - want)).toBeLessThanOrEqual(2 * U * Math.abs(want) + 2 * ts.length * U * sumAbs);
    expect(Math.abs(val(accValue(acc)) - want) / Math.abs(want)).toBeLessThan(1e-10);
    // dfAddF: recursive summation at precision 2^-48: |error| <= n u sum |x|
    expect(Math.abs(val(full) - want)).toBeLessThanOrEqual(ts.length * U * sumAbs);
    expect(Math.abs(val(full) - want) / Math.abs(want)).toBeLessThan(1e-12);
    expect(Math.abs(plain - want) / Math.abs(want)).toBeGreaterThan(1e3 * U);
  });
  it('lt orders df32 values exactly, lo parts included', () => {
    const a = dfOf(1 + 2 ** -40), b = dfOf(1 + 2 ** -41);
    expect(a.hi).toBe(b.hi);
    expect([dfLt(b, a), dfLt(a, b), dfLt(a, a)]).toEqual([true, false, false]);
    xs.slice(0, 5000).forEach((x, i) => expect(dfLt(dfOf(x), dfOf(ys[i]))).toBe(val(dfOf(x)) < val(dfOf(ys[i]))));
  });
});

describe('df32 flushing (what makes GPUs that flush subnormals agree)', () => {
  it('every part of every result is 0 or >= 2^-100; products below 2^-100 are signed zeros', () => {
    const xs = sample(20000, -120, 60, 10).map((x) => dfOf(x)), ys = sample(20000, -50, 10, 11).map((x) => dfOf(x));
    const ok = (d: DF) => [d.hi, d.lo].every((v) => v === 0 || Math.abs(v) >= 2 ** -100);
    xs.forEach((a, i) => {
      const b = ys[i];
      for (const r of [dfAdd(a, b), dfMul(a, b), dfMulF(a, b.hi), dfDiv(a, b), twoProd(a.hi, b.hi)]) {
        if (!ok(r)) expect.fail(`${a.hi}+${a.lo}, ${b.hi}+${b.lo}: ${r.hi} + ${r.lo}`);
      }
    });
    expect(Object.is(twoProd(2 ** -60, -(2 ** -45)).hi, -0)).toBe(true);
    expect(dfMul(dfOf(2 ** -60), dfOf(-(2 ** -45)))).toEqual({ hi: 0, lo: 0 });
    expect(dfMul(dfOf(2 ** -60), dfOf(2 ** -39)).hi).toBe(2 ** -99);
  });
  it("the probe's conformance cases stay inside the domain (finite outputs, no subnormals, df32 parts 0 or >= 2^-100)", () => {
    const skip = [DF32_OPS.indexOf('lt')]; // 0/1 words
    // Error terms of TwoSum / Fast2Sum and split parts are not df32 values: multiples of an ulp >= 2^-123
    const eft = ['twoSum', 'fastTwoSum', 'split'].map((n) => DF32_OPS.indexOf(n as (typeof DF32_OPS)[number]));
    for (const c of df32Cases()) {
      const r = runReference(df32Probe, c.args).r;
      for (let i = 0; i < r.length; i++) {
        const o = Math.floor((i % DF32_OUT_WORDS) / DF_OUT_OP_WORDS);
        if (skip.includes(o)) continue;
        const v = bitsToF32(r[i]), min = eft.includes(o) ? 2 ** -123 : 2 ** -100;
        if (!Number.isFinite(v) || (v !== 0 && Math.abs(v) < min)) expect.fail(`${c.name}: word ${i} = ${v}`);
      }
    }
  });
});
