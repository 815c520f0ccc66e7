// gen_eemumu's early rejections before the leptons and the photons (kernels/gen_eemumu/ref.ts
// sampleBulk): they reject only trials the check against the cell's bound of D1 D2 sigma rejects, so
// the events are those without them (the same bits: the conformance cases' outputs did not change).
// That rests on two bounds, checked here on the kernel's own f32 arithmetic over the whole (ln y)
// domain of the lowest W_min: each lepton's ln Q^2 range r <= rBound (within the early rejections'
// margin) and its flux F(y, Q^2) <= fluxMax(y) at every Q^2 of its range.
import { describe, expect, it } from 'vitest';
import { BELLE2_DETECTOR, getProcess, resolveParams } from '../engine/generate/index.js';
import { EEMUMU_WMIN_KERNEL, eemumuKernelParams } from '../engine/generate/gen-eemumu.js';
import { EEMUMU_PARAM_INDEX as I, fluxMax, lepton, rBound } from '../kernels/gen_eemumu/ref.js';
import { genEemumu } from '../kernels/gen_eemumu/desc.js';
import { packParams } from '../kernels/types.js';
import { xdiv, xexp, xlog } from '../kernels/lib/exactmath.js';

const fr = Math.fround;

describe('gen_eemumu early rejections: the bounds they rest on', () => {
  it('r <= rBound (1 + 1e-5) and F <= fluxMax on 200 000 ln y over [ln(W_min^2 / s), 0], W_min = 0.3 GeV', () => {
    const proc = getProcess('eemumu'), p = resolveParams(proc, { wMin: EEMUMU_WMIN_KERNEL });
    const w = packParams(genEemumu, { count: 1, params: eemumuKernelParams(proc, p, BELLE2_DETECTOR, [0, 0], 0) }, 0, 1);
    const P = new Float32Array(w.buffer);
    const l0 = xlog(xdiv(fr(2 * P[I.e_beam]), P[I.m_e])), ly = P[I.ly], me = P[I.m_e];
    let worst = 0, n = 0;
    for (let i = 0; i < 200000; i++) {
      const lny = fr(ly * fr((i + 0.5) / 200000));
      const y = xexp(lny), L = lepton(P, y);
      if (!L) continue;
      n++;
      worst = Math.max(worst, L.r / rBound(l0, lny, y));
      // F(y, Q^2) = fluxMax(y) - m_e^2 y^2 / Q^2 (kernel's flux) at the range's lower end, where the subtracted term is largest
      const q = xexp(L.lq0), f = fr(fluxMax(y) - xdiv(fr(fr(me * me) * fr(y * y)), q));
      expect(f).toBeLessThanOrEqual(fluxMax(y));
    }
    expect(n).toBeGreaterThan(199000);
    console.log(`gen_eemumu: max r / rBound = ${worst}`);
    expect(worst).toBeLessThan(1 + 1e-5);
    expect(worst).toBeGreaterThan(0.99); // the bound is tight at small y (what makes the early rejection worth it)
  });
});
