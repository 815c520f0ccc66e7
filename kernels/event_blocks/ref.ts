import type { RefKernel } from '../types.js';
import { philoxBlock } from '../philox/ref.js';

// TypeScript reference of event_blocks: item k is block k % per_event of event first + floor(k /
// per_event), i.e. Philox4x32-10 with counter (event, block, 0, 0): the draws the event generator's
// EventRandom (engine/generate/rng.ts) takes, block by block, for that event.
// params: [item_offset, item_count, opaque_zero, reserved, key0, key1, first, per_event]
export const eventBlocksRef: RefKernel = (p, _inputs, [out]) => {
  const off = p[0], n = p[1], k0 = p[4], k1 = p[5], first = p[6], nb = p[7];
  for (let l = 0; l < n; l++) {
    const k = off + l;
    philoxBlock((first + Math.floor(k / nb)) >>> 0, k % nb, 0, 0, k0, k1, out, 4 * l);
  }
};
