// web/fdlibm.ts (what the browser page uses for Math.exp / log / log1p, see web/hostmath.ts) must
// equal this Node's Math bit for bit, or the page's limits stop matching `darkscan demo`. Fails
// (on purpose) on a Node whose V8 no longer evaluates Math with fdlibm.
import { describe, expect, it } from 'vitest';
import { exp, log, log1p } from '../web/fdlibm.js';
import { philoxBlock } from '../kernels/philox/ref.js';

function inputs(): number[] {
  const out = new Uint32Array(4), F = new Float64Array(1), U = new Uint32Array(F.buffer);
  const xs: number[] = [0, -0, 1, -1, 2, 0.5, Infinity, -Infinity, NaN, 709.78, 709.79, -745.1, -745.2, 710, -746, 2 ** -1074, 2 ** -1022, -(2 ** -1074), 1e-300, 1 - 2 ** -53, 1 + 2 ** -52];
  for (let i = 0; i < 100_000; i++) {
    philoxBlock(i, 0, 0, 0, 0x5eed, 0xfd1b, out, 0);
    const u = out[0] / 2 ** 32, v = out[1] / 2 ** 32;
    xs.push((u - 0.3) * 10 ** (v * 12 - 6)); // wide dynamic range, both signs
    xs.push((u - 0.5) * 1500); // the whole exp range
    xs.push(1 + (v - 0.5) * 1e-5, (u - 0.5) * 1e-7); // near 1 (log) and near 0 (log1p)
    U[0] = out[2];
    U[1] = out[3];
    xs.push(F[0]); // any bit pattern
  }
  return xs;
}

describe('web/fdlibm.ts', () => {
  const xs = inputs();
  for (const [name, f, g] of [['exp', exp, Math.exp], ['log', log, Math.log], ['log1p', log1p, Math.log1p]] as const) {
    it(`${name} equals Node's Math.${name} on ${xs.length} inputs, bit for bit`, () => {
      const bad = xs.findIndex((x) => !Object.is(f(x), g(x)));
      expect(bad, bad >= 0 ? `${name}(${xs[bad]}): fdlibm ${f(xs[bad])}, Node ${g(xs[bad])}` : '').toBe(-1);
    });
  }
  it('has the textbook values', () => {
    expect(exp(1)).toBe(Math.E);
    expect(log(Math.E)).toBe(1);
    expect(exp(0)).toBe(1);
    expect(log(1)).toBe(0);
    expect(log1p(0)).toBe(0);
    expect(log(0)).toBe(-Infinity);
    expect(log(-1)).toBeNaN();
    expect(log1p(-1)).toBe(-Infinity);
    expect(exp(-Infinity)).toBe(0);
  });
});
