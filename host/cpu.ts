import type { KernelArgs, KernelDesc, KernelOutputs } from '../kernels/types.js';
import { inputWords, packParams, validateArgs } from '../kernels/types.js';
import { allocOutputs, type Backend, type BackendInfo } from './backend.js';

/** The TypeScript reference: every other backend is compared against these bits. */
export class CpuBackend implements Backend {
  readonly name = 'cpu' as const;

  async run(desc: KernelDesc, args: KernelArgs): Promise<KernelOutputs> {
    return runReference(desc, args);
  }

  info(): BackendInfo {
    return { name: 'cpu', available: true, details: { implementation: 'TypeScript reference (Math.fround, Math.imul)', threads: 1 } };
  }

  async dispose(): Promise<void> {}
}

export function runReference(desc: KernelDesc, args: KernelArgs): KernelOutputs {
  validateArgs(desc, args);
  const inputs = inputWords(desc, args);
  const outputs = allocOutputs(desc, args.count, args.params);
  if (args.count > 0) {
    desc.ref(packParams(desc, args, args.itemOffset ?? 0, args.count), inputs, desc.outputs.map((o) => outputs[o.name]));
  }
  return outputs;
}
