// One name per kernel: its folder kernels/<name>/, desc.name, its WGSL entry file, its
// AssemblyScript twin wasm/<name>.ts and that file's export (in both wasm builds), and no
// hand-written param offset, buffer slot or record stride in wasm/ (they come from wasm/gen/).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KERNELS } from '../kernels/index.js';
import { asIndex, asLayout } from '../kernels/aslayout.js';

const root = new URL('../', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), 'utf8');
const has = (p: string) => existsSync(new URL(p, root));
const wasmExports = (flavor: string) =>
  WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(new URL(`dist/darkscan-${flavor}.wasm`, root)))).map((e) => e.name);

describe('one name per kernel', () => {
  for (const desc of KERNELS) {
    const k = desc.name;
    it(`${k}: folder, wgsl, ref, cases, wasm file and its export in both builds`, async () => {
      for (const f of [`kernels/${k}/desc.ts`, `kernels/${k}/${k}.wgsl`, `kernels/${k}/ref.ts`, `kernels/${k}/cases.ts`, `wasm/${k}.ts`]) expect(has(f), f).toBe(true);
      const mod = (await import(`../kernels/${k}/desc.ts`)) as Record<string, unknown>;
      expect(Object.values(mod), `kernels/${k}/desc.ts exports the registered desc`).toContain(desc);
      expect(read(`wasm/${k}.ts`)).toContain(`export function ${k}(params: usize, bufs: usize): void {`);
      for (const flavor of ['simd', 'scalar']) expect(wasmExports(flavor), `dist/darkscan-${flavor}.wasm`).toContain(k);
      // A WebGL2 version (optional) keeps its GLSL beside the kernel: kernels/<k>/<k>.glsl.
      if (desc.webgl2?.glsl !== undefined) expect(desc.webgl2.glsl).toBe(read(`kernels/${k}/${k}.glsl`));
      else expect(has(`kernels/${k}/${k}.glsl`), `kernels/${k}/${k}.glsl without desc.webgl2`).toBe(false);
    });
  }
  it('every kernel folder and every wasm kernel file is registered', () => {
    const names = KERNELS.map((d) => d.name).sort();
    const folders = readdirSync(new URL('kernels/', root), { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'lib').map((d) => d.name);
    expect(folders.sort()).toEqual(names);
    const files = readdirSync(new URL('wasm/', root)).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
    expect(files.sort()).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('AssemblyScript layouts are generated, not written', () => {
  it('wasm/gen/<name>.ts is what kernels/aslayout.ts makes of the desc (build.mjs wrote it)', () => {
    for (const desc of KERNELS) expect(read(`wasm/gen/${desc.name}.ts`), desc.name).toBe(asLayout(desc));
    expect(read('wasm/gen/index.ts'), 'the entry exports every registered kernel').toBe(asIndex(KERNELS));
  });
  it('no kernel or library in wasm/ reads params or the buffer table by a literal offset', () => {
    const srcs = [...readdirSync(new URL('wasm/', root)).filter((f) => f.endsWith('.ts')), ...readdirSync(new URL('wasm/lib/', root)).map((f) => `lib/${f}`)];
    for (const f of srcs) {
      const s = read(`wasm/${f}`);
      expect(s, `wasm/${f}`).not.toMatch(/load<\w+>\((params|bufs)\b/);
      expect(s, `wasm/${f}`).not.toMatch(/\b(params|bufs)\s*\+/);
    }
  });
  it('params fields follow the header and the desc order, padded to 4 words', () => {
    const src = asLayout(KERNELS.find((d) => d.name === 'window_count')!);
    const fields = [...src.slice(src.indexOf('class Params'), src.indexOf('class Bufs')).matchAll(/^ {2}(\w+): (\w+);/gm)].map((m) => m[1]);
    expect(fields).toEqual(['item_offset', 'item_count', 'opaque_zero', 'reserved', 'nx', 'weighted', '_pad0', '_pad1']);
    expect(src).toContain('export const IN_WIN_STRIDE: usize = 32;');
    expect(src).toContain('export const OUT_SUMS_STRIDE: usize = 24;');
  });
});

describe('conformance cases stay out of what ships', () => {
  // The bundles' source maps list every module bundled in (node build.mjs wrote them).
  const bundles = ['dist/cli.js', ...readdirSync(new URL('dist/web/js/', root)).filter((f) => f.endsWith('.js')).map((f) => `dist/web/js/${f}`)];
  for (const b of bundles) {
    it(`${b} bundles no kernels/*/cases.ts`, () => {
      const sources = (JSON.parse(read(`${b}.map`)) as { sources: string[] }).sources;
      expect(sources.some((s) => s.endsWith('kernels/window_count/desc.ts')), 'the map lists the kernels').toBe(true);
      expect(sources.filter((s) => /kernels\/\w+\/cases\.ts$/.test(s))).toEqual([]);
    });
  }
});
