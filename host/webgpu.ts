import type { KernelArgs, KernelDesc, KernelOutputs } from '../kernels/types.js';
import { inputWords, packParams, validateArgs } from '../kernels/types.js';
import { allocOutputs, BackendUnavailableError, type Backend, type BackendInfo } from './backend.js';
import { wgslSource } from './wgsl.js';

export interface WebGPUOptions {
  /** Cap on items per dispatch (tests use it to cross chunk boundaries on small inputs). */
  readonly maxChunkItems?: number;
  readonly powerPreference?: GPUPowerPreference;
}

export class DeviceLostError extends Error {
  constructor(readonly reason: string, message: string) {
    super(`WebGPU device lost (${reason}): ${message}`);
    this.name = 'DeviceLostError';
  }
}

export class GpuError extends Error {
  constructor(readonly kind: string, message: string) {
    super(`WebGPU ${kind} error: ${message}`);
    this.name = 'GpuError';
  }
}

interface GpuHandle {
  gpu: GPU;
  adapter: GPUAdapter;
  device: GPUDevice;
}

// Dawn's `create()` result must stay referenced for the process lifetime (it crashes at GC
// otherwise), and the engine keeps one device per process.
let handle: Promise<GpuHandle> | undefined;
let keepAlive: unknown;

async function nodeGpu(): Promise<GPU> {
  // SwiftShader (from Debian's chromium) is added to the Vulkan drivers the loader finds, not
  // put in their place: a real GPU, where present, is still listed and preferred.
  const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
  const env = process.env;
  const fs = await import('node:fs');
  if (!env.VK_ICD_FILENAMES && !env.VK_DRIVER_FILES && fs.existsSync(swiftshader)) {
    env.VK_ADD_DRIVER_FILES = env.VK_ADD_DRIVER_FILES ? `${env.VK_ADD_DRIVER_FILES}:${swiftshader}` : swiftshader;
  }
  env.XDG_RUNTIME_DIR ??= '/tmp';
  const mod = (await import('webgpu')) as { create: (o: string[]) => GPU; globals: object };
  Object.assign(globalThis, mod.globals);
  const gpu = mod.create([]);
  keepAlive = gpu;
  return gpu;
}

async function acquire(powerPreference: GPUPowerPreference): Promise<GpuHandle> {
  let gpu: GPU | undefined = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) {
    if (typeof process === 'undefined' || !process.versions?.node) throw new BackendUnavailableError('webgpu', 'navigator.gpu is missing');
    try {
      gpu = await nodeGpu();
    } catch (e) {
      throw new BackendUnavailableError('webgpu', `the 'webgpu' (Dawn) package failed to load: ${(e as Error).message}`);
    }
  }
  const adapter = await gpu.requestAdapter({ powerPreference });
  if (!adapter) {
    throw new BackendUnavailableError(
      'webgpu',
      'no adapter found (Node: install libvulkan1 and chromium for SwiftShader, or set VK_ICD_FILENAMES)',
    );
  }
  const L = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: L.maxStorageBufferBindingSize,
      maxBufferSize: L.maxBufferSize,
      maxComputeWorkgroupsPerDimension: L.maxComputeWorkgroupsPerDimension,
      maxStorageBuffersPerShaderStage: L.maxStorageBuffersPerShaderStage,
      maxComputeInvocationsPerWorkgroup: L.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: L.maxComputeWorkgroupSizeX,
    },
  });
  return { gpu, adapter, device };
}

export function adapterDetails(adapter: GPUAdapter): Record<string, unknown> {
  const i = adapter.info;
  const L = adapter.limits;
  return {
    vendor: i.vendor,
    architecture: i.architecture,
    device: i.device,
    description: i.description,
    isFallbackAdapter: (i as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false,
    limits: {
      maxStorageBufferBindingSize: L.maxStorageBufferBindingSize,
      maxBufferSize: L.maxBufferSize,
      maxComputeWorkgroupsPerDimension: L.maxComputeWorkgroupsPerDimension,
      maxComputeInvocationsPerWorkgroup: L.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: L.maxComputeWorkgroupSizeX,
      maxStorageBuffersPerShaderStage: L.maxStorageBuffersPerShaderStage,
    },
    features: [...adapter.features].sort(),
  };
}

export class WebGPUBackend implements Backend {
  readonly name = 'webgpu' as const;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private lost: GPUDeviceLostInfo | undefined;
  /** Shared inputs marked `reuse`, kept on the device per array object (e.g. a model's weights). */
  private readonly resident = new WeakMap<object, GPUBuffer>();
  private uploads = { shared: 0, reused: 0 };

  private constructor(private readonly h: GpuHandle, private readonly opts: WebGPUOptions) {
    h.device.lost.then((info) => {
      this.lost = info;
      if (handle) handle = undefined; // the next create() asks for a new device
    });
  }

  static async create(opts: WebGPUOptions = {}): Promise<WebGPUBackend> {
    handle ??= acquire(opts.powerPreference ?? 'high-performance');
    try {
      return new WebGPUBackend(await handle, opts);
    } catch (e) {
      handle = undefined;
      throw e;
    }
  }

  get device(): GPUDevice {
    return this.h.device;
  }

  info(): BackendInfo {
    return {
      name: 'webgpu', available: !this.lost, reason: this.lost && `device lost: ${this.lost.message}`,
      details: { ...adapterDetails(this.h.adapter), shared_uploads: this.uploads.shared, shared_reused: this.uploads.reused },
    };
  }

  /** Pipelines are compiled once per kernel; the key is everything the shader text depends on. */
  private async pipeline(desc: KernelDesc, wg: number): Promise<GPUComputePipeline> {
    const key = `${desc.name}/${wg}`;
    const cached = this.pipelines.get(key);
    if (cached) return cached;
    const dev = this.device;
    dev.pushErrorScope('validation');
    const module = dev.createShaderModule({ label: desc.name, code: wgslSource(desc) });
    const p = dev.createComputePipeline({ label: desc.name, layout: 'auto', compute: { module, entryPoint: 'main', constants: { WG: wg } } });
    const err = await dev.popErrorScope();
    if (err) {
      const info = await module.getCompilationInfo();
      const msgs = info.messages.filter((m) => m.type === 'error').map((m) => `line ${m.lineNum}:${m.linePos} ${m.message}`);
      throw new GpuError('shader', `kernel ${desc.name} does not compile: ${msgs.length ? msgs.join('; ') : err.message}`);
    }
    this.pipelines.set(key, p);
    return p;
  }

  /** Items per dispatch: every per-item buffer of a chunk must fit one storage binding. */
  chunkItems(desc: KernelDesc): number {
    const L = this.device.limits;
    const maxBytes = Math.min(L.maxStorageBufferBindingSize, L.maxBufferSize);
    let n = this.opts.maxChunkItems ?? Number.MAX_SAFE_INTEGER;
    for (const b of [...desc.inputs, ...desc.outputs]) {
      if (b.perItem) n = Math.min(n, Math.floor(maxBytes / (4 * b.perItem)));
    }
    const wg = this.workgroupSize(desc);
    n = Math.min(n, L.maxComputeWorkgroupsPerDimension * L.maxComputeWorkgroupsPerDimension * wg);
    return Math.max(1, n);
  }

  private workgroupSize(desc: KernelDesc): number {
    const L = this.device.limits;
    return Math.min(desc.workgroupSize, L.maxComputeInvocationsPerWorkgroup, L.maxComputeWorkgroupSizeX);
  }

  private checkLost(): void {
    if (this.lost) throw new DeviceLostError(this.lost.reason, this.lost.message);
  }

  private upload(words: Uint32Array, usage: number): GPUBuffer {
    const size = Math.max(16, Math.ceil(words.byteLength / 16) * 16);
    const buf = this.device.createBuffer({ size, usage: usage | GPUBufferUsage.COPY_DST, mappedAtCreation: true });
    new Uint32Array(buf.getMappedRange()).set(words);
    buf.unmap();
    return buf;
  }

  async run(desc: KernelDesc, args: KernelArgs): Promise<KernelOutputs> {
    validateArgs(desc, args);
    this.checkLost();
    const inputs = inputWords(desc, args);
    const outputs = allocOutputs(desc, args.count, args.params);
    if (args.count === 0) return outputs;
    const dev = this.device;
    const L = dev.limits;
    const wg = this.workgroupSize(desc);
    const pipeline = await this.pipeline(desc, wg);
    const maxBinding = Math.min(L.maxStorageBufferBindingSize, L.maxBufferSize);
    const temp: GPUBuffer[] = [];
    const shared = desc.inputs.map((s, j) => {
      if (s.perItem !== undefined) return undefined;
      if (inputs[j].byteLength > maxBinding) {
        throw new GpuError('limit', `shared input '${s.name}' of ${desc.name} is ${inputs[j].byteLength} bytes, over maxStorageBufferBindingSize ${maxBinding}`);
      }
      const src = args.inputs![s.name] as object;
      if (s.reuse) {
        const kept = this.resident.get(src);
        if (kept) {
          this.uploads.reused++;
          return kept;
        }
      }
      const b = this.upload(inputs[j], GPUBufferUsage.STORAGE);
      this.uploads.shared++;
      if (s.reuse) this.resident.set(src, b);
      else temp.push(b);
      return b;
    });
    // Scatter targets (OutputSpec.length): one zeroed buffer bound whole in every chunk, read once at the end.
    const whole = desc.outputs.map((o) => {
      if (o.length === undefined) return undefined;
      const bytes = outputs[o.name].byteLength;
      if (bytes > maxBinding) throw new GpuError('limit', `output '${o.name}' of ${desc.name} is ${bytes} bytes, over maxStorageBufferBindingSize ${maxBinding}`);
      const size = Math.max(16, Math.ceil(bytes / 16) * 16);
      const buf = dev.createBuffer({ size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
      const read = dev.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      temp.push(buf, read);
      return { buf, read, size };
    });
    const chunk = this.chunkItems(desc);
    const itemOffset = args.itemOffset ?? 0;
    try {
      for (let a = 0; a < args.count; a += chunk) {
        args.signal?.throwIfAborted();
        const n = Math.min(chunk, args.count - a);
        dev.pushErrorScope('out-of-memory');
        dev.pushErrorScope('validation');
        const params = this.upload(packParams(desc, args, itemOffset + a, n), GPUBufferUsage.UNIFORM);
        const perChunk: GPUBuffer[] = [params];
        const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: params } }];
        desc.inputs.forEach((s, j) => {
          let buf = shared[j];
          if (s.perItem !== undefined) {
            buf = this.upload(inputs[j].subarray(a * s.perItem, (a + n) * s.perItem), GPUBufferUsage.STORAGE);
            perChunk.push(buf);
          }
          entries.push({ binding: 1 + j, resource: { buffer: buf! } });
        });
        const outBufs = desc.outputs.map((o, j) => {
          const w = whole[j];
          if (w) {
            entries.push({ binding: 1 + desc.inputs.length + j, resource: { buffer: w.buf } });
            return undefined;
          }
          const size = Math.max(16, Math.ceil((n * o.perItem! * 4) / 16) * 16);
          const buf = dev.createBuffer({ size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
          const read = dev.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
          perChunk.push(buf, read);
          entries.push({ binding: 1 + desc.inputs.length + j, resource: { buffer: buf } });
          return { buf, read, size };
        });
        const groups = Math.ceil(n / wg);
        const gx = Math.min(groups, L.maxComputeWorkgroupsPerDimension);
        const gy = Math.ceil(groups / gx);
        const enc = dev.createCommandEncoder({ label: desc.name });
        const pass = enc.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, dev.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries }));
        pass.dispatchWorkgroups(gx, gy);
        pass.end();
        for (const o of outBufs) if (o) enc.copyBufferToBuffer(o.buf, 0, o.read, 0, o.size);
        dev.queue.submit([enc.finish()]);
        const validation = await dev.popErrorScope();
        const oom = await dev.popErrorScope();
        if (oom) throw new GpuError('out-of-memory', oom.message);
        if (validation) throw new GpuError('validation', validation.message);
        try {
          await Promise.all(outBufs.map((o) => o?.read.mapAsync(GPUMapMode.READ)));
        } catch (e) {
          this.checkLost();
          throw e;
        }
        desc.outputs.forEach((o, j) => {
          const ob = outBufs[j];
          if (!ob) return;
          const words = n * o.perItem!;
          outputs[o.name].set(new Uint32Array(ob.read.getMappedRange(), 0, words), a * o.perItem!);
          ob.read.unmap();
        });
        for (const b of perChunk) b.destroy();
        this.checkLost();
      }
      if (whole.some((w) => w)) {
        const enc = dev.createCommandEncoder({ label: `${desc.name} scatter targets` });
        for (const w of whole) if (w) enc.copyBufferToBuffer(w.buf, 0, w.read, 0, w.size);
        dev.queue.submit([enc.finish()]);
        try {
          await Promise.all(whole.map((w) => w?.read.mapAsync(GPUMapMode.READ)));
        } catch (e) {
          this.checkLost();
          throw e;
        }
        desc.outputs.forEach((o, j) => {
          const w = whole[j];
          if (!w) return;
          outputs[o.name].set(new Uint32Array(w.read.getMappedRange(), 0, outputs[o.name].length));
          w.read.unmap();
        });
      }
    } finally {
      for (const b of temp) b.destroy();
    }
    return outputs;
  }

  async dispose(): Promise<void> {
    this.pipelines.clear();
  }

  /** Test hook: loses the device on purpose, as a driver reset would. */
  destroyDeviceForTesting(): void {
    this.device.destroy();
  }
}
