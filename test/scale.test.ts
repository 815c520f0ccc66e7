// Issue 9 at the scan: sharded scans merged equal the unsharded scan (bit for bit, shards on
// different backends); streamed scans (CSV read in chunks) equal the in-memory scan; an aborted
// scan writes no output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../engine/cli/index.js';
import { testWords } from '../kernels/testing.js';
import { makeEventTable, parseCsvColumns, type EventTable } from '../engine/events.js';
import { csvChunks } from '../engine/stream.js';
import { scan, scanStreamed, countInWindows, countInWindowsStreamed, type TableSource } from '../engine/scan.js';
import { darkHiggsstrahlungGrid } from '../engine/windows.js';
import { WasmBackend, type Backend } from '../host/index.js';
import { ALLOW_NO_WEBGPU } from './backends.js';
import { tempDir } from './tmp.js';

const U = 2 ** -32;
const RS = 10.58;

/** Events spread over the dark Higgsstrahlung phase space (m_recoil < m_mumu, sum < sqrt(s)); Philox test words. */
function genColumns(n: number, stream: number, weighted: boolean): Record<string, Float64Array> {
  const u = testWords(n, stream), v = testWords(n, stream + 1), w = testWords(n, stream + 2);
  const x = new Float64Array(n), y = new Float64Array(n), wt = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = 0.22 + 10.2 * u[i] * U;
    y[i] = Math.min(x[i], RS - x[i]) * v[i] * U;
    wt[i] = 0.05 + 1.5 * w[i] * U;
  }
  return weighted ? { m_mumu_GeV: x, m_recoil_GeV: y, weight: wt } : { m_mumu_GeV: x, m_recoil_GeV: y };
}

function toCsvText(cols: Record<string, ArrayLike<number>>): string {
  const names = Object.keys(cols);
  const n = cols[names[0]].length;
  const lines = [names.join(',')];
  for (let i = 0; i < n; i++) lines.push(names.map((c) => String(cols[c][i])).join(','));
  return lines.join('\n') + '\n';
}

/** CSV text of generated events, produced piece by piece (never the whole file in memory). */
function* csvPieces(cols: Record<string, ArrayLike<number>>, rowsPerPiece: number): Generator<string> {
  const names = Object.keys(cols);
  const n = cols[names[0]].length;
  yield names.join(',') + '\n';
  for (let a = 0; a < n; a += rowsPerPiece) {
    let s = '';
    for (let i = a; i < Math.min(n, a + rowsPerPiece); i++) s += names.map((c) => String(cols[c][i])).join(',') + '\n';
    yield s;
  }
}

async function run(argv: string[], ctx = {}): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(argv, (s) => lines.push(s), ctx);
  return { code, out: lines.join('\n') };
}

/** A scan document without the fields that say where and how fast it ran. */
function numbersOf(doc: Record<string, unknown>): string {
  const d = { ...doc };
  for (const k of ['backend', 'backend_details', 'scan_seconds', 'shards']) delete d[k];
  return JSON.stringify(d);
}

describe('darkscan scan --shard i/n + merge', () => {
  const dir = tempDir('scale');
  const data = join(dir, 'data.csv'), bkg = join(dir, 'bkg.csv'), sig = join(dir, 'sig.csv');
  writeFileSync(data, toCsvText(genColumns(20000, 100, false)));
  writeFileSync(bkg, toCsvText(genColumns(8000, 110, true)));
  writeFileSync(sig, toCsvText(genColumns(3000, 120, true)));
  const base = ['scan', '--data', data, '--background', bkg, '--signal', sig, '--grid', 'dark-higgsstrahlung', '--bkg-rel-syst', '0.1'];

  it('three shards on cpu, webgpu and wasm merge into exactly the unsharded output', async () => {
    const whole = join(dir, 'whole.json');
    await run([...base, '--backend', 'wasm', '--workers', '2', '--out', whole]);
    const w = JSON.parse(readFileSync(whole, 'utf8'));
    expect(w.kind).toBe('scan');
    expect(w.windows).toHaveLength(8960);
    expect(w.windows.some((r: { n: number }) => r.n > 0)).toBe(true);
    const files: string[] = [];
    for (const [i, backend] of [[0, 'cpu'], [1, ALLOW_NO_WEBGPU ? 'cpu' : 'webgpu'], [2, 'wasm']] as const) {
      const f = join(dir, `shard${i}.json`);
      const { out } = await run([...base, '--shard', `${i}/3`, '--backend', backend, '--out', f]);
      expect(out).toMatch(new RegExp(`shard ${i}/3: windows \\[\\d+, \\d+\\) of 8960`));
      const s = JSON.parse(readFileSync(f, 'utf8'));
      expect(s.shard).toMatchObject({ index: i, count: 3, total: 8960, key: 'windows' });
      expect(s.windows[0].window).toBe(s.shard.first);
      files.push(f);
    }
    const merged = join(dir, 'merged.json');
    expect((await run(['merge', files[1], files[2], files[0], '--out', merged])).code).toBe(0);
    const m = JSON.parse(readFileSync(merged, 'utf8'));
    expect(m.shard).toBeUndefined();
    expect(m.shards.map((s: { backend: string }) => s.backend)).toEqual(['cpu', ALLOW_NO_WEBGPU ? 'cpu' : 'webgpu', 'wasm']);
    // Bit-identical numbers: JSON of doubles round-trips exactly, so equal text is equal bits.
    expect(numbersOf(m)).toBe(numbersOf(w));
    expect(m.windows).toEqual(w.windows);
    // A shard run with other options is refused; a missing shard is refused.
    const other = join(dir, 'other.json');
    await run([...base.slice(0, -1), '0.2', '--shard', '1/3', '--backend', 'cpu', '--out', other]);
    await expect(run(['merge', files[0], other, files[2]])).rejects.toThrow(/different inputs or options/);
    await expect(run(['merge', files[0], files[1]])).rejects.toThrow(/items \[\d+, 8960\) are missing/);
  });

  it('--chunk-events streams the CSV inputs: same output numbers as reading them whole', async () => {
    const whole = join(dir, 'whole-cpu.json'), streamed = join(dir, 'streamed.json');
    await run([...base, '--backend', 'wasm', '--workers', '2', '--out', whole]);
    await run([...base, '--backend', 'wasm', '--workers', '2', '--chunk-events', '777', '--out', streamed]);
    const w = JSON.parse(readFileSync(whole, 'utf8')), s = JSON.parse(readFileSync(streamed, 'utf8'));
    expect(s.streaming.chunk_events).toBe(777);
    expect(s.windows).toEqual(w.windows);
    expect(s.inputs).toEqual(w.inputs);
    // Streamed and sharded at once, merged: still the same.
    const parts: string[] = [];
    for (let i = 0; i < 2; i++) {
      parts.push(join(dir, `ss${i}.json`));
      await run([...base, '--backend', 'cpu', '--chunk-events', '5000', '--shard', `${i}/2`, '--out', parts[i]]);
    }
    const m = join(dir, 'ss.json');
    await run(['merge', ...parts, '--out', m]);
    expect(JSON.parse(readFileSync(m, 'utf8')).windows).toEqual(w.windows);
  });

  it('an aborted scan writes no output (before the run, and mid-run between chunks)', async () => {
    const out = join(dir, 'aborted.json');
    const ac = new AbortController();
    ac.abort(new Error('cancelled by the test'));
    await expect(run([...base, '--backend', 'wasm', '--out', out], { signal: ac.signal })).rejects.toThrow(/cancelled by the test/);
    const live = new AbortController();
    const seen: string[] = [];
    const progress = (s: string) => {
      seen.push(s);
      if (seen.length === 3) live.abort(new Error('stopped after three chunks'));
    };
    await expect(run([...base, '--backend', 'cpu', '--chunk-events', '1000', '--out', out], { signal: live.signal, progress })).rejects.toThrow(/stopped after three chunks/);
    expect(seen[0]).toMatch(/scan: data chunk 1 \(1000 events\)/);
    expect(seen.length).toBeLessThan(6);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('aborted'))).toEqual([]);
  });

  it('bad rows in a later chunk name the file row and line', async () => {
    const bad = join(dir, 'bad.csv');
    const cols = genColumns(50, 130, false);
    const text = toCsvText(cols).split('\n');
    text[38] = '1.5,oops'; // row 37 (line 39)
    writeFileSync(bad, text.join('\n'));
    const args = ['scan', '--data', bad, '--grid', 'dark-higgsstrahlung', '--backend', 'cpu', '--out', join(dir, 'bad.json')];
    await expect(run(args)).rejects.toThrow(/bad.csv: column 'm_recoil_GeV', row 37: 'oops' is not a number \(line 39\)/);
    await expect(run([...args, '--chunk-events', '10'])).rejects.toThrow(/bad.csv: column 'm_recoil_GeV', row 37: 'oops' is not a number \(line 39\)/);
    text[38] = '-1.5,2'; // M_mumu must be >= 0 (M_recoil is signed: -sqrt(-M^2) for a spacelike recoil)
    writeFileSync(bad, text.join('\n'));
    await expect(run(args)).rejects.toThrow(/column 'm_mumu_GeV', row 37: negative value/);
    await expect(run([...args, '--chunk-events', '10'])).rejects.toThrow(/column 'm_mumu_GeV', row 37: negative value/);
    await expect(run([...args, '--chunk-events', '0'])).rejects.toThrow(/--chunk-events: expected an integer/);
  });
});

describe('streaming CSV reader', () => {
  it('pieces split anywhere (inside numbers, CRLF, multi-byte UTF-8) give the same columns as the whole text', async () => {
    const cols = genColumns(3001, 140, true);
    const text = '# comment: \u00e9t\u00e9 \u{1F600}\r\n\r\n' + toCsvText(cols).replace(/\n/g, '\r\n') + '# trailing comment\n';
    const whole = parseCsvColumns(text, 'x.csv');
    const bytes = new TextEncoder().encode(text);
    for (const [pieceBytes, chunkRows] of [[1, 7], [13, 1000], [4096, 1], [1 << 20, 5000]]) {
      const pieces: Uint8Array[] = [];
      for (let a = 0; a < bytes.length; a += pieceBytes) pieces.push(bytes.subarray(a, a + pieceBytes));
      const got: Record<string, number[]> = { m_mumu_GeV: [], m_recoil_GeV: [], weight: [] };
      let next = 0;
      for await (const c of csvChunks(pieces, { chunkRows, source: 'x.csv' })) {
        expect(c.firstRow).toBe(next);
        expect(c.rows).toBeLessThanOrEqual(chunkRows);
        next += c.rows;
        for (const k of Object.keys(got)) got[k].push(...c.columns[k]);
      }
      expect(got).toEqual(Object.fromEntries(Object.entries(whole).map(([k, v]) => [k, Array.from(v)])));
    }
  });

  it('errors: no header, wrong field count (row and line), a line without end', async () => {
    const all = async (p: string[], o = {}) => {
      for await (const _ of csvChunks(p, { source: 'f.csv', ...o })) void _;
    };
    await expect(all(['# only comments\n', '\n'])).rejects.toThrow(/f.csv: no header line/);
    await expect(all(['a,b\n1,2\n3\n'])).rejects.toThrow(/f.csv: line 3 \(row 1\): 1 fields, header has 2/);
    await expect(all(['a,a\n'])).rejects.toThrow(/column 'a' appears twice/);
    await expect(all(['a,b\n', '1'.repeat(5000)], { maxLineChars: 1000 })).rejects.toThrow(/line 2 is longer than 1000 characters/);
    const chunks = [];
    for await (const c of csvChunks(['a,b\n'])) chunks.push(c);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ rows: 0, header: ['a', 'b'] });
  });
});

describe('streamed scan = in-memory scan, bit for bit', () => {
  let wasm: Backend;
  beforeAll(async () => {
    wasm = await WasmBackend.create({ workers: 2 });
  });
  afterAll(async () => {
    await wasm?.dispose();
  });
  const grid = darkHiggsstrahlungGrid();

  /** A TableSource over CSV pieces generated on the fly, validated per chunk as the CLI does. */
  const csvSource = (cols: Record<string, Float64Array>, chunkRows: number, weighted: boolean): TableSource =>
    async function* () {
      for await (const c of csvChunks(csvPieces(cols, 4096), { chunkRows })) {
        yield makeEventTable(c.columns, { required: ['m_mumu_GeV', 'm_recoil_GeV'], weightColumn: weighted ? 'weight' : undefined }).table;
      }
    };

  it('1e6 data events and 2e5 weighted background events in small chunks', async () => {
    const n = 1_000_000;
    const dataCols = genColumns(n, 200, false), bgCols = genColumns(200_000, 210, true);
    // The largest background weight sits in the last chunk: every earlier chunk alone would pick a finer quantum.
    bgCols.weight[bgCols.weight.length - 1] = 40;
    const whole = (c: Record<string, Float64Array>, w: boolean): EventTable => makeEventTable(c, { required: ['m_mumu_GeV', 'm_recoil_GeV'], weightColumn: w ? 'weight' : undefined }).table;
    const ref = await scan(wasm, grid, whole(dataCols, false), { background: whole(bgCols, true), relBackgroundSyst: 0.05 });
    let chunks = 0;
    const st = await scanStreamed(wasm, grid, csvSource(dataCols, 30_000, false), {
      background: csvSource(bgCols, 7_001, true), relBackgroundSyst: 0.05, onChunk: (s) => s === 'data' && chunks++,
    });
    expect(chunks).toBe(Math.ceil(n / 30_000));
    expect(st.data.events).toBe(n);
    expect(st.background!.weightExp).toBe(ref.background!.weightExp);
    expect(Array.from(st.data.n)).toEqual(Array.from(ref.data.n));
    let total = 0;
    for (const v of ref.data.n) total += v;
    expect(total).toBeGreaterThan(n); // overlapping windows: events counted in several
    for (const k of ['sumW', 'sumW2'] as const) expect(Buffer.from(st.background![k].buffer).equals(Buffer.from(ref.background![k].buffer))).toBe(true);
    for (const k of ['b', 'sigmaB', 'p', 'z'] as const) expect(Buffer.from(st[k]!.buffer).equals(Buffer.from(ref[k]!.buffer))).toBe(true);
  });

  it('chunking does not matter even for one event per chunk; a weight too large for the quantum is refused', async () => {
    const cols = genColumns(600, 220, true);
    const t = makeEventTable(cols, { required: ['m_mumu_GeV', 'm_recoil_GeV'], weightColumn: 'weight' }).table;
    const ref = await countInWindows(wasm, grid, t);
    for (const rows of [1, 2, 599, 600, 601]) {
      const s = await countInWindowsStreamed(wasm, grid, csvSource(cols, rows, true));
      expect(s.chunks).toBe(Math.max(1, Math.ceil(600 / rows)));
      expect(Buffer.from(s.sumW.buffer).equals(Buffer.from(ref.sumW.buffer))).toBe(true);
      expect(Buffer.from(s.sumW2.buffer).equals(Buffer.from(ref.sumW2.buffer))).toBe(true);
      expect(Array.from(s.n)).toEqual(Array.from(ref.n));
    }
    const { binEvents } = await import('../kernels/window_count/layout.js');
    expect(() => binEvents([1], [1], [3], { weightExp: 23 })).toThrow(/largest weight 3 does not fit 24 bits/);
  });
});
