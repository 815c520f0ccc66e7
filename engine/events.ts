// Columnar event tables: named Float32Array columns of equal length, an optional weight column.
// Validation happens once, on ingestion: a bad value is an error naming the column and the first
// bad row, unless the caller asks (dropInvalid) to drop such rows, and then the count is reported.
import { asBytes, CsvRows, expectedRows, type SlowLine } from './io/csvbytes.js';
import { readCsvBytes } from './io/csv.js';
import { notANumber, parseJsonText, parseNumberText, readText, splitCsvLine } from './io/text.js';

export interface EventTable {
  /** Number of events (rows). */
  readonly length: number;
  /** Column name -> values; every column has `length` entries. */
  readonly columns: Readonly<Record<string, Float32Array>>;
  /** Name of the per-event weight column, when the sample is weighted. */
  readonly weightColumn?: string;
  /** Where the events came from (a file name), for error messages. */
  readonly source?: string;
}

export class EventValidationError extends Error {
  constructor(
    readonly column: string,
    /** 0-based row of the first offending value (-1 when the problem is not a row, e.g. a missing column). */
    readonly row: number,
    readonly problem: string,
    source = '',
  ) {
    super(`${source ? `${source}: ` : ''}column '${column}'${row >= 0 ? `, row ${row}` : ''}: ${problem}`);
    this.name = 'EventValidationError';
  }
}

export interface TableOptions {
  /** Columns that must be present. */
  readonly required?: readonly string[];
  /** Columns whose values must be >= 0 (masses, energies). Default: every required column except weights. */
  readonly nonNegative?: readonly string[];
  /** Name of the weight column; it must be finite and >= 0 (the scan's fixed-point sums need it). */
  readonly weightColumn?: string;
  /** Largest |value| per column (e.g. the scan's coordinate range); beyond it a row is bad. */
  readonly maxAbs?: Readonly<Record<string, number>>;
  /** Drop rows with a bad value instead of failing; the result reports how many per column. */
  readonly dropInvalid?: boolean;
  /** Named in error messages (e.g. the file name). */
  readonly source?: string;
}

export interface TableResult {
  readonly table: EventTable;
  /** Rows dropped (only with dropInvalid): total and per first offending column. */
  readonly dropped: number;
  readonly droppedByColumn: Readonly<Record<string, number>>;
}

// f32 range: a finite double beyond it becomes Infinity in a Float32Array.
const F32_MAX = 3.4028234663852886e38;

function problemOf(v: number, nonNeg: boolean, maxAbs = F32_MAX): string | undefined {
  if (Number.isNaN(v)) return 'value is NaN';
  if (!Number.isFinite(v)) return `value is ${v}`;
  if (Math.abs(v) > F32_MAX) return `value ${v} overflows float32`;
  if (nonNeg && v < 0) return `negative value ${v} (masses, energies and weights must be >= 0)`;
  if (Math.abs(v) > maxAbs) return `value ${v} is outside [-${maxAbs}, ${maxAbs}]`;
  return undefined;
}

/**
 * Builds a validated table from columns (any numeric arrays). Every column named in `required`
 * must exist; all columns must have the same length; values must be finite (and >= 0 where
 * `nonNegative`). Subnormal float32 values are flushed to 0 (GPUs may do so; see kernels/README).
 */
export function makeEventTable(columns: Readonly<Record<string, ArrayLike<number>>>, opts: TableOptions = {}): TableResult {
  const src = opts.source ?? '';
  const names = Object.keys(columns);
  for (const r of opts.required ?? []) {
    if (!(r in columns)) throw new EventValidationError(r, -1, `missing column (have: ${names.join(', ') || 'none'})`, src);
  }
  if (opts.weightColumn !== undefined && !(opts.weightColumn in columns)) {
    throw new EventValidationError(opts.weightColumn, -1, `missing weight column (have: ${names.join(', ') || 'none'})`, src);
  }
  if (names.length === 0) return { table: { length: 0, columns: {} }, dropped: 0, droppedByColumn: {} };
  const n = columns[names[0]].length;
  for (const c of names) {
    if (columns[c].length !== n) {
      throw new EventValidationError(c, Math.min(n, columns[c].length), `column has ${columns[c].length} rows, but '${names[0]}' has ${n}`, src);
    }
  }
  const nonNeg = new Set(opts.nonNegative ?? (opts.required ?? []));
  if (opts.weightColumn !== undefined) nonNeg.add(opts.weightColumn);
  const keep = new Uint8Array(n).fill(1);
  const droppedByColumn: Record<string, number> = {};
  let dropped = 0;
  for (const c of names) {
    const a = columns[c];
    const nn = nonNeg.has(c), lim = Math.min(F32_MAX, opts.maxAbs?.[c] ?? F32_MAX);
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue;
      const v = +a[i];
      if (nn ? v >= 0 && v <= lim : v >= -lim && v <= lim) continue; // fast path (NaN fails both)
      const p = problemOf(v, nn, lim);
      if (p === undefined) continue;
      if (!opts.dropInvalid) throw new EventValidationError(c, i, p, src);
      keep[i] = 0;
      dropped++;
      droppedByColumn[c] = (droppedByColumn[c] ?? 0) + 1;
    }
  }
  const m = n - dropped;
  const out: Record<string, Float32Array> = {};
  for (const c of names) {
    const a = columns[c];
    const f = new Float32Array(m);
    for (let i = 0, j = 0; i < n; i++) if (keep[i]) f[j++] = a[i];
    flushSubnormals(f);
    out[c] = f;
  }
  return { table: { length: m, columns: out, weightColumn: opts.weightColumn, ...(opts.source ? { source: opts.source } : {}) }, dropped, droppedByColumn };
}

/** Float32 subnormals (|x| < 2^-126) become +0: every backend then sees the same value. */
export function flushSubnormals(a: Float32Array): void {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0 && Math.abs(a[i]) < 1.1754943508222875e-38) a[i] = 0;
}

export function column(t: EventTable, name: string, source = ''): Float32Array {
  const c = t.columns[name];
  if (!c) throw new EventValidationError(name, -1, `missing column (have: ${Object.keys(t.columns).join(', ') || 'none'})`, source);
  return c;
}

/**
 * The event-file rule for a CSV line the byte fast path (engine/io/csvbytes.ts) left to it: blank
 * and '#' lines are skipped, the first other line is the header (names trimmed, none empty or
 * twice), then one row per line (quoted fields as RFC 4180; numbers by engine/io/text.ts
 * parseNumberText, '' is NaN); errors name the file, line, row and column. `row()` is the number
 * of data rows before this line.
 */
export function eventLineRule(source: string, row: () => number, onHeader: (header: string[]) => void): SlowLine {
  let header: string[] | undefined;
  return (raw, lineNo) => {
    const s = raw.trim();
    if (s === '' || s.startsWith('#')) return undefined;
    let f: string[];
    try {
      f = splitCsvLine(s);
    } catch (e) {
      throw new Error(`${source}: line ${lineNo}: ${(e as Error).message}`);
    }
    if (!header) {
      const h = f.map((x) => x.trim());
      h.forEach((name, j) => {
        if (name === '') throw new Error(`${source}: line ${lineNo}: column ${j + 1} of the header has no name`);
        if (h.indexOf(name) !== j) throw new Error(`${source}: line ${lineNo}: column '${name}' appears twice`);
      });
      header = h;
      onHeader(h);
      return undefined;
    }
    if (f.length !== header.length) throw new Error(`${source}: line ${lineNo} (row ${row()}): ${f.length} fields, header has ${header.length}`);
    const hd = header;
    return f.map((t0, j) => {
      const t = t0.trim();
      const v = t === '' ? NaN : parseNumberText(t);
      if (v === undefined) throw new EventValidationError(hd[j], row(), `${notANumber(t)} (line ${lineNo})`, source);
      return v;
    });
  };
}

/**
 * Parses CSV text or UTF-8 bytes: a header line of column names, then one numeric row per event
 * (eventLineRule; plain numeric lines parsed from the bytes, engine/io/csvbytes.ts).
 */
export function parseCsvColumns(text: string | Uint8Array, source = 'csv'): Record<string, Float64Array> {
  const b = asBytes(text);
  let header: string[] | undefined;
  const rows: CsvRows = new CsvRows(eventLineRule(source, () => rows.row, (h) => {
    header = h;
    rows.header(h.length, h.map((_, j) => j));
  }), ',', expectedRows(b), true);
  rows.lines(b, 0, b.length, true);
  if (!header) throw new Error(`${source}: no header line`);
  const cols = rows.block();
  return Object.fromEntries(header.map((h, j) => [h, cols[j]]));
}

/**
 * Parses JSON events: either `{"columns": {"name": [..], ..}}` (optionally with "weight_column")
 * or an array of row objects `[{"m_mumu_GeV": 1.2, ..}, ..]`. null becomes NaN (and then an error).
 */
export function parseJsonColumns(text: string, source = 'json'): { columns: Record<string, number[]>; weightColumn?: string } {
  let doc: unknown;
  try {
    doc = parseJsonText(text);
  } catch (e) {
    throw new Error(`${source}: ${(e as Error).message}`);
  }
  const num = (v: unknown, c: string, r: number): number => {
    if (v === null) return NaN;
    if (typeof v !== 'number') throw new EventValidationError(c, r, `expected a number, got ${JSON.stringify(v)}`, source);
    return v;
  };
  if (Array.isArray(doc)) {
    const cols: Record<string, number[]> = {};
    const names = doc.length ? Object.keys(doc[0] ?? {}) : [];
    for (const c of names) cols[c] = [];
    doc.forEach((row, r) => {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new Error(`${source}: row ${r} is not an object`);
      for (const c of names) {
        if (!(c in row)) throw new EventValidationError(c, r, 'missing in this row', source);
        cols[c].push(num((row as Record<string, unknown>)[c], c, r));
      }
      for (const k of Object.keys(row)) if (!(k in cols)) throw new EventValidationError(k, r, `column not in row 0`, source);
    });
    return { columns: cols };
  }
  if (typeof doc === 'object' && doc !== null && 'columns' in doc) {
    const d = doc as { columns: unknown; weight_column?: unknown };
    if (typeof d.columns !== 'object' || d.columns === null || Array.isArray(d.columns)) throw new Error(`${source}: "columns" must be an object of arrays`);
    const cols: Record<string, number[]> = {};
    for (const [c, arr] of Object.entries(d.columns as Record<string, unknown>)) {
      if (!Array.isArray(arr)) throw new EventValidationError(c, -1, 'column is not an array', source);
      cols[c] = arr.map((v, r) => num(v, c, r));
    }
    if (d.weight_column !== undefined && typeof d.weight_column !== 'string') throw new Error(`${source}: "weight_column" must be a string`);
    return { columns: cols, weightColumn: d.weight_column as string | undefined };
  }
  throw new Error(`${source}: expected {"columns": {...}} or an array of row objects`);
}

/** Reads a CSV or JSON event file (by extension) into a validated table. */
export async function loadEventFile(path: string, opts: TableOptions = {}): Promise<TableResult> {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json')) {
    const { columns, weightColumn } = parseJsonColumns(await readText(path, 'a JSON text file'), path);
    return makeEventTable(columns, { source: path, ...opts, weightColumn: opts.weightColumn ?? weightColumn });
  }
  if (lower.endsWith('.csv')) return makeEventTable(parseCsvColumns(await readCsvBytes(path), path), { source: path, ...opts });
  throw new Error(`${path}: unknown event file type (expected .csv or .json)`);
}

