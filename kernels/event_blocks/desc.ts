import type { KernelDesc } from '../types.js';
import { eventBlocksRef } from './ref.js';
import lib from '../philox/philox_lib.wgsl?raw';
import wgsl from './event_blocks.wgsl?raw';

/**
 * event_blocks: the event generator's random blocks on the backend. Item k = block k % per_event
 * of event first + floor(k / per_event): Philox4x32-10 with counter (event, block, 0, 0) and the
 * process's event key, exactly the blocks engine/generate/rng.ts EventRandom draws for that event
 * (generateOn prefetches them; an event that needs more draws the rest on the host).
 */
export const eventBlocks: KernelDesc = {
  name: 'event_blocks',
  wgsl,
  wgslLibs: [lib],
  workgroupSize: 64,
  params: [
    { name: 'key0', type: 'u32', doc: 'event key (engine/generate/index.ts eventKey)' },
    { name: 'key1', type: 'u32' },
    { name: 'first', type: 'u32', doc: 'event index of item 0 (first + floor(count / per_event) <= 2^32)' },
    { name: 'per_event', type: 'u32', doc: 'blocks per event (>= 1)' },
  ],
  inputs: [],
  outputs: [{ name: 'words', type: 'u32', perItem: 4, doc: 'the 4 words of block (event, block)' }],
  ref: eventBlocksRef,
  exactness: 'bits',
};
