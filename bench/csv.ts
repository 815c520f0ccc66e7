// CSV read throughput (issue 18, item 2): MB/s of the byte-level readers on numeric event CSV,
// against a naive Node parse (decode, split lines and commas, Number()) in the same run.
// Text: `--rows` events of 4 float32 columns written by engine/io/csv.ts toCsv (shortest float32
// forms, as `darkscan generate` writes them), Philox-generated; `--f64` writes float64 columns
// (17-digit texts, which take the Number() fallback for correct rounding).
//   npx vite-node bench/csv.ts -- --rows 1e6 [--f64] [--reps 5]
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { philoxBlock } from '../kernels/philox/ref.js';
import { parseCsvColumns } from '../engine/events.js';
import { parseCsv, readCsvBytes, toCsv } from '../engine/io/csv.js';
import { csvChunks, csvFileChunks } from '../engine/stream.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { rows: { type: 'string', default: '1e6' }, f64: { type: 'boolean' }, reps: { type: 'string', default: '5' }, seed: { type: 'string', default: '18' } },
});
const N = Number(values.rows), REPS = Number(values.reps), SEED = Number(values.seed);
const U = 2 ** -32;
const Arr = values.f64 ? Float64Array : Float32Array;
const cols = { m_mumu_GeV: new Arr(N), m_recoil_GeV: new Arr(N), weight: new Arr(N), mlp_score: new Arr(N) };
const w = new Uint32Array(4);
for (let i = 0; i < N; i++) {
  philoxBlock(i >>> 0, 0, 0, 0, SEED, 0xc5f, w, 0);
  cols.m_mumu_GeV[i] = 0.22 + 10.2 * w[0] * U;
  cols.m_recoil_GeV[i] = Math.min(cols.m_mumu_GeV[i], 10.58 - cols.m_mumu_GeV[i]) * w[1] * U;
  cols.weight[i] = 0.5 + w[2] * U;
  cols.mlp_score[i] = w[3] * U;
}
const bytes = new TextEncoder().encode(toCsv(cols, { seed: SEED, bench: 'csv' }));
const MB = bytes.length / 1e6;

function naive(b: Uint8Array): number {
  const lines = new TextDecoder().decode(b).split('\n');
  let li = 0;
  while (lines[li].startsWith('#')) li++;
  const nf = lines[li].split(',').length;
  const out = Array.from({ length: nf }, () => new Float64Array(lines.length));
  let r = 0;
  for (let k = li + 1; k < lines.length; k++) {
    if (lines[k] === '') continue;
    const f = lines[k].split(',');
    for (let j = 0; j < nf; j++) out[j][r] = Number(f[j]);
    r++;
  }
  return r;
}

const dir = mkdtempSync(join(tmpdir(), 'darkscan-csvbench-'));
const file = join(dir, 'events.csv');
writeFileSync(file, bytes);
const cases: [string, () => Promise<number>][] = [
  ['naive Node: decode + split + Number() (baseline)', async () => naive(bytes)],
  ['parseCsvColumns (bytes in memory)', async () => parseCsvColumns(bytes, 'bench.csv').m_mumu_GeV.length],
  ['engine/io parseCsv (bytes in memory)', async () => parseCsv(bytes).length],
  ['csvChunks (1 MiB pieces, 2^20-row chunks)', async () => {
    let n = 0;
    const pieces = function* () { for (let a = 0; a < bytes.length; a += 1 << 20) yield bytes.subarray(a, a + (1 << 20)); };
    for await (const c of csvChunks(pieces())) n += c.rows;
    return n;
  }],
  ['file: readCsvBytes + parseCsvColumns', async () => parseCsvColumns(await readCsvBytes(file), file).m_mumu_GeV.length],
  ['file: csvFileChunks (streamed, 2^20-row chunks)', async () => {
    let n = 0;
    for await (const c of csvFileChunks(file)) n += c.rows;
    return n;
  }],
];
const results = [];
for (const [name, f] of cases) {
  if ((await f()) !== N) throw new Error(`${name}: row count`);
  const t: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    await f();
    t.push((performance.now() - t0) / 1e3);
  }
  t.sort((a, b) => a - b);
  const med = t[t.length >> 1];
  results.push({ reader: name, median_s: +med.toFixed(4), MB_per_s: +(MB / med).toFixed(1) });
  console.error(`${name}: ${(med * 1e3).toFixed(1)} ms, ${(MB / med).toFixed(1)} MB/s`);
}
rmSync(dir, { recursive: true });
const base = results[0].MB_per_s;
console.log(JSON.stringify({ rows: N, columns: 4, text: values.f64 ? 'float64 shortest forms' : 'float32 shortest forms (toCsv)', bytes: bytes.length, reps: REPS, node: process.version, results: results.map((r) => ({ ...r, ratio_to_naive: +(r.MB_per_s / base).toFixed(2) })) }, null, 1));
