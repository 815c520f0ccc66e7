// The gen_idm kernel (kernels/gen_idm: the iDM signal decays of the lifetime sweep in f32 on every
// backend) against the f64 host code it replaced (test/f64-idm.ts): different arithmetic and draws, so
// the comparison is statistical (test/genstats.ts: means within 4.5 sigma, binned shapes chi2 / ndf < 2.2)
// of ln(c t), ln(lxy), M_red and chi2's transverse beta gamma; the same comparison fails on broken physics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WasmBackend } from '../host/index.js';
import type { Backend } from '../host/backend.js';
import { generateIdmDecays, idmKernelParams, type IdmDecayOptions, type IdmParams } from '../engine/generate/idm.js';
import { chi2Shapes, mean, sd } from './genstats.js';
import { f64IdmDecays } from './f64-idm.js';

let backend: Backend;
beforeAll(async () => {
  backend = await WasmBackend.create({ workers: 1 });
});
afterAll(async () => {
  await backend?.dispose();
});

const SET: IdmParams = { mA: 2.5, mChi1: 0.5, dm: 0.1, alphaD: 0.1, eps: 1e-3 };
const N = 30000;
type Cols = Record<'ct' | 'lxy' | 'mred' | 'bgTChi2', ArrayLike<number>>;

/** What disagrees between two samples of the decays' distributions (ct and lxy compared in ln: they span decades). */
function disagreements(a: Cols, b: Cols): string[] {
  const out: string[] = [];
  for (const c of ['ct', 'lxy', 'mred', 'bgTChi2'] as const) {
    const f = (x: ArrayLike<number>) => (c === 'ct' || c === 'lxy' ? Float64Array.from(x, (v) => Math.log(v)) : Float64Array.from(x));
    const x = f(a[c]), y = f(b[c]);
    const z = Math.abs(mean(x) - mean(y)) / Math.sqrt(sd(x) ** 2 / x.length + sd(y) ** 2 / y.length);
    if (!(z < 4.5)) out.push(`${c}: means ${mean(x)} vs ${mean(y)} (${z.toFixed(1)} sigma)`);
    const { chi2, ndf } = chi2Shapes(x, y);
    if (!(chi2 / ndf < 2.2)) out.push(`${c}: binned shapes chi2 = ${chi2.toFixed(1)} / ${ndf}`);
  }
  return out;
}

describe('gen_idm kernel vs the f64 host decays it replaced (statistical)', () => {
  for (const [label, o] of [
    ["log-uniform c t, h' -> mu mu at 1 GeV", { params: SET, mh: 1, channel: 'mumu' }],
    ["exponential c t = 3 cm, h' -> pi pi at 1.5 GeV, heavy A'", { params: { ...SET, mA: 7 }, mh: 1.5, channel: 'pipi', ctauCm: 3 }],
    ["h' -> K K at 4 GeV", { params: { ...SET, mA: 4 }, mh: 4, channel: 'KK' }],
  ] as [string, Omit<IdmDecayOptions, 'n' | 'seed' | 'cell' | 'backend'>][]) {
    it(`${label}: c t, lxy, M_red and chi2's beta gamma_T agree (${N} events each)`, async () => {
      const k = await generateIdmDecays({ ...o, n: N, seed: 1, cell: 3, backend });
      const h = await f64IdmDecays({ ...o, n: N, seed: 2, cell: 3, backend });
      expect(disagreements(k, h)).toEqual([]);
      // ctNorm = c t / c tau0 exactly as the host defines it
      expect(k.ctNorm[5] / k.ct[5] / idmKernelParams({ ...o, seed: 1, cell: 3 }).ictau0).toBeCloseTo(1, 6);
    });
  }
  it('the comparison fails for an h\' 5% heavier (its boost: lxy, M_red) and for a c tau 10% long', async () => {
    const o = { params: SET, mh: 1, channel: 'mumu' as const };
    const k = await generateIdmDecays({ ...o, n: N, seed: 1, cell: 3, backend });
    const heavy = disagreements(k, await f64IdmDecays({ ...o, mh: 1.05, n: N, seed: 2, cell: 3, backend }));
    expect(heavy.some((f) => /^mred/.test(f)), heavy.join('; ')).toBe(true);
    const e = { ...o, ctauCm: 3 };
    const long = disagreements(await generateIdmDecays({ ...e, n: N, seed: 1, cell: 3, backend }), await f64IdmDecays({ ...e, ctauCm: 3.3, n: N, seed: 2, cell: 3, backend }));
    expect(long.some((f) => /^ct/.test(f)) && long.some((f) => /^lxy/.test(f)), long.join('; ')).toBe(true);
  });
  it('the same decays on every worker count and chunking; the kernel refuses a c tau outside its f32 range', async () => {
    const o = { params: SET, mh: 1, channel: 'mumu' as const, n: 5000, seed: 4, cell: 9 };
    const two = await WasmBackend.create({ workers: 2 });
    try {
      const a = await generateIdmDecays({ ...o, backend }), b = await generateIdmDecays({ ...o, backend: two });
      for (const c of ['ctNorm', 'lxy', 'mred', 'bgTChi2', 'ct', 'uChi2'] as const) expect(Buffer.from(a[c].buffer).equals(Buffer.from(b[c].buffer)), c).toBe(true);
    } finally {
      await two.dispose();
    }
    expect(() => idmKernelParams({ params: SET, mh: 1, channel: 'mumu', seed: 1, cell: 0, ctauCm: 1e30 })).toThrow(/c tau = 1e\+30 cm must lie in \[1e-12, 1e20\]/);
  });
});
