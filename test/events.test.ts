import { describe, expect, it } from 'vitest';
import { EventValidationError, makeEventTable, parseCsvColumns, parseJsonColumns } from '../engine/events.js';

const req = { required: ['m_mumu_GeV', 'm_recoil_GeV'] };

function err(f: () => unknown): EventValidationError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(EventValidationError);
    return e as EventValidationError;
  }
  throw new Error('expected an EventValidationError');
}

describe('event tables', () => {
  it('stores Float32 columns and the weight column', () => {
    const { table, dropped } = makeEventTable({ m_mumu_GeV: [1, 2.5], m_recoil_GeV: [0.5, 3], w: [1, 0.25] }, { ...req, weightColumn: 'w' });
    expect(table.length).toBe(2);
    expect(table.columns.m_mumu_GeV).toBeInstanceOf(Float32Array);
    expect(Array.from(table.columns.w)).toEqual([1, 0.25]);
    expect(table.weightColumn).toBe('w');
    expect(dropped).toBe(0);
  });

  it('names the column and first bad row: NaN, infinity, negative mass', () => {
    let e = err(() => makeEventTable({ m_mumu_GeV: [1, 2, NaN, NaN], m_recoil_GeV: [1, 1, 1, 1] }, req));
    expect([e.column, e.row]).toEqual(['m_mumu_GeV', 2]);
    expect(e.message).toMatch(/m_mumu_GeV.*row 2.*NaN/);
    e = err(() => makeEventTable({ m_mumu_GeV: [1, 2], m_recoil_GeV: [1, Infinity] }, req));
    expect([e.column, e.row]).toEqual(['m_recoil_GeV', 1]);
    e = err(() => makeEventTable({ m_mumu_GeV: [1, -0.1], m_recoil_GeV: [1, 1] }, req));
    expect([e.column, e.row]).toEqual(['m_mumu_GeV', 1]);
    expect(e.message).toMatch(/negative/);
    e = err(() => makeEventTable({ m_mumu_GeV: [1e39], m_recoil_GeV: [1] }, req));
    expect(e.message).toMatch(/overflows float32/);
    e = err(() => makeEventTable({ m_mumu_GeV: [1], m_recoil_GeV: [1], w: [-1] }, { ...req, weightColumn: 'w' }));
    expect(e.column).toBe('w');
  });

  it('rejects unequal lengths and missing columns', () => {
    let e = err(() => makeEventTable({ m_mumu_GeV: [1, 2, 3], m_recoil_GeV: [1, 2] }, req));
    expect(e.column).toBe('m_recoil_GeV');
    expect(e.message).toMatch(/2 rows.*has 3/);
    e = err(() => makeEventTable({ m_mumu_GeV: [1] }, req));
    expect([e.column, e.row]).toEqual(['m_recoil_GeV', -1]);
    expect(e.message).toMatch(/missing column/);
    e = err(() => makeEventTable({ m_mumu_GeV: [1], m_recoil_GeV: [1] }, { ...req, weightColumn: 'weight' }));
    expect(e.column).toBe('weight');
  });

  it('drops invalid rows only when asked, and reports the counts', () => {
    const cols = { m_mumu_GeV: [1, NaN, 3, 4, -1], m_recoil_GeV: [1, 2, Infinity, NaN, 1] };
    const r = makeEventTable(cols, { ...req, dropInvalid: true });
    expect(r.dropped).toBe(4);
    expect(r.droppedByColumn).toEqual({ m_mumu_GeV: 2, m_recoil_GeV: 2 });
    expect(Array.from(r.table.columns.m_mumu_GeV)).toEqual([1]);
    expect(r.table.length).toBe(1);
  });

  it('flushes float32 subnormals to zero', () => {
    const { table } = makeEventTable({ x: [1e-40, 2] }, { required: ['x'] });
    expect(table.columns.x[0]).toBe(0);
  });
});

describe('event files', () => {
  it('parses CSV and names bad cells', () => {
    const c = parseCsvColumns('# comment\nm_mumu_GeV, m_recoil_GeV\n1.5,2\n\n2.5,3e-1\n');
    expect(c).toEqual({ m_mumu_GeV: Float64Array.of(1.5, 2.5), m_recoil_GeV: Float64Array.of(2, 0.3) });
    const e = err(() => parseCsvColumns('a,b\n1,2\n3,x\n', 'f.csv'));
    expect([e.column, e.row]).toEqual(['b', 1]);
    expect(() => parseCsvColumns('a,b\n1,2,3\n', 'f.csv')).toThrow(/line 2.*3 fields/);
    expect(() => parseCsvColumns('a,a\n1,2\n', 'f.csv')).toThrow(/'a' appears twice/);
    // An empty cell is NaN, which table validation then reports with its row.
    const e2 = err(() => makeEventTable(parseCsvColumns('a,b\n1,2\n3,\n'), { required: ['a', 'b'] }));
    expect([e2.column, e2.row]).toEqual(['b', 1]);
  });

  it('parses JSON columns and rows', () => {
    expect(parseJsonColumns('{"columns": {"a": [1, 2]}, "weight_column": "a"}')).toEqual({ columns: { a: [1, 2] }, weightColumn: 'a' });
    expect(parseJsonColumns('[{"a": 1, "b": 2}, {"a": 3, "b": 4}]').columns).toEqual({ a: [1, 3], b: [2, 4] });
    let e = err(() => parseJsonColumns('[{"a": 1}, {"a": "x"}]'));
    expect([e.column, e.row]).toEqual(['a', 1]);
    e = err(() => parseJsonColumns('[{"a": 1, "b": 1}, {"a": 2}]'));
    expect([e.column, e.row]).toEqual(['b', 1]);
    const e2 = err(() => makeEventTable(parseJsonColumns('{"columns": {"a": [1, null]}}').columns, { required: ['a'] }));
    expect([e2.column, e2.row]).toEqual(['a', 1]);
    expect(() => parseJsonColumns('{oops', 'f.json')).toThrow(/f.json: invalid JSON/);
  });
});
