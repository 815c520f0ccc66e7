// generateOn (engine/generate/index.ts): every process's generator kernel runs on a backend (generate
// runs its TypeScript reference). Every process must give the same events, bit for bit, as generate,
// whatever the chunking. EventRandom's prefetched Philox blocks (the event_blocks kernel's output)
// give the blocks it computes itself.
import { afterAll, describe, expect, it } from 'vitest';
import { CpuBackend, WasmBackend, type Backend } from '../host/index.js';
import { EventRandom, PROCESSES, eventKey, generate, generateAtLuminosity, generateAtLuminosityOn, generateOn, getProcess, type EventSample } from '../engine/generate/index.js';

const wasm = await WasmBackend.create({ workers: 2, minItemsPerWorker: 64 });
afterAll(() => wasm.dispose());

function sameSample(a: EventSample, b: EventSample) {
  expect(a.length).toBe(b.length);
  expect(Object.keys(a.columns)).toEqual(Object.keys(b.columns));
  for (const [k, v] of Object.entries(a.columns)) {
    const w = b.columns[k];
    expect(Buffer.from(v.buffer, v.byteOffset, v.byteLength).equals(Buffer.from(w.buffer, w.byteOffset, w.byteLength)), `${a.process}: column ${k}`).toBe(true);
  }
}

describe('generateOn = generate, bit for bit', () => {
  it('every process, 600 events from index 1000 (all rows), on wasm (2 workers)', async () => {
    for (const p of PROCESSES) {
      const o = { process: p.name, events: 600, seed: 7, firstEvent: 1000, acceptedOnly: false };
      sameSample(await generateOn(wasm, o), generate(o));
    }
  });
  it('the demo backgrounds and signal at more events than one chunk, on wasm and cpu', async () => {
    for (const [b, n] of [[wasm, 20000], [new CpuBackend(), 9000]] as [Backend, number][]) {
      for (const [process, params] of [['mumu', { xMin: 0.09 }], ['mumu', { xMin: 0.09, isrCosStratum: 1 }], ['tautau', {}], ['eemumu', {}], ['darkhiggs', { mA: 3, mh: 1 }]] as [string, Record<string, number>][]) {
        const o = { process, params, events: n, seed: 3 };
        const s = await generateOn(b, o);
        sameSample(s, generate(o));
        expect(s.meta.event_kernel).toMatch(new RegExp(`${getProcess(process).kernel} kernel .* on the \\w+ backend`));
      }
    }
  });
  it('at a luminosity (Poisson count, weighted above the cap)', async () => {
    const o = { process: 'eemumu', lumiFb: 0.01, seed: 5, maxEvents: 3000 };
    const a = await generateAtLuminosityOn(wasm, o), b = generateAtLuminosity(o);
    sameSample(a, b);
    expect(a.meta.poisson_events).toBe(b.meta.poisson_events);
    expect(a.meta.event_weight).toBe(b.meta.event_weight);
  });
  it('EventRandom with prefetched blocks draws what it computes itself, also past the prefetched blocks and outside the prefetched events', () => {
    const k = eventKey(11, getProcess('mumu'));
    const nb = 3, first = 50, count = 4;
    const words = new Uint32Array(count * nb * 4);
    const plain = new EventRandom(k);
    for (let e = 0; e < count; e++) {
      plain.start(first + e);
      for (let j = 0; j < nb * 4; j++) words[(e * nb * 4) + j] = plain.u32();
    }
    const pre = new EventRandom(k).prefetched(words, first, count, nb), ref = new EventRandom(k);
    for (const e of [49, 50, 51, 53, 54, 52]) {
      pre.start(e);
      ref.start(e);
      for (let j = 0; j < 30; j++) expect(pre.u32()).toBe(ref.u32());
      expect(pre.blocksUsed).toBe(ref.blocksUsed);
    }
    words.fill(0); // prefetched words are really read (not recomputed)
    pre.start(50);
    expect(pre.u32()).toBe(0);
    expect(() => new EventRandom(k).prefetched(new Uint32Array(11), 0, 1, 3)).toThrow(/11 words for 1 events x 3 blocks/);
  });
});
