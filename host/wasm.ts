import * as Comlink from 'comlink';
import type { KernelArgs, KernelDesc, KernelOutputs } from '../kernels/types.js';
import { inputWords, outputLength, packParams, paramWords, validateArgs } from '../kernels/types.js';
import { allocOutputs, BackendUnavailableError, splitRange, type Backend, type BackendInfo, type ChainRun } from './backend.js';
import { instantiate, wasmFeatures, type KernelFn, type WasmFlavor } from './wasm-instance.js';
import type { WorkerApi } from './wasm-worker.js';

export interface WasmOptions {
  /** 'auto' picks the SIMD build where the engine validates SIMD. */
  readonly flavor?: WasmFlavor | 'auto';
  /** Threads computing a run; 1 runs on the calling thread. Default: all cores. */
  readonly workers?: number;
  /** A run is split only into ranges of at least this many items (message cost vs. work). */
  readonly minItemsPerWorker?: number;
}

const PAGE = 65536;
const MAX_PAGES = 32768; // asconfig.json maximumMemory: 2 GiB
const ARENA_BASE = 1 << 20; // below: the module's own static data

/**
 * The memory a chain (WasmBackend.chain) has placed: its runs are laid out one after another from
 * `top`; host inputs already copied in (by identity: a chain's inputs must not change while it
 * runs) and the outputs handed out as views are read where they lie.
 */
interface ChainArena {
  top: number;
  readonly copied: Map<object, number>;
  /** Output views handed out: byte offset -> byte length. */
  readonly outs: Map<number, number>;
}

function hardwareThreads(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (nav?.hardwareConcurrency) return nav.hardwareConcurrency;
  return 1;
}

async function loadAsset(name: string): Promise<Uint8Array<ArrayBuffer>> {
  const url = new URL(`../dist/${name}`, import.meta.url);
  if (url.protocol === 'file:') {
    const fs = await import('node:fs/promises');
    try {
      return new Uint8Array(await fs.readFile(url));
    } catch {
      throw new BackendUnavailableError('wasm', `${url.pathname} is missing: run 'npm run build'`);
    }
  }
  const res = await fetch(url);
  if (!res.ok) throw new BackendUnavailableError('wasm', `fetching ${url} failed: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

interface PoolWorker {
  api: Comlink.Remote<WorkerApi>;
  ref(): void;
  unref(): void;
  terminate(): Promise<unknown> | void;
}

async function spawnWorker(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<PoolWorker> {
  const url = new URL('../dist/wasm-worker.js', import.meta.url);
  let w: PoolWorker;
  if (url.protocol === 'file:') {
    const { Worker } = await import('node:worker_threads');
    const nodeEndpoint = (await import('comlink/dist/esm/node-adapter.mjs')).default;
    const worker = new Worker(url);
    worker.unref();
    w = {
      api: Comlink.wrap<WorkerApi>(nodeEndpoint(worker)),
      ref: () => worker.ref(),
      unref: () => worker.unref(),
      terminate: () => worker.terminate(),
    };
  } else {
    const worker = new Worker(url, { type: 'module' });
    w = { api: Comlink.wrap<WorkerApi>(worker), ref: () => {}, unref: () => {}, terminate: () => worker.terminate() };
  }
  w.ref();
  try {
    await w.api.init(module, memory);
  } finally {
    w.unref();
  }
  return w;
}

export class WasmBackend implements Backend {
  readonly name = 'wasm' as const;
  private queue: Promise<unknown> = Promise.resolve();
  /** The memory's buffers chained runs handed out views on (a grown shared memory gets a new buffer object, same bytes). */
  private readonly views = new WeakSet<ArrayBufferLike>();

  private constructor(
    private readonly flavor: WasmFlavor,
    private readonly memory: WebAssembly.Memory,
    private readonly kernels: Record<string, KernelFn>,
    private readonly pool: PoolWorker[],
    private readonly minItems: number,
    private readonly features: { simd: boolean; threads: boolean },
  ) {}

  static async create(opts: WasmOptions = {}): Promise<WasmBackend> {
    if (typeof WebAssembly === 'undefined') throw new BackendUnavailableError('wasm', 'WebAssembly is missing');
    const features = wasmFeatures();
    if (!features.threads) throw new BackendUnavailableError('wasm', 'shared WebAssembly memory is unavailable (browsers: serve with COOP/COEP headers)');
    const want = opts.flavor ?? 'auto';
    if (want === 'simd' && !features.simd) throw new BackendUnavailableError('wasm', 'SIMD build requested but WebAssembly SIMD is unsupported');
    const flavor: WasmFlavor = want === 'auto' ? (features.simd ? 'simd' : 'scalar') : want;
    const module = await WebAssembly.compile(await loadAsset(`darkscan-${flavor}.wasm`));
    const memory = new WebAssembly.Memory({ initial: ARENA_BASE / PAGE, maximum: MAX_PAGES, shared: true });
    const kernels = instantiate(module, memory);
    let n = opts.workers ?? (await defaultWorkers());
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`workers must be a positive integer, got ${n}`);
    const pool = n > 1 ? await Promise.all(Array.from({ length: n }, () => spawnWorker(module, memory))) : [];
    return new WasmBackend(flavor, memory, kernels, pool, opts.minItemsPerWorker ?? 1024, features);
  }

  get workers(): number {
    return Math.max(1, this.pool.length);
  }

  info(): BackendInfo {
    return {
      name: 'wasm',
      available: true,
      details: { build: this.flavor, simd: this.features.simd, threads: this.features.threads, workers: this.workers, memoryMaxBytes: MAX_PAGES * PAGE },
    };
  }

  run(desc: KernelDesc, args: KernelArgs): Promise<KernelOutputs> {
    const job = this.queue.then(() => this.runNow(desc, args));
    this.queue = job.catch(() => undefined);
    return job;
  }

  chain<T>(fn: (run: ChainRun) => Promise<T>): Promise<T> {
    const arena: ChainArena = { top: ARENA_BASE, copied: new Map(), outs: new Map() };
    const job = this.queue.then(() => fn((d, a) => this.runNow(d, a, arena)));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private async runNow(desc: KernelDesc, args: KernelArgs, arena?: ChainArena): Promise<KernelOutputs> {
    validateArgs(desc, args);
    const fn = this.kernels[desc.name];
    if (typeof fn !== 'function') throw new Error(`wasm build has no export '${desc.name}': rebuild with 'npm run build'`);
    const inputs = inputWords(desc, args);
    if (args.count === 0) return allocOutputs(desc, args.count, args.params);
    const outLen = desc.outputs.map((o) => outputLength(desc, o, args.count, args.params));
    const minItems = Math.min(this.minItems, desc.minItemsPerWorker ?? this.minItems);
    const ranges = this.pool.length > 1 ? splitRange(args.count, this.pool.length, minItems) : [[0, args.count] as [number, number]];

    // Layout in the shared memory: inputs, outputs, then a params block and a pointer table per range
    // (in a chain after the chain's earlier runs; its own outputs and inputs already copied in stay put).
    let top = arena?.top ?? ARENA_BASE;
    const place = (bytes: number): number => {
      const p = top;
      top += Math.ceil(bytes / 16) * 16;
      return p;
    };
    const given = desc.inputs.map((s) => args.inputs![s.name] as object);
    const resident = inputs.map((w, j) => {
      if (!arena) return -1;
      const len = w.buffer instanceof SharedArrayBuffer ? arena.outs.get(w.byteOffset) : undefined;
      if (len !== undefined && w.byteLength <= len && this.views.has(w.buffer)) return w.byteOffset;
      return arena.copied.get(given[j]) ?? -1;
    });
    const inPtr = inputs.map((w, j) => (resident[j] >= 0 ? resident[j] : place(w.byteLength)));
    const outPtr = outLen.map((n) => place(n * 4));
    const pw = paramWords(desc);
    const nb = desc.inputs.length + desc.outputs.length;
    const ctl = ranges.map(() => ({ params: place(pw * 4), bufs: place(nb * 4) }));
    const pages = Math.ceil(top / PAGE);
    if (pages > MAX_PAGES) {
      throw new RangeError(`wasm: ${desc.name} needs ${top} bytes of memory, over the ${MAX_PAGES * PAGE}-byte maximum: split the input`);
    }
    const have = this.memory.buffer.byteLength / PAGE;
    if (pages > have) this.memory.grow(pages - have);
    const mem = new Uint32Array(this.memory.buffer);
    inputs.forEach((w, j) => {
      if (resident[j] >= 0) return;
      mem.set(w, inPtr[j] >>> 2);
      arena?.copied.set(given[j], inPtr[j]);
    });
    desc.outputs.forEach((o, j) => { if (o.length !== undefined) mem.fill(0, outPtr[j] >>> 2, (outPtr[j] >>> 2) + outLen[j]); });
    const itemOffset = args.itemOffset ?? 0;
    ranges.forEach(([a, b], r) => {
      mem.set(packParams(desc, args, itemOffset + a, b - a), ctl[r].params >>> 2);
      const table = [
        ...desc.inputs.map((s, j) => inPtr[j] + (s.perItem ? a * s.perItem * 4 : 0)),
        ...desc.outputs.map((o, j) => outPtr[j] + (o.perItem ? a * o.perItem * 4 : 0)), // scatter targets: whole
      ];
      mem.set(table, ctl[r].bufs >>> 2);
    });
    if (ranges.length === 1) {
      fn(ctl[0].params, ctl[0].bufs);
    } else {
      await Promise.all(
        ranges.map(async (_, r) => {
          const w = this.pool[r];
          w.ref();
          try {
            await w.api.run(desc.name, ctl[r].params, ctl[r].bufs);
          } finally {
            w.unref();
          }
        }),
      );
    }
    args.signal?.throwIfAborted();
    const buffer = this.memory.buffer as unknown as SharedArrayBuffer;
    const outputs: KernelOutputs = {};
    if (arena) { // views where the outputs lie; the chain's later runs go above them
      arena.top = top;
      this.views.add(buffer);
      desc.outputs.forEach((o, j) => {
        outputs[o.name] = new Uint32Array(buffer, outPtr[j], outLen[j]);
        arena.outs.set(outPtr[j], outLen[j] * 4);
      });
      return outputs;
    }
    const view = new Uint32Array(buffer);
    desc.outputs.forEach((o, j) => { outputs[o.name] = view.slice(outPtr[j] >>> 2, (outPtr[j] >>> 2) + outLen[j]); });
    return outputs;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.pool.map((w) => w.terminate()));
    this.pool.length = 0;
  }
}

async function defaultWorkers(): Promise<number> {
  if (typeof process !== 'undefined' && process.versions?.node) {
    const os = await import('node:os');
    return os.availableParallelism?.() ?? os.cpus().length;
  }
  return hardwareThreads();
}
