// Issue 21: nothing silently wrong. Readers (one number rule, quoted fields, binary / gzip /
// UTF-16 input named, paths in I/O errors, right rows when streaming, Parquet row counts and
// non-numeric columns), precision (weights below the fixed-point quantum), one b = 0 rule,
// `generate` output accepted by `scan`.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { main } from '../engine/cli/index.js';
import { readEvents } from '../engine/io/index.js';
import { parseParquet } from '../engine/io/parquet.js';
import { parseNumberText } from '../engine/io/text.js';
import { DARKSCAN_VERSION } from '../engine/provenance.js';
import { tempDir } from './tmp.js';

const dir = tempDir('integrity');
const FIX = join(import.meta.dirname, 'fixtures');
const quiet = () => {};
const write = (name: string, body: string | Uint8Array) => {
  const f = join(dir, name);
  writeFileSync(f, body);
  return f;
};
const rows = (n: number, f: (i: number) => string, header = 'm_mumu_GeV') => [header, ...Array.from({ length: n }, (_, i) => f(i))].join('\n') + '\n';
const scanArgs = (data: string, extra: string[] = []) => ['scan', '--data', data, '--grid', 'mumu-1d', '--backend', 'cpu', '--out', join(dir, `o${Math.random()}.json`), ...extra];
const STREAM = ['--chunk-events', '3'];

describe('one number rule for every text reader', () => {
  it('decimal and exponent forms only', () => {
    for (const [t, v] of [['12', 12], ['-1.5e-3', -1.5e-3], ['.5', 0.5], ['1.', 1], ['+2E2', 200]] as const) expect(parseNumberText(t)).toBe(v);
    expect(parseNumberText('nan')).toBeNaN();
    for (const t of ['0x4', '0b11', '0o7', '0X4', '1_000', '1e', '', 'abc', '0x1p3']) expect(parseNumberText(t)).toBeUndefined();
  });
  for (const bad of ['0x4', '0b11', '0o7']) {
    it(`'${bad}' is refused with file, row and column by scan (in memory and streamed) and readEvents`, async () => {
      const f = write(`hex-${bad}.csv`, rows(8, (i) => (i === 5 ? bad : `${1 + i}`)));
      for (const extra of [[], STREAM]) await expect(main(scanArgs(f, extra), quiet)).rejects.toThrow(new RegExp(`hex-${bad}\\.csv: column 'm_mumu_GeV', row 5: '${bad}' is not a number \\(hexadecimal`));
      await expect(readEvents(f)).rejects.toThrow(new RegExp(`hex-${bad}\\.csv: line 7, column 'm_mumu_GeV': '${bad}' is not a number`));
    });
  }
});

describe('CSV input', () => {
  it('quoted fields are read by scan in memory and streamed, as by readEvents', async () => {
    const plain = write('plain.csv', rows(20, (i) => `${1 + 0.4 * i},${i}`, 'm_mumu_GeV,id'));
    const quoted = write('quoted.csv', rows(20, (i) => `"${1 + 0.4 * i}","${i}"`, '"m_mumu_GeV","id"'));
    for (const extra of [[], STREAM]) {
      const a = join(dir, 'qa.json'), b = join(dir, 'qb.json');
      await main([...scanArgs(plain, extra).slice(0, -2), '--out', a, '--force'], quiet);
      await main([...scanArgs(quoted, extra).slice(0, -2), '--out', b, '--force'], quiet);
      expect(JSON.parse(readFileSync(b, 'utf8')).windows).toEqual(JSON.parse(readFileSync(a, 'utf8')).windows);
    }
    expect((await readEvents(quoted)).columns.m_mumu_GeV[3]).toBeCloseTo(2.2, 12);
  });

  it('gzip, UTF-16 and binary files are named as such; a directory is named', async () => {
    const text = rows(5, (i) => `${1 + i}`);
    const gz = write('gz.csv', gzipSync(Buffer.from(text)));
    const u16 = write('u16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const bin = write('bin.csv', new Uint8Array([1, 2, 0, 4, 5, 0, 0, 9]));
    const d = join(dir, 'adir.csv');
    mkdirSync(d);
    for (const extra of [[], STREAM]) {
      await expect(main(scanArgs(gz, extra), quiet)).rejects.toThrow(/gz\.csv: expected a CSV text file, but the file is gzip-compressed/);
      await expect(main(scanArgs(u16, extra), quiet)).rejects.toThrow(/u16\.csv: .*UTF-16/);
      await expect(main(scanArgs(bin, extra), quiet)).rejects.toThrow(/bin\.csv: .*binary, not text/);
      await expect(main(scanArgs(d, extra), quiet)).rejects.toThrow(/adir\.csv: is a directory/);
    }
    await expect(readEvents(gz)).rejects.toThrow(/gzip-compressed/);
    await expect(readEvents(d)).rejects.toThrow(/adir\.csv: is a directory/);
  });

  it('an out-of-range value names the file and its row, also with --chunk-events', async () => {
    const f = write('range.csv', rows(10, (i) => (i === 7 ? '2e4' : `${1 + i}`)));
    for (const extra of [[], STREAM]) await expect(main(scanArgs(f, extra), quiet)).rejects.toThrow(/range\.csv: column 'm_mumu_GeV', row 7: value 20000 is outside \[-10000, 10000\]/);
  });

  it('generate --process mumu output is accepted by scan as it stands (signed recoil mass)', async () => {
    const g = join(dir, 'mumu.csv');
    await main(['generate', '--process', 'mumu', '--events', '3000', '--seed', '3', '--out', g], quiet);
    const out = join(dir, 'gen.json');
    await main(['scan', '--data', g, '--grid', 'dark-higgsstrahlung', '--backend', 'cpu', '--out', out], quiet);
    const lines = readFileSync(g, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines.slice(1).some((l) => l.split(',')[lines[0].split(',').indexOf('m_recoil_GeV')].startsWith('-'))).toBe(true);
    expect(JSON.parse(readFileSync(out, 'utf8')).inputs.data.events).toBe(lines.length - 1);
  }, 60_000);
});

describe('Parquet', () => {
  const bytes = readFileSync(join(FIX, 'parquet', 'dimuon-snappy.parquet'));
  /** The file with its footer's num_rows (500, zigzag varint e8 07 after field header 0x16) set to n. */
  const withRows = (n: number) => {
    const b = Uint8Array.from(bytes);
    const flen = new DataView(b.buffer).getUint32(b.length - 8, true);
    const at = Buffer.from(b.subarray(b.length - 8 - flen, b.length - 8)).indexOf(Buffer.from([0x16, 0xe8, 0x07]));
    expect(at).toBeGreaterThan(0);
    const z = 2 * n;
    b[b.length - 8 - flen + at + 1] = (z & 0x7f) | 0x80;
    b[b.length - 8 - flen + at + 2] = z >> 7;
    return b;
  };
  it('a footer row count that disagrees with the pages is an error, not zeros or lost rows', async () => {
    await expect(parseParquet(withRows(501), { source: 'more.parquet' })).rejects.toThrow(/more\.parquet: the footer says 501 rows/);
    await expect(parseParquet(withRows(499), { source: 'fewer.parquet' })).rejects.toThrow(/fewer\.parquet: the footer says 499 rows/);
    expect((await parseParquet(withRows(500))).length).toBe(500);
  });
  it('non-numeric columns are skipped and listed; asked for by name, a clear error', async () => {
    const f = join(FIX, 'parquet', 'mixed-types.parquet');
    const t = await readEvents(f);
    expect(Object.keys(t.columns)).toEqual(['M', 'Q']);
    expect(t.meta.parquet_skipped_columns).toEqual(['label', 'hits', 'when']);
    expect(t.columns.M[4]).toBe(2);
    await expect(readEvents(f, { columns: ['label'] })).rejects.toThrow(/column 'label' is a string column: darkscan reads numeric columns only/);
    await expect(readEvents(f, { columns: ['when'] })).rejects.toThrow(/column 'when' is a timestamp column/);
    await expect(readEvents(f, { columns: ['hits'] })).rejects.toThrow(/column 'hits' is a nested column/);
  });
});

describe('precision and b = 0', () => {
  it('weights below the fixed-point quantum are refused, naming the weight column and the dynamic range', async () => {
    const data = write('pd.csv', rows(4, (i) => `${2 + i}`));
    const bkg = write('pb.csv', rows(6, (i) => `${2 + i},${i === 3 ? '1e-6' : '100'}`, 'm_mumu_GeV,weight'));
    for (const extra of [[], STREAM]) {
      await expect(main(scanArgs(data, ['--background', bkg, ...extra]), quiet)).rejects.toThrow(/pb\.csv: weight column 'weight': weights from 1\.00e-6 to 100 \(dynamic range 1\.00e\+8\)/);
    }
  });
  it('a window with b = 0 takes b = B_FLOOR for p and Z (finite), and the output states the rule', async () => {
    const data = write('zd.csv', rows(3, () => '5'));
    const bkg = write('zb.csv', rows(3, () => '1,1', 'm_mumu_GeV,weight'));
    const out = join(dir, 'z.json');
    await main(['scan', '--data', data, '--background', bkg, '--grid', 'mumu-1d', '--backend', 'cpu', '--limits', '--out', out], quiet);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.b_floor).toMatch(/less simulated background than 0.01 events use b = 0.01/);
    const w = doc.windows.find((x: { n: number; b: number }) => x.n === 3 && x.b === 0);
    expect(w).toBeDefined();
    expect(w.z_local).toBeGreaterThan(5); // p = P(N >= 3 | 0.01) = 1.65e-7, not 0 with Z = infinity (null)
    expect(w.p_local).toBeCloseTo(1.654e-7, 9);
    expect(w.upper_limit_events).toBeGreaterThan(0);
  });
});

describe('integrity: content digests, merge, outputs', () => {
  it('every scan output records the darkscan version and a SHA-256 of each input', async () => {
    expect(DARKSCAN_VERSION).toBe(JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')).version);
    const data = write('dg-d.csv', rows(5, (i) => `${2 + i}`));
    const bkg = write('dg-b.csv', rows(5, (i) => `${2 + i},0.5`, 'm_mumu_GeV,weight'));
    const out = join(dir, 'dg.json');
    await main(['scan', '--data', data, '--background', bkg, '--signal', bkg, '--grid', 'mumu-1d', '--backend', 'cpu', '--out', out], quiet);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    const { createHash } = await import('node:crypto');
    const sha = (f: string) => `sha256:${createHash('sha256').update(readFileSync(f)).digest('hex')}`;
    expect(doc.darkscan_version).toBe(DARKSCAN_VERSION);
    expect(doc.inputs.data.sha256).toBe(sha(data));
    expect(doc.inputs.background.sha256).toBe(sha(bkg));
    expect(doc.inputs.signal.sha256).toBe(sha(bkg));
    expect(doc.grid.sha256).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('merge refuses shards from different data with the same file name and event count, naming the file and the field', async () => {
    // As on a batch system: each job has its own data.csv, same name, same number of events.
    const a = join(dir, 'jobA'), b = join(dir, 'jobB');
    mkdirSync(a);
    mkdirSync(b);
    writeFileSync(join(a, 'data.csv'), rows(50, (i) => `${1 + 0.1 * i}`));
    writeFileSync(join(b, 'data.csv'), rows(50, (i) => `${1.05 + 0.1 * i}`));
    const shards = [0, 1].map((i) => join(dir, `mshard${i}.json`));
    for (const [i, d] of [a, b].entries()) {
      const cwd = process.cwd();
      process.chdir(d);
      try {
        await main(['scan', '--data', 'data.csv', '--grid', 'mumu-1d', '--backend', 'cpu', '--shard', `${i}/2`, '--out', shards[i]], quiet);
      } finally {
        process.chdir(cwd);
      }
    }
    await expect(main(['merge', ...shards, '--out', join(dir, 'm.json')], quiet)).rejects.toThrow(/mshard1\.json\) was run with an input with different content than .*mshard0\.json.*: field 'inputs\.data\.sha256'/);
  });

  it('the output location is checked before the work; an existing result is replaced only with --force', async () => {
    const data = write('oc.csv', rows(5, (i) => `${2 + i}`));
    await expect(main(['scan', '--data', data, '--grid', 'mumu-1d', '--backend', 'cpu', '--out', join(dir, 'nope', 'x.json')], quiet)).rejects.toThrow(/the folder .*nope does not exist/);
    const out = join(dir, 'oc.json');
    await main(['scan', '--data', data, '--grid', 'mumu-1d', '--backend', 'cpu', '--out', out], quiet);
    const before = readFileSync(out, 'utf8');
    await expect(main(['scan', '--data', data, '--grid', 'mumu-1d', '--backend', 'cpu', '--out', out], quiet)).rejects.toThrow(/oc\.json: exists; pass --force/);
    expect(readFileSync(out, 'utf8')).toBe(before);
    await main(['scan', '--data', data, '--grid', 'mumu-1d', '--backend', 'cpu', '--out', out, '--force'], quiet);
    const g = join(dir, 'g.csv');
    await main(['generate', '--process', 'mumu', '--events', '10', '--seed', '1', '--out', g], quiet);
    await expect(main(['generate', '--process', 'mumu', '--events', '10', '--seed', '1', '--out', g], quiet)).rejects.toThrow(/exists; pass --force/);
  });

  it("run: a config's output.dir outside its folder needs --output-outside-config; existing results need --force (before the work)", async () => {
    const cdir = join(dir, 'cfg');
    mkdirSync(cdir);
    const cfg = join(cdir, 'c.json');
    writeFileSync(cfg, JSON.stringify({ analysis: 'zprime-invisible', quick: true, output: { dir: '../elsewhere' } }));
    const t0 = performance.now();
    await expect(main(['run', '--config', cfg, '--backend', 'cpu'], quiet)).rejects.toThrow(/config\.output\.dir '\.\.\/elsewhere' is outside the config's folder .*--output-outside-config/);
    mkdirSync(join(dir, 'elsewhere'));
    writeFileSync(join(dir, 'elsewhere', 'results.json'), '{}');
    await expect(main(['run', '--config', cfg, '--backend', 'cpu', '--output-outside-config'], quiet)).rejects.toThrow(/results\.json exists; pass --force/);
    expect(performance.now() - t0).toBeLessThan(5000); // refused before any simulation
    expect(readFileSync(join(dir, 'elsewhere', 'results.json'), 'utf8')).toBe('{}');
  });
});

describe('ROOT: what is not read is named, everything else is read', () => {
  it('branch kinds: flat numbers read; jagged, arrays, strings, objects, Double32 / Float16 named', async () => {
    const { branchProblem } = await import('../engine/io/root.js');
    const leaf = (t: string, extra: Record<string, unknown> = {}) => ({ fName: 'x', fLeaves: { arr: [{ _typename: t, fLen: 1, ...extra }] } });
    for (const t of ['TLeafD', 'TLeafF', 'TLeafI', 'TLeafL', 'TLeafS', 'TLeafB', 'TLeafO', 'TLeafG']) expect(branchProblem(leaf(t))).toBeUndefined();
    expect(branchProblem(leaf('TLeafD32'))).toMatch(/Double32_t/);
    expect(branchProblem(leaf('TLeafF16'))).toMatch(/Float16_t/);
    expect(branchProblem(leaf('TLeafF', { fLeafCount: {} }))).toMatch(/jagged branch/);
    expect(branchProblem(leaf('TLeafF', { fLen: 3 }))).toMatch(/fixed-size array branch \(3 values/);
    expect(branchProblem(leaf('TLeafC'))).toMatch(/a string/);
    expect(branchProblem(leaf('TLeafElement'))).toMatch(/object/);
    expect(branchProblem({ fName: 'y', fLeaves: { arr: [] } })).toMatch(/without leaves/);
  });
  it('real ROOT files with jagged, fixed-array and string branches: the flat ones read, the others listed and named', async () => {
    // uproot-HZZ.root and uproot-sample-6.20.04-zlib.root (scikit-hep-testdata, written by ROOT).
    const hzz = join(FIX, 'root', 'uproot-HZZ.root');
    const h = await readEvents(hzz, { tree: 'events' });
    expect(h.length).toBe(2421);
    expect(Array.from(h.columns.NMuon as ArrayLike<number>).slice(0, 4)).toEqual([2, 1, 2, 2]);
    expect(h.meta.root_skipped_branches).toContain('Muon_Px');
    await expect(readEvents(hzz, { tree: 'events', columns: ['Muon_Px'] })).rejects.toThrow(/uproot-HZZ\.root: branch 'Muon_Px' of TTree 'events' is a jagged branch/);
    const smp = join(FIX, 'root', 'uproot-sample-6.20.04-zlib.root');
    const t = await readEvents(smp, { tree: 'sample' });
    expect(Object.keys(t.columns)).toEqual(['n', 'b', 'i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8', 'f4', 'f8']);
    expect(Array.from(t.columns.i4 as ArrayLike<number>)).toEqual(Array.from({ length: 30 }, (_, i) => i - 15));
    expect(t.meta.root_skipped_branches).toEqual(['ab', 'Ab', 'ai1', 'Ai1', 'au1', 'Au1', 'ai2', 'Ai2', 'au2', 'Au2', 'ai4', 'Ai4', 'au4', 'Au4', 'ai8', 'Ai8', 'au8', 'Au8', 'af4', 'Af4', 'af8', 'Af8', 'str']);
    await expect(readEvents(smp, { tree: 'sample', columns: ['ai4'] })).rejects.toThrow(/branch 'ai4' of TTree 'sample' is a fixed-size array branch \(3 values per entry\)/);
    await expect(readEvents(smp, { tree: 'sample', columns: ['Ai4'] })).rejects.toThrow(/branch 'Ai4' of TTree 'sample' is a jagged branch/);
    await expect(readEvents(smp, { tree: 'sample', columns: ['str'] })).rejects.toThrow(/branch 'str' of TTree 'sample' is a string/);
  });
  it('a string branch is skipped and listed, and named when asked for; a missing tree points to DIR/TREE', async () => {
    const f = join(FIX, 'root', 'uproot-Zmumu.root');
    const t = await readEvents(f, { tree: 'events' });
    expect(t.meta.root_skipped_branches).toEqual(['Type']);
    expect(t.length).toBe(2304);
    await expect(readEvents(f, { columns: ['Type'] })).rejects.toThrow(/branch 'Type' of TTree 'events' is a string: darkscan reads flat numeric branches/);
    await expect(readEvents(f, { tree: 'nope' })).rejects.toThrow(/a tree in a folder is named DIR\/TREE/);
  });
});
