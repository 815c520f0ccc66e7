import type { KernelDesc } from '../kernels/types.js';
import { layoutConstants, paramWords, HEADER_WORDS } from '../kernels/types.js';

/**
 * The WGSL declarations a kernel's source relies on, generated from its desc so that the
 * shader's layout cannot drift from the host's: the params struct `P`, one binding per input
 * (`in_<name>`) and output (`out_<name>`), their strides `IN_<NAME>_STRIDE` / `OUT_<NAME>_STRIDE`
 * (elements per item, or per record of a shared input), the desc's layout constants (`const NAME: u32`),
 * the workgroup size `WG` and `item_index`.
 */
export function wgslPrelude(desc: KernelDesc): string {
  const fields = ['item_offset: u32', 'item_count: u32', 'opaque_zero: u32', 'reserved: u32', ...desc.params.map((p) => `${p.name}: ${p.type}`)];
  for (let i = HEADER_WORDS + desc.params.length; i < paramWords(desc); i++) fields.push(`_pad${i}: u32`);
  const lines = [`struct Params {\n${fields.map((f) => `  ${f},`).join('\n')}\n}`];
  lines.push('@group(0) @binding(0) var<uniform> P: Params;');
  let b = 1;
  for (const s of desc.inputs) lines.push(`@group(0) @binding(${b++}) var<storage, read> in_${s.name}: array<${s.type}>;`);
  for (const s of desc.outputs) lines.push(`@group(0) @binding(${b++}) var<storage, read_write> out_${s.name}: array<${s.type}>;`);
  // Strides in array elements (words) of per-item buffers and of shared inputs read by record.
  for (const s of desc.inputs) if ((s.perItem ?? s.record) !== undefined) lines.push(`const IN_${s.name.toUpperCase()}_STRIDE: u32 = ${s.perItem ?? s.record}u;`);
  for (const s of desc.outputs) if (s.perItem !== undefined) lines.push(`const OUT_${s.name.toUpperCase()}_STRIDE: u32 = ${s.perItem}u;`);
  for (const [k, v] of layoutConstants(desc)) lines.push(`const ${k}: u32 = ${v}u;`);
  lines.push(`override WG: u32 = ${desc.workgroupSize}u;`);
  lines.push('// Dispatches wider than maxComputeWorkgroupsPerDimension use a second dimension.');
  lines.push('fn item_index(gid: vec3<u32>, nwg: vec3<u32>) -> u32 { return gid.x + gid.y * nwg.x * WG; }');
  lines.push('// A product passed through opaque() cannot be contracted into an FMA by any compiler.');
  lines.push('fn opaque(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) ^ P.opaque_zero); }');
  return lines.join('\n') + '\n';
}

export function wgslSource(desc: KernelDesc): string {
  return [wgslPrelude(desc), ...(desc.wgslLibs ?? []), desc.wgsl].join('\n');
}
