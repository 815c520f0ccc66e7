// Loading the AssemblyScript build: shared by the main thread and the pool's workers.

export type WasmFlavor = 'simd' | 'scalar';

// The smallest module that uses a v128 instruction (as in wasm-feature-detect).
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

export function wasmFeatures(): { simd: boolean; threads: boolean } {
  const simd = WebAssembly.validate(SIMD_PROBE);
  let threads = false;
  try {
    threads = typeof SharedArrayBuffer !== 'undefined' && new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    threads = false;
  }
  return { simd, threads };
}

export type KernelFn = (params: number, bufs: number) => void;

export function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): Record<string, KernelFn> {
  const inst = new WebAssembly.Instance(module, { env: { memory } });
  return inst.exports as unknown as Record<string, KernelFn>;
}
