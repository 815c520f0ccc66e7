// One name per kernel: its folder kernels/<name>/, desc.name, its WGSL entry file, its
// AssemblyScript twin wasm/<name>.ts and that file's export (in both wasm builds), and no
// hand-written param offset, buffer slot or record stride in wasm/ (they come from wasm/gen/).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KERNELS } from '../kernels/index.js';
import { asIndex, asLayout } from '../kernels/aslayout.js';
import { MLP_CONSTANTS, MLP_H_TABLE, MLP_LAYER_WORDS } from '../kernels/mlp/layout.js';
import { wgslPrelude } from '../host/wgsl.js';
import { FIT_CONSTANTS, MODEL_CONS_OFF, PARAM_WORDS } from '../kernels/fit/layout.js';
import { ACC_COUNT, ACC_HALF, LLP_SWEEP_CONSTANTS } from '../kernels/llp_sweep/layout.js';
import { DF32_CONSTANTS, DF_OUT_LT_AB } from '../kernels/df32/layout.js';

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

describe('packed layouts have one source (kernels/<k>/layout.ts or ref.ts: mlp, fit, toyfit, window_count, toys, llp_sweep, df32)', () => {
  // Each index expression that follows an opener, up to its matching bracket.
  const indexExprs = (src: string, opener: RegExp): string[] => {
    const out: string[] = [];
    for (const m of src.matchAll(opener)) {
      const open = src[m.index! + m[0].length - 1], close = open === '[' ? ']' : ')';
      let depth = 1, j = m.index! + m[0].length;
      for (; j < src.length && depth > 0; j++) depth += src[j] === open ? 1 : src[j] === close ? -1 : 0;
      out.push(src.slice(m.index! + m[0].length, j - 1));
    }
    return out;
  };
  // A literal in a word index is a hand-written offset; the only literal allowed is the factor of
  // n_in that steps over the input affine's sub / mul / add blocks.
  const literalOffsets = (exprs: string[]) =>
    exprs.filter((e) => /\b\d+u?\b/.test(e.replace(/\b\d+u?\s*\*\s*(m\.)?n_?[iI]n\b/g, '')));
  const sources: [string, RegExp][] = [
    ['kernels/mlp/mlp.wgsl', /(?<!fn )\b(in_net\[|netf\()/g],
    ['wasm/mlp.ts', /\b(netu|netf|neta)\(net,/g],
    ['kernels/mlp/ref.ts', /\bnet\[/g],
    ['kernels/mlp/layout.ts', /\b(net|out)\[/g],
    ['kernels/fit/fit.wgsl', /(?<!fn )\b(in_model\[|in_items\[|mf\()/g],
    ['wasm/fit.ts', /(?<!function )\b(mw\(|mf\(|itemWord\(it,)/g],
    ['kernels/fit/ref.ts', /\b(mw|mf|items|iv)\[/g],
    ['kernels/fit/fit_core.wgsl', /(?<!fn )\b(in_model\[|mf\()/g],
    ['kernels/toyfit/toyfit.wgsl', /(?<!fn )\b(in_model\[|in_sets\[|in_gen\[|mf\()/g],
    ['wasm/toyfit.ts', /(?<!function )\b(mw\(|mf\(|gen\(|word\(r,)/g],
    ['kernels/toyfit/ref.ts', /\b(mw|mf|sets|gen)\[/g],
    ['kernels/window_count/window_count.wgsl', /\b(in_win|out_sums)\[/g],
    ['wasm/window_count.ts', /(?<!function )\bword\(/g],
    ['kernels/window_count/ref.ts', /\b(win|out)\[/g],
    ['kernels/window_count/layout.ts', /\bout\[/g],
    ['kernels/toys/toys.wgsl', /\b(in_win|out_q)\[/g],
    ['wasm/toys.ts', /(?<!function )\bword\(/g],
    ['kernels/toys/ref.ts', /\b(win|out)\[/g],
    ['kernels/llp_sweep/llp_sweep.wgsl', /\b(in_grp_range|in_grp_win|in_life|out_acc)\[/g],
    ['wasm/llp_sweep.ts', /(?<!function )\b(word|lifeAt)\(/g],
    ['kernels/llp_sweep/ref.ts', /(?<!function )\b(range\[|win\[|life\[|out\[|acc\[|x\[|add96\()/g],
    ['kernels/llp_sweep/desc.ts', /\b(t|acc)\[/g],
    ['kernels/llp_sweep/cases.ts', /\b(range|win)\[/g],
    ['engine/llp/sweep.ts', /\b(range|win|acc|life|r|w)\[/g],
    ['kernels/df32/df32.wgsl', /\b(in_ab|out_r)\[/g],
    ['wasm/df32.ts', /(?<!function )\bword\(/g],
    ['kernels/df32/ref.ts', /\b(ab|out)\[/g],
    ['kernels/df32/cases.ts', /\bab\[/g],
  ];
  for (const [f, opener] of sources) {
    it(`${f} reads and writes packed words by named offsets only`, () => {
      const exprs = indexExprs(read(f), opener);
      expect(exprs.length, `${f}: the packed input is read somewhere`).toBeGreaterThan(3);
      expect(literalOffsets(exprs), f).toEqual([]);
    });
  }
  it('the fit twins step through records by named sizes', () => {
    expect(read('wasm/fit.ts'), 'items are read through itemWord()').not.toMatch(/load<\w+>\(it\b/);
    for (const f of ['kernels/fit/fit.wgsl', 'kernels/fit/fit_core.wgsl', 'wasm/fit.ts', 'kernels/fit/ref.ts']) expect(read(f), f).not.toMatch(/\bw\s*(\+=\s*\d|=\s*w\s*\+\s*\d|\+\+)/);
  });
  it('wasm/window_count.ts reads windows and writes sums through word()', () => {
    expect(read('wasm/window_count.ts')).not.toMatch(/\b(load<\w+>\(o\b|store<\w+>\(p\b)/);
  });
  it('wasm/toys.ts reads windows through word()', () => {
    expect(read('wasm/toys.ts')).not.toMatch(/\bload<\w+>\(wp\b/);
  });
  it('wasm/llp_sweep.ts and wasm/df32.ts address records only through word() and lifeAt()', () => {
    expect(read('wasm/llp_sweep.ts')).not.toMatch(/\b(load<\w+>|v128\.load)\((rp|wp|lp|life)\b|\b(store<\w+>|storeT4)\(o\b/);
    expect(read('wasm/df32.ts')).not.toMatch(/\b(load|store)<\w+>\((p|o)\b/);
  });
  it('the llp_sweep and df32 descs carry their layout constants', () => {
    const llp = KERNELS.find((d) => d.name === 'llp_sweep')!, df = KERNELS.find((d) => d.name === 'df32')!;
    expect(llp.constants).toEqual(LLP_SWEEP_CONSTANTS);
    expect(df.constants).toEqual(DF32_CONSTANTS);
    expect(wgslPrelude(llp)).toContain(`const ACC_COUNT: u32 = ${ACC_COUNT}u;`);
    expect(asLayout(llp)).toContain(`export const ACC_HALF: u32 = ${ACC_HALF};`);
    expect(wgslPrelude(df)).toContain(`const DF_OUT_LT_AB: u32 = ${DF_OUT_LT_AB}u;`);
  });
  it('wasm/mlp.ts addresses the net only through neta()', () => {
    expect(read('wasm/mlp.ts').match(/\bnet\s*\+/g)).toHaveLength(1);
  });
  it('the check sees an offset spelled by hand', () => {
    expect(literalOffsets(indexExprs('let n = in_net[1]; let a = netf(t + 3u); let x = netf(MLP_HEADER_WORDS + 2u * n_in + i);', sources[0][1]))).toEqual(['1', 't + 3u']);
  });
  it('the desc carries the layout constants into the WGSL prelude and wasm/gen/mlp.ts', () => {
    const mlp = KERNELS.find((d) => d.name === 'mlp')!;
    expect(mlp.constants).toEqual(MLP_CONSTANTS);
    expect(wgslPrelude(mlp)).toContain(`const MLP_H_TABLE: u32 = ${MLP_H_TABLE}u;`);
    expect(asLayout(mlp)).toContain(`export const MLP_LAYER_WORDS: u32 = ${MLP_LAYER_WORDS};`);
  });
  it('the fit desc carries its layout constants', () => {
    const fit = KERNELS.find((d) => d.name === 'fit')!;
    expect(fit.constants).toEqual(FIT_CONSTANTS);
    expect(wgslPrelude(fit)).toContain(`const MODEL_CONS_OFF: u32 = ${MODEL_CONS_OFF}u;`);
    expect(asLayout(fit)).toContain(`export const PARAM_WORDS: u32 = ${PARAM_WORDS};`);
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
