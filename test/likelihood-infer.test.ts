// One counting window written as a one-bin pyhf workspace gives the same asymptotic CLs and upper
// limits through the fit kernel as engine/stats' closed-form profile likelihood (pyhf shapesys =
// the 'poisson' model, histosys with hi - nom = nom - lo = sigma_b = 'gauss', normsys code 1 with
// kappa = 1 + sigma_b / b = 'lognormal'); and the test statistics follow pyhf's definitions.
import { describe, expect, it } from 'vitest';
import { hypotestAsymptotic, upperLimitAsymptotic, type UncertaintyModel } from '../engine/stats/index.js';
import { parseWorkspace } from '../engine/likelihood/workspace.js';
import { compileModel } from '../engine/likelihood/model.js';
import { FitSession, asymptoticPvalues, hypotests, testStatistic, upperLimits } from '../engine/likelihood/infer.js';
import { CpuBackend } from '../host/cpu.js';

function oneBin(n: number, s: number, b: number, sigma: number, kind: UncertaintyModel) {
  const mods: unknown[] =
    kind === 'poisson' ? [{ name: 'shape_b', type: 'shapesys', data: [sigma] }]
    : kind === 'gauss' ? [{ name: 'alpha_b', type: 'histosys', data: { hi_data: [b + sigma], lo_data: [b - sigma] } }]
    : [{ name: 'alpha_b', type: 'normsys', data: { hi: 1 + sigma / b, lo: 1 / (1 + sigma / b) } }];
  const ws = parseWorkspace({
    version: '1.0.0',
    channels: [{ name: 'win', samples: [{ name: 'sig', data: [s], modifiers: [{ name: 'mu', type: 'normfactor', data: null }] }, { name: 'bkg', data: [b], modifiers: mods }] }],
    observations: [{ name: 'win', data: [n] }],
    measurements: [{ name: 'm', config: { poi: 'mu', parameters: [{ name: 'mu', bounds: [[0, 1000]] }] } }],
  });
  return compileModel(ws, kind === 'lognormal' ? { normsysCode: 1 } : { histosysCode: 0 });
}

const CASES: [number, number, number, number, UncertaintyModel][] = [
  [12, 5, 10, 2, 'poisson'], [3, 4, 6, 1.5, 'poisson'], [40, 10, 30, 3, 'gauss'], [25, 8, 20, 4, 'lognormal'], [9, 6, 12, 1, 'poisson'],
];

describe('a counting window as a one-bin workspace', () => {
  it('CLs and the expected set at mu = 1 match engine/stats (closed-form profile) to 1e-5', async () => {
    const models = CASES.map(([n, s, b, sg, k]) => oneBin(n, s, b, sg, k));
    const sess = new FitSession(new CpuBackend(), models);
    const res = await hypotests(sess, models.map((m, i) => ({ model: i, data: m.observed })), models.map(() => [1]), 'qtilde');
    CASES.forEach(([n, s, b, sigmaB, uncertainty], i) => {
      const ref = hypotestAsymptotic({ n, b, sRef: s, sigmaB, uncertainty }, 1);
      const r = res[i][0];
      expect(Math.abs(r.cls - ref.cls), `case ${i}: ${r.cls} vs ${ref.cls}`).toBeLessThan(1e-5);
      r.expected.forEach((v, k) => expect(Math.abs(v - ref.expected[k]), `case ${i} expected[${k}] ${v} vs ${ref.expected[k]}; q ${r.q} ${ref.qObs} qA ${r.qA} ${ref.qAsimov}`).toBeLessThan(1e-5));
    });
    expect(sess.unconverged).toBe(0);
  });
  it('upper limits (95% and 90%) match engine/stats to 1e-4 relative', async () => {
    const models = CASES.map(([n, s, b, sg, k]) => oneBin(n, s, b, sg, k));
    const sess = new FitSession(new CpuBackend(), models);
    for (const cl of [0.95, 0.9]) {
      const ul = await upperLimits(sess, models.map((m, i) => ({ model: i, data: m.observed })), { cl });
      CASES.forEach(([n, s, b, sigmaB, uncertainty], i) => {
        const ref = upperLimitAsymptotic({ n, b, sRef: s, sigmaB, uncertainty }, cl);
        expect(Math.abs(ul[i].obs / ref.upper - 1), `case ${i} cl ${cl}: ${ul[i].obs} vs ${ref.upper}`).toBeLessThan(1e-4);
        ul[i].exp.forEach((v, k) => expect(Math.abs(v / ref.expected![k] - 1), `case ${i} exp[${k}]`).toBeLessThan(1e-4));
      });
    }
  });
});

describe('test statistics and p-values (pyhf conventions)', () => {
  const fitAt = (mu: number, dev: number) => ({ theta: Float64Array.of(mu), deviance: dev, iterations: 1, status: 1 });
  it('q~_mu and q_mu are 0 when mu-hat > mu, t otherwise, never negative; q0 is 0 below mu-hat = 0', () => {
    expect(testStatistic('qtilde', 1, fitAt(1, 5), fitAt(2, 3), 0)).toBe(0);
    expect(testStatistic('qtilde', 3, fitAt(3, 5), fitAt(2, 3), 0)).toBe(2);
    expect(testStatistic('q', 3, fitAt(3, 2.9), fitAt(2, 3), 0)).toBe(0);
    expect(testStatistic('q0', 0, fitAt(0, 7), fitAt(1.5, 3), 0)).toBe(4);
    expect(testStatistic('q0', 0, fitAt(0, 7), fitAt(-0.5, 3), 0)).toBe(0);
  });
  // Normal tails (Abramowitz & Stegun table 26.1): Phi(-3) = 1.3498980316e-3, Phi(-3.25) = 5.7702504239e-4, Phi(-4) = 3.1671241833e-5.
  const rel = (a: number, b: number) => Math.abs(a / b - 1);
  it('CLs = CLs+b / CLb; q~ switches to eq. (66) above q_A; q0 returns p0 and its expected set', () => {
    const a = asymptoticPvalues('qtilde', 9, 4);
    expect(a.cls).toBeCloseTo(a.clsb / a.clb, 15);
    expect(rel(a.clsb, 5.7702504239e-4)).toBeLessThan(1e-9); // (q + q_A) / (2 sqrt q_A) = 3.25
    const q = asymptoticPvalues('q', 9, 4);
    expect(rel(q.clsb, 1.3498980316e-3)).toBeLessThan(1e-9); // sqrt q = 3
    const d = asymptoticPvalues('q0', 9, 16);
    expect(rel(d.cls, 1.3498980316e-3)).toBeLessThan(1e-9); // p0 = Phi(-sqrt q0)
    expect(rel(d.expected[2], 3.1671241833e-5)).toBeLessThan(1e-9); // median: Phi(-sqrt q0_A)
  });
});
