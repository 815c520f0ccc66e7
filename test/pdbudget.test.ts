// Pseudo-data within the generation budget (issue 15): a background (stratum) gets an independent
// sample of its own wherever generating it costs at most PSEUDO_DATA_MAX_S (search.ts
// pseudoDataCost: its events at the luminosity x its generator's cost per event), also above the
// former limit of 400 000 events; over the budget the estimate's events are resampled (or split)
// and results.json says why. The sample is generated in chunks, each selected and dropped
// (generateAtLuminosityChunked): the same events as one sample.
import { describe, expect, it } from 'vitest';
import { WasmBackend } from '../host/index.js';
import { generateAtLuminosityChunked, generateAtLuminosityOn, expectedEvents, getProcess, type EventSample } from '../engine/generate/index.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIT_PSEUDO_DATA_MAX_S, GEN_US_PER_EVENT, PSEUDO_DATA_MAX_S, pseudoDataCost, runSearch, type SearchDefinition } from '../engine/analyses/search.js';
import { SEARCHES, ZPRIME_INVISIBLE } from '../engine/analyses/searches.js';
import { loadConfig, runConfig } from '../engine/analyses/run.js';

type DataPart = { process: string; stratum?: string; independent: boolean; made_from: string; events?: number; generation_cost_s: number; candidates: number; shared_with_estimate: number; note?: string };

// Z' -> invisible's selection with one cheap background: tau tau with both taus -> pi nu, skimmed to
// two identified muons (the generator stops the others early), ~857 000 events at 79.7 fb^-1.
const PIPI: SearchDefinition = {
  ...ZPRIME_INVISIBLE,
  backgrounds: [{ name: 'tautau', params: { skim: 1 }, strata: [{ label: 'both tau -> pi nu', params: { decayStratum: 3 } }] }],
};
const SMALL = { seed: 5, maxEventsPerBackground: 20_000, signalEventsPerPoint: 200, pseudoExperiments: 0 };
const LUMI = 79.7;

describe('the pseudo-data budget', () => {
  it('prices a sample by its generator: events x microseconds per event (eemumu_4trk: the gen_eemumu kernel, like eemumu)', () => {
    expect(pseudoDataCost('mumu', 1e6)).toEqual({ generator: 'gen_dimuon kernel', us_per_event: GEN_US_PER_EVENT.gen_dimuon, generation_s: GEN_US_PER_EVENT.gen_dimuon });
    expect(pseudoDataCost('eemumu_4trk', 1e6).generator).toBe('gen_eemumu kernel');
    expect(pseudoDataCost('eemumu_4trk', 1e6).generation_s).toBe(GEN_US_PER_EVENT.gen_eemumu);
    expect(pseudoDataCost('eemumu', 2e5, 50)).toEqual({ generator: "gen_eemumu kernel, the definition's cost", us_per_event: 50, generation_s: 10 });
    expect(() => pseudoDataCost('eemumu', 2e5, 0)).toThrow(/eemumu: generation cost per event must be a positive number of microseconds, got 0/);
  });

  it('gives a background above the former 400 000-event limit an independent sample; over a smaller budget it falls back (resampled or split) and says why', async () => {
    const events = expectedEvents('tautau', LUMI, { skim: 1, decayStratum: 3 }), cost = pseudoDataCost('tautau', events).generation_s;
    expect(events).toBeGreaterThan(400_000);
    expect(cost).toBeLessThanOrEqual(PSEUDO_DATA_MAX_S);
    const b = await WasmBackend.create({ workers: 2 });
    try {
      const part = async (o: Record<string, unknown>) => {
        const r = await runSearch(b, PIPI, { ...SMALL, ...o });
        const d = r.samples.data as { max_generation_s: number; backgrounds: DataPart[] };
        expect(d.backgrounds).toHaveLength(1);
        return { d, p: d.backgrounds[0] };
      };
      const own = await part({});
      expect(own.d.max_generation_s).toBe(PSEUDO_DATA_MAX_S);
      expect(own.p).toMatchObject({ process: 'tautau', stratum: 'both tau -> pi nu', independent: true, made_from: 'independent sample (own random stream)', shared_with_estimate: 0, generation_cost_s: cost });
      expect(Math.abs(own.p.events! - events)).toBeLessThan(5 * Math.sqrt(events));
      // the check can fail: the data have candidates, none at an estimate candidate's coordinates
      expect(own.p.candidates).toBeGreaterThan(20);

      const budget = Math.floor(cost * 10) / 20; // half the cost
      const resampled = await part({ pseudoDataMaxSeconds: budget });
      expect(resampled.d.max_generation_s).toBe(budget);
      expect(resampled.p).toMatchObject({ independent: false, made_from: 'estimate resampled', generation_cost_s: cost });
      expect(resampled.p.candidates).toBeGreaterThan(0);
      expect(resampled.p.shared_with_estimate).toBe(resampled.p.candidates);
      expect(resampled.p.note).toContain(`${Math.round(events)} events at ${LUMI} fb^-1: an independent sample would cost ~${cost} s of generation (gen_tautau kernel, ${GEN_US_PER_EVENT.gen_tautau} us per event on one WASM worker) > the pseudo-data budget ${budget} s`);
      expect(resampled.p.note).toMatch(/correlated with b/);

      const split = await part({ pseudoDataMaxSeconds: budget, splitPseudoData: true });
      expect(split.p).toMatchObject({ independent: true, made_from: 'split half', shared_with_estimate: 0 });
      expect(split.p.note).toMatch(/> the pseudo-data budget .* no event in both$/);

      // a stratum that declares its own generation cost is priced by it (here: over the budget)
      const dear: SearchDefinition = { ...PIPI, backgrounds: [{ ...PIPI.backgrounds[0], strata: [{ ...PIPI.backgrounds[0].strata![0], usPerEvent: 10 }] }] };
      const priced = (await runSearch(b, dear, SMALL)).samples.data as { backgrounds: DataPart[] };
      expect(priced.backgrounds[0]).toMatchObject({ made_from: 'estimate resampled', generation_cost_s: Number(((events * 10) / 1e6).toPrecision(3)) });
      expect(priced.backgrounds[0].note).toContain("(gen_tautau kernel, the definition's cost, 10 us per event on one WASM worker)");

      await expect(runSearch(b, PIPI, { ...SMALL, pseudoDataMaxSeconds: -1 })).rejects.toThrow(/pseudo-data budget must be >= 0 seconds, got -1/);
    } finally {
      await b.dispose();
    }
  }, 180_000);
});

describe('the config\'s simulation.pseudo_data_max_s', () => {
  it('is raised only in committed batch configs, where it buys a background its own sample', () => {
    const dir = join(import.meta.dirname, '../engine/analyses/configs'), raised: string[] = [];
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
      const c = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { analysis: string; lumi_fb?: number; simulation?: { pseudo_data_max_s?: number } };
      const budget = c.simulation?.pseudo_data_max_s;
      if (budget === undefined) continue;
      const def = SEARCHES[c.analysis as keyof typeof SEARCHES];
      const costs = def.backgrounds.flatMap((bg) => (bg.strata?.length ? bg.strata : [undefined]).map((st) => {
        const params = { ...bg.params, ...st?.params, ...getProcess(bg.name).unweighted };
        return pseudoDataCost(bg.name, expectedEvents(bg.name, c.lumi_fb ?? def.paper.lumiFb, params), st?.usPerEvent ?? bg.usPerEvent).generation_s;
      }));
      const dflt = def.model === 'fit' ? FIT_PSEUDO_DATA_MAX_S : PSEUDO_DATA_MAX_S;
      expect(costs.some((s) => s > dflt && s <= budget), `${f}: a background between the default ${dflt} s and ${budget} s`).toBe(true);
      raised.push(c.analysis);
    }
    expect(raised.sort()).toEqual(['alp-tautau', 'dark-higgsstrahlung', 'invisible-dark-photon', 'scalar-tautau', 'tau-ealpha', 'tau-mualpha', 'zprime-invisible', 'zprime-tautau']);
  });

  it('sets the budget (also with quick) and is checked', async () => {
    const text = (budget: number) => JSON.stringify({ analysis: 'zprime-invisible', lumi_fb: 0.2, quick: true, pseudo_experiments: 0, simulation: { pseudo_data_max_s: budget } });
    expect(() => loadConfig(text(-1), 'c.json')).toThrow(/config\.simulation\.pseudo_data_max_s/);
    const b = await WasmBackend.create({ workers: 2 });
    try {
      for (const budget of [0, 2]) {
        const r = await runConfig(b, loadConfig(text(budget), 'c.json'), { baseDir: '.', quick: true });
        const d = r.samples.data as { max_generation_s: number; backgrounds: DataPart[] };
        expect(d.max_generation_s).toBe(budget);
        // at 0.2 fb^-1 mu mu's gap stratum (19 000) and e e mu mu inside R_Z (155 000 events, 1.7 s at 11 us each) are within 2 s;
        // e e mu mu outside R_Z (3.6 M events, ~16 s) cannot pass the selection: no pseudo-data at any budget
        expect(d.backgrounds.map((p) => p.made_from === 'estimate resampled')).toEqual(budget === 0 ? [true, true, true, true, false] : [false, false, false, false, false]);
        expect(d.backgrounds[4].made_from).toBe('none: cannot pass the selection');
        expect(d.backgrounds.map((p) => [p.process, p.stratum ?? ''])[3]).toEqual(['eemumu', expect.stringMatching(/^inside R_Z/)]);
        // the look-elsewhere pseudo-experiments (--quick: 10) reassign R_Z's independent pseudo-data with its estimate (one weight)
        const byPart = (r.global as { pseudo_experiments: number; pseudo_data_by_part: { background: string; pseudo_experiments: string }[] });
        expect(byPart.pseudo_experiments).toBeGreaterThan(0);
        expect(byPart.pseudo_data_by_part.filter((p) => p.background === 'eemumu').map((p) => p.pseudo_experiments)).toEqual(budget === 0 ? ['estimate resampled', 'none: cannot pass the selection'] : ['reassigned with the data', 'none: cannot pass the selection']);
      }
    } finally {
      await b.dispose();
    }
  }, 120_000);
});

describe('generateAtLuminosityChunked', () => {
  it('hands over the events of generateAtLuminosityOn in order, chunk by chunk (also oversampled: the same weight)', async () => {
    const b = await WasmBackend.create({ workers: 2 });
    try {
      for (const o of [{ process: 'mumu', params: { xMin: 0.09 }, lumiFb: 0.002, seed: 3 }, { process: 'gammagamma', lumiFb: 0.004, seed: 4, maxEvents: 5000 }]) {
        const whole = await generateAtLuminosityOn(b, o);
        const got: EventSample[] = [];
        const s = await generateAtLuminosityChunked(b, o, (c) => got.push(c), { chunkEvents: 1500, ahead: 3 });
        expect(got.length).toBe(Math.ceil(whole.nGenerated / 1500));
        expect(got.map((c) => c.firstEvent)).toEqual(got.map((_, i) => 1500 * i));
        expect(s.nGenerated).toBe(whole.nGenerated);
        expect(s.length).toBe(0);
        for (const k of ['poisson_events', 'expected_events', 'event_weight', 'oversampled', 'lumi_fb']) expect(s.meta[k], k).toEqual(whole.meta[k]);
        expect(s.meta.n_kept).toBe(whole.length);
        for (const [name, col] of Object.entries(whole.columns)) {
          const cat = new (col.constructor as Float32ArrayConstructor)(whole.length);
          let at = 0;
          for (const c of got) (cat.set(c.columns[name], at), (at += c.length));
          expect(at).toBe(whole.length);
          expect(Buffer.from(cat.buffer).equals(Buffer.from(col.buffer, col.byteOffset, col.byteLength)), `${o.process} ${name}`).toBe(true);
        }
      }
      await expect(generateAtLuminosityChunked(b, { process: 'mumu', lumiFb: 0.001, seed: 1 }, () => undefined, { chunkEvents: 0 })).rejects.toThrow(/chunkEvents and ahead must be positive integers/);
    } finally {
      await b.dispose();
    }
  }, 60_000);
});
