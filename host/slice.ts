import type { KernelArgs, KernelDesc, KernelOutputs } from '../kernels/types.js';
import { allocOutputs } from './backend.js';

type Arr = NonNullable<KernelArgs['inputs']>[string];

/** The args of items [a, b) of a run: per-item inputs sliced, item offset moved. */
export function sliceArgs(desc: KernelDesc, args: KernelArgs, a: number, b: number): KernelArgs {
  const inputs: Record<string, Arr> = {};
  for (const s of desc.inputs) {
    const arr = args.inputs?.[s.name];
    if (!arr) continue;
    inputs[s.name] = s.perItem === undefined ? arr : ((arr as unknown as Uint32Array).subarray(a * s.perItem, b * s.perItem) as Arr);
  }
  return { ...args, count: b - a, itemOffset: (args.itemOffset ?? 0) + a, inputs };
}

/** Puts the outputs of items [a, b) in place in the outputs of the whole run (scatter targets: OR, their slots are disjoint). */
export function placeOutputs(desc: KernelDesc, whole: KernelOutputs, part: KernelOutputs, a: number): void {
  for (const o of desc.outputs) {
    if (o.length === undefined) {
      whole[o.name].set(part[o.name], a * o.perItem!);
    } else {
      const w = whole[o.name], p = part[o.name];
      for (let i = 0; i < p.length; i++) w[i] |= p[i];
    }
  }
}

export { allocOutputs };
