// `darkscan infer` end to end: CSV / JSON in, score column out, model sets, clear errors.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../engine/cli/index.js';
import { CpuBackend } from '../host/index.js';
import { loadOnnx, scoreEvents, mlpToJson } from '../engine/nn/index.js';
import { parseCsv } from '../engine/io/csv.js';
import { parseJson } from '../engine/io/json.js';
import { testWords } from '../kernels/testing.js';
import { tempDir } from './tmp.js';

const FIX = new URL('./fixtures/onnx/', import.meta.url).pathname;
const MODEL = join(FIX, 'gemm_tanh_softmax_6_20_2.onnx');
const dir = tempDir('infer');
const COLS = ['a', 'b', 'c', 'd', 'e', 'f'];

function writeData(rows: number): { csv: string; x: Float32Array; m: Float64Array } {
  const w = testWords(rows * 7, 77);
  const x = new Float32Array(rows * 6), m = new Float64Array(rows);
  const lines = [[...COLS, 'm_recoil'].join(',')];
  for (let r = 0; r < rows; r++) {
    const vals: number[] = [];
    for (let i = 0; i < 6; i++) {
      const v = Math.fround(((w[r * 7 + i] >>> 8) / 16777216 - 0.5) * 8);
      x[r * 6 + i] = v;
      vals.push(v);
    }
    m[r] = ((w[r * 7 + 6] >>> 8) / 16777216) * 4;
    lines.push([...vals, m[r]].join(','));
  }
  const csv = join(dir, `events${rows}.csv`);
  writeFileSync(csv, lines.join('\n') + '\n');
  return { csv, x, m };
}

const run = async (args: string[]): Promise<string[]> => {
  const log: string[] = [];
  const code = await main(['infer', ...args, '--backend', 'cpu'], (s) => log.push(s));
  expect(code).toBe(0);
  return log;
};

describe('darkscan infer', () => {
  const data = writeData(300);

  it('adds the score column (CSV), equal to scoring in the API', async () => {
    const outPath = join(dir, 'scored.csv');
    const log = await run(['--model', MODEL, '--data', data.csv, '--columns', COLS.join(','), '--out', outPath]);
    expect(log.join('\n')).toMatch(/300 events scored with 6-20\(tanh\)-2\(softmax\) on cpu/);
    const t = parseCsv(readFileSync(outPath, 'utf8'), { source: outPath });
    expect(Object.keys(t.columns)).toEqual([...COLS, 'm_recoil', 'score']);
    const want = await scoreEvents(new CpuBackend(), loadOnnx(readFileSync(MODEL)), data.x);
    expect(Array.from(t.columns.score, Math.fround)).toEqual(Array.from(want));
    // A plain CSV (header first: Python's csv / pandas read it as is); provenance in the sidecar.
    expect(readFileSync(outPath, 'utf8').split('\n')[0]).toBe([...COLS, 'm_recoil', 'score'].join(','));
    expect(t.meta).toEqual({});
    const side = JSON.parse(readFileSync(join(dir, 'scored.meta.json'), 'utf8'));
    expect(side.csv).toBe('scored.csv');
    expect(side.darkscan_infer).toMatchObject({ schema: 'darkscan-infer/1', backend: 'cpu', events: 300, score_column: 'score', columns: COLS });
    expect(log.join('\n')).toContain(`provenance in ${join(dir, 'scored.meta.json')}`);
  });

  it('with --ranges: per-range models, NaN (null in JSON) outside every range', async () => {
    writeFileSync(join(dir, 'lo.json'), mlpToJson({ nIn: 6, scoreIndex: 0, layers: [{ nIn: 6, nOut: 1, weights: new Float32Array(6), bias: Float32Array.of(-1), activation: 'identity' }] }));
    writeFileSync(join(dir, 'set.json'), JSON.stringify({
      format: 'darkscan-mlp-ranges/1', column: 'm_recoil', unit: 'GeV',
      ranges: [{ min: 0, max: 1, model: 'lo.json' }, { min: 1, max: 3, model: MODEL }],
    }));
    const outPath = join(dir, 'ranges.json');
    const log = await run(['--ranges', join(dir, 'set.json'), '--data', data.csv, '--columns', COLS.join(','), '--out', outPath]);
    const t = parseJson(readFileSync(outPath, 'utf8'), { source: outPath });
    const s = t.columns.score;
    let outside = 0;
    for (let r = 0; r < 300; r++) {
      const mr = data.m[r];
      if (mr < 1) expect(s[r]).toBe(-1);
      else if (mr < 3) expect(s[r]).toBeGreaterThan(0);
      else { expect(s[r]).toBeNaN(); outside++; }
    }
    expect(outside).toBeGreaterThan(0);
    expect(log.join('\n')).toMatch(new RegExp(`${outside} events outside every range: score NaN`));
  });

  it('errors name the problem', async () => {
    const o = join(dir, 'x.csv');
    await expect(main(['infer', '--model', MODEL, '--data', data.csv, '--columns', 'a,b,c,d,e,zz', '--out', o, '--backend', 'cpu'], () => {})).rejects.toThrow(/no column 'zz'/);
    await expect(main(['infer', '--model', MODEL, '--data', data.csv, '--columns', 'a,b', '--out', o, '--backend', 'cpu'], () => {})).rejects.toThrow(/lists 2 columns, the model takes 6/);
    await expect(main(['infer', '--data', data.csv, '--columns', 'a', '--out', o], () => {})).rejects.toThrow(/exactly one of --model/);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'a,b,c,d,e,f\n1,2,3,4,5,6\n1,2,nan,4,5,6\n');
    await expect(main(['infer', '--model', MODEL, '--data', bad, '--columns', COLS.join(','), '--out', o, '--backend', 'cpu'], () => {})).rejects.toThrow(/row 1, column 'c'/);
  });
});
