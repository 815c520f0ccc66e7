// The contract every kernel follows, on every backend.
//
// A kernel is a map over `count` items. Item i (absolute index item_offset + l, l = 0..count-1)
// reads its own slice of every per-item input, may read every shared input whole, and writes its
// own `perItem` words of every output. Nothing else: no cross-item writes, no atomics. This is
// what lets any backend split the range anywhere (GPU chunks, WASM workers) and still return
// the same bits.
//
// Memory layout, identical for WGSL (uniform struct), AssemblyScript (params pointer) and the TS
// reference (Uint32Array): params = [item_offset, item_count, opaque_zero, reserved, <declared
// params...>], padded to a multiple of 4 words. f32 params travel as their bit patterns.
// opaque_zero is always 0 but unknown to shader compilers: WGSL `opaque(x)` xors it into a
// product's bits so that no driver can fuse a*b+c into an FMA (Tint emits no NoContraction).
// Per-item buffers arrive sliced to the chunk (index them with the local index l); shared
// buffers arrive whole. An output declared with `length` instead of `perItem` (a scatter target:
// OutputSpec.length) is bound whole too; its item-to-slot assignment comes from the inputs.
import { f32ToBits } from './bits.js';

export type ScalarType = 'u32' | 'i32' | 'f32';

export interface ParamSpec {
  readonly name: string;
  readonly type: ScalarType;
  readonly doc?: string;
}

export interface BufferSpec {
  readonly name: string;
  readonly type: ScalarType;
  /** Words per item: the buffer is sliced with the item range. Absent: shared, bound whole. */
  readonly perItem?: number;
  /**
   * A shared input callers pass as the same, never-mutated array for the same content (e.g. a
   * packed model): a device backend keeps it uploaded between runs, keyed by the array object.
   */
  readonly reuse?: boolean;
  /** Words per record of a shared input read by record number (layout only, never sliced). */
  readonly record?: number;
  readonly doc?: string;
}

export interface OutputSpec {
  readonly name: string;
  readonly type: ScalarType;
  /** Words per item: item l writes words [l perItem, (l + 1) perItem) of the range's slice. */
  readonly perItem?: number;
  /**
   * Instead of perItem, a scatter target: the u32 param of this name is the output's length in
   * words, and the output is bound whole on every range and chunk (index it with absolute item
   * numbers). Each item writes only the slots the kernel assigns it from its inputs and params,
   * disjoint between items and independent of how the range is split (e.g. a counting sort's
   * precomputed positions). Backends zero it first, so a run's words are the bitwise OR of its
   * ranges' words (host/slice.ts placeOutputs).
   */
  readonly length?: string;
  readonly doc?: string;
}

/** Words of an output for a run of `count` items with these params (perItem, or a scatter target's length param). */
export function outputLength(desc: KernelDesc, o: OutputSpec, count: number, params: Readonly<Record<string, number>> | undefined): number {
  if (o.length === undefined) return count * (o.perItem ?? 0);
  const v = params?.[o.length];
  if (!Number.isInteger(v) || v! < 0 || v! > 0xffffffff) throw new RangeError(`kernel ${desc.name}: output '${o.name}' needs its length param '${o.length}' (a u32), got ${v}`);
  return v!;
}

/** Arrays as the kernels see them: raw 32-bit words. */
export type Words = Uint32Array;

/** The TS reference: same arguments as the WGSL and AssemblyScript twins. */
export type RefKernel = (params: Words, inputs: readonly Words[], outputs: readonly Words[]) => void;

export interface KernelArgs {
  /** Items to compute: [0, count). */
  readonly count: number;
  /** Absolute index of item 0 (default 0): lets a caller compute a sub-range (shards). */
  readonly itemOffset?: number;
  readonly params?: Readonly<Record<string, number>>;
  readonly inputs?: Readonly<Record<string, ArrayLike<number> & { buffer: ArrayBufferLike }>>;
  /** Cancels the run between chunks (AbortSignal.reason is thrown). */
  readonly signal?: AbortSignal;
}

export interface ConformanceCase {
  readonly name: string;
  readonly args: KernelArgs;
  /** Optional known answers (e.g. published test vectors), checked on every backend. */
  readonly expect?: Readonly<Record<string, ArrayLike<number>>>;
}

/**
 * A kernel's WebGL2 version (optional), run by host/gpujs.ts through gpu.js: `kernel` in gpu.js's
 * JavaScript subset, `threadsPerItem` threads per item, each returning 4 floats; its GLSL ES 3.00
 * beside it in kernels/<k>/<k>.glsl (`glsl`: helpers, then after a line `// gpu.js natives` the
 * functions the kernel calls, float arguments only). Textures hold f32: `encode` turns the params and the input
 * words of items [a, a + n) into the kernel's arguments (values exact in f32), `decode` the raw
 * output back into the output words.
 */
export interface WebGl2Kernel {
  readonly glsl?: string;
  readonly kernel: (...args: never[]) => unknown;
  readonly threadsPerItem: number;
  /** gpu.js kernel settings beyond output, returnType 'Array(4)', single precision, pipeline. */
  readonly settings?: Readonly<Record<string, unknown>>;
  encode(params: Words, inputs: readonly Words[], a: number, n: number): unknown[];
  decode(raw: Float32Array, outputs: readonly Words[], a: number, n: number): void;
}

export interface KernelDesc {
  /** One name for the folder kernels/<name>/, the AssemblyScript twin wasm/<name>.ts and its export. */
  readonly name: string;
  /** WGSL source: the entry point `main`, using the prelude the host generates from this desc. */
  readonly wgsl: string;
  /** WGSL libraries the kernel calls (concatenated before `wgsl`, each once). */
  readonly wgslLibs?: readonly string[];
  readonly workgroupSize: number;
  /** Fewest items worth a WASM worker thread (items that are chunks of work: 1); default: the backend's setting. */
  readonly minItemsPerWorker?: number;
  readonly params: readonly ParamSpec[];
  readonly inputs: readonly BufferSpec[];
  readonly outputs: readonly OutputSpec[];
  /**
   * Named u32 constants of a layout the kernel reads (e.g. offsets into a packed shared input),
   * defined once on the host side: generated as WGSL `const NAME: u32` (host/wgsl.ts prelude) and
   * AssemblyScript `export const NAME: u32` (wasm/gen/<name>.ts), so neither twin spells an offset.
   */
  readonly constants?: Readonly<Record<string, number>>;
  readonly ref: RefKernel;
  /** The WebGL2 (gpu.js) version, where there is one. */
  readonly webgl2?: WebGl2Kernel;
  /** What agreement means for this kernel; every kernel so far is bit-exact. */
  readonly exactness: 'bits';
}

export const HEADER_WORDS = 4;

export function paramWords(desc: KernelDesc): number {
  const n = HEADER_WORDS + desc.params.length;
  return Math.ceil(n / 4) * 4;
}

/** desc.constants as [name, value] pairs, checked: UPPER_CASE names, u32 values. */
export function layoutConstants(desc: KernelDesc): [string, number][] {
  return Object.entries(desc.constants ?? {}).map(([k, v]) => {
    if (!/^[A-Z][A-Z0-9_]*$/.test(k)) throw new Error(`kernel '${desc.name}': constant name '${k}' is not UPPER_CASE`);
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`kernel '${desc.name}': constant ${k} = ${v} is not a u32`);
    return [k, v];
  });
}

export function encodeParam(type: ScalarType, v: number): number {
  if (type === 'f32') return f32ToBits(v);
  if (!Number.isFinite(v) || !Number.isInteger(v)) throw new RangeError(`param must be an integer, got ${v}`);
  if (type === 'u32' && (v < 0 || v > 0xffffffff)) throw new RangeError(`u32 param out of range: ${v}`);
  if (type === 'i32' && (v < -0x80000000 || v > 0x7fffffff)) throw new RangeError(`i32 param out of range: ${v}`);
  return v >>> 0;
}

/** Builds the params block (header + declared params) for one item range. */
export function packParams(desc: KernelDesc, args: KernelArgs, itemOffset: number, count: number): Uint32Array {
  const out = new Uint32Array(paramWords(desc));
  out[0] = itemOffset >>> 0;
  out[1] = count >>> 0;
  const given = args.params ?? {};
  for (const k of Object.keys(given)) {
    if (!desc.params.some((p) => p.name === k)) throw new Error(`kernel ${desc.name}: unknown param '${k}'`);
  }
  desc.params.forEach((p, j) => {
    const v = given[p.name];
    if (v === undefined) throw new Error(`kernel ${desc.name}: missing param '${p.name}'`);
    out[HEADER_WORDS + j] = encodeParam(p.type, v);
  });
  return out;
}

/** Views any 32-bit typed array as its bits, and checks per-item sizes against `count`. */
export function inputWords(desc: KernelDesc, args: KernelArgs): Uint32Array[] {
  const given = args.inputs ?? {};
  for (const k of Object.keys(given)) {
    if (!desc.inputs.some((b) => b.name === k)) throw new Error(`kernel ${desc.name}: unknown input '${k}'`);
  }
  return desc.inputs.map((spec) => {
    const a = given[spec.name];
    if (!a) throw new Error(`kernel ${desc.name}: missing input '${spec.name}'`);
    const bytesPer = (a as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT;
    if (bytesPer !== 4) throw new TypeError(`kernel ${desc.name}: input '${spec.name}' must be a 32-bit typed array`);
    const t = a as unknown as Uint32Array;
    const w = new Uint32Array(t.buffer, t.byteOffset, t.length);
    if (spec.perItem !== undefined && w.length !== args.count * spec.perItem) {
      throw new RangeError(
        `kernel ${desc.name}: input '${spec.name}' has ${w.length} words, expected ${args.count} items x ${spec.perItem}`,
      );
    }
    return w;
  });
}

export function validateArgs(desc: KernelDesc, args: KernelArgs): void {
  args.signal?.throwIfAborted();
  if (!Number.isInteger(args.count) || args.count < 0) throw new RangeError(`kernel ${desc.name}: bad count ${args.count}`);
  const off = args.itemOffset ?? 0;
  if (!Number.isInteger(off) || off < 0 || off + args.count > 0x100000000) {
    throw new RangeError(`kernel ${desc.name}: item range [${off}, ${off + args.count}) exceeds u32`);
  }
}

export type KernelOutputs = Record<string, Uint32Array>;
