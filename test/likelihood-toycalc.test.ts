// The toy calculator's arithmetic (engine/likelihood/toycls.ts), apart from the toys themselves:
// pyhf's expected set (expected_pvalues: per b-only toy CLs, numpy percentiles) against a direct
// O(K^2) transcription of pyhf's code on toy sets with ties, the statistical errors, the
// upper-limit crossing of a toy CLs scan, and counts from kept toys.
import { describe, expect, it } from 'vitest';
import { binomialError, countsOf, expectedSet, toyHypoTests, toyUpperLimits, type ToyPlanHeader } from '../engine/likelihood/toycls.js';
import { clsError } from '../engine/stats/toys.js';

/** pyhf 0.7.6 calculators.py ToyCalculator.expected_pvalues, literally: pvalue = mean(samples >= t), then np.percentile (linear). */
function pyhfExpected(sb: Float32Array, b: Float32Array, q0: boolean): number[] {
  const tail = (xs: Float32Array, t: number) => xs.reduce((a, x) => a + (x >= t ? 1 : 0), 0) / xs.length;
  const vals = Array.from(b, (t) => (q0 ? tail(sb, t) : tail(sb, t) / tail(b, t))).sort((x, y) => x - y);
  return [2.27501319, 15.86552539, 50.0, 84.13447461, 97.72498681].map((P) => {
    const at = (P / 100) * (vals.length - 1), lo = Math.floor(at), hi = Math.min(lo + 1, vals.length - 1);
    return vals[lo] + (vals[hi] - vals[lo]) * (at - lo);
  });
}

/** A deterministic pseudo-random toy set: q of discrete counts (many ties, many zeros) or continuous. */
function toyQs(n: number, seed: number, discrete: boolean, shift: number): Float32Array {
  let x = seed >>> 0;
  const next = () => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x / 2 ** 32; };
  return Float32Array.from({ length: n }, () => {
    const u = next();
    const q = Math.max(0, -2 * Math.log(1 - u) - 1 + shift);
    return discrete ? Math.round(q * 4) / 4 : q;
  });
}

describe("pyhf's expected set from toys", () => {
  for (const [discrete, q0] of [[true, false], [false, false], [true, true], [false, true]] as const) {
    it(`equals pyhf's expected_pvalues (${discrete ? 'ties' : 'continuous'}, ${q0 ? 'q0: CLs+b' : 'CLs'})`, () => {
      for (const K of [1, 2, 7, 400]) {
        const sb = toyQs(K, 11 + K, discrete, 1.5), b = toyQs(K, 97 + K, discrete, 0);
        const got = expectedSet(sb, b, q0).values, want = pyhfExpected(sb, b, q0);
        got.forEach((v, k) => expect(v, `K = ${K}, band ${k}`).toBeCloseTo(want[k], 12));
      }
    });
  }
  it('errors: positive, shrinking like 1/sqrt(K)', () => {
    const e1 = expectedSet(toyQs(1000, 1, false, 3), toyQs(1000, 2, false, 1), false).errors;
    const e2 = expectedSet(toyQs(16000, 1, false, 3), toyQs(16000, 2, false, 1), false).errors;
    for (let k = 0; k < 5; k++) {
      expect(e1[k]).toBeGreaterThan(0);
      expect(e2[k] / e1[k], `band ${k}`).toBeGreaterThan(0.1);
      expect(e2[k] / e1[k], `band ${k}`).toBeLessThan(0.5);
    }
  });
});

describe('toy hypothesis tests from counts', () => {
  const plan: ToyPlanHeader = { stat: 'qtilde', points: [{ target: 0, mu: 1 }, { target: 0, mu: 2 }], perPoint: 2, qObs: Float32Array.of(1.5, 0.25), muhat: Float64Array.of(0.3, 0.3) };
  const arrays = {
    q: [toyQs(500, 1, true, 1), toyQs(500, 2, true, 0), toyQs(500, 3, true, 2), toyQs(500, 4, true, 0)],
    status: [new Uint8Array(500), new Uint8Array(500).fill(1, 0, 7), new Uint8Array(500), new Uint8Array(500)],
  };
  it('CLs+b, CLb, CLs = CLs+b / CLb with binomial / delta-method errors; non-converged toys counted, kept', () => {
    const counts = countsOf(plan, arrays);
    const [a, b] = toyHypoTests(plan, counts, arrays);
    const frac = (xs: Float32Array, t: number) => xs.filter((x) => x >= t).length / xs.length;
    expect(a.clsb).toBe(frac(arrays.q[0], 1.5));
    expect(a.clb).toBe(frac(arrays.q[1], 1.5));
    expect(a.cls).toBe(a.clsb / a.clb);
    expect(a.clsbError).toBeCloseTo(Math.sqrt((a.clsb * (1 - a.clsb)) / 500), 15);
    expect(a.clsError).toBe(clsError(a.clsb, a.clb, 500));
    expect(a.clsError).toBeCloseTo(a.cls * Math.sqrt((1 - a.clsb) / (500 * a.clsb) + (1 - a.clb) / (500 * a.clb)), 15);
    expect(a.notConverged).toEqual({ sb: 0, b: 7 });
    expect(b.clsb).toBe(frac(arrays.q[2], 0.25));
    expect(a.expected).toEqual(expectedSet(arrays.q[0], arrays.q[1], false).values);
    expect(binomialError(0, 500)).toBe(1 / 500);
  });
  it('upper limit: the first crossing of alpha, interpolated linearly, with its error over the slope', () => {
    const mus = [0.5, 1, 1.5, 2, 2.5];
    const cls = [0.5, 0.2, 0.08, 0.03, 0.01];
    const p: ToyPlanHeader = { ...plan, points: mus.map((mu) => ({ target: 0, mu })), qObs: new Float32Array(5), muhat: new Float64Array(5) };
    const tests = mus.map((mu, i) => ({ mu, cls: cls[i], clsError: 0.01, clsb: 0, clsbError: 0, clb: 0, clbError: 0, expected: [cls[i] / 4, cls[i] / 2, cls[i], 2 * cls[i], 1] as [number, number, number, number, number], expectedError: [0, 0, 0, 0, 0] as [number, number, number, number, number], qObs: 0, muhat: 0, toys: 100, notConverged: { sb: 0, b: 0 } }));
    const [u] = toyUpperLimits(p, tests, 1, 0.05);
    expect(u.obs).toBeCloseTo(1.5 + (0.5 * (0.08 - 0.05)) / (0.08 - 0.03), 12);
    expect(u.obsError).toBeCloseTo((0.01 * 0.5) / (0.08 - 0.03), 12);
    expect(u.exp[4]).toBeNaN(); // +2 sigma never reaches alpha on this scan
    expect(u.exp[2]).toBe(u.obs);
    expect(u.scan).toEqual(mus);
  });
});
