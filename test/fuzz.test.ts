// Bounded fuzzing of every input format: valid files mutated (truncated, bytes flipped, garbage
// and tokens inserted, numbers replaced by huge values / NaN strings / nothing, slices deleted or
// doubled, emptied), deterministically from Philox test words. Every case must end in a valid
// result or a clear Error (an Error whose message names the file, or the column / row / field /
// window), never a crash (TypeError and friends), a hang (synchronous code runs under a vm
// timeout, promises under a timer) or an unhandled rejection.
// FUZZ_CASES=N changes the number of cases per format (default 200).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import vm from 'node:vm';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testWords } from '../kernels/testing.js';
import { makeEventTable, parseCsvColumns, parseJsonColumns } from '../engine/events.js';
import { gridFromJson, gridToJson, darkHiggsstrahlungGrid } from '../engine/windows.js';
import { countInWindows } from '../engine/scan.js';
import { csvChunks } from '../engine/stream.js';
import { mergeShards, type ShardedOutput } from '../engine/shard.js';
import { parseCsv, parseParquet, parseRoot, type ColumnTable } from '../engine/io/index.js';
import { loadOnnx } from '../engine/nn/onnx.js';
import { parseMlpJson, mlpToJson } from '../engine/nn/json.js';
import { CpuBackend } from '../host/index.js';
import { main } from '../engine/cli/index.js';
import { loadConfig } from '../engine/analyses/run.js';
import { gzipSync } from 'node:zlib';
import { tempDir } from './tmp.js';

const CASES = Number(process.env.FUZZ_CASES ?? 200);
const CASE_TIMEOUT_MS = 5000;
const FIX = join(import.meta.dirname, 'fixtures');
const enc = new TextEncoder();
const dec = new TextDecoder();

/** Replacement tokens: huge and tiny numbers, NaN spellings, non-numbers, structure characters. */
const TOKENS = [
  'NaN', 'nan', '-nan', 'Infinity', '-Infinity', '1e400', '-1e400', '1e38', '3.5e38', '-3.5e38', '1e-320', '-0', '0x1p3', '0x10', '1e', '.', '-',
  '9'.repeat(400), '', ' ', '"', '""', "'", ',', ',,', '\n', '\r', '\0', '#', 'null', 'true', '[]', '{}', '[', '}', '"x"', '\u00e9', '\ufffd', '\u{1F600}',
  '1,2,3,4,5,6,7,8', '-1', '-1e-9', '4294967296', '18446744073709551616', '1e308', '\t1\t',
  // issue 21: number forms Number() reads but the number rule refuses; quoted fields; out-of-range coordinates
  '0x4', '0b11', '0o7', '0X1F', '+0x4', '"1.5"', '"2,5"', '"m_mumu_GeV"', '2e4', '-2e4', '1e-6',
];

/** A deterministic stream of u32 from Philox test words. */
function words(stream: number): () => number {
  const w = testWords(Math.max(4096, 64 * CASES), stream);
  let i = 0;
  return () => w[i++ % w.length];
}

/** One mutation of `base` chosen by the word stream; text formats also get token-level edits. */
function mutate(base: Uint8Array, r: () => number, text: boolean): { op: string; bytes: Uint8Array } {
  const len = base.length;
  const at = () => r() % (len + 1);
  const cat = (...p: Uint8Array[]) => {
    const out = new Uint8Array(p.reduce((s, x) => s + x.length, 0));
    let o = 0;
    for (const x of p) { out.set(x, o); o += x.length; }
    return out;
  };
  const op = r() % 12;
  switch (op) {
    case 0: { const k = at(); return { op: `truncate at ${k}`, bytes: base.slice(0, k) }; }
    case 1: {
      const b = base.slice();
      const k = 1 + (r() % 8);
      for (let i = 0; i < k && len; i++) b[r() % len] ^= 1 + (r() % 255);
      return { op: `flip ${k} bytes`, bytes: b };
    }
    case 2: { const k = at(), g = Uint8Array.from({ length: 1 + (r() % 32) }, () => r() & 255); return { op: `insert ${g.length} garbage bytes at ${k}`, bytes: cat(base.subarray(0, k), g, base.subarray(k)) }; }
    case 3: { const k = at(), t = TOKENS[r() % TOKENS.length]; return { op: `insert ${JSON.stringify(t.slice(0, 20))} at ${k}`, bytes: cat(base.subarray(0, k), enc.encode(t), base.subarray(k)) }; }
    case 4: {
      if (text) {
        const s = dec.decode(base);
        const nums = [...s.matchAll(/-?\d+(\.\d+)?([eE][-+]?\d+)?/g)];
        if (nums.length) {
          const m = nums[r() % nums.length], t = TOKENS[r() % TOKENS.length];
          return { op: `number ${m[0]} at ${m.index} -> ${JSON.stringify(t.slice(0, 20))}`, bytes: enc.encode(s.slice(0, m.index) + t + s.slice(m.index! + m[0].length)) };
        }
      }
      // Binary: a length or count field set to all ones / zeros / a large value.
      const b = base.slice(), k = r() % Math.max(1, len - 8), v = [0xff, 0x00, 0x7f][r() % 3];
      for (let i = 0; i < 4 + (r() % 5) && k + i < len; i++) b[k + i] = v;
      return { op: `overwrite at ${k} with 0x${v.toString(16)}`, bytes: b };
    }
    case 5: { const a = at(), b = Math.min(len, a + 1 + (r() % 64)); return { op: `delete [${a}, ${b})`, bytes: cat(base.subarray(0, a), base.subarray(b)) }; }
    case 6: { const a = at(), b = Math.min(len, a + 1 + (r() % 256)); return { op: `double [${a}, ${b})`, bytes: cat(base.subarray(0, b), base.subarray(a)) }; }
    case 7: return r() % 4 === 0 ? { op: 'empty', bytes: new Uint8Array(0) } : { op: 'only the first line', bytes: base.slice(0, Math.max(0, base.indexOf(10))) };
    // issue 21: the whole file compressed, or re-encoded as UTF-16 (with and without a byte-order mark)
    case 10: return { op: 'gzip the file', bytes: new Uint8Array(gzipSync(base)) };
    case 11: {
      const bom = r() % 2 === 0;
      return { op: `UTF-16LE${bom ? ' with BOM' : ''}`, bytes: cat(bom ? Uint8Array.of(0xff, 0xfe) : new Uint8Array(0), new Uint8Array(Buffer.from(dec.decode(base), 'utf16le'))) };
    }
    default: {
      const a = mutate(base, r, text), b = mutate(a.bytes, r, text);
      return { op: `${a.op}; ${b.op}`, bytes: b.bytes };
    }
  }
}

class Hang extends Error {}
/** Two readings of the same input that must agree, did not. */
class Mismatch extends Error {}

/** Runs a case: its synchronous part under a vm timeout, a promise it returns under a timer. */
async function runCase(f: () => unknown, ms = CASE_TIMEOUT_MS): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
  let v: unknown;
  try {
    v = vm.runInNewContext('f()', { f }, { timeout: ms });
  } catch (e) {
    return { ok: false, error: (e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT' ? new Hang(`synchronous hang > ${ms} ms`) : e };
  }
  if (!(v instanceof Promise)) return { ok: true, value: v };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const to = new Promise((_, rej) => (timer = setTimeout(() => rej(new Hang(`no answer within ${ms} ms`)), ms)));
    return { ok: true, value: await Promise.race([v, to]) };
  } catch (e) {
    return { ok: false, error: e };
  } finally {
    clearTimeout(timer);
  }
}

const INTERNAL = /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not a constructor|undefined is not|null is not|Invalid typed array length|Invalid array length|Maximum call stack|allocation failed|out of memory|Array buffer allocation/i;
const NAMES_PLACE = /column '|row \d|line \d|window \d|windows\[\d|field '|entry \d|branch '|input \d/;

/** Why an error is not a clear one (undefined: it is). */
function unclear(e: unknown, source: string): string | undefined {
  if (e instanceof Hang) return `hang: ${e.message}`;
  if (e instanceof Mismatch) return `mismatch: ${e.message}`;
  if (!(e instanceof Error)) return `threw a non-Error: ${String(e).slice(0, 200)}`;
  // A library's internal message is acceptable only wrapped in an error that names the file (and says what part failed).
  if (e instanceof TypeError || e instanceof ReferenceError || (INTERNAL.test(e.message) && !e.message.includes(source))) return `internal error (${e.name}): ${e.message.slice(0, 300)}`;
  if (!e.message.includes(source) && !NAMES_PLACE.test(e.message)) return `message names neither the file nor a field/row: ${e.message.slice(0, 300)}`;
  return undefined;
}

interface Format {
  name: string;
  source: string;
  base: () => Uint8Array;
  text: boolean;
  /** Reads the bytes; returns a reason when a result is not valid. */
  read: (bytes: Uint8Array) => unknown | Promise<unknown>;
  check?: (v: unknown) => string | undefined;
  stream: number;
}

function tableCheck(v: unknown): string | undefined {
  const t = v as ColumnTable;
  if (!Number.isInteger(t.length) || t.length < 0) return `bad length ${t.length}`;
  for (const [k, c] of Object.entries(t.columns)) if (c.length !== t.length) return `column ${k} has ${c.length} rows, table ${t.length}`;
  return undefined;
}

let unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => process.off('unhandledRejection', onUnhandled));

const cpu = new CpuBackend();
const grid = darkHiggsstrahlungGrid({ xMin: 0.5, xMax: 3 });
const eventsCsv = (() => {
  const u = testWords(120, 900);
  let s = '# fuzz base: m_mumu, m_recoil in GeV, weight\nm_mumu_GeV,m_recoil_GeV,weight\n';
  for (let i = 0; i < 40; i++) s += `${(0.5 + 2.5 * u[3 * i] * 2 ** -32).toFixed(6)},${(0.5 * u[3 * i + 1] * 2 ** -32).toFixed(6)},${(2 * u[3 * i + 2] * 2 ** -32).toFixed(4)}\n`;
  return s;
})();
const smallTable = makeEventTable(parseCsvColumns(eventsCsv), { required: ['m_mumu_GeV', 'm_recoil_GeV'] }).table;
const dir = tempDir('fuzz');
const gridFile = join(dir, 'grid.json');
writeFileSync(gridFile, gridToJson(darkHiggsstrahlungGrid({ xMin: 0.5, xMax: 1.5 })));
const shardDocs: ShardedOutput[] = [];

async function scanCli(file: string, chunk?: number): Promise<{ ok: true; windows: unknown } | { ok: false; error: unknown }> {
  const out = join(dir, 'scan-out.json');
  try {
    await main(['scan', '--data', file, '--background', file, '--grid', gridFile, '--backend', 'cpu', '--out', out, '--force', ...(chunk ? ['--chunk-events', String(chunk)] : [])], () => {});
    return { ok: true, windows: JSON.parse(readFileSync(out, 'utf8')).windows };
  } catch (e) {
    return { ok: false, error: e };
  }
}

const FORMATS: Format[] = [
  {
    name: 'CSV events: scan CLI, whole file and streamed in chunks of 7 rows (must agree)', source: 'fuzz-events.csv', text: true, stream: 1000,
    base: () => enc.encode(eventsCsv),
    read: async (b) => {
      const f = join(dir, 'fuzz-events.csv');
      writeFileSync(f, b);
      const whole = await scanCli(f), streamed = await scanCli(f, 7);
      if (whole.ok !== streamed.ok) throw new Mismatch(`whole and streamed disagree: ${whole.ok ? 'whole ok' : String((whole as { error: Error }).error?.message)} / ${streamed.ok ? 'streamed ok' : String((streamed as { error: Error }).error?.message)}`);
      if (!whole.ok) throw whole.error;
      if (JSON.stringify(whole.windows) !== JSON.stringify((streamed as { windows: unknown }).windows)) throw new Mismatch('whole and streamed scans give different numbers');
      return whole.windows;
    },
  },
  {
    name: 'CSV events: streaming reader alone (tiny pieces)', source: 'fuzz-stream.csv', text: true, stream: 1100,
    base: () => enc.encode(eventsCsv),
    read: async (b) => {
      const pieces = Array.from({ length: Math.ceil(b.length / 5) }, (_, i) => b.subarray(5 * i, 5 * i + 5));
      let rows = 0;
      for await (const c of csvChunks(pieces, { source: 'fuzz-stream.csv', chunkRows: 3, maxLineChars: 4096 })) rows += c.rows;
      return rows;
    },
  },
  {
    name: 'CSV events: engine/io parseCsv', source: 'fuzz-io.csv', text: true, stream: 1200,
    base: () => enc.encode(eventsCsv), read: (b) => parseCsv(dec.decode(b), { source: 'fuzz-io.csv' }), check: tableCheck,
  },
  {
    name: 'JSON events', source: 'fuzz-events.json', text: true, stream: 1300,
    base: () => enc.encode(JSON.stringify({ columns: { m_mumu_GeV: Array.from(smallTable.columns.m_mumu_GeV), m_recoil_GeV: Array.from(smallTable.columns.m_recoil_GeV), w: Array.from(smallTable.columns.m_recoil_GeV, (x) => x + 1) }, weight_column: 'w' })),
    read: async (b) => {
      const j = parseJsonColumns(dec.decode(b), 'fuzz-events.json');
      const t = makeEventTable(j.columns, { required: ['m_mumu_GeV', 'm_recoil_GeV'], weightColumn: j.weightColumn, source: 'fuzz-events.json' }).table;
      return countInWindows(cpu, grid, t);
    },
  },
  {
    name: 'grid JSON', source: 'fuzz-grid.json', text: true, stream: 1400,
    base: () => enc.encode(gridToJson(darkHiggsstrahlungGrid({ xMin: 0.5, xMax: 0.8 }))),
    read: (b) => countInWindows(cpu, gridFromJson(dec.decode(b), 'fuzz-grid.json'), smallTable),
  },
  {
    name: 'shard JSON (darkscan merge)', source: 'fuzz-shard', text: true, stream: 1500,
    base: () => enc.encode(JSON.stringify(shardDocs[1])),
    read: (b) => {
      let d: ShardedOutput;
      try {
        d = JSON.parse(dec.decode(b));
      } catch (e) {
        throw new Error(`fuzz-shard.json is not valid JSON: ${(e as Error).message}`);
      }
      return mergeShards([shardDocs[0], d, shardDocs[2]], ['s0.json', 'fuzz-shard.json', 's2.json']);
    },
  },
  {
    name: 'MLP JSON', source: 'fuzz-mlp.json', text: true, stream: 1600,
    base: () => enc.encode(mlpToJson(loadOnnx(readFileSync(join(FIX, 'onnx', 'gemm_tanh_softmax_6_20_2.onnx'))))),
    read: (b) => parseMlpJson(dec.decode(b), 'fuzz-mlp.json'),
  },
  {
    name: 'analysis config JSON (darkscan run)', source: 'fuzz-config.json', text: true, stream: 2000,
    base: () => readFileSync(join(import.meta.dirname, '..', 'engine', 'analyses', 'configs', 'zprime-mumu.json')),
    read: (b) => loadConfig(dec.decode(b), 'fuzz-config.json'),
  },
  {
    name: 'ONNX', source: 'fuzz.onnx', text: false, stream: 1700,
    base: () => readFileSync(join(FIX, 'onnx', 'gemm_sigmoid_leaky_softmax_opset11_10_24_12_4.onnx')),
    read: (b) => loadOnnx(b, { source: 'fuzz.onnx' }),
  },
  {
    name: 'Parquet', source: 'fuzz.parquet', text: false, stream: 1800,
    base: () => readFileSync(join(FIX, 'parquet', 'dimuon-snappy.parquet')), read: (b) => parseParquet(b, { source: 'fuzz.parquet' }), check: tableCheck,
  },
  {
    name: 'ROOT', source: 'fuzz.root', text: false, stream: 1900,
    base: () => readFileSync(join(FIX, 'root', 'uproot-Zmumu.root')), read: (b) => parseRoot(b, { source: 'fuzz.root' }), check: tableCheck,
  },
];

describe(`fuzzing: ${CASES} mutated inputs per format end in a result or a clear error`, () => {
  beforeAll(async () => {
    // Shard outputs for the merge fuzz: a small random run split in three.
    for (let i = 0; i < 3; i++) {
      const lines: string[] = [];
      await main(['random', '--seed', '5', '--blocks', '30', '--json', '--shard', `${i}/3`, '--backend', 'cpu'], (s) => lines.push(s));
      shardDocs.push(JSON.parse(lines.join('\n')));
    }
  });

  for (const fmt of FORMATS) {
    it(fmt.name, async () => {
      const base = new Uint8Array(fmt.base()); // a copy: Buffer.slice would share (and accumulate) the mutations
      // The unmutated input is valid.
      const clean = await runCase(() => fmt.read(base));
      if (!clean.ok) throw clean.error;
      const r = words(fmt.stream);
      const bad: string[] = [];
      let errors = 0;
      const t0 = performance.now();
      for (let c = 0; c < CASES; c++) {
        const m = mutate(base, r, fmt.text);
        const res = await runCase(() => fmt.read(m.bytes));
        if (res.ok) {
          const why = fmt.check?.(res.value);
          if (why) bad.push(`case ${c} (${m.op}): invalid result: ${why}`);
        } else {
          errors++;
          const why = unclear(res.error, fmt.source);
          if (why) bad.push(`case ${c} (${m.op}): ${why}`);
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      console.log(`fuzz ${fmt.name}: ${CASES} cases, ${errors} errors, ${CASES - errors} results, ${seconds.toFixed(2)} s`);
      expect(bad).toEqual([]);
      expect(errors).toBeGreaterThan(CASES / 10); // the mutations do hit
      // Let rejections of this format's cases surface here, not in the next format's test.
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    });
  }

  it('the harness catches what it should: a synchronous hang, a promise that never settles, a TypeError', async () => {
    const hang = await runCase(() => { for (;;); }, 200);
    expect(!hang.ok && unclear(hang.error, 'x')).toMatch(/^hang/);
    const never = await runCase(() => new Promise(() => {}), 200);
    expect(!never.ok && unclear(never.error, 'x')).toMatch(/^hang/);
    const te = await runCase(() => (undefined as unknown as { a: number }).a);
    expect(!te.ok && unclear(te.error, 'x')).toMatch(/^internal error/);
    expect(unclear(new Error('x.csv: line 3: bad'), 'x.csv')).toBeUndefined();
    expect(unclear(new Error('something failed'), 'x.csv')).toMatch(/names neither/);
    expect(unclear(new Error('y.csv: Cannot read properties of undefined'), 'x.csv')).toMatch(/^internal error/);
  });
});
