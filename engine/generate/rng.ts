// Per-event random numbers for the event generator, host side. Every draw of event i comes from
// Philox4x32-10 blocks with counter (i, j, 0, 0), j = 0, 1, 2, ... counting the blocks that event
// has used: event i is the same whether 10 or 10^6 events are asked for, and in any chunking.
import { philoxBlock } from '../../kernels/philox/ref.js';
import type { Key } from '../random.js';
import { lnGamma } from '../stats/special.js';

const TWO_M53 = 1.1102230246251565e-16; // 2^-53

export class EventRandom {
  private readonly k0: number;
  private readonly k1: number;
  private readonly buf = new Uint32Array(4);
  private event = 0;
  private block = 0;
  private used = 4;
  private spare = NaN;
  /** The words of the current block: buf at 0, or a prefetched block in `pre` at `at`. */
  private src: Uint32Array = this.buf;
  private at = 0;
  /** Prefetched blocks (the event_blocks kernel): events preFirst .. preFirst + preCount - 1, preNb blocks each. */
  private pre: Uint32Array | null = null;
  private preFirst = 0;
  private preCount = 0;
  private preNb = 0;
  /** Offset of the current event's blocks in `pre`, or -1 when it has none there. */
  private preBase = -1;

  constructor(k: Key) {
    this.k0 = k[0];
    this.k1 = k[1];
  }

  /** Positions the stream at the first draw of event `i` (u32). */
  start(i: number): this {
    if (!Number.isInteger(i) || i < 0 || i > 0xffffffff) throw new RangeError(`event index must be a u32, got ${i}`);
    this.event = i;
    this.block = 0;
    this.used = 4;
    this.spare = NaN;
    const d = i - this.preFirst;
    this.preBase = this.pre && d >= 0 && d < this.preCount ? d * this.preNb * 4 : -1;
    return this;
  }

  /**
   * Draws the first `perEvent` blocks of events first .. first + count - 1 from `words` (4 words
   * per block, event-major: the event_blocks kernel's output) instead of computing them: the same
   * Philox blocks, so the same draws. Later blocks, and other events, are computed as usual.
   * `null` turns it off.
   */
  prefetched(words: Uint32Array | null, first = 0, count = 0, perEvent = 0): this {
    if (words && words.length < count * perEvent * 4) throw new RangeError(`prefetched blocks: ${words.length} words for ${count} events x ${perEvent} blocks`);
    this.pre = words;
    this.preFirst = first;
    this.preCount = words ? count : 0;
    this.preNb = perEvent;
    this.preBase = -1;
    return this;
  }

  /** Blocks consumed so far by the current event (for tests / diagnostics). */
  get blocksUsed(): number {
    return this.block;
  }

  u32(): number {
    if (this.used === 4) {
      if (this.preBase >= 0 && this.block < this.preNb) {
        this.src = this.pre!;
        this.at = this.preBase + 4 * this.block++;
      } else {
        if (this.block > 0xffffffff) throw new Error(`event ${this.event}: more than 2^32 random blocks`);
        philoxBlock(this.event, this.block++, 0, 0, this.k0, this.k1, this.buf, 0);
        this.src = this.buf;
        this.at = 0;
      }
      this.used = 0;
    }
    return this.src[this.at + this.used++];
  }

  /** Uniform double in the open interval (0, 1), 53 random bits: ((a >> 5) 2^26 + (b >> 6) + 1/2) 2^-53. */
  uniform(): number {
    const a = this.u32() >>> 5, b = this.u32() >>> 6;
    return (a * 67108864 + b + 0.5) * TWO_M53;
  }

  /** Uniform double in (0, 1) from one 32-bit word, (a + 1/2) 2^-32: for draws that need no more resolution (the e e mu mu sampler's trials). */
  uniform32(): number {
    return (this.u32() + 0.5) * 2.3283064365386963e-10;
  }

  /** Uniform in (lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Standard normal, Box-Muller (Box & Muller, Ann. Math. Stat. 29 (1958) 610), pairs cached within the event. */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const phi = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(phi);
    return r * Math.cos(phi);
  }

  /** Exponential with mean `mean` by inversion: -mean ln U. */
  exponential(mean: number): number {
    return -mean * Math.log(this.uniform());
  }
}

/** ln Gamma(x) (the engine's one Lanczos implementation). */
export const lgamma = lnGamma;

/**
 * Poisson variate with mean mu from the stream. mu < 10: multiplication of uniforms (Knuth, TAOCP
 * vol. 2, 3.4.1); mu >= 10: transformed rejection PTRS (Hormann, Insurance Math. Econom. 12 (1993) 39).
 */
export function poisson(rng: EventRandom, mu: number): number {
  if (!(mu >= 0) || !Number.isFinite(mu)) throw new RangeError(`poisson: mean must be finite and >= 0, got ${mu}`);
  if (mu === 0) return 0;
  if (mu < 10) {
    const L = Math.exp(-mu);
    let k = 0, p = rng.uniform();
    while (p > L) {
      k++;
      p *= rng.uniform();
    }
    return k;
  }
  const smu = Math.sqrt(mu), b = 0.931 + 2.53 * smu, a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
  const lmu = Math.log(mu);
  for (;;) {
    const U = rng.uniform() - 0.5, V = rng.uniform();
    const us = 0.5 - Math.abs(U);
    const k = Math.floor((2 * a / us + b) * U + mu + 0.43);
    if (us >= 0.07 && V <= vr) return k;
    if (k < 0 || (us < 0.013 && V > us)) continue;
    if (Math.log(V * invAlpha / (a / (us * us) + b)) <= -mu + k * lmu - lgamma(k + 1)) return k;
  }
}
