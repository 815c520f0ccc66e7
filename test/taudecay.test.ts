// kernels/lib/taudecay (the generator kernels' polarized tau decays, f32 from exact ops) against the
// closed forms of the densities it samples (kernels/lib/taudecay.ts header):
//   x ~ 2 x^2 (3 - 2x) on (0, 1): E[x] = 7/10, E[x^2] = 8/15 (m_l -> 0);
//   linearCos(b) ~ (1 + b c) / 2: E[c] = b / 3, E[c^2] = 1 / 3;
//   tau -> pi nu: E[cos] = a / 3 with a = +P (tau-), -P (tau+);
//   tau -> l nu nu: E[cos] = E[b(x)] / 3 = a (E over x of (2x - 1) / (3 - 2x)) / 3 = a / 9 (a = -P for tau-, +P for tau+),
//   and the x - cos correlation E[(2x - 1) cos] = (a / 3) E[(2x - 1)^2 / (3 - 2x)] = 4a / 45;
// plus the f64 host's tauToLeptonNuNu / tauToPiNu (engine/generate/physics.ts) on the same moments, and
// helicityFrame as a rotation (norms kept, the flight direction to n, the flipped frame to -n).
// The WGSL and AssemblyScript twins are checked bit for bit through the gen_tautau kernel's conformance cases.
import { describe, expect, it } from 'vitest';
import { helicityFrame, linearCos, michelX, tauLepton, tauPion } from '../kernels/lib/taudecay.js';
import { newStream, rsInit } from '../kernels/lib/sampling.js';
import { EventRandom } from '../engine/generate/rng.js';
import { M_MU, M_TAU } from '../engine/generate/lorentz.js';
import { tauToLeptonNuNu, tauToPiNu } from '../engine/generate/physics.js';

const N = 200_000;
const stream = (k: number) => {
  const s = newStream();
  rsInit(s, 0x1234, k, 7, 0, 0);
  return s;
};
/** Mean and its standard error of f over N draws. */
function moment(f: () => number): { m: number; se: number } {
  let a = 0, b = 0;
  for (let i = 0; i < N; i++) {
    const v = f();
    a += v;
    b += v * v;
  }
  const m = a / N;
  return { m, se: Math.sqrt((b / N - m * m) / N) };
}
const near = (r: { m: number; se: number }, want: number, what: string) => expect(Math.abs(r.m - want), `${what}: ${r.m} vs ${want} (se ${r.se})`).toBeLessThan(4.5 * r.se);

describe('taudecay (kernels/lib): the densities it samples', () => {
  it('michelX follows x^2 (3 - 2x): E[x] = 0.7, E[x^2] = 8/15; never at or below x_min', () => {
    const s = stream(1);
    let bad = 0;
    const xs = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      xs[i] = michelX(s, 0.01);
      if (!(xs[i] > 0.01 && xs[i] < 1)) bad++;
    }
    expect(bad).toBe(0);
    let i = 0;
    near(moment(() => xs[i++]), 0.7, 'E[x]'); // the cut x > 0.01 (probability 2e-6) shifts it by < 1e-6
    i = 0;
    near(moment(() => xs[i] * xs[i++]), 8 / 15, 'E[x^2]');
  });
  it('linearCos(b) follows (1 + b c) / 2: E[c] = b / 3, E[c^2] = 1 / 3, within [-1, 1]', () => {
    for (const b of [-1, -0.4, 0, 0.25, 1]) {
      const s = stream(2);
      near(moment(() => linearCos(s, b)), b / 3, `E[c], b = ${b}`);
      near(moment(() => linearCos(s, b) ** 2), 1 / 3, `E[c^2], b = ${b}`);
    }
    const s = stream(3);
    for (let i = 0; i < 10000; i++) expect(Math.abs(linearCos(s, 0.7))).toBeLessThan(1);
  });
  it('tau -> pi nu: E[cos] = +P / 3 for tau-, -P / 3 for tau+', () => {
    for (const [pol, q] of [[1, -1], [-1, -1], [1, 1], [-1, 1], [0, 1]]) {
      const s = stream(4);
      near(moment(() => tauPion(s, pol, q)), (q < 0 ? pol : -pol) / 3, `pol ${pol} q ${q}`);
    }
  });
  it('tau -> mu nu nu: E[cos] = a / 9, E[(2x - 1) cos] = 4a / 45 (a = -P for tau-, +P for tau+); E, |p| on the muon mass shell', () => {
    const emax = (M_TAU ** 2 + M_MU ** 2) / (2 * M_TAU);
    for (const [pol, q] of [[1, -1], [-1, -1], [1, 1], [-1, 1]]) {
      const a = q < 0 ? -pol : pol;
      const s = stream(5);
      near(moment(() => tauLepton(s, pol, q, emax, 1e-30, 0)[2]), a / 9, `E[cos] pol ${pol} q ${q}`);
      near(moment(() => {
        const [e, , c] = tauLepton(s, pol, q, emax, 1e-30, 0);
        return (2 * (e / emax) - 1) * c;
      }), (4 * a) / 45, `E[(2x - 1) cos] pol ${pol} q ${q}`);
    }
    const s = stream(6);
    for (let i = 0; i < 10000; i++) {
      const [e, p] = tauLepton(s, 1, -1, emax, M_MU, M_MU / emax);
      expect(e).toBeGreaterThanOrEqual(Math.fround(M_MU));
      expect(Math.abs(e * e - p * p - M_MU ** 2)).toBeLessThan(2e-6 * e * e);
    }
  });
  it('the f64 host decays (physics.ts) give the same moments (the definitions agree)', () => {
    const rng = new EventRandom([3, 4]);
    const tau: [number, number, number, number] = [M_TAU, 0, 0, 0];
    // at rest the flight direction is +z (aboutFlight), so the product's z / |p| is the cos
    let i = 0;
    near(moment(() => {
      const [pi] = tauToPiNu(rng.start(i++), tau, 1, -1);
      return pi[3] / Math.hypot(pi[1], pi[2], pi[3]);
    }), 1 / 3, 'f64 tau- -> pi nu, P = +1');
    i = 0;
    near(moment(() => {
      const [mu] = tauToLeptonNuNu(rng.start(i++), tau, M_MU, 1, -1);
      return mu[3] / Math.hypot(mu[1], mu[2], mu[3]);
    }), -1 / 9, 'f64 tau- -> mu nu nu, P = +1');
  });
  it('helicityFrame is a rotation taking z to n = (st cos phi, st sin phi, c); flipped: z to -n, still right-handed', () => {
    const s = stream(7);
    for (let k = 0; k < 200; k++) {
      const c = linearCos(s, 0), st = Math.sqrt(1 - c * c), ph = 2 * Math.PI * michelX(s, 0), cph = Math.cos(ph), sph = Math.sin(ph);
      const [cf, sf] = [Math.fround(cph), Math.fround(sph)];
      const n = [st * cph, st * sph, c];
      for (const flip of [false, true]) {
        const z = helicityFrame(0, 0, 1, c, Math.fround(st), cf, sf, flip);
        const x = helicityFrame(1, 0, 0, c, Math.fround(st), cf, sf, flip), y = helicityFrame(0, 1, 0, c, Math.fround(st), cf, sf, flip);
        for (let j = 0; j < 3; j++) expect(z[j]).toBeCloseTo((flip ? -1 : 1) * n[j], 5);
        const cross = [x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]];
        for (let j = 0; j < 3; j++) expect(cross[j]).toBeCloseTo(z[j], 5); // x cross y = z: right-handed
        const v = helicityFrame(0.3, -0.5, 0.2, c, Math.fround(st), cf, sf, flip);
        expect(Math.hypot(...v)).toBeCloseTo(Math.hypot(0.3, -0.5, 0.2), 5);
      }
    }
  });
});
