// The conformance cases of a kernel live in kernels/<name>/cases.ts, beside its desc but imported
// only from tests (so they never ship in dist/): this finds them by the kernel's one name.
import type { ConformanceCase, KernelDesc } from '../kernels/types.js';

export async function kernelCases(desc: KernelDesc): Promise<ConformanceCase[]> {
  const mod = (await import(`../kernels/${desc.name}/cases.ts`)) as { cases?: () => ConformanceCase[] };
  if (typeof mod.cases !== 'function') throw new Error(`kernels/${desc.name}/cases.ts exports no cases()`);
  return mod.cases();
}
