// Long toy runs of one hypothesis test: toys [first, end) computed in blocks, each block's q~
// appended to a checkpoint file (written atomically), so an interrupted run resumes where it
// stopped. Toy t is a pure function of (seed, window, t) (the kernel's counter), so a resumed,
// re-blocked or sharded run gives the same bits as one uninterrupted run.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { Backend } from '../../host/backend.js';
import { writeAtomic } from '../output.js';
import { checkpoint } from '../cancel.js';
import { type Model } from './model.js';
import { toyQ, toyRow } from './toys.js';

export interface ToyRunOptions {
  readonly backend: Backend;
  readonly seed: number;
  /** Toy indices [first, end) (a shard of the whole run, or all of it). */
  readonly first: number;
  readonly end: number;
  /** Toys per dispatch and per checkpoint (default 2^20). */
  readonly block?: number;
  readonly checkpoint?: string;
  readonly signal?: AbortSignal;
  readonly progress?: (s: string) => void;
}

export interface ToyRun {
  readonly qObs: number;
  readonly qsb: Float32Array;
  readonly qb: Float32Array;
  /** Toys taken from a checkpoint rather than computed in this call. */
  readonly resumed: number;
}

/** Checkpoint encoding of toy arrays (also engine/cli/likelihood-toys.ts): the bytes as base64. */
export const b64 = (a: Float32Array | Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
export const unb64 = (s: string) => {
  const b = Buffer.from(s, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

export async function runToys(m: Model, mu: number, o: ToyRunOptions): Promise<ToyRun> {
  const { row, kind } = toyRow(m, mu);
  const n = o.end - o.first;
  const qsb = new Float32Array(n), qb = new Float32Array(n);
  const identity = { kind: 'darkscan-toy-checkpoint', version: 1, model: { n: m.n, b: m.b, sRef: m.sRef, sigmaB: m.sigmaB, kind: m.kind, aux: m.aux }, mu, seed: o.seed, first: o.first, end: o.end };
  let done = 0;
  if (o.checkpoint && existsSync(o.checkpoint)) {
    let c: typeof identity & { done: number; qsb: string; qb: string };
    try {
      c = JSON.parse(readFileSync(o.checkpoint, 'utf8'));
    } catch (e) {
      throw new Error(`checkpoint ${o.checkpoint}: not readable JSON (${(e as Error).message}); delete it to start over`);
    }
    for (const k of Object.keys(identity) as (keyof typeof identity)[]) {
      if (JSON.stringify(c[k]) !== JSON.stringify(identity[k])) throw new Error(`checkpoint ${o.checkpoint}: was written for a different run (${k}: ${JSON.stringify(c[k])} here ${JSON.stringify(identity[k])}); delete it to start over`);
    }
    const a = unb64(c.qsb), b = unb64(c.qb);
    if (!(Number.isInteger(c.done) && c.done >= 0 && c.done <= n && a.length === c.done && b.length === c.done)) throw new Error(`checkpoint ${o.checkpoint}: inconsistent (done = ${c.done}, ${a.length} toys stored)`);
    qsb.set(a);
    qb.set(b);
    done = c.done;
  }
  const resumed = done;
  const block = Math.max(1, Math.floor(o.block ?? 1 << 20));
  while (done < n) {
    await checkpoint(o.signal); // a macrotask turn, so that Ctrl-C is seen between blocks on any backend
    const k = Math.min(block, n - done);
    const q = await toyQ([row], kind, { backend: o.backend, seed: o.seed, toys: k, toy0: o.first + done });
    qsb.set(q.qsb, done);
    qb.set(q.qb, done);
    done += k;
    if (o.checkpoint) writeAtomic(o.checkpoint, JSON.stringify({ ...identity, done, qsb: b64(qsb.subarray(0, done)), qb: b64(qb.subarray(0, done)) }));
    o.progress?.(`toys: ${o.first + done} of [${o.first}, ${o.end})`);
  }
  if (o.checkpoint) rmSync(o.checkpoint, { force: true });
  return { qObs: row.qObs, qsb, qb, resumed };
}
