// binEvents (kernels/window_count/layout.ts) is the scan's binning: its fused passes must give
// the same bits as the plain definition below (quantise each coordinate, range, cell by
// cellIndex, counting sort by cell keeping row order, weights in sorted order), on samples that
// reach every branch: 1D and 2D, weighted with and without a forced exponent, negative and -0
// coordinates, forced cell grids, empty, single and constant samples, and the same errors.
import { afterAll, describe, expect, it } from 'vitest';
import { allocOutputs, CpuBackend, WasmBackend, placeOutputs, runReference, sliceArgs } from '../host/index.js';
import { binCount } from '../kernels/bin_count/desc.js';
import { binScatter } from '../kernels/bin_scatter/desc.js';
import { binRange } from '../kernels/bin_range/desc.js';
import { binEventsOn, binSplit, type BinSplit } from '../engine/scan.js';
import type { Backend } from '../host/index.js';
import { onWebGPU } from './backends.js';
import { binEvents, binPrefix, binSortArgs, columnRanges, planBinning, quantiseCoord, weightExponent, COORD_MAX, type BinnedEvents, type BinOptions } from '../kernels/window_count/layout.js';
import { cellOf, quantiseF32 } from '../kernels/lib/binning.js';
import { testWords } from '../kernels/testing.js';

function plainBin(x: ArrayLike<number>, y: ArrayLike<number> | undefined, w: ArrayLike<number> | undefined, o: BinOptions = {}): BinnedEvents {
  const n = x.length;
  for (const [a, name] of [[x, o.xName ?? 'x'], ...(y ? [[y, o.yName ?? 'y']] : [])] as [ArrayLike<number>, string][]) {
    for (let i = 0; i < n; i++) if (!(Math.abs(a[i]) <= COORD_MAX)) throw new RangeError(`column '${name}', row ${i}: ${a[i]} is not within [-${COORD_MAX}, ${COORD_MAX}] GeV`);
  }
  const qx = Float32Array.from(x, quantiseCoord), qy = y ? Float32Array.from(y, quantiseCoord) : new Float32Array(n);
  let xmin = n ? Math.min(...qx) : 0, xmax = n ? Math.max(...qx) : 0, ymin = n ? Math.min(...qy) : 0, ymax = n ? Math.max(...qy) : 0;
  if (n === 0) xmin = xmax = ymin = ymax = 0;
  const k = Math.max(1, Math.min(1024, Math.round(Math.sqrt(n / 16))));
  const nx = o.nx ?? (y ? k : Math.max(1, Math.min(1024 * 64, Math.round(n / 4)))), ny = y ? (o.ny ?? k) : 1;
  const cellW = xmax > xmin ? (xmax - xmin) / nx : 1, cellH = ymax > ymin ? (ymax - ymin) / ny : 1;
  // the f32 cell function of the binning kernels: floor(fl(fl(q - q0) * fl(n / range))), clamped
  const sx = xmax > xmin ? Math.fround(nx / (xmax - xmin)) : 1, sy = ymax > ymin ? Math.fround(ny / (ymax - ymin)) : 1;
  const cell = Array.from({ length: n }, (_, i) => cellOf(qy[i], ymin, sy, ny) * nx + cellOf(qx[i], xmin, sx, nx));
  const order = Uint32Array.from(Array.from({ length: n }, (_, i) => i).sort((a, b) => cell[a] - cell[b] || a - b));
  const off = new Uint32Array(nx * ny + 1);
  for (const c of cell) off[c + 1]++;
  for (let c = 0; c < nx * ny; c++) off[c + 1] += off[c];
  let wq = new Uint32Array(1), e = 0;
  if (w) {
    e = o.weightExp ?? weightExponent(Math.max(0, ...Array.from(w)));
    wq = Uint32Array.from(order, (i) => Math.round(w[i] * 2 ** e));
    if (n === 0) wq = new Uint32Array(1);
  }
  return { count: n, x: Float32Array.from(order, (i) => qx[i]), y: Float32Array.from(order, (i) => qy[i]), w: wq, weighted: !!w, weightExp: e, cellOff: off, nx, ny, x0: xmin, y0: ymin, cellW, cellH, sx, sy, order };
}

function sample(n: number, seed: number, signed: boolean): { x: Float32Array; y: Float32Array; w: Float32Array } {
  const u = testWords(3 * n, seed);
  const x = new Float32Array(n), y = new Float32Array(n), w = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = 0.2 + 10.3 * u[3 * i] * 2 ** -32;
    y[i] = (signed ? -2 : 0) + 5 * (u[3 * i + 1] * 2 ** -32) ** 2;
    if (i % 17 === 0) y[i] = -1e-9; // quantises to -0
    w[i] = (u[3 * i + 2] % 1000) / 250;
  }
  return { x, y, w };
}

const same = (a: BinnedEvents, b: BinnedEvents) => {
  const bytes = (v: Uint32Array | Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  for (const k of ['x', 'y', 'w', 'cellOff'] as const) expect(bytes(a[k]).equals(bytes(b[k])), k).toBe(true);
  expect(a.order !== undefined || !a.weighted, 'a weighted sample carries its order').toBe(true);
  if (a.order && b.order) expect(bytes(a.order).equals(bytes(b.order)), 'order').toBe(true);
  for (const k of ['count', 'weighted', 'weightExp', 'nx', 'ny', 'x0', 'y0', 'cellW', 'cellH', 'sx', 'sy'] as const) expect(Object.is(a[k], b[k]), `${k}: ${a[k]} vs ${b[k]}`).toBe(true);
};

describe('binEvents equals the plain binning bit for bit', () => {
  it('2D and 1D, weighted and not, forced grids and exponents, edge samples', () => {
    for (const [n, seed] of [[20000, 1], [3001, 2], [1, 3], [0, 4], [7, 5]]) {
      for (const signed of [false, true]) {
        const { x, y, w } = sample(n, seed, signed);
        same(binEvents(x, y, undefined), plainBin(x, y, undefined));
        same(binEvents(x, undefined, undefined), plainBin(x, undefined, undefined));
        same(binEvents(x, y, w), plainBin(x, y, w));
        same(binEvents(y, undefined, w, { weightExp: 20 }), plainBin(y, undefined, w, { weightExp: 20 }));
        same(binEvents(x, y, w, { nx: 37, ny: 3 }), plainBin(x, y, w, { nx: 37, ny: 3 }));
        same(binEvents(Float64Array.from(x, (v) => v * 1.0000001), y, undefined), plainBin(Float64Array.from(x, (v) => v * 1.0000001), y, undefined));
      }
    }
    const z = new Float32Array([0, -1e-9, 1, 0.5]); // +0 before -0: the range starts at -0 (Math.min)
    same(binEvents(z, z, undefined), plainBin(z, z, undefined));
    const c = new Float32Array(50).fill(2.5);
    same(binEvents(c, c, undefined), plainBin(c, c, undefined));
  });

  it('the kernel quantisation (f32 operations) equals quantiseCoord on every kind of f32 value', () => {
    const u = testWords(200000, 77);
    const vals: number[] = [0, -0, 2 ** -149, -(2 ** -149), 2 ** -126, 2 ** -25, -(2 ** -25), 2 ** -25 * 3, 0.5, -0.5, 1e4, -1e4];
    for (let k = 0; k < 2 ** 12; k++) vals.push((k + 0.5) * 2 ** -24, -(k + 0.5) * 2 ** -24, (2 ** 23 - k - 0.5) * 2 ** -24);
    const f = new Float32Array(1), b = new Uint32Array(f.buffer);
    for (const w of u) {
      b[0] = w; // every exponent and sign, kept within the coordinate bounds
      if (Math.abs(f[0]) <= COORD_MAX) vals.push(f[0]);
      vals.push(Math.fround((w * 2 ** -32 - 0.5) * 4));
    }
    for (const v of vals) {
      const a = quantiseF32(Math.fround(v)), e = quantiseCoord(Math.fround(v));
      if (!Object.is(a, e)) expect(`${v}: ${a}`).toBe(`${v}: ${e}`);
      expect(Object.is(quantiseF32(a), a)).toBe(true); // idempotent: f64 columns are quantised on the host first
    }
  });

  it('the same errors: the first bad row of x before any of y; weights', () => {
    const x = new Float32Array([1, 2, 2e4, 3]), y = new Float32Array([1, NaN, 1, 1]);
    expect(() => binEvents(x, y, undefined, { xName: 'm' })).toThrow("column 'm', row 2: 20000 is not within");
    expect(() => binEvents(y, x, undefined)).toThrow("column 'x', row 1: NaN is not within");
    expect(() => binEvents(new Float32Array([1, 2]), undefined, new Float32Array([1, -1]))).toThrow('weight column, row 1: -1 is not a finite weight >= 0');
  });
});

describe('binEventsOn (the counting sort as bin_count + bin_scatter on a backend) equals binEvents bit for bit', () => {
  const backends = [new CpuBackend(), WasmBackend.create({ workers: 2, minItemsPerWorker: 64 })];
  afterAll(async () => (await backends[1]).dispose());
  it('2D and 1D, weighted, forced grids, f64 columns, empty and constant samples, on cpu and wasm (2 workers)', async () => {
    for (const bp of backends) {
      const b = await bp;
      for (const [n, seed] of [[30000, 11], [997, 12], [1, 13], [0, 14]]) {
        const { x, y, w } = sample(n, seed, true);
        same(await binEventsOn(b, x, y, w), binEvents(x, y, w));
        same(await binEventsOn(b, x, undefined, undefined), binEvents(x, undefined, undefined));
        same(await binEventsOn(b, y, x, undefined, { nx: 13, ny: 29 }), binEvents(y, x, undefined, { nx: 13, ny: 29 }));
        const x64 = Float64Array.from(x, (v) => v * 1.0000001);
        same(await binEventsOn(b, x64, y, w, { weightExp: 20 }), binEvents(x64, y, w, { weightExp: 20 }));
      }
      const c = new Float32Array(40).fill(-0);
      same(await binEventsOn(b, c, c, undefined), binEvents(c, c, undefined));
      // two levels (by column, then by row), any chunk: the same bits
      for (const [n, seed, chunk] of [[30000, 15, 997], [997, 16, 1], [1, 17, 1], [5000, 18, 5000]]) {
        const { x, y, w } = sample(n, seed, true);
        for (const split of [{ chunk, levels: 2 as const }, { chunk: 7, levels: 2 as const }]) {
          same(await binEventsOn(b, x, y, w, {}, undefined, split), binEvents(x, y, w));
          same(await binEventsOn(b, y, x, undefined, { nx: 13, ny: 29 }, undefined, split), binEvents(y, x, undefined, { nx: 13, ny: 29 }));
          same(await binEventsOn(b, x, undefined, w, {}, undefined, split), binEvents(x, undefined, w)); // 1D: one level
          const x64 = Float64Array.from(x, (v) => v * 1.0000001);
          same(await binEventsOn(b, x64, y, w, { weightExp: 20, nx: 40, ny: 3 }, undefined, split), binEvents(x64, y, w, { weightExp: 20, nx: 40, ny: 3 }));
        }
      }
      same(await binEventsOn(b, c, c, undefined, {}, undefined, { chunk: 3, levels: 2 }), binEvents(c, c, undefined));
      await expect(binEventsOn(b, new Float32Array([1, 2e4]), undefined, undefined, { xName: 'm' })).rejects.toThrow("column 'm', row 1: 20000 is not within");
      // bin_range's bounds: NaN and infinities anywhere, in either column, named as binEvents names them
      const ok = new Float32Array(9).fill(1);
      for (const bad of [NaN, -NaN, Infinity, -Infinity, -1.0001e4]) {
        for (const at of [0, 4, 8]) {
          const v = ok.slice();
          v[at] = bad;
          const msg = `column 'y', row ${at}: ${v[at]} is not within`;
          expect(() => binEvents(ok, v, undefined)).toThrow(msg);
          await expect(binEventsOn(b, ok, v, undefined)).rejects.toThrow(msg);
        }
      }
      const z = new Float32Array([0, -1e-9, 1, 0.5, 0, 0, 0, 0, 3]); // -0 after +0: the range starts at -0
      same(await binEventsOn(b, z, z.slice().reverse(), undefined), binEvents(z, z.slice().reverse(), undefined));
    }
  });

  it('the split on a GPU: ~n / 4096 chunks within 2^22 histogram words, two levels where the cells leave too few', () => {
    const gpu = { name: 'webgpu', info: () => ({ name: 'webgpu', available: true, details: {} }) } as unknown as Backend;
    const items = (n: number, s: BinSplit) => Math.ceil(n / s.chunk);
    expect(binSplit(gpu, 1e6, 16, 16)).toEqual({ chunk: 4082, levels: 1 }); // 245 chunks x 256 cells
    const s = binSplit(gpu, 1e6, 250, 250); // one level would get 67 chunks (2^22 / 62500)
    expect(s.levels).toBe(2);
    expect(items(1e6, s)).toBe(245);
    const big = binSplit(gpu, 3e7, 1024, 1024);
    expect([big.levels, items(3e7, big)]).toEqual([2, 4096]);
    expect(items(3e7, big) * 1024).toBeLessThanOrEqual(2 ** 22);
    expect(binSplit(gpu, 3e7, 65536, 1)).toEqual({ chunk: Math.ceil(3e7 / 64), levels: 1 }); // 1D: as many chunks as fit
    expect(binSplit(gpu, 10, 1024, 1024)).toEqual({ chunk: 10, levels: 1 });
    const wasm = { name: 'wasm', info: () => ({ name: 'wasm', available: true, details: { workers: 2 } }) } as unknown as Backend;
    expect(binSplit(wasm, 1e6, 250, 250)).toEqual({ chunk: 5e5, levels: 1 });
  });

  it('on WebGPU: one level and, where the cells leave too few chunks, two levels, the same bits as binEvents', async () => {
    await onWebGPU(async (gpu) => {
      const { x, y, w } = sample(30000, 19, true);
      const fine = { nx: 1024, ny: 1024 }; // 2^20 cells: one level would get 4 chunks, two levels get 8
      expect(binSplit(gpu, 30000, 1024, 1024)).toEqual({ chunk: 3750, levels: 2 });
      same(await binEventsOn(gpu, x, y, w, fine), binEvents(x, y, w, fine));
      same(await binEventsOn(gpu, x, y, undefined, fine), binEvents(x, y, undefined, fine));
      expect(binSplit(gpu, 30000, 40, 40).levels).toBe(1);
      same(await binEventsOn(gpu, x, y, w, { nx: 40, ny: 40 }), binEvents(x, y, w, { nx: 40, ny: 40 }));
    });
  }, 60_000);

  it("bin_range's ranges (columnRanges) are Math.min / Math.max over the column, NaN and signed zeros included", () => {
    const u = testWords(4 * 3000, 78);
    const f = new Float32Array(u.buffer, u.byteOffset, u.length); // every bit pattern
    const cols: Float32Array[] = [f.subarray(0, 3000), f.subarray(3000, 6000).map((v) => (Number.isNaN(v) ? 1 : v)), new Float32Array([0, -0, 0]), new Float32Array([-0, 0]), new Float32Array([5e-45, -0, -Infinity, 7])];
    for (const x of cols) {
      for (const chunk of [1, 3, 64, x.length]) {
        const items = Math.ceil(x.length / chunk);
        const r = columnRanges(runReference(binRange, { count: items, params: { n_events: x.length, chunk, two_d: 1 }, inputs: { x, y: x.slice().reverse() } }).range, items);
        let lo = Infinity, hi = -Infinity;
        for (const v of x) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        for (const c of [r.x, r.y]) expect([Object.is(c.lo, lo), Object.is(c.hi, hi)], `chunk ${chunk}: [${c.lo}, ${c.hi}] vs [${lo}, ${hi}]`).toEqual([true, true]);
      }
    }
  });
});

describe('the counting sort kernels: any chunk size, any split of the items, the same bits', () => {
  const { x, y } = sample(5000, 21, true);
  const plan = planBinning(x, y, undefined, { nx: 40, ny: 30 });
  const sorted = (chunk: number) => {
    const a = binSortArgs(plan, chunk);
    const { start, off } = binPrefix(runReference(binCount, a.count).hist, a.items, a.cells);
    return { ...runReference(binScatter, a.scatter(start, true)), cell_off: off } as Record<string, Uint32Array>;
  };
  const whole = sorted(5000);
  it('chunks of 1, 7, 999 and 5000 events sort to the same slots and cell offsets', () => {
    expect(whole.cell_off[40 * 30]).toBe(5000);
    expect(whole.order.length).toBe(5000);
    for (const chunk of [1, 7, 999]) {
      const s = sorted(chunk);
      for (const k of ['ev_x', 'ev_y', 'order', 'cell_off']) expect(Buffer.from(s[k].buffer).equals(Buffer.from(whole[k].buffer)), `${k}, chunk ${chunk}`).toBe(true);
    }
  });
  it('bin_scatter over item ranges, placed with placeOutputs (scatter targets OR), equals the whole run, on cpu and wasm', async () => {
    const a = binSortArgs(plan, 97); // 52 items
    const args = a.scatter(binPrefix(runReference(binCount, a.count).hist, a.items, a.cells).start, true);
    const want = runReference(binScatter, args);
    const wasm = await WasmBackend.create({ workers: 2, minItemsPerWorker: 64 });
    try {
      for (const b of [new CpuBackend(), wasm]) {
        expect(Buffer.from((await b.run(binScatter, args)).order.buffer).equals(Buffer.from(want.order.buffer))).toBe(true);
        const out = allocOutputs(binScatter, args.count, args.params);
        for (const [lo, hi] of [[0, 5], [5, 6], [6, 40], [40, 52]]) placeOutputs(binScatter, out, await b.run(binScatter, sliceArgs(binScatter, args, lo, hi)), lo);
        for (const o of binScatter.outputs) expect(Buffer.from(out[o.name].buffer).equals(Buffer.from(want[o.name].buffer)), `${b.name} ${o.name}`).toBe(true);
      }
    } finally {
      await wasm.dispose();
    }
  });
});
