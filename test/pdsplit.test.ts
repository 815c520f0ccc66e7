// Pseudo-data independent of the background estimate for backgrounds too large for a sample of
// their own (issue 15, item 1): the weighted simulated sample is split by event index, one part the
// estimate (weights x 1/f), the other the pseudo-data (weights x 1/(1-f), Poisson-resampled).
import { describe, expect, it } from 'vitest';
import { CpuBackend, WasmBackend, type Backend } from '../host/index.js';
import { runSearch, SPLIT_ESTIMATE_FRACTION } from '../engine/analyses/search.js';
import { DARK_HIGGSSTRAHLUNG } from '../engine/analyses/searches.js';
import { splitMask, splitSample } from '../engine/analyses/samples.js';
import { foldIn, key } from '../engine/random.js';

describe('splitSample', () => {
  const n = 20_000, idx = Float32Array.from({ length: n }, (_, i) => i);
  // importance-like weights 0.5 .. 20, every third event not selected
  const weight = Float32Array.from({ length: n }, (_, i) => 0.5 + ((i * 7919) % 40) / 2);
  const selected = Uint8Array.from({ length: n }, (_, i) => (i % 3 === 2 ? 0 : 1));
  const cols = { idx, weight };

  it('shares no event between the parts; together they are the selected events; weights x 1/f and x 1/(1-f)', () => {
    const f = SPLIT_ESTIMATE_FRACTION;
    const { first, rest, firstEvents } = splitSample(cols, n, selected, key(5, 77), f, ['idx', 'weight']);
    const a = new Set(first.idx), b = new Set(rest.idx);
    for (const i of a) expect(b.has(i), `event ${i} in both`).toBe(false);
    expect(a.size + b.size).toBe(selected.reduce((s, v) => s + v, 0));
    for (let j = 0; j < first.idx.length; j++) expect(first.weight[j]).toBe(weight[first.idx[j]] / f);
    for (let j = 0; j < rest.idx.length; j++) expect(rest.weight[j]).toBe(weight[rest.idx[j]] / (1 - f));
    expect(firstEvents).toBe(splitMask(n, key(5, 77), f).reduce((s, v) => s + v, 0));
    expect(Math.abs(firstEvents - f * n)).toBeLessThan(5 * Math.sqrt(n * f * (1 - f)));
  });

  it('is a function of the key and the event index only (any prefix, i.e. any chunking, gives the same split)', () => {
    const m = splitMask(n, key(9, 1), 0.5), prefix = splitMask(1234, key(9, 1), 0.5);
    expect(Array.from(prefix)).toEqual(Array.from(m.subarray(0, 1234)));
    expect(Array.from(splitMask(n, key(9, 1), 0.5))).toEqual(Array.from(m));
    expect(Array.from(splitMask(n, key(9, 2), 0.5))).not.toEqual(Array.from(m));
    expect(() => splitMask(10, key(1, 1), 1)).toThrow(/fraction must lie in \(0, 1\)/);
  });

  it('each part\'s weight sum is unbiased for the whole sample\'s (mean over 400 splits within 4 standard errors)', () => {
    for (const f of [0.5, 0.3]) {
      const total = weight.reduce((s, w, i) => s + (selected[i] ? w : 0), 0);
      const sums: number[][] = [[], []];
      for (let k = 0; k < 400; k++) {
        const { first, rest } = splitSample(cols, n, selected, foldIn(key(3, 3), k), f, ['idx', 'weight']);
        sums[0].push(first.weight.reduce((s, w) => s + w, 0));
        sums[1].push(rest.weight.reduce((s, w) => s + w, 0));
      }
      for (const s of sums) {
        const mean = s.reduce((a, v) => a + v, 0) / s.length;
        const sd = Math.sqrt(s.reduce((a, v) => a + (v - mean) ** 2, 0) / (s.length - 1));
        expect(Math.abs(mean - total), `f ${f}: mean ${mean} vs ${total} (sd ${sd})`).toBeLessThan((4 * sd) / Math.sqrt(s.length));
        expect(sd).toBeGreaterThan(0);
      }
    }
  });
});

describe('the A\'h\' search: large backgrounds split into estimate and pseudo-data', () => {
  const SMALL = { seed: 4, splitPseudoData: true, maxEventsPerBackground: 20_000, signalEventsPerPoint: 300, trainEvents: 2000, pseudoExperiments: 3 };
  it('records the split per background; the same split, data and limits on cpu and wasm with 1 or 2 workers', async () => {
    const runs = [];
    for (const make of [async () => new CpuBackend(), () => WasmBackend.create({ workers: 1 }), () => WasmBackend.create({ workers: 2, minItemsPerWorker: 1 })] as (() => Promise<Backend>)[]) {
      const b = await make();
      try {
        runs.push(await runSearch(b, DARK_HIGGSSTRAHLUNG, SMALL));
      } finally {
        await b.dispose();
      }
    }
    const [r] = runs;
    const data = r.samples.data as { split_estimate_fraction: number; backgrounds: { process: string; independent: boolean; made_from: string; estimate_fraction?: number; selected: number }[] };
    expect(data.split_estimate_fraction).toBe(SPLIT_ESTIMATE_FRACTION);
    // mu mu without a photon in the ECL gaps and e e mu mu inside R_Z, outside R are over the pseudo-data budget at 8.34 fb^-1;
    // mu mu's gap stratum (84 000), tau tau's three decay-mode strata (90 000-290 000) and e e mu mu inside R (41 000) have independent
    // samples; e e mu mu outside R_Z cannot pass the preselection (none)
    const own = 'independent sample (own random stream)';
    expect(data.backgrounds.map((b) => [b.process, b.independent, b.made_from, b.estimate_fraction])).toEqual([
      ['mumu', true, own, undefined], ['mumu', true, 'split half', 0.5], ...[1, 2, 3].map(() => ['tautau', true, own, undefined]), ['eemumu', true, own, undefined], ['eemumu', true, 'split half', 0.5],
      ['eemumu', true, 'none: cannot pass the selection', undefined],
    ]);
    const bg = r.samples.background as { process: string; accepted: number; selected: number; split?: { estimate_events: number; pseudo_data_events: number; pseudo_data_selected: number; estimate_weight_factor: number } }[];
    expect(bg[0].split).toBeUndefined();
    for (const [i, s] of bg.entries()) {
      if (!s.split) continue;
      expect(s.split.estimate_events + s.split.pseudo_data_events, s.process).toBe(s.accepted);
      expect(s.split.estimate_weight_factor).toBe(2);
      // selected before the MLP (as 'selected' of the estimate), the data's after it
      expect(data.backgrounds[i].selected).toBeLessThanOrEqual(s.split.pseudo_data_selected);
      expect(s.split.pseudo_data_selected).toBeGreaterThan(0);
      expect(Math.abs(s.split.estimate_events - s.accepted / 2)).toBeLessThan(5 * Math.sqrt(s.accepted / 4));
    }
    for (const other of runs.slice(1)) {
      expect(other.samples).toEqual(r.samples);
      expect(other.windows).toEqual(r.windows);
      expect(other.global).toEqual(r.global);
    }
  }, 180_000);
});

describe('the A\'h\' search without splitPseudoData (the default)', () => {
  it('resamples the estimate\'s own events for the large backgrounds (not mu mu\'s gap stratum, tau tau\'s strata nor e e mu mu inside R: samples of their own) and says so', async () => {
    const b = await WasmBackend.create({ workers: 2 });
    try {
      const r = await runSearch(b, DARK_HIGGSSTRAHLUNG, { seed: 4, maxEventsPerBackground: 20_000, signalEventsPerPoint: 300, trainEvents: 2000, pseudoExperiments: 0 });
      const data = r.samples.data as { split_pseudo_data: boolean; backgrounds: { process: string; independent: boolean; made_from: string }[] };
      expect(data.split_pseudo_data).toBe(false);
      expect(data.backgrounds.map((x) => [x.process, x.independent, x.made_from])).toEqual([
        ['mumu', true, 'independent sample (own random stream)'], ['mumu', false, 'estimate resampled'],
        ...[1, 2, 3].map(() => ['tautau', true, 'independent sample (own random stream)']), ['eemumu', true, 'independent sample (own random stream)'], ['eemumu', false, 'estimate resampled'],
        ['eemumu', true, 'none: cannot pass the selection'],
      ]);
      for (const s of r.samples.background as Record<string, unknown>[]) expect(s.split).toBeUndefined();
    } finally {
      await b.dispose();
    }
  }, 120_000);
});
