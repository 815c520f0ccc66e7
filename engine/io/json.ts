// JSON events: {"meta": {...}, "units": {...}, "columns": {"name": [...]}} (the form engine/events.ts
// reads too). Non-finite numbers are written as null.
import { FileFormatError, selectColumns, type ColumnMapping, type ColumnTable, type NumericColumn } from './columns.js';
import { parseJsonText } from './text.js';

export function toJson(columns: Readonly<Record<string, ArrayLike<number>>>, meta: Readonly<Record<string, unknown>> = {}, units?: Readonly<Record<string, string>>): string {
  const names = Object.keys(columns);
  const n = names.length ? columns[names[0]].length : 0;
  for (const c of names) if (columns[c].length !== n) throw new Error(`JSON writer: column '${c}' has ${columns[c].length} rows, '${names[0]}' has ${n}`);
  const body = names.map((c) => `${JSON.stringify(c)}:[${Array.from(columns[c], (v) => (Number.isFinite(v) ? String(v) : 'null')).join(',')}]`);
  const head = [`"meta":${JSON.stringify(meta)}`];
  if (units) head.push(`"units":${JSON.stringify(units)}`);
  return `{${head.join(',')},"columns":{${body.join(',')}}}\n`;
}

export function parseJson(text: string, o: { columns?: ColumnMapping; source?: string } = {}): ColumnTable {
  const source = o.source ?? 'json';
  let doc: unknown;
  try {
    doc = parseJsonText(text);
  } catch (e) {
    throw new FileFormatError(source, (e as Error).message);
  }
  if (typeof doc !== 'object' || doc === null || !('columns' in doc)) throw new FileFormatError(source, 'expected an object with "columns"');
  const d = doc as { columns: unknown; meta?: unknown };
  if (typeof d.columns !== 'object' || d.columns === null || Array.isArray(d.columns)) throw new FileFormatError(source, '"columns" must be an object of arrays');
  const all: Record<string, NumericColumn> = {};
  let n = -1;
  for (const [c, arr] of Object.entries(d.columns as Record<string, unknown>)) {
    if (!Array.isArray(arr)) throw new FileFormatError(source, `column '${c}' is not an array`);
    if (n >= 0 && arr.length !== n) throw new FileFormatError(source, `column '${c}' has ${arr.length} rows, others ${n}`);
    n = arr.length;
    all[c] = Float64Array.from(arr, (v, r) => {
      if (v === null) return NaN;
      if (typeof v !== 'number') throw new FileFormatError(source, `column '${c}', row ${r}: expected a number, got ${JSON.stringify(v)}`);
      return v;
    });
  }
  const meta = typeof d.meta === 'object' && d.meta !== null ? (d.meta as Record<string, unknown>) : {};
  return { length: Math.max(n, 0), columns: selectColumns(source, all, o.columns), meta, source };
}
