// Runs on a primary backend (WebGPU) chunk by chunk; a chunk that fails with a lost device or an
// out-of-memory error is rerun on the fallback (WASM), as is all work after it. Kernels map items
// independently, so the result is the same bits whichever backend computed which chunk; the
// record says who computed what.
import type { KernelArgs, KernelDesc, KernelOutputs } from '../kernels/types.js';
import { validateArgs } from '../kernels/types.js';
import type { Backend, BackendInfo } from './backend.js';
import { allocOutputs, placeOutputs, sliceArgs } from './slice.js';
import { DeviceLostError, GpuError } from './webgpu.js';

export interface ChunkRecord {
  kernel: string;
  backend: string;
  item_offset: number;
  items: number;
  /** Why this chunk left the primary backend. */
  fault?: string;
}

export interface FallbackOptions {
  /** Items per chunk on the primary (default: its own chunk size, else everything at once). */
  readonly chunkItems?: number;
  /** Called when work moves to the fallback. */
  readonly onFault?: (e: Error, chunk: ChunkRecord) => void;
}

export function isRecoverable(e: unknown): boolean {
  return e instanceof DeviceLostError || (e instanceof GpuError && e.kind === 'out-of-memory');
}

export class FallbackBackend implements Backend {
  readonly records: ChunkRecord[] = [];
  private failedOver: Backend | undefined;

  constructor(
    private readonly primary: Backend & { chunkItems?: (d: KernelDesc) => number },
    private readonly makeFallback: () => Promise<Backend>,
    private readonly opts: FallbackOptions = {},
  ) {}

  get name() {
    return (this.failedOver ?? this.primary).name;
  }

  info(): BackendInfo {
    const i = (this.failedOver ?? this.primary).info();
    return { ...i, details: { ...i.details, primary: this.primary.name, failed_over: !!this.failedOver } };
  }

  async run(desc: KernelDesc, args: KernelArgs): Promise<KernelOutputs> {
    validateArgs(desc, args);
    const out = allocOutputs(desc, args.count, args.params);
    const chunk = Math.max(1, this.opts.chunkItems ?? this.primary.chunkItems?.(desc) ?? args.count);
    for (let a = 0; a < args.count; a += chunk) {
      args.signal?.throwIfAborted();
      const b = Math.min(args.count, a + chunk);
      const part = sliceArgs(desc, args, a, b);
      const rec: ChunkRecord = { kernel: desc.name, backend: (this.failedOver ?? this.primary).name, item_offset: part.itemOffset!, items: b - a };
      if (!this.failedOver) {
        try {
          placeOutputs(desc, out, await this.primary.run(desc, part), a);
          this.records.push(rec);
          continue;
        } catch (e) {
          if (!isRecoverable(e)) throw e;
          this.failedOver = await this.makeFallback();
          rec.fault = (e as Error).message;
          rec.backend = this.failedOver.name;
          this.opts.onFault?.(e as Error, rec);
        }
      }
      placeOutputs(desc, out, await this.failedOver.run(desc, part), a);
      this.records.push(rec);
    }
    return out;
  }

  itemsByBackend(): Record<string, number> {
    const items: Record<string, number> = {};
    for (const c of this.records) items[c.backend] = (items[c.backend] ?? 0) + c.items;
    return items;
  }

  async dispose(): Promise<void> {
    await this.failedOver?.dispose();
    await this.primary.dispose();
  }
}
