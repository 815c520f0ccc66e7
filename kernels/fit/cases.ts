// The conformance cases of the fit kernel (test/conformance.test.ts runs them on every backend),
// and the random models they are made of. Reachable from tests only.
import type { ConformanceCase } from '../types.js';
import { testWords } from '../testing.js';
import { ITEM_WORDS, dataWords, packData, packModels, type FitEntry, type FitModel, type MulRec } from './layout.js';

/** Deterministic uniforms in [0, 1) from a Philox test stream. */
function uniforms(stream: number): () => number {
  const r = testWords(4096, stream);
  let i = 0;
  return () => (r[i++ % r.length] >>> 8) / 16777216;
}

/**
 * A random HistFactory-like model: 1-3 channels of 1-6 bins, a signal sample (mu, lumi, optional
 * normsys) and 1-2 backgrounds with normsys, histosys, staterror (Gaussian) or shapesys (Poisson), sometimes
 * a free background normalisation and a control channel sharing shapefactors with the first channel. `scale` sets the count level (1 to 1e6). Parameters are shared across channels.
 */
export function randomFitModel(u: () => number, scale: number): FitModel {
  const params: { init: number; lo: number; hi: number; fixed: boolean }[] = [];
  const gauss: { p: number; sigma: number }[] = [];
  const pois: { p: number; tau: number }[] = [];
  const add = (init: number, lo: number, hi: number, fixed = false) => params.push({ init, lo, hi, fixed }) - 1;
  const mu = add(1, 0, 10);
  const lumi = add(1, 0.5, 1.5, u() < 0.2);
  gauss.push({ p: lumi, sigma: 0.02 });
  const ns = [add(0, -5, 5), add(0, -5, 5)];
  gauss.push({ p: ns[0], sigma: 1 }, { p: ns[1], sigma: 1 });
  const hs = add(0, -5, 5);
  gauss.push({ p: hs, sigma: 1 });
  const nch = 1 + Math.floor(3 * u());
  const bins: FitEntry[][] = [];
  const bkgNorm = u() < 0.3 ? add(1, 0, 10) : -1; // a free background normalisation
  const control = u() < 0.3; // a control channel: shapefactors shared with the first channel
  const shape: number[] = [];
  for (let c = 0; c < nch; c++) {
    const nb = 1 + Math.floor(6 * u());
    const kind = Math.floor(2 * u()); // 0 staterror, 1 shapesys on the first background
    for (let b = 0; b < nb; b++) {
      const sig = scale * (0.05 + 0.3 * u());
      const bkg = scale * (0.2 + u());
      const entries: FitEntry[] = [];
      const sigMul: MulRec[] = [{ kind: 'linear', p: mu }, { kind: 'linear', p: lumi }];
      if (u() < 0.5) sigMul.push({ kind: 'normsys', p: ns[1], up: 1 + 0.2 * u(), dn: 1 - 0.2 * u(), code: u() < 0.3 ? 1 : 4 });
      entries.push({ nom: sig, add: [], mul: sigMul });
      const bMul: MulRec[] = [{ kind: 'linear', p: lumi }, { kind: 'normsys', p: ns[0], up: 1.02 + 0.3 * u(), dn: 0.98 - 0.3 * u() }];
      const p = add(1, 1e-10, 10);
      if (kind === 0) {
        gauss.push({ p, sigma: 0.01 + 0.2 * u() });
      } else {
        const rel = 0.02 + 0.3 * u();
        pois.push({ p, tau: 1 / (rel * rel) });
      }
      bMul.push({ kind: 'linear', p });
      if (bkgNorm >= 0) bMul.push({ kind: 'linear', p: bkgNorm });
      if (control && c === 0) {
        shape.push(add(1, 0, 10));
        bMul.push({ kind: 'linear', p: shape[b] });
      }
      entries.push({ nom: bkg, add: [{ p: hs, du: bkg * 0.1 * u(), dd: bkg * 0.1 * u() }], mul: bMul });
      if (u() < 0.5) {
        const nom = bkg * (0.05 + 0.3 * u());
        entries.push({ nom, add: [{ p: hs, du: -nom * 0.1 * u(), dd: nom * 0.1 * u(), code: u() < 0.5 ? 0 : 4 }], mul: [{ kind: 'normsys', p: ns[1], up: 1.1, dn: 0.85 }] });
      }
      bins.push(entries);
    }
  }
  for (const p of shape) bins.push([{ nom: scale * (2 + u()), add: [], mul: [{ kind: 'linear', p }] }]);
  return { params, poi: mu, bins, gauss, pois };
}

/**
 * Data of a model: main counts at parameters drawn around the nominal ones (POI mu, nuisance
 * parameters within about one standard deviation) with Poisson-sized scatter, integers (observed)
 * or reals (Asimov-like); auxiliary data scattered likewise.
 */
export function randomData(m: FitModel, u: () => number, mu: number, integer: boolean): Float32Array {
  const out = new Float32Array(dataWords(m));
  const theta = m.params.map((p) => p.init);
  theta[m.poi] = mu;
  for (const g of m.gauss) theta[g.p] = m.params[g.p].fixed ? theta[g.p] : Math.max(m.params[g.p].lo, theta[g.p] + g.sigma * (2 * u() - 1));
  for (const q of m.pois) theta[q.p] = Math.max(0.05, theta[q.p] + (2 * u() - 1) / Math.sqrt(q.tau));
  m.bins.forEach((bin, b) => {
    let lam = 0;
    for (const e of bin) {
      let base = e.nom;
      for (const r of e.add) base += theta[r.p] * (theta[r.p] > 0 ? r.du : r.dd);
      let F = 1;
      for (const r of e.mul) F *= r.kind === 'linear' ? theta[r.p] : theta[r.p] > 0 ? r.up ** theta[r.p] : r.dn ** -theta[r.p];
      lam += base * F;
    }
    const v = Math.max(0, lam + Math.sqrt(lam) * 3.4 * (u() - 0.5));
    out[b] = integer ? Math.round(v) : v;
  });
  let k = m.bins.length;
  for (const g of m.gauss) out[k++] = m.params[g.p].init + g.sigma * 3.4 * (u() - 0.5);
  for (const q of m.pois) {
    const v = q.tau + Math.sqrt(q.tau) * 3.4 * (u() - 0.5);
    out[k++] = integer ? Math.round(v) : v;
  }
  return out;
}

/**
 * A random model plus one wide bin: 16 sample entries of 32 multiplicative records (mu, lumi, then
 * normsys of both codes) and a histosys each, more record words than the WASM twin's bin cache
 * (wasm/fit.ts CACHE_WORDS) holds: its derivative sweeps take the re-decoding path.
 */
export function wideFitModel(u: () => number, scale: number): FitModel {
  const m = randomFitModel(u, scale);
  const [mu, lumi, ns0, ns1, hs] = [0, 1, 2, 3, 4]; // randomFitModel's first parameters
  const wide: FitEntry[] = [];
  for (let e = 0; e < 16; e++) {
    const mul: MulRec[] = [{ kind: 'linear', p: e % 2 === 0 ? mu : lumi }, { kind: 'linear', p: lumi }];
    for (let k = 0; k < 30; k++) mul.push({ kind: 'normsys', p: k % 2 === 0 ? ns0 : ns1, up: 1 + 0.05 * u(), dn: 1 - 0.05 * u(), code: u() < 0.3 ? 1 : 4 });
    const nom = scale * (0.05 + 0.2 * u());
    wide.push({ nom, add: [{ p: hs, du: nom * 0.1 * u(), dd: nom * 0.1 * u() }], mul });
  }
  return { ...m, bins: [...m.bins, wide] };
}

/** A case: `count` fits over `nModels` random models, two data sets each, POI free or fixed. */
function mk(name: string, count: number, nModels: number, stream: number, scale: number, maxIter = 100, itemOffset = 0, make = randomFitModel): ConformanceCase {
  const u = uniforms(stream);
  const models = Array.from({ length: nModels }, () => make(u, scale));
  const { words, offsets } = packModels(models);
  const datas: Float32Array[] = [];
  const dOff: number[][] = [];
  let n = 0;
  for (const m of models) {
    const pair = [randomData(m, u, 1 + 2 * u(), true), randomData(m, u, 0.5 * u(), false)];
    dOff.push(pair.map((d) => { const o = n; n += d.length; return o; }));
    datas.push(...pair);
  }
  const data = new Float32Array(n);
  let o = 0;
  for (const d of datas) { packData(d, data, o); o += d.length; }
  const items = new Uint32Array(count * ITEM_WORDS);
  const iv = new Float32Array(items.buffer);
  for (let l = 0; l < count; l++) {
    const j = Math.floor(u() * nModels);
    items[4 * l] = offsets[j];
    items[4 * l + 1] = dOff[j][Math.floor(2 * u())];
    items[4 * l + 2] = u() < 0.5 ? 1 : 0;
    iv[4 * l + 3] = [0, 0.5, 1, 3, 12][Math.floor(5 * u())];
  }
  return { name, args: { count, itemOffset, params: { max_iter: maxIter }, inputs: { model: words, data, items } } };
}

export function cases(): ConformanceCase[] {
  return [
    mk('one fit', 1, 1, 1, 20),
    mk('63 fits, 5 models, counts ~20', 63, 5, 2, 20),
    mk('64 fits, 9 models, counts ~1', 64, 9, 3, 1),
    mk('65 fits, 4 models, counts ~1e3, offset 7', 65, 4, 4, 1e3, 100, 7),
    mk('300 fits, 20 models, counts ~1e6', 300, 20, 5, 1e6),
    mk('200 fits stopped after 3 iterations', 200, 10, 6, 50, 3),
    mk('1000 fits, 40 models, counts ~5', 1000, 40, 7, 5),
    mk('100 fits, tiny rates ~1e-28 (the ftz paths)', 100, 5, 8, 1e-28),
    mk('16 fits, a bin of 16 entries x 32 factors (bin cache spill)', 16, 2, 9, 20, 100, 0, wideFitModel),
  ];
}

