// File I/O: readers on files written by other software (ROOT itself for the .root fixtures,
// Apache Arrow's Rust parquet writer for the .parquet fixtures), writers read back, and clear
// errors (never a crash or a hang) on malformed and truncated files.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FileFormatError, hepdataLimitYaml, hepdataSubmissionYaml, parseCsv, parseJson, parseParquet, parseRoot, readEvents, toCsv, toJson, writeEvents,
} from '../engine/io/index.js';
import { generate } from '../engine/generate/index.js';
import { tempDir } from './tmp.js';

const FIX = join(import.meta.dirname, 'fixtures');
const ROOT_FILES = ['uproot-Zmumu.root', 'uproot-Zmumu-lz4.root', 'uproot-Zmumu-lzma.root', 'uproot-Zmumu-zstd.root', 'uproot-Zmumu-uncompressed.root'];

function pairMass(c: Record<string, ArrayLike<number>>, i: number): number {
  const E = c.E1[i] + c.E2[i], px = c.px1[i] + c.px2[i], py = c.py1[i] + c.py2[i], pz = c.pz1[i] + c.pz2[i];
  return Math.sqrt(E * E - px * px - py * py - pz * pz);
}

/** Rejects when p has not settled within ms: a hang is a failure, not a stuck test run. */
function within<T>(p: Promise<T>, ms = 20000): Promise<T> {
  return Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`no answer within ${ms} ms (hang)`)), ms))]);
}

describe('ROOT TTree reader (jsroot) on ROOT-written files', () => {
  for (const f of ROOT_FILES) {
    it(`${f}: 2304 entries; M recomputed from the muon four-momenta matches the M branch`, async () => {
      const t = await readEvents(join(FIX, 'root', f), { tree: 'events' });
      expect(t.length).toBe(2304);
      for (const b of ['E1', 'px1', 'py1', 'pz1', 'E2', 'px2', 'py2', 'pz2', 'M', 'Q1', 'Run', 'Event']) expect(Object.keys(t.columns)).toContain(b);
      let worst = 0;
      for (let i = 0; i < t.length; i++) worst = Math.max(worst, Math.abs(pairMass(t.columns, i) - t.columns.M[i]) / t.columns.M[i]);
      // The file's M was computed from the same values (stored as doubles): agreement to rounding.
      expect(worst).toBeLessThan(1e-6);
      // a physical cross-check: the sample is CMS Z -> mu mu, M peaks near 91 GeV
      const ms = Array.from(t.columns.M).sort((a, b) => a - b);
      expect(ms[ms.length >> 1]).toBeGreaterThan(85);
      expect(ms[ms.length >> 1]).toBeLessThan(95);
    });
  }
  it('every compression gives identical columns', async () => {
    const ref = await readEvents(join(FIX, 'root', ROOT_FILES[0]));
    for (const f of ROOT_FILES.slice(1)) {
      const t = await readEvents(join(FIX, 'root', f));
      for (const c of Object.keys(ref.columns)) expect(Array.from(t.columns[c]), `${f} ${c}`).toEqual(Array.from(ref.columns[c]));
    }
  });
  it('column mapping renames and selects branches; a missing branch is named', async () => {
    const t = await readEvents(join(FIX, 'root', 'uproot-Zmumu-lz4.root'), { columns: { m_mumu_GeV: 'M', charge1: 'Q1' } });
    expect(Object.keys(t.columns)).toEqual(['m_mumu_GeV', 'charge1']);
    await expect(readEvents(join(FIX, 'root', 'uproot-Zmumu.root'), { columns: { m: 'Mass' } })).rejects.toThrow(/branch 'Mass' not found in TTree 'events'; branches: Type, Run/);
    await expect(readEvents(join(FIX, 'root', 'uproot-Zmumu.root'), { tree: 'ntuple' })).rejects.toThrow(/no TTree 'ntuple' \(trees: events\)/);
  });
  it('truncated ROOT files: a clear error, no hang', async () => {
    const bytes = readFileSync(join(FIX, 'root', 'uproot-Zmumu-zstd.root'));
    for (const cut of [10, 100, 5000, bytes.length >> 1, bytes.length - 1]) {
      await expect(within(parseRoot(bytes.subarray(0, cut), { source: `cut${cut}` }))).rejects.toThrow(FileFormatError);
      await expect(within(parseRoot(bytes.subarray(0, cut), { source: `cut${cut}` }))).rejects.toThrow(/truncated ROOT file/);
    }
  });
  it('corrupt baskets (bytes overwritten, length intact): a clear error, no hang', async () => {
    for (const f of ['uproot-Zmumu.root', 'uproot-Zmumu-lz4.root', 'uproot-Zmumu-lzma.root', 'uproot-Zmumu-zstd.root']) {
      const bytes = new Uint8Array(readFileSync(join(FIX, 'root', f)));
      // overwrite a stretch in the middle (basket data), keep header and directory at the ends
      const mid = bytes.length >> 1;
      bytes.fill(0x5a, mid - 2000, mid + 2000);
      await expect(within(parseRoot(bytes, { source: f }))).rejects.toThrow(/read \d+ of 2304 entries|cannot read TTree|could not open/);
    }
  });
  it('not a ROOT file', async () => {
    await expect(parseRoot(new TextEncoder().encode('hello, world'), { source: 'x.root' })).rejects.toThrow(/not a ROOT file/);
  });
});

describe('Parquet reader (hyparquet) on files written by Apache Arrow (Rust, via parquet-wasm)', () => {
  for (const f of ['dimuon-snappy.parquet', 'dimuon-uncompressed.parquet']) {
    it(`${f}: 500 rows over 3 row groups, M recomputed from the four-vectors, int64/int32/float32 columns`, async () => {
      const t = await readEvents(join(FIX, 'parquet', f));
      expect(t.length).toBe(500);
      for (let i = 0; i < t.length; i++) expect(Math.abs(pairMass(t.columns, i) - t.columns.M[i])).toBeLessThan(1e-12 * t.columns.M[i] + 1e-15);
      expect(t.columns.event[0]).toBe(1000000);
      expect(t.columns.event[499]).toBe(1000499);
      expect(Array.from(t.columns.Q1.slice(0, 4))).toEqual([-1, 1, -1, 1]);
      expect(t.columns.pt1[7]).toBe(Math.fround(Math.hypot(t.columns.px1[7], t.columns.py1[7])));
      expect(String(t.meta.parquet_created_by)).toMatch(/parquet-rs/);
    });
  }
  it('column mapping; a missing column lists those available', async () => {
    const t = await readEvents(join(FIX, 'parquet', 'dimuon-snappy.parquet'), { columns: { m_mumu_GeV: 'M' } });
    expect(Object.keys(t.columns)).toEqual(['m_mumu_GeV']);
    await expect(readEvents(join(FIX, 'parquet', 'dimuon-snappy.parquet'), { columns: ['Mass'] })).rejects.toThrow(/column 'Mass' not found; available: event, Q1, pt1, px1/);
  });
  it('an unsupported codec (zstd) is named in the error', async () => {
    await expect(readEvents(join(FIX, 'parquet', 'dimuon-zstd.parquet'))).rejects.toThrow(/codec ZSTD is not supported/);
  });
  it('truncated and corrupt Parquet: clear errors, no hang', async () => {
    const bytes = readFileSync(join(FIX, 'parquet', 'dimuon-snappy.parquet'));
    for (const cut of [3, 100, bytes.length >> 1, bytes.length - 1]) {
      await expect(within(parseParquet(bytes.subarray(0, cut), { source: 'p' }))).rejects.toThrow(/truncated Parquet file|not a Parquet file/);
    }
    const bad = new Uint8Array(bytes);
    bad.fill(0xff, 200, 20000); // page data and headers, footer intact
    await expect(within(parseParquet(bad, { source: 'bad.parquet' }))).rejects.toThrow(/bad\.parquet: corrupt or truncated Parquet data/);
  });
});

describe('CSV', () => {
  it('round trip: metadata comments, header, exact float32 and float64 values', () => {
    const cols = { a: new Float32Array([1.1, -2.5, 3e-7]), b: new Float64Array([0.1, 1 / 3, 12345.678901234]) };
    const text = toCsv(cols, { seed: 42, process: 'darkhiggs', lumi_fb: 8.34 });
    expect(text.split('\n')[0]).toBe('# seed: 42');
    const t = parseCsv(text);
    expect(t.meta).toEqual({ seed: 42, process: 'darkhiggs', lumi_fb: 8.34 });
    expect(Float32Array.from(t.columns.a)).toEqual(cols.a);
    expect(Array.from(t.columns.b)).toEqual(Array.from(cols.b));
  });
  it('errors name the line and column', () => {
    expect(() => parseCsv('x,y\n1,2\n3,abc\n', { source: 'f.csv' })).toThrow("f.csv: line 3, column 'y': 'abc' is not a number");
    expect(() => parseCsv('x,y\n1,2\n3\n', { source: 'f.csv' })).toThrow('f.csv: line 3: 1 fields, the header has 2 (truncated file?)');
    expect(() => parseCsv('x,x\n1,2\n')).toThrow(/column 'x' appears twice/);
    expect(() => parseCsv('# only: 1\n')).toThrow(/no header line/);
    expect(() => parseCsv('x,y\n1,2\n', { columns: { m: 'z' } })).toThrow(/column 'z' \(for 'm'\) not found; available: x, y/);
  });
  it('a truncated generated CSV (cut mid-row) is reported, not half-read', () => {
    const s = generate({ process: 'mumu', events: 50, seed: 1 });
    const text = toCsv(s.columns, s.meta);
    const cut = text.slice(0, Math.floor(text.length * 0.6));
    expect(() => parseCsv(cut, { source: 'cut.csv' })).toThrow(/cut\.csv: line \d+: (\d+ fields, the header has \d+ \(truncated file\?\)|column '.*': '.*' is not a number)/);
  });
});

describe('JSON', () => {
  it('round trip with metadata and units; truncated JSON is an error', () => {
    const text = toJson({ m: new Float64Array([1, 2.5]) }, { seed: 3 }, { m: 'GeV' });
    const t = parseJson(text);
    expect(Array.from(t.columns.m)).toEqual([1, 2.5]);
    expect(t.meta).toEqual({ seed: 3 });
    expect(() => parseJson(text.slice(0, 20), { source: 'e.json' })).toThrow(/e\.json: invalid JSON \(truncated\?\)/);
    // Where: line and column (1-based) of the syntax error, from JSON.parse's character position.
    expect(() => parseJson(text.slice(0, 20), { source: 'e.json' })).toThrow(/e\.json: invalid JSON \(truncated\?\) at line 1 column 21: /);
    expect(() => parseJson('{"columns": {\n  "a": [1, 2],\n}}', { source: 'e.json' })).toThrow(/^e\.json: invalid JSON at line 3 column 1: /);
    expect(() => parseJson('{"columns":{"a":[1,"x"]}}', { source: 'e.json' })).toThrow(`e.json: column 'a', row 1: expected a number, got "x"`);
  });
});

describe('generated events through the writers and readers', () => {
  it('CSV and JSON files keep every column bit for bit, with seed, process and luminosity', async () => {
    const dir = tempDir('io');
    const s = generate({ process: 'darkhiggs', events: 200, seed: 5 });
    const meta = { ...s.meta, lumi_fb: 1.5 };
    for (const ext of ['csv', 'json']) {
      const p = join(dir, `ev.${ext}`);
      await writeEvents(p, s.columns, meta, s.units);
      const t = await readEvents(p);
      expect(t.length).toBe(s.length);
      expect(t.meta.seed).toBe(5);
      expect(t.meta.process).toBe('darkhiggs');
      expect(t.meta.lumi_fb).toBe(1.5);
      // float32 columns are written in their shortest round-tripping form: back to float32, the same bits
      for (const c of Object.keys(s.columns)) {
        const want = s.columns[c];
        const got = want instanceof Float32Array ? Float32Array.from(t.columns[c]) : t.columns[c];
        expect(Array.from(got), `${ext} ${c}`).toEqual(Array.from(want));
      }
    }
    writeFileSync(join(dir, 'x.txt'), 'a');
    await expect(readEvents(join(dir, 'x.txt'))).rejects.toThrow(/unknown file type/);
  });
});

describe('HEPData YAML', () => {
  const table = {
    mass: [1, 2, 3], observed: [5, 4.2, 3.9], expected: [4.5, 4, 3.8], expectedMinus1: [3.5, 3, 2.9], expectedPlus1: [6, 5.5, 5],
    expectedMinus2: [3, 2.5, 2.2], expectedPlus2: [8, 7.5, 7], massName: "M_{A'}", massUnits: 'GeV', limitName: "sigma(e+e- -> A'h')", limitUnits: 'fb', cl: 0.9,
    qualifiers: { 'SQRT(S)': '10.58 GeV', LUMINOSITY: '8.34 fb^-1' },
  };
  it('independent mass, observed and expected-with-bands dependents, units and CL', () => {
    const y = hepdataLimitYaml(table);
    const lines = y.split('\n');
    expect(lines[0]).toBe('independent_variables:');
    expect(y).toContain(`- header: {name: "M_{A'}", units: "GeV"}`);
    expect(y).toContain(`- header: {name: "sigma(e+e- -> A'h') observed upper limit", units: "fb"}`);
    expect(y).toContain('  - {name: "CL", value: "90%"}');
    expect(y).toContain('  - {name: "SQRT(S)", value: "10.58 GeV"}');
    expect(y).toContain('  - {value: 4.5, errors: [{asymerror: {plus: 1.5, minus: -1}, label: "1 sigma"}, {asymerror: {plus: 3.5, minus: -1.5}, label: "2 sigma"}]}');
    expect(lines.filter((l) => l.startsWith('  - {value:')).length).toBe(9);
    expect(hepdataSubmissionYaml([{ name: 'Limits', description: 'x', dataFile: 'limits.yaml' }])).toContain('data_file: "limits.yaml"');
  });
  it('refuses mismatched lengths, non-finite values and unordered bands', () => {
    expect(() => hepdataLimitYaml({ ...table, observed: [1, 2] })).toThrow(/observed has 2 values, mass has 3/);
    expect(() => hepdataLimitYaml({ ...table, expectedPlus1: [6, NaN, 5] })).toThrow(/expectedPlus1\[1\] is NaN/);
    expect(() => hepdataLimitYaml({ ...table, expectedMinus1: [3.5, 4.5, 2.9] })).toThrow(/mass\[1\] = 2 the expected band is not ordered/);
  });
});
