// The byte-level CSV number path (engine/io/csvbytes.ts) gives exactly Number()'s double for every
// text the decimal rule reads, including long mantissas, extreme exponents and halfway cases; and
// the three CSV readers (parseCsv, parseCsvColumns, csvChunks in any piece sizes) agree with it.
import { describe, expect, it } from 'vitest';
import { readNumber } from '../engine/io/csvbytes.js';
import { parseCsv } from '../engine/io/csv.js';
import { parseCsvColumns } from '../engine/events.js';
import { csvChunks } from '../engine/stream.js';
import { testWords } from '../kernels/testing.js';

const enc = new TextEncoder();
const num = (s: string) => readNumber(enc.encode(s + ','), 0);

/** Decimal strings of every shape the rule reads: signs, leading / trailing zeros, 1-40 digits, exponents to +-400. */
function decimals(n: number, seed: number): string[] {
  const w = testWords(8 * n, seed);
  const out: string[] = [];
  const digits = (k: number, i: number) => Array.from({ length: k }, (_, j) => String((w[(i + 3 * j) % w.length] >>> 7) % 10)).join('');
  for (let i = 0; i < n; i++) {
    const u = w.subarray(8 * i, 8 * i + 8);
    const kind = u[0] % 6;
    const sign = ['', '-', '+'][u[1] % 3];
    if (kind === 0) { // the shortest text of a random double (any exponent)
      const f = new Float64Array(new Uint32Array([u[2], u[3]]).buffer)[0];
      if (Number.isFinite(f)) out.push(String(f));
      continue;
    }
    if (kind === 1) { // the shortest text of a random float32
      const f = new Float32Array(new Uint32Array([u[2]]).buffer)[0];
      if (Number.isFinite(f)) out.push(sign + String(Math.abs(f)));
      continue;
    }
    const ip = digits(u[4] % (kind === 2 ? 8 : 25), 8 * i);
    const fp = digits(u[5] % (kind === 3 ? 6 : 22), 8 * i + 1);
    const dot = u[6] % 4 === 0 ? '' : '.';
    let s = sign + (ip === '' && (dot === '' || fp === '') ? '0' : ip) + dot + (dot ? fp : '');
    if (kind >= 4) s += (u[7] % 2 ? 'e' : 'E') + ['', '-', '+'][u[7] % 3] + String((u[7] >>> 4) % (kind === 4 ? 30 : 400));
    out.push(s);
  }
  return out;
}

const HARD = [
  '9007199254740993', '9007199254740992.5', '2.2250738585072011e-308', '2.2250738585072012e-308', '1.7976931348623157e308', '1.7976931348623159e308',
  '4.9e-324', '2.4703282292062327e-324', '2.4703282292062328e-324', '0.1', '0.30000000000000004', '123456789012345678901234567890', '1e23', '8.98846567431158e307',
  '1e22', '1e-22', '123456789012345e22', '999999999999999e-22', '0.000000000000000000000000000001', '-0', '-0.0e5', '0e999999999', '1e999999999', '1e-999999999',
  '7.038531e-26', '1.00000000000000011102230246251565404236316680908203125', '1.00000000000000011102230246251565404236316680908203124', '.5', '1.', '+.5e-3', '00000000000000000000001.5',
  '3.4028235677973366e38', '1.1754943508222875e-38', '1.401298464324817e-45', '340282356779733661637539395458142568448',
];

describe('byte-level numbers', () => {
  it('equal Number() bit for bit on random and hard decimal texts', () => {
    const all = [...HARD, ...decimals(40000, 1801)];
    let bad = 0;
    for (const s of all) {
      const v = num(s);
      if (!Object.is(v, Number(s))) { bad++; if (bad < 5) expect([s, v]).toEqual([s, Number(s)]); }
    }
    expect(bad).toBe(0);
    expect(all.length).toBeGreaterThan(30000);
  });

  it('reads nothing the decimal rule refuses', () => {
    for (const s of ['', '.', '+', '-', 'e5', '.e5', '1e', '1e+', 'nan', 'inf', '+-1']) expect(num(s)).toBeNaN();
    // 0x / 0b / 0o stop after the 0: the field does not end there, so the line goes to the rule that refuses it
    for (const s of ['0x10', '0b1', '0o7']) { expect(num(s)).toBe(0); expect(new TextEncoder().encode(s + ',')[1]).not.toBe(44); }
  });
});

describe('CSV readers on the byte path', () => {
  const vals = decimals(3000, 1802);
  const nc = 3, nr = Math.floor(vals.length / nc);
  let text = '# key: 1\nx,y,z\n';
  for (let r = 0; r < nr; r++) text += vals.slice(nc * r, nc * r + nc).join(',') + (r % 7 === 3 ? '\r\n' : r % 11 === 5 ? '\n\n# c\n' : '\n');
  const want = (j: number) => Float64Array.from({ length: nr }, (_, r) => Number(vals[nc * r + j]));

  it('parseCsv, parseCsvColumns and csvChunks (odd piece sizes) give Number() of every field', async () => {
    const t = parseCsv(text), c = parseCsvColumns(enc.encode(text));
    expect(t.length).toBe(nr);
    expect(t.meta).toEqual({ key: 1 });
    const got: number[][] = [[], [], []];
    const b = enc.encode(text);
    const pieces = Array.from({ length: Math.ceil(b.length / 997) }, (_, i) => b.subarray(997 * i, 997 * i + 997));
    for await (const ch of csvChunks(pieces, { chunkRows: 101 })) ['x', 'y', 'z'].forEach((n, j) => got[j].push(...ch.columns[n]));
    ['x', 'y', 'z'].forEach((n, j) => {
      expect(t.columns[n]).toEqual(want(j));
      expect(c[n]).toEqual(want(j));
      expect(Float64Array.from(got[j])).toEqual(want(j));
    });
  });

  it('columns grow past the estimate from the first 64 KiB (short lines later); an empty text has no header', () => {
    const long = '1.000000000000000000000001,2.5e-300\n'.repeat(3000), short = '1,2\n'.repeat(60000);
    const c = parseCsvColumns(`a,b\n${long}${short}`);
    expect(c.a.length).toBe(63000);
    expect([c.a[62999], c.b[0], c.b[62999]]).toEqual([1, 2.5e-300, 2]);
    expect(() => parseCsvColumns('', 'e.csv')).toThrow('e.csv: no header line');
    expect(() => parseCsv('', { source: 'e.csv' })).toThrow('e.csv: no header line');
  });

  it('a hexadecimal field in an otherwise plain line is refused with line and column', async () => {
    expect(() => parseCsv('x,y\n1,2\n3,0x10\n', { source: 'h.csv' })).toThrow("h.csv: line 3, column 'y': '0x10' is not a number (hexadecimal");
    expect(() => parseCsvColumns('x,y\n1,2\n0b1,2\n', 'h.csv')).toThrow(/h\.csv: column 'x', row 1: '0b1' is not a number \(hexadecimal.*\(line 3\)/);
    const it = csvChunks([enc.encode('x,y\n1,2\n1,0o7\n')], { source: 'h.csv' });
    await expect((async () => { for await (const _ of it); })()).rejects.toThrow(/h\.csv: column 'y', row 1: '0o7' is not a number/);
  });
});
