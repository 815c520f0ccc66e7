// `--calculator toys` of darkscan cls | upper-limit | discovery on pyhf workspaces (issue 14): the
// fits to the observed data, then every toy of every patch and tested point in batched runToys
// dispatches (engine/likelihood/toycls.ts), with progress on stderr, `--shard i/n` (a range of toy
// indices of every set; `darkscan merge` joins them), and `--checkpoint FILE` (resume after an
// interruption). Toys are bits of (seed, stream, toy index), so merged shards and resumed runs
// give the unsharded, uninterrupted numbers. Every output records the seed, the toys, the input
// digests and the darkscan version; merge refuses shards that differ in any of them.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { FitSession, TestStat } from '../likelihood/infer.js';
import { countsOf, planToys, runToyBlocks, type ToyArrays, type ToyCounts, type ToyPlanHeader, type ToyPoint, type ToyState } from '../likelihood/toycls.js';
import { writeAtomic } from '../output.js';
import { DARKSCAN_VERSION } from '../provenance.js';
import { parseShard, registerMergeFinalizer, shardRange, type ShardedOutput } from '../shard.js';
import { toyRunDocument } from '../likelihood/report.js';
import { b64, unb64 } from '../stats/toyrun.js';
import { intArg, type Context } from './args.js';
import { runRecord, targetsOf, withSession, type LikelihoodFlagValues, type LoadedModels } from './likelihood.js';

/** Flags of a toy run besides --toys / --seed (which the counting commands share). */
export const TOY_RUN_FLAGS = {
  shard: { type: 'string', arg: 'i/n', help: 'toys: compute toy range i of n (0-based) of every set; needs --json; join with `darkscan merge`' },
  checkpoint: { type: 'string', arg: 'FILE', help: 'toys: save progress to FILE after every block and resume from it' },
  block: { type: 'string', arg: 'K', help: 'toys per set and dispatch (default: automatic; results do not depend on it)' },
} as const;

export const TOY_FLAGS = {
  toys: { type: 'string', default: '1000', arg: 'K', help: 'toys per hypothesis and tested point (--calculator toys)' },
  seed: { type: 'string', default: '1', arg: 'S', help: 'seed of the toys (--calculator toys)' },
  ...TOY_RUN_FLAGS,
} as const;

export interface ToyFlagValues extends LikelihoodFlagValues {
  toys?: string;
  seed?: string;
  shard?: string;
  checkpoint?: string;
  block?: string;
  json?: boolean;
}

export type ToyCommand = 'cls' | 'upper-limit' | 'discovery';

/** What defines a toy run's numbers (JSON): shards and checkpoints carry it, merge compares it. */
export interface ToyHeader {
  readonly kind: 'likelihood-toys';
  readonly command: ToyCommand;
  readonly config: Record<string, unknown>;
  readonly test_stat: TestStat;
  readonly seed: number;
  readonly toys: number;
  readonly darkscan_version: string;
  /** The input files and their digests (the run record's provenance). */
  readonly inputs: Record<string, unknown>;
  readonly patches: string[] | null;
  readonly points: ToyPoint[];
  readonly per_point: 1 | 2;
  /** Per point, of the observed data: q (f32 values) and mu-hat. */
  readonly q_obs: number[];
  readonly muhat: number[];
}

/** The results of a finished run (or of merged shards) as the command's JSON fields. */
type Finisher = (h: ToyHeader, counts: ToyCounts, arrays: ToyArrays | undefined) => Record<string, unknown>;
const finishers = new Map<ToyCommand, Finisher>();
export function registerToyFinisher(c: ToyCommand, f: Finisher): void {
  finishers.set(c, f);
}

export const planOf = (h: ToyHeader): ToyPlanHeader => ({ stat: h.test_stat, points: h.points, perPoint: h.per_point, qObs: Float32Array.from(h.q_obs), muhat: Float64Array.from(h.muhat) });

export interface ToyJob {
  readonly command: ToyCommand;
  readonly stat: TestStat;
  /** Only the toys at the tested mu (discovery p0): counts, nothing per toy unless sharded. */
  readonly nullOnly?: boolean;
  /** Options that change the numbers (POI value, CL, the scan). */
  readonly config: Record<string, unknown>;
  /** The points to test (the upper limit's default scan needs asymptotic fits first). */
  points(s: FitSession): Promise<ToyPoint[]>;
}

const unU8 = (s: string) => Uint8Array.from(Buffer.from(s, 'base64'));

/**
 * Prints what a toy job writes as JSON (the shard record with --shard, else the fields with --json)
 * and returns undefined; without JSON output, returns the run for the command's text summary.
 */
export function printToyJson<T extends { fields: Record<string, unknown> }>(r: T | { shard: ShardedOutput }, json: boolean | undefined, out: (s: string) => void): T | undefined {
  if ('shard' in r) out(JSON.stringify(r.shard));
  else if (json) out(JSON.stringify(r.fields));
  else return r;
  return undefined;
}

/**
 * Runs a toy job: prints the shard JSON (with --shard) and returns undefined, or returns the
 * command's JSON fields (results + run record) for the caller to print.
 */
export async function runToyJob(values: ToyFlagValues, loaded: LoadedModels, ctx: Context, job: ToyJob): Promise<{ fields: Record<string, unknown>; header: ToyHeader; session: FitSession; resumed: number } | { shard: ShardedOutput }> {
  const K = intArg(values.toys!, '--toys', 1, 1e9), seed = intArg(values.seed!, '--seed', 0, 2 ** 32 - 1);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (shard && !values.json) throw new Error(`${job.command}: --shard writes JSON for \`darkscan merge\`: add --json`);
  const block = values.block === undefined ? undefined : intArg(values.block, '--block', 1, 1 << 26);
  const [first, end] = shard ? shardRange(K, shard) : [0, K];
  const finish = finishers.get(job.command)!;
  const keep = !!shard || !job.nullOnly;
  const { result, session } = await withSession(values, loaded.models, ctx, async (s) => {
    const points = await job.points(s);
    const plan = await planToys(s, targetsOf(loaded.models), points, job.stat, { nullOnly: job.nullOnly, stream: (t) => loaded.indices[t] });
    const header: ToyHeader = {
      kind: 'likelihood-toys', command: job.command, config: job.config, test_stat: job.stat, seed, toys: K, darkscan_version: DARKSCAN_VERSION,
      inputs: loaded.provenance, patches: loaded.patches ?? null, points: [...points], per_point: plan.perPoint, q_obs: Array.from(plan.qObs), muhat: Array.from(plan.muhat),
    };
    const ck = values.checkpoint;
    const identity = JSON.stringify({ ...header, first, end });
    let resume: ToyState | undefined;
    if (ck && existsSync(ck)) resume = readCheckpoint(ck, identity, plan.sets.length, keep);
    const onBlock = ck ? (st: ToyState) => writeAtomic(ck, JSON.stringify({
      checkpoint: 'darkscan-likelihood-toys/1', identity: JSON.parse(identity), done: st.done, above: Array.from(st.counts.above), bad: Array.from(st.counts.bad),
      q: st.arrays?.q.map((a) => b64(a.subarray(0, st.done))), status: st.arrays?.status.map((a) => b64(a.subarray(0, st.done))),
    })) : undefined;
    const t0 = Date.now();
    const run = await runToyBlocks(s.backend, s.packed, plan, { seed, first, end, keep, block, maxIter: s.opts.maxIter, signal: ctx.signal, progress: ctx.progress, resume, onBlock });
    ctx.progress?.(`toys: ${end - first} per set x ${plan.sets.length} sets on ${s.backend.name} in ${((Date.now() - t0) / 1000).toFixed(2)} s${run.resumed ? ` (${run.resumed} resumed from ${ck})` : ''}`);
    if (ck) rmSync(ck, { force: true });
    return { header, run };
  });
  const { header, run } = result;
  if (shard) {
    const a = run.arrays!, S = a.q.length;
    const items = Array.from({ length: end - first }, (_, i) => [Array.from({ length: S }, (_, j) => a.q[j][i]), Array.from({ length: S }, (_, j) => a.status[j][i])]);
    return { shard: { ...header, ...runRecord(session, loaded), shard: { index: shard.index, count: shard.count, total: K, first, end, key: 'q', per_shard: ['backend', 'fits', 'fits_not_converged'] }, q: items } };
  }
  return { fields: toyRunDocument(finish(header, run.counts, run.arrays), K, seed, session, loaded), header, session, resumed: run.resumed };
}

function readCheckpoint(path: string, identity: string, sets: number, keep: boolean): ToyState {
  let c: { identity: unknown; done: number; above: number[]; bad: number[]; q?: string[]; status?: string[] };
  try {
    c = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`checkpoint ${path}: not readable JSON (${(e as Error).message}); delete it to start over`);
  }
  if (JSON.stringify(c.identity) !== identity) {
    const a = JSON.parse(identity) as Record<string, unknown>, b = (c.identity ?? {}) as Record<string, unknown>;
    const k = Object.keys(a).find((x) => JSON.stringify(a[x]) !== JSON.stringify(b[x])) ?? 'identity';
    throw new Error(`checkpoint ${path}: was written for a different run (${k} differs); delete it to start over`);
  }
  const q = c.q?.map(unb64), status = c.status?.map(unU8);
  const ok = Number.isSafeInteger(c.done) && c.done >= 0 && c.above?.length === sets && c.bad?.length === sets && (!keep || (q?.length === sets && q.every((x) => x.length === c.done) && status?.every((x) => x.length === c.done)));
  if (!ok) throw new Error(`checkpoint ${path}: inconsistent (done = ${c.done}); delete it to start over`);
  return { done: c.done, counts: { toys: c.done, above: Uint32Array.from(c.above), bad: Uint32Array.from(c.bad) }, arrays: keep ? { q: q!, status: status! } : undefined };
}

// Merged shards: the arrays of all toys, then the command's own results, as one unsharded run.
registerMergeFinalizer('likelihood-toys', (merged: ShardedOutput) => {
  const h = merged as unknown as ToyHeader & { q: [number[], number[]][] };
  const S = h.points.length * h.per_point;
  const arrays: ToyArrays = {
    q: Array.from({ length: S }, (_, j) => Float32Array.from(h.q, (t) => t[0][j])),
    status: Array.from({ length: S }, (_, j) => Uint8Array.from(h.q, (t) => t[1][j])),
  };
  const finish = finishers.get(h.command);
  if (!finish) throw new Error(`merge: unknown toy command '${h.command}'`);
  const fields = finish(h, countsOf(planOf(h), arrays), h.per_point === 2 ? arrays : undefined);
  const rec = merged as Record<string, unknown>;
  return { kind: h.command, ...fields, calculator: 'toys', toys: h.toys, seed: h.seed, backend: rec.backend, ...h.inputs, fits: rec.fits, fits_not_converged: rec.fits_not_converged, darkscan_version: h.darkscan_version, shards: rec.shards };
});
