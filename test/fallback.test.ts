// Fault injection: the WebGPU device is lost in the middle of a run; the failed chunk and the rest
// are rerun on WASM, the result is the reference's bits, and the record says who computed what.
import { describe, expect, it } from 'vitest';
import { philox } from '../kernels/philox/desc.js';
import { FallbackBackend, GpuError, WasmBackend, WebGPUBackend, runReference, type Backend } from '../host/index.js';
import type { KernelArgs, KernelDesc } from '../kernels/types.js';
import { ALLOW_NO_WEBGPU } from './backends.js';

const args: KernelArgs = { count: 10_000, params: { key0: 9, key1: 8, ctr0: 7, ctr1: 6, ctr2: 5, ctr3: 4, format: 1 } };

/** Passes calls through to a real backend and injects a fault before call `at`. */
function faulty(inner: Backend, at: number, fault: (inner: Backend) => void): Backend {
  let calls = 0;
  return {
    name: inner.name,
    info: () => inner.info(),
    dispose: () => inner.dispose(),
    async run(desc: KernelDesc, a: KernelArgs) {
      if (calls++ === at) fault(inner);
      return inner.run(desc, a);
    },
  };
}

describe('fallback to WASM', () => {
  it('an out-of-memory error on chunk 3 moves chunks 3.. to WASM with the same bits', async () => {
    const cpuLike = await WasmBackend.create({ workers: 1 }); // stands in for a primary that fails
    const primary = faulty(cpuLike, 2, () => {
      throw new GpuError('out-of-memory', 'injected');
    });
    const fb = new FallbackBackend(primary, () => WasmBackend.create({ workers: 2, minItemsPerWorker: 1 }), { chunkItems: 3000 });
    const out = await fb.run(philox, args);
    expect(Array.from(out.words)).toEqual(Array.from(runReference(philox, args).words));
    expect(fb.records.map((r) => [r.backend, r.item_offset, r.items, !!r.fault])).toEqual([
      ['wasm', 0, 3000, false], ['wasm', 3000, 3000, false], ['wasm', 6000, 3000, true], ['wasm', 9000, 1000, false],
    ]);
    await fb.dispose();
  });

  it('other errors are not swallowed', async () => {
    const inner = await WasmBackend.create({ workers: 1 });
    const primary = faulty(inner, 0, () => {
      throw new GpuError('validation', 'a bug, not a fault');
    });
    const fb = new FallbackBackend(primary, () => WasmBackend.create({ workers: 1 }), { chunkItems: 3000 });
    await expect(fb.run(philox, args)).rejects.toThrow(/a bug/);
    await fb.dispose();
  });

  it.runIf(!ALLOW_NO_WEBGPU)('a real device loss mid-run (WebGPU) is survived', async () => {
    const gpu = await WebGPUBackend.create();
    const primary = Object.assign(faulty(gpu, 1, () => gpu.destroyDeviceForTesting()), { chunkItems: () => 4000 });
    const faults: string[] = [];
    const fb = new FallbackBackend(primary, () => WasmBackend.create({ workers: 2, minItemsPerWorker: 1 }), { onFault: (e) => faults.push(e.message) });
    const out = await fb.run(philox, args);
    expect(Array.from(out.words)).toEqual(Array.from(runReference(philox, args).words));
    expect(fb.records.map((r) => r.backend)).toEqual(['webgpu', 'wasm', 'wasm']);
    expect(fb.itemsByBackend()).toEqual({ webgpu: 4000, wasm: args.count - 4000 });
    expect(faults[0]).toMatch(/device lost/);
    expect(fb.info().details).toMatchObject({ primary: 'webgpu', failed_over: true });
    await fb.dispose();
  });
});

describe('cancellation', () => {
  it('an aborted signal stops a run between chunks, on every backend', async () => {
    const ac = new AbortController();
    ac.abort(new Error('user cancelled'));
    const wasm = await WasmBackend.create({ workers: 1 });
    await expect(wasm.run(philox, { ...args, signal: ac.signal })).rejects.toThrow(/user cancelled/);
    const chunks: number[] = [];
    const live = new AbortController();
    const spy: Backend = {
      name: 'wasm', info: () => wasm.info(), dispose: async () => {},
      run: async (d, a) => {
        chunks.push(a.itemOffset ?? 0);
        if (chunks.length === 2) live.abort(new Error('stop after two chunks'));
        return wasm.run(d, { ...a, signal: undefined });
      },
    };
    const fb = new FallbackBackend(spy, () => WasmBackend.create({ workers: 1 }), { chunkItems: 1000 });
    await expect(fb.run(philox, { ...args, signal: live.signal })).rejects.toThrow(/stop after two chunks/);
    expect(chunks).toEqual([0, 1000]);
    if (!ALLOW_NO_WEBGPU) {
      const gpu = await WebGPUBackend.create();
      await expect(gpu.run(philox, { ...args, signal: ac.signal })).rejects.toThrow(/user cancelled/);
    }
    await wasm.dispose();
  });
});
