// The conformance cases of the toys kernel (test/conformance.test.ts runs them on every backend).
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase, KernelArgs } from '../types.js';
import { testSizes, testWords } from '../testing.js';
import { TOY_KIND, WIN_WORDS } from './ref.js';
import { toys } from './desc.js';

const unit = (w: number) => (w >>> 8) / 16777216;

/** Random windows of one kind: s in [0.01, 50], b in 10^[-3, 4], relative sigma_b in [0.02, 1]. */
function windows(nw: number, kind: number, stream: number, scale?: { b?: number; rel?: number }): Float32Array {
  const r = testWords(nw * 6, stream);
  const out = new Float32Array(nw * WIN_WORDS);
  for (let i = 0; i < nw; i++) {
    const s = 0.01 + 50 * unit(r[6 * i]);
    const b = scale?.b ?? Math.pow(10, -3 + 7 * unit(r[6 * i + 1]));
    const rel = scale?.rel ?? 0.02 + 0.98 * unit(r[6 * i + 2]);
    const par = kind === TOY_KIND.gauss ? rel * b : kind === TOY_KIND.poisson ? 1 / (rel * rel) : kind === TOY_KIND.lognormal ? Math.log1p(rel) : 0;
    const th = (u: number) => (kind === TOY_KIND.poisson ? 0.5 + u : -2 + 4 * u);
    out.set([s, b, par, th(unit(r[6 * i + 3])), th(unit(r[6 * i + 4])), 0, 0, 0], i * WIN_WORDS);
  }
  return out;
}

function mk(count: number, toys: number, kind: number, stream: number, extra: Partial<KernelArgs> = {}, scale?: { b?: number; rel?: number }, toy0 = 0, stat = 0): KernelArgs {
  const off = extra.itemOffset ?? 0;
  const nw = Math.ceil((off + count) / toys);
  const r = testWords(4, stream + 7000);
  return {
    count, itemOffset: off,
    params: { key_sb0: r[0], key_sb1: r[1], key_b0: r[2], key_b1: r[3], toys, toy0, kind, stat },
    inputs: { win: windows(nw, kind, stream, scale) },
  };
}

export function cases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  const kinds = Object.entries(TOY_KIND);
  for (const [j, n] of testSizes(toys.workgroupSize).entries()) {
    for (const [name, kind] of kinds) {
      out.push({ name: `random windows, ${name}, n=${n}, 7 toys/window`, args: mk(n, 7, kind, 100 * kind + j) });
    }
  }
  // Edges: tiny b (n = 0 almost always), huge b (PTRS at 1e6, tau up to 1e6), one toy per window,
  // item offsets, toy0 wrapping around 2^32, windows past one GPU chunk.
  for (const [name, kind] of kinds) {
    out.push({ name: `tiny b 1e-6, ${name}`, args: mk(300, 3, kind, 500 + kind, {}, { b: 1e-6, rel: 0.5 }) });
    out.push({ name: `huge b 1e6, ${name}`, args: mk(257, 5, kind, 510 + kind, {}, { b: 1e6, rel: 0.001 }) });
    out.push({ name: `b = 30 (PTRS), 1 toy/window, offset 13, ${name}`, args: mk(1100, 1, kind, 520 + kind, { itemOffset: 13 }, { b: 30 }) });
    out.push({ name: `q_0 (discovery), ${name}`, args: mk(700, 9, kind, 540 + kind, {}, undefined, 0, 1) });
    out.push({ name: `toy0 wraps 2^32, ${name}`, args: mk(1500, 11, kind, 530 + kind, {}, undefined, 0xfffffffa) });
  }
  return out;
}
