// The browser page in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
// served by `darkscan serve` (COOP/COEP), it runs Philox, the window scan and the dark
// Higgsstrahlung demo (engine/analyses/search.ts runSearch end to end) on WebGPU (SwiftShader), WASM
// workers and WebGL2 (gpu.js), and each result must equal, bit for bit, the TypeScript reference
// computed here in Node. The benchmark page must return darkscan-bench/1
// JSON, and the plots must not be blank (pixel statistics of screenshots).
//
// Chromium flags: with --enable-unsafe-webgpu alone, headless Chromium 156 on Linux gets a
// SwiftShader WebGPU adapter (vendor google, architecture swiftshader, isFallbackAdapter) and a
// SwiftShader WebGL2 context; no --use-angle / --use-webgpu-adapter flag is needed here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../engine/cli/serve.js';
import { CpuBackend } from '../host/cpu.js';
import { softwareAdapter } from '../host/index.js';
import { key, randomBits, uniforms } from '../engine/random.js';
import { NAMED_GRIDS } from '../engine/windows.js';
import { countInWindows } from '../engine/scan.js';
import { toySample } from '../web/toy.js';
import { runSearch } from '../engine/analyses/search.js';
import { DARK_HIGGSSTRAHLUNG } from '../engine/analyses/searches.js';
import { renderReport } from '../engine/analyses/render.js';

import { ALLOW_NO_WEBGPU } from './backends.js';
import { KERNELS } from '../kernels/index.js';
import { runReference } from '../host/index.js';
import { kernelCases } from './cases.js';
import { expectSameBits } from './bits.js';
const CHROMIUM = process.env.DARKSCAN_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];
const WEB_ROOT = join(import.meta.dirname, '..', 'dist', 'web');

let server: RunningServer;
let ctx: BrowserContext;
let page: Page;
let userDir: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(WEB_ROOT, 'index.html')) || !existsSync(join(WEB_ROOT, 'js', 'page.js'))) {
    throw new Error(`${WEB_ROOT} is not built: run 'npm run build' (node build.mjs) first`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (or set DARKSCAN_CHROMIUM)`);
  server = await startServer({ port: 0, root: WEB_ROOT });
  userDir = mkdtempSync(join(tmpdir(), 'darkscan-chromium-'));
  ctx = await chromium.launchPersistentContext(userDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1400, height: 1000 } });
  page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(server.url);
  await page.waitForFunction(() => 'darkscan' in globalThis, undefined, { timeout: 30_000 });
});

afterAll(async () => {
  await ctx?.close();
  await server?.close();
  if (userDir) rmSync(userDir, { recursive: true, force: true });
});

/** Runs `fn` in the page (its argument must be JSON). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function inPage<A>(fn: (a: A) => Promise<any>, arg: A): Promise<any> {
  return page.evaluate(fn as (a: unknown) => Promise<unknown>, arg);
}

const BACKENDS = ['webgpu', 'wasm', 'webgl2'] as const;

describe('darkscan serve', () => {
  it('serves the page with COOP/COEP and the right MIME types', async () => {
    const get = (p: string) => fetch(new URL(p, server.url));
    const html = await get('index.html');
    expect(html.status).toBe(200);
    expect(html.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(html.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await get('js/page.js')).headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await get('dist/wasm-worker.js')).headers.get('content-type')).toMatch(/^text\/javascript/);
    const wasm = await get('dist/darkscan-simd.wasm');
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(new Uint8Array(await wasm.arrayBuffer()).slice(0, 4)).toEqual(new Uint8Array([0, 0x61, 0x73, 0x6d]));
    expect((await get('../../package.json')).status).toBe(404); // URL normalisation keeps it inside the root
    expect((await get('%2e%2e/%2e%2e/package.json')).status).toBeGreaterThanOrEqual(403);
  });
});

describe('page', () => {
  it('loads cross-origin isolated, with navigator.gpu and WebGL2, without errors', async () => {
    expect(await page.title()).toMatch(/darkscan/);
    const s = await inPage(async () => ({
      iso: crossOriginIsolated,
      gpu: 'gpu' in navigator,
      webgl2: !!document.createElement('canvas').getContext('webgl2'),
      status: document.getElementById('status')!.textContent,
    }), null);
    expect(s.iso).toBe(true);
    expect(s.webgl2).toBe(true);
    expect(s.status).toMatch(/^ready/);
    if (!ALLOW_NO_WEBGPU) expect(s.gpu).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('reports backend and adapter information', async () => {
    const gpu = await inPage((c) => (globalThis as any).darkscan.backend(c).catch((e: Error) => ({ error: e.message })), 'webgpu');
    if ('error' in gpu) {
      if (!ALLOW_NO_WEBGPU) throw new Error(`WebGPU in headless Chromium: ${gpu.error} (set DARKSCAN_ALLOW_NO_WEBGPU=1 to run without)`);
      console.warn(`WARNING: browser WebGPU unavailable (${gpu.error}); WebGPU browser cases NOT run`);
    } else {
      expect(gpu.name).toBe('webgpu');
      expect(typeof gpu.info.details.vendor).toBe('string');
      expect(typeof gpu.info.details.architecture).toBe('string');
    }
    const gl = await inPage((c) => (globalThis as any).darkscan.backend(c), 'webgl2');
    expect(gl.name).toBe('webgl2');
    expect(gl.info.details.api).toBe('WebGL2 via gpu.js');
    expect(String(gl.info.details.renderer).length).toBeGreaterThan(0);
    const wasm = await inPage((c) => (globalThis as any).darkscan.backend(c, 3), 'wasm');
    expect(wasm.info.details).toMatchObject({ workers: 3, threads: true });
    const auto = await inPage((c) => (globalThis as any).darkscan.backend(c), 'auto');
    // auto takes a hardware GPU; software ones (SwiftShader in headless Chromium here) lose to WASM.
    const hw = (i: { details: Record<string, unknown> }): boolean => softwareAdapter(i.details) === undefined;
    expect(auto.name).toBe(!('error' in gpu) && hw(gpu.info) ? 'webgpu' : hw(gl.info) ? 'webgl2' : 'wasm');
    if (!('error' in gpu) && !hw(gpu.info)) expect(auto.skipped.join('\n')).toMatch(/^webgpu: a software adapter/);
  });
});

function backendsToRun(): string[] {
  return [...BACKENDS];
}

describe('bit-identical to Node', () => {
  it('Philox (u32 and uniform, counter offset) on WebGPU, WASM workers and WebGL2', async () => {
    const cpu = new CpuBackend();
    const k = key(42, 3);
    for (const format of ['u32', 'uniform'] as const) {
      const blocks = 5003, event = 0xfffff000; // the counter wraps past 2^32 inside the run
      const ref = format === 'u32' ? await randomBits(cpu, k, { event }, blocks) : await uniforms(cpu, k, { event }, blocks);
      const refWords = Array.from(new Uint32Array(ref.buffer, ref.byteOffset, ref.length));
      for (const b of backendsToRun()) {
        const r = await inPage((a) => (globalThis as any).darkscan.philox(a.b, { seed: 42, stream: 3, blocks: a.blocks, format: a.format, event: a.event }).catch((e: Error) => ({ error: e.message })), { b, blocks, format, event });
        if ('error' in r) {
          if (b === 'webgpu' && ALLOW_NO_WEBGPU) continue;
          throw new Error(`${b}: ${r.error}`);
        }
        expect(r.backend, `${b}`).toBe(b);
        expect(r.words.length).toBe(4 * blocks);
        const bad = r.words.findIndex((w: number, i: number) => w !== refWords[i]);
        expect(bad, `${b} ${format}: first differing word ${bad}: ${r.words[bad]} vs ${refWords[bad]}`).toBe(-1);
        if (b === 'webgl2') expect(r.info.details.items_computed.philox).toBeGreaterThanOrEqual(blocks);
      }
    }
  });

  it('window scan sums (8960-window dark Higgsstrahlung grid, unweighted and weighted) on WebGPU, WASM workers and WebGL2', async () => {
    const cpu = new CpuBackend();
    for (const weighted of [false, true]) {
      const o = { grid: 'dark-higgsstrahlung', seed: 11, events: 6000, weighted };
      const ref = await countInWindows(cpu, NAMED_GRIDS[o.grid](), toySample(o.seed, o.events, { peakEvents: 50, weighted }));
      expect(ref.n.reduce((a, b) => a + b, 0)).toBeGreaterThan(1000); // windows overlap: events counted many times
      for (const b of backendsToRun()) {
        const r = await inPage((a) => (globalThis as any).darkscan.toyWindowSums(a.b, a.o).catch((e: Error) => ({ error: e.message })), { b, o });
        if ('error' in r) {
          if (b === 'webgpu' && ALLOW_NO_WEBGPU) continue;
          throw new Error(`${b}: ${r.error}`);
        }
        expect(r.backend).toBe(b);
        expect(r.n, `${b} weighted=${weighted}: n`).toEqual(Array.from(ref.n));
        expect(r.sumW, `${b} weighted=${weighted}: sum w`).toEqual(Array.from(ref.sumW));
        expect(r.sumW2, `${b} weighted=${weighted}: sum w^2`).toEqual(Array.from(ref.sumW2));
        if (b === 'webgl2') expect(r.info.details.items_computed.window_count).toBeGreaterThanOrEqual(ref.n.length);
        if (b === 'webgpu') expect(r.info.details.failed_over ?? false).toBe(false);
      }
    }
  });
});

// ---- PNG decoding (8-bit RGB/RGBA, non-interlaced: what Chromium's screenshots are), RFC 2083.
function decodePng(buf: Buffer): { width: number; height: number; rgba: Uint8Array } {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  let off = 8, width = 0, height = 0, type = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off), name = buf.toString('latin1', off + 4, off + 8), body = buf.subarray(off + 8, off + 8 + len);
    if (name === 'IHDR') {
      width = body.readUInt32BE(0); height = body.readUInt32BE(4);
      if (body[8] !== 8 || body[12] !== 0) throw new Error(`PNG: bit depth ${body[8]}, interlace ${body[12]} not handled`);
      type = body[9];
    } else if (name === 'IDAT') idat.push(body);
    off += 12 + len;
  }
  const bpp = type === 6 ? 4 : type === 2 ? 3 : 0;
  if (!bpp) throw new Error(`PNG colour type ${type} not handled`);
  const raw = inflateSync(Buffer.concat(idat)), stride = width * bpp;
  const px = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)], src = y * (stride + 1) + 1;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? px[y * stride + x - bpp] : 0, b = y ? px[(y - 1) * stride + x] : 0, c = x >= bpp && y ? px[(y - 1) * stride + x - bpp] : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = f === 0 ? 0 : f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      px[y * stride + x] = (raw[src + x] + pred) & 255;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) for (let k = 0; k < 4; k++) rgba[4 * i + k] = k < bpp ? px[i * bpp + k] : 255;
  return { width, height, rgba };
}

/** Non-white pixels and distinct colours (quantised to 4 bits per channel). */
function pixelStats(png: Buffer): { width: number; height: number; ink: number; colours: number } {
  const { width, height, rgba } = decodePng(png);
  let ink = 0;
  const colours = new Set<number>();
  for (let i = 0; i < width * height; i++) {
    const r = rgba[4 * i], g = rgba[4 * i + 1], b = rgba[4 * i + 2];
    if (r < 235 || g < 235 || b < 235) ink++;
    colours.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
  }
  return { width, height, ink, colours: colours.size };
}

describe('library entry for browsers (package.json exports "browser": dist/web/js/darkscan.js)', () => {
  it('imports in the page; auto follows the rule; a scan and a CLs limit there equal Node', async () => {
    const lib = await import('../engine/index.js');
    const n = 3000;
    type Cols = { m_mumu_GeV: number[]; m_recoil_GeV: number[] };
    const c: Cols = { m_mumu_GeV: [], m_recoil_GeV: [] };
    for (let i = 0; i < n; i++) {
      c.m_mumu_GeV.push(0.25 + (((i * 2654435761) % 4096) / 4096) * 9);
      c.m_recoil_GeV.push((((i * 40503) % 4096) / 4096) * 9.5);
    }
    // The same function runs in the page (on the browser bundle) and here (on the sources).
    const work = async ([m, c]: [typeof lib, Cols]) => {
      const b = await m.selectBackend({ backend: 'wasm' });
      try {
        const grid = m.darkHiggsstrahlungGrid();
        const t = m.makeEventTable(c).table;
        const r = await m.scan(b, grid, t, { background: t });
        const lim = await m.upperLimitsToys([{ n: 5, b: 2.5 }], 0.9, { backend: b, toys: 5000, seed: 3 });
        return { backend: b.name, n: Array.from(r.data.n), z: Array.from(r.z!), upper: lim.upper[0] };
      } finally {
        await b.dispose();
      }
    };
    // A string: vitest rewrites `import()` inside functions it transforms, and the page must import natively.
    const got = await page.evaluate(`(async () => {
      const m = await import(new URL('js/darkscan.js', location.href).href);
      const gpu = await m.createBackend('webgpu', { fallback: false }).then((b) => b.info().details).catch(() => null);
      const auto = await m.selectBackend();
      const autoName = auto.name;
      await auto.dispose();
      const res = await (${work.toString()})([m, ${JSON.stringify(c)}]);
      return { gpu, autoName, res };
    })()`) as { gpu: Record<string, unknown> | null; autoName: string; res: Awaited<ReturnType<typeof work>> };
    const want = await work([lib, c]);
    expect(got.res.n.reduce((a: number, v: number) => a + v, 0)).toBeGreaterThan(0);
    expect(got.res).toEqual(want);
    expect(got.autoName).toBe(got.gpu && lib.softwareAdapter(got.gpu) === undefined ? 'webgpu' : 'wasm');
    if (!ALLOW_NO_WEBGPU) expect(got.gpu, 'WebGPU in the page').not.toBeNull();
    console.log(`library in the browser: webgpu adapter ${JSON.stringify(got.gpu && { vendor: got.gpu.vendor, architecture: got.gpu.architecture, isFallbackAdapter: got.gpu.isFallbackAdapter })}, auto -> ${got.autoName}`);
  });
});

// The conformance suite's cases on the page's WebGL2 backend: every kernel with a WebGL2 version
// (desc.webgl2), every case, output bits against the TypeScript reference computed here.
const WEBGL2_CASES = await Promise.all(KERNELS.filter((d) => d.webgl2).map(async (d) => [d, await kernelCases(d)] as const));
describe('WebGL2 conformance (gpu.js)', () => {
  it('has kernels with a WebGL2 version', () => expect(WEBGL2_CASES.map(([d]) => d.name)).toEqual(expect.arrayContaining(['philox', 'window_count'])));
  for (const [desc, cases] of WEBGL2_CASES) {
    for (const c of cases) {
      it(`${desc.name}: ${c.name}`, async () => {
        const words = (t: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset?: number }) => Array.from(new Uint32Array(t.buffer, t.byteOffset ?? 0, t.length));
        const inputs = Object.fromEntries(Object.entries(c.args.inputs ?? {}).map(([k, v]) => [k, words(v)]));
        const arg = { name: desc.name, a: { count: c.args.count, itemOffset: c.args.itemOffset, params: c.args.params, inputs } };
        const r = await inPage((x) => (globalThis as any).darkscan.runKernel('webgl2', x.name, x.a), arg);
        expect(r.backend).toBe('webgl2');
        expect(r.itemsComputedHere, 'items computed by gpu.js (not by the WASM fallback)').toBe(c.args.count);
        const ref = runReference(desc, c.args);
        for (const o of desc.outputs) expectSameBits(Uint32Array.from(r.outputs[o.name]), ref[o.name], o.name);
      });
    }
  }
});

describe('plots', () => {
  it('a toy scan from the page buttons draws a non-blank local-Z map and Brazil limit plot, downloadable as JSON and HEPData', async () => {
    // WebGPU chosen explicitly: auto passes over SwiftShader here (tested above), and this page run
    // must exercise the WGSL path.
    await page.selectOption('#backend', ALLOW_NO_WEBGPU ? 'auto' : 'webgpu');
    await page.fill('#events', '8000');
    await page.click('#run-scan');
    await page.waitForFunction(() => /^(done|error)/.test(document.getElementById('status')!.textContent ?? ''), undefined, { timeout: 90_000 });
    expect(await page.textContent('#status')).toMatch(/^done/);
    const info = JSON.parse((await page.textContent('#backend-info'))!);
    if (!ALLOW_NO_WEBGPU) expect(info.ran_on).toBe('webgpu');
    const doc = await inPage(async () => (globalThis as any).darkscan.lastDoc(), null);
    expect(doc.schema).toBe('darkscan-scan/1');
    expect(doc.windows).toHaveLength(NAMED_GRIDS['dark-higgsstrahlung']().cx.length);
    expect(doc.inputs.seed).toBe(1);
    // The injected peak at (4, 2) GeV: the most significant window is near it.
    // (Windows where the background sample has no event, b = 0, are left out: any n > 0 has p = 0 there.)
    const best = doc.windows.filter((w: any) => w.b >= 1).reduce((a: any, w: any) => (w.z_local > a.z_local ? w : a));
    expect(Math.abs(best.centre_m_mumu_GeV - 4), JSON.stringify(best)).toBeLessThan(0.1);
    expect(Math.abs(best.centre_m_recoil_GeV - 2), JSON.stringify(best)).toBeLessThan(0.5);
    expect(best.z_local).toBeGreaterThan(5);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe('darkscan-result.json');
    // Limits along M_recoil ~ 2 GeV: the observed limit is weakest at the injected peak.
    expect(doc.limits.cl).toBe(0.95);
    const lim = doc.limits;
    const worst = lim.observed.indexOf(Math.max(...lim.observed));
    expect(Math.abs(lim.mass[worst] - 4)).toBeLessThan(0.1);
    for (let i = 0; i < lim.mass.length; i++) expect(lim.expectedMinus2[i] <= lim.expected[i] && lim.expected[i] <= lim.expectedPlus2[i]).toBe(true);
    const yaml = await inPage(async () => (globalThis as any).darkscan.hepdata(), null);
    expect(yaml).toMatch(/^independent_variables:/m);
    expect(yaml).toMatch(/expected upper limit/);
    for (const id of ['#map-plot', '#limit-plot']) {
      const el = page.locator(`${id} svg`);
      expect(await el.count(), `${id} has an <svg>`).toBe(1);
      const s = pixelStats(await el.screenshot());
      expect(s.width * s.height).toBeGreaterThan(100 * 100);
      expect(s.ink / (s.width * s.height), `${id}: share of non-white pixels`).toBeGreaterThan(0.03);
      expect(s.colours, `${id}: distinct colours`).toBeGreaterThan(8);
    }
    expect(pageErrors).toEqual([]);
  });
});

// ---- The dark Higgsstrahlung demo, small (the page's defaults are `darkscan demo --quick`).
// A signal is injected so that the most significant window and the global p are not degenerate.
// At 10k simulated events per background an empty window's background is uncertain by the summed
// weight of the samples that can populate it (~51 here: search.ts B_RULES 'empty-on-off'), so 150 or
// 600 injected events are not significant there (local Z 0.1 / 1.9 at the injected point, max local Z
// 1.4 / 1.9, p_global 1 / 0.25); 2000 are (local Z 4.2 at the injected (4, 2) GeV, p_global 0.25).
const DEMO = { seed: 5, pseudoExperiments: 3, maxEventsPerBackground: 10_000, signalEventsPerPoint: 200, trainEvents: 1500, inject: { mA: 4, mh: 2, events: 2000 } };

/** Stored ZIP entries (what web/zip.ts writes), CRC-checked with node:zlib. */
function readZip(buf: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let off = 0;
  while (buf.readUInt32LE(off) === 0x04034b50) {
    expect(buf.readUInt16LE(off + 8), 'stored entries').toBe(0);
    const crc = buf.readUInt32LE(off + 14), size = buf.readUInt32LE(off + 18), nl = buf.readUInt16LE(off + 26), xl = buf.readUInt16LE(off + 28);
    const name = buf.toString('utf8', off + 30, off + 30 + nl), data = buf.subarray(off + 30 + nl + xl, off + 30 + nl + xl + size);
    expect(zlibCrc32(data), `CRC of ${name}`).toBe(crc);
    out[name] = data.toString('utf8');
    off += 30 + nl + xl + size;
  }
  expect(buf.readUInt32LE(off), 'central directory after the entries').toBe(0x02014b50);
  return out;
}

describe('dark Higgsstrahlung demo', () => {
  let ref: { json: any; files: Map<string, string> };
  beforeAll(async () => {
    const r = await runSearch(new CpuBackend(), DARK_HIGGSSTRAHLUNG, { ...DEMO, inject: { masses: [DEMO.inject.mA, DEMO.inject.mh], events: DEMO.inject.events } });
    const files = renderReport(r);
    ref = { json: JSON.parse(files.find((f) => f.name === 'results.json')!.text), files: new Map(files.map((f) => [f.name, f.text])) };
    expect(ref.json.windows).toHaveLength(NAMED_GRIDS['dark-higgsstrahlung']().cx.length);
    expect(ref.json.global.p_global).toBeLessThan(1);
  });

  const demoResult = async () => JSON.parse(await inPage(async () => (globalThis as any).darkscan.demoFile('results.json'), null));
  const compare = (got: any, b: string) => {
    // DARKSCAN_DUMP=DIR writes both sides as JSON, to diff field by field when this fails.
    if (process.env.DARKSCAN_DUMP) { writeFileSync(`${process.env.DARKSCAN_DUMP}/got_${b}.json`, JSON.stringify(got)); writeFileSync(`${process.env.DARKSCAN_DUMP}/ref.json`, JSON.stringify(ref.json)); }
    expect(got.backend.name, `${b}: backend`).toBe(b);
    expect(got.seed).toBe(DEMO.seed);
    // Bit-identical: JSON numbers print the shortest round-trip decimal of each double.
    const bad = got.windows.findIndex((w: any, i: number) => JSON.stringify(w) !== JSON.stringify(ref.json.windows[i]));
    expect(bad, bad >= 0 ? `${b}: window ${bad}: ${JSON.stringify(got.windows[bad])} vs Node ${JSON.stringify(ref.json.windows[bad])}` : '').toBe(-1);
    expect(got.windows).toEqual(ref.json.windows);
    expect(got.global, `${b}: global`).toEqual(ref.json.global);
    expect(got.mlp).toEqual(ref.json.mlp);
    expect(got.samples).toEqual(ref.json.samples);
    expect(got.injected).toEqual(ref.json.injected);
  };

  it('runs from the form and the button on WebGPU: results bit-identical to Node; summary, plots and downloads', async () => {
    const b = 'webgpu';
    const gpu = await inPage((c) => (globalThis as any).darkscan.backend(c).then(() => null, (e: Error) => e.message), b);
    if (gpu !== null) {
      if (!ALLOW_NO_WEBGPU) throw new Error(`WebGPU: ${gpu}`);
      console.warn(`WARNING: browser WebGPU unavailable (${gpu}); the demo's WebGPU case NOT run`);
      return;
    }
    await page.selectOption('#backend', b);
    await page.fill('#workers', '0');
    const fields: [string, number][] = [['#demo-seed', DEMO.seed], ['#demo-pe', DEMO.pseudoExperiments], ['#demo-bg', DEMO.maxEventsPerBackground], ['#demo-sig', DEMO.signalEventsPerPoint],
      ['#demo-train', DEMO.trainEvents], ['#demo-inj-ma', DEMO.inject.mA], ['#demo-inj-mh', DEMO.inject.mh], ['#demo-inj-n', DEMO.inject.events]];
    for (const [id, v] of fields) await page.fill(id, String(v));
    const t0 = performance.now();
    await page.click('#run-demo');
    expect(await page.isEnabled('#demo-stop')).toBe(true);
    await page.waitForFunction(() => /^(done: dark Higgs|error)/.test(document.getElementById('status')!.textContent ?? ''), undefined, { timeout: 150_000 });
    console.log(`demo on ${b} in the browser: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    expect(await page.textContent('#status')).toMatch(/^done/);
    expect(await page.isEnabled('#demo-stop')).toBe(false);
    expect(await page.evaluate(() => (document.getElementById('progress') as HTMLProgressElement).value)).toBe(1);
    const got = await demoResult();
    compare(got, b);
    expect(got.backend.failed_over ?? false).toBe(false);
    // The log shows every stage of the run (the progress callback).
    const logText = (await page.textContent('#log'))!;
    for (const stage of ['simulating mumu', 'training the MLP', 'scanning 8960 windows', 'limits: window 0', 'look-elsewhere: pseudo-experiment 0']) expect(logText).toContain(stage);
    // Summary: which backend ran, the most significant window (the injected point) and the global p.
    expect(await page.textContent('#demo-backend')).toBe('webgpu');
    const g = ref.json.global;
    expect(await page.textContent('#demo-global')).toContain(`p = ${g.p_global.toFixed(3)}`);
    const summary = (await page.textContent('#demo-summary'))!;
    expect(summary).toContain(`M_μμ = ${g.m_mumu_GeV.toFixed(3)} GeV`);
    expect(Math.abs(g.m_mumu_GeV - 4)).toBeLessThan(0.1);
    // The page's report files are Node's (the SVG notes name the backend, hence 'cpu' -> 'webgpu').
    const names: string[] = await inPage(async () => (globalThis as any).darkscan.demoFiles(), null);
    expect(names).toEqual([...ref.files.keys()]);
    for (const n of names.filter((x) => x.endsWith('.yaml'))) expect(await inPage(async (x) => (globalThis as any).darkscan.demoFile(x), n), n).toBe(ref.files.get(n));
    expect(await inPage(async () => (globalThis as any).darkscan.demoFile('map_local_z.svg'), null)).toBe(ref.files.get('map_local_z.svg')!.replace(', cpu<', ', webgpu<'));
    // Plots: the two maps and the Brazil plots per M_h' slice, non-blank on screen.
    const figs = page.locator('#demo-plots figure img');
    const svgNames = names.filter((x) => x.endsWith('.svg'));
    expect(await figs.count()).toBe(svgNames.length);
    expect(svgNames.filter((x) => x.startsWith('limit_sigma_mh_')).length).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < svgNames.length; i++) {
      const el = figs.nth(i);
      await el.scrollIntoViewIfNeeded();
      const s = pixelStats(await el.screenshot());
      const name = await el.getAttribute('alt');
      expect(s.width * s.height, `${name}: size`).toBeGreaterThan(200 * 150);
      expect(s.ink / (s.width * s.height), `${name}: share of non-white pixels`).toBeGreaterThan(0.03);
      expect(s.colours, `${name}: distinct colours`).toBeGreaterThan(name!.startsWith('map_') ? 12 : 6);
    }
    // Downloads: results.json, hepdata.yaml and the HEPData submission archive.
    const [dj] = await Promise.all([page.waitForEvent('download'), page.click('#demo-json')]);
    expect(dj.suggestedFilename()).toBe('results.json');
    const dl = JSON.parse(readFileSync((await dj.path())!, 'utf8'));
    expect(dl.windows).toEqual(ref.json.windows);
    const [dh] = await Promise.all([page.waitForEvent('download'), page.click('#demo-hepdata')]);
    expect(dh.suggestedFilename()).toBe('hepdata.yaml');
    expect(readFileSync((await dh.path())!, 'utf8')).toBe(ref.files.get('hepdata.yaml'));
    const [dz] = await Promise.all([page.waitForEvent('download'), page.click('#demo-zip')]);
    expect(dz.suggestedFilename()).toBe('hepdata-submission.zip');
    const zip = readZip(readFileSync((await dz.path())!));
    expect(zip['submission.yaml']).toBe(ref.files.get('hepdata.yaml'));
    for (const n of names.filter((x) => /^hepdata_mh_.*\.yaml$/.test(x))) expect(zip[n], n).toBe(ref.files.get(n));
    expect(pageErrors).toEqual([]);
  });

  for (const b of ['wasm', 'webgl2'] as const) {
    it(`runs on ${b === 'wasm' ? 'WASM workers' : 'WebGL2 (gpu.js, MLP on WASM workers)'}: results bit-identical to Node`, async () => {
      const t0 = performance.now();
      const run = await inPage((a) => (globalThis as any).darkscan.runDemo(a).catch((e: Error) => ({ error: e.message })), { backend: b, workers: 2, ...DEMO });
      console.log(`demo on ${b} in the browser: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      if ('error' in run) throw new Error(`${b}: ${run.error}`);
      expect(run.backend).toBe(b);
      const got = await demoResult();
      compare(got, b);
      if (b === 'webgl2') {
        // The window counts ran on WebGL2 (4 scans: data and 3 pseudo-experiments), the MLP on the fallback.
        expect(run.info.details.other_kernels_on).toBe('wasm');
        expect(run.info.details.items_computed.window_count).toBeGreaterThanOrEqual(4 * 8960);
      } else expect(run.info.details.workers).toBe(2);
      expect(await page.textContent('#status')).toMatch(/^done/);
      expect(pageErrors).toEqual([]);
    });
  }

  it('names a bad demo option', async () => {
    const e = await inPage((a) => (globalThis as any).darkscan.runDemo(a).then(() => null, (x: Error) => x.message), { backend: 'cpu', pseudoExperiments: -1 });
    expect(e).toMatch(/pseudoExperiments must be an integer/);
    await page.fill('#demo-bg', '');
    await page.click('#run-demo');
    await page.waitForFunction(() => /^error/.test(document.getElementById('status')!.textContent ?? ''));
    expect(await page.textContent('#status')).toMatch(/events per background.*expected an integer, got ''/);
    await page.fill('#demo-bg', '30000');
  });
});

describe('file input', () => {
  it('Stop aborts a long scan between blocks of windows (issue 21): the status says stopped within 2 s, no result kept', async () => {
    await page.selectOption('#backend', 'cpu');
    // 4e6 events: several seconds of scanning on the TypeScript backend even on a quiet machine, so
    // the Stop click (a round trip through playwright) lands mid-scan (1e6 finished first: 0.67 s).
    await page.fill('#events', '4000000');
    await page.click('#run-scan');
    // Stop as soon as the scan has started: the click is a task the page runs only between blocks of windows.
    await page.waitForFunction(() => !(document.getElementById('scan-stop') as HTMLButtonElement).disabled, undefined, { timeout: 60_000, polling: 20 });
    const t0 = performance.now();
    // A plain DOM click (a task of its own): playwright's click waits for animation frames, which a busy page does not give.
    await page.evaluate(() => (document.getElementById('scan-stop') as HTMLButtonElement).click());
    await page.waitForFunction(() => /^(done|error)/.test(document.getElementById('status')!.textContent ?? ''), undefined, { timeout: 60_000 });
    const seconds = (performance.now() - t0) / 1000;
    console.log(`page scan stopped ${seconds.toFixed(2)} s after Stop`);
    expect(await page.textContent('#status')).toMatch(/^error: stopped by the user/);
    expect(seconds).toBeLessThan(2);
    expect(await page.isEnabled('#scan-stop')).toBe(false);
    expect(await page.isEnabled('#run-scan')).toBe(true);
    await page.fill('#events', '8000');
    await page.selectOption('#backend', 'auto');
  }, 120_000);

  it('scans a CSV chosen in the file picker (1D M_mumu grid), naming a bad column in the error', async () => {
    const t = toySample(5, 3000);
    const csv = 'm_mumu_GeV,m_recoil_GeV\n' + Array.from(t.columns.m_mumu_GeV, (x, i) => `${x},${t.columns.m_recoil_GeV[i]}`).join('\n') + '\n';
    await page.check('input[name=source][value=file]');
    await page.selectOption('#grid', 'mumu-1d');
    await page.setInputFiles('#file', { name: 'toy.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('#run-scan');
    await page.waitForFunction(() => /^(done|error)/.test(document.getElementById('status')!.textContent ?? ''), undefined, { timeout: 60_000 });
    expect(await page.textContent('#status')).toMatch(/^done/);
    const doc = await inPage(async () => (globalThis as any).darkscan.lastDoc(), null);
    expect(doc.inputs.file).toBe('toy.csv');
    expect(doc.windows.reduce((a: number, w: any) => a + w.n, 0)).toBeGreaterThan(3000); // overlapping windows
    await page.setInputFiles('#file', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('m_mumu_GeV,m_recoil_GeV\n1,2\n-3,1\n') });
    await page.click('#run-scan');
    await page.waitForFunction(() => /^(done|error)/.test(document.getElementById('status')!.textContent ?? ''), undefined, { timeout: 60_000 });
    expect(await page.textContent('#status')).toMatch(/error: .*m_mumu_GeV.*row 1/);
    await page.check('input[name=source][value=toy]');
    await page.selectOption('#grid', 'dark-higgsstrahlung');
  });
});

describe('benchmark page', () => {
  it('runs the philox scenario on every browser backend and returns darkscan-bench/1 JSON', async () => {
    const bench = await ctx.newPage();
    await bench.goto(new URL('bench.html', server.url).href);
    await bench.waitForFunction(() => 'darkscanBench' in globalThis);
    const r = await bench.evaluate(() => (globalThis as any).darkscanBench.run({ scenario: 'philox', size: 1 << 14, reps: 3, warmup: 1 }));
    expect(r.schema).toBe('darkscan-bench/1');
    expect(typeof r.started).toBe('string');
    expect(r.environment.cross_origin_isolated).toBe(true);
    const labels = r.results.map((t: { backend: string }) => t.backend);
    expect(labels).toEqual(expect.arrayContaining(['cpu', 'wasm-scalar x1', 'wasm-simd x1', 'webgl2', ...(ALLOW_NO_WEBGPU ? [] : ['webgpu'])]));
    for (const t of r.results) {
      expect(t.scenario).toBe('philox4x32_10 16384 blocks');
      expect(t.median_s).toBeGreaterThan(0);
      expect(Number.isFinite(t.throughput_per_s)).toBe(true);
      expect(t.ratio_to_cpu).toBeGreaterThan(0);
      expect(t.amount).toBe(4 * (1 << 14));
    }
    const shown = JSON.parse((await bench.textContent('#json'))!);
    expect(shown).toEqual(r);
    await bench.close();
  });
});
