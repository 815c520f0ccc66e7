// The AssemblyScript side of a kernel's layout, generated from its desc at build time (build.mjs
// writes wasm/gen/<name>.ts) as host/wgsl.ts generates the WGSL prelude: so no offset in wasm/ is
// written by hand and neither side can drift from the host. build.mjs also writes the build's
// entry wasm/gen/index.ts from the registry (asIndex): a kernel is exported by being registered.
//   const P = changetype<Params>(params);   P.item_count, P.<param>        (kernels/types.ts order)
//   const B = changetype<Bufs>(bufs);       B.in_<input>, B.out_<output>   (pointers)
//   <IN|OUT>_<NAME>_STRIDE                   bytes per item (perItem) or per record (record)
//   <CONSTANT>: u32                          desc.constants (layout offsets of a packed input)
import { HEADER_WORDS, layoutConstants, paramWords, type KernelDesc } from './types.js';

const HEADER = ['item_offset', 'item_count', 'opaque_zero', 'reserved'];

export function asLayout(desc: KernelDesc): string {
  if (HEADER.length !== HEADER_WORDS) throw new Error('aslayout: header out of step with kernels/types.ts');
  const doc = (d?: string) => (d ? ` // ${d.replace(/\s+/g, ' ')}` : '');
  const pad = Array.from({ length: paramWords(desc) - HEADER_WORDS - desc.params.length }, (_, i) => `  _pad${i}: u32;`);
  const bufs = [
    ...desc.inputs.map((s) => ({ field: `in_${s.name}`, words: s.perItem ?? s.record, doc: s.doc })),
    ...desc.outputs.map((s) => ({ field: `out_${s.name}`, words: s.perItem as number | undefined, doc: s.doc })),
  ];
  return [
    `// Generated from kernels/${desc.name}/desc.ts by build.mjs (kernels/aslayout.ts): do not edit.`,
    '',
    `/** Kernel '${desc.name}' params block: changetype<Params>(params). */`,
    '// @ts-ignore: decorator',
    '@unmanaged export class Params {',
    ...HEADER.map((h) => `  ${h}: u32;`),
    ...desc.params.map((p) => `  ${p.name}: ${p.type};${doc(p.doc)}`),
    ...pad,
    '}',
    '',
    `/** Kernel '${desc.name}' buffer table (inputs, then outputs): changetype<Bufs>(bufs). */`,
    '// @ts-ignore: decorator',
    '@unmanaged export class Bufs {',
    ...bufs.map((b) => `  ${b.field}: usize;${doc(b.doc)}`),
    '}',
    '',
    ...bufs.filter((b) => b.words !== undefined).map((b) => `export const ${b.field.toUpperCase()}_STRIDE: usize = ${4 * b.words!};`),
    ...layoutConstants(desc).map(([k, v]) => `export const ${k}: u32 = ${v};`),
    '',
  ].join('\n');
}

/** The AssemblyScript entry: `export { <name> } from '../<name>'` for every registered kernel. */
export function asIndex(descs: readonly KernelDesc[]): string {
  return [
    '// Generated from kernels/index.ts by build.mjs (kernels/aslayout.ts): do not edit.',
    '// The AssemblyScript build exports one function per registered kernel: wasm/<name>.ts `<name>`.',
    ...descs.map((d) => `export { ${d.name} } from '../${d.name}';`),
    '',
  ].join('\n');
}
