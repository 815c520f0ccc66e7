// Backend selection, argument validation, WebGPU limits / errors / device loss.
// (Device loss destroys this process's device: vitest runs each file in its own process.)
import { afterAll, describe, expect, it } from 'vitest';
import { philox } from '../kernels/philox/desc.js';
import type { KernelDesc } from '../kernels/types.js';
import { BACKEND_ENV, DeviceLostError, GpuError, WebGPUBackend, createBackend, pickAuto, probeBackends, runReference, selectBackend, softwareAdapter, splitRange, type Backend, type BackendInfo } from '../host/index.js';
import { ALLOW_NO_WEBGPU } from './backends.js';

const params = { key0: 1, key1: 2, ctr0: 3, ctr1: 4, ctr2: 5, ctr3: 6, format: 0 };
const opened: Backend[] = [];
afterAll(async () => {
  for (const b of opened) await b.dispose();
});

describe('selection', () => {
  it('auto passes over a software WebGPU adapter (SwiftShader here) for wasm; --backend webgpu still takes it', async () => {
    const old = process.env[BACKEND_ENV];
    delete process.env[BACKEND_ENV];
    try {
      const b = await selectBackend({ wasm: { workers: 1 } });
      opened.push(b);
      const infos = await probeBackends({ wasm: { workers: 1 } });
      const gpu = infos.find((i) => i.name === 'webgpu')!;
      if (!ALLOW_NO_WEBGPU) {
        expect(gpu.available, 'this machine has a WebGPU adapter').toBe(true);
        console.log(`webgpu adapter here: ${JSON.stringify(gpu.details.description)}; auto picks ${b.name}: ${pickAuto(infos).reason}`);
      }
      // The rule, whatever the machine: a real GPU wins, a software adapter loses to wasm.
      const expected = gpu.available && !softwareAdapter(gpu.details) ? 'webgpu' : 'wasm';
      expect(b.name).toBe(expected);
      expect(pickAuto(infos).backend).toBe(expected);
      if (gpu.available && softwareAdapter(gpu.details)) {
        const w = await selectBackend({ backend: 'webgpu' });
        opened.push(w);
        expect(w.name).toBe('webgpu');
        expect(w.info().details.description).toBe(gpu.details.description);
      }
    } finally {
      if (old !== undefined) process.env[BACKEND_ENV] = old;
    }
  });
  it('auto rule on adapter infos: fallback flag or SwiftShader / llvmpipe / lavapipe lose to wasm, a real GPU wins', () => {
    const gpu = (details: Record<string, unknown>): BackendInfo => ({ name: 'webgpu', available: true, details });
    const wasm: BackendInfo = { name: 'wasm', available: true, details: { build: 'simd' } };
    const cpu: BackendInfo = { name: 'cpu', available: true, details: {} };
    const soft = [
      { vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0', isFallbackAdapter: true },
      { vendor: 'google', architecture: '', device: '', description: 'SwiftShader Device (Subzero)', isFallbackAdapter: false },
      { vendor: 'mesa', architecture: '', device: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)', isFallbackAdapter: false },
      { vendor: 'mesa', architecture: '', device: '', description: 'lavapipe', isFallbackAdapter: false },
      { vendor: 'nvidia', architecture: 'ampere', device: '', description: 'NVIDIA A100', isFallbackAdapter: true },
    ];
    for (const d of soft) {
      expect(softwareAdapter(d), JSON.stringify(d)).toBeDefined();
      const p = pickAuto([gpu(d), wasm, cpu]);
      expect(p.backend).toBe('wasm');
      expect(p.reason).toMatch(/not webgpu: a software adapter.*--backend webgpu/);
    }
    const real = [
      { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H200', isFallbackAdapter: false },
      { vendor: 'amd', architecture: 'rdna-3', device: '', description: 'AMD Radeon RX 7900 XTX (RADV NAVI31)' },
      { vendor: 'intel', architecture: 'gen-12lp', device: '', description: '' },
    ];
    for (const d of real) {
      expect(softwareAdapter(d), JSON.stringify(d)).toBeUndefined();
      expect(pickAuto([gpu(d), wasm, cpu]).backend).toBe('webgpu');
    }
    // A software adapter and no wasm: the TypeScript reference (also faster than SwiftShader here).
    expect(pickAuto([gpu(soft[0]), { name: 'wasm', available: false, reason: 'no WebAssembly', details: {} }, cpu])).toEqual({
      backend: 'cpu',
      reason: expect.stringMatching(/^the TypeScript reference; not webgpu: .*; not wasm: no WebAssembly$/),
    });
    expect(pickAuto([{ name: 'webgpu', available: false, reason: 'no adapter found', details: {} }, wasm, cpu]).reason).toBe('WebAssembly; not webgpu: no adapter found');
  });
  it('the environment variable overrides auto, the option overrides the variable', async () => {
    const old = process.env[BACKEND_ENV];
    process.env[BACKEND_ENV] = 'cpu';
    try {
      const a = await selectBackend();
      expect(a.name).toBe('cpu');
      const b = await selectBackend({ backend: 'wasm', wasm: { workers: 1 } });
      opened.push(b);
      expect(b.name).toBe('wasm');
      process.env[BACKEND_ENV] = 'gpu';
      await expect(selectBackend()).rejects.toThrow(/DARKSCAN_BACKEND: unknown backend 'gpu'/);
    } finally {
      if (old === undefined) delete process.env[BACKEND_ENV];
      else process.env[BACKEND_ENV] = old;
    }
  });
});

describe('arguments', () => {
  it('missing, unknown and out-of-range params are errors naming them', () => {
    expect(() => runReference(philox, { count: 1, params: { ...params, key0: undefined as unknown as number } })).toThrow(/missing param 'key0'/);
    expect(() => runReference(philox, { count: 1, params: { ...params, bogus: 1 } })).toThrow(/unknown param 'bogus'/);
    expect(() => runReference(philox, { count: 1, params: { ...params, key0: 2 ** 32 } })).toThrow(/out of range/);
    expect(() => runReference(philox, { count: -1, params })).toThrow(/bad count/);
    expect(() => runReference(philox, { count: 10, itemOffset: 2 ** 32 - 5, params })).toThrow(/exceeds u32/);
  });
  it('splitRange covers the range exactly, in order', () => {
    for (const [n, parts, min] of [[10, 3, 1], [5, 8, 1], [1000, 4, 300], [0, 2, 1], [7, 1, 1]]) {
      const r = splitRange(n, parts, min);
      expect(r.reduce((s, [a, b]) => s + b - a, 0)).toBe(n);
      r.forEach(([a, b], i) => {
        expect(b).toBeGreaterThan(a);
        if (i > 0) expect(a).toBe(r[i - 1][1]);
      });
    }
  });
});

describe.runIf(!ALLOW_NO_WEBGPU)('webgpu', () => {
  it('chunks by the adapter limit, or the cap given', async () => {
    const g = await WebGPUBackend.create();
    const L = g.device.limits;
    expect(g.chunkItems(philox)).toBe(Math.floor(Math.min(L.maxStorageBufferBindingSize, L.maxBufferSize) / 16));
    const capped = await WebGPUBackend.create({ maxChunkItems: 100 });
    expect(capped.chunkItems(philox)).toBe(100);
    expect(capped.device).toBe(g.device); // one device per process
  });
  it('a shader that does not compile is a GpuError with the compiler message', async () => {
    const g = await WebGPUBackend.create();
    const broken: KernelDesc = { ...philox, name: 'broken', wgsl: philox.wgsl.replace('philox4x32_10(ctr', 'no_such_fn(ctr') };
    await expect(g.run(broken, { count: 4, params })).rejects.toThrow(GpuError);
    await expect(g.run(broken, { count: 4, params })).rejects.toThrow(/no_such_fn/);
  });
  it('device loss is detected and reported, and a new device can be had', async () => {
    const g = await WebGPUBackend.create();
    g.destroyDeviceForTesting();
    await new Promise((r) => setTimeout(r, 50));
    await expect(g.run(philox, { count: 4, params })).rejects.toThrow(DeviceLostError);
    expect(g.info().available).toBe(false);
    expect(g.info().reason).toMatch(/device lost/);
    const fresh = await createBackend('webgpu');
    const out = await fresh.run(philox, { count: 4, params });
    expect(Array.from(out.words)).toEqual(Array.from(runReference(philox, { count: 4, params }).words));
  });
});

describe.runIf(!ALLOW_NO_WEBGPU)('webgpu resident inputs', () => {
  it('a model (reuse input) is uploaded once and reused by later runs; other shared inputs every run', async () => {
    const { mlp } = await import('../kernels/mlp/desc.js');
    const { cases: mlpCases } = await import('../kernels/mlp/cases.js');
    const c = mlpCases().find((k) => k.name.includes('n=5003'))!;
    const g = await WebGPUBackend.create();
    const before = g.info().details as { shared_uploads: number; shared_reused: number };
    const a = await g.run(mlp, c.args);
    const b = await g.run(mlp, c.args);
    const after = g.info().details as { shared_uploads: number; shared_reused: number };
    expect(after.shared_reused - before.shared_reused).toBe(1); // net, second run
    expect(after.shared_uploads - before.shared_uploads).toBe(3); // net once, x twice
    expect(Array.from(b.score)).toEqual(Array.from(a.score));
    expect(Array.from(a.score)).toEqual(Array.from(runReference(mlp, c.args).score));
  });
});
