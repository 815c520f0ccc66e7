// The host event generation on worker threads (host/generate-pool.ts): a sample's event range in
// chunks over workers, concatenated in event order, must be generate's sample bit for bit (every
// column), whatever the worker count and chunk size; generateOn hands large samples to the pool;
// an abort ends the run with its reason and terminates the workers.
import { afterAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../host/index.js';
import { GeneratorPool } from '../host/generate-pool.js';
import { PROCESSES, generate, generateAtLuminosity, generateAtLuminosityOn, generateOn, type EventSample } from '../engine/generate/index.js';

function sameSample(a: EventSample, b: EventSample) {
  expect(a.length).toBe(b.length);
  expect(a.nGenerated).toBe(b.nGenerated);
  expect(a.firstEvent).toBe(b.firstEvent);
  expect(Object.keys(a.columns)).toEqual(Object.keys(b.columns));
  for (const [k, v] of Object.entries(a.columns)) {
    const w = b.columns[k];
    expect(v.constructor).toBe(w.constructor);
    expect(Buffer.from(v.buffer, v.byteOffset, v.byteLength).equals(Buffer.from(w.buffer, w.byteOffset, w.byteLength)), `${a.process}: column ${k}`).toBe(true);
  }
}

const two = (await GeneratorPool.create(2, { chunkEvents: 397 }))!;
const three = (await GeneratorPool.create(3, { chunkEvents: 4096 }))!;
afterAll(async () => {
  await two.dispose();
  await three.dispose();
});

describe('GeneratorPool: the same events as generate, bit for bit', () => {
  it('one worker or none is the calling thread (no pool)', async () => {
    expect(await GeneratorPool.create(1)).toBeNull();
    await expect(GeneratorPool.create(0)).rejects.toThrow(/positive integer/);
    expect(two.workers).toBe(2);
    expect(two.minEvents).toBe(2 * 397);
  });
  it('every process, 1200 events from index 1000, all rows and accepted only, 2 workers (ragged chunks of 397)', async () => {
    for (const p of PROCESSES) {
      for (const acceptedOnly of [false, true]) {
        const o = { process: p.name, events: 1200, seed: 7, firstEvent: 1000, acceptedOnly };
        const s = await two.generate(o);
        sameSample(s, generate(o));
        expect(s.meta.generator_threads).toMatch(/^2 worker threads, 397 events/);
      }
    }
  });
  it('the demo samples and the two-photon e e mu mu, 12000 events, 1 (generate, generateOn) vs 2 and 3 workers', async () => {
    const cpu = new CpuBackend();
    for (const [process, params] of [['mumu', { xMin: 0.09 }], ['mumu', { xMin: 0.09, isrCosStratum: 1 }], ['tautau', {}], ['eemumu', {}], ['darkhiggs', { mA: 3, mh: 1 }], ['darkhiggs', { mA: 8, mh: 0.5 }]] as [string, Record<string, number>][]) {
      const o = { process, params, events: 12000, seed: 3, weight: 2.5 };
      const ref = generate(o);
      expect(ref.length).toBeGreaterThan(0);
      sameSample(await two.generate(o), ref);
      sameSample(await three.generate(o), ref);
      sameSample(await generateOn(cpu, o), ref); // 1 thread, blocks from the backend
      const viaOn = await generateOn(cpu, o, undefined, three); // generateOn hands it to the pool
      sameSample(viaOn, ref);
      expect(viaOn.meta.generator_threads).toMatch(/^3 worker threads/);
    }
  });
  it('generateOn keeps samples under minEvents on the calling thread; at a luminosity the pool gives the same weighted events', async () => {
    const cpu = new CpuBackend();
    const small = await generateOn(cpu, { process: 'mumu', events: 700, seed: 1 }, undefined, two);
    expect(small.meta.generator_threads).toBeUndefined();
    expect(small.meta.event_kernel).toMatch(/gen_dimuon kernel .* on the cpu backend/);
    const o = { process: 'eemumu', lumiFb: 0.01, seed: 5, maxEvents: 5000 };
    const a = await generateAtLuminosityOn(cpu, o, undefined, two), b = generateAtLuminosity(o);
    expect(a.meta.generator_threads).toMatch(/2 worker threads/);
    sameSample(a, b);
    expect(a.meta.poisson_events).toBe(b.meta.poisson_events);
    expect(a.meta.event_weight).toBe(b.meta.event_weight);
    expect(a.meta.oversampled).toBe(true);
  });
  it('samples requested at once share the queue: each is generate\'s; a higher priority (lower number) requested later is served first', async () => {
    const big = { process: 'tautau', events: 40 * 397, seed: 4 }, small = { process: 'mumu', events: 500, seed: 5 };
    const order: string[] = [];
    const a = two.generate(big, undefined, 1).then((s) => (order.push('big'), s));
    const others = ['darkhiggs', 'eemumu', 'mumu'].map((p, i) => two.generate({ process: p, events: 300 + 401 * i, seed: 6 + i }, undefined, 1));
    const b = two.generate(small, undefined, 0).then((s) => (order.push('small'), s));
    sameSample(await a, generate(big));
    sameSample(await b, generate(small));
    expect(order).toEqual(['small', 'big']);
    for (const [i, p] of ['darkhiggs', 'eemumu', 'mumu'].entries()) sameSample(await others[i], generate({ process: p, events: 300 + 401 * i, seed: 6 + i }));
  });
  it('a generator error in a worker surfaces with its message; the pool stays usable', async () => {
    await expect(two.generate({ process: 'mumu', events: 3000, seed: 1, params: { nope: 1 } })).rejects.toThrow(/unknown parameter 'nope'/);
    sameSample(await two.generate({ process: 'mumu', events: 2500, seed: 2 }), generate({ process: 'mumu', events: 2500, seed: 2 }));
  });
  it('an abort ends the run with its reason and terminates the workers; an aborted signal runs nothing', async () => {
    const pool = (await GeneratorPool.create(2, { chunkEvents: 500 }))!;
    const ac = new AbortController();
    const run = pool.generate({ process: 'tautau', events: 200_000, seed: 1 }, ac.signal);
    setTimeout(() => ac.abort(new Error('stop: user')), 50);
    const t0 = performance.now();
    await expect(run).rejects.toThrow('stop: user');
    expect(performance.now() - t0).toBeLessThan(10_000); // 200k tau pairs take far longer than the abort
    await expect(pool.generate({ process: 'mumu', events: 10, seed: 1 })).rejects.toThrow(/after dispose/);
    const done = new AbortController();
    done.abort(new Error('already'));
    await expect(two.generate({ process: 'mumu', events: 3000, seed: 1 }, done.signal)).rejects.toThrow('already');
  });
});
