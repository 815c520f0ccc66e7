// Sharded runs: `--shard i/n` computes a contiguous block of the items (windows, toys,
// pseudo-experiments, cells) of a run; `darkscan merge` joins the shards' outputs. Since every
// result is a pure function of (inputs, seed, item index), shards merged equal the unsharded run.
import { splitRange } from '../host/backend.js';

export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses "i/n" (0-based i, 0 <= i < n). */
export function parseShard(s: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  if (!m) throw new Error(`--shard: expected i/n (e.g. 0/8), got '${s}'`);
  const index = Number(m[1]), count = Number(m[2]);
  if (count < 1 || index >= count) throw new Error(`--shard: need 0 <= i < n, got ${index}/${count}`);
  return { index, count };
}

/** The item range [a, b) of shard i of n over `total` items (contiguous, balanced, in order). */
export function shardRange(total: number, shard: Shard): [number, number] {
  const a = Math.floor((total * shard.index) / shard.count);
  const b = Math.floor((total * (shard.index + 1)) / shard.count);
  return [a, b];
}

/** What a sharded output file carries so that `merge` can check and join it. */
export interface ShardHeader {
  index: number;
  count: number;
  /** Items of the whole run and this shard's range [first, end). */
  total: number;
  first: number;
  end: number;
  /** The key of the per-item array in the output object. */
  key: string;
  /**
   * Top-level fields that may differ between shards without changing the result (the backend a
   * shard ran on, its timing). merge does not compare them; it keeps a value all shards agree on,
   * sums numbers (seconds, counts), joins differing strings with '+', combines objects key by key
   * the same way, and lists every shard's values under "shards".
   */
  per_shard?: string[];
}

export interface ShardedOutput {
  kind: string;
  shard?: ShardHeader;
  [k: string]: unknown;
}

/** Finalizers recompute a kind's aggregate fields (e.g. a global p-value) from the merged items. */
const finalizers = new Map<string, (merged: ShardedOutput) => ShardedOutput>();

export function registerMergeFinalizer(kind: string, f: (merged: ShardedOutput) => ShardedOutput): void {
  finalizers.set(kind, f);
}

/** The first field (as a JSON path) where two values differ, with both values shortened. */
function firstDifference(a: unknown, b: unknown, path = ''): { path: string; a: string; b: string } {
  const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v).slice(0, 80));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const x = (a as Record<string, unknown>)[k], y = (b as Record<string, unknown>)[k];
      if (JSON.stringify(x) !== JSON.stringify(y)) return firstDifference(x, y, Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k);
    }
  }
  return { path: path || '(whole file)', a: show(a), b: show(b) };
}

function canonical(o: ShardedOutput, key: string): string {
  const rest: Record<string, unknown> = {};
  const skip = new Set(['shard', key, 'timing', 'provenance', ...(o.shard?.per_shard ?? [])]);
  for (const k of Object.keys(o).sort()) if (!skip.has(k)) rest[k] = o[k];
  return JSON.stringify(rest);
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * One value for a per-shard field: the value all shards agree on, else numbers summed (seconds,
 * counts), strings joined with '+', objects key by key the same way (timing_s, limit_method_counts:
 * a key a shard lacks counts for nothing there), null for anything else.
 */
function combinePerShard(vals: readonly unknown[]): unknown {
  if (vals.every((v) => JSON.stringify(v) === JSON.stringify(vals[0]))) return vals[0];
  if (vals.every((v) => typeof v === 'number')) return (vals as number[]).reduce((a, b) => a + b, 0);
  if (vals.every((v) => typeof v === 'string')) return [...new Set(vals)].join('+');
  if (vals.every(isRecord)) {
    const keys = [...new Set(vals.flatMap((v) => Object.keys(v)))];
    return Object.fromEntries(keys.map((k) => [k, combinePerShard(vals.filter((v) => k in v).map((v) => v[k]))]));
  }
  return null;
}

/** Joins shard outputs; checks they come from the same run and cover every item exactly once. `names` (file names) label the shards in errors. */
export function mergeShards(parts: ShardedOutput[], names?: readonly string[]): ShardedOutput {
  if (parts.length === 0) throw new Error('merge: no inputs');
  const label = (i: number) => (names?.[i] ? `${names[i]}` : `input ${i + 1}`);
  const isInt = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  parts.forEach((p, i) => {
    if (!p || typeof p !== 'object' || Array.isArray(p) || !p.shard || typeof p.shard !== 'object') throw new Error(`merge: ${label(i)} is not a sharded output (no "shard" header)`);
    const h = p.shard;
    for (const f of ['index', 'count', 'total', 'first', 'end'] as const) if (!isInt(h[f])) throw new Error(`merge: ${label(i)}: field 'shard.${f}' must be an integer >= 0, got ${JSON.stringify(h[f])}`);
    if (typeof h.key !== 'string') throw new Error(`merge: ${label(i)}: field 'shard.key' must be a string`);
    if (h.per_shard !== undefined && !(Array.isArray(h.per_shard) && h.per_shard.every((x) => typeof x === 'string'))) throw new Error(`merge: ${label(i)}: field 'shard.per_shard' must be an array of field names`);
    if (!(h.first <= h.end && h.end <= h.total && h.index < h.count)) throw new Error(`merge: ${label(i)}: inconsistent shard header ${JSON.stringify(h)}`);
  });
  const order = parts.map((_, i) => i).sort((x, y) => parts[x].shard!.first - parts[y].shard!.first);
  const sorted = order.map((i) => parts[i]);
  const h0 = sorted[0].shard!;
  const key = h0.key;
  const config = canonical(sorted[0], key);
  let next = 0;
  const items: unknown[] = [];
  sorted.forEach((p, k) => {
    const h = p.shard!;
    const who = `shard ${h.index}/${h.count}${names?.[order[k]] ? ` (${names[order[k]]})` : ''}`;
    const first = `shard ${h0.index}/${h0.count}${names?.[order[0]] ? ` (${names[order[0]]})` : ''}`;
    if (p.kind !== sorted[0].kind) throw new Error(`merge: ${who}: mixes kinds '${sorted[0].kind}' and '${p.kind}'`);
    if (h.total !== h0.total || h.count !== h0.count || h.key !== key) throw new Error(`merge: ${who} is from a different split (total ${h.total}, key ${h.key})`);
    if (canonical(p, key) !== config) {
      const d = firstDifference(JSON.parse(canonical(sorted[0], key)), JSON.parse(canonical(p, key)));
      const what = /sha256/.test(d.path) ? 'an input with different content' : /version/.test(d.path) ? 'another darkscan version' : 'different inputs or options';
      throw new Error(`merge: ${who} was run with ${what} than ${first}: field '${d.path}' is ${d.b} there, ${d.a} in ${first}`);
    }
    if (h.first !== next) throw new Error(h.first > next ? `merge: items [${next}, ${h.first}) are missing (shard before ${who} absent?)` : `merge: ${who} overlaps items before ${next}`);
    const arr = p[key];
    if (!Array.isArray(arr) || arr.length !== h.end - h.first) throw new Error(`merge: ${who} has ${Array.isArray(arr) ? arr.length : 'no'} '${key}' items, expected ${h.end - h.first}`);
    for (const x of arr) items.push(x);
    next = h.end;
  });
  if (next !== h0.total) throw new Error(`merge: items [${next}, ${h0.total}) are missing`);
  const merged: ShardedOutput = { ...sorted[0], [key]: items };
  delete merged.shard;
  const per = h0.per_shard ?? [];
  if (per.length) {
    for (const f of per) merged[f] = combinePerShard(sorted.map((p) => p[f]));
    merged.shards = sorted.map((p) => ({ index: p.shard!.index, first: p.shard!.first, end: p.shard!.end, ...Object.fromEntries(per.map((f) => [f, p[f]])) }));
  }
  const f = finalizers.get(merged.kind);
  return f ? f(merged) : merged;
}

export { splitRange };
