// The engine's random API: counter-based Philox4x32-10 with explicit keys, in the manner of
// JAX's PRNG (split / fold_in) and Random123. No global state: a draw is a pure function of
// (key, counter), so results never depend on backend, thread count, chunking or sharding.
import { philoxBlock } from '../kernels/philox/ref.js';
import { philox, PHILOX_FORMAT } from '../kernels/philox/desc.js';
import type { Backend } from '../host/backend.js';

/** Bumped whenever any derivation below changes what a given seed produces. */
export const RANDOM_STREAM_VERSION = 1;

export type Key = readonly [number, number];

// Domain tags in counter word 3 keep key derivations apart from data draws (which use tag 0).
const TAG_SEED = 0x5eed0001;
const TAG_FOLD = 0xf01d0002;
const TAG_SPLIT = 0x5b110003;

const scratch = new Uint32Array(4);

function u32(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`${what} must be an integer in [0, 2^32), got ${v}`);
  return v;
}

/** A key from a seed (integer in [0, 2^53)) and a stream number (u32). */
export function key(seed: number, stream = 0): Key {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be an integer in [0, 2^53), got ${seed}`);
  const lo = seed >>> 0, hi = Math.floor(seed / 0x100000000) >>> 0;
  philoxBlock(lo, hi, 0, TAG_SEED, 0, 0, scratch, 0);
  return foldIn([scratch[0], scratch[1]], u32(stream, 'stream'));
}

/** A new key from a key and a u32 (JAX fold_in). */
export function foldIn(k: Key, data: number): Key {
  philoxBlock(u32(data, 'fold_in data'), 0, 0, TAG_FOLD, k[0], k[1], scratch, 0);
  return [scratch[0], scratch[1]];
}

/** n independent keys from one (JAX split). */
export function split(k: Key, n = 2): Key[] {
  const out: Key[] = [];
  for (let i = 0; i < n; i++) {
    philoxBlock(i, 0, 0, TAG_SPLIT, k[0], k[1], scratch, 0);
    out.push([scratch[0], scratch[1]]);
  }
  return out;
}

/**
 * The counter of a data draw: word 0 the event (or the first of a run of blocks), word 1 the
 * window, word 2 the toy, word 3 reserved 0 (key derivations use non-zero tags there).
 */
export interface Counter {
  readonly event?: number;
  readonly window?: number;
  readonly toy?: number;
}

function counterParams(k: Key, c: Counter, format: number) {
  return {
    key0: k[0], key1: k[1],
    ctr0: u32(c.event ?? 0, 'event'), ctr1: u32(c.window ?? 0, 'window'), ctr2: u32(c.toy ?? 0, 'toy'), ctr3: 0,
    format,
  };
}

/** `blocks` Philox blocks (4 u32 each) for events c.event, c.event + 1, ... on a backend. */
export async function randomBits(backend: Backend, k: Key, c: Counter, blocks: number): Promise<Uint32Array> {
  const out = await backend.run(philox, { count: blocks, params: counterParams(k, c, PHILOX_FORMAT.u32) });
  return out.words;
}

/** Uniform f32 in [0, 1), 4 per block, from the top 24 bits of each word (exact). */
export async function uniforms(backend: Backend, k: Key, c: Counter, blocks: number): Promise<Float32Array> {
  const out = await backend.run(philox, { count: blocks, params: counterParams(k, c, PHILOX_FORMAT.uniform) });
  return new Float32Array(out.words.buffer, out.words.byteOffset, out.words.length);
}
