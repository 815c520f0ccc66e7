// Chained runs (host/backend.ts chain, WasmBackend.chain): countInWindows bins and counts as one
// chain, the sorted events staying in the WASM memory between bin_scatter and window_count. The
// chained path must give the same bits as the unchained one (binEventsOn, packWindows, a plain
// window_count run) on WASM with 1 and 2 workers and on the reference backend.
import { afterAll, describe, expect, it } from 'vitest';
import { chain, CpuBackend, WasmBackend, type Backend } from '../host/index.js';
import { binCount } from '../kernels/bin_count/desc.js';
import { binScatter } from '../kernels/bin_scatter/desc.js';
import { countInWindows, type WindowSums } from '../engine/scan.js';
import { binPrefix, binSortArgs, planBinning } from '../kernels/window_count/layout.js';
import { grid1D, NAMED_GRIDS } from '../engine/windows.js';
import { toySample } from '../web/toy.js';
import type { EventTable } from '../engine/events.js';
import type { KernelOutputs } from '../kernels/types.js';

/** countInWindows through plain runs: the backend without its chain (binEventsOn, packWindows, one window_count run). */
function unchained(b: Backend, grid: ReturnType<typeof grid1D>, t: EventTable): Promise<WindowSums> {
  const plain: Backend = { name: b.name, run: (d, a) => b.run(d, a), info: () => b.info(), dispose: async () => undefined };
  return countInWindows(plain, grid, t);
}

function sameSums(a: WindowSums, b: WindowSums): void {
  expect(a.weighted).toBe(b.weighted);
  expect(a.weightExp).toBe(b.weightExp);
  expect(a.cells).toEqual(b.cells);
  expect(Buffer.from(a.n.buffer).equals(Buffer.from(b.n.buffer))).toBe(true);
  expect(Buffer.from(a.sumW.buffer).equals(Buffer.from(b.sumW.buffer))).toBe(true);
  expect(Buffer.from(a.sumW2.buffer).equals(Buffer.from(b.sumW2.buffer))).toBe(true);
}

describe('countInWindows chained on the backend equals the unchained runs bit for bit', () => {
  const wasm = [WasmBackend.create({ workers: 1 }), WasmBackend.create({ workers: 2, minItemsPerWorker: 64 })];
  afterAll(async () => { for (const b of wasm) await (await b).dispose(); });
  const g2 = NAMED_GRIDS['dark-higgsstrahlung']();
  const g1 = grid1D({ variable: g2.variables[0], min: 1, max: 9, sigma: (m) => 0.01 * m + 0.02 });

  it('2D and 1D grids, weighted and unweighted, wasm 1 and 2 workers and cpu; with a signal (blocks of windows) too', async () => {
    const tables = [toySample(5, 40000, { peakEvents: 200 }), toySample(6, 25000, { peakEvents: 100, weighted: true })];
    const cpu = new CpuBackend();
    for (const t of tables) {
      for (const g of [g2, g1]) {
        const ref = await unchained(cpu, g, t);
        expect(ref.n.some((v) => v > 0)).toBe(true);
        for (const bp of [...wasm, cpu]) {
          const b = await bp;
          sameSums(await unchained(b, g, t), ref);
          sameSums(await countInWindows(b, g, t), ref);
          let binned = 0;
          sameSums(await countInWindows(b, g, t, {}, new AbortController().signal, () => binned++), ref);
          expect(binned).toBe(1);
        }
      }
    }
  });

  it("a chain's outputs lie in the WASM memory and are read there by its later runs; plain runs after it are unaffected", async () => {
    const b = await wasm[1];
    const t = toySample(7, 10000, { peakEvents: 50 });
    const x = t.columns[g2.variables[0]], y = t.columns[g2.variables[1]];
    const plan = planBinning(x, y, undefined);
    const a = binSortArgs(plan, 5000);
    const plain = (await b.run(binCount, a.count)).hist;
    expect(plain.buffer).toBeInstanceOf(ArrayBuffer);
    let sortedHist: Promise<KernelOutputs> | undefined;
    const [again, h3] = await chain(b, async (run) => {
      const h1 = (await run(binCount, a.count)).hist;
      expect(h1.buffer).toBeInstanceOf(SharedArrayBuffer); // a view, no copy out
      const h2 = (await run(binCount, a.count)).hist; // its inputs (x, y) already in memory
      expect(h2.byteOffset).toBeGreaterThan(h1.byteOffset); // the first output is not overwritten
      expect(h2.byteOffset - (h1.byteOffset + h1.byteLength)).toBeLessThan(plan.x.byteLength); // x, y not copied in again
      expect(Array.from(h1)).toEqual(Array.from(h2));
      // bin_scatter's outputs as the next run's inputs, read where they lie
      const { start } = binPrefix(h1, a.items, a.cells);
      const s = await run(binScatter, a.scatter(start));
      const f32 = (u: Uint32Array) => new Float32Array(u.buffer, u.byteOffset, u.length);
      const h3 = (await run(binCount, { ...a.count, inputs: { x: f32(s.ev_x), y: f32(s.ev_y) } })).hist;
      const last = Math.max(...Object.values(s).map((o) => o.byteOffset + o.byteLength));
      expect(h3.byteOffset - last).toBeLessThan(plan.x.byteLength);
      sortedHist = b.run(binCount, { ...a.count, inputs: { x: f32(s.ev_x).slice(), y: f32(s.ev_y).slice() } }); // a plain run waits for the chain: not awaited inside it
      return [h2.slice(), h3.slice()];
    });
    expect(Array.from(again)).toEqual(Array.from(plain));
    expect(Array.from(h3)).toEqual(Array.from((await sortedHist!).hist));
    expect(Array.from((await b.run(binCount, a.count)).hist)).toEqual(Array.from(plain));
    sameSums(await countInWindows(b, g2, t), await unchained(new CpuBackend(), g2, t));
  });

  it("a grid's packed windows are reused only while its windows and the sample's cells are unchanged", async () => {
    const b = await wasm[0], cpu = new CpuBackend();
    const copy = (g: typeof g2) => ({ ...g, cx: g.cx.slice(), cy: g.cy.slice(), ax: g.ax.slice(), ay: g.ay.slice() });
    const fresh = (g: typeof g2, t: EventTable) => unchained(cpu, copy(g), t); // a new grid object: packed anew
    const g = copy(g2);
    const t1 = toySample(9, 20000, { peakEvents: 100 }), t2 = toySample(10, 3000, { peakEvents: 30 }); // other cells
    const first = await countInWindows(b, g, t1);
    sameSums(first, await fresh(g, t1));
    sameSums(await countInWindows(b, g, t1), first);
    for (let i = 0; i < g.cx.length; i++) g.cx[i] += 0.05; // the same grid object, its windows moved in place
    const moved = await countInWindows(b, g, t1);
    sameSums(moved, await fresh(g, t1));
    expect(moved.n.some((v, i) => v !== first.n[i])).toBe(true);
    const k = moved.n.indexOf(Math.max(...moved.n)); // the fullest window, 4 times as wide
    g.ax[k] *= 4;
    const wider = await countInWindows(b, g, t1);
    sameSums(wider, await fresh(g, t1));
    expect(wider.n[k]).toBeGreaterThan(moved.n[k]);
    sameSums(await countInWindows(b, g, t2), await fresh(g, t2));
  });

  it('a failing chain releases the backend', async () => {
    const b = await wasm[0];
    await expect(chain(b, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    const t = toySample(8, 3000, { peakEvents: 20 });
    sameSums(await countInWindows(b, g2, t), await unchained(b, g2, t));
  });
});
